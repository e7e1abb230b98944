/**
 * The signals of imported absence data: every rule of `AbsenceSignal.SignalType` over many
 * pupils at once, fast enough for a school year of a whole region (1,000,000 records for 20,000
 * pupils in seconds), and agreeing with the reference rules (`ReportingDuty`, `Mazl`,
 * `LangdurigVerzuim`) that the case views use.
 *
 * How it is fast: the calendars are turned once per call into a day index over epoch days
 * (school day or not, holiday or not, running counts of school days and school weeks, next school
 * day) held in typed arrays, so "school days between", "window of 4 school weeks" and "first
 * school day from" are array lookups instead of walks over the calendar; each pupil's records are
 * read once into sorted day numbers and hours. The statutory rules are replayed step by step as
 * the reference functions take them (same order of additions, same rounding), so the results are
 * identical; `test/rules/AbsenceSignals.test.ts` compares them on thousands of random pupils.
 *
 * Keys: `signalKey(type, from)`. For meldplicht, luxe verzuim, M@ZL and langdurig verzuim `from`
 * is the first day of the absence the rule counts, fixed once the rule has fired, so a re-import
 * of the same data yields the same key, and more absence in the same stretch the same key with a
 * larger measure. For the grijs patterns `from` is the first day of the first window (of
 * `windowSchoolWeeks` school weeks, judged at the end of every school week) in an unbroken run of
 * windows showing the pattern: the same pattern going on keeps its key and its measure is the
 * worst window of the run; a pattern that stops and comes back later is a new signal.
 *
 * @since 0.4.0
 */
import type * as Absence from "../Absence.js"
import type * as AbsenceSignal from "../AbsenceSignal.js"
import { grijsDefaults, signalKey } from "../AbsenceSignal.js"
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"
import * as LangdurigVerzuim from "./LangdurigVerzuim.js"
import * as Mazl from "./Mazl.js"
import * as ReportingDuty from "./ReportingDuty.js"
import { MAX_HOLIDAY_EXTENSION_DAYS } from "./Verlof.js"

/** The thresholds of every signal; each part defaults to its rule's defaults. */
export interface SignalOptions {
  readonly reportingDuty?: Partial<ReportingDuty.ReportingDutyOptions> | undefined
  readonly mazl?: Partial<Mazl.MazlOptions> | undefined
  readonly langdurig?: Partial<LangdurigVerzuim.LangdurigVerzuimOptions> | undefined
  readonly grijs?: Partial<AbsenceSignal.GrijsVerzuimOptions> | undefined
  /**
   * Clock hours of a school day. A school day with at least this much unauthorised absence is a
   * day at home (langdurig verzuim, `homeSince`); the school time of the grijs-geoorloofd share is
   * school days times this. Default 5: the shortest full day of the sample levels (SO 5 h; PO
   * 5,5 h; VO and MBO 6 h), so a whole day away always counts, a few lessons never.
   */
  readonly schoolDayHours?: number | undefined
  /**
   * First day the imported data covers. Grijs windows starting in an earlier week are not judged
   * (no records there means no data, not no absence). Default: the earliest record of all pupils.
   */
  readonly dataFrom?: LocalDate.LocalDate | undefined
}

export const DEFAULT_SCHOOL_DAY_HOURS = 5

// ---------------------------------------------------------------------------------------------
// The day index

/** Days the index reaches beyond the data on both sides: every search of the rules stays inside. */
const MARGIN_DAYS = 800

/**
 * The calendars as arrays over epoch days `base … base + size - 1` (`base` a Monday, so the ISO
 * week of day `i` is `i / 7`).
 */
export interface DayIndex {
  readonly base: number
  readonly size: number
  /** 1 on a school day. */
  readonly school: Uint8Array
  /** 1 inside a holiday period (`SchoolCalendar.holidayOn`; single free days are not). */
  readonly holiday: Uint8Array
  /** School days in `[0, i]`. */
  readonly schoolDaysUpTo: Int32Array
  /** Day of the k-th school day (k from 1). */
  readonly schoolDayAt: Int32Array
  /** Smallest school day `>= i`, or -1. */
  readonly nextSchool: Int32Array
  /** School weeks among weeks `[0, w]`. */
  readonly schoolWeeksUpTo: Int32Array
  /** Week of the k-th school week (k from 1). */
  readonly schoolWeekAt: Int32Array
}

/** Indexes made before, per calendar set: calendars are immutable data, `homeSince` asks per pupil. */
const indexes = new WeakMap<object, DayIndex>()

/** The index of `calendars` over `fromDay … toDay` (epoch days) and a margin on either side. */
export const dayIndex = (calendars: SchoolCalendar.Calendars, fromDay: number, toDay: number): DayIndex => {
  const cached = indexes.get(calendars)
  if (
    cached !== undefined &&
    cached.base <= fromDay - MARGIN_DAYS &&
    cached.base + cached.size > toDay + MARGIN_DAYS
  )
    return cached
  const index = buildIndex(
    calendars,
    cached === undefined ? fromDay : Math.min(fromDay, cached.base + MARGIN_DAYS),
    cached === undefined ? toDay : Math.max(toDay, cached.base + cached.size - MARGIN_DAYS),
  )
  indexes.set(calendars, index)
  return index
}

