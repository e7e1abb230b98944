/**
 * The national signals of a case's last recorded attendance: the Inspectie category while the
 * pupil is at home, and the Thuiszitterspact status. One place for the question every view asks —
 * the case page and the staff summary (through plugin-sdk `Deadlines`), and the store's working
 * lists (thuiszitters, pact risks) — so they cannot disagree: does a ground on record excuse this
 * duty, for this pupil, on this date (Leerplichtwet 1969 art. 5, 5a, 11, 15; see
 * `rules/LangdurigVerzuim.ts`)?
 *
 * @since 0.2.0
 */
import * as Case from "../Case.js"
import type * as LocalDate from "../LocalDate.js"
import type * as SchoolCalendar from "../SchoolCalendar.js"
import * as LangdurigVerzuim from "./LangdurigVerzuim.js"
import * as Thuiszitterspact from "./Thuiszitterspact.js"

/**
 * The pupil's duty and the grounds on record, for the rules that ask whether a ground excuses
 * the duty on a date: enrolled or not, the regime from the birth date, the vrijstellingen and
 * the leave of the case.
 */
export const dutiesOf = (
  state: Case.CaseState,
  calendars?: SchoolCalendar.Calendars,
): Omit<LangdurigVerzuim.Situation, "since"> => ({
  enrolled: state.attendance?.situation !== "niet-ingeschreven",
  pupil: { birthDate: state.referral.pupil.birthDate },
  vrijstellingen: state.exemptions,
  verlof: state.leave,
  ...(calendars === undefined ? {} : { calendars }),
})

/** A thuiszitter on a date: the Inspectie category and day 1 of the unexcused stretch. */
export interface Thuiszitter {
  readonly categorie: LangdurigVerzuim.Categorie
  /**
   * First day that counts: the first day at home, or the day after the last day a ground
   * excused (`LangdurigVerzuim.unexcusedSince`), so an expired vrijstelling restarts the count.
   */
  readonly since: LocalDate.LocalDate
}

/**
 * The pupil as a thuiszitter on `on`, from the case's attendance and the grounds on record;
 * undefined when the pupil is not at home, or is at home but no thuiszitter (a running
 * vrijstelling or lawful leave excuses the duty, or the unexcused stretch is 4 weeks or less).
 * A ground that does not excuse the duty (leave for a pupil who is not enrolled) does not count.
 */
export const thuiszitterOn = (
  state: Case.CaseState,
  on: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuim.LangdurigVerzuimOptions> = {},
  calendars?: SchoolCalendar.Calendars,
): Thuiszitter | undefined => {
  const attendance = state.attendance
  if (attendance === undefined || !Case.isHome(state) || attendance.since > on) return undefined
  return LangdurigVerzuim.thuiszitterOn(
    { ...dutiesOf(state, calendars), since: attendance.since },
    on,
    options,
  )
}

/** The Inspectie category of the case on `on` (see `thuiszitterOn`); undefined when none. */
export const categoryOn = (
  state: Case.CaseState,
  on: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuim.LangdurigVerzuimOptions> = {},
  calendars?: SchoolCalendar.Calendars,
): LangdurigVerzuim.Categorie | undefined => thuiszitterOn(state, on, options, calendars)?.categorie

/**
 * The Thuiszitterspact status of an open case whose pupil is at home, on `on`; undefined for a
 * closed case or a pupil not at home. Days a ground excuses do not count (`countsFrom`), and a
 * pupil excused on `on` is `ok`.
 */
export const pactOn = (
  state: Case.CaseState,
  on: LocalDate.LocalDate,
  options: Partial<Thuiszitterspact.ThuiszitterspactOptions> = {},
  calendars?: SchoolCalendar.Calendars,
): Thuiszitterspact.PactCheck | undefined => {
  const attendance = state.attendance
  if (attendance === undefined || !Case.isHome(state) || state.closed !== undefined) return undefined
  return Thuiszitterspact.thuiszitterspactStatus(
    {
      since: attendance.since,
      hasFittingOffer: attendance.fittingOffer,
      situation: dutiesOf(state, calendars),
    },
    on,
    options,
  )
}
