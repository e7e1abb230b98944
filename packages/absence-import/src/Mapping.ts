/**
 * A mapping says how one school's export reads: which column holds what, how dates and amounts are
 * written, and what each of the school's absence codes means in the domain's kinds. Schools and
 * systems differ (Magister, SOMtoday, ParnasSys, Eduarte), so the shipped mappings are examples to
 * check against the school's own export.
 *
 * @since 0.1.0
 */
import { existsSync, readdirSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { basename, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Absence, Decode, HttpMeaning } from "@verzuimregie/domain"
import { Effect, Either, Schema } from "effect"
import { parseDocument } from "yaml"

/** What one school code means. */
export const CodeMeaning = Schema.Struct({
  kind: Absence.AbsenceKind,
  authorised: Schema.Boolean,
  /** Dutch description for the report and docs ("Ongeoorloofd afwezig"). */
  label: Schema.optional(Schema.String),
}).annotations({ identifier: "CodeMeaning" })
export type CodeMeaning = typeof CodeMeaning.Type

export const Mapping = Schema.Struct({
  /** Name shown to users ("Magister (voorbeeld)"). */
  name: Schema.NonEmptyTrimmedString,
  /** The administration system the export comes from. */
  system: Schema.Literal("magister", "somtoday", "parnassys", "eduarte", "anders"),
  /** True for the shipped examples: check them against the school's own export first. */
  example: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  format: Schema.Struct({
    /** `auto` detects `;`, `,` or tab from the header line. */
    delimiter: Schema.optionalWith(Schema.Literal("auto", ";", ",", "\t"), {
      default: () => "auto" as const,
    }),
    /** `auto`: UTF-8 (with or without BOM) when valid, else Windows-1252. */
    encoding: Schema.optionalWith(Schema.Literal("auto", "utf-8", "windows-1252"), {
      default: () => "auto" as const,
    }),
    /** How dates are written: `dd-mm-jjjj` (Dutch exports), `jjjj-mm-dd`, `dd/mm/jjjj`. */
    dateFormat: Schema.optionalWith(Schema.Literal("dd-mm-jjjj", "jjjj-mm-dd", "dd/mm/jjjj"), {
      default: () => "dd-mm-jjjj" as const,
    }),
    /** xlsx: the sheet to read when the workbook has several (default: the only one). */
    sheet: Schema.optional(Schema.NonEmptyTrimmedString),
  }),
  /** Column headers as the export names them. */
  columns: Schema.Struct({
    pupilNumber: Schema.NonEmptyTrimmedString,
    date: Schema.NonEmptyTrimmedString,
    code: Schema.NonEmptyTrimmedString,
    /** One of `minutes`, `hours` or `lessons` names the amount column. */
    minutes: Schema.optional(Schema.NonEmptyTrimmedString),
    hours: Schema.optional(Schema.NonEmptyTrimmedString),
    lessons: Schema.optional(Schema.NonEmptyTrimmedString),
    name: Schema.optional(Schema.NonEmptyTrimmedString),
    /** Or the name in parts, joined with spaces. */
    firstName: Schema.optional(Schema.NonEmptyTrimmedString),
    infix: Schema.optional(Schema.NonEmptyTrimmedString),
    lastName: Schema.optional(Schema.NonEmptyTrimmedString),
    birthDate: Schema.optional(Schema.NonEmptyTrimmedString),
    /** The school's BRIN code; when present every row must carry the importing school's. */
    brin: Schema.optional(Schema.NonEmptyTrimmedString),
  }),
  /** Minutes per lesson when amounts are lessons. Default 50. */
  lessonMinutes: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 120)), { default: () => 50 }),
  /** The school's codes. A code not listed is a bad row. */
  codes: Schema.Record({ key: Schema.String, value: CodeMeaning }),
}).pipe(
  Schema.filter((m) => {
    const issues: Array<{ path: ReadonlyArray<string>; message: string }> = []
    const amounts = (["minutes", "hours", "lessons"] as const).filter((k) => m.columns[k] !== undefined)
    if (amounts.length !== 1)
      issues.push({
        path: ["columns"],
        message:
          amounts.length === 0
            ? "noem één kolom voor de hoeveelheid: minutes, hours of lessons"
            : `noem maar één kolom voor de hoeveelheid, niet ${amounts.join(" én ")}`,
      })
    const parts = [m.columns.firstName, m.columns.infix, m.columns.lastName].some((c) => c !== undefined)
    if (m.columns.name !== undefined && parts)
      issues.push({
        path: ["columns", "name"],
        message: "noem de naam in één kolom of in delen, niet allebei",
      })
    if (Object.keys(m.codes).length === 0)
      issues.push({ path: ["codes"], message: "noem minstens één verzuimcode" })
    for (const [code, meaning] of Object.entries(m.codes)) {
      if (code.trim() === "" || code !== code.trim())
        issues.push({ path: ["codes", code], message: "een code zonder spaties ervoor of erna" })
      // The domain decides which kinds fix authorisation (Absence.AbsenceRecord); ask it.
      const probe = Schema.decodeUnknownEither(Absence.AbsenceRecord)({
        date: "2026-01-05",
        amount: { unit: "hours", value: 1 },
        kind: meaning.kind,
        authorised: meaning.authorised,
      })
      if (Either.isLeft(probe))
        issues.push({
          path: ["codes", code, "authorised"],
          message: `verzuim van de soort ${meaning.kind} is altijd ${meaning.authorised ? "ongeoorloofd" : "geoorloofd"}`,
        })
    }
    return issues.length === 0 ? true : issues
  }),
  Schema.annotations({ identifier: "AbsenceMapping", title: "Koppeling van een verzuimexport" }),
)
export type Mapping = typeof Mapping.Type
export type MappingInput = typeof Mapping.Encoded

