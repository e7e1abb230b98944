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
import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import {
  Case,
  type CaseEvent,
  Decode,
  Errors,
  HttpMeaning,
  Ids,
  Pupil,
  Timestamp,
} from "@verzuimregie/domain"
import { Context, Effect, Either, Option, Schema } from "effect"
import { type AuditEntry, type AuditRecord, validate as validateAudit } from "./AuditLog.js"
import { appendInTransaction } from "./internal/auditChain.js"
import { audited } from "./internal/audited.js"
import { enqueueInTransaction } from "./internal/outboxWrite.js"
import { decodeEvent, decodeState, encodeEvent, writeProjection } from "./internal/projection.js"
import { indexOpenPupils as indexAllOpenPupils, indexOpenPupil, pupilHasher } from "./internal/pupilMatch.js"
import { type RebuildOptions, type RebuildReport, rebuildProjections as rebuild } from "./internal/rebuild.js"
import { Database, now } from "./internal/service.js"
import {
  CASE_REFERRAL_INDEX,
  isUniqueViolation,
  OPEN_CASE_PUPIL_INDEX,
  rowsOrDie,
  violates,
} from "./internal/sql.js"
import { decodedState } from "./internal/stateCache.js"
import type { OutboxMessage } from "./Outbox.js"
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
  /**
   * Side effects that depend on what the events did (`CaseEffects` in the application layer):
   * called inside the transaction, after the events are written, with each event and the state
   * before and after it; its messages are enqueued with `outbox`. Throwing rolls everything back.
   */
  readonly outboxFor?: ((steps: ReadonlyArray<AppliedEvent>) => ReadonlyArray<OutboxMessage>) | undefined
}

/** One appended event with the case state before it (none for the first event) and after it. */
export interface AppliedEvent {
  readonly event: CaseEvent.CaseEvent
  readonly before: Case.CaseState | undefined
  readonly after: Case.CaseState
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

export type { RebuildOptions, RebuildReport } from "./internal/rebuild.js"

/** A stored event's row; its payload decodes separately (`decodeEvent`), as the events it holds. */
const EventRow = Schema.Struct({
  event_id: Ids.EventId,
  case_id: Ids.CaseId,
  region_id: Ids.RegionId,
  version: Schema.Int,
  recorded_at: Timestamp.Timestamp,
  payload: Schema.Unknown,
})

const toStoredEvent = (row: typeof EventRow.Type): StoredEvent => {
  const event = decodeEvent(row.payload)
  if (Either.isLeft(event)) {
    throw new Error(`event ${row.event_id} of ${row.case_id} does not decode: ${event.left}`)
  }
  return {
    eventId: row.event_id,
    caseId: row.case_id,
    regionId: row.region_id,
    version: row.version,
    recordedAt: row.recorded_at,
    event: event.right,
  }
}

/** What `append` reads of a case before it writes: its version, region and stored state. */
const CaseHead = Schema.Struct({ version: Schema.Int, region_id: Ids.RegionId, state: Schema.Unknown })

/** The open case of a pupil in a region, as `create` with `pupilMatch` finds it. */
const OpenCaseOfPupil = Schema.Struct({
  case_id: Ids.CaseId,
  version: Schema.Int,
  referral_id: Ids.ReferralId,
  submitted_by: Schema.NullOr(Ids.UserId),
})

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
      SqlSchema.findOne({
        Request: Ids.CaseId,
        Result: Schema.Struct({ version: Schema.Int }),
        execute: (id) => sql`SELECT version FROM cases WHERE case_id = ${id}`,
      })(caseId).pipe(Effect.map(Option.match({ onNone: () => 0, onSome: (row) => row.version })), rowsOrDie)

    /** The case as `append` finds it, locked for the write on PostgreSQL. */
    const caseHead = SqlSchema.findOne({
      Request: Ids.CaseId,
      Result: CaseHead,
      execute: (id) =>
        sql`SELECT version, region_id, state FROM cases WHERE case_id = ${id}${sql.literal(db.forUpdate)}`,
    })

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
          const row = Option.getOrUndefined(yield* rowsOrDie(caseHead(caseId)))
          let previous: Case.CaseState | undefined
          if (row === undefined) {
            if (expectedVersion !== 0) {
              return yield* new VersionConflict({ caseId, expected: expectedVersion, actual: 0 })
            }
          } else {
            if (!regions.includes(row.region_id)) return yield* new CaseNotFound({ caseId })
            const actual = row.version
            if (actual !== expectedVersion) {
              return yield* new VersionConflict({ caseId, expected: expectedVersion, actual })
            }
            previous = yield* stateOf(caseId, row.state)
          }

