import { describe, expect, it } from "@effect/vitest"
import { FastCheck, Schema } from "effect"
import * as Calendars from "../src/calendars/index.js"
import * as LocalDate from "../src/LocalDate.js"
import * as SchoolCalendar from "../src/SchoolCalendar.js"

const d = LocalDate.make
const midden = Calendars.midden
const [midden2025] = Calendars.midden as [SchoolCalendar.SchoolCalendar, SchoolCalendar.SchoolCalendar]

/** Gregorian Easter Sunday (Meeus/Jones/Butcher), to check the public holidays in the data. */
const easter = (year: number): LocalDate.LocalDate => {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const dd = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - dd - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return LocalDate.fromParts(year, month, day)
}

describe("sample calendar data", () => {
  const all = [...Calendars.noord, ...Calendars.midden, ...Calendars.zuid]

  it("covers 2025/26 and 2026/27 for every region, marked as sample", () => {
    for (const region of ["noord", "midden", "zuid"] as const) {
      expect(Calendars.byRegion[region].map((c) => c.schoolYear)).toEqual(["2025/26", "2026/27"])
      for (const c of Calendars.byRegion[region]) {
        expect(c.region).toBe(region)
        expect(c.sample).toBe(true)
        expect(c.note).toBe(SchoolCalendar.SAMPLE_NOTE)
      }
    }
  })

  it("runs every holiday period from a Saturday to a Sunday", () => {
    for (const c of all)
      for (const h of c.holidays) {
        expect([h.name, LocalDate.weekday(h.first)]).toEqual([h.name, 6])
        expect([h.name, LocalDate.weekday(h.last)]).toEqual([h.name, 7])
      }
  })

  it("places Tweede Paasdag, Hemelvaartsdag and Tweede Pinksterdag by the date of Easter", () => {
    for (const c of all) {
      const year = Number(c.schoolYear.slice(0, 4)) + 1
      const e = easter(year)
      const byName = new Map(c.freeDays.map((f) => [f.name, f.date]))
      expect(byName.get("Tweede Paasdag")).toBe(LocalDate.addDays(e, 1))
      expect(byName.get("Hemelvaartsdag")).toBe(LocalDate.addDays(e, 39))
      expect(byName.get("Tweede Pinksterdag")).toBe(LocalDate.addDays(e, 50))
      expect(byName.get("Koningsdag")).toBe(LocalDate.fromParts(year, 4, 27))
    }
  })

  it("gives no Bevrijdingsdag outside lustrum years", () => {
    for (const c of all) expect(c.freeDays.map((f) => f.name)).not.toContain("Bevrijdingsdag")
    expect(SchoolCalendar.isSchoolDay(midden, d("2026-05-05"))).toBe(true)
  })

  it("maps the seed regions to their holiday region", () => {
    expect(Calendars.seedRegions).toEqual({
      "leidschendam-voorburg": "midden",
      westland: "midden",
      "amstelland-meerlanden": "noord",
    })
  })
})

describe("SchoolCalendar schema", () => {
  const decode = Schema.decodeUnknownEither(SchoolCalendar.SchoolCalendar)
  const base = { region: "midden", schoolYear: "2025/26", freeDays: [], sample: true }

  it.each([
    ["a valid period", [{ name: "x", first: "2025-10-18", last: "2025-10-26" }], true],
    ["last before first", [{ name: "x", first: "2025-10-26", last: "2025-10-18" }], false],
    ["a period of 13 weeks", [{ name: "x", first: "2025-07-01", last: "2025-09-30" }], false],
    ["an impossible date", [{ name: "x", first: "2025-02-30", last: "2025-03-02" }], false],
  ])("%s", (_, holidays, ok) => {
    expect(decode({ ...base, holidays })._tag).toBe(ok ? "Right" : "Left")
  })

  it("rejects a malformed school year label", () => {
    expect(decode({ ...base, holidays: [], schoolYear: "2025/27" })._tag).toBe("Left")
    expect(decode({ ...base, holidays: [], schoolYear: "2025-26" })._tag).toBe("Left")
  })
})

