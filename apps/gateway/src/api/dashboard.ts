/**
 * The region's dashboard and jaarverslag for coordinators: the figures as JSON and the jaarverslag
 * as a workbook. The route specs only: `Dashboard` of `@verzuimregie/app` decides who sees which
 * region (another answers 404), reads and audits. The jaarverslag of a plug-in covers all the
 * caller's regions that run it.
 */

import { Access, Dashboard } from "@verzuimregie/app"
import { Errors, Fields } from "@verzuimregie/domain"
import { CaseStore, Pagination } from "@verzuimregie/store"
import { Effect, Schema } from "effect"
import { type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { PluginIdParams, RegionIdParams } from "./schemas.js"

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
const TAG = "Regio's"

const Stat = Schema.Struct({
  count: Schema.Int,
  median: Schema.NullOr(Schema.Int),
  p90: Schema.NullOr(Schema.Int),
}).annotations({ identifier: "DashboardStat" })

const DashboardFigures = Schema.Struct({
  region: Schema.Struct({
    id: Schema.String,
    name: Schema.String,
    plugin: Schema.Struct({ id: Schema.String, name: Schema.String, version: Schema.String }),
  }),
  period: Schema.Struct({ key: Schema.String, label: Schema.String, from: Schema.String, to: Schema.String }),
  on: Schema.String,
  openByStatus: Schema.Array(
    Schema.Struct({ status: Schema.String, label: Schema.String, count: Schema.Int }),
  ),
  caseload: Schema.Array(
    Schema.Struct({ userId: Schema.NullOr(Schema.String), label: Schema.String, count: Schema.Int }),
  ),
  responseTimes: Schema.Array(
    Schema.Struct({
      month: Schema.String,
      label: Schema.String,
      referrals: Schema.Int,
      firstContact: Stat,
      start: Stat,
    }),
  ),
  outcomes: Schema.Array(
    Schema.Struct({
      quarter: Schema.String,
      label: Schema.String,
      total: Schema.Int,
      byOutcome: Schema.Array(
        Schema.Struct({ outcome: Schema.String, label: Schema.String, count: Schema.Int }),
      ),
    }),
  ),
  thuiszitters: Schema.Array(
    Schema.Struct({
      month: Schema.String,
      label: Schema.String,
      on: Schema.String,
      "2a": Schema.Int,
      "2b": Schema.Int,
      pactAlarm: Schema.Int,
    }),
  ),
  signals: Schema.Array(
    Schema.Struct({
      schoolId: Schema.String,
      schoolName: Schema.String,
      type: Schema.String,
      typeLabel: Schema.String,
      open: Schema.Union(Schema.Int, Schema.Literal("< 5")),
    }),
  ),
}).annotations({ identifier: "DashboardFigures" })

const PeriodQuery = Schema.Struct({
  schooljaar: Fields.optional(Schema.String).annotations({
    description: "Schooljaar als 2025-2026 (1 augustus t/m 31 juli). Standaard het huidige schooljaar.",
  }),
  kwartaal: Fields.optional(Schema.String).annotations({ description: "Kwartaal als 2026-Q1." }),
  van: Fields.optional(Schema.String).annotations({ description: "Eerste maand als 2026-01 (met tot)." }),
  tot: Fields.optional(Schema.String).annotations({ description: "Laatste maand als 2026-03 (met van)." }),
})

const YearQuery = Schema.Struct({
  schooljaar: Fields.optional(Schema.String).annotations({
    description: "Schooljaar als 2025-2026. Standaard het huidige schooljaar.",
  }),
})

const download = ({ file, name }: { readonly file: Buffer; readonly name: string }) =>
  new Response(new Uint8Array(file), {
    status: 200,
    headers: {
      "content-type": XLSX,
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  })

const ERRORS = [
  Access.Forbidden,
  Access.NotFound,
  CaseStore.RegionNotPermitted,
  Pagination.InvalidCursor,
  Errors.ValidationError,
] as const

export const dashboardRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/regions/:regionId/dashboard",
      operationId: "getRegionDashboard",
      summary: "Dashboard van de regio: aantallen over een periode",
      description:
        "Alleen voor coördinatoren van de regio. Open casussen per status, caseload per regiehouder, doorlooptijden (mediaan en 90e percentiel per maand), uitkomsten per kwartaal, thuiszitters 2a/2b en pact-alarmen per maand, en open verzuimsignalen per school (onder 5 als „< 5”). Alleen aantallen, nooit leerlingen. Vastgelegd in de toegangslog.",
      tag: TAG,
      roles: ["coordinator"],
      params: RegionIdParams,
      query: PeriodQuery,
      response: { status: 200, schema: DashboardFigures, description: "De cijfers" },
      errors: ERRORS,
    },
    ({ params, query }) => Dashboard.figures(params.regionId, query),
  ),
  route(
    {
      method: "get",
      path: "/regions/:regionId/jaarverslag.xlsx",
      operationId: "exportRegionJaarverslag",
      summary: "Jaarverslag van de regio als spreadsheet",
      description:
        "Alleen voor coördinatoren van de regio. De cijfers van het dashboard over een schooljaar, één werkblad per onderdeel, met de werkwijze (plug-in) van de regio. Alleen aantallen. Vastgelegd als export in de toegangslog.",
      tag: TAG,
      roles: ["coordinator"],
      params: RegionIdParams,
      query: YearQuery,
      response: { status: 200, file: XLSX, description: "Het .xlsx-bestand" },
      errors: ERRORS,
    },
    ({ params, query }) => Effect.map(Dashboard.jaarverslag(params.regionId, query.schooljaar), download),
  ),
  route(
    {
      method: "get",
      path: "/plugins/:pluginId/jaarverslag.xlsx",
      operationId: "exportPluginJaarverslag",
      summary: "Jaarverslag van een werkwijze (plug-in) over al uw regio's die haar gebruiken",
      description:
        "Alleen voor coördinatoren. De cijfers van het dashboard over een schooljaar voor alle regio's van de coördinator met deze werkwijze samen: aantallen opgeteld, mediaan en 90e percentiel opnieuw berekend over alle casussen, caseload per regiehouder met de regio erbij. Het werkblad Verantwoording noemt de werkwijze en de regio's. Geen regio van u met deze werkwijze: 404. Alleen aantallen. Vastgelegd als export in de toegangslog van elke regio.",
      tag: TAG,
      roles: ["coordinator"],
      params: PluginIdParams,
      query: YearQuery,
      response: { status: 200, file: XLSX, description: "Het .xlsx-bestand" },
      errors: ERRORS,
    },
    ({ params, query }) =>
      Effect.map(Dashboard.pluginJaarverslag(params.pluginId, query.schooljaar), download),
  ),
]
