/**
 * The outbox: side effects that must not be lost (mail) are rows written in the same transaction
 * as the change that causes them, and a worker delivers them afterwards. A worker claims rows with
 * a lease; a crashed worker's lease runs out and the row is claimed again, so delivery is
 * at-least-once (consumers deduplicate on `messageId`). Rows that keep failing, or fail for good,
 * go to the dead letters, where an operator can requeue them.
 *
 * Payloads carry ids and template codes, not personal data: the worker reads what it needs.
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import { HttpMeaning, type Ids, type Json, Timestamp } from "@verzuimregie/domain"
import { Effect, Schema } from "effect"
import { enqueueInTransaction } from "./internal/outboxWrite.js"
import { Database, now } from "./internal/service.js"
import { orUndefined, parseJson, toInt } from "./internal/sql.js"
import {
  decodeCursor,
  type InvalidCursor,
  keysetAfter,
  limitOf,
  type Page,
  type PageRequest,
  toPage,
} from "./Pagination.js"

export const OutboxStatus = Schema.Literal("pending", "claimed", "sent", "dead")
export type OutboxStatus = typeof OutboxStatus.Type

export { DEFAULT_MAX_ATTEMPTS } from "./internal/outboxWrite.js"

export interface OutboxMessage {
  /** What kind of side effect, e.g. `mail`. */
  readonly topic: string
  readonly payload: Json.JsonObject
  /** Deduplication key; the same id is stored once. Default: a fresh `msg_…`. */
  readonly messageId?: string | undefined
  /** Not before this instant. Default: now. */
  readonly availableAt?: Timestamp.Timestamp | undefined
  /** After this many failed deliveries the message is dead. Default 10. */
  readonly maxAttempts?: number | undefined
  /** The region the message belongs to, so a worker can claim only the regions it serves. */
  readonly regionId?: string | undefined
}

export interface StoredMessage {
  readonly id: number
  readonly messageId: string
  readonly topic: string
  readonly payload: Json.JsonObject
  /** The case and the case version whose append wrote this message, if any. */
  readonly caseId: Ids.CaseId | undefined
  readonly caseVersion: number | undefined
  readonly regionId: string | undefined
  readonly status: OutboxStatus
  readonly attempts: number
  readonly maxAttempts: number
  readonly nextAttemptAt: Timestamp.Timestamp
  readonly claimedBy: string | undefined
  readonly leaseUntil: Timestamp.Timestamp | undefined
  readonly lastError: string | undefined
  readonly createdAt: Timestamp.Timestamp
  readonly sentAt: Timestamp.Timestamp | undefined
  readonly deadAt: Timestamp.Timestamp | undefined
}

/** The row is no longer claimed by this worker (its lease ran out and another took it). */
export class LeaseLost extends Schema.TaggedError<LeaseLost>()(
  "LeaseLost",
  {
    id: Schema.Number,
    workerId: Schema.String,
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return `outbox message ${this.id} is no longer claimed by ${this.workerId}`
  }
}

export class OutboxMessageNotFound extends Schema.TaggedError<OutboxMessageNotFound>()(
  "OutboxMessageNotFound",
  {
    id: Schema.Number,
    /** The status the message has instead, when it exists but cannot be requeued. */
    status: Schema.optional(OutboxStatus),
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return this.status === undefined
      ? `outbox message ${this.id} does not exist`
      : `outbox message ${this.id} is ${this.status}, not dead`
  }
}

/** Which messages a worker claims: of these topics and regions (each: all when absent). */
export interface ClaimFilter {
  readonly topics?: ReadonlyArray<string> | undefined
  readonly regions?: ReadonlyArray<string> | undefined
  /**
   * With `regions`: also claim messages that belong to no region (installation mail, such as a
   * person's sign-in link). The gateway's worker does; a one-region command does not.
   */
  readonly withoutRegion?: boolean | undefined
}

/** What waits in the outbox, for readiness and the operator; counts and instants only. */
export interface Backlog {
  /** Messages not yet delivered (pending or claimed). */
  readonly waiting: number
  /** Of those, messages that failed at least once and wait for a retry. */
  readonly retrying: number
  /** When the oldest waiting message was queued. */
  readonly oldestWaitingSince: Timestamp.Timestamp | undefined
  readonly deadLetters: number
}

/** How a failed delivery continues: try again at a time, or give up now. */
export type FailureOutcome = { readonly retryAt: Timestamp.Timestamp } | { readonly permanent: true }

