import { LocalDate, type Referral } from "@verzuimregie/domain"
import { makeGenerator } from "@verzuimregie/domain/sample"
import { describe, expect, it } from "vitest"
import { Inspectie, Pseudonym, Workbook } from "../src/index.js"
import { XLSX } from "../src/internal/xlsx.js"
import { birthSerialsOf, history, leaks, packageText, secretsOf } from "./support/cases.js"

const KEY = "een-geheime-sleutel-van-minstens-32-tekens!"
const sample = makeGenerator(2025, { on: LocalDate.make("2025-08-25") })
/**
 * A referral of langdurig verzuim; without `since` it does not say since when the pupil is at
 * home, so the attendance records alone make the history.
 */
const referral = (
  on: string,
  options: { ageRange?: [number, number]; personNumber?: "bsn"; since?: string } = {},
): Referral.Referral => {
  const r = sample.referral({
    regionId: "westland",
    on: LocalDate.make(on),
    verzuimKind: "langdurig",
    personNumber: options.personNumber ?? "bsn",
    ...(options.ageRange === undefined ? {} : { ageRange: options.ageRange }),
  })
  const { since: _, ...absence } = r.absence
  return {
    ...r,
    absence: options.since === undefined ? absence : { ...absence, since: LocalDate.make(options.since) },
  }
}

// A: at home from 1 September, back at school on 1 December.
const a = history(referral("2025-08-25", { ageRange: [13, 13] }), [
  { on: "2025-09-01", attendance: "thuiszittend" },
  { on: "2025-10-20", attendance: "thuiszittend", since: "2025-09-01", fittingOffer: true },
  { on: "2025-12-01", attendance: "naar-school" },
])
// B: at home from 15 September, 5 onder a from 1 October (before day 29): never a thuiszitter.
const b = history(referral("2025-09-01", { ageRange: [9, 9] }), [
  { on: "2025-09-15", attendance: "thuiszittend" },
  { on: "2025-10-01", exemption: { grond: "5a", from: "2025-10-01" } },
])
// C: at home from 10 December: not yet 4 weeks on 31 December, 2b by 31 March.
const c = history(referral("2025-12-01"), [{ on: "2025-12-10", attendance: "thuiszittend" }])
// D: not enrolled from 1 November, aged 10: absoluut verzuim.
const d = history(referral("2025-10-15", { ageRange: [10, 10] }), [
  { on: "2025-11-01", attendance: "niet-ingeschreven" },
])
// E: a thuiszitter in the previous school year only.
const e = history(referral("2025-01-02"), [
  { on: "2025-01-06", attendance: "thuiszittend" },
  { on: "2025-05-01", attendance: "naar-school" },
])
// F: at home from 1 September; the case closed on 15 November, the family moved away.
const f = history(referral("2025-08-28"), [
  { on: "2025-09-01", attendance: "thuiszittend" },
  { on: "2025-11-15", close: "verhuisd" },
])
// G: a permanent 5 onder a, granted last school year.
const g = history(referral("2024-09-02"), [
  { on: "2024-10-01", exemption: { grond: "5a", from: "2024-10-01", permanent: true } },
])
// H: never at home for long (a week in October).
const h = history(referral("2025-09-20"), [
  { on: "2025-10-06", attendance: "thuiszittend" },
  { on: "2025-10-13", attendance: "naar-school" },
])

const all = [a, b, c, d, e, f, g, h]
const pseudonym = Pseudonym.make(KEY)
const ref = (x: { state: { referral: { pupil: { id: string } } } }) => pseudonym(x.state.referral.pupil.id)
const overview = (peildatum: string, quarter: string) =>
  Inspectie.make({
    region: { id: "westland", name: "Westland" },
    peildatum: LocalDate.make(peildatum),
    quarter,
    key: KEY,
    cases: all,
    brinOf: () => "99XX",
  })
const rowFor = (o: Inspectie.Overview, x: typeof a, code?: Inspectie.Code) =>
  o.rows.find((r) => r.pseudoniem === ref(x) && (code === undefined || r.categorie === code))

