/**
 * Working days for the deadlines a regiehouder keeps: Monday to Friday, except the public
 * holidays of the school calendar. School holidays are working days: the regiehouder works
 * through them.
 *
 * @since 0.3.0
 */
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"

/** A weekday (Monday to Friday) that is a public holiday of the calendar. */
const isPublicHoliday = (calendars: SchoolCalendar.Calendars, date: LocalDate.LocalDate): boolean => {
  const calendar = SchoolCalendar.calendarFor(calendars, date)
  return calendar?.freeDays.some((d) => d.date === date) === true
}

/** A working day: Monday to Friday and not a public holiday of the calendar. */
export const isWorkingDay = (calendars: SchoolCalendar.Calendars, date: LocalDate.LocalDate): boolean =>
  !LocalDate.isWeekend(date) && !isPublicHoliday(calendars, date)

/**
 * The date `n` working days after `from` (`from` itself does not count). Steps by epoch day and
 * writes out only the weekdays: every deadline of every row of a working list comes here.
 */
export const addWorkingDays = (
  calendars: SchoolCalendar.Calendars,
  from: LocalDate.LocalDate,
  n: number,
): LocalDate.LocalDate => {
  let date = from
  let day = LocalDate.toEpochDay(from)
  for (let left = n; left > 0; ) {
    day++
    if (LocalDate.weekdayOfEpochDay(day) >= 6) continue
    date = LocalDate.fromEpochDay(day)
    if (!isPublicHoliday(calendars, date)) left--
  }
  return date
}