interface OutboxRow {
  readonly id: unknown
  readonly message_id: string
  readonly topic: string
  readonly case_id: string | null
  readonly case_version: unknown
  readonly region_id: string | null
  readonly payload: unknown
  readonly status: OutboxStatus
  readonly attempts: unknown
  readonly max_attempts: unknown
  readonly next_attempt_at: string
  readonly claimed_by: string | null
  readonly lease_until: string | null
  readonly last_error: string | null
  readonly created_at: string
  readonly sent_at: string | null
  readonly dead_at: string | null
}

const fromRow = (row: OutboxRow): StoredMessage => ({
  id: toInt(row.id),
  messageId: row.message_id,
  topic: row.topic,
  payload: parseJson(row.payload) as Json.JsonObject,
  caseId: orUndefined(row.case_id) as Ids.CaseId | undefined,
  caseVersion: row.case_version === null ? undefined : toInt(row.case_version),
  regionId: orUndefined(row.region_id),
  status: row.status,
  attempts: toInt(row.attempts),
  maxAttempts: toInt(row.max_attempts),
  nextAttemptAt: row.next_attempt_at as Timestamp.Timestamp,
  claimedBy: orUndefined(row.claimed_by),
  leaseUntil: orUndefined(row.lease_until) as Timestamp.Timestamp | undefined,
  lastError: orUndefined(row.last_error),
  createdAt: row.created_at as Timestamp.Timestamp,
  sentAt: orUndefined(row.sent_at) as Timestamp.Timestamp | undefined,
  deadAt: orUndefined(row.dead_at) as Timestamp.Timestamp | undefined,
})

const MAX_ERROR_LENGTH = 2_000

