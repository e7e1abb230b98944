/**
 * `AbsenceSignals.classify` replays the reference rules on arrays: its meldplicht, luxe verzuim
 * and M@ZL signals must be exactly the reference functions' results, for thousands of random
 * pupils (sample profiles plus records aimed at the edges: holidays, weekends, lessons, unsorted
 * and doubled dates) on the region's calendar, a school's override and a set missing a year.
 */
import { describe, expect, it } from "@effect/vitest"
import type { AbsenceKind, AbsenceRecord } from "../../src/Absence.js"
import type { PupilAbsence } from "../../src/AbsenceSignal.js"
import * as Calendars from "../../src/calendars/index.js"
import * as LocalDate from "../../src/LocalDate.js"
import { classify, homeSince, type SignalOptions } from "../../src/rules/AbsenceSignals.js"
import * as LangdurigVerzuim from "../../src/rules/LangdurigVerzuim.js"
import { mazlTriggers } from "../../src/rules/Mazl.js"
import { luxeVerzuimMeldingen, relatiefVerzuimMeldingen } from "../../src/rules/ReportingDuty.js"
import * as SchoolCalendar from "../../src/SchoolCalendar.js"
import { makeGenerator, Random } from "../../src/sample/index.js"

const d = LocalDate.make
const [midden2025, midden2026] = Calendars.midden as [
  SchoolCalendar.SchoolCalendar,
  SchoolCalendar.SchoolCalendar,
]

/** A school with its own extra holiday week, study days and a moved voorjaarsvakantie. */
const school2026 = SchoolCalendar.applyOverride(midden2026, {
  school: "Testschool",
  schoolYear: "2026/27",
  holidays: [{ name: "extra week", first: d("2026-11-30"), last: d("2026-12-06") }],
  freeDays: [
    { name: "studiedag", date: d("2026-09-16") },
    { name: "studiedag", date: d("2027-01-29") },
    { name: "studiedag", date: d("2027-04-12") },
  ],
})
const calendarSets: ReadonlyArray<readonly [string, SchoolCalendar.Calendars]> = [
  ["midden", Calendars.midden],
  ["school override", [midden2025, school2026]],
  ["one year only", [midden2026]],
  ["noord", Calendars.noord],
]

const KINDS: ReadonlyArray<AbsenceKind> = [
  "ongeoorloofd",
  "geoorloofd",
  "ziek",
  "luxe-verzuim",
  "te-laat",
  "schorsing",
]
const PROFILES = ["regulier", "grijs", "spijbelaar", "ziek", "langdurig", "luxe"] as const

