import { describe, expect, it } from "@effect/vitest"
import { FastCheck, Schema } from "effect"
import * as LocalDate from "../../src/LocalDate.js"
import {
  absenceDay,
  type Categorie,
  categorie,
  isAbsoluutVerzuim,
  isLangdurigRelatiefVerzuim,
  isLangdurigVerzuimAmstelland,
  isThuiszitter,
  type Situation,
} from "../../src/rules/LangdurigVerzuim.js"
import {
  isVrijstellingActive,
  renewalDeadline,
  Vrijstelling,
  vrijstellingLabel,
} from "../../src/rules/Vrijstelling.js"

const d = LocalDate.make
const enrolled: Situation = { enrolled: true, since: d("2026-01-05") }

describe("langdurig relatief verzuim", () => {
  it.each([
    ["2026-01-05", 1, false],
    ["2026-02-01", 28, false], // exactly 4 weeks: not yet
    ["2026-02-02", 29, true], // more than 4 weeks
  ])("absent since 2026-01-05, on %s (day %i): %s", (date, day, expected) => {
    expect(absenceDay(enrolled.since, d(date))).toBe(day)
    expect(isLangdurigRelatiefVerzuim(enrolled, d(date))).toBe(expected)
    expect(isThuiszitter(enrolled, d(date))).toBe(expected)
  })

  it.each<[string, string, Categorie | undefined]>([
    ["2026-01-05", "2026-02-01", undefined],
    ["2026-01-05", "2026-02-02", "2a"],
    ["2026-01-05", "2026-04-04", "2a"], // 3 months minus a day
    ["2026-01-05", "2026-04-05", "2b"], // 3 months
    ["2025-11-30", "2026-02-27", "2a"],
    ["2025-11-30", "2026-02-28", "2b"], // addMonths clamps 30 February to 28 February
  ])("since %s, on %s: category %s", (since, date, expected) => {
    expect(categorie({ enrolled: true, since: d(since) }, d(date))).toBe(expected)
  })

  it("takes a configured number of weeks", () => {
    expect(isLangdurigRelatiefVerzuim(enrolled, d("2026-01-18"), { weeks: 2 })).toBe(false)
    expect(isLangdurigRelatiefVerzuim(enrolled, d("2026-01-19"), { weeks: 2 })).toBe(true)
  })

  it("does not count a pupil with an active vrijstelling", () => {
    const exempt: Situation = {
      ...enrolled,
      vrijstellingen: [{ grond: "5a", from: d("2025-09-01") }],
    }
    expect(isLangdurigRelatiefVerzuim(exempt, d("2026-03-01"))).toBe(false)
    // A 5 onder a without "permanent" lapses at the end of its school year (art. 6); the 4 weeks
    // count from the day after: 1 August is day 1, 28 August day 28, 29 August day 29.
    expect(isLangdurigRelatiefVerzuim(exempt, d("2026-08-01"))).toBe(false)
    expect(isLangdurigRelatiefVerzuim(exempt, d("2026-08-28"))).toBe(false)
    expect(isLangdurigRelatiefVerzuim(exempt, d("2026-08-29"))).toBe(true)
    const permanent: Situation = {
      ...enrolled,
      vrijstellingen: [{ grond: "5a", from: d("2025-09-01"), permanent: true }],
    }
    expect(isLangdurigRelatiefVerzuim(permanent, d("2027-03-01"))).toBe(false)
  })
})

describe("absoluut verzuim", () => {
  const notEnrolled: Situation = { enrolled: false, since: d("2026-01-05"), leerplicht: "leerplichtig" }

  it.each<[Situation, boolean]>([
    [notEnrolled, true],
    [{ ...notEnrolled, leerplicht: "kwalificatieplichtig" }, true],
    [{ ...notEnrolled, leerplicht: "rmc" }, false],
    [{ ...notEnrolled, leerplicht: "startkwalificatie-behaald" }, false],
    [{ ...notEnrolled, leerplicht: "nog-niet-leerplichtig" }, false],
    [{ ...notEnrolled, enrolled: true }, false],
    [{ ...notEnrolled, vrijstellingen: [{ grond: "5c", from: d("2025-08-01") }] }, false],
  ])("%j: %s", (situation, expected) => {
    expect(isAbsoluutVerzuim(situation, d("2026-01-06"))).toBe(expected)
    expect(categorie(situation, d("2026-01-06")) === "1").toBe(expected)
    expect(isThuiszitter(situation, d("2026-01-06"))).toBe(expected)
  })

  it("counts from day 1", () => {
    expect(categorie(notEnrolled, d("2026-01-05"))).toBe("1")
    expect(categorie(notEnrolled, d("2026-01-04"))).toBeUndefined()
  })
})

