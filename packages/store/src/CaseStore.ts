/**
 * The case event log and its projection. `append` writes a case's new events, its updated
 * projection (through the domain's `Case.evolve`), its audit records and its outbox messages in one
 * transaction: a reader sees all of them or none. Optimistic concurrency: the caller says which
 * version it read; if the case moved on meanwhile, `VersionConflict` and nothing is written.
 *
 * Region isolation: every call names the regions the caller may see, and the SQL filters on them.
 * A case in another region is reported as not found, so its existence does not leak.
 *
 * @example
 * const store = yield* CaseStore
 * const created = yield* store.create({ referral: received, regions: ["westland"], audit: [entry] })
 * yield* store.append({ caseId: created.state.id, expectedVersion: 1, events: [intake], regions })
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import {
  Case,
  type CaseEvent,
  Decode,
  Errors,
  HttpMeaning,
  Ids,
  Pupil,
  type Timestamp,
} from "@verzuimregie/domain"
import { Context, Effect, Either, Schema } from "effect"
import {
  type AuditEntry,
  type AuditRecord,
  appendInTransaction,
  validate as validateAudit,
} from "./AuditLog.js"
import { audited } from "./internal/audited.js"
import {
  bindColumns,
  columnsOf,
  decodeEvent,
  decodeState,
  encodeEvent,
  openActionIds,
  openActionRows,
  sameProjection,
  toJson,
} from "./internal/projection.js"
import { pupilHasher } from "./internal/pupilMatch.js"
import { Database, type DatabaseService, now } from "./internal/service.js"
import { isUniqueViolation, toInt } from "./internal/sql.js"
import { enqueueInTransaction, type OutboxMessage } from "./Outbox.js"
import { regionsOf, type Visibility } from "./Visibility.js"

/** The case moved on since the caller read it: re-read and decide again. */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()(
  "VersionConflict",
  {
    caseId: Ids.CaseId,
    expected: Schema.Int,
    actual: Schema.Int,
  },
  HttpMeaning.status(
    409,
    {
      type: "https://verzuimregie.nl/problems/version-conflict",
      title: "De casus is intussen gewijzigd",
    },
    (error: { readonly expected: number; readonly actual: number }) => ({
      detail: `Verwachte versie ${error.expected}, actuele versie ${error.actual}. Lees de casus opnieuw.`,
      currentVersion: error.actual,
    }),
  ),
) {
  override get message(): string {
    return `case ${this.caseId} is at version ${this.actual}, not ${this.expected}`
  }
}

/** An event the domain refuses for this case (`Case.evolve`); nothing was written. */
export class EventRejected extends Schema.TaggedError<EventRejected>()(
  "EventRejected",
  {
    caseId: Ids.CaseId,
    /** Position of the refused event in the appended batch. */
    index: Schema.Int,
    rejection: Errors.CaseEventRejected,
  },
  HttpMeaning.status(
    409,
    {
      type: "https://verzuimregie.nl/problems/event-rejected",
      title: "Dit kan niet in de huidige stand van de casus",
    },
    (error: { readonly rejection: { readonly reason: string } }) => ({ detail: error.rejection.reason }),
  ),
) {
  override get message(): string {
    return `event ${this.index} refused: ${this.rejection.message}`
  }
}

/** No such case in the caller's regions. */
export class CaseNotFound extends Schema.TaggedError<CaseNotFound>()(
  "CaseNotFound",
  {
    caseId: Ids.CaseId,
  },
  HttpMeaning.status(404, { detail: "Deze casus bestaat niet of u heeft er geen toegang toe." }),
) {
  override get message(): string {
    return `case ${this.caseId} not found`
  }
}

/** The caller may not create a case in this region. */
export class RegionNotPermitted extends Schema.TaggedError<RegionNotPermitted>()(
  "RegionNotPermitted",
  {
    regionId: Ids.RegionId,
  },
  HttpMeaning.status(404, { detail: "Deze casus bestaat niet of u heeft er geen toegang toe." }),
) {
  override get message(): string {
    return `no access to region ${this.regionId}`
  }
}

