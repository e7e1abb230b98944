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
  const small = smallInteger(text)
  if (small >= 0) return small
  if (clock) {
    const c = /^(\d{1,2}):([0-5]\d)$/.exec(text)
    if (c !== null) return Number(c[1]) + Number(c[2]) / 60
  }
  if (!/^-?\d+(?:[.,]\d+)?$/.test(text)) return Number.NaN
  return Number(text.replace(",", "."))
}

/** `text` as a number when it is 1–4 digits, else -1 (the common case, without a regex). */
const smallInteger = (text: string): number => {
  const n = text.length
  if (n === 0 || n > 4) return -1
  let value = 0
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    value = value * 10 + c
  }
  return value
}

/**
 * The eight digits of a 10-character date text as one number when the text has exactly the
 * format's shape (`dd-mm-jjjj`: separators at 2 and 5), else -1. Same number, same text.
 */
const dateDigits = (text: string, format: DateFormat): number => {
  if (text.length !== 10) return -1
  const iso = format === "jjjj-mm-dd"
  const sep = format === "dd/mm/jjjj" ? 47 : 45
  if (text.charCodeAt(iso ? 4 : 2) !== sep || text.charCodeAt(iso ? 7 : 5) !== sep) return -1
  let value = 0
  for (let i = 0; i < 10; i++) {
    if (iso ? i === 4 || i === 7 : i === 2 || i === 5) continue
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    value = value * 10 + c
  }
  return value
}

/** A field, trimmed (only when it needs it: most fields do not). */
const cell = (fields: ReadonlyArray<string>, i: number): string => {
  const f = fields[i]
  if (f === undefined) return ""
  const n = f.length
  return n > 0 && (f.charCodeAt(0) <= 32 || f.charCodeAt(n - 1) <= 32) ? f.trim() : f
}

