/**
 * One definition per operation: its path, who may call it, the Effect schemas of its parameters,
 * query, body and response. From the definition the gateway validates every request (422 with
 * every field at fault; unknown fields are errors), checks authentication and roles, runs the
 * handler on the shared ManagedRuntime, maps typed errors to problem+json, and writes the OpenAPI
 * operation — so the contract and the behaviour cannot drift apart.
 */
import { CurrentPrincipal } from "@verzuimregie/app"
import type { Access } from "@verzuimregie/domain"
import { Decode, HttpMeaning } from "@verzuimregie/domain"
import { Database, Idempotency } from "@verzuimregie/store"
import { Cause, Effect, Either, Exit, type ManagedRuntime, Option, Schema } from "effect"
import type { Context, Hono } from "hono"
import {
  type ErrorSchema,
  fieldErrors,
  MAX_LISTED_ERRORS,
  makeProblem,
  type Problem,
  problem,
  problemMapper,
  problemResponse,
} from "./Problem.js"
import {
  discard,
  mediaTypeOf,
  spool,
  TooLarge,
  type Upload,
  type UploadOptions,
  type UploadSpec,
} from "./Upload.js"

export { MAX_LISTED_ERRORS }

export type Principal = CurrentPrincipal.Principal

export type AppEnv = {
  Variables: {
    requestId: string
    principal: Principal | undefined
    route: string
  }
}

const httpErrorFields = (error: {
  readonly status: number
  readonly detail?: string | undefined
  readonly type?: string | undefined
  readonly title?: string | undefined
  readonly extensions?: { readonly [key: string]: unknown } | undefined
}): HttpMeaning.ProblemFields => ({
  ...(error.extensions ?? {}),
  ...(error.detail === undefined ? {} : { detail: error.detail }),
  ...(error.type === undefined ? {} : { type: error.type }),
  ...(error.title === undefined ? {} : { title: error.title }),
  status: error.status,
})

/**
 * A failure a handler raises with its status in hand, for the routes whose logic has not yet moved
 * into typed failures of `@verzuimregie/app` (admin, audit, exports). A route declares the statuses
 * it may raise with `HttpError.declare(404, 409)`.
 */
export class HttpError extends Schema.TaggedError<HttpError>()(
  "HttpError",
  {
    status: Schema.Number,
    detail: Schema.optional(Schema.String),
    type: Schema.optional(Schema.String),
    title: Schema.optional(Schema.String),
    extensions: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  },
  HttpMeaning.annotate({ statuses: [500], problem: httpErrorFields }),
) {
  /** The declaration of an `HttpError` with these statuses, for a route's `errors`. */
  static declare(...statuses: readonly [number, ...Array<number>]) {
    return Object.assign(
      HttpError.annotations(HttpMeaning.annotate({ statuses, problem: httpErrorFields })),
      { _tag: "HttpError" as const },
    )
  }
}

export const notFound = (detail = "Deze casus bestaat niet of u heeft er geen toegang toe.") =>
  new HttpError({ status: 404, detail })

// biome-ignore lint/suspicious/noExplicitAny: the encoded side of request schemas is open
type AnySchema<A> = Schema.Schema<A, any, never>

/**
 * Failures any route may raise without declaring them: the database going away mid-request (503).
 * SqlError (a failed statement) is not a schema; it answers 503 too, see `mount`.
 */
export const AMBIENT_ERRORS: ReadonlyArray<ErrorSchema> = [Database.DatabaseUnavailable]
type Ambient = Database.DatabaseUnavailable | { readonly _tag: "SqlError" }

/** What the mount raises around an idempotent route (the `Idempotency-Key` handling). */
export const IDEMPOTENCY_ERRORS: ReadonlyArray<ErrorSchema> = [
  Idempotency.IdempotencyKeyReused,
  Idempotency.IdempotencyKeyInProgress,
  Idempotency.IdempotencyKeyTakenOver,
  Idempotency.InvalidIdempotencyKey,
]

/** The failures a route declares, as one type: what its handler may raise. */
export type Declared<Errors extends ReadonlyArray<ErrorSchema>> = Schema.Schema.Type<Errors[number]> | Ambient

export interface RouteSpec<
  P,
  Q,
  B,
  R,
  Errors extends ReadonlyArray<ErrorSchema> = ReadonlyArray<ErrorSchema>,
