/**
 * Reads a school's export as a stream of validated rows.
 *
 * @since 0.1.0
 */
import type { LocalDate } from "@verzuimregie/domain"
import type { Mapping } from "./Mapping.js"
import type { FileFormat, FileProblem, ImportedRow, RowProblem } from "./Rows.js"

export interface ReadOptions {
  readonly mapping: Mapping
  /** The period the import declares: rows outside it are bad rows. */
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  /** Today (Europe/Amsterdam): rows dated after it are bad rows. */
  readonly today: LocalDate.LocalDate
  /** The importing school's BRIN, checked against the mapping's `brin` column when it has one. */
  readonly brin?: string | undefined
  /** File name, for the format (`.xlsx` or else CSV) and messages. */
  readonly fileName: string
}

/** One step of the stream: a batch of good rows, or a bad row. */
export type ReadItem =
  | { readonly _tag: "rows"; readonly rows: ReadonlyArray<ImportedRow>; readonly bytesRead: number }
  | { readonly _tag: "problem"; readonly problem: RowProblem }

export interface ReadResult {
  readonly format: FileFormat
  readonly lines: number
}

/**
 * Reads `source` batch by batch; a file-level problem rejects with {@link AbsenceFileRefused}.
 * Duplicate rows (same pupil, date and code) are bad rows.
 */
export const read = (
  _source: AsyncIterable<Uint8Array>,
  _options: ReadOptions,
): { readonly items: AsyncIterable<ReadItem>; readonly result: () => ReadResult } => {
  throw new Error("Reader.read: not built yet (issue 15)")
}

/** The file cannot be read as an absence export; the message is Dutch. */
export class AbsenceFileRefused extends Error {
  readonly _tag = "AbsenceFileRefused"
  constructor(readonly problem: FileProblem) {
    super(problem.reason)
  }
}
