/**
 * Langdurig relatief verzuim, absoluut verzuim and thuiszitters, with the Inspectie categories
 * and the exemptions (vrijstellingen) that take a pupil out of them.
 *
 * - relatief verzuim: enrolled, absent without valid reason;
 * - langdurig relatief verzuim: enrolled, no exemption, unauthorised absent for MORE than 4
 *   weeks (day 1 is the first day of absence; day 28 is exactly 4 weeks, day 29 is more);
 *   Inspectie category 2a up to and including 3 months, 2b from 3 months on;
 * - absoluut verzuim (category 1): leerplichtig or kwalificatieplichtig, not enrolled at any
 *   school, no exemption;
 * - thuiszitter: langdurig relatief verzuim or absoluut verzuim (seed 003; Inspectie).
 *
 * Weeks and months are calendar weeks and months (the Inspectie counts days at home, not school
 * days); the length of the 4 weeks is configurable.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional } from "../internal/schema.js"
import * as LocalDate from "../LocalDate.js"
import type { LeerplichtStatus } from "./Leerplicht.js"

/** Grounds for a vrijstelling (Leerplichtwet 1969). */
export const VrijstellingGrond = Schema.Literal(
  "5a",
  "5b",
  "5c",
  "5a-reizend",
  "11-verlof",
  "15",
).annotations({
  identifier: "VrijstellingGrond",
  title: "Grond vrijstelling",
})
export type VrijstellingGrond = typeof VrijstellingGrond.Type

export const vrijstellingLabel: Readonly<Record<VrijstellingGrond, string>> = {
  "5a": "art. 5 onder a: lichamelijk of psychisch niet geschikt om tot een school te worden toegelaten",
  "5b": "art. 5 onder b: bedenkingen tegen de richting van het onderwijs op alle scholen in de omgeving",
  "5c": "art. 5 onder c: ingeschreven op een school buiten Nederland",
  "5a-reizend": "art. 5a: kind van trekkende ouders (reizend bestaan)",
  "11-verlof": "art. 11: vrijstelling van geregeld schoolbezoek (verlof)",
  "15": "art. 15: vervangende leerplicht voor kwalificatieplichtigen (ander onderwijs)",
}

/** A granted vrijstelling; both ends included. */
export const Vrijstelling = Schema.Struct({
  grond: VrijstellingGrond,
  from: LocalDate.LocalDate,
  /** Last day; for a non-permanent 5 onder a, the end of its school year when left out. */
  until: optional(LocalDate.LocalDate),
  /** 5 onder a only: granted without a yearly renewal. */
  permanent: optional(Schema.Boolean),
}).annotations({ identifier: "Vrijstelling", title: "Vrijstelling" })
export type Vrijstelling = typeof Vrijstelling.Type

/**
 * Last day a vrijstelling holds. A 5 onder a that is not permanent holds for one school year: it
 * must be renewed for the next school year (art. 5 onder a; renewal before 1 July).
 */
export const vrijstellingEnd = (v: Vrijstelling): LocalDate.LocalDate | undefined => {
  if (v.grond === "5a" && v.permanent !== true) {
    const yearEnd = LocalDate.schoolYearOf(v.from).end
    return v.until === undefined ? yearEnd : LocalDate.min(v.until, yearEnd)
  }
  return v.until
}

/** Whether the vrijstelling holds on `date`. */
export const isVrijstellingActive = (v: Vrijstelling, date: LocalDate.LocalDate): boolean => {
  const end = vrijstellingEnd(v)
  return date >= v.from && (end === undefined || date <= end)
}

/** For a non-permanent 5 onder a: the last day to request renewal (30 June of its school year). */
export const renewalDeadline = (v: Vrijstelling): LocalDate.LocalDate | undefined =>
  v.grond === "5a" && v.permanent !== true
    ? LocalDate.fromParts(LocalDate.schoolYearOf(v.from).startYear + 1, 6, 30)
    : undefined

