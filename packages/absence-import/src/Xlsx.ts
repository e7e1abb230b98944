/**
 * An xlsx export as records of text, like a CSV's: one sheet (several → the mapping must name
 * one), values only (a formula is refused: its result depends on what the spreadsheet did, and
 * an export has none), date cells written in the mapping's date format.
 *
 * @since 0.1.0
 */
import type { LocalDate } from "@verzuimregie/domain"
import * as XLSX from "xlsx"
import type { CsvRecord } from "./Csv.js"
import type { Mapping } from "./Mapping.js"
import { AbsenceFileRefused } from "./Rows.js"
import { formatDate } from "./Validate.js"

export interface Sheet {
  readonly name: string
  /** The sheet's rows from its first non-empty row (the header), with their row numbers. */
  readonly records: ReadonlyArray<CsvRecord>
  readonly lastRow: number
}

const refuse = (reason: string, line?: number, column?: string) =>
  new AbsenceFileRefused({
    reason,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  })

const isoOfSerial = (serial: number): LocalDate.LocalDate | undefined => {
  const d = XLSX.SSF.parse_date_code(serial)
  if (d === null || d === undefined || d.y < 1900) return undefined
  return `${String(d.y).padStart(4, "0")}-${String(d.m).padStart(2, "0")}-${String(d.d).padStart(2, "0")}` as LocalDate.LocalDate
}

const isoOfDate = (d: Date): LocalDate.LocalDate =>
  // SheetJS builds date cells at local midnight; the local parts are the calendar date.
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}` as LocalDate.LocalDate

/** Reads the one sheet the mapping reads, or refuses the workbook (in Dutch). */
export const readSheet = (bytes: Uint8Array, mapping: Mapping, fileName: string): Sheet => {
  // SheetJS reads nearly anything (text becomes a one-sheet workbook): only a zip is an xlsx.
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04))
    throw refuse(
      bytes[0] === 0xd0 && bytes[1] === 0xcf
        ? `${fileName} is een oud Excel-bestand (.xls). Sla het op als .xlsx of als CSV.`
        : `${fileName} is geen leesbaar xlsx-bestand.`,
    )
  let book: XLSX.WorkBook
  try {
    book = XLSX.read(bytes, {
      type: "buffer",
      dense: true,
      cellFormula: true,
      cellDates: false,
      cellHTML: false,
    })
  } catch {
    throw refuse(`${fileName} is geen leesbaar xlsx-bestand.`)
  }
  if (book.SheetNames.length === 0) throw refuse(`${fileName} heeft geen tabbladen.`)
  const list = book.SheetNames.map((n) => `"${n}"`).join(", ")
  let name: string
  if (mapping.format.sheet !== undefined) {
    const wanted = mapping.format.sheet
    const found = book.SheetNames.find((n) => n.trim().toLowerCase() === wanted.toLowerCase())
    if (found === undefined)
      throw refuse(
        `${fileName} heeft geen tabblad "${wanted}" (dat noemt de koppeling "${mapping.name}"); wel: ${list}.`,
      )
    name = found
  } else if (book.SheetNames.length > 1) {
    throw refuse(
      `${fileName} heeft ${book.SheetNames.length} tabbladen (${list}). Lever één tabblad aan, ` +
        `of noem het tabblad in de koppeling (format.sheet).`,
    )
  } else name = book.SheetNames[0]!
  const sheet = book.Sheets[name]!
  const data = (sheet["!data"] ?? []) as Array<Array<XLSX.CellObject | undefined> | undefined>

  const dateColumns = new Set(
    [mapping.columns.date, mapping.columns.birthDate]
      .filter((c): c is string => c !== undefined)
      .map((c) => c.toLowerCase()),
  )
  const records: Array<CsvRecord> = []
  let dateIndexes: Set<number> | undefined
  for (let r = 0; r < data.length; r++) {
    const row = data[r]
    if (row === undefined) continue
    const fields: Array<string> = []
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]
      if (cell === undefined) {
        fields.push("")
        continue
      }
      if (cell.f !== undefined || cell.F !== undefined) {
        const address = XLSX.utils.encode_cell({ r, c })
        throw refuse(
          `Cel ${address} van tabblad "${name}" bevat een formule (=${String(cell.f ?? cell.F).slice(0, 40)}). ` +
            "Lever de export aan zoals het systeem hem maakt, of plak de waarden zonder formules.",
          r + 1,
          address,
        )
      }
      if (cell.t === "n" && dateIndexes?.has(c)) {
        const iso = isoOfSerial(cell.v as number)
        fields.push(iso === undefined ? String(cell.v) : formatDate(iso, mapping.format.dateFormat))
      } else if (cell.t === "d") {
        fields.push(formatDate(isoOfDate(cell.v as Date), mapping.format.dateFormat))
      } else if (cell.t === "z" || cell.v === undefined) fields.push("")
      else fields.push(String(cell.v))
    }
    if (dateIndexes === undefined) {
      if (fields.every((f) => f.trim() === "")) continue
      dateIndexes = new Set()
      fields.forEach((f, i) => {
        if (dateColumns.has(f.trim().toLowerCase())) dateIndexes!.add(i)
      })
    }
    records.push({ line: r + 1, fields })
  }
  return { name, records, lastRow: data.length }
}
