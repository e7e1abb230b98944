/**
 * Everything that happens to a case is one of these events, appended to the case's log. The log
 * is the record; the case state is a fold over it (see `Case.ts`).
 *
 * @since 0.1.0
 */
import { Option, Schema, SchemaAST } from "effect"
import {
  Action,
  Agreement,
  AttendanceSituation,
  Intervention,
  InterventionResult,
  Meeting,
  Outcome,
} from "./CaseParts.js"
import { ConsentGiven, ConsentPurpose, ConsentSubject } from "./Consent.js"
import { optional } from "./Fields.js"
import { ActionId, InterventionId } from "./Ids.js"
import { LocalDate } from "./LocalDate.js"
import { PartyRole, RegiehouderRef, StaffRef } from "./Party.js"
import { Referral } from "./Referral.js"
import { VerlofAanvraag, VerlofBesluit } from "./rules/Verlof.js"
import { Vrijstelling } from "./rules/Vrijstelling.js"
import { LongText, ShortText } from "./Text.js"
import { Timestamp } from "./Timestamp.js"

/** A workflow state of a region's plug-in, e.g. `aangemeld`, `in-behandeling`, `afgesloten`. */
export const StatusId = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
    message: () => "verwacht een status zoals in-behandeling",
  }),
  Schema.maxLength(64),
  Schema.annotations({ identifier: "StatusId" }),
)
export type StatusId = typeof StatusId.Type

/** Who did it and when; every event has both. */
const meta = {
  at: Timestamp,
  by: StaffRef,
}

export const ContactChannel = Schema.Literal("telefoon", "e-mail", "gesprek", "video", "brief").annotations({
  identifier: "ContactChannel",
})
export type ContactChannel = typeof ContactChannel.Type

/** Each channel in Dutch, as a form offers it (lower-case it inside a sentence). */
export const contactChannelLabel: Record<ContactChannel, string> = {
  telefoon: "Telefoon",
  "e-mail": "E-mail",
  gesprek: "Gesprek",
  video: "Videogesprek",
  brief: "Brief",
}

export const ReferralReceived = Schema.TaggedStruct("ReferralReceived", {
  ...meta,
  referral: Referral,
  initialStatus: StatusId,
}).annotations({ identifier: "ReferralReceived", title: "Aanmelding ontvangen" })

/**
 * Another referral for the pupil while this case is open, added to it instead of opening a second
 * case (a region whose plug-in declares `whenAlreadyOpen: "link"`).
 */
export const ReferralLinked = Schema.TaggedStruct("ReferralLinked", {
  ...meta,
  referral: Referral,
}).annotations({ identifier: "ReferralLinked", title: "Aanmelding toegevoegd" })

/**
 * The intake, with the regiehouder it settles on: the one already assigned, or the first one. It
 * never replaces another regiehouder; that is `RegiehouderChanged`.
 */
export const IntakeCompleted = Schema.TaggedStruct("IntakeCompleted", {
  ...meta,
  on: LocalDate,
  regiehouder: RegiehouderRef,
  summary: optional(LongText),
}).annotations({ identifier: "IntakeCompleted", title: "Intake gedaan" })

/** The first regiehouder of a case (a user of the region); a later change is `RegiehouderChanged`. */
export const RegiehouderAssigned = Schema.TaggedStruct("RegiehouderAssigned", {
  ...meta,
  regiehouder: RegiehouderRef,
  reason: optional(ShortText),
}).annotations({ identifier: "RegiehouderAssigned", title: "Regiehouder toegewezen" })

/**
 * The regie moves to another user of the region, with the reason (leave, workload). Only a
 * coordinator or the current regiehouder may log it; the application layer checks that.
 */
export const RegiehouderChanged = Schema.TaggedStruct("RegiehouderChanged", {
  ...meta,
  regiehouder: RegiehouderRef,
  reason: ShortText,
}).annotations({ identifier: "RegiehouderChanged", title: "Regiehouder gewisseld" })

export const ContactLogged = Schema.TaggedStruct("ContactLogged", {
  ...meta,
  on: LocalDate,
  with: PartyRole,
  channel: ContactChannel,
  summary: optional(LongText),
}).annotations({ identifier: "ContactLogged", title: "Contact vastgelegd" })

export const HomeVisitDone = Schema.TaggedStruct("HomeVisitDone", {
  ...meta,
  on: LocalDate,
  attendees: Schema.NonEmptyArray(PartyRole).pipe(Schema.maxItems(10)),
  summary: optional(LongText),
}).annotations({ identifier: "HomeVisitDone", title: "Huisbezoek" })

export const MeetingHeld = Schema.TaggedStruct("MeetingHeld", {
  ...meta,
  meeting: Meeting,
}).annotations({ identifier: "MeetingHeld", title: "Overleg gehouden" })

export const AgreementMade = Schema.TaggedStruct("AgreementMade", {
  ...meta,
  agreement: Agreement,
}).annotations({ identifier: "AgreementMade", title: "Afspraak gemaakt" })

