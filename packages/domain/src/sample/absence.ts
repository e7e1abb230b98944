/**
 * Synthetic absence records: the profiles of a pupil's absence (how often sick, late, away without
 * leave) and the records they make over a stretch of school days.
 *
 * @since 0.3.0
 */
import type { AbsenceAmount, AbsenceKind, AbsenceRecord } from "../Absence.js"
import type { SchoolLevel } from "../Pupil.js"
import type { VerzuimKind } from "../Referral.js"
import type { AbsenceOptions, AbsenceProfile } from "./options.js"
import type { Random } from "./Random.js"
import { dateOf, epochDayOf, isSchoolDay, weekdayOf } from "./time.js"

/** The absence profile a referral of each kind of verzuim shows. */
export const profileOfKind: Readonly<Record<VerzuimKind, AbsenceProfile | undefined>> = {
  grijs: "grijs",
  relatief: "spijbelaar",
  ziekteverzuim: "ziek",
  luxe: "luxe",
  langdurig: "langdurig",
  absoluut: undefined,
}

/** Hours of a full school day by level (clock hours), and lessons for schools that count lessons. */
const fullDay: Readonly<Record<SchoolLevel, { readonly hours: number; readonly lessons: number }>> = {
  PO: { hours: 5.5, lessons: 6 },
  SO: { hours: 5, lessons: 6 },
  VO: { hours: 6, lessons: 7 },
  VSO: { hours: 5.5, lessons: 6 },
  MBO: { hours: 6, lessons: 7 },
}

interface ProfileParameters {
  /** Chance a sick episode starts on a school day (times `mondayFridayBias` on Mon/Fri). */
  readonly sickStart: number
  readonly sickLength: readonly [number, number]
  readonly mondayFridayBias: number
  readonly appointment: number
  readonly late: number
  readonly lateAuthorised: boolean
  readonly partialSkip: number
  readonly fullSkip: number
}

const regulier: ProfileParameters = {
  sickStart: 0.012,
  sickLength: [1, 3],
  mondayFridayBias: 1,
  appointment: 0.01,
  late: 0.02,
  lateAuthorised: false,
  partialSkip: 0.003,
  fullSkip: 0,
}

const profileParameters: Readonly<Record<AbsenceProfile, ProfileParameters>> = {
  regulier,
  grijs: {
    ...regulier,
    sickStart: 0.05,
    sickLength: [1, 2],
    mondayFridayBias: 2.5,
    appointment: 0.04,
    late: 0.05,
    lateAuthorised: true,
    partialSkip: 0,
  },
  spijbelaar: {
    ...regulier,
    sickStart: 0.015,
    mondayFridayBias: 1.5,
    late: 0.08,
    partialSkip: 0.12,
    fullSkip: 0.04,
  },
  ziek: { ...regulier, sickStart: 0.07, sickLength: [1, 4], appointment: 0.03, late: 0.01, partialSkip: 0 },
  langdurig: regulier,
  luxe: regulier,
}

const PARTIAL_HOURS = [1, 1.5, 2, 2.5, 3] as const
const APPOINTMENT_HOURS = [1, 1.5, 2, 3] as const
const LATE_HOURS = [0.25, 0.5] as const
export const LESSON_MINUTES_FOR_SUMMARY = 50

/** The first record of each sick episode. */
export const sickEpisodeStarts = (records: ReadonlyArray<AbsenceRecord>): Array<AbsenceRecord> => {
  const starts: Array<AbsenceRecord> = []
  let previous: number | undefined
  for (const r of records) {
    if (r.kind !== "ziek") continue
    const day = epochDayOf(r.date)
    // A weekend between two sick days does not end the episode (Friday → Monday is 3 days).
    if (previous === undefined || day - previous > 3) starts.push(r)
    previous = day
  }
  return starts
}

