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
 * The region of a school's data: the caller's only region on this installation, or (a user of
 * several regions) the one whose calendar names the school (`calendar.schools`), or the one the
 * request names. Organisations carry no municipality, so nothing else can say it.
 *
 * Mappings: the examples shipped in `@verzuimregie/absence-import/mappings` and the installation's
 * own directory (`ABSENCE_MAPPINGS_DIR`, or the `MappingsDirectory` reference); a mapping is named
 * by its file name without extension, and the installation's own file wins over a shipped one of
 * the same name.
 */
import { createReadStream } from "node:fs"
import { readdir, stat } from "node:fs/promises"
import { basename, extname, join } from "node:path"
import type { SqlError } from "@effect/sql/SqlError"
import { Mapping as MappingModule, Reader } from "@verzuimregie/absence-import"
import {
  type Absence,
  Absence as AbsenceSchemas,
  AbsenceSignal,
  AbsenceSignals,
  type Case,
  type CaseEvent,
  Errors,
  HomePeriods,
  HttpMeaning,
  Ids,
  LocalDate,
  Mazl,
  type Referral,
  SchoolCalendar,
  Timestamp,
  WorkingDays,
} from "@verzuimregie/domain"
import { Cells, Workbook } from "@verzuimregie/export-xlsx"
import { type RegionConfig, Workflow } from "@verzuimregie/plugin-sdk"
import { AbsenceStore, Accounts, AuditLog, CaseStore, Database } from "@verzuimregie/store"
import { Context, Data, Effect, Either, Schema } from "effect"
import * as Access from "./Access.js"
import { auditContext, entryOf } from "./AuditTrail.js"
import * as CaseEffects from "./CaseEffects.js"
import { staffOf } from "./Cases.js"
import { CurrentPrincipal, type Principal } from "./CurrentPrincipal.js"
import * as Regions from "./Regions.js"
import * as SystemPrincipals from "./SystemPrincipals.js"

/** Roles that import and act on a school's signals. */
export const SCHOOL_ABSENCE_ROLES = ["school-verzuim"] as const
/** Roles that see the counts per school and signal type of their regions (never pupils). */
export const COUNT_ROLES = ["coordinator"] as const

/** Why absence data is processed, as the audit log records it (AVG art. 5 lid 1 sub b). */
export const PURPOSE = "verzuimsignalering"

export const SIGNAL_NOT_FOUND = "Dit signaal bestaat niet of u heeft er geen toegang toe."
export const SCHOOL_NOT_FOUND = "Deze school bestaat niet of u heeft er geen toegang toe."

/** Longest note (gezien) or reason (geen actie): a line or two, not a file. */
export const MAX_NOTE_LENGTH = 500
/** Bad rows a refused or partial import reports by line (`problemCount` counts them all). */
export const MAX_REPORTED_PROBLEMS = 100
/** Records a referral's absence summary holds at most (`Referral.AbsenceSummary`). */
export const MAX_SUMMARY_RECORDS = 400
/**
 * Working days a school has for its verzuimmelding after the 16 hours are reached: "onverwijld
 * (binnen 5 werkdagen)", as the Inspectie van het Onderwijs reads Leerplichtwet 1969 art. 21a
 * (onderwijsinspectie.nl, "Registreren en melden van ongeoorloofd verzuim"). The same term is used
 * for luxe verzuim, reportable from its first day.
 */
export const DUO_REPORTING_WORKING_DAYS = 5

/**
 * The installation's own mapping directory. Default: `ABSENCE_MAPPINGS_DIR` from the environment
 * (read when a use case asks); a door or test may provide another.
 */
export class MappingsDirectory extends Context.Reference<MappingsDirectory>()(
  "@verzuimregie/app/Absence/MappingsDirectory",
  { defaultValue: (): string | undefined => process.env.ABSENCE_MAPPINGS_DIR?.trim() || undefined },
) {}

/** A signal that is no longer open for the step asked (already referred, no action, withdrawn). */
export class SignalClosed extends Schema.TaggedError<SignalClosed>()(
  "SignalClosed",
  { status: AbsenceSignal.SignalStatus },
  HttpMeaning.status(
    409,
    { title: "Dit signaal is al afgehandeld" },
    (error: { readonly status: string }) => ({
      detail: `Dit signaal heeft de status ${AbsenceSignal.signalStatusLabel[error.status as AbsenceSignal.SignalStatus] ?? error.status}; deze stap kan alleen bij een nieuw of gezien signaal.`,
    }),
  ),
) {}

/** A DUO status for a signal the school does not report to DUO (only meldplicht and luxe verzuim). */
export class NotReportable extends Schema.TaggedError<NotReportable>()(
  "NotReportable",
  { type: AbsenceSignal.SignalType },
  HttpMeaning.status(422, {}, (error: { readonly type: string }) => ({
    detail: `Een signaal "${AbsenceSignal.signalTypeLabel[error.type as AbsenceSignal.SignalType] ?? error.type}" wordt niet bij DUO gemeld; alleen meldplicht en luxe verzuim.`,
    errors: [{ path: "status", pointer: "/status", detail: "geen DUO-melding bij dit signaal" }],
  })),
) {}

export interface ImportRequest {
  readonly schoolId: Ids.OrganisationId
  /** A mapping by name (shipped examples and the installation's own), see `mappings`. */
  readonly mapping: string
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  /** The file on disk (the API and the web page spool the upload first). */
  readonly file: { readonly path: string; readonly name: string }
  /** Skip bad rows instead of refusing the file; the report lists the skipped lines. */
  readonly skipBadRows: boolean
  /**
   * The region of the school's data, for a user of several regions whose calendar does not name
   * the school; otherwise left out (see the module's note).
   */
  readonly regionId?: Ids.RegionId | undefined
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
  /** The dates `records` cover: the 12 weeks up to the day the signal fired, and its own period. */
  readonly recordsPeriod: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  /** The pupil's records in `recordsPeriod`, for the school user. */
  readonly records: ReadonlyArray<Absence.AbsenceRecord>
  readonly pupilBirthDate: LocalDate.LocalDate | null
  readonly updatedAt: Timestamp.Timestamp
}

export interface SignalCountRow {
  readonly schoolId: Ids.OrganisationId
  readonly schoolName: string
  readonly type: AbsenceSignal.SignalType
  readonly typeLabel: string
  /** Open signals (nieuw, gezien); 1 to 4 shown as "< 5" so no pupil can be singled out. */
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
  /** Not registered by `dueOn`: no DUO status after it, or a status recorded after it. */
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
    /** Authorised absence other than illness (sickness counts as `sickReports`). */
    readonly authorisedHours: number
    readonly sickReports: number
    readonly lateCount: number
  }
  readonly signals: ReadonlyArray<SignalListItem>
  readonly homeSince: LocalDate.LocalDate | null
}

/** One retention round of a region (housekeeping). */
export interface PurgeResult {
  readonly regionId: Ids.RegionId
  /** Records dated before this day were deleted. */
  readonly before: LocalDate.LocalDate
  readonly purged: number
}

// ---------------------------------------------------------------------------------------------
// Helpers

type Stored = AbsenceStore.StoredAbsence

const OPEN_STATUSES: ReadonlyArray<AbsenceSignal.SignalStatus> = ["nieuw", "gezien"]

/** A stored row as the domain's rules read it: clock hours from minutes. */
export const toRecord = (r: Stored): Absence.AbsenceRecord => ({
  date: r.date,
  kind: r.kind,
  authorised: r.authorised,
  amount: { unit: "hours", value: r.minutes / 60 },
})

const byDate = (a: Stored, b: Stored) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)

/** `d-m-jjjj`, as Dutch readers write a date. */
const dutchDate = (date: LocalDate.LocalDate): string => {
  const [y, m, d] = date.split("-")
  return `${Number(d)}-${Number(m)}-${y}`
}

const roundHours = (hours: number): number => Math.round(hours * 100) / 100

/** The first day of the oldest school year kept, counting the current one as the first. */
export const retentionStart = (today: LocalDate.LocalDate, schoolYears: number): LocalDate.LocalDate =>
  LocalDate.schoolYear(LocalDate.schoolYearOf(today).startYear - (schoolYears - 1)).start

/** Where the rules look: the current and the previous school year (the longest rule, 2b, fits). */
const windowFrom = (today: LocalDate.LocalDate): LocalDate.LocalDate => retentionStart(today, 2)

/** The school's calendars: the region's, with the school's own override (by name or id). */
export const schoolCalendars = (
  region: RegionConfig.EnabledRegion,
  school: { readonly id: string; readonly name: string },
): ReadonlyArray<SchoolCalendar.SchoolCalendar> =>
  region.schoolCalendars.get(school.name) ?? region.schoolCalendars.get(school.id) ?? region.calendars

