/**
 * A clock the test moves by hand, for Effect's `Clock` (which the store's timestamps, the backoff
 * and the worker's outage warning all read). Runs a day of retries in seconds, without waiting
 * and without timing luck: `Effect.withClock(clock)` around what should see it.
 */
import { Clock, Duration, Effect } from "effect"

export interface ManualClock extends Clock.Clock {
  /** Moves the clock on. */
  advance(ms: number): void
  readonly millis: () => number
}

export const manualClock = (start: Date): ManualClock => {
  let now = start.getTime()
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    // Nothing in these tests sleeps on this clock; a sleep just moves it on.
    sleep: (duration) =>
      Effect.sync(() => {
        now += Duration.toMillis(duration)
      }),
    advance: (ms) => {
      now += ms
    },
    millis: () => now,
  }
}
