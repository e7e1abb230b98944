/**
 * The school's duty to report relatief verzuim to DUO (Leerplichtwet 1969 art. 21a): a melding
 * when a pupil under 18 has 16 hours of unauthorised absence within 4 consecutive school weeks,
 * and every period of luxe verzuim from its first day.
 *
 * Counting, as implemented here:
 * - only records with `authorised: false` and a counted kind (default `ongeoorloofd`, `te-laat`)
 *   count; lessons convert to clock hours with `lessonMinutes`;
 * - a window is 4 consecutive school weeks (ISO weeks); holiday weeks are skipped and do not
 *   count, so a window can span more calendar weeks;
 * - the melding is due on the first day the hours in the window ending that week reach 16; it
 *   runs from the first counted absence day in the window to that day; counting restarts the
 *   day after;
 * - at most one melding per 7 calendar days: a threshold reached sooner waits and the melding
 *   goes out, with all hours counted since the restart, on the first absence day at least 7 days
 *   after the previous one, or the first school day then if the pupil is at school (the duty has
 *   arisen; the cap only postpones it);
 * - records on days the calendar marks as closed still count: the school registered them;
 * - leave on record decides first (`Verlof.applyLeave`): absence on days covered by lawful leave
 *   (art. 11, 13a, 14) is no verzuim; absence beyond or outside it is, and unauthorised absence
 *   adjacent to a school holiday or to vakantieverlof is luxe verzuim, reported from day 1 and not
 *   counted again in the 16 hours (unless `countedKinds` says so).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AbsenceKind, type AbsenceRecord, hoursOf } from "../Absence.js"
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"
import { ageOn } from "./Age.js"
import * as Leerplicht from "./Leerplicht.js"
import * as Verlof from "./Verlof.js"

/** Thresholds of the reporting duty; the defaults are the statutory ones. */
export const ReportingDutyOptions = Schema.Struct({
  /** Hours of unauthorised absence that make a melding due. Default 16. */
  thresholdHours: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { default: () => 16 }),
  /** Consecutive school weeks the hours are counted in. Default 4. */
  windowSchoolWeeks: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 52)), { default: () => 4 }),
  /** Minimum calendar days between two meldingen for continuous absence. Default 7. */
  minDaysBetweenMeldingen: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 366)), { default: () => 7 }),
  /** Length of a lesson in minutes, for records kept in lessons. Default 50. */
  lessonMinutes: Schema.optionalWith(Schema.Number.pipe(Schema.between(1, 120)), { default: () => 50 }),
  /** Kinds of unauthorised record that count. Default `ongeoorloofd` and `te-laat`. */
  countedKinds: Schema.optionalWith(Schema.Array(AbsenceKind), {
    default: () => ["ongeoorloofd", "te-laat"] as const,
  }),
}).annotations({ identifier: "ReportingDutyOptions" })
export type ReportingDutyOptions = typeof ReportingDutyOptions.Type

export const defaults: ReportingDutyOptions = Schema.decodeSync(ReportingDutyOptions)({})

/** A melding relatief verzuim. */
export interface Melding {
  /** First day of absence counted in this melding. */
  readonly from: LocalDate.LocalDate
  /** The day the melding is due: the threshold was reached (or the 7-day cap ran out). */
  readonly reachedOn: LocalDate.LocalDate
  /** The day the hours first reached the threshold; earlier than `reachedOn` when capped. */
  readonly thresholdReachedOn: LocalDate.LocalDate
  /** Clock hours counted, rounded to 6 decimals. */
  readonly hours: number
  readonly records: ReadonlyArray<AbsenceRecord>
}

/** A period of luxe verzuim: reportable on its first day. */
export interface LuxeVerzuimMelding {
  readonly from: LocalDate.LocalDate
  /** Last recorded day of the period. */
  readonly to: LocalDate.LocalDate
  readonly reportableOn: LocalDate.LocalDate
  readonly hours: number
  readonly records: ReadonlyArray<AbsenceRecord>
}

interface Day {
  readonly date: LocalDate.LocalDate
  readonly hours: number
  readonly records: ReadonlyArray<AbsenceRecord>
}

const round = (hours: number): number => Math.round(hours * 1e6) / 1e6

/** Records grouped per date, in date order. */
const days = (records: ReadonlyArray<AbsenceRecord>, lessonMinutes: number): ReadonlyArray<Day> => {
  const byDate = new Map<LocalDate.LocalDate, Array<AbsenceRecord>>()
  for (const r of records) {
    const list = byDate.get(r.date)
    if (list === undefined) byDate.set(r.date, [r])
    else list.push(r)
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => LocalDate.compare(a, b))
    .map(([date, rs]) => ({
      date,
      records: rs,
      hours: rs.reduce((h, r) => h + hoursOf(r.amount, lessonMinutes), 0),
    }))
}

const sumHours = (ds: ReadonlyArray<Day>): number => round(ds.reduce((h, d) => h + d.hours, 0))

/**
 * The meldingen relatief verzuim due up to `asOf` (peildatum), in date order (Leerplichtwet 1969
 * art. 21a; DUO verzuimregister). Records after `asOf` are ignored; `leave` (the case's leave
 * requests and decisions) decides which absence is verzuim at all.
 *
 * @example
 * relatiefVerzuimMeldingen(records, Calendars.midden, LocalDate.make("2026-07-31"), {}, state.leave)
 */
