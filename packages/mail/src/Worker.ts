/**
 * The outbox worker: claims due `mail` messages with a lease, renders and sends each, and marks it
 * sent, for a retry, or dead.
 *
 * Retry policy: after failed attempt n the message waits `min(max, base · 2^(n-1))`, of which a
 * random half is jitter (so instances that failed together do not retry together): with the
 * defaults 15–30 s, 30–60 s, 1–2 min, … up to 30–60 min. A permanent failure (an SMTP 5xx reply, or
 * a message that cannot be made: unknown region, no address) goes to the dead letters at once;
 * otherwise a message goes there after its last attempt (`MAIL_MAX_ATTEMPTS`, default 8). A dead
 * letter can be requeued by an operator (the store's `Outbox.requeue`).
 *
 * A lost lease (the worker was too slow and another took the message) is logged and left alone:
 * delivery is at-least-once, and the stable Message-ID lets the receiving side spot a duplicate.
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Timestamp } from "@verzuimregie/domain"
import { type Accounts, type AuditLog, type CaseQueries, type CaseStore, Outbox } from "@verzuimregie/store"
import { Clock, Duration, Effect } from "effect"
import type { RetryPolicy } from "./MailConfig.js"
import { rfcMessageId, TOPIC } from "./Messages.js"
import { type RenderEnv, render } from "./Render.js"
import { classify, Mailer } from "./Transport.js"

export interface WorkerOptions {
  /** Who claims (host and process); 1–100 characters. */
  readonly workerId: string
  readonly from: string
  /** The domain of the Message-IDs. */
  readonly messageIdDomain: string
  readonly retry: RetryPolicy
  /** Messages per claim. Default 10. */
  readonly batchSize?: number
  /** How long a claim holds. Default 5 minutes: longer than rendering and sending one batch. */
  readonly leaseMs?: number
  /** Pause when the outbox is empty. Default 5 s. */
  readonly pollMs?: number
  /** For tests: the jitter's random source. */
  readonly random?: () => number
}

export interface BatchResult {
  readonly claimed: number
  readonly sent: number
  readonly retried: number
  readonly dead: number
  /** What happened to each claimed message. */
  readonly outcomes: ReadonlyArray<{
    readonly messageId: string
    readonly outcome: "sent" | "retry" | "dead" | "lost"
  }>
}

/**
 * The delay before the next attempt after `attempt` failed attempts: exponential with "equal
 * jitter" (half fixed, half random).
 *
 * @example
 * backoffMs(1, { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 8 }, () => 0) // 15_000
 */
export const backoffMs = (
  attempt: number,
  retry: RetryPolicy,
  random: () => number = Math.random,
): number => {
  const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** Claims one batch and handles every message in it. */
export const processBatch = (
  options: WorkerOptions,
  env: RenderEnv,
): Effect.Effect<
  BatchResult,
  SqlError,
  | Outbox.Outbox
  | Mailer
  | CaseQueries.CaseQueries
  | CaseStore.CaseStore
  | Accounts.Accounts
  | AuditLog.AuditLog
> =>
  Effect.gen(function* () {
    const outbox = yield* Outbox.Outbox
    const mailer = yield* Mailer
    const batch = yield* outbox.claim(options.workerId, options.batchSize ?? 10, options.leaseMs ?? 300_000, {
      topics: [TOPIC],
    })
    let sent = 0
    let retried = 0
    let dead = 0
    const outcomes: Array<BatchResult["outcomes"][number]> = []
    for (const message of batch) {
      const log = { messageId: message.messageId, attempt: message.attempts, of: message.maxAttempts }
      const fail = (error: string, permanent: boolean) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const outcome = permanent
            ? ({ permanent: true } as const)
            : {
                retryAt: Timestamp.fromMillis(
                  now + backoffMs(message.attempts, options.retry, options.random),
                ),
              }
          const where = yield* outbox
            .markFailed(message.id, options.workerId, error, outcome)
            .pipe(
              Effect.catchTag("LeaseLost", () =>
                Effect.logWarning(`mail ${message.messageId} failed after its lease ran out: ${error}`).pipe(
                  Effect.as("lost" as const),
                ),
              ),
            )
          outcomes.push({ messageId: message.messageId, outcome: where })
          if (where === "lost") return
          if (where === "dead") {
            dead++
            yield* Effect.logWarning(`mail ${message.messageId} is a dead letter: ${error}`).pipe(
              Effect.annotateLogs(log),
            )
          } else {
            retried++
            yield* Effect.logInfo(`mail ${message.messageId} failed, will retry: ${error}`).pipe(
              Effect.annotateLogs({ ...log, retryAt: "retryAt" in outcome ? outcome.retryAt : "" }),
            )
          }
        })
      const prepared = yield* render(message.messageId, message.payload, env).pipe(Effect.either)
      if (prepared._tag === "Left") {
        const error = prepared.left
        yield* fail(
          error._tag === "RenderFailed"
            ? `cannot make the message: ${error.reason}`
            : `store: ${error.message}`,
          error._tag === "RenderFailed" && error.permanent,
        )
        continue
      }
      const mail = prepared.right
      const delivery = yield* Effect.tryPromise({
        try: () =>
          mailer.send({
            messageId: rfcMessageId(message.messageId, options.messageIdDomain),
            from: options.from,
            to: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            attachments: mail.attachments,
            headers: {
              "X-Verzuimregie-Attempt": String(message.attempts),
              "Auto-Submitted": "auto-generated",
            },
          }),
        catch: classify,
      }).pipe(Effect.either)
      if (delivery._tag === "Left") {
        yield* fail(delivery.left.message, delivery.left.permanent)
        continue
      }
      const marked = yield* outbox.markSent(message.id, options.workerId).pipe(Effect.either)
      if (marked._tag === "Left") {
        if (marked.left._tag === "LeaseLost") {
          outcomes.push({ messageId: message.messageId, outcome: "lost" })
          yield* Effect.logWarning(`mail ${message.messageId} was sent, but its lease had run out`).pipe(
            Effect.annotateLogs(log),
          )
          continue
        }
        return yield* Effect.fail(marked.left)
      }
      sent++
      outcomes.push({ messageId: message.messageId, outcome: "sent" })
      yield* Effect.logInfo(`mail ${message.messageId} sent (${mail.summary})`).pipe(
        Effect.annotateLogs({ ...log, rejected: delivery.right.rejected.length }),
      )
    }
    return { claimed: batch.length, sent, retried, dead, outcomes }
  })

/**
 * Runs the worker until interrupted: a batch, then the next at once while there is work, or a
 * pause of `pollMs` when the outbox is empty or the database is unavailable.
 */
export const run = (
  options: WorkerOptions,
  env: RenderEnv,
): Effect.Effect<
  never,
  never,
  | Outbox.Outbox
  | Mailer
  | CaseQueries.CaseQueries
  | CaseStore.CaseStore
  | Accounts.Accounts
  | AuditLog.AuditLog
> => {
  const pause = Effect.sleep(Duration.millis(options.pollMs ?? 5_000))
  return processBatch(options, env).pipe(
    Effect.flatMap((result) => (result.claimed === 0 ? pause : Effect.void)),
    Effect.catchAll((error) =>
      Effect.logWarning(`mail worker: the outbox is unavailable: ${error.message}`).pipe(
        Effect.zipRight(pause),
      ),
    ),
    Effect.catchAllDefect((defect) =>
      Effect.logError(`mail worker: unexpected failure: ${String(defect)}`).pipe(Effect.zipRight(pause)),
    ),
    Effect.forever,
  )
}
