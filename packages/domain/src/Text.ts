/**
 * Text fields with bounds: no empty strings, no unbounded free text, no control characters.
 * Bounds keep a pasted document out of a name field and make storage predictable.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
const CONTROL_OR_NEWLINE = /[\u0000-\u001F\u007F]/

/** A lone UTF-16 surrogate: JavaScript strings may hold one, UTF-8 (and so PostgreSQL) cannot. */
const LONE_SURROGATE = /\p{Surrogate}/u

/**
 * Why a string cannot be stored as text anywhere (SQLite, PostgreSQL text and jsonb, UTF-8 files),
 * or `true`: no NUL byte and no lone surrogate.
 */
export const storable = (s: string): true | string => {
  if (s.includes("\u0000")) return "mag geen NUL-teken bevatten"
  if (LONE_SURROGATE.test(s)) return "moet geldige Unicode zijn (een losse surrogaat is dat niet)"
  return true
}

const boundedText = (maxLength: number, singleLine: boolean) =>
  Schema.String.pipe(
    Schema.filter(
      (s) => {
        if (s.trim().length === 0) return "mag niet leeg zijn"
        if (s !== s.trim()) return "mag niet met spaties beginnen of eindigen"
        if (s.length > maxLength) return `hoogstens ${maxLength} tekens`
        if ((singleLine ? CONTROL_OR_NEWLINE : CONTROL).test(s)) {
          return singleLine ? "moet één regel zijn, zonder stuurtekens" : "mag geen stuurtekens bevatten"
        }
        return storable(s)
      },
      {
        arbitrary: () => (fc) =>
          fc
            .string({ minLength: 1, maxLength: Math.min(maxLength, 40) })
            .map((s) => s.replace(CONTROL_OR_NEWLINE, "x").trim())
            .filter((s) => s.length > 0),
        jsonSchema: { minLength: 1, maxLength },
      },
    ),
  )

/** A name, title or label: one line, 1–200 characters. */
export const ShortText = boundedText(200, true).annotations({ identifier: "ShortText" })
export type ShortText = typeof ShortText.Type

/** A note or summary: up to 4,000 characters, line breaks allowed. */
export const LongText = boundedText(4000, false).annotations({ identifier: "LongText" })
export type LongText = typeof LongText.Type

// An address in plain ASCII: no spaces, controls or lone surrogates can slip into a mail header.
export const Email = Schema.String.pipe(
  Schema.maxLength(254),
  Schema.pattern(/^[!#-'*+\-./0-9=?A-Z^-~]+@[A-Za-z0-9.-]+\.[a-z]{2,}$/i, {
    message: () => "verwacht een e-mailadres zoals naam@school.nl",
  }),
  Schema.annotations({
    identifier: "Email",
    jsonSchema: { format: "email" },
    arbitrary: () => (fc) =>
      fc
        .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,15}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/))
        .map(([local, domain]) => `${local.replace(/\.+$/, "")}@${domain.replace(/-+$/, "")}.nl`),
  }),
)
export type Email = typeof Email.Type

export const Phone = Schema.String.pipe(
  Schema.pattern(/^\+?[0-9][0-9 -]{8,16}$/, {
    message: () => "verwacht een telefoonnummer zoals 070 123 4567",
  }),
  Schema.annotations({
    identifier: "Phone",
    arbitrary: () => (fc) => fc.integer({ min: 100_000_000, max: 999_999_999 }).map((n) => `0${n}`),
  }),
)
export type Phone = typeof Phone.Type
