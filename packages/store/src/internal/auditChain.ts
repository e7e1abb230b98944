/**
 * Appending to the hash chain inside a transaction the caller already holds: the audit records of
 * a change are committed with the change or not at all. Internal: the store's services call it
 * (CaseStore, Accounts, AuditLog); callers outside the store go through `AuditLog.append` or hand
 * their entries to the service that writes.
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type { AuditEntry, AuditRecord } from "../AuditLog.js"
import { chainHash } from "./hash.js"
import { type DatabaseService, now } from "./service.js"
import { toInt } from "./sql.js"

/** The fields of a record the hash covers (see `hash.ts`). */
export const hashedFields = (record: AuditRecord) => ({
  seq: record.seq,
  at: record.at,
  userId: record.userId,
  organisationId: record.organisationId,
  action: record.action,
  recordType: record.recordType,
  recordId: record.recordId,
  regionId: record.regionId,
  purpose: record.purpose,
  context: record.context,
  requestId: record.requestId,
})

/**
 * Appends entries to the chain inside the caller's transaction. On PostgreSQL the head row is
 * locked (`FOR UPDATE`) so concurrent writers take turns; on SQLite the write transaction already
 * excludes other writers. Callers append the audit records last, to hold that lock briefly.
 */
export const appendInTransaction = (
  db: DatabaseService,
  entries: ReadonlyArray<AuditEntry>,
): Effect.Effect<ReadonlyArray<AuditRecord>, SqlError> =>
  Effect.gen(function* () {
    if (entries.length === 0) return []
    const { sql } = db
    const [head] = yield* sql<{
      seq: unknown
      hash: string
    }>`SELECT seq, hash FROM audit_head WHERE id = 1${sql.literal(db.forUpdate)}`
    if (head === undefined)
      return yield* Effect.dieMessage("audit_head row is missing: the schema is damaged")
    let seq = toInt(head.seq)
    let prevHash = head.hash
    const at = yield* now
    const records: Array<AuditRecord> = []
    for (const entry of entries) {
      seq += 1
      const base = { ...entry, seq, at: entry.at ?? at, prevHash, hash: "" }
      const hash = chainHash(hashedFields(base), prevHash)
      records.push({ ...base, hash })
      prevHash = hash
    }
    yield* sql`INSERT INTO audit_log ${sql.insert(
      records.map((r) => ({
        seq: r.seq,
        at: r.at,
        user_id: r.userId,
        organisation_id: r.organisationId,
        action: r.action,
        record_type: r.recordType,
        record_id: r.recordId ?? null,
        region_id: r.regionId ?? null,
        purpose: r.purpose,
        context: r.context ?? null,
        request_id: r.requestId,
        prev_hash: r.prevHash,
        hash: r.hash,
      })),
    )}`
    yield* sql`UPDATE audit_head SET seq = ${seq}, hash = ${prevHash} WHERE id = 1`
    return records
  })
