/**
 * The fast paths of the date arithmetic the working lists run per case (the Amsterdam wall clock
 * by cached hourly offset, the weekday by arithmetic, working days by epoch day) answer exactly as
 * the plain definitions they replace.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Amsterdam from "../src/Amsterdam.js"
import * as Calendars from "../src/calendars/index.js"
import * as LocalDate from "../src/LocalDate.js"
import * as WorkingDays from "../src/rules/WorkingDays.js"
import type * as SchoolCalendar from "../src/SchoolCalendar.js"

const REFERENCE = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Amsterdam",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
})

/** The wall clock as the time-zone database says it, one formatter call per instant. */
const reference = (ms: number): Amsterdam.WallClock => {
  const p = Object.fromEntries(REFERENCE.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
  return {
    date: `${p.year}-${p.month}-${p.day}` as LocalDate.LocalDate,
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  }
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

describe("Amsterdam.wallClock", () => {
  it("agrees with the time-zone database around every change of the clock from 2020 to 2030", () => {
    // The last Sundays of March and October, 01:00 UTC, and the seconds around them.
    for (let year = 2020; year <= 2030; year++) {
      for (const month of [3, 10]) {
        const last = new Date(Date.UTC(year, month, 0))
        const sunday = Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1)
        for (const delta of [-3_600_001, -1001, -1000, -1, 0, 1, 999, 1000, 3_599_999, 3_600_000])
          expect(Amsterdam.wallClock(sunday + delta)).toEqual(reference(sunday + delta))
      }
    }
  })

  it("agrees with the time-zone database on random instants from 1900 to 2100, in every input form", () => {
    const next = random(20261129)
    const from = Date.UTC(1900, 0, 1)
    const to = Date.UTC(2100, 0, 1)
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(from + next() * (to - from))
      const expected = reference(ms)
      expect(Amsterdam.wallClock(ms)).toEqual(expected)
      expect(Amsterdam.wallClock(new Date(ms))).toEqual(expected)
      expect(Amsterdam.wallClock(new Date(ms).toISOString())).toEqual(expected)
    }
  })

  it("refuses an invalid instant as before", () => {
    expect(() => Amsterdam.wallClock("geen tijdstip")).toThrow(RangeError)
  })
})

describe("LocalDate.weekday", () => {
  it("is the ISO weekday of every day from 1960 to 2060", () => {
    const actual: Array<number> = []
    const expected: Array<number> = []
    for (
      let day = LocalDate.toEpochDay(LocalDate.make("1960-01-01"));
      day <= LocalDate.toEpochDay(LocalDate.make("2060-12-31"));
      day++
    ) {
      const js = new Date(day * 86_400_000).getUTCDay()
      actual.push(LocalDate.weekday(LocalDate.fromEpochDay(day)))
      expected.push(js === 0 ? 7 : js)
    }
    expect(actual).toEqual(expected)
  })
})

describe("WorkingDays.addWorkingDays", () => {
  /** The definition: step a day at a time, count the working days. */
  const byDefinition = (
    calendars: SchoolCalendar.Calendars,
    from: LocalDate.LocalDate,
    n: number,
  ): LocalDate.LocalDate => {
    let date = from
    for (let left = n; left > 0; ) {
      date = LocalDate.addDays(date, 1)
      if (WorkingDays.isWorkingDay(calendars, date)) left--
    }
    return date
  }

  it("counts as the definition does, across weekends and public holidays", () => {
    const calendars = Calendars.midden
    const start = LocalDate.toEpochDay(LocalDate.make("2025-08-01"))
    for (let offset = 0; offset < 700; offset += 1) {
      const from = LocalDate.fromEpochDay(start + offset)
      for (const n of [0, 1, 3, 5, 10, 20])
        expect(WorkingDays.addWorkingDays(calendars, from, n)).toBe(byDefinition(calendars, from, n))
    }
    expect(WorkingDays.addWorkingDays([], LocalDate.make("2026-11-27"), 1)).toBe("2026-11-30")
  })
})
