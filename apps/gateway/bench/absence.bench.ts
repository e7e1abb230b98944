/**
 * Measurement (not a test) of issue 15's performance goals for absence data:
 *
 * 1. `sqlite`: the import of a ROWS-row CSV (default 1,000,000 rows, 20,000 pupils, a school
 *    year; support/absence-csv.ts) end to end on a fresh SQLite database, the way
 *    `pnpm import-absence` runs it (`Absence.importFile`: reader, store, signal merge, one
 *    transaction), against the bare baseline of the issue: the same file parsed with the same CSV
 *    parser (`Csv.parse`) and inserted with a prepared statement in one transaction
 *    (support/absence-child.ts). Every import runs in a child process of its own, baseline and
 *    project interleaved, RUNS (3) of each; medians, the ratio per pair, and each child's peak RSS.
 *    Goals: import ≤ 2× baseline, peak RSS ≤ 500 MB.
 * 2. `health`: the gateway (`dist/main.js`) in its own process on a prepared database; this
 *    process probes `GET /health` every 10 ms while idle and while the file is uploaded through
 *    `POST /absence/imports` and imported. Goal: p99 ≤ 100 ms during the import.
 * 3. `pg`: the import on PostgreSQL (BENCH_PG_URL, default TEST_DATABASE_URL or
 *    postgres://postgres@127.0.0.1:5432/test; a fresh schema per run), against a bare baseline of
 *    the same parser and batched multi-row INSERTs with `pg` in one transaction.
 * 4. `signals`: the domain's classification bench (packages/domain/bench/signals.bench.ts,
 *    1,000,000 records of 20,000 pupils, goal ≤ 5 s), run as it is and its output shown.
 *
 *   pnpm bench:absence                                   (root: builds, then runs everything)
 *   pnpm --filter @verzuimregie/gateway bench:absence    (after pnpm turbo run build --filter=@verzuimregie/gateway...)
 *   ROWS=100000 pnpm --filter @verzuimregie/gateway bench:absence     (quick mode)
 *
 * Knobs: ROWS, PUPILS (20000), RUNS (3), PARTS (sqlite,health,pg,signals), BENCH_PG_URL,
 * BENCH_PROBE_MS (10), WRITE_DOCS (1 by default for a full run of every part with 1,000,000 rows:
 * the section "Absence import and signals" of docs/performance.md and "Prestaties" of
 * docs/absence.md are replaced), PROFILE=1 (the project's SQLite imports write a CPU profile to
 * BENCH_PROFILE_DIR, default /tmp/verzuimregie-absence-prof).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs"
import * as Http from "node:http"
import * as os from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import pg from "pg"
import { freePort } from "../test/support/process.js"
import type { Job, StepResult, Target } from "./support/absence-child.js"
import { PERIOD as DENSE_PERIOD, writeAbsenceCsv } from "./support/absence-csv.js"
import { probeAtFixedRate } from "./support/health-probe.js"

const ROWS = Number(process.env.ROWS ?? 1_000_000)
/**
 * `samples` (default): the reader's sample generator (`Samples.schoolYearChunks`, the pupils'
 * absence profiles of the domain's sample data, one row per pupil and day), as many pupils as it
 * takes to fill ROWS rows (about 58,000 for a million). `dense`: support/absence-csv.ts, exactly
 * PUPILS pupils (20,000) with ROWS / PUPILS absent days each (50: a quarter of the school year,
 * every pupil) — the worst case for the signal merge.
 */
const GENERATOR = process.env.GENERATOR === "dense" ? "dense" : "samples"
const PUPILS = Number(process.env.PUPILS ?? 20_000)
const RUNS = Number(process.env.RUNS ?? 3)
const PARTS = new Set((process.env.PARTS ?? "sqlite,health,pg,signals").split(",").map((s) => s.trim()))
const PG_URL =
  process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const PROBE_MS = Number(process.env.BENCH_PROBE_MS ?? 10)
const PROFILE = process.env.PROFILE === "1"
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR ?? "/tmp/verzuimregie-absence-prof"
const WRITE_DOCS =
  process.env.WRITE_DOCS === undefined
    ? ROWS === 1_000_000 && GENERATOR === "samples" && RUNS >= 3 && PARTS.size === 4
    : process.env.WRITE_DOCS === "1"
