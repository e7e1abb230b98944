/**
 * When summaries are due. A region's configuration gives each mail a schedule in Europe/Amsterdam
 * time (`{every: week, on: maandag, at: "07:00"}`); for "now" this module finds the latest
 * scheduled moment, the period it reports on and a key for that period, and so the outbox message
 * id: `summary:<region>:<period>` for the staff summary, `inspectie:<region>:<quarter>` for the
 * Inspectie overview. Enqueueing with that id stores it once, however many gateway instances tick
 * at the same moment (the outbox's unique message id is the lock).
 *
 * Periods (the staff summary reports on the period that just ended; its peildatum is the day of
 * sending):
 * - `dag`: the day before; key `2026-03-08`;
 * - `week`: the 7 days before; key the ISO week of the last day, `2026-W10`;
 * - `maand`: the calendar month before; key `2026-02`;
 * - `kwartaal`: the calendar quarter before; key `2026-Q1`.
 * The Inspectie overview always reports on the last completed calendar quarter (key `2026-Q1`,
 * peildatum its last day), whatever its schedule, so it is sent at most once per quarter. When the
 * quarter holds the end of a school year (31 July, in the third quarter) it also carries that school
 * year's closing overview (peildatum 31 July), so no day of a school year is left out.
 *
 * A moment missed while no instance ran is caught up within a window (dag 12 hours, week 3 days,
 * maand 7 days, kwartaal 14 days); an older one is skipped, and the next one is due as scheduled.
 *
 * @since 0.1.0
 */
import { Amsterdam, LocalDate } from "@verzuimregie/domain"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"

export type Kind = "staff" | "inspectie"

export interface Period {
  readonly key: string
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
}

export interface Due {
  readonly regionId: string
  readonly kind: Kind
  /** The scheduled moment. */
  readonly scheduledAt: Date
  /** The period reported on. */
  readonly period: Period
  /** Staff summary: the peildatum (the day of sending). Inspectie: the peildata of the overviews. */
  readonly on: LocalDate.LocalDate
  readonly peildata: ReadonlyArray<LocalDate.LocalDate>
  /** The outbox message id: the same for every instance and every tick in the period. */
  readonly messageId: string
}

/** What scheduling needs of an enabled region. */
export interface Scheduled {
  readonly region: { readonly id: string }
  readonly summaries: RegionConfig.SummarySettings | undefined
  readonly inspectie: RegionConfig.SummarySettings | undefined
}

export const CATCH_UP_MS: Readonly<Record<RegionConfig.Schedule["every"], number>> = {
  dag: 12 * 3_600_000,
  week: 3 * 86_400_000,
  maand: 7 * 86_400_000,
  kwartaal: 14 * 86_400_000,
}

const WEEKDAYS: Readonly<Record<RegionConfig.Weekday, LocalDate.IsoWeekday>> = {
  maandag: 1,
  dinsdag: 2,
  woensdag: 3,
  donderdag: 4,
  vrijdag: 5,
  zaterdag: 6,
  zondag: 7,
}

const matches = (schedule: RegionConfig.Schedule, date: LocalDate.LocalDate): boolean => {
  switch (schedule.every) {
    case "dag":
      return true
    case "week":
      return LocalDate.weekday(date) === WEEKDAYS[schedule.on]
    case "maand":
      return LocalDate.parts(date).day === schedule.day
    case "kwartaal": {
      const { month, day } = LocalDate.parts(date)
      return (month - 1) % 3 === 0 && day === schedule.dayOfQuarter
    }
  }
}

/** The latest scheduled moment at or before `now`, with its date. */
export const latestOccurrence = (
  schedule: RegionConfig.Schedule,
  now: Date,
): { readonly date: LocalDate.LocalDate; readonly at: Date } => {
  const today = LocalDate.todayInAmsterdam(now)
  for (let back = 0; back <= 100; back++) {
    const date = LocalDate.addDays(today, -back)
    if (!matches(schedule, date)) continue
    const at = Amsterdam.instantOf(date, schedule.at)
    if (at.getTime() <= now.getTime()) return { date, at }
  }
  throw new Error(`no occurrence of ${JSON.stringify(schedule)} in the 100 days before ${now.toISOString()}`)
}

