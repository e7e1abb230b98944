/**
 * A stricter fuzz test than fuzz-routes: raw HTTP/1.1 on keep-alive sockets (`node:net`, not fetch),
 * on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set. Every route, with values from
 * its own schemas and hostile ones: NUL and control characters, lone surrogates, forged cursors,
 * huge arrays, odd numbers, duplicate and `__proto__` keys, odd content types, bodies over the
 * limit (sent whole, chunked, or only partly), bodies on GET, odd Authorization, Idempotency-Key,
 * X-Request-Id and X-Forwarded-For headers, long URLs and many query parameters.
 *
 * Every response must be < 500, within the time bound, a small problem+json for every 4xx (with
 * its status and an x-request-id), a status the OpenAPI document lists for the operation, and
 * leave the data as it was unless it is a 2xx. A response without `Connection: close` must leave
 * a connection that answers the next request.
 *
 * Then one named test per known bug (a–f), each proving one behaviour.
 *
 * The test files fuzz-strict-{sqlite,pg}-{1,2}.test.ts send one share each of the generated requests,
 * fuzz-strict-{sqlite,pg}-named.test.ts run the named tests: six files, each well under 20 s.
 *
 * Env: FUZZ_STRICT_SEED (default 20261116), FUZZ_STRICT_PER_ROUTE (default 260),
 * FUZZ_STRICT_SOCKETS (default 4).
 */
import { Buffer } from "node:buffer"
import { LocalDate, type Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { isWebPath } from "@verzuimregie/web"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { encodedSamples, mulberry } from "./fuzz.js"
import {
  type Gateway,
  quickFingerprint,
  type Role,
  referrerOf,
  skipPg,
  startGateway,
  TODAY,
} from "./gateway.js"
import { RawConnection, RawHttpError, type RawRequest, type RawResponse } from "./raw-http.js"

/** The path a server makes of a request target (dot segments resolved), as the router sees it. */
const resolvedPath = (target: string): string => {
  try {
    return new URL(target, "http://gateway.invalid").pathname
  } catch {
    return target
  }
}

const SEED = Number(process.env.FUZZ_STRICT_SEED ?? 20261116)
const PER_ROUTE = Number(process.env.FUZZ_STRICT_PER_ROUTE ?? 260)
const SOCKETS = Number(process.env.FUZZ_STRICT_SOCKETS ?? 4)

/** From the last byte of the request written to the whole response read. */
const TIME_BOUND_MS = 2_000
/** A request that gets no answer at all within this is a hang. */
const HANG_MS = 6_000
const PROBLEM_MAX_BYTES = 64 * 1024
const BODY_LIMIT = 1024 * 1024
const HUGE = 60_000
const REGIONS = ["westland", "leidschendam-voorburg", "amstelland-meerlanden"] as const
const ROLES: ReadonlyArray<Role> = ["referrer", "case-worker", "coordinator", "admin"]
const FUZZ_USER = "Fuzz Gebruiker"
const FUZZ_PARTY_ROLE = "coordinator-passend-onderwijs"

// ---------------------------------------------------------------------------------------------
// The world: a gateway, users of every role in every region, some real referrals and cases.

interface Actor {
  readonly label: string
  readonly token: string
  readonly roles: ReadonlyArray<Role>
  readonly regions: ReadonlyArray<string>
  readonly userId: string
  readonly organisationId: string
}

interface World {
  readonly backend: "sqlite" | "pg"
  readonly gateway: Gateway
  readonly port: number
  readonly actors: ReadonlyArray<Actor>
  /** Users whose tokens the fuzzer may revoke (never used to call). */
  readonly victimUserIds: ReadonlyArray<string>
  readonly victimTokenIds: ReadonlyArray<string>
  readonly caseIds: ReadonlyArray<string>
  readonly referralIds: ReadonlyArray<string>
  readonly organisationId: string
  /** A real `nextCursor` per route path, where a list had a second page. */
  readonly cursors: ReadonlyMap<string, string>
  /** Token → readable label, to keep tokens out of failure messages. */
  readonly tokenLabels: ReadonlyMap<string, string>
}

const actor = (world: World, role: Role, region: string | "all" = "all"): Actor => {
  const found = world.actors.find(
    (a) =>
      a.roles.includes(role) &&
      (region === "all"
        ? a.regions.length === REGIONS.length
        : a.regions.length === 1 && a.regions[0] === region),
  )
  if (found === undefined) throw new Error(`no ${role} for ${region}`)
  return found
}

const submission = (
  gateway: Gateway,
  regionId: string,
  organisationId: string,
): Referral.ReferralSubmission => {
  const plugin = gateway.config.regions.find((r) => r.region.id === regionId)!.plugin
  const base = Fixtures.referralFor(plugin, { on: TODAY })
  return {
    ...base,
    regionId,
    referrer: referrerOf({ name: FUZZ_USER, partyRole: FUZZ_PARTY_ROLE, organisationId }),
  } as Referral.ReferralSubmission
}

const setUp = async (backend: "sqlite" | "pg"): Promise<World> => {
  const gateway = await startGateway({ database: backend })
  const port = Number(new URL(gateway.base).port)
  const actors: Array<Actor> = []
  const tokenLabels = new Map<string, string>()
  for (const role of ROLES) {
    for (const regions of [REGIONS, ...REGIONS.map((r) => [r])]) {
      // One name and party role for all, so a realistic referral is any referrer's own.
      const user = await gateway.user([role], regions, {
        organisation: "Fuzzorganisatie",
        name: FUZZ_USER,
        partyRole: FUZZ_PARTY_ROLE,
      })
      const label = `${role}@${regions.length === 1 ? regions[0] : "all"}`
      actors.push({
        label,
        token: user.token,
        roles: [role],
        regions,
        userId: user.id,
        organisationId: user.organisationId,
      })
      tokenLabels.set(user.token, `<token ${label}>`)
    }
  }
  const victimUserIds: Array<string> = []
  const victimTokenIds: Array<string> = []
  for (let i = 0; i < 3; i++) {
    const victim = await gateway.user(["referrer"], ["westland"], { organisation: "Slachtofferorganisatie" })
    victimUserIds.push(victim.id)
    victimTokenIds.push(victim.tokenId)
  }
  const organisationId = actors[0]!.organisationId
  const caseIds: Array<string> = []
  const referralIds: Array<string> = []
  const seededRegions: Array<string> = []
  for (const a of actors.filter((x) => x.roles.includes("referrer"))) {
    for (const regionId of a.regions.length === 1 ? a.regions : REGIONS) {
      const reply = await gateway.request("POST", "/referrals", {
        token: a.token,
        body: submission(gateway, regionId, organisationId),
      })
      if (reply.status !== 201) throw new Error(`seeding a referral failed: ${reply.status} ${reply.text}`)
      caseIds.push(reply.json.caseId)
      referralIds.push(reply.json.referralId)
      seededRegions.push(regionId)
    }
  }
  // Westland's working lists get two entries each (best effort: the plug-in may refuse an event),
  // so their cursors can be forged from real ones too.
  const worker = actors.find((a) => a.label === "case-worker@all")!
  const westland = caseIds.filter((_, i) => seededRegions[i] === "westland")
  for (const [n, caseId] of westland.entries()) {
    const events = [
      {
        _tag: "AttendanceRecorded",
        situation: "thuiszittend",
        since: LocalDate.addDays(TODAY, -80 - n),
        fittingOffer: false,
      },
      ...[1, 2].map((k) => ({
        _tag: "ActionAssigned",
        action: {
          id: `act_seed${n}${k}000000000`,
          description: `Actie ${k}`,
          owner: { name: "Test Regiehouder", role: "smw-verzuim", organisationId },
          dueOn: LocalDate.addDays(TODAY, k),
        },
      })),
    ]
    for (const event of events) {
      const current = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
      await gateway.request("POST", `/cases/${caseId}/events`, {
        token: worker.token,
        body: { expectedVersion: current.json?.case?.version ?? 1, event },
      })
    }
  }
  // Real cursors, to forge from: the second page of each list that has one.
  const cursors = new Map<string, string>()
  const lists: ReadonlyArray<readonly [string, string, Actor]> = [
    ["/cases", "/cases?limit=1", actors.find((a) => a.label === "coordinator@all")!],
    ["/referrals", "/referrals?limit=1", actors.find((a) => a.label === "referrer@all")!],
    ["/audit", "/audit?limit=1", actors.find((a) => a.label === "admin@all")!],
    ...["thuiszitters", "pact-risks", "actions-due"].map(
      (list) =>
        [
          `/regions/:regionId/${list}`,
          `/regions/westland/${list}?limit=1`,
          actors.find((a) => a.label === "coordinator@all")!,
        ] as const,
    ),
  ]
  for (const [route, target, who] of lists) {
    const reply = await gateway.request("GET", target, { token: who.token })
    if (reply.status === 200 && typeof reply.json?.nextCursor === "string")
      cursors.set(route, reply.json.nextCursor)
  }
  process.stdout.write(
    `fuzz-strict (${backend}): ${caseIds.length} cases seeded; real cursors to forge from: ${[...cursors.keys()].join(", ") || "none"}\n`,
  )
  return {
    backend,
    gateway,
    port,
    actors,
    victimUserIds,
    victimTokenIds,
    caseIds,
    referralIds,
    organisationId,
    cursors,
    tokenLabels,
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile values.

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url")

/** Forged cursors that fit no list; every cursor route must answer them with 422. */
const forgedCursors = (real: string | undefined): Array<string> => {
  const out = [
    "WyJjYXNlcyIsIngiLCJ5Il0", // ["cases","x","y"]
    b64([1, 2, 3]),
    b64({}),
    b64([]),
    b64(null),
    b64("cases"),
    b64(["cases", { $gt: "" }, ["x"]]),
    b64(["audit", "x"]),
    b64(["audit", 1e308]),
    b64(["cases", "\u0000", "\u0000"]),
    b64(["cases", "\ud800", "\udfff"]),
    "!!!niet-base64!!!",
    "A".repeat(480),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28]).toString("base64url"),
    `${b64(["cases", "x", "y"])}==`,
  ]
  if (real !== undefined) {
    try {
      const parsed = JSON.parse(Buffer.from(real, "base64url").toString("utf8")) as Array<unknown>
      const [list, ...parts] = parsed
      out.push(
        b64([list, ...parts.map(() => "x")]),
        b64([list, ...parts.map((p) => (typeof p === "string" ? 1 : "x"))]),
        b64([list, ...parts.map((p) => (typeof p === "number" ? "1; DROP TABLE cases" : 12345))]),
        b64([list, ...parts, "extra"]),
        b64([list]),
        b64([`${String(list)}x`, ...parts]),
        b64([list, ...parts.map((p) => (typeof p === "string" ? `${p}\u0000` : p))]),
        b64([list, ...parts.map((p) => (typeof p === "string" ? "\ud800" : p))]),
        b64([list, ...parts.map((p) => (typeof p === "number" ? 1e308 : p))]),
        b64([list, ...parts.map((p) => (typeof p === "number" ? -0.5 : p))]),
        b64([list, ...parts.map((p) => (typeof p === "string" ? "9999-99-99T99:99:99.999Z" : p))]),
      )
    } catch {
      // a cursor we cannot read ourselves: the generic ones will do
    }
  }
  // A variant that changed nothing (a list without numbers, say) is the real cursor, not a forgery.
  return [...new Set(out)].filter((c) => c !== real)
}

const junkParams = [
  "%00",
  "%00abc",
  "case_%00",
  "case_0000000000%00",
  "%ZZ",
  "%E0%A4%A",
  "%ED%A0%80",
  "%F0%9F%98%80",
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "%C0%AF",
  `case_${"0".repeat(41)}`,
  "westland%00",
  "%20westland",
  "WESTLAND",
  "atlantis",
  "-",
  "%",
  "%25",
  "%0d%0aSet-Cookie:%20x=1",
  "x".repeat(6000),
]

const oddLimits = [
  "1e309",
  "-0",
  "9007199254740993",
  "0x10",
  "%205",
  "5abc",
  "0",
  "501",
  "-1",
  "1.5",
  "NaN",
  "%00",
]

const controlStrings = [
  "\u0007",
  "\u001b[31m",
  "\u0085",
  "\u2028",
  "\ufeff",
  "\r\n",
  "\t",
  "\u007f",
  "\ud83d\ude00",
]

const rawNumbers = [
  "1e309",
  "-1e309",
  "-0",
  "9007199254740993",
  "1e-400",
  "-1",
  "1E2",
  "123456789012345678901234567890",
  // Not JSON at all:
  "NaN",
  "Infinity",
  "+1",
  "01",
  ".5",
  "0x10",
]

const oddContentTypes = [
  "application/json; charset=latin1",
  "APPLICATION/JSON",
  "application/json-patch+json",
  "application/problem+json",
  "application/json;charset=utf-16",
  "application/json, text/plain",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
  "application/jsonx",
  "application/json ; charset=utf-8",
]

const oddIdempotencyKeys = [
  "",
  "k",
  "x".repeat(300),
  "x".repeat(255),
  "x".repeat(256),
  "sleutel met spaties",
  "tab\tkey-0001",
  "sleutel-éü-0001",
  "fuzz-key-0001",
  "12345678",
  "x".repeat(200),
  "x".repeat(201),
]

const oddRequestIds = [
  "",
  "short",
  "x".repeat(65),
  "abc\tdef-ghij",
  "../../etc/passwd",
  "fuzz-req-00000001",
  "ñandú-1234567",
  "x".repeat(5000),
]

const oddForwardedFor = [
  "1.2.3.4",
  "1.2.3.4, 5.6.7.8",
  "garbage",
  "::1",
  "127.0.0.1",
  "",
  "x".repeat(2000),
  "for=1.2.3.4",
]

// ---------------------------------------------------------------------------------------------
// JSON surgery: a valid value with one hostile piece put in as raw text.

type Key = string | number
interface Shape {
  readonly strings: Array<Array<Key>>
  readonly numbers: Array<Array<Key>>
  readonly arrays: Array<Array<Key>>
  readonly objects: Array<Array<Key>>
}

const shapeOf = (
  value: unknown,
  path: Array<Key> = [],
  out: Shape = { strings: [], numbers: [], arrays: [], objects: [] },
) => {
  if (typeof value === "string") out.strings.push(path)
  else if (typeof value === "number") out.numbers.push(path)
  else if (Array.isArray(value)) {
    out.arrays.push(path)
    value.forEach((item, i) => {
      shapeOf(item, [...path, i], out)
    })
  } else if (value !== null && typeof value === "object") {
    out.objects.push(path)
    for (const [k, v] of Object.entries(value)) shapeOf(v, [...path, k], out)
  }
  return out
}

const setAt = (root: unknown, path: ReadonlyArray<Key>, value: unknown): unknown => {
  if (path.length === 0) return value
  const [head, ...rest] = path as [Key, ...Array<Key>]
  if (Array.isArray(root)) {
    const copy = [...root]
    copy[head as number] = setAt(copy[head as number], rest, value)
    return copy
  }
  const obj = root !== null && typeof root === "object" ? (root as Record<string, unknown>) : {}
  return { ...obj, [head]: setAt(obj[head as string], rest, value) }
}

const getAt = (root: unknown, path: ReadonlyArray<Key>): unknown =>
  path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === "object" ? (v as Record<Key, unknown>)[k] : undefined),
    root,
  )

