/**
 * The Dutch absence rules, each a namespace of pure functions over dates, records and calendars.
 *
 * @since 0.1.0
 */
export * as AbsenceSignals from "./AbsenceSignals.js"
export * as Age from "./Age.js"
export * as CaseSignals from "./CaseSignals.js"
export * as ConsentRequirement from "./ConsentRequirement.js"
export * as HomePeriods from "./HomePeriods.js"
export * as LangdurigVerzuim from "./LangdurigVerzuim.js"
export * as Leerplicht from "./Leerplicht.js"
export * as Mazl from "./Mazl.js"
export * as ReportingDuty from "./ReportingDuty.js"
export * as Thuiszitterspact from "./Thuiszitterspact.js"
export * as Verlof from "./Verlof.js"
export * as Vrijstelling from "./Vrijstelling.js"
export * as WorkingDays from "./WorkingDays.js"
