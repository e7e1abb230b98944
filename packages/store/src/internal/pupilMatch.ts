/**
 * The keyed hash under which the store remembers which pupils have an open case in a region. The
 * clear match key (`Pupil.matchKey`: a BSN, or a name with birth date and school) never reaches a
 * column: only HMAC-SHA-256 under this installation's own random secret, so the column cannot be
 * looked up in a table of hashed BSNs nor linked across installations. The secret lives in the
 * database (made on first use), so a backup keeps matching working; whoever holds the whole
 * database also holds the case files in clear, so a secret kept elsewhere would protect nothing more.
 */
import { createHmac, randomBytes } from "node:crypto"
import { SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { type Case, Ids, Pupil } from "@verzuimregie/domain"
import { Effect, Either, Schema } from "effect"
import { decodeState } from "./projection.js"
import type { DatabaseService } from "./service.js"
import { now } from "./service.js"
import { rowsOrDie } from "./sql.js"

const SECRET_NAME = "pupil-match"

const secretOf = (db: DatabaseService): Effect.Effect<string, SqlError> =>
  Effect.gen(function* () {
    const { sql } = db
    const read = sql<{ secret: string }>`SELECT secret FROM installation_secrets WHERE name = ${SECRET_NAME}`
    const [found] = yield* read
    if (found !== undefined) return found.secret
    const at = yield* now
    // Two first writers at once: one insert wins, both read the winner's secret.
    yield* sql`INSERT INTO installation_secrets ${sql.insert({
      name: SECRET_NAME,
      secret: randomBytes(32).toString("base64url"),
      created_at: at,
    })} ON CONFLICT (name) DO NOTHING`
    const [made] = yield* read
    if (made === undefined) return yield* Effect.dieMessage("installation secret vanished")
    return made.secret
  })

/**
 * HMAC-SHA-256 of a pupil's match key, hex: the secret is read once, so an operation that hashes
 * many pupils (indexing the open cases) reads it once too.
 */
export const pupilHasher = (db: DatabaseService): Effect.Effect<(matchKey: string) => string, SqlError> =>
  Effect.map(
    secretOf(db),
    (secret) => (matchKey) => createHmac("sha256", secret).update(matchKey, "utf8").digest("hex"),
  )

/**
 * Keeps the pupil of an open case in the index, in the caller's transaction, unless another open
 * case of the pupil in the region holds the key already (then the first keeps it). Returns whether
 * it was indexed.
 */
export const indexOpenPupil = (
  db: DatabaseService,
  state: Case.CaseState,
  hash?: (matchKey: string) => string,
): Effect.Effect<boolean, SqlError> =>
  Effect.gen(function* () {
    const { sql } = db
    const keyOf = hash ?? (yield* pupilHasher(db))
    const inserted = yield* sql`INSERT INTO open_case_pupils ${sql.insert({
      case_id: state.id,
      region_id: state.regionId,
      pupil_key: keyOf(Pupil.matchKey(state.referral.pupil)),
    })} ON CONFLICT DO NOTHING RETURNING case_id`
    return inserted.length > 0
  })

/**
 * Fills the pupil keys of open cases that have none (opened before migration 6), in the caller's
 * transaction, oldest first: where two open cases of one region share a pupil, the first keeps the
 * key. Migration 15 runs it once; `CaseStore.create` indexes every case it opens. Returns how many
 * cases it indexed.
 */
export const indexOpenPupils = (db: DatabaseService): Effect.Effect<number, SqlError> =>
  Effect.gen(function* () {
    const rows = yield* rowsOrDie(
      SqlSchema.findAll({
        Request: Schema.Void,
        Result: Schema.Struct({ case_id: Ids.CaseId, state: Schema.Unknown }),
        execute: () => db.sql`SELECT c.case_id, c.state FROM cases c
          WHERE c.closed_on IS NULL
            AND NOT EXISTS (SELECT 1 FROM open_case_pupils p WHERE p.case_id = c.case_id)
          ORDER BY c.opened_at, c.case_id`,
      })(undefined),
    )
    if (rows.length === 0) return 0
    const hash = yield* pupilHasher(db)
    let indexed = 0
    for (const row of rows) {
      const state = decodeState(row.case_id, row.state)
      if (Either.isLeft(state)) return yield* Effect.dieMessage(`${state.left}; run rebuild-projections`)
      if (yield* indexOpenPupil(db, state.right, hash)) indexed += 1
    }
    return indexed
  })

/** The migration (id 6) that adds the secret and the open cases' pupil keys. */
export const pupilMatchMigration = {
  sqlite: [
    "CREATE TABLE installation_secrets (name TEXT PRIMARY KEY NOT NULL, secret TEXT NOT NULL, created_at TEXT NOT NULL) STRICT",
    "CREATE TABLE open_case_pupils (case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE, region_id TEXT NOT NULL, pupil_key TEXT NOT NULL) STRICT",
    "CREATE UNIQUE INDEX open_case_pupils_key_idx ON open_case_pupils (region_id, pupil_key)",
  ],
  pg: [
    "CREATE TABLE installation_secrets (name text PRIMARY KEY, secret text NOT NULL, created_at timestamptz NOT NULL)",
    "CREATE TABLE open_case_pupils (case_id text PRIMARY KEY REFERENCES cases (case_id) ON DELETE CASCADE, region_id text NOT NULL, pupil_key text NOT NULL)",
    "CREATE UNIQUE INDEX open_case_pupils_key_idx ON open_case_pupils (region_id, pupil_key)",
  ],
} as const
