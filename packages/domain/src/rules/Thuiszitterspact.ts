/**
 * Thuiszitterspact (June 2016): no child at home longer than 3 months without a fitting offer of
 * education and/or care. A case approaching the limit is a warning, a case past it an alarm.
 *
 * The pact is about thuiszitters: with the pupil's situation given, days on which a ground
 * excuses the pupil's duty (a running vrijstelling, lawful leave; see `LangdurigVerzuim.excusedBy`)
 * do not count, so the clock runs from the day after the last excused day, and a pupil excused on
 * the peildatum is `ok`. A ground that does not excuse the duty (leave for a pupil who is not
 * enrolled, art. 15 during full leerplicht) or that expired does not stop the clock.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as LocalDate from "../LocalDate.js"
import * as LangdurigVerzuim from "./LangdurigVerzuim.js"
import type { Grond } from "./Vrijstelling.js"

export const PactStatus = Schema.Literal("ok", "waarschuwing", "alarm").annotations({
  identifier: "ThuiszitterspactStatus",
})
export type PactStatus = typeof PactStatus.Type

export const ThuiszitterspactOptions = Schema.Struct({
  /** Months at home without an offer before the alarm. Default 3 (the pact). */
  limitMonths: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 24)), { default: () => 3 }),
  /** Days before the limit that the warning starts. Default 14. */
  warningDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 366)), { default: () => 14 }),
}).annotations({ identifier: "ThuiszitterspactOptions" })
export type ThuiszitterspactOptions = typeof ThuiszitterspactOptions.Type

export const defaults: ThuiszitterspactOptions = Schema.decodeSync(ThuiszitterspactOptions)({})

export interface AtHome {
  /** First day at home. */
  readonly since: LocalDate.LocalDate
  /** A fitting offer is in place (when its start date is unknown). */
  readonly hasFittingOffer?: boolean
  /** The day a fitting offer started; from then on the clock has stopped. */
  readonly offerStartedOn?: LocalDate.LocalDate
  /** The pupil's duty and grounds on record; without it every day since `since` counts. */
  readonly situation?: Omit<LangdurigVerzuim.Situation, "since">
}

export interface PactCheck {
  readonly status: PactStatus
  /** First day past the limit: `addMonths(since, limitMonths)`; from this day on it is an alarm. */
  readonly limitDate: LocalDate.LocalDate
  /** Days from the peildatum to the limit date; 0 or negative once the alarm is on. */
  readonly daysRemaining: number
  readonly hasOffer: boolean
  /** The ground that excuses the pupil on the peildatum, if any: then the status is `ok`. */
  readonly excusedBy: Grond | undefined
  /** First day the clock counts: `since`, or the day after the last excused day. */
  readonly countsFrom: LocalDate.LocalDate
}

/**
 * Status on `date`: `"ok"` with a fitting offer or well before the limit, `"waarschuwing"` within
 * `warningDays` before the limit date, `"alarm"` from `addMonths(since, 3)` on (Thuiszitterspact
 * 2016).
 *
 * @example
 * thuiszitterspactStatus({ since: LocalDate.make("2026-01-10") }, LocalDate.make("2026-04-10")).status
 * // "alarm"
 */
export const thuiszitterspactStatus = (
  atHome: AtHome,
  date: LocalDate.LocalDate,
  options: Partial<ThuiszitterspactOptions> = {},
): PactCheck => {
  const { limitMonths, warningDays } = { ...defaults, ...options }
  const situation = atHome.situation === undefined ? undefined : { ...atHome.situation, since: atHome.since }
  const stretch = situation === undefined ? undefined : LangdurigVerzuim.stretchOn(situation, date)
  const excusedBy = stretch?.excusedBy
  const countsFrom = stretch?.unexcusedSince ?? atHome.since
  const limitDate = LocalDate.addMonths(countsFrom, limitMonths)
  const daysRemaining = LocalDate.daysBetween(date, limitDate)
  const hasOffer =
    atHome.hasFittingOffer === true || (atHome.offerStartedOn !== undefined && atHome.offerStartedOn <= date)
  const status: PactStatus =
    hasOffer || excusedBy !== undefined
      ? "ok"
      : daysRemaining <= 0
        ? "alarm"
        : daysRemaining <= warningDays
          ? "waarschuwing"
          : "ok"
  return { status, limitDate, daysRemaining, hasOffer, excusedBy, countsFrom }
}
