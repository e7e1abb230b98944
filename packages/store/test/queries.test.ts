import { type Case, type CaseEvent, LocalDate, Thuiszitterspact } from "@verzuimregie/domain"
import { Effect, Exit } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { AuditLog } from "../src/AuditLog.js"
import { CaseQueries, latestStartBefore } from "../src/CaseQueries.js"
import { CaseStore } from "../src/CaseStore.js"
import { Database } from "../src/Database.js"
import * as Migrations from "../src/Migrations.js"
import type { Page, PageRequest } from "../src/Pagination.js"
import { BACKENDS, skip, useStore } from "./support/backends.js"
import {
  actionAssigned,
  assignRegiehouder,
  attendance,
  auditEntry,
  closed,
  day,
  LV,
  later,
  orgId,
  referralReceived,
  staff,
  statusChanged,
  ts,
  userId,
  WESTLAND,
} from "./support/factories.js"

const T0 = ts("2026-01-05T08:00:00.000Z")
const ON = day("2026-06-01")
const W = { regions: [WESTLAND] }

interface Spec {
  readonly region?: typeof WESTLAND
  readonly school?: string
  readonly referrer?: string
  readonly regiehouder?: string
  readonly status?: string
  readonly home?: {
    situation: "thuiszittend" | "niet-ingeschreven" | "naar-school"
    since: string
    offer?: boolean
  }
  readonly actions?: ReadonlyArray<{ due: string; owner?: string }>
  readonly close?: boolean
}

