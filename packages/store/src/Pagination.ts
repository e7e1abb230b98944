/**
 * Keyset pagination with opaque cursors. A cursor holds the sort key of the last row of a page
 * (and the name of the list it belongs to); the next page starts strictly after it. Unlike an
 * offset, a row inserted meanwhile neither repeats nor skips a row, and deep pages cost the same
 * as the first.
 *
 * @since 0.1.0
 */

import type * as SqlClient from "@effect/sql/SqlClient"
import type * as Statement from "@effect/sql/Statement"
import { HttpMeaning, LocalDate, Text } from "@verzuimregie/domain"
import { Effect, Schema } from "effect"

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 500

export interface PageRequest {
  /** Rows per page, 1–500. Default 50. */
  readonly limit?: number | undefined
  /** `nextCursor` of the previous page; absent for the first page. */
  readonly cursor?: string | undefined
}

export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** Pass this back for the next page; `null` on the last page. */
  readonly nextCursor: string | null
}

/** A cursor that was not made by this list (edited, truncated, or from another list). */
export class InvalidCursor extends Schema.TaggedError<InvalidCursor>()(
  "InvalidCursor",
  {
    list: Schema.String,
  },
  HttpMeaning.status(422, {
    errors: [{ path: "query.cursor", pointer: "/query/cursor", detail: "onbekende of verlopen cursor" }],
  }),
) {
  override get message(): string {
    return `invalid cursor for ${this.list}: start again from the first page`
  }
}

export type KeyPart = string | number | null

export const limitOf = (page: PageRequest | undefined): number => {
  const limit = page?.limit ?? DEFAULT_LIMIT
  return Number.isInteger(limit) ? Math.min(MAX_LIMIT, Math.max(1, limit)) : DEFAULT_LIMIT
}

export const encodeCursor = (list: string, key: ReadonlyArray<KeyPart>): string =>
  Buffer.from(JSON.stringify([list, ...key]), "utf8").toString("base64url")

/**
 * The type of one part of a sort key. A cursor comes back from the client, so every part is
 * checked before it reaches SQL: PostgreSQL would fail on `'x'` compared with a date, SQLite
 * would silently compare a string with a number.
 */
export type CursorPart = "text" | "int" | "date" | "timestamp" | "date-or-null"

const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?$/

const isDate = (s: string): boolean => /^[1-9]\d{3}-\d{2}-\d{2}$/.test(s) && LocalDate.isLocalDate(s)

const fitsPart = (part: CursorPart, value: unknown): boolean => {
  switch (part) {
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0
    case "date-or-null":
      return value === null || (typeof value === "string" && isDate(value))
    case "date":
      return typeof value === "string" && isDate(value)
    case "timestamp":
      return typeof value === "string" && isDate(value.slice(0, 10)) && TIME.test(value.slice(11))
    case "text":
      // Ids and codes: bounded, and storable (no NUL, no lone surrogate) on either backend.
      return typeof value === "string" && value.length <= 200 && Text.storable(value) === true
  }
}

/** The sort key in the cursor, checked to be of this list and to have parts of the given types. */
export const decodeCursor = (
  list: string,
  cursor: string | undefined,
  parts: ReadonlyArray<CursorPart>,
): Effect.Effect<ReadonlyArray<KeyPart> | undefined, InvalidCursor> => {
  if (cursor === undefined) return Effect.succeed(undefined)
  if (/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
      if (
        Array.isArray(parsed) &&
        parsed.length === parts.length + 1 &&
        parsed[0] === list &&
        parts.every((part, i) => fitsPart(part, parsed[i + 1]))
      ) {
        return Effect.succeed(parsed.slice(1) as ReadonlyArray<KeyPart>)
      }
    } catch {
      // fall through
    }
  }
  return Effect.fail(new InvalidCursor({ list }))
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says there is a next page. */
export const toPage = <Row, A>(
  list: string,
  rows: ReadonlyArray<Row>,
  limit: number,
  key: (row: Row) => ReadonlyArray<KeyPart>,
  item: (row: Row) => A,
): Page<A> => {
  const pageRows = rows.slice(0, limit)
  const last = pageRows[pageRows.length - 1]
  return {
    items: pageRows.map(item),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(list, key(last)) : null,
  }
}

/**
 * Rows after a cursor's key in keyset order: `(a, b) > (x, y)` spelled out, which both planners
 * turn into an index range (`<` for a descending order).
 */
export const keysetAfter = (
  sql: SqlClient.SqlClient,
  columns: ReadonlyArray<string>,
  key: ReadonlyArray<KeyPart>,
  direction: ">" | "<",
): Statement.Fragment => {
  const [column, ...rest] = columns
  const [value, ...restKey] = key
  if (column === undefined) return sql`1=0`
  const strict = sql`${sql(column)} ${sql.literal(direction)} ${value ?? null}`
  if (rest.length === 0) return strict
  return sql`(${strict} OR (${sql(column)} = ${value ?? null} AND ${keysetAfter(sql, rest, restKey, direction)}))`
}
