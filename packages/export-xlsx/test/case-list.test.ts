import { type Case, CaseParts, LocalDate, Party, Referral } from "@verzuimregie/domain"
import westland, { type Settings } from "@verzuimregie/plugin-westland"
import { describe, expect, it } from "vitest"
import { CaseList, type Export, Workbook } from "../src/index.js"
import { XLSX } from "../src/internal/xlsx.js"
import { leaks, packageText, secretsOf, syntheticHistories } from "./support/cases.js"

const on = LocalDate.make("2026-03-09")
const states = syntheticHistories(5, 300, { regionId: "westland", on }).map((h) => h.state)
const context = {
  on,
  settings: { firstContactWorkingDays: 5, referrerFeedbackWorkingDays: 5 } as Settings,
  calendars: [],
}
const headersOf = (file: Buffer) =>
  XLSX.utils.sheet_to_json<Array<unknown>>(
    Workbook.read(file).Sheets[CaseList.SHEET_NAME] as XLSX.WorkSheet,
    { header: 1 },
  )[0]

/** Many states from a few, with fresh ids: enough rows for a long export. */
function* many(count: number): Generator<Case.CaseState> {
  for (let i = 0; i < count; i++) {
    const s = states[i % states.length] as Case.CaseState
    yield { ...s, id: `case_${String(i).padStart(12, "0")}` as Case.CaseState["id"] }
  }
}

/** Largest gap between timer ticks while `work` runs: how long the event loop was blocked. */
const longestStall = async <A>(work: () => Promise<A>): Promise<{ result: A; stall: number }> => {
  let last = performance.now()
  let stall = 0
  const timer = setInterval(() => {
    const now = performance.now()
    stall = Math.max(stall, now - last)
    last = now
  }, 5)
  try {
    const result = await work()
    // Let the timer run once more, so a block at the very end is measured too.
    await new Promise((resolve) => setTimeout(resolve, 20))
    return { result, stall }
  } finally {
    clearInterval(timer)
  }
}

