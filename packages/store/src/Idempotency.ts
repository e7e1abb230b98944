/**
 * Idempotency keys for POST requests. A client sends `Idempotency-Key`; the gateway calls `begin`
 * with the key and a fingerprint of the request:
 * - first time: `Started`, the key is held in progress while the request runs, then `complete`
 *   stores the response — in the same transaction as the request's change, so a crash between
 *   the commit and the answer leaves a completed key whose retry replays the answer;
 * - a retry of the same request: `Replay` with the first response;
 * - the same key with another request: `IdempotencyKeyReused` (the gateway answers 422);
 * - the same key while the first request still runs: `IdempotencyKeyInProgress` (409).
 *
 * A key expires after its time to live (default 24 h); an in-progress key whose request died is
 * taken over after its lock (default 60 s) runs out. Stored responses may hold personal data:
 * `purgeExpired` removes them, and should run on a schedule.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import type { SqlError } from "@effect/sql/SqlError"
import { HttpMeaning, Timestamp } from "@verzuimregie/domain"
import { Effect, Schema } from "effect"
import { Database, now } from "./internal/service.js"
import { toInt } from "./internal/sql.js"

export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000
export const DEFAULT_LOCK_MS = 60 * 1000

export type BeginResult =
  /** `attempt` names this run of the request; `complete` takes it to prove the key is still its own. */
  | { readonly _tag: "Started"; readonly attempt: string }
  | { readonly _tag: "Replay"; readonly status: number; readonly body: string }

export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()(
  "IdempotencyKeyReused",
  {
    clientId: Schema.String,
    key: Schema.String,
  },
  HttpMeaning.status(422, {
    type: "https://verzuimregie.nl/problems/idempotency-key-reused",
    title: "Idempotency-Key al gebruikt voor een ander verzoek",
  }),
) {
  override get message(): string {
    return "this idempotency key was used for a different request"
  }
}

export class IdempotencyKeyInProgress extends Schema.TaggedError<IdempotencyKeyInProgress>()(
  "IdempotencyKeyInProgress",
  {
    clientId: Schema.String,
    key: Schema.String,
    lockedUntil: Schema.String,
  },
  HttpMeaning.status(409, {
    type: "https://verzuimregie.nl/problems/idempotency-key-in-progress",
    title: "Een verzoek met deze Idempotency-Key loopt nog",
  }),
) {
  override get message(): string {
    return "a request with this idempotency key is still being processed"
  }
}

/**
 * The key's lock ran out while this request was still running and a retry took it over: this run
 * must not commit its change (the retry's will be the one), so `complete` fails and the
 * surrounding transaction rolls back.
 */
export class IdempotencyKeyTakenOver extends Schema.TaggedError<IdempotencyKeyTakenOver>()(
  "IdempotencyKeyTakenOver",
  {
    clientId: Schema.String,
    key: Schema.String,
  },
  // This run's lock ran out and a retry took the key over: that retry's answer is the one.
  HttpMeaning.status(409, {
    type: "https://verzuimregie.nl/problems/idempotency-key-in-progress",
    title: "Een verzoek met deze Idempotency-Key loopt nog",
  }),
) {
  override get message(): string {
    return "the idempotency key was taken over by a retry after its lock ran out"
  }
}

/** A key or client id outside the accepted shape (empty, too long, control characters). */
export class InvalidIdempotencyKey extends Schema.TaggedError<InvalidIdempotencyKey>()(
  "InvalidIdempotencyKey",
  {
    reason: Schema.String,
  },
  HttpMeaning.status(422, {
    detail: "De Idempotency-Key klopt niet.",
    errors: [
      {
        path: "header.Idempotency-Key",
        pointer: "/headers/Idempotency-Key",
        detail: "1 tot 255 zichtbare ASCII-tekens, zonder spaties",
      },
    ],
  }),
) {}

export interface KeyRef {
  readonly clientId: string
  readonly key: string
}

export interface BeginInput extends KeyRef {
  /** A digest of what makes the request the same request; see `fingerprint`. */
  readonly fingerprint: string
  readonly ttlMs?: number | undefined
  readonly lockMs?: number | undefined
}

export interface CompleteInput extends KeyRef {
  readonly status: number
  readonly body: string
  /**
   * The `attempt` that `begin` returned. With it, `complete` fails with `IdempotencyKeyTakenOver`
   * unless the key is still held by this attempt; without it, completing a key that is not in
   * progress changes nothing.
   */
  readonly attempt?: string | undefined
}

/**
 * SHA-256 over the parts that identify a request (method, path, body…), each length-prefixed so
 * `["ab", "c"]` and `["a", "bc"]` differ.
 *
 * @example
 * Idempotency.fingerprint("POST", "/referrals", rawBody)
 */
export const fingerprint = (...parts: ReadonlyArray<string>): string => {
  const hash = createHash("sha256")
  for (const part of parts) hash.update(`${Buffer.byteLength(part, "utf8")}:`).update(part, "utf8")
  return hash.digest("hex")
}

/** An accepted key (and client id): 1 to 255 visible ASCII characters, no spaces. */
export const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/

const checkRef = (ref: KeyRef): Effect.Effect<void, InvalidIdempotencyKey> =>
  KEY_PATTERN.test(ref.key) && KEY_PATTERN.test(ref.clientId)
    ? Effect.void
    : Effect.fail(
        new InvalidIdempotencyKey({
          reason: "key and client id are 1 to 255 printable characters without spaces",
        }),
      )

