import { Case, CaseParts, LocalDate, Referral, Thuiszitterspact } from "@verzuimregie/domain"
import westland from "@verzuimregie/plugin-westland"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { StaffSummary, Workbook } from "../src/index.js"
import {
  birthSerialsOf,
  leaks,
  packageText,
  secretsOf,
  sheetXml,
  syntheticHistories,
} from "./support/cases.js"

const on = LocalDate.make("2026-03-09") // a Monday
const period = { key: "2026-W10", from: LocalDate.make("2026-03-02"), to: LocalDate.make("2026-03-08") }
const histories = syntheticHistories(11, 400, { regionId: "westland", on })
const states = histories.map((h) => h.state)
const labels = new Map(westland.workflow.states.map((s) => [s.id, s.label]))
const summary = StaffSummary.make({
  region: { id: "westland", name: "Westland" },
  period,
  on,
  cases: states,
  statusLabel: (s) => labels.get(s) ?? s,
})
const file = StaffSummary.workbook(summary)
const book = Workbook.read(file)

const rowsOf = (name: string) => {
  const sheet = book.Sheets[name]
  if (sheet === undefined) throw new Error(`no sheet ${name}`)
  return XLSXrows(sheet) as Array<Array<unknown>>
}

import { XLSX } from "../src/internal/xlsx.js"

const XLSXrows = (sheet: XLSX.WorkSheet) =>
  XLSX.utils.sheet_to_json(sheet, { header: 1, raw: true, defval: null })