const buildIndex = (calendars: SchoolCalendar.Calendars, fromDay: number, toDay: number): DayIndex => {
  const start = fromDay - MARGIN_DAYS
  const base = start - (LocalDate.weekdayOfEpochDay(start) - 1)
  const size = Math.ceil((toDay + MARGIN_DAYS - base + 1) / 7) * 7
  const school = new Uint8Array(size)
  const holiday = new Uint8Array(size)
  const schoolDaysUpTo = new Int32Array(size)
  const nextSchool = new Int32Array(size)
  const weeks = size / 7
  const schoolWeeksUpTo = new Int32Array(weeks)
  let count = 0
  for (let i = 0; i < size; i++) {
    const date = LocalDate.fromEpochDay(base + i)
    if (SchoolCalendar.holidayOn(calendars, date) !== undefined) holiday[i] = 1
    if (i % 7 < 5 && SchoolCalendar.closureOn(calendars, date) === undefined) {
      school[i] = 1
      count++
    }
    schoolDaysUpTo[i] = count
  }
  const schoolDayAt = new Int32Array(count + 1)
  let next = -1
  for (let i = size - 1; i >= 0; i--) {
    if (school[i] === 1) {
      next = i
      schoolDayAt[schoolDaysUpTo[i]!] = i
    }
    nextSchool[i] = next
  }
  let weekCount = 0
  const weekAt: Array<number> = [0]
  for (let w = 0; w < weeks; w++) {
    const before = w === 0 ? 0 : schoolDaysUpTo[w * 7 - 1]!
    if (schoolDaysUpTo[w * 7 + 6]! > before) {
      weekCount++
      weekAt.push(w)
    }
    schoolWeeksUpTo[w] = weekCount
  }
  return {
    base,
    size,
    school,
    holiday,
    schoolDaysUpTo,
    schoolDayAt,
    nextSchool,
    schoolWeeksUpTo,
    schoolWeekAt: Int32Array.from(weekAt),
  }
}

/** School days in `[from, to]` (index days); 0 when `to < from`. */
const schoolDaysIn = (x: DayIndex, from: number, to: number): number =>
  to < from ? 0 : x.schoolDaysUpTo[to]! - (from === 0 ? 0 : x.schoolDaysUpTo[from - 1]!)

/** `SchoolCalendar.windowStart` on index days: the Monday opening `weeks` school weeks ending with the week of `day`. */
const windowStartIn = (x: DayIndex, day: number, weeks: number): number => {
  const w = Math.floor(day / 7)
  const target = x.schoolWeeksUpTo[w]! - weeks + 1
  // The reference: a holiday week ending the window still leaves the window `weeks` school weeks.
  if (target < 1) throw new RangeError("AbsenceSignals: day index too short for the window")
  return x.schoolWeekAt[target]! * 7
}

/** `SchoolCalendar.firstSchoolDayFrom` on index days. */
const firstSchoolDayFromIn = (x: DayIndex, day: number): number => {
  const d = x.nextSchool[day]
  if (d === undefined || d < 0) throw new RangeError("AbsenceSignals: day index too short")
  return d
}

// ---------------------------------------------------------------------------------------------
// One pupil's records as arrays

const KIND_CODE: Readonly<Record<Absence.AbsenceKind, number>> = {
  ongeoorloofd: 0,
  geoorloofd: 1,
  ziek: 2,
  "luxe-verzuim": 3,
  "te-laat": 4,
  schorsing: 5,
}
const ONGEOORLOOFD = 0
const ZIEK = 2
const LUXE = 3
const TE_LAAT = 4
const SCHORSING = 5
const LUXE_ONLY = Uint8Array.of(0, 0, 0, 1, 0, 0)

/** Reusable buffers for one pupil's records, sorted by day (stable). */
class Sheet {
  n = 0
  day = new Int32Array(256)
  hours = new Float64Array(256)
  kind = new Uint8Array(256)
  authorised = new Uint8Array(256)
  order: Array<number> = []

  ensure(n: number) {
    if (n <= this.day.length) return
    let size = this.day.length
    while (size < n) size *= 2
    this.day = new Int32Array(size)
    this.hours = new Float64Array(size)
    this.kind = new Uint8Array(size)
    this.authorised = new Uint8Array(size)
  }
}

/** Epoch days of the dates seen in one call: a few hundred distinct dates for a million records. */
class DateCache {
  private readonly map = new Map<string, number>()
  of(date: LocalDate.LocalDate): number {
    let d = this.map.get(date)
    if (d === undefined) {
      d = LocalDate.toEpochDay(date)
      this.map.set(date, d)
    }
    return d
  }
}

const fill = (
  sheet: Sheet,
  records: ReadonlyArray<Absence.AbsenceRecord>,
  dates: DateCache,
  x: DayIndex,
  lessonMinutes: number,
) => {
  const n = records.length
  sheet.ensure(n)
  // One pass in the given order; school systems export sorted, so sorting is rare.
  let sorted = true
  let previous = Number.NEGATIVE_INFINITY
  for (let i = 0; i < n; i++) {
    const r = records[i]!
    const d = dates.of(r.date) - x.base
    if (d < previous) sorted = false
    previous = d
    sheet.day[i] = d
    sheet.hours[i] = r.amount.unit === "hours" ? r.amount.value : (r.amount.value * lessonMinutes) / 60
    sheet.kind[i] = KIND_CODE[r.kind]
    sheet.authorised[i] = r.authorised ? 1 : 0
  }
  if (!sorted) {
    const o = sheet.order
    o.length = n
    for (let i = 0; i < n; i++) o[i] = i
    const day = sheet.day.slice(0, n)
    o.sort((a, b) => day[a]! - day[b]! || a - b)
    const hours = sheet.hours.slice(0, n)
    const kind = sheet.kind.slice(0, n)
    const authorised = sheet.authorised.slice(0, n)
    for (let i = 0; i < n; i++) {
      const j = o[i]!
      sheet.day[i] = day[j]!
      sheet.hours[i] = hours[j]!
      sheet.kind[i] = kind[j]!
      sheet.authorised[i] = authorised[j]!
    }
  }
  sheet.n = n
}