/** The referral already opened another case. */
export class DuplicateReferral extends Schema.TaggedError<DuplicateReferral>()(
  "DuplicateReferral",
  {
    referralId: Ids.ReferralId,
  },
  HttpMeaning.status(409, { detail: "Deze aanmelding is al ontvangen." }),
) {
  override get message(): string {
    return `referral ${this.referralId} already opened a case`
  }
}

/**
 * The pupil of a new referral already has an open case in the region, and the region refuses a
 * second referral (`whenOpen: "refuse"`). Nothing was written. Carries the open case's referral
 * and its referrer, so the caller can decide what the new referrer may be told.
 */
export class OpenCaseExists extends Schema.TaggedError<OpenCaseExists>()(
  "OpenCaseExists",
  {
    caseId: Ids.CaseId,
    regionId: Ids.RegionId,
    referralId: Ids.ReferralId,
    submittedBy: Schema.optional(Ids.UserId),
  },
  // Use cases turn it into a message for the caller (`Referrals.OpenCase`); on its own a 409.
  HttpMeaning.status(409, { title: "Voor deze leerling loopt al een casus" }),
) {
  override get message(): string {
    return `case ${this.caseId} is open for this pupil in region ${this.regionId}`
  }
}

/** How `create` treats a pupil who already has an open case in the region. */
export interface PupilMatch {
  /** `refuse`: fail with `OpenCaseExists`; `link`: append `ReferralLinked` to the open case. */
  readonly whenOpen: "refuse" | "link"
  /** The audit records of adding the referral to the open case `caseId` (when linking). */
  readonly linkAudit?: ((caseId: Ids.CaseId) => ReadonlyArray<AuditEntry>) | undefined
}

export interface StoredEvent {
  readonly eventId: Ids.EventId
  readonly caseId: Ids.CaseId
  readonly regionId: Ids.RegionId
  readonly version: number
  readonly recordedAt: Timestamp.Timestamp
  readonly event: CaseEvent.CaseEvent
}

export interface AppendInput {
  readonly caseId: Ids.CaseId
  /** The version the caller read (0 for a case that does not exist yet). */
  readonly expectedVersion: number
  readonly events: ReadonlyArray<CaseEvent.CaseEvent>
  /** The regions the caller may write in. */
  readonly regions: ReadonlyArray<Ids.RegionId>
  /** Audit records committed with the change. */
  readonly audit?: ReadonlyArray<AuditEntry> | undefined
  /** Side effects committed with the change (linked to the case's new version). */
  readonly outbox?: ReadonlyArray<OutboxMessage> | undefined
}

export interface CreateInput {
  /** Default: a new random id. */
  readonly caseId?: Ids.CaseId | undefined
  readonly referral: CaseEvent.EventOf<"ReferralReceived">
  /** Further events applied in the same transaction (an intake done on receipt, say). */
  readonly events?: ReadonlyArray<CaseEvent.CaseEvent> | undefined
  readonly regions: ReadonlyArray<Ids.RegionId>
  readonly audit?: ReadonlyArray<AuditEntry> | undefined
  readonly outbox?: ReadonlyArray<OutboxMessage> | undefined
  /**
   * At most one open case per pupil and region: with this, the referral's pupil is looked up among
   * the region's open cases in the same transaction (a unique index makes it race-safe).
   */
  readonly pupilMatch?: PupilMatch | undefined
}

/** What `create` did: opened `state`, or (`linked`) added the referral to the open case `state`. */
export interface Created extends Appended {
  readonly linked: boolean
}

export interface Appended {
  readonly state: Case.CaseState
  readonly events: ReadonlyArray<StoredEvent>
  readonly audit: ReadonlyArray<AuditRecord>
  /** Ids of the outbox messages written. */
  readonly outbox: ReadonlyArray<string>
}

