/**
 * The projection rebuild: folds each case's events again (`Case.fold`) and compares the result
 * with the stored projection row and its open actions; with `write`, replaces what differs. One
 * short transaction per case, so it can run next to live traffic. `CaseStore.rebuildProjections`
 * and the store CLI's `rebuild-projections` call it; the crash tests check with it.
 */
import { SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Case, type CaseEvent, Ids } from "@verzuimregie/domain"
import { Effect, Either, Option, Schema } from "effect"
import { decodeEvent, openActionRows, sameProjection, writeProjection } from "./projection.js"
import { type DatabaseService, now } from "./service.js"
import { rowsOrDie } from "./sql.js"

export interface RebuildOptions {
  /** Only compare; write nothing. */
  readonly check?: boolean | undefined
  /** Case ids read per query. Default 500. */
  readonly batchSize?: number | undefined
}

export interface RebuildReport {
  /** Cases looked at. */
  readonly cases: number
  /** Projections that differed from the fold of their events (rewritten unless `check`). */
  readonly differed: ReadonlyArray<Ids.CaseId>
  /** Cases whose events do not fold (damaged log): left untouched, for a person to look at. */
  readonly failed: ReadonlyArray<{ readonly caseId: Ids.CaseId; readonly reason: string }>
}

type Outcome =
  | { readonly _tag: "same" }
  | { readonly _tag: "differed" }
  | { readonly _tag: "failed"; readonly reason: string }

/** An event's row as the rebuild reads it: its payload is checked by the fold, not here. */
const EventRow = Schema.Struct({ event_id: Schema.String, version: Schema.Int, payload: Schema.Unknown })

/**
 * The stored projection row, every column: `sameProjection` compares it with the fold, column by
 * column, so the row is taken as the database gives it.
 */
const ProjectionRow = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** Folds one case's events and compares (and with `write`, replaces) its projection. */
const rebuildOne = (
  db: DatabaseService,
  caseId: Ids.CaseId,
  write: boolean,
): Effect.Effect<Outcome, SqlError> =>
  Effect.gen(function* () {
    const { sql } = db
    const row = Option.getOrUndefined(
      yield* rowsOrDie(
        SqlSchema.findOne({
          Request: Ids.CaseId,
          Result: ProjectionRow,
          execute: (id) =>
            sql`SELECT * FROM cases WHERE case_id = ${id}${sql.literal(write ? db.forUpdate : "")}`,
        })(caseId),
      ),
    )
    const rows = yield* rowsOrDie(
      SqlSchema.findAll({
        Request: Ids.CaseId,
        Result: EventRow,
        execute: (id) =>
          sql`SELECT event_id, version, payload FROM case_events WHERE case_id = ${id} ORDER BY version`,
      })(caseId),
    )
    if (rows.length === 0 || rows.some((eventRow, i) => eventRow.version !== i + 1)) {
      return { _tag: "failed", reason: "event versions are not 1, 2, 3, …" }
    }
    const decoded: Array<CaseEvent.CaseEvent> = []
    for (const eventRow of rows) {
      const event = decodeEvent(eventRow.payload)
      if (Either.isLeft(event)) {
        return { _tag: "failed", reason: `event ${eventRow.event_id} does not decode: ${event.left}` }
      }
      decoded.push(event.right)
    }
    const folded = Case.fold(caseId, decoded)
    if (Either.isLeft(folded)) return { _tag: "failed", reason: folded.left.message }
    const state = folded.right
    const actions = yield* rowsOrDie(
      SqlSchema.findAll({
        Request: Ids.CaseId,
        Result: Schema.Struct({ action_id: Schema.String }),
        execute: (id) => sql`SELECT action_id FROM open_actions WHERE case_id = ${id} ORDER BY action_id`,
      })(caseId),
    )
    const expectedActions = openActionRows(state)
      .map((a) => a.action_id)
      .sort()
    const same =
      row !== undefined &&
      sameProjection(row, state) &&
      actions.length === expectedActions.length &&
      actions.every((a, i) => a.action_id === expectedActions[i])
    if (same) return { _tag: "same" }
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
    return { _tag: "differed" }
  })

/** Rebuilds (or with `check`, compares) every projection, in batches of case ids. */
export const rebuildProjections = (
  db: DatabaseService,
  options: RebuildOptions = {},
): Effect.Effect<RebuildReport, SqlError> =>
  Effect.gen(function* () {
    const write = options.check !== true
    const batchSize = options.batchSize ?? 500
    const differed: Array<Ids.CaseId> = []
    const failed: Array<{ caseId: Ids.CaseId; reason: string }> = []
    let cases = 0
    let after = ""
    const batch = SqlSchema.findAll({
      Request: Schema.String,
      Result: Schema.Struct({ case_id: Ids.CaseId }),
      execute: (from) =>
        db.sql`SELECT DISTINCT case_id FROM case_events WHERE case_id > ${from} ORDER BY case_id LIMIT ${batchSize}`,
    })
    for (;;) {
      const ids = yield* rowsOrDie(batch(after))
      if (ids.length === 0) break
      for (const { case_id: caseId } of ids) {
        cases += 1
        const one = rebuildOne(db, caseId, write)
        const result = yield* write ? db.writeTransaction(one) : one
        if (result._tag === "differed") differed.push(caseId)
        if (result._tag === "failed") failed.push({ caseId, reason: result.reason })
      }
      after = ids[ids.length - 1]?.case_id ?? after
    }
    return { cases, differed, failed }
  })
