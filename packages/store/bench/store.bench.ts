/**
 * Store benchmark: events appended per second and case-read latency (p50/p99), through the store
 * and with the bare driver doing the same work in the same run, on SQLite and (when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set) PostgreSQL.
 *
 * The bare-driver baseline does what an append must do, without Effect, schema validation or the
 * store's extras: in one transaction read the projection, fold the event with `Case.evolve`, insert
 * the event, update the projection row and its open actions. A read is one SELECT and JSON.parse.
 * The two contenders work on separate, identical databases and take turns in short slices, so
 * both see the same machine (a shared disk's fsync time varies a lot from minute to minute).
 *
 *   pnpm --filter @verzuimregie/store bench            # SQLite (and PostgreSQL if the URL is set)
 *   BENCH_CASES=400 BENCH_READS=5000 pnpm --filter @verzuimregie/store bench
 *
 * Not a test: it asserts nothing and is not part of `pnpm test`.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { Case, type CaseEvent, type Ids } from "@verzuimregie/domain"
import { makeGenerator, sampleRegionIds } from "@verzuimregie/domain/sample"
import Sqlite from "better-sqlite3"
import { Either, ManagedRuntime } from "effect"
import pg from "pg"
import { CaseStore } from "../src/CaseStore.js"
import * as Database from "../src/Database.js"
import { columnsOf, openActionIds, openActionRows } from "../src/internal/projection.js"
import * as Store from "../src/Store.js"

const CASES = Number(process.env.BENCH_CASES ?? 200)
const READS = Number(process.env.BENCH_READS ?? 3000)
const SLICES = 10
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
const regions = sampleRegionIds as unknown as ReadonlyArray<Ids.RegionId>

interface History {
  readonly caseId: Ids.CaseId
  readonly events: ReadonlyArray<CaseEvent.CaseEvent>
}

interface AppendOp {
  readonly caseId: Ids.CaseId
  readonly event: CaseEvent.CaseEvent
  /** The version the case is at before this event. */
  readonly version: number
}

interface Contender {
  readonly append: (op: AppendOp) => Promise<void>
  readonly read: (caseId: Ids.CaseId) => Promise<unknown>
  readonly close: () => Promise<void>
}

/** The same synthetic histories for every run and both contenders. */
const histories = (): ReadonlyArray<History> => [...makeGenerator(2026).cases(CASES, { absenceWeeks: 2 })]

/** Every event after the first, cases interleaved (a busy region, not one case at a time). */
const appendOrder = (all: ReadonlyArray<History>): ReadonlyArray<AppendOp> => {
  const out: Array<AppendOp> = []
  const longest = Math.max(...all.map((h) => h.events.length))
  for (let i = 1; i < longest; i++) {
    for (const h of all) {
      const event = h.events[i]
      if (event !== undefined) out.push({ caseId: h.caseId, event, version: i })
    }
  }
  return out
}

const readIds = (all: ReadonlyArray<History>): ReadonlyArray<Ids.CaseId> => {
  let state = 42
  return Array.from({ length: READS }, () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return all[state % all.length]?.caseId as Ids.CaseId
  })
}

const slices = <A>(items: ReadonlyArray<A>): ReadonlyArray<ReadonlyArray<A>> => {
  const size = Math.ceil(items.length / SLICES)
  return Array.from({ length: SLICES }, (_, i) => items.slice(i * size, (i + 1) * size))
}

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

const firstEvent = (h: History) => {
  const [first] = h.events
  if (first?._tag !== "ReferralReceived") throw new Error("a history starts with its referral")
  return first
}

// ------------------------------------------------------------------------------------ the store

const storeContender = async (
  config: Database.DatabaseConfig,
  all: ReadonlyArray<History>,
): Promise<Contender> => {
  const runtime = ManagedRuntime.make(Store.layer(config))
  const store = await runtime.runPromise(CaseStore)
  for (const h of all)
    await runtime.runPromise(store.create({ caseId: h.caseId, referral: firstEvent(h), regions }))
  return {
    append: async ({ caseId, event, version }) => {
      await runtime.runPromise(store.append({ caseId, expectedVersion: version, events: [event], regions }))
    },
    read: (caseId) => runtime.runPromise(store.get(caseId, { regions })),
    close: () => runtime.dispose(),
  }
}

