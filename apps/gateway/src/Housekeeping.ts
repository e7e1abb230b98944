/**
 * Housekeeping while the gateway runs: expired idempotency keys are deleted, with the responses
 * they hold (a referral's answer names a pupil), at start and then every `every`. A failed round
 * is logged and tried again next time; it never stops the gateway.
 */
import { Idempotency } from "@verzuimregie/store"
import { Duration, Effect, Layer, Schedule } from "effect"

export interface HousekeepingOptions {
  /** Time between rounds. Default one hour. */
  readonly every?: Duration.DurationInput
}

export const purgeOnce = Effect.flatMap(Idempotency.Idempotency, (i) => i.purgeExpired).pipe(
  Effect.tap((purged) =>
    purged > 0
      ? Effect.logInfo("verlopen idempotency-sleutels verwijderd").pipe(Effect.annotateLogs({ purged }))
      : Effect.void,
  ),
  Effect.catchAll((error) =>
    Effect.logWarning("opruimen van idempotency-sleutels mislukt").pipe(
      Effect.annotateLogs({ error: error._tag }),
      Effect.as(0),
    ),
  ),
)

/** Runs the rounds in the background for as long as the runtime lives. */
export const layer = (options: HousekeepingOptions = {}) =>
  Layer.scopedDiscard(
    Effect.forkScoped(purgeOnce.pipe(Effect.repeat(Schedule.spaced(options.every ?? Duration.hours(1))))),
  )
