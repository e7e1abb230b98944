/**
 * Early signals from a school's imported absence data: what the domain's rules say about one
 * pupil's records, before anyone has referred the pupil. A signal is a finding (type, period,
 * measure, a Dutch explanation without names); its lifecycle (nieuw → gezien → aangemeld or geen
 * actie, re-opened when the pattern worsens) is kept by the store.
 *
 * The statutory signals follow the law (meldplicht: Leerplichtwet 1969 art. 21a; luxe verzuim from
 * day 1; langdurig relatief verzuim 2a/2b: the Inspectie's thuiszittersdefinitie); M@ZL follows
 * the method's own triggers (GGD GHOR / NJi); the grijs-verzuim patterns are no law and their
 * thresholds are regional settings with documented defaults.
 *
 * @since 0.4.0
 */
import { Schema } from "effect"
import type { AbsenceRecord } from "./Absence.js"
import type * as LocalDate from "./LocalDate.js"

/**
 * - `meldplicht`: 16 hours of unauthorised absence within 4 consecutive school weeks;
 * - `luxe-verzuim`: unauthorised holiday, reportable from day 1;
 * - `langdurig-2a` / `langdurig-2b`: unauthorised absent more than 4 weeks / more than 3 months;
 * - `mazl-frequent`: the 4th ziekmelding within 12 school weeks;
 * - `mazl-langdurig`: the 7th consecutive school day of illness;
 * - `grijs-geoorloofd`: much authorised absence (every absence excused, yet a lot of it);
 * - `grijs-weekdag`: absence concentrated on one weekday (Mondays, Fridays);
 * - `grijs-te-laat`: frequent late arrival;
 * - `grijs-stijgend`: absence rising over recent school weeks.
 */
export const SignalType = Schema.Literal(
  "meldplicht",
  "luxe-verzuim",
  "langdurig-2a",
  "langdurig-2b",
  "mazl-frequent",
  "mazl-langdurig",
  "grijs-geoorloofd",
  "grijs-weekdag",
  "grijs-te-laat",
  "grijs-stijgend",
).annotations({ identifier: "SignalType", title: "Soort signaal" })
export type SignalType = typeof SignalType.Type

export const signalTypeLabel: Readonly<Record<SignalType, string>> = {
  meldplicht: "Meldplicht: 16 uur ongeoorloofd verzuim",
  "luxe-verzuim": "Luxe verzuim",
  "langdurig-2a": "Langdurig relatief verzuim (2a)",
  "langdurig-2b": "Langdurig relatief verzuim (2b)",
  "mazl-frequent": "M@ZL: vaak ziek gemeld",
  "mazl-langdurig": "M@ZL: langdurig ziek",
  "grijs-geoorloofd": "Grijs verzuim: veel geoorloofd verzuim",
  "grijs-weekdag": "Grijs verzuim: vaste verzuimdag",
  "grijs-te-laat": "Grijs verzuim: vaak te laat",
  "grijs-stijgend": "Grijs verzuim: stijgend verzuim",
}

/** Signals the school must report to DUO's verzuimregister (Leerplichtwet 1969 art. 21a). */
export const reportableToDuo: ReadonlySet<SignalType> = new Set(["meldplicht", "luxe-verzuim"])

/**
 * - `nieuw`: found, nobody has looked;
 * - `gezien`: a school user looked and noted what they do;
 * - `aangemeld`: it led to a referral (linked);
 * - `geen-actie`: no action, with a reason;
 * - `vervallen`: a corrected import no longer shows it.
 */
export const SignalStatus = Schema.Literal(
  "nieuw",
  "gezien",
  "aangemeld",
  "geen-actie",
  "vervallen",
).annotations({
  identifier: "SignalStatus",
  title: "Status van het signaal",
})
export type SignalStatus = typeof SignalStatus.Type

export const signalStatusLabel: Readonly<Record<SignalStatus, string>> = {
  nieuw: "Nieuw",
  gezien: "Gezien",
  aangemeld: "Aangemeld",
  "geen-actie": "Geen actie",
  vervallen: "Vervallen",
}

