/**
 * The two backends every suite runs against. SQLite always (a fresh file in a temp folder);
 * PostgreSQL when TEST_DATABASE_URL is set (a fresh schema, dropped afterwards). Without it the
 * PostgreSQL suites are skipped, and say so.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import Sqlite from "better-sqlite3"
import { Effect, Layer, ManagedRuntime } from "effect"
import pg from "pg"
import { afterAll, beforeAll } from "vitest"
import * as Database from "../../src/Database.js"
import * as Store from "../../src/Store.js"
import { skipPostgres, testDatabaseUrl, uniqueSchemaName } from "../../src/Testing.js"

export const pgUrl = testDatabaseUrl

export type BackendName = "sqlite" | "pg"

export const BACKENDS: ReadonlyArray<BackendName> = ["sqlite", "pg"]

/** True when the backend cannot run here; says why (once per file) for PostgreSQL. */
export const skip = (backend: BackendName): boolean => backend === "pg" && skipPostgres("store")

export interface Fresh {
  readonly config: Database.DatabaseConfig
  /** For a second, independent client on the same database. */
  readonly again: () => Database.DatabaseConfig
  readonly cleanup: () => Promise<void>
}

export const tempDir = (): string => Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-store-"))

/** A new, empty database of the backend: its own SQLite file or its own PostgreSQL schema. */
export const fresh = (backend: BackendName): Fresh => {
  if (backend === "sqlite") {
    const dir = tempDir()
    const filename = Path.join(dir, "test.db")
    return {
      config: Database.sqlite(filename),
      again: () => Database.sqlite(filename),
      cleanup: async () => Fs.rmSync(dir, { recursive: true, force: true }),
    }
  }
  if (pgUrl === undefined) throw new Error("TEST_DATABASE_URL is not set")
  const schema = uniqueSchemaName("t")
  return {
    config: Database.postgres(pgUrl, { schema, maxConnections: 4 }),
    again: () => Database.postgres(pgUrl, { schema, maxConnections: 4 }),
    cleanup: () => dropSchema(schema),
  }
}

export const dropSchema = async (schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

// biome-ignore lint/suspicious/noExplicitAny: rows of ad-hoc test SQL, read field by field in the tests
type RawRow = Record<string, any>

/** Runs raw SQL against the test database with the bare driver (to tamper, or to look). */
export const rawSql = async (
  fresh: Fresh,
  text: string,
  params: ReadonlyArray<unknown> = [],
): Promise<Array<RawRow>> => {
  const config = fresh.config
  if (config._tag === "sqlite") {
    const db = new Sqlite(config.filename)
    try {
      const statement = db.prepare(text)
      if (statement.reader) return statement.all(...params) as Array<RawRow>
      statement.run(...params)
      return []
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: pgUrl, types: rawTypes })
  await client.connect()
  try {
    await client.query(`SET search_path TO "${config.schema}"`)
    const result = await client.query(text, params as Array<unknown>)
    return result.rows
  } finally {
    await client.end()
  }
}

/** Dates as `YYYY-MM-DD` text, like SQLite gives them. */
const rawTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 1082
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
}

export type StoreRuntime = ManagedRuntime.ManagedRuntime<
  Store.Services | Database.Database,
  Database.DatabaseUnavailable
>

export interface Suite {
  readonly fresh: Fresh
  readonly runtime: StoreRuntime
  /** Runs an effect against the suite's store. */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Store.Services | Database.Database>) => Promise<A>
  /** A second store on the same database, with its own connection(s). */
  readonly second: () => StoreRuntime
}

/**
 * One database for a `describe` block: created before its tests, removed after them.
 *
 * @example
 * describe.each(BACKENDS)("%s", (backend) => { const suite = useStore(backend); it(..., () => suite.run(...)) })
 */
export const useStore = (backend: BackendName): Suite => {
  let current: { fresh: Fresh; runtime: StoreRuntime; extra: Array<StoreRuntime> } | undefined
  beforeAll(async () => {
    if (skip(backend)) return
    const f = fresh(backend)
    const runtime = ManagedRuntime.make(Store.layer(f.config))
    await runtime.runtime()
    current = { fresh: f, runtime, extra: [] }
  })
  afterAll(async () => {
    if (current === undefined) return
    for (const extra of current.extra) await extra.dispose()
    await current.runtime.dispose()
    await current.fresh.cleanup()
  })
  const get = () => {
    if (current === undefined) throw new Error("suite not started")
    return current
  }
  return {
    get fresh() {
      return get().fresh
    },
    get runtime() {
      return get().runtime
    },
    run: (effect) => get().runtime.runPromise(effect),
    second: () => {
      const c = get()
      const runtime = ManagedRuntime.make(Layer.fresh(Store.layer(c.fresh.again())))
      c.extra.push(runtime)
      return runtime
    },
  }
}

export { Effect }

/** A store on a database of its own for one test (for tests that damage it). */
export const withFreshStore = async <A>(
  backend: BackendName,
  body: (context: { readonly fresh: Fresh; readonly runtime: StoreRuntime }) => Promise<A>,
): Promise<A> => {
  const f = fresh(backend)
  const runtime = ManagedRuntime.make(Store.layer(f.config))
  try {
    await runtime.runtime()
    return await body({ fresh: f, runtime })
  } finally {
    await runtime.dispose()
    await f.cleanup()
  }
}

/** Lifts the append-only triggers, as someone with direct database access could. */
export const dropAppendOnlyGuards = async (f: Fresh, table: string): Promise<void> => {
  if (f.config._tag === "pg") {
    await rawSql(f, `ALTER TABLE ${table} DISABLE TRIGGER USER`)
  } else {
    await rawSql(f, `DROP TRIGGER ${table}_no_update`)
    await rawSql(f, `DROP TRIGGER ${table}_no_delete`)
  }
}
