/**
 * Dutch wording shared by the workbooks and the mail: dates as staff write them, and labels.
 *
 * @since 0.1.0
 */
import { Amsterdam, LocalDate } from "@verzuimregie/domain"

/** `9 maart 2026` */
export const longDate = LocalDate.dutchLong

/**
 * `9 maart 2026 om 14:05`: an instant as a Dutch reader's wall clock shows it (Europe/Amsterdam,
 * winter or summer time), not as UTC.
 */
export const dateTime = (instant: Date): string =>
  `${longDate(Amsterdam.dateOf(instant))} om ${Amsterdam.timeOf(instant)}`

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
  if (a.year === b.year) return `${a.day} ${LocalDate.DUTCH_MONTHS[a.month - 1]} t/m ${longDate(to)}`
  return `${longDate(from)} t/m ${longDate(to)}`
}
