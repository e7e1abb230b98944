/**
 * Cases: list with filters and cursor pagination, read one, its timeline, log an event, take a
 * workflow transition. Every read and write of a case file is audited in the same transaction,
 * and a case outside the caller's regions answers 404.
 */

import { CaseEffects, Regions } from "@verzuimregie/app"
import {
  Assessment,
  type Case,
  CaseEvent,
  Errors,
  LocalDate,
  type Party,
  Timestamp,
} from "@verzuimregie/domain"
import { Deadlines, type RegionConfig, Workflow } from "@verzuimregie/plugin-sdk"
import { type AuditLog, CaseQueries, CaseStore } from "@verzuimregie/store"
import { Effect, Either, Schema } from "effect"
import { fail, notFound, type Principal, type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { auditEntry, CASE_ROLES, refusedEntry, statusRef, summary } from "./access.js"
import {
  AvailableTransition,
  CaseChanged,
  CaseDetail,
  CaseIdParams,
  CaseListQuery,
  CaseSummary,
  LogEventBody,
  PageOf,
  TimelineEntry,
  TransitionBody,
} from "./schemas.js"

const TAG = "Casussen"

const asList = <A>(value: A | ReadonlyArray<A> | undefined): ReadonlyArray<A> | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as A]

/** The professional behind a request, as case events record them. */
export const staffOf = (principal: Principal, partyRole: Party.PartyRole): Party.StaffRef => ({
  name: principal.name,
  role: partyRole,
  organisationId: principal.organisationId,
  userId: principal.userId,
})

/**
 * Reads a case in the caller's regions. With an audit entry the read is audited in its
 * transaction; without, it is the check before a write, whose own audit record follows.
 */
/** The caller's regions that this installation runs; none is the same as no such case. */
const visibleRegions = (principal: Principal) =>
  Effect.flatMap(Regions.Regions, (regions) => {
    const visible = regions.enabled(principal.regions)
    return visible.length === 0 ? Effect.fail(notFound()) : Effect.succeed({ regions, visible })
  })

const currentState = (
  principal: Principal,
  caseId: Case.CaseState["id"],
  audit: AuditLog.AuditEntry | undefined,
  /** The trace to leave when the case exists in another region (see `refusedEntry`). */
  denied: AuditLog.AuditEntry,
) =>
  Effect.gen(function* () {
    const store = yield* CaseStore.CaseStore
    const { regions, visible } = yield* visibleRegions(principal)
    const state = yield* store.get(caseId, {
      regions: visible,
      denied,
      ...(audit === undefined ? {} : { audit }),
    })
    const region = regions.get(state.regionId)
    if (region === undefined) return yield* Effect.fail(notFound())
    return { state, region, visible, on: regions.today() }
  })

/**
 * The write path of a case: read it, check the client's version, let the plug-in decide on the
 * event (or refuse with its reasons), then append event, projection and audit record together.
 */
