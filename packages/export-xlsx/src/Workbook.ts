/**
 * Sheets and workbooks: a {@link SheetBuilder} turns rows of values into a SheetJS worksheet
 * (dense mode: one array per row, the fastest and leanest form SheetJS has), with a header row,
 * an autofilter over the data and column widths from the content; {@link write} turns sheets into
 * an `.xlsx` file whose header rows are frozen and that prints well (A4 landscape, one page wide,
 * the header row on every page, a title in the page header).
 *
 * SheetJS Community Edition writes no frozen panes and no page setup, so `write` lets SheetJS
 * write the package uncompressed, adds the `<pane>` and the print settings to each sheet, and
 * compresses the package once. The repeated header row is a defined name, which SheetJS writes.
 *
 * @example
 * const sheet = new SheetBuilder({ name: "Casussen", columns: [{ header: "Casus", kind: "text" }] })
 * sheet.addRow(["case_0123456789"])
 * const file: Buffer = Workbook.write([sheet.finish()])
 *
 * @since 0.1.0
 */
import type { CellObject, WorkSheet } from "xlsx"
import { type Column, cell, type Value } from "./Cells.js"
import { XLSX } from "./internal/xlsx.js"

export interface SheetSpec {
  /** Sheet name: 1–31 characters, none of `[ ] : * ? / \`. */
  readonly name: string
  readonly columns: ReadonlyArray<Column>
}

/** A finished sheet, ready for {@link write}. */
export interface Sheet {
  readonly name: string
  readonly worksheet: WorkSheet
  /** Data rows (without the header). */
  readonly rows: number
  /** Column letters of the columns whose text wraps (`Column.wrap`). */
  readonly wrapped: ReadonlyArray<string>
}

const INVALID_SHEET_NAME = /[[\]:*?/\\]/
const WIDTH_SAMPLE_ROWS = 500
const MIN_WIDTH = 8
const MAX_WIDTH = 60
const DATE_WIDTH = 12
/** One line of the workbook's font (Calibri 12 pt, SheetJS's default) in a row: 16 pt. */
const LINE_HEIGHT_POINTS = 16

export const checkSheetName = (name: string): string => {
  if (name.length === 0 || name.length > 31 || INVALID_SHEET_NAME.test(name)) {
    throw new RangeError(
      `invalid sheet name ${JSON.stringify(name)}: 1–31 characters, none of [ ] : * ? / \\`,
    )
  }
  return name
}

/** Column letters of a 0-based index: 0 → A, 26 → AA. */
export const columnLetters = (index: number): string => XLSX.utils.encode_col(index)

/**
 * Collects the rows of one sheet. Rows are converted to cells as they arrive, so a caller can feed
 * a long export in chunks and drop each chunk afterwards.
 */
export class SheetBuilder {
  readonly name: string
  readonly columns: ReadonlyArray<Column>
  private readonly data: Array<Array<CellObject | undefined>>
  private readonly widths: Array<number>
  private sampled = 0

  constructor(spec: SheetSpec) {
    this.name = checkSheetName(spec.name)
    if (spec.columns.length === 0) throw new RangeError(`sheet ${spec.name} has no columns`)
    this.columns = spec.columns
    this.data = [spec.columns.map((c) => ({ t: "s", v: c.header }) satisfies CellObject)]
    this.widths = spec.columns.map((c) =>
      Math.max(c.header.length + 2, c.kind === "date" ? DATE_WIDTH : MIN_WIDTH),
    )
  }

  /** Data rows added so far. */
  get rowCount(): number {
    return this.data.length - 1
  }

  /** Adds one row; values beyond the columns are ignored, missing values are empty cells. */
  addRow(values: ReadonlyArray<Value>): void {
    const { columns } = this
    const row = new Array<CellObject | undefined>(columns.length)
    const sample = this.sampled < WIDTH_SAMPLE_ROWS
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] as Column
      const value = values[c]
      const made = cell(column.kind, value)
      row[c] = made
      if (sample && made !== undefined && column.kind === "text") {
        const length = String(made.v).length + 2
        if (length > (this.widths[c] as number)) this.widths[c] = length
      }
    }
    if (sample) this.sampled++
    this.data.push(row)
  }

  addRows(rows: Iterable<ReadonlyArray<Value>>): void {
    for (const row of rows) this.addRow(row)
  }

  /**
   * Heights of the rows whose wrapped text takes more than one line. Neither Excel nor LibreOffice
   * reliably fits a row to wrapped text when it opens a file (LibreOffice's headless PDF export
   * keeps one line and cuts the rest off), so the height is written: the lines a text needs at the
   * column's width, counted generously (a character as wide as a digit).
   */
  private wrappedRowHeights(widths: ReadonlyArray<number>): Array<{ hpt: number } | undefined> | undefined {
    const wrapped = this.columns.flatMap((c, i) => (c.wrap === true ? [i] : []))
    if (wrapped.length === 0) return undefined
    return this.data.map((row) => {
      let lines = 1
      for (const c of wrapped) {
        const v = row[c]?.v
        if (typeof v !== "string") continue
        const perLine = Math.max(1, Math.floor((widths[c] ?? MIN_WIDTH) - 1))
        const needed = v.split("\n").reduce((n, part) => n + Math.max(1, Math.ceil(part.length / perLine)), 0)
        lines = Math.max(lines, needed)
      }
      return lines > 1 ? { hpt: lines * LINE_HEIGHT_POINTS } : undefined
    })
  }

  /** The worksheet: header, rows, autofilter over all rows, column widths. */
  finish(): Sheet {
    const lastColumn = columnLetters(this.columns.length - 1)
    const ref = `A1:${lastColumn}${this.data.length}`
    const widths = this.columns.map((c, i) => c.width ?? Math.min(MAX_WIDTH, this.widths[i] ?? MIN_WIDTH))
    const heights = this.wrappedRowHeights(widths)
    const worksheet = {
      "!data": this.data,
      "!ref": ref,
      "!autofilter": { ref },
      "!cols": widths.map((wch) => ({ wch })),
      ...(heights === undefined ? {} : { "!rows": heights }),
    } as unknown as WorkSheet
    const wrapped = this.columns.flatMap((c, i) => (c.wrap === true ? [columnLetters(i)] : []))
    return { name: this.name, worksheet, rows: this.rowCount, wrapped }
  }
}

