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
import { allRoutes } from "../src/App.js"
import { upload } from "./support/absence.js"
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
type Role = "referrer" | "case-worker" | "coordinator" | "admin" | "school-verzuim" | "orthopedagoog"
type Cell = `${Role}/${"own" | "other"}`

let gateway: Gateway
let caseId = ""
let referralId = ""
/** Two signals of the own school: one walked through seen and DUO, one closed with no action. */
const signals = { open: "", closed: "" }
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
  for (const role of [
    "referrer",
    "case-worker",
    "coordinator",
    "admin",
    "school-verzuim",
    "orthopedagoog",
  ] as const) {
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
  // The own school's absence data: two pupils on a holiday in school time, luxe verzuim each.
  const school = tokens.get("school-verzuim/own")!
  const imported = await upload(gateway, school.token, importParams(), ABSENCE_FILE, "text/csv")
  expect(imported.status, imported.text).toBe(200)
  const found = await gateway.request("GET", "/absence/signals?type=luxe-verzuim", { token: school.token })
  const idOf = (pupilNumber: string) =>
    found.json.find((x: { pupil: { pupilNumber: string } }) => x.pupil.pupilNumber === pupilNumber)?.id
  signals.open = idOf("100001")
  signals.closed = idOf("100002")
  expect(signals.open).toMatch(/^sig_/)
  expect(signals.closed).toMatch(/^sig_/)
})
afterAll(async () => {
  await gateway.close()
})

const ABSENCE_FILE = [
  "BRIN;Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Datum;Lesuren;Afk",
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;03-11-2026;7;LV",
  "12AB;100002;Daan;van;Proef;02-11-2011;04-11-2026;7;LV",
].join("\r\n")

/** The own school's import: for a user of another school, a school that does not exist. */
const importParams = () => ({
  school: tokens.get("school-verzuim/own")!.organisationId,
  mapping: "magister",
  from: "2026-09-01",
  to: "2026-11-13",
})

interface Row {
  readonly path: () => string
  readonly body?: (cell: Cell) => Promise<unknown>
  /** A file as the raw body (an upload), instead of JSON. */
  readonly file?: { readonly body: string; readonly contentType: string }
  /** The answer in the caller's own region, and in another region (404 for region-scoped data). */
  readonly own: number
  readonly other?: number
  /** Cells whose answer the route's roles do not decide (the referral status is its referrer's). */
  readonly except?: Partial<Record<Cell, number>>
  /** A second request to the same route (e.g. a referral to a region not one's own). */
  readonly variant?: string
}

/** A route this matrix does not call, with the test that covers its authorisation instead. */
interface CoveredElsewhere {
  readonly coveredBy: string
}

const CELLS = Object.keys({
  "referrer/own": 0,
  "referrer/other": 0,
  "case-worker/own": 0,
  "case-worker/other": 0,
  "coordinator/own": 0,
  "coordinator/other": 0,
  "admin/own": 0,
  "admin/other": 0,
  "school-verzuim/own": 0,
  "school-verzuim/other": 0,
  "orthopedagoog/own": 0,
  "orthopedagoog/other": 0,
} satisfies Record<Cell, 0>) as ReadonlyArray<Cell>

/**
 * The expected answers, derived from the route's declared roles: a role the route does not admit
 * answers 403; the others answer `own` in their region and `other` (default the same) elsewhere.
 */
const expectedOf = (spec: RouteSpecOf, row: Row): Record<Cell, number> =>
  Object.fromEntries(
    CELLS.map((cell) => {
      const role = cell.split("/")[0] as Role
      const status =
        row.except?.[cell] ??
        (spec.roles !== undefined && !spec.roles.includes(role)
          ? 403
          : cell.endsWith("/own")
            ? row.own
            : (row.other ?? row.own))
      return [cell, status]
    }),
  ) as Record<Cell, number>

type RouteSpecOf = ReturnType<typeof allRoutes>[number]["spec"]

