/**
 * Leave as the Leerplichtwet 1969 grants it (issue 11, point 3): the limits of vakantieverlof
 * (art. 13a) and of verlof wegens gewichtige omstandigheden (art. 14), and what leave does to the
 * 16 hours and to luxe verzuim (art. 21a). Calendar: the sample regio midden 2025/26 (school
 * starts Monday 1 September 2025; herfstvakantie 18–26 October; voorjaarsvakantie 14–22 February).
 */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import type { AbsenceKind, AbsenceRecord } from "../../src/Absence.js"
import { assess } from "../../src/Assessment.js"
import * as Calendars from "../../src/calendars/index.js"
import type { LeaveId } from "../../src/Ids.js"
import * as LocalDate from "../../src/LocalDate.js"
import { luxeVerzuimMeldingen, relatiefVerzuimMeldingen } from "../../src/rules/ReportingDuty.js"
import {
  applyLeave,
  type Beslisser,
  checkLeave,
  checkRequest,
  firstTwoLesweken,
  type Verlof,
  VerlofAanvraag,
  type VerlofGrond,
} from "../../src/rules/Verlof.js"
import { makeGenerator } from "../../src/sample/index.js"

const d = LocalDate.make
const midden = Calendars.midden
const asOf = d("2026-07-31")
let n = 0
const nextId = () => `verlof_${String(++n).padStart(10, "0")}` as LeaveId

const leave = (
  grond: VerlofGrond,
  from: string,
  to: string,
  decision?: { by: Beslisser; granted?: boolean; on?: string },
  beroepOuder = grond === "13a-vakantie",
): Verlof => {
  const id = nextId()
  const request = {
    id,
    grond,
    from: d(from),
    to: d(to),
    requestedOn: d("2025-06-02"),
    ...(beroepOuder ? { beroepOuder } : {}),
  }
  return decision === undefined
    ? { request }
    : {
        request,
        decision: {
          requestId: id,
          decidedOn: d(decision.on ?? "2025-06-09"),
          decidedBy: decision.by,
          granted: decision.granted ?? true,
        },
      }
}
const directeur = { by: "directeur" } as const
const lpa = { by: "leerplichtambtenaar" } as const

const record = (date: string, kind: AbsenceKind = "ongeoorloofd", value = 6): AbsenceRecord => ({
  date: d(date),
  amount: { unit: "hours", value },
  kind,
  authorised: kind === "geoorloofd",
})
const check = (v: Verlof, before: ReadonlyArray<Verlof> = []) =>
  checkLeave([...before, v], midden).find((c) => c.verlof === v)!
const codes = (v: Verlof, before: ReadonlyArray<Verlof> = []) =>
  check(v, before).violations.map((x) => x.code)

describe("vakantieverlof (art. 11 onder f, art. 13a)", () => {
  it("10 school days, directeur, parent's work: allowed, all 10 days covered (art. 13a lid 2)", () => {
    const v = leave("13a-vakantie", "2026-03-02", "2026-03-13", directeur)
    expect(check(v)).toMatchObject({ beslisser: "directeur", schoolDays: 10, violations: [] })
    expect(check(v).coveredDays).toHaveLength(10)
  })

  it("the 11th school day: not allowed, the 11th day is not covered (art. 13a lid 2)", () => {
    const v = leave("13a-vakantie", "2026-03-02", "2026-03-16", directeur)
    expect(codes(v)).toEqual(["meer-dan-10-dagen"])
    expect(check(v).coveredDays).toHaveLength(10)
    expect(check(v).coveredDays).not.toContain("2026-03-16")
    expect(check(v).violations[0]?.message).toBe(
      "vakantieverlof is ten hoogste 10 schooldagen; deze aanvraag telt 11 schooldagen",
    )
  })

  it("a second vakantieverlof in one school year: not allowed, nothing covered (art. 13a lid 2)", () => {
    const first = leave("13a-vakantie", "2026-03-02", "2026-03-06", directeur)
    const second = leave("13a-vakantie", "2026-06-01", "2026-06-05", { by: "directeur", on: "2025-06-10" })
    expect(codes(second, [first])).toEqual(["tweede-vakantieverlof"])
    expect(check(second, [first]).coveredDays).toEqual([])
    // The next school year starts the count again.
    const nextYear = leave("13a-vakantie", "2026-10-05", "2026-10-09", { by: "directeur", on: "2025-06-10" })
    expect(codes(nextYear, [first])).toEqual([])
  })

  it("a refused first request does not use up the one vakantieverlof of the school year (art. 13a lid 2)", () => {
    const refused = leave("13a-vakantie", "2026-03-02", "2026-03-06", { by: "directeur", granted: false })
    const second = leave("13a-vakantie", "2026-06-01", "2026-06-05", { by: "directeur", on: "2025-06-10" })
    expect(codes(second, [refused])).toEqual([])
  })

  it("a request in the first two lesweken: not allowed for those days (art. 13a lid 2)", () => {
    expect(firstTwoLesweken(midden, d("2025-09-10"))).toEqual({ from: "2025-09-01", to: "2025-09-14" })
    const inside = leave("13a-vakantie", "2025-09-08", "2025-09-12", directeur)
    expect(codes(inside)).toEqual(["eerste-twee-lesweken"])
    expect(check(inside).coveredDays).toEqual([])
    // The third leswoek is allowed.
    expect(codes(leave("13a-vakantie", "2025-09-15", "2025-09-19", directeur))).toEqual([])
  })

  it("without the parent's work as reason: not allowed, nothing covered (art. 11 onder f)", () => {
    const v = leave("13a-vakantie", "2026-03-02", "2026-03-06", directeur, false)
    expect(codes(v)).toEqual(["geen-beroep-ouder"])
    expect(check(v).coveredDays).toEqual([])
  })

  it("granted by the leerplichtambtenaar: not competent, nothing covered (art. 13a lid 1: the head decides)", () => {
    const v = leave("13a-vakantie", "2026-03-02", "2026-03-06", lpa)
    expect(codes(v)).toEqual(["niet-bevoegd"])
    expect(check(v).coveredDays).toEqual([])
  })
})

