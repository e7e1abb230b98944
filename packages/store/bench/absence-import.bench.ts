/**
 * Absence import benchmark at the store's level: 1 000 000 generated absence rows (20 000 pupils,
 * a school year of weekdays) through `AbsenceStore.replacePeriod`, against a bare baseline: the
 * same rows inserted into the same table (same indexes, same pragmas) with one better-sqlite3
 * prepared statement per row, in one transaction. Both generate their rows batch by batch with the
 * same generator, so generation costs both the same. Contenders take turns (baseline, store,
 * baseline, store, …), each on a fresh database, and the medians of the runs are reported, with the
 * event-loop delay during the store's imports (what a `/health` request would wait at most).
 *
 * On PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL): the store against the bare `pg` client
 * doing the same `unnest` batches, in one transaction.
 *
 *   pnpm --filter @verzuimregie/store bench:absence
 *   BENCH_ROWS=200000 BENCH_RUNS=5 pnpm --filter @verzuimregie/store bench:absence
 *
 * Not a test: it asserts nothing and is not part of `pnpm test`.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { Ids, type LocalDate } from "@verzuimregie/domain"
import Sqlite from "better-sqlite3"
import { Effect, ManagedRuntime } from "effect"
import pg from "pg"
import { AbsenceStore, absenceMigration, noSignalChanges, type StoredAbsence } from "../src/AbsenceStore.js"
import * as Database from "../src/Database.js"
import * as Store from "../src/Store.js"
import { uniqueSchemaName } from "../src/Testing.js"

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const PUPILS = 20_000
/** Rows per `sink.insert`, as a reader hands them over. */
const BATCH = 5_000
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
const SCHOOL = Ids.newId.organisation()
const IMPORT = "imp_bench" as Ids.AbsenceImportId
const PERIOD = { from: "2025-08-18" as LocalDate.LocalDate, to: "2026-07-17" as LocalDate.LocalDate }

const weekdays: ReadonlyArray<LocalDate.LocalDate> = (() => {
  const out: Array<LocalDate.LocalDate> = []
  for (let t = Date.parse(PERIOD.from); t <= Date.parse(PERIOD.to); t += 86_400_000) {
    const d = new Date(t)
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6)
      out.push(d.toISOString().slice(0, 10) as LocalDate.LocalDate)
  }
  return out
})()

const KINDS = [
  ["ongeoorloofd", false, "O"],
  ["geoorloofd", true, "AFS"],
  ["ziek", true, "Z"],
  ["te-laat", false, "TL"],
] as const

/** Rows `start` to `start + n`: pupil by pupil, each pupil's days spread over the year. */
const generate = (start: number, n: number): Array<StoredAbsence> => {
  const perPupil = Math.ceil(ROWS / PUPILS)
  const out = new Array<StoredAbsence>(n)
  for (let i = 0; i < n; i++) {
    const index = start + i
    const pupil = Math.floor(index / perPupil)
    const nth = index % perPupil
    const [kind, authorised, code] = KINDS[(pupil + nth) % KINDS.length] as (typeof KINDS)[number]
    out[i] = {
      pupilNumber: String(100_000 + pupil),
      date: weekdays[(nth * 3 + pupil) % weekdays.length] as LocalDate.LocalDate,
      kind,
      authorised,
      minutes: kind === "te-laat" ? 10 : 50 * (1 + (index % 3)),
      code,
    }
  }
  return out
}

