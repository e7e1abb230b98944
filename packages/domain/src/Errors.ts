/**
 * Typed errors of the domain. Each carries what a caller needs to tell a person what went wrong;
 * the gateway maps them to RFC 9457 problems, the command line to readable lines.
 *
 * @since 0.1.0
 */

import { Schema } from "effect"
import { optional } from "./Fields.js"
import * as HttpMeaning from "./HttpMeaning.js"
import { CaseId } from "./Ids.js"

/** One offending field: its path (`pupil.birthDate`, `reasons[0]`) and why. */
export const FieldIssue = Schema.Struct({
  path: Schema.String,
  message: Schema.String,
}).annotations({ identifier: "FieldIssue" })
export type FieldIssue = typeof FieldIssue.Type

/** Input that does not match its schema: every offending field, not just the first. */
export class ValidationError extends Schema.TaggedError<ValidationError>()(
  "ValidationError",
  {
    /** What was being decoded, e.g. "referral", or a file name. */
    subject: Schema.String,
    issues: Schema.NonEmptyArray(FieldIssue),
    /** There were more issues than listed (a report names at most the first hundred). */
    truncated: optional(Schema.Boolean),
  },
  HttpMeaning.status(422, {}, (error: { readonly issues: ReadonlyArray<FieldIssue> }) => ({
    issues: error.issues,
  })),
) {
  override get message(): string {
    return `${this.subject} is ongeldig:\n${this.issues.map((i) => `  ${i.path || "(geheel)"}: ${i.message}`).join("\n")}${this.truncated === true ? "\n  … en meer" : ""}`
  }
}

/** An event that cannot apply to the case as it stands (unknown action, case already closed…). */
export class CaseEventRejected extends Schema.TaggedError<CaseEventRejected>()(
  "CaseEventRejected",
  {
    caseId: Schema.optional(CaseId),
    eventTag: Schema.String,
    reason: Schema.String,
  },
  HttpMeaning.status(
    409,
    {
      type: "https://verzuimregie.nl/problems/event-rejected",
      title: "Dit kan niet in de huidige stand van de casus",
    },
    (error: { readonly reason: string }) => ({ detail: error.reason }),
  ),
) {
  override get message(): string {
    return `${this.eventTag} rejected${this.caseId ? ` for ${this.caseId}` : ""}: ${this.reason}`
  }
}
