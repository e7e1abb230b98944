/**
 * Notifications to users (issue 16): each user's preferences (per kind `direct`, `dagelijks` or
 * `uit`, and the hour of the daily digest), and the notification log. The log holds one row per
 * notification and recipient, keyed `(notification_id, user_id)`: inserting a row a second time
 * does nothing, so a notification reaches a user at most once however often a tick or a retried
 * dispatch sees it. A `direct` row's mail is enqueued in the transaction that inserts the row; a
 * `dagelijks` row waits for the user's digest, which `closeDigest` claims once per user and day
 * (`notification_digests` is the lock) and stamps with the digest's message id.
 *
 * What the store keeps is ids, kinds and dates (the `facts`), never a name or typed text: the
 * application layer decides what a notification is, the store only keeps it once.
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import type { Ids, Json, Timestamp } from "@verzuimregie/domain"
import { Effect, Option, Schema } from "effect"
import { toUser, USER_COLUMNS, type User, UserRow } from "./Accounts.js"
import { type AuditEntry, validate } from "./AuditLog.js"
import { appendInTransaction } from "./internal/auditChain.js"
import { enqueueInTransaction } from "./internal/outboxWrite.js"
import { Database, now } from "./internal/service.js"
import { parseJson, rowsOrDie, toInt } from "./internal/sql.js"
import type { OutboxMessage } from "./Outbox.js"

export type Mode = "direct" | "dagelijks" | "uit"

export interface StoredPreferences {
  readonly userId: Ids.UserId
  /** Mode per kind, as the user saved them; kinds not in it take the default. */
  readonly modes: Readonly<Record<string, Mode>>
  readonly digestHour: number
  readonly updatedAt: Timestamp.Timestamp
}

export interface LogEntry {
  readonly notificationId: string
  readonly userId: Ids.UserId
  readonly kind: string
  readonly regionId: string
  readonly caseId: string | undefined
  /** Ids and dates only (`dueOn`, `limitDate`). */
  readonly facts: Json.JsonObject
  readonly mode: Mode
  readonly createdAt: Timestamp.Timestamp
  /** The mail that carried it: the direct mail, or the digest once it is made. */
  readonly mailMessageId: string | undefined
}

export type NewEntry = Omit<LogEntry, "createdAt" | "mailMessageId">

interface LogRow {
  readonly notification_id: string
  readonly user_id: string
  readonly kind: string
  readonly region_id: string
  readonly case_id: string | null
  readonly facts: unknown
  readonly mode: string
  readonly created_at: unknown
  readonly mail_message_id: string | null
}

const toEntry = (row: LogRow): LogEntry => ({
  notificationId: row.notification_id,
  userId: row.user_id as Ids.UserId,
  kind: row.kind,
  regionId: row.region_id,
  caseId: row.case_id ?? undefined,
  facts: parseJson(row.facts) as Json.JsonObject,
  mode: row.mode as Mode,
  createdAt: (row.created_at instanceof Date
    ? row.created_at.toISOString()
    : String(row.created_at)) as Timestamp.Timestamp,
  mailMessageId: row.mail_message_id ?? undefined,
})

const LOG_COLUMNS =
  "notification_id, user_id, kind, region_id, case_id, facts, mode, created_at, mail_message_id"

/** Migration 22. */
export const notificationsMigration = {
  sqlite: [
    "CREATE TABLE notification_preferences (user_id TEXT PRIMARY KEY REFERENCES users(id), modes TEXT NOT NULL, digest_hour INTEGER NOT NULL CHECK (digest_hour BETWEEN 0 AND 23), updated_at TEXT NOT NULL)",
    "CREATE TABLE notification_log (notification_id TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id), kind TEXT NOT NULL, region_id TEXT NOT NULL, case_id TEXT, facts TEXT NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('direct', 'dagelijks', 'uit')), created_at TEXT NOT NULL, mail_message_id TEXT, PRIMARY KEY (notification_id, user_id))",
    "CREATE INDEX notification_log_digest_idx ON notification_log (user_id, created_at) WHERE mode = 'dagelijks' AND mail_message_id IS NULL",
    "CREATE INDEX notification_log_mail_idx ON notification_log (mail_message_id)",
    "CREATE TABLE notification_digests (user_id TEXT NOT NULL REFERENCES users(id), on_date TEXT NOT NULL, message_id TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (user_id, on_date))",
  ],
  pg: [
    "CREATE TABLE notification_preferences (user_id TEXT PRIMARY KEY REFERENCES users(id), modes jsonb NOT NULL, digest_hour INTEGER NOT NULL CHECK (digest_hour BETWEEN 0 AND 23), updated_at timestamptz NOT NULL)",
    "CREATE TABLE notification_log (notification_id TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id), kind TEXT NOT NULL, region_id TEXT NOT NULL, case_id TEXT, facts jsonb NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('direct', 'dagelijks', 'uit')), created_at timestamptz NOT NULL, mail_message_id TEXT, PRIMARY KEY (notification_id, user_id))",
    "CREATE INDEX notification_log_digest_idx ON notification_log (user_id, created_at) WHERE mode = 'dagelijks' AND mail_message_id IS NULL",
    "CREATE INDEX notification_log_mail_idx ON notification_log (mail_message_id)",
    "CREATE TABLE notification_digests (user_id TEXT NOT NULL REFERENCES users(id), on_date TEXT NOT NULL, message_id TEXT NOT NULL, created_at timestamptz NOT NULL, PRIMARY KEY (user_id, on_date))",
  ],
} as const

