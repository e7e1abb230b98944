/**
 * Case list exports for coordinators: every case of a region as a spreadsheet with the columns
 * the region's plug-in declares. Columns that identify the pupil are left out unless asked for.
 * The route checks the caller's region and hands the rest to `Reports.caseList` (the one audited,
 * paginated read of a region's cases; the file made in a worker thread for a long list).
 */

import { Access, Reports } from "@verzuimregie/app"
import { Errors, Fields } from "@verzuimregie/domain"
import { CaseStore, Pagination } from "@verzuimregie/store"
import { Effect, Schema } from "effect"
import { type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { RegionIdParams } from "./schemas.js"

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

const ExportQuery = Schema.Struct({
  personal: Fields.optional(Schema.Literal("true", "false")).annotations({
    description:
      "true: met de kolommen die de leerling identificeren (naam, geboortedatum). Standaard false.",
  }),
  open: Fields.optional(Schema.Literal("true", "false")),
})

export const exportRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/regions/:regionId/cases.xlsx",
      operationId: "exportRegionCases",
      summary: "Casuslijst van de regio als spreadsheet (kolommen van de plug-in)",
      description:
        "Alleen voor coördinatoren. Kolommen die de leerling identificeren alleen met personal=true. Vastgelegd als export in de toegangslog. Grote lijsten worden buiten de event-loop gemaakt.",
      tag: "Regio's",
      roles: ["coordinator"],
      params: RegionIdParams,
      query: ExportQuery,
      response: { status: 200, file: XLSX, description: "Het .xlsx-bestand" },
      errors: [
        Access.NotFound,
        CaseStore.RegionNotPermitted,
        Pagination.InvalidCursor,
        Errors.ValidationError,
      ],
    },
    ({ params, query }) =>
      Effect.gen(function* () {
        const { region, regions } = yield* Access.ownRegion(params.regionId)
        const on = regions.today()
        const file = yield* Reports.caseList({
          region,
          includePersonal: query.personal === "true",
          open: query.open === undefined ? undefined : query.open === "true",
          on,
        })
        return new Response(new Uint8Array(file), {
          status: 200,
          headers: {
            "content-type": XLSX,
            "content-disposition": `attachment; filename="casussen-${region.region.id}-${on}.xlsx"`,
            "cache-control": "no-store",
          },
        })
      }),
  ),
]
