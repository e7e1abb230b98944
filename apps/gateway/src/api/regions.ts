/**
 * Regions: the enabled regions, each plug-in's manifest, referral form and workflow; and the
 * region's working lists. The route specs only: the `RegionReads` use cases of
 * `@verzuimregie/app` decide who sees which list and audit every read.
 */

import { Access, RegionReads } from "@verzuimregie/app"
import { Errors, LangdurigVerzuim, LocalDate } from "@verzuimregie/domain"
import { Pagination } from "@verzuimregie/store"
import { type Effect, Schema } from "effect"
import { type Declared, type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
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

/** What a working list of a region may raise: a region not the caller's, a stale cursor. */
const LIST_ERRORS = [
  Access.Forbidden,
  Access.NotFound,
  Pagination.InvalidCursor,
  Errors.ValidationError,
] as const

/** The two case lists of a region (thuiszitters, pact risks): one route shape, one use case. */
const caseListRoute = <Page, E extends Declared<typeof LIST_ERRORS>, R>(list: {
  readonly path: "thuiszitters" | "pact-risks"
  readonly operationId: string
  readonly description: string
  readonly summary: string
  // biome-ignore lint/suspicious/noExplicitAny: the encoded side of a response schema is open
  readonly schema: Schema.Schema<Page, any>
  readonly run: (regionId: string, page: typeof ListQuery.Type) => Effect.Effect<Page, E, R>
}) =>
  route(
    {
      method: "get",
      path: `/regions/:regionId/${list.path}`,
      operationId: list.operationId,
      description: list.description,
      summary: list.summary,
      tag: TAG,
      roles: Access.CASE_ROLES,
      params: RegionIdParams,
      query: ListQuery,
      response: { status: 200, schema: list.schema, description: "Eén pagina" },
      errors: LIST_ERRORS,
    },
    ({ params, query }) => list.run(params.regionId, query),
  )

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
    () => RegionReads.list,
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
      errors: [Access.NotFound],
    },
    ({ params }) => RegionReads.detail(params.regionId),
  ),
  caseListRoute({
    path: "thuiszitters",
    run: RegionReads.thuiszitters,
    operationId: "listThuiszitters",
    description:
      "Leerlingen van de regio die niet ingeschreven zijn (absoluut verzuim) of langer dan 4 weken ongeoorloofd thuiszitten, zoals de casuspagina ze beoordeelt (vrijstellingen en verlof tellen mee), langst eerst, per pagina. Alleen voor uw eigen regio's; komt in de toegangslog.",
    summary:
      "Thuiszitters van de regio: absoluut verzuim en langer dan 4 weken ongeoorloofd thuis, langst eerst",
    schema: PageOf(AtHomeItem, "AtHomePage"),
  }),
  caseListRoute({
    path: "pact-risks",
    run: RegionReads.pactRisks,
    operationId: "listPactRisks",
    description:
      "Casussen die de grens van 3 maanden uit het Thuiszitterspact naderen of voorbij zijn, met de grensdatum, per pagina. Alleen voor uw eigen regio's; komt in de toegangslog.",
    summary: "Thuiszitterspact: casussen die de grens van 3 maanden naderen of voorbij zijn",
    schema: PageOf(PactRiskItem, "PactRiskPage"),
  }),
  route(
    {
      method: "get",
      path: "/regions/:regionId/actions-due",
      operationId: "listActionsDue",
      description:
        "Open acties van de regio met een termijn vóór de gegeven datum (standaard over een week), per pagina. Alleen voor uw eigen regio's; komt in de toegangslog.",
      summary: "Open acties met een termijn vóór een datum (standaard: over een week)",
      tag: TAG,
      roles: Access.CASE_ROLES,
      params: RegionIdParams,
      query: Schema.Struct({ before: DueQuery.fields.before, ...ListQuery.fields }),
      response: { status: 200, schema: PageOf(DueActionItem, "DueActionPage"), description: "Eén pagina" },
      errors: LIST_ERRORS,
    },
    ({ params, query }) => RegionReads.actionsDue(params.regionId, query),
  ),
]
