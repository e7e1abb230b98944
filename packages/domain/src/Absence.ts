/**
 * Absence records as a school registers them, the raw material of every verzuim rule.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { LocalDate } from "./LocalDate.js"

/**
 * - `ongeoorloofd`: unauthorised absence (relatief verzuim when it adds up);
 * - `geoorloofd`: authorised leave (art. 11 verlof, appointments);
 * - `ziek`: sick report (M@ZL counts these);
 * - `luxe-verzuim`: unauthorised holiday, reportable from the first day;
 * - `te-laat`: arriving late;
 * - `schorsing`: suspension by the school (not verzuim by the pupil).
 */
export const AbsenceKind = Schema.Literal(
  "ongeoorloofd",
  "geoorloofd",
  "ziek",
  "luxe-verzuim",
  "te-laat",
  "schorsing",
).annotations({ identifier: "AbsenceKind", title: "Soort verzuim" })
export type AbsenceKind = typeof AbsenceKind.Type

/** Time missed: clock hours, or lessons (converted with the school's lesson length). */
export const AbsenceAmount = Schema.Union(
  Schema.Struct({
    unit: Schema.Literal("hours"),
    value: Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(12)).annotations({
      message: () => "uren verzuimd op één dag: meer dan 0, hoogstens 12",
    }),
  }),
  Schema.Struct({
    unit: Schema.Literal("lessons"),
    value: Schema.Int.pipe(Schema.between(1, 14)).annotations({
      message: () => "lessen verzuimd op één dag: een geheel getal van 1 tot en met 14",
    }),
  }),
).annotations({ identifier: "AbsenceAmount" })
export type AbsenceAmount = typeof AbsenceAmount.Type

const kindsThatFixAuthorisation: Partial<Record<AbsenceKind, boolean>> = {
  ongeoorloofd: false,
  "luxe-verzuim": false,
  geoorloofd: true,
}

/**
 * One day's absence of one pupil. `authorised` is explicit because the same kind (`ziek`,
 * `te-laat`) can be accepted or not; kinds whose meaning fixes it must agree with it.
 */
export const AbsenceRecord = Schema.Struct({
  date: LocalDate,
  amount: AbsenceAmount,
  kind: AbsenceKind,
  authorised: Schema.Boolean,
}).pipe(
  Schema.filter((r) => {
    const required = kindsThatFixAuthorisation[r.kind]
    if (required === undefined || required === r.authorised) return true
    return {
      path: ["authorised"],
      message: `verzuim van de soort ${r.kind} is altijd ${required ? "geoorloofd" : "ongeoorloofd"}`,
    }
  }),
  Schema.annotations({ identifier: "AbsenceRecord", title: "Verzuimregistratie" }),
)
export type AbsenceRecord = typeof AbsenceRecord.Type

/** Clock hours of a record; a lesson counts `lessonMinutes` (schools differ: 45, 50, 60). */
export const hoursOf = (amount: AbsenceAmount, lessonMinutes: number): number =>
  amount.unit === "hours" ? amount.value : (amount.value * lessonMinutes) / 60
