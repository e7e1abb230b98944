/**
 * Deadlines and signals of a case: the plug-in's own deadlines (first contact within N working
 * days, quarterly review) and the national ones that follow from the pupil's attendance
 * (thuiszitter category, Thuiszitterspact).
 *
 * @since 0.1.0
 */
import {
  Case,
  LangdurigVerzuim,
  Leerplicht,
  LocalDate,
  SchoolCalendar,
  Thuiszitterspact,
} from "@verzuimregie/domain"
import type { CaseContext, RegionPlugin, Thresholds } from "./Plugin.js"

/**
 * A working day: Monday to Friday and not a public holiday of the calendar. School holidays are
 * working days: the regiehouder works through them.
 */
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

/** The day a case was opened, in Europe/Amsterdam. */
export const openedOn = (state: Case.CaseState): LocalDate.LocalDate =>
  LocalDate.todayInAmsterdam(new Date(state.openedAt))

/**
 * The day the first contacts with all of `roles` were made: the latest of each role's earliest
 * contact (a contact logged later but dated earlier counts from its date); undefined while one
 * of them has had none.
 */
export const contactsDoneOn = (
  state: Case.CaseState,
  roles: ReadonlyArray<Case.ContactEntry["with"]>,
): LocalDate.LocalDate | undefined => {
  let done: LocalDate.LocalDate | undefined
  for (const role of roles) {
    const first = Case.firstContactOn(state, role)
    if (first === undefined) return undefined
    done = done === undefined ? first : LocalDate.max(done, first)
  }
  return done
}

export type DeadlineStatus = "open" | "binnenkort" | "verlopen" | "gehaald" | "te-laat-gehaald"

export interface DeadlineCheck {
  readonly id: string
  readonly label: string
  readonly dueOn: LocalDate.LocalDate
  readonly metOn: LocalDate.LocalDate | undefined
  readonly status: DeadlineStatus
}

/** Days before a due date from which an open deadline counts as "binnenkort". */
export const DUE_SOON_DAYS = 3

/** The plug-in's deadlines of one case on the context's date. */
export const deadlineChecks = <S>(plugin: RegionPlugin<S>, ctx: CaseContext<S>): Array<DeadlineCheck> =>
  plugin.deadlines.flatMap((deadline) => {
    const dueOn = deadline.dueOn(ctx)
    if (dueOn === undefined) return []
    const metOn = deadline.metOn(ctx)
    const status: DeadlineStatus =
      metOn !== undefined
        ? metOn <= dueOn
          ? "gehaald"
          : "te-laat-gehaald"
        : ctx.on > dueOn
          ? "verlopen"
          : LocalDate.daysBetween(ctx.on, dueOn) <= DUE_SOON_DAYS
            ? "binnenkort"
            : "open"
    return [{ id: deadline.id, label: deadline.label, dueOn, metOn, status }]
  })

export interface AttendanceSignals {
  readonly categorie: LangdurigVerzuim.Categorie | undefined
  readonly pact: Thuiszitterspact.PactCheck | undefined
}

/**
 * The Inspectie category of an open case on `on`, from its attendance and exemptions (a pupil
 * with a running vrijstelling is no thuiszitter); undefined when the pupil is not at home.
 */
export const categoryOn = (
  state: Case.CaseState,
  on: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuim.LangdurigVerzuimOptions> = {},
  calendars?: SchoolCalendar.Calendars,
): LangdurigVerzuim.Categorie | undefined => {
  const attendance = state.attendance
  if (attendance === undefined || !Case.isHome(state) || attendance.since > on) return undefined
  const enrolled = attendance.situation === "thuiszittend"
  return LangdurigVerzuim.categorie(
    {
      enrolled,
      since: attendance.since,
      vrijstellingen: state.exemptions,
      ...(enrolled
        ? {}
        : {
            leerplicht: Leerplicht.leerplichtOn({ birthDate: state.referral.pupil.birthDate }, on, calendars)
              .status,
          }),
    },
    on,
    options,
  )
}

/**
 * The national signals that follow from the last recorded attendance: the Inspectie category
 * while the pupil is at home, and the pact status while no fitting offer is in place.
 */
export const attendanceSignals = (
  state: Case.CaseState,
  on: LocalDate.LocalDate,
  thresholds: Thresholds = {},
  calendars?: SchoolCalendar.Calendars,
): AttendanceSignals => {
  const attendance = state.attendance
  if (attendance === undefined || !Case.isHome(state) || state.closed !== undefined) {
    return { categorie: undefined, pact: undefined }
  }
  const pact = Thuiszitterspact.thuiszitterspactStatus(
    { since: attendance.since, hasFittingOffer: attendance.fittingOffer },
    on,
    thresholds.thuiszitterspact,
  )
  return { categorie: categoryOn(state, on, {}, calendars), pact }
}
