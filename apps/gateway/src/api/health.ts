/** Liveness and readiness, for load balancers and orchestrators. Public, no data. */
import { Database } from "@verzuimregie/store"
import { Effect } from "effect"
import { fail, type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { Health } from "./schemas.js"

export const healthRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/health",
      operationId: "health",
      summary: "Het proces leeft",
      tag: "Beheer",
      public: true,
      response: { status: 200, schema: Health, description: "ok" },
    },
    () => Effect.succeed({ status: "ok" as const }),
  ),
  route(
    {
      method: "get",
      path: "/ready",
      operationId: "ready",
      summary: "De database is bereikbaar",
      tag: "Beheer",
      public: true,
      response: { status: 200, schema: Health, description: "ready" },
      errors: [503],
    },
    () =>
      Effect.gen(function* () {
        const db = yield* Database.Database
        yield* db.sql`SELECT 1`
        return { status: "ready" as const }
      }).pipe(Effect.catchAll(() => fail(503, "De database is niet bereikbaar."))),
  ),
]
