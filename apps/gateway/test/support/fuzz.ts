/** Pieces both fuzz tests share: a seeded generator and encoded samples of a route's schemas. */
import { Arbitrary, FastCheck, Schema } from "effect"

/** Mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export const mulberry = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` values generated from a schema, in their encoded (wire) form; none without a schema. */
export const encodedSamples = <W = unknown>(
  schema: Schema.Schema.Any | undefined,
  count: number,
  seed: number,
): Array<W> =>
  schema === undefined
    ? []
    : FastCheck.sample(Arbitrary.make(schema as Schema.Schema.AnyNoContext), { numRuns: count, seed }).map(
        (v) => Schema.encodeSync(schema as Schema.Schema.AnyNoContext)(v) as W,
      )
