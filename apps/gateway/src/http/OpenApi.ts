/**
 * OpenAPI 3.1 generated from the route definitions: the same Effect schemas that validate the
 * requests describe them, with shared components from their `identifier` annotations. And a
 * readable API reference page rendered from that document, with no external assets.
 */
import { Idempotency } from "@verzuimregie/store"
import { JSONSchema, type Schema } from "effect"
import type { Route } from "./Route.js"

type JsonSchema = Record<string, unknown>

const ProblemSchema: JsonSchema = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    requestId: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "pointer", "detail"],
        properties: { path: { type: "string" }, pointer: { type: "string" }, detail: { type: "string" } },
      },
    },
    reasons: { type: "array", items: { type: "string" } },
  },
}

const errorDescriptions: Record<number, string> = {
  400: "Malformed JSON or a request that cannot be read",
  401: "No valid API token",
  403: "The caller's role does not give access",
  404: "Not found, or not in the caller's regions",
  409: "Conflict with the current state (version, transition, idempotency key in use)",
  413: "Body too large",
  415: "Body is not application/json",
  422: "Validation failed; every field at fault is listed",
  429: "Rate limit exceeded",
  500: "Unexpected error (details in the server log under the request id)",
  503: "Database unavailable",
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")

const schemaOf = (schema: Schema.Schema.AnyNoContext, definitions: Record<string, JsonSchema>): JsonSchema =>
  JSONSchema.fromAST(schema.ast, {
    definitions: definitions as never,
    target: "openApi3.1",
    definitionPath: "#/components/schemas/",
    topLevelReferenceStrategy: "keep",
  }) as unknown as JsonSchema

/** Parameters of a struct schema, one per property. */
const parametersOf = (
  schema: Schema.Schema.AnyNoContext,
  location: "path" | "query",
  definitions: Record<string, JsonSchema>,
): Array<JsonSchema> => {
  const json = schemaOf(schema, definitions)
  const resolved =
    typeof json.$ref === "string"
      ? (definitions[json.$ref.replace("#/components/schemas/", "")] ?? json)
      : json
  const properties = (resolved.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((resolved.required ?? []) as Array<string>)
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    ...(typeof property.description === "string" ? { description: property.description } : {}),
    schema: property,
  }))
}

/** A GET route a region's plug-in installed under `/regions/{regionId}/plugin`. */
export interface PluginRoute {
  readonly regionId: string
  readonly pluginId: string
  readonly path: string
}

const problemResponses = (statuses: Iterable<number>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const status of [...statuses].sort()) {
    out[String(status)] = {
      description: errorDescriptions[status] ?? "Error",
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    }
  }
  return out
}

export interface OpenApiInfo {
  readonly title: string
  readonly version: string
  readonly description: string
}

export const openApiDocument = (
  // biome-ignore lint/suspicious/noExplicitAny: routes of any service set describe themselves alike
  routes: ReadonlyArray<Route<any>>,
  pluginRoutes: ReadonlyArray<PluginRoute>,
  info: OpenApiInfo,
): JsonSchema => {
  const definitions: Record<string, JsonSchema> = {}
  const paths: Record<string, Record<string, unknown>> = {}
  for (const { spec } of routes) {
    const path = toOpenApiPath(spec.path)
    // Every authenticated operation reads the accounts, so any of them answers 503 in an outage.
    const errors = new Set<number>([...(spec.public ? [] : [401, 429, 503]), 500, ...(spec.errors ?? [])])
    if (spec.body !== undefined) for (const s of [400, 415, 422]) errors.add(s)
    // The body limit guards every method that may carry a body, whether the route reads it or not.
    if (spec.method !== "get") errors.add(413)
    if (spec.query !== undefined) errors.add(422)
    if (spec.roles !== undefined) errors.add(403)
    if (spec.idempotent) for (const s of [409, 422]) errors.add(s)
    const parameters = [
      ...(spec.params ? parametersOf(spec.params, "path", definitions) : []),
      ...(spec.query ? parametersOf(spec.query, "query", definitions) : []),
      ...(spec.idempotent
        ? [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              description:
                "Retry-safe creation: the same key with the same body returns the first response; with another body 422; while the first request still runs 409.",
              // The store's own rule, so the document and the check cannot drift apart.
              schema: {
                type: "string",
                minLength: 1,
                maxLength: 255,
                pattern: Idempotency.KEY_PATTERN.source,
              },
            },
          ]
        : []),
    ]
    const responses: Record<string, unknown> = {
      [String(spec.response.status)]: {
        description: spec.response.description,
        content:
          "file" in spec.response
            ? {
                [String((spec.response as { file: string }).file)]: {
                  schema: {
                    type: "string",
                    contentMediaType: String((spec.response as { file: string }).file),
                  },
                },
              }
            : { "application/json": { schema: schemaOf(spec.response.schema, definitions) } },
      },
    }
    Object.assign(responses, problemResponses(errors))
    paths[path] = {
      ...paths[path],
      [spec.method]: {
        operationId: spec.operationId,
        summary: spec.summary,
        ...(spec.description === undefined ? {} : { description: spec.description }),
        tags: [spec.tag],
        ...(spec.public ? { security: [] } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(spec.body === undefined
          ? {}
          : {
              requestBody: {
                required: true,
                content: { "application/json": { schema: schemaOf(spec.body, definitions) } },
              },
            }),
        responses,
      },
    }
  }
  for (const { regionId, pluginId, path } of pluginRoutes) {
    paths[`/regions/${regionId}${path === "/" ? "/plugin" : `/plugin${path}`}`] = {
      get: {
        operationId: `plugin_${regionId}_${path}`.replace(/[^A-Za-z0-9]+/g, "_").replace(/_+$/, ""),
        summary: `Eigen route van de plug-in ${pluginId} voor regio ${regionId}`,
        description: "Voor gebruikers van deze regio. De plug-in bepaalt de inhoud (JSON).",
        tags: ["Regio-plug-ins"],
        responses: {
          "200": {
            description: "Het antwoord van de plug-in",
            content: { "application/json": { schema: {} } },
          },
          ...problemResponses([401, 404, 429, 500, 503]),
        },
      },
    }
  }
  return stripSchemaIds({
    openapi: "3.1.0",
    info,
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas: { ...definitions, Problem: ProblemSchema },
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "API token from the admin command line" },
      },
    },
  }) as JsonSchema
}