describe("staff summary", () => {
  it("has the sheets in order with Dutch headers", () => {
    expect(book.SheetNames).toEqual(Object.values(StaffSummary.SHEETS))
    for (const [key, name] of Object.entries(StaffSummary.SHEETS)) {
      const headers = rowsOf(name)[0]
      expect(headers).toEqual(
        StaffSummary.COLUMNS[key as keyof typeof StaffSummary.COLUMNS].map((c) => c.header),
      )
    }
  })

  it("counts what the cases say", () => {
    const openedOn = (s: Case.CaseState) => LocalDate.todayInAmsterdam(new Date(s.openedAt))
    const open = states.filter((s) => s.closed === undefined)
    const fresh = states.filter((s) => LocalDate.isWithin(openedOn(s), period.from, period.to))
    const closed = states.filter(
      (s) => s.closed !== undefined && LocalDate.isWithin(s.closed.on, period.from, period.to),
    )
    const overdue = open.flatMap((s) => Case.overdueActions(s, on))
    const weekEnd = LocalDate.make("2026-03-15")
    const dueThisWeek = open.flatMap((s) =>
      Case.openActions(s).filter((a) => a.dueOn >= on && a.dueOn <= weekEnd),
    )
    expect(open.length).toBeGreaterThan(50)
    // The synthetic week has both, so every sheet below is checked with rows in it.
    expect(closed.length).toBeGreaterThan(0)
    expect(fresh.length).toBeGreaterThan(0)
    expect(summary.counts).toMatchObject({
      open: open.length,
      newReferrals: fresh.length,
      closed: closed.length,
      actionsOverdue: overdue.length,
      actionsDueThisWeek: dueThisWeek.length,
    })
    expect(rowsOf(StaffSummary.SHEETS.open)).toHaveLength(open.length + 1)
    expect(rowsOf(StaffSummary.SHEETS.newReferrals)).toHaveLength(fresh.length + 1)
    expect(rowsOf(StaffSummary.SHEETS.closed)).toHaveLength(closed.length + 1)
    expect(rowsOf(StaffSummary.SHEETS.actions)).toHaveLength(overdue.length + dueThisWeek.length + 1)
    const byStatus = summary.counts.openByStatus.reduce((n, c) => n + c.count, 0)
    expect(byStatus).toBe(open.length)
    const thuiszitters = summary.counts.thuiszitters
    expect(rowsOf(StaffSummary.SHEETS.thuiszitters)).toHaveLength(
      thuiszitters["1"] + thuiszitters["2a"] + thuiszitters["2b"] + 1,
    )
    expect(thuiszitters["2a"] + thuiszitters["2b"] + thuiszitters["1"]).toBeGreaterThan(0)
    const categories = rowsOf(StaffSummary.SHEETS.thuiszitters)
      .slice(1)
      .map((r) => r[1])
    // Ordered 2a, 2b, 1.
    expect(
      [...categories].sort(
        (a, b) => ["2a", "2b", "1"].indexOf(String(a)) - ["2a", "2b", "1"].indexOf(String(b)),
      ),
    ).toEqual(categories)
    const pactRows = rowsOf(StaffSummary.SHEETS.pact).slice(1)
    expect(pactRows.length).toBeGreaterThan(0)
    for (const row of pactRows) expect(["waarschuwing", "alarm"]).toContain(row[1])
  })

  it("shows the kind of verzuim and the attendance by their Dutch labels", () => {
    const schoolgang = rowsOf(StaffSummary.SHEETS.open)
      .slice(1)
      .map((r) => r[9])
    expect(schoolgang).toContain("Gedeeltelijk naar school")
    for (const v of schoolgang)
      if (v !== null) expect(Object.values(CaseParts.attendanceSituationLabel)).toContain(v)
    const kinds = rowsOf(StaffSummary.SHEETS.newReferrals)
      .slice(1)
      .map((r) => r[4])
    expect(kinds.length).toBeGreaterThan(0)
    for (const v of kinds) expect(Object.values(Referral.verzuimKindLabel)).toContain(v)
  })

  it("writes dates as date cells and numbers as numbers", () => {
    const open = book.Sheets[StaffSummary.SHEETS.open]
    expect(open?.F2?.t).toBe("d")
    expect(open?.G2?.t).toBe("n")
    const closed = book.Sheets[StaffSummary.SHEETS.closed]
    expect(summary.counts.closed).toBeGreaterThan(0)
    expect(closed?.C2?.t).toBe("d")
    expect(closed?.D2?.t).toBe("n")
    const row = rowsOf(StaffSummary.SHEETS.closed)[1] as Array<unknown>
    const day = (v: unknown) => LocalDate.make((v as Date).toISOString().slice(0, 10))
    expect(row[3]).toBe(LocalDate.daysBetween(day(row[1]), day(row[2])))
  })

  it("freezes the header row and filters every sheet", () => {
    for (let n = 1; n <= book.SheetNames.length; n++) {
      const xml = sheetXml(file, n)
      expect(xml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>')
      expect(xml).toMatch(/<autoFilter ref="A1:[A-Z]+\d+"\/>/)
      expect(xml).toMatch(/<col min="1" max="1" width="[\d.]+" customWidth="1"\/>/)
    }
  })

  it("holds no pupil name, BSN or birth date", () => {
    const text = packageText(file)
    expect(leaks(text, secretsOf(states))).toEqual([])
    const serials = birthSerialsOf(states)
    for (const name of book.SheetNames) {
      for (const row of rowsOf(name)) {
        for (const v of row)
          if (v instanceof Date) expect(serials.has(v.getTime() / 86_400_000 + 25_569)).toBe(false)
      }
    }
  })
})

describe("staff summary: the pact and the thuiszitters ask whether a ground excuses the duty (Leerplichtwet 1969 art. 5, 11)", () => {
  const atRisk = states.find(
    (c) =>
      !Case.isClosed(c) &&
      c.attendance?.situation === "niet-ingeschreven" &&
      c.exemptions.length === 0 &&
      Thuiszitterspact.thuiszitterspactStatus(
        { since: c.attendance.since, hasFittingOffer: c.attendance.fittingOffer },
        on,
      ).status !== "ok",
  ) as Case.CaseState
  const withExemption = (grond: "5a" | "11-verlof") =>
    Either.getOrThrow(
      Case.evolve(atRisk, {
        _tag: "ExemptionRecorded",
        at: atRisk.lastEventAt,
        by: { name: "Medewerker Test", role: "smw-verzuim" },
        vrijstelling: { grond, from: atRisk.attendance?.since ?? on },
      }),
    )
  const countsOf = (c: Case.CaseState) => {
    const { counts } = StaffSummary.make({
      region: { id: "westland", name: "Westland" },
      period,
      on,
      cases: [c],
    })
    return [counts.pactWarning + counts.pactAlarm, counts.thuiszitters["1"]]
  }

  it("a pupil not enrolled, at home without an offer: on the pact sheet and absoluut verzuim (1)", () => {
    expect(atRisk).toBeDefined()
    expect(countsOf(atRisk)).toEqual([1, 1])
  })

  it("with a 5 onder a: excused, off both (art. 5 onder a)", () => {
    expect(countsOf(withExemption("5a"))).toEqual([0, 0])
  })

  it("with art. 11 leave: leave does not excuse not being enrolled, still on both (art. 11 aanhef)", () => {
    expect(countsOf(withExemption("11-verlof"))).toEqual([1, 1])
  })
})
