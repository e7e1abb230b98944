/**
 * What a regiehouder records in a case: meetings (MDO, doorbraakoverleg), agreements, actions with
 * an owner and a due date, interventions from the region's help catalogue, and the outcome.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional } from "./Fields.js"
import { ActionId, AgreementId, InterventionId, MeetingId, OrganisationId, UserId } from "./Ids.js"
import { LocalDate } from "./LocalDate.js"
import { PartyRole, StaffRef } from "./Party.js"
import { LongText, ShortText } from "./Text.js"

export const MeetingKind = Schema.Literal(
  "mdo",
  "doorbraakoverleg",
  "netwerkoverleg",
  "ondersteuningsteam",
  "evaluatie",
  "kwartaalbespreking",
).annotations({ identifier: "MeetingKind", title: "Soort overleg" })
export type MeetingKind = typeof MeetingKind.Type

export const meetingKindLabel: Record<MeetingKind, string> = {
  mdo: "Multidisciplinair overleg (MDO)",
  doorbraakoverleg: "Doorbraakoverleg",
  netwerkoverleg: "Netwerkoverleg",
  ondersteuningsteam: "Ondersteuningsteam",
  evaluatie: "Evaluatie",
  kwartaalbespreking: "Kwartaalbespreking",
}

/** A meeting kind as it reads inside a sentence: "geen doorbraakoverleg gehouden". */
export const meetingKindInSentence = (kind: MeetingKind): string => {
  const label = meetingKindLabel[kind]
  return label.charAt(0).toLowerCase() + label.slice(1)
}

/**
 * One participant. `mandated` marks a person sent with doorzettingsmacht: the power to commit
 * their institution (required of Leerplicht, GGD, SWV and care in an Amstelland doorbraakoverleg).
 * `userId` names a participant who is a user of the region (staff); the application layer then
 * copies name, role and organisation from the account. Others (parents, outside professionals)
 * have none.
 */
export const Participant = Schema.Struct({
  name: ShortText,
  role: PartyRole,
  organisationId: optional(OrganisationId),
  userId: optional(UserId),
  mandated: Schema.optionalWith(Schema.Boolean, { exact: true, default: () => false }),
}).annotations({ identifier: "Participant", title: "Deelnemer" })
export type Participant = typeof Participant.Type

/**
 * What a quarterly review (kwartaalbespreking) decided, in Amstelland's interventiemodel: carry on
 * as agreed, escalate a beperkte melding to uitgebreid (the Regioloket investigates), propose the
 * doorbraakaanpak when the process has stalled, refer on (a TLV, a verzuimcoach, care), or propose
 * to close because the pupil attends again. The decision is recorded; the regiehouder takes the
 * workflow step it calls for.
 */
export const ReviewOutcome = Schema.Literal(
  "voortzetten",
  "opschalen",
  "doorbraakaanpak",
  "doorverwijzen",
  "afsluiten",
).annotations({ identifier: "ReviewOutcome", title: "Uitkomst kwartaalbespreking" })
export type ReviewOutcome = typeof ReviewOutcome.Type

export const reviewOutcomeLabel: Record<ReviewOutcome, string> = {
  voortzetten: "Voortzetten zoals afgesproken",
  opschalen: "Opschalen naar uitgebreide melding",
  doorbraakaanpak: "Doorbraakaanpak voorstellen (proces vastgelopen)",
  doorverwijzen: "Doorverwijzen (TLV, verzuimcoach of hulpverlening)",
  afsluiten: "Afsluiten voorstellen: leerling volgt weer onderwijs",
}

export const Meeting = Schema.Struct({
  id: MeetingId,
  kind: MeetingKind,
  heldOn: LocalDate,
  participants: Schema.NonEmptyArray(Participant).pipe(Schema.maxItems(40)),
  summary: optional(LongText),
  /** Whether a report (verslag) was made and filed; some transitions require one. */
  reportFiled: Schema.Boolean,
  /** What a kwartaalbespreking decided; only on that kind of meeting (plugin-sdk `acceptEvent`). */
  reviewOutcome: optional(ReviewOutcome),
}).annotations({ identifier: "Meeting", title: "Overleg" })
export type Meeting = typeof Meeting.Type