export const ActionAssigned = Schema.TaggedStruct("ActionAssigned", {
  ...meta,
  action: Action,
}).annotations({ identifier: "ActionAssigned", title: "Actie uitgezet" })

export const ActionCompleted = Schema.TaggedStruct("ActionCompleted", {
  ...meta,
  actionId: ActionId,
  on: LocalDate,
  note: optional(LongText),
}).annotations({ identifier: "ActionCompleted", title: "Actie afgerond" })

export const ActionCancelled = Schema.TaggedStruct("ActionCancelled", {
  ...meta,
  actionId: ActionId,
  reason: ShortText,
}).annotations({ identifier: "ActionCancelled", title: "Actie vervallen" })

export const InterventionStarted = Schema.TaggedStruct("InterventionStarted", {
  ...meta,
  intervention: Intervention,
}).annotations({ identifier: "InterventionStarted", title: "Interventie gestart" })

export const InterventionEnded = Schema.TaggedStruct("InterventionEnded", {
  ...meta,
  interventionId: InterventionId,
  endedOn: LocalDate,
  result: InterventionResult,
}).annotations({ identifier: "InterventionEnded", title: "Interventie beëindigd" })

export const ConsentRecorded = Schema.TaggedStruct("ConsentRecorded", {
  ...meta,
  consent: ConsentGiven,
}).annotations({ identifier: "ConsentRecorded", title: "Toestemming vastgelegd" })

/** Consent withdrawn by the parents or the pupil, for some purposes or all (AVG art. 7 lid 3). */
export const ConsentWithdrawn = Schema.TaggedStruct("ConsentWithdrawn", {
  ...meta,
  subject: ConsentSubject,
  on: LocalDate,
  /** The purposes withdrawn; all of the subject's consents when absent. */
  purposes: optional(Schema.NonEmptyArray(ConsentPurpose)),
}).annotations({ identifier: "ConsentWithdrawn", title: "Toestemming ingetrokken" })

export const ParentsInformed = Schema.TaggedStruct("ParentsInformed", {
  ...meta,
  on: LocalDate,
}).annotations({ identifier: "ParentsInformed", title: "Ouders geïnformeerd" })

/** The pupil's school attendance as of a date, and whether a fitting offer is in place. */
export const AttendanceRecorded = Schema.TaggedStruct("AttendanceRecorded", {
  ...meta,
  situation: AttendanceSituation,
  since: LocalDate,
  fittingOffer: Schema.Boolean,
}).annotations({ identifier: "AttendanceRecorded", title: "Schoolgang vastgelegd" })

/** A vrijstelling (exemption from leerplicht) granted to the pupil; counted in the Inspectie overview. */
export const ExemptionRecorded = Schema.TaggedStruct("ExemptionRecorded", {
  ...meta,
  vrijstelling: Vrijstelling,
}).annotations({ identifier: "ExemptionRecorded", title: "Vrijstelling vastgelegd" })

/** A request for leave (art. 13a, 14) or a notice of another ground of art. 11, for the pupil. */
export const LeaveRequested = Schema.TaggedStruct("LeaveRequested", {
  ...meta,
  request: VerlofAanvraag,
}).annotations({ identifier: "LeaveRequested", title: "Verlof aangevraagd" })

/** The decision of the directeur or the leerplichtambtenaar on a leave request. */
export const LeaveDecided = Schema.TaggedStruct("LeaveDecided", {
  ...meta,
  decision: VerlofBesluit,
}).annotations({ identifier: "LeaveDecided", title: "Verlof besloten" })

export const StatusChanged = Schema.TaggedStruct("StatusChanged", {
  ...meta,
  from: StatusId,
  to: StatusId,
  reason: optional(ShortText),
}).annotations({ identifier: "StatusChanged", title: "Status gewijzigd" })

/** Regie placed with another party; recorded locally (DUO knows no such status). */
export const HandedOver = Schema.TaggedStruct("HandedOver", {
  ...meta,
  on: LocalDate,
  to: StaffRef,
  summary: optional(LongText),
  referrerInformedOn: optional(LocalDate),
}).annotations({ identifier: "HandedOver", title: "Overgedragen" })

/** An intervention that a closing step ends (see the plug-in's `runningInterventionsAtClose`). */
export const InterventionClosed = Schema.Struct({
  interventionId: InterventionId,
  result: InterventionResult,
}).annotations({ identifier: "InterventionClosed" })
export type InterventionClosed = typeof InterventionClosed.Type

export const CaseClosed = Schema.TaggedStruct("CaseClosed", {
  ...meta,
  on: LocalDate,
  outcome: Outcome,
  finalStatus: StatusId,
  /** Why, as the worker gave it with the step (required by steps such as `niet-starten`). */
  reason: optional(ShortText),
  /** Interventions still running that this step ends on `on`, so none is left running. */
  endsInterventions: optional(Schema.NonEmptyArray(InterventionClosed).pipe(Schema.maxItems(50))),
}).annotations({ identifier: "CaseClosed", title: "Casus afgesloten" })

