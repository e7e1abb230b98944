/**
 * Small helpers that hide the differences between the two dialects in values and errors. SQL text
 * that differs lives with the module that runs it (`onDialect`), not here.
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, ParseResult, Schema } from "effect"

export type Dialect = "sqlite" | "pg"

/** A boolean column as it comes back: SQLite stores 0/1, PostgreSQL has a real boolean. */
export const BooleanColumn = Schema.transform(
  Schema.Union(Schema.Boolean, Schema.Literal(0, 1)),
  Schema.Boolean,
  {
    strict: true,
    decode: (stored) => stored === true || stored === 1,
    encode: (value) => value,
  },
)

/**
 * A stored row that does not decode is damage (an edited database, a missing migration), not a
 * caller's error: it ends the fiber with the row's problem, as a stored state that does not decode
 * does.
 */
export const rowsOrDie = <A, E, R>(
  effect: Effect.Effect<A, E | ParseResult.ParseError, R>,
): Effect.Effect<A, Exclude<E, ParseResult.ParseError>, R> =>
  Effect.catchIf(effect, ParseResult.isParseError, (error) =>
    Effect.dieMessage(`a stored row does not decode: ${ParseResult.TreeFormatter.formatErrorSync(error)}`),
  ) as Effect.Effect<A, Exclude<E, ParseResult.ParseError>, R>

/** JSON columns are `TEXT` in SQLite and `jsonb` in PostgreSQL (which the driver parses). */
export const parseJson = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

/** Integers come back as numbers from both drivers once int8 is parsed; counts may be strings. */
export const toInt = (value: unknown): number => (typeof value === "number" ? value : Number(value))

/** `null` from the database is `undefined` in our types. */
export const orUndefined = <A>(value: A | null | undefined): A | undefined =>
  value === null ? undefined : value

const causeOf = (error: SqlError | unknown): { code?: unknown; message?: unknown } | undefined => {
  const cause = (error as { cause?: unknown }).cause
  return typeof cause === "object" && cause !== null ? (cause as { code?: unknown }) : undefined
}

/** The driver's error code: `SQLITE_BUSY`, `23505`, `ECONNREFUSED`… */
export const errorCode = (error: unknown): string | undefined => {
  const code = causeOf(error)?.code
  return typeof code === "string" ? code : undefined
}

/** A primary-key or unique-constraint violation (SQLite or PostgreSQL). */
export const isUniqueViolation = (error: SqlError): boolean => {
  const code = errorCode(error)
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE"
}

/** A unique index the store answers for by name (a duplicate referral, a pupil's second open case). */
export interface UniqueIndex {
  readonly name: string
  readonly table: string
  readonly columns: ReadonlyArray<string>
}

/** One referral opens one case (migration 1). */
export const CASE_REFERRAL_INDEX: UniqueIndex = {
  name: "cases_referral_idx",
  table: "cases",
  columns: ["referral_id"],
}

/** One open case per pupil and region (migration 6). */
export const OPEN_CASE_PUPIL_INDEX: UniqueIndex = {
  name: "open_case_pupils_key_idx",
  table: "open_case_pupils",
  columns: ["region_id", "pupil_key"],
}

/** One organisation per BRIN code (migration 14). */
export const ORGANISATION_BRIN_INDEX: UniqueIndex = {
  name: "organisations_brin_idx",
  table: "organisations",
  columns: ["brin"],
}

/**
 * Whether `error` is a violation of exactly this unique index. PostgreSQL names the constraint
 * (`constraint` of its error, SQLSTATE 23505); SQLite names the columns, in the index's order:
 * `UNIQUE constraint failed: <table>.<column>, <table>.<column>`. Both compared exactly, so a
 * violation of another index on the same table (a primary key) is not taken for this one.
 */
export const violates = (error: SqlError, index: UniqueIndex): boolean => {
  const cause = causeOf(error) as { constraint?: unknown; message?: unknown } | undefined
  switch (errorCode(error)) {
    case "23505":
      return cause?.constraint === index.name
    case "SQLITE_CONSTRAINT_UNIQUE":
      return (
        cause?.message ===
        `UNIQUE constraint failed: ${index.columns.map((c) => `${index.table}.${c}`).join(", ")}`
      )
    default:
      return false
  }
}

/** Another connection holds SQLite's write lock. */
export const isBusy = (error: SqlError): boolean => {
  const code = errorCode(error)
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED"
}
