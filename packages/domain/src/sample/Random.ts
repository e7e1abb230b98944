/**
 * A small seeded pseudo-random number generator for synthetic data: the same seed gives the same
 * sequence on every Node version and platform, because it uses only 32-bit integer arithmetic
 * (`Math.imul`, shifts) and one exact division by 2^32. Never for secrets: ids of real records
 * come from `Ids.randomIdBody` (the platform CSPRNG).
 *
 * The core is mulberry32 (Tommy Ettinger, public domain); seeds and labels are mixed with the
 * murmur3 finaliser, so seeds 1 and 2, or streams "schools" and "staff", are unrelated.
 *
 * @since 0.1.0
 */

const TWO_POW_32 = 4_294_967_296
const ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
const fmix32 = (input: number): number => {
  let h = input >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85eb_ca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2_ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** FNV-1a over the UTF-16 code units of a label, then mixed: a stable 32-bit hash. */
const hashLabel = (label: string): number => {
  let h = 0x811c_9dc5
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x0100_0193)
  }
  return fmix32(h)
}

/** A 32-bit state from any safe integer seed (negative and above 2^32 included). */
const stateOfSeed = (seed: number): number => {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`)
  const low = seed >>> 0
  const high = Math.floor(seed / TWO_POW_32) >>> 0
  return fmix32(low ^ fmix32(high + 0x9e37_79b9))
}

/**
 * A seeded stream of pseudo-random numbers with the helpers synthetic data needs.
 *
 * @example
 * const random = Random.fromSeed(42)
 * random.int(1, 6) // the same die roll on every run
 */
export class Random {
  private state: number
  /** The state this stream started from; `derive` builds on it without consuming the stream. */
  readonly origin: number

  private constructor(state: number) {
    this.state = state >>> 0
    this.origin = this.state
  }

  static fromSeed(seed: number): Random {
    return new Random(stateOfSeed(seed))
  }

  /**
   * An independent stream named by `label`, fixed by this stream's origin and the label alone: it
   * does not advance this stream, so the order of calls elsewhere cannot change what it yields.
   */
  derive(label: string): Random {
    return new Random(fmix32(this.origin ^ hashLabel(label)))
  }

  /** A uniform 32-bit unsigned integer (mulberry32). */
  uint32(): number {
    this.state = (this.state + 0x6d2b_79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): expected whole numbers with min <= max`)
    }
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  pick<A>(items: ReadonlyArray<A>): A {
    if (items.length === 0) throw new RangeError("pick from an empty list")
    return items[Math.floor(this.next() * items.length)] as A
  }

  /** One value, with probability proportional to its weight (weights need not sum to 1). */
  weighted<A>(entries: ReadonlyArray<readonly [A, number]>): A {
    let total = 0
    for (const [, weight] of entries) if (weight > 0) total += weight
    if (total <= 0) throw new RangeError("weighted pick needs at least one positive weight")
    let r = this.next() * total
    for (const [value, weight] of entries) {
      if (weight <= 0) continue
      r -= weight
      if (r < 0) return value
    }
    // Rounding can leave r at 0 after the last entry: the last positive entry wins.
    return entries.findLast(([, weight]) => weight > 0)![0]
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<A>(items: ReadonlyArray<A>): Array<A> {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const a = out[i] as A
      out[i] = out[j] as A
      out[j] = a
    }
    return out
  }

  /** `count` distinct items in random order (all of them when the list is shorter). */
  sample<A>(items: ReadonlyArray<A>, count: number): Array<A> {
    return this.shuffle(items).slice(0, Math.max(0, count))
  }

  /** `length` characters of [0-9a-z], for deterministic ids such as `case_…`. */
  idBody(length = 16): string {
    let out = ""
    for (let i = 0; i < length; i++) out += ID_ALPHABET[this.uint32() % 36]
    return out
  }

  /** `length` decimal digits (leading zeros kept). */
  digits(length: number): string {
    let out = ""
    for (let i = 0; i < length; i++) out += String(this.uint32() % 10)
    return out
  }
}
