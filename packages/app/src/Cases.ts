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
import { Accounts, CaseQueries, CaseStore, Pagination } from "@verzuimregie/store"
import { Effect, Either, Schema } from "effect"
import * as Access from "./Access.js"
import * as CaseEffects from "./CaseEffects.js"
import { statusRef, summary, type WorkRow, workRow } from "./CaseViews.js"
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

/** Open cases a working list reads at most per request (see `workList`). */
export const MAX_WORK_LIST_CASES = 5000

export type WorkListSort = "urgentie" | "nieuwste"

export interface WorkListFilters {
  /** Only the cases whose regiehouder is the caller. */
  readonly mine?: boolean | undefined
  readonly status?: string | undefined
  readonly regiehouder?: Ids.UserId | undefined
  readonly school?: Ids.OrganisationId | undefined
  /** `urgentie` (default): overdue first, then the nearest deadline; `nieuwste`: newest first. */
  readonly sort?: WorkListSort | undefined
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

interface Choice {
  readonly id: string
  readonly label: string
}

const byLabel = (choices: Map<string, string>): Array<Choice> =>
  [...choices].map(([id, label]) => ({ id, label })).sort((a, b) => a.label.localeCompare(b.label, "nl"))

/** The sort key of a row; rows come in ascending key order. */
const sortKey = (row: WorkRow, sort: WorkListSort): [string, string] =>
  sort === "urgentie"
    ? // Overdue deadlines lie before today, so "nearest first" puts them first; none last.
      [row.nextDeadline?.dueOn ?? "9999-12-31", row.caseId]
    : [row.openedAt, row.caseId]

/** Is key `a` before key `b` in the list's order? Codes, ids and ISO dates: compared as code units. */
const before = (a: ReadonlyArray<string>, b: ReadonlyArray<string>, sort: WorkListSort): boolean => {
  const [a0 = "", a1 = ""] = a
  const [b0 = "", b1 = ""] = b
  const ascending = a0 < b0 || (a0 === b0 && a1 < b1)
  const descending = a0 > b0 || (a0 === b0 && a1 > b1)
  return sort === "urgentie" ? ascending : descending
}

/**
 * The werkvoorraad: the caller's open cases (`mine`) or those of their regions, filtered by
 * status, regiehouder and school, each as a working row (pupil, days open, next deadline,
 * thuiszitter category, pact alarm), sorted by urgency or newest first, one page. The deadlines
 * depend on today, so the urgency order is computed here, not in SQL: the open cases are read in
 * a few large pages (no query per row) and judged in memory; the filter choices (the regiehouders
 * and schools that occur) come from the same read. One audited search, naming the filters' ids
 * and codes only.
 */
export const workList = (filters: WorkListFilters) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const queries = yield* CaseQueries.CaseQueries
    const regions = yield* Regions.Regions
    const sort = filters.sort ?? "urgentie"
    const list = `werkvoorraad-${sort}`
    const after = yield* Pagination.decodeCursor(list, filters.cursor, ["text", "text"])
    const visible = regions.enabled(principal.regions)
    const statuses = new Map<string, string>()
    for (const id of visible)
      for (const s of regions.get(id)?.plugin.workflow.states ?? [])
        if (s.final !== true && !statuses.has(s.id)) statuses.set(s.id, s.label)
    const empty = { items: [], nextCursor: null, truncated: false }
    const choices = {
      statuses: [...statuses].map(([id, label]) => ({ id, label })),
      regiehouders: [] as Array<Choice>,
      schools: [] as Array<Choice>,
    }
    if (visible.length === 0) return { ...empty, choices }
    const used = [
      filters.mine === true ? "mijn" : "regio",
      `sort=${sort}`,
      ...(["status", "regiehouder", "school"] as const).flatMap((k) =>
        filters[k] === undefined ? [] : [`${k}-${filters[k]}`],
      ),
    ].join("/")
    const audit = yield* Access.audit(
      "search",
      { type: "case", regionId: visible.length === 1 ? visible[0] : undefined },
      `werkvoorraad:${used}`,
    )
    // Every open case of the list, in pages of the store's largest size; the first read is audited.
    const states: Array<Case.CaseState> = []
    let cursor: string | undefined
    let truncated = false
    do {
      const page = yield* queries.cases(
        { regions: visible, ...(cursor === undefined ? { audit } : {}) },
        { open: true, ...(filters.mine === true ? { regiehouder: principal.userId } : {}) },
        { cursor, limit: Pagination.MAX_LIMIT },
      )
      states.push(...page.items)
      cursor = page.nextCursor ?? undefined
      truncated = cursor !== undefined && states.length >= MAX_WORK_LIST_CASES
    } while (cursor !== undefined && !truncated)
    const today = regions.today()
    const regiehouders = new Map<string, string>()
    const schools = new Map<string, string>()
    const rows: Array<WorkRow> = []
    for (const state of states) {
      const region = regions.get(state.regionId)
      if (region === undefined) continue
      const row = workRow(state, region, today)
      if (row.regiehouderId !== null && row.regiehouder !== null)
        regiehouders.set(row.regiehouderId, row.regiehouder)
      if (row.schoolId !== null && row.school !== null) schools.set(row.schoolId, row.school)
      if (filters.status !== undefined && row.status.id !== filters.status) continue
      if (filters.regiehouder !== undefined && row.regiehouderId !== filters.regiehouder) continue
      if (filters.school !== undefined && row.schoolId !== filters.school) continue
      rows.push(row)
    }
    const keyed = rows
      .map((row) => ({ row, key: sortKey(row, sort) }))
      .sort((a, b) => (before(a.key, b.key, sort) ? -1 : before(b.key, a.key, sort) ? 1 : 0))
    const start =
      after === undefined ? 0 : keyed.findIndex((k) => before(after as Array<string>, k.key, sort))
    const limit = Pagination.limitOf({ limit: filters.limit })
    const page = start < 0 ? [] : keyed.slice(start, start + limit)
    const last = page[page.length - 1]
    const more = start >= 0 && start + limit < keyed.length
    return {
      items: page.map((k) => k.row),
      nextCursor: more && last !== undefined ? Pagination.encodeCursor(list, last.key) : null,
      truncated,
      choices: { ...choices, regiehouders: byLabel(regiehouders), schools: byLabel(schools) },
    }
  })

