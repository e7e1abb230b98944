/**
 * The search for a pupil: by part of the name (case and accents not counting), birth date and
 * person number, within the caller's regions only, newest first with full pages; the same answer
 * on SQLite and PostgreSQL.
 */
import { type Case, type Ids, Pupil } from "@verzuimregie/domain"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { CaseQueries, type PupilCriteria, pupilMatches } from "../src/CaseQueries.js"
import { CaseStore } from "../src/CaseStore.js"
import { BACKENDS, skip, useStore } from "./support/backends.js"
import { day, LV, later, referralReceived, statusChanged, ts, WESTLAND } from "./support/factories.js"

const T0 = ts("2026-02-02T08:00:00.000Z")

interface Spec {
  readonly region?: Ids.RegionId
  readonly givenName: string
  readonly prefix?: string
  readonly familyName: string
  readonly birthDate?: string
  readonly bsn?: string
}

const SPECS: ReadonlyArray<Spec> = [
  { givenName: "Özlem", familyName: "Çelik", birthDate: "2012-03-04", bsn: "111222333" },
  { givenName: "Piet", prefix: "van der", familyName: "Berg", birthDate: "2013-07-08" },
  { givenName: "Anna", familyName: "Bergman", birthDate: "2013-07-08", bsn: "123456782" },
  { region: LV, givenName: "Pieter", familyName: "Berg", birthDate: "2013-07-08" },
  ...Array.from({ length: 5 }, (_, i): Spec => ({ givenName: `Kind${i}`, familyName: "Vandenberg" })),
]

describe.each(BACKENDS)("CaseQueries.pupilSearch on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    const ids = new Map<string, Ids.CaseId>()

    beforeAll(async () => {
      if (skip(backend)) return
      await suite.run(
        Effect.forEach(
          SPECS,
          (spec, index) =>
            Effect.gen(function* () {
              const store = yield* CaseStore
              const base = referralReceived({ at: later(T0, index), regionId: spec.region ?? WESTLAND })
              const referral = {
                ...base,
                referral: {
                  ...base.referral,
                  pupil: {
                    ...base.referral.pupil,
                    name: {
                      givenName: spec.givenName,
                      familyName: spec.familyName,
                      ...(spec.prefix === undefined ? {} : { prefix: spec.prefix }),
                    },
                    birthDate: day(spec.birthDate ?? "2012-01-01"),
                    ...(spec.bsn === undefined
                      ? {}
                      : { personNumber: { _tag: "bsn" as const, value: spec.bsn } }),
                  },
                },
              } as typeof base
              const created = yield* store.create({ referral, regions: [spec.region ?? WESTLAND] })
              ids.set(`${spec.givenName} ${spec.familyName}`, created.state.id)
            }),
          { discard: true },
        ),
      )
    })

    const search = (criteria: PupilCriteria, regions = [WESTLAND], limit = 50) =>
      suite.run(
        Effect.flatMap(CaseQueries, (q) =>
          Effect.gen(function* () {
            const found: Array<Case.CaseState> = []
            let cursor: string | undefined
            for (let i = 0; i < 20; i++) {
              const page = yield* q.pupilSearch({ regions }, criteria, { limit, cursor })
              found.push(...page.items)
              if (page.nextCursor === null) break
              cursor = page.nextCursor
            }
            return found.map((s) => Pupil.displayName(s.referral.pupil.name))
          }),
        ),
      )

    it("finds by part of the name, whatever the case or accents, newest first", async () => {
      expect(await search({ name: "BERG" })).toEqual([
        "Kind4 Vandenberg",
        "Kind3 Vandenberg",
        "Kind2 Vandenberg",
        "Kind1 Vandenberg",
        "Kind0 Vandenberg",
        "Anna Bergman",
        "Piet van der Berg",
      ])
      expect(await search({ name: "ozlem celik" })).toEqual(["Özlem Çelik"])
      expect(await search({ name: "van der berg" })).toEqual(["Piet van der Berg"])
      expect(await search({ name: "Berg, Piet" })).toEqual(["Piet van der Berg"])
    })

    it("pages are full and the last says so", async () => {
      expect(await search({ name: "berg" }, [WESTLAND], 2)).toHaveLength(7)
      const first = await suite.run(
        Effect.flatMap(CaseQueries, (q) =>
          q.pupilSearch({ regions: [WESTLAND] }, { name: "berg" }, { limit: 7 }),
        ),
      )
      expect(first.items).toHaveLength(7)
      expect(first.nextCursor).toBeNull()
    })

    it("finds by birth date and by BSN; criteria combine", async () => {
      expect(await search({ birthDate: day("2013-07-08") })).toEqual(["Anna Bergman", "Piet van der Berg"])
      expect(await search({ personNumber: "123456782" })).toEqual(["Anna Bergman"])
      expect(await search({ birthDate: day("2013-07-08"), name: "piet" })).toEqual(["Piet van der Berg"])
      expect(await search({ birthDate: day("2012-03-04"), personNumber: "123456782" })).toEqual([])
    })

    it("reads a case anew once it changed (the decoded states it keeps are per version)", async () => {
      const caseId = ids.get("Anna Bergman") as Ids.CaseId
      const statusOf = () =>
        suite.run(
          Effect.flatMap(CaseQueries, (q) =>
            Effect.map(q.pupilSearch({ regions: [WESTLAND] }, { personNumber: "123456782" }), (p) =>
              p.items.map((s) => [s.version, s.status]),
            ),
          ),
        )
      expect(await statusOf()).toEqual([[1, "aangemeld"]])
      await suite.run(
        Effect.flatMap(CaseStore, (store) =>
          store.append({
            caseId,
            expectedVersion: 1,
            events: [statusChanged(later(T0, 100), "aangemeld", "in-behandeling")],
            regions: [WESTLAND],
          }),
        ),
      )
      expect(await statusOf()).toEqual([[2, "in-behandeling"]])
    })

    it("never finds a pupil of another region", async () => {
      expect(await search({ name: "pieter" })).toEqual([])
      expect(await search({ name: "pieter" }, [LV])).toEqual(["Pieter Berg"])
      expect(await search({ name: "berg" }, [WESTLAND, LV])).toHaveLength(8)
    })
  })
})

it("a name matches loosely, in either order", () => {
  const state = {
    referral: {
      pupil: { name: { givenName: "Ökkeş", prefix: "van", familyName: "Dijk" }, birthDate: "2012-01-01" },
    },
  } as unknown as Case.CaseState
  const matches = (name: string) => pupilMatches(state, { name })
  expect(matches("okkes")).toBe(true)
  expect(matches("  ÖKKEŞ   van dijk ")).toBe(true)
  expect(matches("Dijk, Ökkeş")).toBe(true)
  expect(matches("jansen")).toBe(false)
})
