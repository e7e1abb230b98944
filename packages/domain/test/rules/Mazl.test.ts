import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import type { AbsenceRecord } from "../../src/Absence.js"
import * as Calendars from "../../src/calendars/index.js"
import * as LocalDate from "../../src/LocalDate.js"
import { mazlTriggers, sickEpisodes } from "../../src/rules/Mazl.js"
import * as SchoolCalendar from "../../src/SchoolCalendar.js"

const d = LocalDate.make
const midden = Calendars.midden
const asOf = d("2027-07-31")

const sick = (date: string, authorised = true): AbsenceRecord => ({
  date: d(date),
  amount: { unit: "hours", value: 6 },
  kind: "ziek",
  authorised,
})
const triggers = (dates: ReadonlyArray<string>, options = {}) =>
  mazlTriggers(
    dates.map((x) => sick(x)),
    midden,
    asOf,
    options,
  ).map((t) => [t.rule, t.firesOn, t.count])

describe("sick episodes (ziekmeldingen)", () => {
  it.each<[string, ReadonlyArray<string>, ReadonlyArray<[string, string]>]>([
    ["a weekend inside is one episode", ["2025-09-05", "2025-09-08"], [["2025-09-05", "2025-09-08"]]],
    [
      "a school day between makes two",
      ["2025-09-01", "2025-09-03"],
      [
        ["2025-09-01", "2025-09-01"],
        ["2025-09-03", "2025-09-03"],
      ],
    ],
    [
      "the herfstvakantie inside is one episode",
      ["2025-10-17", "2025-10-27"],
      [["2025-10-17", "2025-10-27"]],
    ],
    ["two records on one day are one", ["2025-09-01", "2025-09-01"], [["2025-09-01", "2025-09-01"]]],
    ["Hemelvaartsdag inside is one episode", ["2026-05-13", "2026-05-15"], [["2026-05-13", "2026-05-15"]]],
  ])("%s", (_, dates, expected) => {
    expect(
      sickEpisodes(
        dates.map((x) => sick(x)),
        midden,
        asOf,
      ).map((e) => [e.first, e.last]),
    ).toEqual(expected)
  })
})

describe("M@ZL frequent: the 4th ziekmelding within 12 school weeks", () => {
  it.each<[string, ReadonlyArray<string>, ReadonlyArray<[string, string, number]>]>([
    ["3 reports: nothing", ["2025-09-01", "2025-09-15", "2025-09-29"], []],
    [
      "4th report fires on its first day",
      ["2025-09-01", "2025-09-15", "2025-09-29", "2025-10-13"],
      [["frequent", "2025-10-13", 4]],
    ],
    // The first three fall out of the 12 school weeks ending in the week of 15 December.
    ["4 reports over 15 school weeks: nothing", ["2025-09-01", "2025-09-08", "2025-09-15", "2025-12-15"], []],
    // Herfst- and kerstvakantie do not count: 6 Oct … 12 Jan spans 15 calendar weeks, 12 school weeks.
    [
      "holiday weeks skipped",
      ["2025-10-06", "2025-10-13", "2025-10-27", "2026-01-12"],
      [["frequent", "2026-01-12", 4]],
    ],
    ["one school week too far", ["2025-09-29", "2025-10-13", "2025-10-27", "2026-01-12"], []],
    [
      "counting restarts after a trigger",
      ["2025-09-01", "2025-09-03", "2025-09-05", "2025-09-09", "2025-09-11"],
      [["frequent", "2025-09-09", 4]],
    ],
  ])("%s", (_, dates, expected) => {
    expect(triggers(dates)).toEqual(expected)
  })

  it("takes configured thresholds", () => {
    expect(triggers(["2025-09-01", "2025-09-15", "2025-09-29"], { reportsThreshold: 3 })).toEqual([
      ["frequent", "2025-09-29", 3],
    ])
    expect(
      triggers(["2025-09-01", "2025-09-15", "2025-09-29", "2025-10-13"], { windowSchoolWeeks: 6 }),
    ).toEqual([])
  })
})