export class Outbox extends Effect.Service<Outbox>()("@verzuimregie/store/Outbox", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const { sql } = db

    /** Enqueues messages on their own (or in the caller's transaction). Returns their ids. */
    const enqueue = (
      messages: ReadonlyArray<OutboxMessage>,
    ): Effect.Effect<ReadonlyArray<string>, SqlError> =>
      db.writeTransaction(enqueueInTransaction(db, messages))

    /**
     * Returns leases that ran out to the queue (a worker died mid-delivery), or to the dead
     * letters when the message has used its attempts. Returns how many rows moved.
     */
    const releaseExpired: Effect.Effect<number, SqlError> = db.writeTransaction(
      Effect.gen(function* () {
        const at = yield* now
        const dead = yield* sql<{ id: unknown }>`UPDATE outbox
          SET status = 'dead', dead_at = ${at}, claimed_by = NULL, lease_until = NULL,
              last_error = COALESCE(last_error, 'lease expired')
          WHERE status = 'claimed' AND lease_until <= ${at} AND attempts >= max_attempts
          RETURNING id`
        const released = yield* sql<{ id: unknown }>`UPDATE outbox
          SET status = 'pending', claimed_by = NULL, lease_until = NULL
          WHERE status = 'claimed' AND lease_until <= ${at}
          RETURNING id`
        return dead.length + released.length
      }),
    )

    /**
     * Claims up to `limit` due messages for `workerId` for `leaseMs` milliseconds, oldest first.
     * PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers claim disjoint rows without
     * waiting. SQLite: one `UPDATE … RETURNING` in a write transaction, which excludes other
     * writers. Expired leases are released first.
     *
     * @example
     * const batch = yield* outbox.claim("mailer-1", 20, 60_000, { topics: ["mail"] })
     *
     * With `topics`, only messages of those topics are claimed, so workers for different topics
     * share the queue without taking each other's messages. With `regions`, only messages of those
     * regions: a worker claims only what it can deliver, and leaves the rest for whoever serves
     * those regions (messages without a region only with `withoutRegion`).
     */
    const claim = (
      workerId: string,
      limit: number,
      leaseMs: number,
      options: ClaimFilter = {},
    ): Effect.Effect<ReadonlyArray<StoredMessage>, SqlError> =>
      Effect.gen(function* () {
        if (workerId.length === 0 || workerId.length > 100) {
          return yield* Effect.dieMessage("workerId must have 1 to 100 characters")
        }
        if (options.topics !== undefined && options.topics.length === 0) return []
        if (options.regions !== undefined && options.regions.length === 0 && options.withoutRegion !== true)
          return []
        yield* releaseExpired
        const at = yield* now
        const until = Timestamp.plus(at, Math.max(1, Math.floor(leaseMs)))
        const n = Math.max(1, Math.floor(limit))
        // Concurrent workers on PostgreSQL skip each other's rows; SQLite's write lock already excludes.
        const lock = sql.onDialectOrElse({ pg: () => " FOR UPDATE SKIP LOCKED", orElse: () => "" })
        const rows = yield* db.writeTransaction(
          sql<OutboxRow>`UPDATE outbox
            SET status = 'claimed', claimed_by = ${workerId}, lease_until = ${until}, attempts = attempts + 1
            WHERE id IN (
              SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ${at}${
                options.topics === undefined ? sql`` : sql` AND ${sql.in("topic", options.topics)}`
              }${regionCondition(options)}
              ORDER BY next_attempt_at, id LIMIT ${n}${sql.literal(lock)}
            )
            RETURNING *`,
        )
        return rows.map(fromRow).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id - b.id)
      })

    const regionCondition = (options: ClaimFilter) => {
      if (options.regions === undefined) return sql``
      const inRegions = options.regions.length === 0 ? sql`1 = 0` : sql.in("region_id", options.regions)
      return options.withoutRegion === true
        ? sql` AND (${inRegions} OR region_id IS NULL)`
        : sql` AND ${inRegions}`
    }

    const ownedBy = (id: number, workerId: string) =>
      sql`id = ${id} AND status = 'claimed' AND claimed_by = ${workerId}`

    /** Delivered: the message will not be claimed again. */
    const markSent = (id: number, workerId: string): Effect.Effect<void, LeaseLost | SqlError> =>
      Effect.gen(function* () {
        const at = yield* now
        const rows = yield* db.writeTransaction(
          sql<{ id: unknown }>`UPDATE outbox SET status = 'sent', sent_at = ${at}, lease_until = NULL
            WHERE ${ownedBy(id, workerId)} RETURNING id`,
        )
        if (rows.length === 0) return yield* new LeaseLost({ id, workerId })
      })

    /**
     * Delivery failed: retry at `retryAt` (unless the attempts are used up), or give up now with
     * `{ permanent: true }`. Returns where the message went.
     */
    const markFailed = (
      id: number,
      workerId: string,
      error: string,
      outcome: FailureOutcome,
    ): Effect.Effect<"retry" | "dead", LeaseLost | SqlError> =>
      Effect.gen(function* () {
        const at = yield* now
        const lastError = error.slice(0, MAX_ERROR_LENGTH)
        const retryAt = "retryAt" in outcome ? outcome.retryAt : at
        return yield* db.writeTransaction(
          Effect.gen(function* () {
            // Out of attempts (or told to stop): dead letter. Otherwise back in the queue at retryAt.
            const dead = yield* sql<{ id: unknown }>`UPDATE outbox
              SET status = 'dead', dead_at = ${at}, claimed_by = NULL, lease_until = NULL, last_error = ${lastError}
              WHERE ${ownedBy(id, workerId)}${sql.literal("permanent" in outcome ? "" : " AND attempts >= max_attempts")}
              RETURNING id`
            if (dead.length > 0) return "dead" as const
            const retried = yield* sql<{ id: unknown }>`UPDATE outbox
              SET status = 'pending', next_attempt_at = ${retryAt}, claimed_by = NULL, lease_until = NULL,
                  last_error = ${lastError}
              WHERE ${ownedBy(id, workerId)} RETURNING id`
            if (retried.length === 0) return yield* new LeaseLost({ id, workerId })
            return "retry" as const
          }),
        )
      })

    /** Dead letters (of these topics, when given), most recent first. */
    const deadLetters = (
      page?: PageRequest,
      options: { readonly topics?: ReadonlyArray<string> | undefined } = {},
    ): Effect.Effect<Page<StoredMessage>, InvalidCursor | SqlError> =>
      Effect.gen(function* () {
        const limit = limitOf(page)
        const key = yield* decodeCursor("outbox-dead", page?.cursor, ["timestamp", "int"])
        const after = key === undefined ? sql`1=1` : keysetAfter(sql, ["dead_at", "id"], key, "<")
        const topics = options.topics === undefined ? sql`` : sql` AND ${sql.in("topic", options.topics)}`
        const rows = yield* sql<OutboxRow>`SELECT * FROM outbox WHERE status = 'dead' AND ${after}${topics}
          ORDER BY dead_at DESC, id DESC LIMIT ${limit + 1}`
        return toPage("outbox-dead", rows, limit, (row) => [row.dead_at, toInt(row.id)], fromRow)
      })

    /** Puts a dead letter back in the queue with fresh attempts, due now. */
    const requeue = (id: number): Effect.Effect<void, OutboxMessageNotFound | SqlError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const at = yield* now
          const rows = yield* sql<{ id: unknown }>`UPDATE outbox
            SET status = 'pending', attempts = 0, next_attempt_at = ${at}, dead_at = NULL
            WHERE id = ${id} AND status = 'dead' RETURNING id`
          if (rows.length > 0) return
          const [existing] = yield* sql<{ status: OutboxStatus }>`SELECT status FROM outbox WHERE id = ${id}`
          return yield* new OutboxMessageNotFound(
            existing === undefined ? { id } : { id, status: existing.status },
          )
        }),
      )

    /**
     * Puts every dead letter (of these topics, when given) back in the queue with fresh attempts,
     * due now, in one statement. Returns the requeued messages as they are now, by id.
     */
    const requeueAllMessages = (
      options: { readonly topics?: ReadonlyArray<string> | undefined } = {},
    ): Effect.Effect<ReadonlyArray<StoredMessage>, SqlError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          if (options.topics !== undefined && options.topics.length === 0) return []
          const at = yield* now
          const rows = yield* sql<OutboxRow>`UPDATE outbox
            SET status = 'pending', attempts = 0, next_attempt_at = ${at}, dead_at = NULL
            WHERE status = 'dead'${options.topics === undefined ? sql`` : sql` AND ${sql.in("topic", options.topics)}`}
            RETURNING *`
          return rows.map(fromRow).sort((a, b) => a.id - b.id)
        }),
      )

    /** As `requeueAllMessages`, returning only the ids. */
    const requeueAll = (
      options: { readonly topics?: ReadonlyArray<string> | undefined } = {},
    ): Effect.Effect<ReadonlyArray<number>, SqlError> =>
      Effect.map(requeueAllMessages(options), (messages) => messages.map((m) => m.id))

    /** Counts of what waits and what is dead (of these topics, when given). */
    const backlog = (
      options: { readonly topics?: ReadonlyArray<string> | undefined } = {},
    ): Effect.Effect<Backlog, SqlError> =>
      Effect.gen(function* () {
        const topics = options.topics === undefined ? sql`` : sql` AND ${sql.in("topic", options.topics)}`
        // One status per branch, so each reads its partial index (pending, claimed, dead) and never
        // the sent messages, which pile up: /ready runs this on every probe.
        const rows = yield* sql<{
          status: OutboxStatus
          n: unknown
          failed: unknown
          oldest: string | null
        }>`SELECT 'pending' AS status, COUNT(*) AS n, COUNT(last_error) AS failed, MIN(created_at) AS oldest
            FROM outbox WHERE status = 'pending'${topics}
          UNION ALL
          SELECT 'claimed', COUNT(*), COUNT(last_error), MIN(created_at)
            FROM outbox WHERE status = 'claimed'${topics}
          UNION ALL
          SELECT 'dead', COUNT(*), 0, NULL FROM outbox WHERE status = 'dead'${topics}`
        const of = (status: OutboxStatus) => rows.find((r) => r.status === status)
        const waiting = [of("pending"), of("claimed")]
        const oldest = waiting
          .map((r) => r?.oldest ?? null)
          .filter((t): t is string => t !== null)
          .sort()[0]
        return {
          waiting: waiting.reduce((n, r) => n + toInt(r?.n ?? 0), 0),
          retrying: waiting.reduce((n, r) => n + toInt(r?.failed ?? 0), 0),
          oldestWaitingSince: oldest as Timestamp.Timestamp | undefined,
          deadLetters: toInt(of("dead")?.n ?? 0),
        }
      })

    const get = (id: number): Effect.Effect<StoredMessage | undefined, SqlError> =>
      Effect.map(sql<OutboxRow>`SELECT * FROM outbox WHERE id = ${id}`, ([row]) =>
        row === undefined ? undefined : fromRow(row),
      )

    /** The messages a case's appends wrote, in case-version order. */
    const forCase = (caseId: Ids.CaseId): Effect.Effect<ReadonlyArray<StoredMessage>, SqlError> =>
      Effect.map(
        sql<OutboxRow>`SELECT * FROM outbox WHERE case_id = ${caseId} ORDER BY case_version, id`,
        (rows) => rows.map(fromRow),
      )

    return {
      enqueue,
      claim,
      markSent,
      markFailed,
      releaseExpired,
      deadLetters,
      requeue,
      requeueAll,
      requeueAllMessages,
      backlog,
      get,
      forCase,
    } as const
  }),
}) {}