describe("Inspectie quarterly overview", () => {
  const q3 = overview("2025-09-30", "2025-Q3")
  const q4 = overview("2025-12-31", "2025-Q4")
  const q1 = overview("2026-03-31", "2026-Q1")

  it("lists thuiszitters and 5 onder a exemptions of the school year, cumulatively", () => {
    expect(q3.schoolYear.label).toBe("2025/26")
    expect(q4.rows.map((r) => [r.pseudoniem, r.categorie]).sort()).toEqual(
      [
        [ref(a), "2a"],
        [ref(b), "5a"],
        [ref(d), "1"],
        [ref(f), "2a"],
        [ref(g), "5a"],
      ].sort(),
    )
    // Rows are never dropped: every row of Q4 is in Q1, and C joins.
    for (const row of q4.rows)
      expect(
        q1.rows.some(
          (r) => r.pseudoniem === row.pseudoniem && (r.categorie === "5a") === (row.categorie === "5a"),
        ),
      ).toBe(true)
    expect(rowFor(q1, c)).toMatchObject({ categorie: "2b", sinds: "2025-12-10", status: "thuiszittend" })
    expect(rowFor(q4, c)).toBeUndefined()
    expect(rowFor(q4, e)).toBeUndefined()
    expect(rowFor(q4, h)).toBeUndefined()
    expect(q4.counts).toEqual({ "1": 1, "2a": 2, "2b": 0, "5a": 2 })
  })

  it("keeps the row of a pupil who went back to school, with the status and the date", () => {
    expect(rowFor(q3, a)).toMatchObject({
      categorie: "2a",
      status: "thuiszittend",
      passendAanbod: "nee",
      dagenThuis: 30,
    })
    for (const o of [q4, q1]) {
      expect(rowFor(o, a)).toMatchObject({
        categorie: "2a",
        sinds: "2025-09-01",
        status: "weer naar school",
        terugNaarSchool: "2025-12-01",
        passendAanbod: "ja",
        dagenThuis: 91,
        leeftijdscategorie: "12 t/m 15",
        brin: "99XX",
      })
    }
    expect(rowFor(q4, f)).toMatchObject({ status: "afgesloten: verhuisd buiten de regio", dagenThuis: 76 })
    // The previous school year's last file still has E, back at school.
    expect(rowFor(overview("2025-06-30", "2025-Q2"), e)).toMatchObject({
      categorie: "2b",
      status: "weer naar school",
      terugNaarSchool: "2025-05-01",
    })
  })

  it("includes 5 onder a exemptions, running or permanent", () => {
    expect(rowFor(q4, b)).toMatchObject({
      categorie: "5a",
      sinds: "2025-10-01",
      status: "vrijstelling loopt",
      vrijstellingTot: "2026-07-31",
    })
    expect(rowFor(q4, b, "2a")).toBeUndefined()
    expect(rowFor(q4, g)).toMatchObject({
      categorie: "5a",
      status: "vrijstelling loopt (permanent)",
      vrijstellingTot: undefined,
    })
    expect(rowFor(q4, d)).toMatchObject({
      categorie: "1",
      status: "thuiszittend",
      leeftijdscategorie: "5 t/m 11",
    })
  })

  it("gives a pupil the same pseudonym every quarter, different pupils different ones, and needs the key", () => {
    expect(rowFor(q4, a)?.pseudoniem).toBe(rowFor(q1, a)?.pseudoniem)
    expect(Pseudonym.isPseudonym(ref(a))).toBe(true)
    const refs = new Set(all.map(ref))
    expect(refs.size).toBe(all.length)
    const other = Pseudonym.make("een-andere-sleutel-van-minstens-32-tekens")
    expect(other(a.state.referral.pupil.id)).not.toBe(ref(a))
    expect(() => Pseudonym.make("te kort")).toThrow(/at least 32/)
  })

  it("writes a workbook with the columns, date cells and a Toelichting, without personal data", () => {
    const file = Inspectie.workbook(q1)
    const book = Workbook.read(file)
    expect(book.SheetNames).toEqual(["Thuiszitters", "Toelichting"])
    const rows = XLSX.utils.sheet_to_json<Array<unknown>>(book.Sheets.Thuiszitters as XLSX.WorkSheet, {
      header: 1,
      raw: true,
    })
    expect(rows[0]).toEqual(Inspectie.COLUMNS.map((c) => c.header))
    expect(rows).toHaveLength(q1.rows.length + 1)
    const sheet = book.Sheets.Thuiszitters as XLSX.WorkSheet
    expect(sheet.H2?.t).toBe("d")
    expect(Inspectie.fileName(q1)).toBe("thuiszitters-westland-2025-26-peildatum-2026-03-31.xlsx")
    const states = all.map((x) => x.state)
    expect(
      leaks(packageText(file), [...secretsOf(states), ...states.map((s) => s.referral.pupil.id)]),
    ).toEqual([])
    const serials = birthSerialsOf(states)
    for (const row of rows)
      for (const v of row)
        if (v instanceof Date) expect(serials.has(v.getTime() / 86_400_000 + 25_569)).toBe(false)
  })

  it("says when the file was made in Dutch local time, not as a UTC timestamp", () => {
    const made = (generatedAt: string) => {
      const o = Inspectie.make({
        region: { id: "westland", name: "Westland" },
        peildatum: LocalDate.make("2026-03-31"),
        quarter: "2026-Q1",
        key: KEY,
        cases: all,
        generatedAt: new Date(generatedAt),
      })
      const notes = XLSX.utils.sheet_to_json<Array<unknown>>(
        Workbook.read(Inspectie.workbook(o)).Sheets[Inspectie.SHEETS.notes] as XLSX.WorkSheet,
        { header: 1 },
      )
      return notes.find((row) => row[0] === "Aangemaakt")?.[1]
    }
    // Winter time (CET, UTC+1), summer time (CEST, UTC+2) across midnight, and the night the
    // clocks go forward (29 March 2026, 02:00 → 03:00).
    expect(made("2026-01-15T13:05:00Z")).toBe("15 januari 2026 om 14:05")
    expect(made("2026-06-30T22:30:00Z")).toBe("1 juli 2026 om 00:30")
    expect(made("2026-03-29T00:59:00Z")).toBe("29 maart 2026 om 01:59")
    expect(made("2026-03-29T01:00:00Z")).toBe("29 maart 2026 om 03:00")
  })
})

