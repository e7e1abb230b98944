/**
 * Synthetic absence exports: a school year of absence for synthetic pupils, written the way each
 * example mapping reads it (Magister: `;` and Windows-1252; SOMtoday: `,` and UTF-8; ParnasSys:
 * tabs and UTF-8 with BOM; Eduarte: xlsx). For tests, demos and benchmarks; deterministic per
 * seed. Names come from the domain's sample name lists: the pupils are synthetic.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import {
  type Absence,
  type AbsenceSignal,
  Calendars,
  LocalDate,
  type Region,
  type SchoolCalendar,
} from "@verzuimregie/domain"
import {
  type AbsenceProfile,
  backgroundWeights,
  makeGenerator,
  names,
  Random,
} from "@verzuimregie/domain/sample"
import { Either } from "effect"
import * as XLSX from "xlsx"
import * as Mapping from "./Mapping.js"
import { formatDate } from "./Validate.js"

/** The systems with a shipped example mapping (the mapping's name is the system's). */
export type System = "magister" | "somtoday" | "parnassys" | "eduarte"
export const SYSTEMS: ReadonlyArray<System> = ["magister", "somtoday", "parnassys", "eduarte"]

export interface SchoolYearOptions {
  readonly system: System
  /** Written in the BRIN column when the system's mapping has one. */
  readonly schoolBrin: string
  /** Synthetic pupils besides `extraPupils`. */
  readonly pupils: number
  readonly seed: number
  /** The school year by its first calendar year (`2025` for 2025/26) or label (`2025/26`). */
  readonly schoolYear: number | string
  /** Holiday region of the school's calendar (default `midden`). */
  readonly region?: Region.HolidayRegion | undefined
  /** Last day with absence (default: the school year's last day), e.g. today for a running year. */
  readonly until?: LocalDate.LocalDate | undefined
  /**
   * Pupils planted exactly as given (their records and birth date), e.g. one per signal type.
   * Their pupil numbers must not look like the generated ones (those are all digits of the
   * system's width; use letters, `T-001`).
   */
  readonly extraPupils?: ReadonlyArray<AbsenceSignal.PupilAbsence> | undefined
  /** `csv` or `xlsx`; default the system's own (xlsx for Eduarte, CSV for the others). */
  readonly format?: "csv" | "xlsx" | undefined
}

export interface SampleFile {
  readonly fileName: string
  readonly bytes: Uint8Array
  /** The shipped mapping that reads it (`Mapping.shipped()` name). */
  readonly mapping: System
  /** The school year (or the part up to `until`): the period to import it with. */
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  /** Every pupil in the file with the records written for them (extras included). */
  readonly pupils: ReadonlyArray<AbsenceSignal.PupilAbsence>
  /** Data rows (the header not counted). */
  readonly rows: number
}

interface Layout {
  readonly order: ReadonlyArray<keyof Mapping.Mapping["columns"]>
  readonly format: "csv" | "xlsx"
  readonly delimiter: ";" | "," | "\t"
  readonly encoding: "utf-8" | "windows-1252"
  readonly bom: boolean
  readonly newline: "\r\n" | "\n"
  readonly level: "PO" | "VO" | "MBO"
  readonly pupilNumber: (i: number) => string
}

