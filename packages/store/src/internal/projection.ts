/**
 * The case projection: the folded `CaseState` as JSON plus the columns the lists filter and sort
 * on. Every column is a function of the state alone, so rebuilding from the events reproduces it.
 */
import { isDeepStrictEqual } from "node:util"
import type { SqlError } from "@effect/sql/SqlError"
import { Case, CaseEvent, type Ids, type Timestamp } from "@verzuimregie/domain"
import { Effect, Either, ParseResult, Schema } from "effect"
import type { DatabaseService } from "./service.js"
import { parseJson, toInt } from "./sql.js"

export interface ProjectionColumns {
  readonly case_id: string
  readonly region_id: string
  readonly version: number
  readonly status: string
  readonly referral_id: string
  readonly regiehouder_user_id: string | null
  readonly regiehouder_org_id: string | null
  readonly school_id: string | null
  readonly referrer_org_id: string
  /** The user who submitted the referral (a referrer sees their own). */
  readonly submitted_by: string | null
  readonly opened_at: string
  readonly last_event_at: string
  readonly closed_on: string | null
  readonly attendance_situation: string | null
  readonly attendance_since: string | null
  readonly fitting_offer: boolean | null
  readonly next_action_due: string | null
  readonly open_action_count: number
}

export interface OpenActionRow {
  readonly case_id: string
  readonly action_id: string
  readonly region_id: string
  readonly owner_user_id: string | null
  readonly due_on: string
  readonly action: string
}

const encodeStateEither = Schema.encodeEither(Case.CaseState)
const decodeStateEither = Schema.decodeUnknownEither(Case.CaseState)
const encodeEventEither = Schema.encodeEither(CaseEvent.CaseEvent)
const decodeEventEither = Schema.decodeUnknownEither(CaseEvent.CaseEvent)

/**
 * The state as stored. `CaseState`'s encoded form is its type form (brands exist only at compile
 * time; no field is transformed), and the state comes out of `Case.evolve` over validated events,
 * so plain JSON is its encoding; running the schema's encoder would only validate it a second time
 * (0.6 ms for a 5 KB case). A test holds `toJson(state)` equal to the schema encoding, so a domain
 * change that breaks this shows up there. Reads decode the stored JSON with the schema.
 */
export const toJson = (state: Case.CaseState): string => JSON.stringify(state)

/** The schema encoding, for the test that keeps `toJson` honest. */
export const encodeState = (state: Case.CaseState): unknown =>
  Either.getOrThrowWith(
    encodeStateEither(state),
    (error) => new Error(ParseResult.TreeFormatter.formatErrorSync(error)),
  )

export const decodeState = (caseId: string, value: unknown): Either.Either<Case.CaseState, string> =>
  Either.mapLeft(
    decodeStateEither(parseJson(value)),
    (error) =>
      `stored state of ${caseId} does not decode: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
  )

export const encodeEvent = (event: CaseEvent.CaseEvent): Either.Either<unknown, ParseResult.ParseError> =>
  encodeEventEither(event)

export const decodeEvent = (value: unknown): Either.Either<CaseEvent.CaseEvent, string> =>
  Either.mapLeft(decodeEventEither(parseJson(value)), (error) =>
    ParseResult.TreeFormatter.formatErrorSync(error),
  )

export const columnsOf = (state: Case.CaseState): ProjectionColumns => {
  const open = Case.openActions(state)
  const nextDue = open.reduce<string | null>(
    (min, a) => (min === null || a.dueOn < min ? a.dueOn : min),
    null,
  )
  return {
    case_id: state.id,
    region_id: state.regionId,
    version: state.version,
    status: state.status,
    referral_id: state.referral.id,
    regiehouder_user_id: state.regiehouder?.userId ?? null,
    regiehouder_org_id: state.regiehouder?.organisationId ?? null,
    school_id: state.referral.pupil.enrolment?.schoolId ?? null,
    referrer_org_id: state.referral.referrer.organisationId,
    submitted_by: state.referral.submittedBy ?? null,
    opened_at: state.openedAt,
    last_event_at: state.lastEventAt,
    closed_on: state.closed?.on ?? null,
    attendance_situation: state.attendance?.situation ?? null,
    attendance_since: state.attendance?.since ?? null,
    fitting_offer: state.attendance === undefined ? null : state.attendance.fittingOffer,
    next_action_due: nextDue,
    open_action_count: open.length,
  }
}

/** The columns as the database binds them (SQLite has no booleans). */
export const bindColumns = (
  bool: DatabaseService["bool"],
  columns: ProjectionColumns,
): Record<string, unknown> => ({
  ...columns,
  fitting_offer: columns.fitting_offer === null ? null : bool(columns.fitting_offer),
})

/** A stored row's columns in the shape `columnsOf` returns, for comparison. */
export const columnsOfRow = (row: Record<string, unknown>): ProjectionColumns => ({
  case_id: String(row.case_id),
  region_id: String(row.region_id),
  version: toInt(row.version),
  status: String(row.status),
  referral_id: String(row.referral_id),
  regiehouder_user_id: (row.regiehouder_user_id ?? null) as string | null,
  regiehouder_org_id: (row.regiehouder_org_id ?? null) as string | null,
  school_id: (row.school_id ?? null) as string | null,
  referrer_org_id: String(row.referrer_org_id),
  submitted_by: (row.submitted_by ?? null) as string | null,
  opened_at: String(row.opened_at),
  last_event_at: String(row.last_event_at),
  closed_on: (row.closed_on ?? null) as string | null,
  attendance_situation: (row.attendance_situation ?? null) as string | null,
  attendance_since: (row.attendance_since ?? null) as string | null,
  fitting_offer:
    row.fitting_offer === null || row.fitting_offer === undefined ? null : Boolean(row.fitting_offer),
  next_action_due: (row.next_action_due ?? null) as string | null,
  open_action_count: toInt(row.open_action_count),
})

export const openActionRows = (state: Case.CaseState): ReadonlyArray<OpenActionRow> =>
  Case.openActions(state).map((action) => ({
    case_id: state.id,
    action_id: action.id,
    region_id: state.regionId,
    owner_user_id: action.owner.userId ?? null,
    due_on: action.dueOn,
    action: JSON.stringify(action),
  }))

export const openActionIds = (state: Case.CaseState | undefined): ReadonlySet<string> =>
  new Set(state === undefined ? [] : Case.openActions(state).map((a) => a.id))

/** Whether a stored projection row (columns + state JSON) equals the fold of the events. */
export const sameProjection = (row: Record<string, unknown>, state: Case.CaseState): boolean =>
  isDeepStrictEqual(columnsOfRow(row), columnsOf(state)) &&
  isDeepStrictEqual(parseJson(row.state), JSON.parse(toJson(state)))

export type CaseId = Ids.CaseId

/**
 * Writes the projection row and its open actions for `next`, given what was stored before, in the
 * caller's transaction (`CaseStore.append`, the projection rebuild).
 */
export const writeProjection = (
  db: DatabaseService,
  previous: Case.CaseState | undefined,
  next: Case.CaseState,
  at: Timestamp.Timestamp,
): Effect.Effect<void, SqlError> =>
  Effect.gen(function* () {
    const { sql } = db
    const row: Record<string, unknown> = {
      ...bindColumns(db.bool, columnsOf(next)),
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