/**
 * Effect marks `unknown`, `any` and `object` with `$id: "/schemas/…"`; repeated in one document
 * those ids collide, so they go (the schemas they mark stay as they are).
 */
const stripSchemaIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stripSchemaIds)
  if (value === null || typeof value !== "object") return value
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    if (key === "$id" && typeof child === "string" && child.startsWith("/schemas/")) continue
    out[key] = stripSchemaIds(child)
  }
  return out
}

const escape = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;")

/** A self-contained HTML reference of the API, in Dutch, from the OpenAPI document. */
export const referencePage = (doc: JsonSchema): string => {
  const info = doc.info as OpenApiInfo
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>
  const byTag = new Map<string, Array<string>>()
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = ((op.tags as Array<string>) ?? ["overig"])[0] ?? "overig"
      const params = (
        (op.parameters as Array<{ name: string; in: string; required: boolean; description?: string }>) ?? []
      )
        .map(
          (p) =>
            `<li><code>${escape(p.name)}</code> <small>(${p.in}${p.required ? ", verplicht" : ""})</small>${p.description ? ` — ${escape(p.description)}` : ""}</li>`,
        )
        .join("")
      const body = op.requestBody
        ? `<details><summary>Body-schema</summary><pre>${escape(JSON.stringify((op.requestBody as { content: { "application/json": { schema: unknown } } }).content["application/json"].schema, null, 2))}</pre></details>`
        : ""
      const responses = Object.entries(op.responses as Record<string, { description: string }>)
        .map(([status, r]) => `<li><code>${status}</code> ${escape(r.description)}</li>`)
        .join("")
      const html = `<section id="${escape(String(op.operationId))}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3><p>${escape(String(op.summary ?? ""))}</p>${op.description ? `<p>${escape(String(op.description))}</p>` : ""}${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}${body}<h4>Antwoorden</h4><ul>${responses}</ul></section>`
      byTag.set(tag, [...(byTag.get(tag) ?? []), html])
    }
  }
  const nav = [...byTag.keys()].map((t) => `<li><a href="#tag-${escape(t)}">${escape(t)}</a></li>`).join("")
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => `<h2 id="tag-${escape(tag)}">${escape(tag)}</h2>${ops.join("")}`)
    .join("")
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(info.title)} — API</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}code,pre{font:13px ui-monospace,monospace}pre{background:#f4f4f4;padding:.75rem;overflow:auto;max-height:24rem}section{border-top:1px solid #ddd;padding:.5rem 0}.m{display:inline-block;min-width:4rem;text-align:center;border-radius:3px;color:#fff;font-size:12px;padding:2px 6px}.get{background:#2f6f9f}.post{background:#2f8f4f}.put{background:#9f6f2f}.delete{background:#9f2f2f}nav ul{columns:3}</style></head><body><h1>${escape(info.title)} <small>${escape(info.version)}</small></h1><p>${escape(info.description)}</p><p>Machineleesbaar: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Fouten zijn <code>application/problem+json</code> (RFC 9457). Authenticatie: <code>Authorization: Bearer &lt;token&gt;</code>.</p><nav><ul>${nav}</ul></nav>${sections}</body></html>`
}
