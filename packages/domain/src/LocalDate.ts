/**
 * Calendar dates without a time zone (`YYYY-MM-DD`), as Dutch school law counts them.
 *
 * A `LocalDate` is a branded ISO string: it sorts lexicographically, serialises as itself and
 * needs no time-zone handling. Arithmetic goes through the epoch day (days since 1970-01-01).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Amsterdam from "./Amsterdam.js"

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000

/** Day numbers of the weekdays, ISO 8601 (Monday = 1 … Sunday = 7). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

const isoOfEpochDay = (epochDay: number): string => new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10)

const isRealDate = (s: string): boolean => {
  const m = DATE_PATTERN.exec(s)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12 || day < 1) return false
  return day <= daysInMonth(year, month)
}

/** Earliest and latest dates the arbitrary generates: the years any pupil file can touch. */
const ARBITRARY_MIN_DAY = Date.UTC(1990, 0, 1) / MS_PER_DAY
const ARBITRARY_MAX_DAY = Date.UTC(2045, 11, 31) / MS_PER_DAY

/**
 * A calendar date `YYYY-MM-DD` that exists (no 2025-02-30).
 *
 * @example
 * Schema.decodeUnknownSync(LocalDate)("2026-08-31")
 */
export const LocalDate = Schema.String.pipe(
  Schema.filter((s) => isRealDate(s) || "verwacht een bestaande datum (jjjj-mm-dd)", {
    arbitrary: () => (fc) =>
      fc.integer({ min: ARBITRARY_MIN_DAY, max: ARBITRARY_MAX_DAY }).map((d) => isoOfEpochDay(d)),
  }),
  Schema.brand("LocalDate"),
  Schema.annotations({
    identifier: "LocalDate",
    title: "Datum",
    description: "A calendar date, YYYY-MM-DD.",
    jsonSchema: { type: "string", format: "date" },
  }),
)
export type LocalDate = typeof LocalDate.Type

/** Parses a trusted literal (tests, calendars). Throws on an impossible date. */
export const make = (s: string): LocalDate => {
  if (!isRealDate(s)) throw new RangeError(`not a calendar date: ${s}`)
  return s as LocalDate
}

export const isLocalDate = (s: string): s is LocalDate => isRealDate(s)

export const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate()

/** Days since 1970-01-01. */
export const toEpochDay = (d: LocalDate): number => {
  const year = Number(d.slice(0, 4))
  const month = Number(d.slice(5, 7))
  const day = Number(d.slice(8, 10))
  return Date.UTC(year, month - 1, day) / MS_PER_DAY
}

export const fromEpochDay = (epochDay: number): LocalDate => isoOfEpochDay(epochDay) as LocalDate

export const parts = (
  d: LocalDate,
): { readonly year: number; readonly month: number; readonly day: number } => ({
  year: Number(d.slice(0, 4)),
  month: Number(d.slice(5, 7)),
  day: Number(d.slice(8, 10)),
})

/** The months as Dutch staff write them in dates (`9 maart 2026`): one list for every door. */
export const DUTCH_MONTHS = [
  "januari",
  "februari",
  "maart",
  "april",
  "mei",
  "juni",
  "juli",
  "augustus",
  "september",
  "oktober",
  "november",
  "december",
] as const

/** `2026-03-09` → `9 maart 2026`. */
export const dutchLong = (d: LocalDate): string => {
  const { year, month, day } = parts(d)
  return `${day} ${DUTCH_MONTHS[month - 1]} ${year}`
}

export const fromParts = (year: number, month: number, day: number): LocalDate =>
  make(`${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`)

export const addDays = (d: LocalDate, days: number): LocalDate => fromEpochDay(toEpochDay(d) + days)

/**
 * Adds calendar months; a day that does not exist in the target month is clamped to its last day
 * (31 January + 1 month = 28/29 February), as Dutch law counts "three months".
 */
export const addMonths = (d: LocalDate, months: number): LocalDate => {
  const { year, month, day } = parts(d)
  const index = year * 12 + (month - 1) + months
  const y = Math.floor(index / 12)
  const m = (index % 12) + 1
  return fromParts(y, m, Math.min(day, daysInMonth(y, m)))
}

export const addYears = (d: LocalDate, years: number): LocalDate => addMonths(d, years * 12)

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number => toEpochDay(to) - toEpochDay(from)

export const compare = (a: LocalDate, b: LocalDate): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0)
export const isBefore = (a: LocalDate, b: LocalDate): boolean => a < b
export const isAfter = (a: LocalDate, b: LocalDate): boolean => a > b
export const min = (a: LocalDate, b: LocalDate): LocalDate => (a <= b ? a : b)
export const max = (a: LocalDate, b: LocalDate): LocalDate => (a >= b ? a : b)

/** Inclusive on both ends. */
export const isWithin = (d: LocalDate, from: LocalDate, to: LocalDate): boolean => d >= from && d <= to

export const weekday = (d: LocalDate): IsoWeekday => weekdayOfEpochDay(toEpochDay(d))

/** The ISO weekday of an epoch day: 1 January 1970 was a Thursday (4). */
export const weekdayOfEpochDay = (epochDay: number): IsoWeekday =>
  ((((epochDay % 7) + 7 + 3) % 7) + 1) as IsoWeekday

export const isWeekend = (d: LocalDate): boolean => weekday(d) >= 6

/** The Monday of the ISO week that holds `d`. */
export const startOfWeek = (d: LocalDate): LocalDate => addDays(d, 1 - weekday(d))

/** Every date from `from` to `to`, both included. */
export const range = (from: LocalDate, to: LocalDate): ReadonlyArray<LocalDate> => {
  const out: Array<LocalDate> = []
  for (let day = toEpochDay(from), end = toEpochDay(to); day <= end; day++) out.push(fromEpochDay(day))
  return out
}

/**
 * The Dutch school year that holds `d`: it runs from 1 August to 31 July
 * (the definition of "schooljaar" in WPO art. 1 and the WVO; the Leerplichtwet 1969 uses it).
 */
export const schoolYearOf = (d: LocalDate): SchoolYear => schoolYear(schoolYearStartOf(d))

/** The year in which the school year that holds `d` begins (1 August). */
const schoolYearStartOf = (d: LocalDate): number => {
  const year = Number(d.slice(0, 4))
  return Number(d.slice(5, 7)) >= 8 ? year : year - 1
}

const schoolYearLabel = (startYear: number): string =>
  `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`

/** The label of the school year that holds `d` (`2025/26`), without building its dates. */
export const schoolYearLabelOf = (d: LocalDate): string => schoolYearLabel(schoolYearStartOf(d))

export interface SchoolYear {
  /** `2025/26` style label. */
  readonly label: string
  readonly startYear: number
  readonly start: LocalDate
  readonly end: LocalDate
}

export const schoolYear = (startYear: number): SchoolYear => ({
  label: schoolYearLabel(startYear),
  startYear,
  start: fromParts(startYear, 8, 1),
  end: fromParts(startYear + 1, 7, 31),
})

// One formatter for the process: building one costs ~100 µs and native memory on every call.

/** Today in Europe/Amsterdam, where every Dutch school day begins. */
export const todayInAmsterdam = (now: Date = new Date()): LocalDate => Amsterdam.dateOf(now)
