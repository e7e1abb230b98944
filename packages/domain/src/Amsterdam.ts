/**
 * Europe/Amsterdam time, where every Dutch school day begins: the one place that turns instants
 * into Dutch dates and wall-clock times and back (winter time UTC+1, summer time UTC+2).
 *
 * @since 0.3.0
 */
import type { LocalDate } from "./LocalDate.js"

// One formatter for the process: building one costs ~100 µs and native memory on every call.
const CLOCK = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Amsterdam",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
})

/** An instant on the Amsterdam wall clock. */
export interface WallClock {
  readonly date: LocalDate
  readonly hour: number
  readonly minute: number
  readonly second: number
}

const toDate = (instant: Date | string | number): Date =>
  instant instanceof Date ? instant : new Date(instant)

/** The wall clock as the time-zone database says it: one formatter call (a few µs each). */
const formatted = (date: Date): WallClock => {
  const p = Object.fromEntries(CLOCK.formatToParts(date).map((x) => [x.type, x.value]))
  return {
    date: `${p.year}-${p.month}-${p.day}` as LocalDate,
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  }
}

const HOUR_MS = 3_600_000

/** The offset from UTC at a whole second, from the formatter. */
const formattedOffset = (ms: number): number => {
  const { date, hour, minute, second } = formatted(new Date(ms))
  const [year, month, day] = date.split("-").map(Number)
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour, minute, second) - ms
}

/**
 * Amsterdam's offset from UTC by UTC hour (`floor(ms / HOUR_MS)`), for the hours where it is the
 * same at the hour's first and last second: the offset changes on whole seconds, so then it holds
 * for the whole hour. Every change since 1977 falls on a whole UTC hour (01:00 UTC, EU summer
 * time); an hour with a change inside it (the old local mean time, 1937, 1940) is never kept and
 * goes to the formatter. The working lists turn many instants into dates per request, and one
 * formatter call costs more than the rest of the arithmetic together.
 */
const offsetByHour = new Map<number, number>()
const OFFSET_HOURS_KEPT = 50_000

const hourOffset = (hour: number): number | undefined => {
  const known = offsetByHour.get(hour)
  if (known !== undefined) return known
  const first = formattedOffset(hour * HOUR_MS)
  if (formattedOffset(hour * HOUR_MS + HOUR_MS - 1000) !== first) return undefined
  if (offsetByHour.size >= OFFSET_HOURS_KEPT) offsetByHour.clear()
  offsetByHour.set(hour, first)
  return first
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

/** The Amsterdam date and time of an instant (a `Date`, an ISO timestamp or epoch ms). */
export const wallClock = (instant: Date | string | number): WallClock => {
  const date = toDate(instant)
  const ms = date.getTime()
  // An invalid instant goes to the formatter, which refuses it (RangeError) as it always did.
  const offset = Number.isFinite(ms) ? hourOffset(Math.floor(ms / HOUR_MS)) : undefined
  if (offset === undefined) return formatted(date)
  const local = new Date(ms + offset)
  const year = local.getUTCFullYear()
  // Four-digit years only: the formatter writes others its own way.
  if (year < 1000 || year > 9999) return formatted(date)
  return {
    date: `${year}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}` as LocalDate,
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  }
}

/** The Amsterdam date of an instant; today by default. */
export const dateOf = (instant: Date | string | number = new Date()): LocalDate => wallClock(instant).date

/** `14:05`: the Amsterdam wall-clock time of an instant. */
export const timeOf = (instant: Date | string | number): string => {
  const { hour, minute } = wallClock(instant)
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`
}

/** Europe/Amsterdam's offset from UTC at an instant, in ms (3,600,000 in winter, 7,200,000 in summer). */
export const offsetMs = (instant: number): number => {
  const { date, hour, minute, second } = wallClock(instant)
  const [year, month, day] = date.split("-").map(Number)
  const local = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour, minute, second)
  return local - Math.floor(instant / 1000) * 1000
}

/**
 * The instant of a wall-clock time (`HH:MM`) on a date in Europe/Amsterdam. On the spring-forward
 * day a time in the skipped hour lands an hour later; on the fall-back day the first of the two is
 * taken.
 *
 * @example
 * instantOf(LocalDate.make("2026-03-09"), "07:00").toISOString() // "2026-03-09T06:00:00.000Z"
 */
export const instantOf = (date: LocalDate, time: string): Date => {
  const [hours, minutes] = time.split(":").map(Number)
  const [year, month, day] = date.split("-").map(Number)
  const naive = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hours ?? 0, minutes ?? 0)
  const first = offsetMs(naive - 3_600_000)
  const utc = naive - first
  const second = offsetMs(utc)
  return new Date(second === first ? utc : naive - second)
}
