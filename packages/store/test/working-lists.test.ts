/**
 * The region's working lists (thuiszitters, Thuiszitterspact risks) follow the exemption and leave
 * rules of the Leerplichtwet 1969 (art. 5, 6, 11, 15) exactly as the case page does: the domain's
 * `CaseSignals`, applied while paging, so pages stay full however many excused pupils sit between
 * the listed ones.
 */
import { type Case, type CaseEvent, CaseSignals, Ids } from "@verzuimregie/domain"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { CaseQueries, type ScanOptions } from "../src/CaseQueries.js"
import { CaseStore } from "../src/CaseStore.js"
import type { Page, PageRequest } from "../src/Pagination.js"
import { BACKENDS, skip, useStore } from "./support/backends.js"
import {
  attendance,
  closed,
  day,
  later,
  referralReceived,
  ts,
  WESTLAND,
  WORKER,
} from "./support/factories.js"

/** The peildatum: a Monday in school year 2026/27. The pupils (born 2012-05-01) are leerplichtig. */
const ON = day("2026-11-16")
const T0 = ts("2026-11-02T08:00:00.000Z")
const W = { regions: [WESTLAND] }

type Situation = "thuiszittend" | "niet-ingeschreven"

interface Pupil {
  readonly name: string
  readonly situation: Situation
  readonly since: string
  readonly exemption?: { grond: "5a" | "5b" | "15"; from: string; until?: string; permanent?: boolean }
  /** Art. 11 onder d (illness): excuses attendance by law, never not being enrolled. */
  readonly illness?: { from: string; to: string }
  readonly close?: boolean
}

/** The cases the assertions name. */
const NAMED: ReadonlyArray<Pupil> = [
  // A running art. 5 vrijstelling excuses both duties: not listed, though at home for months.
  {
    name: "running-5b",
    situation: "thuiszittend",
    since: "2026-02-02",
    exemption: { grond: "5b", from: "2026-09-01" },
  },
  {
    name: "running-5a-permanent",
    situation: "niet-ingeschreven",
    since: "2026-03-02",
    exemption: { grond: "5a", from: "2024-09-01", permanent: true },
  },
  // Expired on 2026-10-01: the count restarts on 2026-10-02 (day 46 on ON: 2a, not 2b).
  {
    name: "expired-restart",
    situation: "thuiszittend",
    since: "2026-03-03",
    exemption: { grond: "5b", from: "2026-09-01", until: "2026-10-01" },
  },
  // Expired on 2026-11-01: restarted on day 15, so no thuiszitter (yet), though home since March.
  {
    name: "expired-recent",
    situation: "thuiszittend",
    since: "2026-03-04",
    exemption: { grond: "5b", from: "2026-09-01", until: "2026-11-01" },
  },
  // Art. 5 for 2025/26 only (art. 6: renewed yearly, not renewed): ended 2026-07-31.
  {
    name: "expired-school-year",
    situation: "thuiszittend",
    since: "2025-10-01",
    exemption: { grond: "5a", from: "2025-09-01" },
  },
  // Leave (art. 11) for a pupil who is not enrolled: still absoluut verzuim, and the pact runs on.
  {
    name: "leave-not-enrolled",
    situation: "niet-ingeschreven",
    since: "2026-06-01",
    illness: { from: "2026-11-09", to: "2026-11-20" },
  },
  // The same leave for an enrolled pupil excuses attendance on ON.
  {
    name: "leave-enrolled",
    situation: "thuiszittend",
    since: "2026-06-02",
    illness: { from: "2026-11-09", to: "2026-11-20" },
  },
  // Art. 15 excuses only a kwalificatieplichtige: absoluut verzuim of a leerplichtige.
  {
    name: "art15-leerplichtig",
    situation: "niet-ingeschreven",
    since: "2026-10-01",
    exemption: { grond: "15", from: "2026-09-01" },
  },
  // Not enrolled: absoluut verzuim from the first day (category 1), no 4 weeks needed.
  { name: "not-enrolled-recent", situation: "niet-ingeschreven", since: "2026-11-10" },
  { name: "plain-2b", situation: "thuiszittend", since: "2026-05-04" },
  { name: "closed", situation: "thuiszittend", since: "2026-01-05", close: true },
]

/**
 * Many excused pupils between the listed ones, in the lists' order: naive filtering after paging
 * would give short and empty pages.
 */