/** The statuses of a verzuimmelding in DUO's register, exactly as DUO names them. */
export const DuoMeldingStatus = Schema.Literal(
  "Geregistreerd",
  "In behandeling",
  "Afgesloten",
  "Ter kennisgeving aangenomen",
  "Ingetrokken",
).annotations({ identifier: "DuoMeldingStatus", title: "Status van de melding bij DUO" })
export type DuoMeldingStatus = typeof DuoMeldingStatus.Type

/**
 * Regional thresholds of the grijs-verzuim patterns. None of these is law: they are the region's
 * judgement of a worrying pattern. The defaults are tuned on the sample profiles (docs/absence.md,
 * "Signalen"): a `grijs` pupil shows a pattern within half a school year about 3 times in 4, a
 * `regulier` pupil about 1 in 35.
 */
export const GrijsVerzuimOptions = Schema.Struct({
  /** School weeks looked back for every pattern. Default 12. */
  windowSchoolWeeks: Schema.optionalWith(Schema.Int.pipe(Schema.between(2, 52)), { default: () => 12 }),
  /** Authorised absence (excl. sick) share of school time in the window that worries. Default 0.03. */
  authorisedShare: Schema.optionalWith(Schema.Number.pipe(Schema.between(0.01, 1)), { default: () => 0.03 }),
  /** Absence days in the window of which at least this share falls on one weekday. Default 0.5. */
  weekdayShare: Schema.optionalWith(Schema.Number.pipe(Schema.between(0.2, 1)), { default: () => 0.5 }),
  /** ... and at least this many absence days on that weekday. Default 4. */
  weekdayMinDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(2, 60)), { default: () => 4 }),
  /** Absence days in the window of which at least this share falls on Monday or Friday together. Default 0.65. */
  mondayFridayShare: Schema.optionalWith(Schema.Number.pipe(Schema.between(0.4, 1)), { default: () => 0.65 }),
  /** ... and at least this many absence days on Mondays and Fridays. Default 5. */
  mondayFridayMinDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(2, 60)), { default: () => 5 }),
  /** Late arrivals in the window that worry. Default 6. */
  lateCount: Schema.optionalWith(Schema.Int.pipe(Schema.between(2, 100)), { default: () => 6 }),
  /** Rising trend: absence hours of the last half of the window at least this factor of the first. Default 2. */
  risingFactor: Schema.optionalWith(Schema.Number.pipe(Schema.between(1.1, 10)), { default: () => 2 }),
  /** ... and at least this many hours in the last half. Default 8. */
  risingMinHours: Schema.optionalWith(Schema.Number.pipe(Schema.between(1, 200)), { default: () => 8 }),
}).annotations({ identifier: "GrijsVerzuimOptions" })
export type GrijsVerzuimOptions = typeof GrijsVerzuimOptions.Type

export const grijsDefaults: GrijsVerzuimOptions = Schema.decodeSync(GrijsVerzuimOptions)({})

/** One pupil's imported records, keyed by the school's own pupil number. */
export interface PupilAbsence {
  readonly pupilNumber: string
  readonly records: ReadonlyArray<AbsenceRecord>
  /** The pupil's birth date when the import carried one (the reporting duty ends at 18). */
  readonly birthDate?: LocalDate.LocalDate | undefined
}

/**
 * A finding of the rules for one pupil. `key` identifies it across imports (type + the period's
 * first day), so a re-import updates it instead of adding another one.
 */
export interface DetectedSignal {
  readonly pupilNumber: string
  readonly type: SignalType
  readonly key: string
  /** First and last day of the absence that makes the signal. */
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
  /** The day the rule fired (melding due, trigger day). */
  readonly firesOn: LocalDate.LocalDate
  /**
   * The size of the finding, in the type's unit (hours for meldplicht/luxe/rising, ziekmeldingen
   * or days for M@ZL, days for langdurig, a share for grijs-geoorloofd/-weekdag, a count for
   * te-laat). A larger measure for the same key means the pattern worsened.
   */
  readonly measure: number
  /** Dutch, without names or free text: what the rule saw ("16,5 uur ongeoorloofd in 4 schoolweken"). */
  readonly explanation: string
}

/** The key of a signal: its type and the first day of its period. */
export const signalKey = (type: SignalType, from: LocalDate.LocalDate): string => `${type}:${from}`
