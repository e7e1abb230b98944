/**
 * The pupil's attendance history: when the pupil was at home, and the Inspectie category on each
 * day of it. One computation for the case page, the working lists and the Inspectie overview.
 *
 * - At home is "thuiszittend" (enrolled, not attending) or "niet-ingeschreven" (not enrolled at
 *   any school; absoluut verzuim, Leerplichtwet 1969 art. 2 lid 1, 4a).
 * - The referral's "at home since" date starts the history: a referral of langdurig or absoluut
 *   verzuim with a date is the first attendance record, so the Thuiszitterspact clock (2016) and
 *   the category 2a/2b count (Inspectie van het Onderwijs, thuiszittersdefinitie) start there, not
 *   at a later manual record.
 * - A home period runs from the first day at home to the last: a change between thuiszittend and
 *   niet-ingeschreven does not restart it, a day back at (partly) school ends it.
 *
 * @since 0.3.0
 */
import type { CaseEvent } from "../CaseEvent.js"
import type { AttendanceSituation } from "../CaseParts.js"
import * as LocalDate from "../LocalDate.js"
import type { ReferralSubmission } from "../Referral.js"
import * as LangdurigVerzuim from "./LangdurigVerzuim.js"

/** At home: enrolled and not attending, or not enrolled at all. */
export const isHome = (situation: AttendanceSituation | undefined): boolean =>
  situation === "thuiszittend" || situation === "niet-ingeschreven"

/** Where the pupil is from a day on. */
export interface AtHomeSince {
  readonly situation: AttendanceSituation
  readonly since: LocalDate.LocalDate
}

/**
 * What the referral says about the pupil being at home: a referral of langdurig or absoluut
 * verzuim with its "since" date; not enrolled when the referral names no school or reports
 * absoluut verzuim. Undefined when the referral does not say the pupil is at home.
 */
export const fromReferral = (
  referral: Pick<ReferralSubmission, "verzuimKind" | "absence" | "pupil">,
): AtHomeSince | undefined => {
  const { since } = referral.absence
  if (since === undefined || (referral.verzuimKind !== "langdurig" && referral.verzuimKind !== "absoluut"))
    return undefined
  const enrolled = referral.verzuimKind !== "absoluut" && referral.pupil.enrolment !== undefined
  return { situation: enrolled ? "thuiszittend" : "niet-ingeschreven", since }
}

/**
 * The first day of the stretch at home after a new record: a record that keeps a pupil at home
 * continues the home period (its start stays, unless the record dates it earlier); any other
 * record starts from its own date.
 */
export const continuedSince = (previous: AtHomeSince | undefined, next: AtHomeSince): LocalDate.LocalDate =>
  previous !== undefined && isHome(previous.situation) && isHome(next.situation)
    ? LocalDate.min(previous.since, next.since)
    : next.since

/** One attendance record: "from `since` on, the situation is S (with or without a fitting offer)". */
export interface AttendanceRecord extends AtHomeSince {
  readonly fittingOffer: boolean
  /** The day it was recorded (Europe/Amsterdam). */
  readonly recordedOn: LocalDate.LocalDate
}

/**
 * The attendance records in a case's log, in log order: the referral's "at home since" (when it
 * says so), then every `AttendanceRecorded`.
 */
export const recordsOf = (events: Iterable<CaseEvent>): Array<AttendanceRecord & { readonly at: string }> => {
  const records: Array<AttendanceRecord & { readonly at: string }> = []
  for (const e of events) {
    const recordedOn = LocalDate.todayInAmsterdam(new Date(e.at))
    if (e._tag === "ReferralReceived") {
      const atHome = fromReferral(e.referral)
      if (atHome !== undefined) records.push({ ...atHome, fittingOffer: false, recordedOn, at: e.at })
    } else if (e._tag === "AttendanceRecorded") {
      records.push({
        situation: e.situation,
        since: e.since,
        fittingOffer: e.fittingOffer,
        recordedOn,
        at: e.at,
      })
    }
  }
  return records
}

/** A stretch with one situation and one fitting-offer answer. */
export interface Segment {
  readonly situation: AttendanceSituation
  readonly from: LocalDate.LocalDate
  /** Last day; undefined while it lasts. */
  readonly to: LocalDate.LocalDate | undefined
  readonly fittingOffer: boolean
}