/** One entry per route of the gateway, by operationId; a route without one fails the test. */
const matrix: Record<string, Row | ReadonlyArray<Row> | CoveredElsewhere> = {
  health: { path: () => "/health", own: 200 },
  ready: { path: () => "/ready", own: 200 },
  listRegions: { path: () => "/regions", own: 200 },
  getRegion: { path: () => `/regions/${OWN}`, own: 200 },
  listCases: { path: () => "/cases", own: 200 },
  listWorkQueue: { path: () => "/cases/werkvoorraad?list=region", own: 200 },
  getMyInbox: { path: () => "/me/inbox", own: 200 },
  searchPupil: { path: () => "/cases/search", body: async () => ({ name: "Noor" }), own: 200 },
  getCase: { path: () => `/cases/${caseId}`, own: 200, other: 404 },
  getCaseTimeline: { path: () => `/cases/${caseId}/events`, own: 200, other: 404 },
  listCaseTransitions: { path: () => `/cases/${caseId}/transitions`, own: 200, other: 404 },
  logCaseEvent: {
    path: () => `/cases/${caseId}/events`,
    body: async () => ({ expectedVersion: await version(), event: { _tag: "ParentsInformed", on: TODAY } }),
    own: 201,
    other: 404,
  },
  // Refused by the workflow when allowed at all.
  takeCaseTransition: {
    path: () => `/cases/${caseId}/transitions`,
    body: async () => ({ expectedVersion: await version(), transition: "hulp-inzetten" }),
    own: 409,
    other: 404,
  },
  submitReferral: [
    {
      variant: "to own region",
      path: () => "/referrals",
      body: async (cell) => submission(tokens.get(cell)!, cell.endsWith("/own") ? OWN : OTHER),
      own: 201,
    },
    {
      variant: "to a region not one's own",
      path: () => "/referrals",
      body: async (cell) => submission(tokens.get(cell)!, cell.endsWith("/own") ? OTHER : OWN),
      own: 422,
    },
  ],
  listOwnReferrals: { path: () => "/referrals", own: 200 },
  listReferralSchools: { path: () => "/referrals/schools", own: 200 },
  // Only its referrer sees it; for anyone else it does not exist.
  getOwnReferral: { path: () => `/referrals/${referralId}`, own: 404, except: { "referrer/own": 200 } },
  listThuiszitters: { path: () => `/regions/${OWN}/thuiszitters`, own: 200, other: 404 },
  listPactRisks: { path: () => `/regions/${OWN}/pact-risks`, own: 200, other: 404 },
  listActionsDue: { path: () => `/regions/${OWN}/actions-due`, own: 200, other: 404 },
  exportRegionCases: { path: () => `/regions/${OWN}/cases.xlsx`, own: 200, other: 404 },
  getRegionDashboard: { path: () => `/regions/${OWN}/dashboard`, own: 200, other: 404 },
  exportRegionJaarverslag: { path: () => `/regions/${OWN}/jaarverslag.xlsx`, own: 200, other: 404 },
  // The own region's plug-in (westland); the other region's coordinator has no region running it.
  exportPluginJaarverslag: { path: () => "/plugins/westland/jaarverslag.xlsx", own: 200, other: 404 },
  // Absence (issue 15): school-verzuim of the own school ("own") and of a school in another region
  // ("other"): another school's signal, and importing for another school, answer 404.
  importAbsence: {
    path: () => `/absence/imports?${new URLSearchParams(importParams())}`,
    file: { body: ABSENCE_FILE, contentType: "text/csv" },
    own: 200,
    other: 404,
  },
  listAbsenceMappings: { path: () => "/absence/mappings", own: 200 },
  listAbsenceSignals: { path: () => "/absence/signals", own: 200 },
  getAbsenceSignal: { path: () => `/absence/signals/${signals.open}`, own: 200, other: 404 },
  markAbsenceSignalSeen: {
    path: () => `/absence/signals/${signals.open}/seen`,
    body: async () => ({ note: "Ouders gebeld" }),
    own: 200,
    other: 404,
  },
  markAbsenceSignalNoAction: {
    path: () => `/absence/signals/${signals.closed}/no-action`,
    body: async () => ({ reason: "Verklaard: familieomstandigheden" }),
    own: 200,
    other: 404,
  },
  getAbsenceReferralDraft: {
    path: () => `/absence/signals/${signals.open}/referral-draft`,
    own: 200,
    other: 404,
  },
  listDuoMeldingen: { path: () => "/absence/duo-meldingen", own: 200 },
  exportDuoMeldingen: { path: () => "/absence/duo-meldingen.xlsx", own: 200 },
  setDuoMeldingStatus: {
    path: () => `/absence/duo-meldingen/${signals.open}/status`,
    body: async () => ({ status: "Geregistreerd" }),
    own: 200,
    other: 404,
  },
  // Coordinators see counts of their own regions' schools, never pupils.
  listAbsenceSignalCounts: { path: () => "/absence/counts", own: 200 },
  // A case of another region does not exist for the caller; an unlinked case has no absence.
  getCaseAbsence: { path: () => `/cases/${caseId}/absence`, own: 200, other: 404 },
  // Amstelland's quarterly round (issue 16): Westland and Leidschendam-Voorburg hold none, so the
  // list is empty and the Westland case is outside every round (404, also for its coordinator).
  // The round of an Amstelland case: test/web-kwartaalronde.test.ts.
  listQuarterlyRound: { path: () => "/quarterly-round", own: 200 },
  recordQuarterlyReview: {
    path: () => `/quarterly-round/cases/${caseId}/reviews`,
    body: async () => ({ heldOn: TODAY, outcome: "voortzetten", schoolContact: "mentor" }),
    own: 404,
  },
  listAuditRecords: { path: () => "/audit", own: 200 },
  getMyNotificationPreferences: { path: () => "/me/notifications", own: 200 },
  setMyNotificationPreferences: {
    path: () => "/me/notifications",
    body: async () => ({ modes: { "nieuwe-aanmelding": "dagelijks" }, digestHour: 8 }),
    own: 200,
  },
  listUsers: { path: () => "/admin/users", own: 200 },
  listOrganisations: { path: () => "/admin/organisations", own: 200 },
  createOrganisation: {
    path: () => "/admin/organisations",
    body: async (cell) => ({ name: `Nieuwe school ${cell}`, kind: "school" }),
    own: 201,
  },
  // Admin writes about a user need that user's id: their rules have tests of their own below.
  createUser: {
    coveredBy:
      "admins do not read case files > cannot give an account admin together with a case role, nor case roles to a service account",
  },
  setUserRoles: {
    coveredBy:
      "role changes > refuse admin with a case role, stay within the admin's regions, and show in the region's GET /audit",
  },
  issueToken: {
    coveredBy:
      "admins do not read case files > cannot mint a token for a person and read as them: a person's token goes only by a link to them",
  },
  sendSignInLink: {
    coveredBy:
      "admins do not read case files > cannot mint a token for a person and read as them: a person's token goes only by a link to them",
  },
  revokeToken: { coveredBy: "answers 404 for an unknown user or token on the admin token routes" },
}

