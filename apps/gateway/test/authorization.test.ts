/**
 * The authorisation matrix: every role, in the case's own region and in another region, against
 * every route. A case of another region answers 404 (its existence does not leak); a route the
 * role may not use answers 403; a workflow step the plug-in refuses answers 409.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { Accounts, CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  dataFingerprint,
  type Gateway,
  type ReferrerAccount,
  type Reply,
  referrerOf,
  startGateway,
  TODAY,
} from "./support/gateway.js"

const OWN = "westland"
const OTHER = "leidschendam-voorburg"
type Role = "referrer" | "case-worker" | "coordinator" | "admin"
type Cell = `${Role}/${"own" | "other"}`

let gateway: Gateway
let caseId = ""
let referralId = ""
const tokens = new Map<Cell, { token: string } & ReferrerAccount>()

const submission = (account: ReferrerAccount, regionId: string): Referral.ReferralSubmission => {
  const plugin = gateway.config.regions.find((r) => r.region.id === regionId)!.plugin
  const base = Fixtures.referralFor(plugin, { on: TODAY })
  return { ...base, regionId, referrer: referrerOf(account) } as Referral.ReferralSubmission
}

const version = () =>
  gateway.runtime.runPromise(
    Effect.map(
      Effect.flatMap(CaseStore.CaseStore, (s) => s.get(caseId as never, { regions: [OWN as never] })),
      (state) => state.version,
    ),
  )

beforeAll(async () => {
  gateway = await startGateway()
  for (const role of ["referrer", "case-worker", "coordinator", "admin"] as const) {
    for (const where of ["own", "other"] as const) {
      const user = await gateway.user([role], [where === "own" ? OWN : OTHER], {
        organisation: `Org ${role} ${where}`,
        // Case workers and coordinators submit referrals too (taken by phone): with a role that may refer.
        partyRole: "coordinator-passend-onderwijs",
      })
      tokens.set(`${role}/${where}`, user)
    }
  }
  const referrer = tokens.get("referrer/own")!
  const created = await gateway.request("POST", "/referrals", {
    token: referrer.token,
    body: submission(referrer, OWN),
  })
  expect(created.status, created.text).toBe(201)
  caseId = created.json.caseId
  referralId = created.json.referralId
})
afterAll(async () => {
  await gateway.close()
})

interface Row {
  readonly name: string
  readonly method: string
  readonly path: () => string
  readonly body?: (cell: Cell) => Promise<unknown>
  readonly expected: Record<Cell, number>
}

const all = (status: number): Record<Cell, number> => ({
  "referrer/own": status,
  "referrer/other": status,
  "case-worker/own": status,
  "case-worker/other": status,
  "coordinator/own": status,
  "coordinator/other": status,
  "admin/own": status,
  "admin/other": status,
})

/** Case files: case workers and coordinators of the region; 404 from another region; 403 for others. */
const caseFile = (own: number): Record<Cell, number> => ({
  ...all(403),
  "case-worker/own": own,
  "case-worker/other": 404,
  "coordinator/own": own,
  "coordinator/other": 404,
})

const regionList = (own: number): Record<Cell, number> => caseFile(own)

