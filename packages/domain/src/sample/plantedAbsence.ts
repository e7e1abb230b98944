/**
 * Planted pupils: absence records built to make exactly the signals they are named after (and no
 * other), one per signal type and one on each side of every statutory boundary. Tests of the
 * classifier, the absence store, the app and the pages import the same set, so "P-MELD-16 gives a
 * meldplicht signal, P-MELD-15.5 none" holds in every layer.
 *
 * The records are placed in the school weeks of the given calendars before `asOf`; `asOf` must lie
 * at least 20 school weeks into the school year (the 2b pupil needs more than 3 months at home).
 * Every pupil is 14 on `asOf`, except P-MELD-18 (19 on `asOf`, 18 all through its absence: the
 * reporting duty has ended).
 *
 * @example
 * const pupils = plantedPupils({ schoolYear: 2026, calendars: Calendars.midden, asOf: LocalDate.make("2027-03-19") })
 * for (const p of pupils) expect(typesOf(classify(pupils, calendars, asOf), p.pupilNumber)).toEqual(p.expected)
 *
 * @since 0.4.0
 */
import type { AbsenceKind, AbsenceRecord } from "../Absence.js"
import type { PupilAbsence, SignalType } from "../AbsenceSignal.js"
import { SignalType as SignalTypeSchema } from "../AbsenceSignal.js"
import * as LocalDate from "../LocalDate.js"
import * as SchoolCalendar from "../SchoolCalendar.js"

export interface PlantedPupil extends PupilAbsence {
  readonly birthDate: LocalDate.LocalDate
  /** The signal types `classify` must give this pupil with default options, in type order. */
  readonly expected: ReadonlyArray<SignalType>
  /** Every other type: the pupil must not produce these. */
  readonly forbidden: ReadonlyArray<SignalType>
  /** What the pupil shows (English, for test output). */
  readonly about: string
}

export interface PlantedOptions {
  /** The school year: its first calendar year (2026) or its label ("2026/27"). */
  readonly schoolYear: number | string
  readonly calendars: SchoolCalendar.Calendars
  /** The peildatum the expectations hold on. */
  readonly asOf: LocalDate.LocalDate
  /**
   * Plant whole lessons of this many minutes instead of clock hours, for systems that count
   * lessons (Magister: 50). Each amount becomes the nearest whole number of lessons (at least
   * one), which keeps every boundary on its side: P-MELD-16 misses 20 lessons (16 h 40 min),
   * P-MELD-15.5 19 (15 h 50 min). Classify such records with the same `lessonMinutes`.
   */
  readonly lessonMinutes?: number | undefined
}

const ALL_TYPES: ReadonlyArray<SignalType> = SignalTypeSchema.literals

interface Week {
  /** Monday of the ISO week. */
  readonly monday: LocalDate.LocalDate
  /** Its school days, in order. */
  readonly days: ReadonlyArray<LocalDate.LocalDate>
}

const record = (
  date: LocalDate.LocalDate,
  hours: number,
  kind: AbsenceKind,
  authorised: boolean,
): AbsenceRecord => ({
  date,
  amount: { unit: "hours", value: hours },
  kind,
  authorised,
})
const unauthorised = (date: LocalDate.LocalDate, hours: number) => record(date, hours, "ongeoorloofd", false)
const sick = (date: LocalDate.LocalDate) => record(date, 6, "ziek", true)
const appointment = (date: LocalDate.LocalDate, hours: number) => record(date, hours, "geoorloofd", true)
const late = (date: LocalDate.LocalDate) => record(date, 0.25, "te-laat", false)

/** A record in whole lessons: the nearest whole number, at least one. */
const inLessons = (r: AbsenceRecord, lessonMinutes: number): AbsenceRecord =>
  r.amount.unit === "lessons"
    ? r
    : {
        ...r,
        amount: { unit: "lessons", value: Math.max(1, Math.round((r.amount.value * 60) / lessonMinutes)) },
      }

const fail = (what: string) =>
  new RangeError(`plantedPupils: ${what}; choose a later asOf or a calendar with ordinary school weeks`)

/**
 * The planted pupils for `schoolYear` and `asOf`, in a fixed order with stable pupil numbers.
 */
