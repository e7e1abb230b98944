/**
 * The quarterly round (kwartaalronde) of Amstelland's interventiemodel: every quarter the
 * orthopedagogen of the samenwerkingsverband call each school about its pupils with langdurig
 * verzuim, beperkte meldingen included. A region takes part when its plug-in declares the deadline
 * `kwartaalbespreking` (due a number of months after the last review, or after the melding).
 *
 * Need-to-know: an orthopedagoog reads no case file. The round shows, per school, the open cases
 * whose review is due within a window or overdue, each with only what a call to the school needs:
 * the case reference, the school, the pupil's name, the kind of melding (status), the dates (melding,
 * at home since, last review and its outcome, next due). No notes, no BSN, no birth date, no
 * parents. A case outside the caller's round (another region, a region without the round, a closed
 * case) does not exist for them (404, never 403). Recording a review appends a `MeetingHeld` of
 * kind `kwartaalbespreking` with its outcome, which moves the deadline; the regiehouder takes any
 * workflow step the outcome calls for.
 */
import {
  type Case,
  type CaseEvent,
  CaseParts,
  Errors,
  Ids,
  LocalDate,
  Party,
  Pupil,
  Timestamp,
} from "@verzuimregie/domain"
import { Deadlines, type RegionConfig, Workflow } from "@verzuimregie/plugin-sdk"
import { CaseQueries, CaseStore, Pagination } from "@verzuimregie/store"
import { Effect } from "effect"
import * as Access from "./Access.js"
import * as CaseEffects from "./CaseEffects.js"
import { statusRef } from "./CaseViews.js"
import { CurrentPrincipal } from "./CurrentPrincipal.js"
import * as Regions from "./Regions.js"

/** The plug-in deadline the round is built on (plugins/amstelland). */
export const REVIEW_DEADLINE = "kwartaalbespreking"
/** Default window: reviews due within a month (and every overdue one). */
export const DEFAULT_WITHIN_DAYS = 30
/** The widest window: one quarter, so the whole round can be planned. */
export const MAX_WITHIN_DAYS = 92
/** Open cases the round reads at most per request, as the werkvoorraad. */
export const MAX_ROUND_CASES = 5000

/** The school contact a review was held with: the roles that refer in a school. */
export const SCHOOL_CONTACT_ROLES = ["coordinator-passend-onderwijs", "mentor", "teamleider"] as const
export type SchoolContactRole = (typeof SCHOOL_CONTACT_ROLES)[number]

const reviewDeadline = (region: RegionConfig.EnabledRegion) =>
  region.plugin.deadlines.find((d) => d.id === REVIEW_DEADLINE)

/** The caller's regions that hold a quarterly round. */
const roundRegions = Effect.map(
  Effect.all([CurrentPrincipal, Regions.Regions]),
  ([{ principal }, regions]) => ({
    regions,
    round: regions.enabled(principal.regions).filter((id) => {
      const region = regions.get(id)
      return region !== undefined && reviewDeadline(region) !== undefined
    }),
  }),
)

const lastReview = (state: Case.CaseState): CaseParts.Meeting | undefined =>
  state.meetings
    .filter((m) => m.kind === REVIEW_DEADLINE)
    .reduce<CaseParts.Meeting | undefined>(
      (last, m) => (last === undefined || m.heldOn >= last.heldOn ? m : last),
      undefined,
    )

/** The next review's due date of an open case of a round region. */
export const dueOn = (
  state: Case.CaseState,
  region: RegionConfig.EnabledRegion,
  on: LocalDate.LocalDate,
): LocalDate.LocalDate | undefined =>
  reviewDeadline(region)?.dueOn({ ...Regions.contextFor(region, on), state })

export type RoundStatus = "verlopen" | "binnenkort"

/** One case as the round shows it: nothing beyond what a call to the school needs. */
export interface RoundCase {
  readonly caseId: Ids.CaseId
  readonly regionId: Ids.RegionId
  readonly pupil: string
  readonly status: { readonly id: string; readonly label: string }
  readonly reportedOn: LocalDate.LocalDate
  readonly atHomeSince: LocalDate.LocalDate | null
  readonly lastReview: {
    readonly heldOn: LocalDate.LocalDate
    readonly outcome: { readonly id: CaseParts.ReviewOutcome; readonly label: string } | null
  } | null
  readonly dueOn: LocalDate.LocalDate
  /** `verlopen`: past its due date; `binnenkort`: due within the window. */
  readonly dueStatus: RoundStatus
  /** Days past the due date (0 when not yet due). */
  readonly daysOverdue: number
}

export interface RoundSchool {
  readonly schoolId: Ids.OrganisationId | null
  readonly school: string
  readonly cases: ReadonlyArray<RoundCase>
  readonly overdue: number
}

