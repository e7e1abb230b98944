/**
 * The case (casus): its state is a pure fold over its events. The store keeps this state as a
 * projection next to the log, and can rebuild it from the log at any time.
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"
import { type CaseEvent, ContactChannel, type EventOf, StatusId } from "./CaseEvent.js"
import {
  Action,
  ActionStatus,
  Agreement,
  AttendanceSituation,
  Intervention,
  InterventionResult,
  Meeting,
  Outcome,
} from "./CaseParts.js"
import { type ConsentGiven, ConsentRecord } from "./Consent.js"
import { CaseEventRejected } from "./Errors.js"
import { optional } from "./Fields.js"
import { CaseId, RegionId } from "./Ids.js"
import { LocalDate } from "./LocalDate.js"
import { PartyRole, RegiehouderRef, StaffRef } from "./Party.js"
import { Referral } from "./Referral.js"
import * as HomePeriods from "./rules/HomePeriods.js"
import { Verlof } from "./rules/Verlof.js"
import { Vrijstelling } from "./rules/Vrijstelling.js"
import { ShortText } from "./Text.js"
import { Timestamp } from "./Timestamp.js"

export const TrackedAction = Schema.Struct({
  ...Action.fields,
  status: ActionStatus,
  completedOn: optional(LocalDate),
}).annotations({ identifier: "TrackedAction" })
export type TrackedAction = typeof TrackedAction.Type

export const TrackedIntervention = Schema.Struct({
  ...Intervention.fields,
  endedOn: optional(LocalDate),
  result: optional(InterventionResult),
}).annotations({ identifier: "TrackedIntervention" })
export type TrackedIntervention = typeof TrackedIntervention.Type

export const ContactEntry = Schema.Struct({
  on: LocalDate,
  with: PartyRole,
  channel: ContactChannel,
}).annotations({ identifier: "ContactEntry" })
export type ContactEntry = typeof ContactEntry.Type

export const Attendance = Schema.Struct({
  situation: AttendanceSituation,
  since: LocalDate,
  fittingOffer: Schema.Boolean,
}).annotations({ identifier: "Attendance" })
export type Attendance = typeof Attendance.Type

export const Handover = Schema.Struct({
  on: LocalDate,
  to: StaffRef,
  referrerInformedOn: optional(LocalDate),
}).annotations({ identifier: "Handover" })
export type Handover = typeof Handover.Type

export const Closure = Schema.Struct({
  on: LocalDate,
  outcome: Outcome,
  /** The reason given with the closing step (a refusal such as `niet-starten`, a withdrawal). */
  reason: optional(ShortText),
}).annotations({ identifier: "Closure" })
export type Closure = typeof Closure.Type

/** The current state of a case: what every list, deadline and report reads. */
export const CaseState = Schema.Struct({
  id: CaseId,
  regionId: RegionId,
  /** Number of events applied; the next append expects this version. */
  version: Schema.Int.pipe(Schema.positive()),
  status: StatusId,
  openedAt: Timestamp,
  lastEventAt: Timestamp,
  referral: Referral,
  regiehouder: optional(RegiehouderRef),
  intakeOn: optional(LocalDate),
  contacts: Schema.Array(ContactEntry),
  homeVisits: Schema.Array(LocalDate),
  meetings: Schema.Array(Meeting),
  agreements: Schema.Array(Agreement),
  actions: Schema.Array(TrackedAction),
  interventions: Schema.Array(TrackedIntervention),
  consent: ConsentRecord,
  attendance: optional(Attendance),
  /** Vrijstellingen granted; absent in projections written before exemptions were recorded. */
  exemptions: Schema.optionalWith(Schema.Array(Vrijstelling), { exact: true, default: () => [] }),
  /** Leave requests with their decisions; absent in projections written before leave was recorded. */
  leave: Schema.optionalWith(Schema.Array(Verlof), { exact: true, default: () => [] }),
  handovers: Schema.Array(Handover),
  closed: optional(Closure),
}).annotations({ identifier: "CaseState", title: "Casus" })
export type CaseState = typeof CaseState.Type

const reject = (state: CaseState | undefined, event: CaseEvent, reason: string) =>
  Either.left(
    new CaseEventRejected(
      state === undefined
        ? { eventTag: event._tag, reason }
        : { caseId: state.id, eventTag: event._tag, reason },
    ),
  )

