import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import * as LocalDate from "../../src/LocalDate.js"
import type { Situation } from "../../src/rules/LangdurigVerzuim.js"
import { type PactStatus, thuiszitterspactStatus } from "../../src/rules/Thuiszitterspact.js"

const d = LocalDate.make
const since = d("2026-01-10")

describe("thuiszitterspactStatus", () => {
  it.each([
    ["2026-01-10", "ok", 90],
    ["2026-03-26", "ok", 15],
    ["2026-03-27", "waarschuwing", 14],
    ["2026-04-09", "waarschuwing", 1],
    // 3 months minus a day is not yet past the limit; the limit date itself is.
    ["2026-04-10", "alarm", 0],
    ["2026-06-01", "alarm", -52],
  ])("home since 2026-01-10, on %s: %s (%i days left)", (date, status, days) => {
    const r = thuiszitterspactStatus({ since }, d(date))
    expect(r.status).toBe(status)
    expect(r.daysRemaining).toBe(days)
    expect(r.limitDate).toBe("2026-04-10")
  })

  it("clamps the limit to the end of a shorter month", () => {
    expect(thuiszitterspactStatus({ since: d("2025-11-30") }, d("2026-02-27")).status).toBe("waarschuwing")
    expect(thuiszitterspactStatus({ since: d("2025-11-30") }, d("2026-02-28")).status).toBe("alarm")
  })

  it("is ok with a fitting offer", () => {
    expect(thuiszitterspactStatus({ since, hasFittingOffer: true }, d("2026-06-01")).status).toBe("ok")
    const offer = { since, offerStartedOn: d("2026-04-20") }
    expect(thuiszitterspactStatus(offer, d("2026-04-19")).status).toBe("alarm")
    expect(thuiszitterspactStatus(offer, d("2026-04-20")).status).toBe("ok")
  })

  it("takes a configured warning period", () => {
    expect(thuiszitterspactStatus({ since }, d("2026-03-20"), { warningDays: 21 }).status).toBe(
      "waarschuwing",
    )
    expect(thuiszitterspactStatus({ since }, d("2026-03-20")).status).toBe("ok")
  })

  it("property: without an offer the status only moves ok → waarschuwing → alarm", () => {
    const rank: Record<PactStatus, number> = { ok: 0, waarschuwing: 1, alarm: 2 }
    // Budget: 300 draws of start (3,000 days), offset (−30…200), step and warning period: every
    // status boundary (before the start, the warning, the 3-month line) lies inside those ranges.
    FastCheck.assert(
      FastCheck.property(
        FastCheck.integer({ min: 0, max: 3000 }),
        FastCheck.integer({ min: -30, max: 200 }),
        FastCheck.integer({ min: 1, max: 100 }),
        FastCheck.integer({ min: 0, max: 60 }),
        (start, offset, step, warningDays) => {
          const home = { since: LocalDate.addDays(d("2020-01-01"), start) }
          const date = LocalDate.addDays(home.since, offset)
          const a = thuiszitterspactStatus(home, date, { warningDays })
          const b = thuiszitterspactStatus(home, LocalDate.addDays(date, step), { warningDays })
          expect(rank[b.status]).toBeGreaterThanOrEqual(rank[a.status])
          expect(a.daysRemaining - b.daysRemaining).toBe(step)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe("thuiszitterspactStatus asks whether a ground excuses the pupil's duty (Leerplichtwet 1969 art. 5, 6, 11, 15)", () => {
  const on = d("2026-04-20")
  it.each<[string, Omit<Situation, "since">, PactStatus]>([
    [
      "5 onder a, not enrolled: excused, ok (art. 5)",
      { enrolled: false, leerplicht: "leerplichtig", vrijstellingen: [{ grond: "5a", from: since }] },
      "ok",
    ],
    [
      "art. 11 leave, not enrolled: leave does not excuse enrolment, alarm (art. 11 aanhef)",
      { enrolled: false, leerplicht: "leerplichtig", vrijstellingen: [{ grond: "11-verlof", from: since }] },
      "alarm",
    ],
    [
      "art. 11 leave, enrolled: excused, ok (art. 11)",
      { enrolled: true, leerplicht: "leerplichtig", vrijstellingen: [{ grond: "11-verlof", from: since }] },
      "ok",
    ],
    [
      "art. 15, leerplichtig: art. 15 concerns the kwalificatieplicht only, alarm (art. 15)",
      { enrolled: false, leerplicht: "leerplichtig", vrijstellingen: [{ grond: "15", from: since }] },
      "alarm",
    ],
    [
      "art. 15, kwalificatieplichtig: excused, ok (art. 15)",
      { enrolled: false, leerplicht: "kwalificatieplichtig", vrijstellingen: [{ grond: "15", from: since }] },
      "ok",
    ],
  ])("%s", (_, situation, status) => {
    const r = thuiszitterspactStatus({ since, situation }, on)
    expect(r.status).toBe(status)
  })

  it("an expired 5 onder b no longer excuses: the clock counts from the day after it ended (art. 6)", () => {
    const situation: Omit<Situation, "since"> = {
      enrolled: true,
      leerplicht: "leerplichtig",
      vrijstellingen: [{ grond: "5b", from: d("2025-09-01") }],
    }
    const r = thuiszitterspactStatus({ since: d("2025-09-01"), situation }, d("2026-10-31"))
    expect(r).toMatchObject({ excusedBy: undefined, countsFrom: "2026-08-01", limitDate: "2026-11-01" })
    expect(r.status).toBe("waarschuwing")
    expect(thuiszitterspactStatus({ since: d("2025-09-01"), situation }, d("2026-11-01")).status).toBe(
      "alarm",
    )
  })
})
