/**
 * Every workbook prints: A4 landscape, one page wide, the header row on every page, the title in
 * the page header. Checked in the package's XML against the element order of ECMA-376 (an element
 * out of order makes Excel offer to "repair" the file), and in LibreOffice: it converts each
 * workbook to PDF (the pages are counted) and back to `.xlsx` (what it understood of the settings).
 */
import { LocalDate } from "@verzuimregie/domain"
import westland, { type Settings } from "@verzuimregie/plugin-westland"
import { describe, expect, it } from "vitest"
import { CaseList, Inspectie, StaffSummary, Workbook } from "../src/index.js"
import { XLSX } from "../src/internal/xlsx.js"
import { syntheticHistories } from "./support/cases.js"
import { convert, pdfPages, skipLibreOffice } from "./support/libreoffice.js"

// The staff summary that printed on 24 pages: Westland, 32 open cases.
const on = LocalDate.make("2026-03-09")
const period = { key: "2026-W10", from: LocalDate.make("2026-03-02"), to: LocalDate.make("2026-03-08") }
// The first number of generated histories (seed 13) with exactly 32 open cases on the day: the
// generator's course rules change over time, the size of the summary under test should not.
const states = (() => {
  for (let n = 32; n <= 96; n++) {
    const candidate = syntheticHistories(13, n, { regionId: "westland", on }).map((h) => h.state)
    if (candidate.filter((c) => c.closed === undefined || c.closed.on > on).length === 32) return candidate
  }
  throw new Error("no sample with 32 open cases")
})()
const labels = new Map(westland.workflow.states.map((s) => [s.id, s.label]))
const summary = StaffSummary.make({
  region: { id: "westland", name: "Westland" },
  period,
  on,
  cases: states,
  statusLabel: (s) => labels.get(s) ?? s,
})
const peildatum = LocalDate.make("2026-03-31")
const overview = Inspectie.make({
  region: { id: "westland", name: "Westland" },
  peildatum,
  quarter: "2026-Q1",
  key: "een-geheime-sleutel-van-minstens-32-tekens!",
  cases: syntheticHistories(7, 400, { regionId: "westland", on: peildatum }),
  generatedAt: new Date("2026-04-01T08:00:00Z"),
})
const context = {
  on,
  settings: { firstContactWorkingDays: 5, referrerFeedbackWorkingDays: 5 } as Settings,
  calendars: [],
}

/** The workbooks as they are made, with the title each prints in its page header. */
const workbooks = {
  staff: { file: StaffSummary.workbook(summary), title: "Overzicht Westland 2026-W10" },
  inspectie: { file: Inspectie.workbook(overview), title: "Thuiszittersoverzicht Westland 2025/26 2026-Q1" },
  // The coordinator's list with every column, personal ones too: the widest there is.
  cases: {
    file: CaseList.workbook(states, {
      plugin: westland,
      context,
      includePersonal: true,
      title: "Casussen Westland 9 maart 2026",
    }),
    title: "Casussen Westland 9 maart 2026",
  },
} as const

/** The parts of an `.xlsx` package by path. */
const partsOf = (file: Uint8Array): Map<string, string> => {
  const container = XLSX.CFB.read(file, { type: "buffer" }) as {
    FullPaths: Array<string>
    FileIndex: Array<{ content?: Uint8Array }>
  }
  const parts = new Map<string, string>()
  container.FullPaths.forEach((path, i) => {
    const content = container.FileIndex[i]?.content
    if (content !== undefined && content.length > 0)
      parts.set(path.replace(/^Root Entry\//, ""), Buffer.from(content).toString("utf8"))
  })
  return parts
}

const sheetsOf = (parts: Map<string, string>): Array<string> =>
  [...parts.keys()]
    .filter((p) => /xl\/worksheets\/sheet\d+\.xml$/.test(p))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)?.[1]) - Number(/(\d+)\.xml$/.exec(b)?.[1]))
    .map((p) => parts.get(p) as string)