/**
 * Opens a case from its first event. A referral that says the pupil is at home, and since when,
 * is the case's first attendance record (`HomePeriods.fromReferral`): the Thuiszitterspact clock
 * and the Inspectie category count from that date.
 */
export const start = (id: CaseId, event: EventOf<"ReferralReceived">): CaseState => {
  const atHome = HomePeriods.fromReferral(event.referral)
  return {
    id,
    regionId: event.referral.regionId,
    version: 1,
    status: event.initialStatus,
    openedAt: event.at,
    lastEventAt: event.at,
    referral: event.referral,
    contacts: [],
    homeVisits: [],
    meetings: [],
    agreements: [],
    actions: [],
    interventions: [],
    consent: event.referral.consent,
    exemptions: [],
    leave: [],
    handovers: [],
    ...(atHome === undefined ? {} : { attendance: { ...atHome, fittingOffer: false } }),
  }
}

const otherRegiehouder = "de casus heeft al een andere regiehouder; wissel via Regiehouder gewisseld"

const replaceWhere = <A>(items: ReadonlyArray<A>, match: (a: A) => boolean, update: (a: A) => A): Array<A> =>
  items.map((item) => (match(item) ? update(item) : item))

/**
 * Applies one event to the state: a new state, or the reason the event cannot apply. The case
 * log only ever holds events that applied, so folding a stored log never fails.
 *
 * @example
 * const next = Case.evolve(state, { _tag: "ParentsInformed", at, by, on: "2026-03-02" })
 */