const writeCase = <E>(
  principal: Principal,
  requestId: string,
  caseId: Case.CaseState["id"],
  expectedVersion: number,
  context: string,
  decide: (current: {
    readonly state: Case.CaseState
    readonly region: RegionConfig.EnabledRegion
    readonly on: LocalDate.LocalDate
  }) => Either.Either<CaseEvent.CaseEvent, E>,
) =>
  Effect.gen(function* () {
    const { state, region, visible, on } = yield* currentState(
      principal,
      caseId,
      undefined,
      refusedEntry(principal, requestId, caseId, context),
    )
    if (state.version !== expectedVersion) {
      return yield* fail(
        409,
        `De casus is bij versie ${state.version}, niet ${expectedVersion}. Lees de casus opnieuw.`,
        {
          currentVersion: state.version,
        },
      )
    }
    const event = decide({ state, region, on })
    if (Either.isLeft(event)) return yield* Effect.fail(event.left)
    // With the event's effects (the handover notice) in its transaction: CaseEffects.
    const appended = yield* CaseEffects.append(
      {
        caseId: state.id,
        expectedVersion,
        events: [event.right],
        regions: visible,
        audit: [
          auditEntry(
            principal,
            requestId,
            "update",
            { type: "case", id: state.id, regionId: state.regionId },
            context,
          ),
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

type AvailableTransitionView = typeof AvailableTransition.Type

const transitionsFor = (
  principal: Principal,
  state: Case.CaseState,
  region: NonNullable<ReturnType<Regions.Regions["Type"]["get"]>>,
  on: LocalDate.LocalDate,
) => {
  // One entry per transition: allowed when any of the caller's roles may take it.
  const byId = new Map<string, AvailableTransitionView>()
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
      })
    }
  return [...byId.values()]
}

export const caseRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/cases",
      operationId: "listCases",
      description:
        "De casussen van uw regio's, nieuwste eerst, per pagina (limit, cursor), te filteren op regio, status, school en datum. Elke zoekopdracht komt in de toegangslog.",
      summary: "Casussen van uw regio('s), met filters en paginering",
      tag: TAG,
      roles: CASE_ROLES,
      query: CaseListQuery,
      response: {
        status: 200,
        schema: PageOf(CaseSummary, "CaseSummaryPage"),
        description: "Eén pagina casussen",
      },
    },
    ({ query, principal, requestId }) =>
      Effect.gen(function* () {
        const queries = yield* CaseQueries.CaseQueries
        const regions = yield* Regions.Regions
        const wanted = asList(query.regionId)
        const visible = regions
          .enabled(principal.regions)
          .filter((r) => wanted === undefined || wanted.includes(r))
        if (visible.length === 0) return { items: [], nextCursor: null }
        const filters = Object.entries(query)
          .filter(([k]) => k !== "cursor" && k !== "limit")
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : String(v)}`)
          .join("&")
        const page = yield* queries.cases(
          {
            regions: visible,
            audit: auditEntry(
              principal,
              requestId,
              "search",
              { type: "case", regionId: visible.length === 1 ? visible[0] : undefined },
              filters || "alle",
            ),
          },
          {
            status: asList(query.status),
            regiehouder: query.regiehouder,
            school: query.school,
            open: query.open === undefined ? undefined : query.open === "true",
            openedAt: {
              from:
                query.openedFrom === undefined
                  ? undefined
                  : Timestamp.Timestamp.make(`${query.openedFrom}T00:00:00.000Z`),
              to:
                query.openedTo === undefined
                  ? undefined
                  : Timestamp.Timestamp.make(`${LocalDate.addDays(query.openedTo, 1)}T00:00:00.000Z`),
            },
          },
          { cursor: query.cursor, limit: query.limit },
        )
        return {
          items: page.items.map((state) => summary(state, regions.get(state.regionId))),
          nextCursor: page.nextCursor ?? null,
        }
      }),
  ),
  route(
    {
      method: "get",
      path: "/cases/:caseId",
      operationId: "getCase",
      description:
        "Het dossier van één casus in uw regio's, met de stappen die u kunt zetten, de termijnen en de landelijke signalen. Elke inzage komt in de toegangslog.",
      summary: "Eén casus: dossier, status, mogelijke stappen, termijnen en signalen",
      tag: TAG,
      roles: CASE_ROLES,
      params: CaseIdParams,
      response: { status: 200, schema: CaseDetail, description: "De casus" },
      errors: [404],
    },
    ({ params, principal, requestId }) =>
      Effect.gen(function* () {
        const { state, region, on } = yield* currentState(
          principal,
          params.caseId,
          auditEntry(principal, requestId, "read", { type: "case", id: params.caseId }),
          refusedEntry(principal, requestId, params.caseId, "get"),
        )
        const ctx = { ...Regions.contextFor(region, on), state }
        const signals = Deadlines.attendanceSignals(state, on, region.thresholds, region.calendars)
        return {
          case: state,
          status: statusRef(region, state.status),
          transitions: transitionsFor(principal, state, region, on),
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
                ...(region.thresholds.reportingDuty
                  ? { reportingDuty: region.thresholds.reportingDuty }
                  : {}),
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
      }),
  ),
  route(
    {
      method: "get",
      path: "/cases/:caseId/events",
      operationId: "getCaseTimeline",
      description:
        "Alle gebeurtenissen van een casus, oudste eerst, met het versienummer na elke gebeurtenis. Elke inzage komt in de toegangslog.",
      summary: "Tijdlijn van een casus: alle gebeurtenissen, oudste eerst",
      tag: TAG,
      roles: CASE_ROLES,
      params: CaseIdParams,
      response: { status: 200, schema: Schema.Array(TimelineEntry), description: "De gebeurtenissen" },
      errors: [404],
    },
    ({ params, principal, requestId }) =>
      Effect.gen(function* () {
        const store = yield* CaseStore.CaseStore
        const { visible } = yield* visibleRegions(principal)
        const events = yield* store.events(params.caseId, {
          regions: visible,
          audit: auditEntry(principal, requestId, "read", { type: "case-events", id: params.caseId }),
          denied: refusedEntry(principal, requestId, params.caseId, "events"),
        })
        return events.map((e) => ({
          version: e.version,
          recordedAt: e.recordedAt,
          label: CaseEvent.caseEventLabel[e.event._tag],
          event: e.event,
        }))
      }),
  ),
  route(
    {
      method: "get",
      path: "/cases/:caseId/transitions",
      operationId: "listCaseTransitions",
      description:
        "De stappen van de werkwijze van de regio vanuit de huidige status: welke u met uw rol nu kunt zetten, en waarom de andere (nog) niet.",
      summary: "De stappen die u nu kunt zetten, met de redenen waarom niet",
      tag: TAG,
      roles: CASE_ROLES,
      params: CaseIdParams,
      response: { status: 200, schema: Schema.Array(AvailableTransition), description: "Mogelijke stappen" },
      errors: [404],
    },
    ({ params, principal, requestId }) =>
      Effect.gen(function* () {
        const { state, region, on } = yield* currentState(
          principal,
          params.caseId,
          auditEntry(principal, requestId, "read", { type: "case", id: params.caseId }, "transitions"),
          refusedEntry(principal, requestId, params.caseId, "transitions"),
        )
        return transitionsFor(principal, state, region, on)
      }),
  ),
  route(
    {
      method: "post",
      path: "/cases/:caseId/events",
      operationId: "logCaseEvent",
      summary:
        "Leg iets vast in de casus: contact, huisbezoek, overleg, afspraak, actie, interventie, toestemming…",
      description:
        "Stuur de gelezen versie mee als expectedVersion; een verouderde versie geeft 409. De plug-in van de regio beslist of de gebeurtenis in de huidige status mag. Een datum van iets dat gebeurd is (contact, huisbezoek, overleg) ligt niet na vandaag (Europe/Amsterdam); alleen een deadline mag later (422 op het veld).",
      tag: TAG,
      roles: CASE_ROLES,
      params: CaseIdParams,
      body: LogEventBody,
      response: { status: 201, schema: CaseChanged, description: "Vastgelegd; de nieuwe versie" },
      errors: [404, 409],
      idempotent: true,
    },
    ({ params, body, principal, requestId }) =>
      writeCase(
        principal,
        requestId,
        params.caseId,
        body.expectedVersion,
        body.event._tag,
        ({ state, region, on }) => {
          const event = {
            ...body.event,
            at: Timestamp.now(),
            by: staffOf(principal, principal.partyRole),
          } as CaseEvent.CaseEvent
          return Either.flatMap(notInTheFuture(event, on), (checked) =>
            Workflow.acceptEvent(region.plugin, state, checked, Regions.contextFor(region, on)),
          )
        },
      ),
  ),
  route(
    {
      method: "post",
      path: "/cases/:caseId/transitions",
      operationId: "takeCaseTransition",
      summary: "Zet een stap in de werkwijze van de regio (of sluit de casus af met een uitkomst)",
      description:
        'Geweigerd met 409 en de redenen van de plug-in als niet aan een voorwaarde is voldaan, bijvoorbeeld "ouders nog niet geïnformeerd".',
      tag: TAG,
      roles: CASE_ROLES,
      params: CaseIdParams,
      body: TransitionBody,
      response: { status: 200, schema: CaseChanged, description: "De nieuwe status" },
      errors: [404, 409],
    },
    ({ params, body, principal, requestId }) =>
      writeCase(
        principal,
        requestId,
        params.caseId,
        body.expectedVersion,
        body.transition,
        ({ state, region, on }) => {
          const transition = region.plugin.workflow.transitions.find((t) => t.id === body.transition)
          // A caller with several roles may take the step with any of them that the step allows.
          const role =
            principal.roles.find((r) => transition?.roles.includes(r) ?? false) ??
            principal.roles[0] ??
            "case-worker"
          return Workflow.takeTransition(
            region.plugin,
            {
              transitionId: body.transition,
              role,
              by: staffOf(principal, principal.partyRole),
              at: Timestamp.now(),
              ...(body.reason === undefined ? {} : { reason: body.reason }),
              ...(body.outcome === undefined ? {} : { outcome: body.outcome }),
            },
            { ...Regions.contextFor(region, on), state },
          )
        },
      ),
  ),
]