describe("authorisation matrix", () => {
  it("has an entry for every route, and none for a route that does not exist", () => {
    const operations = allRoutes().map((r) => r.spec.operationId)
    expect(operations.filter((id) => matrix[id] === undefined)).toEqual([])
    expect(Object.keys(matrix).filter((id) => !operations.includes(id))).toEqual([])
  })

  for (const { spec } of allRoutes()) {
    const entry = matrix[spec.operationId]
    if (entry === undefined || "coveredBy" in entry) continue
    for (const row of Array.isArray(entry) ? entry : [entry as Row]) {
      it(`${spec.method.toUpperCase()} ${spec.operationId}${row.variant === undefined ? "" : ` ${row.variant}`}`, async () => {
        const expected = expectedOf(spec, row)
        const actual: Record<string, number> = {}
        for (const cell of CELLS) {
          const reply = await gateway.request(spec.method.toUpperCase(), row.path(), {
            token: tokens.get(cell)!.token,
            ...(row.body === undefined ? {} : { body: await row.body(cell) }),
            ...(row.file === undefined
              ? {}
              : { rawBody: row.file.body, headers: { "content-type": row.file.contentType } }),
          })
          actual[cell] = reply.status
          if (reply.status >= 400)
            expect(reply.headers.get("content-type"), `${cell}: ${reply.text}`).toBe(
              "application/problem+json",
            )
        }
        expect(actual).toEqual(expected)
      })
    }
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
