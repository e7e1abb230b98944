/**
 * The database: a SQLite file by default, PostgreSQL when `DATABASE_URL` is a postgres URL.
 * Opening it checks that it is usable and brings the schema up to date; anything that goes wrong
 * on the way is one `DatabaseUnavailable` with a message an operator can act on.
 *
 * @example
 * const StoreLive = Database.layerFromConfig // reads DATABASE_URL / DATA_DIR
 * const TestLive = Database.layer(Database.sqlite("/tmp/test.db"))
 *
 * @since 0.1.0
 */
import * as Path from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Config, Duration, Effect, Either, Layer, Option, Redacted, Schedule, Scope } from "effect"
import {
  DatabaseUnavailable,
  maskUrl,
  pgLayer,
  pgTarget,
  sqliteLayer,
  sqliteTarget,
  unavailable,
} from "./internal/connect.js"
import { Database, type DatabaseService } from "./internal/service.js"
import { isBusy } from "./internal/sql.js"
import * as Migrations from "./Migrations.js"

export type { Dialect } from "./internal/sql.js"
export { Database, type DatabaseService, DatabaseUnavailable, maskUrl }

export const DEFAULT_DATA_DIR = "data"
export const DEFAULT_FILE_NAME = "verzuimregie.db"

export interface SqliteConfig {
  readonly _tag: "sqlite"
  readonly filename: string
  /** How long a write waits for another process's write lock. Default 5 000 ms. */
  readonly busyTimeoutMs?: number | undefined
}

export interface PgConfig {
  readonly _tag: "pg"
  readonly url: Redacted.Redacted<string>
  /** Use (and create) this schema instead of the user's default search path. */
  readonly schema?: string | undefined
  /** Pool size per process. Default 10. */
  readonly maxConnections?: number | undefined
  /** Default 5 000 ms. */
  readonly connectTimeoutMs?: number | undefined
}

export type DatabaseConfig = SqliteConfig | PgConfig

export const sqlite = (
  filename: string,
  options: Omit<SqliteConfig, "_tag" | "filename"> = {},
): SqliteConfig => ({
  _tag: "sqlite",
  filename,
  ...options,
})

export const postgres = (
  url: string | Redacted.Redacted<string>,
  options: Omit<PgConfig, "_tag" | "url"> = {},
): PgConfig => ({
  _tag: "pg",
  url: typeof url === "string" ? Redacted.make(url) : url,
  ...options,
})

/** A human-readable name of the database a config points at (password masked). */
export const describeConfig = (config: DatabaseConfig): string =>
  config._tag === "sqlite"
    ? sqliteTarget(Path.resolve(config.filename))
    : pgTarget(Redacted.value(config.url))

/**
 * Chooses the backend from the environment:
 * - `DATABASE_URL` = `postgres://…` or `postgresql://…` → PostgreSQL;
 * - `DATABASE_URL` = `sqlite:PATH` or `file:PATH` → that SQLite file;
 * - otherwise the SQLite file `verzuimregie.db` in `DATA_DIR` (default `./data`).
 *
 * @example
 * Database.fromEnvironment({ DATA_DIR: "/var/lib/verzuimregie" })
 * // Right({ _tag: "sqlite", filename: "/var/lib/verzuimregie/verzuimregie.db" })
 */
export const fromEnvironment = (env: {
  readonly DATABASE_URL?: string | undefined
  readonly DATA_DIR?: string | undefined
}): Either.Either<DatabaseConfig, DatabaseUnavailable> => {
  const url = env.DATABASE_URL?.trim() ?? ""
  const dataDir = env.DATA_DIR?.trim() || DEFAULT_DATA_DIR
  if (url === "") return Either.right(sqlite(Path.join(dataDir, DEFAULT_FILE_NAME)))
  if (/^postgres(ql)?:\/\//i.test(url)) return Either.right(postgres(url))
  const file = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(url)
  if (file?.[1] !== undefined) return Either.right(sqlite(file[1]))
  return Either.left(
    new DatabaseUnavailable({
      target: `DATABASE_URL ${maskUrl(url)}`,
      stage: "configure",
      reason: "dit soort URL wordt niet ondersteund",
      hint: "gebruik postgres://gebruiker:wachtwoord@host:5432/db voor PostgreSQL of sqlite:/pad/bestand.db voor een SQLite-bestand, of laat DATABASE_URL leeg voor DATA_DIR/verzuimregie.db.",
    }),
  )
}

const sqliteWriteTransaction = (
  sql: SqlClient.SqlClient,
  busyTimeoutMs: number,
): DatabaseService["writeTransaction"] => {
  // The driver blocks the event loop while it waits for a lock, so it waits briefly and we retry
  // asynchronously: other fibers (and another in-process client) keep running meanwhile.
  const retry = Schedule.exponential(Duration.millis(1), 1.6).pipe(
    Schedule.union(Schedule.spaced(Duration.millis(40))),
    Schedule.jittered,
    Schedule.upTo(Duration.millis(busyTimeoutMs)),
  )
  const exec = (conn: Connection, statement: string) => conn.executeUnprepared(statement, [], undefined)
  return SqlClient.makeWithTransaction({
    transactionTag: SqlClient.TransactionConnection,
    spanAttributes: [["db.system.name", "sqlite"]],
    acquireConnection: Effect.flatMap(Scope.make(), (scope) =>
      Effect.map(Scope.extend(sql.reserve, scope), (conn) => [scope, conn] as const),
    ),
    begin: (conn) => exec(conn, "BEGIN IMMEDIATE").pipe(Effect.retry({ while: isBusy, schedule: retry })),
    savepoint: (conn, id) => exec(conn, `SAVEPOINT effect_sql_${id}`),
    commit: (conn) => exec(conn, "COMMIT"),
    rollback: (conn) => exec(conn, "ROLLBACK"),
    rollbackSavepoint: (conn, id) => exec(conn, `ROLLBACK TO SAVEPOINT effect_sql_${id}`),
  })
}

const SQLITE_DRIVER_BUSY_MS = 100

const sqliteService = (config: SqliteConfig) =>
  Layer.effect(
    Database,
    Effect.gen(function* () {
      const client = yield* SqliteClient.SqliteClient
      return {
        dialect: "sqlite",
        target: describeConfig(config),
        sql: client,
        sqlite: client,
        writeTransaction: sqliteWriteTransaction(client, config.busyTimeoutMs ?? 5_000),
        // SQLite binds no booleans: it stores 0/1.
        bool: (value) => (value ? 1 : 0),
        forUpdate: "",
      } satisfies DatabaseService
    }),
  )

const pgService = (config: PgConfig) =>
  Layer.effect(
    Database,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return {
        dialect: "pg",
        target: describeConfig(config),
        sql,
        sqlite: undefined,
        writeTransaction: sql.withTransaction,
        bool: (value) => value,
        forUpdate: " FOR UPDATE",
      } satisfies DatabaseService
    }),
  )