describe.each(BACKENDS)("CaseQueries on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    const made: Array<{ spec: Spec; state: Case.CaseState }> = []

    const make = (spec: Spec, index: number) =>
      Effect.gen(function* () {
        const store = yield* CaseStore
        const at = later(T0, index * 60)
        const events: Array<CaseEvent.CaseEvent> = []
        let minute = 1
        const next = () => later(at, minute++)
        if (spec.regiehouder !== undefined) events.push(assignRegiehouder(next(), staff(spec.regiehouder)))
        if (spec.status !== undefined) events.push(statusChanged(next(), "aangemeld", spec.status))
        if (spec.home !== undefined) {
          events.push(attendance(next(), spec.home.situation, spec.home.since, spec.home.offer ?? false))
        }
        for (const action of spec.actions ?? []) {
          events.push(
            actionAssigned(
              next(),
              action.due,
              action.owner === undefined ? {} : { owner: staff(action.owner) },
            ),
          )
        }
        if (spec.close === true) events.push(closed(next()))
        const referral = referralReceived({
          at,
          regionId: spec.region ?? WESTLAND,
          school: orgId(spec.school ?? "school1"),
          referrer: orgId(spec.referrer ?? "school1"),
        })
        const result = yield* store.create({ referral, events, regions: [spec.region ?? WESTLAND] })
        made.push({ spec, state: result.state })
      })

    // Pact thresholds around ON: the 3-month limit date of `since` is addMonths(since, 3).
    const sinces = [
      "2026-01-15",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
      "2026-03-16",
      "2026-03-17",
      "2026-03-18",
      "2026-04-01",
      "2026-05-04",
      "2026-05-05",
    ]
    const specs: ReadonlyArray<Spec> = [
      {
        school: "school1",
        regiehouder: "anna",
        status: "in-behandeling",
        actions: [{ due: "2026-05-20", owner: "anna" }],
      },
      { school: "school2", regiehouder: "bram", actions: [{ due: "2026-05-25" }, { due: "2026-06-10" }] },
      { school: "school2", referrer: "leerplicht", close: true },
      { region: LV, school: "school1", regiehouder: "anna", actions: [{ due: "2026-05-01" }] },
      { region: LV, home: { situation: "thuiszittend", since: "2026-01-10" } },
      ...sinces.map(
        (since, i): Spec => ({
          school: i % 2 === 0 ? "school3" : "school1",
          home: { situation: i % 3 === 0 ? "niet-ingeschreven" : "thuiszittend", since },
        }),
      ),
      { home: { situation: "thuiszittend", since: "2026-01-20", offer: true } },
      { home: { situation: "naar-school", since: "2026-01-20" } },
      { home: { situation: "thuiszittend", since: "2026-01-20" }, close: true },
      ...Array.from(
        { length: 7 },
        (_, i): Spec => ({ referrer: "leerplicht", regiehouder: i % 2 ? "anna" : "bram" }),
      ),
    ]

    beforeAll(async () => {
      if (skip(backend)) return
      await suite.run(Effect.forEach(specs, make, { discard: true }))
    })

    const all = async <A>(
      fetch: (page: PageRequest) => Effect.Effect<Page<A>, unknown, CaseQueries>,
      limit = 3,
    ) => {
      const items: Array<A> = []
      let cursor: string | undefined
      for (let i = 0; i < 100; i++) {
        const page = await suite.run(Effect.flatMap(CaseQueries, () => fetch({ limit, cursor })))
        items.push(...page.items)
        if (page.nextCursor === null) return items
        cursor = page.nextCursor
      }
      throw new Error("no last page")
    }

    const expectedCases = (predicate: (m: (typeof made)[number]) => boolean) =>
      made
        .filter(predicate)
        .map((m) => m.state)
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt) || b.id.localeCompare(a.id))
        .map((s) => s.id)

    const inW = (m: (typeof made)[number]) => m.state.regionId === WESTLAND

    it("lists the cases of the caller's regions only, newest first, across pages", async () => {
      const paged = await all((page) => Effect.flatMap(CaseQueries, (q) => q.cases(W, {}, page)))
      expect(paged.map((s) => s.id)).toEqual(expectedCases(inW))
      expect(new Set(paged.map((s) => s.id)).size).toBe(paged.length)
      const both = await all((page) =>
        Effect.flatMap(CaseQueries, (q) => q.cases({ regions: [WESTLAND, LV] }, {}, page)),
      )
      expect(both.map((s) => s.id)).toEqual(expectedCases(() => true))
      const lv = await all((page) => Effect.flatMap(CaseQueries, (q) => q.cases({ regions: [LV] }, {}, page)))
      expect(lv.every((s) => s.regionId === LV)).toBe(true)
      expect(lv).toHaveLength(2)
    })

    it("filters on status, regiehouder, school, referrer, open/closed and dates", async () => {
      const ids = (filter: Parameters<CaseQueries["cases"]>[1]) =>
        all((page) => Effect.flatMap(CaseQueries, (q) => q.cases(W, filter, page))).then((r) =>
          r.map((s) => s.id),
        )
      expect(await ids({ status: ["in-behandeling"] })).toEqual(
        expectedCases((m) => inW(m) && m.state.status === "in-behandeling"),
      )
      expect(await ids({ regiehouder: userId("anna") })).toEqual(
        expectedCases((m) => inW(m) && m.spec.regiehouder === "anna"),
      )
      expect(await ids({ school: orgId("school2") })).toEqual(
        expectedCases((m) => inW(m) && m.spec.school === "school2"),
      )
      expect(await ids({ referrer: orgId("leerplicht") })).toEqual(
        expectedCases((m) => inW(m) && m.spec.referrer === "leerplicht"),
      )
      expect(await ids({ open: false })).toEqual(expectedCases((m) => inW(m) && m.spec.close === true))
      expect(await ids({ open: true })).toHaveLength(
        made.filter((m) => inW(m) && m.spec.close !== true).length,
      )
      const from = later(T0, 5 * 60)
      const to = later(T0, 9 * 60)
      expect(await ids({ openedAt: { from, to } })).toEqual(
        expectedCases((m) => inW(m) && m.state.openedAt >= from && m.state.openedAt < to),
      )
      expect(await ids({ lastEventAt: { from } })).toEqual(
        expectedCases((m) => inW(m) && m.state.lastEventAt >= from),
      )
      const closedOn = made.find((m) => m.spec.close === true)?.state.closed?.on
      expect(closedOn).toBeDefined()
      expect(await ids({ closedOn: { from: closedOn, to: closedOn } })).toEqual(
        expectedCases((m) => inW(m) && m.state.closed?.on === closedOn),
      )
    })

    it("counts the cases per status with the same filter, of the caller's regions only, audited", async () => {
      const expected = new Map<string, number>()
      for (const m of made.filter((m) => inW(m) && m.spec.close !== true))
        expected.set(m.state.status, (expected.get(m.state.status) ?? 0) + 1)
      const entry = auditEntry({ action: "search", purpose: "casusregie", regionId: WESTLAND })
      const counted = await suite.run(
        Effect.flatMap(CaseQueries, (q) => q.statusCounts({ ...W, audit: entry }, { open: true })),
      )
      expect(new Map(counted.map((c) => [c.status, c.count]))).toEqual(expected)
      expect(counted.every((c) => typeof c.count === "number")).toBe(true)
      const logged = await suite.run(Effect.flatMap(AuditLog, (a) => a.list({ requestId: entry.requestId })))
      expect(logged.items.map((r) => r.action)).toEqual(["search"])
      const lv = await suite.run(Effect.flatMap(CaseQueries, (q) => q.statusCounts({ regions: [LV] })))
      expect(lv.reduce((sum, c) => sum + c.count, 0)).toBe(2)
    })

    it("lists open actions due before a date, earliest first, optionally per owner", async () => {
      const before = day("2026-06-01")
      const items = await all(
        (page) => Effect.flatMap(CaseQueries, (q) => q.openActionsDue(W, { before }, page)),
        1,
      )
      expect(items.map((i) => i.action.dueOn)).toEqual(["2026-05-20", "2026-05-25"])
      expect(items.every((i) => i.regionId === WESTLAND)).toBe(true)
      const anna = await suite.run(
        Effect.flatMap(CaseQueries, (q) =>
          q.openActionsDue({ regions: [WESTLAND, LV] }, { before, owner: userId("anna") }),
        ),
      )
      expect(anna.items.map((i) => i.action.dueOn)).toEqual(["2026-05-20"])
    })

    it("lists thuiszitters: more than 4 weeks at home, or not enrolled (absoluut verzuim, from day 1), open cases only", async () => {
      const items = await all((page) =>
        Effect.flatMap(CaseQueries, (q) => q.thuiszitters(W, { on: ON }, page)),
      )
      const limit = LocalDate.addDays(ON, -28) // day 29 of the absence is "more than 4 weeks"
      const expected = made
        .filter(
          (m) =>
            inW(m) &&
            m.spec.close !== true &&
            m.spec.home !== undefined &&
            m.spec.home.situation !== "naar-school" &&
            (m.spec.home.situation === "niet-ingeschreven" || m.spec.home.since <= limit),
        )
        .map((m) => m.state.id)
      expect(new Set(items.map((i) => i.state.id))).toEqual(new Set(expected))
      expect(items.map((i) => i.since)).toEqual([...items.map((i) => i.since)].sort())
      expect(items.every((i) => i.daysAtHome > 28 || i.categorie === "1")).toBe(true)
      // "2026-05-04" is day 29 on ON, "2026-05-05" day 28: enrolled, it is no thuiszitter yet;
      // not enrolled, it is absoluut verzuim (Leerplichtwet 1969 art. 2 lid 1) from the first day.
      const on = (since: string) =>
        items.filter((i) => i.since === since).map((i) => [i.situation, i.categorie])
      expect(on("2026-05-04")).toEqual([["thuiszittend", "2a"]])
      expect(on("2026-05-05")).toEqual([["niet-ingeschreven", "1"]])
    })

    it("lists Thuiszitterspact risks exactly as the domain rule judges them", async () => {
      for (const pact of [{}, { warningDays: 0 }, { limitMonths: 2, warningDays: 30 }]) {
        const items = await all((page) =>
          Effect.flatMap(CaseQueries, (q) => q.pactRisks(W, { on: ON, pact }, page)),
        )
        const expected = made
          .filter(
            (m) =>
              inW(m) &&
              m.spec.close !== true &&
              m.spec.home !== undefined &&
              m.spec.home.situation !== "naar-school" &&
              m.spec.home.offer !== true &&
              Thuiszitterspact.thuiszitterspactStatus({ since: day(m.spec.home.since) }, ON, pact).status !==
                "ok",
          )
          .map((m) => m.state.id)
        expect(new Set(items.map((i) => i.state.id))).toEqual(new Set(expected))
        expect(items.every((i) => i.pact.status !== "ok")).toBe(true)
        // The boundaries matter: some pupils at home are not (yet) at risk.
        expect(expected.length).toBeGreaterThan(0)
        expect(expected.length).toBeLessThan(sinces.length)
      }
    })

    it("inverts addMonths exactly at month ends", () => {
      for (const date of ["2026-02-28", "2026-03-31", "2026-05-30", "2026-05-31", "2024-02-29"].map(day)) {
        for (const months of [1, 3, 6]) {
          const latest = latestStartBefore(date, months)
          expect(LocalDate.addMonths(latest, months) <= date).toBe(true)
          expect(LocalDate.addMonths(LocalDate.addDays(latest, 1), months) > date).toBe(true)
        }
      }
    })

    it("lists referrals by referrer with their case status", async () => {
      const items = await all((page) =>
        Effect.flatMap(CaseQueries, (q) => q.referralsByReferrer(W, orgId("leerplicht"), page)),
      )
      expect(items.map((i) => i.caseId)).toEqual(
        expectedCases((m) => inW(m) && m.spec.referrer === "leerplicht"),
      )
      expect(items.every((i) => i.referral.referrer.organisationId === orgId("leerplicht"))).toBe(true)
      expect(items.filter((i) => i.closedOn !== undefined)).toHaveLength(1)
    })

    it("pages a referrer's own referrals in the query, also for rows from before migration 5", async () => {
      const school = orgId("school9")
      for (const [i, by] of ["anna", "bram", "anna", "anna", "bram"].entries()) {
        const referral = referralReceived({
          at: later(ts("2026-10-01T08:00:00.000Z"), i),
          referrer: school,
          submittedBy: userId(by),
        })
        await suite.run(
          Effect.flatMap(CaseStore, (store) => store.create({ referral, events: [], regions: [WESTLAND] })),
        )
      }
      const pagesOf = async (by: string) => {
        const sizes: Array<number> = []
        let cursor: string | undefined
        do {
          const page: Page<unknown> = await suite.run(
            Effect.flatMap(CaseQueries, (q) =>
              q.referralsByReferrer(W, school, { limit: 2, cursor }, { submittedBy: userId(by) }),
            ),
          )
          sizes.push(page.items.length)
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
        return sizes
      }
      expect(await pagesOf("anna")).toEqual([2, 1])
      expect(await pagesOf("bram")).toEqual([2])
      // Rows written before the column existed are filled by the migration from the stored state.
      const migration = Migrations.migrations.find((m) => m.name === "cases-submitted-by")!
      await suite.run(
        Effect.flatMap(Database, (db) =>
          Effect.zipRight(
            db.sql.unsafe("UPDATE cases SET submitted_by = NULL"),
            db.sql.unsafe((db.dialect === "pg" ? migration.pg : migration.sqlite)[1] as string),
          ),
        ),
      )
      expect(await pagesOf("anna")).toEqual([2, 1])
    })

    it("keeps pages stable while cases are added, and refuses foreign cursors", async () => {
      const first = await suite.run(Effect.flatMap(CaseQueries, (q) => q.cases(W, {}, { limit: 4 })))
      // A case newer than all others: with offsets it would shift every later page by one.
      await suite.run(make({}, 1000))
      const second = await suite.run(
        Effect.flatMap(CaseQueries, (q) =>
          q.cases(W, {}, { limit: 4, cursor: first.nextCursor ?? undefined }),
        ),
      )
      const seen = new Set(first.items.map((s) => s.id))
      expect(second.items.some((s) => seen.has(s.id))).toBe(false)
      expect(second.items[0]?.openedAt.localeCompare(first.items[3]?.openedAt ?? "")).toBeLessThan(0)

      const foreign = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseQueries, (q) =>
            q.thuiszitters(W, { on: ON }, { cursor: first.nextCursor ?? undefined }),
          ),
        ),
      )
      expect(foreign._tag).toBe("InvalidCursor")
      const garbage = await suite.run(
        Effect.flip(Effect.flatMap(CaseQueries, (q) => q.cases(W, {}, { cursor: "bm90IGEgY3Vyc29y" }))),
      )
      expect(garbage._tag).toBe("InvalidCursor")
    })

    it("refuses forged cursors of the right list with parts of the wrong type, on every backend", async () => {
      const forge = (parts: ReadonlyArray<unknown>) =>
        Buffer.from(JSON.stringify(parts)).toString("base64url")
      const forged = [
        forge(["cases", "x", "y"]),
        forge(["cases", "2026-02-30T08:00:00.000Z", "case_0123456789"]),
        forge(["cases", "0000-01-01T00:00:00.000Z", "case_0123456789"]),
        forge(["cases", 1, 2]),
        forge(["cases", "2026-11-16T08:00:00.000Z", "case\u0000x"]),
        forge(["cases", "2026-11-16T08:00:00.000Z", "\ud800"]),
        forge(["cases", "2026-11-16T08:00:00.000Z"]),
        "not base64 at all!",
        "A".repeat(2000),
      ]
      for (const cursor of forged) {
        const error = await suite.run(
          Effect.flip(Effect.flatMap(CaseQueries, (q) => q.cases(W, {}, { cursor }))),
        )
        expect(error._tag, cursor).toBe("InvalidCursor")
      }
      const dueForged = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseQueries, (q) =>
            q.openActionsDue(W, { before: ON }, { cursor: forge(["open-actions", "2026-13-01", "a", "b"]) }),
          ),
        ),
      )
      expect(dueForged._tag).toBe("InvalidCursor")
      const auditForged = await suite.run(
        Effect.flip(Effect.flatMap(AuditLog, (a) => a.list({}, { cursor: forge(["audit", "1; DROP"]) }))),
      )
      expect(auditForged._tag).toBe("InvalidCursor")
    })

    it("needs at least one region, and audits a search with the read", async () => {
      const exit = await suite.runtime.runPromiseExit(
        Effect.flatMap(CaseQueries, (q) => q.cases({ regions: [] })),
      )
      expect(Exit.isFailure(exit) && Exit.isInterrupted(exit) === false).toBe(true)
      const entry = auditEntry({ action: "search", purpose: "thuiszitterslijst", regionId: WESTLAND })
      await suite.run(Effect.flatMap(CaseQueries, (q) => q.thuiszitters({ ...W, audit: entry }, { on: ON })))
      const logged = await suite.run(Effect.flatMap(AuditLog, (a) => a.list({ requestId: entry.requestId })))
      expect(logged.items.map((r) => [r.action, r.purpose])).toEqual([["search", "thuiszitterslijst"]])
    })
  })
})
