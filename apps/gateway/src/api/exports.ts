/**
 * Case list exports for coordinators: every case of a region as a spreadsheet with the columns
 * the region's plug-in declares. Columns that identify the pupil are left out unless asked for;
 * the export is audited in the same transaction as the first read of the cases it contains. The
 * list is read page by page with turns of the event loop in between, and the file is made in a
 * worker thread, so a long export does not hold up other requests.
 */

import { setImmediate as nextTurn } from "node:timers/promises"
import { Regions } from "@verzuimregie/app"
import { type Case, Fields } from "@verzuimregie/domain"
import { CaseList } from "@verzuimregie/export-xlsx"
import { CaseQueries, type Pagination } from "@verzuimregie/store"
import { type Cause, Effect, Exit, Runtime, Schema } from "effect"
import { type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { auditEntry, ownRegion } from "./access.js"
import { RegionIdParams } from "./schemas.js"

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

const ExportQuery = Schema.Struct({
  personal: Fields.optional(Schema.Literal("true", "false")).annotations({
    description:
      "true: met de kolommen die de leerling identificeren (naam, geboortedatum). Standaard false.",
  }),
  open: Fields.optional(Schema.Literal("true", "false")),
})

/**
 * Cases per read. The export must not stall the gateway (a 6,626-case export used to hold
 * `/health` for 4.4 s): each page is read, decoded and turned into rows on the event loop in one
 * stretch (about 5 ms for 25 cases on an idle machine, most of it decoding the stored state), and
 * between pages the loop serves other requests; the cells and the file (XML and compression, the
 * bulk of the work) are made in a worker thread. Reading in the worker too would need its own
 * database connection, the region's plug-in and configuration loaded again there, and the audit
 * record written from another thread; short pages on this thread meet the goal (p99 of `/health`
 * under 100 ms, `bench/export-health.ts`, docs/exports.md) without that.
 */
const EXPORT_PAGE = 25

/** A later page failed to read; carries the read's failure to the request. */
class PageFailed extends Error {
  constructor(readonly failure: Cause.Cause<unknown>) {
    super("a page of the export could not be read")
  }
}

/** The cases of `first` and the pages after it, each read after a turn of the event loop. */
async function* casePages(
  first: Pagination.Page<Case.CaseState>,
  read: (cursor: string) => Promise<Exit.Exit<Pagination.Page<Case.CaseState>, unknown>>,
): AsyncGenerator<Case.CaseState> {
  yield* first.items
  let cursor = first.nextCursor
  while (cursor !== null && cursor !== undefined) {
    // A macrotask, not a microtask: timers and sockets (the /health probe) get their turn.
    await nextTurn()
    const page = await read(cursor)
    if (Exit.isFailure(page)) throw new PageFailed(page.cause)
    yield* page.value.items
    cursor = page.value.nextCursor
  }
}

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
        const filter = { open: query.open === undefined ? undefined : query.open === "true" }
        const visibility = { regions: [region.region.id] }
        // The first page is read with the audit record, in one transaction, as before: no case
        // leaves without its trace.
        const first = yield* queries.cases(
          {
            ...visibility,
            audit: auditEntry(
              principal,
              requestId,
              "export",
              { type: "case", regionId: region.region.id },
              includePersonal ? "xlsx:personal" : "xlsx",
            ),
          },
          filter,
          { limit: EXPORT_PAGE },
        )
        const runtime = yield* Effect.runtime<never>()
        const pages = casePages(first, (cursor) =>
          Runtime.runPromiseExit(runtime)(queries.cases(visibility, filter, { cursor, limit: EXPORT_PAGE })),
        )
        const on = regions.today()
        const file = yield* Effect.tryPromise({
          try: (signal) =>
            CaseList.exportCases(pages, {
              plugin: region.plugin,
              context: Regions.contextFor(region, on),
              includePersonal,
              title: `Casussen ${region.region.name} ${on}`,
              // One page is written here in a few milliseconds; more go to the worker (starting
              // one takes a few hundred milliseconds, though not on this thread).
              thread: first.nextCursor === null || first.nextCursor === undefined ? "main" : "worker",
              chunkSize: EXPORT_PAGE,
              signal,
            }),
          catch: (error) => error,
        }).pipe(
          // A page that could not be read fails the request as that read's own error would.
          Effect.catchAll((error) =>
            error instanceof PageFailed ? Effect.failCause(error.failure) : Effect.die(error),
          ),
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
