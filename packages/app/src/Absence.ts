/**
 * Absence data in, early signals out (issue 15): every door's use cases for importing a school's
 * absence export, the school's signals and their lifecycle, the DUO meldingen, the coordinator's
 * counts, and a referred pupil's absence history in the dossier.
 *
 * Who sees what: a `school-verzuim` user sees only their own organisation's (school's) pupils; a
 * coordinator sees counts per school and signal type in their regions, never pupils; a case worker
 * sees the absence history of a pupil once a case of their region links to it. Every read is
 * audited; refusals follow the 404-not-403 rule.
 *
 * CONTRACT (issue 15 skeleton): the signatures and types below are what the doors build on; the
 * implementation replaces the stubs.
 */
import type { Absence, AbsenceSignal, Ids, LocalDate, Referral, Timestamp } from "@verzuimregie/domain"
import { Effect } from "effect"

/** Roles that import and act on a school's signals. */
export const SCHOOL_ABSENCE_ROLES = ["school-verzuim"] as const

export interface ImportRequest {
  readonly schoolId: Ids.OrganisationId
  /** A mapping by name (shipped examples and the installation's own), see `mappings`. */
  readonly mapping: string
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  /** The file on disk (the API and the web page spool the upload first). */
  readonly file: { readonly path: string; readonly name: string }
  /** Skip bad rows instead of refusing the file; the report lists the skipped lines. */
  readonly skipBadRows: boolean
  /** Called now and then while reading, for a progress bar. */
  readonly onProgress?:
    | ((progress: { readonly bytesRead: number; readonly totalBytes: number; readonly rows: number }) => void)
    | undefined
}

export interface ImportReportProblem {
  readonly line: number
  readonly column: string
  readonly reason: string
}

export interface ImportReport {
  /** `geimporteerd`: the file landed; `geweigerd`: nothing changed. */
  readonly outcome: "geimporteerd" | "geweigerd"
  readonly importId: Ids.AbsenceImportId | null
  readonly schoolId: Ids.OrganisationId
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  readonly format: {
    readonly kind: "csv" | "xlsx"
    readonly delimiter: string | null
    readonly encoding: string | null
  }
  readonly rows: { readonly read: number; readonly imported: number; readonly skipped: number }
  /** Records of the period that were replaced. */
  readonly replaced: number
  /** The first 100 bad rows; `problemCount` says how many in all. */
  readonly problems: ReadonlyArray<ImportReportProblem>
  readonly problemCount: number
  /** A problem with the whole file, when there is one. */
  readonly fileProblem: string | null
  /** With `skipBadRows`: every skipped line. */
  readonly skippedLines: ReadonlyArray<number>
  readonly signals: {
    readonly created: number
    readonly reopened: number
    readonly updated: number
    readonly withdrawn: number
  }
}

export interface MappingSummary {
  readonly name: string
  readonly title: string
  readonly system: string
  readonly example: boolean
}

export interface SignalListItem {
  readonly id: Ids.SignalId
  readonly type: AbsenceSignal.SignalType
  readonly typeLabel: string
  readonly status: AbsenceSignal.SignalStatus
  readonly schoolId: Ids.OrganisationId
  readonly pupil: { readonly pupilNumber: string; readonly name: string | null }
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
  readonly firesOn: LocalDate.LocalDate
  readonly measure: number
  readonly explanation: string
  readonly reopened: number
  readonly duoStatus: AbsenceSignal.DuoMeldingStatus | null
  readonly referralId: Ids.ReferralId | null
}

export interface SignalDetail extends SignalListItem {
  readonly note: string | null
  readonly reason: string | null
  /** The pupil's records in the signal's window, for the school user. */
  readonly records: ReadonlyArray<Absence.AbsenceRecord>
  readonly pupilBirthDate: LocalDate.LocalDate | null
  readonly updatedAt: Timestamp.Timestamp
}

export interface SignalCountRow {
  readonly schoolId: Ids.OrganisationId
  readonly schoolName: string
  readonly type: AbsenceSignal.SignalType
  readonly typeLabel: string
  /** Open signals (nieuw, gezien); under 5 shown as "< 5" so no pupil can be singled out. */
  readonly open: number | "< 5"
}

export interface DuoMeldingItem {
  readonly signalId: Ids.SignalId
  readonly pupilNumber: string
  readonly kind: "relatief verzuim" | "luxe verzuim"
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
  readonly hours: number
  /** The day the melding had to be made: `firesOn`, plus the law's reporting term. */
  readonly dueOn: LocalDate.LocalDate
  readonly late: boolean
  readonly status: AbsenceSignal.DuoMeldingStatus | null
}

/** What the referral form is filled with when a school refers from a signal. */
export interface ReferralDraft {
  readonly signalId: Ids.SignalId
  readonly regionId: Ids.RegionId
  readonly schoolId: Ids.OrganisationId
  readonly pupil: {
    readonly pupilNumber: string
    readonly name: string | null
    readonly birthDate: LocalDate.LocalDate | null
  }
  readonly absence: Referral.AbsenceSummary
  readonly verzuimKind: Referral.VerzuimKind
}

export interface CaseAbsence {
  readonly linked: boolean
  readonly schoolId: Ids.OrganisationId | null
  readonly pupilNumber: string | null
  readonly records: ReadonlyArray<Absence.AbsenceRecord>
  readonly totals: {
    readonly unauthorisedHours: number
    readonly authorisedHours: number
    readonly sickReports: number
    readonly lateCount: number
  }
  readonly signals: ReadonlyArray<SignalListItem>
  readonly homeSince: LocalDate.LocalDate | null
}

const notBuilt = Effect.dieMessage("Absence use cases: not built yet (issue 15)")

export const mappings: Effect.Effect<ReadonlyArray<MappingSummary>> = notBuilt
export const importFile = (_request: ImportRequest): Effect.Effect<ImportReport> => notBuilt
export const signals = (_filter: {
  readonly status?: ReadonlyArray<AbsenceSignal.SignalStatus>
  readonly type?: ReadonlyArray<AbsenceSignal.SignalType>
}): Effect.Effect<ReadonlyArray<SignalListItem>> => notBuilt
export const signal = (_id: Ids.SignalId): Effect.Effect<SignalDetail> => notBuilt
export const markSeen = (_id: Ids.SignalId, _note: string): Effect.Effect<SignalDetail> => notBuilt
export const markNoAction = (_id: Ids.SignalId, _reason: string): Effect.Effect<SignalDetail> => notBuilt
export const referralDraft = (_id: Ids.SignalId): Effect.Effect<ReferralDraft> => notBuilt
export const counts: Effect.Effect<ReadonlyArray<SignalCountRow>> = notBuilt
export const duoMeldingen: Effect.Effect<ReadonlyArray<DuoMeldingItem>> = notBuilt
export const duoWorkbook: Effect.Effect<Uint8Array> = notBuilt
export const setDuoStatus = (
  _id: Ids.SignalId,
  _status: AbsenceSignal.DuoMeldingStatus,
): Effect.Effect<DuoMeldingItem> => notBuilt
export const caseAbsence = (_caseId: Ids.CaseId): Effect.Effect<CaseAbsence> => notBuilt
