/**
 * The contract an integrator relies on: problem+json for every error with the right status and
 * shape, idempotency keys (replay, 422, 409), optimistic concurrency (409 with the current
 * version), hygiene headers, logs without personal data, and an OpenAPI 3.1 document that
 * validates and lists every route.
 */
import { Validator } from "@seriousme/openapi-schema-validator"
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { Database, Idempotency } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, type Reply, referrerOf, startGateway, TODAY } from "./support/gateway.js"

const REGION = "amstelland-meerlanden"
let gateway: Gateway
let referrer: Awaited<ReturnType<Gateway["user"]>>
let worker: Awaited<ReturnType<Gateway["user"]>>

const submission = (patch: Record<string, unknown> = {}): Referral.ReferralSubmission => {
  const plugin = gateway.config.regions.find((r) => r.region.id === REGION)!.plugin
  const base = Fixtures.referralFor(plugin, { on: TODAY })
  return {
    ...base,
    regionId: REGION,
    referrer: referrerOf(referrer),
    ...patch,
  } as Referral.ReferralSubmission
}

const expectProblem = (reply: Reply, status: number, type?: string) => {
  expect(reply.status, reply.text).toBe(status)
  expect(reply.headers.get("content-type")).toBe("application/problem+json")
  expect(reply.headers.get("cache-control")).toBe("no-store")
  expect(reply.json).toMatchObject({
    status,
    title: expect.any(String),
    type: expect.stringMatching(/^https:\/\//),
  })
  expect(reply.json.requestId).toBe(reply.headers.get("x-request-id"))
  if (type !== undefined) expect(reply.json.type).toBe(`https://verzuimregie.nl/problems/${type}`)
  expect(reply.text).not.toMatch(/at .+\.(js|ts):\d+|SELECT|INSERT|sqlite|Error:/i)
}

beforeAll(async () => {
  gateway = await startGateway({ bodyLimitBytes: 64 * 1024 })
  referrer = await gateway.user(["referrer"], [REGION], {
    organisation: "Contractschool",
    partyRole: "coordinator-passend-onderwijs",
  })
  worker = await gateway.user(["case-worker"], [REGION], {
    organisation: "Regioloket",
    partyRole: "casemanager-swv",
  })
})
afterAll(async () => {
  await gateway.close()
})

describe("problem+json for every error", () => {
  it("431 for headers over Node's 16 KiB, answered before the app by the clientError handler", async () => {
    const reply = await fetch(`${gateway.base}/regions`, { headers: { "x-padding": "x".repeat(20_000) } })
    expect(reply.status).toBe(431)
    expect(reply.headers.get("content-type")).toBe("application/problem+json")
    expect(reply.headers.get("connection")).toBe("close")
    const requestId = reply.headers.get("x-request-id")
    expect(requestId).toMatch(/^req_/)
    expect(await reply.json()).toMatchObject({
      status: 431,
      requestId,
      type: expect.stringContaining("header"),
    })
  })

  it("400 on malformed JSON names a line and column, never a part of the body", async () => {
    const cases = [
      // V8's message quotes the body itself here ("Unexpected token 'G', …").
      {
        rawBody: '{"pupil": {"name": Geheimnaam Vriesema, "bsn": "999999990"}}',
        detail: "regel 1, kolom 20",
      },
      { rawBody: "Geheimnaam Vriesema 999999990", detail: "regel 1, kolom 1" },
      {
        rawBody: '{\n  "situation": "Geheimnaam Vriesema",\n  "bsn": 999999990 x\n}',
        detail: "regel 3, kolom 20",
      },
      { rawBody: '{"situation": "Geheimnaam Vriesema 999999990', detail: "houdt te vroeg op" },
    ]
    for (const { rawBody, detail } of cases) {
      const reply = await gateway.request("POST", "/referrals", {
        token: referrer.token,
        rawBody,
        headers: { "content-type": "application/json" },
      })
      expectProblem(reply, 400, "malformed-request")
      expect(reply.json.detail).toContain(detail)
      for (const secret of ["Geheim", "Vries", "999999990"]) expect(reply.text).not.toContain(secret)
    }
  })

  it("400 on malformed JSON, 415 on another content type, 413 on a body over the limit", async () => {
    expectProblem(
      await gateway.request("POST", "/referrals", {
        token: referrer.token,
        rawBody: '{"regionId":',
        headers: { "content-type": "application/json" },
      }),
      400,
      "malformed-request",
    )
    expectProblem(
      await gateway.request("POST", "/referrals", {
        token: referrer.token,
        rawBody: "regionId=x",
        headers: { "content-type": "text/plain" },
      }),
      415,
    )
    const huge = JSON.stringify({ ...submission(), situation: "x".repeat(70 * 1024) })
    expectProblem(
      await gateway.request("POST", "/referrals", {
        token: referrer.token,
        rawBody: huge,
        headers: { "content-type": "application/json" },
      }),
      413,
    )
    const deep = `${"[".repeat(500)}${"]".repeat(500)}`
    expectProblem(
      await gateway.request("POST", "/referrals", {
        token: referrer.token,
        rawBody: deep,
        headers: { "content-type": "application/json" },
      }),
      400,
    )
  })

  it("refuses a text over 20,000 characters and more than 10,000 JSON values before validating them", async () => {
    const long = await gateway.request("POST", "/referrals", {
      token: referrer.token,
      body: { ...submission(), pupil: { ...submission().pupil, notes: ["x".repeat(20_001)] } },
    })
    expectProblem(long, 422)
    expect(long.json.errors).toEqual([
      { path: "pupil.notes[0]", pointer: "/pupil/notes/0", detail: "hoogstens 20000 tekens" },
    ])
    expect(long.text.length).toBeLessThan(1_000)
    const many = await gateway.request("POST", "/referrals", {
      token: referrer.token,
      body: { ...submission(), reasons: new Array(10_001).fill("x") },
    })
    expectProblem(many, 413)
    expect(many.json.detail).toBe("JSON met meer dan 10.000 waarden.")
  })

  it("422 lists every field at fault with its path and JSON pointer, unknown fields included", async () => {
    const bad = {
      ...submission(),
      pupil: { ...submission().pupil, birthDate: "14-03-2011" },
      reasons: [],
      pupill: "typo",
    }
    const reply = await gateway.request("POST", "/referrals", { token: referrer.token, body: bad })
    expectProblem(reply, 422, "validation-failed")
    const paths = reply.json.errors.map((e: { path: string }) => e.path)
    expect(paths).toEqual(expect.arrayContaining(["pupil.birthDate", "pupill"]))
    expect(paths.some((p: string) => p.startsWith("reasons"))).toBe(true)
    expect(reply.json.errors.find((e: { path: string }) => e.path === "pupil.birthDate")).toEqual({
      path: "pupil.birthDate",
      pointer: "/pupil/birthDate",
      detail: "verwacht een bestaande datum (jjjj-mm-dd)",
    })
  })

  it("422 with the region's own reasons when its plug-in refuses a referral", async () => {
    const reply = await gateway.request("POST", "/referrals", {
      token: referrer.token,
      body: submission({ absence: { since: TODAY, records: [] } }),
    })
    expectProblem(reply, 422, "referral-refused")
    expect(reply.json.errors).toContainEqual({
      path: "absence.since",
      pointer: "/absence/since",
      detail: "langdurig verzuim is een maand of langer thuis; nog geen maand",
    })
  })

  it("401, 403 and 404", async () => {
    expectProblem(await gateway.request("GET", "/cases"), 401, "unauthenticated")
    expectProblem(await gateway.request("GET", "/cases", { token: referrer.token }), 403, "forbidden")
    expectProblem(
      await gateway.request("GET", "/cases/case_doesnotexist000", { token: worker.token }),
      404,
      "not-found",
    )
    expectProblem(await gateway.request("GET", "/nergens", { token: worker.token }), 404)
  })

  it("409 on a stale version, with the current version", async () => {
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body: submission() })
    const path = `/cases/${created.json.caseId}/events`
    const first = await gateway.request("POST", path, {
      token: worker.token,
      body: { expectedVersion: 1, event: { _tag: "ParentsInformed", on: TODAY } },
    })
    expect(first.status).toBe(201)
    const stale = await gateway.request("POST", path, {
      token: worker.token,
      body: { expectedVersion: 1, event: { _tag: "ParentsInformed", on: TODAY } },
    })
    expectProblem(stale, 409)
    expect(stale.json.currentVersion).toBe(2)
  })

  it("429 with Retry-After when a token exceeds its rate", async () => {
    const limited = await startGateway({ rateLimitPerMinute: 5 })
    try {
      const user = await limited.user(["coordinator"], [REGION])
      const statuses: Array<number> = []
      let last: Reply | undefined
      for (let i = 0; i < 7; i++) {
        last = await limited.request("GET", "/regions", { token: user.token })
        statuses.push(last.status)
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
      expectProblem(last!, 429, "too-many-requests")
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0)
    } finally {
      await limited.close()
    }
  })
})

