/**
 * The schema, as numbered migrations with one SQL text per dialect. `run` applies the missing ones
 * in one transaction under a lock, so several instances may start at once, and running it again is
 * a no-op. A migration that changed after it was applied, or a database newer than this program,
 * stops the start-up instead of guessing.
 *
 * @since 0.1.0
 */

import { createHash } from "node:crypto"
import type { SqlError } from "@effect/sql/SqlError"
import { HttpMeaning } from "@verzuimregie/domain"
import { Effect, Schema } from "effect"
import { absenceMigration } from "./AbsenceStore.js"
import {
  accountsMigration,
  linkPurposeMigration,
  organisationBrinMigration,
  organisationBrinUniqueMigration,
  separationOfDutiesMigration,
} from "./Accounts.js"
import { indexOpenPupils, pupilMatchMigration } from "./internal/pupilMatch.js"
import { Database, type DatabaseService, now } from "./internal/service.js"
import type { Dialect } from "./internal/sql.js"
import { toInt } from "./internal/sql.js"
import { notificationsMigration } from "./NotificationStore.js"
import { webSessionsMigration } from "./WebSessions.js"

export interface Migration {
  readonly id: number
  readonly name: string
  /** One statement per entry (SQLite prepares one at a time). */
  readonly sqlite: ReadonlyArray<string>
  readonly pg: ReadonlyArray<string>
  /**
   * Work in code after the statements, in the same transaction: a data step SQL cannot express
   * (hashing with the installation's secret). Not part of the checksum; it runs once, with the
   * migration.
   */
  readonly step?: ((db: DatabaseService) => Effect.Effect<unknown, SqlError>) | undefined
}

export class MigrationError extends Schema.TaggedError<MigrationError>()(
  "MigrationError",
  {
    reason: Schema.Literal("changed", "unknown", "failed"),
    detail: Schema.String,
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return this.detail
  }
}

/** SQLite: reject UPDATE and DELETE on an append-only table (TRUNCATE does not exist there). */
const sqliteAppendOnly = (table: string): ReadonlyArray<string> => [
  `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
  `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
]

const pgAppendOnly = (table: string): ReadonlyArray<string> => [
  `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION verzuimregie_append_only()`,
  `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION verzuimregie_append_only()`,
]

/**
 * Indexes carry their names here so an operator can find them in a query plan. Every case index
 * starts with `region_id`: each query filters on the caller's regions first. The trailing
 * `case_id` makes the sort order total, which keyset pagination needs.
 */
const indexes: ReadonlyArray<string> = [
  "CREATE INDEX cases_region_opened_idx ON cases (region_id, opened_at, case_id)",
  "CREATE INDEX cases_region_status_idx ON cases (region_id, status, opened_at, case_id)",
  "CREATE INDEX cases_region_regiehouder_idx ON cases (region_id, regiehouder_user_id, opened_at, case_id)",
  "CREATE INDEX cases_region_school_idx ON cases (region_id, school_id, opened_at, case_id)",
  "CREATE INDEX cases_region_referrer_org_idx ON cases (region_id, referrer_org_id, opened_at, case_id)",
  "CREATE INDEX cases_region_last_event_idx ON cases (region_id, last_event_at, case_id)",
  "CREATE INDEX cases_region_closed_idx ON cases (region_id, closed_on, case_id)",
  // Thuiszitter and pact lists: only open cases of pupils at home, oldest first.
  "CREATE INDEX cases_at_home_idx ON cases (region_id, attendance_since, case_id) WHERE closed_on IS NULL AND attendance_situation IN ('thuiszittend', 'niet-ingeschreven')",
  "CREATE INDEX cases_region_next_action_idx ON cases (region_id, next_action_due, case_id) WHERE next_action_due IS NOT NULL",
  "CREATE UNIQUE INDEX cases_referral_idx ON cases (referral_id)",
  "CREATE INDEX open_actions_region_due_idx ON open_actions (region_id, due_on, case_id, action_id)",
  "CREATE INDEX open_actions_owner_due_idx ON open_actions (owner_user_id, due_on, case_id, action_id)",
  "CREATE INDEX case_events_recorded_idx ON case_events (recorded_at)",
  "CREATE INDEX audit_log_record_idx ON audit_log (record_type, record_id, seq)",
  "CREATE INDEX audit_log_user_idx ON audit_log (user_id, seq)",
  "CREATE INDEX audit_log_request_idx ON audit_log (request_id)",
  "CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE status = 'pending'",
  "CREATE INDEX outbox_lease_idx ON outbox (lease_until, id) WHERE status = 'claimed'",
  "CREATE INDEX outbox_dead_idx ON outbox (dead_at, id) WHERE status = 'dead'",
  "CREATE INDEX outbox_case_idx ON outbox (case_id, case_version)",
  "CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)",
]

