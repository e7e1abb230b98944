#!/usr/bin/env node
/**
 * Starts the gateway: checks the region configuration, opens (and migrates) the database, creates
 * synthetic demo data and demo users on an empty database, and serves the API on 127.0.0.1:3000.
 * SIGTERM/SIGINT stop accepting connections, let requests in flight finish, then close the runtime.
 *
 * Environment: PORT, HOST, DATABASE_URL, DATA_DIR, REGIONS_FILE, DEMO_DATA=off, PUBLIC_URL,
 * RATE_LIMIT_PER_MINUTE, TRUSTED_PROXIES, BODY_LIMIT_BYTES, UPLOAD_LIMIT_BYTES, UPLOAD_DIR, SMTP_URL, MAIL=off, MAIL_SCHEDULER=off,
 * SIGN_IN_LINK_MINUTES, ALLOW_ADMIN_WITH_CASE_ROLES, AUDIT_ANCHOR_FILE (see docs/operations.md).
 */
import { serve } from "@hono/node-server"
import { Regions } from "@verzuimregie/app"
import { Mail, MailConfig } from "@verzuimregie/mail"
import { Accounts, AuditAnchor, Database, Store } from "@verzuimregie/store"
import { Cause, Effect, Either, Exit, Layer, ManagedRuntime, Option } from "effect"
import { makeApp } from "./App.js"
import { configFile, loadConfig } from "./config.js"
import { seedDemo } from "./Demo.js"
import * as Housekeeping from "./Housekeeping.js"
import { clientErrorHandler } from "./http/ClientError.js"
import * as Log from "./Log.js"

const fatal = (message: string): never => {
  process.stderr.write(`verzuimregie kan niet starten:\n${message}\n`)
  process.exit(1)
}

/** Start-up progress on stderr, so a first start (migrations, demo data) is never silent. */
const progress = (line: string) => process.stderr.write(`verzuimregie: ${line}\n`)

