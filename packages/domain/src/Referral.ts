/**
 * A referral (aanmelding): a professional asks the region to take regie of a pupil's absence.
 * The domain fixes what every region needs; a region's plug-in adds its own fields, carried in
 * `extension` and validated against the plug-in's schema.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AbsenceRecord } from "./Absence.js"
import { ConsentRecord } from "./Consent.js"
import { optional } from "./Fields.js"
import { OrganisationId, ReferralId, RegionId, UserId } from "./Ids.js"
import { JsonObject } from "./Json.js"
import { LocalDate } from "./LocalDate.js"
import { PartyRole } from "./Party.js"
import { Pupil, PupilDetails } from "./Pupil.js"
import { Email, LongText, Phone, ShortText } from "./Text.js"
import { Timestamp } from "./Timestamp.js"

export const ReferralReason = Schema.Literal(
  "ongeoorloofd-verzuim",
  "grijs-verzuim",
  "frequent-ziekteverzuim",
  "langdurig-verzuim",
  "thuiszitten",
  "te-laat-komen",
  "schorsing",
  "psychische-klachten",
  "lichamelijke-klachten",
  "gezinsproblematiek",
  "pesten",
  "onderwijsbehoefte",
  "overig",
).annotations({ identifier: "ReferralReason", title: "Reden van aanmelding" })
export type ReferralReason = typeof ReferralReason.Type

/**
 * - `relatief`: enrolled, absent without valid reason;
 * - `grijs`: every absence excused, yet the pattern worries;
 * - `ziekteverzuim`: frequent or long sick reports;
 * - `luxe`: unauthorised holiday;
 * - `langdurig`: a month or more at home;
 * - `absoluut`: of compulsory-school age and not enrolled.
 */
export const VerzuimKind = Schema.Literal(
  "relatief",
  "grijs",
  "ziekteverzuim",
  "luxe",
  "langdurig",
  "absoluut",
).annotations({ identifier: "VerzuimKind", title: "Soort verzuim" })
export type VerzuimKind = typeof VerzuimKind.Type

export const verzuimKindLabel: Record<VerzuimKind, string> = {
  relatief: "Relatief verzuim",
  grijs: "Grijs verzuim",
  ziekteverzuim: "Ziekteverzuim",
  luxe: "Luxe verzuim",
  langdurig: "Langdurig verzuim",
  absoluut: "Absoluut verzuim",
}

export const Referrer = Schema.Struct({
  role: PartyRole,
  name: ShortText,
  organisationId: OrganisationId,
  email: optional(Email),
  phone: optional(Phone),
}).annotations({ identifier: "Referrer", title: "Aanmelder" })
export type Referrer = typeof Referrer.Type

export const Parent = Schema.Struct({
  name: ShortText,
  relation: Schema.Literal("moeder", "vader", "ouder", "voogd", "pleegouder", "verzorger"),
  hasParentalAuthority: Schema.Boolean,
  email: optional(Email),
  phone: optional(Phone),
}).annotations({ identifier: "Parent", title: "Ouder / verzorger" })
export type Parent = typeof Parent.Type

/** What the referrer knows about the absence; the records are optional detail. */
export const AbsenceSummary = Schema.Struct({
  since: optional(LocalDate),
  unauthorisedHoursLast4Weeks: optional(Schema.Number.pipe(Schema.between(0, 200))),
  sickReportsLast12Weeks: optional(Schema.Int.pipe(Schema.between(0, 60))),
  records: Schema.optionalWith(Schema.Array(AbsenceRecord).pipe(Schema.maxItems(400)), {
    exact: true,
    default: () => [],
  }),
  description: optional(LongText),
}).annotations({ identifier: "AbsenceSummary", title: "Verzuimoverzicht" })
export type AbsenceSummary = typeof AbsenceSummary.Type

const submissionFields = {
  regionId: RegionId,
  referrer: Referrer,
  pupil: PupilDetails,
  parents: Schema.Array(Parent).pipe(Schema.maxItems(4)),
  reasons: Schema.NonEmptyArray(ReferralReason).pipe(Schema.maxItems(13)),
  verzuimKind: VerzuimKind,
  absence: AbsenceSummary,
  consent: ConsentRecord,
  situation: optional(LongText),
  helpAlreadyTried: optional(LongText),
  extension: Schema.optionalWith(JsonObject, { exact: true, default: () => ({}) }),
}

/** What a referrer submits (a form, a JSON file, a POST body). */
export const ReferralSubmission = Schema.Struct(submissionFields).annotations({
  identifier: "ReferralSubmission",
  title: "Aanmelding (invoer)",
})
export type ReferralSubmission = typeof ReferralSubmission.Type

/** A referral as the system keeps it: with its id, the pupil's id and when it arrived. */
export const Referral = Schema.Struct({
  ...submissionFields,
  id: ReferralId,
  pupil: Pupil,
  submittedAt: Timestamp,
  /** The user who submitted it; a referrer sees only the referrals they submitted. */
  submittedBy: optional(UserId),
}).annotations({ identifier: "Referral", title: "Aanmelding" })
export type Referral = typeof Referral.Type