const MARK = "\u0001__RAW__\u0001"
/** The JSON text of `root` with the value at `path` replaced by `raw` (any text, valid JSON or not). */
const withRaw = (root: unknown, path: ReadonlyArray<Key>, raw: string): string =>
  path.length === 0 ? raw : JSON.stringify(setAt(root, path, MARK)).replace(JSON.stringify(MARK), () => raw)

const pathText = (path: ReadonlyArray<Key>) =>
  path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("") || "(root)"

// ---------------------------------------------------------------------------------------------
// Routes: the gateway's own, the plug-ins', and which operation a raw target reaches.

interface Op {
  readonly method: string
  readonly path: string
  readonly regex: RegExp
  /** Statuses the OpenAPI document lists; undefined for routes outside it (plug-ins, docs). */
  readonly documented: ReadonlySet<number> | undefined
  readonly label: string
}

const operations = (world: World): Array<Op> => {
  const paths = world.gateway.openapi.paths as Record<
    string,
    Record<string, { responses: Record<string, unknown> }>
  >
  const ops: Array<Op> = world.gateway.routes.map(({ spec }) => {
    const openapiPath = spec.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")
    const responses = paths[openapiPath]?.[spec.method]?.responses
    return {
      method: spec.method.toUpperCase(),
      path: spec.path,
      regex: new RegExp(`^${spec.path.replace(/[.]/g, "\\.").replace(/:[A-Za-z0-9_]+/g, "[^/]+")}$`),
      documented: new Set(Object.keys(responses ?? {}).map(Number)),
      label: `${spec.method.toUpperCase()} ${spec.path}`,
    }
  })
  for (const path of ["/openapi.json", "/docs"])
    ops.push({
      method: "GET",
      path,
      regex: new RegExp(`^${path.replace(".", "\\.")}$`),
      documented: undefined,
      label: `GET ${path}`,
    })
  for (const r of world.gateway.config.regions) {
    if (r.plugin.routes === undefined) continue
    const prefix = `/regions/${r.region.id}/plugin`
    ops.push({
      method: "*",
      path: `${prefix}/*`,
      regex: new RegExp(`^${prefix.replace(/[-]/g, "\\-")}(/.*)?$`),
      documented: undefined,
      label: `* ${prefix}/*`,
    })
  }
  return ops
}

/** The path the server routes on: dot segments resolved as a URL parser does, then percent-decoded. */
const routedPath = (target: string) => {
  let path = target.split("?")[0] ?? ""
  try {
    path = new URL(`http://127.0.0.1${target}`).pathname
  } catch {
    // not a URL the server could parse either; match it as it is
  }
  try {
    return decodeURI(path)
  } catch {
    return path
  }
}

const operationFor = (ops: ReadonlyArray<Op>, method: string, target: string): Op | undefined => {
  const path = routedPath(target)
  const m = method === "HEAD" ? "GET" : method
  return ops.find((op) => (op.method === m || op.method === "*") && op.regex.test(path))
}

// ---------------------------------------------------------------------------------------------
// The generator.

interface FuzzRequest {
  readonly category: string
  readonly raw: RawRequest
  /** What is hostile about it, for the failure message. */
  readonly note: string
}

