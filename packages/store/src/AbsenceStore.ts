/**
 * Imported absence data and the signals computed from it (migration 21): a school's records per
 * pupil and date, the imports that brought them, the signals with their lifecycle and DUO melding
 * status, and the retention purge.
 *
 * An import replaces that school's records in the declared period, in one write transaction with
 * the signal merge: either the whole file lands, with its signals, or nothing does.
 *
 * CONTRACT (issue 15 skeleton): the signatures below are what the application layer builds on.
 * The implementation replaces the stubs.
 *
 * @since 0.4.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import type { Absence, AbsenceSignal, Ids, LocalDate, Timestamp } from "@verzuimregie/domain"
import { Effect } from "effect"

/** One stored absence row (minutes, the school's code kept for corrections). */
export interface StoredAbsence {
  readonly pupilNumber: string
  readonly date: LocalDate.LocalDate
  readonly kind: Absence.AbsenceKind
  readonly authorised: boolean
  readonly minutes: number
  readonly code: string
}

/** The pupil as the school's export names them (only where the mapping carries it). */
export interface AbsencePupil {
  readonly pupilNumber: string
  readonly name?: string | undefined
  readonly birthDate?: LocalDate.LocalDate | undefined
}

export interface ImportHeader {
  readonly importId: Ids.AbsenceImportId
  readonly schoolId: Ids.OrganisationId
  readonly regionId: Ids.RegionId
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  readonly by: Ids.UserId
  /** Mapping name and the file's format, for the import list (never the file's name or rows). */
  readonly mapping: string
  readonly format: string
}

/** Where an import writes its rows, batch by batch, inside the import's transaction. */
export interface ImportSink {
  readonly insert: (
    rows: ReadonlyArray<StoredAbsence>,
    pupils: ReadonlyArray<AbsencePupil>,
  ) => Effect.Effect<void, SqlError>
}

export interface ImportSummary {
  /** Records of the school in the period removed before the new ones went in. */
  readonly replaced: number
  readonly inserted: number
}

export interface StoredSignal extends AbsenceSignal.DetectedSignal {
  readonly id: Ids.SignalId
  readonly regionId: Ids.RegionId
  readonly schoolId: Ids.OrganisationId
  readonly status: AbsenceSignal.SignalStatus
  /** Times the signal re-opened because the pattern worsened. */
  readonly reopened: number
  readonly note?: string | undefined
  readonly reason?: string | undefined
  readonly referralId?: Ids.ReferralId | undefined
  readonly duoStatus?: AbsenceSignal.DuoMeldingStatus | undefined
  readonly duoStatusAt?: Timestamp.Timestamp | undefined
  readonly createdAt: Timestamp.Timestamp
  readonly updatedAt: Timestamp.Timestamp
}

export interface SignalMergeSummary {
  readonly created: number
  readonly reopened: number
  readonly updated: number
  /** Open signals a corrected import no longer shows: now `vervallen`. */
  readonly withdrawn: number
}

export interface SignalFilter {
  readonly schoolId?: Ids.OrganisationId | undefined
  readonly regionIds?: ReadonlyArray<Ids.RegionId> | undefined
  readonly statuses?: ReadonlyArray<AbsenceSignal.SignalStatus> | undefined
  readonly types?: ReadonlyArray<AbsenceSignal.SignalType> | undefined
  readonly pupilNumber?: string | undefined
}

export interface SignalCount {
  readonly schoolId: Ids.OrganisationId
  readonly type: AbsenceSignal.SignalType
  readonly status: AbsenceSignal.SignalStatus
  readonly count: number
}

export type SignalChange =
  | { readonly _tag: "seen"; readonly note: string }
  | { readonly _tag: "no-action"; readonly reason: string }
  | { readonly _tag: "referred"; readonly referralId: Ids.ReferralId }
  | { readonly _tag: "duo-status"; readonly status: AbsenceSignal.DuoMeldingStatus }

export interface AbsenceLink {
  readonly caseId: Ids.CaseId
  readonly referralId: Ids.ReferralId
  readonly schoolId: Ids.OrganisationId
  readonly pupilNumber: string
  readonly signalId?: Ids.SignalId | undefined
}