const validation = (subject: string, path: string, message: string) =>
  new Errors.ValidationError({ subject, issues: [{ path, message }] })

/** The caller as a school's absence user: their principal; their organisation is the school. */
const schoolUser = Access.requireRole(SCHOOL_ABSENCE_ROLES)

const organisationOf = (id: Ids.OrganisationId) =>
  Effect.flatMap(Accounts.Accounts, (accounts) =>
    Effect.map(accounts.organisations(), (all) => all.find((o) => o.id === id)),
  )

/** The caller's own school, as an organisation of the installation. */
const ownSchool = (principal: Principal) =>
  Effect.flatMap(organisationOf(principal.organisationId), (school) =>
    school === undefined ? Effect.fail(Access.notFound(SCHOOL_NOT_FOUND)) : Effect.succeed(school),
  )

/**
 * The region of a school's data (see the module's note). None of the caller's regions runs here:
 * 404. Several and nothing decides: a validation error on `regionId`.
 */
const regionOfSchool = (
  principal: Principal,
  school: { readonly id: string; readonly name: string },
  requested: Ids.RegionId | undefined,
) =>
  Effect.gen(function* () {
    const regions = yield* Regions.Regions
    const visible = regions.enabled(principal.regions)
    if (requested !== undefined) {
      const region = visible.includes(requested) ? regions.get(requested) : undefined
      return region ?? (yield* Effect.fail(Access.notFound("Onbekende regio.")))
    }
    const candidates = visible.flatMap((id) => {
      const region = regions.get(id)
      return region === undefined ? [] : [region]
    })
    const only = candidates.length === 1 ? candidates[0] : undefined
    if (only !== undefined) return only
    if (candidates.length === 0) return yield* Effect.fail(Access.notFound("Onbekende regio."))
    const named = candidates.filter(
      (r) => r.schoolCalendars.has(school.name) || r.schoolCalendars.has(school.id),
    )
    const one = named.length === 1 ? named[0] : undefined
    if (one !== undefined) return one
    return yield* Effect.fail(
      validation(
        "import",
        "regionId",
        `U werkt in meer regio's (${candidates.map((r) => r.region.id).join(", ")}): kies de regio van de school.`,
      ),
    )
  })

/** A signal of the caller's own school in one of their regions; anything else does not exist (404). */
const ownSignal = (principal: Principal, id: Ids.SignalId) =>
  Effect.gen(function* () {
    const store = yield* AbsenceStore.AbsenceStore
    const regions = yield* Regions.Regions
    const found = yield* store.signal(id)
    if (
      found === undefined ||
      found.schoolId !== principal.organisationId ||
      !regions.enabled(principal.regions).includes(found.regionId)
    )
      return yield* Effect.fail(Access.notFound(SIGNAL_NOT_FOUND))
    const region = regions.get(found.regionId)
    if (region === undefined) return yield* Effect.fail(Access.notFound(SIGNAL_NOT_FOUND))
    return { signal: found, region, regions }
  })

/** The store's change of a signal; one gone meanwhile does not exist for the caller either (404). */
const changeSignal = (id: Ids.SignalId, change: AbsenceStore.SignalChange, by: Ids.UserId) =>
  Effect.flatMap(AbsenceStore.AbsenceStore, (store) =>
    store
      .changeSignal(id, change, by)
      .pipe(Effect.catchTag("SignalNotFound", () => Effect.fail(Access.notFound(SIGNAL_NOT_FOUND)))),
  )

/** The names of a school's pupils as its export carried them (one read for all; the store drops repeats). */
const pupilsOf = (schoolId: Ids.OrganisationId, pupilNumbers: Iterable<string>) =>
  Effect.flatMap(AbsenceStore.AbsenceStore, (store) => store.pupils(schoolId, [...pupilNumbers]))

const listItem = (
  s: AbsenceStore.StoredSignal,
  pupil: AbsenceStore.AbsencePupil | undefined,
): SignalListItem => ({
  id: s.id,
  type: s.type,
  typeLabel: AbsenceSignal.signalTypeLabel[s.type],
  status: s.status,
  schoolId: s.schoolId,
  pupil: { pupilNumber: s.pupilNumber, name: pupil?.name ?? null },
  from: s.from,
  to: s.to,
  firesOn: s.firesOn,
  measure: s.measure,
  explanation: s.explanation,
  reopened: s.reopened,
  duoStatus: s.duoStatus ?? null,
  referralId: s.referralId ?? null,
})

/** The pupil's records from `from` to `to`, oldest first. */
const pupilRecords = (
  schoolId: Ids.OrganisationId,
  pupilNumber: string,
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
) =>
  Effect.flatMap(AbsenceStore.AbsenceStore, (store) =>
    Effect.map(store.recordsOfPupil(schoolId, pupilNumber, from, to), (rows) => [...rows].sort(byDate)),
  )

/**
 * The last day the school's data speaks for: the end of the latest imported period, not after
 * today (a pupil is "at home" only if absent on the data's last school day).
 */
const schoolHorizon = (schoolId: Ids.OrganisationId, today: LocalDate.LocalDate) =>
  Effect.flatMap(AbsenceStore.AbsenceStore, (store) =>
    Effect.map(store.imports(schoolId), (imports) => {
      let latest: LocalDate.LocalDate | undefined
      for (const i of imports) if (latest === undefined || i.period.to > latest) latest = i.period.to
      return latest === undefined ? today : LocalDate.min(latest, today)
    }),
  )

/** The window a signal's records are shown in: its own period, at least the rules' 12 weeks. */
const signalWindow = (s: AbsenceStore.StoredSignal) => ({
  from: LocalDate.min(s.from, LocalDate.addDays(s.firesOn, -12 * 7)),
  to: LocalDate.max(s.to, s.firesOn),
})

const detailOf = (
  s: AbsenceStore.StoredSignal,
  pupil: AbsenceStore.AbsencePupil | undefined,
  records: ReadonlyArray<Stored>,
): SignalDetail => ({
  ...listItem(s, pupil),
  note: s.note ?? null,
  reason: s.reason ?? null,
  recordsPeriod: signalWindow(s),
  records: records.map(toRecord),
  pupilBirthDate: pupil?.birthDate ?? null,
  updatedAt: s.updatedAt,
})

/** The audit record of the caller on a school's absence data (signals, imports, meldingen). */
const auditOf = (
  action: AuditLog.AuditAction,
  record: {
    readonly type: string
    readonly id?: string | undefined
    readonly regionId?: Ids.RegionId | undefined
  },
  detail?: string,
) => Access.audit(action, record, detail)

// ---------------------------------------------------------------------------------------------
// Mappings

interface LoadedMapping {
  readonly name: string
  readonly file: string
  readonly mapping: MappingModule.Mapping
}

const MAPPING_FILE = /\.(ya?ml|json)$/i

/** The mapping files of a directory (YAML or JSON); a broken one is logged and left out. */
const mappingsIn = (files: ReadonlyArray<{ readonly name: string; readonly path: string }>) =>
  Effect.gen(function* () {
    const found: Array<LoadedMapping> = []
    for (const { name, path } of files) {
      const loaded = yield* Effect.either(MappingModule.load(path))
      if (Either.isRight(loaded)) found.push({ name, file: path, mapping: loaded.right })
      // An operator's broken file: named in the log (a file name, no personal data), left out.
      else
        yield* Effect.logWarning(
          `absence mapping skipped: ${basename(path)} (${loaded.left.issues[0].message})`,
        )
    }
    return found
  })

/** The installation's own mapping files: `<name>.yaml`, `.yml` or `.json` in `directory`. */
const ownFiles = (directory: string | undefined) =>
  directory === undefined
    ? Effect.succeed([])
    : Effect.promise(() => readdir(directory).catch(() => [] as Array<string>)).pipe(
        Effect.map((names) =>
          names
            .filter((n) => MAPPING_FILE.test(n))
            .sort()
            .map((n) => ({ name: basename(n, extname(n)), path: join(directory, n) })),
        ),
      )

/** Every mapping: the shipped examples, then the installation's own (which win on a name). */
const allMappings = Effect.gen(function* () {
  const shipped = yield* mappingsIn(MappingModule.shipped())
  const installation = yield* mappingsIn(yield* ownFiles(yield* MappingsDirectory))
  const byName = new Map<string, LoadedMapping>()
  for (const m of [...shipped, ...installation]) byName.set(m.name, m)
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, "nl"))
})