const main = async () => {
  const env = process.env
  // pnpm runs a package's scripts in the package's folder and passes the user's in INIT_CWD:
  // relative paths (REGIONS_FILE, DATA_DIR, sqlite:) mean what the user typed where they stand.
  if (env.INIT_CWD !== undefined && env.INIT_CWD !== "") process.chdir(env.INIT_CWD)
  const config = await loadConfig(configFile(env))
  if (Either.isLeft(config)) return fatal(config.left.message)
  const dbConfig = Database.fromEnvironment(env)
  if (Either.isLeft(dbConfig)) return fatal(dbConfig.left.message)

  const host = env.HOST ?? "127.0.0.1"
  const port = Number(env.PORT ?? 3000)
  const mailOn = env.MAIL !== "off"
  // In production (DEMO_DATA=off) mail needs a real sender and public address; in demo mode
  // links point to where this gateway listens.
  const mailConfig = MailConfig.fromEnvironment(env, {
    production: env.DEMO_DATA === "off" && mailOn,
    defaultPublicUrl: `http://${host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host}:${port}`,
  })
  if (Either.isLeft(mailConfig)) return fatal(mailConfig.left.message)

  const policy = Accounts.policyFromEnvironment(env)
  if (typeof policy === "string") return fatal(policy)

  // Best kept away from the database (another disk or machine): see docs/operations.md.
  const anchorFile = AuditAnchor.fileFromEnvironment(env)
  const services = Layer.mergeAll(
    Store.layer(dbConfig.right),
    Regions.layer(config.right),
    // Separation of duties; relaxed only by an explicit setting (not recommended).
    Layer.succeed(Accounts.AccountPolicy, policy),
  )
  // The mail scheduler enqueues each region's summaries (at most once per period, across
  // instances) and the worker sends the outbox; both stop with the runtime.
  const mail = !mailOn
    ? Layer.empty
    : Mail.layer({
        regions: config.right.regions,
        config: mailConfig.right,
        environment: env,
        scheduler: env.MAIL_SCHEDULER !== "off",
      })
  const runtime = ManagedRuntime.make(
    // Every log line on stdout has one JSON shape, the request log's and the services' alike.
    Layer.mergeAll(
      Layer.provideMerge(Layer.mergeAll(mail, Housekeeping.layer({ anchorFile })), services).pipe(
        Layer.provide(Log.layer),
      ),
      Log.layer,
    ),
  )
  // Build the layers now: a database that cannot be opened is one clear line, not a stack trace.
  progress(`database openen en bijwerken: ${Database.describeConfig(dbConfig.right)}`)
  const opened = await runtime.runPromiseExit(Effect.void)
  if (Exit.isFailure(opened)) {
    const failure = Cause.failureOption(opened.cause)
    return fatal(
      Option.isSome(failure)
        ? String((failure.value as Error).message ?? failure.value)
        : Cause.pretty(opened.cause),
    )
  }

  let demoUsers: ReadonlyArray<{ name: string; roles: string; regions: string; token: string }> = []
  if (env.DEMO_DATA !== "off") {
    const empty = (await runtime.runPromise(Effect.flatMap(Accounts.Accounts, (a) => a.countUsers()))) === 0
    if (empty) {
      progress("lege database: synthetische demogegevens en demogebruikers maken…")
      demoUsers = await runtime.runPromise(seedDemo(config.right.regions))
    }
  }
  const { app } = makeApp({
    runtime,
    secureCookies: (env.PUBLIC_URL ?? "").trim().toLowerCase().startsWith("https:"),
    regions: config.right.regions,
    log: Log.jsonLogger,
    ...(env.RATE_LIMIT_PER_MINUTE ? { rateLimitPerMinute: Number(env.RATE_LIMIT_PER_MINUTE) } : {}),
    ...(env.BODY_LIMIT_BYTES ? { bodyLimitBytes: Number(env.BODY_LIMIT_BYTES) } : {}),
    ...(env.UPLOAD_LIMIT_BYTES ? { uploadLimitBytes: Number(env.UPLOAD_LIMIT_BYTES) } : {}),
    ...(env.UPLOAD_DIR ? { uploadDir: env.UPLOAD_DIR } : {}),
    trustedProxies: (env.TRUSTED_PROXIES ?? "")
      .split(",")
      .map((address) => address.trim())
      .filter((address) => address !== ""),
  })
  const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
    const url = `http://${info.address.includes(":") ? `[${info.address}]` : info.address}:${info.port}`
    const lines = [
      "",
      `verzuimregie draait op ${url}`,
      `  web-app: ${url}/   (inloggen met uw persoonlijke token)`,
      `  API-documentatie: ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
      `  database: ${Database.describeConfig(dbConfig.right)}`,
      `  e-mail: ${mailOn ? MailConfig.explain(mailConfig.right, env) : "uit (MAIL=off)"}`,
      `  regio's: ${config.right.regions.map((r) => `${r.region.id} (${r.plugin.manifest.id})`).join(", ")}`,
    ]
    if (demoUsers.length > 0) {
      // A case worker sees cases (an admin sees none, a referrer only their own referrals).
      const first = demoUsers.find((u) => u.roles === "case-worker") ?? demoUsers[0]!
      lines.push(
        "",
        "Demo-gebruikers (synthetische gegevens). Deze tokens worden één keer getoond:",
        ...demoUsers.map((u) => `  ${u.name.padEnd(42)} ${u.roles.padEnd(12)} ${u.token}`),
        "",
        `Probeer eerst het token van ${first.name} (casusregisseur, ziet de casussen van de regio):`,
        `  in de browser: ${url}/inloggen, plak het token`,
        `  of met curl:   curl -H "Authorization: Bearer ${first.token}" ${url}/cases`,
      )
      const school = demoUsers.find((u) => u.roles.split(",").includes("school-verzuim"))
      if (school !== undefined)
        lines.push(
          "",
          `Verzuimsignalen van de school: het token van ${school.name} (school-verzuim, ziet alleen de eigen school):`,
          `  curl -H "Authorization: Bearer ${school.token}" ${url}/absence/signals`,
          `  importeren: VERZUIMREGIE_TOKEN=<token> pnpm import-absence -- --school <org-id> --mapping <naam> <bestand.csv>`,
        )
      const ortho = demoUsers.find((u) => u.roles.split(",").includes("orthopedagoog"))
      if (ortho !== undefined)
        lines.push(
          "",
          `Kwartaalronde: het token van ${ortho.name} (orthopedagoog, ziet alleen de kwartaalronde van de regio):`,
          `  in de browser: ${url}/kwartaalronde, of curl -H "Authorization: Bearer ${ortho.token}" ${url}/quarterly-round`,
        )
    } else {
      lines.push(
        "",
        "Een token maken: pnpm admin -- token create --user <user-id>",
        "(gebruikers zien: pnpm admin -- user list)",
      )
    }
    process.stderr.write(`${lines.join("\n")}\n\n`)
  })
  server.on("clientError", clientErrorHandler(Log.jsonLogger))

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    Log.jsonLogger({
      level: "info",
      message: `${signal} received: stopping after the requests in flight`,
      event: "shutdown",
      signal,
    })
    // Stop accepting; requests in flight finish; idle keep-alive connections close.
    server.close(() => {
      void runtime.dispose().then(() => process.exit(0))
    })
    if ("closeIdleConnections" in server)
      (server as { closeIdleConnections: () => void }).closeIdleConnections()
    setTimeout(() => process.exit(1), 15_000).unref()
  }
  process.on("SIGTERM", () => stop("SIGTERM"))
  process.on("SIGINT", () => stop("SIGINT"))
}

void main()