const GENESIS = "0".repeat(64)

export const migrations: ReadonlyArray<Migration> = [
  {
    id: 1,
    name: "event_log_audit_outbox_idempotency",
    sqlite: [
      `CREATE TABLE cases (
        case_id TEXT PRIMARY KEY NOT NULL,
        region_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        status TEXT NOT NULL,
        referral_id TEXT NOT NULL,
        regiehouder_user_id TEXT,
        regiehouder_org_id TEXT,
        school_id TEXT,
        referrer_org_id TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        last_event_at TEXT NOT NULL,
        closed_on TEXT,
        attendance_situation TEXT,
        attendance_since TEXT,
        fitting_offer INTEGER CHECK (fitting_offer IN (0, 1)),
        next_action_due TEXT,
        open_action_count INTEGER NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`,
      `CREATE TABLE case_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        case_id TEXT NOT NULL REFERENCES cases (case_id),
        version INTEGER NOT NULL CHECK (version > 0),
        region_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        at TEXT NOT NULL,
        by_user_id TEXT,
        recorded_at TEXT NOT NULL,
        payload TEXT NOT NULL,
        UNIQUE (case_id, version)
      ) STRICT`,
      `CREATE TABLE open_actions (
        case_id TEXT NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        action_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        owner_user_id TEXT,
        due_on TEXT NOT NULL,
        action TEXT NOT NULL,
        PRIMARY KEY (case_id, action_id)
      ) STRICT`,
      `CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY NOT NULL,
        at TEXT NOT NULL,
        user_id TEXT NOT NULL,
        organisation_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('read', 'create', 'update', 'search', 'export')),
        record_type TEXT NOT NULL,
        record_id TEXT,
        region_id TEXT,
        purpose TEXT NOT NULL,
        context TEXT,
        request_id TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT`,
      `CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT`,
      `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS}')`,
      `CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id TEXT NOT NULL UNIQUE,
        topic TEXT NOT NULL,
        case_id TEXT,
        case_version INTEGER,
        payload TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'sent', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        next_attempt_at TEXT NOT NULL,
        claimed_by TEXT,
        lease_until TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        dead_at TEXT
      ) STRICT`,
      `CREATE TABLE idempotency_keys (
        client_id TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in-progress', 'completed')),
        response_status INTEGER,
        response_body TEXT,
        created_at TEXT NOT NULL,
        locked_until TEXT,
        completed_at TEXT,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (client_id, key)
      ) STRICT`,
      ...sqliteAppendOnly("case_events"),
      ...sqliteAppendOnly("audit_log"),
      ...indexes,
    ],
    pg: [
      `CREATE FUNCTION verzuimregie_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END
      $$`,
      `CREATE TABLE cases (
        case_id text PRIMARY KEY,
        region_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        status text NOT NULL,
        referral_id text NOT NULL,
        regiehouder_user_id text,
        regiehouder_org_id text,
        school_id text,
        referrer_org_id text NOT NULL,
        opened_at timestamptz NOT NULL,
        last_event_at timestamptz NOT NULL,
        closed_on date,
        attendance_situation text,
        attendance_since date,
        fitting_offer boolean,
        next_action_due date,
        open_action_count integer NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE TABLE case_events (
        seq bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        case_id text NOT NULL REFERENCES cases (case_id),
        version integer NOT NULL CHECK (version > 0),
        region_id text NOT NULL,
        tag text NOT NULL,
        at timestamptz NOT NULL,
        by_user_id text,
        recorded_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        UNIQUE (case_id, version)
      )`,
      `CREATE TABLE open_actions (
        case_id text NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        action_id text NOT NULL,
        region_id text NOT NULL,
        owner_user_id text,
        due_on date NOT NULL,
        action jsonb NOT NULL,
        PRIMARY KEY (case_id, action_id)
      )`,
      `CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        user_id text NOT NULL,
        organisation_id text NOT NULL,
        action text NOT NULL CHECK (action IN ('read', 'create', 'update', 'search', 'export')),
        record_type text NOT NULL,
        record_id text,
        region_id text,
        purpose text NOT NULL,
        context text,
        request_id text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`,
      `CREATE TABLE audit_head (
        id integer PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      )`,
      `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS}')`,
      `CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        message_id text NOT NULL UNIQUE,
        topic text NOT NULL,
        case_id text,
        case_version integer,
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'claimed', 'sent', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        claimed_by text,
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        dead_at timestamptz
      )`,
      `CREATE TABLE idempotency_keys (
        client_id text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('in-progress', 'completed')),
        response_status integer,
        response_body text,
        created_at timestamptz NOT NULL,
        locked_until timestamptz,
        completed_at timestamptz,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, key)
      )`,
      ...pgAppendOnly("case_events"),
      ...pgAppendOnly("audit_log"),
      ...indexes,
    ],
  },
  {
    id: 2,
    name: "accounts",
    sqlite: accountsMigration.sqlite,
    pg: accountsMigration.pg,
  },
  {
    id: 3,
    name: "organisation-brin",
    sqlite: organisationBrinMigration.sqlite,
    pg: organisationBrinMigration.pg,
  },
  {
    id: 4,
    // A coordinator's page of the access log: their regions, newest first.
    name: "audit-region-index",
    sqlite: ["CREATE INDEX audit_log_region_idx ON audit_log (region_id, seq)"],
    pg: ["CREATE INDEX audit_log_region_idx ON audit_log (region_id, seq)"],
  },
  {
    id: 5,
    // A referrer's own referrals, paged in the query; filled from the stored state for old rows.
    name: "cases-submitted-by",
    sqlite: [
      "ALTER TABLE cases ADD COLUMN submitted_by TEXT",
      "UPDATE cases SET submitted_by = json_extract(state, '$.referral.submittedBy')",
      "CREATE INDEX cases_region_submitter_idx ON cases (region_id, submitted_by, opened_at, case_id)",
    ],
    pg: [
      "ALTER TABLE cases ADD COLUMN submitted_by text",
      "UPDATE cases SET submitted_by = state #>> '{referral,submittedBy}'",
      "CREATE INDEX cases_region_submitter_idx ON cases (region_id, submitted_by, opened_at, case_id)",
    ],
  },
  {
    id: 6,
    // One open case per pupil and region: the keyed hash of the pupil's match key, unique while open.
    name: "open-case-pupils",
    sqlite: pupilMatchMigration.sqlite,
    pg: pupilMatchMigration.pg,
  },
  {
    id: 7,
    name: "separation-of-duties",
    sqlite: separationOfDutiesMigration.sqlite,
    pg: separationOfDutiesMigration.pg,
  },
  {
    id: 8,
    // A worker claims only the regions it can deliver for (mail for a region another instance or a
    // command serves is left alone); filled from the payload for messages already queued.
    name: "outbox-region",
    sqlite: [
      "ALTER TABLE outbox ADD COLUMN region_id TEXT",
      "UPDATE outbox SET region_id = json_extract(payload, '$.regionId') WHERE json_type(payload, '$.regionId') = 'text'",
      "CREATE INDEX outbox_region_due_idx ON outbox (region_id, next_attempt_at, id) WHERE status = 'pending'",
    ],
    pg: [
      "ALTER TABLE outbox ADD COLUMN region_id text",
      "UPDATE outbox SET region_id = payload ->> 'regionId' WHERE jsonb_typeof(payload -> 'regionId') = 'string'",
      "CREATE INDEX outbox_region_due_idx ON outbox (region_id, next_attempt_at, id) WHERE status = 'pending'",
    ],
  },
  {
    id: 14,
    name: "organisation-brin-unique",
    sqlite: organisationBrinUniqueMigration.sqlite,
    pg: organisationBrinUniqueMigration.pg,
  },
  {
    id: 15,
    // The open cases opened before their pupils were kept (migration 6) get their keys, once:
    // `create` keeps every new open case's pupil itself, so a start-up has nothing to fill in.
    name: "index-open-pupils",
    sqlite: [],
    pg: [],
    step: indexOpenPupils,
  },
  {
    id: 19,
    // Server-side sessions of the web app (WebSessions.ts): revocable, expiring, idle timeout.
    name: "web-sessions",
    sqlite: webSessionsMigration.sqlite,
    pg: webSessionsMigration.pg,
  },
  {
    id: 20,
    // What a sign-in link opens: the API token (as before) or a web session (Accounts.ts).
    name: "link-purpose",
    sqlite: linkPurposeMigration.sqlite,
    pg: linkPurposeMigration.pg,
  },
  {
    id: 21,
    // Imported absence records, their pupils and imports, the signals with their history, and the
    // links from cases to a school's pupil (AbsenceStore.ts).
    name: "absence",
    sqlite: absenceMigration.sqlite,
    pg: absenceMigration.pg,
  },
  {
    id: 22,
    // Notifications to users (NotificationStore.ts): preferences, the log that keeps each
    // notification once per recipient, and the daily digests.
    name: "notifications",
    sqlite: notificationsMigration.sqlite,
    pg: notificationsMigration.pg,
  },
]

