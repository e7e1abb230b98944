/**
 * What the reader hands on: validated rows, and the problems of rows and files, each with the line
 * and column a school's administrator can find in their own export.
 *
 * @since 0.1.0
 */
import type { Absence, LocalDate } from "@verzuimregie/domain"

/** One validated absence row of a school's export. */
export interface ImportedRow {
  /** Line in the file (1-based, the header is line 1); for xlsx the sheet's row number. */
  readonly line: number
  /** The school's own pupil number (leerlingnummer), as text. */
  readonly pupilNumber: string
  /** The pupil's name, when the mapping names a column for it. */
  readonly name?: string | undefined
  readonly birthDate?: LocalDate.LocalDate | undefined
  readonly date: LocalDate.LocalDate
  readonly kind: Absence.AbsenceKind
  readonly authorised: boolean
  /** Time missed in minutes (hours and lessons converted with the mapping's lesson length). */
  readonly minutes: number
  /** The school's own absence code, as it stood in the file (for the report and corrections). */
  readonly code: string
}

/** A row the reader refused: where, and why, in Dutch. */
export interface RowProblem {
  readonly line: number
  /** The column's header as the file names it (`Datum`, `Code`), or `-` for the whole row. */
  readonly column: string
  readonly reason: string
}

/**
 * A problem with the whole file: it cannot be read as the mapping says (wrong delimiter or
 * encoding, missing columns, a truncated file, several sheets, formulas, another school's file).
 */
export interface FileProblem {
  readonly reason: string
  readonly line?: number | undefined
  readonly column?: string | undefined
}

/** How the reader read the file, for the report. */
export interface FileFormat {
  readonly kind: "csv" | "xlsx"
  readonly delimiter?: ";" | "," | "\t" | undefined
  readonly encoding?: "utf-8" | "windows-1252" | undefined
  readonly sheet?: string | undefined
}

/** The file cannot be read as an absence export; the message is Dutch. Nothing of it may land. */
export class AbsenceFileRefused extends Error {
  readonly _tag = "AbsenceFileRefused"
  constructor(readonly problem: FileProblem) {
    super(problem.reason)
  }
}
