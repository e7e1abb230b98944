/**
 * What a region runs, for every door: the regions of this installation, each plug-in's manifest,
 * referral form (as JSON Schema, so a client can render it), workflow and catalogue; and the
 * region's working lists (thuiszitters, pact risks, actions due), which are case data: only for the
 * caller's own regions (others do not exist for them) and audited.
 */

import type { Errors as ErrorsTypes } from "@verzuimregie/domain"
import { type Case, LocalDate } from "@verzuimregie/domain"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import type { Pagination } from "@verzuimregie/store"
import { CaseQueries, type Visibility } from "@verzuimregie/store"
import { Effect, JSONSchema } from "effect"
import * as Access from "./Access.js"
import { summary } from "./CaseViews.js"
import * as Regions from "./Regions.js"

export const regionSummary = (r: RegionConfig.EnabledRegion) => ({
  id: r.region.id,
  name: r.region.name,
  holidayRegion: r.region.holidayRegion,
  municipalities: r.region.municipalities,
  plugin: { id: r.plugin.manifest.id, name: r.plugin.manifest.name, version: r.plugin.manifest.version },
})

const detailOf = (r: RegionConfig.EnabledRegion) => {
  const { plugin } = r
  return {
    region: regionSummary(r),
    manifest: plugin.manifest,
    referralForm: {
      referrerRoles: plugin.referral.referrerRoles,
      verzuimKinds: plugin.referral.verzuimKinds ?? null,
      consentPolicy: plugin.referral.consentPolicy,
      consentAlwaysRecorded: plugin.referral.consentAlwaysRecorded,
      extensionSchema: JSONSchema.make(plugin.referral.extension),
      example: plugin.referral.exampleExtension,
    },
    workflow: {
      initial: plugin.workflow.initial,
      states: plugin.workflow.states.map((s) => ({
        id: s.id,
        label: s.label,
        description: s.description,
        final: s.final === true,
      })),
      transitions: plugin.workflow.transitions.map((t) => ({
        id: t.id,
        label: t.label,
        from: t.from,
        to: t.to,
        roles: t.roles,
        requires: t.guards.map((g) => g.requires),
        outcomes: t.outcomes ?? [],
      })),
    },
    // The ages enforced when an intervention starts (plugin-sdk Workflow, InterventionStarted).
    catalogue: plugin.catalogue.map((c) => ({
      code: c.code,
      label: c.label,
      description: c.description,
      minAge: c.minAge ?? null,
      maxAge: c.maxAge ?? null,
    })),
    deadlines: plugin.deadlines.map((d) => ({ id: d.id, label: d.label })),
    reportColumns: plugin.reports.caseColumns.map((c) => ({
      key: c.key,
      header: c.header,
      kind: c.kind,
      personal: c.personal,
    })),
  }
}

/** The regions this installation runs: public, no case data. */
export const list = Effect.map(Regions.Regions, (regions) => regions.all.map(regionSummary))

/** Everything a client must know about one region; an unknown region answers 404. */
export const detail = (regionId: string) =>
  Effect.flatMap(Regions.Regions, (regions) => {
    const region = regions.get(regionId)
    return region === undefined
      ? Effect.fail(Access.notFound("Onbekende regio."))
      : Effect.succeed(detailOf(region))
  })

