/**
 * Checks one record of an export against the mapping and the import's period: the part of the
 * reader that CSV and xlsx share. Every refusal names the line and the column as the school's
 * export names it, in Dutch.
 *
 * @since 0.1.0
 */
import { LocalDate } from "@verzuimregie/domain"
import { amountColumn, type Mapping } from "./Mapping.js"
import { AbsenceFileRefused, type ImportedRow, type RowProblem } from "./Rows.js"

/** A school day at most: 12 clock hours, 720 minutes or 14 lessons (see `Absence.AbsenceAmount`). */
export const MAX_MINUTES = 720
export const MAX_HOURS = 12
export const MAX_LESSONS = 14

export type DateFormat = Mapping["format"]["dateFormat"]

const PATTERNS: Readonly<Record<DateFormat, RegExp>> = {
  "dd-mm-jjjj": /^(\d{1,2})-(\d{1,2})-(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/,
  "dd/mm/jjjj": /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/,
  "jjjj-mm-dd": /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/,
}

/** Writes a date as the mapping's format says (for messages and for xlsx date cells). */
export const formatDate = (d: LocalDate.LocalDate, format: DateFormat): string => {
  const [y, m, day] = [d.slice(0, 4), d.slice(5, 7), d.slice(8, 10)]
  return format === "jjjj-mm-dd" ? d : format === "dd/mm/jjjj" ? `${day}/${m}/${y}` : `${day}-${m}-${y}`
}

/** A date in the mapping's format: the date, or why not (Dutch). A time after the date is ignored. */
export const parseDate = (
  text: string,
  format: DateFormat,
): { readonly date: LocalDate.LocalDate } | { readonly reason: string } => {
  const m = PATTERNS[format].exec(text)
  if (m === null) return { reason: `"${echo(text)}" is geen datum in de vorm ${format}` }
  const [year, month, day] =
    format === "jjjj-mm-dd"
      ? [Number(m[1]), Number(m[2]), Number(m[3])]
      : [Number(m[3]), Number(m[2]), Number(m[1])]
  if (month < 1 || month > 12 || day < 1 || day > LocalDate.daysInMonth(year, month))
    return { reason: `de datum ${text} bestaat niet` }
  return {
    date: `${year}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}` as LocalDate.LocalDate,
  }
}

const echo = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s)

/** A Dutch or plain number: `1,5`, `1.5`, `90`; hours also as `1:30`. NaN when not a number. */
export const parseAmount = (text: string, clock: boolean): number => {
  if (clock) {
    const c = /^(\d{1,2}):([0-5]\d)$/.exec(text)
    if (c !== null) return Number(c[1]) + Number(c[2]) / 60
  }
  if (!/^-?\d+(?:[.,]\d+)?$/.test(text)) return Number.NaN
  return Number(text.replace(",", "."))
}

const normal = (s: string) =>
  s
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()

/** Where the mapping's columns are in the header, or the names that are missing. */
export const locateColumns = (
  header: ReadonlyArray<string>,
  mapping: Mapping,
): { readonly index: Readonly<Record<string, number>> } | { readonly missing: ReadonlyArray<string> } => {
  const positions = new Map<string, number>()
  header.forEach((h, i) => {
    const key = normal(h)
    if (!positions.has(key)) positions.set(key, i)
  })
  const index: Record<string, number> = {}
  const missing: Array<string> = []
  for (const [role, name] of Object.entries(mapping.columns)) {
    if (name === undefined) continue
    const at = positions.get(normal(name))
    if (at === undefined) missing.push(name)
    else index[role] = at
  }
  return missing.length > 0 ? { missing } : { index }
}

export interface CheckOptions {
  readonly mapping: Mapping
  /** The mapping's name in messages. */
  readonly mappingName: string
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  readonly today: LocalDate.LocalDate
  readonly brin?: string | undefined
}

/**
 * Checks records one by one against a header. Keeps what duplicate detection needs (per pupil,
 * the day and code of each row: a few numbers per row), nothing else.
 */