> {
  readonly method: "get" | "post" | "put" | "delete"
  /** Hono path, `/cases/:caseId`. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  /** What the operation does and for whom, for the reference: every operation has one. */
  readonly description: string
  readonly tag: string
  /** Public routes (health, docs) skip authentication. */
  readonly public?: boolean
  /** Callers need one of these roles; anyone authenticated when absent. */
  readonly roles?: ReadonlyArray<Access.UserRole>
  readonly params?: AnySchema<P>
  readonly query?: AnySchema<Q>
  readonly body?: AnySchema<B>
  /**
   * A route that takes a file as its raw body (not JSON): streamed to a temporary file within the
   * upload limit (`MountOptions.upload`), handed to the handler as `upload`, removed after the answer.
   */
  readonly upload?: UploadSpec
  readonly response:
    | { readonly status: 200 | 201; readonly schema: AnySchema<R>; readonly description: string }
    | {
        readonly status: 200
        /** A file (a spreadsheet): the handler returns the `Response` itself. */
        readonly file: string
        readonly description: string
      }
  /**
   * The failures the handler may raise, as schemas that declare their HTTP meaning: the problem
   * mapping and the OpenAPI error responses are made from them, and `route` checks at compile time
   * that the handler raises no other (besides the ambient database failures).
   */
  readonly errors?: Errors
  /**
   * Examples for the reference (OpenAPI `example`), checked against the schemas by the linters
   * (test/openapi-lint.test.ts). Without them the reference derives examples from the schemas.
   */
  readonly examples?: { readonly request?: unknown; readonly response?: unknown }
  /** POSTs that create something accept an `Idempotency-Key`. */
  readonly idempotent?: boolean
}

export interface RouteInput<P, Q, B> {
  readonly params: P
  readonly query: Q
  readonly body: B
  /** The spooled file, for a route that declares `upload`. */
  readonly upload: Upload | undefined
  /**
   * The caller and the request id, for the routes whose logic has not yet moved into
   * `@verzuimregie/app` (admin, audit, exports). Use cases read `CurrentPrincipal` instead, which
   * the mount provides once per request.
   */
  readonly principal: Principal
  readonly requestId: string
}

/** What a handler may use: the gateway's services and the caller of the request. */
type WithCaller<Services> = Services | CurrentPrincipal.CurrentPrincipal

export interface Route<Services> {
  readonly spec: RouteSpec<unknown, unknown, unknown, unknown, ReadonlyArray<ErrorSchema>>
  readonly run: (
    input: RouteInput<unknown, unknown, unknown>,
  ) => Effect.Effect<unknown, unknown, WithCaller<Services>>
}

/**
 * Declares an operation; the handler is an Effect run on the gateway's runtime. Its failure type
 * must be assignable to the union of the declared failures: raising an undeclared one does not
 * compile (test/route-errors.typecheck.ts), so no new failure can quietly become a 500.
 */
export const route = <
  P = undefined,
  Q = undefined,
  B = undefined,
  R = unknown,
  const Errors extends ReadonlyArray<ErrorSchema> = readonly [],
  Services = never,
>(
  spec: RouteSpec<P, Q, B, R, Errors>,
  handler: (input: RouteInput<P, Q, B>) => Effect.Effect<R, NoInfer<Declared<Errors>>, Services>,
): Route<Exclude<Services, CurrentPrincipal.CurrentPrincipal>> => ({
  spec: spec as unknown as Route<never>["spec"],
  run: handler as Route<Exclude<Services, CurrentPrincipal.CurrentPrincipal>>["run"],
})

/** Where `JSON.parse` gives up on `text`: an offset, the length when it ends early, `-1` when it does not say. */
const parseFailureAt = (text: string): number | undefined => {
  try {
    JSON.parse(text)
    return undefined
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : ""
    if (/end of JSON input/i.test(message)) return text.length
    const position = /at position (\d+)/.exec(message)?.[1]
    return position === undefined ? -1 : Number(position)
  }
}

/**
 * Where a body stops being JSON, as a line and column only. V8's own message quotes the body
 * ("Unexpected token 'B', \"Bob de Vries\" is not valid JSON"), and a body holds names and BSNs:
 * none of it goes back in the answer. When V8 gives no position, the shortest prefix that fails
 * inside itself (not merely at its end) is found by bisection: the fault is its last character.
 */