/**
 * The mappings a school can import with: name, title, system, and whether it is an example to
 * check against the school's own export first. No personal data; for school users.
 */
export const mappings = Effect.gen(function* () {
  yield* schoolUser
  return (yield* allMappings).map(
    (m): MappingSummary => ({
      name: m.name,
      title: m.mapping.name,
      system: m.mapping.system,
      example: m.mapping.example,
    }),
  )
})

// ---------------------------------------------------------------------------------------------
// Import

/** The file was refused (a bad row without `skipBadRows`, or the whole file): roll back. */
class ImportRefused extends Data.TaggedError("ImportRefused")<{
  readonly fileProblem: string | null
  readonly format: ImportReport["format"]
  readonly problems: ReadonlyArray<ImportReportProblem>
  readonly problemCount: number
  /** Rows read: good ones and bad lines. */
  readonly read: number
}> {}

const formatOf = (fileName: string, format: Reader.ReadResult["format"] | undefined) => ({
  kind: format?.kind ?? (/\.xlsx$/i.test(fileName) ? ("xlsx" as const) : ("csv" as const)),
  delimiter: format?.delimiter ?? null,
  encoding: format?.encoding ?? null,
})

const fileProblemText = (problem: {
  readonly reason: string
  readonly line?: number | undefined
  readonly column?: string | undefined
}) =>
  [
    problem.reason,
    problem.line === undefined ? undefined : `regel ${problem.line}`,
    problem.column === undefined ? undefined : `kolom ${problem.column}`,
  ]
    .filter((p) => p !== undefined)
    .join(", ")

/**
 * Reads the file with the mapping into the import's sink, batch by batch, counting and collecting
 * the bad rows. Without `skipBadRows` the first bad row stops the writing, the file is read to its
 * end to report every bad row, and the import fails (`ImportRefused`), which rolls it back.
 */
const fill = (
  request: ImportRequest,
  options: Reader.ReadOptions,
  sink: AbsenceStore.ImportSink,
  totalBytes: number,
) =>
  Effect.gen(function* () {
    const problems: Array<ImportReportProblem> = []
    const badLines = new Set<number>()
    const pupils = new Map<string, { birthDate: LocalDate.LocalDate | undefined }>()
    let problemCount = 0
    let good = 0
    const imported = new ImportedRows()
    const reading = yield* Effect.try(() => Reader.read(createReadStream(request.file.path), options)).pipe(
      Effect.orDie,
    )
    const formatNow = () =>
      formatOf(request.file.name, Either.getOrUndefined(Either.try(() => reading.result()))?.format)
    const refused = (fileProblem: string | null) =>
      new ImportRefused({
        fileProblem,
        format: formatNow(),
        problems,
        problemCount,
        read: good + badLines.size,
      })
    const iterator = reading.items[Symbol.asyncIterator]()
    const close = Effect.promise(async () => {
      await iterator.return?.()
    }).pipe(Effect.ignore)
    const step = Effect.tryPromise({ try: () => iterator.next(), catch: (cause) => cause }).pipe(
      Effect.catchAll((cause) =>
        cause instanceof Reader.AbsenceFileRefused
          ? Effect.fail(refused(fileProblemText(cause.problem)))
          : Effect.die(cause),
      ),
    )
    yield* Effect.gen(function* () {
      for (;;) {
        const next = yield* step
        if (next.done === true) break
        const item = next.value
        if (item._tag === "problem") {
          problemCount++
          badLines.add(item.problem.line)
          if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(item.problem)
          continue
        }
        good += item.rows.length
        // Without skipBadRows one bad row refuses the file: read on to report them all, write no more.
        if (!request.skipBadRows && problemCount > 0) continue
        const newPupils: Array<AbsenceStore.AbsencePupil> = []
        for (const row of item.rows) {
          if (pupils.has(row.pupilNumber)) continue
          pupils.set(row.pupilNumber, { birthDate: row.birthDate })
          newPupils.push({
            pupilNumber: row.pupilNumber,
            ...(row.name === undefined ? {} : { name: row.name }),
            ...(row.birthDate === undefined ? {} : { birthDate: row.birthDate }),
          })
        }
        // The reader's rows go to the store as they are (one object per row), and into the
        // compact copy the classification reads afterwards.
        yield* sink.insert(item.rows, newPupils)
        imported.add(item.rows)
        request.onProgress?.({ bytesRead: item.bytesRead, totalBytes, rows: good })
      }
    }).pipe(Effect.ensuring(close))
    if (problemCount > 0 && !request.skipBadRows) return yield* Effect.fail(refused(null))
    return {
      problems,
      problemCount,
      skippedLines: [...badLines].sort((a, b) => a - b),
      good,
      pupils,
      imported,
      format: formatNow(),
    }
  })

/** Hands the event loop back (timers, sockets): the gateway answers other requests meanwhile. */
const breathe: Effect.Effect<void> = Effect.async<void>((resume) => {
  setImmediate(() => resume(Effect.void))
})

/** Rows per batch from the reader to the store (one statement on SQLite). */
const IMPORT_BATCH_ROWS = 1_000

/** The largest group of pupils classified and merged in one step, and its imported rows. */
const GROUP_PUPILS = 200
const GROUP_ROWS = 3_000

/**
 * The rows an import wrote, kept compactly (pupil, day, code and minutes as small numbers: about
 * ten bytes a row), so that classification afterwards needs no read-back of the whole school.
 */
class ImportedRows {
  n = 0
  private pupil = new Int32Array(4096)
  private day = new Uint16Array(4096)
  private variant = new Uint16Array(4096)
  private minutes = new Uint16Array(4096)
  readonly pupils: Array<string> = []
  private readonly pupilIndex = new Map<string, number>()
  private readonly days: Array<LocalDate.LocalDate> = []
  private readonly dayIndex = new Map<string, number>()
  /** Kind, authorisation and code of the rows: a mapping has a few dozen. */
  private readonly variants: Array<{
    readonly kind: Absence.AbsenceKind
    readonly authorised: boolean
    readonly code: string
  }> = []
  private readonly variantIndex = new Map<string, number>()
  /** Rows of pupil p: `order[start[p]] … order[start[p + 1] - 1]`, in file order. */
  private start: Int32Array | undefined
  private order: Int32Array | undefined

  add(rows: ReadonlyArray<Stored>) {
    const end = this.n + rows.length
    if (end > this.pupil.length) {
      let size = this.pupil.length
      while (size < end) size *= 2
      const grow = <T extends Int32Array | Uint16Array>(a: T, b: T): T => {
        b.set(a)
        return b
      }
      this.pupil = grow(this.pupil, new Int32Array(size))
      this.day = grow(this.day, new Uint16Array(size))
      this.variant = grow(this.variant, new Uint16Array(size))
      this.minutes = grow(this.minutes, new Uint16Array(size))
    }
    for (const row of rows) {
      const i = this.n++
      let p = this.pupilIndex.get(row.pupilNumber)
      if (p === undefined) {
        p = this.pupils.length
        this.pupils.push(row.pupilNumber)
        this.pupilIndex.set(row.pupilNumber, p)
      }
      let d = this.dayIndex.get(row.date)
      if (d === undefined) {
        d = this.days.length
        this.days.push(row.date)
        this.dayIndex.set(row.date, d)
      }
      let v = this.variantIndex.get(row.code)
      const known = v === undefined ? undefined : this.variants[v]
      if (known === undefined || known.kind !== row.kind || known.authorised !== row.authorised) {
        const key = `${row.code}\u0000${row.kind}\u0000${row.authorised}`
        v = this.variantIndex.get(key)
        if (v === undefined) {
          v = this.variants.length
          this.variants.push({ kind: row.kind, authorised: row.authorised, code: row.code })
          this.variantIndex.set(key, v)
          if (!this.variantIndex.has(row.code)) this.variantIndex.set(row.code, v)
        }
      }
      this.pupil[i] = p
      this.day[i] = d
      this.variant[i] = v as number
      // As the store keeps it: whole minutes.
      this.minutes[i] = Math.round(row.minutes)
    }
    this.start = undefined
  }

  /** Rows of the pupil, in file order, dated from `from` (as the store gives them back). */
  rowsOf(pupilNumber: string, from: LocalDate.LocalDate): Array<Stored> {
    const out: Array<Stored> = []
    this.each(pupilNumber, from, (i, _d, date) => {
      const v = this.variants[this.variant[i] as number] as (typeof this.variants)[number]
      out.push({
        pupilNumber,
        date,
        kind: v.kind,
        authorised: v.authorised,
        minutes: this.minutes[i] as number,
        code: v.code,
      })
    })
    return out
  }