/** The column of the amount and its unit. */
export const amountColumn = (
  m: Mapping,
): { readonly unit: "minutes" | "hours" | "lessons"; readonly column: string } =>
  m.columns.minutes !== undefined
    ? { unit: "minutes", column: m.columns.minutes }
    : m.columns.hours !== undefined
      ? { unit: "hours", column: m.columns.hours }
      : { unit: "lessons", column: m.columns.lessons ?? "" }

/** A mapping file that cannot be used: every problem with its field path, in Dutch. */
export class MappingInvalid extends Schema.TaggedError<MappingInvalid>()(
  "MappingInvalid",
  {
    file: Schema.String,
    issues: Schema.NonEmptyArray(Schema.Struct({ path: Schema.String, message: Schema.String })),
  },
  // A school may upload or name its own mapping: a client's mistake.
  HttpMeaning.status(422, { title: "De koppeling klopt niet" }, (e: { readonly file: string }) => ({
    detail: `de koppeling ${e.file} klopt niet`,
  })),
) {
  override get message(): string {
    return `${this.file}: de koppeling klopt niet (${this.issues.length} ${this.issues.length === 1 ? "probleem" : "problemen"}):\n${this.issues
      .map((i) => `  ${i.path || "(bestand)"}: ${i.message}`)
      .join("\n")}`
  }
}

const invalid = (file: string, path: string, message: string) =>
  new MappingInvalid({ file, issues: [{ path, message }] })

/**
 * Reads a mapping from its text: YAML for `.yaml`/`.yml`, else JSON. Every problem names the file
 * and the field path (`columns.date`, `codes.O.kind`).
 */
export const parse = (text: string, fileName: string): Either.Either<Mapping, MappingInvalid> => {
  let input: unknown
  if (/\.ya?ml$/i.test(fileName)) {
    const doc = parseDocument(text, { prettyErrors: true })
    const error = doc.errors[0]
    if (error !== undefined) {
      const at = /at line (\d+), column (\d+)/.exec(error.message)
      return Either.left(
        invalid(
          fileName,
          "",
          at === null ? "geen geldige YAML" : `geen geldige YAML: fout op regel ${at[1]}, kolom ${at[2]}`,
        ),
      )
    }
    input = doc.toJS()
  } else {
    try {
      input = JSON.parse(text)
    } catch (cause) {
      return Either.left(invalid(fileName, "", Decode.notJson(cause)))
    }
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return Either.left(
      invalid(fileName, "", "een koppeling is een object met name, system, format, columns en codes"),
    )
  return Schema.decodeUnknownEither(Mapping, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Either.mapLeft((error) => {
      const issues = Decode.fieldIssues(error)
      const [first, ...rest] = issues.length > 0 ? issues : [{ path: "", message: "de koppeling klopt niet" }]
      return new MappingInvalid({ file: fileName, issues: [first!, ...rest] })
    }),
  )
}

/** Reads and checks a mapping file. */
export const load = (path: string): Effect.Effect<Mapping, MappingInvalid> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: () => invalid(path, "", "het bestand is niet te lezen (bestaat het?)"),
  }).pipe(Effect.flatMap((text) => parse(text, path)))

/** The folder of the shipped example mappings (`mappings/` of this package). */
export const examplesDir = (): string => {
  const here = fileURLToPath(new URL(".", import.meta.url))
  const beside = join(here, "..", "mappings")
  if (existsSync(join(beside, "magister.yaml"))) return beside
  // Bundled into another package's `.start/` (scripts/run.mjs): the repository holds the package.
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "packages", "absence-import", "mappings")
    if (existsSync(join(candidate, "magister.yaml"))) return candidate
  }
  const manifest = createRequire(import.meta.url).resolve("@verzuimregie/absence-import/package.json")
  return join(dirname(manifest), "mappings")
}

/** A shipped example mapping: its name (the file's base name, `magister`) and path. */
export interface Shipped {
  readonly name: string
  readonly path: string
}

/** The shipped example mappings, by name. */
export const shipped = (): ReadonlyArray<Shipped> => {
  const dir = examplesDir()
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ name: basename(f).replace(/\.ya?ml$/, ""), path: join(dir, f) }))
}

/**
 * A shipped example mapping by name (`magister`), read and checked; an unknown name is refused,
 * naming the ones there are.
 */
export const loadShipped = (name: string): Effect.Effect<Mapping, MappingInvalid> => {
  const found = shipped().find((s) => s.name === name)
  return found === undefined
    ? Effect.fail(
        invalid(
          name,
          "",
          `geen voorbeeldkoppeling met de naam ${name}; wel: ${shipped()
            .map((s) => s.name)
            .join(", ")}`,
        ),
      )
    : load(found.path)
}