const INTERLEAVED: ReadonlyArray<Pupil> = Array.from({ length: 48 }, (_, i): Pupil => {
  const since = new Date(Date.UTC(2026, 0, 6 + 6 * i)).toISOString().slice(0, 10)
  return i % 6 === 0
    ? { name: `listed-${i}`, situation: i % 12 === 0 ? "niet-ingeschreven" : "thuiszittend", since }
    : {
        name: `excused-${i}`,
        situation: i % 3 === 0 ? "niet-ingeschreven" : "thuiszittend",
        since,
        exemption: { grond: i % 2 ? "5b" : "5a", from: "2026-09-01" },
      }
})

const eventsOf = (p: Pupil, at: CaseEvent.CaseEvent["at"]): Array<CaseEvent.CaseEvent> => {
  let minute = 1
  const next = () => later(at, minute++)
  const events: Array<CaseEvent.CaseEvent> = [attendance(next(), p.situation, p.since)]
  if (p.exemption !== undefined) {
    const { grond, from, until, permanent } = p.exemption
    events.push({
      _tag: "ExemptionRecorded",
      at: next(),
      by: WORKER,
      vrijstelling: {
        grond,
        from: day(from),
        ...(until === undefined ? {} : { until: day(until) }),
        ...(permanent === undefined ? {} : { permanent }),
      },
    })
  }
  if (p.illness !== undefined) {
    events.push({
      _tag: "LeaveRequested",
      at: next(),
      by: WORKER,
      request: {
        id: Ids.newId.leave(),
        grond: "11-ziekte",
        from: day(p.illness.from),
        to: day(p.illness.to),
        requestedOn: day(p.illness.from),
      },
    })
  }
  if (p.close === true) events.push(closed(next()))
  return events
}

const bySortKey = (a: Case.CaseState, b: Case.CaseState) =>
  (a.attendance?.since ?? "").localeCompare(b.attendance?.since ?? "") || a.id.localeCompare(b.id)

