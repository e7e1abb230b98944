/**
 * Reads a school's export as a stream of validated rows: CSV through {@link Csv.parse} (records
 * in, batches of rows out, never the whole file in memory), xlsx through SheetJS (one sheet, no
 * formulas). Bad rows come out as problems between the batches; a file that cannot be read as the
 * mapping says rejects with {@link AbsenceFileRefused}, and then nothing of it may land.
 *
 * @since 0.1.0
 */
import type { LocalDate } from "@verzuimregie/domain"
import * as Csv from "./Csv.js"
import type { Mapping } from "./Mapping.js"
import { AbsenceFileRefused, type FileFormat, type ImportedRow, type RowProblem } from "./Rows.js"
import { locateColumns, RowChecker } from "./Validate.js"
import { readSheet } from "./Xlsx.js"

export { AbsenceFileRefused } from "./Rows.js"

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
  /** Rows per batch; default {@link BATCH_SIZE}. */
  readonly batchSize?: number | undefined
}

/** Rows per batch by default: large enough for fast inserts, small enough for steady memory. */
export const BATCH_SIZE = 5000

/** Largest xlsx the reader opens (SheetJS holds a workbook in memory; CSV has no limit). */
export const MAX_XLSX_BYTES = 64 * 1024 * 1024

/**
 * One step of the stream: a batch of good rows, or a bad row. `bytesRead` is how far into the
 * file the reader is, for a progress bar.
 */
export type ReadItem =
  | { readonly _tag: "rows"; readonly rows: ReadonlyArray<ImportedRow>; readonly bytesRead: number }
  | { readonly _tag: "problem"; readonly problem: RowProblem }

export interface ReadResult {
  readonly format: FileFormat
  /** Lines of the file, header included (xlsx: the sheet's last row number). */
  readonly lines: number
  /** Data rows read (good and bad; empty lines not counted). */
  readonly rows: number
}

/**
 * Reads `source` batch by batch; a file-level problem rejects the iteration with
 * {@link AbsenceFileRefused} (possibly after some batches: the caller's import is atomic).
 * Duplicate rows (same pupil, date and code) are bad rows. `result()` is complete once `items` is
 * done; before that it tells what is known so far.
 *
 * @example
 * const { items, result } = Reader.read(createReadStream(path), { mapping, period, today, fileName })
 * for await (const item of items) if (item._tag === "rows") insert(item.rows); else report(item.problem)
 * result().format // { kind: "csv", delimiter: ";", encoding: "windows-1252" }
 */
export const read = (
  source: AsyncIterable<Uint8Array>,
  options: ReadOptions,
): { readonly items: AsyncIterable<ReadItem>; readonly result: () => ReadResult } => {
  const state: { format: FileFormat; lines: number; rows: number } = {
    format: { kind: isXlsx(options.fileName) ? "xlsx" : "csv" },
    lines: 0,
    rows: 0,
  }
  const items: AsyncIterable<ReadItem> = {
    [Symbol.asyncIterator]: () =>
      (state.format.kind === "xlsx" ? readXlsx(source, options, state) : readCsv(source, options, state))[
        Symbol.asyncIterator
      ](),
  }
  return { items, result: () => ({ format: state.format, lines: state.lines, rows: state.rows }) }
}

const isXlsx = (fileName: string) => /\.xlsx$/i.test(fileName)

const refuse = (reason: string, line?: number, column?: string): AbsenceFileRefused =>
  new AbsenceFileRefused({
    reason,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
  })

const mappingName = (options: ReadOptions) => options.mapping.name

const requiredColumns = (mapping: Mapping): string =>
  Object.values(mapping.columns)
    .filter((c): c is string => c !== undefined)
    .map((c) => `"${c}"`)
    .join(", ")