describe("school days", () => {
  it.each([
    ["2025-10-17", true, "Friday before the herfstvakantie"],
    ["2025-10-20", false, "herfstvakantie midden"],
    ["2025-10-27", true, "back after the herfstvakantie"],
    ["2025-10-25", false, "Saturday"],
    ["2026-04-06", false, "Tweede Paasdag"],
    ["2026-05-14", false, "Hemelvaartsdag"],
    ["2026-05-15", true, "Friday after Hemelvaart (no national day off)"],
    ["2026-08-28", false, "zomervakantie 2026 midden, from the 2026/27 calendar"],
    ["2026-08-31", true, "first school day 2026/27 midden"],
    ["2025-08-29", false, "zomervakantie 2025 midden"],
    ["2025-09-01", true, "first school day 2025/26 midden"],
    ["2027-04-27", false, "Koningsdag 2027 (Tuesday)"],
  ])("%s is a school day: %s (%s)", (date, expected) => {
    expect(SchoolCalendar.isSchoolDay(midden, d(date))).toBe(expected)
  })

  it("differs per region", () => {
    // zuid's herfstvakantie is a week earlier; noord's summer 2026 ends two weeks before midden's.
    expect(SchoolCalendar.isSchoolDay(Calendars.zuid, d("2025-10-13"))).toBe(false)
    expect(SchoolCalendar.isSchoolDay(Calendars.midden, d("2025-10-13"))).toBe(true)
    expect(SchoolCalendar.isSchoolDay(Calendars.noord, d("2026-08-17"))).toBe(true)
    expect(SchoolCalendar.isSchoolDay(Calendars.midden, d("2026-08-17"))).toBe(false)
  })

  it("names the closure", () => {
    expect(SchoolCalendar.closureOn(midden, d("2025-12-24"))).toBe("kerstvakantie")
    expect(SchoolCalendar.closureOn(midden, d("2026-05-25"))).toBe("Tweede Pinksterdag")
    expect(SchoolCalendar.closureOn(midden, d("2025-09-02"))).toBeUndefined()
  })

  it("counts every weekday without a calendar for that school year", () => {
    expect(SchoolCalendar.covers(midden, d("2030-10-21"))).toBe(false)
    expect(SchoolCalendar.isSchoolDay(midden, d("2030-10-21"))).toBe(true)
    expect(SchoolCalendar.isSchoolDay(midden, d("2030-10-19"))).toBe(false)
  })

  it("uses a holiday that spills over from a neighbouring school year when the year itself is missing", () => {
    // Only 2025/26 given: its zomervakantie 2026 still closes August 2026.
    expect(SchoolCalendar.isSchoolDay(midden2025, d("2026-08-20"))).toBe(false)
    expect(SchoolCalendar.isSchoolDay(midden2025, d("2026-08-31"))).toBe(true)
  })

  it("finds the next school day across a holiday", () => {
    expect(SchoolCalendar.nextSchoolDay(midden, d("2025-10-17"))).toBe("2025-10-27")
    expect(SchoolCalendar.nextSchoolDay(midden, d("2025-09-01"))).toBe("2025-09-02")
    expect(SchoolCalendar.firstSchoolDayFrom(midden, d("2025-09-01"))).toBe("2025-09-01")
    expect(SchoolCalendar.firstSchoolDayFrom(midden, d("2026-01-01"))).toBe("2026-01-05")
  })

  it("counts school days between two dates, both included", () => {
    expect(SchoolCalendar.schoolDaysBetween(midden, d("2025-10-13"), d("2025-10-31"))).toBe(10)
    expect(SchoolCalendar.schoolDaysBetween(midden, d("2026-05-11"), d("2026-05-15"))).toBe(4)
    expect(SchoolCalendar.schoolDaysBetween(midden, d("2025-09-05"), d("2025-09-01"))).toBe(0)
  })
})

