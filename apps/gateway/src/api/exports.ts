/**
 * Case list exports for coordinators: every case of a region as a spreadsheet with the columns
 * the region's plug-in declares. Columns that identify the pupil are left out unless asked for;
 * the export is audited in the same transaction as the first read of the cases it contains.
 */
import type { Case } from "@verzuimregie/domain"
import { CaseList } from "@verzuimregie/export-xlsx"
import { CaseQueries } from "@verzuimregie/store"
import { Effect, Schema } from "effect"
import { type Route, route } from "../http/Route.js"
import { contextFor } from "../Regions.js"
import type { GatewayServices } from "../Services.js"
import { auditEntry, ownRegion } from "./access.js"
import { RegionIdParams } from "./schemas.js"

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

const ExportQuery = Schema.Struct({
  personal: Schema.optionalWith(Schema.Literal("true", "false"), { exact: true }).annotations({
    description:
      "true: met de kolommen die de leerling identificeren (naam, geboortedatum). Standaard false.",
  }),
  open: Schema.optionalWith(Schema.Literal("true", "false"), { exact: true }),
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
      errors: [404],
    },
    ({ params, query, principal, requestId }) =>
      Effect.gen(function* () {
        const { region, regions } = yield* ownRegion(principal, params.regionId)
        const queries = yield* CaseQueries.CaseQueries
        const includePersonal = query.personal === "true"
        const states: Array<Case.CaseState> = []
        let cursor: string | undefined
        for (let page = 0; ; page++) {
          const result = yield* queries.cases(
            {
              regions: [region.region.id],
              ...(page === 0
                ? {
                    audit: auditEntry(
                      principal,
                      requestId,
                      "export",
                      { type: "case", regionId: region.region.id },
                      includePersonal ? "xlsx:personal" : "xlsx",
                    ),
                  }
                : {}),
            },
            { open: query.open === undefined ? undefined : query.open === "true" },
            { cursor, limit: 500 },
          )
          states.push(...result.items)
          if (result.nextCursor === null || result.nextCursor === undefined) break
          cursor = result.nextCursor
        }
        const on = regions.today()
        const file = yield* Effect.promise(() =>
          CaseList.exportCases(states, {
            plugin: region.plugin,
            context: contextFor(region, on),
            includePersonal,
            title: `Casussen ${region.region.name} ${on}`,
            ...(states.length > 2_000 ? { thread: "worker" as const } : {}),
          }),
        )
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