const BRIN = "99ZZ"
const IDLE_MS = 3_000

const HERE = fileURLToPath(new URL(".", import.meta.url))
const GATEWAY = resolve(HERE, "..")
const ROOT = resolve(GATEWAY, "../..")
const CHILD = join(HERE, "support/absence-child.ts")
const MAIN = join(GATEWAY, "dist/main.js")
const LOOP_DELAY = new URL("./loop-delay.mjs", import.meta.url).href

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")
const load1 = () => os.loadavg()[0] ?? 0
const log = (line: string) => process.stderr.write(`${line}\n`)
const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`
const en = (n: number) => n.toLocaleString("en")

interface Measured extends StepResult {
  /** Wall time of the child process, start to exit (node start, module loading, setup included). */
  readonly wallMs: number
  readonly load: number
}

/** Runs one step in its own `node` process (tsx as loader) and returns its result line. */
const runChild = async (job: Job, nodeArgs: ReadonlyArray<string> = []): Promise<Measured> => {
  const started = performance.now()
  const before = load1()
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", CHILD, JSON.stringify(job)], {
    cwd: GATEWAY,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production" },
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (d) => {
    stdout += String(d)
  })
  child.stderr.on("data", (d) => {
    stderr += String(d)
  })
  const [code] = (await once(child, "exit")) as [number | null]
  const wallMs = performance.now() - started
  if (code !== 0) throw new Error(`${job.step} failed (exit ${code}):\n${stderr.slice(-4000)}`)
  const last = stdout.trim().split("\n").pop() ?? "{}"
  return { ...(JSON.parse(last) as StepResult), wallMs, load: Math.max(before, load1()) }
}

interface BenchFile {
  readonly path: string
  readonly rows: number
  readonly pupils: number
  readonly period: { readonly from: string; readonly to: string }
  readonly bytes: number
}

/** The file of the bench, written once per ROWS and generator to a folder of the system's temp dir. */
const benchFile = async (): Promise<BenchFile> => {
  const dir = join(os.tmpdir(), "verzuimregie-bench-absence")
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const name = GENERATOR === "dense" ? `dense-${ROWS}-${PUPILS}-v1` : `samples-${ROWS}-v1`
  const path = join(dir, `${name}.csv`)
  const meta = join(dir, `${name}.json`)
  if (existsSync(path) && existsSync(meta))
    return { path, ...(JSON.parse(readFileSync(meta, "utf8")) as Omit<BenchFile, "path">) }
  const t = performance.now()
  let info: Omit<BenchFile, "path">
  if (GENERATOR === "dense") {
    const written = await writeAbsenceCsv(`${path}.part`, { rows: ROWS, pupils: PUPILS, brin: BRIN })
    info = { rows: written.rows, pupils: written.pupils, period: DENSE_PERIOD, bytes: written.bytes }
  } else info = await writeSamples(`${path}.part`)
  renameSync(`${path}.part`, path)
  writeFileSync(meta, JSON.stringify(info))
  log(`generated ${path} in ${sec(performance.now() - t)}`)
  return { path, ...info }
}

/** A Magister export of the reader's samples, cut after exactly ROWS data rows. */
const writeSamples = async (path: string): Promise<Omit<BenchFile, "path">> => {
  const { Samples } = await import("@verzuimregie/absence-import")
  const options = { system: "magister", schoolBrin: BRIN, seed: 2026, schoolYear: 2025 } as const
  // Rows per pupil of these profiles, from a first small sample: enough pupils for ROWS rows.
  const probe = Samples.schoolYear({ ...options, pupils: 2_000 })
  const pupils = Math.ceil((ROWS / probe.rows) * 2_000 * 1.05)
  const out = createWriteStream(path, { mode: 0o600 })
  let lines = 0
  let bytes = 0
  let written = 0
  for (const chunk of Samples.schoolYearChunks({ ...options, pupils }, () => {
    written++
  })) {
    let end = chunk.length
    for (let i = 0; i < chunk.length; i++)
      if (chunk[i] === 10 && ++lines === ROWS + 1) {
        end = i + 1
        break
      }
    const part = chunk.subarray(0, end)
    bytes += part.length
    if (!out.write(part)) await once(out, "drain")
    if (lines === ROWS + 1) break
  }
  out.end()
  await once(out, "close")
  if (lines !== ROWS + 1) throw new Error(`the sample has ${lines - 1} rows, not ${ROWS}`)
  return { rows: ROWS, pupils: written, period: probe.period, bytes }
}

// --- 1 and 3: import vs baseline -------------------------------------------------------------

interface Pair {
  readonly baseline: Measured
  readonly project: Measured
}

const pgAdmin = async <A>(f: (client: pg.Client) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    return await f(client)
  } finally {
    await client.end()
  }
}

let schemas = 0
const freshTarget = (kind: "sqlite" | "pg", dir: string): Target =>
  kind === "sqlite"
    ? { _tag: "sqlite", file: join(dir, `run-${++schemas}.db`) }
    : { _tag: "pg", url: PG_URL, schema: `bench_absence_${Date.now()}_${process.pid}_${++schemas}` }

const dropTarget = async (target: Target) => {
  if (target._tag === "pg") await pgAdmin((c) => c.query(`DROP SCHEMA IF EXISTS ${target.schema} CASCADE`))
  else for (const suffix of ["", "-wal", "-shm"]) rmSync(`${target.file}${suffix}`, { force: true })
}

const projectRun = async (
  kind: "sqlite" | "pg",
  dir: string,
  file: BenchFile,
  run: number,
): Promise<Measured> => {
  const target = freshTarget(kind, dir)
  try {
    const prepared = await runChild({ step: "prepare", target, brin: BRIN })
    const profile =
      PROFILE && kind === "sqlite"
        ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=project-${kind}-${run}.cpuprofile`]
        : []
    return await runChild(
      {
        step: "project",
        target,
        csv: file.path,
        token: prepared.token as string,
        schoolId: prepared.schoolId as string,
        period: file.period,
      },
      profile,
    )
  } finally {
    await dropTarget(target)
  }
}

