/**
 * Gateway benchmark (not a test): an authenticated, audited `GET /cases/{id}` and a referral
 * `POST /referrals` through the whole gateway on SQLite, next to a bare Hono + better-sqlite3
 * handler doing the same read and audit insert (and, for the POST, the same inserts), measured
 * with autocannon in the same run on loopback. Prints req/s, p50 and p99, and the ratios.
 *
 *   pnpm --filter @verzuimregie/gateway bench   [BENCH_SECONDS=10 BENCH_CONNECTIONS=10]
 */
import { randomBytes } from "node:crypto"
import { once } from "node:events"
import { mkdtempSync, rmSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { serve } from "@hono/node-server"
import { Regions } from "@verzuimregie/app"
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { Accounts, Database, Store } from "@verzuimregie/store"
import autocannon from "autocannon"
import Sqlite from "better-sqlite3"
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { Hono } from "hono"
import { makeApp } from "../src/App.js"
import { loadConfig, sampleConfigFile } from "../src/config.js"

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const REGION = "westland"

interface Result {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly non2xx: number
}

const run = async (
  url: string,
  init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string },
): Promise<Result> => {
  let sent = 0
  const result = await autocannon({
    url,
    method: init.method,
    headers: init.headers,
    ...(init.body === undefined
      ? {}
      : {
          // Each referral another pupil: the same pupil twice is refused (one open case per pupil).
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                body: (init.body ?? "").replace('"familyName":"', `"familyName":"Bench ${++sent} `),
              }),
            },
          ],
        }),
    connections: CONNECTIONS,
    duration: SECONDS,
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  }
}