const join = (a: string, b: string): string => (a === "" ? b : b === "" ? a : `${a} ${b}`)

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
  /**
   * Per pupil, the (day, code) keys seen with their lines: a flat array of pairs while short (a
   * pupil has a few dozen rows a year; small arrays cost far less memory than a Map each), a Map
   * once long.
   */
  private readonly seen = new Map<string, Array<number> | Map<number, number>>()
  /** The pupil of the previous remembered row and its entry in `seen`. */
  private lastPupil: string | undefined
  private lastKnown: Array<number> | Map<number, number> | undefined
  /** The previous good row's name cells and name: a pupil's rows repeat them, so rows share one string. */
  private lastNameCells: [string, string, string] = ["", "", ""]
  private lastName: string | undefined
  /** The previous birth date text and its parse (a pupil's rows repeat it). */
  private lastBirthText: string | undefined
  private lastBirth:
    | { readonly date: LocalDate.LocalDate; readonly day: number }
    | { readonly reason: string }
    | undefined
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
  /** The line of an earlier row with `key` for this pupil, or undefined after noting this one. */
  private remember(pupilNumber: string, key: number, line: number): number | undefined {
    // Exports list a pupil's rows together: the previous row's entry saves a hash lookup.
    let known: Array<number> | Map<number, number> | undefined
    if (pupilNumber === this.lastPupil && this.lastKnown !== undefined) known = this.lastKnown
    else {
      known = this.seen.get(pupilNumber)
      if (known === undefined) {
        known = [key, line]
        this.seen.set(pupilNumber, known)
        this.lastPupil = pupilNumber
        this.lastKnown = known
        return undefined
      }
      this.lastPupil = pupilNumber
      this.lastKnown = known
    }
    if (Array.isArray(known)) {
      for (let i = 0; i < known.length; i += 2) if (known[i] === key) return known[i + 1]
      if (known.length < 256) {
        known.push(key, line)
        return undefined
      }
      const map = new Map<number, number>()
      for (let i = 0; i < known.length; i += 2) map.set(known[i]!, known[i + 1]!)
      map.set(key, line)
      this.seen.set(pupilNumber, map)
      this.lastKnown = map
      return undefined
    }
    const earlier = known.get(key)
    if (earlier === undefined) known.set(key, line)
    return earlier
  }

  /** Parsed dates by their text: an export has a few hundred distinct days in a million rows. */
  private readonly dates = new Map<
    string,
    { readonly date: LocalDate.LocalDate; readonly day: number } | { readonly reason: string }
  >()

  /** The same, keyed by the digits of a date text in the exact `dd-mm-jjjj` shape: no string hashing. */
  private readonly datesByDigits = new Map<
    number,
    { readonly date: LocalDate.LocalDate; readonly day: number } | { readonly reason: string }
  >()

  private date(
    text: string,
  ): { readonly date: LocalDate.LocalDate; readonly day: number } | { readonly reason: string } {
    const digits = dateDigits(text, this.options.mapping.format.dateFormat)
    if (digits >= 0) {
      let found = this.datesByDigits.get(digits)
      if (found === undefined) {
        found = this.parsed(text)
        if (this.datesByDigits.size > 50_000) this.datesByDigits.clear()
        this.datesByDigits.set(digits, found)
      }
      return found
    }
    let found = this.dates.get(text)
    if (found === undefined) {
      found = this.parsed(text)
      if (this.dates.size > 50_000) this.dates.clear()
      this.dates.set(text, found)
    }
    return found
  }

  private parsed(
    text: string,
  ): { readonly date: LocalDate.LocalDate; readonly day: number } | { readonly reason: string } {
    const parsed = parseDate(text, this.options.mapping.format.dateFormat)
    return "date" in parsed ? { date: parsed.date, day: LocalDate.toEpochDay(parsed.date) } : parsed
  }

  private problem(
    problems: Array<RowProblem> | undefined,
    line: number,
    i: number,
    reason: string,
  ): Array<RowProblem> {
    const list = problems ?? []
    list.push({ line, column: this.column(i), reason })
    return list
  }

  /**
   * One record: the row, or its problems. A record of another school throws
   * {@link AbsenceFileRefused}: that file must not land at all. (Written for speed: no closures
   * or arrays per good row, dates parsed once per distinct text.)
   */
  check(line: number, fields: ReadonlyArray<string>): ImportedRow | Array<RowProblem> {
    let problems: Array<RowProblem> | undefined
    const { mapping } = this.options
    const idx = this.idx
    const format = mapping.format.dateFormat

    if (idx.brin !== undefined && this.brin !== undefined) {
      const raw = cell(fields, idx.brin)
      // Most rows carry the BRIN as written: no upper-casing needed.
      const brin = raw === this.brin ? raw : raw.toUpperCase()
      if (brin === "") problems = this.problem(problems, line, idx.brin, "het BRIN-nummer ontbreekt")
      else if (brin !== this.brin)
        throw new AbsenceFileRefused({
          reason:
            `Dit bestand is van een andere school: regel ${line}, kolom ${this.column(idx.brin)} heeft ` +
            `BRIN ${echo(brin)}, deze import is voor BRIN ${this.brin}. Er is niets ingelezen.`,
          line,
          column: this.column(idx.brin),
        })
    }

    const pupilNumber = cell(fields, idx.pupil)
    if (pupilNumber === "") problems = this.problem(problems, line, idx.pupil, "het leerlingnummer ontbreekt")

    const dateText = cell(fields, idx.date)
    let date: LocalDate.LocalDate | undefined
    let day = 0
    if (dateText === "") problems = this.problem(problems, line, idx.date, "de datum ontbreekt")
    else {
      const parsed = this.date(dateText)
      if ("reason" in parsed) problems = this.problem(problems, line, idx.date, parsed.reason)
      else {
        date = parsed.date
        day = parsed.day
        if (day > this.todayDay)
          problems = this.problem(
            problems,
            line,
            idx.date,
            `de datum ${dateText} ligt in de toekomst (vandaag is ${formatDate(this.options.today, format)})`,
          )
        else if (day < this.fromDay || day > this.toDay)
          problems = this.problem(
            problems,
            line,
            idx.date,
            "de datum " +
              dateText +
              " valt buiten de periode van deze import " +
              `(${formatDate(this.options.period.from, format)} t/m ${formatDate(this.options.period.to, format)})`,
          )
      }
    }

    const codeText = cell(fields, idx.code)
    const meaning = this.codes.get(codeText) ?? this.codes.get(codeText.toLowerCase())
    if (codeText === "") problems = this.problem(problems, line, idx.code, "de verzuimcode ontbreekt")
    else if (meaning === undefined) {
      const known = Object.keys(mapping.codes)
      problems = this.problem(
        problems,
        line,
        idx.code,
        `onbekende verzuimcode "${echo(codeText)}": de koppeling "${this.options.mappingName}" kent die code niet ` +
          `(wel: ${known.slice(0, 12).join(", ")}${known.length > 12 ? ", …" : ""})`,
      )
    }

    const amountText = cell(fields, idx.amount)
    let minutes = 0
    if (amountText === "") problems = this.problem(problems, line, idx.amount, "het aantal ontbreekt")
    else {
      const unit = this.unit
      const value = parseAmount(amountText, unit === "hours")
      const unitName = unit === "minutes" ? "minuten" : unit === "hours" ? "uren" : "lessen"
      const max = unit === "minutes" ? MAX_MINUTES : unit === "hours" ? MAX_HOURS : MAX_LESSONS
      let reason: string | undefined
      if (Number.isNaN(value)) reason = `"${echo(amountText)}" is geen aantal ${unitName}`
      else if (value <= 0) reason = `het aantal ${unitName} moet groter dan 0 zijn, niet ${amountText}`
      else if (value > max)
        reason = `${amountText} ${unitName} is meer dan een schooldag (hoogstens ${max} ${unitName} op één dag)`
      else if (unit === "lessons" && !Number.isInteger(value))
        reason = `het aantal lessen is een geheel getal, niet ${amountText}`
      else {
        minutes =
          unit === "minutes"
            ? Math.round(value)
            : unit === "hours"
              ? Math.round(value * 60)
              : value * mapping.lessonMinutes
        if (minutes > MAX_MINUTES)
          reason = `${amountText} ${unitName} is meer dan een schooldag (meer dan 12 uur of ${MAX_MINUTES} minuten)`
      }
      if (reason !== undefined) problems = this.problem(problems, line, idx.amount, reason)
    }

    let birthDate: LocalDate.LocalDate | undefined
    if (idx.birthDate !== undefined) {
      const text = cell(fields, idx.birthDate)
      if (text !== "") {
        let parsed = this.lastBirth
        if (parsed === undefined || text !== this.lastBirthText) {
          parsed = this.date(text)
          this.lastBirthText = text
          this.lastBirth = parsed
        }
        if ("date" in parsed) birthDate = parsed.date
        else problems = this.problem(problems, line, idx.birthDate, `geboortedatum: ${parsed.reason}`)
      }
    }

    if (problems !== undefined) return problems
    if (date === undefined || meaning === undefined) return [] // unreachable: each has a problem

    const key = (day - this.fromDay) * 4096 + meaning.index
    const earlier = this.remember(pupilNumber, key, line)
    if (earlier !== undefined)
      return [
        {
          line,
          column: "-",
          reason: `dubbele regel: leerling ${echo(pupilNumber)}, ${dateText}, code ${codeText} staat al op regel ${earlier}`,
        },
      ]

    let name: string | undefined
    if (idx.name !== undefined) name = cell(fields, idx.name)
    else if (idx.firstName !== undefined || idx.lastName !== undefined) {
      const first = idx.firstName === undefined ? "" : cell(fields, idx.firstName)
      const infix = idx.infix === undefined ? "" : cell(fields, idx.infix)
      const last = idx.lastName === undefined ? "" : cell(fields, idx.lastName)
      const seen = this.lastNameCells
      if (this.lastName !== undefined && first === seen[0] && infix === seen[1] && last === seen[2])
        name = this.lastName
      else {
        name = join(join(first, infix), last)
        seen[0] = first
        seen[1] = infix
        seen[2] = last
        this.lastName = name
      }
    }

    return {
      line,
      // remember() keeps the first string of a run of this pupil's rows: rows share it.
      pupilNumber: this.lastPupil ?? pupilNumber,
      name: name === "" ? undefined : name,
      birthDate,
      date,
      kind: meaning.kind,
      authorised: meaning.authorised,
      minutes,
      code: meaning.code,
    }
  }
}
