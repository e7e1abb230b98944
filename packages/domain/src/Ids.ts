/**
 * Branded identifiers. Each kind of record has its own prefix (`case_…`, `ref_…`), so an id in a
 * log line or an API path says what it points to, and a `CaseId` cannot be passed where a
 * `ReferralId` is expected. Ids are random and carry no personal data.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const makeId = <const Brand extends string>(brand: Brand, prefix: string, title: string) =>
  Schema.String.pipe(
    Schema.pattern(new RegExp(`^${prefix}_[0-9a-z]{10,40}$`), {
      message: () => `verwacht een id zoals ${prefix}_0123456789abcdef`,
    }),
    Schema.brand(brand),
    Schema.annotations({ identifier: brand, title, description: `Id met het voorvoegsel ${prefix}_` }),
  )

export const CaseId = makeId("CaseId", "case", "Casus-id")
export type CaseId = typeof CaseId.Type
export const ReferralId = makeId("ReferralId", "ref", "Aanmelding-id")
export type ReferralId = typeof ReferralId.Type
export const PupilId = makeId("PupilId", "pupil", "Leerling-id")
export type PupilId = typeof PupilId.Type
export const PartyId = makeId("PartyId", "party", "Betrokkene-id")
export type PartyId = typeof PartyId.Type
export const OrganisationId = makeId("OrganisationId", "org", "Organisatie-id")
export type OrganisationId = typeof OrganisationId.Type
export const UserId = makeId("UserId", "user", "Gebruiker-id")
export type UserId = typeof UserId.Type
export const MeetingId = makeId("MeetingId", "mtg", "Overleg-id")
export type MeetingId = typeof MeetingId.Type
export const AgreementId = makeId("AgreementId", "agr", "Afspraak-id")
export type AgreementId = typeof AgreementId.Type
export const ActionId = makeId("ActionId", "act", "Actie-id")
export type ActionId = typeof ActionId.Type
export const InterventionId = makeId("InterventionId", "int", "Interventie-id")
export type InterventionId = typeof InterventionId.Type
export const EventId = makeId("EventId", "evt", "Gebeurtenis-id")
export type EventId = typeof EventId.Type
export const LeaveId = makeId("LeaveId", "verlof", "Verlof-id")
export type LeaveId = typeof LeaveId.Type
export const SignalId = makeId("SignalId", "sig", "Signaal-id")
export type SignalId = typeof SignalId.Type
export const AbsenceImportId = makeId("AbsenceImportId", "imp", "Import-id")
export type AbsenceImportId = typeof AbsenceImportId.Type

/**
 * Regions and plug-ins are named by configuration, not generated: lower-case slugs such as
 * `leidschendam-voorburg` or `er-op-af`.
 */
export const Slug = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
    message: () => "verwacht een naam in kleine letters zoals leidschendam-voorburg",
  }),
  Schema.maxLength(64),
)
export const RegionId = Slug.pipe(Schema.brand("RegionId"), Schema.annotations({ identifier: "RegionId" }))
export type RegionId = typeof RegionId.Type
export const PluginId = Slug.pipe(Schema.brand("PluginId"), Schema.annotations({ identifier: "PluginId" }))
export type PluginId = typeof PluginId.Type

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

/**
 * A new random id body: 20 characters of base 36 from the platform CSPRNG (about 103 bits).
 *
 * @example
 * const id = CaseId.make(`case_${randomIdBody()}`)
 */
export const randomIdBody = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(20))
  let out = ""
  for (const byte of bytes) out += ALPHABET[byte % 36]
  return out
}

/** Fresh ids of each kind, for the services that create records. */
export const newId = {
  case: () => CaseId.make(`case_${randomIdBody()}`),
  referral: () => ReferralId.make(`ref_${randomIdBody()}`),
  pupil: () => PupilId.make(`pupil_${randomIdBody()}`),
  party: () => PartyId.make(`party_${randomIdBody()}`),
  organisation: () => OrganisationId.make(`org_${randomIdBody()}`),
  user: () => UserId.make(`user_${randomIdBody()}`),
  meeting: () => MeetingId.make(`mtg_${randomIdBody()}`),
  agreement: () => AgreementId.make(`agr_${randomIdBody()}`),
  action: () => ActionId.make(`act_${randomIdBody()}`),
  intervention: () => InterventionId.make(`int_${randomIdBody()}`),
  event: () => EventId.make(`evt_${randomIdBody()}`),
  leave: () => LeaveId.make(`verlof_${randomIdBody()}`),
  signal: () => SignalId.make(`sig_${randomIdBody()}`),
  absenceImport: () => AbsenceImportId.make(`imp_${randomIdBody()}`),
} as const