const listen = async (fetch: (r: Request) => Response | Promise<Response>) => {
  const server = serve({ fetch, hostname: "127.0.0.1", port: 0 })
  await once(server, "listening")
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "verzuimregie-bench-"))
  const config = await loadConfig(sampleConfigFile)
  if (Either.isLeft(config)) throw new Error(config.left.message)

  // The gateway, as in production but without request logging to the terminal.
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(Store.layer(Database.sqlite(join(dir, "gateway.db"))), Regions.layer(config.right)),
  )
  const { app } = makeApp({
    runtime,
    regions: config.right.regions,
    log: () => {},
    rateLimitPerMinute: 100_000_000,
  })
  const gateway = await listen(app.fetch)
  const user = await runtime.runPromise(
    Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const org = yield* accounts.createOrganisation({ name: "Benchschool", kind: "school" })
      const u = yield* accounts.createUser({
        organisationId: org.id,
        name: "Bench Coördinator",
        email: "bench@bench.example" as Accounts.NewUser["email"],
        roles: ["referrer", "coordinator"],
        regions: [REGION as Accounts.NewUser["regions"][0]],
        partyRole: "coordinator-passend-onderwijs",
      })
      const token = yield* accounts.issueToken(u.id)
      return { organisationId: org.id, name: u.name, partyRole: u.partyRole, token: token.token }
    }),
  )
  const plugin = config.right.regions.find((r) => r.region.id === REGION)!.plugin
  const base = Fixtures.referralFor(plugin, { on: Regions.make(config.right).today() })
  const referral = JSON.stringify({
    ...base,
    regionId: REGION,
    // Who refers is the account: its name, party role and organisation.
    referrer: { role: user.partyRole, name: user.name, organisationId: user.organisationId },
  } as Referral.ReferralSubmission)
  const auth = { authorization: `Bearer ${user.token}` }
  const created = await fetch(`${gateway.base}/referrals`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: referral,
  })
  const { caseId } = (await created.json()) as { caseId: string }
  const caseState = await (await fetch(`${gateway.base}/cases/${caseId}`, { headers: auth })).text()

  // The bare baseline: Hono + better-sqlite3, same pragmas, the same read plus one audit insert;
  // the POST inserts the case row and the event as the store does, plus the audit row.
  const bare = new Sqlite(join(dir, "bare.db"))
  bare.pragma("journal_mode = WAL")
  bare.pragma("synchronous = FULL")
  bare.exec(`CREATE TABLE cases (case_id TEXT PRIMARY KEY, region_id TEXT, state TEXT);
    CREATE TABLE events (event_id TEXT PRIMARY KEY, case_id TEXT, payload TEXT);
    CREATE TABLE audit (seq INTEGER PRIMARY KEY, user_id TEXT, action TEXT, record_id TEXT, at TEXT)`)
  bare.prepare("INSERT INTO cases VALUES (?, ?, ?)").run(caseId, REGION, caseState)
  const read = bare.prepare("SELECT state FROM cases WHERE case_id = ? AND region_id = ?")
  const audit = bare.prepare("INSERT INTO audit (user_id, action, record_id, at) VALUES (?, ?, ?, ?)")
  const insertCase = bare.prepare("INSERT INTO cases VALUES (?, ?, ?)")
  const insertEvent = bare.prepare("INSERT INTO events VALUES (?, ?, ?)")
  const bareApp = new Hono()
  bareApp.get("/cases/:id", (c) => {
    const row = bare.transaction(() => {
      const found = read.get(c.req.param("id"), REGION) as { state: string } | undefined
      audit.run("user_bench", "read", c.req.param("id"), new Date().toISOString())
      return found
    })()
    return row === undefined
      ? c.json({ error: "not found" }, 404)
      : c.body(row.state, 200, { "content-type": "application/json" })
  })
  bareApp.post("/referrals", async (c) => {
    const body = await c.req.json()
    const id = `case_${randomBytes(10).toString("hex")}`
    bare.transaction(() => {
      insertCase.run(id, REGION, JSON.stringify(body))
      insertEvent.run(`evt_${randomBytes(10).toString("hex")}`, id, JSON.stringify(body))
      audit.run("user_bench", "create", id, new Date().toISOString())
    })()
    return c.json({ caseId: id }, 201)
  })
  const baseline = await listen(bareApp.fetch)

  const results: Array<[string, Result, Result]> = []
  const getInit = { method: "GET" as const, headers: auth }
  const postInit = {
    method: "POST" as const,
    headers: { ...auth, "content-type": "application/json" },
    body: referral,
  }
  process.stderr.write(`warming up…\n`)
  await autocannon({ url: `${gateway.base}/cases/${caseId}`, headers: auth, connections: 2, amount: 200 })
  await autocannon({ url: `${baseline.base}/cases/${caseId}`, connections: 2, amount: 200 })
  process.stderr.write(`GET /cases/{id}: ${SECONDS} s each, ${CONNECTIONS} connections\n`)
  results.push([
    "GET /cases/{id}",
    await run(`${gateway.base}/cases/${caseId}`, getInit),
    await run(`${baseline.base}/cases/${caseId}`, getInit),
  ])
  process.stderr.write(`POST /referrals: ${SECONDS} s each, ${CONNECTIONS} connections\n`)
  results.push([
    "POST /referrals",
    await run(`${gateway.base}/referrals`, postInit),
    await run(`${baseline.base}/referrals`, postInit),
  ])

  const f = (n: number) => n.toFixed(n < 10 ? 2 : 0)
  const lines = [
    "",
    `| operation | gateway req/s | p50 ms | p99 ms | bare req/s | p50 ms | p99 ms | gateway/bare: req/s | p50 | p99 |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
    ...results.map(
      ([name, g, b]) =>
        `| ${name} | ${f(g.rps)} | ${f(g.p50)} | ${f(g.p99)} | ${f(b.rps)} | ${f(b.p50)} | ${f(b.p99)} | ${(g.rps / b.rps).toFixed(2)}× | ${(g.p50 / b.p50).toFixed(1)}× | ${(g.p99 / b.p99).toFixed(1)}× |`,
    ),
    "",
    `non-2xx responses: ${results.map(([name, g, b]) => `${name} gateway ${g.non2xx}, bare ${b.non2xx}`).join("; ")}`,
  ]
  process.stdout.write(`${lines.join("\n")}\n`)
  await new Promise((r) => gateway.server.close(r))
  await new Promise((r) => baseline.server.close(r))
  await runtime.dispose()
  bare.close()
  rmSync(dir, { recursive: true, force: true })
}

void main()
