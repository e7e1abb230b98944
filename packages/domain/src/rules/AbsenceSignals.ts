/**
 * The signals of imported absence data: every rule of `AbsenceSignal.SignalType` over many
 * pupils at once, fast enough for a school year of a whole region (1,000,000 records for 20,000
 * pupils in seconds), and agreeing with the reference rules (`ReportingDuty`, `Mazl`,
 * `LangdurigVerzuim`) that the case views use.
 *
 * @since 0.4.0
 */
import type * as AbsenceSignal from "../AbsenceSignal.js"
import type * as LocalDate from "../LocalDate.js"
import type * as SchoolCalendar from "../SchoolCalendar.js"
import type * as LangdurigVerzuim from "./LangdurigVerzuim.js"
import type * as Mazl from "./Mazl.js"
import type * as ReportingDuty from "./ReportingDuty.js"

/** The thresholds of every signal; each part defaults to its rule's defaults. */
export interface SignalOptions {
  readonly reportingDuty?: Partial<ReportingDuty.ReportingDutyOptions> | undefined
  readonly mazl?: Partial<Mazl.MazlOptions> | undefined
  readonly langdurig?: Partial<LangdurigVerzuim.LangdurigVerzuimOptions> | undefined
  readonly grijs?: Partial<AbsenceSignal.GrijsVerzuimOptions> | undefined
}

/**
 * Every signal of every pupil up to `asOf` (peildatum), with the school's calendars (region
 * calendar with the school's override applied). Pure; no I/O.
 */
export const classify = (
  _pupils: Iterable<AbsenceSignal.PupilAbsence>,
  _calendars: SchoolCalendar.Calendars,
  _asOf: LocalDate.LocalDate,
  _options: SignalOptions = {},
): ReadonlyArray<AbsenceSignal.DetectedSignal> => {
  throw new Error("AbsenceSignals.classify: not built yet (issue 15)")
}

/**
 * The first day of the pupil's current stretch of unauthorised absence of whole school days up to
 * `asOf`, if the pupil is absent on `asOf`'s last school day: the imported data's answer to "since
 * when is this pupil at home", for a case's pact clock and Inspectie category.
 */
export const homeSince = (
  _records: ReadonlyArray<import("../Absence.js").AbsenceRecord>,
  _calendars: SchoolCalendar.Calendars,
  _asOf: LocalDate.LocalDate,
): LocalDate.LocalDate | undefined => {
  throw new Error("AbsenceSignals.homeSince: not built yet (issue 15)")
}