/** ISO 8601 week of a date: `2026-W10`. */
export const isoWeekKey = (date: LocalDate.LocalDate): string => {
  const thursday = LocalDate.addDays(date, 4 - LocalDate.weekday(date))
  const year = LocalDate.parts(thursday).year
  const week = Math.floor(LocalDate.daysBetween(LocalDate.fromParts(year, 1, 1), thursday) / 7) + 1
  return `${year}-W${String(week).padStart(2, "0")}`
}

export interface Quarter {
  readonly key: string
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
}

/** The calendar quarter that holds a date. */
export const quarterOf = (date: LocalDate.LocalDate): Quarter => {
  const { year, month } = LocalDate.parts(date)
  const q = Math.floor((month - 1) / 3)
  const from = LocalDate.fromParts(year, q * 3 + 1, 1)
  return { key: `${year}-Q${q + 1}`, from, to: LocalDate.addDays(LocalDate.addMonths(from, 3), -1) }
}

/** The calendar quarter before the one that holds `date`. */
export const previousQuarter = (date: LocalDate.LocalDate): Quarter =>
  quarterOf(LocalDate.addDays(quarterOf(date).from, -1))

/** The peildata of a quarter's Inspectie mail: the end of a school year within it, and its last day. */
export const inspectiePeildata = (quarter: Quarter): ReadonlyArray<LocalDate.LocalDate> => {
  const yearEnd = LocalDate.schoolYearOf(quarter.to).start
  const closing = LocalDate.addDays(yearEnd, -1)
  return closing >= quarter.from && closing < quarter.to ? [closing, quarter.to] : [quarter.to]
}

/** The period a staff summary sent on `date` reports on. */
export const staffPeriod = (every: RegionConfig.Schedule["every"], date: LocalDate.LocalDate): Period => {
  const yesterday = LocalDate.addDays(date, -1)
  switch (every) {
    case "dag":
      return { key: yesterday, from: yesterday, to: yesterday }
    case "week":
      return { key: isoWeekKey(yesterday), from: LocalDate.addDays(date, -7), to: yesterday }
    case "maand": {
      const { year, month } = LocalDate.parts(date)
      const from = LocalDate.addMonths(LocalDate.fromParts(year, month, 1), -1)
      return { key: from.slice(0, 7), from, to: LocalDate.addDays(LocalDate.addMonths(from, 1), -1) }
    }
    case "kwartaal":
      return previousQuarter(date)
  }
}

export const staffMessageId = (regionId: string, periodKey: string): string =>
  `summary:${regionId}:${periodKey}`
export const inspectieMessageId = (regionId: string, quarterKey: string): string =>
  `inspectie:${regionId}:${quarterKey}`

/** What is due for one region and kind at `now`, or undefined (not configured, or too late). */
export const dueFor = (region: Scheduled, kind: Kind, now: Date): Due | undefined => {
  const settings = kind === "staff" ? region.summaries : region.inspectie
  if (settings === undefined) return undefined
  const { date, at } = latestOccurrence(settings.schedule, now)
  if (now.getTime() - at.getTime() > CATCH_UP_MS[settings.schedule.every]) return undefined
  if (kind === "staff") {
    const period = staffPeriod(settings.schedule.every, date)
    return {
      regionId: region.region.id,
      kind,
      scheduledAt: at,
      period,
      on: date,
      peildata: [date],
      messageId: staffMessageId(region.region.id, period.key),
    }
  }
  const quarter = previousQuarter(date)
  return {
    regionId: region.region.id,
    kind,
    scheduledAt: at,
    period: quarter,
    on: quarter.to,
    peildata: inspectiePeildata(quarter),
    messageId: inspectieMessageId(region.region.id, quarter.key),
  }
}

/**
 * Everything due at `now` for the regions: at most one staff summary and one Inspectie overview
 * per region, each with its deterministic message id.
 *
 * @example
 * Schedules.due(config.regions, new Date("2026-03-09T06:05:00Z"))
 * // [{ regionId: "westland", kind: "staff", period: { key: "2026-W10", … }, messageId: "summary:westland:2026-W10", … }]
 */
export const due = (regions: ReadonlyArray<Scheduled>, now: Date): ReadonlyArray<Due> =>
  regions.flatMap((region) =>
    (["staff", "inspectie"] as const).flatMap((kind) => {
      const d = dueFor(region, kind, now)
      return d === undefined ? [] : [d]
    }),
  )