  /** Records made before, by day, variant and minutes: rows alike share one (records are immutable). */
  private readonly records = new Map<number, Absence.AbsenceRecord>()

  /** The pupil's records as the rules read them (`toRecord`), in file order, dated from `from`. */
  recordsOf(pupilNumber: string, from: LocalDate.LocalDate): Array<Absence.AbsenceRecord> {
    const out: Array<Absence.AbsenceRecord> = []
    this.each(pupilNumber, from, (i, d, date) => {
      const v = this.variant[i] as number
      const minutes = this.minutes[i] as number
      const key = (d * 65_536 + v) * 2_048 + minutes
      let record = this.records.get(key)
      if (record === undefined) {
        const variant = this.variants[v] as (typeof this.variants)[number]
        record = toRecord({
          pupilNumber,
          date,
          kind: variant.kind,
          authorised: variant.authorised,
          minutes,
          code: "",
        })
        this.records.set(key, record)
      }
      out.push(record)
    })
    return out
  }

  /** Visits the pupil's rows in file order, dated from `from`: row, day index, date. */
  private each(
    pupilNumber: string,
    from: LocalDate.LocalDate,
    visit: (i: number, d: number, date: LocalDate.LocalDate) => void,
  ): void {
    const p = this.pupilIndex.get(pupilNumber)
    if (p === undefined) return
    const { start, order } = this.index()
    for (let k = start[p] as number; k < (start[p + 1] as number); k++) {
      const i = order[k] as number
      const d = this.day[i] as number
      const date = this.days[d] as LocalDate.LocalDate
      if (date >= from) visit(i, d, date)
    }
  }

  /** Imported rows of the pupil. */
  count(pupilNumber: string): number {
    const p = this.pupilIndex.get(pupilNumber)
    if (p === undefined) return 0
    const { start } = this.index()
    return (start[p + 1] as number) - (start[p] as number)
  }

  /** A counting sort by pupil, stable: each pupil's rows in file order. */
  private index(): { readonly start: Int32Array; readonly order: Int32Array } {
    if (this.start !== undefined && this.order !== undefined) return { start: this.start, order: this.order }
    const start = new Int32Array(this.pupils.length + 1)
    const pupil = this.pupil
    for (let i = 0; i < this.n; i++) {
      const q = (pupil[i] as number) + 1
      start[q] = (start[q] as number) + 1
    }
    for (let q = 0; q < this.pupils.length; q++)
      start[q + 1] = (start[q + 1] as number) + (start[q] as number)
    const next = start.slice(0, this.pupils.length)
    const order = new Int32Array(this.n)
    for (let i = 0; i < this.n; i++) {
      const q = pupil[i] as number
      const k = next[q] as number
      order[k] = i
      next[q] = k + 1
    }
    this.start = start
    this.order = order
    return { start, order }
  }
}

/**
 * After an import's rows are written: the school's signals classified again and merged, in groups
 * of pupils (`GROUP_PUPILS`, `GROUP_ROWS`) with the event loop free between the groups, in the
 * import's transaction. A pupil's records are the imported rows (kept compactly while reading)
 * and, only where the school has records in the window outside the import's period, those read
 * from the store per group. Every pupil counts: the imported, the known (with records outside the
 * period), and those with open signals (a corrected file may take theirs away). The rules see the
 * same records and the same first day of data (`dataFrom`) as a classification in one go.
 * Returns the merge's counts, the records of the pupils linked to cases, and the data's horizon.
 */
const classifyInGroups = (input: {
  readonly schoolId: Ids.OrganisationId
  readonly region: RegionConfig.EnabledRegion
  readonly calendars: SchoolCalendar.Calendars
  readonly today: LocalDate.LocalDate
  readonly period: { readonly from: LocalDate.LocalDate; readonly to: LocalDate.LocalDate }
  readonly pupils: ReadonlyMap<string, { readonly birthDate: LocalDate.LocalDate | undefined }>
  readonly imported: ImportedRows
}) =>
  Effect.gen(function* () {
    const store = yield* AbsenceStore.AbsenceStore
    const { schoolId, region, calendars, today, period, pupils, imported } = input
    const regionId = region.region.id
    const from = windowFrom(today)
    const days = yield* store.recordDays(schoolId, from, today)
    // The window's records outside the import's period are in the store only; most imports have none.
    const outside = days !== undefined && (days.first < period.from || days.last > period.to)
    const linked = new Set((yield* store.linksOfSchool(schoolId)).map((l) => l.pupilNumber))
    const open = yield* store.signals({ schoolId, regionIds: [regionId], statuses: OPEN_STATUSES })

    // Every pupil: the imported first, then the other known pupils, then those of open signals.
    const all: Array<string> = [...imported.pupils]
    const seen = new Set<string>(all)
    const birthDates = new Map<string, LocalDate.LocalDate | undefined>()
    for (let after: string | undefined, page: ReadonlyArray<AbsenceStore.AbsencePupil>; ; ) {
      page = yield* store.pupilPage(schoolId, after, 5_000)
      for (const p of page) {
        birthDates.set(p.pupilNumber, p.birthDate)
        if (!seen.has(p.pupilNumber)) {
          seen.add(p.pupilNumber)
          all.push(p.pupilNumber)
        }
      }
      if (page.length < 5_000) break
      after = page[page.length - 1]?.pupilNumber
      yield* breathe
    }
    for (const s of open)
      if (!seen.has(s.pupilNumber)) {
        seen.add(s.pupilNumber)
        all.push(s.pupilNumber)
      }
    // This file's birth date wins (also none: the current export is what counts).
    for (const [n, p] of pupils) birthDates.set(n, p.birthDate)

    const options: AbsenceSignals.SignalOptions = {
      reportingDuty: region.thresholds.reportingDuty,
      mazl: region.thresholds.mazl,
      grijs: region.thresholds.grijsVerzuim,
      ...(days === undefined ? {} : { dataFrom: days.first }),
    }
    const merged = { created: 0, reopened: 0, updated: 0, withdrawn: 0 }
    const linkedRecords = new Map<string, ReadonlyArray<Stored>>()
    const empty: ReadonlyArray<Stored> = []
    for (let start = 0; start < all.length; ) {
      let end = start
      let rows = 0
      while (end < all.length && end - start < GROUP_PUPILS && (rows < GROUP_ROWS || end === start))
        rows += imported.count(all[end++] as string)
      const group = all.slice(start, end)
      start = end
      const stored = outside
        ? yield* store.recordsOfPupils(schoolId, group, from, today, period)
        : new Map<string, ReadonlyArray<Stored>>()
      const list: Array<AbsenceSignal.PupilAbsence> = []
      for (const pupilNumber of group) {
        const kept = stored.get(pupilNumber) ?? empty
        const own = imported.recordsOf(pupilNumber, from)
        // By date: the stored days before the period, the imported, the stored days after it.
        const records =
          kept.length === 0
            ? own
            : [
                ...kept.filter((r) => r.date < period.from).map(toRecord),
                ...own,
                ...kept.filter((r) => r.date > period.to).map(toRecord),
              ]
        if (records.length === 0) continue
        if (linked.has(pupilNumber))
          linkedRecords.set(pupilNumber, [
            ...kept.filter((r) => r.date < period.from),
            ...imported.rowsOf(pupilNumber, from),
            ...kept.filter((r) => r.date > period.to),
          ])
        list.push({ pupilNumber, records, birthDate: birthDates.get(pupilNumber) })
      }
      const detected = list.length === 0 ? [] : AbsenceSignals.classify(list, calendars, today, options)
      const m = yield* store.mergeSignals({ schoolId, regionId, pupilNumbers: new Set(group) }, detected)
      merged.created += m.created
      merged.reopened += m.reopened
      merged.updated += m.updated
      merged.withdrawn += m.withdrawn
      yield* breathe
    }
    return {
      merged: merged as AbsenceStore.SignalMergeSummary,
      linkedRecords,
      horizon: days === undefined ? today : LocalDate.min(days.last, today),
    }
  })

/**
 * Imports a school's absence export: only the school's own `school-verzuim` users (another
 * school's id: 404; another role: 403). The file is read with the mapping, streamed into the
 * store replacing the school's records in the declared period, the school's signals are
 * classified again and merged, and the import is audited (count, period, school; no rows), all in
 * one transaction: a refused file (a bad row without `skipBadRows`, or a problem with the whole
 * file) leaves the database as it was. Afterwards the open cases linked to the school's pupils
 * follow the data (`followAttendance`).
 */
