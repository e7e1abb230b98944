/**
 * The personal inbox ("Mijn werk"): what needs the caller now, in one list sorted by urgency.
 * For a case worker or coordinator: their open actions due within a week or overdue, new
 * referrals waiting for intake in their regions, the plug-in's deadlines of the cases they hold
 * the regie of that are overdue or due soon, and the Thuiszitterspact alarms of those cases. For
 * a school's attendance officer: the new absence signals of their school.
 *
 * Cost: no case of the region is decoded unless it is on the list. The actions come from the
 * `open_actions` projection (indexed by owner and due date); only the caller's own open cases
 * (`regiehouder`) and the cases still in their region's first status are read as states, through
 * the store's cache of decoded states. One audited search (`mijn-werk`) covers the case reads;
 * the absence signals are audited by `Absence.signals` as on the signals page.
 */

import type { Errors as ErrorsTypes } from "@verzuimregie/domain"
import { type Case, CaseSignals, type Ids, LocalDate, Pupil } from "@verzuimregie/domain"
import { Deadlines } from "@verzuimregie/plugin-sdk"
import type { AbsenceStore as AbsenceStoreTypes, AuditLog } from "@verzuimregie/store"
import { CaseQueries, Pagination } from "@verzuimregie/store"
import { Effect } from "effect"
import * as Absence from "./Absence.js"
import * as Access from "./Access.js"
import { CurrentPrincipal } from "./CurrentPrincipal.js"
import * as Regions from "./Regions.js"

/** Who has an inbox: the people who work cases, and a school's attendance officers. */
export const INBOX_ROLES: Access.Roles = [...Access.CASE_ROLES, ...Absence.SCHOOL_ABSENCE_ROLES]

/** An open action shows from this many days before its due date. */
export const ACTION_DAYS_AHEAD = 7

/** At most this many cases are read per kind (my cases, new referrals): bounds one request. */
export const MAX_INBOX_CASES = 1000

export type InboxKind = "actie" | "aanmelding" | "termijn" | "pact" | "verzuimsignaal"

/**
 * How urgent an item is: `verlopen` (past its date, or a pact alarm), `vandaag` (due today),
 * `binnenkort` (due within the window, or a pact warning), `nieuw` (waiting, no date of its own).
 */
export type InboxUrgency = "verlopen" | "vandaag" | "binnenkort" | "nieuw"

const RANK: Record<InboxUrgency, number> = { verlopen: 0, vandaag: 1, binnenkort: 2, nieuw: 3 }

export interface InboxItem {
  readonly kind: InboxKind
  /** Stable within the list: kind, record and (for deadlines) which one. */
  readonly id: string
  /** What needs doing, in Dutch. */
  readonly title: string
  /** Whose it is: the pupil's name where the caller may see it, else null. */
  readonly subject: string | null
  readonly urgency: InboxUrgency
  /** The day it is due (an action, a deadline, the pact limit); the day it came in for new ones. */
  readonly dueOn: LocalDate.LocalDate | null
  readonly caseId: Ids.CaseId | null
  readonly signalId: Ids.SignalId | null
  /** The page of the web app where it is dealt with. */
  readonly href: string
}

export interface Inbox {
  readonly asOf: LocalDate.LocalDate
  readonly items: ReadonlyArray<InboxItem>
  /** More cases than one request reads (`MAX_INBOX_CASES`); the list is not complete. */
  readonly truncated: boolean
}

const urgencyOf = (asOf: LocalDate.LocalDate, dueOn: LocalDate.LocalDate): InboxUrgency =>
  asOf > dueOn ? "verlopen" : asOf === dueOn ? "vandaag" : "binnenkort"

/** Most urgent first; then the earliest date (none last), then kind and id for a stable order. */
export const byUrgency = (a: InboxItem, b: InboxItem): number =>
  RANK[a.urgency] - RANK[b.urgency] ||
  (a.dueOn ?? "9999-12-31").localeCompare(b.dueOn ?? "9999-12-31") ||
  a.kind.localeCompare(b.kind) ||
  a.id.localeCompare(b.id)

const dossier = (caseId: Ids.CaseId) => `/dossiers/${caseId}`

const pupilOf = (state: Case.CaseState) => Pupil.displayName(state.referral.pupil.name)

/** Every page of a case query, up to `MAX_INBOX_CASES`; the first page carries the audit record. */
const allCases = (
  queries: CaseQueries.CaseQueries,
  regions: ReadonlyArray<Ids.RegionId>,
  filter: CaseQueries.CaseFilter,
  audit: AuditLog.AuditEntry | undefined,
) =>
  Effect.gen(function* () {
    const states: Array<Case.CaseState> = []
    let cursor: string | undefined
    let truncated = false
    do {
      const page = yield* queries.cases(
        { regions, ...(cursor === undefined && audit !== undefined ? { audit } : {}) },
        filter,
        { cursor, limit: Pagination.MAX_LIMIT },
      )
      states.push(...page.items)
      cursor = page.nextCursor ?? undefined
      truncated = cursor !== undefined && states.length >= MAX_INBOX_CASES
    } while (cursor !== undefined && !truncated)
    return { states, truncated }
  })

