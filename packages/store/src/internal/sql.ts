/**
 * Small helpers that hide the differences between the two dialects in values and errors. SQL text
 * that differs lives with the module that runs it (`onDialect`), not here.
 */
import type { SqlError } from "@effect/sql/SqlError"

export type Dialect = "sqlite" | "pg"

/** SQLite binds no booleans: it stores 0/1. PostgreSQL has a real boolean. */
export const bool = (dialect: Dialect, value: boolean): boolean | number =>
  dialect === "pg" ? value : value ? 1 : 0

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

/** Another connection holds SQLite's write lock. */
export const isBusy = (error: SqlError): boolean => {
  const code = errorCode(error)
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED"
}