export const importFile = (request: ImportRequest) =>
  Effect.gen(function* () {
    const principal = yield* schoolUser
    if (request.schoolId !== principal.organisationId)
      return yield* Effect.fail(Access.notFound(SCHOOL_NOT_FOUND))
    const { from, to } = request.period
    if (!LocalDate.isLocalDate(from) || !LocalDate.isLocalDate(to))
      return yield* Effect.fail(
        validation("import", "period", "Vul een geldige periode in (van en tot en met)."),
      )
    if (from > to)
      return yield* Effect.fail(
        validation(
          "import",
          "period.to",
          `De periode eindigt (${dutchDate(to)}) vóór het begin (${dutchDate(from)}).`,
        ),
      )
    const school = yield* ownSchool(principal)
    const region = yield* regionOfSchool(principal, school, request.regionId)
    const regions = yield* Regions.Regions
    const today = regions.today()
    const available = yield* allMappings
    const loaded = available.find((m) => m.name === request.mapping)
    if (loaded === undefined)
      return yield* Effect.fail(
        validation(
          "import",
          "mapping",
          `Onbekende koppeling "${request.mapping}". Beschikbaar: ${available.map((m) => m.name).join(", ") || "geen"}.`,
        ),
      )
    const totalBytes = yield* Effect.tryPromise(() => stat(request.file.path)).pipe(
      Effect.map((s) => s.size),
      Effect.orElseFail(() => validation("import", "file", "Het bestand is niet te lezen.")),
    )
    const store = yield* AbsenceStore.AbsenceStore
    const audit = yield* AuditLog.AuditLog
    const importId = Ids.newId.absenceImport()
    const calendars = schoolCalendars(region, school)
    const regionId = region.region.id
    const importAudit = (imported: number) =>
      auditOf("create", { type: "absence-import", id: importId, regionId }, `${from}/${to}:${imported}-rijen`)
    const readOptions: Reader.ReadOptions = {
      mapping: loaded.mapping,
      period: request.period,
      today,
      brin: school.brin,
      fileName: request.file.name,
      // Small batches: short steps between the reader and the store, little memory in between.
      batchSize: IMPORT_BATCH_ROWS,
    }
    // Records of the pupils linked to cases, and the data's last day: the cases follow afterwards.
    let followed: { records: ReadonlyMap<string, ReadonlyArray<Stored>>; horizon: LocalDate.LocalDate } = {
      records: new Map(),
      horizon: today,
    }
    const outcome = yield* store
      .replacePeriod(
        {
          importId,
          schoolId: school.id,
          regionId,
          period: request.period,
          by: principal.userId,
          mapping: loaded.name,
          format: /\.xlsx$/i.test(request.file.name) ? "xlsx" : "csv",
        },
        (sink) => fill(request, readOptions, sink, totalBytes),
        (summary, filled) =>
          Effect.gen(function* () {
            const classified = yield* classifyInGroups({
              schoolId: school.id,
              region,
              calendars,
              today,
              period: request.period,
              pupils: filled.pupils,
              imported: filled.imported,
            })
            followed = { records: classified.linkedRecords, horizon: classified.horizon }
            // Our own record: one that does not validate is a bug, not the user's problem.
            yield* audit
              .append([yield* importAudit(summary.inserted)])
              .pipe(Effect.catchTag("ValidationError", (e) => Effect.die(e)))
            return classified.merged
          }),
      )
      .pipe(
        Effect.map((done) => ({ _tag: "landed" as const, ...done })),
        Effect.catchTag("ImportRefused", (refused) => Effect.succeed({ _tag: "refused" as const, refused })),
      )
    if (outcome._tag === "refused") return refusal(request, outcome.refused)
    const { summary, signals, filled } = outcome
    yield* followAttendance({
      schoolId: school.id,
      region,
      calendars,
      records: followed.records,
      asOf: followed.horizon,
    }).pipe(
      // The import has landed; a case that cannot follow now follows with the next import.
      Effect.catchAllCause((cause) =>
        Effect.logWarning("absence import: cases did not follow the data").pipe(
          Effect.annotateLogs({ importId, cause: String(cause).slice(0, 200) }),
        ),
      ),
    )
    return {
      outcome: "geimporteerd",
      importId,
      schoolId: school.id,
      period: request.period,
      format: filled.format,
      rows: {
        read: filled.good + filled.skippedLines.length,
        imported: summary.inserted,
        skipped: filled.skippedLines.length,
      },
      replaced: summary.replaced,
      problems: filled.problems,
      problemCount: filled.problemCount,
      fileProblem: null,
      skippedLines: filled.skippedLines,
      signals,
    } satisfies ImportReport as ImportReport
  })

/** The report of a refused file: nothing changed. */
const refusal = (request: ImportRequest, refused: ImportRefused): ImportReport => ({
  outcome: "geweigerd",
  importId: null,
  schoolId: request.schoolId,
  period: request.period,
  format: refused.format,
  rows: { read: refused.read, imported: 0, skipped: 0 },
  replaced: 0,
  problems: refused.problems,
  problemCount: refused.problemCount,
  fileProblem: refused.fileProblem,
  skippedLines: [],
  signals: { created: 0, reopened: 0, updated: 0, withdrawn: 0 },
})

// ---------------------------------------------------------------------------------------------
// Cases follow the data

/**
 * What the imported data says about a linked case's attendance on `asOf`: at home since the first
 * day of the current stretch of whole days of unauthorised absence (`AbsenceSignals.homeSince`),
 * or, for a case that has the pupil at home, back at school from the school day after the last
 * unauthorised absence, when the last school day held none. Undefined when nothing changes.
 */
export const attendanceFromData = (
  current: Case.CaseState["attendance"],
  records: ReadonlyArray<Absence.AbsenceRecord>,
  calendars: SchoolCalendar.Calendars,
  asOf: LocalDate.LocalDate,
):
  | { readonly situation: "thuiszittend" | "naar-school"; readonly since: LocalDate.LocalDate }
  | undefined => {
  const home = AbsenceSignals.homeSince(records, calendars, asOf)
  const atHome = current !== undefined && HomePeriods.isHome(current.situation)
  if (home !== undefined) {
    // The case knows an earlier start (the referral's): the same home period, nothing to add.
    return atHome && current.since <= home ? undefined : { situation: "thuiszittend", since: home }
  }
  if (!atHome) return undefined
  // The last school day up to asOf: any unauthorised absence on it keeps the case as it is.
  let last = asOf
  for (let i = 0; i < 30 && !SchoolCalendar.isSchoolDay(calendars, last); i++)
    last = LocalDate.addDays(last, -1)
  const unauthorised = records.filter((r) => !r.authorised && r.date >= current.since && r.date <= asOf)
  if (unauthorised.some((r) => r.date === last)) return undefined
  const lastAbsence = unauthorised.reduce<LocalDate.LocalDate | undefined>(
    (latest, r) => (latest === undefined || r.date > latest ? r.date : latest),
    undefined,
  )
  const back =
    lastAbsence === undefined
      ? SchoolCalendar.firstSchoolDayFrom(calendars, current.since)
      : SchoolCalendar.nextSchoolDay(calendars, lastAbsence)
  return back > asOf ? undefined : { situation: "naar-school", since: back }
}

/**
 * After an import: every open case linked to a pupil of the school gets the attendance the data
 * says (`attendanceFromData`) as an `AttendanceRecorded` event, through the region's plug-in and
 * the case's own write path, recorded by the import's system principal; so the case's pact clock
 * and Inspectie category follow the school's registration. A case the plug-in does not let take
 * the event now, or that changed meanwhile, is left for the next import.
 */
