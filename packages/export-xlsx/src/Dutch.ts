/**
 * Dutch wording shared by the workbooks and the mail: dates as staff write them, and labels.
 *
 * @since 0.1.0
 */
import { LocalDate } from "@verzuimregie/domain"

const MONTHS = [
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

/** The date of an instant (or an ISO timestamp) in Europe/Amsterdam. */
export const amsterdamDate = (instant: Date | string): LocalDate.LocalDate =>
  LocalDate.todayInAmsterdam(typeof instant === "string" ? new Date(instant) : instant)

/** `9 maart 2026` */
export const longDate = (date: LocalDate.LocalDate): string => {
  const { year, month, day } = LocalDate.parts(date)
  return `${day} ${MONTHS[month - 1]} ${year}`
}

// One formatter for the process: building one costs ~100 µs and native memory on every call.
const amsterdamClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Amsterdam",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
})

/**
 * `9 maart 2026 om 14:05`: an instant as a Dutch reader's wall clock shows it (Europe/Amsterdam,
 * winter or summer time), not as UTC.
 */
export const dateTime = (instant: Date): string =>
  `${longDate(amsterdamDate(instant))} om ${amsterdamClock.format(instant)}`

/** `09-03-2026` */
export const shortDate = (date: LocalDate.LocalDate): string => {
  const { year, month, day } = LocalDate.parts(date)
  return `${String(day).padStart(2, "0")}-${String(month).padStart(2, "0")}-${year}`
}

/** `2 t/m 8 maart 2026`, `27 februari t/m 5 maart 2026`, or one date when `from` is `to`. */
export const dateRange = (from: LocalDate.LocalDate, to: LocalDate.LocalDate): string => {
  if (from === to) return longDate(from)
  const a = LocalDate.parts(from)
  const b = LocalDate.parts(to)
  if (a.year === b.year && a.month === b.month) return `${a.day} t/m ${longDate(to)}`
  if (a.year === b.year) return `${a.day} ${MONTHS[a.month - 1]} t/m ${longDate(to)}`
  return `${longDate(from)} t/m ${longDate(to)}`
}
