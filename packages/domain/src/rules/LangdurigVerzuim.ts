/**
 * Langdurig relatief verzuim, absoluut verzuim and thuiszitters, with the Inspectie categories,
 * and the grounds (vrijstellingen, leave) that excuse a pupil from them, each only for the duty
 * its article excuses (see `Vrijstelling.ts`).
 *
 * - relatief verzuim: enrolled, absent without valid reason;
 * - langdurig relatief verzuim: enrolled, unauthorised absent for MORE than 4 weeks without a
 *   ground that excuses attendance (day 1 is the first day of absence or the day after the last
 *   excused day; day 28 is exactly 4 weeks, day 29 is more); Inspectie category 2a more than 4
 *   weeks up to and including 3 months, 2b more than 3 months;
 * - absoluut verzuim (category 1): leerplichtig or kwalificatieplichtig, not enrolled at any
 *   school, without a ground that excuses not being enrolled (art. 5, 5a, or art. 15 for a
 *   kwalificatieplichtige; art. 2 lid 1, 4a, 22 lid 2);
 * - thuiszitter: langdurig relatief verzuim or absoluut verzuim (Inspectie van het Onderwijs,
 *   thuiszittersdefinitie of the quarterly overview: enrolled and unauthorised absent more than 4
 *   weeks without a vrijstelling, or not enrolled).
 *
 * Weeks and months are calendar weeks and months (the Inspectie counts days at home, not school
 * days); the length of the 4 weeks is configurable.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as LocalDate from "../LocalDate.js"
import type * as SchoolCalendar from "../SchoolCalendar.js"
import * as Leerplicht from "./Leerplicht.js"
import * as Verlof from "./Verlof.js"
import {
  excusedDuties,
  type Grond,
  type Plicht,
  type Regime,
  regimeOf,
  type Vrijstelling,
  vrijstellingEnd,
  vrijstellingStart,
} from "./Vrijstelling.js"

export const LangdurigVerzuimOptions = Schema.Struct({
  /** "More than N weeks" of unauthorised absence makes it langdurig. Default 4. */
  weeks: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 52)), { default: () => 4 }),
  /** From this many months the Inspectie category is 2b. Default 3. */
  months2b: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 24)), { default: () => 3 }),
}).annotations({ identifier: "LangdurigVerzuimOptions" })
export type LangdurigVerzuimOptions = typeof LangdurigVerzuimOptions.Type

export const defaults: LangdurigVerzuimOptions = Schema.decodeSync(LangdurigVerzuimOptions)({})

/** The pupil's situation: enrolled or not, since when absent or unenrolled, the grounds on record. */
export interface Situation {
  readonly enrolled: boolean
  /** First day of continuous unauthorised absence (enrolled) or of not being enrolled. */
  readonly since: LocalDate.LocalDate
  readonly vrijstellingen?: ReadonlyArray<Vrijstelling>
  /** Leave requests and decisions (art. 11, 13a, 14); lawful leave excuses attendance. */
  readonly verlof?: ReadonlyArray<Verlof.Verlof>
  /**
   * The pupil's regime on the peildatum. Needed for absoluut verzuim (only leerplichtigen and
   * kwalificatieplichtigen count) and for grounds that excuse only one regime (art. 15).
   */
  readonly leerplicht?: Leerplicht.LeerplichtStatus
  /** The pupil, to work out the regime on every day (preferred over `leerplicht`). */
  readonly pupil?: Leerplicht.Pupil
  /** School calendars: which days leave covers; without them every weekday is a school day. */
  readonly calendars?: SchoolCalendar.Calendars
}

export const Categorie = Schema.Literal("1", "2a", "2b").annotations({ identifier: "VerzuimCategorie" })
export type Categorie = typeof Categorie.Type

/** How long a pupil of category 2a or 2b has been absent (the Inspectie's wording). */
export const categorieDuur: Readonly<Record<Exclude<Categorie, "1">, string>> = {
  "2a": "meer dan 4 weken tot en met 3 maanden",
  "2b": "meer dan 3 maanden",
}

/** The categories in words: one wording for the case page, the workbooks and the mail. */
export const categorieLabel: Readonly<Record<Categorie, string>> = {
  "1": "absoluut verzuim",
  "2a": `langdurig relatief verzuim, ${categorieDuur["2a"]}`,
  "2b": `langdurig relatief verzuim, ${categorieDuur["2b"]}`,
}

/** A period in which a ground excuses the situation's duty; `to` undefined: open-ended. */
interface Excuse {
  readonly grond: Grond
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate | undefined
}

const NO_CALENDARS: SchoolCalendar.Calendars = []