const roundCase = (
  state: Case.CaseState,
  region: RegionConfig.EnabledRegion,
  due: LocalDate.LocalDate,
  on: LocalDate.LocalDate,
): RoundCase => {
  const last = lastReview(state)
  return {
    caseId: state.id,
    regionId: state.regionId,
    pupil: Pupil.displayName(state.referral.pupil.name),
    status: statusRef(region, state.status),
    reportedOn: Deadlines.openedOn(state),
    atHomeSince: state.referral.absence.since ?? null,
    lastReview:
      last === undefined
        ? null
        : {
            heldOn: last.heldOn,
            outcome:
              last.reviewOutcome === undefined
                ? null
                : { id: last.reviewOutcome, label: CaseParts.reviewOutcomeLabel[last.reviewOutcome] },
          },
    dueOn: due,
    dueStatus: on > due ? "verlopen" : "binnenkort",
    daysOverdue: Math.max(0, LocalDate.daysBetween(due, on)),
  }
}

const invalid = (path: string, message: string) =>
  new Errors.ValidationError({ subject: "kwartaalbespreking", issues: [{ path, message }] })

export interface RoundQuery {
  /** One of the caller's round regions; all of them when absent. */
  readonly regionId?: string | undefined
  /** Reviews due within this many days from today, and every overdue one (0–92, default 30). */
  readonly withinDays?: number | undefined
}

/**
 * The round: per school (by name), the open cases of the caller's round regions whose review is
 * overdue or due within `withinDays`, overdue first, then by due date. One audited search of the
 * regions' cases, naming the window only.
 */
export const list = (query: RoundQuery) =>
  Effect.gen(function* () {
    yield* Access.requireRole(Access.ROUND_ROLES)
    const withinDays = query.withinDays ?? DEFAULT_WITHIN_DAYS
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > MAX_WITHIN_DAYS)
      return yield* invalid("withinDays", `Kies een aantal dagen van 0 tot en met ${MAX_WITHIN_DAYS}.`)
    const { regions, round } = yield* roundRegions
    if (query.regionId !== undefined && !round.includes(query.regionId as Ids.RegionId))
      return yield* Effect.fail(Access.notFound("Onbekende regio."))
    const wanted = query.regionId === undefined ? round : round.filter((id) => id === query.regionId)
    const on = regions.today()
    const until = LocalDate.addDays(on, withinDays)
    const regionsOut = wanted.map((id) => ({ id, name: regions.get(id)?.region.name ?? id }))
    if (wanted.length === 0)
      return { on, withinDays, until, regions: regionsOut, schools: [], truncated: false }
    const audit = yield* Access.audit(
      "search",
      { type: "case", regionId: wanted.length === 1 ? wanted[0] : undefined },
      `kwartaalronde:binnen-${withinDays}-dagen`,
    )
    const queries = yield* CaseQueries.CaseQueries
    const states: Array<Case.CaseState> = []
    let cursor: string | undefined
    let truncated = false
    do {
      const page = yield* queries.cases(
        { regions: wanted, ...(cursor === undefined ? { audit } : {}) },
        { open: true },
        { cursor, limit: Pagination.MAX_LIMIT },
      )
      states.push(...page.items)
      cursor = page.nextCursor ?? undefined
      truncated = cursor !== undefined && states.length >= MAX_ROUND_CASES
    } while (cursor !== undefined && !truncated)
    const bySchool = new Map<
      string,
      { schoolId: Ids.OrganisationId | null; school: string; cases: Array<RoundCase> }
    >()
    for (const state of states) {
      const region = regions.get(state.regionId)
      if (region === undefined || state.closed !== undefined) continue
      const due = dueOn(state, region, on)
      if (due === undefined || due > until) continue
      const enrolment = state.referral.pupil.enrolment
      const key = enrolment?.schoolId ?? "-"
      const entry = bySchool.get(key) ?? {
        schoolId: enrolment?.schoolId ?? null,
        school: enrolment?.schoolName ?? "Geen school bekend",
        cases: [],
      }
      entry.cases.push(roundCase(state, region, due, on))
      bySchool.set(key, entry)
    }
    const schools: Array<RoundSchool> = [...bySchool.values()]
      .map((s) => ({
        ...s,
        cases: s.cases.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.caseId.localeCompare(b.caseId)),
        overdue: s.cases.filter((c) => c.dueStatus === "verlopen").length,
      }))
      .sort(
        (a, b) =>
          a.school.localeCompare(b.school, "nl") || String(a.schoolId).localeCompare(String(b.schoolId)),
      )
    return { on, withinDays, until, regions: regionsOut, schools, truncated }
  })

/**
 * One open case of the caller's round; anything else is "niet gevonden". With `audited` the read
 * carries its own audit record; without, it is the check before a write, whose record follows.
 */
const roundCaseState = (caseId: Ids.CaseId, audited?: string) =>
  Effect.gen(function* () {
    const { regions, round } = yield* roundRegions
    if (round.length === 0) return yield* Effect.fail(Access.notFound())
    const caller = yield* CurrentPrincipal
    const store = yield* CaseStore.CaseStore
    const state = yield* store
      .get(caseId, {
        regions: round,
        denied: Access.refusedOf(caller, caseId, "kwartaalbespreking"),
        ...(audited === undefined
          ? {}
          : { audit: yield* Access.audit("read", { type: "case", id: caseId }, audited) }),
      })
      .pipe(Effect.catchTag("CaseNotFound", () => Effect.fail(Access.notFound())))
    const region = regions.get(state.regionId)
    if (region === undefined || state.closed !== undefined) return yield* Effect.fail(Access.notFound())
    return { state, region, round, on: regions.today() }
  })