describe("case detail", () => {
  it("shows the national rules that fire, with the consent as the case holds it now", async () => {
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body: submission() })
    const detail = await gateway.request("GET", `/cases/${created.json.caseId}`, { token: worker.token })
    expect(detail.status).toBe(200)
    expect(detail.json.signals.rules).toContainEqual({
      rule: "thuiszitter",
      severity: "waarschuwing",
      message: "Thuiszitter, categorie 2a: langdurig relatief verzuim, meer dan 4 weken tot en met 3 maanden",
    })
    expect(detail.json.signals.rules.some((r: { rule: string }) => r.rule === "toestemming")).toBe(false)
    expect(
      detail.json.transitions.map((t: { id: string; allowed: boolean; reasons: Array<string> }) => [
        t.id,
        t.allowed,
        t.reasons,
      ]),
    ).toEqual([
      ["registreer-beperkt", false, ["de school deed een uitgebreide melding, geen beperkte"]],
      ["start-uitgebreid", false, ["nog geen regiehouder"]],
      ["intrekken", false, ["alleen een coördinator mag deze stap zetten"]],
    ])
    expect(detail.json.deadlines.map((d: { id: string }) => d.id)).toContain("kwartaalbespreking")
  })

  it("lists each step once for a user with two roles, allowed when either role may take it", async () => {
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body: submission() })
    const both = await gateway.user(["case-worker", "coordinator"], [REGION])
    const listed = await gateway.request("GET", `/cases/${created.json.caseId}/transitions`, {
      token: both.token,
    })
    expect(listed.status).toBe(200)
    const pairs = listed.json.map((t: { id: string; allowed: boolean }) => [t.id, t.allowed])
    expect(new Set(pairs.map(([id]: [string]) => id)).size).toBe(pairs.length)
    // "intrekken" is refused to a case worker alone; the coordinator role may take it.
    expect(pairs).toContainEqual(["intrekken", true])
  })
})

