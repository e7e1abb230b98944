/**
 * A mapping says how one school's export reads: which column holds what, how dates and amounts are
 * written, and what each of the school's absence codes means in the domain's kinds. Schools and
 * systems differ (Magister, SOMtoday, ParnasSys, Eduarte), so the shipped mappings are examples to
 * check against the school's own export.
 *
 * @since 0.1.0
 */
import { Absence } from "@verzuimregie/domain"
import { Schema } from "effect"

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
}).annotations({ identifier: "AbsenceMapping", title: "Koppeling van een verzuimexport" })
export type Mapping = typeof Mapping.Type
