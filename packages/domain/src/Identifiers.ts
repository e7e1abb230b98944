/**
 * Dutch person numbers a pupil file may carry: the burgerservicenummer (BSN) and, for pupils
 * without one, the onderwijsnummer. Store them only where a workflow needs them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const BSN_WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, -1] as const

const weightedSum = (digits: string): number =>
  BSN_WEIGHTS.reduce((sum, weight, i) => sum + weight * Number(digits[i]), 0)

const mod11 = (n: number): number => ((n % 11) + 11) % 11

/**
 * Why a string is not a valid BSN, or `undefined` when it is one.
 * The elfproef: weights 9…2 and −1; the sum is divisible by 11 and not 0.
 */
export const bsnProblem = (input: string): string | undefined => {
  if (!/^\d{8,9}$/.test(input)) return "een BSN heeft 9 cijfers (8 cijfers krijgen een 0 vooraan)"
  const digits = input.padStart(9, "0")
  const sum = weightedSum(digits)
  if (sum === 0) return "een BSN van alleen nullen is ongeldig"
  if (mod11(sum) !== 0)
    return `het BSN voldoet niet aan de elfproef (gewogen som ${sum} is niet deelbaar door 11)`
  return undefined
}

export const isValidBsn = (input: string): boolean => bsnProblem(input) === undefined

/**
 * Why a string is not a valid onderwijsnummer, or `undefined` when it is one.
 * It has 9 digits, starts with `10`, and the BSN-weighted sum leaves 5 when divided by 11.
 */
export const onderwijsnummerProblem = (input: string): string | undefined => {
  if (!/^\d{9}$/.test(input)) return "een onderwijsnummer heeft 9 cijfers"
  if (!input.startsWith("10")) return "een onderwijsnummer begint met 10"
  if (mod11(weightedSum(input)) !== 5)
    return "het onderwijsnummer voldoet niet aan de controle (gewogen som mod 11 is niet 5)"
  return undefined
}

export const isValidOnderwijsnummer = (input: string): boolean => onderwijsnummerProblem(input) === undefined

/** Completes 8 digits to a valid number by choosing the last digit, or fails when no digit fits. */
const completeWith = (first8: string, accept: (candidate: string) => boolean): string | undefined => {
  for (let last = 0; last <= 9; last++) {
    const candidate = `${first8}${last}`
    if (accept(candidate)) return candidate
  }
  return undefined
}

/** A synthetic, valid BSN from any 8-digit prefix that admits one (for generators and tests). */
export const completeBsn = (first8: string): string | undefined => completeWith(first8, isValidBsn)
export const completeOnderwijsnummer = (first8: string): string | undefined =>
  completeWith(first8, isValidOnderwijsnummer)

const BsnDigits = Schema.String.pipe(
  Schema.filter((s) => bsnProblem(s) ?? true, {
    arbitrary: () => (fc) =>
      fc
        .integer({ min: 1_000_000, max: 99_999_999 })
        .map((n) => completeBsn(String(n).padStart(8, "0")))
        .filter((s): s is string => s !== undefined),
  }),
)

/**
 * Burgerservicenummer: 9 digits passing the elfproef. An 8-digit number is accepted and
 * padded with a leading zero.
 *
 * @example
 * Schema.decodeUnknownSync(Bsn)("111222333")
 */
export const Bsn = Schema.transform(
  Schema.String.annotations({ description: "8 or 9 digits" }),
  Schema.typeSchema(BsnDigits).pipe(Schema.brand("Bsn")),
  {
    strict: true,
    decode: (s) => (/^\d{8}$/.test(s) ? s.padStart(9, "0") : s),
    encode: (s) => s,
  },
).annotations({
  identifier: "Bsn",
  title: "BSN",
  description: "Burgerservicenummer: 9 cijfers die de elfproef doorstaan.",
})
export type Bsn = typeof Bsn.Type

/**
 * Onderwijsnummer: the number DUO gives a pupil without a BSN.
 */
export const Onderwijsnummer = Schema.String.pipe(
  Schema.filter((s) => onderwijsnummerProblem(s) ?? true, {
    arbitrary: () => (fc) =>
      fc
        .integer({ min: 0, max: 999_999 })
        .map((n) => completeOnderwijsnummer(`10${String(n).padStart(6, "0")}`))
        .filter((s): s is string => s !== undefined),
  }),
  Schema.brand("Onderwijsnummer"),
  Schema.annotations({
    identifier: "Onderwijsnummer",
    title: "Onderwijsnummer",
    description: "9 digits starting with 10; BSN weights, sum mod 11 = 5.",
  }),
)
export type Onderwijsnummer = typeof Onderwijsnummer.Type

/** The one person number a pupil file holds, when a workflow needs one. */
export const PersonNumber = Schema.Union(
  Schema.TaggedStruct("bsn", { value: Bsn }),
  Schema.TaggedStruct("onderwijsnummer", { value: Onderwijsnummer }),
).annotations({ identifier: "PersonNumber" })
export type PersonNumber = typeof PersonNumber.Type