const LAYOUTS: Readonly<Record<System, Layout>> = {
  magister: {
    order: ["brin", "pupilNumber", "firstName", "infix", "lastName", "birthDate", "date", "lessons", "code"],
    format: "csv",
    delimiter: ";",
    encoding: "windows-1252",
    bom: false,
    newline: "\r\n",
    level: "VO",
    pupilNumber: (i) => String(110_001 + i),
  },
  somtoday: {
    order: ["brin", "pupilNumber", "firstName", "infix", "lastName", "birthDate", "date", "minutes", "code"],
    format: "csv",
    delimiter: ",",
    encoding: "utf-8",
    bom: false,
    newline: "\n",
    level: "VO",
    pupilNumber: (i) => String(20_250_001 + i),
  },
  parnassys: {
    order: ["pupilNumber", "name", "birthDate", "date", "hours", "code"],
    format: "csv",
    delimiter: "\t",
    encoding: "utf-8",
    bom: true,
    newline: "\r\n",
    level: "PO",
    pupilNumber: (i) => String(1001 + i),
  },
  eduarte: {
    order: ["brin", "pupilNumber", "firstName", "infix", "lastName", "birthDate", "date", "hours", "code"],
    format: "xlsx",
    delimiter: ";",
    encoding: "utf-8",
    bom: false,
    newline: "\n",
    level: "MBO",
    pupilNumber: (i) => String(1_000_001 + i),
  },
}

const AGES: Readonly<Record<Layout["level"], readonly [number, number]>> = {
  PO: [4, 12],
  VO: [12, 17],
  MBO: [16, 20],
}

const PROFILES: ReadonlyArray<readonly [AbsenceProfile, number]> = [
  ["regulier", 86],
  ["grijs", 4],
  ["spijbelaar", 4],
  ["ziek", 4],
  ["langdurig", 1],
  ["luxe", 1],
]

const mappings = new Map<System, Mapping.Mapping>()
/** The shipped mapping of a system, read once. */
export const mappingOf = (system: System): Mapping.Mapping => {
  let m = mappings.get(system)
  if (m === undefined) {
    const found = Mapping.shipped().find((s) => s.name === system)
    if (found === undefined) throw new Error(`no shipped mapping for ${system}`)
    m = Either.getOrThrowWith(Mapping.parse(readFileSync(found.path, "utf8"), found.path), (e) => e)
    mappings.set(system, m)
  }
  return m
}

const startYearOf = (y: number | string): number => {
  const n = typeof y === "number" ? y : Number(/^(\d{4})/.exec(y)?.[1])
  if (!Number.isInteger(n)) throw new RangeError(`not a school year: ${y}`)
  return n
}

/** One pupil as a row writer needs it. */
interface Pupil {
  readonly pupilNumber: string
  readonly firstName: string
  readonly infix: string
  readonly lastName: string
  readonly birthDate: LocalDate.LocalDate | undefined
  readonly records: ReadonlyArray<Absence.AbsenceRecord>
}

/** The pupils of a sample, generated one by one (a large sample never sits in memory whole). */
function* pupilsOf(options: SchoolYearOptions): Generator<Pupil> {
  const layout = LAYOUTS[options.system]
  const mapping = mappingOf(options.system)
  const year = LocalDate.schoolYear(startYearOf(options.schoolYear))
  const to = options.until === undefined ? year.end : LocalDate.min(options.until, year.end)
  const calendars: SchoolCalendar.Calendars = Calendars.byRegion[options.region ?? "midden"]
  const random = Random.fromSeed(options.seed).derive(`absence-sample:${options.system}`)
  const generator = makeGenerator(options.seed)
  const unit = mapping.columns.lessons !== undefined ? "lessons" : "hours"
  const [minAge, maxAge] = AGES[layout.level]
  for (const extra of options.extraPupils ?? []) {
    yield {
      pupilNumber: extra.pupilNumber,
      firstName: "Test",
      infix: "",
      lastName: `Leerling ${extra.pupilNumber}`,
      birthDate: extra.birthDate,
      records: extra.records,
    }
  }
  for (let i = 0; i < options.pupils; i++) {
    const background = random.weighted(backgroundWeights)
    const set = names[background]
    const firstName = random.pick(random.chance(0.5) ? set.boys : set.girls)
    const family = random.pick(set.families)
    const age = random.int(minAge, maxAge)
    const birthDate = LocalDate.addDays(
      LocalDate.fromParts(year.startYear - age - 1, 10, 1),
      random.int(0, 364),
    )
    const profile = random.weighted(PROFILES)
    yield {
      pupilNumber: layout.pupilNumber(i),
      firstName,
      infix: family.prefix ?? "",
      lastName: family.name,
      birthDate,
      records: generator.absenceRecords({
        from: year.start,
        to,
        profile,
        calendars,
        unit,
        level: layout.level,
      }),
    }
  }
}