const baselineRun = async (kind: "sqlite" | "pg", dir: string, file: BenchFile): Promise<Measured> => {
  const target = freshTarget(kind, dir)
  try {
    await runChild({ step: "prepare", target, brin: BRIN })
    return await runChild({ step: "baseline", target, csv: file.path })
  } finally {
    await dropTarget(target)
  }
}

const compare = async (kind: "sqlite" | "pg", file: BenchFile): Promise<Array<Pair>> => {
  const dir = mkdtempSync(join(os.tmpdir(), `verzuimregie-absence-${kind}-`))
  const pairs: Array<Pair> = []
  try {
    for (let run = 1; run <= RUNS; run++) {
      // Interleaved, and the order alternates: a drift in the machine's load hits both sides.
      let baseline: Measured
      let project: Measured
      if (run % 2 === 1) {
        baseline = await baselineRun(kind, dir, file)
        project = await projectRun(kind, dir, file, run)
      } else {
        project = await projectRun(kind, dir, file, run)
        baseline = await baselineRun(kind, dir, file)
      }
      if (baseline.rows !== file.rows || project.rows !== file.rows)
        throw new Error(`rows: baseline ${baseline.rows}, project ${project.rows}, file ${file.rows}`)
      log(
        `${kind} run ${run}: baseline ${sec(baseline.ms)} (CPU ${sec(baseline.cpuMs)}, ${mb(baseline.maxRssKb)}), project ${sec(project.ms)} (CPU ${sec(project.cpuMs)}, ${mb(project.maxRssKb)}), ratio ${(project.ms / baseline.ms).toFixed(2)}, load ${load()}`,
      )
      pairs.push({ baseline, project })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return pairs
}

const compareTable = (title: string, pairs: ReadonlyArray<Pair>, goals: boolean): Array<string> => {
  const ratio = (p: Pair) => p.project.ms / p.baseline.ms
  const cpuRatio = (p: Pair) => p.project.cpuMs / p.baseline.cpuMs
  const rows = pairs.map(
    (p, i) =>
      `| ${i + 1} | ${sec(p.baseline.ms)} | ${sec(p.project.ms)} | ${ratio(p).toFixed(2)} | ${sec(p.baseline.cpuMs)} | ${sec(p.project.cpuMs)} | ${cpuRatio(p).toFixed(2)} | ${mb(p.baseline.maxRssKb)} | ${mb(p.project.maxRssKb)} | ${Math.max(p.baseline.load, p.project.load).toFixed(1)} |`,
  )
  const med = (f: (p: Pair) => number) => median(pairs.map(f))
  const rss = Math.max(...pairs.map((p) => p.project.maxRssKb))
  return [
    `**${title}**`,
    "",
    "| run | baseline | project | ratio | baseline CPU | project CPU | CPU ratio | baseline peak RSS | project peak RSS | load (1 min, max) |",
    "| --: | -------: | ------: | ----: | -----------: | ----------: | --------: | ----------------: | ---------------: | ----------------: |",
    ...rows,
    `| **median** | **${sec(med((p) => p.baseline.ms))}** | **${sec(med((p) => p.project.ms))}** | **${med(ratio).toFixed(2)}** | ${sec(med((p) => p.baseline.cpuMs))} | ${sec(med((p) => p.project.cpuMs))} | ${med(cpuRatio).toFixed(2)} | ${mb(med((p) => p.baseline.maxRssKb))} | ${mb(med((p) => p.project.maxRssKb))} | |`,
    "",
    `Times are of the import itself (file opened to commit), measured in the child; CPU is the child's user + system time over the same stretch. The project's child processes took ${sec(med((p) => p.project.wallMs))} from start to exit (median; node start, loading the application, opening the database included).`,
    "",
    goals
      ? `Goal import ≤ 2× baseline: ${med(ratio) <= 2 ? "met" : "NOT met"} (median ratio ${med(ratio).toFixed(2)}, CPU ratio ${med(cpuRatio).toFixed(2)}); peak RSS ≤ 500 MB: ${rss / 1024 <= 500 ? "met" : "NOT met"} (highest ${mb(rss)}).`
      : `Median ratio ${med(ratio).toFixed(2)} (CPU ${med(cpuRatio).toFixed(2)}); highest peak RSS of the project's import ${mb(rss)}.`,
    "",
  ]
}

// --- 2: /health while an import runs ---------------------------------------------------------

interface LoopDelay {
  readonly p50: number
  readonly p99: number
  readonly max: number
}

const agent = new Http.Agent({ keepAlive: true, maxSockets: 256 })

const getHealth = (port: number, retried = false): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const request = Http.get({ host: "127.0.0.1", port, path: "/health", agent }, (response) => {
      response.resume()
      response.on("end", () => resolve(response.statusCode ?? 0))
      response.on("error", reject)
    })
    request.on("error", reject)
  }).catch((error: { code?: string }) => {
    if (error.code === "ECONNRESET" && !retried) return getHealth(port, true)
    throw error
  })

