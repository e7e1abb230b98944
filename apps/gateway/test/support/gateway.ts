/**
 * A real gateway for black-box tests: a temporary SQLite file (or a fresh PostgreSQL schema when
 * `database: "pg"`), the sample region configuration, real HTTP on a loopback port.
 */
import { once } from "node:events"
import { mkdtemp, rm } from "node:fs/promises"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { serve } from "@hono/node-server"
import { Regions } from "@verzuimregie/app"
import { Ids, LocalDate, type Referral } from "@verzuimregie/domain"
import { Accounts, Database, Store } from "@verzuimregie/store"
import * as Testing from "@verzuimregie/store/testing"
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { makeApp } from "../../src/App.js"
import { loadConfig, sampleConfigFile } from "../../src/config.js"
import { clientErrorHandler } from "../../src/http/ClientError.js"

export type Role = "referrer" | "case-worker" | "coordinator" | "admin" | "school-verzuim" | "orthopedagoog"

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely
  readonly json: any
}

export interface RequestOptions {
  readonly token?: string | undefined
  readonly body?: unknown
  readonly rawBody?: string
  readonly headers?: Record<string, string>
}

export const TODAY = LocalDate.make("2026-11-16")

/**
 * The idempotency lock of the crash test's gateway: short, so a retry after a crash may take over a
 * key left in progress (as it could after the default 60 s) without the test waiting a minute.
 */
export const CRASH_LOCK_MS = 300

/** PostgreSQL for the `database: "pg"` variants; those suites skip (loudly) without it. */
export const pgUrl = Testing.testDatabaseUrl

/** True when PostgreSQL is not configured here; says so once. */
export const skipPg = (): boolean => Testing.skipPostgres("gateway")

export const startGateway = async (
  options: {
    readonly rateLimitPerMinute?: number
    readonly bodyLimitBytes?: number
    /** Largest upload (an absence export), and where uploads are spooled. */
    readonly uploadLimitBytes?: number
    readonly uploadDir?: string
    /** The day the regions' rules run on (default `TODAY`); a function is a test clock, asked per request. */
    readonly today?: LocalDate.LocalDate | (() => LocalDate.LocalDate)
    readonly database?: "sqlite" | "pg"
    readonly afterIdempotentCommit?: (requestId: string) => Promise<void> | void
    /** Cookies as behind TLS (`PUBLIC_URL` https): `Secure`, with the `__Host-` prefix. */
    readonly secureCookies?: boolean
    /** A region configuration other than the sample (e.g. two regions of one plug-in). */
    readonly configFile?: string
  } = {},
) => {
  const dir = await mkdtemp(join(tmpdir(), "verzuimregie-gateway-"))
  const pgSchema = options.database === "pg" ? Testing.uniqueSchemaName("gw") : undefined
  if (pgSchema !== undefined && pgUrl === undefined) throw new Error("TEST_DATABASE_URL is not set")
  const config = await loadConfig(options.configFile ?? sampleConfigFile)
  if (Either.isLeft(config)) throw new Error(config.left.message)
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      Store.layer(
        pgSchema === undefined
          ? Database.sqlite(join(dir, "test.db"))
          : Database.postgres(pgUrl as string, { schema: pgSchema, maxConnections: 6 }),
      ),
      Regions.layer(config.right, () =>
        typeof options.today === "function" ? options.today() : (options.today ?? TODAY),
      ),
    ),
  )
  const logs: Array<Record<string, unknown>> = []
  const { app, openapi, routes } = makeApp({
    runtime,
    regions: config.right.regions,
    log: (entry) => logs.push(entry),
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
    secureCookies: options.secureCookies ?? false,
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.uploadLimitBytes === undefined ? {} : { uploadLimitBytes: options.uploadLimitBytes }),
    ...(options.uploadDir === undefined ? {} : { uploadDir: options.uploadDir }),
    ...(options.afterIdempotentCommit === undefined
      ? {}
      : { afterIdempotentCommit: options.afterIdempotentCommit }),
  })
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 })
  // No idle timeout on the server side: the test's fetch pool closes idle sockets itself. With
  // Node's 5 s, a test that kept its event loop busy (generating thousands of fuzz requests at
  // load 40) let both timers expire at once, and fetch wrote to a socket the server was closing:
  // ECONNRESET, a failure of the machine's load, not of the gateway.
  ;(server as { keepAliveTimeout: number }).keepAliveTimeout = 0
  server.on(
    "clientError",
    clientErrorHandler((entry) => logs.push(entry)),
  )
  await once(server, "listening")
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const orgs = new Map<string, Ids.OrganisationId>()
  /** The organisation of this name, made on first use (a school unless `kind` says otherwise). */
  const organisation = async (name: string, kind: Accounts.NewOrganisation["kind"] = "school") => {
    const known = orgs.get(name)
    if (known !== undefined) return known
    const org = await runtime.runPromise(
      Effect.flatMap(Accounts.Accounts, (a) => a.createOrganisation({ name, kind })),
    )
    orgs.set(name, org.id)
    return org.id
  }
  let users = 0
  /**
   * A user with a token: role(s), region(s), organisation and professional role. The token is
   * minted in the store directly (as for the demo users), past the admin rules under test.
   */
  const user = async (
    roles: ReadonlyArray<Role>,
    regions: ReadonlyArray<string>,
    options: {
      readonly organisation?: string
      /** The kind of a new organisation (default: a school). */
      readonly organisationKind?: Accounts.NewOrganisation["kind"]
      readonly partyRole?: Accounts.NewUser["partyRole"]
      readonly kind?: Accounts.UserKind
      readonly installationAdmin?: boolean
      readonly name?: string
    } = {},
  ) => {
    const organisationId = await organisation(
      options.organisation ?? "Testorganisatie",
      options.organisationKind ?? "school",
    )
    users++
    const created = await runtime.runPromise(
      Effect.flatMap(Accounts.Accounts, (a) =>
        a.createUser({
          organisationId,
          name: (options.name ?? `Testgebruiker ${users}`) as Accounts.NewUser["name"],
          email: `test${users}@gateway.example` as Accounts.NewUser["email"],
          roles: roles as Accounts.NewUser["roles"],
          regions: regions as Accounts.NewUser["regions"],
          partyRole: options.partyRole ?? "smw-verzuim",
          ...(options.kind === undefined ? {} : { kind: options.kind }),
          ...(options.installationAdmin === undefined
            ? {}
            : { installationAdmin: options.installationAdmin }),
        }),
      ),
    )
    const issued = await runtime.runPromise(
      Effect.flatMap(Accounts.Accounts, (a) => a.issueToken(created.id)),
    )
    return { ...created, token: issued.token, tokenId: issued.tokenId }
  }

  const request = async (method: string, path: string, opts: RequestOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`
    let body: string | undefined = opts.rawBody
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body)
      headers["content-type"] ??= "application/json"
    }
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    })
    const text = await response.text()
    let json: unknown
    try {
      json = text === "" ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  }

  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    if (pgSchema !== undefined)
      await runtime.runPromise(
        Effect.flatMap(Database.Database, (db) =>
          db.sql.unsafe(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`),
        ),
      )
    await runtime.dispose()
    await rm(dir, { recursive: true, force: true })
  }

  return { base, runtime, config: config.right, openapi, routes, logs, user, organisation, request, close }
}

