/**
 * The `Database` service tag lives here so that the modules that need it (migrations, stores) and
 * the module that builds it (`Database.ts`) do not import each other.
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Timestamp } from "@verzuimregie/domain"
import { Clock, Context, Effect } from "effect"
import type { Dialect } from "./sql.js"

export interface DatabaseService {
  readonly dialect: Dialect
  /** What we are connected to, fit for a log line: the file, or the URL with the password masked. */
  readonly target: string
  readonly sql: SqlClient.SqlClient
  /** The SQLite client (for the online backup); `undefined` on PostgreSQL. */
  readonly sqlite: SqliteClient.SqliteClient | undefined
  /**
   * Runs `effect` in a transaction that is going to write. SQLite: `BEGIN IMMEDIATE`, so the write
   * lock is taken up front (a deferred transaction that reads first could not upgrade later),
   * retried asynchronously while another process holds it. PostgreSQL: `BEGIN` (read committed);
   * writers serialise on row locks. Nested calls become savepoints.
   */
  readonly writeTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
  /** A boolean as the dialect binds it. */
  readonly bool: (value: boolean) => boolean | number
  /** ` FOR UPDATE` on PostgreSQL, nothing on SQLite (whose write transaction already excludes). */
  readonly forUpdate: string
}

export class Database extends Context.Tag("@verzuimregie/store/Database")<Database, DatabaseService>() {}

/** The current instant from Effect's clock, as a domain `Timestamp`. */
export const now: Effect.Effect<Timestamp.Timestamp> = Effect.map(
  Clock.currentTimeMillis,
  Timestamp.fromMillis,
)
