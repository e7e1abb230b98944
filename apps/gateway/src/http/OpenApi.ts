/**
 * OpenAPI 3.1 generated from the route definitions: the same Effect schemas that validate the
 * requests describe them, with shared components from their `identifier` annotations. The
 * reference at /docs renders it (ApiReference.ts).
 */
import { Idempotency } from "@verzuimregie/store"
import { JSONSchema, type Schema } from "effect"
import { Problem, statusesOf } from "./Problem.js"
import { IDEMPOTENCY_ERRORS, type Route } from "./Route.js"

type JsonSchema = Record<string, unknown>

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
  431: "Request headers too large (answered before any route)",
  500: "Unexpected error (details in the server log under the request id)",
  503: "Database unavailable",
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")

const schemaOf = (
  schema: Schema.Schema.AnyNoContext,
  definitions: Record<string, JsonSchema>,
  topLevel: "keep" | "skip" = "keep",
): JsonSchema =>
  JSONSchema.fromAST(schema.ast, {
    definitions: definitions as never,
    target: "openApi3.1",
    definitionPath: "#/components/schemas/",
    topLevelReferenceStrategy: topLevel,
  }) as unknown as JsonSchema

/** Parameters of a struct schema, one per property. */
const parametersOf = (
  schema: Schema.Schema.AnyNoContext,
  location: "path" | "query",
  definitions: Record<string, JsonSchema>,
): Array<JsonSchema> => {
  // The struct itself is spelled out as parameters, never referenced: no component for it.
  const resolved = schemaOf(schema, definitions, "skip")
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
  readonly contact: { readonly name: string; readonly url: string }
}

/** Every tag an operation may carry, with what it groups; an unknown tag is a programming error. */
export const TAGS: Readonly<Record<string, string>> = {
  Aanmeldingen: "Een leerling aanmelden bij de regio, en de status van eigen aanmeldingen volgen.",
  Casussen:
    "Casusregie: de casussen van uw regio's, hun tijdlijn, gebeurtenissen en stappen in de werkwijze.",
  "Regio's":
    "De regio's, hun werkwijze en hulpaanbod, en de werklijsten van de regio (thuiszitters, pact, acties).",
  "Regio-plug-ins": "Eigen routes die de plug-in van een regio meebrengt, voor gebruikers van die regio.",
  Toegangslog: "Wie wat heeft ingezien of gewijzigd (AVG art. 30 en 32), voor coördinatoren.",
  Beheer: "Organisaties, gebruikers, rollen en API-tokens; en de gezondheid van de installatie.",
}

/** The EUPL-1.2, the licence of this software (LICENSE, package.json). */
const LICENSE = {
  name: "EUPL-1.2",
  url: "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
}

export const openApiDocument = (
  // biome-ignore lint/suspicious/noExplicitAny: routes of any service set describe themselves alike
  routes: ReadonlyArray<Route<any>>,
  info: OpenApiInfo,
): JsonSchema => {
  const definitions: Record<string, JsonSchema> = {}
  const paths: Record<string, Record<string, unknown>> = {}
  for (const { spec } of routes) {
    const path = toOpenApiPath(spec.path)
    // Every authenticated operation reads the accounts, so any of them answers 503 in an outage.
    // 431 comes from Node's HTTP parser for any request, before a route is chosen.
    const errors = new Set<number>([
      ...(spec.public ? [] : [401, 429, 503]),
      431,
      500,
      ...statusesOf(spec.errors ?? []),
    ])
    if (spec.body !== undefined) for (const s of [400, 415, 422]) errors.add(s)
    // The body limit guards every method that may carry a body, whether the route reads it or not.
    if (spec.method !== "get") errors.add(413)
    if (spec.query !== undefined) errors.add(422)
    if (spec.roles !== undefined) errors.add(403)
    if (spec.idempotent) for (const s of statusesOf(IDEMPOTENCY_ERRORS)) errors.add(s)
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
            : {
                "application/json": {
                  schema: schemaOf(spec.response.schema, definitions),
                  ...(spec.examples?.response === undefined ? {} : { example: spec.examples.response }),
                },
              },
      },
    }
    Object.assign(responses, problemResponses(errors))
    paths[path] = {
      ...paths[path],
      [spec.method]: {
        operationId: spec.operationId,
        summary: spec.summary,
        description: spec.description,
        tags: [spec.tag],
        ...(spec.public ? { security: [] } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(spec.body === undefined
          ? {}
          : {
              requestBody: {
                required: true,
                content: {
                  "application/json": {
                    schema: schemaOf(spec.body, definitions),
                    ...(spec.examples?.request === undefined ? {} : { example: spec.examples.request }),
                  },
                },
              },
            }),
        responses,
      },
    }
  }
  const used = new Set(
    Object.values(paths).flatMap((methods) =>
      Object.values(methods).flatMap((op) => (op as { tags: Array<string> }).tags),
    ),
  )
  for (const tag of used)
    if (TAGS[tag] === undefined) throw new Error(`OpenAPI tag without description: ${tag}`)
  return stripSchemaIds({
    openapi: "3.1.0",
    info: { ...info, license: LICENSE },
    servers: [{ url: "/", description: "Deze installatie" }],
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      // The `Problem` component, from the schema every error answer is built on (Problem.ts).
      schemas: { ...definitions, Problem: schemaOf(Problem, definitions) },
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