/** Probes /health every PROBE_MS until `stop` settles (see support/health-probe.ts). */
const probe = (port: number, stop: Promise<unknown>) =>
  probeAtFixedRate(() => getHealth(port), PROBE_MS, stop)

const latencyStats = (latencies: ReadonlyArray<number>) => {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  return { probes: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN }
}

const startGateway = async (dataDir: string, port: number) => {
  const loopDelays: Array<LoopDelay> = []
  const child: ChildProcess = spawn(process.execPath, ["--import", LOOP_DELAY, MAIN], {
    cwd: GATEWAY,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      DEMO_DATA: "off",
      MAIL: "off",
      MAIL_SCHEDULER: "off",
      RATE_LIMIT_PER_MINUTE: "100000000",
      UPLOAD_LIMIT_BYTES: String(4 * 1024 * 1024 * 1024),
      UPLOAD_DIR: dataDir,
    },
    stdio: ["ignore", "ignore", "pipe"],
  })
  let banner = ""
  child.stderr?.on("data", (d) => {
    banner += String(d)
    for (const match of String(d).matchAll(/^loop-delay (\{.*\})$/gm))
      loopDelays.push(JSON.parse(match[1] ?? "{}") as LoopDelay)
  })
  const until = Date.now() + 120_000
  while (!banner.includes("verzuimregie draait op")) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`gateway did not start:\n${banner}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  /** The gateway's own event-loop delay since the last call (bench/loop-delay.mjs). */
  const loopDelay = async (): Promise<LoopDelay> => {
    const before = loopDelays.length
    child.kill("SIGUSR2")
    const until = Date.now() + 30_000
    while (loopDelays.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    return loopDelays[loopDelays.length - 1] ?? { p50: Number.NaN, p99: Number.NaN, max: Number.NaN }
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM")
      await once(child, "exit")
    }
  }
  return { loopDelay, stop, pid: child.pid }
}

/** `POST /absence/imports` with the file streamed from disk as the body; the status and the answer. */
const uploadFile = (port: number, token: string, schoolId: string, file: BenchFile) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const query = new URLSearchParams({
      school: schoolId,
      mapping: "magister",
      from: file.period.from,
      to: file.period.to,
      filename: "verzuim.csv",
    })
    const request = Http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/absence/imports?${query}`,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "text/csv",
          "content-length": String(statSync(file.path).size),
        },
      },
      (response) => {
        let body = ""
        response.on("data", (d) => {
          body += String(d)
        })
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }))
        response.on("error", reject)
      },
    )
    request.on("error", reject)
    createReadStream(file.path).pipe(request)
  })