const connectedLayer = (
  config: DatabaseConfig,
  mustExist: boolean,
): Layer.Layer<Database | SqlClient.SqlClient, DatabaseUnavailable> =>
  config._tag === "sqlite"
    ? Layer.provideMerge(
        sqliteService(config),
        sqliteLayer({ filename: config.filename, busyTimeoutMs: SQLITE_DRIVER_BUSY_MS, mustExist }),
      )
    : Layer.provideMerge(
        pgService(config),
        pgLayer({
          url: config.url,
          schema: config.schema,
          maxConnections: config.maxConnections ?? 10,
          connectTimeoutMs: config.connectTimeoutMs ?? 5_000,
        }),
      )

/**
 * Opens the database, applies the pragmas (SQLite) or session settings (PostgreSQL), and runs the
 * migrations. Provides `Database` and the underlying `SqlClient`.
 *
 * @example
 * const program = CaseStore.pipe(Effect.provide(CaseStore.Default), Effect.provide(Database.layer(config)))
 */
export const layer = (
  config: DatabaseConfig,
  options: LayerOptions = {},
): Layer.Layer<Database | SqlClient.SqlClient, DatabaseUnavailable> => {
  const target = describeConfig(config)
  const mustExist = options.mustExist === true
  const migrate = Layer.effectDiscard(
    Effect.gen(function* () {
      if (mustExist) yield* checkInstalled(target)
      yield* Migrations.run().pipe(
        Effect.mapError((error) => unavailable(target, "migrate", error, migrateHint(error))),
      )
    }),
  )
  return Layer.provideMerge(migrate, connectedLayer(config, mustExist))
}

export interface LayerOptions {
  /**
   * For checks and maintenance (`verify-audit`): a missing SQLite file, or a PostgreSQL database
   * that verzuimregie never set up, is an error instead of a new, empty database that passes.
   */
  readonly mustExist?: boolean | undefined
}

/** Fails unless verzuimregie's schema is there (SQLite: the file existed, but may be empty). */
const checkInstalled = (target: string): Effect.Effect<void, DatabaseUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const tables = yield* sql.onDialectOrElse({
      pg: () =>
        sql<{ name: string | null }>`SELECT to_regclass('schema_migrations')::text AS name`.pipe(
          Effect.map((rows) => rows.filter((row) => row.name !== null)),
        ),
      orElse: () => sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
    })
    if (tables.length === 0) {
      return yield* Effect.fail(
        unavailable(
          target,
          "open",
          new Error("in deze database staan geen gegevens van verzuimregie (geen tabel schema_migrations)"),
          "controleer DATA_DIR / DATABASE_URL: deze opdracht leest een bestaande database en maakt er geen aan.",
        ),
      )
    }
  }).pipe(Effect.catchTag("SqlError", (error) => Effect.fail(unavailable(target, "open", error))))

const migrateHint = (error: { readonly _tag: string; readonly reason?: string }): string =>
  error._tag === "MigrationError" && error.reason !== "failed"
    ? "start de programmaversie die bij deze database hoort, of zet een back-up terug (docs/storage.md)."
    : "controleer dat de databasegebruiker tabellen mag aanmaken, en zie de oorzaak hierboven."

/** Reads `DATABASE_URL` / `DATA_DIR` through Effect's `Config`, without opening anything. */
export const configFromEnvironment: Effect.Effect<DatabaseConfig, DatabaseUnavailable> = Effect.gen(
  function* () {
    const url = yield* Config.option(Config.string("DATABASE_URL"))
    const dataDir = yield* Config.option(Config.string("DATA_DIR"))
    return yield* fromEnvironment({
      DATABASE_URL: Option.getOrUndefined(url),
      DATA_DIR: Option.getOrUndefined(dataDir),
    })
  },
).pipe(
  Effect.catchTag("ConfigError", (error) =>
    Effect.fail(
      new DatabaseUnavailable({
        target: "de omgeving",
        stage: "configure",
        reason: String(error),
        hint: "zet DATABASE_URL (postgres://…) of DATA_DIR op een map; zie docs/storage.md.",
      }),
    ),
  ),
)

/**
 * `layer` with the settings from the environment (`DATABASE_URL`, `DATA_DIR`), read through
 * Effect's `Config` so a `ConfigProvider` can supply them in tests.
 */
export const layerFromConfig: Layer.Layer<Database | SqlClient.SqlClient, DatabaseUnavailable> =
  Layer.unwrapEffect(Effect.map(configFromEnvironment, layer))
