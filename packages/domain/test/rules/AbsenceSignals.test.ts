import { describe, expect, it } from "@effect/vitest"
import type { AbsenceRecord } from "../../src/Absence.js"
import { type DetectedSignal, signalKey } from "../../src/AbsenceSignal.js"
import * as Calendars from "../../src/calendars/index.js"
import * as LocalDate from "../../src/LocalDate.js"
import { classify, formatPeriod, homeSince } from "../../src/rules/AbsenceSignals.js"
import * as SchoolCalendar from "../../src/SchoolCalendar.js"
import { plantedPupils } from "../../src/sample/index.js"

const d = LocalDate.make
const typesOf = (signals: ReadonlyArray<DetectedSignal>, pupilNumber: string) => [
  ...new Set(signals.filter((s) => s.pupilNumber === pupilNumber).map((s) => s.type)),
]

const [, midden2026] = Calendars.midden as [SchoolCalendar.SchoolCalendar, SchoolCalendar.SchoolCalendar]
const scenarios: ReadonlyArray<readonly [string, SchoolCalendar.Calendars, LocalDate.LocalDate]> = [
  ["midden, March", Calendars.midden, d("2027-03-19")],
  ["midden, a Wednesday in June", Calendars.midden, d("2027-06-16")],
  ["noord, February", Calendars.noord, d("2027-02-12")],
  ["zuid, May", Calendars.zuid, d("2027-05-28")],
  [
    "a school's own calendar",
    [
      Calendars.midden[0]!,
      SchoolCalendar.applyOverride(midden2026, {
        school: "Testschool",
        schoolYear: "2026/27",
        holidays: [{ name: "extra week", first: d("2027-03-01"), last: d("2027-03-07") }],
        freeDays: [{ name: "studiedag", date: d("2027-03-10") }],
      }),
    ],
    d("2027-04-02"),
  ],
]

