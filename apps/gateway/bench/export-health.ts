/**
 * Measurement (not a test): does a large case list export stall the gateway? Seeds a SQLite
 * database with BENCH_CASES synthetic cases of one region (default 10,000), starts the built
 * gateway (`dist/main.js`) as its own process, and from this process probes `GET /health` at a
 * fixed rate (every BENCH_PROBE_MS, default 10 ms; each probe timed from when it was due, so a
 * stall counts for every probe it delays) first while idle, then while BENCH_EXPORTS exports
 * (default 3, after a first one that also warms the gateway up) of the region's cases run one
 * after the other. Prints p50, p99 and max latency; the gateway's own event-loop delay (sampled
 * inside it by the preloaded bench/loop-delay.mjs); and the load average (the machine is shared:
 * a busy machine delays every probe).
 *
 *   pnpm turbo run build --filter=@verzuimregie/gateway...
 *   pnpm --filter @verzuimregie/gateway bench:export-health   [BENCH_CASES=10000 BENCH_EXPORTS=3]
 *
 * Goal (issue 10): p99 ≤ 100 ms during the export.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, rmSync } from "node:fs"
import * as Http from "node:http"
import * as os from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { LocalDate } from "@verzuimregie/domain"
import { Accounts, Database, Store } from "@verzuimregie/store"
import { Effect, ManagedRuntime } from "effect"
import * as XLSX from "xlsx"
import { freePort } from "../test/support/process.js"
import { seedSynthetic } from "../test/support/seed.js"
import { probeAtFixedRate } from "./support/health-probe.js"

const CASES = Number(process.env.BENCH_CASES ?? 10_000)
const EXPORTS = Number(process.env.BENCH_EXPORTS ?? 3)
const PROBE_MS = Number(process.env.BENCH_PROBE_MS ?? 10)
const IDLE_MS = 3_000
const REGION = "westland" as const
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))
const loopDelayModule = new URL("./loop-delay.mjs", import.meta.url).href

/** Synthetic cases and a coordinator token, written straight to the database. */
const seed = async (dataDir: string): Promise<string> => {
  const runtime = ManagedRuntime.make(Store.layer(Database.sqlite(join(dataDir, "verzuimregie.db"))))
  try {
    const on = LocalDate.todayInAmsterdam()
    return await runtime.runPromise(
      Effect.gen(function* () {
        const written = yield* seedSynthetic({ seed: 2026, regionId: REGION, on, count: CASES, days: 300 })
        process.stderr.write(`seeded ${written} cases\n`)
        const accounts = yield* Accounts.Accounts
        const org = yield* accounts.createOrganisation({ name: "Meetregio", kind: "samenwerkingsverband" })
        const user = yield* accounts.createUser({
          organisationId: org.id,
          name: "Meet Coördinator",
          email: "meet@bench.example" as Accounts.NewUser["email"],
          roles: ["coordinator"],
          regions: [REGION as Accounts.NewUser["regions"][0]],
          partyRole: "coordinator-passend-onderwijs",
        })
        return (yield* accounts.issueToken(user.id)).token
      }),
    )
  } finally {
    await runtime.dispose()
  }
}