/** Records aimed at the edges: clusters around holidays, weekends, lessons, doubles, disorder. */
const edgeRecords = (random: Random, from: number, to: number): Array<AbsenceRecord> => {
  const out: Array<AbsenceRecord> = []
  const clusters = random.int(1, 6)
  for (let c = 0; c < clusters; c++) {
    const start = random.int(from, to)
    const length = random.int(1, 25)
    const kind = random.weighted<AbsenceKind>([
      ["ongeoorloofd", 5],
      ["ziek", 4],
      ["luxe-verzuim", 1],
      ["te-laat", 2],
      ["geoorloofd", 1],
      ["schorsing", 0.3],
    ])
    for (let day = start; day < start + length && day <= to; day++) {
      if (random.chance(0.25)) continue
      const k = random.chance(0.15) ? random.pick(KINDS) : kind
      const authorised =
        k === "geoorloofd" ? true : k === "ongeoorloofd" || k === "luxe-verzuim" ? false : random.chance(0.5)
      out.push({
        date: LocalDate.fromEpochDay(day),
        amount: random.chance(0.3)
          ? { unit: "lessons", value: random.int(1, 8) }
          : { unit: "hours", value: random.pick([0.25, 0.5, 1, 1.5, 2, 3, 4.5, 5, 6, 7.3]) },
        kind: k,
        authorised,
      })
      if (random.chance(0.05)) out.push({ ...out[out.length - 1]!, amount: { unit: "hours", value: 1 } })
    }
  }
  return random.chance(0.3)
    ? random.shuffle(out)
    : out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

const pupilsOf = (seed: number, count: number, calendars: SchoolCalendar.Calendars): Array<PupilAbsence> => {
  const random = Random.fromSeed(seed)
  const generator = makeGenerator(seed)
  const first = LocalDate.toEpochDay(d("2025-08-25"))
  const last = LocalDate.toEpochDay(d("2027-07-16"))
  return Array.from({ length: count }, (_, i) => {
    const from = random.int(first, last - 60)
    const to = Math.min(last, from + random.int(20, 300))
    const records = random.chance(0.5)
      ? generator.absenceRecords({
          from: LocalDate.fromEpochDay(from),
          to: LocalDate.fromEpochDay(to),
          profile: random.pick(PROFILES),
          calendars,
          unit: random.chance(0.2) ? "lessons" : "hours",
          level: random.pick(["PO", "VO", "SO"] as const),
        })
      : edgeRecords(random, from, to)
    if (random.chance(0.3)) records.push(...edgeRecords(random, from, to))
    return { pupilNumber: `P${i}`, records }
  })
}

const options: ReadonlyArray<SignalOptions> = [
  {},
  {
    reportingDuty: { thresholdHours: 8, windowSchoolWeeks: 2, minDaysBetweenMeldingen: 3, lessonMinutes: 45 },
  },
  {
    reportingDuty: { countedKinds: ["ongeoorloofd"], minDaysBetweenMeldingen: 10 },
    mazl: { reportsThreshold: 2, windowSchoolWeeks: 4, consecutiveDaysThreshold: 3 },
  },
]

describe("classify agrees with the reference rules", () => {
  for (const [name, calendars] of calendarSets)
    for (const [o, opts] of options.entries())
      it(`${name}, options ${o}: meldplicht, luxe verzuim, M@ZL on 100 random pupils`, () => {
        const pupils = pupilsOf(1000 * o + name.length, 100, calendars)
        for (const asOf of [d("2026-03-13"), d("2027-07-31")]) {
          const signals = classify(pupils, calendars, asOf, opts)
          const byPupil = new Map<string, Array<(typeof signals)[number]>>()
          for (const s of signals) {
            const list = byPupil.get(s.pupilNumber) ?? []
            list.push(s)
            byPupil.set(s.pupilNumber, list)
          }
          for (const p of pupils) {
            const mine = byPupil.get(p.pupilNumber) ?? []
            const pick = (type: string) => mine.filter((s) => s.type === type)
            const meldingen = relatiefVerzuimMeldingen(p.records, calendars, asOf, opts.reportingDuty)
            expect(pick("meldplicht").map((s) => [s.from, s.firesOn, s.measure])).toEqual(
              meldingen.map((m) => [m.from, m.reachedOn, m.hours]),
            )
            const luxe = luxeVerzuimMeldingen(p.records, calendars, asOf, opts.reportingDuty)
            expect(pick("luxe-verzuim").map((s) => [s.from, s.to, s.firesOn, s.measure])).toEqual(
              luxe.map((m) => [m.from, m.to, m.reportableOn, m.hours]),
            )
            const triggers = mazlTriggers(p.records, calendars, asOf, opts.mazl)
            expect(pick("mazl-frequent").map((s) => [s.from, s.to, s.firesOn, s.measure])).toEqual(
              triggers
                .filter((t) => t.rule === "frequent")
                .map((t) => [t.episode.first, t.episode.last, t.firesOn, t.count]),
            )
            expect(pick("mazl-langdurig").map((s) => [s.from, s.to, s.firesOn])).toEqual(
              triggers
                .filter((t) => t.rule === "langdurig")
                .map((t) => [t.episode.first, t.episode.last, t.firesOn]),
            )
          }
        }
      })
})

/** Whole school days of unauthorised absence, walked day by day with the calendar functions. */
const referenceHomeSince = (
  records: ReadonlyArray<AbsenceRecord>,
  calendars: SchoolCalendar.Calendars,
  asOf: LocalDate.LocalDate,
): LocalDate.LocalDate | undefined => {
  const hours = new Map<string, number>()
  for (const r of records)
    if (!r.authorised && r.kind !== "schorsing" && r.date <= asOf)
      hours.set(
        r.date,
        (hours.get(r.date) ?? 0) + (r.amount.unit === "hours" ? r.amount.value : (r.amount.value * 50) / 60),
      )
  let day = asOf
  while (!SchoolCalendar.isSchoolDay(calendars, day)) day = LocalDate.addDays(day, -1)
  let since: LocalDate.LocalDate | undefined
  for (let i = 0; i < 800; i++, day = LocalDate.addDays(day, -1)) {
    if (!SchoolCalendar.isSchoolDay(calendars, day)) continue
    if ((hours.get(day) ?? 0) < 5) return since
    since = day
  }
  return since
}

describe("homeSince and langdurig agree with a day-by-day walk", () => {
  for (const [name, calendars] of calendarSets)
    it(`${name}: 300 random pupils, several peildata`, () => {
      const pupils = pupilsOf(77 + name.length, 300, calendars)
      for (const asOf of [d("2025-12-01"), d("2026-06-20"), d("2027-03-03"), d("2027-07-31")]) {
        const signals = classify(pupils, calendars, asOf)
        for (const p of pupils) {
          const since = referenceHomeSince(p.records, calendars, asOf)
          expect(homeSince(p.records, calendars, asOf)).toEqual(since)
          // The current stretch's langdurig signals: the Inspectie category of the reference rule.
          const current = signals.filter(
            (s) => s.pupilNumber === p.pupilNumber && s.type.startsWith("langdurig") && s.to === asOf,
          )
          const category =
            since === undefined ? undefined : LangdurigVerzuim.categorie({ enrolled: true, since }, asOf)
          const expected =
            category === "2b" ? ["langdurig-2a", "langdurig-2b"] : category === "2a" ? ["langdurig-2a"] : []
          if (since !== undefined && current.length > 0) expect(current[0]!.from).toEqual(since)
          expect(current.map((s) => s.type)).toEqual(expected)
        }
      }
    })
})
