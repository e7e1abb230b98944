/**
 * Case work, for every door: list and search the caller's cases, read one (its file, the steps the
 * caller may take with the reasons why not, deadlines and national signals), its timeline, log an
 * event, take a workflow step. Every read and write is audited in its own transaction; a case
 * outside the caller's regions does not exist for them (404).
 */

import type { Json as JsonTypes } from "@verzuimregie/domain"
import {
  Assessment,
  type Case,
  CaseEvent,
  type CaseParts,
  Errors,
  HttpMeaning,
  type Ids,
  LocalDate,
  type Party,
  Timestamp,
} from "@verzuimregie/domain"
import { Deadlines, type RegionConfig, Workflow } from "@verzuimregie/plugin-sdk"
import type { Accounts as AccountsTypes, Pagination as PaginationTypes } from "@verzuimregie/store"
import { Accounts, CaseQueries, CaseStore } from "@verzuimregie/store"
import { Effect, Either, Schema } from "effect"
import * as Access from "./Access.js"
import * as CaseEffects from "./CaseEffects.js"
import { statusRef, summary } from "./CaseViews.js"
import { CurrentPrincipal, type Principal } from "./CurrentPrincipal.js"
import * as Regie from "./Regie.js"
import * as Regions from "./Regions.js"

/** The professional behind a request, as case events record them. */
export const staffOf = (principal: Principal): Party.StaffRef => ({
  name: principal.name,
  role: principal.partyRole,
  organisationId: principal.organisationId,
  userId: principal.userId,
})

/** The client read an older version than the case is at now (optimistic concurrency). */
export class StaleVersion extends Schema.TaggedError<StaleVersion>()(
  "StaleVersion",
  { expected: Schema.Int, actual: Schema.Int },
  HttpMeaning.status(409, {}, (error: { readonly expected: number; readonly actual: number }) => ({
    detail: `De casus is bij versie ${error.actual}, niet ${error.expected}. Lees de casus opnieuw.`,
    currentVersion: error.actual,
  })),
) {}

const asList = <A>(value: A | ReadonlyArray<A> | undefined): ReadonlyArray<A> | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as A]