const decodeUser = Schema.decodeUnknown(UserRow)

export class NotificationStore extends Effect.Service<NotificationStore>()(
  "@verzuimregie/store/NotificationStore",
  {
    effect: Effect.gen(function* () {
      const db = yield* Database
      const { sql } = db

      const preferences = (userId: Ids.UserId): Effect.Effect<Option.Option<StoredPreferences>, SqlError> =>
        Effect.map(
          sql<{
            user_id: string
            modes: unknown
            digest_hour: unknown
            updated_at: unknown
          }>`SELECT user_id, modes, digest_hour, updated_at FROM notification_preferences WHERE user_id = ${userId}`,
          (rows) => {
            const row = rows[0]
            if (row === undefined) return Option.none()
            return Option.some({
              userId: row.user_id as Ids.UserId,
              modes: parseJson(row.modes) as Record<string, Mode>,
              digestHour: toInt(row.digest_hour),
              updatedAt: (row.updated_at instanceof Date
                ? row.updated_at.toISOString()
                : String(row.updated_at)) as Timestamp.Timestamp,
            })
          },
        )

      /** Saves a user's preferences (all of them), with the change's audit records. */
      const savePreferences = (input: {
        readonly userId: Ids.UserId
        readonly modes: Readonly<Record<string, Mode>>
        readonly digestHour: number
        readonly audit?: ReadonlyArray<AuditEntry> | undefined
      }): Effect.Effect<void, SqlError> =>
        db.writeTransaction(
          Effect.gen(function* () {
            const at = yield* now
            const modes = JSON.stringify(input.modes)
            yield* sql`INSERT INTO notification_preferences ${sql.insert({
              user_id: input.userId,
              modes,
              digest_hour: input.digestHour,
              updated_at: at,
            })} ON CONFLICT (user_id) DO UPDATE SET modes = excluded.modes, digest_hour = excluded.digest_hour, updated_at = excluded.updated_at`
            const audit = input.audit ?? []
            if (audit.length > 0) {
              // An audit entry that does not validate is a programming error here.
              const valid = yield* Effect.orDie(validate(audit))
              yield* appendInTransaction(db, valid)
            }
          }),
        )

      /**
       * The active people of a region with any of `roles`. `users.roles` and `users.regions` are
       * comma-separated lists; wrapping them in commas makes `LIKE '%,x,%'` an exact match.
       */
      const usersWithRole = (
        regionId: string,
        roles: ReadonlyArray<string>,
      ): Effect.Effect<ReadonlyArray<User>, SqlError> =>
        roles.length === 0
          ? Effect.succeed([])
          : Effect.gen(function* () {
              const rows = yield* sql`SELECT ${sql.literal(USER_COLUMNS)} FROM users
                WHERE active = ${db.bool(true)} AND kind = 'person'
                  AND (',' || regions || ',') LIKE ${`%,${regionId},%`}
                  AND ${sql.or(roles.map((role) => sql`(',' || roles || ',') LIKE ${`%,${role},%`}`))}
                ORDER BY id`
              const users: Array<User> = []
              for (const row of rows) users.push(toUser(yield* rowsOrDie(decodeUser(row))))
              return users
            })

      /**
       * Records a notification's entries (one per recipient); an entry already logged is skipped.
       * For every entry that is new, `mailFor` may give its mail, enqueued in the same transaction.
       * Returns the entries that were new.
       */
      const record = (
        entries: ReadonlyArray<NewEntry>,
        mailFor: (entry: NewEntry) => OutboxMessage | undefined,
      ): Effect.Effect<ReadonlyArray<NewEntry>, SqlError> =>
        entries.length === 0
          ? Effect.succeed([])
          : db.writeTransaction(
              Effect.gen(function* () {
                const at = yield* now
                const fresh: Array<NewEntry> = []
                for (const entry of entries) {
                  const mail = entry.mode === "direct" ? mailFor(entry) : undefined
                  const inserted = yield* sql<{ user_id: string }>`INSERT INTO notification_log ${sql.insert({
                    notification_id: entry.notificationId,
                    user_id: entry.userId,
                    kind: entry.kind,
                    region_id: entry.regionId,
                    case_id: entry.caseId ?? null,
                    facts: JSON.stringify(entry.facts),
                    mode: entry.mode,
                    created_at: at,
                    mail_message_id: mail?.messageId ?? null,
                  })} ON CONFLICT (notification_id, user_id) DO NOTHING RETURNING user_id`
                  if (inserted.length === 0) continue
                  fresh.push(entry)
                  if (mail !== undefined) yield* enqueueInTransaction(db, [mail])
                }
                return fresh
              }),
            )

      const entry = (
        notificationId: string,
        userId: Ids.UserId,
      ): Effect.Effect<Option.Option<LogEntry>, SqlError> =>
        Effect.map(
          sql<LogRow>`SELECT ${sql.literal(LOG_COLUMNS)} FROM notification_log
            WHERE notification_id = ${notificationId} AND user_id = ${userId}`,
          (rows) => Option.map(Option.fromNullable(rows[0]), toEntry),
        )

      /** The entries a mail carried (a digest's items), oldest first. */
      const entriesOfMail = (messageId: string): Effect.Effect<ReadonlyArray<LogEntry>, SqlError> =>
        Effect.map(
          sql<LogRow>`SELECT ${sql.literal(LOG_COLUMNS)} FROM notification_log
            WHERE mail_message_id = ${messageId} ORDER BY created_at, notification_id`,
          (rows) => rows.map(toEntry),
        )

      /** A user's log, newest first (for the preferences page and the tests). */
      const entriesOf = (userId: Ids.UserId, limit = 50): Effect.Effect<ReadonlyArray<LogEntry>, SqlError> =>
        Effect.map(
          sql<LogRow>`SELECT ${sql.literal(LOG_COLUMNS)} FROM notification_log
            WHERE user_id = ${userId} ORDER BY created_at DESC, notification_id LIMIT ${limit}`,
          (rows) => rows.map(toEntry),
        )

      /** Users with digest entries waiting, and the oldest waiting entry's time. */
      const waitingDigests = (): Effect.Effect<
        ReadonlyArray<{ readonly userId: Ids.UserId; readonly items: number }>,
        SqlError
      > =>
        Effect.map(
          sql<{ user_id: string; items: unknown }>`SELECT user_id, count(*) AS items FROM notification_log
            WHERE mode = 'dagelijks' AND mail_message_id IS NULL GROUP BY user_id ORDER BY user_id`,
          (rows) => rows.map((r) => ({ userId: r.user_id as Ids.UserId, items: toInt(r.items) })),
        )

      /**
       * Makes a user's digest of `onDate`, once: claims the day (a second claim of the same day
       * does nothing and returns 0), stamps every entry waiting since before `until` with
       * `mail.messageId` and enqueues the mail, in one transaction. Returns how many entries it carries.
       */
      const closeDigest = (input: {
        readonly userId: Ids.UserId
        readonly onDate: string
        /** The digest's moment: entries logged after it wait for the next digest. */
        readonly until: Timestamp.Timestamp
        readonly mail: OutboxMessage & { readonly messageId: string }
      }): Effect.Effect<number, SqlError> =>
        db.writeTransaction(
          Effect.gen(function* () {
            const at = yield* now
            const claimed = yield* sql<{ user_id: string }>`INSERT INTO notification_digests ${sql.insert({
              user_id: input.userId,
              on_date: input.onDate,
              message_id: input.mail.messageId,
              created_at: at,
            })} ON CONFLICT (user_id, on_date) DO NOTHING RETURNING user_id`
            if (claimed.length === 0) return 0
            const stamped = yield* sql<{ notification_id: string }>`UPDATE notification_log
              SET mail_message_id = ${input.mail.messageId}
              WHERE user_id = ${input.userId} AND mode = 'dagelijks' AND mail_message_id IS NULL
                AND created_at <= ${input.until}
              RETURNING notification_id`
            if (stamped.length > 0) yield* enqueueInTransaction(db, [input.mail])
            return stamped.length
          }),
        )

      return {
        preferences,
        savePreferences,
        usersWithRole,
        record,
        entry,
        entriesOfMail,
        entriesOf,
        waitingDigests,
        closeDigest,
      } as const
    }),
  },
) {}
