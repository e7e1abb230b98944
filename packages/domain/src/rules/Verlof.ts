/**
 * Verlof (leave from school attendance) as the Leerplichtwet 1969 grants it, and what it does to
 * the absence records: absence covered by lawfully granted leave is no verzuim; absence beyond or
 * outside it is.
 *
 * - vakantieverlof (art. 11 onder f, art. 13a): only when the specific nature of a parent's work
 *   makes a holiday in the school holidays impossible (art. 11 onder f); granted by the head of
 *   the school (directeur), at most once per school year, for at most 10 school days, and never
 *   in the first two lesweken of the school year (art. 13a lid 1 and 2);
 * - verlof wegens andere gewichtige omstandigheden (art. 11 onder g, art. 14): up to 10 school
 *   days per school year the directeur decides (art. 14 lid 1); for more than 10 school days per
 *   school year the leerplichtambtenaar, on behalf of burgemeester en wethouders (art. 14 lid 3);
 * - the other grounds of art. 11, as they are: school closed or lessons suspended (onder a),
 *   attendance forbidden by regulation (onder b), a disciplinary exclusion (onder c), illness
 *   (onder d), religious or philosophical obligations (onder e). They excuse by law; nobody grants
 *   them, so a record of one covers its days unless a decision refused it.
 *
 * Every kind of leave excuses only attendance of the school the pupil is enrolled at, never not
 * being enrolled (art. 11 aanhef; see `Vrijstelling.ts`).
 *
 * Not encoded: for a kwalificatieplichtige in part-time education, vakantieverlof is limited to a
 * proportional part of the 10 days (art. 13a lid 2, second sentence); the caller has to apply it.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import type { AbsenceKind, AbsenceRecord } from "../Absence.js"
import { optional } from "../Fields.js"
import { LeaveId } from "../Ids.js"
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"

export const VerlofGrond = Schema.Literal(
  "13a-vakantie",
  "14-gewichtig",
  "11-godsdienst",
  "11-school-gesloten",
  "11-bezoek-verboden",
  "11-schorsing",
  "11-ziekte",
).annotations({ identifier: "VerlofGrond", title: "Grond verlof" })
export type VerlofGrond = typeof VerlofGrond.Type

export const verlofLabel: Readonly<Record<VerlofGrond, string>> = {
  "13a-vakantie": "art. 11 onder f en art. 13a: vakantieverlof (beroep van een ouder)",
  "14-gewichtig": "art. 11 onder g en art. 14: verlof wegens andere gewichtige omstandigheden",
  "11-godsdienst": "art. 11 onder e: plichten uit godsdienst of levensovertuiging",
  "11-school-gesloten": "art. 11 onder a: school gesloten of onderwijs geschorst",
  "11-bezoek-verboden": "art. 11 onder b: schoolbezoek verboden bij of krachtens wettelijk voorschrift",
  "11-schorsing": "art. 11 onder c: toegang tot de school tijdelijk ontzegd (tuchtmaatregel)",
  "11-ziekte": "art. 11 onder d: ziekte",
}

/** Grounds that need a decision before they excuse (art. 13a lid 1, art. 14). */
const NEEDS_DECISION: ReadonlySet<VerlofGrond> = new Set(["13a-vakantie", "14-gewichtig"])

/** Who decides on a leave request: the head of the school, or the leerplichtambtenaar. */
export const Beslisser = Schema.Literal("directeur", "leerplichtambtenaar").annotations({
  identifier: "VerlofBeslisser",
  title: "Beslist door",
})
export type Beslisser = typeof Beslisser.Type

/** A request (or, for the grounds of art. 11 that need no permission, a notification) of leave. */
export const VerlofAanvraag = Schema.Struct({
  id: LeaveId,
  grond: VerlofGrond,
  /** First and last day of the leave asked for, both included. */
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
  requestedOn: LocalDate.LocalDate,
  /**
   * Vakantieverlof only: the specific nature of a parent's work allows a holiday only outside
   * the school holidays (art. 11 onder f), shown by an employer's statement.
   */
  beroepOuder: optional(Schema.Boolean),
}).pipe(
  Schema.filter((r) => r.to >= r.from || { path: ["to"], message: "de laatste dag ligt voor de eerste dag" }),
  Schema.annotations({ identifier: "VerlofAanvraag", title: "Verlofaanvraag" }),
)
export type VerlofAanvraag = typeof VerlofAanvraag.Type

