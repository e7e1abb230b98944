/**
 * The audit log (NEN 7513 style): who (user and the organisation they act for), did what (read,
 * create, update, search, export), to which record, when, why, and in which request. Records are
 * append-only and hash-chained: each record's SHA-256 covers its own fields and the previous
 * record's hash, and a head row holds the last sequence number and hash. `verify` recomputes the
 * chain, so an edited, inserted or deleted record is found.
 *
 * Only identifiers and codes go in: no names, no free text. The schemas below enforce that shape.
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Decode, type Errors, Fields, Ids, Timestamp } from "@verzuimregie/domain"
import { Effect, Either, Schema } from "effect"
import { appendInTransaction, hashedFields } from "./internal/auditChain.js"
import { chainHash, GENESIS_HASH } from "./internal/hash.js"
import { Database } from "./internal/service.js"
import { toInt } from "./internal/sql.js"
import {
  decodeCursor,
  type InvalidCursor,
  limitOf,
  type Page,
  type PageRequest,
  toPage,
} from "./Pagination.js"

export const AuditAction = Schema.Literal("read", "create", "update", "search", "export").annotations({
  identifier: "AuditAction",
})
export type AuditAction = typeof AuditAction.Type

const code = (identifier: string, example: string) =>
  Schema.String.pipe(
    Schema.pattern(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { message: () => `verwacht een code zoals ${example}` }),
    Schema.maxLength(64),
    Schema.annotations({ identifier }),
  )

/** The kind of record touched: `case`, `referral`, `report`… */
export const RecordType = code("AuditRecordType", "case")
/** An identifier with its kind prefix (`case_…`, `ref_…`): never a name. */
export const RecordId = Schema.String.pipe(
  Schema.pattern(/^[a-z]{2,12}_[0-9a-z]{6,40}$/, { message: () => "verwacht een id zoals case_0123456789" }),
  Schema.annotations({ identifier: "AuditRecordId" }),
)
/** Why: a code from the processing register, e.g. `casusregie`, `inspectie-rapportage`. */
export const Purpose = code("AuditPurpose", "casusregie")
/** Where in the application, e.g. `api.cases.get` or `cli:rebuild-projections`. */
export const AuditContext = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9]*([.:/-][a-z0-9]+)*$/, {
    message: () => "verwacht een context zoals api.cases.get",
  }),
  Schema.maxLength(120),
  Schema.annotations({ identifier: "AuditContext" }),
)
export const RequestId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._:-]{1,128}$/, {
    message: () => "verwacht een request-id van letters, cijfers en ._:-",
  }),
  Schema.annotations({ identifier: "AuditRequestId" }),
)

const { optional } = Fields

const entryFields = {
  userId: Ids.UserId,
  /** The organisation on whose behalf the user acts. */
  organisationId: Ids.OrganisationId,
  action: AuditAction,
  recordType: RecordType,
  recordId: optional(RecordId),
  regionId: optional(Ids.RegionId),
  purpose: Purpose,
  context: optional(AuditContext),
  requestId: RequestId,
}

/** What a caller hands in; the store adds the time, the sequence number and the hashes. */
export const AuditEntry = Schema.Struct({ ...entryFields, at: optional(Timestamp.Timestamp) }).annotations({
  identifier: "AuditEntry",
})
export type AuditEntry = typeof AuditEntry.Type

export const AuditRecord = Schema.Struct({
  seq: Schema.Int,
  at: Timestamp.Timestamp,
  ...entryFields,
  prevHash: Schema.String,
  hash: Schema.String,
}).annotations({ identifier: "AuditRecord" })
export type AuditRecord = typeof AuditRecord.Type

export const ProblemKind = Schema.Literal(
  "altered",
  "missing",
  "broken-link",
  "head-mismatch",
  "anchor-missing",
  "anchor-mismatch",
)
export type ProblemKind = typeof ProblemKind.Type

export interface AuditProblem {
  readonly kind: ProblemKind
  /** The first sequence number concerned. */
  readonly seq: number
  readonly detail: string
}

/** A head recorded outside the database (see `AuditAnchor`): the chain must still reach it. */
export interface AuditAnchorPoint {
  readonly seq: number
  readonly hash: string
  /** Where it was recorded, for the message (`line 12`). */
  readonly line?: number
}