const encodeQuery = (q: Record<string, string | ReadonlyArray<string>>): Array<string> => {
  const out: Array<string> = []
  for (const [k, v] of Object.entries(q))
    for (const item of Array.isArray(v) ? v : [v])
      out.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`)
  return out
}

const generate = (world: World): Array<FuzzRequest> => {
  const rand = mulberry(SEED)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(rand() * xs.length)] as A
  const chance = (p: number) => rand() < p
  const out: Array<FuzzRequest> = []
  let counter = 0
  const bogusTokens = ["nonsense", `vrt_0000000000000000_${"A".repeat(43)}`, "x".repeat(600), "vrt_%00"]

  for (const { spec } of world.gateway.routes) {
    const method = spec.method.toUpperCase()
    const allowed = world.actors.filter(
      (a) => spec.roles === undefined || a.roles.some((r) => spec.roles?.includes(r)),
    )
    const goodActor = () => pick(allowed.length > 0 && chance(0.85) ? allowed : world.actors)
    const encodedBodies = encodedSamples(spec.body, 30, SEED)
    const realistic = (): unknown => {
      counter++
      switch (spec.operationId) {
        case "submitReferral":
          return submission(world.gateway, pick(REGIONS), world.organisationId)
        case "logCaseEvent":
          return {
            expectedVersion: pick([1, 1, 2, 3]),
            event: {
              _tag: "ContactLogged",
              on: TODAY,
              with: "ouder",
              channel: "telefoon",
              summary: "Gebeld met moeder",
            },
          }
        case "takeCaseTransition": {
          const plugin = pick(world.gateway.config.regions).plugin
          return { expectedVersion: 1, transition: pick(plugin.workflow.transitions).id, reason: "Fuzzstap" }
        }
        case "createOrganisation":
          return { name: `Fuzz organisatie ${counter}`, kind: "school" }
        case "createUser":
          return {
            organisationId: world.organisationId,
            name: `Fuzz gebruiker ${counter}`,
            email: `fuzz${counter}@fuzz.example.nl`,
            roles: [pick(ROLES)],
            regions: [pick(REGIONS)],
          }
        case "issueToken":
          return { label: `fuzz ${counter}`, expiresInDays: 30 }
        default:
          return encodedBodies.length > 0 ? pick(encodedBodies) : {}
      }
    }
    const validBody = () => (encodedBodies.length > 0 && chance(0.4) ? pick(encodedBodies) : realistic())
    const queries = encodedSamples<Record<string, string | ReadonlyArray<string>>>(spec.query, 30, SEED)
    const queryFields =
      spec.query === undefined ? [] : Object.keys((spec.query as unknown as { fields?: object }).fields ?? {})
    const hasCursor = queryFields.includes("cursor")
    const hasLimit = queryFields.includes("limit")
    const cursors = forgedCursors(world.cursors.get(spec.path))
    const realParam = (name: string): ReadonlyArray<string> =>
      name === "caseId"
        ? world.caseIds
        : name === "referralId"
          ? world.referralIds
          : name === "regionId"
            ? REGIONS
            : name === "userId"
              ? [...world.victimUserIds, ...world.actors.map((a) => a.userId)]
              : name === "tokenId"
                ? world.victimTokenIds
                : []
    const pathWith = (param: (name: string) => string) =>
      spec.path.replace(/:(\w+)/g, (_, name: string) => param(name))
    const realPath = () =>
      pathWith((name) => {
        const real = realParam(name)
        return encodeURIComponent(real.length > 0 ? pick(real) : "x")
      })

    const categories = [
      "valid",
      "auth-odd",
      "headers-odd",
      "query-nul",
      "query-odd",
      "long-url",
      ...(spec.params !== undefined ? ["path-nul", "path-junk"] : []),
      ...(hasCursor ? ["cursor-forged", "cursor-forged"] : []),
      ...(hasLimit ? ["limit-odd"] : []),
      ...(spec.body !== undefined
        ? [
            "body-valid",
            "body-nul",
            "body-surrogate",
            "body-control",
            "body-long-string",
            "body-numbers",
            "body-dup-keys",
            "body-proto",
            "body-content-type",
            "body-broken",
            "body-chunked",
            "body-wrong-types",
            "body-huge-array",
            "body-over-limit",
          ]
        : ["body-on-get"]),
      ...(spec.idempotent === true ? ["idempotency-key", "idempotency-key"] : []),
      "unmatched",
    ]

    for (let i = 0; i < PER_ROUTE; i++) {
      // Every category on every route first, then at random.
      const category = i < categories.length ? (categories[i] as string) : pick(categories)
      const who = chance(0.1) ? undefined : goodActor()
      let token: string | undefined = who?.token
      if (chance(0.05)) token = pick(bogusTokens)
      let auth: string | undefined = token === undefined ? undefined : `Bearer ${token}`
      const headers: Array<[string, string]> = []
      const notes: Array<string> = []
      let target = realPath()
      let reqMethod = chance(0.03) && method === "GET" ? "HEAD" : method
      let queryParts: Array<string> = queries.length > 0 && chance(0.7) ? encodeQuery(pick(queries)) : []
      let body: string | Buffer | undefined
      let contentType: string | undefined
      let chunked: number | undefined
      let declaredLength: number | undefined
      let huge = false

      if (spec.body !== undefined) {
        body = JSON.stringify(validBody())
        contentType = "application/json"
      }
      const bodyValue = (): unknown => (typeof body === "string" ? JSON.parse(body) : {})
      const stringLeaf = (value: unknown): Array<Key> => {
        const { strings } = shapeOf(value)
        return strings.length > 0 ? pick(strings) : [pick(["label", "name", "reason", "summary", "x"])]
      }

      switch (category) {
        case "valid":
          break
        case "auth-odd": {
          const t = token ?? goodActor().token
          const other = goodActor().token
          const [form, note] = pick([
            [`bearer ${t}`, "lower-case scheme"],
            [`BEARER ${t}`, "upper-case scheme"],
            [`Bearer  ${t}`, "two spaces"],
            [`Bearer\t${t}`, "tab"],
            [`Bearer ${t} `, "trailing space"],
            [`Bearer ${t} ${other}`, "two tokens"],
            [`Bearer ${t},Bearer ${other}`, "two credentials"],
            ["Basic dXNlcjpwYXNzd29yZA==", "Basic"],
            [`Token ${t}`, "Token scheme"],
            ["Bearer", "no token"],
            ["Bearer ", "empty token"],
            ["", "empty header"],
            [`Bearer ${t}%00`, "token with %00"],
            [`Bearer ${t.slice(0, -1)}`, "truncated token"],
            [`Bearer ${"A".repeat(4000)}`, "4000-char token"],
            [`Bearer ${t}\u00e9`, "non-ASCII after token"],
          ] as const)
          auth = form
          notes.push(`Authorization ${note}`)
          if (chance(0.2)) {
            headers.push(["Authorization", `Bearer ${other}`])
            notes.push("and a second Authorization header")
          }
          break
        }
        case "headers-odd": {
          const which = pick([
            "x-request-id",
            "x-forwarded-for",
            "idempotency-key",
            "duplicate",
            "long",
            "control",
          ])
          if (which === "x-request-id") {
            const v = pick(oddRequestIds)
            headers.push(["X-Request-Id", v])
            notes.push(`X-Request-Id ${JSON.stringify(v.slice(0, 40))}`)
          } else if (which === "x-forwarded-for") {
            const v = pick(oddForwardedFor)
            headers.push(["X-Forwarded-For", v])
            notes.push(`X-Forwarded-For ${JSON.stringify(v.slice(0, 40))}`)
          } else if (which === "idempotency-key") {
            const v = pick(oddIdempotencyKeys)
            headers.push(["Idempotency-Key", v])
            notes.push(`Idempotency-Key ${JSON.stringify(v.slice(0, 40))} on a route that takes none`)
          } else if (which === "duplicate") {
            headers.push(["X-Request-Id", "fuzz-req-aaaaaaaa"], ["X-Request-Id", "fuzz-req-bbbbbbbb"])
            if (contentType !== undefined) headers.push(["Content-Type", "text/plain"])
            notes.push("duplicate X-Request-Id (and Content-Type) headers")
          } else if (which === "long") {
            headers.push(["X-Fuzz", "x".repeat(8000)])
            notes.push("an 8,000-byte header")
          } else {
            // Bytes Node's HTTP parser refuses: the app never sees these.
            headers.push([pick(["X-Request-Id", "Idempotency-Key", "X-Forwarded-For"]), "ab\u0001cd\u007fef"])
            notes.push("control characters in a header value")
          }
          break
        }
        case "query-nul": {
          const key = queryFields.length > 0 ? pick(queryFields) : pick(["recordId", "x", "cursor"])
          const v = pick(["%00", "%00abc", "abc%00", "%00%00%00", "%01%02%1b", "%0d%0a"])
          queryParts = [...queryParts.filter((p) => !p.startsWith(`${key}=`)), `${key}=${v}`]
          notes.push(`query ${key}=${v}`)
          break
        }
        case "query-odd": {
          const kind = pick(["repeated", "many", "malformed", "proto", "array-syntax", "empty"])
          const key = queryFields.length > 0 ? pick(queryFields) : "x"
          if (kind === "repeated") queryParts.push(`${key}=1`, `${key}=2`, `${key}=westland`)
          else if (kind === "many") for (let k = 0; k < 300; k++) queryParts.push(`p${k}=${k}`)
          else if (kind === "malformed") queryParts.push(`${key}=%ZZ`, "%E0%A4%A=1", `${key}%=x`)
          else if (kind === "proto") queryParts.push("__proto__=x", "constructor=y", "__proto__[polluted]=1")
          else if (kind === "array-syntax") queryParts.push(`${key}[]=1`, `${key}[0]=2`, `${key}[a]=3`)
          else queryParts.push(`${key}=`, "&&", "=", `${key}`)
          notes.push(`query ${kind}`)
          break
        }
        case "long-url": {
          if (chance(0.5)) {
            queryParts.push(`${queryFields.length > 0 ? pick(queryFields) : "x"}=${"y".repeat(6000)}`)
            notes.push("a 6 KB query value")
          } else {
            for (let k = 0; k < 150; k++)
              queryParts.push(`${queryFields.length > 0 ? pick(queryFields) : "q"}=${"z".repeat(30)}`)
            notes.push("150 repeated query keys (~6 KB)")
          }
          break
        }
        case "path-nul":
          target = pathWith((name) => {
            const real = realParam(name)
            const base = real.length > 0 ? pick(real) : "x"
            return pick([`${base}%00`, "%00", `%00${base}`, `${base.slice(0, 5)}%00${base.slice(5)}`])
          })
          notes.push("%00 in the path")
          break
        case "path-junk":
          target = pathWith(() => pick(junkParams))
          notes.push("junk path parameter")
          break
        case "cursor-forged": {
          const c = pick(cursors)
          queryParts = [
            ...queryParts.filter((p) => !p.startsWith("cursor=")),
            `cursor=${encodeURIComponent(c)}`,
          ]
          notes.push(`forged cursor ${c.slice(0, 40)}`)
          break
        }
        case "limit-odd": {
          const v = pick(oddLimits)
          queryParts = [...queryParts.filter((p) => !p.startsWith("limit=")), `limit=${v}`]
          notes.push(`limit=${v}`)
          break
        }
        case "body-valid":
          break
        case "body-nul": {
          const value = bodyValue()
          const path = spec.operationId === "createUser" && chance(0.5) ? ["email"] : stringLeaf(value)
          const old = getAt(value, path)
          const s = typeof old === "string" ? old : "tekst"
          const v = pick([
            `${s}\u0000`,
            "\u0000",
            `${s.slice(0, 1)}\u0000${s.slice(1)}`,
            "a\u0000b@example.nl",
          ])
          body = JSON.stringify(setAt(value, path, v))
          notes.push(`NUL in ${pathText(path)}`)
          break
        }
        case "body-surrogate": {
          const value = bodyValue()
          const path = stringLeaf(value)
          const old = getAt(value, path)
          const escaped = JSON.stringify(typeof old === "string" ? old : "tekst").slice(1, -1)
          const lone = pick(["\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud800\\ud800"])
          body = withRaw(value, path, `"${pick([`${escaped}${lone}`, lone, `${lone}${escaped}`])}"`)
          notes.push(`lone surrogate ${lone} in ${pathText(path)}`)
          break
        }
        case "body-control": {
          const value = bodyValue()
          const path = stringLeaf(value)
          const c = pick(controlStrings)
          body = JSON.stringify(setAt(value, path, `tekst${c}tekst`))
          notes.push(`${JSON.stringify(c)} in ${pathText(path)}`)
          break
        }
        case "body-long-string": {
          const value = bodyValue()
          const path = stringLeaf(value)
          body = JSON.stringify(setAt(value, path, "x".repeat(pick([4001, 100_000, 900_000]))))
          notes.push(`a long string in ${pathText(path)}`)
          break
        }
        case "body-numbers": {
          const value = bodyValue()
          const { numbers, strings } = shapeOf(value)
          const path =
            numbers.length > 0 && chance(0.7)
              ? pick(numbers)
              : strings.length > 0
                ? pick(strings)
                : ["expectedVersion"]
          const n = pick(rawNumbers)
          body = withRaw(value, path, n)
          notes.push(`${n} in ${pathText(path)}`)
          break
        }
        case "body-dup-keys": {
          const value = bodyValue()
          const { objects } = shapeOf(value)
          const path = pick(objects.length > 0 ? objects : [[]])
          const obj = (getAt(value, path) ?? {}) as Record<string, unknown>
          const key = Object.keys(obj).length > 0 ? pick(Object.keys(obj)) : "x"
          const text = JSON.stringify(obj)
          const wrong = JSON.stringify(pick([null, 42, "", [], {}, "x".repeat(300)]))
          const inner = text.slice(1, -1)
          const dup = chance(0.5)
            ? `{${JSON.stringify(key)}:${wrong}${inner === "" ? "" : ","}${inner}}`
            : `{${inner}${inner === "" ? "" : ","}${JSON.stringify(key)}:${wrong}}`
          body = withRaw(value, path, dup)
          notes.push(`duplicate key ${key} in ${pathText(path)}`)
          break
        }
        case "body-proto": {
          const value = bodyValue()
          const { objects } = shapeOf(value)
          const path = pick(objects.length > 0 ? objects : [[]])
          const obj = (getAt(value, path) ?? {}) as Record<string, unknown>
          const key = pick(["__proto__", "constructor", "prototype"])
          const inner = JSON.stringify(obj).slice(1, -1)
          const extra = `${JSON.stringify(key)}:${pick(['{"polluted":true}', '{"prototype":{"polluted":true}}', "null", '"x"'])}`
          body = withRaw(value, path, `{${extra}${inner === "" ? "" : ","}${inner}}`)
          notes.push(`${key} key in ${pathText(path)}`)
          break
        }
        case "body-content-type":
          contentType = pick(oddContentTypes)
          notes.push(`Content-Type ${JSON.stringify(contentType)}`)
          if (contentType === "") contentType = undefined
          break
        case "body-broken": {
          const valid = typeof body === "string" ? body : "{}"
          const [b, note] = pick([
            [valid.slice(0, Math.max(1, Math.floor(rand() * valid.length))), "truncated JSON"],
            [`\ufeff${valid}`, "a byte-order mark"],
            [`${valid} x`, "trailing garbage"],
            [`${valid}${valid}`, "two documents"],
            ["", "empty body"],
            ["null", "null"],
            ["[]", "an array"],
            ['"text"', "a string"],
            [`${"[".repeat(5000)}${"]".repeat(5000)}`, "5,000 levels deep"],
            [`{"a":${"[".repeat(40)}1${"]".repeat(40)}}`, "40 levels deep"],
            [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "invalid UTF-8"],
            ["{'a':1}", "single quotes"],
            ["{a:1}", "unquoted keys"],
            ['{"a":1,}', "trailing comma"],
          ] as const)
          body = b
          notes.push(note)
          break
        }
        case "body-chunked":
          chunked = pick([1, 7, 64, 4096])
          if (typeof body === "string" && body.length > 20_000) chunked = 4096
          notes.push(`chunked in ${chunked}-byte chunks`)
          break
        case "body-wrong-types": {
          const value = bodyValue()
          const { strings, numbers, arrays, objects } = shapeOf(value)
          const all = [...strings, ...numbers, ...arrays, ...objects.filter((p) => p.length > 0)]
          const path = all.length > 0 ? pick(all) : ["x"]
          const wrong = pick([null, 42, true, "", [], {}, [1, 2, 3], { a: 1 }, -1, 1.5])
          body = JSON.stringify(setAt(value, path, wrong))
          notes.push(`${JSON.stringify(wrong)} at ${pathText(path)}`)
          break
        }
        case "body-huge-array": {
          const value = bodyValue()
          const { arrays, strings } = shapeOf(value)
          const path = arrays.length > 0 ? pick(arrays) : strings.length > 0 ? pick(strings) : ["reasons"]
          const item = pick(["1", '"x"', "{}", "null", "[]"])
          const n = pick([HUGE, HUGE, 9_000])
          body = withRaw(value, path, `[${new Array(n).fill(item).join(",")}]`)
          huge = true
          notes.push(`${n.toLocaleString("en")} × ${item} at ${pathText(path)}`)
          break
        }
        case "body-over-limit": {
          const mode = pick(["whole", "partial", "chunked", "declared-only"])
          const filler = `{"x":"${"a".repeat(BODY_LIMIT + 50_000)}"}`
          if (mode === "whole") body = filler
          else if (mode === "chunked") {
            // Well over the limit: just over it, the server sometimes drains the rest in time.
            body = `{"x":"${"a".repeat(1.5 * BODY_LIMIT)}"}`
            chunked = 65_536
          } else if (mode === "partial") {
            body = filler.slice(0, 65_536)
            declaredLength = 2 * BODY_LIMIT
          } else {
            body = "{}"
            declaredLength = 2 * BODY_LIMIT
          }
          huge = true
          notes.push(`body over the 1 MiB limit (${mode})`)
          break
        }
        case "body-on-get": {
          const kind = pick(["json", "chunked", "big", "declared"])
          body = kind === "big" ? `{"x":"${"a".repeat(BODY_LIMIT + 10)}"}` : '{"x":1}'
          contentType = "application/json"
          if (kind === "chunked") chunked = 5
          if (kind === "declared") {
            declaredLength = 5000
            body = '{"x":'
          }
          notes.push(`a body on ${method} (${kind})`)
          break
        }
        case "idempotency-key": {
          const v = pick(oddIdempotencyKeys)
          headers.push(["Idempotency-Key", v])
          notes.push(
            `Idempotency-Key ${JSON.stringify(v.length > 40 ? `${v.slice(0, 10)}…(${v.length})` : v)}`,
          )
          break
        }
        case "unmatched": {
          const [t, note] = pick([
            [`${target}/`, "trailing slash"],
            [`/${target}`, "double leading slash"],
            [target.toUpperCase(), "upper case"],
            [`${target}/extra`, "extra segment"],
            [`${target};jsessionid=1`, "path parameter"],
            [`${target}%2F`, "encoded slash"],
            [`${target}/..`, "dot-dot segment"],
            [`/api${target}`, "prefix"],
          ] as const)
          target = t
          if (chance(0.3)) reqMethod = pick(["OPTIONS", "PATCH", "TRACE", "PUT"])
          notes.push(`unmatched: ${note}${reqMethod !== method ? ` (${reqMethod})` : ""}`)
          break
        }
      }
      if (auth !== undefined) headers.unshift(["Authorization", auth])
      if (contentType !== undefined && body !== undefined) headers.push(["Content-Type", contentType])
      if (chance(0.05)) headers.push(["X-Forwarded-For", pick(oddForwardedFor)])
      if (chance(0.05)) headers.push(["X-Request-Id", pick(oddRequestIds.filter((v) => !v.includes("\t")))])
      const query = queryParts.length > 0 ? `?${queryParts.join("&")}` : ""
      out.push({
        category,
        note: notes.join("; ") || (huge ? "huge" : ""),
        raw: {
          method: reqMethod,
          target: `${target}${query}`,
          headers,
          ...(body === undefined ? {} : { body }),
          ...(chunked === undefined ? {} : { chunked }),
          ...(declaredLength === undefined ? {} : { declaredLength }),
        },
      })
    }
  }

  // Plug-in routes, the docs and unknown addresses: fewer, with the same hostile headers and queries.
  const extras = [
    "/regions/amstelland-meerlanden/plugin/meldformulier",
    "/regions/westland/plugin/meldformulier",
    "/regions/amstelland-meerlanden/plugin/onbekend",
    "/regions/amstelland-meerlanden/plugin/meldformulier%00",
    "/openapi.json",
    "/docs",
    "/",
    "/onbekend",
    "/%00",
    `/${"a".repeat(6000)}`,
    "/cases/../admin/users",
    "//admin//users",
    "/admin/users%00",
  ]
  for (let i = 0; i < Math.max(40, PER_ROUTE / 2); i++) {
    const target = pick(extras)
    const a = chance(0.15) ? undefined : pick(world.actors)
    const headers: Array<[string, string]> = []
    if (a !== undefined)
      headers.push(["Authorization", pick([`Bearer ${a.token}`, `bearer ${a.token}`, `Bearer  ${a.token}`])])
    if (chance(0.2)) headers.push(["X-Request-Id", pick(oddRequestIds.filter((v) => !v.includes("\t")))])
    const withBody = chance(0.2)
    out.push({
      category: "extra",
      note: withBody ? "with a body" : "",
      raw: {
        method: chance(0.8) ? "GET" : pick(["POST", "DELETE", "HEAD"]),
        target: chance(0.3) ? `${target}?cursor=${pick(forgedCursors(undefined))}&x=%00` : target,
        headers: withBody ? [...headers, ["Content-Type", "application/json"]] : headers,
        ...(withBody ? { body: '{"x":"\\ud800\\u0000"}' } : {}),
      },
    })
  }
  // Shuffle, so each socket carries a mix of routes and categories one after the other.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j] as FuzzRequest, out[i] as FuzzRequest]
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Checks and reporting.

const redact = (world: World, s: string) => {
  let out = s
  for (const [token, label] of world.tokenLabels) out = out.split(token).join(label)
  return out
}

const excerpt = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s)

const describeRequest = (world: World, r: RawRequest, note?: string) => {
  const body =
    r.body === undefined
      ? ""
      : `\n      body (${r.body.length} bytes${r.chunked !== undefined ? `, chunked by ${r.chunked}` : ""}${r.declaredLength !== undefined ? `, Content-Length declared ${r.declaredLength}` : ""}): ${excerpt(typeof r.body === "string" ? r.body : r.body.toString("latin1"), 160)}`
  const headers = (r.headers ?? [])
    .map(([k, v]) => `${k}: ${excerpt(JSON.stringify(v).slice(1, -1), 80)}`)
    .join(" | ")
  return redact(
    world,
    `${r.method} ${excerpt(r.target, 200)}${note ? `  [${note}]` : ""}\n      headers: ${headers || "(none)"}${body}`,
  )
}

const describeResponse = (res: RawResponse) =>
  `${res.status} in ${res.ms.toFixed(0)} ms, ${res.size} bytes${res.close ? ", Connection: close" : ""}, content-type ${res.headers["content-type"] ?? "(none)"}: ${excerpt(res.text, 240)}`

class Findings {
  private readonly byKey = new Map<string, { count: number; example: string }>()
  add(kind: string, key: string, example: string) {
    const k = `${kind} | ${key}`
    const known = this.byKey.get(k)
    if (known !== undefined) known.count++
    else this.byKey.set(k, { count: 1, example })
  }
  get size() {
    return this.byKey.size
  }
  format(limit = 60): string {
    const entries = [...this.byKey.entries()]
    return [
      ...entries.slice(0, limit).map(([k, { count, example }]) => `• ${k} (×${count})\n    ${example}`),
      ...(entries.length > limit ? [`… and ${entries.length - limit} more kinds`] : []),
    ].join("\n")
  }
}

/**
 * A request Node's HTTP parser refused (control characters in a header…): it never reached the
 * app, so no operation documents it, but the server's `clientError` handler still answers it as
 * problem+json with a request id, and closes the connection.
 */
const isParserRejection = (res: RawResponse) =>
  [400, 408, 431].includes(res.status) &&
  res.close &&
  res.headers["x-request-id"] !== undefined &&
  res.json?.instance === undefined

/** The checks every response must pass: [kind, what to group by, the particulars]. */
const violations = (
  res: RawResponse,
  op: Op | undefined,
  req: RawRequest,
): Array<readonly [string, string, string]> => {
  const out: Array<readonly [string, string, string]> = []
  const hasBody = req.method !== "HEAD"
  if (res.status >= 500) out.push(["5xx", `${res.status}`, ""])
  if (res.ms > TIME_BOUND_MS) out.push(["slow", `over ${TIME_BOUND_MS} ms`, `${res.ms.toFixed(0)} ms`])
  if (res.headers["x-request-id"] === undefined) out.push(["no x-request-id", `${res.status}`, ""])
  // The web app's addresses answer people, in HTML pages (its "Niet gevonden" page included).
  const webHtml =
    isWebPath(resolvedPath(req.target)) && (res.headers["content-type"] ?? "").startsWith("text/html")
  if (res.status >= 400 && res.status < 500 && !webHtml) {
    if (!(res.headers["content-type"] ?? "").startsWith("application/problem+json"))
      out.push([
        "4xx not problem+json",
        `${res.status}`,
        `content-type ${res.headers["content-type"] ?? "(none)"}`,
      ])
    else if (hasBody && res.json?.status !== res.status)
      out.push(["problem status mismatch", `${res.status}`, `body status ${res.json?.status}`])
  }
  if (res.status >= 400 && res.size > PROBLEM_MAX_BYTES)
    out.push(["problem too large", `over ${PROBLEM_MAX_BYTES} bytes`, `${res.size} bytes`])
  if (isParserRejection(res)) {
    // Checked above like every answer; not an operation's answer, so not in the OpenAPI document.
  } else if (op === undefined) {
    const overLimit = (req.declaredLength ?? 0) > BODY_LIMIT || (req.body?.length ?? 0) > BODY_LIMIT
    // A path that resolves to a page of the web app (`/cases/..` is `/`) is the web app's: a
    // person without a session is sent to the sign-in page.
    const webPage = isWebPath(resolvedPath(req.target)) && (res.status === 303 || res.status === 200)
    if (res.status !== 404 && !(overLimit && res.status === 413) && !webPage)
      out.push(["unmatched path not 404", `${res.status}`, ""])
  } else if (op.documented !== undefined) {
    if (!op.documented.has(res.status))
      out.push([
        "status not in OpenAPI",
        `${res.status}`,
        `documented: ${[...op.documented].sort().join(", ")}`,
      ])
  } else if (![200, 401, 404, 413].includes(res.status))
    out.push(["unexpected status (route outside OpenAPI)", `${res.status}`, ""])
  return out
}

/** Sends share `share` of `of` of the generated requests (every `of`-th, after the shuffle). */
const fuzz = async (world: World, share: number, of: number) => {
  const all = generate(world)
  const requests = all.filter((_, i) => i % of === share - 1)
  const ops = operations(world)
  const findings = new Findings()
  const parserRejections = new Findings()
  const statuses = new Map<number, number>()
  const connections = Array.from({ length: SOCKETS }, () => new RawConnection(world.port))
  const last: Array<{ request: FuzzRequest; status: number; close: boolean } | undefined> = []
  const started = Date.now()
  let before = await quickFingerprint(world.gateway)
  let slowest = { ms: 0, what: "" }
  let answered = 0
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i] as FuzzRequest
    const conn = connections[i % SOCKETS] as RawConnection
    const op = operationFor(ops, r.raw.method, r.raw.target)
    const where = op?.label ?? `(unmatched ${r.raw.method})`
    const previous = last[i % SOCKETS]
    let res: RawResponse
    try {
      res = await conn.send(r.raw, { timeoutMs: HANG_MS })
    } catch (error) {
      if (!(error instanceof RawHttpError)) throw error
      last[i % SOCKETS] = undefined
      if (error.kind === "keep-alive-broken" && previous !== undefined) {
        // The culprit is the request before, which left the connection open but unusable.
        const was =
          operationFor(ops, previous.request.raw.method, previous.request.raw.target)?.label ?? "(unmatched)"
        findings.add(
          error.kind,
          `after ${was} [${previous.request.category}] → ${previous.status}${previous.close ? "" : " without Connection: close"}`,
          `${describeRequest(world, previous.request.raw, previous.request.note)}\n      → ${previous.status} without Connection: close; then on the same socket:\n      ${describeRequest(world, r.raw, r.note)}\n      → ${redact(world, error.message)}`,
        )
      } else
        findings.add(
          error.kind,
          `${where} [${r.category}]`,
          `${describeRequest(world, r.raw, r.note)}\n      → ${redact(world, error.message)}`,
        )
      before = await quickFingerprint(world.gateway)
      continue
    }
    last[i % SOCKETS] = { request: r, status: res.status, close: res.close }
    answered++
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
    if (res.ms > slowest.ms)
      slowest = {
        ms: res.ms,
        what: `${r.raw.method} ${excerpt(r.raw.target, 80)} [${r.note}] → ${res.status}`,
      }
    if (isParserRejection(res)) parserRejections.add("parser 400", r.note, describeResponse(res))
    for (const [kind, key, detail] of violations(res, op, r.raw))
      findings.add(
        kind,
        `${where} [${r.category}] ${key}`,
        `${describeRequest(world, r.raw, r.note)}\n      → ${redact(world, describeResponse(res))}${detail ? `\n      (${detail})` : ""}`,
      )
    const after = await quickFingerprint(world.gateway)
    if ((res.status < 200 || res.status >= 300) && JSON.stringify(after) !== JSON.stringify(before)) {
      const changed = Object.keys(after)
        .filter((k) => after[k] !== before[k])
        .map((k) => `${k} ${before[k]}→${after[k]}`)
        .join(", ")
      findings.add(
        "data changed by a failing request",
        `${where} [${r.category}] ${res.status}`,
        `${describeRequest(world, r.raw, r.note)}\n      → ${redact(world, describeResponse(res))}\n      changed: ${changed}`,
      )
    }
    before = after
  }
  for (const c of connections) c.close()
  const elapsed = Date.now() - started
  const summary = [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(" ")
  const sockets = connections.reduce((n, c) => n + c.sockets, 0)
  const reused = connections.reduce((n, c) => n + c.reused, 0)
  process.stdout.write(
    `fuzz-strict (${world.backend}, share ${share} of ${of}): ${requests.length} of ${all.length} requests (${answered} answered) in ${elapsed} ms on ${SOCKETS} keep-alive connections (${sockets} sockets opened, ${reused} requests on a reused socket), seed ${SEED}: ${summary}; slowest ${slowest.ms.toFixed(0)} ms (${redact(world, slowest.what)})\n`,
  )
  if (parserRejections.size > 0)
    process.stdout.write(
      `fuzz-strict (${world.backend}): Node's HTTP parser refused ${parserRejections.size} kind(s) of request (answered as problem+json by the clientError handler):\n${parserRejections.format(5)}\n`,
    )
  return { requests, all, findings, elapsed }
}