// ---------------------------------------------------------------------------- the bare drivers

const projectionColumns = (all: ReadonlyArray<History>): ReadonlyArray<string> => {
  const first = all[0]
  if (first === undefined) throw new Error("no cases")
  const state = Case.start(first.caseId, firstEvent(first))
  return [...Object.keys(columnsOf(state)), "state", "updated_at"]
}

const projectionValues = (state: Case.CaseState, at: string, sqlite: boolean): Array<unknown> => {
  const c = columnsOf(state)
  const offer = c.fitting_offer === null ? null : sqlite ? Number(c.fitting_offer) : c.fitting_offer
  return [...Object.values({ ...c, fitting_offer: offer }), JSON.stringify(state), at]
}

const nextState = (previous: Case.CaseState | undefined, op: AppendOp): Case.CaseState => {
  if (previous === undefined) {
    if (op.event._tag !== "ReferralReceived") throw new Error("first event must be the referral")
    return Case.start(op.caseId, op.event)
  }
  return Either.getOrThrow(Case.evolve(previous, op.event))
}

let eventCounter = 0
const eventId = () => `evt_bench${String(eventCounter++).padStart(12, "0")}`

const bareSqliteContender = async (filename: string, all: ReadonlyArray<History>): Promise<Contender> => {
  const db = new Sqlite(filename)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = FULL")
  db.pragma("foreign_keys = ON")
  const names = projectionColumns(all)
  const rest = names.filter((n) => n !== "case_id")
  const insertCase = db.prepare(
    `INSERT INTO cases (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`,
  )
  const updateCase = db.prepare(
    `UPDATE cases SET ${rest.map((n) => `${n} = ?`).join(", ")} WHERE case_id = ?`,
  )
  const selectCase = db.prepare("SELECT version, state FROM cases WHERE case_id = ?")
  const insertEvent = db.prepare(
    `INSERT INTO case_events (event_id, case_id, version, region_id, tag, at, by_user_id, recorded_at, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertAction = db.prepare(
    "INSERT INTO open_actions (case_id, action_id, region_id, owner_user_id, due_on, action) VALUES (?, ?, ?, ?, ?, ?)",
  )
  const deleteAction = db.prepare("DELETE FROM open_actions WHERE case_id = ? AND action_id = ?")
  const readCase = db.prepare(
    `SELECT state FROM cases WHERE case_id = ? AND region_id IN (${regions.map(() => "?").join(", ")})`,
  )
  const append = db.transaction((op: AppendOp) => {
    const at = new Date().toISOString()
    const row = selectCase.get(op.caseId) as { version: number; state: string } | undefined
    if ((row?.version ?? 0) !== op.version) throw new Error("version conflict")
    const previous = row === undefined ? undefined : (JSON.parse(row.state) as Case.CaseState)
    const next = nextState(previous, op)
    const values = projectionValues(next, at, true)
    if (previous === undefined) insertCase.run(...values)
    else updateCase.run(...values.slice(1), op.caseId)
    const e = op.event
    insertEvent.run(
      eventId(),
      op.caseId,
      next.version,
      next.regionId,
      e._tag,
      e.at,
      e.by.userId ?? null,
      at,
      JSON.stringify(e),
    )
    const before = openActionIds(previous)
    const after = openActionRows(next)
    for (const a of after) {
      if (!before.has(a.action_id)) {
        insertAction.run(a.case_id, a.action_id, a.region_id, a.owner_user_id, a.due_on, a.action)
      }
    }
    const open = new Set(after.map((a) => a.action_id))
    for (const id of before) if (!open.has(id)) deleteAction.run(op.caseId, id)
  })
  for (const h of all) append.immediate({ caseId: h.caseId, event: firstEvent(h), version: 0 })
  return {
    append: async (op) => {
      append.immediate(op)
    },
    read: async (caseId) => JSON.parse((readCase.get(caseId, ...regions) as { state: string }).state),
    close: async () => {
      db.close()
    },
  }
}

const barePgContender = async (
  url: string,
  schema: string,
  all: ReadonlyArray<History>,
): Promise<Contender> => {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    options: `-c search_path=${schema} -c TimeZone=UTC`,
  })
  const names = projectionColumns(all)
  const rest = names.filter((n) => n !== "case_id")
  const insertCase = `INSERT INTO cases (${names.join(", ")}) VALUES (${names.map((_, i) => `$${i + 1}`).join(", ")})`
  const updateCase = `UPDATE cases SET ${rest.map((n, i) => `${n} = $${i + 1}`).join(", ")} WHERE case_id = $${rest.length + 1}`
  const append = async (op: AppendOp) => {
    const client = await pool.connect()
    try {
      await client.query("BEGIN")
      const at = new Date().toISOString()
      const { rows } = await client.query("SELECT version, state FROM cases WHERE case_id = $1 FOR UPDATE", [
        op.caseId,
      ])
      const row = rows[0] as { version: number; state: Case.CaseState } | undefined
      if ((row?.version ?? 0) !== op.version) throw new Error("version conflict")
      const previous = row?.state
      const next = nextState(previous, op)
      const values = projectionValues(next, at, false)
      if (previous === undefined) await client.query(insertCase, values)
      else await client.query(updateCase, [...values.slice(1), op.caseId])
      const e = op.event
      await client.query(
        `INSERT INTO case_events (event_id, case_id, version, region_id, tag, at, by_user_id, recorded_at, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          eventId(),
          op.caseId,
          next.version,
          next.regionId,
          e._tag,
          e.at,
          e.by.userId ?? null,
          at,
          JSON.stringify(e),
        ],
      )
      const before = openActionIds(previous)
      const after = openActionRows(next)
      for (const a of after) {
        if (before.has(a.action_id)) continue
        await client.query(
          "INSERT INTO open_actions (case_id, action_id, region_id, owner_user_id, due_on, action) VALUES ($1, $2, $3, $4, $5, $6)",
          [a.case_id, a.action_id, a.region_id, a.owner_user_id, a.due_on, a.action],
        )
      }
      const open = new Set(after.map((a) => a.action_id))
      for (const id of before) {
        if (!open.has(id))
          await client.query("DELETE FROM open_actions WHERE case_id = $1 AND action_id = $2", [
            op.caseId,
            id,
          ])
      }
      await client.query("COMMIT")
    } catch (error) {
      await client.query("ROLLBACK")
      throw error
    } finally {
      client.release()
    }
  }
  for (const h of all) await append({ caseId: h.caseId, event: firstEvent(h), version: 0 })
  return {
    append,
    read: async (caseId) => {
      const { rows } = await pool.query(
        "SELECT state FROM cases WHERE case_id = $1 AND region_id = ANY($2)",
        [caseId, regions],
      )
      return rows[0]?.state
    },
    close: () => pool.end(),
  }
}