export const Agreement = Schema.Struct({
  id: AgreementId,
  meetingId: optional(MeetingId),
  madeOn: LocalDate,
  description: LongText,
  parties: Schema.Array(PartyRole).pipe(Schema.maxItems(20)),
}).annotations({ identifier: "Agreement", title: "Afspraak" })
export type Agreement = typeof Agreement.Type

export const Action = Schema.Struct({
  id: ActionId,
  description: ShortText,
  owner: StaffRef,
  dueOn: LocalDate,
  agreementId: optional(AgreementId),
}).annotations({ identifier: "Action", title: "Actie" })
export type Action = typeof Action.Type

export const ActionStatus = Schema.Literal("open", "afgerond", "vervallen").annotations({
  identifier: "ActionStatus",
})
export type ActionStatus = typeof ActionStatus.Type

/** Interventions name an entry of the region's help catalogue by its code. */
export const CatalogueCode = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
    message: () => "verwacht een catalogus-code zoals jongerencoaching",
  }),
  Schema.maxLength(64),
  Schema.annotations({ identifier: "CatalogueCode" }),
)

export const Intervention = Schema.Struct({
  id: InterventionId,
  catalogueCode: CatalogueCode,
  label: ShortText,
  provider: optional(ShortText),
  startedOn: LocalDate,
}).annotations({ identifier: "Intervention", title: "Interventie" })
export type Intervention = typeof Intervention.Type

export const InterventionResult = Schema.Literal(
  "afgerond",
  "voortijdig-gestopt",
  "overgedragen",
).annotations({
  identifier: "InterventionResult",
})
export type InterventionResult = typeof InterventionResult.Type

/** How an intervention ended, in Dutch. */
export const interventionResultLabel: Record<InterventionResult, string> = {
  afgerond: "Afgerond",
  "voortijdig-gestopt": "Voortijdig gestopt",
  overgedragen: "Overgedragen",
}

/** Where the pupil stands with school, which drives the thuiszitter and pact rules. */
export const AttendanceSituation = Schema.Literal(
  "naar-school",
  "gedeeltelijk-naar-school",
  "thuiszittend",
  "niet-ingeschreven",
).annotations({ identifier: "AttendanceSituation", title: "Schoolgang" })
export type AttendanceSituation = typeof AttendanceSituation.Type

export const attendanceSituationLabel: Record<AttendanceSituation, string> = {
  "naar-school": "Naar school",
  "gedeeltelijk-naar-school": "Gedeeltelijk naar school",
  thuiszittend: "Thuiszittend",
  "niet-ingeschreven": "Niet ingeschreven",
}

export const OutcomeKind = Schema.Literal(
  "terug-naar-school",
  "passende-onderwijsplek",
  "onderwijs-zorgarrangement",
  "vrijstelling",
  "overgedragen",
  "verhuisd",
  "startkwalificatie",
  "verzuim-opgelost",
  "anders",
).annotations({ identifier: "OutcomeKind", title: "Uitkomst" })
export type OutcomeKind = typeof OutcomeKind.Type

/**
 * The outcomes that mean the pupil went back to (fitting) education: what closes a case whose
 * pupil attends again, and what ends a home period in the Inspectie overview.
 */
export const backAtSchoolOutcomes = [
  "verzuim-opgelost",
  "terug-naar-school",
  "passende-onderwijsplek",
  "onderwijs-zorgarrangement",
] as const satisfies ReadonlyArray<OutcomeKind>

/** Whether an outcome means the pupil went back to (fitting) education. */
export const isBackAtSchool = (outcome: OutcomeKind): boolean =>
  (backAtSchoolOutcomes as ReadonlyArray<OutcomeKind>).includes(outcome)

export const outcomeKindLabel: Record<OutcomeKind, string> = {
  "terug-naar-school": "Terug naar school",
  "passende-onderwijsplek": "Passende onderwijsplek gevonden",
  "onderwijs-zorgarrangement": "Onderwijs-zorgarrangement",
  vrijstelling: "Vrijstelling",
  overgedragen: "Overgedragen aan andere partij",
  verhuisd: "Verhuisd buiten de regio",
  startkwalificatie: "Startkwalificatie behaald",
  "verzuim-opgelost": "Verzuim opgelost, schoolgang loopt",
  anders: "Anders",
}

export const Outcome = Schema.Struct({
  kind: OutcomeKind,
  description: optional(LongText),
}).annotations({ identifier: "Outcome", title: "Uitkomst" })
export type Outcome = typeof Outcome.Type
