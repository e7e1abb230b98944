import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck } from "effect"
import * as LocalDate from "../../src/LocalDate.js"
import { ageOn, birthdayIn, dateOfAge } from "../../src/rules/Age.js"

const d = LocalDate.make
const dates = Arbitrary.make(LocalDate.LocalDate)

describe("ageOn", () => {
  it.each([
    ["2010-05-14", "2026-05-13", 15],
    ["2010-05-14", "2026-05-14", 16],
    ["2010-05-14", "2010-05-14", 0],
    ["2010-05-14", "2010-05-13", -1],
    ["2010-12-31", "2026-12-30", 15],
    ["2010-12-31", "2026-12-31", 16],
    // 29 February: the birthday falls on 1 March in a non-leap year.
    ["2012-02-29", "2027-02-28", 14],
    ["2012-02-29", "2027-03-01", 15],
    ["2012-02-29", "2028-02-28", 15],
    ["2012-02-29", "2028-02-29", 16],
  ])("born %s, on %s: %i", (birth, date, age) => {
    expect(ageOn(d(birth), d(date))).toBe(age)
  })

  it("moves a 29 February birthday to 1 March only in non-leap years", () => {
    expect(birthdayIn(d("2012-02-29"), 2027)).toBe("2027-03-01")
    expect(birthdayIn(d("2012-02-29"), 2028)).toBe("2028-02-29")
    expect(dateOfAge(d("2008-02-29"), 18)).toBe("2026-03-01")
    expect(birthdayIn(d("2011-02-28"), 2028)).toBe("2028-02-28")
  })

  it("property: ages never decrease as the date moves on", () => {
    // Budget: 300 draws of two dates and a step of up to 800 days, so most steps pass one or two
    // birthdays; 29 February is pinned by the examples above.
    FastCheck.assert(
      FastCheck.property(dates, dates, FastCheck.integer({ min: 0, max: 800 }), (birth, date, step) => {
        expect(ageOn(birth, LocalDate.addDays(date, step))).toBeGreaterThanOrEqual(ageOn(birth, date))
      }),
      { numRuns: 300 },
    )
  })

  it("property: the age turns n exactly on dateOfAge(n)", () => {
    // Budget: 300 draws of a birth date and an age of 1–30; 29 February is pinned by the examples.
    FastCheck.assert(
      FastCheck.property(dates, FastCheck.integer({ min: 1, max: 30 }), (birth, n) => {
        const day = dateOfAge(birth, n)
        expect(ageOn(birth, day)).toBe(n)
        expect(ageOn(birth, LocalDate.addDays(day, -1))).toBe(n - 1)
      }),
      { numRuns: 300 },
    )
  })
})