// ------------------------------------------------------------------------------------- running

interface Figures {
  readonly appendsPerSecond: number
  readonly readP50Ms: number
  readonly readP99Ms: number
}

/** Both contenders, slice by slice in turns: appends first, then reads (after a warm-up). */
const race = async (
  store: Contender,
  bare: Contender,
  all: ReadonlyArray<History>,
): Promise<{ store: Figures; bare: Figures }> => {
  const contenders = [store, bare] as const
  const appendMs = [0, 0]
  const order = appendOrder(all)
  for (const slice of slices(order)) {
    for (const [i, contender] of contenders.entries()) {
      const start = performance.now()
      for (const op of slice) await contender.append(op)
      appendMs[i] = (appendMs[i] ?? 0) + performance.now() - start
    }
  }
  const ids = readIds(all)
  for (const contender of contenders) for (const id of ids.slice(0, 200)) await contender.read(id)
  const samples: [Array<number>, Array<number>] = [[], []]
  for (const slice of slices(ids)) {
    for (const [i, contender] of contenders.entries()) {
      for (const id of slice) {
        const start = process.hrtime.bigint()
        await contender.read(id)
        samples[i]?.push(Number(process.hrtime.bigint() - start) / 1e6)
      }
    }
  }
  const figures = (i: 0 | 1): Figures => {
    const sorted = [...samples[i]].sort((a, b) => a - b)
    return {
      appendsPerSecond: order.length / ((appendMs[i] ?? 1) / 1000),
      readP50Ms: percentile(sorted, 50),
      readP99Ms: percentile(sorted, 99),
    }
  }
  return { store: figures(0), bare: figures(1) }
}

