/**
 * Who must consent before a pupil is referred or care data is shared, by age on the peildatum.
 *
 * Two policies:
 * - `referral` (default; the referral forms of Schoolformaat's "Er op Af" and SWV Amstelland en
 *   de Meerlanden's "Verzuim"): under 16 the parents consent;
 *   from 16 the pupil consents and the parents must be informed, their consent is not needed.
 * - `care-ladder` (WGBO art. 7:450 and 7:465 BW, Jeugdwet art. 7.3.4): under 12 the parents;
 *   12 to 15 the parents and the pupil; from 16 the pupil alone.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { activeConsents, type ConsentPurpose, type ConsentRecord, type ConsentSubject } from "../Consent.js"
import type * as LocalDate from "../LocalDate.js"
import { ageOn } from "./Age.js"

export const ConsentPolicy = Schema.Literal("referral", "care-ladder").annotations({
  identifier: "ConsentPolicy",
  title: "Toestemmingsregel",
})
export type ConsentPolicy = typeof ConsentPolicy.Type

/** Parties whose consent counts: the parents (ouders/verzorgers, legal representatives) and the pupil. */
export type ConsentParty = ConsentSubject

/** Age limits of both policies; the defaults are the ones of the seeds and the WGBO. */
export const ConsentOptions = Schema.Struct({
  /** From this age the pupil decides alone (referral: parents informed). Default 16. */
  pupilDecidesFromAge: Schema.optionalWith(Schema.Int.pipe(Schema.between(12, 18)), { default: () => 16 }),
  /** Care ladder: from this age the pupil consents together with the parents. Default 12. */
  jointConsentFromAge: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 16)), { default: () => 12 }),
}).annotations({ identifier: "ConsentOptions" })
export type ConsentOptions = typeof ConsentOptions.Type

export const defaults: ConsentOptions = Schema.decodeSync(ConsentOptions)({})

export interface ConsentRequirement {
  readonly policy: ConsentPolicy
  readonly age: number
  /** Every party listed must consent. */
  readonly mustConsent: ReadonlyArray<ConsentParty>
  /** Parents must be told even though their consent is not required. */
  readonly parentsMustBeInformed: boolean
  /** Where the rule comes from, for the screen and the file. */
  readonly source: string
}

/**
 * Who must consent on `date`, by the pupil's age and the policy.
 *
 * @example
 * consentRequirement(LocalDate.make("2010-05-14"), LocalDate.make("2026-05-14"), "referral").mustConsent
 * // ["leerling"]
 */
export const consentRequirement = (
  birthDate: LocalDate.LocalDate,
  date: LocalDate.LocalDate,
  policy: ConsentPolicy = "referral",
  options: Partial<ConsentOptions> = {},
): ConsentRequirement => {
  const { pupilDecidesFromAge, jointConsentFromAge } = { ...defaults, ...options }
  const age = ageOn(birthDate, date)
  if (policy === "referral") {
    const source = "aanmeldformulieren Er op Af (Schoolformaat) en SWV Amstelland en de Meerlanden"
    return age >= pupilDecidesFromAge
      ? { policy, age, mustConsent: ["leerling"], parentsMustBeInformed: true, source }
      : { policy, age, mustConsent: ["ouders"], parentsMustBeInformed: false, source }
  }
  const mustConsent: ReadonlyArray<ConsentParty> =
    age >= pupilDecidesFromAge
      ? ["leerling"]
      : age >= jointConsentFromAge
        ? ["ouders", "leerling"]
        : ["ouders"]
  return {
    policy,
    age,
    mustConsent,
    parentsMustBeInformed: false,
    source: "WGBO art. 7:450 en 7:465 BW; Jeugdwet art. 7.3.4",
  }
}

/** What was recorded: who consented, and whether the parents were informed. */
export interface ConsentState {
  readonly consentedBy: ReadonlyArray<ConsentParty>
  readonly parentsInformed: boolean
}

export type MissingConsent = "toestemming-ouders" | "toestemming-leerling" | "ouders-informeren"

/** Dutch reasons, shown to the worker as they are. */
export const missingReason: Readonly<Record<MissingConsent, string>> = {
  "toestemming-ouders": "toestemming ouders ontbreekt",
  "toestemming-leerling": "toestemming leerling ontbreekt",
  "ouders-informeren": "ouders nog niet geïnformeerd",
}

/**
 * What is still missing to satisfy `requirement`; empty when the consent is complete.
 * Parents who consented count as informed.
 *
 * @example
 * missingConsent(requirement, { consentedBy: ["leerling"], parentsInformed: false })
 * // [{ code: "ouders-informeren", reason: "ouders nog niet geïnformeerd" }]
 */
export const missingConsent = (
  requirement: ConsentRequirement,
  given: ConsentState,
): ReadonlyArray<{ readonly code: MissingConsent; readonly reason: string }> => {
  const codes: Array<MissingConsent> = []
  if (requirement.mustConsent.includes("ouders") && !given.consentedBy.includes("ouders"))
    codes.push("toestemming-ouders")
  if (requirement.mustConsent.includes("leerling") && !given.consentedBy.includes("leerling"))
    codes.push("toestemming-leerling")
  if (requirement.parentsMustBeInformed && !given.parentsInformed && !given.consentedBy.includes("ouders"))
    codes.push("ouders-informeren")
  return codes.map((code) => ({ code, reason: missingReason[code] }))
}

/**
 * The consent state of a `Consent.ConsentRecord` on `date` for `purpose`: the subjects with a
 * consent in force, and whether the parents were informed by then.
 */
export const consentStateOn = (
  record: ConsentRecord,
  purpose: ConsentPurpose,
  date: LocalDate.LocalDate,
): ConsentState => ({
  consentedBy: [...new Set(activeConsents(record, purpose, date).map((c) => c.subject))],
  parentsInformed: record.parentsInformedOn !== undefined && record.parentsInformedOn <= date,
})

/**
 * What is missing on `date` for `purpose` (default `aanmelding`, the referral) given the consent
 * record of the case.
 */
export const missingConsentOn = (
  requirement: ConsentRequirement,
  record: ConsentRecord,
  date: LocalDate.LocalDate,
  purpose: ConsentPurpose = "aanmelding",
): ReadonlyArray<{ readonly code: MissingConsent; readonly reason: string }> =>
  missingConsent(requirement, consentStateOn(record, purpose, date))