export type Gateway = Awaited<ReturnType<typeof startGateway>>

/** Who an account is, as a referral's referrer must name it. */
export interface ReferrerAccount {
  readonly name: string
  readonly partyRole: string
  readonly organisationId: string
}

/** The referrer fields of a referral sent by `account`: its name, party role and organisation. */
export const referrerOf = (account: ReferrerAccount) =>
  ({
    role: account.partyRole,
    name: account.name,
    organisationId: account.organisationId,
  }) as Referral.Referrer

/** The tables a request could change. */
export const FINGERPRINT_TABLES = [
  "cases",
  "case_events",
  "audit_log",
  "outbox",
  "idempotency_keys",
  "users",
  "api_tokens",
  "organisations",
  "token_links",
] as const

/**
 * How to count a table's rows for the fingerprint. The one write a failing request makes on
 * purpose is the trace of a refused read of another region's case (`refused-read`); it is written
 * after the answer went out, so it is left out rather than raced.
 */
const countOf = (table: string): string =>
  table === "audit_log"
    ? "SELECT COUNT(*) AS n FROM audit_log WHERE record_type <> 'refused-read'"
    : `SELECT COUNT(*) AS n FROM ${table}`

/** Counts rows of the tables a request could change: the fingerprint for "nothing changed". */
export const dataFingerprint = (gateway: Gateway) =>
  gateway.runtime.runPromise(
    Effect.flatMap(Database.Database, (db) =>
      Effect.gen(function* () {
        const out: Record<string, number> = {}
        for (const table of FINGERPRINT_TABLES) {
          const rows = yield* db.sql.unsafe<{ n: unknown }>(countOf(table))
          out[table] = Number(rows[0]?.n ?? 0)
        }
        return out
      }),
    ),
  )

const QUICK_FINGERPRINT: ReadonlyArray<readonly [string, string]> = [
  ...FINGERPRINT_TABLES.map((table) => [table, countOf(table)] as const),
  // Updates, which row counts miss: a case's version, a revoked token, a deactivated user.
  ["cases.version", "SELECT COALESCE(SUM(version), 0) FROM cases"],
  ["api_tokens.revoked", "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NOT NULL"],
  ["users.active", "SELECT COUNT(*) FROM users WHERE active"],
  ["idempotency_keys.completed", "SELECT COUNT(*) FROM idempotency_keys WHERE state = 'completed'"],
]

/**
 * `dataFingerprint` and a few sums that see updates too, in one query (cheap enough to take after
 * every request).
 */
export const quickFingerprint = (gateway: Gateway): Promise<Record<string, number>> =>
  gateway.runtime.runPromise(
    Effect.flatMap(Database.Database, (db) =>
      db.sql
        .unsafe<Record<string, unknown>>(
          `SELECT ${QUICK_FINGERPRINT.map(([, query], i) => `(${query}) AS f${i}`).join(", ")}`,
        )
        .pipe(
          Effect.map((rows) =>
            Object.fromEntries(QUICK_FINGERPRINT.map(([name], i) => [name, Number(rows[0]?.[`f${i}`] ?? 0)])),
          ),
        ),
    ),
  )

export { Ids }
