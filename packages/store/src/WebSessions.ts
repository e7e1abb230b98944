/**
 * Sessions of the web app: server-side records behind an opaque cookie, so a session can be ended
 * (sign-out, an admin, a changed account) and runs out by itself, both after a fixed lifetime and
 * after a quiet spell. The cookie holds `vrs_<id>_<secret>`; only the secret's SHA-256 is stored,
 * as for API tokens, so a copy of the database opens no session.
 *
 * How a person proved who they are (`method`) is recorded, not used: a sign-in with OpenID Connect
 * becomes one more method that starts a session here; pages never see the difference.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import type { SqlError } from "@effect/sql/SqlError"
import { Ids, Timestamp } from "@verzuimregie/domain"
import { Effect, Option, Schema } from "effect"
import { AccountPolicy, acting, toUser, type User, UserRow } from "./Accounts.js"
import { type AuditEntry, validate } from "./AuditLog.js"
import { appendInTransaction } from "./internal/auditChain.js"
import { Database, now } from "./internal/service.js"

/** How the person signed in. `oidc` is reserved for single sign-on. */
export const SignInMethod = Schema.Literal("token", "link", "oidc")
export type SignInMethod = typeof SignInMethod.Type

/** Why a session ended; `vervangen`: a new sign-in in the same browser replaced it. */
export const EndReason = Schema.Literal("uitgelogd", "ingetrokken", "account-gewijzigd", "vervangen")
export type EndReason = typeof EndReason.Type

export interface Session {
  readonly id: string
  readonly userId: Ids.UserId
  readonly method: SignInMethod
  /** The token every form of this session carries (synchroniser token against CSRF). */
  readonly csrfToken: string
  readonly createdAt: Timestamp.Timestamp
  readonly lastSeenAt: Timestamp.Timestamp
  readonly expiresAt: Timestamp.Timestamp
}

export interface Lifetimes {
  /** From sign-in to the end, whatever the use. */
  readonly absoluteMs: number
  /** Without a request for this long, the session is over. */
  readonly idleMs: number
}

/**
 * Eight hours for a working day; 30 minutes idle, as the BIO (Baseline Informatiebeveiliging
 * Overheid) asks for screens with personal data left alone.
 */
export const DEFAULT_LIFETIMES: Lifetimes = { absoluteMs: 8 * 3_600_000, idleMs: 30 * 60_000 }

/** A request refreshes `last_seen_at` at most this often: a page view is no write. */
const TOUCH_EVERY_MS = 60_000

const COOKIE_PATTERN = /^vrs_([0-9a-z]{16})_([A-Za-z0-9_-]{43})$/

const hashSecret = (secret: string): Buffer => createHash("sha256").update(secret, "utf8").digest()

interface SessionRow {
  readonly id: string
  readonly user_id: string
  readonly hash: string
  readonly csrf: string
  readonly method: string
  readonly created_at: string
  readonly last_seen_at: string
  readonly expires_at: string
  readonly ended_at: string | null
}

/** The user's columns, prefixed `u_`, as `resolve` reads them with the session in one query. */
const USER_FIELDS = Object.keys(UserRow.fields).filter((field) => field !== "id")
const USER_SELECT = USER_FIELDS.map((field) => `u.${field} AS u_${field}`).join(", ")
const decodeUser = Schema.decodeUnknown(UserRow)

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.user_id as Ids.UserId,
  method: row.method as SignInMethod,
  csrfToken: row.csrf,
  createdAt: row.created_at as Timestamp.Timestamp,
  lastSeenAt: row.last_seen_at as Timestamp.Timestamp,
  expiresAt: row.expires_at as Timestamp.Timestamp,
})

const plusMs = (at: Timestamp.Timestamp, ms: number): Timestamp.Timestamp =>
  Timestamp.fromMillis(Date.parse(at) + ms)