describe("Idempotency-Key on creating POSTs", () => {
  it("replays the first response for the same key and body, and creates nothing new", async () => {
    const body = submission()
    const headers = { "idempotency-key": "aanmelding-0001-abcdef" }
    const first = await gateway.request("POST", "/referrals", { token: referrer.token, body, headers })
    expect(first.status).toBe(201)
    const before = (await gateway.request("GET", "/referrals?limit=500", { token: referrer.token })).json
      .items.length
    const again = await gateway.request("POST", "/referrals", { token: referrer.token, body, headers })
    expect(again.status).toBe(201)
    expect(again.json).toEqual(first.json)
    expect(again.headers.get("idempotent-replayed")).toBe("true")
    const after = (await gateway.request("GET", "/referrals?limit=500", { token: referrer.token })).json.items
      .length
    expect(after).toBe(before)
  })

  it("refuses the same key with another body (422), and keys are per user", async () => {
    const headers = { "idempotency-key": "aanmelding-0002-abcdef" }
    expect(
      (await gateway.request("POST", "/referrals", { token: referrer.token, body: submission(), headers }))
        .status,
    ).toBe(201)
    const other = await gateway.request("POST", "/referrals", {
      token: referrer.token,
      body: submission({ situation: "Een andere aanmelding" }),
      headers,
    })
    expectProblem(other, 422, "idempotency-key-reused")
    const colleague = await gateway.user(["referrer"], [REGION], {
      organisation: "Contractschool",
      partyRole: "mentor",
    })
    const theirs = await gateway.request("POST", "/referrals", {
      token: colleague.token,
      body: submission({ referrer: referrerOf(colleague) }),
      headers,
    })
    expect(theirs.status).toBe(201)
  })

  it("answers 409 while a request with that key is still running", async () => {
    const body = submission()
    const key = "aanmelding-0003-abcdef"
    await gateway.runtime.runPromise(
      Effect.flatMap(Idempotency.Idempotency, (i) =>
        i.begin({
          clientId: referrer.id,
          key,
          fingerprint: Idempotency.fingerprint("POST", "/referrals", JSON.stringify(body)),
        }),
      ),
    )
    const reply = await gateway.request("POST", "/referrals", {
      token: referrer.token,
      body,
      headers: { "idempotency-key": key },
    })
    expectProblem(reply, 409, "idempotency-key-in-progress")
  })
})