export interface ListFilters {
  readonly regionId?: Ids.RegionId | ReadonlyArray<Ids.RegionId> | undefined
  readonly status?: string | ReadonlyArray<string> | undefined
  readonly regiehouder?: Ids.UserId | undefined
  readonly school?: Ids.OrganisationId | undefined
  readonly open?: "true" | "false" | undefined
  readonly openedFrom?: LocalDate.LocalDate | undefined
  readonly openedTo?: LocalDate.LocalDate | undefined
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

/**
 * The caller's cases, newest first, one page, filtered: a search of case data, audited with the
 * filters it used (never their values beyond ids and dates).
 */
export const list = (filters: ListFilters) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const queries = yield* CaseQueries.CaseQueries
    const regions = yield* Regions.Regions
    const wanted = asList(filters.regionId)
    const visible = regions
      .enabled(principal.regions)
      .filter((r) => wanted === undefined || wanted.includes(r))
    if (visible.length === 0) return { items: [], nextCursor: null }
    const used = Object.entries(filters)
      .filter(([k]) => k !== "cursor" && k !== "limit")
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : String(v)}`)
      .join("&")
    const page = yield* queries.cases(
      {
        regions: visible,
        audit: yield* Access.audit(
          "search",
          { type: "case", regionId: visible.length === 1 ? visible[0] : undefined },
          used || "alle",
        ),
      },
      {
        status: asList(filters.status) as ReadonlyArray<Case.CaseState["status"]> | undefined,
        regiehouder: filters.regiehouder,
        school: filters.school,
        open: filters.open === undefined ? undefined : filters.open === "true",
        openedAt: {
          from:
            filters.openedFrom === undefined
              ? undefined
              : Timestamp.Timestamp.make(`${filters.openedFrom}T00:00:00.000Z`),
          to:
            filters.openedTo === undefined
              ? undefined
              : Timestamp.Timestamp.make(`${LocalDate.addDays(filters.openedTo, 1)}T00:00:00.000Z`),
        },
      },
      { cursor: filters.cursor, limit: filters.limit },
    )
    return {
      items: page.items.map((state) => summary(state, regions.get(state.regionId))),
      nextCursor: page.nextCursor ?? null,
    }
  })

/** Searching the caller's cases is listing them with filters. */
export const search = list

/**
 * A case in the caller's regions. With `audited` the read is audited in its transaction; without,
 * it is the check before a write, whose own audit record follows.
 */
const currentState = (
  caseId: Ids.CaseId,
  context: string,
  audited: { readonly type: string; readonly context?: string } | undefined,
) =>
  Effect.gen(function* () {
    const store = yield* CaseStore.CaseStore
    const { regions, visible, visibility } = yield* Access.caseVisibility(caseId, context, audited)
    const state = yield* store.get(caseId, visibility)
    const region = regions.get(state.regionId)
    if (region === undefined) return yield* Effect.fail(Access.notFound())
    return { state, region, visible, on: regions.today() }
  })

export interface AvailableStep {
  readonly id: string
  readonly label: string
  readonly to: string
  readonly allowed: boolean
  readonly reasons: ReadonlyArray<string>
  readonly outcomes: ReadonlyArray<CaseParts.OutcomeKind>
  /** The step asks for a reason (a refusal, a withdrawal). */
  readonly reasonRequired: boolean
}

const stepsFor = (
  principal: Principal,
  state: Case.CaseState,
  region: RegionConfig.EnabledRegion,
  on: LocalDate.LocalDate,
): Array<AvailableStep> => {
  // One entry per transition: allowed when any of the caller's roles may take it.
  const byId = new Map<string, AvailableStep>()
  for (const role of principal.roles)
    for (const t of Workflow.availableTransitions(region.plugin, role, {
      ...Regions.contextFor(region, on),
      state,
    })) {
      if (byId.get(t.transition.id)?.allowed === true) continue
      byId.set(t.transition.id, {
        id: t.transition.id,
        label: t.transition.label,
        to: t.transition.to,
        allowed: t.allowed,
        reasons: t.reasons,
        outcomes: t.transition.outcomes ?? [],
        reasonRequired: t.transition.reasonRequired === true,
      })
    }
  return [...byId.values()]
}

/** One case: its file, status, the steps the caller may take, its deadlines and signals. */
export const get = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const { state, region, on } = yield* currentState(caseId, "get", { type: "case" })
    const ctx = { ...Regions.contextFor(region, on), state }
    const signals = Deadlines.attendanceSignals(state, on, region.thresholds, region.calendars)
    return {
      case: state,
      status: statusRef(region, state.status),
      transitions: stepsFor(principal, state, region, on),
      deadlines: Deadlines.deadlineChecks(region.plugin, ctx).map((d) => ({
        ...d,
        metOn: d.metOn ?? null,
      })),
      signals: {
        // The consent as the case holds it now, not as the referral arrived.
        rules: Assessment.assess(
          { ...state.referral, consent: state.consent },
          {
            on,
            calendars: region.calendars,
            consentPolicy: region.plugin.referral.consentPolicy,
            // The case's leave and vrijstellingen decide what is verzuim at all.
            leave: state.leave,
            vrijstellingen: state.exemptions,
            ...(region.thresholds.reportingDuty ? { reportingDuty: region.thresholds.reportingDuty } : {}),
            ...(region.thresholds.mazl ? { mazl: region.thresholds.mazl } : {}),
            ...(region.thresholds.thuiszitterspact
              ? { thuiszitterspact: region.thresholds.thuiszitterspact }
              : {}),
          },
        ).signals,
        categorie: signals.categorie ?? null,
        pact:
          signals.pact === undefined
            ? null
            : {
                status: signals.pact.status,
                limitDate: signals.pact.limitDate,
                daysRemaining: signals.pact.daysRemaining,
              },
      },
    }
  })

/** The steps of the region's workflow from the case's status, allowed or with the reasons why not. */
export const availableSteps = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const { state, region, on } = yield* currentState(caseId, "transitions", {
      type: "case",
      context: "transitions",
    })
    return stepsFor(principal, state, region, on)
  })

/** A user of the case's region who may hold its regie, as a form offers them. */
export interface RegiehouderChoice {
  readonly userId: Ids.UserId
  readonly name: string
}

/**
 * What the dossier's forms need, in one audited read: the case, the kinds of event the region's
 * plug-in lets the caller log now (moving the regie only for a coordinator or the regiehouder),
 * the steps with the reasons why not, the help catalogue, the staff who may hold the regie, and
 * today (the latest date a fact may carry).
 */
export const forms = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const { state, region, on } = yield* currentState(caseId, "forms", { type: "case", context: "forms" })
    const events = Workflow.loggableEvents(region.plugin, state).filter(
      (tag) => tag !== "RegiehouderChanged" || Regie.changeRefusedReason(principal, state) === undefined,
    )
    const namesRegiehouder = events.some(
      (tag) => tag === "IntakeCompleted" || tag === "RegiehouderAssigned" || tag === "RegiehouderChanged",
    )
    const accounts = yield* Accounts.Accounts
    const staff: ReadonlyArray<RegiehouderChoice> = namesRegiehouder
      ? (yield* accounts.users())
          .filter(
            (u) =>
              u.active &&
              u.kind === "person" &&
              u.regions.includes(state.regionId) &&
              u.roles.some((r) => Regie.REGIE_ROLES.includes(r)),
          )
          .map((u) => ({ userId: u.id, name: u.name }))
      : []
    return {
      case: state,
      status: statusRef(region, state.status),
      today: on,
      events: events.map((tag) => ({ tag, label: CaseEvent.caseEventLabel[tag] })),
      steps: stepsFor(principal, state, region, on),
      catalogue: region.plugin.catalogue.map((entry) => ({
        code: entry.code,
        label: entry.label,
        description: entry.description,
      })),
      regiehouders: staff,
    }
  })

/** Every event of a case, oldest first, with the version after each. */
export const timeline = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    yield* Access.requireRole(Access.CASE_ROLES)
    const store = yield* CaseStore.CaseStore
    const { visibility } = yield* Access.caseVisibility(caseId, "events", { type: "case-events" })
    const events = yield* store.events(caseId, visibility)
    return events.map((e) => ({
      version: e.version,
      recordedAt: e.recordedAt,
      label: CaseEvent.caseEventLabel[e.event._tag],
      event: e.event,
    }))
  })

/**
 * The write path of a case: read it, check the client's version, let the plug-in decide on the
 * event (or refuse with its reasons), then append event, projection, audit record and the outbox
 * rows its effects call for (`CaseEffects`: the handover notice), in one transaction.
 */
const writeCase = <E, R>(
  caseId: Ids.CaseId,
  expectedVersion: number,
  context: string,
  decide: (current: {
    readonly principal: Principal
    readonly state: Case.CaseState
    readonly region: RegionConfig.EnabledRegion
    readonly on: LocalDate.LocalDate
  }) => Effect.Effect<CaseEvent.CaseEvent, E, R>,
) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const { state, region, visible, on } = yield* currentState(caseId, context, undefined)
    if (state.version !== expectedVersion) {
      return yield* Effect.fail(new StaleVersion({ expected: expectedVersion, actual: state.version }))
    }
    const event = yield* decide({ principal, state, region, on })
    const appended = yield* CaseEffects.append(
      {
        caseId: state.id,
        expectedVersion,
        events: [event],
        regions: visible,
        audit: [
          yield* Access.audit("update", { type: "case", id: state.id, regionId: state.regionId }, context),
        ],
      },
      region,
    )
    return {
      caseId: state.id,
      version: appended.state.version,
      status: statusRef(region, appended.state.status),
    }
  })

/**
 * An event that records something that happened (a contact, a meeting held) cannot be dated after
 * today in Europe/Amsterdam; due dates may lie ahead (`CaseEvent.futureDates`). Field paths as in
 * the request body.
 */
const notInTheFuture = (
  event: CaseEvent.CaseEvent,
  today: LocalDate.LocalDate,
): Either.Either<CaseEvent.CaseEvent, Errors.ValidationError> => {
  const [first, ...rest] = CaseEvent.futureDates(event, today).map((f) => ({
    path: `event.${f.path}`,
    message: `${f.date} ligt na vandaag (${today}); alleen een deadline mag in de toekomst liggen`,
  }))
  return first === undefined
    ? Either.right(event)
    : Either.left(new Errors.ValidationError({ subject: "event", issues: [first, ...rest] }))
}

/** An event as a client describes it: who and when come from the caller and the clock. */
export type EventInput = CaseEvent.CaseEvent extends infer E
  ? E extends CaseEvent.CaseEvent
    ? Omit<E, "at" | "by">
    : never
  : never

/** Records something in the case (a contact, a meeting, an action…), if the plug-in allows it now. */
export const logEvent = (
  caseId: Ids.CaseId,
  input: { readonly expectedVersion: number; readonly event: EventInput },
) =>
  writeCase(caseId, input.expectedVersion, input.event._tag, ({ principal, state, region, on }) => {
    const event = { ...input.event, at: Timestamp.now(), by: staffOf(principal) } as CaseEvent.CaseEvent
    return notInTheFuture(event, on).pipe(
      // The regiehouder an event names is a user of the region (Regie).
      Effect.flatMap((checked) =>
        Regie.checkRegiehouderEvent(checked, state, principal, region.plugin.manifest.id),
      ),
      Effect.flatMap((checked) =>
        Workflow.acceptEvent(region.plugin, state, checked, Regions.contextFor(region, on)),
      ),
    )
  })

/** Takes a step of the region's workflow (or closes the case with an outcome). */
export const takeTransition = (
  caseId: Ids.CaseId,
  input: {
    readonly expectedVersion: number
    readonly transition: string
    readonly reason?: Workflow.TransitionRequest["reason"] | undefined
    readonly outcome?: Workflow.TransitionRequest["outcome"] | undefined
  },
) =>
  writeCase(caseId, input.expectedVersion, input.transition, ({ principal, state, region, on }) => {
    const transition = region.plugin.workflow.transitions.find((t) => t.id === input.transition)
    // A caller with several roles may take the step with any of them that the step allows.
    const role =
      principal.roles.find((r) => transition?.roles.includes(r) ?? false) ??
      principal.roles[0] ??
      "case-worker"
    return Workflow.takeTransition(
      region.plugin,
      {
        transitionId: input.transition,
        role,
        by: staffOf(principal),
        at: Timestamp.now(),
        ...(input.reason === undefined ? {} : { reason: input.reason }),
        ...(input.outcome === undefined ? {} : { outcome: input.outcome }),
      },
      { ...Regions.contextFor(region, on), state },
    )
  })

/** Named by the inferred types of these use cases; re-exported so their declarations stay portable (TS2742). */
export type { AccountsTypes, JsonTypes, PaginationTypes }
