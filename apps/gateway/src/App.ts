/**
 * The Hono application: hygiene middleware (request id, security headers, body limit, rate limit
 * per token, no-store, structured logs without personal data), authentication by API token, one
 * router per resource, OpenAPI at /openapi.json and the reference at /docs.
 */
import { createHash, randomBytes } from "node:crypto"
import { tmpdir } from "node:os"
import { CurrentPrincipal } from "@verzuimregie/app"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { Accounts, Database, Idempotency } from "@verzuimregie/store"
import { isWebPath, isWebUploadPath, mountWeb } from "@verzuimregie/web"
import { Cause, Effect, Exit, type ManagedRuntime, Option } from "effect"
import { type Context, Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { secureHeaders } from "hono/secure-headers"
import { absenceRoutes } from "./api/absence.js"
import { adminRoutes } from "./api/admin.js"
import { auditRoutes } from "./api/audit.js"
import { caseRoutes } from "./api/cases.js"
import { dashboardRoutes } from "./api/dashboard.js"
import { mapError } from "./api/errors.js"
import { exportRoutes } from "./api/exports.js"
import { healthRoutes } from "./api/health.js"
import { inboxRoutes } from "./api/inbox.js"
import { meRoutes } from "./api/me.js"
import { pluginRoutes } from "./api/plugins.js"
import { quarterlyRoundRoutes } from "./api/quarterly-round.js"
import { referralRoutes } from "./api/referrals.js"
import { regionRoutes } from "./api/regions.js"
import { isDocsPath, mountApiReference } from "./http/ApiReference.js"
import { openApiDocument } from "./http/OpenApi.js"
import { problem, problemResponse } from "./http/Problem.js"
import {
  type AppEnv,
  type Authenticate,
  type Commit,
  mount,
  type Principal,
  type Route,
} from "./http/Route.js"
import { mountSignInPage } from "./http/SignInPage.js"
import { DEFAULT_UPLOAD_LIMIT_BYTES } from "./http/Upload.js"
import { jsonLogger, type Log } from "./Log.js"
import type { GatewayServices } from "./Services.js"

export interface AppOptions {
  readonly runtime: ManagedRuntime.ManagedRuntime<GatewayServices, unknown>
  /** The enabled regions (their plug-ins' own routes are mounted when the app is built, see `api/plugins.ts`). */
  readonly regions: ReadonlyArray<RegionConfig.EnabledRegion>
  /** The request log: one JSON line per request in the process's one format (see `Log.ts`). */
  readonly log?: Log
  /** Largest request body, in bytes. Default 1 MiB. */
  readonly bodyLimitBytes?: number
  /**
   * Largest uploaded file (an absence export), in bytes; streamed to disk, never held in memory.
   * Default 100 MiB (`UPLOAD_LIMIT_BYTES`).
   */
  readonly uploadLimitBytes?: number
  /** Where uploads are spooled until their import is done. Default the system's temp dir (`UPLOAD_DIR`). */
  readonly uploadDir?: string
  /** Requests per minute per token (or per client address without one). Default 600. */
  readonly rateLimitPerMinute?: number
  /**
   * Addresses of the operator's reverse proxies, whose `X-Forwarded-For` is believed. Default none:
   * the socket's peer is the client.
   */
  readonly trustedProxies?: ReadonlyArray<string>
  readonly version?: string
  /**
   * The web app's cookies are `Secure` (with the `__Host-` prefix): on when staff reach the gateway
   * over TLS (`PUBLIC_URL` starts with https). Default off, for the demo on http://localhost.
   */
  readonly secureCookies?: boolean
  /**
   * How long an in-progress `Idempotency-Key` stays locked before a retry may take it over (its
   * request presumably died). Default 60 s; the crash test shortens it.
   */
  readonly idempotencyLockMs?: number
  /**
   * Test seam: runs after an idempotent request's change and stored answer committed, before the
   * answer is sent. The crash test stalls here and kills the process with SIGKILL.
   */
  readonly afterIdempotentCommit?: (requestId: string) => Promise<void> | void
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

/**
 * A token bucket per key: `perMinute` requests, refilled continuously. Memory stays bounded under a
 * flood of keys: buckets that have refilled are forgotten first (they are the same as no bucket),
 * then the least recently used, so a flood cannot reset the budget of an active client.
 */
export const rateLimiter = (perMinute: number, now: () => number = Date.now, maxKeys = 50_000) => {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const refilled = (bucket: { tokens: number; at: number }, t: number) =>
    Math.min(perMinute, bucket.tokens + ((t - bucket.at) / 60_000) * perMinute)
  const evict = (t: number) => {
    for (const [key, bucket] of buckets) if (refilled(bucket, t) >= perMinute) buckets.delete(key)
    // Map iteration is in insertion order and every use re-inserts: the first keys are the stalest.
    for (const key of buckets.keys()) {
      if (buckets.size <= maxKeys * 0.9) break
      buckets.delete(key)
    }
  }
  const take = (key: string): { readonly allowed: boolean; readonly retryAfterSeconds: number } => {
    const t = now()
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: t }
    bucket.tokens = refilled(bucket, t)
    bucket.at = t
    buckets.delete(key)
    if (buckets.size >= maxKeys) evict(t)
    buckets.set(key, bucket)
    if (bucket.tokens < 1)
      return { allowed: false, retryAfterSeconds: Math.ceil(((1 - bucket.tokens) / perMinute) * 60) }
    bucket.tokens -= 1
    return { allowed: true, retryAfterSeconds: 0 }
  }
  /** The tokens left for `key`, without taking one. */
  const peek = (key: string): number => {
    const bucket = buckets.get(key)
    return bucket === undefined ? perMinute : refilled(bucket, now())
  }
  return Object.assign(take, { peek, size: () => buckets.size })
}

const BEARER = /^Bearer[ \t]+([!-~]+)[ \t]*$/i

/** The token of an `Authorization: Bearer …` header, however its scheme and spaces are spelled. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1]

/**
 * The client's address: the socket's peer. `X-Forwarded-For` counts only when the peer is one of
 * the operator's own proxies, and then the right-most address that is not a trusted proxy is the
 * client (entries to its left could be written by anyone).
 */
export const clientAddress = (
  peer: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: ReadonlySet<string>,
): string => {
  const direct = peer ?? "unknown"
  if (forwardedFor === undefined || !trustedProxies.has(direct)) return direct
  const hops = forwardedFor
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "")
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string
    if (!trustedProxies.has(hop)) return hop.slice(0, 64)
  }
  return direct
}