describe("hygiene", () => {
  it("sets security headers, no-store and a request id on every response, and honours a sane incoming request id", async () => {
    const reply = await gateway.request("GET", "/regions", {
      token: worker.token,
      headers: { "x-request-id": "client-trace-12345" },
    })
    expect(reply.headers.get("x-request-id")).toBe("client-trace-12345")
    expect(reply.headers.get("cache-control")).toBe("no-store")
    expect(reply.headers.get("x-content-type-options")).toBe("nosniff")
    expect(reply.headers.get("content-security-policy")).toContain("default-src 'none'")
    const weird = await gateway.request("GET", "/regions", {
      token: worker.token,
      headers: { "x-request-id": "<script>" },
    })
    expect(weird.headers.get("x-request-id")).toMatch(/^req_/)
  })

  it("logs one structured line per request, with the route pattern and no personal data", async () => {
    const body = submission()
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body })
    await gateway.request("GET", `/cases/${created.json.caseId}`, { token: worker.token })
    const lines = gateway.logs.map((l) => JSON.stringify(l))
    const pupil = body.pupil
    for (const secret of [pupil.name.givenName, pupil.name.familyName, pupil.birthDate, referrer.token]) {
      expect(
        lines.some((l) => l.includes(secret)),
        secret,
      ).toBe(false)
    }
    const line = gateway.logs.findLast((l) => l.route === "/cases/:caseId")
    expect(line).toMatchObject({
      level: "info",
      method: "GET",
      status: 200,
      user: worker.id,
      requestId: expect.any(String),
    })
  })
})

describe("OpenAPI", () => {
  it("validates as OpenAPI 3.1 and lists every route", async () => {
    const reply = await gateway.request("GET", "/openapi.json")
    expect(reply.status).toBe(200)
    expect(reply.json.openapi).toBe("3.1.0")
    const result = await new Validator().validate(reply.json)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    const documented = Object.entries(reply.json.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    )
    const routes = gateway.routes.map(
      (r) => `${r.spec.method.toUpperCase()} ${r.spec.path.replace(/:(\w+)/g, "{$1}")}`,
    )
    expect(documented.sort()).toEqual([...routes].sort())
    // Plug-ins' own routes are route specs too, under their region, with their answer's schema:
    // Amstelland's meldformulier (SWV Amstelland en de Meerlanden, "Verzuim").
    expect(routes).toContain("GET /regions/amstelland-meerlanden/plugin/meldformulier")
    const meldformulier = reply.json.paths["/regions/amstelland-meerlanden/plugin/meldformulier"].get
    expect(meldformulier.tags).toEqual(["Regio-plug-ins"])
    expect(meldformulier.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/AmstellandMeldformulier",
    })
    expect(reply.json.components.schemas.ReferralSubmission).toBeDefined()
  })

  it("serves the reference at /docs from the gateway itself, under its own CSP; the API keeps default-src 'none'", async () => {
    const docs = await fetch(`${gateway.base}/docs`)
    expect(docs.headers.get("content-type")).toContain("text/html")
    const html = await docs.text()
    const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1])
    expect(scripts).toEqual(["/docs/scalar.js", "/docs/reference.js"])
    expect(html).not.toMatch(/https?:\/\//)
    const csp = docs.headers.get("content-security-policy") ?? ""
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).not.toContain("unsafe-eval")
    for (const script of scripts) {
      const reply = await fetch(`${gateway.base}${script}`)
      expect(reply.status).toBe(200)
      expect(reply.headers.get("content-type")).toContain("text/javascript")
    }
    const setup = await (await fetch(`${gateway.base}/docs/reference.js`)).text()
    expect(setup).toContain('"url":"/openapi.json"')
    expect(setup).toContain('"telemetry":false')
    const api = await fetch(`${gateway.base}/regions`)
    expect(api.headers.get("content-security-policy")).not.toContain("script-src")
  })
})