// ---------------------------------------------------------------------------------------------
// Helpers for the named regression tests.

interface Ask {
  readonly token?: string | undefined
  readonly json?: unknown
  readonly body?: string | Buffer
  readonly contentType?: string
  readonly headers?: ReadonlyArray<readonly [string, string]>
  readonly chunked?: number
  readonly declaredLength?: number
  readonly restDelayMs?: number
}

const rawOf = (method: string, target: string, o: Ask = {}): RawRequest => {
  const headers: Array<readonly [string, string]> = []
  if (o.token !== undefined) headers.push(["Authorization", `Bearer ${o.token}`])
  const body = o.json !== undefined ? JSON.stringify(o.json) : o.body
  if (body !== undefined) headers.push(["Content-Type", o.contentType ?? "application/json"])
  headers.push(...(o.headers ?? []))
  return {
    method,
    target,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(o.chunked === undefined ? {} : { chunked: o.chunked }),
    ...(o.declaredLength === undefined ? {} : { declaredLength: o.declaredLength }),
    ...(o.restDelayMs === undefined ? {} : { restDelayMs: o.restDelayMs }),
  }
}

/** One request on a fresh connection; a hang-up or timeout becomes a readable failure. */
const ask = async (world: World, method: string, target: string, o: Ask = {}): Promise<RawResponse> => {
  const conn = new RawConnection(world.port)
  try {
    return await conn.send(rawOf(method, target, o), { timeoutMs: HANG_MS })
  } catch (error) {
    throw new Error(
      `${method} ${excerpt(target, 120)} [${world.backend}]: ${redact(world, (error as Error).message)}`,
    )
  } finally {
    conn.close()
  }
}

