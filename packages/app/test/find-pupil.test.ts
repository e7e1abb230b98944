import { describe, expect, it } from "@effect/vitest"
import { Errors, Ids, LocalDate, Timestamp } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { AuditLog, CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"
import * as Access from "../src/Access.js"
import * as Cases from "../src/Cases.js"
import * as CurrentPrincipal from "../src/CurrentPrincipal.js"

import { callerFor, REGION, TestLayer, TODAY } from "./support/westland.js"

/** A case of a pupil, written to the store directly (the other region runs no plug-in here). */
const caseOf = (
  regionId: string,
  pupil: { givenName: string; familyName: string; birthDate: string; bsn: string },
  openedOn: string,
) =>
  Effect.gen(function* () {
    const store = yield* CaseStore.CaseStore
    const base = Fixtures.referralReceived(
      westland,
      Fixtures.referralFor(westland, { on: TODAY }),
      Timestamp.Timestamp.make(`${openedOn}T08:00:00.000Z`),
    )
    const referral = {
      ...base,
      referral: {
        ...base.referral,
        id: Ids.newId.referral(),
        regionId: Ids.RegionId.make(regionId),
        pupil: {
          ...base.referral.pupil,
          id: Ids.newId.pupil(),
          name: { givenName: pupil.givenName, familyName: pupil.familyName },
          birthDate: LocalDate.make(pupil.birthDate),
          personNumber: { _tag: "bsn" as const, value: pupil.bsn },
        },
      },
    } as typeof base
    const created = yield* store.create({ referral, regions: [Ids.RegionId.make(regionId)] })
    return created.state.id
  })

const OZLEM = { givenName: "Özlem", familyName: "Çelik", birthDate: "2013-04-05", bsn: "111222333" }

describe("Cases.findPupil and Cases.workList", () => {
  it.layer(TestLayer)((it) => {
    it.effect(
      "finds a pupil of the caller's region by name, birth date or BSN; never one of another region",
      () =>
        Effect.gen(function* () {
          const own = yield* caseOf(REGION, OZLEM, "2026-10-01")
          yield* caseOf("leidschendam-voorburg", OZLEM, "2026-10-02")
          const worker = yield* callerFor(["case-worker"], [REGION], "web")
          const find = (search: Cases.PupilSearch) =>
            Cases.findPupil(search).pipe(
              CurrentPrincipal.provide(worker),
              Effect.map((page) => page.items.map((row) => [row.caseId, row.pupil.name])),
            )
          expect(yield* find({ name: "celik" })).toEqual([[own, "Özlem Çelik"]])
          expect(yield* find({ personNumber: "1112.22.333" })).toEqual([[own, "Özlem Çelik"]])
          expect(yield* find({ birthDate: "2013-04-05" })).toEqual([[own, "Özlem Çelik"]])
          expect(yield* find({ name: "jansen", birthDate: "2013-04-05" })).toEqual([])

          // The caller of the other region alone finds the other case, and only that one.
          const other = yield* callerFor(["case-worker"], ["leidschendam-voorburg"], "web")
          const elsewhere = yield* Cases.findPupil({ name: "özlem" }).pipe(CurrentPrincipal.provide(other))
          expect(elsewhere.items).toEqual([])
        }),
    )

    it.effect("audits the search with the fields used, never what was typed", () =>
      Effect.gen(function* () {
        yield* caseOf(REGION, { ...OZLEM, givenName: "Zeynep" }, "2026-10-03")
        const worker = yield* callerFor(["coordinator"], [REGION], "web")
        yield* Cases.findPupil({
          name: "Zeynep Çelik",
          personNumber: "111222333",
          birthDate: "2013-04-05",
        }).pipe(CurrentPrincipal.provide(worker))
        const audit = yield* AuditLog.AuditLog
        const records = yield* audit.list({ requestId: worker.requestId })
        expect(records.items.map((r) => [r.action, r.recordType, r.context, r.regionId])).toEqual([
          ["search", "case", "web.case.search:zoeken:naam/geboortedatum/persoonsnummer", REGION],
        ])
        const text = JSON.stringify(records.items).toLowerCase()
        for (const typed of ["zeynep", "çelik", "celik", "111222333", "2013-04-05"])
          expect(text).not.toContain(typed)
      }),
    )

    it.effect("refuses a referrer (403) and an empty or malformed question (422)", () =>
      Effect.gen(function* () {
        const referrer = yield* callerFor(["referrer"], [REGION], "web")
        const refused = yield* Effect.flip(
          Cases.findPupil({ name: "celik" }).pipe(CurrentPrincipal.provide(referrer)),
        )
        expect(refused).toBeInstanceOf(Access.Forbidden)
        const worker = yield* callerFor(["case-worker"], [REGION], "web")
        const empty = yield* Effect.flip(
          Cases.findPupil({ name: " " }).pipe(CurrentPrincipal.provide(worker)),
        )
        expect(empty).toBeInstanceOf(Errors.ValidationError)
        const malformed = yield* Effect.flip(
          Cases.findPupil({ personNumber: "12", birthDate: "2013-02-30" }).pipe(
            CurrentPrincipal.provide(worker),
          ),
        )
        expect((malformed as Errors.ValidationError).issues.map((i) => i.path)).toEqual([
          "birthDate",
          "personNumber",
        ])
      }),
    )

    it.effect("the werkvoorraad: the region's open cases by urgency or newest first, paged, filtered", () =>
      Effect.gen(function* () {
        const worker = yield* callerFor(["case-worker"], [REGION], "web")
        const all = yield* Cases.workList({ limit: 500 }).pipe(CurrentPrincipal.provide(worker))
        expect(all.items.every((row) => row.regionId === REGION)).toBe(true)
        const keys = all.items.map((row) => row.nextDeadline?.dueOn ?? "9999-12-31")
        expect(keys).toEqual([...keys].sort())
        const newest = yield* Cases.workList({ sort: "nieuwste", limit: 500 }).pipe(
          CurrentPrincipal.provide(worker),
        )
        const opened = newest.items.map((row) => row.openedAt)
        expect(opened).toEqual([...opened].sort().reverse())
        // Paged one by one: the same rows in the same order.
        const paged: Array<string> = []
        let cursor: string | undefined
        do {
          const page = yield* Cases.workList({ limit: 1, cursor }).pipe(CurrentPrincipal.provide(worker))
          paged.push(...page.items.map((row) => row.caseId))
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
        expect(paged).toEqual(all.items.map((row) => row.caseId))
        expect(all.choices.statuses.length).toBeGreaterThan(0)
        const mine = yield* Cases.workList({ mine: true }).pipe(CurrentPrincipal.provide(worker))
        expect(mine.items).toEqual([])
        const bad = yield* Effect.flip(
          Cases.workList({ cursor: "bogus" }).pipe(CurrentPrincipal.provide(worker)),
        )
        expect(bad._tag).toBe("InvalidCursor")
      }),
    )
  })
})