const rows: ReadonlyArray<Row> = [
  { name: "health", method: "GET", path: () => "/health", expected: all(200) },
  { name: "list regions", method: "GET", path: () => "/regions", expected: all(200) },
  { name: "region detail", method: "GET", path: () => `/regions/${OWN}`, expected: all(200) },
  {
    name: "list cases",
    method: "GET",
    path: () => "/cases",
    expected: { ...caseFile(200), "case-worker/other": 200, "coordinator/other": 200 },
  },
  { name: "read case", method: "GET", path: () => `/cases/${caseId}`, expected: caseFile(200) },
  { name: "case timeline", method: "GET", path: () => `/cases/${caseId}/events`, expected: caseFile(200) },
  {
    name: "case transitions",
    method: "GET",
    path: () => `/cases/${caseId}/transitions`,
    expected: caseFile(200),
  },
  {
    name: "log event",
    method: "POST",
    path: () => `/cases/${caseId}/events`,
    body: async () => ({ expectedVersion: await version(), event: { _tag: "ParentsInformed", on: TODAY } }),
    expected: caseFile(201),
  },
  {
    name: "take transition (refused by the workflow when allowed at all)",
    method: "POST",
    path: () => `/cases/${caseId}/transitions`,
    body: async () => ({ expectedVersion: await version(), transition: "hulp-inzetten" }),
    expected: caseFile(409),
  },
  {
    name: "submit referral to own region",
    method: "POST",
    path: () => "/referrals",
    body: async (cell) => submission(tokens.get(cell)!, cell.endsWith("/own") ? OWN : OTHER),
    expected: { ...all(201), "admin/own": 403, "admin/other": 403 },
  },
  {
    name: "submit referral to a region not one's own",
    method: "POST",
    path: () => "/referrals",
    body: async (cell) => submission(tokens.get(cell)!, cell.endsWith("/own") ? OTHER : OWN),
    expected: { ...all(422), "admin/own": 403, "admin/other": 403 },
  },
  {
    name: "own referrals",
    method: "GET",
    path: () => "/referrals",
    expected: { ...all(200), "admin/own": 403, "admin/other": 403 },
  },
  {
    name: "referral status (only its referrer)",
    method: "GET",
    path: () => `/referrals/${referralId}`,
    expected: { ...all(404), "referrer/own": 200, "admin/own": 403, "admin/other": 403 },
  },
  {
    name: "thuiszitters list",
    method: "GET",
    path: () => `/regions/${OWN}/thuiszitters`,
    expected: regionList(200),
  },
  {
    name: "pact risks list",
    method: "GET",
    path: () => `/regions/${OWN}/pact-risks`,
    expected: regionList(200),
  },
  {
    name: "actions due list",
    method: "GET",
    path: () => `/regions/${OWN}/actions-due`,
    expected: regionList(200),
  },
  {
    name: "case list export",
    method: "GET",
    path: () => `/regions/${OWN}/cases.xlsx`,
    expected: { ...all(403), "coordinator/own": 200, "coordinator/other": 404 },
  },
  {
    name: "audit log",
    method: "GET",
    path: () => "/audit",
    expected: {
      ...all(403),
      "coordinator/own": 200,
      "coordinator/other": 200,
      "admin/own": 200,
      "admin/other": 200,
    },
  },
  {
    name: "list users",
    method: "GET",
    path: () => "/admin/users",
    expected: { ...all(403), "admin/own": 200, "admin/other": 200 },
  },
  {
    name: "create organisation",
    method: "POST",
    path: () => "/admin/organisations",
    body: async (cell) => ({ name: `Nieuwe school ${cell}`, kind: "school" }),
    expected: { ...all(403), "admin/own": 201, "admin/other": 201 },
  },
]

