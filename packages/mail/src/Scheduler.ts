/**
 * The scheduler: on every tick it works out what is due (`Schedules.due`) and enqueues it in the
 * outbox with its deterministic message id. The outbox stores a message id once (`ON CONFLICT DO
 * NOTHING` on a unique column), so ticks that repeat, and instances that tick at the same time on
 * the same PostgreSQL database, enqueue each summary at most once per period.
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Outbox } from "@verzuimregie/store"
import { Clock, Duration, Effect } from "effect"
import * as Messages from "./Messages.js"
import * as Schedules from "./Schedules.js"

/**
 * Enqueues what is due at `now` (idempotent). Returns what was due.
 *
 * @example
 * yield* Scheduler.enqueueDue(config.regions, new Date(), { maxAttempts: 8 })
 */
export const enqueueDue = (
  regions: ReadonlyArray<Schedules.Scheduled>,
  now: Date,
  options: {
    readonly maxAttempts?: number
    /** Message ids already enqueued (by this process): not written again. */
    readonly enqueued?: ReadonlySet<string>
  } = {},
): Effect.Effect<ReadonlyArray<Schedules.Due>, SqlError, Outbox.Outbox> =>
  Effect.gen(function* () {
    const due = Schedules.due(regions, now).filter((d) => options.enqueued?.has(d.messageId) !== true)
    if (due.length === 0) return due
    const outbox = yield* Outbox.Outbox
    yield* outbox.enqueue(due.map((d) => Messages.fromDue(d, options.maxAttempts)))
    return due
  })

/** Ticks every `tickMs` (default one minute) until interrupted; a failed tick is logged and retried. */
export const run = (
  regions: ReadonlyArray<Schedules.Scheduled>,
  options: { readonly tickMs?: number; readonly maxAttempts?: number } = {},
): Effect.Effect<never, never, Outbox.Outbox> => {
  // A summary stays due for days (its catch-up window); once enqueued, ticks need not write it again.
  const enqueued = new Set<string>()
  const tick = Effect.gen(function* () {
    const now = new Date(yield* Clock.currentTimeMillis)
    const due = yield* enqueueDue(regions, now, { ...options, enqueued })
    for (const d of due) {
      enqueued.add(d.messageId)
      yield* Effect.logInfo(
        `mail scheduler: ${d.messageId} is due (scheduled ${d.scheduledAt.toISOString()})`,
      )
    }
  })
  return tick.pipe(
    Effect.catchAll((error) =>
      Effect.logWarning(`mail scheduler: the outbox is unavailable: ${error.message}`),
    ),
    Effect.catchAllDefect((defect) =>
      Effect.logError(`mail scheduler: unexpected failure: ${String(defect)}`),
    ),
    Effect.zipRight(Effect.sleep(Duration.millis(options.tickMs ?? 60_000))),
    Effect.forever,
  )
}