/** The decision on a request; a grant may cover a shorter period than asked for. */
export const VerlofBesluit = Schema.Struct({
  requestId: LeaveId,
  decidedOn: LocalDate.LocalDate,
  decidedBy: Beslisser,
  granted: Schema.Boolean,
  /** The period granted when shorter than requested; both ends included. */
  from: optional(LocalDate.LocalDate),
  to: optional(LocalDate.LocalDate),
}).annotations({ identifier: "VerlofBesluit", title: "Verlofbesluit" })
export type VerlofBesluit = typeof VerlofBesluit.Type

/** A request with its decision, as a case keeps it. */
export const Verlof = Schema.Struct({
  request: VerlofAanvraag,
  decision: optional(VerlofBesluit),
}).annotations({ identifier: "Verlof", title: "Verlof" })
export type Verlof = typeof Verlof.Type

/** The most school days the directeur grants: vakantieverlof (art. 13a lid 2), gewichtige omstandigheden per school year (art. 14 lid 1). */
export const MAX_DIRECTEUR_DAYS = 10

export type ViolationCode =
  | "geen-beroep-ouder"
  | "meer-dan-10-dagen"
  | "tweede-vakantieverlof"
  | "eerste-twee-lesweken"
  | "niet-bevoegd"
  | "buiten-aanvraag"

/** A rule of the law the request or decision breaks, in Dutch with its article. */
export interface Violation {
  readonly code: ViolationCode
  readonly article: string
  readonly message: string
}

/** The first two lesweken of the school year that holds `date`: first school day to the Sunday of the second school week. */
export const firstTwoLesweken = (
  calendars: SchoolCalendar.Calendars,
  date: LocalDate.LocalDate,
): { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate } => {
  const first = SchoolCalendar.firstSchoolDayFrom(calendars, LocalDate.schoolYearOf(date).start)
  let monday = LocalDate.addDays(LocalDate.startOfWeek(first), 7)
  while (!SchoolCalendar.isSchoolWeek(calendars, monday)) monday = LocalDate.addDays(monday, 7)
  return { from: first, to: LocalDate.addDays(monday, 6) }
}

const schoolDaysIn = (
  calendars: SchoolCalendar.Calendars,
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
): ReadonlyArray<LocalDate.LocalDate> =>
  LocalDate.range(from, to).filter((d) => SchoolCalendar.isSchoolDay(calendars, d))

const sameSchoolYear = (a: LocalDate.LocalDate, b: LocalDate.LocalDate) =>
  LocalDate.schoolYearOf(a).startYear === LocalDate.schoolYearOf(b).startYear

/** The period a decision grants, or undefined when it refused (or is not made yet). */
export const grantedPeriod = (
  v: Verlof,
): { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate } | undefined => {
  const d = v.decision
  if (d === undefined) {
    // The grounds of art. 11 that need no permission excuse as notified.
    return NEEDS_DECISION.has(v.request.grond) ? undefined : { from: v.request.from, to: v.request.to }
  }
  if (!d.granted) return undefined
  return { from: d.from ?? v.request.from, to: d.to ?? v.request.to }
}

/**
 * Decision order: the order in which the law counts "once per school year" and "10 days per
 * school year". Requests still waiting for a decision come after every decided one.
 */
const decisionKey = (v: Verlof): string =>
  `${v.decision?.decidedOn ?? (NEEDS_DECISION.has(v.request.grond) ? "9999-12-31" : v.request.requestedOn)}|${v.request.from}|${v.request.id}`