export class WebSessions extends Effect.Service<WebSessions>()("@verzuimregie/store/WebSessions", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const { sql } = db

    const auditIn = (entries: ReadonlyArray<AuditEntry>) =>
      entries.length === 0
        ? Effect.void
        : Effect.flatMap(validate(entries), (valid) => appendInTransaction(db, valid))

    /** Starts a session for `userId`; the audit records of the sign-in go in the same transaction. */
    const start = (input: {
      readonly userId: Ids.UserId
      readonly method: SignInMethod
      readonly lifetimes?: Lifetimes | undefined
      /** The sign-in's audit records, written in the session's transaction. */
      readonly audit?: ((session: Session) => ReadonlyArray<AuditEntry>) | undefined
    }): Effect.Effect<{ readonly cookie: string; readonly session: Session }, SqlError | Errors> =>
      Effect.gen(function* () {
        const id = Ids.randomIdBody().slice(0, 16)
        const secret = randomBytes(32).toString("base64url")
        const at = yield* now
        const session: Session = {
          id,
          userId: input.userId,
          method: input.method,
          csrfToken: randomBytes(32).toString("base64url"),
          createdAt: at,
          lastSeenAt: at,
          expiresAt: plusMs(at, (input.lifetimes ?? DEFAULT_LIFETIMES).absoluteMs),
        }
        yield* db.writeTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO web_sessions ${sql.insert({
              id,
              user_id: input.userId,
              hash: hashSecret(secret).toString("hex"),
              csrf: session.csrfToken,
              method: input.method,
              created_at: at,
              last_seen_at: at,
              expires_at: session.expiresAt,
              ended_at: null,
              ended_reason: null,
            })}`
            yield* auditIn(input.audit?.(session) ?? [])
          }),
        )
        return { cookie: `vrs_${id}_${secret}`, session }
      })

    const find = (cookie: string) =>
      Effect.gen(function* () {
        const match = COOKIE_PATTERN.exec(cookie)
        if (match === null) return Option.none<SessionRow>()
        const [, id, secret] = match as unknown as [string, string, string]
        const rows = yield* sql<SessionRow>`
          SELECT id, user_id, hash, csrf, method, created_at, last_seen_at, expires_at, ended_at
          FROM web_sessions WHERE id = ${id}`
        const row = rows[0]
        if (row === undefined) return Option.none<SessionRow>()
        const expected = Buffer.from(row.hash, "hex")
        const actual = hashSecret(secret)
        return expected.length === actual.length && timingSafeEqual(expected, actual)
          ? Option.some(row)
          : Option.none<SessionRow>()
      })

    /**
     * The session behind a cookie and its user as they may act now, or none: unknown, ended,
     * past its lifetime, idle too long, or an account that may no longer act. One query for
     * both (a join), plus a write at most once a minute to move the idle timeout on.
     */
    const resolve = (
      cookie: string,
      lifetimes: Lifetimes = DEFAULT_LIFETIMES,
    ): Effect.Effect<Option.Option<{ readonly session: Session; readonly user: User }>, SqlError> =>
      Effect.gen(function* () {
        const match = COOKIE_PATTERN.exec(cookie)
        if (match === null) return Option.none()
        const [, id, secret] = match as unknown as [string, string, string]
        const rows = yield* sql<SessionRow & Record<string, unknown>>`
          SELECT s.id, s.user_id, s.hash, s.csrf, s.method, s.created_at, s.last_seen_at, s.expires_at, s.ended_at,
            ${sql.literal(USER_SELECT)}
          FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ${id}`
        const row = rows[0]
        if (row === undefined) return Option.none()
        const expected = Buffer.from(row.hash, "hex")
        const actual = hashSecret(secret)
        if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return Option.none()
        const at = yield* now
        const atMs = Date.parse(at)
        if (row.ended_at !== null || Date.parse(row.expires_at) <= atMs) return Option.none()
        if (Date.parse(row.last_seen_at) + lifetimes.idleMs <= atMs) return Option.none()
        const userRow = yield* decodeUser({
          id: row.user_id,
          ...Object.fromEntries(USER_FIELDS.map((field) => [field, row[`u_${field}`]])),
        }).pipe(Effect.orDie)
        const actingUser = acting(toUser(userRow), yield* AccountPolicy)
        if (Option.isNone(actingUser)) return Option.none()
        if (Date.parse(row.last_seen_at) + TOUCH_EVERY_MS <= atMs)
          yield* sql`UPDATE web_sessions SET last_seen_at = ${at} WHERE id = ${row.id} AND ended_at IS NULL`
        return Option.some({ session: { ...toSession(row), lastSeenAt: at }, user: actingUser.value })
      })

    /** Ends the session behind a cookie (sign-out); its audit records in the same transaction. */
    const end = (
      cookie: string,
      reason: EndReason,
      audit: (session: Session) => ReadonlyArray<AuditEntry> = () => [],
    ): Effect.Effect<Option.Option<Session>, SqlError | Errors> =>
      Effect.gen(function* () {
        const found = yield* find(cookie)
        if (Option.isNone(found) || found.value.ended_at !== null) return Option.none()
        const session = toSession(found.value)
        const at = yield* now
        yield* db.writeTransaction(
          Effect.gen(function* () {
            yield* sql`UPDATE web_sessions SET ended_at = ${at}, ended_reason = ${reason} WHERE id = ${session.id} AND ended_at IS NULL`
            yield* auditIn(audit(session))
          }),
        )
        return Option.some(session)
      })

    /** Ends every open session of a user (an admin revokes access, the account changed). */
    const endAllFor = (userId: Ids.UserId, reason: EndReason): Effect.Effect<number, SqlError> =>
      Effect.gen(function* () {
        const at = yield* now
        const rows = yield* sql<{
          id: string
        }>`UPDATE web_sessions SET ended_at = ${at}, ended_reason = ${reason} WHERE user_id = ${userId} AND ended_at IS NULL RETURNING id`
        return rows.length
      })

    /** Removes sessions that ended or ran out more than `olderThanMs` ago (housekeeping). */
    const prune = (olderThanMs: number): Effect.Effect<number, SqlError> =>
      Effect.gen(function* () {
        const before = plusMs(yield* now, -olderThanMs)
        const rows = yield* sql<{
          id: string
        }>`DELETE FROM web_sessions WHERE (ended_at IS NOT NULL AND ended_at < ${before}) OR expires_at < ${before} RETURNING id`
        return rows.length
      })

    return { start, resolve, end, endAllFor, prune }
  }),
}) {}

type Errors = Effect.Effect.Error<ReturnType<typeof validate>>

export const webSessionsMigration = {
  sqlite: [
    "CREATE TABLE web_sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), hash TEXT NOT NULL, csrf TEXT NOT NULL, method TEXT NOT NULL CHECK (method IN ('token', 'link', 'oidc')), created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT, ended_reason TEXT)",
    "CREATE INDEX web_sessions_user_idx ON web_sessions (user_id) WHERE ended_at IS NULL",
  ],
  pg: [
    "CREATE TABLE web_sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), hash TEXT NOT NULL, csrf TEXT NOT NULL, method TEXT NOT NULL CHECK (method IN ('token', 'link', 'oidc')), created_at timestamptz NOT NULL, last_seen_at timestamptz NOT NULL, expires_at timestamptz NOT NULL, ended_at timestamptz, ended_reason TEXT)",
    "CREATE INDEX web_sessions_user_idx ON web_sessions (user_id) WHERE ended_at IS NULL",
  ],
} as const