/** The cell texts of one pupil's rows, in the layout's column order (dates and amounts as the mapping reads them). */
function* rowsOf(
  system: System,
  pupil: Pupil,
): Generator<Array<string | { readonly date: LocalDate.LocalDate }>> {
  const layout = LAYOUTS[system]
  const mapping = mappingOf(system)
  const amount = Mapping.amountColumn(mapping)
  const codes = Object.entries(mapping.codes)
  const dutch = system === "parnassys" || system === "magister"
  for (const r of pupil.records) {
    const code = codes.find(([, m]) => m.kind === r.kind && m.authorised === r.authorised)?.[0]
    if (code === undefined)
      throw new Error(
        `mapping ${system} has no code for ${r.kind} (${r.authorised ? "geoorloofd" : "ongeoorloofd"})`,
      )
    const minutes = r.amount.unit === "hours" ? r.amount.value * 60 : r.amount.value * mapping.lessonMinutes
    let value: number
    if (amount.unit === "lessons") {
      value = r.amount.unit === "lessons" ? r.amount.value : minutes / mapping.lessonMinutes
      if (!Number.isInteger(value))
        throw new Error(
          `pupil ${pupil.pupilNumber}, ${r.date}: ${r.amount.value} hours is no whole number of ${mapping.lessonMinutes}-minute lessons (${system} counts lessons; plant lessons)`,
        )
    } else value = amount.unit === "minutes" ? Math.round(minutes) : minutes / 60
    const number = String(Math.round(value * 100) / 100)
    const cells: Record<string, string | { readonly date: LocalDate.LocalDate }> = {
      brin: "",
      pupilNumber: pupil.pupilNumber,
      firstName: pupil.firstName,
      infix: pupil.infix,
      lastName: pupil.lastName,
      name: [pupil.firstName, pupil.infix, pupil.lastName].filter((p) => p !== "").join(" "),
      birthDate: pupil.birthDate === undefined ? "" : { date: pupil.birthDate },
      date: { date: r.date },
      code,
      [amount.unit]: dutch ? number.replace(".", ",") : number,
    }
    yield layout.order.map((role) => cells[role] ?? "")
  }
}

const quote = (s: string, delimiter: string): string =>
  s.includes(delimiter) || s.includes('"') || s.includes("\n") || s.includes("\r")
    ? `"${s.replaceAll('"', '""')}"`
    : s

/** The characters Windows-1252 has in 0x80–0x9F (others of Latin-1 keep their code). */
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ"

/** Windows-1252 bytes of `text`; what the code page lacks (ş, ł) becomes `?`, as Excel writes it. */
export const encodeWindows1252 = (text: string): Uint8Array => {
  const out = new Uint8Array(text.length)
  let n = 0
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) out[n++] = c
    else {
      const i = CP1252_HIGH.indexOf(ch)
      out[n++] = i >= 0 && c > 0xff ? 0x80 + i : 0x3f
    }
  }
  return out.subarray(0, n)
}

const periodOf = (options: SchoolYearOptions) => {
  const year = LocalDate.schoolYear(startYearOf(options.schoolYear))
  return {
    from: year.start,
    to: options.until === undefined ? year.end : LocalDate.min(options.until, year.end),
  }
}

const fileNameOf = (options: SchoolYearOptions, format: "csv" | "xlsx") => {
  const year = LocalDate.schoolYear(startYearOf(options.schoolYear))
  return `${options.system}-${options.schoolBrin}-${year.label.replace("/", "-")}.${format === "xlsx" ? "xlsx" : options.system === "parnassys" ? "txt" : "csv"}`
}

/**
 * A CSV sample as chunks of bytes, written as it is generated: for files too large to build in
 * memory (the benchmark's million rows). `pupils` receives each pupil as written, when given.
 */