/** The delimiter whose split of the header holds every column of the mapping, or a refusal. */
const chooseDelimiter =
  (mapping: Mapping, fileName: string) =>
  (firstLine: string): Csv.Delimiter => {
    if (firstLine.startsWith("PK\u0003\u0004") || firstLine.includes("\u0000"))
      throw refuse(
        `${fileName} is geen CSV-bestand (het lijkt een Excel- of ander binair bestand). ` +
          "Geef een .xlsx-bestand de naam met .xlsx, of sla de export op als CSV.",
        1,
      )
    const wanted = mapping.format.delimiter
    const candidates = wanted === "auto" ? Csv.DELIMITERS : [wanted]
    for (const d of candidates) if ("index" in locateColumns(Csv.splitLine(firstLine, d), mapping)) return d
    if (wanted !== "auto") {
      const other = Csv.DELIMITERS.find(
        (d) => d !== wanted && "index" in locateColumns(Csv.splitLine(firstLine, d), mapping),
      )
      if (other !== undefined)
        throw refuse(
          `Verkeerd scheidingsteken: de koppeling "${mapping.name}" zegt ${Csv.delimiterName(wanted)}, ` +
            `maar de kopregel (regel 1) is gescheiden met ${Csv.delimiterName(other)}.`,
          1,
        )
    }
    const widest = Csv.detectDelimiter(firstLine)
    const header = Csv.splitLine(firstLine, widest)
    if (header.length <= 1)
      throw refuse(
        "De kopregel (regel 1) heeft maar één kolom: het bestand is niet gescheiden met een puntkomma, " +
          `komma of tab, of het is geen CSV-export. De koppeling "${mapping.name}" verwacht de kolommen ` +
          `${requiredColumns(mapping)}.`,
        1,
      )
    const located = locateColumns(header, mapping)
    const missing = "missing" in located ? located.missing : []
    throw refuse(
      `De kopregel (regel 1) mist ${missing.length === 1 ? "de kolom" : "de kolommen"} ` +
        `${missing.map((c) => `"${c}"`).join(", ")} van de koppeling "${mapping.name}" ` +
        `(gevonden: ${header
          .slice(0, 20)
          .map((h) => `"${h.trim()}"`)
          .join(", ")}). Is dit de export waar de koppeling voor is?`,
      1,
    )
  }

async function* readCsv(
  source: AsyncIterable<Uint8Array>,
  options: ReadOptions,
  state: { format: FileFormat; lines: number; rows: number },
): AsyncGenerator<ReadItem> {
  const { mapping } = options
  const csv = Csv.parse(source, {
    delimiter: chooseDelimiter(mapping, options.fileName),
    encoding: mapping.format.encoding,
  })
  const batchSize = options.batchSize ?? BATCH_SIZE
  let checker: RowChecker | undefined
  let rows: Array<ImportedRow> = []
  /** A record with too few fields: a problem, unless it is the last one (then the file is cut off). */
  let short: { line: number; count: number } | undefined
  const shortProblem = (s: { line: number; count: number }, width: number): RowProblem => ({
    line: s.line,
    column: "-",
    reason: `de regel heeft ${s.count} ${s.count === 1 ? "veld" : "velden"}, de kopregel ${width}`,
  })

  for await (const batch of csv) {
    state.format = {
      kind: "csv",
      delimiter: csv.delimiter(),
      encoding: csv.encoding(),
    }
    for (const record of batch) {
      if (checker === undefined) {
        const located = locateColumns(record.fields, mapping)
        // chooseDelimiter already made sure the header has every column.
        if (!("index" in located))
          throw refuse(`De kopregel mist kolommen van de koppeling "${mappingName(options)}".`, 1)
        checker = new RowChecker(record.fields, located.index, {
          mapping,
          mappingName: mappingName(options),
          period: options.period,
          today: options.today,
          brin: options.brin,
        })
        continue
      }
      const fields = record.fields
      if (isEmpty(fields)) continue
      state.rows++
      if (short !== undefined) {
        yield { _tag: "problem", problem: shortProblem(short, checker.width) }
        short = undefined
      }
      if (fields.length < checker.width) {
        short = { line: record.line, count: fields.length }
        continue
      }
      if (fields.length > checker.width && !allEmptyFrom(fields, checker.width)) {
        yield {
          _tag: "problem",
          problem: {
            line: record.line,
            column: "-",
            reason:
              `de regel heeft ${fields.length} velden, de kopregel ${checker.width}: ` +
              "staat er een scheidingsteken in een veld zonder aanhalingstekens?",
          },
        }
        continue
      }
      const checked = checker.check(record.line, fields)
      if (Array.isArray(checked)) {
        for (const problem of checked) yield { _tag: "problem", problem }
      } else {
        rows.push(checked)
        if (rows.length >= batchSize) {
          yield { _tag: "rows", rows, bytesRead: csv.bytesRead() }
          rows = []
        }
      }
    }
  }
  state.lines = csv.lines()
  state.format = { kind: "csv", delimiter: csv.delimiter(), encoding: csv.encoding() ?? "utf-8" }
  if (checker === undefined) throw refuse(`${options.fileName} is leeg: er staat geen kopregel in.`)
  if (short !== undefined)
    throw refuse(
      `Het bestand is afgebroken: de laatste regel (${short.line}) heeft ${short.count} van de ` +
        `${checker.width} velden. Maak de export opnieuw.`,
      short.line,
    )
  if (rows.length > 0) yield { _tag: "rows", rows, bytesRead: csv.bytesRead() }
}