export const plantedPupils = (options: PlantedOptions): ReadonlyArray<PlantedPupil> => {
  const { calendars, asOf } = options
  const startYear =
    typeof options.schoolYear === "number" ? options.schoolYear : Number(options.schoolYear.slice(0, 4))
  const yearStart = LocalDate.schoolYear(startYear).start
  const firstSchoolDay = SchoolCalendar.firstSchoolDayFrom(calendars, yearStart)
  // The school weeks from the first school day to the week before the week of `asOf`.
  const asOfMonday = LocalDate.startOfWeek(asOf)
  const weeks: Array<Week> = []
  for (
    let monday = LocalDate.startOfWeek(firstSchoolDay);
    monday < asOfMonday;
    monday = LocalDate.addDays(monday, 7)
  ) {
    const days = [0, 1, 2, 3, 4]
      .map((i) => LocalDate.addDays(monday, i))
      .filter((d) => SchoolCalendar.isSchoolDay(calendars, d))
    weeks.push({ monday, days })
  }
  const schoolWeeks = weeks.filter((w) => w.days.length > 0)
  if (schoolWeeks.length < 20) throw fail(`only ${schoolWeeks.length} school weeks before ${asOf}`)
  const isFull = (w: Week | undefined) => w !== undefined && w.days.length === 5
  /** The latest run of `n` consecutive full school weeks (ISO weeks in a row) ending before `before`. */
  const fullRun = (n: number, before = weeks.length - 1): ReadonlyArray<Week> => {
    for (let end = before - 1; end - n + 1 >= 0; end--) {
      const run = weeks.slice(end - n + 1, end + 1)
      if (run.every(isFull)) return run
    }
    throw fail(`no ${n} full school weeks in a row`)
  }
  /** A holiday week with two full school weeks on either side, all before the week of `asOf`. */
  const holidayRun = (): ReadonlyArray<Week> => {
    for (let i = weeks.length - 3; i >= 2; i--) {
      const w = weeks[i]!
      if (w.days.length === 0 && [i - 2, i - 1, i + 1, i + 2].every((j) => isFull(weeks[j])))
        return [weeks[i - 2]!, weeks[i - 1]!, weeks[i + 1]!, weeks[i + 2]!]
    }
    throw fail("no holiday week between full school weeks")
  }
  /** The holiday periods of the school year that end before `asOf`, with school days around them. */
  const holidays = (SchoolCalendar.calendarFor(calendars, yearStart)?.holidays ?? [])
    .filter((h) => h.first > firstSchoolDay && h.last < LocalDate.addDays(asOf, -7))
    .toSorted((a, b) => LocalDate.compare(a.first, b.first))
  if (holidays.length < 1) throw fail("no holiday before asOf")
  const holiday = holidays[holidays.length - 1]!
  const schoolDaysBefore = (d: LocalDate.LocalDate, n: number) => {
    const out: Array<LocalDate.LocalDate> = []
    for (let day = LocalDate.addDays(d, -1); out.length < n; day = LocalDate.addDays(day, -1))
      if (SchoolCalendar.isSchoolDay(calendars, day)) out.unshift(day)
    return out
  }
  const schoolDaysFrom = (d: LocalDate.LocalDate, to: LocalDate.LocalDate) => {
    const out: Array<LocalDate.LocalDate> = []
    for (let day = d; day <= to; day = LocalDate.addDays(day, 1))
      if (SchoolCalendar.isSchoolDay(calendars, day)) out.push(day)
    return out
  }
  // The day after the holiday, then its first three school days.
  const afterHoliday = schoolDaysFrom(
    LocalDate.addDays(holiday.last, 1),
    LocalDate.addDays(holiday.last, 14),
  ).slice(0, 3)
  const lastTwelve = schoolWeeks.slice(-12)
  const lastFive = schoolWeeks.slice(-5)
  /** Day `i` (0 = Monday) of a full week. */
  const day = (w: Week, i: number) => w.days[i]!

  const age14 = LocalDate.addYears(asOf, -14)
  const age18 = LocalDate.addYears(asOf, -19)
  const out: Array<PlantedPupil> = []
  const plant = (
    pupilNumber: string,
    about: string,
    expected: ReadonlyArray<SignalType>,
    records: ReadonlyArray<AbsenceRecord>,
    birthDate = age14,
  ) => {
    const sorted = records
      .map((r) => (options.lessonMinutes === undefined ? r : inLessons(r, options.lessonMinutes)))
      .toSorted((a, b) => LocalDate.compare(a.date, b.date))
    const want = ALL_TYPES.filter((t) => expected.includes(t))
    out.push({
      pupilNumber,
      about,
      birthDate,
      records: sorted,
      expected: want,
      forbidden: ALL_TYPES.filter((t) => !want.includes(t)),
    })
  }

  plant(
    "P-SCHOON",
    "a sick day, an appointment and one late arrival: nothing",
    [],
    [
      sick(day(fullRun(1)[0]!, 2)),
      appointment(day(fullRun(1, weeks.length - 4)[0]!, 1), 1),
      late(day(fullRun(1, weeks.length - 7)[0]!, 3)),
    ],
  )

  // Meldplicht: 16 hours in 4 school weeks, one day a week on different weekdays.
  const four = fullRun(4, weeks.length - 2)
  const fourDays = [day(four[0]!, 1), day(four[1]!, 2), day(four[2]!, 3), day(four[3]!, 0)]
  plant(
    "P-MELD-16",
    "16 hours unauthorised in 4 school weeks",
    ["meldplicht"],
    fourDays.map((d) => unauthorised(d, 4)),
  )
  plant(
    "P-MELD-15.5",
    "15.5 hours unauthorised in 4 school weeks: below the threshold",
    [],
    fourDays.map((d, i) => unauthorised(d, i === 3 ? 3.5 : 4)),
  )
  plant(
    "P-MELD-18",
    "16 hours unauthorised in 4 school weeks at 18: the reporting duty has ended",
    [],
    fourDays.map((d) => unauthorised(d, 4)),
    age18,
  )
  const aroundHoliday = holidayRun()
  plant(
    "P-MELD-VAKANTIE",
    "16 hours in 5 calendar weeks with a holiday week inside: still 4 school weeks",
    ["meldplicht"],
    [
      day(aroundHoliday[0]!, 1),
      day(aroundHoliday[1]!, 2),
      day(aroundHoliday[2]!, 3),
      day(aroundHoliday[3]!, 2),
    ].map((d) => unauthorised(d, 4)),
  )
  const five = fullRun(5, weeks.length - 2)
  plant(
    "P-MELD-5WEKEN",
    "16 hours spread over 5 school weeks: no 4 school weeks hold 16",
    [],
    [day(five[0]!, 1), day(five[1]!, 2), day(five[3]!, 3), day(five[4]!, 2)].map((d) => unauthorised(d, 4)),
  )

  // Luxe verzuim: recorded as such before a holiday; unauthorised days right after one.
  plant(
    "P-LUXE",
    "two days of luxe verzuim before a holiday",
    ["luxe-verzuim"],
    schoolDaysBefore(holiday.first, 2).map((d) => record(d, 6, "luxe-verzuim", false)),
  )
  plant(
    "P-LUXE-AANSLUITEND",
    "18 hours unauthorised on the three school days after a holiday: luxe verzuim, not the 16 hours",
    ["luxe-verzuim"],
    afterHoliday.map((d) => unauthorised(d, 6)),
  )

  // Langdurig relatief verzuim: every school day at home, to asOf.
  /** Home every school day from the last school day on or before `since`. */
  const homeFrom = (since: LocalDate.LocalDate) =>
    schoolDaysFrom(schoolDaysBefore(LocalDate.addDays(since, 1), 1)[0]!, asOf).map((d) => unauthorised(d, 6))
  plant(
    "P-LANG-2A",
    "at home (whole days unauthorised) for about 6 weeks",
    ["meldplicht", "langdurig-2a"],
    homeFrom(LocalDate.addDays(asOf, -42)),
  )
  plant(
    "P-LANG-2B",
    "at home (whole days unauthorised) for about 4 months",
    ["meldplicht", "langdurig-2a", "langdurig-2b"],
    homeFrom(LocalDate.addMonths(asOf, -4)),
  )

  // M@ZL.
  const two = fullRun(2, weeks.length - 2)
  const sevenDays = [...two[0]!.days, ...two[1]!.days].slice(0, 7)
  plant("P-MAZL-7", "sick 7 school days in a row", ["mazl-langdurig"], sevenDays.map(sick))
  plant("P-MAZL-6", "sick 6 school days in a row: below the threshold", [], sevenDays.slice(0, 6).map(sick))
  const tenWeeks = schoolWeeks.slice(-12, -2)
  const midweek = (w: Week, i: number) => w.days[Math.min(w.days.length - 1, 1 + (i % 3))]!
  plant(
    "P-MAZL-4",
    "4 ziekmeldingen within 12 school weeks",
    ["mazl-frequent"],
    [0, 3, 6, 9].map((k, i) => sick(midweek(tenWeeks[k]!, i))),
  )
  plant(
    "P-MAZL-3",
    "3 ziekmeldingen within 12 school weeks: below the threshold",
    [],
    [0, 4, 9].map((k, i) => sick(midweek(tenWeeks[k]!, i))),
  )

  // Grijs verzuim: the regional patterns with their default thresholds.
  plant(
    "P-GRIJS-GEOORLOOFD",
    "an authorised hour every school day from the first day of the school year: 20% of school time",
    ["grijs-geoorloofd"],
    schoolWeeks.flatMap((w) => w.days).map((d) => appointment(d, 1)),
  )
  plant(
    "P-GRIJS-WEEKDAG",
    "an authorised half hour every other Monday of the school year",
    ["grijs-weekdag"],
    // Every other Monday: in whole lessons (50 minutes each) every Monday would also be 3.3 % of
    // school time, over the 3 % of much authorised absence.
    schoolWeeks
      .flatMap((w) => w.days.filter((d) => LocalDate.weekday(d) === 1))
      .filter((_, i) => i % 2 === 0)
      .map((d) => appointment(d, 0.5)),
  )
  plant(
    "P-GRIJS-TE-LAAT",
    "late 10 times in the last 12 school weeks",
    ["grijs-te-laat"],
    lastTwelve.slice(1, 11).map((w, i) => late(w.days[i % w.days.length]!)),
  )
  plant(
    "P-GRIJS-STIJGEND",
    "no absence, then 15 authorised hours in the last 5 school weeks (at the default thresholds a rise of authorised absence also crosses its level)",
    ["grijs-geoorloofd", "grijs-stijgend"],
    lastFive
      .flatMap((w, k) => [w.days[k % w.days.length]!, w.days[(k + 2) % w.days.length]!])
      .map((d) => appointment(d, 1.5)),
  )
  return out
}