/** The duty at stake: attendance for an enrolled pupil, enrolment for one who is not. */
export const plichtOf = (s: Pick<Situation, "enrolled">): Plicht =>
  s.enrolled ? "schoolbezoek" : "inschrijving"

/** The periods of each regime, from the pupil's dates or else the one status given. */
const regimePeriods = (
  s: Situation,
  date: LocalDate.LocalDate,
): ReadonlyArray<{
  readonly regime: Regime
  readonly from?: LocalDate.LocalDate
  readonly to?: LocalDate.LocalDate
}> => {
  if (s.pupil !== undefined) {
    const l = Leerplicht.leerplichtOn(s.pupil, date, s.calendars)
    return [
      { regime: "leerplicht", from: l.leerplicht.start, to: l.leerplicht.end },
      ...(l.kwalificatieplicht === undefined
        ? []
        : [
            {
              regime: "kwalificatieplicht" as const,
              from: l.kwalificatieplicht.start,
              to: l.kwalificatieplicht.end,
            },
          ]),
    ]
  }
  const regime = regimeOf(s.leerplicht)
  return regime === undefined ? [] : [{ regime }]
}

/**
 * Every period in which a ground on record excuses the situation's duty, for this pupil: a
 * vrijstelling from its start to its end (expired ones end), lawful leave on the days it covers,
 * each narrowed to the days the pupil is under a regime the ground applies to.
 */
const excusesOf = (s: Situation, date: LocalDate.LocalDate): ReadonlyArray<Excuse> => {
  const plicht = plichtOf(s)
  // Leave excuses attending an enrolled school only (art. 11, 13a, 14): not worth checking otherwise.
  const leave = plicht === "schoolbezoek" ? (s.verlof ?? []) : []
  // Most pupils have no ground on record: then nothing to work out (the lists ask per case).
  if ((s.vrijstellingen ?? []).length === 0 && leave.length === 0) return []
  const raw: Array<Excuse> = (s.vrijstellingen ?? []).map((v) => ({
    grond: v.grond,
    from: vrijstellingStart(v),
    to: vrijstellingEnd(v),
  }))
  if (leave.length > 0) {
    for (const c of Verlof.checkLeave(leave, s.calendars ?? NO_CALENDARS))
      for (const day of c.coveredDays) raw.push({ grond: c.verlof.request.grond, from: day, to: day })
  }
  const regimes = regimePeriods(s, date)
  return raw.flatMap((e) => {
    const allowed = excusedDuties[e.grond][plicht]
    if (allowed.length === 0) return []
    if (allowed.length === 2) return [e]
    return regimes
      .filter((r) => allowed.includes(r.regime))
      .flatMap((r) => {
        const from = r.from === undefined ? e.from : LocalDate.max(e.from, r.from)
        const to = r.to === undefined ? e.to : e.to === undefined ? r.to : LocalDate.min(e.to, r.to)
        return to !== undefined && to < from ? [] : [{ grond: e.grond, from, to }]
      })
  })
}

const holds = (e: Excuse, date: LocalDate.LocalDate) => date >= e.from && (e.to === undefined || date <= e.to)

const excusedIn = (excuses: ReadonlyArray<Excuse>, date: LocalDate.LocalDate): Grond | undefined =>
  excuses.find((e) => holds(e, date))?.grond

const unexcusedSinceIn = (
  s: Situation,
  excuses: ReadonlyArray<Excuse>,
  date: LocalDate.LocalDate,
): LocalDate.LocalDate | undefined => {
  let start = s.since
  for (const e of excuses) {
    if (holds(e, date)) return undefined
    if (e.from <= date && e.to !== undefined && e.to >= start) start = LocalDate.addDays(e.to, 1)
  }
  return start
}

/**
 * The ground that excuses the situation's duty on `date` for this pupil, or undefined: does this
 * ground excuse this duty, for this pupil, on this date?
 *
 * @example
 * excusedBy({ enrolled: false, since, leerplicht: "leerplichtig", vrijstellingen: [art15] }, date)
 * // undefined: art. 15 does not excuse a leerplichtige
 */
export const excusedBy = (s: Situation, date: LocalDate.LocalDate): Grond | undefined =>
  excusedIn(excusesOf(s, date), date)

/**
 * First day of the unexcused stretch that runs to `date`: `since`, or the day after the last
 * excused day from `since` on. Undefined when `date` itself is excused.
 */
export const unexcusedSince = (s: Situation, date: LocalDate.LocalDate): LocalDate.LocalDate | undefined =>
  unexcusedSinceIn(s, excusesOf(s, date), date)

/**
 * `excusedBy` and `unexcusedSince` together, from one working-out of the grounds: the ground that
 * excuses `date`, else the first day of the unexcused stretch that runs to it.
 */