const isEmpty = (fields: ReadonlyArray<string>): boolean => {
  for (const f of fields) if (f.trim() !== "") return false
  return true
}

const allEmptyFrom = (fields: ReadonlyArray<string>, from: number): boolean => {
  for (let i = from; i < fields.length; i++) if (fields[i]!.trim() !== "") return false
  return true
}

async function* readXlsx(
  source: AsyncIterable<Uint8Array>,
  options: ReadOptions,
  state: { format: FileFormat; lines: number; rows: number },
): AsyncGenerator<ReadItem> {
  const { mapping } = options
  const parts: Array<Uint8Array> = []
  let size = 0
  for await (const chunk of source) {
    size += chunk.byteLength
    if (size > MAX_XLSX_BYTES)
      throw refuse(
        `${options.fileName} is groter dan ${MAX_XLSX_BYTES / 1024 / 1024} MB; lever zo'n grote export als CSV aan.`,
      )
    parts.push(chunk)
  }
  const sheet = readSheet(Buffer.concat(parts), mapping, options.fileName)
  state.format = { kind: "xlsx", sheet: sheet.name }
  state.lines = sheet.lastRow
  const [header, ...records] = sheet.records
  if (header === undefined) throw refuse(`Het tabblad "${sheet.name}" is leeg: er staat geen kopregel in.`)
  const located = locateColumns(header.fields, mapping)
  if ("missing" in located)
    throw refuse(
      `De kopregel (rij ${header.line}) van tabblad "${sheet.name}" mist ` +
        `${located.missing.length === 1 ? "de kolom" : "de kolommen"} ${located.missing.map((c) => `"${c}"`).join(", ")} ` +
        `van de koppeling "${mapping.name}" (gevonden: ${header.fields
          .filter((h) => h.trim() !== "")
          .slice(0, 20)
          .map((h) => `"${h.trim()}"`)
          .join(", ")}).`,
      header.line,
    )
  const checker = new RowChecker(header.fields, located.index, {
    mapping,
    mappingName: mappingName(options),
    period: options.period,
    today: options.today,
    brin: options.brin,
  })
  const batchSize = options.batchSize ?? BATCH_SIZE
  let rows: Array<ImportedRow> = []
  for (const record of records) {
    if (isEmpty(record.fields)) continue
    state.rows++
    const checked = checker.check(record.line, record.fields)
    if (Array.isArray(checked)) {
      for (const problem of checked) yield { _tag: "problem", problem }
    } else {
      rows.push(checked)
      if (rows.length >= batchSize) {
        yield { _tag: "rows", rows, bytesRead: size }
        rows = []
      }
    }
  }
  if (rows.length > 0) yield { _tag: "rows", rows, bytesRead: size }
}
