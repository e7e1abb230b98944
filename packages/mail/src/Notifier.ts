/**
 * The notifier: on every tick it runs `Notifications.tick` (@verzuimregie/app): the time-driven
 * notices (actions due tomorrow or overdue, the pact alarm, the quarterly review) once an hour
 * from 06:00 Europe/Amsterdam, then the dispatch of every waiting notice per the users'
 * preferences, then the daily digests whose hour has come. Every step is idempotent (notice ids,
 * the notification log's key, one digest per user and day), so instances that tick together on
 * one PostgreSQL database send each notification at most once.
 *
 * @since 0.1.0
 */
import { Notifications } from "@verzuimregie/app"
import { Amsterdam, LocalDate } from "@verzuimregie/domain"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { Clock, Duration, Effect } from "effect"

/** The hour a scan belongs to: a scan runs once per region set and hour. */
export const scanKey = (now: Date): string =>
  `${LocalDate.todayInAmsterdam(now)}T${Amsterdam.wallClock(now).hour}`

/** One tick; `scannedIn` remembers the hours already scanned by this process. */
export const tick = (
  regions: ReadonlyArray<RegionConfig.EnabledRegion>,
  options: { readonly workerId: string; readonly scannedIn?: Set<string> },
): Effect.Effect<Notifications.TickResult, Notifications.TickError, Notifications.Services> =>
  Effect.gen(function* () {
    const now = new Date(yield* Clock.currentTimeMillis)
    const key = scanKey(now)
    const scan = options.scannedIn?.has(key) !== true
    const result = yield* Notifications.tick({ regions, workerId: options.workerId, scan })
    options.scannedIn?.add(key)
    return result
  })

/** Ticks every `tickMs` (default one minute) until interrupted; a failed tick is logged and retried. */
export const run = (
  regions: ReadonlyArray<RegionConfig.EnabledRegion>,
  options: { readonly workerId: string; readonly tickMs?: number },
): Effect.Effect<never, never, Notifications.Services> => {
  const scannedIn = new Set<string>()
  return tick(regions, { workerId: options.workerId, scannedIn }).pipe(
    Effect.tap((r) =>
      r.scanned + r.dispatched.notices + r.digested.length === 0
        ? Effect.void
        : Effect.logInfo(
            `notifier: ${r.scanned} notices found, ${r.dispatched.notices} dispatched (${r.dispatched.logged.direct} direct, ${r.dispatched.logged.dagelijks} for a digest, ${r.dispatched.logged.uit} off), ${r.digested.length} digests`,
          ),
    ),
    Effect.catchAll((error) => Effect.logWarning(`notifier: tick failed: ${error.message}`)),
    Effect.catchAllDefect((defect) => Effect.logError(`notifier: unexpected failure: ${String(defect)}`)),
    Effect.zipRight(Effect.sleep(Duration.millis(options.tickMs ?? 60_000))),
    Effect.forever,
  )
}