export interface AuditVerification {
  readonly ok: boolean
  /** Records checked. */
  readonly records: number
  readonly headSeq: number
  readonly headHash: string
  readonly problems: ReadonlyArray<AuditProblem>
  /** Anchors checked (all of them when `ok`). */
  readonly anchors: number
}

interface AuditRow {
  readonly seq: unknown
  readonly at: string
  readonly user_id: string
  readonly organisation_id: string
  readonly action: string
  readonly record_type: string
  readonly record_id: string | null
  readonly region_id: string | null
  readonly purpose: string
  readonly context: string | null
  readonly request_id: string
  readonly prev_hash: string
  readonly hash: string
}

const fromRow = (row: AuditRow): AuditRecord => {
  const record: Record<string, unknown> = {
    seq: toInt(row.seq),
    at: row.at,
    userId: row.user_id,
    organisationId: row.organisation_id,
    action: row.action,
    recordType: row.record_type,
    purpose: row.purpose,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
  if (row.record_id !== null) record.recordId = row.record_id
  if (row.region_id !== null) record.regionId = row.region_id
  if (row.context !== null) record.context = row.context
  return record as AuditRecord
}

const validateEntry = Decode.decodeUnknown(AuditEntry, "audit entry")

/** Checks entries against the schema (ids only, codes only) before they reach the chain. */
export const validate = (
  entries: ReadonlyArray<AuditEntry>,
): Effect.Effect<ReadonlyArray<AuditEntry>, Errors.ValidationError> =>
  Effect.forEach(entries, (entry) =>
    Either.match(validateEntry(entry), { onLeft: Effect.fail, onRight: Effect.succeed }),
  )

export interface AuditFilter {
  readonly recordType?: string | undefined
  readonly recordId?: string | undefined
  readonly userId?: Ids.UserId | undefined
  readonly requestId?: string | undefined
  /** Only records about these regions (records without a region are left out too). */
  readonly regions?: ReadonlyArray<Ids.RegionId> | undefined
}

const BATCH = 2_000

export class AuditLog extends Effect.Service<AuditLog>()("@verzuimregie/store/AuditLog", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const { sql } = db

    /**
     * Appends records in their own transaction (or as part of the caller's, when there is one).
     *
     * @example
     * yield* auditLog.append([{ userId, organisationId, action: "export", recordType: "report",
     *   purpose: "inspectie-rapportage", requestId }])
     */
    const append = (
      entries: ReadonlyArray<AuditEntry>,
    ): Effect.Effect<ReadonlyArray<AuditRecord>, Errors.ValidationError | SqlError> =>
      Effect.flatMap(validate(entries), (valid) => db.writeTransaction(appendInTransaction(db, valid)))

    /** The current head: the last sequence number and its hash (worth anchoring elsewhere). */
    const head: Effect.Effect<{ readonly seq: number; readonly hash: string }, SqlError> = Effect.map(
      sql<{ seq: unknown; hash: string }>`SELECT seq, hash FROM audit_head WHERE id = 1`,
      ([row]) => ({ seq: row === undefined ? 0 : toInt(row.seq), hash: row?.hash ?? GENESIS_HASH }),
    )

    /**
     * Recomputes the whole chain up to the head read at the start, in batches (constant memory).
     * Records appended while it runs are left for the next run.
     */
    const verify = (
      options: { readonly maxProblems?: number; readonly anchors?: ReadonlyArray<AuditAnchorPoint> } = {},
    ): Effect.Effect<AuditVerification, SqlError> =>
      Effect.gen(function* () {
        const maxProblems = options.maxProblems ?? 100
        const { seq: headSeq, hash: headHash } = yield* head
        const problems: Array<AuditProblem> = []
        const report = (problem: AuditProblem) => {
          if (problems.length < maxProblems) problems.push(problem)
        }
        const anchors = options.anchors ?? []
        const anchored = new Map<number, Array<AuditAnchorPoint>>()
        for (const anchor of anchors) anchored.set(anchor.seq, [...(anchored.get(anchor.seq) ?? []), anchor])
        const where = (anchor: AuditAnchorPoint) =>
          anchor.line === undefined ? "" : ` (ankerregel ${anchor.line})`
        const checkAnchors = (seq: number, hash: string) => {
          for (const anchor of anchored.get(seq) ?? []) {
            if (anchor.hash !== hash)
              report({
                kind: "anchor-mismatch",
                seq,
                detail: `registratie ${seq} heeft niet de verankerde hash${where(anchor)} (de log is vanaf hier herschreven)`,
              })
          }
          anchored.delete(seq)
        }
        checkAnchors(0, GENESIS_HASH)
        let expected = 1
        let prevHash = GENESIS_HASH
        let records = 0
        let after = 0
        while (after < headSeq) {
          const rows = yield* sql<AuditRow>`SELECT * FROM audit_log WHERE seq > ${after} AND seq <= ${headSeq}
            ORDER BY seq LIMIT ${BATCH}`
          if (rows.length === 0) break
          for (const row of rows) {
            const record = fromRow(row)
            records += 1
            if (record.seq !== expected) {
              report({
                kind: "missing",
                seq: expected,
                detail:
                  record.seq - 1 === expected
                    ? `registratie ${expected} ontbreekt (verwijderd?)`
                    : `registraties ${expected}–${record.seq - 1} ontbreken (verwijderd?)`,
              })
            } else if (record.prevHash !== prevHash) {
              report({
                kind: "broken-link",
                seq: record.seq,
                detail: `registratie ${record.seq} wijst niet naar de hash van registratie ${record.seq - 1} (die is gewijzigd en opnieuw gehasht, of vervangen)`,
              })
            }
            if (chainHash(hashedFields(record), record.prevHash) !== record.hash) {
              report({
                kind: "altered",
                seq: record.seq,
                detail: `registratie ${record.seq} klopt niet met haar hash (een veld is gewijzigd)`,
              })
            }
            checkAnchors(record.seq, record.hash)
            prevHash = record.hash
            expected = record.seq + 1
          }
          after = toInt(rows[rows.length - 1]?.seq)
        }
        if (expected <= headSeq) {
          report({
            kind: "missing",
            seq: expected,
            detail: `registraties ${expected}–${headSeq} ontbreken aan het eind van de log (verwijderd?)`,
          })
        } else if (prevHash !== headHash) {
          report({
            kind: "head-mismatch",
            seq: headSeq,
            detail: "het hoofd van de keten heeft niet de hash van de laatste registratie",
          })
        }
        // Anchors the walk never reached: their records are gone, and the head was moved back.
        for (const [seq, list] of [...anchored].sort(([a], [b]) => a - b)) {
          for (const anchor of list)
            report({
              kind: "anchor-missing",
              seq,
              detail:
                seq > headSeq
                  ? `de log eindigt bij registratie ${headSeq}, maar registratie ${seq} was verankerd${where(anchor)}: registraties ${headSeq + 1}–${seq} zijn afgeknipt en het hoofd is herschreven`
                  : `verankerde registratie ${seq}${where(anchor)} staat niet in de log (verwijderd?)`,
            })
        }
        return { ok: problems.length === 0, records, headSeq, headHash, problems, anchors: anchors.length }
      })

    /** Records, newest first, by record, user or request: "who saw this file?". */
    const list = (
      filter: AuditFilter,
      page?: PageRequest,
    ): Effect.Effect<Page<AuditRecord>, InvalidCursor | SqlError> =>
      Effect.gen(function* () {
        const limit = limitOf(page)
        const key = yield* decodeCursor("audit", page?.cursor, ["int"])
        const where = sql.and([
          ...(filter.recordType === undefined ? [] : [sql`record_type = ${filter.recordType}`]),
          ...(filter.recordId === undefined ? [] : [sql`record_id = ${filter.recordId}`]),
          ...(filter.userId === undefined ? [] : [sql`user_id = ${filter.userId}`]),
          ...(filter.requestId === undefined ? [] : [sql`request_id = ${filter.requestId}`]),
          ...(filter.regions === undefined
            ? []
            : [filter.regions.length === 0 ? sql`1=0` : sql.in("region_id", filter.regions)]),
          ...(key === undefined ? [] : [sql`seq < ${key[0] ?? 0}`]),
        ])
        const rows =
          yield* sql<AuditRow>`SELECT * FROM audit_log WHERE ${where} ORDER BY seq DESC LIMIT ${limit + 1}`
        return toPage(
          "audit",
          rows,
          limit,
          (row) => [toInt(row.seq)],
          (row) => fromRow(row),
        )
      })

    return { append, verify, list, head } as const
  }),
}) {}
