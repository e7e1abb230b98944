/**
 * School calendars as data: which days a pupil is expected at school.
 *
 * The Dutch government fixes the school holidays per region (noord, midden, zuid); public holidays
 * are free for all; every school may add or move days. A `SchoolCalendar` holds one school year
 * (1 August – 31 July) of one region, or of one school after `applyOverride`. The verzuim rules
 * count school days and school weeks through the functions here, so a region's or a school's
 * configuration decides what "4 school weeks" means.
 *
 * Functions accept `Calendars`: one calendar or a set spanning several school years. For a date
 * the calendar of its own school year decides; without one, any calendar whose holiday periods
 * reach that date (a summer holiday spilling into August); without either, every weekday counts
 * as a school day. Use `covers` to check that a set spans the dates you evaluate.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional } from "./Fields.js"
import * as LocalDate from "./LocalDate.js"
import { HolidayRegion } from "./Region.js"

/** `2025/26` style school-year label, as `LocalDate.schoolYear(2025).label` prints it. */
export const SchoolYearLabel = Schema.String.pipe(
  Schema.pattern(/^\d{4}\/\d{2}$/),
  Schema.filter(
    (s) =>
      Number(s.slice(5)) === (Number(s.slice(0, 4)) + 1) % 100 || "verwacht een schooljaar zoals 2025/26",
  ),
  Schema.annotations({ identifier: "SchoolYearLabel", title: "Schooljaar" }),
)

/** Longest holiday period accepted: the 6-week zomervakantie plus a school's own extra weeks. */
const MAX_HOLIDAY_DAYS = 12 * 7

/** A holiday period, both ends included (`herfstvakantie` 2025-10-18 t/m 2025-10-26). */
export const HolidayPeriod = Schema.Struct({
  name: Schema.String,
  first: LocalDate.LocalDate,
  last: LocalDate.LocalDate,
}).pipe(
  Schema.filter((p) => {
    if (p.last < p.first) return { path: ["last"], message: "de laatste dag ligt vóór de eerste dag" }
    if (LocalDate.daysBetween(p.first, p.last) >= MAX_HOLIDAY_DAYS)
      return { path: ["last"], message: `een vakantie duurt hoogstens ${MAX_HOLIDAY_DAYS} dagen` }
    return true
  }),
  Schema.annotations({ identifier: "HolidayPeriod", title: "Vakantie" }),
)
export type HolidayPeriod = typeof HolidayPeriod.Type

/** A single free day: a public holiday (Tweede Paasdag, Koningsdag, …) or a school's own day. */
export const FreeDay = Schema.Struct({
  name: Schema.String,
  date: LocalDate.LocalDate,
}).annotations({ identifier: "FreeDay", title: "Vrije dag" })
export type FreeDay = typeof FreeDay.Type

export const SAMPLE_NOTE = "sample: check against the school's own calendar"

/** One school year of one region, or of one school (`school` set) after an override. */
export const SchoolCalendar = Schema.Struct({
  region: HolidayRegion,
  schoolYear: SchoolYearLabel,
  /** Set when a school's own calendar replaced or extended the region's. */
  school: optional(Schema.String),
  holidays: Schema.Array(HolidayPeriod),
  freeDays: Schema.Array(FreeDay),
  /** True for the shipped example data: never a source of truth for a real school. */
  sample: Schema.Boolean,
  note: optional(Schema.String),
}).annotations({ identifier: "SchoolCalendar", title: "Schoolkalender" })
export type SchoolCalendar = typeof SchoolCalendar.Type

/** How a school's list combines with the region's: add to it, or take its place. */
export const OverrideMode = Schema.Literal("extend", "replace")
export type OverrideMode = typeof OverrideMode.Type

/**
 * A school's own calendar for one school year. Holidays and free days each `extend` (default)
 * or `replace` the region's; a replaced list must then hold every day the school is closed.
 */
