/**
 * Instants in UTC, in the canonical form `2026-03-01T08:15:00.000Z` that `Date#toISOString`
 * writes: one spelling per instant, so timestamps sort and compare as strings.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

const isCanonical = (s: string): boolean => {
  if (!CANONICAL.test(s)) return false
  const ms = Date.parse(s)
  return Number.isFinite(ms) && new Date(ms).toISOString() === s
}

const MIN_MS = Date.UTC(2000, 0, 1)
const MAX_MS = Date.UTC(2100, 0, 1)

export const Timestamp = Schema.String.pipe(
  Schema.filter((s) => isCanonical(s) || "verwacht een tijdstip in UTC zoals 2026-03-01T08:15:00.000Z", {
    arbitrary: () => (fc) => fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms).toISOString()),
  }),
  Schema.brand("Timestamp"),
  Schema.annotations({
    identifier: "Timestamp",
    description: "UTC instant, YYYY-MM-DDTHH:mm:ss.sssZ",
    jsonSchema: { type: "string", format: "date-time" },
  }),
)
export type Timestamp = typeof Timestamp.Type

export const fromDate = (d: Date): Timestamp => d.toISOString() as Timestamp
export const fromMillis = (ms: number): Timestamp => new Date(ms).toISOString() as Timestamp
/** The instant `ms` milliseconds after `at` (before it, for a negative `ms`). */
export const plus = (at: Timestamp, ms: number): Timestamp => fromMillis(Date.parse(at) + ms)
export const now = (): Timestamp => fromDate(new Date())
export const toDate = (t: Timestamp): Date => new Date(t)