/**
 * `Verlof.applyLeave` without leave on record: an `ongeoorloofd` record in a stretch of at most
 * 10 school days of unauthorised absence bordering a school holiday is luxe verzuim. Rewrites
 * `sheet.kind` in place.
 */
const markHolidayExtensions = (x: DayIndex, sheet: Sheet) => {
  const { n, day, kind } = sheet
  let stretchFirst = -1
  let stretchLast = -1
  let stretchSchoolDays = 0
  let firstRecord = -1
  const borders = (from: number, step: 1 | -1) => {
    for (let i = 1, d = from + step; i <= 21; i++, d += step) {
      if (x.holiday[d] === 1) return true
      if (x.school[d] === 1) return false
    }
    return false
  }
  const close = (endRecord: number) => {
    if (stretchFirst < 0) return
    if (
      stretchSchoolDays >= 1 &&
      stretchSchoolDays <= MAX_HOLIDAY_EXTENSION_DAYS &&
      (borders(stretchFirst, -1) || borders(stretchLast, 1))
    )
      for (let i = firstRecord; i < endRecord; i++) if (kind[i] === ONGEOORLOOFD) kind[i] = LUXE
  }
  for (let i = 0; i < n; i++) {
    const k = kind[i]
    if (k !== ONGEOORLOOFD && k !== LUXE) continue
    const d = day[i]!
    if (stretchFirst >= 0 && d === stretchLast) continue
    if (stretchFirst < 0 || schoolDaysIn(x, stretchLast + 1, d - 1) > 0) {
      close(i)
      stretchFirst = d
      stretchSchoolDays = 0
      firstRecord = i
    }
    stretchLast = d
    if (x.school[d] === 1) stretchSchoolDays++
  }
  close(n)
}

// ---------------------------------------------------------------------------------------------
// Dutch wording

const number = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 1 })
const percent = new Intl.NumberFormat("nl-NL", { style: "percent", maximumFractionDigits: 0 })

/** "16,5" */
export const formatNumber = (n: number): string => number.format(n)

/** "7 oktober 2026" */
export const formatDate = LocalDate.dutchLong