/** The elements directly inside the root element of an XML text, in order, with their source. */
const children = (xml: string): Array<{ name: string; xml: string }> => {
  const tag = /<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g
  const found: Array<{ name: string; xml: string }> = []
  const body = xml
  let depth = 0
  let start = 0
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    const [text, closing, name, selfClosing] = m
    if (closing === "/") {
      depth--
      if (depth === 1) (found.at(-1) as { xml: string }).xml = body.slice(start, m.index + text.length)
      continue
    }
    if (depth === 1) {
      start = m.index
      found.push({ name: name as string, xml: text })
    }
    if (selfClosing !== "/") depth++
  }
  return found
}

/** Whether `names` appear in the order of `sequence` (each at most once, none unknown). */
const inOrder = (names: ReadonlyArray<string>, sequence: ReadonlyArray<string>): boolean => {
  let at = -1
  for (const name of names) {
    const next = sequence.indexOf(name)
    if (next <= at) return false
    at = next
  }
  return true
}

/** ECMA-376 Part 1 (5th ed.), §18.3.1.99 CT_Worksheet: the sequence of a worksheet's children. */
const WORKSHEET = [
  "sheetPr",
  "dimension",
  "sheetViews",
  "sheetFormatPr",
  "cols",
  "sheetData",
  "sheetCalcPr",
  "sheetProtection",
  "protectedRanges",
  "scenarios",
  "autoFilter",
  "sortState",
  "dataConsolidate",
  "customSheetViews",
  "mergeCells",
  "phoneticPr",
  "conditionalFormatting",
  "dataValidations",
  "hyperlinks",
  "printOptions",
  "pageMargins",
  "pageSetup",
  "headerFooter",
  "rowBreaks",
  "colBreaks",
  "customProperties",
  "cellWatches",
  "ignoredErrors",
  "smartTags",
  "drawing",
  "legacyDrawing",
  "legacyDrawingHF",
  "drawingHF",
  "picture",
  "oleObjects",
  "controls",
  "webPublishItems",
  "tableParts",
  "extLst",
]
/** §18.3.1.82 CT_SheetPr and §18.3.1.46 CT_HeaderFooter. */
const SHEET_PR = ["tabColor", "outlinePr", "pageSetUpPr"]
const HEADER_FOOTER = ["oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"]
/** §18.2.27 CT_Workbook. */
const WORKBOOK = [
  "fileVersion",
  "fileSharing",
  "workbookPr",
  "workbookProtection",
  "bookViews",
  "sheets",
  "functionGroups",
  "externalReferences",
  "definedNames",
  "calcPr",
  "oleSize",
  "customWorkbookViews",
  "pivotCaches",
  "smartTagPr",
  "smartTagTypes",
  "webPublishing",
  "fileRecoveryPr",
  "webPublishObjects",
  "extLst",
]

const unescapeXml = (text: string): string =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")

const printTitlesOf = (workbookXml: string): Array<{ sheet: string; ref: string }> =>
  [...workbookXml.matchAll(/<definedName\b([^>]*)>([^<]*)<\/definedName>/g)]
    .filter((m) => /name="_xlnm\.Print_Titles"/.test(m[1] as string))
    .map((m) => ({
      sheet: /localSheetId="(\d+)"/.exec(m[1] as string)?.[1] ?? "",
      ref: unescapeXml(m[2] as string),
    }))

