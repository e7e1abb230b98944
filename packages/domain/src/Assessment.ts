/**
 * Runs every national rule over one referral on a reference date, so an intake screen, a report
 * or the command line can show which rules fire and why. Pure: the caller passes the date, the
 * school calendars and the region's thresholds.
 *
 * @since 0.1.0
 */
import type { AbsenceRecord } from "./Absence.js"
import type * as LocalDate from "./LocalDate.js"
import type { ReferralSubmission } from "./Referral.js"
import { ageOn } from "./rules/Age.js"
import * as ConsentRequirement from "./rules/ConsentRequirement.js"
import * as HomePeriods from "./rules/HomePeriods.js"
import * as LangdurigVerzuim from "./rules/LangdurigVerzuim.js"
import * as Leerplicht from "./rules/Leerplicht.js"
import * as Mazl from "./rules/Mazl.js"
import * as ReportingDuty from "./rules/ReportingDuty.js"
import * as Thuiszitterspact from "./rules/Thuiszitterspact.js"
import type * as Verlof from "./rules/Verlof.js"
import type * as Vrijstelling from "./rules/Vrijstelling.js"
import type * as SchoolCalendar from "./SchoolCalendar.js"

export interface AssessmentOptions {
  readonly on: LocalDate.LocalDate
  readonly calendars: SchoolCalendar.Calendars
  readonly consentPolicy?: ConsentRequirement.ConsentPolicy
  readonly reportingDuty?: Partial<ReportingDuty.ReportingDutyOptions>
  readonly mazl?: Partial<Mazl.MazlOptions>
  readonly thuiszitterspact?: Partial<Thuiszitterspact.ThuiszitterspactOptions>
  /** Leave on record for the pupil (a case's `leave`): covered absence is no verzuim. */
  readonly leave?: ReadonlyArray<Verlof.Verlof>
  /** Vrijstellingen on record for the pupil (a case's `exemptions`). */
  readonly vrijstellingen?: ReadonlyArray<Vrijstelling.Vrijstelling>
}

/** One rule that fires, in Dutch for the person reading it, with the rule's code for machines. */
export interface Signal {
  readonly rule:
    | "toestemming"
    | "meldplicht-relatief-verzuim"
    | "meldplicht-luxe-verzuim"
    | "thuiszitter"
    | "thuiszitterspact"
    | "mazl"
    | "absoluut-verzuim"
  readonly severity: "info" | "waarschuwing" | "alarm"
  readonly message: string
}

export interface Assessment {
  readonly on: LocalDate.LocalDate
  readonly age: number
  readonly leerplicht: Leerplicht.Leerplicht
  readonly consent: {
    readonly requirement: ConsentRequirement.ConsentRequirement
    readonly missing: ReadonlyArray<{
      readonly code: ConsentRequirement.MissingConsent
      readonly reason: string
    }>
  }
  readonly reportingDutyApplies: boolean
  readonly meldingen: ReadonlyArray<ReportingDuty.Melding>
  readonly luxeVerzuim: ReadonlyArray<ReportingDuty.LuxeVerzuimMelding>
  readonly categorie: LangdurigVerzuim.Categorie | undefined
  readonly pact: Thuiszitterspact.PactCheck | undefined
  readonly mazl: ReadonlyArray<Mazl.MazlTrigger>
  readonly signals: ReadonlyArray<Signal>
}

const hours = (n: number): string => n.toLocaleString("nl-NL", { maximumFractionDigits: 2 })

/**
 * Assesses a referral on `options.on`.
 *
 * @example
 * const a = assess(referral, { on: LocalDate.make("2026-03-02"), calendars: Calendars.midden })
 * a.signals.map((s) => s.message)
 */