export type AppendError =
  | VersionConflict
  | EventRejected
  | CaseNotFound
  | RegionNotPermitted
  | DuplicateReferral
  | Errors.ValidationError
  | SqlError

export type CreateError = AppendError | OpenCaseExists

export interface RebuildReport {
  /** Cases looked at. */
  readonly cases: number
  /** Projections that differed from the fold of their events (rewritten unless `check`). */
  readonly differed: ReadonlyArray<Ids.CaseId>
  /** Cases whose events do not fold (damaged log): left untouched, for a person to look at. */
  readonly failed: ReadonlyArray<{ readonly caseId: Ids.CaseId; readonly reason: string }>
}

interface EventRow {
  readonly event_id: string
  readonly case_id: string
  readonly region_id: string
  readonly version: unknown
  readonly recorded_at: string
  readonly payload: unknown
}

const toStoredEvent = (row: EventRow): StoredEvent => {
  const event = decodeEvent(row.payload)
  if (Either.isLeft(event)) {
    throw new Error(`event ${row.event_id} of ${row.case_id} does not decode: ${event.left}`)
  }
  return {
    eventId: row.event_id as Ids.EventId,
    caseId: row.case_id as Ids.CaseId,
    regionId: row.region_id as Ids.RegionId,
    version: toInt(row.version),
    recordedAt: row.recorded_at as Timestamp.Timestamp,
    event: event.right,
  }
}

const FIRST_EVENT_REASON = "de eerste gebeurtenis van een casus is de aanmelding"

const encodeAll = (
  events: ReadonlyArray<CaseEvent.CaseEvent>,
): Effect.Effect<ReadonlyArray<unknown>, Errors.ValidationError> =>
  Effect.forEach(events, (event, index) =>
    Either.match(encodeEvent(event), {
      onLeft: (error) => Effect.fail(Decode.toValidationError(`event ${index} (${event._tag})`, error)),
      onRight: Effect.succeed,
    }),
  )

/** Writes the projection row and its open actions for `next`, given what was stored before. */
export const writeProjection = (
  db: DatabaseService,
  previous: Case.CaseState | undefined,
  next: Case.CaseState,
  at: Timestamp.Timestamp,
): Effect.Effect<void, SqlError> =>
  Effect.gen(function* () {
    const { sql } = db
    const row: Record<string, unknown> = {
      ...bindColumns(db.dialect, columnsOf(next)),
      state: toJson(next),
      updated_at: at,
    }
    if (previous === undefined) {
      yield* sql`INSERT INTO cases ${sql.insert(row)}`
    } else {
      const { case_id: _, ...changes } = row
      yield* sql`UPDATE cases SET ${sql.update(changes)} WHERE case_id = ${next.id}`
    }
    // Actions never change once assigned except for leaving the open set, so a diff by id is enough.
    const before = openActionIds(previous)
    const after = openActionRows(next)
    const afterIds = new Set(after.map((a) => a.action_id))
    const closed = [...before].filter((id) => !afterIds.has(id))
    const opened = after.filter((a) => !before.has(a.action_id))
    if (closed.length > 0) {
      yield* sql`DELETE FROM open_actions WHERE case_id = ${next.id} AND ${sql.in("action_id", closed)}`
    }
    if (opened.length > 0) yield* sql`INSERT INTO open_actions ${sql.insert(opened.map((a) => ({ ...a })))}`
  })

