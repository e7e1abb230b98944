/**
 * Regions: the enabled regions, each plug-in's manifest, referral form (as JSON Schema, so a client
 * can render it) and workflow; and the region's working lists (thuiszitters, pact risks, actions
 * due), which are case data and so audited.
 */

import { Regions } from "@verzuimregie/app"
import { LangdurigVerzuim, LocalDate } from "@verzuimregie/domain"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { CaseQueries } from "@verzuimregie/store"
import { Effect, JSONSchema, Schema } from "effect"
import { notFound, type Principal, type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { auditEntry, CASE_ROLES, ownRegion, summary } from "./access.js"
import {
  CaseSummary,
  DueQuery,
  ListQuery,
  PageOf,
  RegionDetail,
  RegionIdParams,
  RegionSummary,
} from "./schemas.js"

const TAG = "Regio's"

const regionSummary = (r: RegionConfig.EnabledRegion) => ({
  id: r.region.id,
  name: r.region.name,
  holidayRegion: r.region.holidayRegion,
  municipalities: r.region.municipalities,
  plugin: { id: r.plugin.manifest.id, name: r.plugin.manifest.name, version: r.plugin.manifest.version },
})

const detail = (r: RegionConfig.EnabledRegion) => {
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
    // The ages the gateway enforces when an intervention starts (plugin-sdk Workflow, InterventionStarted).
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

/** A region's working list: only for the caller's own regions; others do not exist for them. */
/** A list of one of the caller's regions: the region, today, and the audited search over it. */
const regionSearch = (
  principal: Principal,
  requestId: string,
  regionId: string,
  recordType: "case" | "action",
  context: (today: LocalDate.LocalDate) => string,
) =>
  Effect.map(ownRegion(principal, regionId), ({ region, regions }) => {
    const today = regions.today()
    return {
      region,
      today,
      visibility: {
        regions: [region.region.id],
        audit: auditEntry(
          principal,
          requestId,
          "search",
          { type: recordType, regionId: region.region.id },
          context(today),
        ),
      },
    }
  })

const AtHomeItem = Schema.Struct({
  case: CaseSummary,
  /** The Inspectie category, as on the case page: 1 absoluut verzuim, 2a/2b langdurig relatief verzuim. */
  categorie: LangdurigVerzuim.Categorie,
  /** First day that counts: the first day at home, or the day after a ground last excused it. */
  since: LocalDate.LocalDate,
  daysAtHome: Schema.Int,
}).annotations({ identifier: "AtHomeItem" })

const PactRiskItem = Schema.Struct({
  case: CaseSummary,
  /** First day the pact's clock counts: days a ground excused do not count. */
  since: LocalDate.LocalDate,
  status: Schema.Literal("ok", "waarschuwing", "alarm"),
  limitDate: LocalDate.LocalDate,
  daysRemaining: Schema.Int,
}).annotations({ identifier: "PactRiskItem" })

const DueActionItem = Schema.Struct({
  caseId: Schema.String,
  actionId: Schema.String,
  description: Schema.String,
  owner: Schema.String,
  dueOn: LocalDate.LocalDate,
}).annotations({ identifier: "DueActionItem" })

export const regionRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/regions",
      operationId: "listRegions",
      description: "De regio's die deze installatie bedient, met hun gemeenten, vakantieregio en plug-in.",
      summary: "De regio's op deze installatie en hun plug-in",
      tag: TAG,
      response: { status: 200, schema: Schema.Array(RegionSummary), description: "De regio's" },
    },
    () => Effect.map(Regions.Regions, (regions) => regions.all.map(regionSummary)),
  ),
  route(
    {
      method: "get",
      path: "/regions/:regionId",
      operationId: "getRegion",
      description:
        "Alles wat een client over een regio moet weten: het aanmeldformulier als JSON Schema met een voorbeeld, de werkwijze (statussen en stappen), het hulpaanbod met de leeftijden waarvoor het is (minAge/maxAge, door de gateway gecontroleerd), de termijnen en de kolommen van de export.",
      summary: "Eén regio: manifest, aanmeldformulier (JSON Schema), werkwijze, hulpaanbod, termijnen",
      tag: TAG,
      params: RegionIdParams,
      response: { status: 200, schema: RegionDetail, description: "De regio" },
      errors: [404],
    },
    ({ params }) =>
      Effect.gen(function* () {
        const regions = yield* Regions.Regions
        const region = regions.get(params.regionId)
        if (region === undefined) return yield* Effect.fail(notFound("Onbekende regio."))
        return detail(region)
      }),
  ),
  route(
    {
      method: "get",
      path: "/regions/:regionId/thuiszitters",
      operationId: "listThuiszitters",
      description:
        "Leerlingen van de regio die niet ingeschreven zijn (absoluut verzuim) of langer dan 4 weken ongeoorloofd thuiszitten, zoals de casuspagina ze beoordeelt (vrijstellingen en verlof tellen mee), langst eerst, per pagina. Alleen voor uw eigen regio's; komt in de toegangslog.",
      summary:
        "Thuiszitters van de regio: absoluut verzuim en langer dan 4 weken ongeoorloofd thuis, langst eerst",
      tag: TAG,
      roles: CASE_ROLES,
      params: RegionIdParams,
      query: ListQuery,
      response: { status: 200, schema: PageOf(AtHomeItem, "AtHomePage"), description: "Eén pagina" },
      errors: [404],
    },
    ({ params, query, principal, requestId }) =>
      Effect.gen(function* () {
        const { region, today, visibility } = yield* regionSearch(
          principal,
          requestId,
          params.regionId,
          "case",
          () => "thuiszitters",
        )
        const queries = yield* CaseQueries.CaseQueries
        // The same rule as the case page's category: the region's calendars decide which days leave covers.
        const page = yield* queries.thuiszitters(
          visibility,
          { on: today, calendars: region.calendars },
          { cursor: query.cursor, limit: query.limit },
        )
        return {
          items: page.items.map((i) => ({
            case: summary(i.state, region),
            categorie: i.categorie,
            since: i.since,
            daysAtHome: i.daysAtHome,
          })),
          nextCursor: page.nextCursor ?? null,
        }
      }),
  ),
  route(
    {
      method: "get",
      path: "/regions/:regionId/pact-risks",
      operationId: "listPactRisks",
      description:
        "Casussen die de grens van 3 maanden uit het Thuiszitterspact naderen of voorbij zijn, met de grensdatum, per pagina. Alleen voor uw eigen regio's; komt in de toegangslog.",
      summary: "Thuiszitterspact: casussen die de grens van 3 maanden naderen of voorbij zijn",
      tag: TAG,
      roles: CASE_ROLES,
      params: RegionIdParams,
      query: ListQuery,
      response: { status: 200, schema: PageOf(PactRiskItem, "PactRiskPage"), description: "Eén pagina" },
      errors: [404],
    },
    ({ params, query, principal, requestId }) =>
      Effect.gen(function* () {
        const { region, today, visibility } = yield* regionSearch(
          principal,
          requestId,
          params.regionId,
          "case",
          () => "thuiszitterspact",
        )
        const queries = yield* CaseQueries.CaseQueries
        const page = yield* queries.pactRisks(
          visibility,
          { on: today, pact: region.thresholds.thuiszitterspact, calendars: region.calendars },
          { cursor: query.cursor, limit: query.limit },
        )
        return {
          items: page.items.map((i) => ({
            case: summary(i.state, region),
            since: i.since,
            status: i.pact.status,
            limitDate: i.pact.limitDate,
            daysRemaining: i.pact.daysRemaining,
          })),
          nextCursor: page.nextCursor ?? null,
        }
      }),
  ),
  route(
    {
      method: "get",
      path: "/regions/:regionId/actions-due",
      operationId: "listActionsDue",
      description:
        "Open acties van de regio met een termijn vóór de gegeven datum (standaard over een week), per pagina. Alleen voor uw eigen regio's; komt in de toegangslog.",
      summary: "Open acties met een termijn vóór een datum (standaard: over een week)",
      tag: TAG,
      roles: CASE_ROLES,
      params: RegionIdParams,
      query: Schema.Struct({ before: DueQuery.fields.before, ...ListQuery.fields }),
      response: { status: 200, schema: PageOf(DueActionItem, "DueActionPage"), description: "Eén pagina" },
      errors: [404],
    },
    ({ params, query, principal, requestId }) =>
      Effect.gen(function* () {
        const beforeOf = (today: LocalDate.LocalDate) => query.before ?? LocalDate.addDays(today, 7)
        const { today, visibility } = yield* regionSearch(
          principal,
          requestId,
          params.regionId,
          "action",
          (today) => `voor ${beforeOf(today)}`,
        )
        const queries = yield* CaseQueries.CaseQueries
        const page = yield* queries.openActionsDue(
          visibility,
          { before: beforeOf(today) },
          { cursor: query.cursor, limit: query.limit },
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
      }),
  ),
]