/** What a search for a pupil asks; at least one of them. */
export interface PupilSearch {
  readonly name?: string | undefined
  readonly birthDate?: string | undefined
  /** BSN or onderwijsnummer: nine digits. */
  readonly personNumber?: string | undefined
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

const PERSON_NUMBER = /^\d{9}$/

/**
 * The cases of a pupil, found by part of the name, the birth date, or the BSN or onderwijsnummer,
 * within the caller's regions (a pupil of another region is never found, and nothing says there
 * is one). Audited as a search that names which fields were used, never what was typed in them.
 */
export const findPupil = (input: PupilSearch) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const name = input.name?.trim().replace(/\s+/g, " ") || undefined
    const birthDate = input.birthDate?.trim() || undefined
    const personNumber = input.personNumber?.replace(/[\s.-]/g, "") || undefined
    const issues: Array<{ path: string; message: string }> = []
    if (name !== undefined && (name.length < 2 || name.length > 100))
      issues.push({ path: "name", message: "Vul 2 tot 100 tekens van de naam in." })
    if (birthDate !== undefined && !LocalDate.isLocalDate(birthDate))
      issues.push({ path: "birthDate", message: "Vul een geldige datum in." })
    if (personNumber !== undefined && !PERSON_NUMBER.test(personNumber))
      issues.push({ path: "personNumber", message: "Een BSN of onderwijsnummer heeft 9 cijfers." })
    if (name === undefined && birthDate === undefined && personNumber === undefined)
      issues.push({ path: "", message: "Vul een naam, geboortedatum, BSN of onderwijsnummer in." })
    const [first, ...rest] = issues
    if (first !== undefined)
      return yield* Effect.fail(
        new Errors.ValidationError({ subject: "zoekvraag", issues: [first, ...rest] }),
      )
    const regions = yield* Regions.Regions
    const visible = regions.enabled(principal.regions)
    if (visible.length === 0) return { items: [] as Array<WorkRow>, nextCursor: null }
    const fields = [
      name === undefined ? [] : ["naam"],
      birthDate === undefined ? [] : ["geboortedatum"],
      personNumber === undefined ? [] : ["persoonsnummer"],
    ].flat()
    const queries = yield* CaseQueries.CaseQueries
    const page = yield* queries.pupilSearch(
      {
        regions: visible,
        audit: yield* Access.audit(
          "search",
          { type: "case", regionId: visible.length === 1 ? visible[0] : undefined },
          `zoeken:${fields.join("/")}`,
        ),
      },
      { name, birthDate: birthDate as LocalDate.LocalDate | undefined, personNumber },
      { cursor: input.cursor, limit: input.limit },
    )
    const today = regions.today()
    return {
      items: page.items.flatMap((state) => {
        const region = regions.get(state.regionId)
        return region === undefined ? [] : [workRow(state, region, today)]
      }),
      nextCursor: page.nextCursor,
    }
  })

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