export class RowChecker {
  private readonly idx: {
    pupil: number
    date: number
    code: number
    amount: number
    name?: number | undefined
    firstName?: number | undefined
    infix?: number | undefined
    lastName?: number | undefined
    birthDate?: number | undefined
    brin?: number | undefined
  }
  private readonly names: ReadonlyArray<string>
  private readonly unit: "minutes" | "hours" | "lessons"
  private readonly codes: Map<
    string,
    { code: string; index: number; kind: ImportedRow["kind"]; authorised: boolean }
  >
  private readonly seen = new Map<string, Map<number, number>>()
  private readonly fromDay: number
  private readonly toDay: number
  private readonly todayDay: number
  private readonly brin: string | undefined

  constructor(
    header: ReadonlyArray<string>,
    index: Readonly<Record<string, number>>,
    private readonly options: CheckOptions,
  ) {
    const { mapping } = options
    const amount = amountColumn(mapping)
    this.unit = amount.unit
    this.idx = {
      pupil: index.pupilNumber!,
      date: index.date!,
      code: index.code!,
      amount: index[amount.unit]!,
      name: index.name,
      firstName: index.firstName,
      infix: index.infix,
      lastName: index.lastName,
      birthDate: index.birthDate,
      brin: index.brin,
    }
    this.names = header.map((h) => h.replace(/^\uFEFF/, "").trim())
    this.codes = new Map()
    Object.entries(mapping.codes).forEach(([code, meaning], i) => {
      const entry = { code, index: i, kind: meaning.kind, authorised: meaning.authorised }
      this.codes.set(code, entry)
      const lower = code.toLowerCase()
      if (!this.codes.has(lower)) this.codes.set(lower, entry)
    })
    this.fromDay = LocalDate.toEpochDay(options.period.from)
    this.toDay = LocalDate.toEpochDay(options.period.to)
    this.todayDay = LocalDate.toEpochDay(options.today)
    this.brin = options.brin?.trim().toUpperCase()
  }

  /** The header's name of a column, for problems. */
  column(i: number): string {
    return this.names[i] ?? `kolom ${i + 1}`
  }

  /** The number of columns of the header. */
  get width(): number {
    return this.names.length
  }