export const SchoolOverride = Schema.Struct({
  school: Schema.String,
  schoolYear: SchoolYearLabel,
  holidays: optional(Schema.Array(HolidayPeriod)),
  holidaysMode: optional(OverrideMode),
  freeDays: optional(Schema.Array(FreeDay)),
  freeDaysMode: optional(OverrideMode),
  /** A school that publishes its confirmed calendar sets this to false. */
  sample: optional(Schema.Boolean),
  note: optional(Schema.String),
}).annotations({ identifier: "SchoolOverride", title: "Schoolrooster" })
export type SchoolOverride = typeof SchoolOverride.Type

/** One calendar, or a set covering several school years of one region or school. */
export type Calendars = SchoolCalendar | ReadonlyArray<SchoolCalendar>

const asList = (calendars: Calendars): ReadonlyArray<SchoolCalendar> =>
  Array.isArray(calendars) ? calendars : [calendars as SchoolCalendar]

const combine = <A>(
  base: ReadonlyArray<A>,
  own: ReadonlyArray<A> | undefined,
  mode: OverrideMode | undefined,
) => (own === undefined ? base : mode === "replace" ? own : [...base, ...own])

/**
 * The school's calendar: the region's calendar with the school's own holidays and free days.
 *
 * @example
 * applyOverride(midden2025, { school: "De Regenboog", schoolYear: "2025/26", freeDays: [studiedag] })
 */
export const applyOverride = (calendar: SchoolCalendar, override: SchoolOverride): SchoolCalendar => {
  if (override.schoolYear !== calendar.schoolYear)
    throw new RangeError(
      `override for ${override.schoolYear} applied to the calendar of ${calendar.schoolYear}`,
    )
  const note = override.note ?? calendar.note
  return {
    region: calendar.region,
    schoolYear: calendar.schoolYear,
    school: override.school,
    holidays: combine(calendar.holidays, override.holidays, override.holidaysMode),
    freeDays: combine(calendar.freeDays, override.freeDays, override.freeDaysMode),
    sample: override.sample ?? calendar.sample,
    ...(note === undefined ? {} : { note }),
  }
}

/** The calendar of the school year that holds `date`, if the set has one. */
export const calendarFor = (calendars: Calendars, date: LocalDate.LocalDate): SchoolCalendar | undefined => {
  const label = LocalDate.schoolYearLabelOf(date)
  return asList(calendars).find((c) => c.schoolYear === label)
}

/** Whether the set holds the calendar of the school year of `date`. */
export const covers = (calendars: Calendars, date: LocalDate.LocalDate): boolean =>
  calendarFor(calendars, date) !== undefined

const closureIn = (calendar: SchoolCalendar, date: LocalDate.LocalDate): string | undefined =>
  calendar.holidays.find((h) => LocalDate.isWithin(date, h.first, h.last))?.name ??
  calendar.freeDays.find((f) => f.date === date)?.name

/**
 * The name of the holiday or free day on `date`, or `undefined` when the school is open
 * (weekends are not named here).
 */
export const closureOn = (calendars: Calendars, date: LocalDate.LocalDate): string | undefined => {
  const own = calendarFor(calendars, date)
  if (own !== undefined) return closureIn(own, date)
  // No calendar for this school year: only holiday periods that spill over from a neighbouring year.
  for (const c of asList(calendars)) {
    const name = c.holidays.find((h) => LocalDate.isWithin(date, h.first, h.last))?.name
    if (name !== undefined) return name
  }
  return undefined
}

/**
 * The name of the holiday period (_schoolvakantie_) that holds `date`, or `undefined`; single
 * free days do not count. A period spilling over from a neighbouring year counts too.
 */
export const holidayOn = (calendars: Calendars, date: LocalDate.LocalDate): string | undefined => {
  const inPeriod = (c: SchoolCalendar) =>
    c.holidays.find((h) => LocalDate.isWithin(date, h.first, h.last))?.name
  const own = calendarFor(calendars, date)
  if (own !== undefined) return inPeriod(own)
  for (const c of asList(calendars)) {
    const name = inPeriod(c)
    if (name !== undefined) return name
  }
  return undefined
}