/**
 * One case of the caller's round as the review form shows it (the same minimal fields as the
 * list), with the form's choices and today; an audited read of the case.
 */
export const get = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    yield* Access.requireRole(Access.ROUND_ROLES)
    const { state, region, on } = yield* roundCaseState(caseId, "kwartaalronde")
    const due = dueOn(state, region, on) ?? on
    return {
      on,
      case: roundCase(state, region, due, on),
      school: state.referral.pupil.enrolment?.schoolName ?? "Geen school bekend",
      region: { id: region.region.id, name: region.region.name },
      choices,
    }
  })

/** What a review form sends. */
export interface ReviewInput {
  /** The day of the call with the school (not after today). */
  readonly heldOn: string
  readonly outcome: string
  /** Who at the school the review was held with. */
  readonly schoolContact: string
}

const isOutcome = (value: string): value is CaseParts.ReviewOutcome =>
  (CaseParts.ReviewOutcome.literals as ReadonlyArray<string>).includes(value)
const isContact = (value: string): value is SchoolContactRole =>
  (SCHOOL_CONTACT_ROLES as ReadonlyArray<string>).includes(value)

/** The review form's choices, labelled in Dutch. */
export const choices = {
  outcomes: CaseParts.ReviewOutcome.literals.map((id) => ({ id, label: CaseParts.reviewOutcomeLabel[id] })),
  schoolContacts: SCHOOL_CONTACT_ROLES.map((id) => ({ id, label: Party.partyRoleLabel[id] })),
}

/**
 * Records a quarterly review of one case of the caller's round: a `MeetingHeld` of kind
 * `kwartaalbespreking` between the caller and the school, with its outcome; the region's plug-in
 * decides as for any event. The next review falls due the plug-in's number of months after
 * `heldOn`. Field problems come back in Dutch, on the form's field names, all at once.
 */
export const record = (caseId: Ids.CaseId, input: ReviewInput) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    yield* Access.requireRole(Access.ROUND_ROLES)
    const { state, region, round, on } = yield* roundCaseState(caseId)
    const issues: Array<{ path: string; message: string }> = []
    const heldOn = input.heldOn.trim()
    if (!LocalDate.isLocalDate(heldOn)) issues.push({ path: "heldOn", message: "Vul een geldige datum in." })
    else if (heldOn > on)
      issues.push({ path: "heldOn", message: `De datum ligt na vandaag (${LocalDate.dutchLong(on)}).` })
    else if (heldOn < Deadlines.openedOn(state))
      issues.push({ path: "heldOn", message: "De datum ligt vóór de melding." })
    if (!isOutcome(input.outcome))
      issues.push({ path: "outcome", message: "Kies de uitkomst van de bespreking." })
    if (!isContact(input.schoolContact))
      issues.push({ path: "schoolContact", message: "Kies met wie van de school u de leerling besprak." })
    const [first, ...rest] = issues
    if (first !== undefined)
      return yield* Effect.fail(
        new Errors.ValidationError({ subject: "kwartaalbespreking", issues: [first, ...rest] }),
      )
    const enrolment = state.referral.pupil.enrolment
    const event = {
      _tag: "MeetingHeld" as const,
      at: Timestamp.now(),
      by: {
        name: principal.name,
        role: principal.partyRole,
        organisationId: principal.organisationId,
        userId: principal.userId,
      },
      meeting: {
        id: Ids.newId.meeting(),
        kind: "kwartaalbespreking" as const,
        heldOn: heldOn as LocalDate.LocalDate,
        participants: [
          {
            name: principal.name,
            role: principal.partyRole,
            organisationId: principal.organisationId,
            mandated: false,
          },
          // The school as the other party: no person's name is typed in the round.
          {
            name: enrolment?.schoolName ?? "School",
            role: input.schoolContact as SchoolContactRole,
            ...(enrolment === undefined ? {} : { organisationId: enrolment.schoolId }),
            mandated: false,
          },
        ] as const,
        reportFiled: false,
        reviewOutcome: input.outcome as CaseParts.ReviewOutcome,
      },
    } satisfies CaseEvent.EventOf<"MeetingHeld">
    const accepted = yield* Workflow.acceptEvent(region.plugin, state, event, Regions.contextFor(region, on))
    const appended = yield* CaseEffects.append(
      {
        caseId: state.id,
        expectedVersion: state.version,
        events: [accepted],
        regions: round,
        audit: [
          yield* Access.audit(
            "update",
            { type: "case", id: state.id, regionId: state.regionId },
            "kwartaalbespreking",
          ),
        ],
      },
      region,
    )
    return {
      caseId: state.id,
      version: appended.state.version,
      heldOn: heldOn as LocalDate.LocalDate,
      outcome: {
        id: input.outcome as CaseParts.ReviewOutcome,
        label: CaseParts.reviewOutcomeLabel[input.outcome as CaseParts.ReviewOutcome],
      },
      nextDueOn: dueOn(appended.state, region, on) ?? null,
    }
  })