/** Builds a sheet from a spec and rows in one go. */
export const sheet = (spec: SheetSpec, rows: Iterable<ReadonlyArray<Value>>): Sheet => {
  const builder = new SheetBuilder(spec)
  builder.addRows(rows)
  return builder.finish()
}

const PLAIN_VIEW = Buffer.from('<sheetView workbookViewId="0"/>', "utf8")
const FROZEN_VIEW = Buffer.from(
  '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>',
  "utf8",
)
/**
 * Fit to page (with the page setup's fitToWidth/fitToHeight): the first child of a worksheet.
 * SheetJS writes a `<sheetPr>` only for outlines and macros, neither of which we use.
 */
const SHEET_PROPERTIES = Buffer.from('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>', "utf8")
const DIMENSION = Buffer.from("<dimension ", "utf8")
/** The sheet properties, dimension and view come first, in the first bytes of a sheet's XML. */
const HEAD_SEARCH_BYTES = 4_096
/** What follows the page setup in a SheetJS sheet: the ignored errors, or the end of the sheet. */
const AFTER_PAGE_SETUP = [Buffer.from("<ignoredErrors>", "utf8"), Buffer.from("</worksheet>", "utf8")]
const TAIL_SEARCH_BYTES = 4_096

/** Longest title in the page header: Excel allows 255 characters for a header with its codes. */
const MAX_HEADER_TITLE = 200

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

/**
 * The print settings of every sheet, in the order ECMA-376 Part 1 (§18.3.1.99, CT_Worksheet)
 * requires: print options, margins, page setup, header and footer. A4 (paper size 9) landscape,
 * scaled to one page wide and as many pages long as it takes; grid lines printed (the cells have
 * no borders); the title at the top left, the sheet name at the top right, `Pagina 1 van 3` at
 * the bottom. Header codes (§18.3.1.46): `&L`/`&C`/`&R` sections, `&B` bold on/off, `&A` sheet
 * name, `&P` page, `&N` pages; a literal `&` is `&&`.
 */
const printSettings = (title: string): Buffer => {
  const shortTitle = title.length > MAX_HEADER_TITLE ? `${title.slice(0, MAX_HEADER_TITLE - 1)}…` : title
  const header = `&L&B${shortTitle.replace(/&/g, "&&")}&B&R&A`
  const footer = "&CPagina &P van &N"
  return Buffer.from(
    '<printOptions gridLines="1"/>' +
      '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
      '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>' +
      `<headerFooter><oddHeader>${escapeXml(header)}</oddHeader><oddFooter>${escapeXml(footer)}</oddFooter></headerFooter>`,
    "utf8",
  )
}

interface CfbEntry {
  content?: Uint8Array | string
  size?: number
}
interface CfbContainer {
  FullPaths: Array<string>
  FileIndex: Array<CfbEntry>
}

/**
 * Adds what SheetJS Community Edition does not write to each sheet: the frozen header row, the
 * print settings (fit to page, then the page setup before the ignored errors) and the format of
 * wrapped columns. One copy per sheet (two for a sheet with wrapped columns: the rare, small ones).
 */