/** The case worker's and coordinator's part of the inbox. */
const caseItems = (asOf: LocalDate.LocalDate) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    const regions = yield* Regions.Regions
    const queries = yield* CaseQueries.CaseQueries
    const visible = regions.enabled(principal.regions)
    if (visible.length === 0) return { items: [] as Array<InboxItem>, truncated: false }
    const audit = yield* Access.audit(
      "search",
      { type: "case", regionId: visible.length === 1 ? visible[0] : undefined },
      "mijn-werk",
    )
    const items: Array<InboxItem> = []

    // My open actions due within the window (or overdue): the projection, no case decoded.
    let cursor: string | undefined
    let first = true
    do {
      const page = yield* queries.openActionsDue(
        { regions: visible, ...(first ? { audit } : {}) },
        { before: LocalDate.addDays(asOf, ACTION_DAYS_AHEAD + 1), owner: principal.userId },
        { cursor, limit: Pagination.MAX_LIMIT },
      )
      first = false
      for (const { caseId, action } of page.items)
        items.push({
          kind: "actie",
          id: `actie:${caseId}:${action.id}`,
          title: `Actie: ${action.description}`,
          subject: null,
          urgency: urgencyOf(asOf, action.dueOn),
          dueOn: action.dueOn,
          caseId,
          signalId: null,
          href: dossier(caseId),
        })
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined && items.length < MAX_INBOX_CASES)
    let truncated = cursor !== undefined

    // The cases I hold the regie of: their deadlines passing and their pact alarms.
    const mine = yield* allCases(queries, visible, { regiehouder: principal.userId, open: true }, undefined)
    truncated ||= mine.truncated
    for (const state of mine.states) {
      const region = regions.get(state.regionId)
      if (region === undefined) continue
      const ctx = { ...Regions.contextFor(region, asOf), state }
      for (const d of Deadlines.deadlineChecks(region.plugin, ctx)) {
        if (d.status !== "verlopen" && d.status !== "binnenkort") continue
        items.push({
          kind: "termijn",
          id: `termijn:${state.id}:${d.id}`,
          title: d.label,
          subject: pupilOf(state),
          urgency: urgencyOf(asOf, d.dueOn),
          dueOn: d.dueOn,
          caseId: state.id,
          signalId: null,
          href: dossier(state.id),
        })
      }
      const pact = CaseSignals.pactOn(state, asOf, region.thresholds.thuiszitterspact, region.calendars)
      if (pact !== undefined && (pact.status === "alarm" || pact.status === "waarschuwing"))
        items.push({
          kind: "pact",
          id: `pact:${state.id}`,
          title:
            pact.status === "alarm"
              ? "Thuiszitterspact: langer dan drie maanden thuis zonder passend aanbod"
              : "Thuiszitterspact: de grens van drie maanden komt in zicht",
          subject: pupilOf(state),
          urgency: pact.status === "alarm" ? "verlopen" : "binnenkort",
          dueOn: pact.limitDate,
          caseId: state.id,
          signalId: null,
          href: dossier(state.id),
        })
    }

    // New referrals waiting for intake: the cases in their region's first status.
    const byInitial = new Map<string, Array<Ids.RegionId>>()
    for (const id of visible) {
      const initial = regions.get(id)?.plugin.workflow.initial
      if (initial !== undefined) byInitial.set(initial, [...(byInitial.get(initial) ?? []), id])
    }
    for (const [initial, ids] of byInitial) {
      const waiting = yield* allCases(
        queries,
        ids,
        { status: [initial] as Array<Case.CaseState["status"]>, open: true },
        undefined,
      )
      truncated ||= waiting.truncated
      for (const state of waiting.states) {
        const region = regions.get(state.regionId)
        items.push({
          kind: "aanmelding",
          id: `aanmelding:${state.id}`,
          title: `Nieuwe aanmelding wacht op intake (${region?.region.name ?? state.regionId})`,
          subject: pupilOf(state),
          urgency: "nieuw",
          dueOn: Deadlines.openedOn(state),
          caseId: state.id,
          signalId: null,
          href: dossier(state.id),
        })
      }
    }
    return { items, truncated }
  })

/** A school attendance officer's part: the school's new absence signals. */
const signalItems = Effect.gen(function* () {
  const found = yield* Absence.signals({ status: ["nieuw"] })
  return found.map(
    (s): InboxItem => ({
      kind: "verzuimsignaal",
      id: `verzuimsignaal:${s.id}`,
      title: `Nieuw verzuimsignaal: ${s.typeLabel}`,
      subject: s.pupil.name,
      urgency: "nieuw",
      dueOn: s.firesOn,
      caseId: null,
      signalId: s.id,
      href: `/verzuim/signalen/${s.id}`,
    }),
  )
})

/**
 * What needs the caller on `asOf` (default: today in Europe/Amsterdam), most urgent first. An
 * action is `verlopen` from the day after its due date.
 */
export const forMe = (asOf?: LocalDate.LocalDate) =>
  Effect.gen(function* () {
    const principal = yield* Access.requireRole(INBOX_ROLES)
    const regions = yield* Regions.Regions
    const on = asOf ?? regions.today()
    const items: Array<InboxItem> = []
    let truncated = false
    if (Access.hasRole(principal, Access.CASE_ROLES)) {
      const cases = yield* caseItems(on)
      items.push(...cases.items)
      truncated = cases.truncated
    }
    if (Access.hasRole(principal, Absence.SCHOOL_ABSENCE_ROLES)) items.push(...(yield* signalItems))
    // The same case may be both mine and new (an intake named me already): keep one of each id.
    const seen = new Set<string>()
    const unique = items.filter((i) => {
      if (seen.has(i.id)) return false
      seen.add(i.id)
      return true
    })
    return { asOf: on, items: unique.sort(byUrgency), truncated } satisfies Inbox
  })

/** Named by the inferred types of these use cases; re-exported so their declarations stay portable (TS2742). */
export type { AbsenceStoreTypes, ErrorsTypes }