const pupilsOf = (rows: ReadonlyArray<StoredAbsence>) => {
  const seen = new Set<string>()
  const out: Array<{ pupilNumber: string; name: string; birthDate: LocalDate.LocalDate }> = []
  for (const row of rows) {
    if (seen.has(row.pupilNumber)) continue
    seen.add(row.pupilNumber)
    out.push({
      pupilNumber: row.pupilNumber,
      name: `Leerling ${row.pupilNumber}`,
      birthDate: "2012-03-04" as LocalDate.LocalDate,
    })
  }
  return out
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

interface Run {
  readonly ms: number
  /** CPU time of this process (user + system): steadier than wall time on a busy machine. */
  readonly cpuMs: number
  /** Event-loop delay during the run: p99 and max, in ms. */
  readonly loopP99: number
  readonly loopMax: number
  readonly rssMb: number
}

const measure = async (body: () => Promise<void>): Promise<Run> => {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  histogram.enable()
  const started = performance.now()
  const cpu = process.cpuUsage()
  await body()
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  histogram.disable()
  clearInterval(sampler)
  return {
    ms,
    cpuMs,
    loopP99: histogram.percentile(99) / 1e6,
    loopMax: histogram.max / 1e6,
    rssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
  }
}

// --- SQLite ---------------------------------------------------------------------------------

const sqliteBaseline = async (dir: string, run: number): Promise<Run> => {
  const filename = Path.join(dir, `baseline-${run}.db`)
  const db = new Sqlite(filename)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = FULL")
  db.pragma("foreign_keys = ON")
  // The same table and indexes as migration 21.
  for (const statement of absenceMigration.sqlite.filter((s) => /absence_records/.test(s))) db.exec(statement)
  const insert = db.prepare(
    "INSERT INTO absence_records (school_id, pupil_number, date, kind, authorised, minutes, code, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  )
  try {
    return await measure(async () => {
      db.exec("BEGIN IMMEDIATE")
      for (let start = 0; start < ROWS; start += BATCH) {
        for (const row of generate(start, Math.min(BATCH, ROWS - start)))
          insert.run(
            SCHOOL,
            row.pupilNumber,
            row.date,
            row.kind,
            row.authorised ? 1 : 0,
            row.minutes,
            row.code,
            IMPORT,
          )
      }
      db.exec("COMMIT")
    })
  } finally {
    db.close()
  }
}

/** Per store run: the time from the last batch to the commit, and reading the year back per pupil. */
const storeExtras: Array<{ commitMs: number; readMs: number }> = []

/**
 * Imports through the store; on the last run also reads the year back (after the import was
 * measured, so the million records read do not inflate the next run's RSS).
 */
const storeImport = async (runtime: ManagedRuntime.ManagedRuntime<Store.Services, unknown>, run: number) => {
  let filledAt = 0
  const result = await measure(() =>
    runtime
      .runPromise(
        Effect.flatMap(AbsenceStore, (store) =>
          store.replacePeriod(
            {
              importId: Ids.newId.absenceImport(),
              schoolId: SCHOOL,
              regionId: Ids.RegionId.make("westland"),
              period: PERIOD,
              by: Ids.newId.user(),
              mapping: "benchmark",
              format: "csv",
            },
            (sink) =>
              Effect.gen(function* () {
                for (let start = 0; start < ROWS; start += BATCH) {
                  const rows = generate(start, Math.min(BATCH, ROWS - start))
                  yield* sink.insert(rows, pupilsOf(rows))
                }
                filledAt = performance.now()
              }),
            () => Effect.succeed(noSignalChanges),
          ),
        ),
      )
      .then((result) => {
        if (result.summary.inserted !== ROWS)
          throw new Error(`inserted ${result.summary.inserted}, expected ${ROWS}`)
      }),
  )
  const commitMs = performance.now() - filledAt
  if (run < RUNS - 1) {
    storeExtras.push({ commitMs, readMs: Number.NaN })
    return result
  }
  const readStarted = performance.now()
  const byPupil = await runtime.runPromise(
    Effect.flatMap(AbsenceStore, (store) => store.recordsOfSchool(SCHOOL, PERIOD.from, PERIOD.to)),
  )
  const readMs = performance.now() - readStarted
  if (byPupil.size !== Math.min(PUPILS, ROWS)) throw new Error(`read ${byPupil.size} pupils`)
  storeExtras.push({ commitMs, readMs })
  return result
}

const sqliteStore = async (dir: string, run: number): Promise<Run> => {
  const runtime = ManagedRuntime.make(Store.layer(Database.sqlite(Path.join(dir, `store-${run}.db`))))
  try {
    await runtime.runtime()
    return await storeImport(runtime, run)
  } finally {
    await runtime.dispose()
  }
}

// --- PostgreSQL -----------------------------------------------------------------------------

const pgBaseline = async (url: string, run: number): Promise<Run> => {
  const schema = uniqueSchemaName(`bench_absence_${run}`)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`CREATE SCHEMA "${schema}"`)
    await client.query(`SET search_path TO "${schema}"`)
    for (const statement of absenceMigration.pg.filter((s) => /absence_records/.test(s)))
      await client.query(statement)
    return await measure(async () => {
      await client.query("BEGIN")
      for (let start = 0; start < ROWS; start += BATCH) {
        const rows = generate(start, Math.min(BATCH, ROWS - start))
        await client.query(
          `INSERT INTO absence_records (school_id, pupil_number, date, kind, authorised, minutes, code, import_id)
           SELECT $1, u.*, $2 FROM unnest($3::text[], $4::date[], $5::text[], $6::boolean[], $7::integer[], $8::text[]) AS u`,
          [
            SCHOOL,
            IMPORT,
            rows.map((r) => r.pupilNumber),
            rows.map((r) => r.date),
            rows.map((r) => r.kind),
            rows.map((r) => r.authorised),
            rows.map((r) => r.minutes),
            rows.map((r) => r.code),
          ],
        )
      }
      await client.query("COMMIT")
    })
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await client.end()
  }
}