describe("school weeks", () => {
  it.each([
    ["2025-10-22", true, "herfstvakantie week"],
    ["2025-12-29", true, "second kerstvakantie week"],
    ["2026-05-13", false, "Hemelvaart week: four school days"],
    ["2026-04-08", false, "Easter Monday week"],
    ["2026-04-28", true, "meivakantie (Koningsdag inside)"],
    ["2026-04-21", false, "week before meivakantie: only schools that extend close it"],
  ])("week of %s is a holiday week: %s (%s)", (date, expected) => {
    expect(SchoolCalendar.isHolidayWeek(midden, d(date))).toBe(expected)
    expect(SchoolCalendar.isSchoolWeek(midden, d(date))).toBe(!expected)
  })

  it("skips holiday weeks in a window of 4 school weeks", () => {
    expect(SchoolCalendar.windowStart(midden, d("2025-10-29"), 4)).toBe("2025-09-29")
    expect(SchoolCalendar.windowStart(midden, d("2025-10-10"), 4)).toBe("2025-09-15")
    expect(SchoolCalendar.windowStart(midden, d("2026-01-07"), 2)).toBe("2025-12-15")
  })

  it("counts school weeks between two dates", () => {
    expect(SchoolCalendar.schoolWeeksBetween(midden, d("2025-09-29"), d("2025-10-31"))).toBe(4)
    expect(SchoolCalendar.schoolWeeksBetween(midden, d("2025-12-15"), d("2026-01-09"))).toBe(2)
  })

  it("property: a window of n school weeks holds exactly n school weeks", () => {
    // Budget: 200 of the 8,280 (offset, n) pairs; fast-check leans towards the bounds (day 0,
    // day 690, n = 1, n = 12), where an off-by-one in the window would show.
    FastCheck.assert(
      FastCheck.property(
        FastCheck.integer({ min: 0, max: 690 }),
        FastCheck.integer({ min: 1, max: 12 }),
        (offset, n) => {
          const date = LocalDate.addDays(d("2025-08-01"), offset)
          const start = SchoolCalendar.windowStart(midden, date, n)
          expect(LocalDate.weekday(start)).toBe(1)
          expect(SchoolCalendar.isSchoolWeek(midden, start)).toBe(true)
          const inWindow = SchoolCalendar.schoolWeeksBetween(midden, start, date)
          expect(inWindow).toBe(n)
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe("school overrides", () => {
  const studiedag = { name: "studiedag", date: d("2025-09-10") }

  it("extends the region's free days", () => {
    const school = SchoolCalendar.applyOverride(midden2025, {
      school: "De Regenboog",
      schoolYear: "2025/26",
      freeDays: [studiedag, { name: "dag na Hemelvaart", date: d("2026-05-15") }],
    })
    expect(school.school).toBe("De Regenboog")
    expect(SchoolCalendar.isSchoolDay(school, d("2025-09-10"))).toBe(false)
    expect(SchoolCalendar.isSchoolDay(school, d("2026-05-15"))).toBe(false)
    expect(SchoolCalendar.isSchoolDay(school, d("2026-04-06"))).toBe(false)
    expect(SchoolCalendar.isSchoolDay(midden2025, d("2025-09-10"))).toBe(true)
  })

  it("replaces the region's holidays", () => {
    const school = SchoolCalendar.applyOverride(midden2025, {
      school: "Het Westlandcollege",
      schoolYear: "2025/26",
      holidays: [{ name: "herfstvakantie", first: d("2025-10-11"), last: d("2025-10-19") }],
      holidaysMode: "replace",
      sample: false,
    })
    expect(SchoolCalendar.isSchoolDay(school, d("2025-10-13"))).toBe(false)
    expect(SchoolCalendar.isSchoolDay(school, d("2025-10-20"))).toBe(true)
    expect(SchoolCalendar.isSchoolDay(school, d("2025-12-29"))).toBe(true)
    expect(school.sample).toBe(false)
  })

  it("refuses an override for another school year", () => {
    expect(() => SchoolCalendar.applyOverride(midden2025, { school: "x", schoolYear: "2026/27" })).toThrow(
      RangeError,
    )
  })

  it("decodes an override from configuration", () => {
    const decoded = Schema.decodeUnknownSync(SchoolCalendar.SchoolOverride)({
      school: "x",
      schoolYear: "2025/26",
      freeDays: [{ name: "studiedag", date: "2025-09-10" }],
    })
    expect(decoded.freeDays).toEqual([studiedag])
  })
})