export const followAttendance = (input: {
  readonly schoolId: Ids.OrganisationId
  readonly region: RegionConfig.EnabledRegion
  readonly calendars: SchoolCalendar.Calendars
  readonly records: ReadonlyMap<string, ReadonlyArray<Stored>>
  readonly asOf: LocalDate.LocalDate
  readonly only?: Ids.CaseId | undefined
}) =>
  Effect.gen(function* () {
    const caller = yield* CurrentPrincipal
    const store = yield* AbsenceStore.AbsenceStore
    const cases = yield* CaseStore.CaseStore
    const regionId = input.region.region.id
    const system = SystemPrincipals.absenceImport({
      requestId: caller.requestId,
      door: caller.door,
      regions: [regionId],
    })
    const links = (yield* store.linksOfSchool(input.schoolId)).filter(
      (l) => input.only === undefined || l.caseId === input.only,
    )
    let followed = 0
    for (const link of links) {
      const rows = input.records.get(link.pupilNumber)
      if (rows === undefined) continue
      const state = yield* cases
        .get(link.caseId, { regions: [regionId] })
        .pipe(Effect.catchTag("CaseNotFound", () => Effect.succeed(undefined)))
      if (state === undefined || state.closed !== undefined) continue
      const next = attendanceFromData(
        state.attendance,
        [...rows].sort(byDate).map(toRecord),
        input.calendars,
        input.asOf,
      )
      if (next === undefined) continue
      const event: CaseEvent.CaseEvent = {
        _tag: "AttendanceRecorded",
        at: Timestamp.now(),
        by: staffOf(system.principal),
        situation: next.situation,
        since: next.since,
        fittingOffer: state.attendance?.fittingOffer ?? false,
      }
      const accepted = Workflow.acceptEvent(
        input.region.plugin,
        state,
        event,
        Regions.contextFor(input.region, input.asOf),
      )
      if (Either.isLeft(accepted)) continue
      const appended = yield* CaseEffects.append(
        {
          caseId: state.id,
          expectedVersion: state.version,
          events: [accepted.right],
          regions: [regionId],
          audit: [entryOf(system, "update", { type: "case", id: state.id, regionId }, "verzuimimport")],
        },
        input.region,
      ).pipe(
        Effect.as(true),
        Effect.catchTags({
          VersionConflict: () => Effect.succeed(false),
          EventRejected: () => Effect.succeed(false),
        }),
      )
      if (appended) followed++
    }
    return followed
  })

// ---------------------------------------------------------------------------------------------
// Signals

/**
 * The school's signals, newest first, filtered by status and type (none: all). For the school's
 * own users; audited as a search naming the filters.
 */
export const signals = (filter: {
  readonly status?: ReadonlyArray<AbsenceSignal.SignalStatus>
  readonly type?: ReadonlyArray<AbsenceSignal.SignalType>
}) =>
  Effect.gen(function* () {
    const principal = yield* schoolUser
    const regions = yield* Regions.Regions
    const visible = regions.enabled(principal.regions)
    if (visible.length === 0) return [] as ReadonlyArray<SignalListItem>
    const store = yield* AbsenceStore.AbsenceStore
    const found = yield* store.signals({
      schoolId: principal.organisationId,
      regionIds: visible,
      ...(filter.status === undefined || filter.status.length === 0 ? {} : { statuses: filter.status }),
      ...(filter.type === undefined || filter.type.length === 0 ? {} : { types: filter.type }),
    })
    const pupils = yield* pupilsOf(
      principal.organisationId,
      found.map((s) => s.pupilNumber),
    )
    const used = [
      filter.status?.length ? `status=${filter.status.join("|")}` : "",
      filter.type?.length ? `type=${filter.type.join("|")}` : "",
    ]
      .filter(Boolean)
      .join("/")
    const audit = yield* AuditLog.AuditLog
    yield* audit.append([
      yield* auditOf(
        "search",
        { type: "absence-signal", regionId: visible.length === 1 ? visible[0] : undefined },
        used || "alle",
      ),
    ])
    return found
      .map((s) => listItem(s, pupils.get(s.pupilNumber)))
      .sort((a, b) => (a.firesOn < b.firesOn ? 1 : a.firesOn > b.firesOn ? -1 : a.id < b.id ? -1 : 1))
  })

/** One signal of the school with the pupil's records in its window; an audited read. */
export const signal = (id: Ids.SignalId) =>
  Effect.gen(function* () {
    const principal = yield* schoolUser
    const { signal: s } = yield* ownSignal(principal, id)
    const window = signalWindow(s)
    const records = yield* pupilRecords(s.schoolId, s.pupilNumber, window.from, window.to)
    const pupil = (yield* pupilsOf(s.schoolId, [s.pupilNumber])).get(s.pupilNumber)
    const audit = yield* AuditLog.AuditLog
    yield* audit.append([yield* auditOf("read", { type: "absence-signal", id: s.id, regionId: s.regionId })])
    return detailOf(s, pupil, records)
  })

/** A note or reason: required, trimmed, at most `MAX_NOTE_LENGTH` characters. */
const checkText = (path: "note" | "reason", value: string) => {
  const text = value.trim()
  const what = path === "note" ? "een notitie (wat doet de school met dit signaal?)" : "een reden"
  if (text === "") return Effect.fail(validation("signaal", path, `Vul ${what} in.`))
  if (text.length > MAX_NOTE_LENGTH)
    return Effect.fail(
      validation(
        "signaal",
        path,
        `Gebruik hoogstens ${MAX_NOTE_LENGTH} tekens (nu ${text.length}); noem geen namen of diagnoses.`,
      ),
    )
  return Effect.succeed(text)
}

/** A lifecycle step on an open signal of the school, with its audit record, in one transaction. */
const changeOpen = (id: Ids.SignalId, change: AbsenceStore.SignalChange, context: string) =>
  Effect.gen(function* () {
    const principal = yield* schoolUser
    const { signal: s } = yield* ownSignal(principal, id)
    if (!OPEN_STATUSES.includes(s.status)) return yield* Effect.fail(new SignalClosed({ status: s.status }))
    const db = yield* Database.Database
    const audit = yield* AuditLog.AuditLog
    const entry = yield* auditOf(
      "update",
      { type: "absence-signal", id: s.id, regionId: s.regionId },
      context,
    )
    const changed = yield* db.writeTransaction(
      Effect.zipLeft(changeSignal(s.id, change, principal.userId), audit.append([entry])),
    )
    const window = signalWindow(changed)
    const records = yield* pupilRecords(changed.schoolId, changed.pupilNumber, window.from, window.to)
    const pupil = (yield* pupilsOf(changed.schoolId, [changed.pupilNumber])).get(changed.pupilNumber)
    return detailOf(changed, pupil, records)
  })

/** Seen, with a note of what the school does (a new or seen signal; the note may be updated). */
export const markSeen = (id: Ids.SignalId, note: string) =>
  Effect.flatMap(checkText("note", note), (text) => changeOpen(id, { _tag: "seen", note: text }, "gezien"))

/** No action, with the reason why (a new or seen signal). */
export const markNoAction = (id: Ids.SignalId, reason: string) =>
  Effect.flatMap(checkText("reason", reason), (text) =>
    changeOpen(id, { _tag: "no-action", reason: text }, "geen-actie"),
  )

/** The kind of verzuim a referral from a signal of this type reports. */
export const verzuimKindOf: Readonly<Record<AbsenceSignal.SignalType, Referral.VerzuimKind>> = {
  meldplicht: "relatief",
  "luxe-verzuim": "luxe",
  "langdurig-2a": "langdurig",
  "langdurig-2b": "langdurig",
  "mazl-frequent": "ziekteverzuim",
  "mazl-langdurig": "ziekteverzuim",
  "grijs-geoorloofd": "grijs",
  "grijs-weekdag": "grijs",
  "grijs-te-laat": "grijs",
  "grijs-stijgend": "grijs",
}

const isValidRecord = Schema.is(AbsenceSchemas.AbsenceRecord)

/**
 * The absence summary of a pupil's records on `today`: unauthorised hours in the last 4 school
 * weeks, ziekmeldingen in the last 12 (M@ZL's episodes), the most recent records (at most 400).
 */
export const absenceSummary = (
  rows: ReadonlyArray<Stored>,
  calendars: SchoolCalendar.Calendars,
  today: LocalDate.LocalDate,
) => {
  const records = [...rows].sort(byDate).map(toRecord)
  const four = SchoolCalendar.windowStart(calendars, today, 4)
  const twelve = SchoolCalendar.windowStart(calendars, today, 12)
  const unauthorised = records
    .filter((r) => !r.authorised && r.date >= four && r.date <= today)
    .reduce((sum, r) => sum + AbsenceSchemas.hoursOf(r.amount, 50), 0)
  const sick = Mazl.sickEpisodes(records, calendars, today).filter((e) => e.first >= twelve).length
  return {
    unauthorisedHoursLast4Weeks: Math.min(200, roundHours(unauthorised)),
    sickReportsLast12Weeks: Math.min(60, sick),
    records: records.filter(isValidRecord).slice(-MAX_SUMMARY_RECORDS),
  }
}

/**
 * What the referral form is filled with when the school refers from a signal: the pupil as the
 * export named them, the absence summary (no free text: the rule's own explanation), and the kind
 * of verzuim of the signal's type. An audited read.
 */