/** An empty database with the store's schema (migrations run by opening it). */
const prepare = async (config: Database.DatabaseConfig) => {
  const runtime = ManagedRuntime.make(Database.layer(config))
  await runtime.runtime()
  await runtime.dispose()
}

const line = (backend: string, what: string, store: string, bare: string, ratio: string) =>
  `${backend.padEnd(11)}${what.padEnd(22)}${store.padStart(14)}${bare.padStart(14)}${ratio.padStart(9)}`

const report = (backend: string, { store, bare }: { store: Figures; bare: Figures }) => {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`
  console.log(
    line(
      backend,
      "appends per second",
      `${store.appendsPerSecond.toFixed(0)}/s`,
      `${bare.appendsPerSecond.toFixed(0)}/s`,
      ratio(store.appendsPerSecond, bare.appendsPerSecond),
    ),
  )
  const ms = (n: number) => `${n.toFixed(3)} ms`
  console.log(
    line(
      backend,
      "case read p50",
      ms(store.readP50Ms),
      ms(bare.readP50Ms),
      ratio(store.readP50Ms, bare.readP50Ms),
    ),
  )
  console.log(
    line(
      backend,
      "case read p99",
      ms(store.readP99Ms),
      ms(bare.readP99Ms),
      ratio(store.readP99Ms, bare.readP99Ms),
    ),
  )
}

const main = async () => {
  const all = histories()
  const events = all.reduce((n, h) => n + h.events.length, 0)
  const cpus = Os.cpus()
  console.log(
    `verzuimregie store benchmark: ${CASES} cases, ${events - CASES} timed appends (1 event each), ${READS} reads`,
  )
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "?"}), node ${process.version}, ${Os.platform()}`,
  )
  console.log("ratio = store / bare driver: for appends per second higher is better, for read latency lower")
  console.log("")
  console.log(line("backend", "operation", "store", "bare driver", "ratio"))

  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-bench-"))
  try {
    const storeFile = Path.join(dir, "store.db")
    const bareFile = Path.join(dir, "bare.db")
    await prepare(Database.sqlite(storeFile))
    await prepare(Database.sqlite(bareFile))
    const store = await storeContender(Database.sqlite(storeFile), all)
    const bare = await bareSqliteContender(bareFile, all)
    try {
      report("sqlite", await race(store, bare, all))
    } finally {
      await store.close()
      await bare.close()
    }
  } finally {
    Fs.rmSync(dir, { recursive: true, force: true })
  }

  if (pgUrl === undefined) {
    console.log("postgresql skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it")
    return
  }
  const suffix = `${Date.now().toString(36)}_${process.pid}`
  const storeSchema = `bench_store_${suffix}`
  const bareSchema = `bench_bare_${suffix}`
  try {
    await prepare(Database.postgres(pgUrl, { schema: storeSchema }))
    await prepare(Database.postgres(pgUrl, { schema: bareSchema }))
    const store = await storeContender(
      Database.postgres(pgUrl, { schema: storeSchema, maxConnections: 4 }),
      all,
    )
    const bare = await barePgContender(pgUrl, bareSchema, all)
    try {
      report("postgresql", await race(store, bare, all))
    } finally {
      await store.close()
      await bare.close()
    }
  } finally {
    const client = new pg.Client({ connectionString: pgUrl })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${storeSchema} CASCADE`)
    await client.query(`DROP SCHEMA IF EXISTS ${bareSchema} CASCADE`)
    await client.end()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