export const assess = (referral: ReferralSubmission, options: AssessmentOptions): Assessment => {
  const { on, calendars } = options
  const { birthDate } = referral.pupil
  const records: ReadonlyArray<AbsenceRecord> = referral.absence.records
  const age = ageOn(birthDate, on)
  const leerplicht = Leerplicht.leerplichtOn({ birthDate }, on, calendars)
  const requirement = ConsentRequirement.consentRequirement(
    birthDate,
    on,
    options.consentPolicy ?? "referral",
  )
  const missing = ConsentRequirement.missingConsentOn(requirement, referral.consent, on)
  const dutyApplies = ReportingDuty.reportingDutyApplies({ birthDate }, on, calendars)
  const leave = options.leave ?? []
  const meldingen = dutyApplies
    ? ReportingDuty.relatiefVerzuimMeldingen(records, calendars, on, options.reportingDuty, leave)
    : []
  const luxeVerzuim = dutyApplies
    ? ReportingDuty.luxeVerzuimMeldingen(records, calendars, on, options.reportingDuty, leave)
    : []
  // The pupil is at home when the referral says so, from when it says (as a case starts).
  const atHome = HomePeriods.fromReferral(referral)
  const since = atHome?.since
  const duties: Omit<LangdurigVerzuim.Situation, "since"> = {
    enrolled: atHome?.situation !== "niet-ingeschreven",
    pupil: { birthDate },
    calendars,
    leerplicht: leerplicht.status,
    vrijstellingen: options.vrijstellingen ?? [],
    verlof: leave,
  }
  const categorie = since === undefined ? undefined : LangdurigVerzuim.categorie({ ...duties, since }, on)
  const pact =
    since === undefined
      ? undefined
      : Thuiszitterspact.thuiszitterspactStatus({ since, situation: duties }, on, options.thuiszitterspact)
  const mazlOptions = { ...Mazl.defaults, ...options.mazl }
  const mazl = Mazl.mazlTriggers(records, calendars, on, mazlOptions)

  const signals: Array<Signal> = []
  for (const m of missing) signals.push({ rule: "toestemming", severity: "waarschuwing", message: m.reason })
  for (const m of meldingen) {
    signals.push({
      rule: "meldplicht-relatief-verzuim",
      severity: "waarschuwing",
      message: `Meldplicht DUO: ${hours(m.hours)} uur ongeoorloofd verzuim van ${m.from} tot en met ${m.reachedOn}`,
    })
  }
  for (const l of luxeVerzuim) {
    signals.push({
      rule: "meldplicht-luxe-verzuim",
      severity: "waarschuwing",
      message: `Luxe verzuim van ${l.from} tot en met ${l.to}: te melden vanaf ${l.reportableOn}`,
    })
  }
  if (categorie !== undefined) {
    signals.push({
      rule: categorie === "1" ? "absoluut-verzuim" : "thuiszitter",
      severity: categorie === "2a" ? "waarschuwing" : "alarm",
      message: `Thuiszitter, categorie ${categorie}: ${LangdurigVerzuim.categorieLabel[categorie]}`,
    })
  }
  if (pact !== undefined && pact.status !== "ok") {
    signals.push({
      rule: "thuiszitterspact",
      severity: pact.status === "alarm" ? "alarm" : "waarschuwing",
      message:
        pact.status === "alarm"
          ? `Thuiszitterspact: langer dan 3 maanden thuis zonder passend aanbod (grens ${pact.limitDate})`
          : `Thuiszitterspact: over ${pact.daysRemaining} dagen 3 maanden thuis (grens ${pact.limitDate})`,
    })
  }
  for (const t of mazl) {
    signals.push({
      rule: "mazl",
      severity: "waarschuwing",
      message:
        t.rule === "frequent"
          ? `M@ZL: ${t.count}e ziekmelding binnen ${mazlOptions.windowSchoolWeeks} schoolweken op ${t.firesOn}`
          : `M@ZL: ${t.count}e aaneengesloten schooldag ziek op ${t.firesOn}`,
    })
  }
  return {
    on,
    age,
    leerplicht,
    consent: { requirement, missing },
    reportingDutyApplies: dutyApplies,
    meldingen,
    luxeVerzuim,
    categorie,
    pact,
    mazl,
    signals,
  }
}
