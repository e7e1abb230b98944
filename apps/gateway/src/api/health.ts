/**
 * Liveness and readiness, for load balancers and orchestrators. Public, no data: `/ready` adds the
 * mail outbox's counts (waiting, retrying, oldest, dead letters), so a monitor sees an SMTP outage
 * building up; mail waiting does not make the instance unready, since nothing is lost meanwhile.
 */
import { Messages } from "@verzuimregie/mail"
import { Database, Outbox } from "@verzuimregie/store"
import { Effect } from "effect"
import { fail, HttpError, type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { Health, Ready } from "./schemas.js"

export const healthRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/health",
      operationId: "health",
      description:
        "Antwoordt zolang het proces leeft, zonder de database te lezen; voor een liveness-check. Zonder token.",
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
      description:
        "Antwoordt als de database bereikbaar is (anders 503), met de tellingen van de mailwachtrij; voor een readiness-check. Zonder token.",
      summary: "De database is bereikbaar; met de wachtrij van de mail",
      tag: "Beheer",
      public: true,
      response: { status: 200, schema: Ready, description: "gereed, met de mailwachtrij" },
      errors: [HttpError.declare(503)],
    },
    () =>
      Effect.gen(function* () {
        const db = yield* Database.Database
        yield* db.sql`SELECT 1`
        const backlog = yield* Effect.flatMap(Outbox.Outbox, (o) => o.backlog({ topics: [Messages.TOPIC] }))
        return {
          status: "ready" as const,
          mail: {
            waiting: backlog.waiting,
            retrying: backlog.retrying,
            ...(backlog.oldestWaitingSince === undefined
              ? {}
              : { oldestWaitingSince: backlog.oldestWaitingSince }),
            deadLetters: backlog.deadLetters,
          },
        }
      }).pipe(Effect.catchAll(() => fail(503, "De database is niet bereikbaar."))),
  ),
]
