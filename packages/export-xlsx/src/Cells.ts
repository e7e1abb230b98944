/**
 * Cell values and how they are written. Every text cell goes through {@link neutralise}, so a
 * value that a spreadsheet program could read as a formula (`=`, `+`, `-`, `@`, tab, carriage
 * return, or their full-width forms, also after leading spaces) is written with a leading
 * apostrophe and stays text. Dates become real date cells (a serial number with a date format),
 * numbers number cells and booleans boolean cells.
 *
 * @example
 * Cells.neutralise("=HYPERLINK(\"http://x\")") // "'=HYPERLINK(\"http://x\")"
 * Cells.cell("date", "2026-03-09") // { t: "n", v: 46090, z: "m/d/yy" }
 *
 * @since 0.1.0
 */
import type { CellObject } from "xlsx"

/** How a column's values are written. */
export type ColumnKind = "text" | "number" | "date" | "boolean"

/** What a row may hold: a `LocalDate` (YYYY-MM-DD) for date columns, empty as `undefined`/`null`. */
export type Value = string | number | boolean | null | undefined

export interface Column {
  /** Dutch header, as staff read it. */
  readonly header: string
  readonly kind: ColumnKind
  /** Width in characters; default from the header and the first rows. */
  readonly width?: number
  /**
   * Long text (a paragraph): wrapped within the column's width, top-aligned, so it is read and
   * printed whole instead of cut off at the column's edge.
   */
  readonly wrap?: boolean
}

/**
 * The number format of date cells: Excel's built-in short date (format id 14, which SheetJS names
 * `m/d/yy`). Excel and LibreOffice show it in the reader's own locale (9-3-2026 in Dutch). A
 * custom format string would get an id below 164 from SheetJS, which Excel reserves for its own
 * built-in formats.
 */
export const DATE_FORMAT = "m/d/yy"

/** Longest text a cell holds (Excel's limit); longer text is cut with an ellipsis. */
export const MAX_TEXT_LENGTH = 32_767

/**
 * Characters that make a spreadsheet program treat a typed or imported value as a formula or
 * command (OWASP "CSV injection"), with their full-width forms, which some programs normalise.
 */
const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/

/** Whether the text would start a formula when a spreadsheet program reads it. */
export const isFormulaLike = (text: string): boolean => FORMULA_START.test(text)

/**
 * The text as it is safe to write: prefixed with `'` when it starts like a formula, so a
 * spreadsheet never evaluates it (also after a user edits the cell or the sheet is saved as CSV).
 */
export const neutralise = (text: string): string => (isFormulaLike(text) ? `'${text}` : text)

// This module is loaded by the export worker: it keeps to plain date arithmetic instead of
// importing the domain package (and Effect) into every worker thread.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MS_PER_DAY = 86_400_000

/**
 * Excel's serial day number of a `YYYY-MM-DD` date (1900 system: 1970-01-01 is 25569), or
 * `undefined` for a text that is no existing date.
 */
export const dateSerial = (date: string): number | undefined => {
  const m = ISO_DATE.exec(date)
  if (m === null) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const ms = Date.UTC(year, month - 1, day)
  const check = new Date(ms)
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return undefined
  return ms / MS_PER_DAY + 25_569
}

/** The `YYYY-MM-DD` date of an Excel serial day number (the inverse of {@link dateSerial}). */
export const dateOfSerial = (serial: number): string =>
  new Date((Math.floor(serial) - 25_569) * MS_PER_DAY).toISOString().slice(0, 10)

const textCell = (text: string): CellObject => {
  const safe = neutralise(text)
  return { t: "s", v: safe.length > MAX_TEXT_LENGTH ? `${safe.slice(0, MAX_TEXT_LENGTH - 1)}…` : safe }
}

/**
 * The cell for a value in a column of `kind`, or `undefined` for an empty cell. A value that does
 * not fit its column (text in a date column) is written as (neutralised) text, never dropped.
 */
export const cell = (kind: ColumnKind, value: Value): CellObject | undefined => {
  if (value === undefined || value === null || value === "") return undefined
  switch (kind) {
    case "date": {
      const serial = typeof value === "string" ? dateSerial(value) : undefined
      return serial === undefined ? textCell(String(value)) : { t: "n", v: serial, z: DATE_FORMAT }
    }
    case "number":
      if (typeof value === "number") return Number.isFinite(value) ? { t: "n", v: value } : undefined
      return textCell(String(value))
    case "boolean":
      return typeof value === "boolean" ? { t: "b", v: value } : textCell(String(value))
    case "text":
      return textCell(typeof value === "string" ? value : String(value))
  }
}

/** "ja" / "nee", for yes/no columns that read better as words than as WAAR/ONWAAR. */
export const jaNee = (value: boolean | undefined): "ja" | "nee" | undefined =>
  value === undefined ? undefined : value ? "ja" : "nee"