const byDecision = (a: Verlof, b: Verlof): number => {
  const ka = decisionKey(a)
  const kb = decisionKey(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** What a leave request or decision comes to under the law. */
export interface LeaveCheck {
  readonly verlof: Verlof
  /** Who must decide; undefined for the grounds of art. 11 that need no permission. */
  readonly beslisser: Beslisser | undefined
  /** School days in the period asked for. */
  readonly schoolDays: number
  readonly violations: ReadonlyArray<Violation>
  /** The school days the leave lawfully excuses: granted, and within the limits. */
  readonly coveredDays: ReadonlyArray<LocalDate.LocalDate>
}

const violation = (code: ViolationCode, article: string, message: string): Violation => ({
  code,
  article,
  message,
})

/**
 * Checks every request and decision of one pupil in decision order, each against those decided
 * before it, and works out the school days each lawfully covers.
 *
 * - vakantieverlof without the parent's work as reason covers nothing (art. 11 onder f); a second
 *   one granted in a school year covers nothing (art. 13a lid 2); days in the first two lesweken
 *   and days after the 10th school day are not covered (art. 13a lid 2); a grant by the
 *   leerplichtambtenaar covers nothing (art. 13a lid 1: the head decides);
 * - gewichtige omstandigheden: the directeur's grants cover school days while the school year's
 *   granted total stays at most 10 (art. 14 lid 1); beyond that only the leerplichtambtenaar can
 *   grant (art. 14 lid 3);
 * - a granted period outside the requested one covers only the requested days.
 */
export const checkLeave = (
  leave: ReadonlyArray<Verlof>,
  calendars: SchoolCalendar.Calendars,
): ReadonlyArray<LeaveCheck> => {
  const ordered = [...leave].sort(byDecision)
  const out: Array<LeaveCheck> = []
  for (const v of ordered) {
    const { request, decision } = v
    const asked = schoolDaysIn(calendars, request.from, request.to)
    const before = out.filter((c) => sameSchoolYear(c.verlof.request.from, request.from))
    const violations: Array<Violation> = []
    let beslisser: Beslisser | undefined
    const granted = grantedPeriod(v)
    let covered: ReadonlyArray<LocalDate.LocalDate> =
      granted === undefined
        ? []
        : schoolDaysIn(
            calendars,
            LocalDate.max(granted.from, request.from),
            LocalDate.min(granted.to, request.to),
          )
    if (granted !== undefined && (granted.from < request.from || granted.to > request.to)) {
      violations.push(
        violation(
          "buiten-aanvraag",
          "art. 13a, 14",
          "het verleende verlof valt buiten de aangevraagde periode",
        ),
      )
    }
    // The limits apply to what was granted, or to what is asked while undecided or refused.
    const span =
      granted === undefined
        ? { from: request.from, to: request.to, days: asked.length }
        : {
            from: LocalDate.max(granted.from, request.from),
            to: LocalDate.min(granted.to, request.to),
            days: covered.length,
          }
    if (request.grond === "13a-vakantie") {
      beslisser = "directeur"
      if (request.beroepOuder !== true) {
        violations.push(
          violation(
            "geen-beroep-ouder",
            "art. 11 onder f",
            "vakantieverlof alleen als de specifieke aard van het beroep van een ouder een vakantie in de schoolvakanties onmogelijk maakt",
          ),
        )
        covered = []
      }
      if (span.days > MAX_DIRECTEUR_DAYS) {
        violations.push(
          violation(
            "meer-dan-10-dagen",
            "art. 13a lid 2",
            `vakantieverlof is ten hoogste ${MAX_DIRECTEUR_DAYS} schooldagen; deze aanvraag telt ${span.days} schooldagen`,
          ),
        )
      }
      if (before.some((c) => c.verlof.request.grond === "13a-vakantie" && c.coveredDays.length > 0)) {
        violations.push(
          violation(
            "tweede-vakantieverlof",
            "art. 13a lid 2",
            "vakantieverlof wordt ten hoogste één keer per schooljaar verleend",
          ),
        )
        covered = []
      }
      const firstWeeks = firstTwoLesweken(calendars, request.from)
      if (span.from <= firstWeeks.to && span.to >= firstWeeks.from) {
        violations.push(
          violation(
            "eerste-twee-lesweken",
            "art. 13a lid 2",
            `vakantieverlof kan niet in de eerste twee lesweken van het schooljaar (tot en met ${firstWeeks.to})`,
          ),
        )
        covered = covered.filter((d) => d < firstWeeks.from || d > firstWeeks.to)
      }
      covered = covered.slice(0, MAX_DIRECTEUR_DAYS)
      if (decision?.granted === true && decision.decidedBy !== "directeur") {
        violations.push(
          violation(
            "niet-bevoegd",
            "art. 13a lid 1",
            "over vakantieverlof beslist de directeur van de school",
          ),
        )
        covered = []
      }
    } else if (request.grond === "14-gewichtig") {
      const earlier = before
        .filter((c) => c.verlof.request.grond === "14-gewichtig")
        .reduce((n, c) => n + c.coveredDays.length, 0)
      beslisser = earlier + asked.length > MAX_DIRECTEUR_DAYS ? "leerplichtambtenaar" : "directeur"
      if (decision?.granted === true && decision.decidedBy === "directeur") {
        const room = Math.max(0, MAX_DIRECTEUR_DAYS - earlier)
        if (covered.length > room) {
          violations.push(
            violation(
              "niet-bevoegd",
              "art. 14 lid 3",
              `over meer dan ${MAX_DIRECTEUR_DAYS} schooldagen verlof per schooljaar beslist de leerplichtambtenaar, niet de directeur; ${earlier + covered.length} schooldagen in dit schooljaar`,
            ),
          )
          covered = covered.slice(0, room)
        }
      }
    }
    out.push({ verlof: v, beslisser, schoolDays: asked.length, violations, coveredDays: covered })
  }
  return out
}

/**
 * The rules a new request would meet, checked against the leave already recorded: who must
 * decide and what the law does not allow.
 *
 * @example
 * checkRequest(request, state.leave, calendars).violations.map((v) => v.message)
 */
export const checkRequest = (
  request: VerlofAanvraag,
  recorded: ReadonlyArray<Verlof>,
  calendars: SchoolCalendar.Calendars,
): LeaveCheck => {
  const checks = checkLeave([...recorded.filter((v) => v.request.id !== request.id), { request }], calendars)
  return checks.find((c) => c.verlof.request.id === request.id) as LeaveCheck
}

/** A date's leave: the grounds whose lawful leave covers each date. */
export const coverage = (
  checks: ReadonlyArray<LeaveCheck>,
): ReadonlyMap<LocalDate.LocalDate, VerlofGrond> => {
  const out = new Map<LocalDate.LocalDate, VerlofGrond>()
  for (const c of checks) for (const d of c.coveredDays) out.set(d, c.verlof.request.grond)
  return out
}

/** What the leave makes of each absence record. */
export interface AbsenceUnderLeave {
  /** Records that still count, reclassified where the leave says so. */
  readonly records: ReadonlyArray<AbsenceRecord>
  /** Records on days covered by lawful leave: no verzuim. */
  readonly covered: ReadonlyArray<AbsenceRecord>
}

/**
 * The longest stretch of absence next to a holiday that counts as an extended holiday (luxe
 * verzuim): 10 school days, the most vakantieverlof the law allows (art. 13a lid 2). A longer
 * stretch is no holiday but long absence, and goes through the 16 hours and langdurig verzuim.
 */
export const MAX_HOLIDAY_EXTENSION_DAYS = MAX_DIRECTEUR_DAYS

/** Search bound for a walk over weekends and free days to the next holiday. */
const WALK_LIMIT_DAYS = 21

/**
 * Applies the leave to the absence records: what is covered is no verzuim; what lies beyond or
 * outside it is.
 *
 * - a record on a school day covered by lawful leave is dropped (whatever the school recorded);
 * - an unauthorised (`ongeoorloofd`) record in a stretch of unauthorised absence of at most 10
 *   school days that borders a school holiday or vakantieverlof (nothing but weekends and free
 *   days in between), or on a day of a vakantieverlof that was refused or not lawfully granted, is
 *   luxe verzuim; authorised absence does not join a stretch to a holiday (a lawful day off after
 *   the holiday means the truancy after it does not extend the holiday);
 * - an authorised (`geoorloofd`) record on a day of a leave request that was refused or not
 *   lawfully granted, or in a stretch of absence that borders granted leave, is not authorised
 *   after all: only a leave decision authorises such an absence. It is luxe verzuim when it
 *   concerns vakantieverlof or the stretch borders a holiday, otherwise ongeoorloofd.
 *
 * @example
 * const { records } = applyLeave(referral.absence.records, state.leave, calendars)
 */
export const applyLeave = (
  records: ReadonlyArray<AbsenceRecord>,
  leave: ReadonlyArray<Verlof>,
  calendars: SchoolCalendar.Calendars,
): AbsenceUnderLeave => {
  const checks = checkLeave(leave, calendars)
  const covers = coverage(checks)
  const covered = records.filter((r) => covers.has(r.date))
  const rest = records.filter((r) => !covers.has(r.date))
  const decidedDays = new Set(
    checks.filter((c) => NEEDS_DECISION.has(c.verlof.request.grond)).flatMap((c) => c.coveredDays),
  )
  const vakantieDays = new Set(
    checks.filter((c) => c.verlof.request.grond === "13a-vakantie").flatMap((c) => c.coveredDays),
  )
  const isHoliday = (d: LocalDate.LocalDate) =>
    SchoolCalendar.holidayOn(calendars, d) !== undefined || vakantieDays.has(d)
  /** Whether the walk from `from` in `step` over days without school reaches a day `target` holds. */
  const borders = (from: LocalDate.LocalDate, step: 1 | -1, target: (d: LocalDate.LocalDate) => boolean) => {
    for (
      let i = 1, d = LocalDate.addDays(from, step);
      i <= WALK_LIMIT_DAYS;
      i++, d = LocalDate.addDays(d, step)
    ) {
      if (target(d)) return true
      if (SchoolCalendar.isSchoolDay(calendars, d)) return false
    }
    return false
  }
  const touches = (days: ReadonlyArray<LocalDate.LocalDate>, target: (d: LocalDate.LocalDate) => boolean) =>
    borders(days[0] as LocalDate.LocalDate, -1, target) ||
    borders(days[days.length - 1] as LocalDate.LocalDate, 1, target)
  // First the stretches of all absence, authorised or not: a `geoorloofd` record in a stretch that
  // borders granted leave is not authorised after all.
  const absentDays = (kinds: ReadonlyArray<AbsenceKind>) =>
    rest.filter((r) => kinds.includes(r.kind)).map((r) => r.date)
  const bordersLeave = new Set<LocalDate.LocalDate>()
  for (const days of stretchesOf(absentDays(["ongeoorloofd", "luxe-verzuim", "geoorloofd"]), calendars))
    if (touches(days, (d) => decidedDays.has(d))) for (const d of days) bordersLeave.add(d)
  const unlawful = checks.filter((c) => grantedPeriod(c.verlof) === undefined || c.violations.length > 0)
  const unlawfulOn = (d: LocalDate.LocalDate) =>
    unlawful.find((c) => LocalDate.isWithin(d, c.verlof.request.from, c.verlof.request.to))?.verlof.request
  const losesAuthorisation = (r: AbsenceRecord) =>
    r.kind === "geoorloofd" && (unlawfulOn(r.date) !== undefined || bordersLeave.has(r.date))
  // Then the stretches of unauthorised absence only, for the holiday: lawful absence between a
  // holiday and unauthorised absence means that absence does not extend the holiday (adding
  // authorised absence never turns other absence into luxe verzuim).
  const extendsHoliday = new Set<LocalDate.LocalDate>()
  const unauthorisedDays = [
    ...absentDays(["ongeoorloofd", "luxe-verzuim"]),
    ...rest.filter(losesAuthorisation).map((r) => r.date),
  ]
  for (const days of stretchesOf(unauthorisedDays, calendars)) {
    const schoolDays = days.filter((d) => SchoolCalendar.isSchoolDay(calendars, d)).length
    if (schoolDays >= 1 && schoolDays <= MAX_HOLIDAY_EXTENSION_DAYS && touches(days, isHoliday))
      for (const d of days) extendsHoliday.add(d)
  }
  const luxe = (r: AbsenceRecord): AbsenceRecord => ({ ...r, kind: "luxe-verzuim", authorised: false })
  return {
    covered,
    records: rest.map((r) => {
      const holiday = extendsHoliday.has(r.date)
      const request = unlawfulOn(r.date)
      if (r.kind === "ongeoorloofd") return holiday || request?.grond === "13a-vakantie" ? luxe(r) : r
      if (!losesAuthorisation(r)) return r
      return request?.grond === "13a-vakantie" || holiday
        ? luxe(r)
        : { ...r, kind: "ongeoorloofd", authorised: false }
    }),
  }
}

/** Absent days, grouped into stretches with only weekends and free days between them. */
const stretchesOf = (
  absent: ReadonlyArray<LocalDate.LocalDate>,
  calendars: SchoolCalendar.Calendars,
): ReadonlyArray<ReadonlyArray<LocalDate.LocalDate>> => {
  const stretches: Array<Array<LocalDate.LocalDate>> = []
  for (const day of [...new Set(absent)].sort()) {
    const current = stretches[stretches.length - 1]
    const previous = current?.[current.length - 1]
    if (
      current === undefined ||
      previous === undefined ||
      SchoolCalendar.schoolDaysBetween(
        calendars,
        LocalDate.addDays(previous, 1),
        LocalDate.addDays(day, -1),
      ) > 0
    )
      stretches.push([day])
    else current.push(day)
  }
  return stretches
}