describe("authorisation matrix", () => {
  for (const row of rows) {
    it(`${row.method} ${row.name}`, async () => {
      const actual: Record<string, number> = {}
      for (const cell of Object.keys(row.expected) as Array<Cell>) {
        const reply = await gateway.request(row.method, row.path(), {
          token: tokens.get(cell)!.token,
          ...(row.body === undefined ? {} : { body: await row.body(cell) }),
        })
        actual[cell] = reply.status
        if (reply.status >= 400)
          expect(reply.headers.get("content-type"), `${cell}: ${reply.text}`).toBe("application/problem+json")
      }
      expect(actual).toEqual(row.expected)
    })
  }

  it("lists only the caller's regions' cases", async () => {
    const own = await gateway.request("GET", "/cases", { token: tokens.get("case-worker/own")!.token })
    const other = await gateway.request("GET", "/cases", { token: tokens.get("case-worker/other")!.token })
    expect(own.json.items.every((c: { regionId: string }) => c.regionId === OWN)).toBe(true)
    expect(own.json.items.map((c: { caseId: string }) => c.caseId)).toContain(caseId)
    expect(other.json.items.some((c: { caseId: string }) => c.caseId === caseId)).toBe(false)
  })

  it("lets a coordinator see only the audit records of their regions", async () => {
    const own = await gateway.request("GET", "/audit?limit=500", {
      token: tokens.get("coordinator/own")!.token,
    })
    const other = await gateway.request("GET", "/audit?limit=500", {
      token: tokens.get("coordinator/other")!.token,
    })
    expect(own.json.items.some((r: { recordId?: string }) => r.recordId === caseId)).toBe(true)
    expect(other.json.items.some((r: { recordId?: string }) => r.recordId === caseId)).toBe(false)
  })

  it("pages a coordinator's audit records in full pages of their own regions", async () => {
    // The region is filtered in the query, not after it: every page but the last is full.
    const token = tokens.get("coordinator/other")!.token
    const seen: Array<{ regionId?: string }> = []
    const sizes: Array<number> = []
    let cursor: string | null = null
    do {
      const page: Reply = await gateway.request(
        "GET",
        `/audit?limit=2${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
        { token },
      )
      expect(page.status).toBe(200)
      sizes.push(page.json.items.length)
      seen.push(...page.json.items)
      cursor = page.json.nextCursor
    } while (cursor !== null && sizes.length < 500)
    expect(seen.length).toBeGreaterThan(2)
    expect(sizes.slice(0, -1).every((n) => n === 2)).toBe(true)
    expect(seen.every((r) => r.regionId === OTHER)).toBe(true)
  })

  it("mounts a plug-in's own routes under its region, for that region's members only", async () => {
    const member = await gateway.user(["referrer"], ["amstelland-meerlanden"])
    const outsider = tokens.get("coordinator/own")!.token
    const path = "/regions/amstelland-meerlanden/plugin/meldformulier"
    const reply = await gateway.request("GET", path, { token: member.token })
    expect(reply.status).toBe(200)
    expect(reply.json.meldingen.map((m: { melding: string }) => m.melding)).toEqual(["beperkt", "uitgebreid"])
    expect((await gateway.request("GET", path, { token: outsider })).status).toBe(404)
    expect((await gateway.request("GET", path)).status).toBe(401)
    expect(
      (await gateway.request("GET", "/regions/westland/plugin/meldformulier", { token: outsider })).status,
    ).toBe(404)
  })

  it("answers 404 for an unknown user or token on the admin token routes", async () => {
    const admin = tokens.get("admin/own")!.token
    const issue = await gateway.request("POST", "/admin/users/user_doesnotexist00/tokens", {
      token: admin,
      body: {},
    })
    expect(issue.status).toBe(404)
    const revoke = await gateway.request("DELETE", "/admin/tokens/0000000000000000", { token: admin })
    expect(revoke.status).toBe(404)
  })

  describe("admins do not read case files", () => {
    const admin = () => tokens.get("admin/own")!.token
    const casePaths = () => [
      ["GET", `/cases/${caseId}`],
      ["GET", `/cases/${caseId}/events`],
      ["GET", `/cases/${caseId}/transitions`],
      ["GET", "/cases"],
      ["GET", `/regions/${OWN}/thuiszitters`],
      ["GET", `/regions/${OWN}/cases.xlsx`],
    ]

    it("cannot mint a token for a person and read as them: a person's token goes only by a link to them", async () => {
      const worker = await gateway.user(["case-worker"], [OWN])
      const before = await dataFingerprint(gateway)
      const minted = await gateway.request("POST", `/admin/users/${worker.id}/tokens`, {
        token: admin(),
        body: {},
      })
      expect(minted.status).toBe(409)
      expect(minted.text).not.toMatch(/vrt_/)
      expect(await dataFingerprint(gateway)).toEqual(before)
      const link = await gateway.request("POST", `/admin/users/${worker.id}/sign-in-links`, {
        token: admin(),
      })
      expect(link.status).toBe(201)
      expect(link.text).not.toMatch(/vr[lt]_/)
    })

    it("cannot give an account admin together with a case role, nor case roles to a service account", async () => {
      const organisationId = tokens.get("admin/own")!.organisationId
      for (const [roles, kind, detail] of [
        [
          ["admin", "coordinator"],
          "person",
          "een beheerder heeft geen casusrol (coordinator): scheiding van taken",
        ],
        [
          ["case-worker", "admin"],
          "person",
          "een beheerder heeft geen casusrol (case-worker): scheiding van taken",
        ],
        [["case-worker"], "service", "een serviceaccount heeft geen casusrol (case-worker)"],
      ] as const) {
        const before = await dataFingerprint(gateway)
        const reply = await gateway.request("POST", "/admin/users", {
          token: admin(),
          body: {
            organisationId,
            name: "Dubbelrol",
            email: `dubbel-${kind}-${roles.join("")}@test.example`,
            roles,
            regions: [OWN],
            kind,
          },
        })
        expect(reply.status, reply.text).toBe(422)
        expect(reply.json.errors).toEqual([{ path: "roles", pointer: "/roles", detail }])
        expect(await dataFingerprint(gateway)).toEqual(before)
      }
    })

    it("reads no case by any path, in their own region or another", async () => {
      for (const cell of ["admin/own", "admin/other"] as const) {
        for (const [method, path] of casePaths()) {
          const reply = await gateway.request(method!, path!, { token: tokens.get(cell)!.token })
          expect(reply.status, `${cell} ${method} ${path}`).toBe(403)
        }
      }
    })

    it("reaches only the users, tokens and audit records of their own regions", async () => {
      const own = (
        await gateway.request("GET", "/admin/users?limit=500", { token: tokens.get("admin/own")!.token })
      ).json.items
      expect(own.length).toBeGreaterThan(0)
      expect(own.every((u: { regions: Array<string> }) => u.regions.every((r) => r === OWN))).toBe(true)
      const other = (
        await gateway.request("GET", "/admin/users?limit=500", { token: tokens.get("admin/other")!.token })
      ).json.items
      expect(other.every((u: { regions: Array<string> }) => u.regions.every((r) => r === OTHER))).toBe(true)
      const ownIds = new Set(own.map((u: { id: string }) => u.id))
      expect(other.some((u: { id: string }) => ownIds.has(u.id))).toBe(false)

      // A region admin creates users in their own regions only, and no installation admins.
      const organisationId = tokens.get("admin/other")!.organisationId
      const elsewhere = await gateway.request("POST", "/admin/users", {
        token: tokens.get("admin/other")!.token,
        body: {
          organisationId,
          name: "Elders",
          email: "elders@test.example",
          roles: ["referrer"],
          regions: [OWN],
        },
      })
      expect(elsewhere.status).toBe(422)
      expect(elsewhere.json.errors[0].path).toBe("regions[0]")
      const promote = await gateway.request("POST", "/admin/users", {
        token: tokens.get("admin/other")!.token,
        body: {
          organisationId,
          name: "Baas",
          email: "baas@test.example",
          roles: ["admin"],
          regions: [OTHER],
          installationAdmin: true,
        },
      })
      expect(promote.status).toBe(403)

      const audit = await gateway.request("GET", "/audit?limit=500", {
        token: tokens.get("admin/other")!.token,
      })
      expect(audit.status).toBe(200)
      expect(audit.json.items.length).toBeGreaterThan(0)
      expect(audit.json.items.every((r: { regionId?: string }) => r.regionId === OTHER)).toBe(true)

      // An installation admin reaches every region's users.
      const installation = await gateway.user(["admin"], [OTHER], { installationAdmin: true })
      const all = (await gateway.request("GET", "/admin/users?limit=500", { token: installation.token })).json
        .items
      expect(all.some((u: { regions: Array<string> }) => u.regions.includes(OWN))).toBe(true)
      expect(all.some((u: { regions: Array<string> }) => u.regions.includes(OTHER))).toBe(true)
    })

    it("shows token issuance, revocation and roles given in the target region's GET /audit", async () => {
      const organisationId = tokens.get("admin/own")!.organisationId
      const created = await gateway.request("POST", "/admin/users", {
        token: admin(),
        body: {
          organisationId,
          name: "Leerlingadministratie",
          email: "las@test.example",
          roles: ["referrer"],
          regions: [OWN],
          kind: "service",
        },
      })
      expect(created.status, created.text).toBe(201)
      const issued = await gateway.request("POST", `/admin/users/${created.json.id}/tokens`, {
        token: admin(),
        body: {},
      })
      expect(issued.status).toBe(201)
      const revoked = await gateway.request("DELETE", `/admin/tokens/${issued.json.tokenId}`, {
        token: admin(),
      })
      expect(revoked.status).toBe(200)
      const adminId = (
        await gateway.request("GET", "/admin/users?limit=500", { token: admin() })
      ).json.items.find((u: { email: string; roles: Array<string> }) => u.roles.includes("admin")).id

      const seenBy = async (cell: Cell) =>
        (
          await gateway.request("GET", `/audit?limit=500&userId=${adminId}`, {
            token: tokens.get(cell)!.token,
          })
        ).json.items
          .filter(
            (r: { recordId?: string }) =>
              r.recordId === created.json.id || r.recordId === `tok_${issued.json.tokenId}`,
          )
          .map(
            (r: { action: string; recordType: string; regionId?: string }) =>
              `${r.action} ${r.recordType} ${r.regionId}`,
          )
      expect((await seenBy("coordinator/own")).sort()).toEqual([
        `create token ${OWN}`,
        `create user ${OWN}`,
        `update token ${OWN}`,
      ])
      expect(await seenBy("coordinator/other")).toEqual([])
    })
  })

  describe("role changes", () => {
    it("refuse admin with a case role, stay within the admin's regions, and show in the region's GET /audit", async () => {
      const worker = await gateway.user(["case-worker"], [OWN])
      const before = await dataFingerprint(gateway)
      const mixed = await gateway.request("PUT", `/admin/users/${worker.id}/roles`, {
        token: tokens.get("admin/own")!.token,
        body: { roles: ["case-worker", "admin"] },
      })
      expect(mixed.status).toBe(422)
      expect(mixed.json.errors[0].path).toBe("roles")
      expect(await dataFingerprint(gateway)).toEqual(before)
      const elsewhere = await gateway.request("PUT", `/admin/users/${worker.id}/roles`, {
        token: tokens.get("admin/other")!.token,
        body: { roles: ["referrer"] },
      })
      expect(elsewhere.status).toBe(404)

      const changed = await gateway.request("PUT", `/admin/users/${worker.id}/roles`, {
        token: tokens.get("admin/own")!.token,
        body: { roles: ["coordinator"] },
      })
      expect(changed.status, changed.text).toBe(200)
      expect(changed.json.roles).toEqual(["coordinator"])
      const seen = async (cell: Cell) =>
        (
          await gateway.request("GET", `/audit?limit=50&recordId=${worker.id}`, {
            token: tokens.get(cell)!.token,
          })
        ).json.items.map((r: { action: string; regionId?: string; context?: string }) => [
          r.action,
          r.regionId,
          r.context,
        ])
      expect(await seen("coordinator/own")).toEqual([["update", OWN, "api.user.roles:coordinator"]])
      expect(await seen("coordinator/other")).toEqual([])
    })
  })

  describe("a refused read of another region's case", () => {
    const refusedOf = async (installationToken: string, userId: string) => {
      const until = Date.now() + 20_000
      for (;;) {
        const page = await gateway.request("GET", `/audit?limit=500&userId=${userId}`, {
          token: installationToken,
        })
        const refused = page.json.items.filter((r: { recordType: string }) => r.recordType === "refused-read")
        if (refused.length > 0 || Date.now() > until) return refused
        await new Promise((r) => setTimeout(r, 50))
      }
    }

    it("answers 404 as for a case that does not exist, and leaves a trace for installation admins only", async () => {
      const outsider = await gateway.user(["case-worker"], [OTHER])
      const installation = await gateway.user(["admin"], [OTHER], { installationAdmin: true })
      const existing = await gateway.request("GET", `/cases/${caseId}`, { token: outsider.token })
      const missing = await gateway.request("GET", "/cases/case_doesnotexist0000", { token: outsider.token })
      expect(existing.status).toBe(404)
      // Nothing new for the caller: the same answer as for a case that does not exist.
      const { requestId: _a, instance: _c, ...existingBody } = existing.json
      const { requestId: _b, instance: _d, ...missingBody } = missing.json
      expect(existingBody).toEqual(missingBody)
      expect(
        (await gateway.request("GET", `/cases/${caseId}/events`, { token: outsider.token })).status,
      ).toBe(404)

      const refused = await refusedOf(installation.token, outsider.id)
      expect(refused.length).toBeGreaterThanOrEqual(1)
      expect(refused[0]).toMatchObject({ action: "read", recordId: caseId, userId: outsider.id })
      expect(refused[0].regionId).toBeUndefined()
      // Attempts on ids that name no case leave nothing.
      expect(refused.some((r: { recordId: string }) => r.recordId === "case_doesnotexist0000")).toBe(false)
      // Not shown to the case's region nor the caller's: only installation admins see it.
      for (const cell of ["coordinator/own", "coordinator/other", "admin/own"] as const) {
        const page = await gateway.request("GET", `/audit?limit=500&userId=${outsider.id}`, {
          token: tokens.get(cell)!.token,
        })
        expect(page.json.items.some((r: { recordType: string }) => r.recordType === "refused-read")).toBe(
          false,
        )
      }
    })
  })

  it("refuses a request without a token, with a malformed one and with a revoked one", async () => {
    const revoked = await gateway.user(["coordinator"], [OWN])
    await gateway.runtime.runPromise(Effect.flatMap(Accounts.Accounts, (a) => a.revokeToken(revoked.tokenId)))
    for (const token of [undefined, "nonsense", `${revoked.token.slice(0, -2)}xx`, revoked.token]) {
      const reply = await gateway.request("GET", `/cases/${caseId}`, { token })
      expect(reply.status).toBe(401)
      expect(reply.headers.get("www-authenticate")).toBe('Bearer realm="verzuimregie"')
    }
  })
})