const finishSheets = (container: CfbContainer, sheets: ReadonlyArray<Sheet>, print: Buffer): void => {
  const wrapFormat = sheets.some((s) => s.wrapped.length > 0) ? addWrapFormat(container) : undefined
  container.FullPaths.forEach((path, i) => {
    const number = /xl\/worksheets\/sheet(\d+)\.xml$/.exec(path)?.[1]
    if (number === undefined) return
    const entry = container.FileIndex[i]
    if (entry?.content === undefined || typeof entry.content === "string") return
    // SheetJS numbers the sheets' parts in the workbook's order, from 1.
    const wrapped = sheets[Number(number) - 1]?.wrapped ?? []
    const stored = Buffer.from(entry.content.buffer, entry.content.byteOffset, entry.content.byteLength)
    const content =
      wrapFormat === undefined || wrapped.length === 0 ? stored : wrapCells(stored, wrapped, wrapFormat)
    const head = content.subarray(0, HEAD_SEARCH_BYTES)
    const dimension = head.indexOf(DIMENSION)
    if (dimension < 0 || head.subarray(0, dimension).includes("<sheetPr"))
      throw new Error(`${path}: no place for the sheet properties before the dimension`)
    const view = head.indexOf(PLAIN_VIEW)
    if (view < dimension) throw new Error(`${path}: no sheet view to freeze the header row in`)
    const tailStart = Math.max(view + PLAIN_VIEW.length, content.length - TAIL_SEARCH_BYTES)
    const tail = content.subarray(tailStart)
    if (tail.includes("<pageMargins") || tail.includes("<pageSetup"))
      throw new Error(`${path}: already has print settings`)
    const anchor = AFTER_PAGE_SETUP.map((a) => tail.lastIndexOf(a)).find((at) => at >= 0)
    if (anchor === undefined) throw new Error(`${path}: no end of the sheet to add the print settings to`)
    const printAt = tailStart + anchor
    const patched = Buffer.concat([
      content.subarray(0, dimension),
      SHEET_PROPERTIES,
      content.subarray(dimension, view),
      FROZEN_VIEW,
      content.subarray(view + PLAIN_VIEW.length, printAt),
      print,
      content.subarray(printAt),
    ])
    entry.content = patched
    entry.size = patched.length
  })
}

/**
 * The cell format of wrapped text (`Column.wrap`), added to the styles' cell formats: SheetJS
 * Community Edition writes number formats only. Returns its index: cell formats (§18.8.10
 * cellXfs) are referenced by their 0-based position.
 */
const addWrapFormat = (container: CfbContainer): number => {
  const i = container.FullPaths.findIndex((path) => path.endsWith("xl/styles.xml"))
  const entry = container.FileIndex[i]
  if (entry?.content === undefined) throw new Error("xl/styles.xml: missing")
  const styles = Buffer.from(entry.content as Uint8Array).toString("utf8")
  const count = /<cellXfs count="(\d+)">/.exec(styles)
  if (count === null || !styles.includes("</cellXfs>")) throw new Error("xl/styles.xml: no cell formats")
  const index = Number(count[1])
  const patched = Buffer.from(
    styles
      .replace(count[0], `<cellXfs count="${index + 1}">`)
      .replace(
        "</cellXfs>",
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">' +
          '<alignment vertical="top" wrapText="1"/></xf></cellXfs>',
      ),
    "utf8",
  )
  entry.content = patched
  entry.size = patched.length
  return index
}

/** Gives the cells of the wrapped columns the wrap format (cells that have a format keep it). */
const wrapCells = (xml: Buffer, columns: ReadonlyArray<string>, format: number): Buffer => {
  const wrapped = new Set(columns)
  return Buffer.from(
    xml
      .toString("utf8")
      .replace(/<c r="([A-Z]+)(\d+)"(?![^>]*\ss=)/g, (cell, column: string) =>
        wrapped.has(column) ? `${cell} s="${format}"` : cell,
      ),
    "utf8",
  )
}

/** A sheet name as a formula reference: quoted, with `'` doubled. */
const sheetReference = (name: string): string => `'${name.replace(/'/g, "''")}'`

export interface WriteOptions {
  /** Document title in the file's properties and the printed page header (no personal data). */
  readonly title?: string
}

/**
 * Writes sheets as an `.xlsx` file (a Buffer): in the given order, header rows frozen, compressed,
 * and ready to print: A4 landscape, one page wide, the header row repeated on every page (the
 * `_xlnm.Print_Titles` name), the title in the page header. Pure: no file or network I/O.
 */
export const write = (sheets: ReadonlyArray<Sheet>, options: WriteOptions = {}): Buffer => {
  if (sheets.length === 0) throw new RangeError("a workbook needs at least one sheet")
  const title = options.title ?? "verzuimregie"
  const workbook = XLSX.utils.book_new()
  for (const s of sheets) XLSX.utils.book_append_sheet(workbook, s.worksheet, s.name)
  workbook.Props = { Title: title, Author: "verzuimregie", Company: "" }
  workbook.Workbook = {
    Names: sheets.map((s, i) => ({
      Name: "_xlnm.Print_Titles",
      Sheet: i,
      Ref: `${sheetReference(s.name)}!$1:$1`,
    })),
  }
  const stored = XLSX.write(workbook, { type: "buffer", bookType: "xlsx", compression: false }) as Buffer
  const container = XLSX.CFB.read(stored, { type: "buffer" }) as CfbContainer
  finishSheets(container, sheets, printSettings(title))
  const zipped = XLSX.CFB.write(container, {
    fileType: "zip",
    compression: true,
    type: "buffer",
  }) as Uint8Array
  return Buffer.isBuffer(zipped) ? zipped : Buffer.from(zipped)
}

/** Reads a workbook (for tests and checks): dates as date cells. */
export const read = (file: Uint8Array): XLSX.WorkBook => XLSX.read(file, { type: "buffer", cellDates: true })