/** A stretch of days at home. */
export interface HomePeriod {
  readonly start: LocalDate.LocalDate
  readonly end: LocalDate.LocalDate | undefined
  readonly segments: ReadonlyArray<Segment>
  /** Why it ended: back at (partly) school, from this segment on; undefined while it lasts. */
  readonly returned: Segment | undefined
}

/**
 * The attendance timeline from the records, in the order they were recorded. A record that
 * changes the situation takes effect on its `since`; one that repeats the situation (to update the
 * fitting offer) takes effect on the later of `since` and the day it was recorded, as the offer is
 * only known from then. A later record replaces what earlier ones said from its effective day on.
 */
export const segmentsOf = (records: ReadonlyArray<AttendanceRecord>): Array<Segment> => {
  const open: Array<Omit<Segment, "to">> = []
  for (const r of records) {
    const current = [...open].reverse().find((s) => s.from <= r.since)
    const same = current?.situation === r.situation
    const from = same ? LocalDate.max(r.since, r.recordedOn) : r.since
    while (open.length > 0 && (open[open.length - 1]?.from ?? "") >= from) open.pop()
    const last = open[open.length - 1]
    if (last !== undefined && last.situation === r.situation && last.fittingOffer === r.fittingOffer) continue
    open.push({ situation: r.situation, from, fittingOffer: r.fittingOffer })
  }
  return open.map((s, i) => {
    const next = open[i + 1]
    return { ...s, to: next === undefined ? undefined : LocalDate.addDays(next.from, -1) }
  })
}

/** The periods at home in a timeline, each ended by the segment that took the pupil back. */
export const homePeriodsOf = (segments: ReadonlyArray<Segment>): Array<HomePeriod> => {
  const periods: Array<HomePeriod> = []
  let current: Array<Segment> = []
  const close = (returned: Segment | undefined) => {
    const first = current[0]
    const last = current[current.length - 1]
    if (first !== undefined && last !== undefined)
      periods.push({ start: first.from, end: last.to, segments: current, returned })
    current = []
  }
  for (const segment of segments) {
    if (isHome(segment.situation)) current.push(segment)
    else close(segment)
  }
  close(undefined)
  return periods
}

/** The segment of a period that holds `day`, if any. */
export const segmentOn = (period: HomePeriod, day: LocalDate.LocalDate): Segment | undefined =>
  period.segments.find((s) => s.from <= day && (s.to === undefined || day <= s.to))

/** The pupil's duty and grounds on record, for `LangdurigVerzuim`; enrolment and start come from the period. */
export type Duties = Omit<LangdurigVerzuim.Situation, "since" | "enrolled">

/** The situation the category rules judge on a day of a period: the period's start counts. */
export const situationOn = (
  period: Pick<HomePeriod, "start">,
  segment: Pick<Segment, "situation">,
  duties: Duties,
): LangdurigVerzuim.Situation => ({
  ...duties,
  enrolled: segment.situation !== "niet-ingeschreven",
  since: period.start,
})

/** The Inspectie category on `day` of a home period; undefined when the pupil is no thuiszitter then. */
export const categoryOn = (
  period: HomePeriod,
  day: LocalDate.LocalDate,
  duties: Duties,
  options: Partial<LangdurigVerzuim.LangdurigVerzuimOptions> = {},
): LangdurigVerzuim.Categorie | undefined => {
  const segment = segmentOn(period, day)
  return segment === undefined
    ? undefined
    : LangdurigVerzuim.categorie(situationOn(period, segment, duties), day, options)
}

/** The last day of `[from, to]` on which the pupil was a thuiszitter in a period, with its category. */
export const lastThuiszitterDay = (
  period: HomePeriod,
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
  duties: Duties,
  options: Partial<LangdurigVerzuim.LangdurigVerzuimOptions> = {},
): { readonly day: LocalDate.LocalDate; readonly categorie: LangdurigVerzuim.Categorie } | undefined => {
  // Backwards from the end of the window: the last thuiszitter day is usually the first one tried.
  for (let day = to; day >= from; day = LocalDate.addDays(day, -1)) {
    const categorie = categoryOn(period, day, duties, options)
    if (categorie !== undefined) return { day, categorie }
  }
  return undefined
}