describe("verlof wegens gewichtige omstandigheden (art. 11 onder g, art. 14)", () => {
  it("10 school days: the directeur decides (art. 14 lid 1)", () => {
    const v = leave("14-gewichtig", "2026-03-02", "2026-03-13")
    expect(checkRequest(v.request, [], midden).beslisser).toBe("directeur")
  })

  it("11 school days: the leerplichtambtenaar decides (art. 14 lid 3)", () => {
    const v = leave("14-gewichtig", "2026-03-02", "2026-03-16")
    expect(checkRequest(v.request, [], midden).beslisser).toBe("leerplichtambtenaar")
    const granted = leave("14-gewichtig", "2026-03-02", "2026-03-16", lpa)
    expect(check(granted)).toMatchObject({ violations: [], schoolDays: 11 })
    expect(check(granted).coveredDays).toHaveLength(11)
  })

  it("more than 10 days by the directeur: not competent beyond the 10th day (art. 14 lid 1 and 3)", () => {
    const v = leave("14-gewichtig", "2026-03-02", "2026-03-16", directeur)
    expect(codes(v)).toEqual(["niet-bevoegd"])
    expect(check(v).coveredDays).toHaveLength(10)
    expect(check(v).coveredDays).not.toContain("2026-03-16")
  })

  it("the 10 days count per school year: after 8 days, 3 more by the directeur cover only 2 (art. 14 lid 1)", () => {
    const eight = leave("14-gewichtig", "2026-01-12", "2026-01-21", directeur)
    const three = leave("14-gewichtig", "2026-03-02", "2026-03-04", { by: "directeur", on: "2025-06-10" })
    expect(checkRequest(three.request, [eight], midden).beslisser).toBe("leerplichtambtenaar")
    expect(codes(three, [eight])).toEqual(["niet-bevoegd"])
    expect(check(three, [eight]).coveredDays).toEqual(["2026-03-02", "2026-03-03"])
  })
})

describe("the grounds of art. 11 that need no permission, as they are", () => {
  it("religious obligations (art. 11 onder e): covered as notified, no limit of days", () => {
    const v = leave("11-godsdienst", "2026-03-02", "2026-03-16")
    expect(check(v)).toMatchObject({ beslisser: undefined, violations: [] })
    expect(check(v).coveredDays).toHaveLength(11)
  })
})

describe("the schemas", () => {
  it("reject a request whose last day comes before its first day, with the field", () => {
    expect(() =>
      Schema.decodeUnknownSync(VerlofAanvraag)({
        id: "verlof_0000000099",
        grond: "14-gewichtig",
        from: "2026-03-06",
        to: "2026-03-02",
        requestedOn: "2026-02-01",
      }),
    ).toThrow(/de laatste dag ligt voor de eerste dag/)
  })
})