describe("a database outage", () => {
  it("answers 503, not 401, when the accounts cannot be read, and does not count as a failed login", async () => {
    const broken = await startGateway({ rateLimitPerMinute: 5 })
    try {
      const user = await broken.user(["case-worker"], [REGION])
      // The accounts table gone: every token lookup fails the way an unreachable database does.
      await broken.runtime.runPromise(
        Effect.flatMap(Database.Database, (db) =>
          db.sql.unsafe("ALTER TABLE api_tokens RENAME TO api_tokens_weg"),
        ),
      )
      const statuses: Array<number> = []
      for (let i = 0; i < 12; i++) {
        const reply = await broken.request("GET", "/regions", {
          token: `${user.token.slice(0, -1)}${i % 10}`,
        })
        statuses.push(reply.status)
        if (reply.status === 503) expect(reply.json.detail).toBe("De database is niet bereikbaar.")
      }
      // Ten different tokens, past the failed-login budget (10) if outages counted as failures.
      expect(statuses.every((s) => s === 503)).toBe(true)
      const plugin = await broken.request("GET", `/regions/${REGION}/plugin/meldformulier`, {
        token: user.token,
      })
      expect(plugin.status).toBe(503)
    } finally {
      await broken.close()
    }
  })
})

describe("plug-in routes", () => {
  it("refuse a caller without a token like every route, and log the route pattern, not the URL", async () => {
    const anonymous = await gateway.request("GET", `/regions/${REGION}/plugin/meldformulier`)
    expectProblem(anonymous, 401)
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="verzuimregie"')
    const served = await gateway.request("GET", `/regions/${REGION}/plugin/meldformulier?x=leerling`, {
      token: worker.token,
    })
    expect(served.status).toBe(200)
    const line = gateway.logs.find((l) => l.requestId === served.headers.get("x-request-id"))
    expect(line?.route).toBe(`/regions/${REGION}/plugin/meldformulier`)
  })
})

describe("a referrer's own referrals", () => {
  it("shows a referral's status to whoever submitted it, not to a colleague, and a miss leaves no trace", async () => {
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body: submission() })
    expect(created.status).toBe(201)
    const colleague = await gateway.user(["referrer"], [REGION], { organisation: "Contractschool" })
    const auditRows = () =>
      gateway.runtime.runPromise(
        Effect.flatMap(Database.Database, (db) =>
          db.sql.unsafe<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_log"),
        ).pipe(Effect.map((rows) => Number(rows[0]?.n))),
      )
    const before = await auditRows()
    const path = `/referrals/${created.json.referralId}`
    expectProblem(await gateway.request("GET", path, { token: colleague.token }), 404)
    expectProblem(
      await gateway.request("GET", "/referrals/ref_0000000000000000", { token: referrer.token }),
      404,
    )
    expect(await auditRows()).toBe(before)
    const own = await gateway.request("GET", path, { token: referrer.token })
    expect(own.status).toBe(200)
    expect(own.json.caseId).toBe(created.json.caseId)
    expect(await auditRows()).toBe(before + 1)
  })

  it("lists a referrer's own referrals in full pages, none of a colleague's", async () => {
    const mine = await gateway.user(["referrer"], [REGION], {
      organisation: "Lijstschool",
      partyRole: "mentor",
    })
    const theirs = await gateway.user(["referrer"], [REGION], {
      organisation: "Lijstschool",
      partyRole: "mentor",
    })
    const submit = (user: typeof mine) =>
      gateway.request("POST", "/referrals", {
        token: user.token,
        body: submission({ referrer: referrerOf(user) }),
      })
    const own: Array<string> = []
    for (const user of [mine, theirs, mine, theirs, mine]) {
      const created = await submit(user)
      expect(created.status, created.text).toBe(201)
      if (user === mine) own.push(created.json.referralId)
    }
    const seen: Array<string> = []
    const sizes: Array<number> = []
    let cursor: string | null = null
    do {
      const page: Reply = await gateway.request(
        "GET",
        `/referrals?limit=2${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
        { token: mine.token },
      )
      expect(page.status).toBe(200)
      sizes.push(page.json.items.length)
      seen.push(...page.json.items.map((i: { referralId: string }) => i.referralId))
      cursor = page.json.nextCursor
    } while (cursor !== null)
    expect(sizes).toEqual([2, 1])
    expect(seen.sort()).toEqual(own.sort())
  })
})