export const evolve = (state: CaseState, event: CaseEvent): Either.Either<CaseState, CaseEventRejected> => {
  if (state.closed !== undefined) return reject(state, event, "casus is al afgesloten")
  // Instants of several gateway instances can be slightly out of step: never move backwards.
  const base = {
    ...state,
    version: state.version + 1,
    // Timestamps are ISO strings (not numbers), so Math.max does not apply: they compare as text.
    // biome-ignore lint/complexity/useMathMinMax: string comparison
    lastEventAt: event.at > state.lastEventAt ? event.at : state.lastEventAt,
  }
  switch (event._tag) {
    case "ReferralReceived":
      return reject(state, event, "casus heeft al een aanmelding")
    case "ReferralLinked":
      // The log keeps the added referral; the case's own referral stays the one that opened it.
      if (event.referral.regionId !== state.regionId)
        return reject(state, event, "de aanmelding is voor een andere regio")
      return Either.right(base)
    case "IntakeCompleted":
      if (state.intakeOn !== undefined) return reject(state, event, "intake is al gedaan")
      if (state.regiehouder !== undefined && state.regiehouder.userId !== event.regiehouder.userId)
        return reject(state, event, otherRegiehouder)
      return Either.right({ ...base, intakeOn: event.on, regiehouder: event.regiehouder })
    case "RegiehouderAssigned":
      if (state.regiehouder !== undefined && state.regiehouder.userId !== event.regiehouder.userId)
        return reject(state, event, otherRegiehouder)
      return Either.right({ ...base, regiehouder: event.regiehouder })
    case "RegiehouderChanged":
      if (state.regiehouder === undefined)
        return reject(state, event, "de casus heeft nog geen regiehouder; wijs er eerst een toe")
      if (state.regiehouder.userId === event.regiehouder.userId)
        return reject(state, event, "deze medewerker is al de regiehouder")
      return Either.right({ ...base, regiehouder: event.regiehouder })
    case "ContactLogged":
      return Either.right({
        ...base,
        contacts: [...state.contacts, { on: event.on, with: event.with, channel: event.channel }],
      })
    case "HomeVisitDone":
      return Either.right({ ...base, homeVisits: [...state.homeVisits, event.on] })
    case "MeetingHeld":
      if (state.meetings.some((m) => m.id === event.meeting.id)) {
        return reject(state, event, `overleg ${event.meeting.id} bestaat al`)
      }
      return Either.right({ ...base, meetings: [...state.meetings, event.meeting] })
    case "AgreementMade": {
      const { agreement } = event
      if (state.agreements.some((a) => a.id === agreement.id)) {
        return reject(state, event, `afspraak ${agreement.id} bestaat al`)
      }
      if (agreement.meetingId !== undefined && !state.meetings.some((m) => m.id === agreement.meetingId)) {
        return reject(state, event, `onbekend overleg ${agreement.meetingId}`)
      }
      return Either.right({ ...base, agreements: [...state.agreements, agreement] })
    }
    case "ActionAssigned": {
      const { action } = event
      if (state.actions.some((a) => a.id === action.id))
        return reject(state, event, `actie ${action.id} bestaat al`)
      if (action.agreementId !== undefined && !state.agreements.some((a) => a.id === action.agreementId)) {
        return reject(state, event, `onbekende afspraak ${action.agreementId}`)
      }
      return Either.right({ ...base, actions: [...state.actions, { ...action, status: "open" as const }] })
    }
    case "ActionCompleted":
    case "ActionCancelled": {
      const action = state.actions.find((a) => a.id === event.actionId)
      if (action === undefined) return reject(state, event, `onbekende actie ${event.actionId}`)
      if (action.status !== "open")
        return reject(state, event, `actie ${event.actionId} is al ${action.status}`)
      const update =
        event._tag === "ActionCompleted"
          ? (a: TrackedAction): TrackedAction => ({ ...a, status: "afgerond", completedOn: event.on })
          : (a: TrackedAction): TrackedAction => ({ ...a, status: "vervallen" })
      return Either.right({
        ...base,
        actions: replaceWhere(state.actions, (a) => a.id === action.id, update),
      })
    }
    case "InterventionStarted":
      if (state.interventions.some((i) => i.id === event.intervention.id)) {
        return reject(state, event, `interventie ${event.intervention.id} bestaat al`)
      }
      return Either.right({ ...base, interventions: [...state.interventions, event.intervention] })
    case "InterventionEnded": {
      const intervention = state.interventions.find((i) => i.id === event.interventionId)
      if (intervention === undefined)
        return reject(state, event, `onbekende interventie ${event.interventionId}`)
      if (intervention.endedOn !== undefined) {
        return reject(state, event, `interventie ${event.interventionId} is al beëindigd`)
      }
      if (event.endedOn < intervention.startedOn)
        return reject(state, event, "einddatum ligt voor de startdatum")
      return Either.right({
        ...base,
        interventions: replaceWhere(
          state.interventions,
          (i) => i.id === intervention.id,
          (i) => ({ ...i, endedOn: event.endedOn, result: event.result }),
        ),
      })
    }
    case "ConsentRecorded":
      return Either.right({
        ...base,
        consent: { ...state.consent, consents: [...state.consent.consents, event.consent] },
      })
    case "ConsentWithdrawn": {
      const withdraws = (c: ConsentGiven) =>
        c.subject === event.subject &&
        c.withdrawnOn === undefined &&
        c.givenOn <= event.on &&
        (event.purposes === undefined || c.purposes.some((p) => event.purposes?.includes(p)))
      if (!state.consent.consents.some(withdraws)) {
        return reject(state, event, `geen lopende toestemming van ${event.subject} om in te trekken`)
      }
      return Either.right({
        ...base,
        consent: {
          ...state.consent,
          consents: state.consent.consents.map((c) => (withdraws(c) ? { ...c, withdrawnOn: event.on } : c)),
        },
      })
    }
    case "ParentsInformed":
      return Either.right({ ...base, consent: { ...state.consent, parentsInformedOn: event.on } })
    case "AttendanceRecorded":
      // A record that keeps the pupil at home continues the home period: the clock does not restart.
      return Either.right({
        ...base,
        attendance: {
          situation: event.situation,
          since: HomePeriods.continuedSince(state.attendance, event),
          fittingOffer: event.fittingOffer,
        },
      })
    case "ExemptionRecorded":
      return Either.right({ ...base, exemptions: [...state.exemptions, event.vrijstelling] })
    case "LeaveRequested":
      if (state.leave.some((l) => l.request.id === event.request.id)) {
        return reject(state, event, `verlofaanvraag ${event.request.id} bestaat al`)
      }
      return Either.right({ ...base, leave: [...state.leave, { request: event.request }] })
    case "LeaveDecided": {
      const { decision } = event
      const leave = state.leave.find((l) => l.request.id === decision.requestId)
      if (leave === undefined) return reject(state, event, `onbekende verlofaanvraag ${decision.requestId}`)
      if (leave.decision !== undefined)
        return reject(state, event, `over verlofaanvraag ${decision.requestId} is al besloten`)
      if (decision.decidedOn < leave.request.requestedOn)
        return reject(state, event, "het besluit ligt voor de aanvraag")
      if (!decision.granted && (decision.from !== undefined || decision.to !== undefined))
        return reject(state, event, "een afwijzing heeft geen verleende periode")
      const from = decision.from ?? leave.request.from
      const to = decision.to ?? leave.request.to
      if (from < leave.request.from || to > leave.request.to || to < from)
        return reject(state, event, "de verleende periode valt buiten de aangevraagde periode")
      return Either.right({
        ...base,
        leave: replaceWhere(
          state.leave,
          (l) => l.request.id === decision.requestId,
          (l) => ({ ...l, decision }),
        ),
      })
    }
    case "StatusChanged":
      if (event.from !== state.status) {
        return reject(state, event, `status is ${state.status}, niet ${event.from}`)
      }
      if (event.to === state.status) return reject(state, event, `status is al ${state.status}`)
      return Either.right({ ...base, status: event.to })
    case "HandedOver":
      return Either.right({
        ...base,
        handovers: [
          ...state.handovers,
          event.referrerInformedOn === undefined
            ? { on: event.on, to: event.to }
            : { on: event.on, to: event.to, referrerInformedOn: event.referrerInformedOn },
        ],
      })
    case "CaseClosed": {
      let interventions = state.interventions
      for (const ended of event.endsInterventions ?? []) {
        const intervention = interventions.find((i) => i.id === ended.interventionId)
        if (intervention === undefined)
          return reject(state, event, `onbekende interventie ${ended.interventionId}`)
        if (intervention.endedOn !== undefined)
          return reject(state, event, `interventie ${ended.interventionId} is al beëindigd`)
        if (event.on < intervention.startedOn)
          return reject(state, event, `interventie ${ended.interventionId} start na de afsluitdatum`)
        interventions = replaceWhere(
          interventions,
          (i) => i.id === ended.interventionId,
          (i) => ({ ...i, endedOn: event.on, result: ended.result }),
        )
      }
      return Either.right({
        ...base,
        status: event.finalStatus,
        interventions,
        closed: {
          on: event.on,
          outcome: event.outcome,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        },
      })
    }
  }
}

