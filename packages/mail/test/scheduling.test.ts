import { Amsterdam, LocalDate } from "@verzuimregie/domain"
import { Outbox } from "@verzuimregie/store"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { Scheduler, Schedules } from "../src/index.js"
import { loadRegions } from "./support/regions.js"
import { openStore, type StoreRuntime, skipPg } from "./support/store.js"

const regions = loadRegions()
const westland = regions[0]
if (westland === undefined) throw new Error("no region")
const at = (date: string, time: string) => Amsterdam.instantOf(LocalDate.make(date), time)

describe("schedules", () => {
  it("the weekly summary is due from maandag 07:00 Europe/Amsterdam, in winter and in summer time", () => {
    const winter = Schedules.dueFor(westland, "staff", at("2026-03-09", "07:00"))
    expect(at("2026-03-09", "07:00").toISOString()).toBe("2026-03-09T06:00:00.000Z")
    expect(winter).toMatchObject({
      messageId: "summary:westland:2026-W10",
      period: { key: "2026-W10", from: "2026-03-02", to: "2026-03-08" },
      on: "2026-03-09",
    })
    // One minute earlier the previous week's summary is the latest, and a week old: past its window.
    expect(Schedules.dueFor(westland, "staff", at("2026-03-09", "06:59"))).toBeUndefined()
    const summer = Schedules.dueFor(westland, "staff", new Date("2026-06-08T05:00:00.000Z"))
    expect(summer?.scheduledAt.toISOString()).toBe("2026-06-08T05:00:00.000Z")
    expect(summer?.messageId).toBe("summary:westland:2026-W23")
    expect(Schedules.dueFor(westland, "staff", new Date("2026-06-08T04:59:59.000Z"))).toBeUndefined()
    // Caught up within three days, not later.
    expect(Schedules.dueFor(westland, "staff", at("2026-03-12", "06:59"))?.messageId).toBe(
      "summary:westland:2026-W10",
    )
    expect(Schedules.dueFor(westland, "staff", at("2026-03-12", "07:01"))).toBeUndefined()
  })

  it("the Inspectie overview is due once per quarter, for the quarter before, with 31 July in the third", () => {
    expect(Schedules.dueFor(westland, "inspectie", at("2026-04-01", "07:00"))).toMatchObject({
      messageId: "inspectie:westland:2026-Q1",
      period: { key: "2026-Q1", from: "2026-01-01", to: "2026-03-31" },
      peildata: ["2026-03-31"],
    })
    expect(Schedules.dueFor(westland, "inspectie", at("2026-10-01", "07:00"))).toMatchObject({
      messageId: "inspectie:westland:2026-Q3",
      peildata: ["2026-07-31", "2026-09-30"],
    })
    expect(Schedules.dueFor(westland, "inspectie", at("2026-04-16", "07:00"))).toBeUndefined()
    expect(Schedules.dueFor(westland, "inspectie", at("2027-01-01", "07:00"))?.messageId).toBe(
      "inspectie:westland:2026-Q4",
    )
  })

  it("names periods by ISO week, month and quarter", () => {
    expect(Schedules.isoWeekKey(LocalDate.make("2026-01-01"))).toBe("2026-W01")
    expect(Schedules.isoWeekKey(LocalDate.make("2027-01-01"))).toBe("2026-W53")
    expect(Schedules.isoWeekKey(LocalDate.make("2024-12-30"))).toBe("2025-W01")
    expect(Schedules.staffPeriod("maand", LocalDate.make("2026-03-01"))).toEqual({
      key: "2026-02",
      from: "2026-02-01",
      to: "2026-02-28",
    })
    expect(Schedules.staffPeriod("dag", LocalDate.make("2026-03-01"))).toEqual({
      key: "2026-02-28",
      from: "2026-02-28",
      to: "2026-02-28",
    })
    expect(Schedules.staffPeriod("kwartaal", LocalDate.make("2026-01-05"))).toEqual({
      key: "2025-Q4",
      from: "2025-10-01",
      to: "2025-12-31",
    })
    // 02:30 does not exist on the spring-forward day: it becomes 03:30 CEST.
    expect(at("2026-03-29", "02:30").toISOString()).toBe("2026-03-29T01:30:00.000Z")
    expect(at("2026-10-25", "07:00").toISOString()).toBe("2026-10-25T06:00:00.000Z")
  })
})

/** Two schedulers, each with its own connection(s), tick concurrently over a span of days. */
const race = async (a: StoreRuntime, b: StoreRuntime) => {
  const ticks: Array<Date> = []
  // Every 20 minutes from Sunday evening to Wednesday, around the quarter start on 1 April.
  for (let t = Date.parse("2026-03-29T18:00:00Z"); t < Date.parse("2026-04-01T12:00:00Z"); t += 20 * 60_000)
    ticks.push(new Date(t))
  const run = (rt: StoreRuntime) =>
    Promise.all(ticks.map((now) => rt.runPromise(Scheduler.enqueueDue(regions, now)))).then(
      (r) => r.flat().length,
    )
  const [dueA, dueB] = await Promise.all([run(a), run(b)])
  expect(dueA + dueB).toBeGreaterThan(100)
  const claimed = await a.runPromise(Effect.flatMap(Outbox.Outbox, (o) => o.claim("drain", 500, 60_000)))
  return claimed.map((m) => m.messageId).sort()
}

describe.each(["sqlite", "pg"] as const)(
  "at most once per period, two concurrent schedulers on %s",
  (backend) => {
    it.skipIf(backend === "pg" && skipPg())("enqueues each summary once", async () => {
      const store = await openStore(backend)
      try {
        const ids = await race(store.runtime, store.second())
        expect(ids).toEqual(["inspectie:westland:2026-Q1", "summary:westland:2026-W13"])
      } finally {
        await store.close()
      }
    })
  },
)