describe.each(BACKENDS)("working lists follow the exemption and leave rules on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    const states = new Map<string, Case.CaseState>()
    const nameOf = new Map<string, string>()

    beforeAll(async () => {
      if (skip(backend)) return
      const pupils = [...NAMED, ...INTERLEAVED]
      await suite.run(
        Effect.forEach(
          pupils,
          (p, i) =>
            Effect.gen(function* () {
              const at = later(T0, i * 10)
              const referral = referralReceived({ at })
              const created = yield* Effect.flatMap(CaseStore, (store) =>
                store.create({ referral, events: eventsOf(p, at), regions: [WESTLAND] }),
              )
              states.set(p.name, created.state)
              nameOf.set(created.state.id, p.name)
            }),
          { discard: true },
        ),
      )
    })

    /** Every page of a list, with the size of each. */
    const pages = async <A>(
      fetch: (page: PageRequest) => Effect.Effect<Page<A>, unknown, CaseQueries>,
      limit: number,
    ) => {
      const sizes: Array<number> = []
      const items: Array<A> = []
      let cursor: string | undefined
      for (let i = 0; i < 500; i++) {
        const page = await suite.run(fetch({ limit, cursor }))
        sizes.push(page.items.length)
        items.push(...page.items)
        if (page.nextCursor === null) return { sizes, items }
        cursor = page.nextCursor
      }
      throw new Error("no last page")
    }

    const open = () => [...states.values()].filter((s) => s.closed === undefined).sort(bySortKey)

    /** The domain's answer, computed directly from the states. */
    const expectedThuiszitters = () =>
      open().flatMap((state) => {
        const t = CaseSignals.thuiszitterOn(state, ON)
        return t === undefined ? [] : [[nameOf.get(state.id), t.categorie, t.since]]
      })
    const expectedPact = () =>
      open().flatMap((state) => {
        const p = CaseSignals.pactOn(state, ON)
        return p === undefined || p.status === "ok" ? [] : [[nameOf.get(state.id), p.status, p.countsFrom]]
      })

    const thuiszitters = (limit: number, scan?: ScanOptions) =>
      pages((page) => Effect.flatMap(CaseQueries, (q) => q.thuiszitters(W, { on: ON, scan }, page)), limit)
    const pactRisks = (limit: number, scan?: ScanOptions) =>
      pages((page) => Effect.flatMap(CaseQueries, (q) => q.pactRisks(W, { on: ON, scan }, page)), limit)

    it("lists thuiszitters as the case page judges them: excused pupils out, an expired vrijstelling restarts the count", async () => {
      const { items } = await thuiszitters(50)
      const listed = new Map(items.map((i) => [nameOf.get(i.state.id), i]))
      for (const excused of [
        "running-5b",
        "running-5a-permanent",
        "expired-recent",
        "leave-enrolled",
        "closed",
      ])
        expect(listed.has(excused), excused).toBe(false)
      expect(listed.get("expired-restart")).toMatchObject({
        categorie: "2a",
        since: "2026-10-02",
        daysAtHome: 46,
      })
      expect(listed.get("expired-school-year")).toMatchObject({ categorie: "2b", since: "2026-08-01" })
      expect(listed.get("leave-not-enrolled")).toMatchObject({ categorie: "1", since: "2026-06-01" })
      expect(listed.get("art15-leerplichtig")).toMatchObject({ categorie: "1", since: "2026-10-01" })
      expect(listed.get("not-enrolled-recent")).toMatchObject({
        categorie: "1",
        since: "2026-11-10",
        daysAtHome: 7,
      })
      expect(listed.get("plain-2b")).toMatchObject({ categorie: "2b", since: "2026-05-04" })
      expect(items.every((i) => i.categorie === CaseSignals.categoryOn(i.state, ON))).toBe(true)
      expect(items.map((i) => [nameOf.get(i.state.id), i.categorie, i.since])).toEqual(expectedThuiszitters())
    })

    it("lists Thuiszitterspact risks as the case page judges them", async () => {
      const { items } = await pactRisks(50)
      const listed = new Map(items.map((i) => [nameOf.get(i.state.id), i]))
      for (const notAtRisk of [
        "running-5b",
        "running-5a-permanent",
        "expired-restart",
        "expired-recent",
        "leave-enrolled",
      ])
        expect(listed.has(notAtRisk), notAtRisk).toBe(false)
      // Leave does not stop the clock of a pupil who is not enrolled: 3 months from 2026-06-01.
      expect(listed.get("leave-not-enrolled")).toMatchObject({ since: "2026-06-01" })
      expect(listed.get("leave-not-enrolled")?.pact).toMatchObject({
        status: "alarm",
        limitDate: "2026-09-01",
      })
      expect(listed.get("expired-school-year")?.pact).toMatchObject({
        status: "alarm",
        countsFrom: "2026-08-01",
        limitDate: "2026-11-01",
      })
      expect(items.map((i) => [nameOf.get(i.state.id), i.pact.status, i.since])).toEqual(expectedPact())
    })

    it("keeps every page but the last full, the union the domain's answer, for every page size", async () => {
      // The interleaved excused pupils are many: more than a page between two listed ones.
      expect(INTERLEAVED.filter((p) => p.exemption !== undefined).length).toBeGreaterThan(30)
      for (const limit of [1, 2, 3, 7]) {
        for (const [list, expected] of [
          [await thuiszitters(limit), expectedThuiszitters()],
          [await pactRisks(limit), expectedPact()],
        ] as const) {
          const { sizes, items } = list
          expect(
            sizes.slice(0, -1).every((n) => n === limit),
            `${limit}: ${sizes}`,
          ).toBe(true)
          expect(sizes.at(-1)).toBeGreaterThan(0)
          expect(items.length).toBe(expected.length)
          expect(items.map((i) => nameOf.get(i.state.id))).toEqual(expected.map(([name]) => name))
        }
      }
    })

    it("examines a bounded number of rows per request, and goes on from where it stopped", async () => {
      // Past the bound a page may be short (even empty), its cursor at the last row examined.
      const bounded = await thuiszitters(3, { maxExamined: 2, batch: 1 })
      expect(bounded.sizes.every((n) => n <= 2)).toBe(true)
      expect(bounded.sizes.slice(0, -1).some((n) => n === 0)).toBe(true)
      expect(bounded.sizes.length).toBeGreaterThan(expectedThuiszitters().length)
      expect(bounded.items.map((i) => nameOf.get(i.state.id))).toEqual(expectedThuiszitters().map(([n]) => n))
      const pact = await pactRisks(3, { maxExamined: 5, batch: 2 })
      expect(pact.items.map((i) => nameOf.get(i.state.id))).toEqual(expectedPact().map(([n]) => n))
    })
  })
})