/** "7 t/m 30 oktober 2026", "28 september t/m 23 oktober 2026", "1 december 2026" */
export const formatPeriod = (from: LocalDate.LocalDate, to: LocalDate.LocalDate): string => {
  if (from === to) return formatDate(from)
  const a = LocalDate.parts(from)
  const b = LocalDate.parts(to)
  if (a.year !== b.year) return `${formatDate(from)} t/m ${formatDate(to)}`
  if (a.month !== b.month) return `${a.day} ${LocalDate.DUTCH_MONTHS[a.month - 1]} t/m ${formatDate(to)}`
  return `${a.day} t/m ${formatDate(to)}`
}

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`

// ---------------------------------------------------------------------------------------------
// The rules on arrays

const round = (hours: number): number => Math.round(hours * 1e6) / 1e6

interface Resolved {
  readonly duty: ReportingDuty.ReportingDutyOptions
  readonly mazl: Mazl.MazlOptions
  readonly langdurig: LangdurigVerzuim.LangdurigVerzuimOptions
  readonly grijs: AbsenceSignal.GrijsVerzuimOptions
  readonly schoolDayHours: number
  readonly counted: Uint8Array
}

const resolve = (options: SignalOptions): Resolved => {
  const duty = { ...ReportingDuty.defaults, ...options.reportingDuty }
  const counted = new Uint8Array(6)
  for (const k of duty.countedKinds) counted[KIND_CODE[k]] = 1
  return {
    duty,
    mazl: { ...Mazl.defaults, ...options.mazl },
    langdurig: { ...LangdurigVerzuim.defaults, ...options.langdurig },
    grijs: { ...grijsDefaults, ...options.grijs },
    schoolDayHours: options.schoolDayHours ?? DEFAULT_SCHOOL_DAY_HOURS,
    counted,
  }
}

/** Per-day sums of one selection of a pupil's records (reused buffers). */
class DaySums {
  n = 0
  day = new Int32Array(256)
  hours = new Float64Array(256)
  ensure(n: number) {
    if (n <= this.day.length) return
    this.day = new Int32Array(n * 2)
    this.hours = new Float64Array(n * 2)
  }
  /**
   * The unauthorised records of the kinds `mask` marks, up to day `last`, summed per day in record
   * order, as `ReportingDuty` groups them.
   */
  collect(sheet: Sheet, last: number, mask: Uint8Array) {
    this.ensure(sheet.n)
    const { day, hours, kind, authorised } = sheet
    let n = 0
    for (let i = 0; i < sheet.n; i++) {
      const d = day[i]!
      if (d > last) break
      if (authorised[i] !== 0 || mask[kind[i]!] !== 1) continue
      if (n > 0 && this.day[n - 1] === d) this.hours[n - 1] = this.hours[n - 1]! + hours[i]!
      else {
        this.day[n] = d
        this.hours[n] = 0 + hours[i]!
        n++
      }
    }
    this.n = n
  }
  /** First position with day >= `d`. */
  lowerBound(d: number, from = 0): number {
    let lo = from
    let hi = this.n
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.day[mid]! < d) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  /** Hours of positions `[a, b)` summed in order from 0, rounded as the reference rounds. */
  sum(a: number, b: number): number {
    let h = 0
    for (let i = a; i < b; i++) h += this.hours[i]!
    return round(h)
  }
}

interface Out {
  push(signal: AbsenceSignal.DetectedSignal): void
}

interface Context {
  readonly x: DayIndex
  readonly o: Resolved
  readonly asOf: number
  readonly calendars: SchoolCalendar.Calendars
  readonly date: (day: number) => LocalDate.LocalDate
}

/** `ReportingDuty.relatiefVerzuimMeldingen` step by step, on day numbers. */
const meldingen = (
  c: Context,
  sums: DaySums,
  emitMelding: (from: number, reachedOn: number, hours: number) => void,
) => {
  const { x, o } = c
  const { thresholdHours, windowSchoolWeeks, minDaysBetweenMeldingen } = o.duty
  const n = sums.n
  const days = sums.day
  let restart = -1
  let lastReached = -1
  let pendingSince = -1
  const emit = (on: number, from: number) => {
    const a = sums.lowerBound(from)
    const b = sums.lowerBound(on + 1, a)
    emitMelding(days[a]!, on, sums.sum(a, b))
    restart = on + 1
    lastReached = on
    pendingSince = -1
  }
  for (let i = 0; i < n; i++) {
    const d = days[i]!
    if (pendingSince >= 0) {
      const capEnd = lastReached + minDaysBetweenMeldingen
      const first = firstSchoolDayFromIn(x, capEnd)
      if (first < d) emit(first, restart)
      else {
        if (d >= capEnd) emit(d, restart)
        continue
      }
    }
    const windowFrom = windowStartIn(x, d, windowSchoolWeeks)
    const from = restart < 0 ? windowFrom : Math.max(windowFrom, restart)
    const a = sums.lowerBound(from)
    if (sums.sum(a, i + 1) < thresholdHours) continue
    if (lastReached >= 0 && d - lastReached < minDaysBetweenMeldingen) pendingSince = d
    else emit(d, from)
  }
  if (pendingSince >= 0) {
    const first = firstSchoolDayFromIn(x, lastReached + minDaysBetweenMeldingen)
    if (first <= c.asOf) emit(first, restart)
  }
}

/** `ReportingDuty.luxeVerzuimMeldingen`: periods of luxe days with no school day between them. */
const luxePeriods = (
  x: DayIndex,
  sums: DaySums,
  emitPeriod: (from: number, to: number, hours: number, schoolDays: number) => void,
) => {
  let start = 0
  for (let i = 1; i <= sums.n; i++) {
    if (i < sums.n && schoolDaysIn(x, sums.day[i - 1]! + 1, sums.day[i]! - 1) === 0) continue
    const from = sums.day[start]!
    const to = sums.day[i - 1]!
    emitPeriod(from, to, sums.sum(start, i), schoolDaysIn(x, from, to))
    start = i
  }
}

/** `Mazl.mazlTriggers` on day numbers: the sick episodes and both triggers, in firing order. */
const mazl = (
  c: Context,
  sheet: Sheet,
  firstBuf: Int32Array,
  lastBuf: Int32Array,
  emitFrequent: (first: number, last: number, count: number, windowFrom: number) => void,
  emitLangdurig: (first: number, last: number, firesOn: number, days: number) => void,
) => {
  const { x, o, asOf } = c
  let episodes = 0
  for (let i = 0; i < sheet.n; i++) {
    if (sheet.kind[i] !== ZIEK) continue
    const d = sheet.day[i]!
    if (d > asOf) break
    if (episodes > 0) {
      const last = lastBuf[episodes - 1]!
      if (d === last || schoolDaysIn(x, last + 1, d - 1) === 0) {
        lastBuf[episodes - 1] = d
        continue
      }
    }
    firstBuf[episodes] = d
    lastBuf[episodes] = d
    episodes++
  }
  const { reportsThreshold, windowSchoolWeeks, consecutiveDaysThreshold } = o.mazl
  // The reference sorts all triggers by firing day (stable): a frequent trigger fires on its
  // episode's first day, which is before any later trigger; a langdurig trigger of an episode
  // can fire after the frequent triggers of later episodes only if episodes overlap, which they
  // cannot. So emitting in episode order, frequent before langdurig, is already sorted.
  let countFrom = -1
  let lower = 0
  for (let e = 0; e < episodes; e++) {
    const first = firstBuf[e]!
    const last = lastBuf[e]!
    const windowFrom = windowStartIn(x, first, windowSchoolWeeks)
    const from = countFrom < 0 ? windowFrom : Math.max(windowFrom, countFrom)
    while (lower < e && firstBuf[lower]! < from) lower++
    const count = e - lower + 1
    if (count >= reportsThreshold) {
      emitFrequent(first, last, count, from)
      countFrom = first + 1
    }
    const before = first === 0 ? 0 : x.schoolDaysUpTo[first - 1]!
    const target = before + consecutiveDaysThreshold
    if (x.schoolDaysUpTo[last]! >= target) {
      const nth = x.schoolDayAt[target]!
      if (nth <= asOf) emitLangdurig(first, last, nth, x.schoolDaysUpTo[last]! - before)
    }
  }
}

/**
 * The stretches of days at home: school days with at least `schoolDayHours` of unauthorised
 * absence (suspension excluded: it is the school's measure, no verzuim), with no other school day
 * between them. Each stretch runs from its first home day to the day before the pupil is back
 * (the next school day that is no home day), or to `asOf` when that is later.
 */
const homeStretches = (
  c: Context,
  sheet: Sheet,
  emitStretch: (first: number, end: number, schoolDays: number, current: boolean) => void,
) => {
  const { x, o, asOf } = c
  let first = -1
  let last = -1
  let count = 0
  let dayHours = 0
  let currentDay = -1
  const close = () => {
    if (first < 0) return
    const back = last + 1 <= asOf ? x.nextSchool[last + 1]! : -1
    const current = back < 0 || back > asOf
    emitStretch(first, current ? asOf : back - 1, count, current)
  }
  const settle = () => {
    if (currentDay < 0 || x.school[currentDay] !== 1 || dayHours < o.schoolDayHours) return
    if (first >= 0 && schoolDaysIn(x, last + 1, currentDay - 1) === 0) {
      last = currentDay
      count++
      return
    }
    close()
    first = currentDay
    last = currentDay
    count = 1
  }
  for (let i = 0; i < sheet.n; i++) {
    const d = sheet.day[i]!
    if (d > asOf) break
    if (d !== currentDay) {
      settle()
      currentDay = d
      dayHours = 0
    }
    if (sheet.authorised[i] === 0 && sheet.kind[i] !== SCHORSING) dayHours += sheet.hours[i]!
  }
  settle()
  close()
}

// ---------------------------------------------------------------------------------------------
// Grijs verzuim: per school week aggregates, judged over a sliding window

/** Running sums per school week of one pupil for the grijs patterns (reused buffers, `size + 1` entries). */
class Weeks {
  authorisedHours = new Float64Array(64)
  late = new Int32Array(64)
  /** Absence days per weekday: index k * 5 + weekday - 1. */
  weekdayDays = new Int32Array(64 * 5)
  reset(weeks: number) {
    const size = weeks + 1
    if (size > this.authorisedHours.length) {
      this.authorisedHours = new Float64Array(size * 2)
      this.late = new Int32Array(size * 2)
      this.weekdayDays = new Int32Array(size * 10)
    } else {
      this.authorisedHours.fill(0, 0, size)
      this.late.fill(0, 0, size)
      this.weekdayDays.fill(0, 0, size * 5)
    }
  }
}

interface GrijsFrame {
  /** School-week ordinal of the first week with data and of the week of the last school day up to `asOf`. */
  readonly firstWeek: number
  readonly lastWeek: number
  /** School days up to `asOf` in the frame's weeks before week k (k from 0; `size + 1` entries). */
  readonly schoolDaysUpTo: Int32Array
  /** Last school day up to `asOf` of each school week of the frame. */
  readonly lastSchoolDay: Int32Array
}

const grijsFrame = (x: DayIndex, dataFrom: number, asOf: number): GrijsFrame | undefined => {
  const firstWeek = x.schoolWeeksUpTo[Math.floor(dataFrom / 7)]!
  const schoolDaysToAsOf = x.schoolDaysUpTo[asOf]!
  if (schoolDaysToAsOf === 0) return undefined
  // The week of the last school day up to `asOf`: a week whose school days all lie after it waits.
  const lastWeek = x.schoolWeeksUpTo[Math.floor(x.schoolDayAt[schoolDaysToAsOf]! / 7)]!
  // The week of `dataFrom` counts only if it is a school week; otherwise start at the next one.
  const first = x.schoolWeekAt[firstWeek] === Math.floor(dataFrom / 7) ? firstWeek : firstWeek + 1
  if (lastWeek < first) return undefined
  const size = lastWeek - first + 1
  const schoolDaysUpTo = new Int32Array(size + 1)
  const lastSchoolDay = new Int32Array(size).fill(-1)
  for (let k = 0; k < size; k++) {
    const monday = x.schoolWeekAt[first + k]! * 7
    let n = 0
    for (let d = monday; d < monday + 5 && d <= asOf; d++) {
      if (x.school[d] !== 1) continue
      n++
      lastSchoolDay[k] = d
    }
    schoolDaysUpTo[k + 1] = schoolDaysUpTo[k]! + n
  }
  return { firstWeek: first, lastWeek, schoolDaysUpTo, lastSchoolDay }
}

const WEEKDAY_NAMES = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"] as const

/** Runs of consecutive windows showing a pattern: one signal per run, its worst window the measure. */
class Runs {
  private start = -1
  private firesOn = -1
  private worst = -1
  private lastEnd = -1
  /** The explanation of the worst window; set by the caller when `step` says the window is the worst. */
  explanation = ""
  pupilNumber = ""
  constructor(
    private readonly c: Context,
    private readonly type: AbsenceSignal.SignalType,
    private readonly out: Out,
  ) {}
  /** The window `[from, end]` shows the pattern (`holds`) with `measure`: true when it is the run's worst so far. */
  step(from: number, end: number, measure: number, holds: boolean): boolean {
    if (!holds) {
      this.flush()
      return false
    }
    if (this.start < 0) {
      this.start = from
      this.firesOn = end
    }
    this.lastEnd = end
    if (measure <= this.worst) return false
    this.worst = measure
    return true
  }
  flush() {
    if (this.start < 0) return
    const from = this.c.date(this.start)
    this.out.push({
      pupilNumber: this.pupilNumber,
      type: this.type,
      key: signalKey(this.type, from),
      from,
      to: this.c.date(this.lastEnd),
      firesOn: this.c.date(this.firesOn),
      measure: this.worst,
      explanation: this.explanation,
    })
    this.start = -1
    this.worst = -1
  }
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000)

/** The four patterns' runs, made once per call. */
interface GrijsRuns {
  readonly geoorloofd: Runs
  readonly weekday: Runs
  readonly late: Runs
  readonly rising: Runs
}

const grijsRuns = (c: Context, out: Out): GrijsRuns => ({
  geoorloofd: new Runs(c, "grijs-geoorloofd", out),
  weekday: new Runs(c, "grijs-weekdag", out),
  late: new Runs(c, "grijs-te-laat", out),
  rising: new Runs(c, "grijs-stijgend", out),
})

const grijs = (
  c: Context,
  frame: GrijsFrame,
  weeks: Weeks,
  sheet: Sheet,
  pupilNumber: string,
  runs: GrijsRuns,
) => {
  const { x, o, asOf } = c
  const g = o.grijs
  const size = frame.lastWeek - frame.firstWeek + 1
  const W = g.windowSchoolWeeks
  if (size < W) return
  weeks.reset(size)
  // Running sums per school week (index k + 1 holds weeks 0..k): one pass over the records.
  const { authorisedHours, late: lateSums, weekdayDays } = weeks
  let absenceDay = -1
  for (let i = 0; i < sheet.n; i++) {
    const d = sheet.day[i]!
    if (d > asOf) break
    if (x.school[d] !== 1) continue
    const k = x.schoolWeeksUpTo[Math.floor(d / 7)]! - frame.firstWeek + 1
    if (k < 1) continue
    const kind = sheet.kind[i]!
    if (kind === TE_LAAT) {
      lateSums[k] = lateSums[k]! + 1
      if (sheet.authorised[i] === 1) authorisedHours[k] = authorisedHours[k]! + sheet.hours[i]!
      continue
    }
    if (kind === SCHORSING) continue
    if (sheet.authorised[i] === 1 && kind !== ZIEK) authorisedHours[k] = authorisedHours[k]! + sheet.hours[i]!
    if (d !== absenceDay) {
      absenceDay = d
      const j = k * 5 + (d % 7)
      weekdayDays[j] = weekdayDays[j]! + 1
    }
  }
  for (let k = 1; k <= size; k++) {
    authorisedHours[k] = authorisedHours[k]! + authorisedHours[k - 1]!
    lateSums[k] = lateSums[k]! + lateSums[k - 1]!
    for (let wd = 0; wd < 5; wd++)
      weekdayDays[k * 5 + wd] = weekdayDays[k * 5 + wd]! + weekdayDays[(k - 1) * 5 + wd]!
  }
  const { geoorloofd, weekday, late, rising } = runs
  geoorloofd.pupilNumber = pupilNumber
  weekday.pupilNumber = pupilNumber
  late.pupilNumber = pupilNumber
  rising.pupilNumber = pupilNumber
  const half = Math.floor(W / 2)
  const perDay = [0, 0, 0, 0, 0]
  for (let end = W; end <= size; end++) {
    const start = end - W
    const middle = end - half
    const from = x.schoolWeekAt[frame.firstWeek + start]! * 7
    const last = frame.lastSchoolDay[end - 1]!
    const span = () => `${W} schoolweken (${formatPeriod(c.date(from), c.date(last))})`
    // Geoorloofd verzuim other than illness, as a share of school time.
    const hours = authorisedHours[end]! - authorisedHours[start]!
    const schoolHours = (frame.schoolDaysUpTo[end]! - frame.schoolDaysUpTo[start]!) * o.schoolDayHours
    const hoursShare = share(hours, schoolHours)
    if (geoorloofd.step(from, last, hoursShare, hours > 0 && hoursShare >= g.authorisedShare))
      geoorloofd.explanation = `${formatNumber(round(hours))} uur geoorloofd verzuim (geen ziekte) in ${span()}: ${percent.format(hoursShare)} van de schooltijd`
    // Absence days on one weekday, or on Monday and Friday together.
    let absenceDays = 0
    let worstDay = 0
    for (let wd = 0; wd < 5; wd++) {
      const n = weekdayDays[end * 5 + wd]! - weekdayDays[start * 5 + wd]!
      perDay[wd] = n
      absenceDays += n
      if (n > perDay[worstDay]!) worstDay = wd
    }
    const onDay = perDay[worstDay]!
    const dayShare = share(onDay, absenceDays)
    const dayHolds = onDay >= g.weekdayMinDays && dayShare >= g.weekdayShare
    const onMondayFriday = perDay[0]! + perDay[4]!
    const mondayFridayShare = share(onMondayFriday, absenceDays)
    const mondayFridayHolds =
      onMondayFriday >= g.mondayFridayMinDays && mondayFridayShare >= g.mondayFridayShare
    const single = dayHolds && (!mondayFridayHolds || dayShare >= mondayFridayShare)
    if (weekday.step(from, last, single ? dayShare : mondayFridayShare, dayHolds || mondayFridayHolds))
      weekday.explanation = single
        ? `${plural(onDay, "verzuimdag", "verzuimdagen")} van de ${formatNumber(absenceDays)} op ${WEEKDAY_NAMES[worstDay]} in ${span()}`
        : `${plural(onMondayFriday, "verzuimdag", "verzuimdagen")} van de ${formatNumber(absenceDays)} op maandag of vrijdag in ${span()}`
    const lateCount = lateSums[end]! - lateSums[start]!
    if (late.step(from, last, lateCount, lateCount >= g.lateCount))
      late.explanation = `${formatNumber(lateCount)} keer te laat in ${span()}`
    const a = round(authorisedHours[middle]! - authorisedHours[start]!)
    const b = round(authorisedHours[end]! - authorisedHours[middle]!)
    if (rising.step(from, last, b, b >= g.risingMinHours && b >= g.risingFactor * a))
      rising.explanation = `${formatNumber(b)} uur geoorloofd verzuim (geen ziekte) in de laatste ${half} schoolweken tegen ${formatNumber(a)} uur in de ${W - half} schoolweken daarvoor (${formatPeriod(c.date(from), c.date(last))})`
  }
  geoorloofd.flush()
  weekday.flush()
  late.flush()
  rising.flush()
}

// ---------------------------------------------------------------------------------------------
// classify

/** Epoch days of the earliest and latest record (dates compare as strings). */
const minRecordDay = (pupils: ReadonlyArray<AbsenceSignal.PupilAbsence>, dates: DateCache) => {
  let lo: string | undefined
  let hi: string | undefined
  for (const p of pupils)
    for (const r of p.records) {
      if (lo === undefined || r.date < lo) lo = r.date
      if (hi === undefined || r.date > hi) hi = r.date
    }
  return lo === undefined || hi === undefined
    ? { lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY }
    : { lo: dates.of(lo as LocalDate.LocalDate), hi: dates.of(hi as LocalDate.LocalDate) }
}

/**
 * Every signal of every pupil up to `asOf` (peildatum), with the school's calendars (region
 * calendar with the school's override applied). Pure; no I/O. Signals come per pupil, in the
 * order of `AbsenceSignal.SignalType`, each type in date order.
 */
export const classify = (
  pupils: Iterable<AbsenceSignal.PupilAbsence>,
  calendars: SchoolCalendar.Calendars,
  asOf: LocalDate.LocalDate,
  options: SignalOptions = {},
): ReadonlyArray<AbsenceSignal.DetectedSignal> => {
  const list = Array.isArray(pupils)
    ? (pupils as ReadonlyArray<AbsenceSignal.PupilAbsence>)
    : Array.from(pupils)
  const dates = new DateCache()
  const asOfEpoch = LocalDate.toEpochDay(asOf)
  const { lo, hi } = minRecordDay(list, dates)
  const dataFromEpoch =
    options.dataFrom !== undefined
      ? LocalDate.toEpochDay(options.dataFrom)
      : Number.isFinite(lo)
        ? lo
        : asOfEpoch
  const x = dayIndex(
    calendars,
    Math.min(Number.isFinite(lo) ? lo : asOfEpoch, asOfEpoch, dataFromEpoch),
    Math.max(Number.isFinite(hi) ? hi : asOfEpoch, asOfEpoch),
  )
  const o = resolve(options)
  const dateCache = new Map<number, LocalDate.LocalDate>()
  const date = (day: number): LocalDate.LocalDate => {
    let s = dateCache.get(day)
    if (s === undefined) {
      s = LocalDate.fromEpochDay(day + x.base)
      dateCache.set(day, s)
    }
    return s
  }
  const c: Context = { x, o, asOf: asOfEpoch - x.base, calendars, date }
  const frame = grijsFrame(x, Math.max(0, dataFromEpoch - x.base), c.asOf)
  const sheet = new Sheet()
  const sums = new DaySums()
  const weeks = new Weeks()
  let firstBuf = new Int32Array(256)
  let lastBuf = new Int32Array(256)
  const out: Array<AbsenceSignal.DetectedSignal> = []
  const runs = grijsRuns(c, out)
  const { thresholdHours } = o.duty

  for (const pupil of list) {
    const pupilNumber = pupil.pupilNumber
    fill(sheet, pupil.records, dates, x, o.duty.lessonMinutes)
    if (sheet.n > firstBuf.length) {
      firstBuf = new Int32Array(sheet.n * 2)
      lastBuf = new Int32Array(sheet.n * 2)
    }
    markHolidayExtensions(x, sheet)
    const birthDate = pupil.birthDate
    const dutyApplies = (day: number) =>
      birthDate === undefined || ReportingDuty.reportingDutyApplies({ birthDate }, date(day), calendars)
    const push = (
      type: AbsenceSignal.SignalType,
      from: number,
      to: number,
      firesOn: number,
      measure: number,
      explanation: string,
    ) => {
      const f = date(from)
      out.push({
        pupilNumber,
        type,
        key: signalKey(type, f),
        from: f,
        to: date(to),
        firesOn: date(firesOn),
        measure,
        explanation,
      })
    }

    // Meldplicht (Leerplichtwet 1969 art. 21a): 16 hours in 4 school weeks.
    sums.collect(sheet, c.asOf, o.counted)
    if (sums.n > 0)
      meldingen(c, sums, (from, reachedOn, hours) => {
        if (!dutyApplies(reachedOn)) return
        // School weeks from the week of the first counted day to the week of the melding.
        const inWeeks = Math.max(
          1,
          x.schoolWeeksUpTo[Math.floor(reachedOn / 7)]! -
            x.schoolWeeksUpTo[Math.floor(from / 7)]! +
            (x.schoolWeekAt[x.schoolWeeksUpTo[Math.floor(from / 7)]!] === Math.floor(from / 7) ? 1 : 0),
        )
        push(
          "meldplicht",
          from,
          reachedOn,
          reachedOn,
          hours,
          `${formatNumber(hours)} uur ongeoorloofd verzuim in ${plural(inWeeks, "schoolweek", "schoolweken")} (${formatPeriod(date(from), date(reachedOn))}); de grens is ${formatNumber(thresholdHours)} uur`,
        )
      })

    // Luxe verzuim, reportable from its first day.
    sums.collect(sheet, c.asOf, LUXE_ONLY)
    if (sums.n > 0)
      luxePeriods(x, sums, (from, to, hours, schoolDays) => {
        if (!dutyApplies(from)) return
        push(
          "luxe-verzuim",
          from,
          to,
          from,
          hours,
          `Luxe verzuim: ${formatNumber(hours)} uur op ${plural(schoolDays, "schooldag", "schooldagen")} (${formatPeriod(date(from), date(to))}), te melden vanaf de eerste dag`,
        )
      })

    // Langdurig relatief verzuim: more than 4 weeks (2a), more than 3 months (2b), calendar time.
    const { weeks: langWeeks, months2b } = o.langdurig
    homeStretches(c, sheet, (first, end, schoolDays, current) => {
      const days = end - first + 1
      if (days <= langWeeks * 7) return
      const since = date(first)
      const until = current ? "tot nu toe" : `t/m ${formatDate(date(end))}`
      const text = `Sinds ${formatDate(since)} ongeoorloofd afwezig, ${until}: ${plural(days, "dag", "dagen")} (${plural(schoolDays, "hele schooldag", "hele schooldagen")})`
      push("langdurig-2a", first, end, first + langWeeks * 7, days, `${text}; meer dan ${langWeeks} weken`)
      const twoB = LocalDate.toEpochDay(LocalDate.addMonths(since, months2b)) - x.base
      if (end >= twoB) push("langdurig-2b", first, end, twoB, days, `${text}; meer dan ${months2b} maanden`)
    })

    // M@ZL: the 4th ziekmelding in 12 school weeks; the 7th consecutive sick school day.
    const mazlFrequent: Array<AbsenceSignal.DetectedSignal> = []
    const mazlLong: Array<AbsenceSignal.DetectedSignal> = []
    const mo = o.mazl
    mazl(
      c,
      sheet,
      firstBuf,
      lastBuf,
      (first, last, count, windowFrom) => {
        const f = date(first)
        mazlFrequent.push({
          pupilNumber,
          type: "mazl-frequent",
          key: signalKey("mazl-frequent", f),
          from: f,
          to: date(last),
          firesOn: f,
          measure: count,
          explanation: `${formatNumber(count)}e ziekmelding binnen ${mo.windowSchoolWeeks} schoolweken (${formatPeriod(date(windowFrom), f)})`,
        })
      },
      (first, last, firesOn, days) => {
        const f = date(first)
        mazlLong.push({
          pupilNumber,
          type: "mazl-langdurig",
          key: signalKey("mazl-langdurig", f),
          from: f,
          to: date(last),
          firesOn: date(firesOn),
          measure: days,
          explanation: `${plural(days, "schooldag", "schooldagen")} achter elkaar ziek (${formatPeriod(f, date(last))}); de grens is ${formatNumber(mo.consecutiveDaysThreshold)} schooldagen`,
        })
      },
    )
    for (const s of mazlFrequent) out.push(s)
    for (const s of mazlLong) out.push(s)

    if (frame !== undefined) grijs(c, frame, weeks, sheet, pupilNumber, runs)
  }
  return out
}

/**
 * The first day of the pupil's current stretch of unauthorised absence of whole school days up to
 * `asOf`, if the pupil is absent on `asOf`'s last school day: the imported data's answer to "since
 * when is this pupil at home", for a case's pact clock and Inspectie category. A day at home is a
 * school day with at least `schoolDayHours` (default 5) of unauthorised absence; days without
 * school between two such days do not break the stretch.
 */
export const homeSince = (
  records: ReadonlyArray<Absence.AbsenceRecord>,
  calendars: SchoolCalendar.Calendars,
  asOf: LocalDate.LocalDate,
  options: Pick<SignalOptions, "schoolDayHours"> = {},
): LocalDate.LocalDate | undefined => {
  if (records.length === 0) return undefined
  const dates = new DateCache()
  const asOfEpoch = LocalDate.toEpochDay(asOf)
  const { lo, hi } = minRecordDay([{ pupilNumber: "", records }], dates)
  const x = dayIndex(calendars, Math.min(lo, asOfEpoch), Math.max(hi, asOfEpoch))
  const o = resolve(options)
  const sheet = new Sheet()
  fill(sheet, records, dates, x, o.duty.lessonMinutes)
  const c: Context = {
    x,
    o,
    asOf: asOfEpoch - x.base,
    calendars,
    date: (day) => LocalDate.fromEpochDay(day + x.base),
  }
  let since: number | undefined
  homeStretches(c, sheet, (first, _end, _days, current) => {
    if (current) since = first
  })
  return since === undefined ? undefined : c.date(since)
}
