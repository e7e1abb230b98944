/**
 * Every route fuzzed over real HTTP with inputs generated from its own schemas and with malformed
 * ones: wrong types, huge strings, deep nesting, unknown fields, broken JSON, wrong content types,
 * junk path parameters and tokens. No response may be a 5xx, every error must be a problem+json
 * matching its status, and no request may change data unless it answers 2xx.
 *
 * fuzz-routes-{1,2,3,4}.test.ts send one share each of the generated requests (every fourth one),
 * each on a gateway of its own, so no file runs long.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { encodedSamples, mulberry } from "./fuzz.js"
import { type Gateway, quickFingerprint, referrerOf, startGateway, TODAY } from "./gateway.js"

const SEED = Number(process.env.FUZZ_SEED ?? 20261123)
const PER_ROUTE = Number(process.env.FUZZ_PER_ROUTE ?? 480)
const CONCURRENCY = 8

let gateway: Gateway
const tokens: Array<string | undefined> = [undefined, "nonsense", `vrt_0000000000000000_${"A".repeat(43)}`]
const caseIds: Array<string> = []
const referralIds: Array<string> = []

const setUp = async () => {
  gateway = await startGateway()
  const regions = ["westland", "leidschendam-voorburg", "amstelland-meerlanden"]
  for (const role of ["referrer", "case-worker", "coordinator", "admin"] as const) {
    const user = await gateway.user([role], regions, {
      organisation: "Fuzzorganisatie",
      partyRole: "coordinator-passend-onderwijs",
    })
    tokens.push(user.token)
    if (role === "referrer") {
      for (const regionId of regions) {
        const plugin = gateway.config.regions.find((r) => r.region.id === regionId)!.plugin
        const base = Fixtures.referralFor(plugin, { on: TODAY })
        const body = {
          ...base,
          regionId,
          referrer: referrerOf(user),
        } as Referral.ReferralSubmission
        const reply = await gateway.request("POST", "/referrals", { token: user.token, body })
        expect(reply.status, reply.text).toBe(201)
        caseIds.push(reply.json.caseId)
        referralIds.push(reply.json.referralId)
      }
    }
  }
}

interface FuzzRequest {
  readonly method: string
  readonly path: string
  readonly token: string | undefined
  readonly rawBody?: string
  readonly contentType?: string
  readonly headers?: Record<string, string>
}

const junkStrings = [
  "",
  " ",
  "../../etc/passwd",
  "%00%ff%2e%2e",
  "case_",
  "x".repeat(5000),
  "☃️𝒳\u0000\u0007",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "1e309",
  "NaN",
  "-0",
]

const deep = (depth: number, leaf: string) => `${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`

/** Mutations of a valid JSON value: the shapes a careless or hostile client sends. */
const mutations = (valid: unknown, rand: () => number): Array<{ body: string; contentType?: string }> => {
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(rand() * xs.length)] as A
  const asObject =
    typeof valid === "object" && valid !== null && !Array.isArray(valid)
      ? (valid as Record<string, unknown>)
      : {}
  const keys = Object.keys(asObject)
  const key = keys.length > 0 ? pick(keys) : "x"
  return [
    { body: JSON.stringify(valid) },
    { body: JSON.stringify({ ...asObject, [key]: pick([null, 42, true, "", [], {}, "x".repeat(100_000)]) }) },
    { body: JSON.stringify({ ...asObject, onbekendVeld: 1 }) },
    { body: JSON.stringify(Object.fromEntries(Object.entries(asObject).filter(([k]) => k !== key))) },
    { body: JSON.stringify({ ...asObject, [key]: JSON.parse(deep(Math.floor(40 + rand() * 200), "1")) }) },
    { body: deep(Math.floor(500 + rand() * 4500), "0") },
    { body: JSON.stringify(valid).slice(0, Math.max(1, Math.floor(rand() * JSON.stringify(valid).length))) },
    { body: pick(junkStrings) },
    { body: "null" },
    { body: JSON.stringify([valid]) },
    {
      body: JSON.stringify(valid),
      contentType: pick(["text/plain", "application/x-www-form-urlencoded", "", "application/jsonx"]),
    },
    { body: JSON.stringify({ __proto__: { polluted: true }, ...asObject, constructor: { prototype: {} } }) },
  ]
}