export function* schoolYearChunks(
  options: SchoolYearOptions,
  onPupil?: (pupil: AbsenceSignal.PupilAbsence) => void,
): Generator<Uint8Array> {
  const layout = LAYOUTS[options.system]
  const mapping = mappingOf(options.system)
  const encode =
    layout.encoding === "windows-1252" ? encodeWindows1252 : (s: string) => new TextEncoder().encode(s)
  const d = layout.delimiter
  const header = layout.order.map((role) => quote(mapping.columns[role] ?? "", d)).join(d) + layout.newline
  let buffer = (layout.bom ? "\uFEFF" : "") + header
  for (const pupil of pupilsOf(options)) {
    onPupil?.({ pupilNumber: pupil.pupilNumber, records: pupil.records, birthDate: pupil.birthDate })
    for (const cells of rowsOf(options.system, pupil)) {
      const brinAt = layout.order.indexOf("brin")
      if (brinAt >= 0) cells[brinAt] = options.schoolBrin
      buffer +=
        cells
          .map((c) => (typeof c === "string" ? quote(c, d) : formatDate(c.date, mapping.format.dateFormat)))
          .join(d) + layout.newline
    }
    if (buffer.length >= 64 * 1024) {
      yield encode(buffer)
      buffer = ""
    }
  }
  if (buffer.length > 0) yield encode(buffer)
}

/** Excel's serial day number of a date (days since 1899-12-30). */
const serialOf = (d: LocalDate.LocalDate): number => LocalDate.toEpochDay(d) + 25_569

/** A school year of absence of one school in `system`'s export format. */
export const schoolYear = (options: SchoolYearOptions): SampleFile => {
  const layout = LAYOUTS[options.system]
  const format = options.format ?? layout.format
  const pupils: Array<AbsenceSignal.PupilAbsence> = []
  let rows = 0
  let bytes: Uint8Array
  if (format === "csv") {
    const parts = Array.from(schoolYearChunks(options, (p) => pupils.push(p)))
    bytes = Buffer.concat(parts)
    for (const p of pupils) rows += p.records.length
  } else {
    const mapping = mappingOf(options.system)
    const sheet: XLSX.WorkSheet = {}
    const put = (r: number, c: number, cell: XLSX.CellObject) => {
      sheet[XLSX.utils.encode_cell({ r, c })] = cell
    }
    layout.order.forEach((role, c) => {
      put(0, c, { t: "s", v: mapping.columns[role] ?? "" })
    })
    const brinAt = layout.order.indexOf("brin")
    let r = 1
    for (const pupil of pupilsOf(options)) {
      pupils.push({ pupilNumber: pupil.pupilNumber, records: pupil.records, birthDate: pupil.birthDate })
      for (const cells of rowsOf(options.system, pupil)) {
        cells.forEach((cell, c) => {
          if (c === brinAt) put(r, c, { t: "s", v: options.schoolBrin })
          else if (typeof cell !== "string") put(r, c, { t: "n", v: serialOf(cell.date), z: "dd-mm-yyyy" })
          else if (layout.order[c] === Mapping.amountColumn(mapping).unit)
            put(r, c, { t: "n", v: Number(cell) })
          else if (cell !== "") put(r, c, { t: "s", v: cell })
        })
        r++
      }
    }
    rows = r - 1
    sheet["!ref"] = XLSX.utils.encode_range({
      s: { r: 0, c: 0 },
      e: { r: Math.max(0, r - 1), c: layout.order.length - 1 },
    })
    const book = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(book, sheet, mapping.format.sheet ?? "Absenties")
    bytes = XLSX.write(book, { type: "buffer", bookType: "xlsx", compression: true }) as Buffer
  }
  return {
    fileName: fileNameOf(options, format),
    bytes,
    mapping: options.system,
    period: periodOf(options),
    pupils,
    rows,
  }
}