interface KeyRow {
  readonly fingerprint: string
  readonly state: "in-progress" | "completed"
  readonly response_status: unknown
  readonly response_body: string | null
  readonly locked_until: string | null
  readonly expires_at: string
}

export class Idempotency extends Effect.Service<Idempotency>()("@verzuimregie/store/Idempotency", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const { sql } = db

    /**
     * Claims the key for this request, or tells why not.
     *
     * @example
     * const started = yield* idempotency.begin({ clientId, key, fingerprint: fp })
     * if (started._tag === "Replay") return c.body(started.body, started.status)
     */
    const begin = (
      input: BeginInput,
    ): Effect.Effect<
      BeginResult,
      IdempotencyKeyReused | IdempotencyKeyInProgress | InvalidIdempotencyKey | SqlError
    > =>
      Effect.gen(function* () {
        yield* checkRef(input)
        const at = yield* now
        const lockedUntil = Timestamp.plus(at, input.lockMs ?? DEFAULT_LOCK_MS)
        const expiresAt = Timestamp.plus(at, input.ttlMs ?? DEFAULT_TTL_MS)
        const { clientId, key } = input
        return yield* db.writeTransaction(
          Effect.gen(function* () {
            const inserted = yield* sql<{ key: string }>`INSERT INTO idempotency_keys ${sql.insert({
              client_id: clientId,
              key,
              fingerprint: input.fingerprint,
              state: "in-progress",
              created_at: at,
              locked_until: lockedUntil,
              expires_at: expiresAt,
            })} ON CONFLICT (client_id, key) DO NOTHING RETURNING key`
            // The lock's end names the attempt: a takeover sets a later one, so no two attempts share it.
            if (inserted.length > 0) return { _tag: "Started", attempt: lockedUntil } as const
            const [row] =
              yield* sql<KeyRow>`SELECT fingerprint, state, response_status, response_body, locked_until,
                expires_at FROM idempotency_keys
              WHERE client_id = ${clientId} AND key = ${key}${sql.literal(db.forUpdate)}`
            if (row === undefined)
              return yield* Effect.dieMessage("idempotency key vanished inside a transaction")
            const expired = row.expires_at <= at
            const abandoned =
              row.state === "in-progress" && row.locked_until !== null && row.locked_until <= at
            if (expired || (abandoned && row.fingerprint === input.fingerprint)) {
              // A stale key starts afresh; an abandoned one (its request died) is taken over.
              yield* sql`UPDATE idempotency_keys SET fingerprint = ${input.fingerprint}, state = 'in-progress',
                  response_status = NULL, response_body = NULL, created_at = ${at}, locked_until = ${lockedUntil},
                  completed_at = NULL, expires_at = ${expiresAt}
                WHERE client_id = ${clientId} AND key = ${key}`
              return { _tag: "Started", attempt: lockedUntil } as const
            }
            if (row.fingerprint !== input.fingerprint)
              return yield* new IdempotencyKeyReused({ clientId, key })
            if (row.state === "in-progress") {
              return yield* new IdempotencyKeyInProgress({
                clientId,
                key,
                lockedUntil: row.locked_until ?? "",
              })
            }
            return {
              _tag: "Replay",
              status: toInt(row.response_status),
              body: row.response_body ?? "",
            } as const
          }),
        )
      })

    /**
     * Stores the response of the request that began the key. Run it in the same transaction as the
     * change (`Database.writeTransaction`) so the change and its stored response commit together:
     * a crash after the commit leaves the answer for the retry, a crash before it leaves neither.
     * Completing a key that is not in progress changes nothing: the first response stays.
     */
    const complete = (
      input: CompleteInput,
    ): Effect.Effect<void, InvalidIdempotencyKey | IdempotencyKeyTakenOver | SqlError> =>
      Effect.gen(function* () {
        yield* checkRef(input)
        const at = yield* now
        const held = input.attempt === undefined ? sql`` : sql` AND locked_until = ${input.attempt}`
        const rows = yield* sql<{ key: string }>`UPDATE idempotency_keys SET state = 'completed',
            response_status = ${input.status}, response_body = ${input.body}, completed_at = ${at},
            locked_until = NULL
          WHERE client_id = ${input.clientId} AND key = ${input.key} AND state = 'in-progress'${held}
          RETURNING key`
        if (input.attempt !== undefined && rows.length === 0)
          return yield* new IdempotencyKeyTakenOver({ clientId: input.clientId, key: input.key })
      })

    /**
     * Forgets an in-progress key after its request failed, so the client may retry at once. With
     * `attempt`, only while this attempt still holds it (a retry that took it over keeps it).
     */
    const release = (
      ref: KeyRef & { readonly attempt?: string | undefined },
    ): Effect.Effect<void, InvalidIdempotencyKey | SqlError> =>
      Effect.gen(function* () {
        yield* checkRef(ref)
        const held = ref.attempt === undefined ? sql`` : sql` AND locked_until = ${ref.attempt}`
        yield* sql`DELETE FROM idempotency_keys
          WHERE client_id = ${ref.clientId} AND key = ${ref.key} AND state = 'in-progress'${held}`
      })

    /** Deletes expired keys (and the responses they hold). Returns how many. */
    const purgeExpired: Effect.Effect<number, SqlError> = Effect.gen(function* () {
      const at = yield* now
      const rows = yield* sql<{
        key: string
      }>`DELETE FROM idempotency_keys WHERE expires_at <= ${at} RETURNING key`
      return rows.length
    })

    return { begin, complete, release, purgeExpired } as const
  }),
}) {}
