/**
 * Sheets and workbooks: a {@link SheetBuilder} turns rows of values into a SheetJS worksheet
 * (dense mode: one array per row, the fastest and leanest form SheetJS has), with a header row,
 * an autofilter over the data and column widths from the content; {@link write} turns sheets into
 * an `.xlsx` file whose header rows are frozen.
 *
 * SheetJS Community Edition writes no frozen panes, so `write` lets SheetJS write the package
 * uncompressed, adds the `<pane>` to each sheet's view, and compresses the package once.
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
}

const INVALID_SHEET_NAME = /[[\]:*?/\\]/
const WIDTH_SAMPLE_ROWS = 500
const MIN_WIDTH = 8
const MAX_WIDTH = 60
const DATE_WIDTH = 12

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

  /** The worksheet: header, rows, autofilter over all rows, column widths. */
  finish(): Sheet {
    const lastColumn = columnLetters(this.columns.length - 1)
    const ref = `A1:${lastColumn}${this.data.length}`
    const worksheet = {
      "!data": this.data,
      "!ref": ref,
      "!autofilter": { ref },
      "!cols": this.columns.map((c, i) => ({
        wch: c.width ?? Math.min(MAX_WIDTH, this.widths[i] ?? MIN_WIDTH),
      })),
    } as unknown as WorkSheet
    return { name: this.name, worksheet, rows: this.rowCount }
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
/** The sheet view comes right after the dimension, in the first bytes of a sheet's XML. */
const VIEW_SEARCH_BYTES = 4_096

interface CfbEntry {
  content?: Uint8Array | string
  size?: number
}
interface CfbContainer {
  FullPaths: Array<string>
  FileIndex: Array<CfbEntry>
}

const freezeHeaderRows = (container: CfbContainer): void => {
  container.FullPaths.forEach((path, i) => {
    if (!/xl\/worksheets\/sheet\d+\.xml$/.test(path)) return
    const entry = container.FileIndex[i]
    if (entry?.content === undefined || typeof entry.content === "string") return
    const content = Buffer.from(entry.content.buffer, entry.content.byteOffset, entry.content.byteLength)
    const at = content.subarray(0, VIEW_SEARCH_BYTES).indexOf(PLAIN_VIEW)
    if (at < 0) throw new Error(`${path}: no sheet view to freeze the header row in`)
    const patched = Buffer.concat([
      content.subarray(0, at),
      FROZEN_VIEW,
      content.subarray(at + PLAIN_VIEW.length),
    ])
    entry.content = patched
    entry.size = patched.length
  })
}

export interface WriteOptions {
  /** Document title in the file's properties (no personal data). */
  readonly title?: string
}

/**
 * Writes sheets as an `.xlsx` file (a Buffer): in the given order, header rows frozen, compressed.
 * Pure: no file or network I/O.
 */
export const write = (sheets: ReadonlyArray<Sheet>, options: WriteOptions = {}): Buffer => {
  if (sheets.length === 0) throw new RangeError("a workbook needs at least one sheet")
  const workbook = XLSX.utils.book_new()
  for (const s of sheets) XLSX.utils.book_append_sheet(workbook, s.worksheet, s.name)
  workbook.Props = { Title: options.title ?? "verzuimregie", Author: "verzuimregie", Company: "" }
  const stored = XLSX.write(workbook, { type: "buffer", bookType: "xlsx", compression: false }) as Buffer
  const container = XLSX.CFB.read(stored, { type: "buffer" }) as CfbContainer
  freezeHeaderRows(container)
  const zipped = XLSX.CFB.write(container, {
    fileType: "zip",
    compression: true,
    type: "buffer",
  }) as Uint8Array
  return Buffer.isBuffer(zipped) ? zipped : Buffer.from(zipped)
}

/** Reads a workbook (for tests and checks): dates as date cells. */
export const read = (file: Uint8Array): XLSX.WorkBook => XLSX.read(file, { type: "buffer", cellDates: true })