export const jsonSyntaxDetail = (text: string): string => {
  let offset = parseFailureAt(text) ?? text.length
  if (offset >= text.length) return "Geen geldige JSON: de body houdt te vroeg op."
  if (offset < 0) {
    let low = 1
    let high = text.length
    while (low < high) {
      const middle = Math.floor((low + high) / 2)
      const at = parseFailureAt(text.slice(0, middle))
      if (at !== undefined && at < middle) high = middle
      else low = middle + 1
    }
    offset = low - 1
  }
  const before = text.slice(0, offset)
  const line = before.split("\n").length
  const column = offset - before.lastIndexOf("\n")
  return `Geen geldige JSON: fout op regel ${line}, kolom ${column}.`
}

/** Deeper than this, a JSON body is refused before any schema looks at it (stack safety). */
export const MAX_JSON_DEPTH = 32
/**
 * More values than this (every array item, object member and scalar counts) and a body is refused
 * before validation: a 1 MiB body of `[1,1,1,…]` would otherwise cost seconds to validate and a
 * reply listing half a million errors. Real requests hold a few hundred.
 */
export const MAX_JSON_VALUES = 10_000

/**
 * Longer text than this in any JSON value or key is refused before validation, naming the field:
 * no field takes more than 4,000 characters, so the schemas need not look at a megabyte of it.
 */
export const MAX_JSON_STRING = 20_000

/** Why a parsed body is refused before validation, as a problem; undefined when it is fine. */
/** A value met on the walk, with a link to its parent: the path is made only for an error. */
interface Visit {
  readonly value: unknown
  readonly depth: number
  readonly parent: Visit | undefined
  readonly key: string | number | undefined
}

const pathOf = (visit: Visit | undefined): Array<string | number> => {
  const path: Array<string | number> = []
  for (let at = visit; at?.key !== undefined; at = at.parent) path.unshift(at.key)
  return path
}

const shapeProblem = (value: unknown): Problem | undefined => {
  const stack: Array<Visit> = [{ value, depth: 0, parent: undefined, key: undefined }]
  let values = 1 // the root; every node adds its children as it is visited
  const tooLong = (at: Visit, what: string) =>
    makeProblem(422, {
      detail: `Een ${what} is langer dan ${MAX_JSON_STRING.toLocaleString("nl-NL")} tekens.`,
      errors: fieldErrors([
        { path: Decode.formatPath(pathOf(at)), message: `hoogstens ${MAX_JSON_STRING} tekens` },
      ]),
    })
  while (stack.length > 0) {
    const visit = stack.pop()!
    const { value: v, depth } = visit
    if (depth > MAX_JSON_DEPTH)
      return makeProblem(400, { detail: `JSON dieper genest dan ${MAX_JSON_DEPTH} niveaus.` })
    if (typeof v === "string") {
      if (v.length > MAX_JSON_STRING) return tooLong(visit, "tekst")
      continue
    }
    if (v === null || typeof v !== "object") continue
    // Counted before the children are walked, so a huge array is refused without visiting them.
    values += Array.isArray(v) ? v.length : Object.keys(v).length
    if (values > MAX_JSON_VALUES)
      return makeProblem(413, {
        detail: `JSON met meer dan ${MAX_JSON_VALUES.toLocaleString("nl-NL")} waarden.`,
      })
    const entries: Iterable<readonly [string | number, unknown]> = Array.isArray(v)
      ? v.entries()
      : Object.entries(v)
    for (const [key, item] of entries) {
      if (typeof key === "string" && key.length > MAX_JSON_STRING)
        return tooLong({ value: item, depth: depth + 1, parent: visit, key }, "veldnaam")
      stack.push({ value: item, depth: depth + 1, parent: visit, key })
    }
  }
  return undefined
}

const decodeOrProblem = <A>(
  schema: AnySchema<A>,
  input: unknown,
  where: "path" | "query" | "body",
): Either.Either<A, Problem> => {
  const decoded = Decode.decodeUnknown(schema, where)(input)
  if (Either.isRight(decoded)) return Either.right(decoded.right)
  const prefix = where === "body" ? "" : where
  const { issues, truncated } = decoded.left
  const place = where === "body" ? "de body" : where === "query" ? "de query" : "het pad"
  // `Decode` lists at most MAX_LISTED_ERRORS issues and says when there were more.
  return Either.left(
    makeProblem(422, {
      detail:
        truncated === true
          ? `Meer dan ${issues.length} velden in ${place} kloppen niet; de eerste ${issues.length} staan in errors.`
          : `${issues.length} veld(en) in ${place} kloppen niet`,
      errors: fieldErrors(issues, prefix),
    }),
  )
}

