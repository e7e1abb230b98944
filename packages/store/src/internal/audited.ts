import type { SqlError } from "@effect/sql/SqlError"
import type { Errors, Ids } from "@verzuimregie/domain"
import { Effect } from "effect"
import { validate } from "../AuditLog.js"
import type { Visibility } from "../Visibility.js"
import { appendInTransaction } from "./auditChain.js"
import type { DatabaseService } from "./service.js"

/**
 * Runs a read; when the caller passed audit records, writes them in the same transaction, so the
 * data is only returned once its trace is committed.
 */
export const audited = <A, E>(
  db: DatabaseService,
  visibility: Visibility,
  read: Effect.Effect<A, E>,
  /** The region of what was read, for entries that could not name it before the read. */
  regionOf?: (result: A) => Ids.RegionId | undefined,
): Effect.Effect<A, E | Errors.ValidationError | SqlError> => {
  const entries = visibility.audit === undefined ? [] : [visibility.audit].flat()
  if (entries.length === 0) return read
  return Effect.flatMap(validate(entries), (valid) =>
    db.writeTransaction(
      Effect.tap(read, (result) => {
        const regionId = regionOf?.(result)
        return appendInTransaction(
          db,
          regionId === undefined
            ? valid
            : valid.map((e) => (e.regionId === undefined ? { ...e, regionId } : e)),
        )
      }),
    ),
  )
}