export interface PageRequest {
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

/** A list of one of the caller's regions: the region, today, and the audited search over it. */
const regionSearch = (
  regionId: string,
  recordType: "case" | "action",
  context: (today: LocalDate.LocalDate) => string,
) =>
  Effect.gen(function* () {
    yield* Access.requireRole(Access.CASE_ROLES)
    const { region, regions } = yield* Access.ownRegion(regionId)
    const today = regions.today()
    const audit = yield* Access.audit(
      "search",
      { type: recordType, regionId: region.region.id },
      context(today),
    )
    return { region, today, visibility: { regions: [region.region.id], audit } }
  })

/**
 * The two case lists of a region, each as the case page judges it: the thuiszitters (absoluut
 * verzuim and more than 4 weeks of ongeoorloofd verzuim, Leerplichtwet 1969 art. 21a) and the
 * cases nearing the Thuiszitterspact's 3-month limit. One shape for both: the audited search of
 * the region, the page of the store's query, each item the case's summary and its own fields.
 */
const caseList =
  <Found extends { readonly state: Case.CaseState }, Item, E, R>(
    context: string,
    query: (
      region: RegionConfig.EnabledRegion,
      today: LocalDate.LocalDate,
      visibility: Visibility.Visibility,
      page: PageRequest,
    ) => Effect.Effect<Pagination.Page<Found>, E, R>,
    item: (found: Found) => Item,
  ) =>
  (regionId: string, page: PageRequest) =>
    Effect.gen(function* () {
      const { region, today, visibility } = yield* regionSearch(regionId, "case", () => context)
      const found = yield* query(region, today, visibility, { cursor: page.cursor, limit: page.limit })
      return {
        items: found.items.map((i) => ({ case: summary(i.state, region), ...item(i) })),
        nextCursor: found.nextCursor ?? null,
      }
    })

export const thuiszitters = caseList(
  "thuiszitters",
  // The region's calendars decide which days leave covers, as on the case page.
  (region, today, visibility, page) =>
    Effect.flatMap(CaseQueries.CaseQueries, (q) =>
      q.thuiszitters(visibility, { on: today, calendars: region.calendars }, page),
    ),
  (i) => ({ categorie: i.categorie, since: i.since, daysAtHome: i.daysAtHome }),
)

export const pactRisks = caseList(
  "thuiszitterspact",
  (region, today, visibility, page) =>
    Effect.flatMap(CaseQueries.CaseQueries, (q) =>
      q.pactRisks(
        visibility,
        { on: today, pact: region.thresholds.thuiszitterspact, calendars: region.calendars },
        page,
      ),
    ),
  (i) => ({
    since: i.since,
    status: i.pact.status,
    limitDate: i.pact.limitDate,
    daysRemaining: i.pact.daysRemaining,
  }),
)

/**
 * The open cases of one of the caller's regions counted per status, in the order of the region's
 * workflow, each with its Dutch label (statuses without cases count 0). Audited as a search of the
 * region's cases: the counts say something about the region, never about a pupil.
 */
export const openByStatus = (regionId: string) =>
  Effect.gen(function* () {
    const { region, visibility } = yield* regionSearch(regionId, "case", () => "open-per-status")
    const queries = yield* CaseQueries.CaseQueries
    const counted = yield* queries.statusCounts(visibility, { open: true })
    const count = new Map(counted.map((c) => [c.status, c.count]))
    const known = region.plugin.workflow.states.filter((s) => s.final !== true || count.has(s.id))
    const statuses = [
      ...known.map((s) => ({ id: s.id as string, label: s.label, count: count.get(s.id) ?? 0 })),
      // A status the workflow no longer names (an older plug-in version) still counts.
      ...counted
        .filter((c) => !known.some((s) => s.id === c.status))
        .map((c) => ({ id: c.status, label: c.status, count: c.count })),
    ]
    return { statuses, total: counted.reduce((sum, c) => sum + c.count, 0) }
  })

/** Open actions of a region due before a date (default: a week from today). */
export const actionsDue = (
  regionId: string,
  options: { readonly before?: LocalDate.LocalDate | undefined } & PageRequest,
) =>
  Effect.gen(function* () {
    const beforeOf = (today: LocalDate.LocalDate) => options.before ?? LocalDate.addDays(today, 7)
    const { today, visibility } = yield* regionSearch(
      regionId,
      "action",
      (today) => `voor ${beforeOf(today)}`,
    )
    const queries = yield* CaseQueries.CaseQueries
    const page = yield* queries.openActionsDue(
      visibility,
      { before: beforeOf(today) },
      { cursor: options.cursor, limit: options.limit },
    )
    return {
      items: page.items.map((i) => ({
        caseId: i.caseId,
        actionId: i.action.id,
        description: i.action.description,
        owner: i.action.owner.name,
        dueOn: i.action.dueOn,
      })),
      nextCursor: page.nextCursor ?? null,
    }
  })

/** Named by the inferred types of these use cases; re-exported so their declarations stay portable (TS2742). */
export type { ErrorsTypes, Pagination }
