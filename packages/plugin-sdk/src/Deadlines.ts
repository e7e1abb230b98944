/**
 * Deadlines and signals of a case: the plug-in's own deadlines (first contact within N working
 * days, quarterly review), the national ones (the yearly renewal of a vrijstelling, art. 6
 * Leerplichtwet 1969) and the signals that follow from the pupil's attendance (thuiszitter
 * category, Thuiszitterspact).
 *
 * @since 0.1.0
 */
import {
  Case,
  CaseSignals,
  type LangdurigVerzuim,
  LocalDate,
  type SchoolCalendar,
  type Thuiszitterspact,
  Vrijstelling,
} from "@verzuimregie/domain"
import type { CaseContext, RegionPlugin, Thresholds } from "./Plugin.js"

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

const statusOf = (
  on: LocalDate.LocalDate,
  dueOn: LocalDate.LocalDate,
  metOn: LocalDate.LocalDate | undefined,
): DeadlineStatus =>
  metOn !== undefined
    ? metOn <= dueOn
      ? "gehaald"
      : "te-laat-gehaald"
    : on > dueOn
      ? "verlopen"
      : LocalDate.daysBetween(on, dueOn) <= DUE_SOON_DAYS
        ? "binnenkort"
        : "open"

/**
 * The yearly renewals of the case's vrijstellingen (art. 6 Leerplichtwet 1969): every art. 5
 * ground but a permanent 5 onder a must be claimed again before 1 July for the next school year.
 * Met when a vrijstelling of the same ground for the next school year is on record (the day it
 * was recorded is not kept, so `metOn` stays empty); otherwise open, soon or overdue.
 */
export const renewalChecks = (state: Case.CaseState, on: LocalDate.LocalDate): Array<DeadlineCheck> =>
  Vrijstelling.renewals(state.exemptions).map(({ vrijstelling, deadline, renewed }) => {
    const next = LocalDate.schoolYear(LocalDate.schoolYearOf(vrijstelling.from).startYear + 1).label
    return {
      id: `vrijstelling-${vrijstelling.grond}-${next.replace("/", "-")}`,
      label: `Vrijstelling ${Vrijstelling.vrijstellingLabel[vrijstelling.grond].split(":")[0]} opnieuw aanvragen voor ${next} (vóór 1 juli, art. 6)`,
      dueOn: deadline,
      metOn: undefined,
      status: renewed ? "gehaald" : statusOf(on, deadline, undefined),
    }
  })

/** The deadlines of one case on the context's date: the plug-in's own, then the national ones. */
export const deadlineChecks = <S>(plugin: RegionPlugin<S>, ctx: CaseContext<S>): Array<DeadlineCheck> => [
  ...plugin.deadlines.flatMap((deadline) => {
    const dueOn = deadline.dueOn(ctx)
    if (dueOn === undefined) return []
    const metOn = deadline.metOn(ctx)
    return [{ id: deadline.id, label: deadline.label, dueOn, metOn, status: statusOf(ctx.on, dueOn, metOn) }]
  }),
  ...renewalChecks(ctx.state, ctx.on),
]

export interface AttendanceSignals {
  readonly categorie: LangdurigVerzuim.Categorie | undefined
  readonly pact: Thuiszitterspact.PactCheck | undefined
}

/**
 * The national signals that follow from the last recorded attendance: the Inspectie category
 * while the pupil is at home, and the pact status while no fitting offer is in place. Both ask
 * whether a ground on record excuses the pupil's duty: days excused do not count for the pact.
 */
export const attendanceSignals = (
  state: Case.CaseState,
  on: LocalDate.LocalDate,
  thresholds: Thresholds = {},
  calendars?: SchoolCalendar.Calendars,
): AttendanceSignals => {
  const pact = CaseSignals.pactOn(state, on, thresholds.thuiszitterspact, calendars)
  if (pact === undefined) return { categorie: undefined, pact: undefined }
  return { categorie: CaseSignals.categoryOn(state, on, {}, calendars), pact }
}
