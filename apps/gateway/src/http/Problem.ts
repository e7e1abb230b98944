/**
 * RFC 9457 problem details: every error the gateway answers is `application/problem+json`, with a
 * stable `type`, a Dutch `title`, the request id, and — for validation — every field at fault.
 * Never a stack trace, never SQL, never personal data.
 */
import type { Context } from "hono"

export const PROBLEM_BASE = "https://verzuimregie.nl/problems/"

export interface FieldError {
  /** Dotted path as the domain reports it: `pupil.birthDate`, `reasons[0]`. */
  readonly path: string
  /** JSON Pointer into the request (RFC 6901), for generic clients: `/pupil/birthDate`. */
  readonly pointer: string
  readonly detail: string
}

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail?: string
  readonly errors?: ReadonlyArray<FieldError>
  readonly [extension: string]: unknown
}

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