describe("vrijstellingen", () => {
  it("decodes every ground and labels it in Dutch", () => {
    for (const grond of ["5a", "5b", "5c", "5a-reizend", "11-verlof", "15"] as const) {
      expect(Schema.decodeUnknownSync(Vrijstelling)({ grond, from: "2025-08-01" }).grond).toBe(grond)
      expect(vrijstellingLabel[grond]).toMatch(/^art\. /)
    }
    expect(() => Schema.decodeUnknownSync(Vrijstelling)({ grond: "6", from: "2025-08-01" })).toThrow()
  })

  it("asks renewal of every art. 5 ground before 1 July, but not of a permanent 5 onder a (art. 6)", () => {
    expect(renewalDeadline({ grond: "5a", from: d("2025-09-01") })).toBe("2026-06-30")
    expect(renewalDeadline({ grond: "5a", from: d("2025-09-01"), permanent: true })).toBeUndefined()
    expect(renewalDeadline({ grond: "5b", from: d("2025-09-01") })).toBe("2026-06-30")
  })

  it("holds from its first to its last day", () => {
    const v = { grond: "11-verlof", from: d("2026-03-02"), until: d("2026-03-06") } as const
    expect(isVrijstellingActive(v, d("2026-03-01"))).toBe(false)
    expect(isVrijstellingActive(v, d("2026-03-02"))).toBe(true)
    expect(isVrijstellingActive(v, d("2026-03-06"))).toBe(true)
    expect(isVrijstellingActive(v, d("2026-03-07"))).toBe(false)
  })
})

describe("Amstelland: langdurig verzuim is a month or longer (all absence)", () => {
  it.each([
    ["2026-01-31", "2026-02-27", false],
    ["2026-01-31", "2026-02-28", true],
    ["2026-03-10", "2026-04-09", false],
    ["2026-03-10", "2026-04-10", true],
  ])("since %s, on %s: %s", (since, date, expected) => {
    expect(isLangdurigVerzuimAmstelland(d(since), d(date))).toBe(expected)
  })
})

describe("properties", () => {
  const rank = (c: Categorie | undefined) => (c === undefined ? 0 : c === "2a" ? 1 : 2)

  it("category never goes back (none → 2a → 2b) as the date moves on", () => {
    // Budget: 300 draws over 3,000 start days, offsets of up to 200 days and steps of up to 120:
    // the category lines lie inside those ranges, and each draw costs microseconds.
    FastCheck.assert(
      FastCheck.property(
        FastCheck.integer({ min: 0, max: 3000 }),
        FastCheck.integer({ min: 0, max: 200 }),
        FastCheck.integer({ min: 1, max: 120 }),
        (start, offset, step) => {
          const s: Situation = { enrolled: true, since: LocalDate.addDays(d("2020-01-01"), start) }
          const date = LocalDate.addDays(s.since, offset)
          expect(rank(categorie(s, LocalDate.addDays(date, step)))).toBeGreaterThanOrEqual(
            rank(categorie(s, date)),
          )
        },
      ),
      { numRuns: 300 },
    )
  })

  it("an enrolled pupil has a category only after day 28", () => {
    // Budget: 300 draws; the day-28 line lies well inside the 0–200 offsets.
    FastCheck.assert(
      FastCheck.property(
        FastCheck.integer({ min: 0, max: 3000 }),
        FastCheck.integer({ min: 0, max: 200 }),
        (start, offset) => {
          const s: Situation = { enrolled: true, since: LocalDate.addDays(d("2020-01-01"), start) }
          const date = LocalDate.addDays(s.since, offset)
          const c = categorie(s, date)
          if (c !== undefined) expect(absenceDay(s.since, date)).toBeGreaterThan(28)
        },
      ),
      { numRuns: 300 },
    )
  })
})