/**
 * Folds a whole log into the case state. The first event must be `ReferralReceived`.
 *
 * @example
 * const state = Either.getOrThrow(Case.fold(caseId, events))
 */
export const fold = (
  id: CaseId,
  events: Iterable<CaseEvent>,
): Either.Either<CaseState, CaseEventRejected> => {
  let state: CaseState | undefined
  for (const event of events) {
    if (state === undefined) {
      if (event._tag !== "ReferralReceived") {
        return reject(undefined, event, "de eerste gebeurtenis van een casus is de aanmelding")
      }
      state = start(id, event)
      continue
    }
    const next = evolve(state, event)
    if (Either.isLeft(next)) return next
    state = next.right
  }
  if (state === undefined) {
    return Either.left(
      new CaseEventRejected({ caseId: id, eventTag: "(none)", reason: "casus zonder gebeurtenissen" }),
    )
  }
  return Either.right(state)
}

export const isClosed = (state: CaseState): boolean => state.closed !== undefined

export const openActions = (state: CaseState): ReadonlyArray<TrackedAction> =>
  state.actions.filter((a) => a.status === "open")

/** Open actions whose due date lies before `on`. */
export const overdueActions = (state: CaseState, on: LocalDate): ReadonlyArray<TrackedAction> =>
  openActions(state).filter((a) => a.dueOn < on)

/** The first date the case logged contact with someone in `role`, if any. */
export const firstContactOn = (state: CaseState, role: PartyRole): LocalDate | undefined =>
  state.contacts.reduce<LocalDate | undefined>(
    (first, c) => (c.with === role && (first === undefined || c.on < first) ? c.on : first),
    undefined,
  )

/** Interventions started and not (yet) ended. */
export const runningInterventions = (state: CaseState): ReadonlyArray<TrackedIntervention> =>
  state.interventions.filter((i) => i.endedOn === undefined)

/** Whether the pupil is at home (thuiszittend or not enrolled) as far as the case knows. */
export const isHome = (state: CaseState): boolean => HomePeriods.isHome(state.attendance?.situation)