export const stretchOn = (
  s: Situation,
  date: LocalDate.LocalDate,
): { readonly excusedBy: Grond | undefined; readonly unexcusedSince: LocalDate.LocalDate | undefined } => {
  const excuses = excusesOf(s, date)
  return { excusedBy: excusedIn(excuses, date), unexcusedSince: unexcusedSinceIn(s, excuses, date) }
}

/** Day number of `date` in the absence: `since` is day 1. */
export const absenceDay = (since: LocalDate.LocalDate, date: LocalDate.LocalDate): number =>
  LocalDate.daysBetween(since, date) + 1

/**
 * Langdurig relatief verzuim on `date`: enrolled, and absent MORE than 4 weeks without a ground
 * that excuses attendance (from day 29 of the unexcused stretch; Inspectie van het Onderwijs,
 * thuiszittersdefinitie). Every vrijstelling of art. 5 and 5a, art. 15 for a kwalificatieplichtige,
 * and lawful leave (art. 11, 13a, 14) excuse attendance while they hold.
 */
export const isLangdurigRelatiefVerzuim = (
  s: Situation,
  date: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuimOptions> = {},
): boolean => {
  if (!s.enrolled) return false
  const { weeks } = { ...defaults, ...options }
  const start = unexcusedSince(s, date)
  return start !== undefined && absenceDay(start, date) > weeks * 7
}

/** The pupil's regime on `date`: from the pupil's dates when given, else the status given. */
const statusOn = (s: Situation, date: LocalDate.LocalDate): Leerplicht.LeerplichtStatus | undefined =>
  s.pupil === undefined ? s.leerplicht : Leerplicht.leerplichtOn(s.pupil, date, s.calendars).status

/**
 * Absoluut verzuim on `date` (Leerplichtwet 1969 art. 2 lid 1, 4a): leerplichtig or
 * kwalificatieplichtig, not enrolled at any school, and no ground that excuses not being
 * enrolled: a vrijstelling under art. 5 or 5a, or under art. 15 for a kwalificatieplichtige (art.
 * 22 lid 2). Leave (art. 11, 13a, 14) never does. Needs `leerplicht` or `pupil`.
 */
export const isAbsoluutVerzuim = (s: Situation, date: LocalDate.LocalDate): boolean => {
  if (s.enrolled || date < s.since) return false
  const status = statusOn(s, date)
  return regimeOf(status) !== undefined && excusedBy(s, date) === undefined
}

/**
 * The Inspectie category on `date`, or `undefined` when the pupil is no thuiszitter:
 * `"1"` absoluut verzuim; `"2a"` langdurig relatief verzuim of more than 4 weeks up to and
 * including 3 months; `"2b"` more than 3 months: from `addMonths(start, 3)` on, where `start` is
 * day 1 of the unexcused stretch (the day before is day "3 months", still 2a).
 */
export const categorie = (
  s: Situation,
  date: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuimOptions> = {},
): Categorie | undefined => thuiszitterOn(s, date, options)?.categorie

/**
 * The category on `date` with the first day that counts for it: day 1 of the unexcused stretch
 * (for category 1 the same: `since`, or the day after the last excused day). Undefined when the
 * pupil is no thuiszitter.
 */
export const thuiszitterOn = (
  s: Situation,
  date: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuimOptions> = {},
): { readonly categorie: Categorie; readonly since: LocalDate.LocalDate } | undefined => {
  if (date < s.since) return undefined
  // The grounds are worked out once per call: the lists and the overview ask this for many days.
  const excuses = excusesOf(s, date)
  const start = unexcusedSinceIn(s, excuses, date)
  if (start === undefined) return undefined
  if (!s.enrolled)
    return regimeOf(statusOn(s, date)) === undefined ? undefined : { categorie: "1", since: start }
  const { weeks, months2b } = { ...defaults, ...options }
  if (absenceDay(start, date) <= weeks * 7) return undefined
  return { categorie: date >= LocalDate.addMonths(start, months2b) ? "2b" : "2a", since: start }
}

/** Thuiszitter on `date`: langdurig relatief verzuim or absoluut verzuim. */
export const isThuiszitter = (
  s: Situation,
  date: LocalDate.LocalDate,
  options: Partial<LangdurigVerzuimOptions> = {},
): boolean => categorie(s, date, options) !== undefined

/**
 * Amstelland en de Meerlanden's own "langdurig verzuim" (SWV Amstelland en de Meerlanden,
 * "Verzuim"): a pupil at home a month or
 * longer, counting ALL absence (sick, authorised, unauthorised): from `addMonths(since, 1)` on.
 */
export const isLangdurigVerzuimAmstelland = (
  since: LocalDate.LocalDate,
  date: LocalDate.LocalDate,
): boolean => date >= LocalDate.addMonths(since, 1)