const queryObject = (c: Context): Record<string, string | ReadonlyArray<string>> => {
  const out: Record<string, string | ReadonlyArray<string>> = {}
  for (const [key, values] of Object.entries(c.req.queries())) {
    out[key] = values.length === 1 ? (values[0] as string) : values
  }
  return out
}

/**
 * Who calls, from the request's token: the principal, `undefined` without a valid token, or
 * `"unavailable"` when the accounts cannot be read (a database outage is not a wrong token).
 */
export type Authenticate = (c: Context<AppEnv>) => Promise<Principal | undefined | "unavailable">

/** The caller, set on the context; or the answer that refuses the request (401, or 503). */
export const requirePrincipal = async (
  c: Context<AppEnv>,
  authenticate: Authenticate,
): Promise<Principal | Response> => {
  const found = await authenticate(c)
  if (found === "unavailable") return problem(c, 503, { detail: "De database is niet bereikbaar." })
  if (found === undefined)
    return problem(
      c,
      401,
      { detail: "Geef een geldig API-token mee: Authorization: Bearer <token>" },
      { "www-authenticate": 'Bearer realm="verzuimregie"' },
    )
  c.set("principal", found)
  return found
}

export const isTagged = (u: unknown): u is { readonly _tag: string } & Record<string, unknown> =>
  typeof u === "object" && u !== null && "_tag" in u && typeof (u as { _tag: unknown })._tag === "string"

/** A JSON answer as it goes on the wire: what an idempotency key stores and replays. */
export interface Answer {
  readonly status: number
  readonly body: string
}

/** Runs the effect that computes a request's answer, and may commit something with it. */
export type Commit<Services> = <E>(
  answer: Effect.Effect<Answer, E, Services>,
) => Effect.Effect<Answer, unknown, Services>

export interface MountOptions<Services> {
  readonly runtime: ManagedRuntime.ManagedRuntime<Services, unknown>
  readonly authenticate: Authenticate
  /**
   * Wraps a POST that creates something (Idempotency-Key handling); returns the response. `produce`
   * takes a `commit` that wraps the effect computing the answer (the handler and the encoding of its
   * result), so the key's stored answer can be written in the same transaction as the change.
   */
  readonly idempotent: (
    c: Context<AppEnv>,
    principal: Principal,
    bodyText: string,
    produce: (commit: Commit<Services>) => Promise<Response>,
  ) => Promise<Response>
  readonly onDefect: (c: Context<AppEnv>, cause: Cause.Cause<unknown>) => void
  /** Where uploaded files are spooled and how large they may be. */
  readonly upload: UploadOptions
}