describe("planted pupils", () => {
  for (const [name, calendars, asOf] of scenarios)
    it(`${name}: every planted pupil gives exactly its expected signal types`, () => {
      const pupils = plantedPupils({ schoolYear: 2026, calendars, asOf })
      const signals = classify(pupils, calendars, asOf)
      expect(pupils.map((p) => [p.pupilNumber, typesOf(signals, p.pupilNumber)])).toEqual(
        pupils.map((p) => [p.pupilNumber, p.expected]),
      )
      // One per signal type, and the clean pupil.
      expect(new Set(pupils.flatMap((p) => p.expected)).size).toBe(10)
      expect(pupils.find((p) => p.pupilNumber === "P-SCHOON")?.records.length).toBeGreaterThan(0)
    })

  // Magister counts whole 50-minute lessons: the same pupils planted in lessons keep every boundary.
  for (const [name, calendars, asOf] of scenarios)
    it(`${name}, in whole lessons of 50 minutes: every planted pupil gives exactly its expected signal types`, () => {
      const pupils = plantedPupils({ schoolYear: 2026, calendars, asOf, lessonMinutes: 50 })
      expect(pupils.flatMap((p) => p.records).every((r) => r.amount.unit === "lessons")).toBe(true)
      const signals = classify(pupils, calendars, asOf, { reportingDuty: { lessonMinutes: 50 } })
      expect(pupils.map((p) => [p.pupilNumber, typesOf(signals, p.pupilNumber)])).toEqual(
        pupils.map((p) => [p.pupilNumber, p.expected]),
      )
    })

  it("the boundaries: 16 vs 15,5 hours, a holiday week, 7 vs 6 sick days, 4 vs 3 ziekmeldingen, age 18", () => {
    const asOf = d("2027-03-19")
    const pupils = plantedPupils({ schoolYear: "2026/27", calendars: Calendars.midden, asOf })
    const signals = classify(pupils, Calendars.midden, asOf)
    const of = (n: string) => signals.filter((s) => s.pupilNumber === n)
    const melding = of("P-MELD-16")
    expect(melding).toHaveLength(1)
    expect(melding[0]).toMatchObject({ type: "meldplicht", measure: 16 })
    expect(melding[0]!.explanation).toMatch(/^16 uur ongeoorloofd verzuim in 4 schoolweken \(/)
    expect(of("P-MELD-15.5")).toEqual([])
    expect(of("P-MELD-18")).toEqual([])
    const holiday = of("P-MELD-VAKANTIE")[0]!
    // 5 calendar weeks (the holiday week inside), 4 school weeks.
    expect(
      LocalDate.daysBetween(LocalDate.startOfWeek(holiday.from), LocalDate.startOfWeek(holiday.to)),
    ).toBe(28)
    expect(holiday.explanation).toContain("in 4 schoolweken")
    expect(of("P-MELD-5WEKEN")).toEqual([])
    expect(of("P-MAZL-7").map((s) => [s.type, s.measure])).toEqual([["mazl-langdurig", 7]])
    expect(of("P-MAZL-6")).toEqual([])
    expect(of("P-MAZL-4").map((s) => [s.type, s.measure])).toEqual([["mazl-frequent", 4]])
    expect(of("P-MAZL-3")).toEqual([])
  })

  it("classifying alone or together gives the same signals for the statutory types", () => {
    const asOf = d("2027-03-19")
    const pupils = plantedPupils({ schoolYear: 2026, calendars: Calendars.midden, asOf })
    const together = classify(pupils, Calendars.midden, asOf).filter((s) => !s.type.startsWith("grijs"))
    const alone = pupils
      .flatMap((p) => classify([p], Calendars.midden, asOf))
      .filter((s) => !s.type.startsWith("grijs"))
    expect(alone).toEqual(together)
  })
})

describe("signals", () => {
  const asOf = d("2027-03-19")
  const pupils = plantedPupils({ schoolYear: 2026, calendars: Calendars.midden, asOf })
  const signals = classify(pupils, Calendars.midden, asOf)

  it("keys are type and first day; a re-import with more absence keeps the key, with a larger measure", () => {
    for (const s of signals) expect(s.key).toBe(signalKey(s.type, s.from))
    expect(new Set(signals.map((s) => `${s.pupilNumber}|${s.key}`)).size).toBe(signals.length)
    // The langdurig pupil a week later: same keys, more days.
    const later = LocalDate.addDays(asOf, 7)
    const lang = pupils.find((p) => p.pupilNumber === "P-LANG-2A")!
    const extra: Array<AbsenceRecord> = LocalDate.range(LocalDate.addDays(asOf, 1), later)
      .filter((x) => SchoolCalendar.isSchoolDay(Calendars.midden, x))
      .map((x) => ({ date: x, amount: { unit: "hours", value: 6 }, kind: "ongeoorloofd", authorised: false }))
    const before = signals.find((s) => s.pupilNumber === "P-LANG-2A" && s.type === "langdurig-2a")!
    const after = classify([{ ...lang, records: [...lang.records, ...extra] }], Calendars.midden, later).find(
      (s) => s.type === "langdurig-2a",
    )!
    expect(after.key).toBe(before.key)
    expect(after.measure).toBe(before.measure + 7)
    // The same data again: the same signals.
    expect(classify(pupils, Calendars.midden, asOf)).toEqual(signals)
  })

  it("a grijs pattern that goes on keeps its key and its worst measure; a week later it is the same signal", () => {
    const s1 = signals.filter((s) => s.type === "grijs-te-laat")
    const s2 = classify(pupils, Calendars.midden, LocalDate.addDays(asOf, 7)).filter(
      (s) => s.type === "grijs-te-laat",
    )
    expect(s1).toHaveLength(1)
    expect(s2.map((s) => s.key)).toEqual(s1.map((s) => s.key))
    expect(s2[0]!.measure).toBeGreaterThanOrEqual(s1[0]!.measure)
  })

  it("explanations are Dutch, with Dutch numbers, without pupil numbers", () => {
    for (const s of signals) {
      expect(s.explanation).not.toContain(s.pupilNumber)
      expect(s.explanation).not.toMatch(/\d\.\d/)
    }
    const luxe = signals.find((s) => s.pupilNumber === "P-LUXE")!
    expect(luxe.explanation).toBe(
      "Luxe verzuim: 12 uur op 2 schooldagen (18 t/m 19 februari 2027), te melden vanaf de eerste dag",
    )
    const lang = signals.find((s) => s.pupilNumber === "P-LANG-2B" && s.type === "langdurig-2b")!
    expect(lang.explanation).toMatch(
      /^Sinds \d+ [a-z]+ 2026 ongeoorloofd afwezig, tot nu toe: \d+ dagen \(\d+ hele schooldagen\); meer dan 3 maanden$/,
    )
    const meld = signals.find((s) => s.type === "meldplicht" && s.pupilNumber === "P-LUXE-AANSLUITEND")
    expect(meld).toBeUndefined()
    const rising = signals.find((s) => s.type === "grijs-stijgend")!
    expect(rising.explanation).toMatch(
      /^15 uur geoorloofd verzuim \(geen ziekte\) in de laatste 6 schoolweken tegen 0 uur/,
    )
    expect(formatPeriod(d("2026-10-07"), d("2026-10-30"))).toBe("7 t/m 30 oktober 2026")
    expect(formatPeriod(d("2026-09-28"), d("2026-10-23"))).toBe("28 september t/m 23 oktober 2026")
    expect(formatPeriod(d("2026-12-28"), d("2027-01-08"))).toBe("28 december 2026 t/m 8 januari 2027")
  })

  it("half hours print with a comma", () => {
    const records: Array<AbsenceRecord> = ["2026-09-08", "2026-09-15", "2026-09-22", "2026-09-29"].map(
      (x, i) => ({
        date: d(x),
        amount: { unit: "hours", value: i === 0 ? 4.5 : 4 },
        kind: "ongeoorloofd",
        authorised: false,
      }),
    )
    const [s] = classify([{ pupilNumber: "x", records }], Calendars.midden, d("2026-10-01"))
    expect(s?.explanation).toBe(
      "16,5 uur ongeoorloofd verzuim in 4 schoolweken (8 t/m 29 september 2026); de grens is 16 uur",
    )
  })
})

describe("homeSince", () => {
  const calendars = Calendars.midden
  const day = (date: string, value = 6, kind: AbsenceRecord["kind"] = "ongeoorloofd"): AbsenceRecord => ({
    date: d(date),
    amount: { unit: "hours", value },
    kind,
    authorised: kind === "ziek" || kind === "geoorloofd",
  })
  it("the first day of the current stretch, across a weekend and the herfstvakantie", () => {
    const records = ["2026-10-14", "2026-10-15", "2026-10-16", "2026-10-26", "2026-10-27"].map((x) => day(x))
    expect(homeSince(records, calendars, d("2026-10-27"))).toBe("2026-10-14")
    // asOf on a Saturday: the last school day is the Friday before.
    expect(homeSince(records, calendars, d("2026-10-17"))).toBe("2026-10-14")
  })
  it("nothing when the pupil was at school on the last school day, or only partly away", () => {
    const records = ["2026-10-12", "2026-10-13"].map((x) => day(x))
    expect(homeSince(records, calendars, d("2026-10-14"))).toBeUndefined()
    expect(homeSince([day("2026-10-14", 4)], calendars, d("2026-10-14"))).toBeUndefined()
    expect(homeSince([day("2026-10-14", 6, "ziek")], calendars, d("2026-10-14"))).toBeUndefined()
    expect(homeSince([], calendars, d("2026-10-14"))).toBeUndefined()
  })
  it("a school day between two home days breaks the stretch; a threshold option moves it", () => {
    const records = [day("2026-10-05"), day("2026-10-07", 4), day("2026-10-08")]
    expect(homeSince(records, calendars, d("2026-10-08"))).toBe("2026-10-08")
    expect(homeSince(records, calendars, d("2026-10-08"), { schoolDayHours: 4 })).toBe("2026-10-07")
  })
})
