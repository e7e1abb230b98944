/**
 * One open case per pupil and region (issue 10, point 2): `create` with `pupilMatch` refuses or
 * links a second referral for a pupil with an open case, closing a case frees the pupil, the index
 * holds only keyed hashes, every open case is kept (also without `pupilMatch`), and open cases
 * from before the index are filled in once, by migration 15.
 */
import { createHash } from "node:crypto"
import { type CaseEvent, Pupil } from "@verzuimregie/domain"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { CaseStore, type CreateInput } from "../src/CaseStore.js"
import * as Migrations from "../src/Migrations.js"
import { BACKENDS, rawSql, skip, useStore } from "./support/backends.js"
import { auditEntry, closed, later, referralReceived, ts, WESTLAND } from "./support/factories.js"

const T0 = ts("2026-09-01T08:00:00.000Z")
const regions = [WESTLAND]

/** A referral for the pupil named `familyName` (the rest of the pupil as the factory makes it). */
const referralOf = (familyName: string, at = T0): CaseEvent.EventOf<"ReferralReceived"> => {
  const base = referralReceived({ at })
  return {
    ...base,
    referral: {
      ...base.referral,
      pupil: { ...base.referral.pupil, name: { givenName: "Match", familyName } as never },
    },
  }
}

describe.each(BACKENDS)("one open case per pupil on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    const create = (input: CreateInput) => suite.run(Effect.flatMap(CaseStore, (s) => s.create(input)))
    const createEither = (input: CreateInput) =>
      suite.run(Effect.either(Effect.flatMap(CaseStore, (s) => s.create(input))))

    it("refuses a second referral while the first case is open, and writes nothing", async () => {
      const first = await create({
        referral: referralOf("Weiger"),
        regions,
        pupilMatch: { whenOpen: "refuse" },
      })
      const before = await rawSql(suite.fresh, "SELECT count(*) AS n FROM case_events")
      const second = await createEither({
        referral: referralOf("Weiger"),
        regions,
        audit: [auditEntry({ action: "create" })],
        pupilMatch: { whenOpen: "refuse" },
      })
      expect(second._tag).toBe("Left")
      const left = second._tag === "Left" ? second.left : undefined
      expect(left?._tag === "OpenCaseExists" ? [left.caseId, left.referralId] : left?._tag).toEqual([
        first.state.id,
        first.state.referral.id,
      ])
      expect(await rawSql(suite.fresh, "SELECT count(*) AS n FROM case_events")).toEqual(before)
    })

    it("links a second referral to the open case as an event, with its audit record", async () => {
      const first = await create({
        referral: referralOf("Koppel"),
        regions,
        pupilMatch: { whenOpen: "link" },
      })
      const again = referralOf("Koppel")
      const linked = await create({
        referral: again,
        regions,
        pupilMatch: {
          whenOpen: "link",
          linkAudit: (caseId) => [auditEntry({ action: "update", recordId: caseId })],
        },
      })
      expect(linked.linked).toBe(true)
      expect(linked.state.id).toBe(first.state.id)
      expect(linked.state.version).toBe(2)
      expect(linked.events.map((e) => e.event)).toEqual([
        { _tag: "ReferralLinked", at: again.at, by: again.by, referral: again.referral },
      ])
      expect(linked.audit.map((a) => a.recordId)).toEqual([first.state.id])
      const cases = await rawSql(
        suite.fresh,
        `SELECT count(*) AS n FROM cases WHERE referral_id = '${again.referral.id}'`,
      )
      expect(Number(cases[0]?.n)).toBe(0)
    })

    it("frees the pupil when the case closes: the next referral opens a new case", async () => {
      const first = await create({
        referral: referralOf("Sluit"),
        regions,
        pupilMatch: { whenOpen: "refuse" },
      })
      await suite.run(
        Effect.flatMap(CaseStore, (s) =>
          s.append({ caseId: first.state.id, expectedVersion: 1, events: [closed(later(T0, 60))], regions }),
        ),
      )
      const next = await create({
        referral: referralOf("Sluit"),
        regions,
        pupilMatch: { whenOpen: "refuse" },
      })
      expect(next.linked).toBe(false)
      expect(next.state.id).not.toBe(first.state.id)
    })

    it("keeps only a keyed hash of the pupil, not the name, birth date or a plain digest", async () => {
      const referral = referralOf("Geheim")
      const created = await create({ referral, regions, pupilMatch: { whenOpen: "refuse" } })
      const [row] = await rawSql(
        suite.fresh,
        `SELECT pupil_key FROM open_case_pupils WHERE case_id = '${created.state.id}'`,
      )
      const key = String(row?.pupil_key)
      expect(key).toMatch(/^[0-9a-f]{64}$/)
      const clear = Pupil.matchKey(referral.referral.pupil)
      expect(key).not.toBe(createHash("sha256").update(clear).digest("hex"))
    })

    it("create without pupilMatch keeps the pupil too, the first of a pupil's open cases holding the key", async () => {
      const older = await create({ referral: referralOf("Zonder"), regions })
      // A second open case for the same pupil (a caller that does not match), an hour later.
      await create({ referral: referralOf("Zonder", later(T0, 60)), regions })
      const again = await createEither({
        referral: referralOf("Zonder"),
        regions,
        pupilMatch: { whenOpen: "refuse" },
      })
      // Plain values: a mismatch diffs readably (an Effect error object does not).
      const left = again._tag === "Left" ? again.left : undefined
      expect(left?._tag === "OpenCaseExists" ? left.caseId : left?._tag).toBe(older.state.id)
      // Nothing left for the backfill to do.
      expect(await suite.run(Effect.flatMap(CaseStore, (s) => s.indexOpenPupils()))).toBe(0)
    })

    it("a case created closed is not kept as open", async () => {
      const done = await create({ referral: referralOf("Dicht"), events: [closed(later(T0, 1))], regions })
      const rows = await rawSql(
        suite.fresh,
        `SELECT case_id FROM open_case_pupils WHERE case_id = '${done.state.id}'`,
      )
      expect(rows).toHaveLength(0)
    })

    it("migration 15 fills in, once, the open cases from before the index; the first of a pupil's duplicates keeps the key", async () => {
      const older = await create({ referral: referralOf("Oud"), regions })
      const duplicate = await create({ referral: referralOf("Oud", later(T0, 60)), regions })
      // As a database from before migration 6 (or 15) has them: open cases without their pupil.
      await rawSql(
        suite.fresh,
        `DELETE FROM open_case_pupils WHERE case_id IN ('${older.state.id}', '${duplicate.state.id}')`,
      )
      await rawSql(suite.fresh, "DELETE FROM schema_migrations WHERE id = 15")
      const applied = await suite.run(Migrations.run())
      expect(applied.map((m) => m.id)).toEqual([15])
      const kept = await rawSql(
        suite.fresh,
        `SELECT case_id FROM open_case_pupils WHERE case_id IN ('${older.state.id}', '${duplicate.state.id}')`,
      )
      expect(kept.map((r) => r.case_id)).toEqual([older.state.id])
      const again = await createEither({
        referral: referralOf("Oud"),
        regions,
        pupilMatch: { whenOpen: "refuse" },
      })
      const left = again._tag === "Left" ? again.left : undefined
      expect(left?._tag === "OpenCaseExists" ? left.caseId : left?._tag).toBe(older.state.id)
      // Once: a second start applies nothing.
      expect(await suite.run(Migrations.run())).toEqual([])
    })
  })
})
