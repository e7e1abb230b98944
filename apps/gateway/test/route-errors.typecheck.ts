/**
 * Compile-time checks of the route declarations (compiled by `pnpm typecheck`, never run): a
 * handler may raise only the failures its route declares (and the ambient database failures).
 * Each `@ts-expect-error` fails the typecheck if the line below it ever compiles.
 */
import { Access, Cases } from "@verzuimregie/app"
import { Effect } from "effect"
import { CaseIdParams } from "../src/api/schemas.js"
import { route } from "../src/http/Route.js"

const spec = {
  method: "get",
  path: "/cases/:caseId/check",
  operationId: "typecheckOnly",
  summary: "Alleen voor de typecheck",
  description: "Alleen voor de typecheck",
  tag: "Casussen",
  params: CaseIdParams,
  response: { status: 200, schema: CaseIdParams, description: "De casus" },
} as const

// Declared: compiles.
export const declared = route({ ...spec, errors: [Access.NotFound] }, ({ params }) =>
  Effect.fail(Access.notFound()).pipe(Effect.as(params)),
)

// A tag the route does not declare (StaleVersion, a 409) does not compile.
export const undeclared = route({ ...spec, errors: [Access.NotFound] }, ({ params }) =>
  // @ts-expect-error StaleVersion is not among the route's declared errors
  Effect.fail(new Cases.StaleVersion({ expected: 1, actual: 2 })).pipe(Effect.as(params)),
)

// Declaring nothing allows only the ambient database failures.
export const nothingDeclared = route(spec, ({ params }) =>
  // @ts-expect-error NotFound is not declared
  Effect.fail(Access.notFound()).pipe(Effect.as(params)),
)