/** Registers every route on the app, each with the full request pipeline. */
export const mount = <Services>(
  app: Hono<AppEnv>,
  routes: ReadonlyArray<Route<Services>>,
  options: MountOptions<Services>,
): void => {
  for (const r of routes) {
    const { spec } = r
    // The route's own declarations, and what the mount itself may raise around it.
    const problemOf = problemMapper([
      ...AMBIENT_ERRORS,
      ...(spec.errors ?? []),
      ...(spec.idempotent === true ? IDEMPOTENCY_ERRORS : []),
    ])
    app[spec.method](spec.path, async (c) => {
      c.set("route", spec.path)
      // 1. Who is calling.
      let principal: Principal | undefined
      if (spec.public !== true) {
        const caller = await requirePrincipal(c, options.authenticate)
        if (caller instanceof Response) return caller
        principal = caller
        if (spec.roles !== undefined && !principal.roles.some((role) => spec.roles?.includes(role))) {
          return problem(c, 403, { detail: "Uw rol geeft geen toegang tot deze functie." })
        }
      }
      // 2. What is asked.
      const params =
        spec.params === undefined
          ? Either.right(undefined)
          : decodeOrProblem(spec.params, c.req.param(), "path")
      if (Either.isLeft(params)) {
        // A path that cannot name a resource names no resource.
        return problem(c, 404, { detail: "Onbekend adres." })
      }
      const query =
        spec.query === undefined
          ? Either.right(undefined)
          : decodeOrProblem(spec.query, queryObject(c), "query")
      if (Either.isLeft(query)) return problemResponse(c, query.left)
      let bodyText = ""
      let body: unknown
      if (spec.body !== undefined) {
        const type = c.req.header("content-type") ?? ""
        if (!/^application\/(problem\+)?json\s*(;|$)/i.test(type)) {
          return problem(c, 415, { detail: "Stuur de body als application/json." })
        }
        bodyText = await c.req.text()
        let parsed: unknown
        try {
          parsed = JSON.parse(bodyText)
        } catch {
          return problem(c, 400, { detail: jsonSyntaxDetail(bodyText) })
        }
        const refused = shapeProblem(parsed)
        if (refused !== undefined) return problemResponse(c, refused)
        const decodedBody = decodeOrProblem(spec.body, parsed, "body")
        if (Either.isLeft(decodedBody)) return problemResponse(c, decodedBody.left)
        body = decodedBody.right
      }
      let upload: Upload | undefined
      if (spec.upload !== undefined) {
        const sent = mediaTypeOf(c.req.header("content-type"))
        if (!spec.upload.mediaTypes.includes(sent.type)) {
          return problem(c, 415, {
            title: "Dit bestandstype wordt niet aangenomen",
            detail: `Stuur het bestand als ${spec.upload.mediaTypes.join(" of ")}.`,
          })
        }
        const length = c.req.header("content-length")
        try {
          const spooled = await spool(
            c.req.raw.body,
            options.upload,
            length === undefined || c.req.header("transfer-encoding") !== undefined
              ? undefined
              : Number(length),
          )
          upload = { ...spooled, mediaType: sent.type, charset: sent.charset }
        } catch (error) {
          if (error instanceof TooLarge)
            return problem(
              c,
              413,
              {
                detail: `Het bestand is groter dan ${(options.upload.maxBytes / 1024 / 1024).toLocaleString("nl-NL", { maximumFractionDigits: 1 })} MiB (${options.upload.maxBytes} bytes), de grens van deze installatie.`,
                maxBytes: options.upload.maxBytes,
              },
              { connection: "close" },
            )
          return problem(c, 400, { detail: "Het bestand kwam niet volledig aan; probeer het opnieuw." })
        }
      }
      // 3. Do it.
      const requestId = c.get("requestId")
      const handled = r.run({
        params: params.right,
        query: query.right,
        body,
        upload,
        principal: principal as Principal,
        requestId,
      })
      // The caller enters the Effect context once, here; every use case reads it from there.
      const run = (
        principal === undefined
          ? handled
          : CurrentPrincipal.provide({ principal, door: "api", requestId, purpose: "casusregie" })(handled)
      ) as Effect.Effect<unknown, unknown, Services>
      const failed = (cause: Cause.Cause<unknown>): Response => {
        const failure = Cause.failureOption(cause)
        if (Option.isSome(failure)) {
          const error = failure.value
          const mapped = problemOf(error)
          if (mapped !== undefined) return problemResponse(c, mapped)
          options.onDefect(c, cause)
          return problem(c, isTagged(error) && error._tag === "SqlError" ? 503 : 500)
        }
        options.onDefect(c, cause)
        return problem(c, 500)
      }
      const produce = async (commit?: Commit<Services>): Promise<Response> => {
        const { response: responseSpec } = spec
        if ("file" in responseSpec) {
          const exit = await options.runtime.runPromiseExit(run)
          return Exit.isSuccess(exit) ? (exit.value as Response) : failed(exit.cause)
        }
        // The answer is encoded inside the effect, so an idempotent request can store it with its change.
        const answer = Effect.flatMap(run, (value) =>
          Either.match(Schema.encodeEither(responseSpec.schema)(value), {
            onLeft: (error) => Effect.die(error),
            onRight: (encoded) =>
              Effect.succeed<Answer>({ status: responseSpec.status, body: JSON.stringify(encoded) }),
          }),
        )
        const exit = await options.runtime.runPromiseExit(commit === undefined ? answer : commit(answer))
        if (Exit.isFailure(exit)) return failed(exit.cause)
        return new Response(exit.value.body, {
          status: exit.value.status,
          headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
        })
      }
      try {
        if (
          spec.idempotent === true &&
          principal !== undefined &&
          c.req.header("idempotency-key") !== undefined
        ) {
          return await options.idempotent(c, principal, bodyText, produce)
        }
        return await produce()
      } finally {
        if (upload !== undefined) await discard(upload.path)
      }
    })
  }
}

/** Effect helper: fail with an HttpError. */
export const fail = (status: number, detail?: string, extensions?: Record<string, unknown>) =>
  Effect.fail(
    new HttpError({
      status,
      ...(detail === undefined ? {} : { detail }),
      ...(extensions === undefined ? {} : { extensions }),
    }),
  )
