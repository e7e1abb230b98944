/**
 * Working days for the deadlines a regiehouder keeps: Monday to Friday, except the public
 * holidays of the school calendar. School holidays are working days: the regiehouder works
 * through them.
 *
 * @since 0.3.0
 */
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"

/** A working day: Monday to Friday and not a public holiday of the calendar. */
export const isWorkingDay = (calendars: SchoolCalendar.Calendars, date: LocalDate.LocalDate): boolean => {
  if (LocalDate.isWeekend(date)) return false
  const calendar = SchoolCalendar.calendarFor(calendars, date)
  return calendar === undefined || !calendar.freeDays.some((d) => d.date === date)
}

/** The date `n` working days after `from` (`from` itself does not count). */
export const addWorkingDays = (
  calendars: SchoolCalendar.Calendars,
  from: LocalDate.LocalDate,
  n: number,
): LocalDate.LocalDate => {
  let date = from
  for (let left = n; left > 0; ) {
    date = LocalDate.addDays(date, 1)
    if (isWorkingDay(calendars, date)) left--
  }
  return date
}