export const CaseEvent = Schema.Union(
  ReferralReceived,
  ReferralLinked,
  IntakeCompleted,
  RegiehouderAssigned,
  RegiehouderChanged,
  ContactLogged,
  HomeVisitDone,
  MeetingHeld,
  AgreementMade,
  ActionAssigned,
  ActionCompleted,
  ActionCancelled,
  InterventionStarted,
  InterventionEnded,
  ConsentRecorded,
  ConsentWithdrawn,
  ParentsInformed,
  AttendanceRecorded,
  ExemptionRecorded,
  LeaveRequested,
  LeaveDecided,
  StatusChanged,
  HandedOver,
  CaseClosed,
).annotations({ identifier: "CaseEvent", title: "Gebeurtenis" })
export type CaseEvent = typeof CaseEvent.Type
export type CaseEventTag = CaseEvent["_tag"]

export type EventOf<Tag extends CaseEventTag> = Extract<CaseEvent, { readonly _tag: Tag }>

/**
 * Dutch labels of the event tags: each event schema's `title`, written once there (the API
 * documentation shows the same words). An event schema without a title stops the module loading.
 */
export const caseEventLabel: Readonly<Record<CaseEventTag, string>> = Object.fromEntries(
  CaseEvent.members.map((member) => {
    const ast = member.ast as SchemaAST.TypeLiteral
    const tag = ast.propertySignatures.find((p) => p.name === "_tag")?.type
    const title = SchemaAST.getTitleAnnotation(ast)
    if (tag === undefined || !SchemaAST.isLiteral(tag) || Option.isNone(title))
      throw new Error(`case event ${String(SchemaAST.getIdentifierAnnotation(ast))} has no tag or title`)
    return [tag.literal, title.value]
  }),
) as Record<CaseEventTag, string>

/** Every event tag, for exhaustive tables (labels, permissions). */
export const caseEventTags = Object.keys(caseEventLabel) as ReadonlyArray<CaseEventTag>

/** A date of an event at its field path (`on`, `meeting.heldOn`, `consent.givenOn`). */
export interface DatedField {
  readonly path: string
  readonly date: LocalDate
}

const at = (path: string, date: LocalDate | undefined): Array<DatedField> =>
  date === undefined ? [] : [{ path, date }]

/**
 * The dates of each kind of event that record something that happened: a contact, a home visit,
 * a meeting held, consent given. These cannot lie after the day they are logged. Dates that look
 * ahead are left out on purpose: an action's due date (`action.dueOn`), a vrijstelling's period
 * (`vrijstelling.from`/`until`, which may be granted in advance) and the days of leave
 * (`request.from`/`to`, asked for ahead). A `Record`, so a new
 * kind of event does not compile until it says which of its dates are facts.
 */
const happenedOn: { readonly [Tag in CaseEventTag]: (event: EventOf<Tag>) => Array<DatedField> } = {
  // The referral's own dates (absence, consent) are checked where referrals come in.
  ReferralReceived: () => [],
  ReferralLinked: () => [],
  IntakeCompleted: (e) => at("on", e.on),
  RegiehouderAssigned: () => [],
  RegiehouderChanged: () => [],
  ContactLogged: (e) => at("on", e.on),
  HomeVisitDone: (e) => at("on", e.on),
  MeetingHeld: (e) => at("meeting.heldOn", e.meeting.heldOn),
  AgreementMade: (e) => at("agreement.madeOn", e.agreement.madeOn),
  ActionAssigned: () => [],
  ActionCompleted: (e) => at("on", e.on),
  ActionCancelled: () => [],
  InterventionStarted: (e) => at("intervention.startedOn", e.intervention.startedOn),
  InterventionEnded: (e) => at("endedOn", e.endedOn),
  ConsentRecorded: (e) => [
    ...at("consent.givenOn", e.consent.givenOn),
    ...at("consent.withdrawnOn", e.consent.withdrawnOn),
  ],
  ConsentWithdrawn: (e) => at("on", e.on),
  ParentsInformed: (e) => at("on", e.on),
  AttendanceRecorded: (e) => at("since", e.since),
  ExemptionRecorded: () => [],
  // Leave is asked for and granted ahead of its days: only the request and decision dates are facts.
  LeaveRequested: (e) => at("request.requestedOn", e.request.requestedOn),
  LeaveDecided: (e) => at("decision.decidedOn", e.decision.decidedOn),
  StatusChanged: () => [],
  HandedOver: (e) => [...at("on", e.on), ...at("referrerInformedOn", e.referrerInformedOn)],
  CaseClosed: (e) => at("on", e.on),
}

/**
 * The fields of `event` that date something that happened after `today` (Europe/Amsterdam, see
 * `LocalDate.todayInAmsterdam`): a contact on 5 December cannot be logged on 29 November. Empty
 * when the event is fine; every door that records events (API, import, sample data) uses this.
 *
 * @example
 * futureDates(contactLogged, LocalDate.make("2026-11-29")) // [{ path: "on", date: "2026-12-05" }]
 */
export const futureDates = (event: CaseEvent, today: LocalDate): ReadonlyArray<DatedField> =>
  (happenedOn[event._tag] as (e: CaseEvent) => Array<DatedField>)(event).filter((f) => f.date > today)