const overviewOf = (peildatum: string, cases: ReadonlyArray<typeof a>) =>
  Inspectie.make({
    region: { id: "westland", name: "Westland" },
    peildatum: LocalDate.make(peildatum),
    quarter: "test",
    key: KEY,
    cases,
  })

describe("Inspectie overview: a ground excuses only the duty its article excuses", () => {
  const categoryOf = (peildatum: string, x: typeof a) =>
    overviewOf(peildatum, [x]).rows.find((r) => r.categorie !== "5a")?.categorie

  it("art. 11 leave for a leerplichtige who is not enrolled: still absoluut verzuim, category 1 (art. 11 aanhef, art. 22 lid 2)", () => {
    const x = history(referral("2025-10-15", { ageRange: [10, 10] }), [
      { on: "2025-11-01", attendance: "niet-ingeschreven" },
      { on: "2025-11-01", exemption: { grond: "11-verlof", from: "2025-11-01", until: "2026-06-30" } },
    ])
    expect(categoryOf("2025-12-31", x)).toBe("1")
  })

  it("art. 11 leave for an enrolled pupil at home: no thuiszitter while it holds (art. 11)", () => {
    const x = history(referral("2025-10-15", { ageRange: [10, 10] }), [
      { on: "2025-11-03", attendance: "thuiszittend" },
      { on: "2025-11-03", exemption: { grond: "11-verlof", from: "2025-11-03", until: "2026-06-30" } },
    ])
    expect(categoryOf("2025-12-31", x)).toBeUndefined()
  })

  it("art. 15 for a leerplichtige who is not enrolled: category 1 (art. 15 concerns the kwalificatieplicht)", () => {
    const x = history(referral("2025-10-15", { ageRange: [12, 12] }), [
      { on: "2025-11-01", attendance: "niet-ingeschreven" },
      { on: "2025-11-01", exemption: { grond: "15", from: "2025-11-01" } },
    ])
    expect(categoryOf("2025-12-31", x)).toBe("1")
  })

  it("art. 15 for a kwalificatieplichtige who is not enrolled: no thuiszitter (art. 15, 4a)", () => {
    const x = history(referral("2025-10-15", { ageRange: [17, 17] }), [
      { on: "2025-11-01", attendance: "niet-ingeschreven" },
      { on: "2025-11-01", exemption: { grond: "15", from: "2025-11-01" } },
    ])
    expect(x.state.referral.pupil.birthDate < "2009-08-01").toBe(true)
    expect(categoryOf("2025-12-31", x)).toBeUndefined()
  })

  it("an art. 5 onder b that was not renewed expires on 31 July (art. 6): from then on the pupil counts again, 2a from day 29", () => {
    const x = history(referral("2025-08-25", { ageRange: [12, 12] }), [
      { on: "2025-09-01", attendance: "thuiszittend" },
      { on: "2025-09-01", exemption: { grond: "5b", from: "2025-09-01" } },
    ])
    expect(categoryOf("2026-06-30", x)).toBeUndefined()
    expect(categoryOf("2026-08-28", x)).toBeUndefined()
    expect(overviewOf("2026-08-29", [x]).rows[0]).toMatchObject({ categorie: "2a", status: "thuiszittend" })
  })

  it("a pupil at home whose vrijstelling holds on the peildatum has the status 'vrijstelling (thuis)', one whose leave does not excuse has 'thuiszittend'", () => {
    const exempt = history(referral("2025-08-25", { ageRange: [12, 12] }), [
      { on: "2025-09-01", attendance: "thuiszittend" },
      { on: "2025-11-03", exemption: { grond: "5b", from: "2025-11-03" } },
    ])
    expect(overviewOf("2025-12-31", [exempt]).rows[0]).toMatchObject({
      categorie: "2a",
      status: "vrijstelling (thuis)",
    })
  })

  it("labels 2a the way the rule counts: more than 4 weeks up to and including 3 months, the domain's wording", () => {
    expect(Inspectie.codeLabel["2a"]).toBe(
      "langdurig relatief verzuim, meer dan 4 weken tot en met 3 maanden",
    )
    const rule = Inspectie.COLUMNS.find((c) => c.header === "Categorie")?.rule
    expect(rule).toContain("2a = langdurig relatief verzuim, meer dan 4 weken tot en met 3 maanden")
  })
})

describe("Inspectie overview: the referral's at-home-since date starts the history (issue 13, point 4)", () => {
  it("a referral at home since 1 September with no attendance record is a thuiszitter from that date", () => {
    const x = history(referral("2025-10-15", { ageRange: [12, 12], since: "2025-09-01" }), [])
    expect(overviewOf("2025-12-31", [x]).rows[0]).toMatchObject({
      categorie: "2b",
      sinds: "2025-09-01",
      status: "thuiszittend",
      dagenThuis: 122,
    })
  })

  it("a later record that keeps the pupil at home does not move the start", () => {
    const x = history(referral("2025-10-15", { ageRange: [12, 12], since: "2025-09-01" }), [
      { on: "2025-11-03", attendance: "thuiszittend", since: "2025-11-03", fittingOffer: true },
    ])
    expect(overviewOf("2025-12-31", [x]).rows[0]).toMatchObject({
      sinds: "2025-09-01",
      passendAanbod: "ja",
    })
  })
})