describe("leave in the 16 hours and luxe verzuim (art. 21a)", () => {
  it("unauthorised absence on the Friday before the herfstvakantie without leave: luxe verzuim from day 1", () => {
    const records = [record("2025-10-17")]
    expect(luxeVerzuimMeldingen(records, midden, asOf).map((m) => [m.from, m.reportableOn])).toEqual([
      ["2025-10-17", "2025-10-17"],
    ])
  })

  it("the same absence under granted leave for gewichtige omstandigheden: no verzuim at all (art. 14)", () => {
    const records = [record("2025-10-17")]
    const granted = [leave("14-gewichtig", "2025-10-17", "2025-10-17", directeur)]
    expect(luxeVerzuimMeldingen(records, midden, asOf, {}, granted)).toEqual([])
    expect(relatiefVerzuimMeldingen(records, midden, asOf, {}, granted)).toEqual([])
  })

  it("absence during granted leave is no verzuim; the 16 hours count only what lies outside it", () => {
    const records = ["2025-09-09", "2025-09-10", "2025-09-11"].map((x) => record(x, "ongeoorloofd", 8))
    expect(relatiefVerzuimMeldingen(records, midden, asOf).map((m) => m.hours)).toEqual([16])
    const granted = [leave("14-gewichtig", "2025-09-09", "2025-09-10", directeur)]
    expect(relatiefVerzuimMeldingen(records, midden, asOf, {}, granted)).toEqual([])
  })

  it("vakantieverlof 2–6 March granted; absent until Monday 9 March: the 9th is beyond the leave, luxe verzuim (art. 13a)", () => {
    const records = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09"].map(
      (x) => record(x, "geoorloofd"),
    )
    const granted = [leave("13a-vakantie", "2026-03-02", "2026-03-06", directeur)]
    const result = applyLeave(records, granted, midden)
    expect(result.covered.map((r) => r.date)).toEqual(records.slice(0, 5).map((r) => r.date))
    expect(luxeVerzuimMeldingen(records, midden, asOf, {}, granted).map((m) => [m.from, m.to])).toEqual([
      ["2026-03-09", "2026-03-09"],
    ])
  })

  it("the 11th day of a vakantieverlof the directeur granted for 11 days: luxe verzuim (art. 13a lid 2)", () => {
    const dates = LocalDate.range(d("2026-03-02"), d("2026-03-16")).filter((x) => !LocalDate.isWeekend(x))
    const records = dates.map((x) => record(x, "geoorloofd"))
    const granted = [leave("13a-vakantie", "2026-03-02", "2026-03-16", directeur)]
    expect(luxeVerzuimMeldingen(records, midden, asOf, {}, granted).map((m) => [m.from, m.to])).toEqual([
      ["2026-03-16", "2026-03-16"],
    ])
  })

  it("a refused vakantieverlof and the pupil away anyway: luxe verzuim for every day of it (art. 13a)", () => {
    const records = ["2026-03-02", "2026-03-03", "2026-03-04"].map((x) => record(x))
    const refused = [leave("13a-vakantie", "2026-03-02", "2026-03-06", { by: "directeur", granted: false })]
    expect(luxeVerzuimMeldingen(records, midden, asOf, {}, refused).map((m) => [m.from, m.to])).toEqual([
      ["2026-03-02", "2026-03-04"],
    ])
    // Without the request on record the same days are ordinary unauthorised absence.
    expect(luxeVerzuimMeldingen(records, midden, asOf)).toEqual([])
  })

  it("a second vakantieverlof in the school year, granted anyway: its days are luxe verzuim (art. 13a lid 2)", () => {
    const first = leave("13a-vakantie", "2026-03-02", "2026-03-06", directeur)
    const second = leave("13a-vakantie", "2026-06-01", "2026-06-05", { by: "directeur", on: "2025-06-10" })
    const records = ["2026-06-01", "2026-06-02"].map((x) => record(x, "geoorloofd"))
    expect(luxeVerzuimMeldingen(records, midden, asOf, {}, [first, second]).map((m) => m.from)).toEqual([
      "2026-06-01",
    ])
  })

  it("long absence that starts right after a holiday is no extended holiday: more than 10 school days stay relatief verzuim", () => {
    const dates = LocalDate.range(d("2025-10-27"), d("2025-11-14")).filter((x) => !LocalDate.isWeekend(x))
    const records = dates.map((x) => record(x, "ongeoorloofd", 8))
    expect(luxeVerzuimMeldingen(records, midden, asOf)).toEqual([])
    expect(relatiefVerzuimMeldingen(records, midden, asOf).length).toBeGreaterThan(0)
  })
})

describe("the assessment of a case takes the case's leave (what the case page shows)", () => {
  it("two days of 8 unauthorised hours: a melding; under granted leave for gewichtige omstandigheden: none (art. 14)", () => {
    const referral = makeGenerator(3).referral({
      regionId: "westland",
      on: d("2025-09-20"),
      ageRange: [12, 12],
      verzuimKind: "relatief",
    })
    const records = ["2025-09-09", "2025-09-10"].map((x) => record(x, "ongeoorloofd", 8))
    const submission = { ...referral, absence: { ...referral.absence, records } }
    const options = { on: d("2025-09-30"), calendars: midden }
    expect(assess(submission, options).meldingen).toHaveLength(1)
    const granted = [leave("14-gewichtig", "2025-09-09", "2025-09-10", directeur)]
    expect(assess(submission, { ...options, leave: granted }).meldingen).toEqual([])
  })
})

describe("a grant shorter than the request", () => {
  it("an 11-day vakantieverlof request granted for its first 10 days: lawful, 10 days covered (art. 13a lid 2)", () => {
    const v = leave("13a-vakantie", "2026-03-02", "2026-03-16", directeur)
    const shortened: Verlof = { ...v, decision: { ...v.decision!, to: d("2026-03-13") } }
    expect(check(shortened)).toMatchObject({ violations: [], schoolDays: 11 })
    expect(check(shortened).coveredDays).toHaveLength(10)
    // Asked for, not granted: the 11th day is luxe verzuim when the pupil is away.
    expect(
      luxeVerzuimMeldingen([record("2026-03-16", "geoorloofd")], midden, asOf, {}, [shortened]).map(
        (m) => m.from,
      ),
    ).toEqual(["2026-03-16"])
  })
})
