/**
 * @verzuimregie/domain — the shared domain of verzuimregie.
 *
 * Schemas for every record (one module per concept), the case event fold, typed errors, and the
 * Dutch absence rules as pure functions. Import namespaces:
 *
 * @example
 * import { Case, CaseEvent, Referral, Decode } from "@verzuimregie/domain"
 *
 * @since 0.1.0
 */
export * as Absence from "./Absence.js"
export * as AbsenceSignal from "./AbsenceSignal.js"
export * as Access from "./Access.js"
export * as Amsterdam from "./Amsterdam.js"
export * as Assessment from "./Assessment.js"
export * as Case from "./Case.js"
export * as CaseEvent from "./CaseEvent.js"
export * as CaseParts from "./CaseParts.js"
export * as Consent from "./Consent.js"
export * as Calendars from "./calendars/index.js"
export * as Decode from "./Decode.js"
export * as Errors from "./Errors.js"
export * as Fields from "./Fields.js"
export * as HttpMeaning from "./HttpMeaning.js"
export * as Identifiers from "./Identifiers.js"
export * as Ids from "./Ids.js"
export * as Json from "./Json.js"
export * as LocalDate from "./LocalDate.js"
export * as Organisation from "./Organisation.js"
export * as Party from "./Party.js"
export * as Pupil from "./Pupil.js"
export * as Referral from "./Referral.js"
export * as Region from "./Region.js"
export * from "./rules/index.js"
export * as SchoolCalendar from "./SchoolCalendar.js"
export * as Text from "./Text.js"
export * as Timestamp from "./Timestamp.js"