  /**
   * One record: the row, or its problems. A record of another school throws
   * {@link AbsenceFileRefused}: that file must not land at all.
   */
  check(line: number, fields: ReadonlyArray<string>): ImportedRow | Array<RowProblem> {
    const problems: Array<RowProblem> = []
    const at = (i: number) => (fields[i] ?? "").trim()
    const problem = (i: number, reason: string) => problems.push({ line, column: this.column(i), reason })
    const { mapping } = this.options
    const idx = this.idx

    if (idx.brin !== undefined && this.brin !== undefined) {
      const brin = at(idx.brin).toUpperCase()
      if (brin === "") problem(idx.brin, "het BRIN-nummer ontbreekt")
      else if (brin !== this.brin)
        throw new AbsenceFileRefused({
          reason:
            `Dit bestand is van een andere school: regel ${line}, kolom ${this.column(idx.brin)} heeft ` +
            `BRIN ${echo(brin)}, deze import is voor BRIN ${this.brin}. Er is niets ingelezen.`,
          line,
          column: this.column(idx.brin),
        })
    }

    const pupilNumber = at(idx.pupil)
    if (pupilNumber === "") problem(idx.pupil, "het leerlingnummer ontbreekt")

    const dateText = at(idx.date)
    let date: LocalDate.LocalDate | undefined
    let day = 0
    if (dateText === "") problem(idx.date, "de datum ontbreekt")
    else {
      const parsed = parseDate(dateText, mapping.format.dateFormat)
      if ("reason" in parsed) problem(idx.date, parsed.reason)
      else {
        date = parsed.date
        day = LocalDate.toEpochDay(date)
        if (day > this.todayDay)
          problem(
            idx.date,
            `de datum ${dateText} ligt in de toekomst (vandaag is ${formatDate(this.options.today, mapping.format.dateFormat)})`,
          )
        else if (day < this.fromDay || day > this.toDay)
          problem(
            idx.date,
            `de datum ${dateText} valt buiten de periode van deze import ` +
              `(${formatDate(this.options.period.from, mapping.format.dateFormat)} t/m ${formatDate(this.options.period.to, mapping.format.dateFormat)})`,
          )
      }
    }

    const codeText = at(idx.code)
    const meaning = this.codes.get(codeText) ?? this.codes.get(codeText.toLowerCase())
    if (codeText === "") problem(idx.code, "de verzuimcode ontbreekt")
    else if (meaning === undefined)
      problem(
        idx.code,
        `onbekende verzuimcode "${echo(codeText)}": de koppeling "${this.options.mappingName}" kent die code niet ` +
          `(wel: ${Object.keys(mapping.codes).slice(0, 12).join(", ")}${Object.keys(mapping.codes).length > 12 ? ", …" : ""})`,
      )

    const amountText = at(idx.amount)
    let minutes = 0
    if (amountText === "") problem(idx.amount, "het aantal ontbreekt")
    else {
      const value = parseAmount(amountText, this.unit === "hours")
      const unitName = this.unit === "minutes" ? "minuten" : this.unit === "hours" ? "uren" : "lessen"
      const max = this.unit === "minutes" ? MAX_MINUTES : this.unit === "hours" ? MAX_HOURS : MAX_LESSONS
      if (Number.isNaN(value)) problem(idx.amount, `"${echo(amountText)}" is geen aantal ${unitName}`)
      else if (value <= 0)
        problem(idx.amount, `het aantal ${unitName} moet groter dan 0 zijn, niet ${amountText}`)
      else if (value > max)
        problem(
          idx.amount,
          `${amountText} ${unitName} is meer dan een schooldag (hoogstens ${max} ${unitName} op één dag)`,
        )
      else if (this.unit === "lessons" && !Number.isInteger(value))
        problem(idx.amount, `het aantal lessen is een geheel getal, niet ${amountText}`)
      else
        minutes =
          this.unit === "minutes"
            ? Math.round(value)
            : this.unit === "hours"
              ? Math.round(value * 60)
              : value * mapping.lessonMinutes
      if (minutes > MAX_MINUTES && problems.length === 0)
        problem(idx.amount, `${amountText} ${unitName} is meer dan een schooldag (meer dan 12 uur)`)
    }

    let birthDate: LocalDate.LocalDate | undefined
    if (idx.birthDate !== undefined) {
      const text = at(idx.birthDate)
      if (text !== "") {
        const parsed = parseDate(text, mapping.format.dateFormat)
        if ("date" in parsed) birthDate = parsed.date
        else problem(idx.birthDate, `geboortedatum: ${parsed.reason}`)
      }
    }

    if (problems.length > 0 || date === undefined || meaning === undefined) return problems

    let perPupil = this.seen.get(pupilNumber)
    if (perPupil === undefined) {
      perPupil = new Map()
      this.seen.set(pupilNumber, perPupil)
    }
    const key = day * 4096 + meaning.index
    const earlier = perPupil.get(key)
    if (earlier !== undefined)
      return [
        {
          line,
          column: "-",
          reason: `dubbele regel: leerling ${echo(pupilNumber)}, ${dateText}, code ${codeText} staat al op regel ${earlier}`,
        },
      ]
    perPupil.set(key, line)

    let name: string | undefined
    if (idx.name !== undefined) name = at(idx.name) || undefined
    else if (idx.firstName !== undefined || idx.lastName !== undefined) {
      const parts = [idx.firstName, idx.infix, idx.lastName]
        .map((i) => (i === undefined ? "" : at(i)))
        .filter((p) => p !== "")
      name = parts.length > 0 ? parts.join(" ") : undefined
    }

    return {
      line,
      pupilNumber,
      ...(name === undefined ? {} : { name }),
      ...(birthDate === undefined ? {} : { birthDate }),
      date,
      kind: meaning.kind,
      authorised: meaning.authorised,
      minutes,
      code: meaning.code,
    }
  }
}
