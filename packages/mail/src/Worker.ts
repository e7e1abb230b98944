/**
 * The outbox worker: claims due `mail` messages with a lease, renders and sends each, and marks it
 * sent, for a retry, or dead.
 *
 * A worker claims only the mail of the regions it renders for (`RenderEnv.regions`): mail of
 * another region waits for the instance or command that serves it, instead of being claimed here
 * and dead-lettered as "not configured".
 *
 * Retry policy: after failed attempt n the message waits `min(max, base · 2^(n-1))`, of which a
 * random half is jitter (so instances that failed together do not retry together): with the
 * defaults 15–30 s, 30–60 s, 1–2 min, … up to 30–60 min. A permanent failure (an SMTP 5xx reply, or
 * a message that cannot be made: no address, a payload this version does not know) goes to the
 * dead letters at once; otherwise a message goes there after its last attempt, which comes at
 * least `MAIL_RETRY_HOURS` (72) after the first. While delivery fails, `run` logs a warning once an
 * hour with the backlog. A dead letter can be requeued by an operator (`verzuimregie-admin mail
 * requeue`, the store's `Outbox.requeue`).
 *
 * A lost lease (the worker was too slow and another took the message) is logged and left alone:
 * delivery is at-least-once, and the stable Message-ID lets the receiving side spot a duplicate.
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Timestamp } from "@verzuimregie/domain"
import {
  type Accounts,
  type AuditLog,
  type CaseQueries,
  type CaseStore,
  type NotificationStore,
  Outbox,
} from "@verzuimregie/store"
import { Clock, Duration, Effect, Ref } from "effect"
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
  /**
   * Also deliver mail that belongs to no region (a person's sign-in link). Default true; a
   * command that serves one region sets false, so it leaves that mail to the gateway.
   */
  readonly installationMail?: boolean
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
  /** The last temporary failure in the batch, if any. */
  readonly lastError?: string
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

/** What the worker reads and writes: the outbox, the mailer, and the cases its mail reports on. */
export type WorkerServices =
  | Outbox.Outbox
  | Mailer
  | CaseQueries.CaseQueries
  | CaseStore.CaseStore
  | Accounts.Accounts
  | AuditLog.AuditLog
  | NotificationStore.NotificationStore

/** Claims one batch and handles every message in it. */
export const processBatch = (
  options: WorkerOptions,
  env: RenderEnv,
): Effect.Effect<BatchResult, SqlError, WorkerServices> =>
  Effect.gen(function* () {
    const outbox = yield* Outbox.Outbox
    const mailer = yield* Mailer
    const batch = yield* outbox.claim(options.workerId, options.batchSize ?? 10, options.leaseMs ?? 300_000, {
      topics: [TOPIC],
      regions: [...env.regions.keys()],
      withoutRegion: options.installationMail !== false,
    })
    let sent = 0
    let retried = 0
    let dead = 0
    let lastError: string | undefined
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
            lastError = error
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
    return {
      claimed: batch.length,
      sent,
      retried,
      dead,
      outcomes,
      ...(lastError === undefined ? {} : { lastError }),
    }
  })

/**
 * The kind of a stored delivery error, for an operator's list: the SMTP error code and reply code
 * (`ECONNREFUSED`, `EENVELOPE 550`), or what went wrong before sending. Never the error's text,
 * which may quote a server's reply or an address.
 *
 * @example
 * errorClass("EENVELOPE 550 at RCPT TO: 550 Mailbox bestaat niet") // "EENVELOPE 550"
 */
export const errorClass = (lastError: string | undefined): string => {
  if (lastError === undefined) return "-"
  if (lastError.startsWith("cannot make the message")) return "niet-op-te-maken"
  if (lastError.startsWith("store:")) return "database"
  if (lastError === "lease expired") return "lease-verlopen"
  const smtp = /^(E[A-Z]+)(?: (\d{3}))?\b/.exec(lastError)
  if (smtp !== null) return smtp[2] === undefined ? (smtp[1] as string) : `${smtp[1]} ${smtp[2]}`
  const reply = /^(\d{3})\b/.exec(lastError)
  return reply === null ? "anders" : `SMTP ${reply[1]}`
}

/** How often `run` repeats its warning while delivery fails. */
export const WARN_EVERY_MS = 3_600_000

/**
 * Watches the batches for an outage: from the first temporary failure until a message is sent
 * again, it logs a warning at once and then once per `everyMs` (default an hour) with the outbox's
 * backlog, and an info line when delivery works again. Empty batches (messages waiting for their
 * retry) keep the outage going, so the warning repeats also while nothing is due.
 */
export const makeWatch = (
  everyMs: number = WARN_EVERY_MS,
): Effect.Effect<{
  readonly observe: (result: BatchResult) => Effect.Effect<void, SqlError, Outbox.Outbox>
}> =>
  Effect.map(
    Ref.make<{ readonly since: number; readonly warnedAt: number; readonly error: string } | undefined>(
      undefined,
    ),
    (state) => ({
      observe: (result: BatchResult) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const outage = yield* Ref.get(state)
          if (result.lastError === undefined) {
            if (outage === undefined) return
            if (result.sent > 0) {
              yield* Ref.set(state, undefined)
              return yield* Effect.logInfo(
                `mail: delivery works again after ${Math.round((now - outage.since) / 60_000)} minutes of failures`,
              )
            }
            if (now - outage.warnedAt < everyMs) return
          } else if (outage !== undefined && now - outage.warnedAt < everyMs) {
            return yield* Ref.set(state, { ...outage, error: result.lastError })
          }
          const since = outage?.since ?? now
          const error = result.lastError ?? outage?.error ?? ""
          yield* Ref.set(state, { since, warnedAt: now, error })
          const backlog = yield* Effect.flatMap(Outbox.Outbox, (o) => o.backlog({ topics: [TOPIC] }))
          yield* Effect.logWarning(
            `mail: delivery is failing since ${new Date(since).toISOString()}; ${backlog.waiting} messages wait (${backlog.retrying} retrying, oldest queued ${backlog.oldestWaitingSince ?? "-"}), ${backlog.deadLetters} dead letters; last error: ${error}`,
          ).pipe(Effect.annotateLogs({ waiting: backlog.waiting, deadLetters: backlog.deadLetters }))
        }),
    }),
  )

/**
 * Runs the worker until interrupted: a batch, then the next at once while there is work, or a
 * pause of `pollMs` when the outbox is empty or the database is unavailable.
 */
export const run = (options: WorkerOptions, env: RenderEnv): Effect.Effect<never, never, WorkerServices> => {
  const pause = Effect.sleep(Duration.millis(options.pollMs ?? 5_000))
  return Effect.flatMap(makeWatch(), (watch) =>
    processBatch(options, env).pipe(
      Effect.tap(watch.observe),
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
    ),
  )
}