const peerAddress = (c: Context): string | undefined =>
  (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress

/** Liveness and readiness probes are never limited: an orchestrator must always reach them. */
const UNLIMITED_PATHS = new Set(["/health", "/ready"])

/** Every operation of the API, one router (module) per resource. */
export const allRoutes = (): ReadonlyArray<Route<GatewayServices>> => [
  ...healthRoutes,
  ...regionRoutes,
  ...referralRoutes,
  ...caseRoutes,
  ...meRoutes,
  ...inboxRoutes,
  ...absenceRoutes,
  ...quarterlyRoundRoutes,
  ...exportRoutes,
  ...dashboardRoutes,
  ...auditRoutes,
  ...adminRoutes,
]

export const makeApp = (options: AppOptions) => {
  const log = options.log ?? jsonLogger
  // The plug-ins' own read-only routes are route specs like every other: mounted and documented alike.
  const routes = [...allRoutes(), ...pluginRoutes(options.regions)]
  const perMinute = options.rateLimitPerMinute ?? 600
  const limiter = rateLimiter(perMinute)
  // Failed logins per address: past its budget, guessed tokens answer 429 and tell nothing (each guess
  // still costs one indexed lookup by hash; a valid token is never held back).
  const failedLogins = rateLimiter(Math.max(10, Math.ceil(perMinute / 10)))
  // E-mailed sign-in links per address: a few in a row, then one every 20 seconds, so nobody
  // floods a person's inbox (the per-client budget above counts them too).
  const linkRequests = rateLimiter(3)
  const trustedProxies = new Set(options.trustedProxies ?? [])
  const app = new Hono<AppEnv>()

  app.use("*", async (c, next) => {
    const incoming = c.req.header("x-request-id")
    const requestId =
      incoming !== undefined && REQUEST_ID.test(incoming)
        ? incoming
        : `req_${randomBytes(9).toString("base64url")}`
    c.set("requestId", requestId)
    c.set("principal", undefined)
    c.set("route", "")
    const started = performance.now()
    await next()
    c.res.headers.set("x-request-id", requestId)
    // An answer given before the body was read (401, 403, 413, 415…) leaves unread bytes on the
    // connection; closing it, and saying so, keeps them from being read as the next request.
    const sentBody =
      (c.req.header("content-length") ?? "0") !== "0" || c.req.header("transfer-encoding") !== undefined
    if (sentBody && !c.req.raw.bodyUsed) c.res.headers.set("connection", "close")
    if (!c.res.headers.has("cache-control")) c.res.headers.set("cache-control", "no-store")
    const principal = c.get("principal")
    // The route pattern, never the raw URL: no ids of pupils' cases in aggregated logs beyond the case id.
    const route = c.get("route") || "(unmatched)"
    const ms = Math.round((performance.now() - started) * 10) / 10
    log({
      level: c.res.status >= 500 ? "error" : "info",
      message: `${c.req.method} ${route} answered ${c.res.status} in ${ms} ms`,
      requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      ms,
      ...(principal === undefined ? {} : { user: principal.userId }),
    })
  })
  const apiHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      // The sign-in page's one button posts to its own address; nothing else submits forms.
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    crossOriginResourcePolicy: "same-origin",
  })
  // The API reference and the web pages set their own, slightly wider CSPs; everything else this one.
  app.use("*", (c, next) => (isDocsPath(c.req.path) || isWebPath(c.req.path) ? next() : apiHeaders(c, next)))
  app.use("*", async (c, next) => {
    if (UNLIMITED_PATHS.has(c.req.path)) return next()
    const address = clientAddress(peerAddress(c), c.req.header("x-forwarded-for"), trustedProxies)
    const token = bearerToken(c.req.header("authorization"))
    // Keyed by a digest of the token itself, so spelling the header differently buys no budget.
    const tooMany = (verdict: { readonly retryAfterSeconds: number }) =>
      problem(
        c,
        429,
        { detail: "Te veel verzoeken; probeer het straks opnieuw." },
        { "retry-after": String(verdict.retryAfterSeconds) },
      )
    const verdict = limiter(
      token === undefined
        ? `addr:${address}`
        : `tok:${createHash("sha256").update(token).digest("base64url")}`,
    )
    if (!verdict.allowed) return tooMany(verdict)
    await next()
    // Tokens that are not valid count against the address: past its budget, the answer is 429
    // instead of 401. A valid token is never held back by others guessing from the same address.
    if (token !== undefined && c.res.status === 401) {
      const failed = failedLogins(`addr:${address}`)
      if (!failed.allowed) c.res = tooMany(failed)
    }
  })
  // Routes that take a file stream it to disk under their own limit (http/Upload.ts): the JSON
  // limit would buffer a chunked upload in memory and refuse any real export.
  const uploads = new Set(
    routes
      .filter((r) => r.spec.upload !== undefined)
      .map((r) => `${r.spec.method.toUpperCase()} ${r.spec.path}`),
  )
  const jsonLimit = bodyLimit({
    maxSize: options.bodyLimitBytes ?? 1024 * 1024,
    // The rest of the body is not read: the connection cannot carry another request.
    onError: (c) =>
      problem(
        c,
        413,
        { detail: `Maximaal ${options.bodyLimitBytes ?? 1024 * 1024} bytes.` },
        { connection: "close" },
      ),
  })
  // A page's file upload (the absence import) streams to disk under the same limit (`uploadLimitBytes`).
  app.use("*", (c, next) =>
    uploads.has(`${c.req.method} ${c.req.path}`) || isWebUploadPath(c.req.method, c.req.path)
      ? next()
      : jsonLimit(c, next),
  )

  const authenticate: Authenticate = async (c) => {
    const token = bearerToken(c.req.header("authorization"))
    if (token === undefined) return undefined
    const exit = await options.runtime.runPromiseExit(
      Effect.flatMap(Accounts.Accounts, (a) => a.authenticate(token)),
    )
    if (Exit.isFailure(exit)) {
      log({
        level: "error",
        message: "the token could not be checked: the accounts store failed",
        requestId: c.get("requestId"),
        event: "authentication-unavailable",
        defect: Cause.pretty(exit.cause).slice(0, 2000),
      })
      return "unavailable"
    }
    const found = exit.value
    if (Option.isNone(found)) return undefined
    return CurrentPrincipal.principalOf(found.value.user, found.value.tokenId)
  }

  const lockMs = options.idempotencyLockMs ?? Idempotency.DEFAULT_LOCK_MS
  const idempotent = async (
    c: Context<AppEnv>,
    principal: Principal,
    bodyText: string,
    produce: (commit: Commit<GatewayServices>) => Promise<Response>,
  ): Promise<Response> => {
    const key = c.req.header("idempotency-key") ?? ""
    const ref = { clientId: principal.userId, key }
    const begun = await options.runtime.runPromiseExit(
      Effect.flatMap(Idempotency.Idempotency, (i) =>
        i.begin({
          ...ref,
          fingerprint: Idempotency.fingerprint(c.req.method, c.req.path, bodyText),
          lockMs,
        }),
      ),
    )
    if (begun._tag === "Failure") {
      const failure = Cause.failureOption(begun.cause)
      const mapped = Option.isSome(failure) ? mapError(failure.value) : undefined
      return mapped === undefined ? problem(c, 500) : problemResponse(c, mapped)
    }
    if (begun.value._tag === "Replay") {
      const isProblem = begun.value.status >= 400
      return new Response(begun.value.body, {
        status: begun.value.status,
        headers: {
          "content-type": isProblem ? "application/problem+json" : "application/json; charset=utf-8",
          "idempotent-replayed": "true",
        },
      })
    }
    const { attempt } = begun.value
    // The handler, its answer and the key's completion in one transaction (nested writes become
    // savepoints): a crash after the commit leaves the answer stored for the retry to replay, a
    // crash before it leaves nothing. Only a success is remembered: a refused request changed
    // nothing, so a retry may run again.
    const commit: Commit<GatewayServices> = (answer) =>
      Effect.flatMap(Database.Database, (db) =>
        db.writeTransaction(
          Effect.tap(answer, (a) =>
            a.status < 300
              ? Effect.flatMap(Idempotency.Idempotency, (i) =>
                  i.complete({ ...ref, attempt, status: a.status, body: a.body }),
                )
              : Effect.void,
          ),
        ),
      )
    const response = await produce(commit)
    if (response.status < 300) {
      await options.afterIdempotentCommit?.(c.get("requestId"))
    } else {
      await options.runtime.runPromise(
        Effect.flatMap(Idempotency.Idempotency, (i) => i.release({ ...ref, attempt })).pipe(
          Effect.catchAll(() => Effect.void),
        ),
      )
    }
    return response
  }

  mount(app, routes, {
    runtime: options.runtime,
    upload: {
      dir: options.uploadDir ?? tmpdir(),
      maxBytes: options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES,
    },
    authenticate,
    idempotent,
    onDefect: (c, cause) => {
      // The cause goes to the log under the request id; never into the response.
      log({
        level: "error",
        message: "unexpected failure in a handler; the client got a 500 with this request id",
        requestId: c.get("requestId"),
        route: c.get("route"),
        defect: Cause.pretty(cause).slice(0, 4000),
      })
    },
  })

  const openapi = openApiDocument(routes, {
    title: "verzuimregie",
    version: options.version ?? "0.1.0",
    contact: { name: "verzuimregie", url: "https://verzuimregie.nl" },
    description:
      "Casusregie bij schoolverzuim: aanmeldingen, casussen, regionale werkwijzen. Alle persoonsgegevens zijn van minderjarigen: toegang per regio en rol, elke inzage gelogd.",
  })

  // Built once: the document is the same for every request.
  const openapiJson = JSON.stringify(openapi)
  app.get("/openapi.json", (c) =>
    c.body(openapiJson, 200, { "content-type": "application/json; charset=utf-8" }),
  )
  mountApiReference(app)
  mountSignInPage(app, options.runtime)
  mountWeb(app, {
    runtime: options.runtime,
    secureCookies: options.secureCookies ?? false,
    uploadLimitBytes: options.uploadLimitBytes,
    uploadDirectory: options.uploadDir,
    // Failed web sign-ins share the budget of failed API tokens: one budget per client address.
    signInLimiter: { peek: (key) => failedLogins.peek(key), take: (key) => failedLogins(key) },
    linkAddressLimiter: { peek: (key) => linkRequests.peek(key), take: (key) => linkRequests(key) },
    clientKey: (c) =>
      `addr:${clientAddress(peerAddress(c), c.req.header("x-forwarded-for"), trustedProxies)}`,
    onDefect: (c, cause) =>
      log({
        level: "error",
        message: "unexpected failure on a web page; the person got a 500 page with this request id",
        requestId: c.get("requestId"),
        route: c.get("route"),
        defect: Cause.pretty(cause).slice(0, 4000),
      }),
  })
  app.notFound((c) => problem(c, 404, { detail: "Onbekend adres." }))
  app.onError((error, c) => {
    log({
      level: "error",
      message: "unexpected error; the client got a 500 with this request id",
      requestId: c.get("requestId"),
      route: c.get("route"),
      error: String(error).slice(0, 2000),
    })
    return problem(c, 500)
  })
  return { app, routes, openapi }
}
