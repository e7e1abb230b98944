/**
 * Schema helpers for record fields, shared by every package.
 *
 * @since 0.3.0
 */
import { Schema } from "effect"

/**
 * An optional field that is either absent or holds a value, never `undefined`: JSON has no
 * `undefined`, and with `exactOptionalPropertyTypes` the types say the same. The one helper for
 * it: `Fields.optional(Schema.String)`.
 */
export const optional = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true })
