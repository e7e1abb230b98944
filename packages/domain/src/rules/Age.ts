/**
 * Age in whole years, the input of every age limit in school law (5, 12, 16, 18, 23).
 *
 * Someone born on 29 February has, in a year without 29 February, the birthday on 1 March: the
 * rule of Dutch civil practice this project applies (a year is complete when the day after the
 * last day of the previous year of life begins).
 *
 * @since 0.1.0
 */
import * as LocalDate from "../LocalDate.js"

/**
 * The birthday in `year`: the same month and day, with 29 February moved to 1 March in a
 * non-leap year.
 *
 * @example
 * birthdayIn(LocalDate.make("2012-02-29"), 2027) // "2027-03-01"
 */
export const birthdayIn = (birthDate: LocalDate.LocalDate, year: number): LocalDate.LocalDate => {
  const { month, day } = LocalDate.parts(birthDate)
  if (month === 2 && day === 29 && LocalDate.daysInMonth(year, 2) === 28)
    return LocalDate.fromParts(year, 3, 1)
  return LocalDate.fromParts(year, month, day)
}

/**
 * The date on which the pupil turns `years` old.
 *
 * @example
 * dateOfAge(LocalDate.make("2010-05-14"), 16) // "2026-05-14"
 */
export const dateOfAge = (birthDate: LocalDate.LocalDate, years: number): LocalDate.LocalDate =>
  birthdayIn(birthDate, LocalDate.parts(birthDate).year + years)

/**
 * Age in whole years on `date` (peildatum); the birthday itself counts. Negative before birth.
 *
 * @example
 * ageOn(LocalDate.make("2010-05-14"), LocalDate.make("2026-05-13")) // 15
 * ageOn(LocalDate.make("2010-05-14"), LocalDate.make("2026-05-14")) // 16
 */
export const ageOn = (birthDate: LocalDate.LocalDate, date: LocalDate.LocalDate): number => {
  const years = LocalDate.parts(date).year - LocalDate.parts(birthDate).year
  return date >= dateOfAge(birthDate, years) ? years : years - 1
}