/** Fingerprint of a migration's SQL for one dialect: an applied migration must never change. */
export const checksum = (migration: Migration, dialect: Dialect): string =>
  createHash("sha256")
    .update(migration[dialect].map((s) => s.replace(/\s+/g, " ").trim()).join(";\n"))
    .digest("hex")

export interface Applied {
  readonly id: number
  readonly name: string
}

interface MigrationRow {
  readonly id: unknown
  readonly name: string
  readonly checksum: string
}

/**
 * Applies the migrations this database lacks and returns them (empty when up to date).
 *
 * @example
 * const applied = yield* Migrations.run()
 */
export const run = (
  list: ReadonlyArray<Migration> = migrations,
): Effect.Effect<ReadonlyArray<Applied>, MigrationError | SqlError, Database> =>
  Effect.gen(function* () {
    const db = yield* Database
    const { sql, dialect } = db
    return yield* db.writeTransaction(
      Effect.gen(function* () {
        yield* sql.onDialectOrElse({
          // DDL is transactional in PostgreSQL; the lock makes concurrent start-ups take turns.
          pg: () =>
            Effect.zipRight(
              sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.schema_migrations'))`,
              sql.unsafe(`CREATE TABLE IF NOT EXISTS schema_migrations (
                id integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL
              )`),
            ),
          orElse: () =>
            sql.unsafe(`CREATE TABLE IF NOT EXISTS schema_migrations (
              id INTEGER PRIMARY KEY NOT NULL,
              name TEXT NOT NULL,
              checksum TEXT NOT NULL,
              applied_at TEXT NOT NULL
            ) STRICT`),
        })
        const rows = yield* sql<MigrationRow>`SELECT id, name, checksum FROM schema_migrations ORDER BY id`
        const known = new Map(list.map((m) => [m.id, m]))
        for (const row of rows) {
          const id = toInt(row.id)
          const migration = known.get(id)
          if (migration === undefined) {
            return yield* new MigrationError({
              reason: "unknown",
              detail: `de database heeft migratie ${id} (${row.name}), die dit programma niet kent: een nieuwere versie heeft hem geschreven. Start die versie, of zet een back-up van vóór de upgrade terug.`,
            })
          }
          if (checksum(migration, dialect) !== row.checksum) {
            return yield* new MigrationError({
              reason: "changed",
              detail: `migratie ${id} (${row.name}) verschilt van de migratie die op deze database is toegepast. Een toegepaste migratie mag niet worden gewijzigd; voeg een nieuwe migratie toe.`,
            })
          }
        }
        const done = new Set(rows.map((row) => toInt(row.id)))
        const pending = [...list].filter((m) => !done.has(m.id)).sort((a, b) => a.id - b.id)
        const at = yield* now
        for (const migration of pending) {
          for (const statement of migration[dialect]) {
            yield* sql.unsafe(statement).pipe(
              Effect.mapError(
                (error) =>
                  new MigrationError({
                    reason: "failed",
                    detail: `migratie ${migration.id} (${migration.name}) mislukte: ${String((error.cause as Error | undefined)?.message ?? error.message)}`,
                  }),
              ),
            )
          }
          if (migration.step !== undefined) {
            yield* migration.step(db).pipe(
              Effect.mapError(
                (error) =>
                  new MigrationError({
                    reason: "failed",
                    detail: `migration ${migration.id} (${migration.name}) failed: ${String((error.cause as Error | undefined)?.message ?? error.message)}`,
                  }),
              ),
            )
          }
          yield* sql`INSERT INTO schema_migrations ${sql.insert({
            id: migration.id,
            name: migration.name,
            checksum: checksum(migration, dialect),
            applied_at: at,
          })}`
        }
        return pending.map((m) => ({ id: m.id, name: m.name }))
      }),
    )
  })

/** The migrations applied to this database, oldest first. */
export const applied: Effect.Effect<ReadonlyArray<Applied>, SqlError, Database> = Effect.gen(function* () {
  const { sql } = yield* Database
  const rows = yield* sql<MigrationRow>`SELECT id, name, checksum FROM schema_migrations ORDER BY id`
  return rows.map((row) => ({ id: toInt(row.id), name: row.name }))
})