describe("M@ZL langdurig: the 7th consecutive school day of illness", () => {
  const week1 = ["2025-09-01", "2025-09-02", "2025-09-03", "2025-09-04", "2025-09-05"]

  it.each<[string, ReadonlyArray<string>, ReadonlyArray<[string, string, number]>]>([
    ["6th day: nothing", [...week1, "2025-09-08"], []],
    [
      "7th day fires, the weekend inside does not break it",
      [...week1, "2025-09-08", "2025-09-09"],
      [["langdurig", "2025-09-09", 7]],
    ],
    ["weekend records do not count as school days", [...week1, "2025-09-06", "2025-09-07", "2025-09-08"], []],
    // 14–17 Oct, herfstvakantie, 27–29 Oct: the 7th school day is Wednesday 29 October.
    [
      "holiday inside: 6th day",
      ["2025-10-14", "2025-10-15", "2025-10-16", "2025-10-17", "2025-10-27", "2025-10-28"],
      [],
    ],
    [
      "holiday inside: 7th day",
      ["2025-10-14", "2025-10-15", "2025-10-16", "2025-10-17", "2025-10-27", "2025-10-28", "2025-10-29"],
      [["langdurig", "2025-10-29", 7]],
    ],
  ])("%s", (_, dates, expected) => {
    expect(triggers(dates)).toEqual(expected)
  })

  it("fires once per episode, and per threshold", () => {
    const long = LocalDate.range(d("2025-09-01"), d("2025-09-30")).map((x) => x as string)
    expect(triggers(long)).toEqual([["langdurig", "2025-09-09", 7]])
    expect(triggers(long, { consecutiveDaysThreshold: 10 })).toEqual([["langdurig", "2025-09-12", 10]])
  })

  it("counts sick records the school did not accept as well", () => {
    const records = [...week1, "2025-09-08", "2025-09-09"].map((x) => sick(x, false))
    expect(mazlTriggers(records, midden, asOf).map((t) => t.rule)).toEqual(["langdurig"])
  })

  it("ignores records after the peildatum", () => {
    expect(
      mazlTriggers(
        [...week1, "2025-09-08", "2025-09-09"].map((x) => sick(x)),
        midden,
        d("2025-09-08"),
      ),
    ).toEqual([])
  })
})

describe("properties", () => {
  const schoolDays = LocalDate.range(d("2025-09-01"), d("2026-07-10")).filter((x) =>
    SchoolCalendar.isSchoolDay(midden, x),
  )
  const scatteredArb = FastCheck.array(
    FastCheck.integer({ min: 0, max: schoolDays.length - 1 }).map((i) => sick(schoolDays[i]!)),
    { maxLength: 60 },
  )
  // Scattered days almost never make seven school days in a row (in 150 histories: no langdurig
  // trigger at all), so half the histories are runs of 2–12 consecutive school days.
  const runArb = FastCheck.tuple(
    FastCheck.integer({ min: 0, max: schoolDays.length - 12 }),
    FastCheck.integer({ min: 2, max: 12 }),
  ).map(([start, length]) => schoolDays.slice(start, start + length).map((x) => sick(x)))
  const recordsArb = FastCheck.oneof(
    scatteredArb,
    FastCheck.array(runArb, { maxLength: 6 }).map((runs) => runs.flat()),
  )

  it("langdurig fires on the Nth school day of its episode; frequent counts at least N reports", () => {
    // Budget: 150 histories; about a third fire langdurig and a fifth frequent, the rest neither.
    FastCheck.assert(
      FastCheck.property(recordsArb, (records) => {
        for (const t of mazlTriggers(records, midden, asOf)) {
          if (t.rule === "langdurig") {
            expect(SchoolCalendar.isSchoolDay(midden, t.firesOn)).toBe(true)
            expect(SchoolCalendar.schoolDaysBetween(midden, t.episode.first, t.firesOn)).toBe(7)
          } else {
            expect(t.count).toBeGreaterThanOrEqual(4)
            expect(t.firesOn).toBe(t.episode.first)
          }
        }
      }),
      { numRuns: 150 },
    )
  })

  it("every sick record belongs to exactly one episode", () => {
    // Budget: 150 histories of up to 60 records, with episodes split by gaps and by holidays.
    FastCheck.assert(
      FastCheck.property(recordsArb, (records) => {
        const episodes = sickEpisodes(records, midden, asOf)
        expect(episodes.reduce((n, e) => n + e.records.length, 0)).toBe(records.length)
        for (let i = 1; i < episodes.length; i++) {
          const gap = SchoolCalendar.schoolDaysBetween(
            midden,
            LocalDate.addDays(episodes[i - 1]!.last, 1),
            LocalDate.addDays(episodes[i]!.first, -1),
          )
          expect(gap).toBeGreaterThan(0)
        }
      }),
      { numRuns: 150 },
    )
  })
})