describe("print settings", () => {
  it("puts the print settings into every sheet, in the order ECMA-376 requires", () => {
    for (const [name, { file, title }] of Object.entries(workbooks)) {
      const parts = partsOf(file)
      const sheets = sheetsOf(parts)
      const book = Workbook.read(file)
      expect(sheets, name).toHaveLength(book.SheetNames.length)
      for (const [i, xml] of sheets.entries()) {
        const where = `${name}, sheet ${book.SheetNames[i]}`
        const elements = children(xml)
        const names = elements.map((e) => e.name)
        expect(inOrder(names, WORKSHEET), `${where}: ${names.join(", ")}`).toBe(true)
        for (const required of ["sheetPr", "printOptions", "pageMargins", "pageSetup", "headerFooter"])
          expect(names, where).toContain(required)
        const sheetPr = elements.find((e) => e.name === "sheetPr")?.xml ?? ""
        expect(
          inOrder(
            children(sheetPr).map((e) => e.name),
            SHEET_PR,
          ),
          where,
        ).toBe(true)
        expect(sheetPr, where).toContain('<pageSetUpPr fitToPage="1"/>')
        const pageSetup = elements.find((e) => e.name === "pageSetup")?.xml ?? ""
        expect(pageSetup, where).toMatch(/ orientation="landscape"/)
        expect(pageSetup, where).toMatch(/ fitToWidth="1"/)
        expect(pageSetup, where).toMatch(/ fitToHeight="0"/)
        expect(pageSetup, where).toMatch(/ paperSize="9"/)
        const headerFooter = elements.find((e) => e.name === "headerFooter")?.xml ?? ""
        expect(
          inOrder(
            children(headerFooter).map((e) => e.name),
            HEADER_FOOTER,
          ),
          where,
        ).toBe(true)
        const header = unescapeXml(/<oddHeader>([^<]*)<\/oddHeader>/.exec(headerFooter)?.[1] ?? "")
        expect(header, where).toBe(`&L&B${title}&B&R&A`)
      }
      const workbookXml = parts.get("xl/workbook.xml") ?? ""
      expect(
        inOrder(
          children(workbookXml).map((e) => e.name),
          WORKBOOK,
        ),
        name,
      ).toBe(true)
      // One repeated header row per sheet, scoped to that sheet; a duplicate name makes Excel repair.
      expect(printTitlesOf(workbookXml), name).toEqual(
        book.SheetNames.map((sheet, i) => ({ sheet: String(i), ref: `'${sheet}'!$1:$1` })),
      )
    }
  })

  it("keeps the page header's codes and the XML intact whatever the title holds", () => {
    const file = Workbook.write(
      [Workbook.sheet({ name: "Bob's & <co>", columns: [{ header: "Casus", kind: "text" }] }, [["a"]])],
      { title: 'R&D 100% <regio> "x" &P' },
    )
    const parts = partsOf(file)
    const [xml] = sheetsOf(parts)
    const header = unescapeXml(/<oddHeader>([^<]*)<\/oddHeader>/.exec(xml ?? "")?.[1] ?? "")
    // `&&` prints one ampersand: the title's `&P` stays text, not the page number.
    expect(header).toBe('&L&BR&&D 100% <regio> "x" &&P&B&R&A')
    expect(printTitlesOf(parts.get("xl/workbook.xml") ?? "")).toEqual([
      { sheet: "0", ref: "'Bob''s & <co>'!$1:$1" },
    ])
    expect(Workbook.read(file).SheetNames).toEqual(["Bob's & <co>"])
    const long = Workbook.write(
      [Workbook.sheet({ name: "Blad", columns: [{ header: "Casus", kind: "text" }] }, [])],
      { title: "x".repeat(400) },
    )
    const longHeader = /<oddHeader>([^<]*)<\/oddHeader>/.exec(sheetsOf(partsOf(long))[0] ?? "")?.[1] ?? ""
    // Excel's limit for a header with its codes is 255 characters.
    expect(longHeader.length).toBeLessThanOrEqual(255)
  })

  it("wraps the Toelichting's paragraphs within the column, so they print whole", () => {
    const parts = partsOf(workbooks.inspectie.file)
    const xfs = children(/<cellXfs[\s\S]*<\/cellXfs>/.exec(parts.get("xl/styles.xml") ?? "")?.[0] ?? "")
    expect(/<cellXfs count="(\d+)"/.exec(parts.get("xl/styles.xml") ?? "")?.[1]).toBe(String(xfs.length))
    const [rows, notes] = sheetsOf(parts) as [string, string]
    const formatOf = (xml: string, cell: string) =>
      xfs[Number(new RegExp(`<c r="${cell}"[^>]* s="(\\d+)"`).exec(xml)?.[1] ?? 0)]?.xml ?? ""
    const rule = Inspectie.COLUMNS[0]?.rule ?? ""
    const row = [...notes.matchAll(/<c r="B(\d+)"[^>]*><v>([^<]*)<\/v>/g)].find((m) => m[2] === rule)?.[1]
    expect(row).toBeDefined()
    expect(formatOf(notes, `B${row}`)).toContain('<alignment vertical="top" wrapText="1"/>')
    expect(formatOf(notes, `A${row}`)).not.toContain("wrapText")
    // The row is as high as the lines the text needs (Excel and LibreOffice do not fit it on
    // opening): the rule of about 200 characters takes 3 lines at 100 characters, 16 pt each.
    const height = new RegExp(`<row r="${row}" ht="(\\d+)" customHeight="1">`).exec(notes)?.[1]
    expect(Number(height)).toBe(16 * Math.ceil(rule.length / 99))
    expect(Number(height)).toBeGreaterThan(16)
    expect(notes).toMatch(/<row r="1">/)
    // The rows sheet wraps nothing; its date cells keep the date format.
    expect(formatOf(rows, "A2")).not.toContain("wrapText")
    expect(formatOf(rows, "H2")).toMatch(/numFmtId="14"/)
  })

  it("puts the same print settings into a long export written in a worker thread", async () => {
    const file = await CaseList.exportCases(states, {
      plugin: westland,
      context,
      includePersonal: false,
      thread: "worker",
      title: "Casussen Westland",
    })
    const [xml] = sheetsOf(partsOf(file))
    expect(xml).toContain('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    expect(xml).toContain("<oddHeader>&amp;L&amp;BCasussen Westland&amp;B&amp;R&amp;A</oddHeader>")
  })
})

describe.skipIf(skipLibreOffice("print"))("print in LibreOffice", () => {
  it("prints each workbook on few pages: one page wide, the 32 open cases on one page", async () => {
    expect(summary.counts.open).toBe(32)
    const pdfs = await convert(
      Object.fromEntries(Object.entries(workbooks).map(([name, w]) => [name, w.file])),
      "pdf",
    )
    const pages = Object.fromEntries(Object.entries(pdfs).map(([name, pdf]) => [name, pdfPages(pdf)]))
    const sheets = Object.fromEntries(
      Object.entries(workbooks).map(([name, w]) => [name, Workbook.read(w.file).SheetNames.length]),
    )
    console.log(`pages in LibreOffice: ${JSON.stringify(pages)} (sheets: ${JSON.stringify(sheets)})`)
    // Each of the summary's 7 sheets on one page (it printed on 24 before: columns spilled
    // onto pages of their own); a sheet is a page at least, so this is as few as it gets.
    expect(pages.staff).toBe(sheets.staff)
    // 57 Inspectie rows of 13 columns and the Toelichting; 40 cases of 17 columns.
    expect(pages.inspectie).toBeLessThanOrEqual(3)
    expect(pages.cases).toBeLessThanOrEqual(2)
  }, 180_000)

  it("reads the print settings back as written: landscape, one page wide, header row, title", async () => {
    const { staff } = await convert({ staff: workbooks.staff.file }, "xlsx")
    const parts = partsOf(staff as Buffer)
    const names = Workbook.read(staff as Buffer).SheetNames
    expect(names).toEqual(Object.values(StaffSummary.SHEETS))
    // LibreOffice sorts the names and quotes only where needed.
    expect(
      printTitlesOf(parts.get("xl/workbook.xml") ?? "")
        .map((t) => ({ ...t, ref: t.ref.replace(/'/g, "") }))
        .sort((a, b) => Number(a.sheet) - Number(b.sheet)),
    ).toEqual(names.map((sheet, i) => ({ sheet: String(i), ref: `${sheet}!$1:$1` })))
    for (const [i, xml] of sheetsOf(parts).entries()) {
      const where = `sheet ${names[i]}`
      expect(xml, where).toMatch(/<pageSetUpPr fitToPage="(true|1)"\/>/)
      const pageSetup = /<pageSetup [^>]*\/>/.exec(xml)?.[0] ?? ""
      expect(pageSetup, where).toMatch(/ orientation="landscape"/)
      expect(pageSetup, where).toMatch(/ fitToWidth="1"/)
      expect(pageSetup, where).toMatch(/ fitToHeight="0"/)
      expect(pageSetup, where).toMatch(/ paperSize="9"/)
      const header = unescapeXml(/<oddHeader>([^<]*)<\/oddHeader>/.exec(xml)?.[1] ?? "")
      // LibreOffice writes bold as a font style rather than `&B`.
      expect(header, where).toMatch(/^&L.*Overzicht Westland 2026-W10.*&R&A$/)
      expect(unescapeXml(/<oddFooter>([^<]*)<\/oddFooter>/.exec(xml)?.[1] ?? "")).toBe("&CPagina &P van &N")
    }
  }, 180_000)
})