/** A school day: Monday to Friday, outside the holiday periods and not a free day. */
export const isSchoolDay = (calendars: Calendars, date: LocalDate.LocalDate): boolean =>
  !LocalDate.isWeekend(date) && closureOn(calendars, date) === undefined

/**
 * A school week: an ISO week (Monday–Sunday) with at least one school day. A week whose
 * weekdays all fall in holidays or on free days does not count (DUO: "vakantieweken tellen niet
 * mee" for the 4 school weeks of the reporting duty).
 */
export const isSchoolWeek = (calendars: Calendars, date: LocalDate.LocalDate): boolean => {
  const monday = LocalDate.startOfWeek(date)
  for (let i = 0; i < 5; i++) if (isSchoolDay(calendars, LocalDate.addDays(monday, i))) return true
  return false
}

/** An ISO week without a single school day; it is skipped when counting school weeks. */
export const isHolidayWeek = (calendars: Calendars, date: LocalDate.LocalDate): boolean =>
  !isSchoolWeek(calendars, date)

/** Search bound: no real calendar closes for this long; beyond it the data is broken. */
const SEARCH_LIMIT_DAYS = 2 * 366

const noSchoolDay = (from: LocalDate.LocalDate): RangeError =>
  new RangeError(`no school day within ${SEARCH_LIMIT_DAYS} days of ${from}: check the calendar data`)

/** The first school day on or after `date`. */
export const firstSchoolDayFrom = (calendars: Calendars, date: LocalDate.LocalDate): LocalDate.LocalDate => {
  for (let i = 0; i <= SEARCH_LIMIT_DAYS; i++) {
    const d = LocalDate.addDays(date, i)
    if (isSchoolDay(calendars, d)) return d
  }
  throw noSchoolDay(date)
}

/** The first school day strictly after `date`. */
export const nextSchoolDay = (calendars: Calendars, date: LocalDate.LocalDate): LocalDate.LocalDate =>
  firstSchoolDayFrom(calendars, LocalDate.addDays(date, 1))

/** Number of school days from `from` to `to`, both included; 0 when `to` is before `from`. */
export const schoolDaysBetween = (
  calendars: Calendars,
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
): number => {
  let n = 0
  for (let d = from; d <= to; d = LocalDate.addDays(d, 1)) if (isSchoolDay(calendars, d)) n++
  return n
}

/**
 * Number of school weeks among the ISO weeks from the week of `from` to the week of `to`, both
 * included; holiday weeks are skipped. 0 when `to` is in an earlier week than `from`.
 */
export const schoolWeeksBetween = (
  calendars: Calendars,
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
): number => {
  let n = 0
  const last = LocalDate.startOfWeek(to)
  for (let monday = LocalDate.startOfWeek(from); monday <= last; monday = LocalDate.addDays(monday, 7))
    if (isSchoolWeek(calendars, monday)) n++
  return n
}

/**
 * The Monday that opens a window of `weeks` consecutive school weeks ending with the week of
 * `date`. Holiday weeks inside the window are skipped, so the window can span more calendar
 * weeks. When the week of `date` is itself a holiday week it closes the window without counting.
 *
 * @example
 * // 4 school weeks ending in the week after the herfstvakantie span 5 calendar weeks
 * windowStart(midden, LocalDate.make("2025-10-29"), 4) // "2025-09-29"
 */
export const windowStart = (
  calendars: Calendars,
  date: LocalDate.LocalDate,
  weeks: number,
): LocalDate.LocalDate => {
  let monday = LocalDate.startOfWeek(date)
  let found = 0
  let start = monday
  for (let i = 0; found < weeks; i++) {
    if (i * 7 > SEARCH_LIMIT_DAYS) throw noSchoolDay(date)
    if (isSchoolWeek(calendars, monday)) {
      found++
      start = monday
    }
    monday = LocalDate.addDays(monday, -7)
  }
  return start
}
