/**
 * The keyed hash under which the store remembers which pupils have an open case in a region. The
 * clear match key (`Pupil.matchKey`: a BSN, or a name with birth date and school) never reaches a
 * column: only HMAC-SHA-256 under this installation's own random secret, so the column cannot be
 * looked up in a table of hashed BSNs nor linked across installations. The secret lives in the
 * database (made on first use), so a backup keeps matching working; whoever holds the whole
 * database also holds the case files in clear, so a secret kept elsewhere would protect nothing more.
 */
import { createHmac, randomBytes } from "node:crypto"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type { DatabaseService } from "./service.js"
import { now } from "./service.js"

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