/** What every door shows of one case: its file, status, steps, deadlines and national signals. */
const caseView = (
  principal: Principal,
  state: Case.CaseState,
  region: RegionConfig.EnabledRegion,
  on: LocalDate.LocalDate,
) => {
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
}

/** One case: its file, status, the steps the caller may take, its deadlines and signals. */
export const get = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const { state, region, on } = yield* currentState(caseId, "get", { type: "case" })
    return caseView(principal, state, region, on)
  })

/** A stored event as a timeline shows it: the version after it, when it was recorded, its Dutch title. */
const timelineEntry = (e: CaseStore.StoredEvent) => ({
  version: e.version,
  recordedAt: e.recordedAt,
  label: CaseEvent.caseEventLabel[e.event._tag],
  event: e.event,
})

/**
 * The whole case file as one page shows it (the web app's dossier): what `get` returns, the
 * timeline, the region's name and its statuses' labels, the day the deadlines were measured on,
 * and the help catalogue entries the case's interventions name. One read, one audit record (`case.read:dossier`): the
 * timeline is read under it, not as a second inspection. Events appended between the two reads
 * are left out, so the timeline ends at the version the file shows. A case that is missing or in
 * another region fails as `Access.NotFound`, the one failure every page maps to "niet gevonden".
 */
export const dossier = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.CASE_ROLES)
    const { state, region, visible, on } = yield* currentState(caseId, "dossier", {
      type: "case",
      context: "dossier",
    })
    const store = yield* CaseStore.CaseStore
    const events = yield* store.events(caseId, { regions: visible })
    const used = new Set(state.interventions.map((i) => i.catalogueCode))
    return {
      ...caseView(principal, state, region, on),
      on,
      region: { id: region.region.id, name: region.region.name },
      /** Every status of the region's workflow with its Dutch label (a timeline names earlier ones). */
      states: region.plugin.workflow.states.map((s) => statusRef(region, s.id)),
      timeline: events.filter((e) => e.version <= state.version).map(timelineEntry),
      catalogue: region.plugin.catalogue
        .filter((entry) => used.has(entry.code))
        .map((entry) => ({ code: entry.code, label: entry.label })),
    }
  }).pipe(
    // Missing or another region's: the same "niet gevonden" as every other door's (404, never 403).
    Effect.catchTag("CaseNotFound", () => Effect.fail(Access.notFound())),
  )

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
 * the steps with the reasons why not, the help catalogue, the staff who may hold the regie or own
 * an action, and today (the latest date a fact may carry).
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
    // Action owners and meeting participants may be chosen from the same staff (Regie.OWNER_ROLES).
    const namesStaff = events.some((tag) => tag === "ActionAssigned" || tag === "MeetingHeld")
    const accounts = yield* Accounts.Accounts
    const staff: ReadonlyArray<RegiehouderChoice> =
      namesRegiehouder || namesStaff
        ? (yield* accounts.usersIn(state.regionId))
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
      regiehouders: namesRegiehouder ? staff : [],
      /** Users of the region who may own an action or join a meeting by account. */
      staff: namesStaff ? staff : [],
    }
  })

/** Every event of a case, oldest first, with the version after each. */
export const timeline = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    yield* Access.requireRole(Access.CASE_ROLES)
    const store = yield* CaseStore.CaseStore
    const { visibility } = yield* Access.caseVisibility(caseId, "events", { type: "case-events" })
    const events = yield* store.events(caseId, visibility)
    return events.map(timelineEntry)
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
      // An action owner or meeting participant named by account is staff of the region (Regie).
      Effect.flatMap((checked) => Regie.checkStaffEvent(checked, state.regionId)),
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
