/**
 * M@ZL (Medische Advisering van de Ziekgemelde Leerling; GGD/JGZ and schools; Nederlands
 * Jeugdinstituut, "Schoolverzuim en uitval"): when
 * sick absence calls for the jeugdarts. Two triggers, thresholds configurable:
 * - frequent: the 4th ziekmelding within 12 school weeks;
 * - langdurig: the 7th consecutive school day of illness.
 * The third trigger, "zorg" (concern), is a judgement and is recorded by hand.
 *
 * A ziekmelding is one sick episode: sick school days in a row form one report; weekends,
 * holidays and free days between them do not break it. Records of kind `ziek` count whether or
 * not the school accepted them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { AbsenceRecord } from "../Absence.js"
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"

export const MazlOptions = Schema.Struct({
  /** The Nth ziekmelding within the window triggers. Default 4. */
  reportsThreshold: Schema.optionalWith(Schema.Int.pipe(Schema.between(2, 52)), { default: () => 4 }),
  /** Window for counting ziekmeldingen, in school weeks (holiday weeks skipped). Default 12. */
  windowSchoolWeeks: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 52)), { default: () => 12 }),
  /** The Nth consecutive school day of illness triggers. Default 7. */
  consecutiveDaysThreshold: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100)), {
    default: () => 7,
  }),
}).annotations({ identifier: "MazlOptions" })
export type MazlOptions = typeof MazlOptions.Type

export const defaults: MazlOptions = Schema.decodeSync(MazlOptions)({})

/** One ziekmelding: consecutive sick days. */
export interface SickEpisode {
  readonly first: LocalDate.LocalDate
  /** Last recorded sick day so far. */
  readonly last: LocalDate.LocalDate
  readonly records: ReadonlyArray<AbsenceRecord>
}

export type MazlRule = "frequent" | "langdurig"

export interface MazlTrigger {
  readonly rule: MazlRule
  /** The day the trigger fires: the start of the Nth episode, or the Nth sick school day. */
  readonly firesOn: LocalDate.LocalDate
  /** frequent: number of ziekmeldingen counted; langdurig: consecutive school days reached. */
  readonly count: number
  /** The episode that fired it. */
  readonly episode: SickEpisode
}

/** The sick episodes up to `asOf`, in date order. */
export const sickEpisodes = (
  records: ReadonlyArray<AbsenceRecord>,
  calendars: SchoolCalendar.Calendars,
  asOf: LocalDate.LocalDate,
): ReadonlyArray<SickEpisode> => {
  const sick = records
    .filter((r) => r.kind === "ziek" && r.date <= asOf)
    .toSorted((a, b) => LocalDate.compare(a.date, b.date))
  const episodes: Array<{
    first: LocalDate.LocalDate
    last: LocalDate.LocalDate
    records: Array<AbsenceRecord>
  }> = []
  for (const r of sick) {
    const current = episodes[episodes.length - 1]
    const continues =
      current !== undefined &&
      (r.date === current.last ||
        SchoolCalendar.schoolDaysBetween(
          calendars,
          LocalDate.addDays(current.last, 1),
          LocalDate.addDays(r.date, -1),
        ) === 0)
    if (current !== undefined && continues) {
      current.last = r.date
      current.records.push(r)
    } else episodes.push({ first: r.date, last: r.date, records: [r] })
  }
  return episodes
}

/** The day of the `n`th school day of an episode, if the episode reaches it. */
const nthSchoolDay = (
  calendars: SchoolCalendar.Calendars,
  episode: SickEpisode,
  n: number,
): LocalDate.LocalDate | undefined => {
  let count = 0
  for (let d = episode.first; d <= episode.last; d = LocalDate.addDays(d, 1)) {
    if (SchoolCalendar.isSchoolDay(calendars, d)) count++
    if (count === n) return d
  }
  return undefined
}

/**
 * The M@ZL triggers up to `asOf` (peildatum), in date order. After a `frequent` trigger the count
 * starts again: the next one needs another N ziekmeldingen (the jeugdarts is already involved).
 * `langdurig` fires at most once per episode.
 *
 * @example
 * mazlTriggers(records, Calendars.midden, LocalDate.make("2026-03-01"))
 * // [{ rule: "langdurig", firesOn: "2026-02-10", count: 7, episode }]
 */
export const mazlTriggers = (
  records: ReadonlyArray<AbsenceRecord>,
  calendars: SchoolCalendar.Calendars,
  asOf: LocalDate.LocalDate,
  options: Partial<MazlOptions> = {},
): ReadonlyArray<MazlTrigger> => {
  const o = { ...defaults, ...options }
  const episodes = sickEpisodes(records, calendars, asOf)
  const triggers: Array<MazlTrigger> = []
  let countFrom: LocalDate.LocalDate | undefined
  for (const episode of episodes) {
    const windowFrom = SchoolCalendar.windowStart(calendars, episode.first, o.windowSchoolWeeks)
    const from = countFrom === undefined ? windowFrom : LocalDate.max(windowFrom, countFrom)
    const count = episodes.filter((e) => e.first >= from && e.first <= episode.first).length
    if (count >= o.reportsThreshold) {
      triggers.push({ rule: "frequent", firesOn: episode.first, count, episode })
      countFrom = LocalDate.addDays(episode.first, 1)
    }
    const nth = nthSchoolDay(calendars, episode, o.consecutiveDaysThreshold)
    if (nth !== undefined && nth <= asOf)
      triggers.push({ rule: "langdurig", firesOn: nth, count: o.consecutiveDaysThreshold, episode })
  }
  return triggers.toSorted((a, b) => LocalDate.compare(a.firesOn, b.firesOn))
}
