/**
 * The store tells a duplicate referral and a pupil's second open case from other unique
 * violations by the index's name (PostgreSQL) or its exact columns (SQLite), not by a word in the
 * driver's message: a violation of another key on the same table is not taken for them.
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { CaseStore } from "../src/CaseStore.js"
import { Database } from "../src/internal/service.js"
import {
  CASE_REFERRAL_INDEX,
  OPEN_CASE_PUPIL_INDEX,
  ORGANISATION_BRIN_INDEX,
  type UniqueIndex,
  violates,
} from "../src/internal/sql.js"
import { migrations } from "../src/Migrations.js"
import { BACKENDS, skip, useStore } from "./support/backends.js"
import { referralReceived, WESTLAND } from "./support/factories.js"

const INDEXES = [CASE_REFERRAL_INDEX, OPEN_CASE_PUPIL_INDEX, ORGANISATION_BRIN_INDEX]

describe("the unique indexes the store answers for", () => {
  it.each(INDEXES.map((i) => [i.name, i] as const))(
    "%s is created under that name, on those columns",
    (_, index) => {
      const statement = `CREATE UNIQUE INDEX ${index.name} ON ${index.table} (${index.columns.join(", ")})`
      for (const dialect of ["sqlite", "pg"] as const) {
        expect(migrations.flatMap((m) => m[dialect]).filter((s) => s.includes(statement))).toHaveLength(1)
      }
    },
  )
})

describe.each(BACKENDS)("unique violations on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    /** The error of a statement that must fail on a unique key. */
    const violation = (statement: (db: Database["Type"]) => Effect.Effect<unknown, SqlError>) =>
      suite.run(Effect.flip(Effect.flatMap(Database, statement)))
    const answers = (error: SqlError) =>
      Object.fromEntries(INDEXES.map((index: UniqueIndex) => [index.name, violates(error, index)]))

    it("names the index that was violated, and only that one", async () => {
      const create = (familyName: string) =>
        suite.run(
          Effect.flatMap(CaseStore, (s) => {
            const base = referralReceived()
            const pupil = { ...base.referral.pupil, name: { givenName: "Uniek", familyName } as never }
            return s.create({
              referral: { ...base, referral: { ...base.referral, pupil } },
              regions: [WESTLAND],
            })
          }),
        )
      const first = await create("Een")
      const second = await create("Twee")
      const [key] = await suite.run(
        Effect.flatMap(
          Database,
          ({ sql }) =>
            sql<{
              pupil_key: string
            }>`SELECT pupil_key FROM open_case_pupils WHERE case_id = ${first.state.id}`,
        ),
      )
      await suite.run(
        Effect.flatMap(
          Database,
          ({ sql }) => sql`DELETE FROM open_case_pupils WHERE case_id = ${second.state.id}`,
        ),
      )

      // The second case under the first one's pupil key: the (region, pupil) index.
      const samePupil = await violation(
        ({ sql }) =>
          sql`INSERT INTO open_case_pupils ${sql.insert({ case_id: second.state.id, region_id: WESTLAND, pupil_key: key?.pupil_key ?? "" })}`,
      )
      expect(answers(samePupil)).toEqual({
        cases_referral_idx: false,
        open_case_pupils_key_idx: true,
        organisations_brin_idx: false,
      })

      // The same table's primary key (the case already holds a key): not the pupil index.
      const sameCase = await violation(
        ({ sql }) =>
          sql`INSERT INTO open_case_pupils ${sql.insert({ case_id: first.state.id, region_id: WESTLAND, pupil_key: "ander" })}`,
      )
      expect(answers(sameCase)).toEqual({
        cases_referral_idx: false,
        open_case_pupils_key_idx: false,
        organisations_brin_idx: false,
      })

      // The first case's referral id on another case row: the referral index.
      const sameReferral = await violation(
        ({ sql }) =>
          sql`INSERT INTO cases (case_id, region_id, version, status, referral_id, referrer_org_id, opened_at, last_event_at, open_action_count, state, updated_at)
            SELECT 'case_tweedereferral', region_id, version, status, referral_id, referrer_org_id, opened_at, last_event_at, open_action_count, state, updated_at
            FROM cases WHERE case_id = ${first.state.id}`,
      )
      expect(answers(sameReferral)).toEqual({
        cases_referral_idx: true,
        open_case_pupils_key_idx: false,
        organisations_brin_idx: false,
      })
    })
  })
})
