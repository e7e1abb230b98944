/**
 * Housekeeping while the gateway runs, at start and then every `every`:
 * - expired idempotency keys are deleted, with the responses they hold (a referral's answer names
 *   a pupil);
 * - the audit chain's head is anchored in the anchor file (also at shutdown), so a later
 *   `verify-audit --anchors` sees a tail cut off the log, however the head was rewritten;
 * - imported absence records older than each region's retention are deleted
 *   (`Absence.purgeExpired`; audited, and logged with region and count, no personal data).
 * A failed round is logged and tried again next time; it never stops the gateway.
 */
import { Absence, Regions } from "@verzuimregie/app"
import { AuditAnchor, Idempotency } from "@verzuimregie/store"
import { Cause, Duration, Effect, Layer, Option, Schedule } from "effect"

export interface HousekeepingOptions {
  /** Time between rounds. Default one hour. */
  readonly every?: Duration.DurationInput
  /** The append-only file the audit head is anchored in; no anchors when absent. */
  readonly anchorFile?: string | undefined
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

/**
 * Deletes the absence records past each region's retention. Without the regions in the context
 * (a store-only runtime) there is nothing to judge by, so nothing is deleted. A failure, even a
 * defect, is a warning: the next round tries again.
 */
export const absencePurgeOnce = Effect.serviceOption(Regions.Regions).pipe(
  Effect.flatMap(
    Option.match({
      onNone: () => Effect.succeed([] as ReadonlyArray<Absence.PurgeResult>),
      onSome: (regions) => Effect.provideService(Absence.purgeExpired, Regions.Regions, regions),
    }),
  ),
  Effect.tap((results) =>
    Effect.forEach(results, (r) =>
      r.purged > 0
        ? Effect.logInfo("absence records past retention deleted").pipe(
            Effect.annotateLogs({
              event: "absence-purge",
              regionId: r.regionId,
              before: r.before,
              purged: r.purged,
            }),
          )
        : Effect.void,
    ),
  ),
  Effect.catchAllCause((cause) =>
    Effect.logWarning("deleting absence records past retention failed").pipe(
      Effect.annotateLogs({
        event: "absence-purge-failed",
        error: Option.match(Cause.failureOption(cause), {
          onNone: () => "defect",
          onSome: (e) => e._tag,
        }),
      }),
      Effect.as([] as ReadonlyArray<Absence.PurgeResult>),
    ),
  ),
)

/** Appends the audit head to the anchor file; a failure is a warning (the file names the cause). */
export const anchorOnce = (file: string) =>
  AuditAnchor.write(file).pipe(
    Effect.tap((anchor) =>
      Effect.logInfo("audit head anchored").pipe(
        Effect.annotateLogs({ event: "audit-anchor", seq: anchor.seq, hash: anchor.hash }),
      ),
    ),
    Effect.asVoid,
    Effect.catchAll((error) =>
      Effect.logWarning(`anchoring the audit head failed: ${error.message}`).pipe(
        Effect.annotateLogs({ event: "audit-anchor-failed", error: error._tag }),
      ),
    ),
  )

/** Runs the rounds in the background for as long as the runtime lives; anchors once more at its end. */
export const layer = (options: HousekeepingOptions = {}) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const file = options.anchorFile
      const anchor = file === undefined ? Effect.void : anchorOnce(file)
      // Registered before the fork: the rounds stop first, then the last anchor is written,
      // while the database is still open (the store's layer is released after this one).
      yield* Effect.addFinalizer(() => anchor)
      yield* Effect.forkScoped(
        Effect.zipRight(Effect.zipRight(purgeOnce, absencePurgeOnce), anchor).pipe(
          Effect.repeat(Schedule.spaced(options.every ?? Duration.hours(1))),
        ),
      )
    }),
  )