const startGateway = async (dataDir: string, port: number): Promise<ChildProcess> => {
  const child = spawn(process.execPath, ["--import", loopDelayModule, main], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      DEMO_DATA: "off",
      MAIL: "off",
      RATE_LIMIT_PER_MINUTE: "100000000",
    },
    stdio: ["ignore", "ignore", "pipe"],
  })
  let banner = ""
  child.stderr?.on("data", (d) => {
    banner += String(d)
    for (const match of String(d).matchAll(/^loop-delay (\{.*\})$/gm))
      loopDelays.push(JSON.parse(match[1] ?? "{}"))
    if (process.env.BENCH_DEBUG === "1") process.stderr.write(String(d))
  })
  const until = Date.now() + 60_000
  while (!banner.includes("verzuimregie draait op")) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`gateway did not start:\n${banner}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return child
}

interface LoopDelay {
  readonly p50: number
  readonly p99: number
  readonly max: number
}
const loopDelays: Array<LoopDelay> = []

/** The gateway's own event-loop delay since the last call (from the preloaded bench/loop-delay.mjs). */
const loopDelayOf = async (gateway: ChildProcess): Promise<LoopDelay> => {
  const before = loopDelays.length
  gateway.kill("SIGUSR2")
  const until = Date.now() + 30_000
  while (loopDelays.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
  return loopDelays[loopDelays.length - 1] ?? { p50: Number.NaN, p99: Number.NaN, max: Number.NaN }
}

const agent = new Http.Agent({ keepAlive: true, maxSockets: 256 })

const get = (
  port: number,
  path: string,
  token?: string,
  retried = false,
): Promise<{ status: number; body: Buffer }> =>
  new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const request = Http.get(
      {
        host: "127.0.0.1",
        port,
        path,
        agent,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      },
      (response) => {
        const parts: Array<Buffer> = []
        response.on("data", (d: Buffer) => parts.push(d))
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts) }))
        response.on("error", reject)
      },
    )
    request.on("error", reject)
  }).catch((error: { code?: string }) => {
    // A kept-alive socket the server closed just as the request went out: once more, on a new one.
    if (error.code === "ECONNRESET" && !retried) return get(port, path, token, true)
    throw error
  })

/** Probes /health every PROBE_MS until `stop` settles (see support/health-probe.ts). */
const probe = (port: number, stop: Promise<unknown>) =>
  probeAtFixedRate(() => get(port, "/health").then((r) => r.status), PROBE_MS, stop)

const stats = (latencies: ReadonlyArray<number>) => {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  return { probes: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN }
}

const ms = (n: number) => `${n.toFixed(1)} ms`

const run = async () => {
  const dir = mkdtempSync(join(os.tmpdir(), "verzuimregie-export-health-"))
  let gateway: ChildProcess | undefined
  try {
    const dataDir = join(dir, "data")
    const load = os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")
    const token = await seed(dataDir)
    const port = await freePort()
    gateway = await startGateway(dataDir, port)
    await get(port, "/health")
    const started = gateway

    await loopDelayOf(started)
    const idle = stats(await probe(port, new Promise((r) => setTimeout(r, IDLE_MS))))
    const idleLoop = await loopDelayOf(started)
    const exportOnce = async () => {
      const started = performance.now()
      const download = get(port, `/regions/${REGION}/cases.xlsx`, token)
      const latencies = await probe(port, download)
      const { status, body } = await download
      if (status !== 200) throw new Error(`export answered ${status}: ${body.toString("utf8")}`)
      const took = performance.now() - started
      const book = XLSX.read(body, { type: "buffer" })
      const range = XLSX.utils.decode_range(book.Sheets[book.SheetNames[0] ?? ""]?.["!ref"] ?? "A1")
      return { latencies, ms: took, rows: range.e.r, bytes: body.length }
    }
    // The first export after start also pays for the gateway's warm-up (lazily compiled decoders,
    // JIT): reported on its own line.
    const cold = await exportOnce()
    const coldLoop = await loopDelayOf(started)
    const warm: Array<Awaited<ReturnType<typeof exportOnce>>> = []
    for (let i = 0; i < EXPORTS; i++) warm.push(await exportOnce())
    const warmLoop = await loopDelayOf(started)
    const busy = stats(warm.flatMap((e) => e.latencies))
    const first = stats(cold.latencies)
    const row = (label: string, s: ReturnType<typeof stats>, loop: LoopDelay) =>
      `| ${label.padEnd(28)} | ${String(s.probes).padStart(6)} | ${ms(s.p50).padStart(11)} | ${ms(s.p99).padStart(11)} | ${ms(s.max).padStart(11)} | ${ms(loop.p99).padStart(14)} | ${ms(loop.max).padStart(14)} |`
    const lines = [
      "",
      `Case list export of ${CASES.toLocaleString("en")} cases vs GET /health (probe every ${PROBE_MS} ms, gateway in its own process)`,
      `load average before/after: ${load} / ${os
        .loadavg()
        .map((n) => n.toFixed(1))
        .join(" ")} on ${os.availableParallelism()} cores`,
      "",

      "| phase                        | probes | /health p50 | /health p99 | /health max | loop delay p99 | loop delay max |",
      "| ---------------------------- | -----: | ----------: | ----------: | ----------: | -------------: | -------------: |",
      row("idle", idle, idleLoop),
      row("first export after start", first, coldLoop),
      row(`during ${EXPORTS} further export(s)`, busy, warmLoop),
      "",
      ...[cold, ...warm].map(
        (e, i) =>
          `export ${i + 1}: ${e.rows.toLocaleString("en")} rows, ${(e.bytes / 1024).toFixed(0)} KiB, ${(e.ms / 1000).toFixed(2)} s`,
      ),
      "",
      busy.p99 <= 100 ? "goal met: p99 ≤ 100 ms" : "goal NOT met: p99 > 100 ms",
      "",
    ]
    process.stdout.write(lines.join("\n"))
  } finally {
    if (gateway !== undefined && gateway.exitCode === null) {
      gateway.kill("SIGTERM")
      await once(gateway, "exit")
    }
    agent.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