export const relatiefVerzuimMeldingen = (
  records: ReadonlyArray<AbsenceRecord>,
  calendars: SchoolCalendar.Calendars,
  asOf: LocalDate.LocalDate,
  options: Partial<ReportingDutyOptions> = {},
  leave: ReadonlyArray<Verlof.Verlof> = [],
): ReadonlyArray<Melding> => {
  const o = { ...defaults, ...options }
  const counted = days(
    Verlof.applyLeave(records, leave, calendars).records.filter(
      (r) => !r.authorised && o.countedKinds.includes(r.kind) && r.date <= asOf,
    ),
    o.lessonMinutes,
  )
  const out: Array<Melding> = []
  let restart: LocalDate.LocalDate | undefined
  let lastReached: LocalDate.LocalDate | undefined
  let pendingSince: LocalDate.LocalDate | undefined

  const between = (from: LocalDate.LocalDate, to: LocalDate.LocalDate) =>
    counted.filter((d) => d.date >= from && d.date <= to)
  const emit = (
    on: LocalDate.LocalDate,
    included: ReadonlyArray<Day>,
    thresholdReachedOn: LocalDate.LocalDate,
  ) => {
    out.push({
      from: included[0]!.date,
      reachedOn: on,
      thresholdReachedOn,
      hours: sumHours(included),
      records: included.flatMap((d) => d.records),
    })
    restart = LocalDate.addDays(on, 1)
    lastReached = on
    pendingSince = undefined
  }
  const capEnd = () => LocalDate.addDays(lastReached!, o.minDaysBetweenMeldingen)

  for (const day of counted) {
    if (pendingSince !== undefined) {
      const firstSchoolDay = SchoolCalendar.firstSchoolDayFrom(calendars, capEnd())
      if (firstSchoolDay < day.date) {
        emit(firstSchoolDay, between(restart!, firstSchoolDay), pendingSince)
      } else {
        if (day.date >= capEnd()) emit(day.date, between(restart!, day.date), pendingSince)
        continue
      }
    }
    const windowFrom = SchoolCalendar.windowStart(calendars, day.date, o.windowSchoolWeeks)
    const inWindow = between(
      restart === undefined ? windowFrom : LocalDate.max(windowFrom, restart),
      day.date,
    )
    if (sumHours(inWindow) < o.thresholdHours) continue
    if (lastReached !== undefined && LocalDate.daysBetween(lastReached, day.date) < o.minDaysBetweenMeldingen)
      pendingSince = day.date
    else emit(day.date, inWindow, day.date)
  }
  if (pendingSince !== undefined) {
    const firstSchoolDay = SchoolCalendar.firstSchoolDayFrom(calendars, capEnd())
    if (firstSchoolDay <= asOf) emit(firstSchoolDay, between(restart!, firstSchoolDay), pendingSince)
  }
  return out
}

/**
 * Each period of luxe verzuim (unauthorised holiday; records of kind `luxe-verzuim`, not
 * authorised) is reportable from its first day (Leerplichtwet 1969 art. 21a; DUO). Recorded days
 * with only weekends, holidays or free days between them form one period. With `leave`, also
 * unauthorised absence adjacent to a holiday or to vakantieverlof, and absence in a refused or
 * unlawful vakantieverlof, is luxe verzuim; absence covered by lawful leave is none
 * (`Verlof.applyLeave`).
 */
export const luxeVerzuimMeldingen = (
  records: ReadonlyArray<AbsenceRecord>,
  calendars: SchoolCalendar.Calendars,
  asOf: LocalDate.LocalDate,
  options: Partial<Pick<ReportingDutyOptions, "lessonMinutes">> = {},
  leave: ReadonlyArray<Verlof.Verlof> = [],
): ReadonlyArray<LuxeVerzuimMelding> => {
  const lessonMinutes = options.lessonMinutes ?? defaults.lessonMinutes
  const luxe = days(
    Verlof.applyLeave(records, leave, calendars).records.filter(
      (r) => r.kind === "luxe-verzuim" && !r.authorised && r.date <= asOf,
    ),
    lessonMinutes,
  )
  const periods: Array<Array<Day>> = []
  for (const day of luxe) {
    const current = periods[periods.length - 1]
    const previous = current?.[current.length - 1]
    const schoolDaysInBetween =
      previous === undefined
        ? 1
        : SchoolCalendar.schoolDaysBetween(
            calendars,
            LocalDate.addDays(previous.date, 1),
            LocalDate.addDays(day.date, -1),
          )
    if (current === undefined || schoolDaysInBetween > 0) periods.push([day])
    else current.push(day)
  }
  return periods.map((p) => ({
    from: p[0]!.date,
    to: p[p.length - 1]!.date,
    reportableOn: p[0]!.date,
    hours: sumHours(p),
    records: p.flatMap((d) => d.records),
  }))
}

/**
 * Whether the reporting duty applies on `date`: the pupil is under 18 and leerplichtig or
 * kwalificatieplichtig (Leerplichtwet 1969 art. 21a with art. 3, 4, 4a).
 */
export const reportingDutyApplies = (
  pupil: Leerplicht.Pupil,
  date: LocalDate.LocalDate,
  calendars?: SchoolCalendar.Calendars,
): boolean =>
  ageOn(pupil.birthDate, date) < 18 && Leerplicht.isLeerplichtigOrKwalificatieplichtig(pupil, date, calendars)
