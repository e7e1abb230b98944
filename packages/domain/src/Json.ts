/**
 * JSON values, for data whose shape a plug-in owns (a region's extra referral fields). Depth and
 * size are bounded so hostile input cannot exhaust the parser or the store.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { storable } from "./Text.js"

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | ReadonlyArray<JsonValue>
  | { readonly [key: string]: JsonValue }

export const MAX_DEPTH = 8

/** A finite number; `-0` becomes `0`, since JSON text cannot keep the sign of zero. */
const JsonNumber = Schema.transform(
  Schema.Number.pipe(Schema.finite()),
  Schema.Number.pipe(
    Schema.finite(),
    Schema.filter((n) => !Object.is(n, -0) || "min nul (-0) is geen geldig getal"),
  ),
  { strict: true, decode: (n) => (n === 0 ? 0 : n), encode: (n) => n },
)

const depthOf = (value: unknown, limit: number): number => {
  if (limit < 0) return Number.POSITIVE_INFINITY
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map((v) => depthOf(v, limit - 1)))
  if (value !== null && typeof value === "object") {
    return 1 + Math.max(0, ...Object.values(value).map((v) => depthOf(v, limit - 1)))
  }
  return 0
}

/**
 * Keys that would reach an object's prototype when a decoder assigns them (`__proto__`), or that
 * shadow it, are refused: the property test found `{"__proto__": false}` silently lost.
 */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"])
const JsonKey = Schema.String.pipe(
  Schema.maxLength(100),
  Schema.filter((k) => !FORBIDDEN_KEYS.has(k) || `de sleutel ${k} is niet toegestaan`),
  Schema.filter(storable),
  Schema.annotations({
    description: "een sleutel van hoogstens 100 tekens, niet __proto__, constructor of prototype",
  }),
)

/**
 * A JSON array of JSON values, each checked as one. Its JSON Schema says the items are JSON values
 * in words rather than as a `$ref` back to JsonValue: from `JsonValue = … | JsonValue[]` code
 * generators such as openapi-typescript emit a type TypeScript refuses (TS2502,
 * openapi-typescript#1603). Recursion through objects stays a `$ref`; validation is the same.
 */
const JsonArray = Schema.Array(Schema.suspend(() => JsonValue)).annotations({
  jsonSchema: { type: "array", items: { description: "een JSON-waarde (JsonValue)" } },
})

export const JsonValue: Schema.Schema<JsonValue> = Schema.Union(
  Schema.String.pipe(Schema.maxLength(4000), Schema.filter(storable)),
  JsonNumber,
  Schema.Boolean,
  Schema.Null,
  JsonArray.pipe(Schema.maxItems(200)),
  Schema.Record({ key: JsonKey, value: Schema.suspend(() => JsonValue) }),
).annotations({ identifier: "JsonValue" })

/** An object of named JSON values, nested at most {@link MAX_DEPTH} levels. */
export const JsonObject = Schema.Record({
  key: Schema.String.pipe(Schema.pattern(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)),
  value: JsonValue,
}).pipe(
  Schema.filter((o) => depthOf(o, MAX_DEPTH) <= MAX_DEPTH || `dieper genest dan ${MAX_DEPTH} niveaus`),
  Schema.annotations({ identifier: "JsonObject" }),
)
export type JsonObject = typeof JsonObject.Type
