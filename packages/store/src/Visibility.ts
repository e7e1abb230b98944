/**
 * What a caller may see, passed to every read: the regions (required; the SQL filters on them),
 * and optionally the audit record(s) to write with the read, in the same transaction, so that no
 * case file is returned without a trace.
 *
 * @since 0.1.0
 */
import type { Ids } from "@verzuimregie/domain"
import { Effect } from "effect"
import type { AuditEntry } from "./AuditLog.js"

export interface Visibility {
  /** The regions the caller may see; at least one. */
  readonly regions: ReadonlyArray<Ids.RegionId>
  /** Written with the read, in its transaction. */
  readonly audit?: AuditEntry | ReadonlyArray<AuditEntry> | undefined
  /**
   * Written when the record asked for exists, but in a region the caller may not see: the trace
   * of a refused read. It is written after the refusal is returned, so the answer (404) takes as
   * long as for a record that does not exist at all, and tells the caller nothing new.
   */
  readonly denied?: AuditEntry | undefined
}

/**
 * The caller's regions, refusing an empty list: "no regions" must never silently mean "all".
 * An empty list is a programming error in the caller, so it is a defect, not a typed failure.
 */
export const regionsOf = (
  regions: ReadonlyArray<Ids.RegionId>,
): Effect.Effect<ReadonlyArray<Ids.RegionId>> =>
  regions.length === 0
    ? Effect.dieMessage("a query needs at least one region the caller may see")
    : Effect.succeed(regions)
