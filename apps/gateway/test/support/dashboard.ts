/**
 * The dashboard tests' own arithmetic, written apart from the dashboard's code: a direct query on
 * the store's tables, the nearest-rank percentile and the stored state's decoding.
 */
import { Database } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Gateway } from "./gateway.js"

type Sql = Effect.Effect.Success<typeof Database.Database>["sql"]

/** A direct query on the store's tables. */
export const directSql = <A extends object>(
  gateway: Gateway,
  query: (sql: Sql) => Effect.Effect<ReadonlyArray<A>, unknown>,
): Promise<ReadonlyArray<A>> =>
  gateway.runtime.runPromise(
    Effect.flatMap(Database.Database, (db) => query(db.sql)) as Effect.Effect<ReadonlyArray<A>>,
  )

/** Nearest-rank percentile, as the docs define it. */
export const rank = (values: ReadonlyArray<number>, p: number): number | null => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? null : (sorted[Math.ceil((p / 100) * sorted.length) - 1] as number)
}

/** The stored state: text on SQLite, jsonb on PostgreSQL. */
export const stateOf = <A>(state: unknown): A => (typeof state === "string" ? JSON.parse(state) : state) as A