export interface AbsenceStoreService {
  /**
   * Runs `fill` in one write transaction after removing the school's records in the header's
   * period; `fill` streams the rows into the sink and may fail, which rolls everything back.
   * `after` runs in the same transaction (the signal merge), so records and signals land together.
   */
  readonly replacePeriod: <E, R, A>(
    header: ImportHeader,
    fill: (sink: ImportSink) => Effect.Effect<A, E, R>,
    after: (summary: ImportSummary, filled: A) => Effect.Effect<SignalMergeSummary, E | SqlError, R>,
  ) => Effect.Effect<
    { readonly summary: ImportSummary; readonly signals: SignalMergeSummary; readonly filled: A },
    E | SqlError,
    R
  >
  /** The school's records from `from` to `to`, grouped per pupil (for classification). */
  readonly recordsOfSchool: (
    schoolId: Ids.OrganisationId,
    from: LocalDate.LocalDate,
    to: LocalDate.LocalDate,
  ) => Effect.Effect<ReadonlyMap<string, ReadonlyArray<StoredAbsence>>, SqlError>
  readonly pupil: (
    schoolId: Ids.OrganisationId,
    pupilNumber: string,
  ) => Effect.Effect<AbsencePupil | undefined, SqlError>
  /**
   * Merges the detected signals of a school into the stored ones (by school, pupil and key): new
   * ones are created, a larger measure re-opens a `gezien` or `geen-actie` signal, open signals
   * not detected any more become `vervallen`. Only for pupils in `pupilNumbers` (the import's).
   */
  readonly mergeSignals: (
    scope: {
      readonly schoolId: Ids.OrganisationId
      readonly regionId: Ids.RegionId
      readonly pupilNumbers: ReadonlySet<string>
    },
    detected: ReadonlyArray<AbsenceSignal.DetectedSignal>,
  ) => Effect.Effect<SignalMergeSummary, SqlError>
  readonly signals: (filter: SignalFilter) => Effect.Effect<ReadonlyArray<StoredSignal>, SqlError>
  readonly signal: (id: Ids.SignalId) => Effect.Effect<StoredSignal | undefined, SqlError>
  readonly changeSignal: (
    id: Ids.SignalId,
    change: SignalChange,
    by: Ids.UserId,
  ) => Effect.Effect<StoredSignal, SqlError>
  readonly counts: (
    regionIds: ReadonlyArray<Ids.RegionId>,
  ) => Effect.Effect<ReadonlyArray<SignalCount>, SqlError>
  /**
   * Links a referral (and its case) to the school's pupil whose signal led to it, so the case
   * worker sees the pupil's absence history and the case's attendance follows the imports.
   */
  readonly link: (link: AbsenceLink) => Effect.Effect<void, SqlError>
  readonly linkOfCase: (caseId: Ids.CaseId) => Effect.Effect<AbsenceLink | undefined, SqlError>
  /** The links of a school's pupils to cases (after an import: whose attendance to update). */
  readonly linksOfSchool: (
    schoolId: Ids.OrganisationId,
  ) => Effect.Effect<ReadonlyArray<AbsenceLink>, SqlError>
  /** Removes records dated before `before` in the region's schools; returns how many. */
  readonly purge: (regionId: Ids.RegionId, before: LocalDate.LocalDate) => Effect.Effect<number, SqlError>
}

const notBuilt = Effect.dieMessage("AbsenceStore: not built yet (issue 15)")

/** Placeholder until the implementation lands; every call dies. */
export const unbuilt: AbsenceStoreService = {
  replacePeriod: () => notBuilt,
  recordsOfSchool: () => notBuilt,
  pupil: () => notBuilt,
  mergeSignals: () => notBuilt,
  signals: () => notBuilt,
  signal: () => notBuilt,
  changeSignal: () => notBuilt,
  counts: () => notBuilt,
  link: () => notBuilt,
  linkOfCase: () => notBuilt,
  linksOfSchool: () => notBuilt,
  purge: () => notBuilt,
}

export class AbsenceStore extends Effect.Service<AbsenceStore>()("@verzuimregie/store/AbsenceStore", {
  succeed: unbuilt,
}) {}
