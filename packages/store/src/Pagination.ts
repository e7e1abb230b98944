/**
 * Keyset pagination with opaque cursors. A cursor holds the sort key of the last row of a page
 * (and the name of the list it belongs to); the next page starts strictly after it. Unlike an
 * offset, a row inserted meanwhile neither repeats nor skips a row, and deep pages cost the same
 * as the first.
 *
 * @since 0.1.0
 */
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
export class InvalidCursor extends Schema.TaggedError<InvalidCursor>()("InvalidCursor", {
  list: Schema.String,
}) {
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

/** The sort key in the cursor, checked to have `arity` parts of the right list. */
export const decodeCursor = (
  list: string,
  cursor: string | undefined,
  arity: number,
): Effect.Effect<ReadonlyArray<KeyPart> | undefined, InvalidCursor> => {
  if (cursor === undefined) return Effect.succeed(undefined)
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
    if (
      Array.isArray(parsed) &&
      parsed.length === arity + 1 &&
      parsed[0] === list &&
      parsed.every((part) => part === null || typeof part === "string" || typeof part === "number")
    ) {
      return Effect.succeed(parsed.slice(1) as ReadonlyArray<KeyPart>)
    }
  } catch {
    // fall through
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