export class CaseStore extends Effect.Service<CaseStore>()("@verzuimregie/store/CaseStore", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const { sql } = db

    const stateOf = (caseId: string, value: unknown): Effect.Effect<Case.CaseState> =>
      Either.match(decodeState(caseId, value), {
        onLeft: (reason) => Effect.dieMessage(`${reason}; run rebuild-projections`),
        onRight: Effect.succeed,
      })

    const currentVersion = (caseId: Ids.CaseId) =>
      Effect.map(sql<{ version: unknown }>`SELECT version FROM cases WHERE case_id = ${caseId}`, ([row]) =>
        row === undefined ? 0 : toInt(row.version),
      )

    /**
     * Appends events to a case (or opens it, with `expectedVersion: 0` and a `ReferralReceived`
     * first), with its audit records and outbox messages, in one transaction.
     */
    const append = (input: AppendInput): Effect.Effect<Appended, AppendError> =>
      Effect.gen(function* () {
        const { caseId, expectedVersion, events } = input
        const regions = yield* regionsOf(input.regions)
        if (events.length === 0) return yield* Effect.dieMessage("append needs at least one event")
        if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
          return yield* Effect.dieMessage(
            `expectedVersion must be a whole number ≥ 0, got ${expectedVersion}`,
          )
        }
        const auditEntries = yield* validateAudit(input.audit ?? [])
        const payloads = yield* encodeAll(events)

        const transaction = Effect.gen(function* () {
          const [row] = yield* sql<{ version: unknown; region_id: string; state: unknown }>`SELECT version,
              region_id, state FROM cases WHERE case_id = ${caseId}${sql.literal(db.forUpdate)}`
          let previous: Case.CaseState | undefined
          if (row === undefined) {
            if (expectedVersion !== 0) {
              return yield* new VersionConflict({ caseId, expected: expectedVersion, actual: 0 })
            }
          } else {
            if (!regions.includes(row.region_id as Ids.RegionId)) return yield* new CaseNotFound({ caseId })
            const actual = toInt(row.version)
            if (actual !== expectedVersion) {
              return yield* new VersionConflict({ caseId, expected: expectedVersion, actual })
            }
            previous = yield* stateOf(caseId, row.state)
          }

          let next = previous
          for (const [index, event] of events.entries()) {
            if (next === undefined) {
              if (event._tag !== "ReferralReceived") {
                const rejection = new Errors.CaseEventRejected({
                  caseId,
                  eventTag: event._tag,
                  reason: FIRST_EVENT_REASON,
                })
                return yield* new EventRejected({ caseId, index, rejection })
              }
              next = Case.start(caseId, event)
              if (!regions.includes(next.regionId))
                return yield* new RegionNotPermitted({ regionId: next.regionId })
              continue
            }
            const evolved = Case.evolve(next, event)
            if (Either.isLeft(evolved))
              return yield* new EventRejected({ caseId, index, rejection: evolved.left })
            next = evolved.right
          }
          if (next === undefined) return yield* Effect.dieMessage("unreachable: no state after events")

          const at = yield* now
          yield* writeProjection(db, previous, next, at)
          // A closed case no longer holds its pupil: a new referral may open a new case.
          if (previous !== undefined && previous.closed === undefined && next.closed !== undefined)
            yield* sql`DELETE FROM open_case_pupils WHERE case_id = ${caseId}`
          const stored: Array<StoredEvent> = events.map((event, i) => ({
            eventId: Ids.newId.event(),
            caseId,
            regionId: next.regionId,
            version: expectedVersion + i + 1,
            recordedAt: at,
            event,
          }))
          yield* sql`INSERT INTO case_events ${sql.insert(
            stored.map((e, i) => ({
              event_id: e.eventId,
              case_id: caseId,
              version: e.version,
              region_id: e.regionId,
              tag: e.event._tag,
              at: e.event.at,
              by_user_id: e.event.by.userId ?? null,
              recorded_at: at,
              payload: JSON.stringify(payloads[i]),
            })),
          )}`
          const outbox = yield* enqueueInTransaction(db, input.outbox ?? [], {
            caseId,
            caseVersion: next.version,
          })
          // Last: on PostgreSQL this takes the audit chain's lock, so hold it as briefly as possible.
          const audit = yield* appendInTransaction(db, auditEntries)
          return { state: next, events: stored, audit, outbox } satisfies Appended
        })

        return yield* db.writeTransaction(transaction).pipe(
          Effect.catchIf(
            (error): error is SqlError => error._tag === "SqlError" && isUniqueViolation(error),
            (error) =>
              Effect.gen(function* () {
                // Two writers created the same case at once (PostgreSQL): the loser lands here.
                const first = events[0]
                const text = String((error.cause as Error | undefined)?.message ?? "")
                if (first?._tag === "ReferralReceived" && /referral/i.test(text)) {
                  return yield* new DuplicateReferral({ referralId: first.referral.id })
                }
                const actual = yield* currentVersion(caseId)
                if (actual === expectedVersion) return yield* Effect.fail(error)
                return yield* new VersionConflict({ caseId, expected: expectedVersion, actual })
              }),
          ),
        )
      })

    /**
     * Opens a case from its referral: `append` at version 0. With `pupilMatch`, first looks for an
     * open case of the same pupil in the region, in the same transaction: refuses, or links the
     * referral to it. Two such creates at once (PostgreSQL) meet on the unique index; the loser
     * runs again and finds the winner's case.
     */
    const create = (input: CreateInput): Effect.Effect<Created, CreateError> => {
      const caseId = input.caseId ?? Ids.newId.case()
      const open = append({
        caseId,
        expectedVersion: 0,
        events: [input.referral, ...(input.events ?? [])],
        regions: input.regions,
        audit: input.audit,
        outbox: input.outbox,
      })
      const match = input.pupilMatch
      if (match === undefined) return Effect.map(open, (created) => ({ ...created, linked: false }))
      const regionId = input.referral.referral.regionId
      const once = db.writeTransaction(
        Effect.gen(function* () {
          // The pupil as `Pupil.matchKey` identifies them; only the keyed hash is stored.
          const key = (yield* pupilHasher(db))(Pupil.matchKey(input.referral.referral.pupil))
          const [found] = yield* sql<{
            case_id: string
            version: unknown
            referral_id: string
            submitted_by: string | null
          }>`SELECT c.case_id, c.version, c.referral_id, c.submitted_by
            FROM open_case_pupils p JOIN cases c ON c.case_id = p.case_id
            WHERE p.region_id = ${regionId} AND p.pupil_key = ${key}${sql.literal(db.forUpdate)}`
          if (found === undefined) {
            const created = yield* open
            yield* sql`INSERT INTO open_case_pupils ${sql.insert({ case_id: caseId, region_id: regionId, pupil_key: key })}`
            return { ...created, linked: false }
          }
          const openCaseId = found.case_id as Ids.CaseId
          if (match.whenOpen === "refuse") {
            return yield* new OpenCaseExists({
              caseId: openCaseId,
              regionId,
              referralId: found.referral_id as Ids.ReferralId,
              ...(found.submitted_by === null ? {} : { submittedBy: found.submitted_by as Ids.UserId }),
            })
          }
          const { referral } = input
          const linked = yield* append({
            caseId: openCaseId,
            expectedVersion: toInt(found.version),
            events: [
              { _tag: "ReferralLinked", at: referral.at, by: referral.by, referral: referral.referral },
            ],
            regions: input.regions,
            audit: match.linkAudit?.(openCaseId),
          })
          return { ...linked, linked: true }
        }),
      )
      return once.pipe(
        Effect.catchIf(
          (error): error is SqlError =>
            error._tag === "SqlError" &&
            isUniqueViolation(error) &&
            /open_case_pupils/.test(String((error.cause as Error | undefined)?.message ?? "")),
          () => once,
        ),
      )
    }

    /**
     * Fills the open cases' pupil keys for cases opened before they were kept (migration 6), so a
     * new referral meets them too. Where two open cases of one region already share a pupil, the
     * first keeps the key. Returns how many cases it indexed.
     */
    const indexOpenPupils = (): Effect.Effect<number, SqlError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const rows = yield* sql<{ case_id: string; state: unknown }>`SELECT c.case_id, c.state FROM cases c
            WHERE c.closed_on IS NULL
              AND NOT EXISTS (SELECT 1 FROM open_case_pupils p WHERE p.case_id = c.case_id)
            ORDER BY c.opened_at, c.case_id`
          if (rows.length === 0) return 0
          const hash = yield* pupilHasher(db)
          let indexed = 0
          for (const row of rows) {
            const state = yield* stateOf(row.case_id, row.state)
            const key = hash(Pupil.matchKey(state.referral.pupil))
            const inserted = yield* sql<{ case_id: string }>`INSERT INTO open_case_pupils ${sql.insert({
              case_id: row.case_id,
              region_id: state.regionId,
              pupil_key: key,
            })} ON CONFLICT DO NOTHING RETURNING case_id`
            indexed += inserted.length
          }
          return indexed
        }),
      )

    /**
     * A read that answered "not found": when the case exists in a region the caller may not see,
     * writes the caller's `denied` record, in a fiber of its own (the refusal does not wait for it).
     */
    const traceRefusal = (caseId: Ids.CaseId, visibility: Visibility) => {
      const denied = visibility.denied
      if (denied === undefined) return Effect.void
      return Effect.gen(function* () {
        const [row] = yield* sql<{ region_id: string }>`SELECT region_id FROM cases WHERE case_id = ${caseId}`
        if (row === undefined) return
        const valid = yield* validateAudit([denied])
        yield* db.writeTransaction(appendInTransaction(db, valid))
      }).pipe(
        Effect.catchAllCause((cause) =>
          Effect.logWarning("could not write the trace of a refused read", cause),
        ),
        // Its own transaction, not the caller's: the refusal may come inside a write transaction
        // (an idempotent request) that has ended by the time this fiber writes.
        Effect.mapInputContext((context: Context.Context<never>) =>
          Context.omit(SqlClient.TransactionConnection)(context),
        ),
        Effect.forkDaemon,
        Effect.asVoid,
      )
    }

    /**
     * The current state of a case the caller may see.
     *
     * @example
     * const state = yield* store.get(caseId, { regions: ["westland"], audit: readEntry })
     */
    const get = (
      caseId: Ids.CaseId,
      visibility: Visibility,
    ): Effect.Effect<Case.CaseState, CaseNotFound | Errors.ValidationError | SqlError> =>
      Effect.gen(function* () {
        const regions = yield* regionsOf(visibility.regions)
        return yield* audited(
          db,
          visibility,
          Effect.gen(function* () {
            const [row] = yield* sql<{ state: unknown }>`SELECT state FROM cases
              WHERE case_id = ${caseId} AND ${sql.in("region_id", regions)}`
            if (row === undefined) return yield* new CaseNotFound({ caseId })
            return yield* stateOf(caseId, row.state)
          }),
          (state) => state.regionId,
        ).pipe(
          Effect.tapError((e) =>
            e._tag === "CaseNotFound" ? traceRefusal(caseId, visibility) : Effect.void,
          ),
        )
      })

    /** The case's events, oldest first. */
    const events = (
      caseId: Ids.CaseId,
      visibility: Visibility,
    ): Effect.Effect<ReadonlyArray<StoredEvent>, CaseNotFound | Errors.ValidationError | SqlError> =>
      Effect.gen(function* () {
        const regions = yield* regionsOf(visibility.regions)
        return yield* audited(
          db,
          visibility,
          Effect.gen(function* () {
            const rows =
              yield* sql<EventRow>`SELECT event_id, case_id, region_id, version, recorded_at, payload
              FROM case_events WHERE case_id = ${caseId} AND ${sql.in("region_id", regions)} ORDER BY version`
            if (rows.length === 0) return yield* new CaseNotFound({ caseId })
            return yield* Effect.try({ try: () => rows.map(toStoredEvent), catch: (e) => e }).pipe(
              Effect.orDie,
            )
          }),
          (events) => events[0]?.regionId,
        ).pipe(
          Effect.tapError((e) =>
            e._tag === "CaseNotFound" ? traceRefusal(caseId, visibility) : Effect.void,
          ),
        )
      })

    const loadEvents = (caseId: string) =>
      sql<EventRow>`SELECT event_id, case_id, region_id, version, recorded_at, payload
          FROM case_events WHERE case_id = ${caseId} ORDER BY version`

    /** Folds one case's events and compares (and with `write`, replaces) its projection. */
    const rebuildOne = (caseId: Ids.CaseId, write: boolean) =>
      Effect.gen(function* () {
        const [row] = yield* sql<
          Record<string, unknown>
        >`SELECT * FROM cases WHERE case_id = ${caseId}${sql.literal(write ? db.forUpdate : "")}`
        const rows = yield* loadEvents(caseId)
        if (rows.length === 0 || rows.some((eventRow, i) => toInt(eventRow.version) !== i + 1)) {
          return { _tag: "failed", reason: "event versions are not 1, 2, 3, …" } as const
        }
        const decoded: Array<CaseEvent.CaseEvent> = []
        for (const eventRow of rows) {
          const event = decodeEvent(eventRow.payload)
          if (Either.isLeft(event)) {
            return {
              _tag: "failed",
              reason: `event ${eventRow.event_id} does not decode: ${event.left}`,
            } as const
          }
          decoded.push(event.right)
        }
        const folded = Case.fold(caseId, decoded)
        if (Either.isLeft(folded)) return { _tag: "failed", reason: folded.left.message } as const
        const state = folded.right
        const actions = yield* sql<{
          action_id: string
          action: unknown
        }>`SELECT action_id, action FROM open_actions
          WHERE case_id = ${caseId} ORDER BY action_id`
        const expectedActions = openActionRows(state)
          .map((a) => a.action_id)
          .sort()
        const same =
          row !== undefined &&
          sameProjection(row, state) &&
          actions.length === expectedActions.length &&
          actions.every((a, i) => a.action_id === expectedActions[i])
        if (same) return { _tag: "same" } as const
        if (write) {
          const at = yield* now
          yield* sql`DELETE FROM open_actions WHERE case_id = ${caseId}`
          if (row === undefined) {
            yield* writeProjection(db, undefined, state, at)
          } else {
            // The previous state is untrusted: start the open actions from nothing.
            yield* writeProjection(db, { ...state, actions: [] }, state, at)
          }
        }
        return { _tag: "differed" } as const
      })

    /**
     * Rebuilds every projection from the events (or, with `check: true`, only compares). One short
     * transaction per case, so it can run next to live traffic.
     */
    const rebuildProjections = (
      options: { readonly check?: boolean; readonly batchSize?: number } = {},
    ): Effect.Effect<RebuildReport, SqlError> =>
      Effect.gen(function* () {
        const write = options.check !== true
        const batchSize = options.batchSize ?? 500
        const differed: Array<Ids.CaseId> = []
        const failed: Array<{ caseId: Ids.CaseId; reason: string }> = []
        let cases = 0
        let after = ""
        for (;;) {
          const ids = yield* sql<{
            case_id: string
          }>`SELECT DISTINCT case_id FROM case_events WHERE case_id > ${after}
            ORDER BY case_id LIMIT ${batchSize}`
          if (ids.length === 0) break
          for (const { case_id } of ids) {
            const caseId = case_id as Ids.CaseId
            cases += 1
            const one = rebuildOne(caseId, write)
            const result = yield* write ? db.writeTransaction(one) : one
            if (result._tag === "differed") differed.push(caseId)
            if (result._tag === "failed") failed.push({ caseId, reason: result.reason })
          }
          after = ids[ids.length - 1]?.case_id ?? after
        }
        return { cases, differed, failed }
      })

    return { append, create, indexOpenPupils, get, events, rebuildProjections } as const
  }),
}) {}
