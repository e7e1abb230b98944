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
  400: "Onleesbare JSON, of een verzoek dat niet te lezen is",
  401: "Geen geldig API-token",
  403: "De rol van de aanroeper geeft geen toegang",
  404: "Niet gevonden, of niet in de regio's van de aanroeper",
  409: "Conflict met de huidige stand (versie, overgang, idempotentiesleutel in gebruik)",
  413: "Inhoud van het verzoek te groot",
  415: "Inhoud van het verzoek heeft een mediatype dat de route niet aanneemt",
  422: "Validatie mislukt; elk veld dat niet klopt staat in de lijst",
  429: "Te veel verzoeken: de limiet is bereikt",
  431: "Headers van het verzoek te groot (beantwoord voordat een route is gekozen)",
  500: "Onverwachte fout (details in het serverlog onder de request-id)",
  503: "Database niet beschikbaar",
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
      description: errorDescriptions[status] ?? "Fout",
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
  "Mijn werk":
    "Wat uw aandacht vraagt: uw acties, nieuwe aanmeldingen, termijnen en pactsignalen van uw casussen, nieuwe verzuimsignalen van uw school.",
  "Regio's":
    "De regio's, hun werkwijze en hulpaanbod, en de werklijsten van de regio (thuiszitters, pact, acties).",
  "Regio-plug-ins": "Eigen routes die de plug-in van een regio meebrengt, voor gebruikers van die regio.",
  Verzuim:
    "Verzuimgegevens van scholen: importeren uit de leerlingadministratie, vroegsignalen per leerling voor de school, DUO-meldingen, aantallen voor coördinatoren en het verzuim in het dossier.",
  Kwartaalronde:
    "De kwartaalronde van de orthopedagogen van het samenwerkingsverband (Amstelland): per school de leerlingen waarvan de kwartaalbespreking nodig is, en een bespreking met de uitkomst vastleggen.",
  Toegangslog: "Wie wat heeft ingezien of gewijzigd (AVG art. 30 en 32), voor coördinatoren.",
  Meldingen:
    "Uw meldingen per e-mail (nieuwe aanmelding, acties, overdracht, Thuiszitterspact, kwartaalbespreking): per soort direct, in een dagelijks overzicht of uit.",
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
    // A file upload: cut off (400), over the upload limit (413), not one of its media types (415).
    if (spec.upload !== undefined) for (const s of [400, 413, 415]) errors.add(s)
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
                "Veilig opnieuw proberen bij aanmaken: dezelfde sleutel met dezelfde inhoud geeft het eerste antwoord opnieuw; met andere inhoud 422; zolang het eerste verzoek nog loopt 409.",
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
        ...(spec.upload === undefined
          ? {}
          : {
              requestBody: {
                required: true,
                description: spec.upload.description,
                content: Object.fromEntries(
                  spec.upload.mediaTypes.map((type) => [
                    type,
                    { schema: { type: "string", contentMediaType: type } },
                  ]),
                ),
              },
            }),
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
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description:
            "API-token, uitgegeven door een beheerder (pnpm admin -- token create, of de beheerroutes)",
        },
      },
    },
  }) as JsonSchema
}

/**
 * Effect describes its built-in refinements in English ("an array of at most 4 item(s)"); the
 * reference is read by people, so those descriptions are put in Dutch. A description of our own
 * matches none of these and stays as it is.
 */
const EFFECT_DESCRIPTIONS: ReadonlyArray<readonly [RegExp, (...groups: Array<string>) => string]> = [
  [/^a string matching the pattern (.+)$/s, (pattern) => `tekst volgens het patroon ${pattern}`],
  [/^a number between (\S+) and (\S+)$/, (min, max) => `een getal van ${min} tot en met ${max}`],
  [/^a number less than or equal to (\S+)$/, (max) => `een getal van hoogstens ${max}`],
  [/^a number greater than or equal to (\S+)$/, (min) => `een getal van ${min} of meer`],
  [/^a number less than (\S+)$/, (max) => `een getal kleiner dan ${max}`],
  [/^a number greater than (\S+)$/, (min) => `een getal groter dan ${min}`],
  [/^a positive number$/, () => "een getal groter dan 0"],
  [/^a non-negative number$/, () => "een getal van 0 of meer"],
  [/^a finite number$/, () => "een eindig getal"],
  [/^an integer$/, () => "een geheel getal"],
  [/^a string to be decoded into a number$/, () => "een getal, als tekst"],
  [/^a string at most (\d+) character\(s\) long$/, (n) => `tekst van hoogstens ${n} tekens`],
  [/^a string at least (\d+) character\(s\) long$/, (n) => `tekst van minstens ${n} tekens`],
  [/^a non empty string$/, () => "tekst (niet leeg)"],
  [/^an array of at most (\d+) item\(s\)$/, (n) => `een lijst van hoogstens ${n} items`],
  [/^an array of at least (\d+) item\(s\)$/, (n) => `een lijst van minstens ${n} items`],
]

/** Effect's titles for its refinements (`between(1, 8)`, `maxItems(4)`, `int`): code, not text. */
const EFFECT_TITLE =
  /^(between|lessThan|lessThanOrEqualTo|greaterThan|greaterThanOrEqualTo|maxItems|minItems|itemsCount|maxLength|minLength|length|pattern|int|finite|positive|negative|nonNegative|nonPositive|nonEmptyString|trimmed|unknown|any|object)(\(.*\))?$/s

const dutchDescription = (text: string): string => {
  for (const [pattern, dutch] of EFFECT_DESCRIPTIONS) {
    const match = pattern.exec(text)
    if (match !== null) return dutch(...match.slice(1))
  }
  return text
}

/**
 * Effect marks `unknown`, `any` and `object` with `$id: "/schemas/…"`; repeated in one document
 * those ids collide, so they go (the schemas they mark stay as they are). On the way, effect's
 * English descriptions of its refinements become Dutch, and its code-like titles of them go (the
 * description and the keywords say the same).
 */
const stripSchemaIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stripSchemaIds)
  if (value === null || typeof value !== "object") return value
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    if (key === "$id" && typeof child === "string" && child.startsWith("/schemas/")) continue
    if (key === "title" && typeof child === "string" && EFFECT_TITLE.test(child)) continue
    out[key] =
      key === "description" && typeof child === "string" ? dutchDescription(child) : stripSchemaIds(child)
  }
  return out
}