export const referralDraft = (id: Ids.SignalId) =>
  Effect.gen(function* () {
    const principal = yield* schoolUser
    const { signal: s, region, regions } = yield* ownSignal(principal, id)
    const school = yield* ownSchool(principal)
    const calendars = schoolCalendars(region, school)
    const today = regions.today()
    const store = yield* AbsenceStore.AbsenceStore
    const rows = yield* store.recordsOfPupil(s.schoolId, s.pupilNumber, windowFrom(today), today)
    const horizon = yield* schoolHorizon(s.schoolId, today)
    const pupil = (yield* pupilsOf(s.schoolId, [s.pupilNumber])).get(s.pupilNumber)
    const summary = absenceSummary(rows, calendars, today)
    const langdurig = s.type === "langdurig-2a" || s.type === "langdurig-2b"
    // For langdurig verzuim `since` is the first day at home: it starts the case's pact clock.
    const since = langdurig
      ? (AbsenceSignals.homeSince(summary.records, calendars, horizon) ?? s.from)
      : s.from
    const description = [
      `Signaal uit de verzuimregistratie van de school: ${AbsenceSignal.signalTypeLabel[s.type]}.`,
      s.explanation,
      `Periode: ${dutchDate(s.from)} tot en met ${dutchDate(s.to)}.`,
    ]
      .join(" ")
      .slice(0, 4000)
    const audit = yield* AuditLog.AuditLog
    yield* audit.append([
      yield* auditOf("read", { type: "absence-signal", id: s.id, regionId: s.regionId }, "aanmelding"),
    ])
    return {
      signalId: s.id,
      regionId: s.regionId,
      schoolId: s.schoolId,
      pupil: {
        pupilNumber: s.pupilNumber,
        name: pupil?.name ?? null,
        birthDate: pupil?.birthDate ?? null,
      },
      absence: {
        since,
        unauthorisedHoursLast4Weeks: summary.unauthorisedHoursLast4Weeks,
        sickReportsLast12Weeks: summary.sickReportsLast12Weeks,
        records: summary.records,
        description: description as Referral.AbsenceSummary["description"] & string,
      },
      verzuimKind: verzuimKindOf[s.type],
    } satisfies ReferralDraft as ReferralDraft
  })

/**
 * The signal a referral is made from (`Referrals.submit` with `fromSignal`): an open signal of the
 * caller's own school in the referral's region; another school's does not exist (404).
 */
export const signalToRefer = (id: Ids.SignalId, regionId: Ids.RegionId) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    const { signal: s } = yield* ownSignal(principal, id)
    if (s.regionId !== regionId) return yield* Effect.fail(Access.notFound(SIGNAL_NOT_FOUND))
    if (!OPEN_STATUSES.includes(s.status)) return yield* Effect.fail(new SignalClosed({ status: s.status }))
    return s
  })

/**
 * Marks the signal `aangemeld` with the referral, and links the case to the school's pupil (the
 * case worker then sees the pupil's absence, and the case follows the imports). Runs inside the
 * referral's transaction.
 */
export const linkReferral = (input: {
  readonly signal: AbsenceStore.StoredSignal
  readonly referralId: Ids.ReferralId
  readonly caseId: Ids.CaseId
}) =>
  Effect.gen(function* () {
    const { principal } = yield* CurrentPrincipal
    const store = yield* AbsenceStore.AbsenceStore
    const audit = yield* AuditLog.AuditLog
    const { signal: s } = input
    yield* changeSignal(s.id, { _tag: "referred", referralId: input.referralId }, principal.userId)
    yield* store.link({
      caseId: input.caseId,
      referralId: input.referralId,
      schoolId: s.schoolId,
      pupilNumber: s.pupilNumber,
      signalId: s.id,
    })
    yield* audit.append([
      yield* auditOf("update", { type: "absence-signal", id: s.id, regionId: s.regionId }, "aangemeld"),
    ])
  })

/** After a referral from a signal: the new case's attendance follows the school's data at once. */
export const followCase = (signal: AbsenceStore.StoredSignal, caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    const regions = yield* Regions.Regions
    const region = regions.get(signal.regionId)
    const school = yield* organisationOf(signal.schoolId)
    if (region === undefined || school === undefined) return 0
    const today = regions.today()
    const store = yield* AbsenceStore.AbsenceStore
    const rows = yield* store.recordsOfPupil(signal.schoolId, signal.pupilNumber, windowFrom(today), today)
    return yield* followAttendance({
      schoolId: signal.schoolId,
      region,
      calendars: schoolCalendars(region, school),
      records: new Map([[signal.pupilNumber, rows]]),
      asOf: yield* schoolHorizon(signal.schoolId, today),
      only: caseId,
    })
  }).pipe(
    Effect.catchAllCause((cause) =>
      Effect.logWarning("referral from signal: the case did not follow the data").pipe(
        Effect.annotateLogs({ caseId, cause: String(cause).slice(0, 200) }),
        Effect.as(0),
      ),
    ),
  )

// ---------------------------------------------------------------------------------------------
// Counts, DUO meldingen

/**
 * Open signals (nieuw, gezien) per school and type in the coordinator's regions: counts, never
 * pupils; 1 to 4 shown as "< 5". Audited as a read of counts.
 */
export const counts = Effect.gen(function* () {
  const principal = yield* Access.requireRole(COUNT_ROLES)
  const regions = yield* Regions.Regions
  const visible = regions.enabled(principal.regions)
  if (visible.length === 0) return [] as ReadonlyArray<SignalCountRow>
  const store = yield* AbsenceStore.AbsenceStore
  const accounts = yield* Accounts.Accounts
  const rows = yield* store.counts(visible)
  const names = new Map((yield* accounts.organisations()).map((o) => [o.id as string, o.name]))
  const audit = yield* AuditLog.AuditLog
  yield* audit.append([
    yield* auditOf(
      "read",
      { type: "absence-count", regionId: visible.length === 1 ? visible[0] : undefined },
      "tellingen",
    ),
  ])
  return countRows(rows, (id) => names.get(id))
})

/**
 * The store's signal counts as open signals (nieuw, gezien) per school and type, 1 to 4 as
 * "< 5", by school name and type; the dashboard reads them the same way.
 */
export const countRows = (
  rows: ReadonlyArray<AbsenceStore.SignalCount>,
  schoolName: (id: string) => string | undefined,
): ReadonlyArray<SignalCountRow> => {
  const open = new Map<string, { schoolId: Ids.OrganisationId; type: AbsenceSignal.SignalType; n: number }>()
  for (const row of rows) {
    const key = `${row.schoolId}\u0000${row.type}`
    const entry = open.get(key) ?? { schoolId: row.schoolId, type: row.type, n: 0 }
    if (OPEN_STATUSES.includes(row.status)) entry.n += row.count
    open.set(key, entry)
  }
  return [...open.values()]
    .map(
      (e): SignalCountRow => ({
        schoolId: e.schoolId,
        schoolName: schoolName(e.schoolId) ?? e.schoolId,
        type: e.type,
        typeLabel: AbsenceSignal.signalTypeLabel[e.type],
        open: e.n > 0 && e.n < 5 ? "< 5" : e.n,
      }),
    )
    .sort(
      (a, b) =>
        a.schoolName.localeCompare(b.schoolName, "nl") ||
        AbsenceSignal.SignalType.literals.indexOf(a.type) - AbsenceSignal.SignalType.literals.indexOf(b.type),
    )
}

const DUO_TYPES: ReadonlyArray<AbsenceSignal.SignalType> = ["meldplicht", "luxe-verzuim"]

const duoItem = (
  s: AbsenceStore.StoredSignal,
  calendars: SchoolCalendar.Calendars,
  today: LocalDate.LocalDate,
): DuoMeldingItem => {
  const dueOn = WorkingDays.addWorkingDays(calendars, s.firesOn, DUO_REPORTING_WORKING_DAYS)
  const recordedOn =
    s.duoStatusAt === undefined ? undefined : LocalDate.todayInAmsterdam(new Date(s.duoStatusAt))
  return {
    signalId: s.id,
    pupilNumber: s.pupilNumber,
    kind: s.type === "luxe-verzuim" ? "luxe verzuim" : "relatief verzuim",
    from: s.from,
    to: s.to,
    hours: roundHours(s.measure),
    dueOn,
    late: recordedOn === undefined ? today > dueOn : recordedOn > dueOn,
    status: s.duoStatus ?? null,
  }
}

/** The school's DUO meldingen: its meldplicht and luxe-verzuim signals (withdrawn ones only once reported). */
const duoSignals = Effect.gen(function* () {
  const principal = yield* schoolUser
  const regions = yield* Regions.Regions
  const visible = regions.enabled(principal.regions)
  const school = yield* ownSchool(principal)
  const store = yield* AbsenceStore.AbsenceStore
  const found =
    visible.length === 0
      ? []
      : (yield* store.signals({
          schoolId: principal.organisationId,
          regionIds: visible,
          types: DUO_TYPES,
        })).filter((s) => s.status !== "vervallen" || s.duoStatus !== undefined)
  const today = regions.today()
  const items = found.map((s) => {
    const region = regions.get(s.regionId)
    return duoItem(s, region === undefined ? [] : schoolCalendars(region, school), today)
  })
  return {
    visible,
    items: items.sort((a, b) =>
      a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.signalId < b.signalId ? -1 : 1,
    ),
  }
})