interface HealthResult {
  readonly idle: ReturnType<typeof latencyStats>
  readonly idleLoop: LoopDelay
  readonly busy: ReturnType<typeof latencyStats>
  readonly busyLoop: LoopDelay
  readonly importMs: number
  readonly gatewayRssKb: number | undefined
  readonly load: string
}

/** Peak RSS of a process so far, KiB (`VmHWM` of /proc/<pid>/status). */
const peakRss = (pid: number | undefined): number | undefined => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return m === null ? undefined : Number(m[1])
  } catch {
    return undefined
  }
}

const health = async (file: BenchFile): Promise<HealthResult> => {
  const dir = mkdtempSync(join(os.tmpdir(), "verzuimregie-absence-health-"))
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined
  try {
    const loadBefore = load()
    const target: Target = { _tag: "sqlite", file: join(dir, "verzuimregie.db") }
    const prepared = await runChild({ step: "prepare", target, brin: BRIN })
    const port = await freePort()
    gateway = await startGateway(dir, port)
    await getHealth(port)
    await gateway.loopDelay()
    const idle = latencyStats(await probe(port, new Promise((r) => setTimeout(r, IDLE_MS))))
    const idleLoop = await gateway.loopDelay()
    const started = performance.now()
    const upload = uploadFile(port, prepared.token as string, prepared.schoolId as string, file)
    const busy = latencyStats(await probe(port, upload))
    const { status, body } = await upload
    const importMs = performance.now() - started
    if (status !== 200 && status !== 201)
      throw new Error(`POST /absence/imports answered ${status}: ${body.slice(0, 2000)}`)
    const busyLoop = await gateway.loopDelay()
    return {
      idle,
      idleLoop,
      busy,
      busyLoop,
      importMs,
      gatewayRssKb: peakRss(gateway.pid),
      load: `${loadBefore} / ${load()}`,
    }
  } finally {
    await gateway?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const healthTable = (h: HealthResult): Array<string> => {
  const ms = (n: number) => `${n.toFixed(1)} ms`
  const row = (label: string, s: HealthResult["idle"], loop: LoopDelay) =>
    `| ${label} | ${s.probes} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(loop.p99)} | ${ms(loop.max)} |`
  return [
    `**GET /health every ${PROBE_MS} ms, gateway in its own process** (load before / after: ${h.load})`,
    "",
    "| phase | probes | p50 | p99 | max | gateway loop delay p99 | loop delay max |",
    "| ----- | -----: | --: | --: | --: | ---------------------: | -------------: |",
    row(`idle (${IDLE_MS / 1000} s)`, h.idle, h.idleLoop),
    row(`during the upload and import (${sec(h.importMs)})`, h.busy, h.busyLoop),
    "",
    `Goal p99 ≤ 100 ms during the import: ${h.busy.p99 <= 100 ? "met" : "NOT met"}. Gateway peak RSS: ${h.gatewayRssKb === undefined ? "?" : mb(h.gatewayRssKb)}.`,
    "",
  ]
}

// --- 4: classification -----------------------------------------------------------------------

const signals = async (): Promise<Array<string>> => {
  const domain = join(ROOT, "packages/domain")
  const bench = join(domain, "bench/signals.bench.ts")
  if (!existsSync(bench)) return ["(packages/domain/bench/signals.bench.ts is not there)", ""]
  const child = spawn(process.execPath, ["--import", "tsx", bench], {
    cwd: domain,
    stdio: ["ignore", "pipe", "pipe"],
    env: process.env,
  })
  let out = ""
  let err = ""
  child.stdout.on("data", (d) => {
    out += String(d)
  })
  child.stderr.on("data", (d) => {
    err += String(d)
  })
  const [code] = (await once(child, "exit")) as [number | null]
  if (code !== 0) throw new Error(`signals bench failed (exit ${code}):\n${err.slice(-3000)}`)
  return [
    `**Classification** (\`packages/domain/bench/signals.bench.ts\`, load ${load()}):`,
    "",
    out.trim(),
    "",
  ]
}

// --- docs ----------------------------------------------------------------------------------------

/** Replaces the section `heading` (up to the next heading of its level or higher) of `file`, or appends it. */
const replaceSection = (file: string, heading: string, body: ReadonlyArray<string>) => {
  const text = existsSync(file) ? readFileSync(file, "utf8") : ""
  const level = /^#+/.exec(heading)?.[0].length ?? 2
  const lines = text.split("\n")
  const start = lines.findIndex((l) => l.trim() === heading)
  const section = [heading, "", ...body]
  if (start === -1) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section.join("\n").trimEnd()}\n`)
    return
  }
  let end = lines.length
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(#+) /.exec(lines[i] as string)
    if (m !== null && (m[1] as string).length <= level) {
      end = i
      break
    }
  }
  const next = [
    ...lines.slice(0, start),
    ...section.join("\n").trimEnd().split("\n"),
    "",
    ...lines.slice(end),
  ]
  writeFileSync(file, `${next.join("\n").trimEnd()}\n`)
}

// --- main ----------------------------------------------------------------------------------------

const run = async () => {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: pnpm turbo run build --filter=@verzuimregie/gateway...`)
  const startedAt = new Date()
  const file = await benchFile()
  const out: Array<string> = [
    `Measured ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? "?"}), Node ${process.version}, load at start ${load()}.`,
    `File: ${en(file.rows)} rows of ${en(file.pupils)} pupils, school year ${file.period.from} – ${file.period.to}, Magister export (\`;\`, Windows-1252, CRLF), ${(file.bytes / 1024 / 1024).toFixed(1)} MiB, ${GENERATOR === "dense" ? "dense generator (bench/support/absence-csv.ts: every pupil absent on a quarter of the school days)" : "the reader's sample generator (`Samples.schoolYearChunks`, the domain's absence profiles)"}, read with the shipped mapping \`magister\`.`,
    "",
  ]
  /** The import against the bare baseline on one database; the goals are judged on SQLite's. */
  const importPart = async (kind: "sqlite" | "pg", name: string) => {
    log(`${kind}: ${RUNS} interleaved runs each`)
    out.push(
      ...compareTable(
        `Import into ${name} vs the bare baseline (${RUNS} runs each, interleaved)`,
        await compare(kind, file),
        kind === "sqlite",
      ),
    )
  }
  if (PARTS.has("sqlite")) await importPart("sqlite", "SQLite")
  if (PARTS.has("health")) {
    log("health: gateway, idle then upload")
    out.push(...healthTable(await health(file)))
  }
  if (PARTS.has("pg")) await importPart("pg", "PostgreSQL")
  if (PARTS.has("signals")) {
    log("signals: packages/domain/bench/signals.bench.ts")
    out.push(...(await signals()))
  }
  out.push(`Load at the end: ${load()}.`)
  process.stdout.write(`\n${out.join("\n")}\n`)
  if (WRITE_DOCS) {
    const command = "pnpm bench:absence"
    const body = [
      `Command: \`${command}\` (\`apps/gateway/bench/absence.bench.ts\`; \`ROWS=100000\` for a quick run). What it compares is described in the bench's header and in [absence.md](absence.md#prestaties).`,
      "",
      ...out,
    ]
    replaceSection(join(ROOT, "docs/performance.md"), "## Absence import and signals", body)
    log("docs/performance.md: section 'Absence import and signals' written")
  }
  agent.destroy()
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
  agent.destroy()
})