          let next = previous
          const steps: Array<AppliedEvent> = []
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
              steps.push({ event, before: undefined, after: next })
              continue
            }
            const evolved = Case.evolve(next, event)
            if (Either.isLeft(evolved))
              return yield* new EventRejected({ caseId, index, rejection: evolved.left })
            steps.push({ event, before: next, after: evolved.right })
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
          const caused =
            input.outboxFor === undefined ? [] : yield* Effect.sync(() => input.outboxFor?.(steps) ?? [])
          const outbox = yield* enqueueInTransaction(db, [...(input.outbox ?? []), ...caused], {
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
                // The referral opened a case already (the unique index on the referral id says so
                // by name), or two writers created the same case at once (PostgreSQL).
                const first = events[0]
                if (first?._tag === "ReferralReceived" && violates(error, CASE_REFERRAL_INDEX)) {
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
     * runs again and finds the winner's case. Without `pupilMatch` the new open case still keeps
     * its pupil's key (where no other open case of the pupil holds it), so a later referral with
     * `pupilMatch` meets it: no case is ever left out of the index for a start-up to fill in.
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
      if (match === undefined)
        return db.writeTransaction(
          Effect.gen(function* () {
            const created = yield* open
            if (created.state.closed === undefined) yield* indexOpenPupil(db, created.state)
            return { ...created, linked: false }
          }),
        )
      const regionId = input.referral.referral.regionId
      const openCaseOfPupil = SqlSchema.findOne({
        Request: Schema.String,
        Result: OpenCaseOfPupil,
        execute: (key) => sql`SELECT c.case_id, c.version, c.referral_id, c.submitted_by
          FROM open_case_pupils p JOIN cases c ON c.case_id = p.case_id
          WHERE p.region_id = ${regionId} AND p.pupil_key = ${key}${sql.literal(db.forUpdate)}`,
      })
      const once = db.writeTransaction(
        Effect.gen(function* () {
          // The pupil as `Pupil.matchKey` identifies them; only the keyed hash is stored.
          const key = (yield* pupilHasher(db))(Pupil.matchKey(input.referral.referral.pupil))
          const found = Option.getOrUndefined(yield* rowsOrDie(openCaseOfPupil(key)))
          if (found === undefined) {
            const created = yield* open
            yield* sql`INSERT INTO open_case_pupils ${sql.insert({ case_id: caseId, region_id: regionId, pupil_key: key })}`
            return { ...created, linked: false }
          }
          const openCaseId = found.case_id
          if (match.whenOpen === "refuse") {
            return yield* new OpenCaseExists({
              caseId: openCaseId,
              regionId,
              referralId: found.referral_id,
              ...(found.submitted_by === null ? {} : { submittedBy: found.submitted_by }),
            })
          }
          const { referral } = input
          const linked = yield* append({
            caseId: openCaseId,
            expectedVersion: found.version,
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
          (error): error is SqlError => error._tag === "SqlError" && violates(error, OPEN_CASE_PUPIL_INDEX),
          () => once,
        ),
      )
    }

    /**
     * Fills the open cases' pupil keys for cases opened before they were kept. Migration 15 runs
     * it once; `create` indexes every new open case itself, so nothing is left for a start-up.
     */
    const indexOpenPupils = (): Effect.Effect<number, SqlError> => db.writeTransaction(indexAllOpenPupils(db))

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
            // The state, decoded by its own schema, or as decoded before for this very row: the
            // key holds the version, the write time and a digest of the stored text (`stateCache`).
            const [row] = yield* sql<{
              readonly state: unknown
              readonly version: number | string
              readonly updated_at: string | Date
            }>`SELECT state, version, updated_at FROM cases
              WHERE case_id = ${caseId} AND ${sql.in("region_id", regions)}`
            if (row === undefined) return yield* new CaseNotFound({ caseId })
            return yield* Either.match(decodedState(db, { case_id: caseId, ...row }, { withDigest: true }), {
              onLeft: (reason) => Effect.dieMessage(`${reason}; run rebuild-projections`),
              onRight: Effect.succeed,
            })
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
            const rows = yield* rowsOrDie(
              SqlSchema.findAll({
                Request: Ids.CaseId,
                Result: EventRow,
                execute: (id) => sql`SELECT event_id, case_id, region_id, version, recorded_at, payload
                  FROM case_events WHERE case_id = ${id} AND ${sql.in("region_id", regions)} ORDER BY version`,
              })(caseId),
            )
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

    /**
     * Rebuilds every projection from the events (or, with `check: true`, only compares); see
     * `internal/rebuild.ts`.
     */
    const rebuildProjections = (options: RebuildOptions = {}): Effect.Effect<RebuildReport, SqlError> =>
      rebuild(db, options)

    return { append, create, indexOpenPupils, get, events, rebuildProjections } as const
  }),
}) {}