/**
 * What the school needs for its verzuimmeldingen in DUO's register, per melding: pupil number,
 * kind, period, hours, the day it is due (`DUO_REPORTING_WORKING_DAYS` after the rule fired) and
 * whether it is late. The system does not send to DUO. An audited search.
 */
export const duoMeldingen = Effect.gen(function* () {
  const { visible, items } = yield* duoSignals
  const audit = yield* AuditLog.AuditLog
  yield* audit.append([
    yield* auditOf(
      "search",
      { type: "duo-melding", regionId: visible.length === 1 ? visible[0] : undefined },
      "lijst",
    ),
  ])
  return items as ReadonlyArray<DuoMeldingItem>
})

const DUO_COLUMNS: ReadonlyArray<Cells.Column> = [
  { header: "Leerlingnummer", kind: "text" },
  { header: "Soort melding", kind: "text" },
  { header: "Eerste verzuimdag", kind: "date" },
  { header: "Laatste verzuimdag", kind: "date" },
  { header: "Uren", kind: "number" },
  { header: "Melden uiterlijk", kind: "date" },
  { header: "Te laat", kind: "text" },
  { header: "Status bij DUO", kind: "text" },
  { header: "Signaal", kind: "text" },
]

/**
 * The DUO meldingen as a spreadsheet: Dutch headers, the pupil number only (no names), every text
 * cell formula-safe (`Cells`). Audited as an export.
 */
export const duoWorkbook = Effect.gen(function* () {
  const { visible, items } = yield* duoSignals
  const sheet = Workbook.sheet(
    { name: "DUO-meldingen", columns: DUO_COLUMNS },
    items.map((i) => [
      i.pupilNumber,
      i.kind,
      i.from,
      i.to,
      i.hours,
      i.dueOn,
      Cells.jaNee(i.late),
      i.status ?? "nog niet gemeld",
      i.signalId,
    ]),
  )
  const audit = yield* AuditLog.AuditLog
  yield* audit.append([
    yield* auditOf(
      "export",
      { type: "duo-melding", regionId: visible.length === 1 ? visible[0] : undefined },
      "xlsx",
    ),
  ])
  return new Uint8Array(Workbook.write([sheet], { title: "DUO-meldingen verzuim" })) as Uint8Array
})

/** Records the melding's status as the school sees it in DUO's register. */
export const setDuoStatus = (id: Ids.SignalId, status: AbsenceSignal.DuoMeldingStatus) =>
  Effect.gen(function* () {
    const principal = yield* schoolUser
    if (!Schema.is(AbsenceSignal.DuoMeldingStatus)(status))
      return yield* Effect.fail(
        validation(
          "signaal",
          "status",
          `Kies een status van DUO: ${AbsenceSignal.DuoMeldingStatus.literals.join(", ")}.`,
        ),
      )
    const { signal: s, region, regions } = yield* ownSignal(principal, id)
    if (!AbsenceSignal.reportableToDuo.has(s.type))
      return yield* Effect.fail(new NotReportable({ type: s.type }))
    const school = yield* ownSchool(principal)
    const db = yield* Database.Database
    const audit = yield* AuditLog.AuditLog
    const entry = yield* auditOf(
      "update",
      { type: "duo-melding", id: s.id, regionId: s.regionId },
      status.toLowerCase().replace(/\s+/g, "-"),
    )
    const changed = yield* db.writeTransaction(
      Effect.zipLeft(
        changeSignal(s.id, { _tag: "duo-status", status }, principal.userId),
        audit.append([entry]),
      ),
    )
    return duoItem(changed, schoolCalendars(region, school), regions.today())
  })

// ---------------------------------------------------------------------------------------------
// The dossier

const noAbsence: CaseAbsence = {
  linked: false,
  schoolId: null,
  pupilNumber: null,
  records: [],
  totals: { unauthorisedHours: 0, authorisedHours: 0, sickReports: 0, lateCount: 0 },
  signals: [],
  homeSince: null,
}

/**
 * The absence history of a case's pupil, once a referral from a signal linked the case to the
 * school's pupil: the records of the current and previous school year, totals, the pupil's signals
 * and since when the data has the pupil at home. For case workers and coordinators who may read the
 * case (the case read's own check: another region's case does not exist); audited with the case.
 */
export const caseAbsence = (caseId: Ids.CaseId) =>
  Effect.gen(function* () {
    yield* Access.requireRole(Access.CASE_ROLES)
    const cases = yield* CaseStore.CaseStore
    const { regions, visibility } = yield* Access.caseVisibility(caseId, "absence", {
      type: "case",
      context: "verzuim",
    })
    const state = yield* cases.get(caseId, visibility)
    const region = regions.get(state.regionId)
    if (region === undefined) return yield* Effect.fail(Access.notFound())
    const store = yield* AbsenceStore.AbsenceStore
    const link = yield* store.linkOfCase(caseId)
    if (link === undefined) return noAbsence
    const today = regions.today()
    const school = yield* organisationOf(link.schoolId)
    const calendars = schoolCalendars(region, { id: link.schoolId, name: school?.name ?? "" })
    const rows = [
      ...(yield* store.recordsOfPupil(link.schoolId, link.pupilNumber, windowFrom(today), today)),
    ].sort(byDate)
    const horizon = yield* schoolHorizon(link.schoolId, today)
    const records = rows.map(toRecord)
    const found = yield* store.signals({ schoolId: link.schoolId, pupilNumber: link.pupilNumber })
    const pupil = (yield* pupilsOf(link.schoolId, [link.pupilNumber])).get(link.pupilNumber)
    const hours = (keep: (r: Absence.AbsenceRecord) => boolean) =>
      roundHours(records.filter(keep).reduce((sum, r) => sum + AbsenceSchemas.hoursOf(r.amount, 50), 0))
    return {
      linked: true,
      schoolId: link.schoolId,
      pupilNumber: link.pupilNumber,
      records,
      totals: {
        unauthorisedHours: hours((r) => !r.authorised),
        authorisedHours: hours((r) => r.authorised && r.kind !== "ziek"),
        sickReports: Mazl.sickEpisodes(records, calendars, today).length,
        lateCount: records.filter((r) => r.kind === "te-laat").length,
      },
      signals: found
        .map((s) => listItem(s, pupil))
        .sort((a, b) => (a.firesOn < b.firesOn ? 1 : a.firesOn > b.firesOn ? -1 : 0)),
      homeSince: AbsenceSignals.homeSince(records, calendars, horizon) ?? null,
    } satisfies CaseAbsence as CaseAbsence
  }).pipe(Effect.catchTag("CaseNotFound", () => Effect.fail(Access.notFound())))

// ---------------------------------------------------------------------------------------------
// Retention

/**
 * Deletes absence records older than each region's retention (`absence.retentionSchoolYears`,
 * default the current and the previous school year: AVG art. 5 lid 1 sub e), with an audit record
 * of the housekeeping per region that lost records (count, region, the cut-off day; no personal
 * data), in the purge's transaction. For the gateway's housekeeping; no caller.
 */
export const purgeExpired: Effect.Effect<
  ReadonlyArray<PurgeResult>,
  SqlError | Errors.ValidationError,
  Regions.Regions | AbsenceStore.AbsenceStore | AuditLog.AuditLog | Database.Database
> = Effect.gen(function* () {
  const regions = yield* Regions.Regions
  const store = yield* AbsenceStore.AbsenceStore
  const audit = yield* AuditLog.AuditLog
  const db = yield* Database.Database
  const today = regions.today()
  const results: Array<PurgeResult> = []
  for (const region of regions.all) {
    const regionId = region.region.id
    const before = retentionStart(today, region.absence.retentionSchoolYears)
    const purged = yield* db.writeTransaction(
      Effect.tap(store.purge(regionId, before), (n) =>
        n === 0
          ? Effect.void
          : audit.append([
              {
                ...SystemPrincipals.HOUSEKEEPING,
                action: "update",
                recordType: "absence-record",
                regionId,
                purpose: "bewaartermijn",
                context: auditContext(`housekeeping:bewaartermijn:voor-${before}:${n}-verwijderd`),
                requestId: `housekeeping-${regionId}-${today}`,
              } as AuditLog.AuditEntry,
            ]),
      ),
    )
    results.push({ regionId, before, purged })
  }
  return results
})
