/**
 * The region's working lists over HTTP agree with the case page: `GET /regions/{regionId}/thuiszitters`
 * and `/pact-risks` judge every pupil at home by the exemption and leave rules (Leerplichtwet 1969
 * art. 5, 6, 11, 15), exactly as `GET /cases/{caseId}` reports its category and pact status, and
 * page through many excused pupils with full pages. SQLite always, PostgreSQL with TEST_DATABASE_URL.
 */
import { type Case, type CaseEvent, CaseSignals, Ids, LocalDate, type Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, referrerOf, skipPg, startGateway, TODAY } from "./support/gateway.js"

const REGION = "westland"

interface Pupil {
  readonly name: string
  readonly situation: "thuiszittend" | "niet-ingeschreven"
  readonly since: string
  readonly exemption?: { grond: "5a" | "5b"; from: string; until?: string }
  /** Art. 11 onder d: excuses attendance by law, never not being enrolled. */
  readonly illness?: { from: string; to: string }
}

// TODAY is 2026-11-16, a Monday; the fixture pupils are 13, leerplichtig.
const NAMED: ReadonlyArray<Pupil> = [
  {
    name: "running-5b",
    situation: "thuiszittend",
    since: "2026-02-02",
    exemption: { grond: "5b", from: "2026-09-01" },
  },
  {
    name: "expired-restart",
    situation: "thuiszittend",
    since: "2026-03-03",
    exemption: { grond: "5b", from: "2026-09-01", until: "2026-10-01" },
  },
  {
    name: "leave-not-enrolled",
    situation: "niet-ingeschreven",
    since: "2026-06-01",
    illness: { from: "2026-11-09", to: "2026-11-20" },
  },
  {
    name: "leave-enrolled",
    situation: "thuiszittend",
    since: "2026-06-02",
    illness: { from: "2026-11-09", to: "2026-11-20" },
  },
]

/** Excused pupils in runs longer than a page between the listed ones. */
const INTERLEAVED: ReadonlyArray<Pupil> = Array.from({ length: 20 }, (_, i): Pupil => {
  const since = LocalDate.addDays(LocalDate.make("2026-01-05"), 11 * i)
  return i % 5 === 0
    ? { name: `listed-${i}`, situation: i % 10 === 0 ? "niet-ingeschreven" : "thuiszittend", since }
    : {
        name: `excused-${i}`,
        situation: "thuiszittend",
        since,
        exemption: { grond: "5a", from: "2026-09-01" },
      }
})

const eventsOf = (p: Pupil, by: Case.CaseState["referral"]["referrer"]): Array<CaseEvent.CaseEvent> => {
  let second = 0
  const meta = () => ({
    at: `2026-11-16T09:00:${String(second++).padStart(2, "0")}.000Z` as CaseEvent.CaseEvent["at"],
    by: { name: by.name, role: by.role, organisationId: by.organisationId },
  })
  const events: Array<CaseEvent.CaseEvent> = [
    {
      _tag: "AttendanceRecorded",
      ...meta(),
      situation: p.situation,
      since: LocalDate.make(p.since),
      fittingOffer: false,
    },
  ]
  if (p.exemption !== undefined) {
    const { grond, from, until } = p.exemption
    events.push({
      _tag: "ExemptionRecorded",
      ...meta(),
      vrijstelling: {
        grond,
        from: LocalDate.make(from),
        ...(until === undefined ? {} : { until: LocalDate.make(until) }),
      },
    })
  }
  if (p.illness !== undefined) {
    const { from, to } = p.illness
    events.push({
      _tag: "LeaveRequested",
      ...meta(),
      request: {
        id: Ids.newId.leave(),
        grond: "11-ziekte",
        from: LocalDate.make(from),
        to: LocalDate.make(to),
        requestedOn: LocalDate.make(from),
      },
    })
  }
  return events
}

