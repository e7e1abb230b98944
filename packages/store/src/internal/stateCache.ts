/**
 * Decoded case states, shared by the services of one database (`CaseQueries`' lists and
 * `CaseStore.get`): decoding a stored state with the schema costs about half a millisecond a case,
 * the most of a working list's time, while a row of one case at one version is the same until it
 * is written again (an append raises the version, a projection rebuild `updated_at`). Keyed by
 * case, version and the time the row was written, plus, where a caller asks for it, a digest of
 * the stored text (`CaseStore.get`: a single read may afford it, and then even a row changed by
 * hand is read as it is). Bounded; the oldest entry goes first.
 *
 * Only a row the caller's own query read (under its regions, with its audit record) is looked up:
 * the cache saves the decoding, never the access check or the audit.
 */
import { createHash } from "node:crypto"
import type { Case } from "@verzuimregie/domain"
import { Either } from "effect"
import { decodeState } from "./projection.js"
import type { DatabaseService } from "./service.js"

/** Decoded case states kept per database: a region's open cases, a few times over. */
export const DECODED_STATES_KEPT = 5000

/** The columns of a case row that name its stored state. */
export interface StateRow {
  readonly case_id: string
  readonly state: unknown
  readonly version?: number | string | undefined
  readonly updated_at?: string | Date | undefined
}

const caches = new WeakMap<DatabaseService, Map<string, Case.CaseState>>()

const cacheOf = (db: DatabaseService): Map<string, Case.CaseState> => {
  let cache = caches.get(db)
  if (cache === undefined) {
    cache = new Map()
    caches.set(db, cache)
  }
  return cache
}

/** The stored text of a state as a short digest (SQLite hands over text, PostgreSQL parsed JSON). */
const digestOf = (state: unknown): string =>
  createHash("sha1")
    .update(typeof state === "string" ? state : JSON.stringify(state))
    .digest("base64url")

const keyOf = (row: Omit<StateRow, "state">, digest: string | undefined): string | undefined => {
  const written = row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at
  return row.version === undefined || written === undefined
    ? undefined
    : `${row.case_id}|${row.version}|${written}${digest === undefined ? "" : `|${digest}`}`
}

/**
 * The decoded state of a row read without its state column, when the cache holds it (keys without
 * a digest only): a list reads the state column only for the rows this misses.
 */
export const knownState = (db: DatabaseService, row: Omit<StateRow, "state">): Case.CaseState | undefined => {
  const key = keyOf(row, undefined)
  return key === undefined ? undefined : caches.get(db)?.get(key)
}

/**
 * The decoded state of a row, from the cache when the same row was decoded before; a row without
 * version or write time is decoded every time. `withDigest`: the key also holds the stored text's
 * digest.
 */
export const decodedState = (
  db: DatabaseService,
  row: StateRow,
  options: { readonly withDigest?: boolean } = {},
): Either.Either<Case.CaseState, string> => {
  const key = keyOf(row, options.withDigest === true ? digestOf(row.state) : undefined)
  const cache = cacheOf(db)
  const known = key === undefined ? undefined : cache.get(key)
  if (known !== undefined) return Either.right(known)
  const decoded = decodeState(row.case_id, row.state)
  if (key !== undefined && Either.isRight(decoded)) {
    if (cache.size >= DECODED_STATES_KEPT) cache.delete(cache.keys().next().value as string)
    cache.set(key, decoded.right)
  }
  return decoded
}