const problemLine = (world: World, method: string, target: string, res: RawResponse, sent?: string) =>
  redact(
    world,
    `[${world.backend}] ${method} ${excerpt(target, 120)}${sent ? ` with ${sent}` : ""} → ${describeResponse(res)}`,
  )

/** A string a person reads: not "[object Object]", not JSON, not empty. */
const readable = (s: unknown) =>
  typeof s === "string" && s.trim().length >= 5 && !s.includes("[object") && !/^\s*[{[]/.test(s)

/** Plausibly Dutch (the API's language): a few common Dutch words. */
const dutch = (s: unknown) =>
  typeof s === "string" &&
  /\b(de|het|een|is|niet|mag|moet|tekens|sleutel|klopt|zonder|tot|en|van|geen|ongeldig)\b/i.test(s)

// ---------------------------------------------------------------------------------------------
// The suites: SQLite always, PostgreSQL when configured. Each backend and each part runs from its
// own test file (fuzz-strict-*.test.ts), so no file runs long and vitest may run them side by side.

/**
 * Against one backend, on a world of its own: share `share` of `of` of the generated requests
 * (all of them between the files that run the shares), or the named tests a–f.
 */
export const describeStrictFuzz = (
  backendName: "sqlite" | "pg",
  part: { readonly share: number; readonly of: number } | "named",
): void => {
  const backend = { name: backendName, skip: backendName === "pg" && skipPg() }
  describe.skipIf(backend.skip)(`strict fuzzing over raw keep-alive HTTP (${backend.name})`, () => {
    let world: World
    beforeAll(async () => {
      world = await setUp(backend.name)
    }, 120_000)
    afterAll(async () => {
      await world?.gateway.close()
    })

    if (part !== "named") {
      describeGenerated(part.share, part.of)
      return
    }
    describeNamed()

    function describeGenerated(share: number, of: number) {
      it(`answers share ${share} of ${of} of ${PER_ROUTE} generated requests per route within bounds, as documented, and changes nothing on failure (seed ${SEED})`, async () => {
        const { requests, all, findings } = await fuzz(world, share, of)
        expect(all.length).toBeGreaterThanOrEqual(Math.min(5_000, PER_ROUTE * 20))
        expect(requests.length).toBeGreaterThanOrEqual(Math.floor(all.length / of))
        expect(
          findings.size,
          `[${backend.name}] ${findings.size} kind(s) of violation (seed ${SEED}; one example each):\n${findings.format()}`,
        ).toBe(0)
      }, 600_000)
    }

    function describeNamed() {
      // -- a. Huge arrays of wrong items --------------------------------------------------------

      const hugeCases: ReadonlyArray<{
        readonly name: string
        readonly route: "referral" | "user" | "event"
        readonly path: ReadonlyArray<Key>
        readonly items: number
        readonly item: string
      }> = [
        { name: "reasons = 60,000 × 1", route: "referral", path: ["reasons"], items: HUGE, item: "1" },
        { name: 'reasons = 60,000 × "x"', route: "referral", path: ["reasons"], items: HUGE, item: '"x"' },
        { name: "parents = 60,000 × {}", route: "referral", path: ["parents"], items: HUGE, item: "{}" },
        {
          name: "absence.records = 60,000 × 1",
          route: "referral",
          path: ["absence", "records"],
          items: HUGE,
          item: "1",
        },
        {
          name: "reasons = 9,000 × 1 (under any value-count cap)",
          route: "referral",
          path: ["reasons"],
          items: 9_000,
          item: "1",
        },
        { name: "roles = 60,000 × 1", route: "user", path: ["roles"], items: HUGE, item: "1" },
        { name: "regions = 9,000 × 1", route: "user", path: ["regions"], items: 9_000, item: "1" },
        {
          name: 'regions = 9,000 × "x" (valid slugs, unknown regions)',
          route: "user",
          path: ["regions"],
          items: 9_000,
          item: '"x"',
        },
        { name: 'regions = 60,000 × "x"', route: "user", path: ["regions"], items: HUGE, item: '"x"' },
        {
          name: "event.attendees = 60,000 × 1",
          route: "event",
          path: ["event", "attendees"],
          items: HUGE,
          item: "1",
        },
      ]
      for (const [index, c] of hugeCases.entries()) {
        it(`a. a body with ${c.name} answers 4xx within 1,000 ms, under 64 KiB, listing at most 100 errors`, async () => {
          const array = `[${new Array(c.items).fill(c.item).join(",")}]`
          let target: string
          let token: string
          let value: unknown
          if (c.route === "referral") {
            target = "/referrals"
            token = actor(world, "referrer").token
            value = submission(world.gateway, "westland", world.organisationId)
          } else if (c.route === "user") {
            target = "/admin/users"
            token = actor(world, "admin").token
            value = {
              organisationId: world.organisationId,
              name: "Grote Lijst",
              email: `groot${index}@fuzz.example.nl`,
              roles: ["referrer"],
              regions: ["westland"],
            }
          } else {
            target = `/cases/${world.caseIds[0]}/events`
            token = actor(world, "case-worker").token
            value = { expectedVersion: 1, event: { _tag: "HomeVisitDone", on: TODAY, attendees: ["ouder"] } }
          }
          const body = withRaw(value, c.path, array)
          expect(body.length).toBeLessThan(BODY_LIMIT)
          const before = await quickFingerprint(world.gateway)
          const res = await ask(world, "POST", target, { token, body })
          const line = problemLine(world, "POST", target, res, `${c.name} (${body.length} bytes)`)
          expect(res.status, line).toBeGreaterThanOrEqual(400)
          expect(res.status, line).toBeLessThan(500)
          expect(res.ms, line).toBeLessThanOrEqual(1_000)
          expect(res.size, line).toBeLessThan(PROBLEM_MAX_BYTES)
          expect(res.headers["content-type"] ?? "", line).toMatch(/^application\/problem\+json/)
          expect((res.json?.errors ?? []).length, line).toBeLessThanOrEqual(100)
          expect(await quickFingerprint(world.gateway), `${line}: data changed`).toEqual(before)
        })
      }

      // -- b. Keep-alive after an early answer ----------------------------------------------------

      const keepAliveCases: ReadonlyArray<{
        readonly name: string
        readonly expect: number
        readonly request: (w: World) => RawRequest
      }> = [
        {
          name: "413: Content-Length 2 MiB, body sent",
          expect: 413,
          request: (w) =>
            rawOf("POST", "/referrals", {
              token: actor(w, "referrer").token,
              body: Buffer.alloc(2 * BODY_LIMIT, 0x20),
            }),
        },
        {
          name: "413: Content-Length 2 MiB, 64 KiB sent, the rest right after the answer",
          expect: 413,
          request: (w) =>
            rawOf("POST", "/referrals", {
              token: actor(w, "referrer").token,
              body: Buffer.alloc(65_536, 0x20),
              declaredLength: 2 * BODY_LIMIT,
            }),
        },
        {
          name: "413: Content-Length 2 MiB, 64 KiB sent, the rest 800 ms after the answer (slow client)",
          expect: 413,
          request: (w) =>
            rawOf("POST", "/referrals", {
              token: actor(w, "referrer").token,
              body: Buffer.alloc(65_536, 0x20),
              declaredLength: 2 * BODY_LIMIT,
              restDelayMs: 800,
            }),
        },
        {
          name: "413: chunked 1.5 MiB body",
          expect: 413,
          request: (w) =>
            rawOf("POST", "/referrals", {
              token: actor(w, "referrer").token,
              body: Buffer.alloc(1.5 * BODY_LIMIT, 0x20),
              chunked: 65_536,
            }),
        },
        {
          name: "413: chunked 5 MiB body",
          expect: 413,
          request: (w) =>
            rawOf("POST", "/referrals", {
              token: actor(w, "referrer").token,
              body: Buffer.alloc(5 * BODY_LIMIT, 0x20),
              chunked: 65_536,
            }),
        },
        {
          name: "401: no token, 200 KB body",
          expect: 401,
          request: () => rawOf("POST", "/referrals", { body: Buffer.alloc(200_000, 0x20) }),
        },
        {
          name: "401: no token, Content-Length 200 KB, 8 KB sent, the rest 800 ms after the answer",
          expect: 401,
          request: () =>
            rawOf("POST", "/referrals", {
              body: Buffer.alloc(8_192, 0x20),
              declaredLength: 200_000,
              restDelayMs: 800,
            }),
        },
        {
          name: "401: no token, chunked 200 KB body",
          expect: 401,
          request: () => rawOf("POST", "/referrals", { body: Buffer.alloc(200_000, 0x20), chunked: 8_192 }),
        },
        {
          name: "403: a referrer creating an organisation, 200 KB body",
          expect: 403,
          request: (w) =>
            rawOf("POST", "/admin/organisations", {
              token: actor(w, "referrer").token,
              body: Buffer.alloc(200_000, 0x20),
            }),
        },
        {
          name: "415: text/plain, 200 KB body",
          expect: 415,
          request: (w) =>
            rawOf("POST", "/referrals", {
              token: actor(w, "referrer").token,
              body: Buffer.alloc(200_000, 0x20),
              contentType: "text/plain",
            }),
        },
        {
          name: "415: text/plain, chunked 200 KB body",
          expect: 415,
          request: (w) =>
            rawOf("POST", "/referrals", {
              token: actor(w, "referrer").token,
              body: Buffer.alloc(200_000, 0x20),
              contentType: "text/plain",
              chunked: 8_192,
            }),
        },
      ]
      for (const c of keepAliveCases) {
        it(`b. keep-alive after ${c.name}: Connection: close, or the next request on the socket is answered`, async () => {
          const conn = new RawConnection(world.port)
          const first = c.request(world)
          try {
            const res = await conn.send(first, { timeoutMs: HANG_MS })
            const line = problemLine(world, first.method, first.target, res, c.name)
            expect(res.status, line).toBe(c.expect)
            expect(res.ms, line).toBeLessThanOrEqual(TIME_BOUND_MS)
            for (const [method, target, token] of [
              ["GET", "/health", undefined],
              ["GET", "/regions", actor(world, "case-worker").token],
            ] as const) {
              let next: RawResponse
              try {
                next = await conn.send(rawOf(method, target, { token }), { timeoutMs: 3_000 })
              } catch (error) {
                throw new Error(
                  `[${backend.name}] ${c.name}: the first answer was ${res.status}${res.close ? " with" : " WITHOUT"} Connection: close; then ${redact(world, (error as Error).message)}`,
                )
              }
              expect(
                next.status,
                `[${backend.name}] ${method} ${target} after ${c.name}: ${describeResponse(next)}`,
              ).toBe(200)
            }
          } finally {
            conn.close()
          }
        })
      }

      // -- c. No 5xx for NUL bytes, forged cursors, lone surrogates -------------------------------

      for (const [target, field] of [
        ["/audit?recordId=%00", "recordId"],
        ["/audit?requestId=%00abc", "requestId"],
        ["/audit?userId=%00", "userId"],
        ["/audit?recordId=case_%00abc&requestId=req_%00", "recordId"],
      ] as const) {
        it(`c. GET ${target} answers 422 naming ${field}, not a 5xx`, async () => {
          for (const who of [actor(world, "admin"), actor(world, "coordinator")]) {
            const res = await ask(world, "GET", target, { token: who.token })
            const line = problemLine(world, "GET", target, res, who.label)
            expect(res.status, line).toBeLessThan(500)
            expect(res.status, line).toBe(422)
            expect(JSON.stringify(res.json?.errors ?? []), line).toContain(field)
          }
        })
      }

      const cursorRoutes: ReadonlyArray<readonly [string, string, Role]> = [
        ["/cases", "/cases", "case-worker"],
        ["/referrals", "/referrals", "referrer"],
        ["/audit", "/audit", "admin"],
        ["/regions/:regionId/thuiszitters", "/regions/westland/thuiszitters", "coordinator"],
        ["/regions/:regionId/pact-risks", "/regions/westland/pact-risks", "coordinator"],
        ["/regions/:regionId/actions-due", "/regions/westland/actions-due", "coordinator"],
      ]
      for (const [route, path, role] of cursorRoutes) {
        it(`c. forged cursors on GET ${route} answer 422 naming the cursor (never 5xx, never 2xx)`, async () => {
          const failures: Array<string> = []
          const who = actor(world, role)
          const real = world.cursors.get(route)
          if (real !== undefined) {
            // The control: a real cursor still works.
            const res = await ask(world, "GET", `${path}?cursor=${encodeURIComponent(real)}`, {
              token: who.token,
            })
            if (res.status !== 200)
              failures.push(
                `${problemLine(world, "GET", `${path}?cursor=${real}`, res, who.label)}\n      (a REAL cursor)`,
              )
          }
          for (const cursor of forgedCursors(real)) {
            const target = `${path}?cursor=${encodeURIComponent(cursor)}`
            const before = await quickFingerprint(world.gateway)
            const res = await ask(world, "GET", target, { token: who.token })
            const changed = JSON.stringify(await quickFingerprint(world.gateway)) !== JSON.stringify(before)
            const decoded = Buffer.from(cursor, "base64url").toString("utf8")
            if (res.status !== 422 || !JSON.stringify(res.json?.errors ?? []).includes("cursor"))
              failures.push(
                `${problemLine(world, "GET", target, res, who.label)}\n      (the cursor decodes to ${JSON.stringify(excerpt(decoded, 80))})`,
              )
            if (res.status >= 300 && changed)
              failures.push(`${problemLine(world, "GET", target, res, who.label)}\n      and changed data`)
          }
          expect(
            failures,
            `[${backend.name}] forged cursors on ${route} (a real cursor was known to forge from: ${world.cursors.has(route)}):\n${failures.join("\n")}`,
          ).toEqual([])
        })
      }

      const surrogateCases: ReadonlyArray<{
        readonly name: string
        readonly target: (w: World) => string
        readonly role: Role
        readonly value: (w: World) => unknown
        readonly path: ReadonlyArray<Key>
      }> = [
        {
          name: "the situation of a referral",
          target: () => "/referrals",
          role: "referrer",
          value: (w) => submission(w.gateway, "westland", w.organisationId),
          path: ["situation"],
        },
        {
          name: "the pupil's given name of a referral",
          target: () => "/referrals",
          role: "referrer",
          value: (w) => submission(w.gateway, "westland", w.organisationId),
          path: ["pupil", "name", "givenName"],
        },
        {
          name: "the extension (the plug-in's free JSON: Westland's hulpvraag) of a referral",
          target: () => "/referrals",
          role: "referrer",
          value: (w) => {
            const base = submission(w.gateway, "westland", w.organisationId)
            const plugin = w.gateway.config.regions.find((r) => r.region.id === "westland")!.plugin
            return { ...base, extension: { ...(plugin.referral.exampleExtension as object), hulpvraag: "x" } }
          },
          path: ["extension", "hulpvraag"],
        },
        {
          name: "the summary of a case event",
          target: (w) => `/cases/${w.caseIds[0]}/events`,
          role: "case-worker",
          value: () => ({
            expectedVersion: 1,
            event: { _tag: "ContactLogged", on: TODAY, with: "ouder", channel: "telefoon", summary: "x" },
          }),
          path: ["event", "summary"],
        },
        {
          name: "the reason of a transition",
          target: (w) => `/cases/${w.caseIds[0]}/transitions`,
          role: "case-worker",
          value: (w) => ({
            expectedVersion: 1,
            transition: w.gateway.config.regions.find((r) => r.region.id === "westland")!.plugin.workflow
              .transitions[0]!.id,
            reason: "x",
          }),
          path: ["reason"],
        },
        {
          name: "the name of an organisation",
          target: () => "/admin/organisations",
          role: "admin",
          value: () => ({ name: "x", kind: "school" }),
          path: ["name"],
        },
      ]
      for (const c of surrogateCases) {
        it(`c. a lone surrogate "\\ud800" in ${c.name} answers 422, not a 5xx or a 2xx`, async () => {
          const target = c.target(world)
          const who = actor(world, c.role, "westland")
          let value = c.value(world)
          const caseId = /^\/cases\/([^/]+)\//.exec(target)?.[1]
          if (caseId !== undefined) {
            // The case's current version, so that only the text itself can stop the write.
            const current = await ask(world, "GET", `/cases/${caseId}`, { token: who.token })
            value = setAt(value, ["expectedVersion"], current.json?.case?.version ?? 1)
          }
          const body = withRaw(value, c.path, '"tekst \\ud800 tekst"')
          const before = await quickFingerprint(world.gateway)
          const res = await ask(world, "POST", target, { token: who.token, body })
          const line = problemLine(world, "POST", target, res, `"\\ud800" at ${pathText(c.path)}`)
          expect(res.status, line).toBeLessThan(500)
          expect(res.status, line).toBe(422)
          expect(await quickFingerprint(world.gateway), `${line}: data changed`).toEqual(before)
        })
      }

      for (const [field, value] of [
        ["email", "nul\u0000byte@fuzz.example.nl"],
        ["email", "\u0000@fuzz.example.nl"],
        ["name", "Naam\u0000Achternaam"],
      ] as const) {
        it(`c. a NUL byte in the ${field} of POST /admin/users answers 422 naming ${field}`, async () => {
          const json = {
            organisationId: world.organisationId,
            name: "Nul Byte",
            email: `nul${field}${value.length}@fuzz.example.nl`,
            roles: ["referrer"],
            regions: ["westland"],
            [field]: value,
          }
          const before = await quickFingerprint(world.gateway)
          const res = await ask(world, "POST", "/admin/users", { token: actor(world, "admin").token, json })
          const line = problemLine(world, "POST", "/admin/users", res, `${field} ${JSON.stringify(value)}`)
          expect(res.status, line).toBeLessThan(500)
          expect(res.status, line).toBe(422)
          expect(JSON.stringify(res.json?.errors ?? []), line).toContain(field)
          expect(await quickFingerprint(world.gateway), `${line}: data changed`).toEqual(before)
        })
      }

      // -- d. The rate limiter ---------------------------------------------------------------------

      describe("d. the rate limiter (5 requests per minute)", () => {
        let limited: Gateway
        let limitedWorld: World
        beforeAll(async () => {
          limited = await startGateway({ rateLimitPerMinute: 5, database: backend.name })
          limitedWorld = {
            ...world,
            gateway: limited,
            port: Number(new URL(limited.base).port),
            tokenLabels: new Map(),
          }
        }, 60_000)
        afterAll(async () => {
          await limited?.close()
        })

        const expect429 = (res: RawResponse, line: string) => {
          expect(res.status, line).toBe(429)
          expect(res.headers["retry-after"] ?? "", `${line}: Retry-After`).toMatch(/^[1-9][0-9]*$/)
          expect(res.headers["content-type"] ?? "", line).toMatch(/^application\/problem\+json/)
        }

        it("d. spelling `Authorization: Bearer <token>` differently buys no fresh budget", async () => {
          const user = await limited.user(["case-worker"], ["westland"])
          const conn = new RawConnection(limitedWorld.port)
          try {
            for (let i = 0; i < 5; i++) {
              const res = await conn.send(rawOf("GET", "/regions", { token: user.token }))
              expect(res.status, `request ${i + 1} of the budget: ${describeResponse(res)}`).toBe(200)
            }
            const failures: Array<string> = []
            for (const form of [
              `bearer ${user.token}`,
              `BEARER ${user.token}`,
              `Bearer  ${user.token}`,
              `Bearer\t${user.token}`,
              `Bearer ${user.token} `,
              `bEaReR    ${user.token}`,
            ]) {
              const res = await conn.send(rawOf("GET", "/regions", { headers: [["Authorization", form]] }))
              const shown = form.replace(user.token, "<token>")
              if (res.status !== 429 || res.headers["retry-after"] === undefined)
                failures.push(
                  `[${backend.name}] GET /regions with Authorization ${JSON.stringify(shown)} after the budget was used up → ${describeResponse(res)}`,
                )
            }
            expect(failures, failures.join("\n")).toEqual([])
          } finally {
            conn.close()
          }
        })

        it("d. /health and /ready are never 429, even after anonymous requests used up their budget", async () => {
          const conn = new RawConnection(limitedWorld.port)
          try {
            let last: RawResponse | undefined
            for (let i = 0; i < 7; i++) last = await conn.send(rawOf("GET", "/regions"))
            expect429(last!, `[${backend.name}] the 7th anonymous GET /regions: ${describeResponse(last!)}`)
            const failures: Array<string> = []
            for (let i = 0; i < 10; i++) {
              for (const path of ["/health", "/ready"]) {
                const res = await conn.send(rawOf("GET", path))
                if (res.status !== 200)
                  failures.push(`[${backend.name}] GET ${path} (#${i + 1}) → ${describeResponse(res)}`)
              }
            }
            expect(failures, failures.join("\n")).toEqual([])
          } finally {
            conn.close()
          }
        })

        it("d. varying X-Forwarded-For (and Forwarded) gives anonymous clients no fresh budget", async () => {
          const conn = new RawConnection(limitedWorld.port)
          try {
            for (let i = 0; i < 7; i++) await conn.send(rawOf("GET", "/regions"))
            const failures: Array<string> = []
            for (let i = 1; i <= 8; i++) {
              for (const header of [
                ["X-Forwarded-For", `203.0.113.${i}`],
                ["X-Forwarded-For", `198.51.100.${i}, 203.0.113.${i}`],
                ["Forwarded", `for=192.0.2.${i}`],
                ["X-Real-IP", `192.0.2.${i}`],
              ] as const) {
                const res = await conn.send(rawOf("GET", "/regions", { headers: [header] }))
                if (res.status !== 429)
                  failures.push(
                    `[${backend.name}] anonymous GET /regions with ${header[0]}: ${header[1]} after the budget was used up → ${describeResponse(res)}`,
                  )
                else expect429(res, `[${backend.name}] ${header[0]}: ${header[1]}`)
              }
            }
            expect(failures, failures.join("\n")).toEqual([])
          } finally {
            conn.close()
          }
        })

        it("d. made-up bearer tokens do not give anonymous clients endless fresh budgets", async () => {
          const conn = new RawConnection(limitedWorld.port)
          try {
            const statuses: Array<number> = []
            for (let i = 0; i < 30; i++) {
              const res = await conn.send(rawOf("GET", "/regions", { token: `verzonnen-token-${i}` }))
              statuses.push(res.status)
              if (res.status === 429) expect429(res, `[${backend.name}] made-up token ${i}`)
            }
            expect(
              statuses.slice(-10),
              `[${backend.name}] 30 requests with made-up tokens answered ${statuses.join(",")}`,
            ).toEqual(new Array(10).fill(429))
            // Guessing from an address does not lock out a real user at the same address (one NAT).
            const user = await limited.user(["case-worker"], ["westland"])
            const valid = await conn.send(rawOf("GET", "/regions", { token: user.token }))
            expect(
              valid.status,
              `[${backend.name}] a valid token after the guessing: ${describeResponse(valid)}`,
            ).toBe(200)
          } finally {
            conn.close()
          }
        })
      })

      // -- e. Idempotency-Key: readable refusals and the documented limits ------------------------

      const idempotencyParameter = (w: World) => {
        const op = (
          w.gateway.openapi.paths as Record<
            string,
            Record<string, { parameters?: Array<Record<string, unknown>> }>
          >
        )["/admin/organisations"]?.post
        return op?.parameters?.find((p) => String(p.name).toLowerCase() === "idempotency-key") as
          | { schema?: { minLength?: number; maxLength?: number; pattern?: string } }
          | undefined
      }

      it("e. an invalid Idempotency-Key answers 422 with a readable Dutch detail", async () => {
        const admin = await world.gateway.user(["admin"], [...REGIONS], {
          organisation: "Sleutelorganisatie",
        })
        const max = idempotencyParameter(world)?.schema?.maxLength ?? 255
        const failures: Array<string> = []
        for (const key of ["sleutel met spaties", "x".repeat(max + 1), "tab\tsleutel", "sleutel-é-ü", ""]) {
          const before = await quickFingerprint(world.gateway)
          const res = await ask(world, "POST", "/admin/organisations", {
            token: admin.token,
            json: { name: `Sleutel ${key.length}`, kind: "school" },
            headers: [["Idempotency-Key", key]],
          })
          const shown = key.length > 30 ? `${key.slice(0, 10)}…(${key.length} chars)` : key
          const line = `[${backend.name}] POST /admin/organisations with Idempotency-Key ${JSON.stringify(shown)} → ${describeResponse(res)}`
          const details = [
            res.json?.detail,
            ...(res.json?.errors ?? []).map((e: { detail?: unknown }) => e.detail),
          ]
          if (res.status !== 422) failures.push(`${line}\n      expected 422`)
          else if (!readable(res.json?.detail) || !dutch(res.json?.detail))
            failures.push(
              `${line}\n      detail ${JSON.stringify(res.json?.detail)} is not a readable Dutch sentence`,
            )
          else if (details.some((d) => d !== undefined && !readable(d)))
            failures.push(`${line}\n      an error detail is not readable: ${JSON.stringify(details)}`)
          if (JSON.stringify(await quickFingerprint(world.gateway)) !== JSON.stringify(before))
            failures.push(`${line}\n      data changed`)
        }
        expect(failures, failures.join("\n")).toEqual([])
      })

      it("e. keys at the documented minimum and maximum length are accepted; one shorter or longer is 422", async () => {
        const admin = await world.gateway.user(["admin"], [...REGIONS], {
          organisation: "Sleutelorganisatie",
        })
        const param = idempotencyParameter(world)
        expect(
          param,
          `[${backend.name}] POST /admin/organisations documents no Idempotency-Key header`,
        ).toBeDefined()
        const min = param?.schema?.minLength
        const max = param?.schema?.maxLength
        expect(
          min,
          `[${backend.name}] the Idempotency-Key has no documented minLength: ${JSON.stringify(param)}`,
        ).toBeTypeOf("number")
        expect(
          max,
          `[${backend.name}] the Idempotency-Key has no documented maxLength: ${JSON.stringify(param)}`,
        ).toBeTypeOf("number")
        const pattern = param?.schema?.pattern === undefined ? undefined : new RegExp(param.schema.pattern)
        const keyOf = (length: number, seed: string) => {
          const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
          let s = seed
          while (s.length < length) s += alphabet[(s.length * 7 + seed.length) % alphabet.length]
          return s.slice(0, length)
        }
        const failures: Array<string> = []
        const cases: Array<readonly [string, string, number]> = [
          ["the documented minimum", keyOf(min as number, "m"), 201],
          ["the documented maximum", keyOf(max as number, "M"), 201],
          ["one over the documented maximum", keyOf((max as number) + 1, "o"), 422],
        ]
        if ((min as number) > 1)
          cases.push(["one under the documented minimum", keyOf((min as number) - 1, "u"), 422])
        else cases.push(["empty (under the documented minimum of 1)", "", 422])
        if (pattern !== undefined)
          cases.push([
            "against the documented pattern (a space inside)",
            `${keyOf(Math.max(3, min as number), "p")} x`.slice(-(max as number)),
            422,
          ])
        for (const [name, key, expected] of cases) {
          if (pattern !== undefined && expected === 201 && !pattern.test(key)) continue
          const res = await ask(world, "POST", "/admin/organisations", {
            token: admin.token,
            json: { name: `Sleutellengte ${name}`, kind: "school" },
            headers: [["Idempotency-Key", key]],
          })
          if (res.status !== expected)
            failures.push(
              `[${backend.name}] Idempotency-Key ${name} (${key.length} chars; documented ${min}–${max}${pattern ? `, pattern ${pattern.source}` : ""}) → ${describeResponse(res)}; expected ${expected}`,
            )
          if (expected === 201 && res.status === 201) {
            const replay = await ask(world, "POST", "/admin/organisations", {
              token: admin.token,
              json: { name: `Sleutellengte ${name}`, kind: "school" },
              headers: [["Idempotency-Key", key]],
            })
            if (replay.status !== 201 || replay.headers["idempotent-replayed"] !== "true")
              failures.push(
                `[${backend.name}] replaying the key at ${name} → ${describeResponse(replay)}; expected the first 201, replayed`,
              )
          }
        }
        expect(failures, failures.join("\n")).toEqual([])
      })

      // -- New findings of this fuzzer (not among a–f) ------------------------------------------------

      for (const c of [
        {
          target: "/admin/organisations",
          role: "admin" as Role,
          value: { name: "x", kind: "school" },
          path: ["kind"],
        },
        {
          target: "/admin/users",
          role: "admin" as Role,
          value: {
            organisationId: "org_0000000000",
            name: "x",
            email: "a@b.nl",
            roles: ["referrer"],
            regions: ["westland"],
          },
          path: ["roles", 0],
        },
        {
          target: "/cases/:caseId/events",
          role: "case-worker" as Role,
          value: {
            expectedVersion: 1,
            event: { _tag: "ContactLogged", on: TODAY, with: "ouder", channel: "telefoon" },
          },
          path: ["event", "with"],
        },
      ]) {
        it(`new: a 422 for a 100 KB value in ${pathText(c.path)} of POST ${c.target} does not echo it (problem under 64 KiB)`, async () => {
          const target = c.target.replace(":caseId", world.caseIds[0] as string)
          const body = JSON.stringify(setAt(c.value, c.path, "x".repeat(100_000)))
          const res = await ask(world, "POST", target, { token: actor(world, c.role).token, body })
          const line = problemLine(
            world,
            "POST",
            target,
            res,
            `a 100,000-character string at ${pathText(c.path)}`,
          )
          expect(res.status, line).toBe(422)
          expect(res.size, line).toBeLessThan(PROBLEM_MAX_BYTES)
        })
      }

      it("new: a body over the limit on DELETE /admin/tokens/:tokenId answers a status the OpenAPI document lists", async () => {
        const documented = Object.keys(
          (world.gateway.openapi.paths as Record<string, Record<string, { responses: object }>>)[
            "/admin/tokens/{tokenId}"
          ]?.delete?.responses ?? {},
        ).map(Number)
        const target = `/admin/tokens/${world.victimTokenIds[0]}`
        const res = await ask(world, "DELETE", target, {
          token: actor(world, "admin").token,
          body: Buffer.alloc(BODY_LIMIT + 10, 0x20),
        })
        expect(
          documented,
          problemLine(
            world,
            "DELETE",
            target,
            res,
            `a ${BODY_LIMIT + 10}-byte body; documented ${documented.join(", ")}`,
          ),
        ).toContain(res.status)
      })

      // -- f. Users in regions the installation does not run --------------------------------------

      for (const regions of [["atlantis"], ["westland", "atlantis"]]) {
        it(`f. POST /admin/users with regions ${JSON.stringify(regions)} answers 422 naming the field`, async () => {
          const json = {
            organisationId: world.organisationId,
            name: "Onbekende Regio",
            email: `atlantis${regions.length}@fuzz.example.nl`,
            roles: ["case-worker"],
            regions,
          }
          const before = await quickFingerprint(world.gateway)
          const res = await ask(world, "POST", "/admin/users", { token: actor(world, "admin").token, json })
          const line = problemLine(world, "POST", "/admin/users", res, `regions ${JSON.stringify(regions)}`)
          expect(res.status, line).toBe(422)
          const paths = (res.json?.errors ?? []).map((e: { path?: string }) => e.path ?? "")
          expect(
            paths.some((p: string) => p.startsWith("regions")),
            `${line}\n      errors name ${JSON.stringify(paths)}, not regions`,
          ).toBe(true)
          expect(await quickFingerprint(world.gateway), `${line}: data changed`).toEqual(before)
        })
      }
    }
  })
}
