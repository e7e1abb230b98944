/**
 * RFC 9457 problem details: every error the gateway answers is `application/problem+json`, with a
 * stable `type`, a Dutch `title`, the request id, and — for validation — every field at fault.
 * Never a stack trace, never SQL, never personal data.
 */
import { Decode, HttpMeaning } from "@verzuimregie/domain"
import { Schema } from "effect"
import type { Context } from "hono"

export const PROBLEM_BASE = "https://verzuimregie.nl/problems/"

export const FieldError = Schema.Struct({
  /** Dotted path as the domain reports it: `pupil.birthDate`, `reasons[0]`. */
  path: Schema.String,
  /** JSON Pointer into the request (RFC 6901), for generic clients: `/pupil/birthDate`. */
  pointer: Schema.String,
  detail: Schema.String,
})
export type FieldError = typeof FieldError.Type

/** The body of every error answer; the OpenAPI document's `Problem` component is made from it. */
export const Problem = Schema.Struct(
  {
    type: Schema.String.annotations({ jsonSchema: { type: "string", format: "uri" } }),
    title: Schema.String,
    status: Schema.Number.annotations({ jsonSchema: { type: "integer" } }),
    detail: Schema.optional(Schema.String),
    instance: Schema.optional(Schema.String),
    requestId: Schema.optional(Schema.String),
    errors: Schema.optional(Schema.Array(FieldError)),
    reasons: Schema.optional(Schema.Array(Schema.String)),
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown }),
).annotations({ description: "RFC 9457 problem details" })
export type Problem = typeof Problem.Type

const titles: Record<number, readonly [string, string]> = {
  400: ["malformed-request", "Het verzoek is niet te lezen"],
  401: ["unauthenticated", "Niet aangemeld"],
  403: ["forbidden", "Geen toegang"],
  404: ["not-found", "Niet gevonden"],
  405: ["method-not-allowed", "Methode niet toegestaan"],
  408: ["request-timeout", "Het verzoek duurde te lang"],
  409: ["conflict", "Conflict"],
  413: ["payload-too-large", "Het verzoek is te groot"],
  415: ["unsupported-media-type", "Verwacht application/json"],
  422: ["validation-failed", "De invoer klopt niet"],
  429: ["too-many-requests", "Te veel verzoeken"],
  431: ["request-header-fields-too-large", "De headers zijn te groot"],
  500: ["internal", "Er ging iets mis"],
  503: ["unavailable", "Tijdelijk niet beschikbaar"],
}

/** `reasons[0].date` → `/reasons/0/date` */
export const toPointer = (path: string): string => {
  if (path === "") return ""
  const parts: Array<string> = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    parts.push(m[1] ?? m[2] ?? JSON.parse(`"${m[3] ?? ""}"`))
  }
  return `/${parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`
}

export const fieldErrors = (
  issues: ReadonlyArray<{ readonly path: string; readonly message: string }>,
  prefix = "",
): Array<FieldError> =>
  issues.map((i) => {
    const path = prefix === "" ? i.path : i.path === "" ? prefix : `${prefix}.${i.path}`
    return { path, pointer: toPointer(path), detail: i.message }
  })

export const makeProblem = (
  status: number,
  fields: { readonly type?: string; readonly title?: string; readonly detail?: string } & Record<
    string,
    unknown
  > = {},
): Problem => {
  const [slug, title] = titles[status] ?? ["error", "Fout"]
  return {
    ...fields,
    type: fields.type ?? `${PROBLEM_BASE}${slug}`,
    title: fields.title ?? title,
    status,
  }
}

/** The problem as a response, with the request id and no caching. */
export const problemResponse = (
  c: Context,
  problem: Problem,
  headers: Record<string, string> = {},
): Response => {
  const requestId = c.get("requestId" as never) as string | undefined
  const body = { ...problem, instance: c.req.path, ...(requestId ? { requestId } : {}) }
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  })
}

export const problem = (
  c: Context,
  status: number,
  fields: Parameters<typeof makeProblem>[1] = {},
  headers: Record<string, string> = {},
): Response => problemResponse(c, makeProblem(status, fields), headers)

/** A 422 lists at most this many field errors; the detail says when there were more. */
export const MAX_LISTED_ERRORS = Decode.MAX_ISSUES

/** A failure that declares its HTTP meaning: a `Schema.TaggedError` class with `HttpMeaning`. */
export type ErrorSchema = Schema.Schema.Any & { readonly _tag: string }

/** The problem a declared failure becomes, by its meaning. */
export const problemOfMeaning = (meaning: HttpMeaning.AnyMeaning, error: unknown): Problem => {
  const { status, issues, ...fields } = meaning.problem(error)
  return makeProblem(status, {
    ...fields,
    ...(issues === undefined ? {} : { errors: fieldErrors(issues.slice(0, MAX_LISTED_ERRORS)) }),
  })
}

/**
 * The problem mapping of a set of declared failures: by tag, each by its own `HttpMeaning`. A
 * failure none of them declares maps to nothing (the mount logs it and answers 500).
 */
export const problemMapper = (schemas: Iterable<ErrorSchema>) => {
  const byTag = new Map<string, HttpMeaning.AnyMeaning>()
  for (const schema of schemas) {
    const meaning = HttpMeaning.of(schema)
    if (meaning === undefined) throw new Error(`${schema._tag} declares no HTTP meaning (HttpMeaning)`)
    byTag.set(schema._tag, meaning)
  }
  return (error: unknown): Problem | undefined => {
    if (typeof error !== "object" || error === null || !("_tag" in error)) return undefined
    const meaning = byTag.get(String(error._tag))
    return meaning === undefined ? undefined : problemOfMeaning(meaning, error)
  }
}

/** Every status a set of declared failures may answer with. */
export const statusesOf = (schemas: Iterable<ErrorSchema>): Set<number> =>
  new Set([...schemas].flatMap((schema) => HttpMeaning.of(schema)?.statuses ?? []))