describe.each(["sqlite", "pg"] as const)("working lists over HTTP on %s", (database) => {
  describe.skipIf(database === "pg" && skipPg())("", () => {
    let gateway: Gateway
    let token = ""
    const nameOf = new Map<string, string>()
    const states: Array<Case.CaseState> = []

    beforeAll(async () => {
      gateway = await startGateway({ database })
      const worker = await gateway.user(["case-worker"], [REGION], {
        organisation: "Lijstschool",
        partyRole: "coordinator-passend-onderwijs",
      })
      token = worker.token
      const plugin = gateway.config.regions.find((r) => r.region.id === REGION)!.plugin
      for (const p of [...NAMED, ...INTERLEAVED]) {
        const base = Fixtures.referralFor(plugin, { on: TODAY })
        const body = {
          ...base,
          regionId: REGION,
          referrer: referrerOf(worker),
        } as Referral.ReferralSubmission
        const created = await gateway.request("POST", "/referrals", { token, body })
        expect(created.status, created.text).toBe(201)
        const caseId = created.json.caseId as Ids.CaseId
        const appended = await gateway.runtime.runPromise(
          Effect.flatMap(CaseStore.CaseStore, (store) =>
            Effect.flatMap(store.get(caseId, { regions: [REGION as Ids.RegionId] }), (state) =>
              store.append({
                caseId,
                expectedVersion: state.version,
                events: eventsOf(p, state.referral.referrer),
                regions: [REGION as Ids.RegionId],
              }),
            ),
          ),
        )
        states.push(appended.state)
        nameOf.set(caseId, p.name)
      }
    })
    afterAll(async () => {
      await gateway?.close()
    })

    const walk = async (list: "thuiszitters" | "pact-risks", limit: number) => {
      const sizes: Array<number> = []
      // biome-ignore lint/suspicious/noExplicitAny: JSON items, read field by field
      const items: Array<any> = []
      let cursor: string | null = null
      do {
        const query: string = `limit=${limit}${cursor === null ? "" : `&cursor=${cursor}`}`
        const reply = await gateway.request("GET", `/regions/${REGION}/${list}?${query}`, { token })
        expect(reply.status, reply.text).toBe(200)
        sizes.push(reply.json.items.length)
        items.push(...reply.json.items)
        cursor = reply.json.nextCursor
      } while (cursor !== null && sizes.length < 200)
      return { sizes, items }
    }

    const region = () => gateway.config.regions.find((r) => r.region.id === REGION)!
    const ordered = () =>
      [...states].sort(
        (a, b) =>
          (a.attendance?.since ?? "").localeCompare(b.attendance?.since ?? "") || a.id.localeCompare(b.id),
      )

    it("lists thuiszitters as the domain judges them, in full pages", async () => {
      const expected = ordered().flatMap((s) => {
        const t = CaseSignals.thuiszitterOn(s, TODAY, {}, region().calendars)
        return t === undefined ? [] : [[nameOf.get(s.id), t.categorie, t.since]]
      })
      for (const limit of [2, 3]) {
        const { sizes, items } = await walk("thuiszitters", limit)
        expect(
          sizes.slice(0, -1).every((n) => n === limit),
          String(sizes),
        ).toBe(true)
        expect(items.map((i) => [nameOf.get(i.case.caseId), i.categorie, i.since])).toEqual(expected)
      }
      const { items } = await walk("thuiszitters", 50)
      const byName = new Map(items.map((i) => [nameOf.get(i.case.caseId), i]))
      expect(byName.has("running-5b")).toBe(false)
      expect(byName.has("leave-enrolled")).toBe(false)
      expect(byName.get("expired-restart")).toMatchObject({
        categorie: "2a",
        since: "2026-10-02",
        daysAtHome: 46,
      })
      expect(byName.get("leave-not-enrolled")).toMatchObject({ categorie: "1", since: "2026-06-01" })
      expect([...byName.keys()].filter((n) => n?.startsWith("excused-"))).toEqual([])
    })

    it("lists pact risks as the domain judges them, in full pages", async () => {
      const expected = ordered().flatMap((s) => {
        const p = CaseSignals.pactOn(s, TODAY, region().thresholds.thuiszitterspact, region().calendars)
        return p === undefined || p.status === "ok"
          ? []
          : [[nameOf.get(s.id), p.status, p.countsFrom, p.limitDate]]
      })
      expect(expected.length).toBeGreaterThan(2)
      const { sizes, items } = await walk("pact-risks", 2)
      expect(
        sizes.slice(0, -1).every((n) => n === 2),
        String(sizes),
      ).toBe(true)
      expect(items.map((i) => [nameOf.get(i.case.caseId), i.status, i.since, i.limitDate])).toEqual(expected)
      const names = items.map((i) => nameOf.get(i.case.caseId))
      expect(names).toContain("leave-not-enrolled")
      expect(names).not.toContain("expired-restart")
      expect(names).not.toContain("running-5b")
    })

    it("reports each pupil's category and pact status as the case page does", async () => {
      const listed = new Map((await walk("thuiszitters", 50)).items.map((i) => [i.case.caseId, i.categorie]))
      const atRisk = new Map((await walk("pact-risks", 50)).items.map((i) => [i.case.caseId, i]))
      for (const s of states) {
        const page = await gateway.request("GET", `/cases/${s.id}`, { token })
        expect(page.status, page.text).toBe(200)
        const { categorie, pact } = page.json.signals
        expect(listed.get(s.id) ?? null, nameOf.get(s.id)).toBe(categorie)
        if (pact === null || pact.status === "ok") expect(atRisk.has(s.id), nameOf.get(s.id)).toBe(false)
        else expect(atRisk.get(s.id), nameOf.get(s.id)).toMatchObject(pact)
      }
    })
  })
})
