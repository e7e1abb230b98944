/**
 * @verzuimregie/export-xlsx — the spreadsheets of verzuimregie, on SheetJS: pure functions from
 * data to an `.xlsx` Buffer (no I/O).
 *
 * - `StaffSummary`: the region's summary for staff (e-mailed; no pupil names, BSNs or birth dates);
 * - `MailSafe`: the values an e-mailed workbook or text may hold (case ids, labels, registered names);
 * - `Inspectie`: the quarterly thuiszitters overview, anonymised with `Pseudonym`;
 * - `CaseList`: case lists with the plug-in's columns, personal columns only on request;
 * - `Cells`: values to cells, with the formula-injection guard on every text cell;
 * - `Workbook`: sheets with a frozen header, autofilter and widths; `Export`: long exports in
 *   chunks, in this thread or a worker thread, with progress.
 *
 * @example
 * import { StaffSummary } from "@verzuimregie/export-xlsx"
 * const file = StaffSummary.workbook(StaffSummary.make({ region, period, on, cases }))
 *
 * @since 0.1.0
 */
export * as CaseList from "./CaseList.js"
export * as Cells from "./Cells.js"
export * as Dutch from "./Dutch.js"
export * as Export from "./Export.js"
export * as Inspectie from "./Inspectie.js"
export * as Jaarverslag from "./Jaarverslag.js"
export * as MailSafe from "./MailSafe.js"
export * as Pseudonym from "./Pseudonym.js"
export * as StaffSummary from "./StaffSummary.js"
export * as Workbook from "./Workbook.js"