const generate = (): Array<FuzzRequest> => {
  const rand = mulberry(SEED)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(rand() * xs.length)] as A
  const out: Array<FuzzRequest> = []
  for (const { spec } of gateway.routes) {
    const bodies = encodedSamples(spec.body, 40, SEED)
    const queries = encodedSamples<Record<string, string | ReadonlyArray<string>>>(spec.query, 40, SEED)
    for (let i = 0; i < PER_ROUTE; i++) {
      const path = spec.path.replace(/:(\w+)/g, (_, name: string) => {
        const real =
          name === "caseId"
            ? caseIds
            : name === "referralId"
              ? referralIds
              : name === "regionId"
                ? ["westland", "amstelland-meerlanden"]
                : []
        return encodeURIComponent(
          rand() < 0.6 && real.length > 0
            ? pick(real)
            : pick([...junkStrings.filter((s) => s !== ""), "case_00000000000000", "westland"]),
        )
      })
      let search = ""
      if (queries.length > 0 && rand() < 0.8) {
        const q = pick(queries)
        const params = new URLSearchParams()
        for (const [k, v] of Object.entries(q))
          for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item))
        if (rand() < 0.3)
          params.append(pick(["limit", "cursor", "open", "status", "onbekend"]), pick(junkStrings))
        search = `?${params.toString()}`
      }
      const token = pick(tokens)
      const headers: Record<string, string> = {}
      if (spec.idempotent && rand() < 0.3)
        headers["idempotency-key"] = pick(["fuzz-key-0001", "k", "x".repeat(300), "sleutel met spaties"])
      if (spec.body === undefined) {
        out.push({ method: spec.method.toUpperCase(), path: `${path}${search}`, token, headers })
      } else {
        const valid = bodies.length > 0 ? pick(bodies) : {}
        const m = pick(mutations(valid, rand))
        out.push({
          method: spec.method.toUpperCase(),
          path: `${path}${search}`,
          token,
          rawBody: m.body,
          contentType: m.contentType ?? "application/json",
          headers,
        })
      }
    }
  }
  return out
}

/** Words of Effect's and Node's own (English) messages that must not reach a problem document. */
const ENGLISH =
  /\b(Expected|expected|actual|is missing|is required|is unexpected|Unable|must|should|invalid|not found)\b/

/** Share `share` of `of` of the generated requests: every `of`-th, starting at `share - 1`. */
export const describeRouteFuzz = (share: number, of: number): void => {
  beforeAll(setUp)
  afterAll(async () => {
    await gateway?.close()
  })
  describe("fuzzing every route", () => {
    it(`answers share ${share} of ${of} of ${PER_ROUTE} generated requests per route without a 5xx or a change on failure (seed ${SEED})`, async () => {
      const all = generate()
      expect(all.length).toBeGreaterThanOrEqual(10_000)
      const requests = all.filter((_, i) => i % of === share - 1)
      const started = Date.now()
      const statuses = new Map<number, number>()
      const failures: Array<string> = []
      // Row counts and the sums that see updates (a case's version, a revoked token), one query.
      let before = await quickFingerprint(gateway)
      for (let i = 0; i < requests.length; i += CONCURRENCY) {
        const batch = requests.slice(i, i + CONCURRENCY)
        const replies = await Promise.all(
          batch.map((r) =>
            gateway.request(r.method, r.path, {
              token: r.token,
              ...(r.rawBody === undefined ? {} : { rawBody: r.rawBody }),
              headers: {
                ...r.headers,
                ...(r.contentType === undefined ? {} : { "content-type": r.contentType }),
              },
            }),
          ),
        )
        let anySuccess = false
        replies.forEach((reply, j) => {
          const r = batch[j]!
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
          if (reply.status < 300) anySuccess = true
          const where = `${r.method} ${r.path.slice(0, 120)} (${r.rawBody?.slice(0, 80) ?? ""})`
          if (reply.status >= 500) failures.push(`${reply.status} ${where}: ${reply.text.slice(0, 200)}`)
          if (reply.headers.get("x-request-id") === null) failures.push(`no request id: ${where}`)
          if (reply.status >= 400) {
            if (
              reply.headers.get("content-type") !== "application/problem+json" ||
              reply.json?.status !== reply.status
            ) {
              failures.push(`not a problem+json ${reply.status}: ${where}: ${reply.text.slice(0, 200)}`)
            }
            // What a person reads is Dutch (issue 12, point 5): title, detail and every field error.
            const read = [
              reply.json?.title,
              reply.json?.detail,
              ...(Array.isArray(reply.json?.errors)
                ? reply.json.errors.map((e: { detail?: unknown }) => e.detail)
                : []),
            ].filter((t): t is string => typeof t === "string")
            const english = read.find((t) => ENGLISH.test(t))
            if (english !== undefined)
              failures.push(`English in a ${reply.status}: ${where}: ${english.slice(0, 200)}`)
          }
        })
        const after = await quickFingerprint(gateway)
        if (!anySuccess && JSON.stringify(after) !== JSON.stringify(before)) {
          failures.push(
            `data changed by failing requests: ${batch.map((r) => `${r.method} ${r.path.slice(0, 80)}`).join(" | ")}`,
          )
        }
        before = after
        if (failures.length > 20) break
      }
      const summary = [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")
      process.stdout.write(
        `fuzz (share ${share} of ${of}): ${requests.length} of ${all.length} requests in ${Date.now() - started} ms, seed ${SEED}: ${summary}\n`,
      )
      expect(failures).toEqual([])
      expect([...statuses.keys()].some((s) => s >= 500)).toBe(false)
    }, 300_000)
  })
}