describe("case lists", () => {
  it("shows the plug-in's columns, and personal columns only when asked", () => {
    const without = CaseList.workbook(states, { plugin: westland, context, includePersonal: false })
    const withPersonal = CaseList.workbook(states, { plugin: westland, context, includePersonal: true })
    const all = westland.reports.caseColumns
    expect(headersOf(withPersonal)).toEqual(all.map((c) => c.header))
    expect(headersOf(without)).toEqual(all.filter((c) => !c.personal).map((c) => c.header))
    expect(all.some((c) => c.personal)).toBe(true)
    expect(leaks(packageText(without), secretsOf(states))).toEqual([])
    // The personal file does hold names: the filter is what keeps them out.
    expect(leaks(packageText(withPersonal), secretsOf(states)).length).toBeGreaterThan(0)
    const rows = XLSX.utils.sheet_to_json(
      Workbook.read(without).Sheets[CaseList.SHEET_NAME] as XLSX.WorkSheet,
    )
    expect(rows).toHaveLength(states.length)
  })

  it("shows codes by their Dutch labels: referrer's role, kind of verzuim, attendance", () => {
    const file = CaseList.workbook(states, { plugin: westland, context, includePersonal: false })
    const [headers, ...rows] = XLSX.utils.sheet_to_json<Array<unknown>>(
      Workbook.read(file).Sheets[CaseList.SHEET_NAME] as XLSX.WorkSheet,
      { header: 1, defval: null },
    ) as [Array<unknown>, ...Array<Array<unknown>>]
    const column = (header: string) => {
      const at = headers.indexOf(header)
      expect(at).toBeGreaterThanOrEqual(0)
      return rows.map((r) => r[at])
    }
    // The fixture holds the codes a coordinator stumbled on.
    expect(states.some((s) => s.referral.referrer.role === "coordinator-passend-onderwijs")).toBe(true)
    expect(states.some((s) => s.attendance?.situation === "gedeeltelijk-naar-school")).toBe(true)
    expect(column("Aanmelder (rol)")).toEqual(
      states.map((s) => Party.partyRoleLabel[s.referral.referrer.role]),
    )
    expect(column("Aanmelder (rol)")).toContain("Coördinator passend onderwijs")
    expect(column("Soort verzuim")).toEqual(
      states.map((s) => Referral.verzuimKindLabel[s.referral.verzuimKind]),
    )
    expect(column("Schoolgang")).toEqual(
      states.map((s) =>
        s.attendance === undefined ? null : CaseParts.attendanceSituationLabel[s.attendance.situation],
      ),
    )
    expect(column("Schoolgang")).toContain("Gedeeltelijk naar school")
    // No other cell is a kebab-case code either; the Status column is left out, as the synthetic
    // cases move through generic statuses (`in-behandeling`) that Westland's workflow does not have.
    const status = headers.indexOf("Status")
    const codes = rows
      .flatMap((r) => r.filter((_, i) => i !== status))
      .filter((v) => typeof v === "string" && /^[a-z]+(-[a-z]+)+$/.test(v))
    expect(codes).toEqual([])
  })

  it("exports in chunks with progress, in this thread and in a worker, to the same cells", async () => {
    const seen: Array<Export.Progress> = []
    const options = { plugin: westland, context, includePersonal: false, chunkSize: 500, total: 3_000 }
    const main = await CaseList.exportCases(many(3_000), { ...options, onProgress: (p) => seen.push(p) })
    const worker = await CaseList.exportCases(many(3_000), { ...options, thread: "worker" })
    expect(seen.filter((p) => p.phase === "rijen").map((p) => p.rows)).toEqual([
      500, 1000, 1500, 2000, 2500, 3000,
    ])
    expect(seen.at(-2)).toMatchObject({ phase: "schrijven", rows: 3_000 })
    expect(seen.at(-1)).toMatchObject({ phase: "klaar", rows: 3_000, total: 3_000, bytes: main.length })
    const cellsOf = (file: Buffer) =>
      XLSX.utils.sheet_to_json(Workbook.read(file).Sheets[CaseList.SHEET_NAME] as XLSX.WorkSheet, {
        header: 1,
      })
    expect(cellsOf(worker)).toEqual(cellsOf(main))
    expect(cellsOf(main)).toHaveLength(3_001)
  })

  it("keeps the event loop free while a worker writes a long export", async () => {
    const rows = 60_000
    // The writer is under test here, not the plug-in: leave out the one column that costs ~0.2 ms a
    // row (Columns.openedOn makes an Intl.DateTimeFormat per call), so the rows come quickly.
    const plugin = {
      ...westland,
      reports: {
        caseColumns: westland.reports.caseColumns.filter((c) => !c.personal && c.key !== "aangemeld"),
      },
    }
    const options = { plugin, context, includePersonal: false, chunkSize: 250 } as const
    const inWorker = await longestStall(() =>
      CaseList.exportCases(many(rows), { ...options, thread: "worker" }),
    )
    const inMain = await longestStall(() => CaseList.exportCases(many(rows), { ...options, thread: "main" }))
    console.log(
      `longest event-loop stall, ${rows} rows: worker ${inWorker.stall.toFixed(0)} ms, main ${inMain.stall.toFixed(0)} ms`,
    )
    expect(inWorker.result.length).toBeGreaterThan(1_000_000)
    // In this thread the final write blocks for its whole length; with the worker only one chunk of
    // row values at a time does. Compared within the run, not against a fixed number of ms: on a
    // busy machine every stall grows, the ratio does not.
    expect(inWorker.stall).toBeLessThan(inMain.stall / 2)
  })

  it("stops when aborted, and reports a failing column with its key and case", async () => {
    const controller = new AbortController()
    controller.abort(new Error("gestopt"))
    await expect(
      CaseList.exportCases(many(10), {
        plugin: westland,
        context,
        includePersonal: false,
        signal: controller.signal,
      }),
    ).rejects.toThrow("gestopt")
    const broken = {
      ...westland,
      reports: {
        caseColumns: [
          {
            key: "stuk",
            header: "Stuk",
            kind: "text" as const,
            personal: false,
            value: () => {
              throw new Error("kapot")
            },
          },
        ],
      },
    }
    await expect(
      CaseList.exportCases(many(1), { plugin: broken, context, includePersonal: false, thread: "worker" }),
    ).rejects.toThrow(/column stuk failed for case case_000000000000: kapot/)
  })
})