export const LangdurigVerzuimOptions = Schema.Struct({
  /** "More than N weeks" of unauthorised absence makes it langdurig. Default 4. */
  weeks: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 52)), { default: () => 4 }),
  /** From this many months the Inspectie category is 2b. Default 3. */
  months2b: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 24)), { default: () => 3 }),
}).annotations({ identifier: "LangdurigVerzuimOptions" })
export type LangdurigVerzuimOptions = typeof LangdurigVerzuimOptions.Type

export const defaults: LangdurigVerzuimOptions = Schema.decodeSync(LangdurigVerzuimOptions)({})

/** The pupil's situation: enrolled or not, since when absent or unenrolled, granted exemptions. */
export interface Situation {
  readonly enrolled: boolean
  /** First day of continuous unauthorised absence (enrolled) or of not being enrolled. */
  readonly since: LocalDate.LocalDate
  readonly vrijstellingen?: ReadonlyArray<Vrijstelling>
  /** Needed for absoluut verzuim: only leerplichtigen and kwalificatieplichtigen count. */
  readonly leerplicht?: LeerplichtStatus
}

export const Categorie = Schema.Literal("1", "2a", "2b").annotations({ identifier: "VerzuimCategorie" })
export type Categorie = typeof Categorie.Type

export const categorieLabel: Readonly<Record<Categorie, string>> = {
  "1": "absoluut verzuim",
  "2a": "langdurig relatief verzuim, meer dan 4 weken tot en met 3 maanden",
  "2b": "langdurig relatief verzuim, meer dan 3 maanden",
}

const isExempt = (s: Situation, date: LocalDate.LocalDate): boolean =>
  (s.vrijstellingen ?? []).some((v) => isVrijstellingActive(v, date))

/** Day number of `date` in the absence: `since` is day 1. */
export const absenceDay = (since: LocalDate.LocalDate, date: LocalDate.LocalDate): number =>
  LocalDate.daysBetween(since, date) + 1

/**
 * Langdurig relatief verzuim on `date`: enrolled, no active exemption, absent MORE than 4 weeks
 * (from day 29; seed 003, Inspectie thuiszittersdefinitie).
 */
export const isLangdurigRelatiefVerzuim = (
  s: Situation,
  date: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuimOptions> = {},
): boolean => {
  const { weeks } = { ...defaults, ...options }
  return s.enrolled && !isExempt(s, date) && absenceDay(s.since, date) > weeks * 7
}

/**
 * Absoluut verzuim on `date` (Leerplichtwet 1969 art. 2, 4a): leerplichtig or kwalificatieplichtig,
 * not enrolled at any school, no active exemption. Needs `leerplicht` in the situation.
 */
export const isAbsoluutVerzuim = (s: Situation, date: LocalDate.LocalDate): boolean =>
  !s.enrolled &&
  (s.leerplicht === "leerplichtig" || s.leerplicht === "kwalificatieplichtig") &&
  !isExempt(s, date) &&
  date >= s.since

/**
 * The Inspectie category on `date`, or `undefined` when the pupil is no thuiszitter:
 * `"1"` absoluut verzuim; `"2a"` langdurig relatief verzuim up to and including 3 months;
 * `"2b"` from `addMonths(since, 3)` on (3 months minus a day is still 2a).
 */
export const categorie = (
  s: Situation,
  date: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuimOptions> = {},
): Categorie | undefined => {
  if (isAbsoluutVerzuim(s, date)) return "1"
  if (!isLangdurigRelatiefVerzuim(s, date, options)) return undefined
  const { months2b } = { ...defaults, ...options }
  return date >= LocalDate.addMonths(s.since, months2b) ? "2b" : "2a"
}

/** Thuiszitter on `date`: langdurig relatief verzuim or absoluut verzuim. */
export const isThuiszitter = (
  s: Situation,
  date: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuimOptions> = {},
): boolean => categorie(s, date, options) !== undefined

/**
 * Amstelland en de Meerlanden's own "langdurig verzuim" (seed 002): a pupil at home a month or
 * longer, counting ALL absence (sick, authorised, unauthorised): from `addMonths(since, 1)` on.
 */
export const isLangdurigVerzuimAmstelland = (
  since: LocalDate.LocalDate,
  date: LocalDate.LocalDate,
): boolean => date >= LocalDate.addMonths(since, 1)
