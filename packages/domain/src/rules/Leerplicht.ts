/**
 * Leerplicht and kwalificatieplicht: which regime a pupil is under on a date (Leerplichtwet 1969,
 * BWBR0002628).
 *
 * - volledige leerplicht (art. 3 for enrolment, art. 4 for attendance): from the first school day of the month after the 5th
 *   birthday to the end of the school year (31 July) in which the pupil turns 16, or earlier at
 *   the end of the school year in which the pupil completes 12 full school years;
 * - kwalificatieplicht (art. 4a, 4b): after that, until a startkwalificatie (havo, vwo, mbo-2 or
 *   higher) or the 18th birthday;
 * - RMC-doelgroep (art. 8 WVO / RMC-wetgeving, as given): 18 up to the 23rd birthday without a
 *   startkwalificatie; the Regionaal Meld- en Coördinatiepunt follows these young people.
 *
 * Periods are inclusive on both ends.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"
import { dateOfAge } from "./Age.js"

export const LeerplichtStatus = Schema.Literal(
  "nog-niet-leerplichtig",
  "leerplichtig",
  "kwalificatieplichtig",
  "startkwalificatie-behaald",
  "rmc",
  "niet-leerplichtig",
).annotations({ identifier: "LeerplichtStatus", title: "Leerplichtstatus" })
export type LeerplichtStatus = typeof LeerplichtStatus.Type

/** Ages fixed by law (not configurable). */
export const LEERPLICHT_START_AGE = 5
export const FULL_LEERPLICHT_END_AGE = 16
export const FULL_LEERPLICHT_SCHOOL_YEARS = 12
export const KWALIFICATIEPLICHT_END_AGE = 18
export const RMC_END_AGE = 23

/** A date range, both ends included. */
export interface Period {
  readonly start: LocalDate.LocalDate
  readonly end: LocalDate.LocalDate
}

export interface Pupil {
  readonly birthDate: LocalDate.LocalDate
  /** Date the startkwalificatie (havo, vwo, mbo-2+ diploma) was obtained, when known. */
  readonly startkwalificatieOn?: LocalDate.LocalDate
  /**
   * Full school years attended (art. 4 lid 1), as counted at the end of the school year that holds
   * `atEndOfSchoolYearOf`. Without it only the age limit (16) ends full leerplicht.
   */
  readonly fullSchoolYears?: { readonly completed: number; readonly atEndOfSchoolYearOf: LocalDate.LocalDate }
}

export interface Leerplicht {
  readonly status: LeerplichtStatus
  /** Volledige leerplicht. */
  readonly leerplicht: Period
  /** What ended full leerplicht: the school year of the 16th birthday, or 12 full school years. */
  readonly leerplichtEndsBy: "16-jaar" | "12-schooljaren"
  /** Undefined when a startkwalificatie came before full leerplicht ended. */
  readonly kwalificatieplicht: Period | undefined
  /** RMC-doelgroep; undefined when a startkwalificatie came before the 18th birthday. */
  readonly rmc: Period | undefined
}

const dayBefore = (d: LocalDate.LocalDate): LocalDate.LocalDate => LocalDate.addDays(d, -1)

const periodOrUndefined = (start: LocalDate.LocalDate, end: LocalDate.LocalDate): Period | undefined =>
  end >= start ? { start, end } : undefined

/**
 * First day of leerplicht (art. 3 lid 1): the first school day of the month after the month of
 * the 5th birthday; without a calendar the 1st of that month.
 *
 * @example
 * leerplichtStart(LocalDate.make("2020-09-14")) // "2025-10-01"
 */
export const leerplichtStart = (
  birthDate: LocalDate.LocalDate,
  calendars?: SchoolCalendar.Calendars,
): LocalDate.LocalDate => {
  const fifth = LocalDate.parts(dateOfAge(birthDate, LEERPLICHT_START_AGE))
  const firstOfNextMonth = LocalDate.addMonths(LocalDate.fromParts(fifth.year, fifth.month, 1), 1)
  return calendars === undefined
    ? firstOfNextMonth
    : SchoolCalendar.firstSchoolDayFrom(calendars, firstOfNextMonth)
}

/**
 * Last day of volledige leerplicht (art. 4 lid 1): 31 July of the school year in which the pupil turns
 * 16, or the end of the school year in which 12 full school years are completed if that is sooner.
 */
export const fullLeerplichtEnd = (
  pupil: Pupil,
): { readonly end: LocalDate.LocalDate; readonly by: Leerplicht["leerplichtEndsBy"] } => {
  const byAge = LocalDate.schoolYearOf(dateOfAge(pupil.birthDate, FULL_LEERPLICHT_END_AGE)).end
  if (pupil.fullSchoolYears === undefined) return { end: byAge, by: "16-jaar" }
  const { completed, atEndOfSchoolYearOf } = pupil.fullSchoolYears
  const startYear =
    LocalDate.schoolYearOf(atEndOfSchoolYearOf).startYear + (FULL_LEERPLICHT_SCHOOL_YEARS - completed)
  const byYears = LocalDate.schoolYear(startYear).end
  return byYears < byAge ? { end: byYears, by: "12-schooljaren" } : { end: byAge, by: "16-jaar" }
}

/**
 * The pupil's regime on `date` (peildatum) with its periods (Leerplichtwet 1969 art. 3, 4, 4a, 4b;
 * RMC: art. 8 WVO). A startkwalificatie obtained during full leerplicht does not end it; from the
 * end of full leerplicht on the status is then `startkwalificatie-behaald`.
 *
 * @example
 * leerplichtOn({ birthDate: LocalDate.make("2010-05-14") }, LocalDate.make("2026-08-01")).status
 * // "kwalificatieplichtig"
 */
export const leerplichtOn = (
  pupil: Pupil,
  date: LocalDate.LocalDate,
  calendars?: SchoolCalendar.Calendars,
): Leerplicht => {
  const start = leerplichtStart(pupil.birthDate, calendars)
  const full = fullLeerplichtEnd(pupil)
  const eighteen = dateOfAge(pupil.birthDate, KWALIFICATIEPLICHT_END_AGE)
  const twentyThree = dateOfAge(pupil.birthDate, RMC_END_AGE)
  const diploma = pupil.startkwalificatieOn
  const beforeDiploma = (end: LocalDate.LocalDate) =>
    diploma === undefined ? end : LocalDate.min(end, dayBefore(diploma))

  const kwalificatieplicht = periodOrUndefined(
    LocalDate.addDays(full.end, 1),
    beforeDiploma(dayBefore(eighteen)),
  )
  const rmc = periodOrUndefined(eighteen, beforeDiploma(dayBefore(twentyThree)))

  const status: LeerplichtStatus =
    date < start
      ? "nog-niet-leerplichtig"
      : date <= full.end
        ? "leerplichtig"
        : diploma !== undefined && diploma <= date
          ? "startkwalificatie-behaald"
          : date < eighteen
            ? "kwalificatieplichtig"
            : date < twentyThree
              ? "rmc"
              : "niet-leerplichtig"

  return { status, leerplicht: { start, end: full.end }, leerplichtEndsBy: full.by, kwalificatieplicht, rmc }
}

/** Leerplichtig or kwalificatieplichtig on `date`: the statuses the Leerplichtwet enforces. */
export const isLeerplichtigOrKwalificatieplichtig = (
  pupil: Pupil,
  date: LocalDate.LocalDate,
  calendars?: SchoolCalendar.Calendars,
): boolean => {
  const { status } = leerplichtOn(pupil, date, calendars)
  return status === "leerplichtig" || status === "kwalificatieplichtig"
}
