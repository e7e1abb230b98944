import { createHash } from "node:crypto"

export const GENESIS_HASH = "0".repeat(64)

/** The fields of an audit record that the hash covers, in their fixed order. */
export interface HashedFields {
  readonly seq: number
  readonly at: string
  readonly userId: string
  readonly organisationId: string
  readonly action: string
  readonly recordType: string
  readonly recordId?: string | undefined
  readonly regionId?: string | undefined
  readonly purpose: string
  readonly context?: string | undefined
  readonly requestId: string
}

/**
 * Canonical serialisation: a JSON array in a fixed order, absent values as `null`, prefixed with a
 * format tag. An array has no key order to disagree about, and JSON escaping makes every field
 * boundary unambiguous.
 */
export const canonical = (record: HashedFields, prevHash: string): string =>
  JSON.stringify([
    "audit-v1",
    record.seq,
    record.at,
    record.userId,
    record.organisationId,
    record.action,
    record.recordType,
    record.recordId ?? null,
    record.regionId ?? null,
    record.purpose,
    record.context ?? null,
    record.requestId,
    prevHash,
  ])

/** SHA-256 (hex) over the canonical form of the record and the previous record's hash. */
export const chainHash = (record: HashedFields, prevHash: string): string =>
  createHash("sha256").update(canonical(record, prevHash), "utf8").digest("hex")
