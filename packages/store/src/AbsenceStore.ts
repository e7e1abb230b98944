/**
 * Imported absence data and the signals computed from it (migration 21): a school's records per
 * pupil and date, the imports that brought them, the signals with their lifecycle and DUO melding
 * status, and the retention purge.
 *
 * An import replaces that school's records in the declared period, in one write transaction with
 * the signal merge: either the whole file lands, with its signals, or nothing does.
 *
 * Rows go in as multi-row statements (SQLite: `INSERT … VALUES (…), (…)`; PostgreSQL: one
 * `INSERT … SELECT FROM unnest(arrays)`), a few hundred to a few thousand rows per statement, so a
 * million-row import costs a few thousand statements, not a million; between batches the import
 * lets the event loop run (other requests keep being answered).
 *
 * @since 0.4.0
 */
import { open, stat } from "node:fs/promises"
import { createRequire } from "node:module"
import { Worker } from "node:worker_threads"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import {
  type Absence,
  type AbsenceSignal,
  HttpMeaning,
  Ids,
  LocalDate,
  type Timestamp,
} from "@verzuimregie/domain"
import { Effect, Schema } from "effect"
import { Database, type DatabaseService, now } from "./internal/service.js"
import { toInt } from "./internal/sql.js"

/** One stored absence row (minutes, the school's code kept for corrections). */
export interface StoredAbsence {
  readonly pupilNumber: string
  readonly date: LocalDate.LocalDate
  readonly kind: Absence.AbsenceKind
  readonly authorised: boolean
  /** Whole minutes, 1 to 1 440 (a fraction is rounded to the nearest minute). */
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
  /** Signals back on the list as `nieuw`: worsened after `gezien`/`geen-actie`, or found again after `vervallen`. */
  readonly reopened: number
  /** Signals whose finding changed (measure, period, explanation) without a change of status. */
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

/**
 * What happened to a signal, one row per change:
 * - `created`, `reopened` (worsened), `redetected` (found again after `vervallen`), `withdrawn`
 *   (`vervallen`): by an import;
 * - `seen`, `no-action`, `referred`, `duo-status`: by a user.
 */
export type SignalHistoryChange =
  | "created"
  | "reopened"
  | "redetected"
  | "withdrawn"
  | "seen"
  | "no-action"
  | "referred"
  | "duo-status"

export interface SignalHistoryEntry {
  readonly signalId: Ids.SignalId
  readonly at: Timestamp.Timestamp
  /** The user; absent for changes an import made. */
  readonly by?: Ids.UserId | undefined
  readonly importId?: Ids.AbsenceImportId | undefined
  readonly change: SignalHistoryChange
  /** The status after the change. */
  readonly status: AbsenceSignal.SignalStatus
  readonly measure: number
  readonly note?: string | undefined
  readonly reason?: string | undefined
  readonly referralId?: Ids.ReferralId | undefined
  readonly duoStatus?: AbsenceSignal.DuoMeldingStatus | undefined
}

export interface AbsenceLink {
  readonly caseId: Ids.CaseId
  readonly referralId: Ids.ReferralId
  readonly schoolId: Ids.OrganisationId
  readonly pupilNumber: string
  readonly signalId?: Ids.SignalId | undefined
}

/** One import as the import list shows it: who, when, which period and mapping, the counts. */
export interface ImportRecord {
  readonly importId: Ids.AbsenceImportId
  readonly schoolId: Ids.OrganisationId
  readonly regionId: Ids.RegionId
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  readonly by: Ids.UserId
  readonly at: Timestamp.Timestamp
  readonly mapping: string
  readonly format: string
  readonly summary: ImportSummary
  readonly signals: SignalMergeSummary
}

export class SignalNotFound extends Schema.TaggedError<SignalNotFound>()(
  "SignalNotFound",
  { signalId: Schema.String },
  HttpMeaning.status(404, { title: "Signaal niet gevonden" }),
) {
  override get message(): string {
    return "Dit signaal bestaat niet (meer)."
  }
}

export interface AbsenceStoreService {
  /**
   * Runs `fill` in one write transaction after removing the school's records in the header's
   * period; `fill` streams the rows into the sink and may fail, which rolls everything back.
   * `after` runs in the same transaction (the signal merge), so records and signals land together.
   * The import itself is recorded (header and counts) in the same transaction.
   */
  readonly replacePeriod: <E, R, A>(
    header: ImportHeader,
    fill: (sink: ImportSink) => Effect.Effect<A, E | SqlError, R>,
    after: (summary: ImportSummary, filled: A) => Effect.Effect<SignalMergeSummary, E | SqlError, R>,
  ) => Effect.Effect<
    { readonly summary: ImportSummary; readonly signals: SignalMergeSummary; readonly filled: A },
    E | SqlError,
    R
  >
  /** The school's records from `from` to `to`, grouped per pupil, each pupil's by date (for classification). */
  readonly recordsOfSchool: (
    schoolId: Ids.OrganisationId,
    from: LocalDate.LocalDate,
    to: LocalDate.LocalDate,
  ) => Effect.Effect<ReadonlyMap<string, ReadonlyArray<StoredAbsence>>, SqlError>
  /**
   * The records of the given pupils from `from` to `to` (both included), leaving out the days of
   * `except` (both included), grouped per pupil, each pupil's by date. For classification in groups
   * of pupils (an index lookup per pupil), not the whole school at once.
   */
  readonly recordsOfPupils: (
    schoolId: Ids.OrganisationId,
    pupilNumbers: ReadonlyArray<string>,
    from: LocalDate.LocalDate,
    to: LocalDate.LocalDate,
    except?: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate } | undefined,
  ) => Effect.Effect<ReadonlyMap<string, ReadonlyArray<StoredAbsence>>, SqlError>
  /** The first and last day with a record of the school from `from` to `to`; undefined without one. */
  readonly recordDays: (
    schoolId: Ids.OrganisationId,
    from: LocalDate.LocalDate,
    to: LocalDate.LocalDate,
  ) => Effect.Effect<
    { readonly first: LocalDate.LocalDate; readonly last: LocalDate.LocalDate } | undefined,
    SqlError
  >
  /**
   * A page of the school's pupils by pupil number: at most `limit`, after `after` (in the
   * database's order of pupil numbers). For walking every pupil in short steps.
   */
  readonly pupilPage: (
    schoolId: Ids.OrganisationId,
    after: string | undefined,
    limit: number,
  ) => Effect.Effect<ReadonlyArray<AbsencePupil>, SqlError>
  /** One pupil's records from `from` to `to` (both included), by date. */
  readonly recordsOfPupil: (
    schoolId: Ids.OrganisationId,
    pupilNumber: string,
    from: LocalDate.LocalDate,
    to: LocalDate.LocalDate,
  ) => Effect.Effect<ReadonlyArray<StoredAbsence>, SqlError>
  readonly pupil: (
    schoolId: Ids.OrganisationId,
    pupilNumber: string,
  ) => Effect.Effect<AbsencePupil | undefined, SqlError>
  /** The pupils of a school that imports named (name and birth date where the mapping carried them). */
  readonly pupils: (
    schoolId: Ids.OrganisationId,
    pupilNumbers: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyMap<string, AbsencePupil>, SqlError>
  /**
   * Merges the detected signals of a school into the stored ones (by school, pupil and key): new
   * ones are created, a larger measure re-opens a `gezien` or `geen-actie` signal, open signals
   * not detected any more become `vervallen`. Only for pupils in `pupilNumbers` (the import's).
   * `importId` goes into the history rows it writes.
   */
  readonly mergeSignals: (
    scope: {
      readonly schoolId: Ids.OrganisationId
      readonly regionId: Ids.RegionId
      readonly pupilNumbers: ReadonlySet<string>
      readonly importId?: Ids.AbsenceImportId | undefined
    },
    detected: ReadonlyArray<AbsenceSignal.DetectedSignal>,
  ) => Effect.Effect<SignalMergeSummary, SqlError>
  /** Signals matching every given criterion, by school, then the day they fired (newest first). */
  readonly signals: (filter: SignalFilter) => Effect.Effect<ReadonlyArray<StoredSignal>, SqlError>
  readonly signal: (id: Ids.SignalId) => Effect.Effect<StoredSignal | undefined, SqlError>
  /** Records a user's step on a signal, with a history row; fails when the signal does not exist. */
  readonly changeSignal: (
    id: Ids.SignalId,
    change: SignalChange,
    by: Ids.UserId,
  ) => Effect.Effect<StoredSignal, SqlError | SignalNotFound>
  /** Every change of a signal, oldest first. */
  readonly history: (id: Ids.SignalId) => Effect.Effect<ReadonlyArray<SignalHistoryEntry>, SqlError>
  /** Signals per school, type and status in the regions (for the coordinator: counts, no pupils). */
  readonly counts: (
    regionIds: ReadonlyArray<Ids.RegionId>,
  ) => Effect.Effect<ReadonlyArray<SignalCount>, SqlError>
  /**
   * Links a referral (and its case) to the school's pupil whose signal led to it, so the case
   * worker sees the pupil's absence history and the case's attendance follows the imports.
   * Linking a case again replaces its link.
   */
  readonly link: (link: AbsenceLink) => Effect.Effect<void, SqlError>
  readonly linkOfCase: (caseId: Ids.CaseId) => Effect.Effect<AbsenceLink | undefined, SqlError>
  /** The links of a school's pupils to cases (after an import: whose attendance to update). */
  readonly linksOfSchool: (
    schoolId: Ids.OrganisationId,
  ) => Effect.Effect<ReadonlyArray<AbsenceLink>, SqlError>
  /** A school's imports, newest first. */
  readonly imports: (schoolId: Ids.OrganisationId) => Effect.Effect<ReadonlyArray<ImportRecord>, SqlError>
  /**
   * Removes records dated before `before` in the region's schools (the schools its imports came
   * for); returns how many. Signals stay (their explanation says what they saw); pupils left with
   * no records, no open or referred signal and no link go too.
   */
  readonly purge: (regionId: Ids.RegionId, before: LocalDate.LocalDate) => Effect.Effect<number, SqlError>
}

/** A stored row as the domain's record: minutes become clock hours. */
export const toAbsenceRecord = (stored: StoredAbsence): Absence.AbsenceRecord => ({
  date: stored.date,
  amount: { unit: "hours", value: stored.minutes / 60 },
  kind: stored.kind,
  authorised: stored.authorised,
})

const notBuilt = Effect.dieMessage("AbsenceStore: not built yet (issue 15)")

/** Placeholder that dies on every call (kept for tests that stub the store). */
export const unbuilt: AbsenceStoreService = {
  replacePeriod: () => notBuilt,
  recordsOfSchool: () => notBuilt,
  recordsOfPupil: () => notBuilt,
  recordsOfPupils: () => notBuilt,
  recordDays: () => notBuilt,
  pupilPage: () => notBuilt,
  pupil: () => notBuilt,
  pupils: () => notBuilt,
  mergeSignals: () => notBuilt,
  signals: () => notBuilt,
  signal: () => notBuilt,
  changeSignal: () => notBuilt,
  history: () => notBuilt,
  counts: () => notBuilt,
  link: () => notBuilt,
  linkOfCase: () => notBuilt,
  linksOfSchool: () => notBuilt,
  imports: () => notBuilt,
  purge: () => notBuilt,
}

// --- schema -----------------------------------------------------------------------------------

const KINDS = "'ongeoorloofd', 'geoorloofd', 'ziek', 'luxe-verzuim', 'te-laat', 'schorsing'"
const STATUSES = "'nieuw', 'gezien', 'aangemeld', 'geen-actie', 'vervallen'"
const CHANGES =
  "'created', 'reopened', 'redetected', 'withdrawn', 'seen', 'no-action', 'referred', 'duo-status'"

/**
 * Records have no key of their own: an import replaces a school's period as a whole, so nothing
 * addresses one row. The two indexes serve that replace and the retention purge (school, date)
 * and a pupil's history (school, pupil, date). `import_id` tells which import brought a row; no
 * foreign key, so an insert checks nothing per row. The import list keeps no file name and no rows.
 */
export const absenceMigration = {
  sqlite: [
    `CREATE TABLE absence_imports (
      id TEXT PRIMARY KEY NOT NULL,
      school_id TEXT NOT NULL,
      region_id TEXT NOT NULL,
      period_from TEXT NOT NULL,
      period_to TEXT NOT NULL,
      by_user_id TEXT NOT NULL,
      at TEXT NOT NULL,
      mapping TEXT NOT NULL,
      format TEXT NOT NULL,
      replaced INTEGER NOT NULL DEFAULT 0,
      inserted INTEGER NOT NULL DEFAULT 0,
      signals_created INTEGER NOT NULL DEFAULT 0,
      signals_reopened INTEGER NOT NULL DEFAULT 0,
      signals_updated INTEGER NOT NULL DEFAULT 0,
      signals_withdrawn INTEGER NOT NULL DEFAULT 0
    ) STRICT`,
    "CREATE INDEX absence_imports_school_idx ON absence_imports (school_id, at)",
    "CREATE INDEX absence_imports_region_idx ON absence_imports (region_id, school_id)",
    `CREATE TABLE absence_records (
      school_id TEXT NOT NULL,
      pupil_number TEXT NOT NULL,
      date TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN (${KINDS})),
      authorised INTEGER NOT NULL CHECK (authorised IN (0, 1)),
      minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
      code TEXT NOT NULL,
      import_id TEXT NOT NULL
    ) STRICT`,
    "CREATE INDEX absence_records_school_date_idx ON absence_records (school_id, date)",
    "CREATE INDEX absence_records_pupil_idx ON absence_records (school_id, pupil_number, date)",
    `CREATE TABLE absence_pupils (
      school_id TEXT NOT NULL,
      pupil_number TEXT NOT NULL,
      name TEXT,
      birth_date TEXT,
      last_import_id TEXT NOT NULL,
      PRIMARY KEY (school_id, pupil_number)
    ) STRICT`,
    `CREATE TABLE absence_signals (
      id TEXT PRIMARY KEY NOT NULL,
      region_id TEXT NOT NULL,
      school_id TEXT NOT NULL,
      pupil_number TEXT NOT NULL,
      type TEXT NOT NULL,
      key TEXT NOT NULL,
      from_date TEXT NOT NULL,
      to_date TEXT NOT NULL,
      fires_on TEXT NOT NULL,
      measure REAL NOT NULL,
      explanation TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN (${STATUSES})),
      reopened INTEGER NOT NULL DEFAULT 0,
      note TEXT,
      reason TEXT,
      referral_id TEXT,
      duo_status TEXT,
      duo_status_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (school_id, pupil_number, key)
    ) STRICT`,
    "CREATE INDEX absence_signals_region_idx ON absence_signals (region_id, school_id, type, status)",
    "CREATE INDEX absence_signals_school_idx ON absence_signals (school_id, status, fires_on)",
    `CREATE TABLE absence_signal_history (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      signal_id TEXT NOT NULL REFERENCES absence_signals (id),
      at TEXT NOT NULL,
      by_user_id TEXT,
      import_id TEXT,
      change TEXT NOT NULL CHECK (change IN (${CHANGES})),
      status TEXT NOT NULL CHECK (status IN (${STATUSES})),
      measure REAL NOT NULL,
      note TEXT,
      reason TEXT,
      referral_id TEXT,
      duo_status TEXT
    ) STRICT`,
    "CREATE INDEX absence_signal_history_signal_idx ON absence_signal_history (signal_id, seq)",
    `CREATE TABLE absence_links (
      case_id TEXT PRIMARY KEY NOT NULL,
      referral_id TEXT NOT NULL,
      school_id TEXT NOT NULL,
      pupil_number TEXT NOT NULL,
      signal_id TEXT,
      linked_at TEXT NOT NULL
    ) STRICT`,
    "CREATE INDEX absence_links_pupil_idx ON absence_links (school_id, pupil_number)",
  ],
  pg: [
    `CREATE TABLE absence_imports (
      id text PRIMARY KEY,
      school_id text NOT NULL,
      region_id text NOT NULL,
      period_from date NOT NULL,
      period_to date NOT NULL,
      by_user_id text NOT NULL,
      at timestamptz NOT NULL,
      mapping text NOT NULL,
      format text NOT NULL,
      replaced integer NOT NULL DEFAULT 0,
      inserted integer NOT NULL DEFAULT 0,
      signals_created integer NOT NULL DEFAULT 0,
      signals_reopened integer NOT NULL DEFAULT 0,
      signals_updated integer NOT NULL DEFAULT 0,
      signals_withdrawn integer NOT NULL DEFAULT 0
    )`,
    "CREATE INDEX absence_imports_school_idx ON absence_imports (school_id, at)",
    "CREATE INDEX absence_imports_region_idx ON absence_imports (region_id, school_id)",
    `CREATE TABLE absence_records (
      school_id text NOT NULL,
      pupil_number text NOT NULL,
      date date NOT NULL,
      kind text NOT NULL CHECK (kind IN (${KINDS})),
      authorised boolean NOT NULL,
      minutes integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
      code text NOT NULL,
      import_id text NOT NULL
    )`,
    "CREATE INDEX absence_records_school_date_idx ON absence_records (school_id, date)",
    "CREATE INDEX absence_records_pupil_idx ON absence_records (school_id, pupil_number, date)",
    `CREATE TABLE absence_pupils (
      school_id text NOT NULL,
      pupil_number text NOT NULL,
      name text,
      birth_date date,
      last_import_id text NOT NULL,
      PRIMARY KEY (school_id, pupil_number)
    )`,
    `CREATE TABLE absence_signals (
      id text PRIMARY KEY,
      region_id text NOT NULL,
      school_id text NOT NULL,
      pupil_number text NOT NULL,
      type text NOT NULL,
      key text NOT NULL,
      from_date date NOT NULL,
      to_date date NOT NULL,
      fires_on date NOT NULL,
      measure double precision NOT NULL,
      explanation text NOT NULL,
      status text NOT NULL CHECK (status IN (${STATUSES})),
      reopened integer NOT NULL DEFAULT 0,
      note text,
      reason text,
      referral_id text,
      duo_status text,
      duo_status_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (school_id, pupil_number, key)
    )`,
    "CREATE INDEX absence_signals_region_idx ON absence_signals (region_id, school_id, type, status)",
    "CREATE INDEX absence_signals_school_idx ON absence_signals (school_id, status, fires_on)",
    `CREATE TABLE absence_signal_history (
      seq bigserial PRIMARY KEY,
      signal_id text NOT NULL REFERENCES absence_signals (id),
      at timestamptz NOT NULL,
      by_user_id text,
      import_id text,
      change text NOT NULL CHECK (change IN (${CHANGES})),
      status text NOT NULL CHECK (status IN (${STATUSES})),
      measure double precision NOT NULL,
      note text,
      reason text,
      referral_id text,
      duo_status text
    )`,
    "CREATE INDEX absence_signal_history_signal_idx ON absence_signal_history (signal_id, seq)",
    `CREATE TABLE absence_links (
      case_id text PRIMARY KEY,
      referral_id text NOT NULL,
      school_id text NOT NULL,
      pupil_number text NOT NULL,
      signal_id text,
      linked_at timestamptz NOT NULL
    )`,
    "CREATE INDEX absence_links_pupil_idx ON absence_links (school_id, pupil_number)",
  ],
} as const

// --- rows -------------------------------------------------------------------------------------

interface SignalRow {
  readonly id: string
  readonly region_id: string
  readonly school_id: string
  readonly pupil_number: string
  readonly type: string
  readonly key: string
  readonly from_date: string
  readonly to_date: string
  readonly fires_on: string
  readonly measure: number | string
  readonly explanation: string
  readonly status: string
  readonly reopened: number | string
  readonly note: string | null
  readonly reason: string | null
  readonly referral_id: string | null
  readonly duo_status: string | null
  readonly duo_status_at: string | null
  readonly created_at: string
  readonly updated_at: string
}

const SIGNAL_COLUMNS =
  "id, region_id, school_id, pupil_number, type, key, from_date, to_date, fires_on, measure, explanation, status, reopened, note, reason, referral_id, duo_status, duo_status_at, created_at, updated_at"

const opt = <A>(value: A | null | undefined): A | undefined => (value === null ? undefined : value)

const toSignal = (row: SignalRow): StoredSignal => ({
  id: row.id as Ids.SignalId,
  regionId: row.region_id as Ids.RegionId,
  schoolId: row.school_id as Ids.OrganisationId,
  pupilNumber: row.pupil_number,
  type: row.type as AbsenceSignal.SignalType,
  key: row.key,
  from: row.from_date as LocalDate.LocalDate,
  to: row.to_date as LocalDate.LocalDate,
  firesOn: row.fires_on as LocalDate.LocalDate,
  measure: Number(row.measure),
  explanation: row.explanation,
  status: row.status as AbsenceSignal.SignalStatus,
  reopened: toInt(row.reopened),
  note: opt(row.note),
  reason: opt(row.reason),
  referralId: opt(row.referral_id) as Ids.ReferralId | undefined,
  duoStatus: opt(row.duo_status) as AbsenceSignal.DuoMeldingStatus | undefined,
  duoStatusAt: opt(row.duo_status_at) as Timestamp.Timestamp | undefined,
  createdAt: row.created_at as Timestamp.Timestamp,
  updatedAt: row.updated_at as Timestamp.Timestamp,
})

interface LinkRow {
  readonly case_id: string
  readonly referral_id: string
  readonly school_id: string
  readonly pupil_number: string
  readonly signal_id: string | null
}

const toLink = (row: LinkRow): AbsenceLink => ({
  caseId: row.case_id as Ids.CaseId,
  referralId: row.referral_id as Ids.ReferralId,
  schoolId: row.school_id as Ids.OrganisationId,
  pupilNumber: row.pupil_number,
  signalId: opt(row.signal_id) as Ids.SignalId | undefined,
})

/**
 * Rows per statement. SQLite gets a batch as one JSON text, made binary once (`jsonb`) and unpacked
 * by `jsonb_each` (one bound value, not eight per row; each field is read from the binary form
 * without parsing text again: measured about 1.2× a prepared statement per row run directly on the
 * driver, which this client cannot do without an effect per statement, 15× slower); PostgreSQL
 * binds one array per column and unpacks them with `unnest`.
 */
const SQLITE_BATCH = 1_000
const PG_BATCH = 5_000

/** Pupils per statement when a statement names them (a JSON list or an array). */
const PUPILS_PER_STATEMENT = 1_000
/** Signals (or history rows) per statement of the merge. */
const SIGNALS_PER_STATEMENT = 1_000
/** Records a SQLite statement deletes at a time when an import replaces a period (short steps). */
const SQLITE_DELETE_BATCH = 5_000

/** At most this long without handing the event loop back while an import writes. */
const BREATHE_EVERY_MS = 10

/**
 * Lets the event loop run (timers, sockets): `Effect.yieldNow` only yields to other fibers through
 * microtasks, which would keep HTTP requests waiting for the whole import.
 */
const breathe: Effect.Effect<void> = Effect.async<void>((resume) => {
  setImmediate(() => resume(Effect.void))
})

/** A WAL larger than this after an import is checkpointed on a thread of its own. */
const CHECKPOINT_OFF_LOOP_BYTES = 4 * 1024 * 1024

/**
 * A checkpoint of the SQLite file on a connection of its own, in a worker thread: copying a large
 * import's write-ahead log into the database (and its fsync) takes seconds, which on the event
 * loop would stop every other request meanwhile. PASSIVE: it waits for no reader or writer.
 */
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require("node:worker_threads")
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true })
try {
  db.pragma("busy_timeout = 5000")
  parentPort.postMessage(db.pragma("wal_checkpoint(PASSIVE)"))
} finally {
  db.close()
}
`

const checkpointOffLoop = (file: string): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    let done = false
    const finish = () => {
      if (done) return
      done = true
      resume(Effect.void)
    }
    let worker: Worker
    try {
      worker = new Worker(CHECKPOINT_WORKER, {
        eval: true,
        workerData: { file, driver: createRequire(import.meta.url).resolve("better-sqlite3") },
      })
    } catch {
      finish()
      return
    }
    // A failed checkpoint is harmless: the connection's own automatic checkpoint does it later.
    worker.once("error", finish)
    worker.once("exit", finish)
    return Effect.sync(() => {
      void worker.terminate()
    })
  })

/** Flushes a file to disk off the event loop (libuv's threads); false when it cannot. */
const syncFile = (path: string): Effect.Effect<boolean> =>
  Effect.promise(async () => {
    try {
      const handle = await open(path, "r")
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
      return true
    } catch {
      return false
    }
  })

const sizeOf = (path: string): Effect.Effect<number> =>
  Effect.promise(() =>
    stat(path).then(
      (s) => s.size,
      () => 0,
    ),
  )

/** Rows changed by a statement run with `.raw`: better-sqlite3's `changes`, pg's `rowCount`. */
const changedRows = (raw: unknown): number => {
  const r = raw as { changes?: unknown; rowCount?: unknown }
  return toInt(r.changes ?? r.rowCount ?? 0)
}

const SQLITE_RECORDS = `INSERT INTO absence_records (school_id, pupil_number, date, kind, authorised, minutes, code, import_id)
  SELECT ?, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, ? FROM jsonb_each(jsonb(?))`

const PG_RECORDS = `INSERT INTO absence_records (school_id, pupil_number, date, kind, authorised, minutes, code, import_id)
  SELECT $1, u.pupil_number, u.date, u.kind, u.authorised, u.minutes, u.code, $2
  FROM unnest($3::text[], $4::date[], $5::text[], $6::boolean[], $7::integer[], $8::text[])
    AS u (pupil_number, date, kind, authorised, minutes, code)`

// An import without a name or birth date keeps the known one. (`WHERE true`: SQLite's parser needs
// it between a SELECT and ON CONFLICT.)
const SQLITE_PUPILS = `INSERT INTO absence_pupils (school_id, pupil_number, name, birth_date, last_import_id)
  SELECT ?, value ->> 0, value ->> 1, value ->> 2, ? FROM jsonb_each(jsonb(?)) WHERE true
  ON CONFLICT (school_id, pupil_number) DO UPDATE SET
    name = coalesce(excluded.name, absence_pupils.name),
    birth_date = coalesce(excluded.birth_date, absence_pupils.birth_date),
    last_import_id = excluded.last_import_id`

const PG_PUPILS = `INSERT INTO absence_pupils (school_id, pupil_number, name, birth_date, last_import_id)
  SELECT $1, u.pupil_number, u.name, u.birth_date, $2
  FROM unnest($3::text[], $4::text[], $5::date[]) AS u (pupil_number, name, birth_date)
  ON CONFLICT (school_id, pupil_number) DO UPDATE SET
    name = coalesce(excluded.name, absence_pupils.name),
    birth_date = coalesce(excluded.birth_date, absence_pupils.birth_date),
    last_import_id = excluded.last_import_id`

const makeSink = (db: DatabaseService, header: ImportHeader, counter: { inserted: number }): ImportSink => {
  const { sql } = db
  let lastBreath = performance.now()
  /** Hands the event loop back when this import has kept it for a while. */
  const maybeBreathe = Effect.suspend(() => {
    if (performance.now() - lastBreath < BREATHE_EVERY_MS) return Effect.void
    return Effect.zipRight(
      breathe,
      Effect.sync(() => {
        lastBreath = performance.now()
      }),
    )
  })

  const recordsStatement = (rows: ReadonlyArray<StoredAbsence>, start: number, end: number) => {
    if (db.dialect === "pg") {
      const n = end - start
      const pupils = new Array<string>(n)
      const dates = new Array<string>(n)
      const kinds = new Array<string>(n)
      const authorised = new Array<boolean>(n)
      const minutes = new Array<number>(n)
      const codes = new Array<string>(n)
      for (let i = start; i < end; i++) {
        const row = rows[i] as StoredAbsence
        const j = i - start
        pupils[j] = row.pupilNumber
        dates[j] = row.date
        kinds[j] = row.kind
        authorised[j] = row.authorised
        minutes[j] = Math.round(row.minutes)
        codes[j] = row.code
      }
      return sql.unsafe(PG_RECORDS, [
        header.schoolId,
        header.importId,
        pupils,
        dates,
        kinds,
        authorised,
        minutes,
        codes,
      ])
    }
    const tuples = new Array<unknown>(end - start)
    for (let i = start; i < end; i++) {
      const row = rows[i] as StoredAbsence
      tuples[i - start] = [
        row.pupilNumber,
        row.date,
        row.kind,
        row.authorised ? 1 : 0,
        Math.round(row.minutes),
        row.code,
      ]
    }
    return sql.unsafe(SQLITE_RECORDS, [header.schoolId, header.importId, JSON.stringify(tuples)])
  }

  const insertRecords = (rows: ReadonlyArray<StoredAbsence>) =>
    Effect.gen(function* () {
      const batch = db.dialect === "pg" ? PG_BATCH : SQLITE_BATCH
      for (let start = 0; start < rows.length; start += batch) {
        yield* recordsStatement(rows, start, Math.min(rows.length, start + batch)).raw
        yield* maybeBreathe
      }
    })

  const upsertPupils = (pupils: ReadonlyArray<AbsencePupil>) =>
    Effect.gen(function* () {
      // One row per pupil per statement (PostgreSQL refuses to update a row twice in one upsert).
      const unique = new Map<string, AbsencePupil>()
      for (const pupil of pupils) {
        const seen = unique.get(pupil.pupilNumber)
        unique.set(
          pupil.pupilNumber,
          seen === undefined
            ? pupil
            : {
                pupilNumber: pupil.pupilNumber,
                name: pupil.name ?? seen.name,
                birthDate: pupil.birthDate ?? seen.birthDate,
              },
        )
      }
      const list = [...unique.values()]
      const batch = db.dialect === "pg" ? PG_BATCH : SQLITE_BATCH
      for (let start = 0; start < list.length; start += batch) {
        const chunk = list.slice(start, start + batch)
        yield* (
          db.dialect === "pg"
            ? sql.unsafe(PG_PUPILS, [
                header.schoolId,
                header.importId,
                chunk.map((p) => p.pupilNumber),
                chunk.map((p) => p.name ?? null),
                chunk.map((p) => p.birthDate ?? null),
              ])
            : sql.unsafe(SQLITE_PUPILS, [
                header.schoolId,
                header.importId,
                JSON.stringify(chunk.map((p) => [p.pupilNumber, p.name ?? null, p.birthDate ?? null])),
              ])
        ).raw
        yield* maybeBreathe
      }
    })

  return {
    insert: (rows, pupils) =>
      Effect.gen(function* () {
        if (rows.length > 0) yield* insertRecords(rows)
        if (pupils.length > 0) yield* upsertPupils(pupils)
        counter.inserted += rows.length
      }),
  }
}

/** The merge summary of an import that changed no signal (an `after` that merges nothing). */
export const noSignalChanges: SignalMergeSummary = { created: 0, reopened: 0, updated: 0, withdrawn: 0 }

// --- the service ------------------------------------------------------------------------------

const make = Effect.gen(function* () {
  const db = yield* Database
  const { sql } = db

  /** The SQLite database's file, or undefined (PostgreSQL, or a database in memory). */
  const sqliteFile = Effect.map(
    sql<{ name: string; file: string }>`PRAGMA database_list`,
    (rows) => rows.find((r) => r.name === "main")?.file || undefined,
  )

  /**
   * SQLite: the import's transaction with the work of its commit kept off the event loop where it
   * can be. The connection's automatic checkpoint is off meanwhile (it would copy the whole log
   * into the database inside COMMIT); the log is flushed to disk off the loop before COMMIT (so
   * COMMIT's own fsync finds little left), and afterwards a large log is checkpointed in a worker
   * thread; then the automatic checkpoint is back as it was.
   */
  const sqliteImport = <A, E, R>(
    transaction: (beforeCommit: Effect.Effect<void>) => Effect.Effect<A, E, R>,
  ) =>
    Effect.gen(function* () {
      const file = yield* sqliteFile
      if (file === undefined) return yield* transaction(Effect.void)
      const [setting] = yield* sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`
      const restore = setting?.wal_autocheckpoint ?? 1000
      yield* sql.unsafe("PRAGMA wal_autocheckpoint = 0")
      const wal = `${file}-wal`
      return yield* transaction(Effect.asVoid(syncFile(wal))).pipe(
        Effect.ensuring(
          Effect.gen(function* () {
            if ((yield* sizeOf(wal)) > CHECKPOINT_OFF_LOOP_BYTES) yield* checkpointOffLoop(file)
            yield* sql.unsafe(`PRAGMA wal_autocheckpoint = ${Math.max(0, Math.floor(Number(restore)))}`)
          }).pipe(Effect.ignore),
        ),
      )
    })

  const replacePeriod: AbsenceStoreService["replacePeriod"] = (header, fill, after) =>
    db.dialect === "pg"
      ? importTransaction(header, fill, after, Effect.void)
      : sqliteImport((beforeCommit) => importTransaction(header, fill, after, beforeCommit))

  const importTransaction = <E, R, A>(
    header: ImportHeader,
    fill: (sink: ImportSink) => Effect.Effect<A, E | SqlError, R>,
    after: (summary: ImportSummary, filled: A) => Effect.Effect<SignalMergeSummary, E | SqlError, R>,
    beforeCommit: Effect.Effect<void>,
  ) =>
    db.writeTransaction(
      Effect.gen(function* () {
        // Imports of one school take turns (SQLite's write lock does this already).
        if (db.dialect === "pg")
          yield* sql`SELECT pg_advisory_xact_lock(hashtext(${`absence-import:${header.schoolId}`}))`
        const at = yield* now
        yield* sql`INSERT INTO absence_imports ${sql.insert({
          id: header.importId,
          school_id: header.schoolId,
          region_id: header.regionId,
          period_from: header.period.from,
          period_to: header.period.to,
          by_user_id: header.by,
          at,
          mapping: header.mapping,
          format: header.format,
        })}`
        let replaced = 0
        if (db.dialect === "pg")
          replaced = changedRows(
            yield* sql`DELETE FROM absence_records
              WHERE school_id = ${header.schoolId} AND date >= ${header.period.from} AND date <= ${header.period.to}`
              .raw,
          )
        // SQLite runs on the event loop: a year of records goes in short steps, the loop runs between.
        else
          for (;;) {
            const n = changedRows(
              yield* sql`DELETE FROM absence_records WHERE rowid IN (
                SELECT rowid FROM absence_records
                WHERE school_id = ${header.schoolId} AND date >= ${header.period.from} AND date <= ${header.period.to}
                LIMIT ${SQLITE_DELETE_BATCH})`.raw,
            )
            replaced += n
            if (n < SQLITE_DELETE_BATCH) break
            yield* breathe
          }
        const counter = { inserted: 0 }
        const filled = yield* fill(makeSink(db, header, counter))
        const summary: ImportSummary = { replaced, inserted: counter.inserted }
        const signals = yield* after(summary, filled)
        yield* sql`UPDATE absence_imports SET
          replaced = ${summary.replaced}, inserted = ${summary.inserted},
          signals_created = ${signals.created}, signals_reopened = ${signals.reopened},
          signals_updated = ${signals.updated}, signals_withdrawn = ${signals.withdrawn}
          WHERE id = ${header.importId}`
        yield* beforeCommit
        return { summary, signals, filled }
      }),
    )

  const fromValues = (values: ReadonlyArray<ReadonlyArray<unknown>>, offset: number): Array<StoredAbsence> =>
    values.map((v) => ({
      pupilNumber: v[offset] as string,
      date: v[offset + 1] as LocalDate.LocalDate,
      kind: v[offset + 2] as Absence.AbsenceKind,
      authorised: v[offset + 3] === true || v[offset + 3] === 1,
      minutes: toInt(v[offset + 4]),
      code: v[offset + 5] as string,
    }))

  const recordsOfSchool: AbsenceStoreService["recordsOfSchool"] = (schoolId, from, to) =>
    Effect.map(
      // In date order, as the (school_id, date) index holds them: no sort of the whole school in
      // SQL (ordering by pupil made SQLite sort a million rows in a temporary B-tree). Rows come
      // as arrays (no object per row from the driver) and are grouped in one pass; each pupil's
      // list is then already in date order, and the pupils are sorted once.
      sql`SELECT pupil_number, date, kind, authorised, minutes, code FROM absence_records
        WHERE school_id = ${schoolId} AND date >= ${from} AND date <= ${to}
        ORDER BY date`.values,
      (values) => {
        const byPupil = new Map<string, Array<StoredAbsence>>()
        for (const v of values) {
          const pupilNumber = v[0] as string
          let list = byPupil.get(pupilNumber)
          if (list === undefined) {
            list = []
            byPupil.set(pupilNumber, list)
          }
          list.push({
            pupilNumber,
            date: v[1] as LocalDate.LocalDate,
            kind: v[2] as Absence.AbsenceKind,
            authorised: v[3] === true || v[3] === 1,
            minutes: toInt(v[4]),
            code: v[5] as string,
          })
        }
        const sorted = new Map<string, ReadonlyArray<StoredAbsence>>()
        for (const pupilNumber of [...byPupil.keys()].sort())
          sorted.set(pupilNumber, byPupil.get(pupilNumber) as Array<StoredAbsence>)
        return sorted
      },
    )

  const recordsOfPupil: AbsenceStoreService["recordsOfPupil"] = (schoolId, pupilNumber, from, to) =>
    Effect.map(
      sql`SELECT pupil_number, date, kind, authorised, minutes, code FROM absence_records
        WHERE school_id = ${schoolId} AND pupil_number = ${pupilNumber} AND date >= ${from} AND date <= ${to}
        ORDER BY date`.values,
      (values) => fromValues(values, 0),
    )

  const recordsOfPupils: AbsenceStoreService["recordsOfPupils"] = (
    schoolId,
    pupilNumbers,
    from,
    to,
    except,
  ) =>
    Effect.gen(function* () {
      const byPupil = new Map<string, Array<StoredAbsence>>()
      // Outside `except`: the days before it and the days after it (the pupil index serves each).
      const ranges =
        except === undefined
          ? [{ from, to }]
          : [
              { from, to: LocalDate.min(to, LocalDate.addDays(except.from, -1)) },
              { from: LocalDate.max(from, LocalDate.addDays(except.to, 1)), to },
            ]
      for (let start = 0; start < pupilNumbers.length; start += PUPILS_PER_STATEMENT) {
        const chunk = pupilNumbers.slice(start, start + PUPILS_PER_STATEMENT)
        for (const range of ranges) {
          if (range.from > range.to) continue
          const values =
            db.dialect === "pg"
              ? yield* sql.unsafe(
                  `SELECT pupil_number, date, kind, authorised, minutes, code FROM absence_records
                    WHERE school_id = $1 AND pupil_number = ANY($2::text[]) AND date >= $3 AND date <= $4
                    ORDER BY pupil_number, date`,
                  [schoolId, chunk, range.from, range.to],
                ).values
              : yield* sql.unsafe(
                  `SELECT pupil_number, date, kind, authorised, minutes, code FROM absence_records
                    WHERE school_id = ? AND pupil_number IN (SELECT value FROM json_each(?)) AND date >= ? AND date <= ?
                    ORDER BY pupil_number, date`,
                  [schoolId, JSON.stringify(chunk), range.from, range.to],
                ).values
          for (const row of fromValues(values, 0)) {
            let list = byPupil.get(row.pupilNumber)
            if (list === undefined) {
              list = []
              byPupil.set(row.pupilNumber, list)
            }
            list.push(row)
          }
        }
      }
      return byPupil
    })

  const recordDays: AbsenceStoreService["recordDays"] = (schoolId, from, to) =>
    Effect.gen(function* () {
      // Two statements: each is one step along the (school_id, date) index.
      const [first] = yield* sql<{ d: string | null }>`SELECT min(date) AS d FROM absence_records
        WHERE school_id = ${schoolId} AND date >= ${from} AND date <= ${to}`
      const [last] = yield* sql<{ d: string | null }>`SELECT max(date) AS d FROM absence_records
        WHERE school_id = ${schoolId} AND date >= ${from} AND date <= ${to}`
      return first?.d == null || last?.d == null
        ? undefined
        : { first: first.d as LocalDate.LocalDate, last: last.d as LocalDate.LocalDate }
    })

  interface PupilRow {
    readonly pupil_number: string
    readonly name: string | null
    readonly birth_date: string | null
  }
  const toPupil = (row: PupilRow): AbsencePupil => ({
    pupilNumber: row.pupil_number,
    name: opt(row.name),
    birthDate: opt(row.birth_date) as LocalDate.LocalDate | undefined,
  })

  const pupil: AbsenceStoreService["pupil"] = (schoolId, pupilNumber) =>
    Effect.map(
      sql<PupilRow>`SELECT pupil_number, name, birth_date FROM absence_pupils
        WHERE school_id = ${schoolId} AND pupil_number = ${pupilNumber}`,
      (rows) => (rows[0] === undefined ? undefined : toPupil(rows[0])),
    )

  const pupilPage: AbsenceStoreService["pupilPage"] = (schoolId, after, limit) =>
    Effect.map(
      after === undefined
        ? sql<PupilRow>`SELECT pupil_number, name, birth_date FROM absence_pupils
            WHERE school_id = ${schoolId} ORDER BY pupil_number LIMIT ${limit}`
        : sql<PupilRow>`SELECT pupil_number, name, birth_date FROM absence_pupils
            WHERE school_id = ${schoolId} AND pupil_number > ${after} ORDER BY pupil_number LIMIT ${limit}`,
      (rows) => rows.map(toPupil),
    )

  const pupils: AbsenceStoreService["pupils"] = (schoolId, pupilNumbers) =>
    Effect.gen(function* () {
      const found = new Map<string, AbsencePupil>()
      const unique = [...new Set(pupilNumbers)]
      for (let start = 0; start < unique.length; start += 500) {
        const chunk = unique.slice(start, start + 500)
        const rows = yield* sql<PupilRow>`SELECT pupil_number, name, birth_date FROM absence_pupils
          WHERE school_id = ${schoolId} AND ${sql.in("pupil_number", chunk)}`
        for (const row of rows) found.set(row.pupil_number, toPupil(row))
      }
      return found
    })

  const history = (
    signalId: Ids.SignalId,
    at: Timestamp.Timestamp,
    change: SignalHistoryChange,
    status: AbsenceSignal.SignalStatus,
    measure: number,
    extra: {
      readonly by?: Ids.UserId | undefined
      readonly importId?: Ids.AbsenceImportId | undefined
      readonly note?: string | undefined
      readonly reason?: string | undefined
      readonly referralId?: Ids.ReferralId | undefined
      readonly duoStatus?: AbsenceSignal.DuoMeldingStatus | undefined
    } = {},
  ) =>
    sql`INSERT INTO absence_signal_history ${sql.insert({
      signal_id: signalId,
      at,
      by_user_id: extra.by ?? null,
      import_id: extra.importId ?? null,
      change,
      status,
      measure,
      note: extra.note ?? null,
      reason: extra.reason ?? null,
      referral_id: extra.referralId ?? null,
      duo_status: extra.duoStatus ?? null,
    })}`

  /** The stored signals of the school's pupils in `pupilNumbers`, locked for the merge (PostgreSQL). */
  const signalsOfPupils = (schoolId: Ids.OrganisationId, pupilNumbers: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const rows: Array<SignalRow> = []
      for (let start = 0; start < pupilNumbers.length; start += PUPILS_PER_STATEMENT) {
        const chunk = pupilNumbers.slice(start, start + PUPILS_PER_STATEMENT)
        const found =
          db.dialect === "pg"
            ? yield* sql.unsafe<SignalRow>(
                `SELECT ${SIGNAL_COLUMNS} FROM absence_signals
                  WHERE school_id = $1 AND pupil_number = ANY($2::text[]) FOR UPDATE`,
                [schoolId, chunk],
              )
            : yield* sql.unsafe<SignalRow>(
                `SELECT ${SIGNAL_COLUMNS} FROM absence_signals
                  WHERE school_id = ? AND pupil_number IN (SELECT value FROM json_each(?))`,
                [schoolId, JSON.stringify(chunk)],
              )
        for (const row of found) rows.push(row)
      }
      return rows
    })

  interface NewSignal {
    readonly id: Ids.SignalId
    readonly signal: AbsenceSignal.DetectedSignal
  }
  interface SignalUpdate {
    readonly id: Ids.SignalId
    readonly signal: AbsenceSignal.DetectedSignal
    readonly status: AbsenceSignal.SignalStatus
    readonly reopen: boolean
  }
  interface ImportHistory {
    readonly id: Ids.SignalId
    readonly change: SignalHistoryChange
    readonly status: AbsenceSignal.SignalStatus
    readonly measure: number
  }

  /** New signals, `nieuw`, as multi-row statements. */
  const insertSignals = (
    scope: { readonly schoolId: Ids.OrganisationId; readonly regionId: Ids.RegionId },
    list: ReadonlyArray<NewSignal>,
    at: Timestamp.Timestamp,
  ) =>
    Effect.gen(function* () {
      for (let start = 0; start < list.length; start += SIGNALS_PER_STATEMENT) {
        const chunk = list.slice(start, start + SIGNALS_PER_STATEMENT)
        if (db.dialect === "pg")
          yield* sql.unsafe(
            `INSERT INTO absence_signals (id, region_id, school_id, pupil_number, type, key, from_date, to_date,
                fires_on, measure, explanation, status, reopened, created_at, updated_at)
              SELECT u.id, $1, $2, u.pupil_number, u.type, u.key, u.from_date, u.to_date, u.fires_on, u.measure,
                u.explanation, 'nieuw', 0, $3, $3
              FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[], $10::date[],
                $11::double precision[], $12::text[])
                AS u (id, pupil_number, type, key, from_date, to_date, fires_on, measure, explanation)`,
            [
              scope.regionId,
              scope.schoolId,
              at,
              chunk.map((n) => n.id),
              chunk.map((n) => n.signal.pupilNumber),
              chunk.map((n) => n.signal.type),
              chunk.map((n) => n.signal.key),
              chunk.map((n) => n.signal.from),
              chunk.map((n) => n.signal.to),
              chunk.map((n) => n.signal.firesOn),
              chunk.map((n) => n.signal.measure),
              chunk.map((n) => n.signal.explanation),
            ],
          ).raw
        else
          yield* sql.unsafe(
            `INSERT INTO absence_signals (id, region_id, school_id, pupil_number, type, key, from_date, to_date,
                fires_on, measure, explanation, status, reopened, created_at, updated_at)
              SELECT value ->> 0, ?, ?, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
                value ->> 6, value ->> 7, value ->> 8, 'nieuw', 0, ?, ? FROM jsonb_each(jsonb(?))`,
            [
              scope.regionId,
              scope.schoolId,
              at,
              at,
              JSON.stringify(
                chunk.map(({ id, signal: s }) => [
                  id,
                  s.pupilNumber,
                  s.type,
                  s.key,
                  s.from,
                  s.to,
                  s.firesOn,
                  s.measure,
                  s.explanation,
                ]),
              ),
            ],
          ).raw
      }
    })

  /** Changed findings (and status changes) of existing signals, as multi-row statements. */
  const updateSignals = (list: ReadonlyArray<SignalUpdate>, at: Timestamp.Timestamp) =>
    Effect.gen(function* () {
      for (let start = 0; start < list.length; start += SIGNALS_PER_STATEMENT) {
        const chunk = list.slice(start, start + SIGNALS_PER_STATEMENT)
        if (db.dialect === "pg")
          yield* sql.unsafe(
            `UPDATE absence_signals SET from_date = u.from_date, to_date = u.to_date, fires_on = u.fires_on,
                measure = u.measure, explanation = u.explanation, status = u.status,
                reopened = absence_signals.reopened + u.reopen, updated_at = $1
              FROM unnest($2::text[], $3::date[], $4::date[], $5::date[], $6::double precision[], $7::text[],
                $8::text[], $9::integer[])
                AS u (id, from_date, to_date, fires_on, measure, explanation, status, reopen)
              WHERE absence_signals.id = u.id`,
            [
              at,
              chunk.map((u) => u.id),
              chunk.map((u) => u.signal.from),
              chunk.map((u) => u.signal.to),
              chunk.map((u) => u.signal.firesOn),
              chunk.map((u) => u.signal.measure),
              chunk.map((u) => u.signal.explanation),
              chunk.map((u) => u.status),
              chunk.map((u) => (u.reopen ? 1 : 0)),
            ],
          ).raw
        else
          yield* sql.unsafe(
            `UPDATE absence_signals SET from_date = u.value ->> 1, to_date = u.value ->> 2,
                fires_on = u.value ->> 3, measure = u.value ->> 4, explanation = u.value ->> 5,
                status = u.value ->> 6, reopened = absence_signals.reopened + (u.value ->> 7), updated_at = ?
              FROM jsonb_each(jsonb(?)) AS u WHERE absence_signals.id = u.value ->> 0`,
            [
              at,
              JSON.stringify(
                chunk.map(({ id, signal: s, status, reopen }) => [
                  id,
                  s.from,
                  s.to,
                  s.firesOn,
                  s.measure,
                  s.explanation,
                  status,
                  reopen ? 1 : 0,
                ]),
              ),
            ],
          ).raw
      }
    })

  /** Open signals the data no longer shows: `vervallen`. */
  const withdrawSignals = (ids: ReadonlyArray<Ids.SignalId>, at: Timestamp.Timestamp) =>
    Effect.gen(function* () {
      for (let start = 0; start < ids.length; start += SIGNALS_PER_STATEMENT) {
        const chunk = ids.slice(start, start + SIGNALS_PER_STATEMENT)
        yield* (
          db.dialect === "pg"
            ? sql.unsafe(
                "UPDATE absence_signals SET status = 'vervallen', updated_at = $1 WHERE id = ANY($2::text[])",
                [at, chunk],
              )
            : sql.unsafe(
                "UPDATE absence_signals SET status = 'vervallen', updated_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                [at, JSON.stringify(chunk)],
              )
        ).raw
      }
    })

  /** The history rows of an import's changes, in the order given, as multi-row statements. */
  const importHistory = (
    list: ReadonlyArray<ImportHistory>,
    at: Timestamp.Timestamp,
    importId: Ids.AbsenceImportId | undefined,
  ) =>
    Effect.gen(function* () {
      for (let start = 0; start < list.length; start += SIGNALS_PER_STATEMENT) {
        const chunk = list.slice(start, start + SIGNALS_PER_STATEMENT)
        if (db.dialect === "pg")
          yield* sql.unsafe(
            `INSERT INTO absence_signal_history (signal_id, at, import_id, change, status, measure)
              SELECT u.signal_id, $1, $2, u.change, u.status, u.measure
              FROM unnest($3::text[], $4::text[], $5::text[], $6::double precision[]) WITH ORDINALITY
                AS u (signal_id, change, status, measure, n)
              ORDER BY u.n`,
            [
              at,
              importId ?? null,
              chunk.map((h) => h.id),
              chunk.map((h) => h.change),
              chunk.map((h) => h.status),
              chunk.map((h) => h.measure),
            ],
          ).raw
        else
          yield* sql.unsafe(
            `INSERT INTO absence_signal_history (signal_id, at, import_id, change, status, measure)
              SELECT value ->> 0, ?, ?, value ->> 1, value ->> 2, value ->> 3 FROM jsonb_each(jsonb(?)) ORDER BY key`,
            [at, importId ?? null, JSON.stringify(chunk.map((h) => [h.id, h.change, h.status, h.measure]))],
          ).raw
      }
    })

  const mergeSignals: AbsenceStoreService["mergeSignals"] = (scope, detected) =>
    db.writeTransaction(
      Effect.gen(function* () {
        const at = yield* now
        const importId = scope.importId
        const existing = new Map<string, SignalRow>()
        for (const row of yield* signalsOfPupils(scope.schoolId, [...scope.pupilNumbers]))
          existing.set(`${row.pupil_number}\u0000${row.key}`, row)

        // One finding per pupil and key; should the rules report one twice, the larger counts.
        const found = new Map<string, AbsenceSignal.DetectedSignal>()
        for (const signal of detected) {
          if (!scope.pupilNumbers.has(signal.pupilNumber)) continue
          const k = `${signal.pupilNumber}\u0000${signal.key}`
          const before = found.get(k)
          if (before === undefined || signal.measure > before.measure) found.set(k, signal)
        }

        const inserts: Array<NewSignal> = []
        const updates: Array<SignalUpdate> = []
        const withdrawals: Array<Ids.SignalId> = []
        const changes: Array<ImportHistory> = []
        let reopened = 0
        let updated = 0
        for (const [k, signal] of found) {
          const row = existing.get(k)
          if (row === undefined) {
            const id = Ids.newId.signal()
            inserts.push({ id, signal })
            changes.push({ id, change: "created", status: "nieuw", measure: signal.measure })
            continue
          }
          const id = row.id as Ids.SignalId
          const oldMeasure = Number(row.measure)
          const changed =
            oldMeasure !== signal.measure ||
            row.from_date !== signal.from ||
            row.to_date !== signal.to ||
            row.fires_on !== signal.firesOn ||
            row.explanation !== signal.explanation
          const status = row.status as AbsenceSignal.SignalStatus
          const worsened = signal.measure > oldMeasure
          let next: { status: AbsenceSignal.SignalStatus; change?: SignalHistoryChange; reopen: boolean } = {
            status,
            reopen: false,
          }
          if (status === "vervallen") next = { status: "nieuw", change: "redetected", reopen: false }
          else if ((status === "gezien" || status === "geen-actie") && worsened)
            next = { status: "nieuw", change: "reopened", reopen: true }
          if (next.change === undefined && !changed) continue
          updates.push({ id, signal, status: next.status, reopen: next.reopen })
          if (next.change !== undefined) {
            changes.push({ id, change: next.change, status: next.status, measure: signal.measure })
            reopened++
          } else updated++
        }
        // Open findings this import no longer shows: the corrected data took them away.
        for (const [k, row] of existing) {
          if (found.has(k) || (row.status !== "nieuw" && row.status !== "gezien")) continue
          const id = row.id as Ids.SignalId
          withdrawals.push(id)
          changes.push({ id, change: "withdrawn", status: "vervallen", measure: Number(row.measure) })
        }
        if (inserts.length > 0) yield* insertSignals(scope, inserts, at)
        if (updates.length > 0) yield* updateSignals(updates, at)
        if (withdrawals.length > 0) yield* withdrawSignals(withdrawals, at)
        if (changes.length > 0) yield* importHistory(changes, at, importId)
        return { created: inserts.length, reopened, updated, withdrawn: withdrawals.length }
      }),
    )

  const signals: AbsenceStoreService["signals"] = (filter) => {
    const clauses: Array<Statement.Fragment> = []
    const inList = (column: string, values: ReadonlyArray<string> | undefined) => {
      if (values === undefined) return
      clauses.push(values.length === 0 ? sql`1 = 0` : sql.in(column, values))
    }
    if (filter.schoolId !== undefined) clauses.push(sql`school_id = ${filter.schoolId}`)
    if (filter.pupilNumber !== undefined) clauses.push(sql`pupil_number = ${filter.pupilNumber}`)
    inList("region_id", filter.regionIds)
    inList("status", filter.statuses)
    inList("type", filter.types)
    return Effect.map(
      sql<SignalRow>`SELECT ${sql.literal(SIGNAL_COLUMNS)} FROM absence_signals WHERE ${sql.and(clauses)}
        ORDER BY school_id, fires_on DESC, pupil_number, key`,
      (rows) => rows.map(toSignal),
    )
  }

  const signal: AbsenceStoreService["signal"] = (id) =>
    Effect.map(
      sql<SignalRow>`SELECT ${sql.literal(SIGNAL_COLUMNS)} FROM absence_signals WHERE id = ${id}`,
      (rows) => (rows[0] === undefined ? undefined : toSignal(rows[0])),
    )

  const changeSignal: AbsenceStoreService["changeSignal"] = (id, change, by) =>
    db.writeTransaction(
      Effect.gen(function* () {
        const [row] = yield* sql<SignalRow>`SELECT ${sql.literal(SIGNAL_COLUMNS)} FROM absence_signals
          WHERE id = ${id}${sql.literal(db.forUpdate)}`
        if (row === undefined) return yield* new SignalNotFound({ signalId: id })
        const at = yield* now
        const measure = Number(row.measure)
        switch (change._tag) {
          case "seen":
            yield* sql`UPDATE absence_signals SET status = 'gezien', note = ${change.note}, updated_at = ${at} WHERE id = ${id}`
            yield* history(id, at, "seen", "gezien", measure, { by, note: change.note })
            break
          case "no-action":
            yield* sql`UPDATE absence_signals SET status = 'geen-actie', reason = ${change.reason}, updated_at = ${at} WHERE id = ${id}`
            yield* history(id, at, "no-action", "geen-actie", measure, { by, reason: change.reason })
            break
          case "referred":
            yield* sql`UPDATE absence_signals SET status = 'aangemeld', referral_id = ${change.referralId}, updated_at = ${at} WHERE id = ${id}`
            yield* history(id, at, "referred", "aangemeld", measure, { by, referralId: change.referralId })
            break
          case "duo-status":
            yield* sql`UPDATE absence_signals SET duo_status = ${change.status}, duo_status_at = ${at}, updated_at = ${at} WHERE id = ${id}`
            yield* history(id, at, "duo-status", row.status as AbsenceSignal.SignalStatus, measure, {
              by,
              duoStatus: change.status,
            })
            break
        }
        const [after] =
          yield* sql<SignalRow>`SELECT ${sql.literal(SIGNAL_COLUMNS)} FROM absence_signals WHERE id = ${id}`
        return toSignal(after as SignalRow)
      }),
    )

  interface HistoryRow {
    readonly signal_id: string
    readonly at: string
    readonly by_user_id: string | null
    readonly import_id: string | null
    readonly change: string
    readonly status: string
    readonly measure: number | string
    readonly note: string | null
    readonly reason: string | null
    readonly referral_id: string | null
    readonly duo_status: string | null
  }

  const historyOf: AbsenceStoreService["history"] = (id) =>
    Effect.map(
      sql<HistoryRow>`SELECT signal_id, at, by_user_id, import_id, change, status, measure, note, reason, referral_id, duo_status
        FROM absence_signal_history WHERE signal_id = ${id} ORDER BY seq`,
      (rows) =>
        rows.map(
          (row): SignalHistoryEntry => ({
            signalId: row.signal_id as Ids.SignalId,
            at: row.at as Timestamp.Timestamp,
            by: opt(row.by_user_id) as Ids.UserId | undefined,
            importId: opt(row.import_id) as Ids.AbsenceImportId | undefined,
            change: row.change as SignalHistoryChange,
            status: row.status as AbsenceSignal.SignalStatus,
            measure: Number(row.measure),
            note: opt(row.note),
            reason: opt(row.reason),
            referralId: opt(row.referral_id) as Ids.ReferralId | undefined,
            duoStatus: opt(row.duo_status) as AbsenceSignal.DuoMeldingStatus | undefined,
          }),
        ),
    )

  const counts: AbsenceStoreService["counts"] = (regionIds) =>
    regionIds.length === 0
      ? Effect.succeed([])
      : Effect.map(
          sql<{ school_id: string; type: string; status: string; n: number | string }>`
            SELECT school_id, type, status, count(*) AS n FROM absence_signals
            WHERE ${sql.in("region_id", regionIds)}
            GROUP BY school_id, type, status ORDER BY school_id, type, status`,
          (rows) =>
            rows.map((row) => ({
              schoolId: row.school_id as Ids.OrganisationId,
              type: row.type as AbsenceSignal.SignalType,
              status: row.status as AbsenceSignal.SignalStatus,
              count: toInt(row.n),
            })),
        )

  const link: AbsenceStoreService["link"] = (input) =>
    Effect.gen(function* () {
      const at = yield* now
      yield* sql`INSERT INTO absence_links ${sql.insert({
        case_id: input.caseId,
        referral_id: input.referralId,
        school_id: input.schoolId,
        pupil_number: input.pupilNumber,
        signal_id: input.signalId ?? null,
        linked_at: at,
      })} ON CONFLICT (case_id) DO UPDATE SET referral_id = excluded.referral_id, school_id = excluded.school_id,
        pupil_number = excluded.pupil_number, signal_id = excluded.signal_id, linked_at = excluded.linked_at`
    })

  const linkOfCase: AbsenceStoreService["linkOfCase"] = (caseId) =>
    Effect.map(
      sql<LinkRow>`SELECT case_id, referral_id, school_id, pupil_number, signal_id FROM absence_links WHERE case_id = ${caseId}`,
      (rows) => (rows[0] === undefined ? undefined : toLink(rows[0])),
    )

  const linksOfSchool: AbsenceStoreService["linksOfSchool"] = (schoolId) =>
    Effect.map(
      sql<LinkRow>`SELECT case_id, referral_id, school_id, pupil_number, signal_id FROM absence_links
        WHERE school_id = ${schoolId} ORDER BY pupil_number, case_id`,
      (rows) => rows.map(toLink),
    )

  interface ImportRow {
    readonly id: string
    readonly school_id: string
    readonly region_id: string
    readonly period_from: string
    readonly period_to: string
    readonly by_user_id: string
    readonly at: string
    readonly mapping: string
    readonly format: string
    readonly replaced: number | string
    readonly inserted: number | string
    readonly signals_created: number | string
    readonly signals_reopened: number | string
    readonly signals_updated: number | string
    readonly signals_withdrawn: number | string
  }

  const imports: AbsenceStoreService["imports"] = (schoolId) =>
    Effect.map(
      sql<ImportRow>`SELECT * FROM absence_imports WHERE school_id = ${schoolId} ORDER BY at DESC, id DESC`,
      (rows) =>
        rows.map(
          (row): ImportRecord => ({
            importId: row.id as Ids.AbsenceImportId,
            schoolId: row.school_id as Ids.OrganisationId,
            regionId: row.region_id as Ids.RegionId,
            period: {
              from: row.period_from as LocalDate.LocalDate,
              to: row.period_to as LocalDate.LocalDate,
            },
            by: row.by_user_id as Ids.UserId,
            at: row.at as Timestamp.Timestamp,
            mapping: row.mapping,
            format: row.format,
            summary: { replaced: toInt(row.replaced), inserted: toInt(row.inserted) },
            signals: {
              created: toInt(row.signals_created),
              reopened: toInt(row.signals_reopened),
              updated: toInt(row.signals_updated),
              withdrawn: toInt(row.signals_withdrawn),
            },
          }),
        ),
    )

  const purge: AbsenceStoreService["purge"] = (regionId, before) =>
    db.writeTransaction(
      Effect.gen(function* () {
        const schools = (yield* sql<{ school_id: string }>`
          SELECT DISTINCT school_id FROM absence_imports WHERE region_id = ${regionId}`).map(
          (r) => r.school_id,
        )
        let removed = 0
        for (const schoolId of schools) {
          removed += changedRows(
            yield* sql`DELETE FROM absence_records WHERE school_id = ${schoolId} AND date < ${before}`.raw,
          )
          // Names and birth dates go with the last record, unless a signal still needs them.
          yield* sql`DELETE FROM absence_pupils WHERE school_id = ${schoolId}
            AND NOT EXISTS (SELECT 1 FROM absence_records r
              WHERE r.school_id = absence_pupils.school_id AND r.pupil_number = absence_pupils.pupil_number)
            AND NOT EXISTS (SELECT 1 FROM absence_signals s
              WHERE s.school_id = absence_pupils.school_id AND s.pupil_number = absence_pupils.pupil_number
                AND s.status IN ('nieuw', 'gezien', 'aangemeld'))
            AND NOT EXISTS (SELECT 1 FROM absence_links l
              WHERE l.school_id = absence_pupils.school_id AND l.pupil_number = absence_pupils.pupil_number)`
        }
        return removed
      }),
    )

  return {
    replacePeriod,
    recordsOfSchool,
    recordsOfPupil,
    recordsOfPupils,
    recordDays,
    pupilPage,
    pupil,
    pupils,
    mergeSignals,
    signals,
    signal,
    changeSignal,
    history: historyOf,
    counts,
    link,
    linkOfCase,
    linksOfSchool,
    imports,
    purge,
  } satisfies AbsenceStoreService
})

export class AbsenceStore extends Effect.Service<AbsenceStore>()("@verzuimregie/store/AbsenceStore", {
  effect: make,
}) {}