const pgStore = async (url: string, run: number): Promise<Run> => {
  const schema = uniqueSchemaName(`bench_absence_store_${run}`)
  const runtime = ManagedRuntime.make(Store.layer(Database.postgres(url, { schema, maxConnections: 2 })))
  try {
    await runtime.runtime()
    return await storeImport(runtime, run)
  } finally {
    await runtime.dispose()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await client.end()
  }
}

// --- report ---------------------------------------------------------------------------------

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`

const compare = async (
  backend: string,
  baseline: (run: number) => Promise<Run>,
  store: (run: number) => Promise<Run>,
) => {
  const base: Array<Run> = []
  const ours: Array<Run> = []
  for (let run = 0; run < RUNS; run++) {
    const b = await baseline(run)
    const s = await store(run)
    base.push(b)
    ours.push(s)
    const extra = storeExtras[storeExtras.length - 1]
    console.log(
      `${backend} run ${run + 1}: baseline ${fmt(b.ms)} (cpu ${fmt(b.cpuMs)}), store ${fmt(s.ms)} (cpu ${fmt(s.cpuMs)}; last batch to commit ${fmt(extra?.commitMs ?? 0)}; event-loop delay p99 ${s.loopP99.toFixed(1)} ms, max ${s.loopMax.toFixed(1)} ms; rss ${Math.round(s.rssMb)} MB); ${Number.isNaN(extra?.readMs) ? "" : `; recordsOfSchool of the year ${fmt(extra?.readMs ?? 0)}`}`,
    )
  }
  const b = median(base.map((r) => r.ms))
  const s = median(ours.map((r) => r.ms))
  const bCpu = median(base.map((r) => r.cpuMs))
  const sCpu = median(ours.map((r) => r.cpuMs))
  return {
    backend,
    baseline: b,
    store: s,
    ratio: s / b,
    cpu: `${fmt(bCpu)} / ${fmt(sCpu)} = ${(sCpu / bCpu).toFixed(2)}×`,
    rowsPerSecond: ROWS / (s / 1000),
    loopP99: median(ours.map((r) => r.loopP99)),
    loopMax: Math.max(...ours.map((r) => r.loopMax)),
    rssMb: Math.max(...ours.map((r) => r.rssMb)),
  }
}

const main = async () => {
  console.log(
    `absence import: ${ROWS.toLocaleString("en")} rows, ${PUPILS.toLocaleString("en")} pupils, batches of ${BATCH}, ${RUNS} interleaved runs per contender (medians)`,
  )
  const results = []
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-absence-bench-"))
  try {
    results.push(
      await compare(
        "SQLite",
        (run) => sqliteBaseline(dir, run),
        (run) => sqliteStore(dir, run),
      ),
    )
  } finally {
    Fs.rmSync(dir, { recursive: true, force: true })
  }
  if (pgUrl !== undefined) {
    results.push(
      await compare(
        "PostgreSQL",
        (run) => pgBaseline(pgUrl, run),
        (run) => pgStore(pgUrl, run),
      ),
    )
  } else console.log("PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL")
  console.log("")
  console.log(
    "| backend | baseline (wall) | store (wall) | ratio (wall) | CPU time baseline / store | rows/s (store) | event-loop delay p99 / max | peak RSS |",
  )
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |")
  for (const r of results)
    console.log(
      `| ${r.backend} | ${fmt(r.baseline)} | ${fmt(r.store)} | ${r.ratio.toFixed(2)}× | ${r.cpu} | ${Math.round(r.rowsPerSecond).toLocaleString("en")} | ${r.loopP99.toFixed(1)} / ${r.loopMax.toFixed(1)} ms | ${Math.round(r.rssMb)} MB |`,
    )
  console.log(`peak RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB at the end`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