/**
 * Absence records from `from` to `to` (both included) for a profile: one record at most per
 * school day (Monday–Friday, outside holidays when `calendars` are given), in date order.
 *
 * - `regulier`: now and then sick, an appointment, late;
 * - `grijs`: often sick (mostly Monday and Friday), appointments, late — all authorised;
 * - `spijbelaar`: unauthorised hours and whole days, often late;
 * - `ziek`: frequent sick episodes of one to four days;
 * - `langdurig`: from `since` every school day absent (unauthorised, or accepted as sick);
 * - `luxe`: one block of two to five days of luxe verzuim before a weekend or holiday.
 */
export const absenceRecords = (random: Random, options: AbsenceOptions): Array<AbsenceRecord> => {
  const { profile, calendars } = options
  const p = profileParameters[profile]
  const level = options.level ?? "VO"
  const lessons = options.unit === "lessons"
  const day = fullDay[level]
  const first = epochDayOf(options.from)
  const last = epochDayOf(options.to)
  const hours = (value: number): AbsenceAmount => ({ unit: "hours", value })
  const amount = (full: boolean, choices: ReadonlyArray<number>, lessonRange: readonly [number, number]) =>
    lessons
      ? ({ unit: "lessons", value: full ? day.lessons : random.int(...lessonRange) } as const)
      : hours(full ? day.hours : random.pick(choices))

  let blockFrom = Number.POSITIVE_INFINITY
  let blockTo = Number.NEGATIVE_INFINITY
  let blockKind: AbsenceKind = "ongeoorloofd"
  if (profile === "langdurig") {
    blockFrom =
      options.since === undefined
        ? first + random.int(0, Math.max(0, Math.floor((last - first) / 3)))
        : epochDayOf(options.since)
    blockTo = last
    blockKind = random.chance(0.7) ? "ongeoorloofd" : "ziek"
  } else if (profile === "luxe") {
    const fridays: Array<number> = []
    const beforeHoliday: Array<number> = []
    for (let d = first; d <= last; d++) {
      if (weekdayOf(d) !== 5 || !isSchoolDay(calendars, d)) continue
      fridays.push(d)
      if (calendars !== undefined && !isSchoolDay(calendars, d + 3)) beforeHoliday.push(d)
    }
    if (fridays.length > 0) {
      blockTo = random.pick(beforeHoliday.length > 0 ? beforeHoliday : fridays)
      blockFrom = blockTo - random.int(1, 4)
      blockKind = "luxe-verzuim"
    }
  }

  const records: Array<AbsenceRecord> = []
  let sickLeft = 0
  for (let d = first; d <= last; d++) {
    if (!isSchoolDay(calendars, d)) continue
    const date = dateOf(d)
    if (d >= blockFrom && d <= blockTo) {
      records.push({
        date,
        amount: amount(true, [], [1, 1]),
        kind: blockKind,
        authorised: blockKind === "ziek",
      })
      continue
    }
    const weekday = weekdayOf(d)
    const bias = weekday === 1 || weekday === 5 ? p.mondayFridayBias : 1
    if (sickLeft === 0 && random.chance(p.sickStart * bias)) sickLeft = random.int(...p.sickLength)
    if (sickLeft > 0) {
      sickLeft--
      records.push({ date, amount: amount(true, [], [1, 1]), kind: "ziek", authorised: true })
    } else if (random.chance(p.fullSkip)) {
      records.push({ date, amount: amount(true, [], [1, 1]), kind: "ongeoorloofd", authorised: false })
    } else if (random.chance(p.partialSkip)) {
      records.push({
        date,
        amount: amount(false, PARTIAL_HOURS, [1, 4]),
        kind: "ongeoorloofd",
        authorised: false,
      })
    } else if (random.chance(p.appointment)) {
      records.push({
        date,
        amount: amount(false, APPOINTMENT_HOURS, [1, 2]),
        kind: "geoorloofd",
        authorised: true,
      })
    } else if (random.chance(p.late)) {
      records.push({
        date,
        amount: amount(false, LATE_HOURS, [1, 1]),
        kind: "te-laat",
        authorised: p.lateAuthorised,
      })
    }
  }
  return records
}
