import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import * as Calendars from "../../src/calendars/index.js"
import * as LocalDate from "../../src/LocalDate.js"
import {
  fullLeerplichtEnd,
  type LeerplichtStatus,
  leerplichtOn,
  leerplichtStart,
  type Pupil,
} from "../../src/rules/Leerplicht.js"

const d = LocalDate.make

describe("leerplichtStart (art. 3)", () => {
  it.each([
    ["2020-09-14", undefined, "2025-10-01"],
    ["2020-09-30", undefined, "2025-10-01"],
    ["2020-10-01", undefined, "2025-11-01"],
    // With a calendar: the first school day of that month.
    ["2020-10-01", Calendars.midden, "2025-11-03"],
    ["2020-12-05", Calendars.midden, "2026-01-05"],
    ["2020-12-05", undefined, "2026-01-01"],
    ["2020-09-14", Calendars.midden, "2025-10-01"],
  ])("born %s: leerplichtig from %s", (birth, calendars, start) => {
    expect(leerplichtStart(d(birth), calendars)).toBe(start)
  })

  it("is not leerplichtig the day before the start, and is on it", () => {
    const pupil = { birthDate: d("2020-10-01") }
    expect(leerplichtOn(pupil, d("2025-11-02"), Calendars.midden).status).toBe("nog-niet-leerplichtig")
    expect(leerplichtOn(pupil, d("2025-11-03"), Calendars.midden).status).toBe("leerplichtig")
  })
})

describe("end of full leerplicht (art. 4a)", () => {
  it.each([
    // Turns 16 in school year 2025/26: leerplichtig up to and including 31 July 2026.
    ["2010-05-14", "2026-07-31"],
    ["2010-07-31", "2026-07-31"],
    // Turns 16 on 1 August: that is the next school year.
    ["2010-08-01", "2027-07-31"],
    ["2009-10-15", "2026-07-31"],
    ["2010-02-28", "2026-07-31"],
  ])("born %s: full leerplicht ends %s", (birth, end) => {
    const pupil = { birthDate: d(birth) }
    expect(fullLeerplichtEnd(pupil)).toEqual({ end, by: "16-jaar" })
    expect(leerplichtOn(pupil, d(end)).status).toBe("leerplichtig")
    expect(leerplichtOn(pupil, LocalDate.addDays(d(end), 1)).status).toBe("kwalificatieplichtig")
  })

  it("ends earlier after 12 full school years", () => {
    const pupil: Pupil = {
      birthDate: d("2010-08-01"),
      fullSchoolYears: { completed: 11, atEndOfSchoolYearOf: d("2025-06-01") },
    }
    expect(fullLeerplichtEnd(pupil)).toEqual({ end: "2026-07-31", by: "12-schooljaren" })
    expect(leerplichtOn(pupil, d("2026-08-01")).status).toBe("kwalificatieplichtig")
    const later: Pupil = {
      ...pupil,
      fullSchoolYears: { completed: 10, atEndOfSchoolYearOf: d("2025-06-01") },
    }
    expect(fullLeerplichtEnd(later)).toEqual({ end: "2027-07-31", by: "16-jaar" })
  })
})

describe("kwalificatieplicht and RMC", () => {
  const pupil = { birthDate: d("2010-05-14") }

  it.each([
    ["2026-08-01", "kwalificatieplichtig"],
    ["2028-05-13", "kwalificatieplichtig"],
    ["2028-05-14", "rmc"],
    ["2033-05-13", "rmc"],
    ["2033-05-14", "niet-leerplichtig"],
  ])("on %s: %s", (date, status) => {
    expect(leerplichtOn(pupil, d(date)).status).toBe(status)
  })

  it("turns 18 on 1 March when born on 29 February", () => {
    const leap = { birthDate: d("2008-02-29") }
    expect(leerplichtOn(leap, d("2026-02-28")).status).toBe("kwalificatieplichtig")
    expect(leerplichtOn(leap, d("2026-03-01")).status).toBe("rmc")
    expect(leerplichtOn(leap, d("2026-03-01")).kwalificatieplicht?.end).toBe("2026-02-28")
  })

  it("returns the periods", () => {
    expect(leerplichtOn(pupil, d("2026-01-01"))).toEqual({
      status: "leerplichtig",
      leerplicht: { start: "2015-06-01", end: "2026-07-31" },
      leerplichtEndsBy: "16-jaar",
      kwalificatieplicht: { start: "2026-08-01", end: "2028-05-13" },
      rmc: { start: "2028-05-14", end: "2033-05-13" },
    })
  })

  it("ends kwalificatieplicht with a startkwalificatie", () => {
    const withDiploma = { ...pupil, startkwalificatieOn: d("2027-07-01") }
    const r = leerplichtOn(withDiploma, d("2027-07-01"))
    expect(r.status).toBe("startkwalificatie-behaald")
    expect(r.kwalificatieplicht).toEqual({ start: "2026-08-01", end: "2027-06-30" })
    expect(r.rmc).toBeUndefined()
    expect(leerplichtOn(withDiploma, d("2027-06-30")).status).toBe("kwalificatieplichtig")
    expect(leerplichtOn(withDiploma, d("2029-01-01")).status).toBe("startkwalificatie-behaald")
  })

  it("keeps full leerplicht when the diploma comes early", () => {
    const early = { ...pupil, startkwalificatieOn: d("2026-06-15") }
    expect(leerplichtOn(early, d("2026-07-01")).status).toBe("leerplichtig")
    expect(leerplichtOn(early, d("2026-08-01")).status).toBe("startkwalificatie-behaald")
    expect(leerplichtOn(early, d("2026-08-01")).kwalificatieplicht).toBeUndefined()
  })

  it("ends RMC with a startkwalificatie after 18", () => {
    const r = leerplichtOn({ ...pupil, startkwalificatieOn: d("2029-07-01") }, d("2030-01-01"))
    expect(r.status).toBe("startkwalificatie-behaald")
    expect(r.rmc).toEqual({ start: "2028-05-14", end: "2029-06-30" })
  })
})

describe("properties", () => {
  const order: ReadonlyArray<LeerplichtStatus> = [
    "nog-niet-leerplichtig",
    "leerplichtig",
    "kwalificatieplichtig",
    "rmc",
    "niet-leerplichtig",
  ]
  it("without a diploma the status only moves forward: nog niet → leerplichtig → kwalificatieplichtig → rmc → niet", () => {
    // Budget: 300 draws of birth date, date and step across 55 years: every status boundary
    // (age 5, 16, 18, 23) is crossed by many of them.
    FastCheck.assert(
      FastCheck.property(
        FastCheck.integer({ min: 0, max: 20_000 }),
        FastCheck.integer({ min: 0, max: 10_000 }),
        FastCheck.integer({ min: 1, max: 400 }),
        (birthOffset, dateOffset, step) => {
          const pupil = { birthDate: LocalDate.addDays(d("1995-01-01"), birthOffset) }
          const date = LocalDate.addDays(pupil.birthDate, dateOffset)
          const a = order.indexOf(leerplichtOn(pupil, date).status)
          const b = order.indexOf(leerplichtOn(pupil, LocalDate.addDays(date, step)).status)
          expect(b).toBeGreaterThanOrEqual(a)
        },
      ),
      { numRuns: 300 },
    )
  })
})
