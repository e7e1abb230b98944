/**
 * Dates and instants for the generator: cached date strings (100,000 cases format the same few
 * hundred dates millions of times), school days, and the forward-only clock of a case.
 *
 * @since 0.1.0
 */
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"
import type { Timestamp } from "../Timestamp.js"
import type { Random } from "./Random.js"

export const MS_PER_DAY = 86_400_000
export const MS_PER_MINUTE = 60_000
export const OFFICE_OPEN = 7 * 60 * MS_PER_MINUTE
export const OFFICE_CLOSE = 16 * 60 * MS_PER_MINUTE

const dateCache = new Map<number, LocalDate.LocalDate>()
export const dateOf = (epochDay: number): LocalDate.LocalDate => {
  let date = dateCache.get(epochDay)
  if (date === undefined) {
    date = LocalDate.fromEpochDay(epochDay)
    if (dateCache.size < 50_000) dateCache.set(epochDay, date)
  }
  return date
}

const epochDayCache = new Map<string, number>()
/** `LocalDate.toEpochDay`, cached. */
export const epochDayOf = (date: LocalDate.LocalDate): number => {
  let day = epochDayCache.get(date)
  if (day === undefined) {
    day = LocalDate.toEpochDay(date)
    if (epochDayCache.size < 50_000) epochDayCache.set(date, day)
  }
  return day
}

/** `LocalDate.addDays` over the caches. */
export const plusDays = (date: LocalDate.LocalDate, days: number): LocalDate.LocalDate =>
  dateOf(epochDayOf(date) + days)

/** ISO weekday (Monday 1 … Sunday 7) of an epoch day; 1970-01-01 was a Thursday. */
export const weekdayOf = (epochDay: number): number => ((((epochDay + 3) % 7) + 7) % 7) + 1

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

/** `Date#toISOString` for years 1970–9999, built from the cached date (several times faster). */
export const timestampOf = (ms: number): Timestamp => {
  const day = Math.floor(ms / MS_PER_DAY)
  let rest = ms - day * MS_PER_DAY
  const hours = Math.floor(rest / 3_600_000)
  rest -= hours * 3_600_000
  const minutes = Math.floor(rest / MS_PER_MINUTE)
  rest -= minutes * MS_PER_MINUTE
  const seconds = Math.floor(rest / 1000)
  const millis = rest - seconds * 1000
  const fraction = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis)
  return `${dateOf(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${fraction}Z` as Timestamp
}
export const isTimestamp = (s: string): s is Timestamp => s.includes("T")

/** A school day per the calendars (cached per calendar set), or Monday to Friday without them. */
const schoolDayCache = new WeakMap<object, Map<number, boolean>>()
export const isSchoolDay = (calendars: SchoolCalendar.Calendars | undefined, epochDay: number): boolean => {
  if (weekdayOf(epochDay) >= 6) return false
  if (calendars === undefined) return true
  let cache = schoolDayCache.get(calendars)
  if (cache === undefined) {
    cache = new Map()
    schoolDayCache.set(calendars, cache)
  }
  let open = cache.get(epochDay)
  if (open === undefined) {
    open = SchoolCalendar.isSchoolDay(calendars, dateOf(epochDay))
    cache.set(epochDay, open)
  }
  return open
}

/**
 * The clock of one case history: it only moves forward, to working days (Monday–Friday) between
 * 07:00 and 16:00 UTC (08:00–18:00 in Amsterdam), so the UTC date is the Dutch date.
 */
export class Clock {
  constructor(
    private ms: number,
    private readonly random: Random,
  ) {}

  get at(): Timestamp {
    return timestampOf(this.ms)
  }

  get on(): LocalDate.LocalDate {
    return dateOf(Math.floor(this.ms / MS_PER_DAY))
  }

  get epochDay(): number {
    return Math.floor(this.ms / MS_PER_DAY)
  }

  /** Moves exactly `minutes` on, without a draw: for events added without changing the random stream. */
  tick(minutes: number): this {
    this.ms += minutes * MS_PER_MINUTE
    return this
  }

  /** Sets the clock back to an earlier event's instant (after a history is cut short). */
  reset(ms: number): void {
    this.ms = ms
  }

  /** Moves `min`–`max` days on (0 = possibly later the same day) to a working day. */
  days(min: number, max: number): this {
    const day = this.epochDay + this.random.int(min, max)
    const candidate = this.morning(day) + this.random.int(0, 8 * 60) * MS_PER_MINUTE
    if (candidate > this.ms) this.ms = candidate
    else {
      const later = this.ms + this.random.int(5, 45) * MS_PER_MINUTE
      // Past 16:00 UTC the work continues the next working day.
      this.ms = later < this.epochDay * MS_PER_DAY + OFFICE_CLOSE ? later : this.morning(this.epochDay + 1)
    }
    return this
  }

  /** 07:00 UTC on the first working day from `epochDay`. */
  private morning(epochDay: number): number {
    let day = epochDay
    while (weekdayOf(day) >= 6) day++
    return day * MS_PER_DAY + OFFICE_OPEN
  }
}
