/**
 * The werkvoorraad and the pupil search over the API, the same use cases the pages call
 * (`Cases.workList`, `Cases.findPupil`): `GET /cases/werkvoorraad` lists the open cases of the
 * caller's regions (or their own), `POST /cases/search` finds a pupil by name, birth date or
 * person number within the caller's regions only, with the search in the body (nothing personal in
 * a URL) and an audit record naming the fields used, never what was typed.
 */

import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { AuditLog } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, referrerOf, startGateway, TODAY } from "./support/gateway.js"

const OWN = "westland"
const OTHER = "amstelland-meerlanden"

let gateway: Gateway
let worker: Awaited<ReturnType<Gateway["user"]>>
let elsewhere: Awaited<ReturnType<Gateway["user"]>>
let referrer: Awaited<ReturnType<Gateway["user"]>>
const caseIds = new Map<string, string>()

interface Row {
  readonly caseId: string
  readonly regionId: string
  readonly pupil: { readonly name: string; readonly birthDate: string }
}

const refer = async (regionId: string, familyName: string) => {
  const plugin = gateway.config.regions.find((r) => r.region.id === regionId)!.plugin
  const base = Fixtures.referralFor(plugin, { on: TODAY })
  const body = {
    ...base,
    regionId,
    referrer: referrerOf(referrer),
    pupil: { ...base.pupil, name: { givenName: "Noor", familyName } },
  } as Referral.ReferralSubmission
  const reply = await gateway.request("POST", "/referrals", { token: referrer.token, body })
  expect(reply.status).toBe(201)
  caseIds.set(`${regionId}:${familyName}`, (reply.json as { caseId: string }).caseId)
}

beforeAll(async () => {
  gateway = await startGateway()
  worker = await gateway.user(["case-worker"], [OWN])
  elsewhere = await gateway.user(["case-worker"], [OTHER])
  referrer = await gateway.user(["referrer"], [OWN, OTHER], { partyRole: "coordinator-passend-onderwijs" })
  await refer(OWN, "Verkerkvliet")
  await refer(OWN, "Bakkerszoon")
  await refer(OTHER, "Verkerkvliet")
}, 60_000)
afterAll(async () => {
  await gateway?.close()
})

describe("GET /cases/werkvoorraad", () => {
  it("lists the open cases of the caller's regions with their working rows and filter choices", async () => {
    const reply = await gateway.request("GET", "/cases/werkvoorraad?list=region&sort=nieuwste", {
      token: worker.token,
    })
    expect(reply.status).toBe(200)
    const page = reply.json as {
      items: ReadonlyArray<Row>
      truncated: boolean
      choices: { statuses: ReadonlyArray<{ id: string; label: string }> }
    }
    expect(page.items.map((r) => r.caseId).sort()).toEqual(
      [caseIds.get(`${OWN}:Verkerkvliet`), caseIds.get(`${OWN}:Bakkerszoon`)].sort(),
    )
    expect(page.items.every((r) => r.regionId === OWN)).toBe(true)
    expect(page.items.map((r) => r.pupil.name)).toContain("Noor Verkerkvliet")
    expect(page.truncated).toBe(false)
    expect(page.choices.statuses.length).toBeGreaterThan(0)
    // Their own list: nobody made this worker regiehouder yet.
    const mine = await gateway.request("GET", "/cases/werkvoorraad", { token: worker.token })
    expect((mine.json as { items: ReadonlyArray<Row> }).items).toEqual([])
    // Page by page, with the cursor of the previous page.
    const first = await gateway.request("GET", "/cases/werkvoorraad?list=region&limit=1", {
      token: worker.token,
    })
    const next = (first.json as { nextCursor: string }).nextCursor
    expect(next).toEqual(expect.any(String))
    const second = await gateway.request(
      "GET",
      `/cases/werkvoorraad?list=region&limit=1&cursor=${encodeURIComponent(next)}`,
      { token: worker.token },
    )
    expect((second.json as { items: ReadonlyArray<Row> }).items).toHaveLength(1)
  })

  it("refuses an unknown sort or list, and a referrer", async () => {
    expect(
      (await gateway.request("GET", "/cases/werkvoorraad?sort=naam", { token: worker.token })).status,
    ).toBe(422)
    expect(
      (await gateway.request("GET", "/cases/werkvoorraad?list=alles", { token: worker.token })).status,
    ).toBe(422)
    expect((await gateway.request("GET", "/cases/werkvoorraad", { token: referrer.token })).status).toBe(403)
  })
})

describe("POST /cases/search", () => {
  it("finds a pupil by name within the caller's regions only, and audits the fields, not the name", async () => {
    const reply = await gateway.request("POST", "/cases/search", {
      token: worker.token,
      body: { name: "verkerk" },
      headers: { "x-request-id": "zoek-api-1" },
    })
    expect(reply.status).toBe(200)
    expect((reply.json as { items: ReadonlyArray<Row> }).items.map((r) => r.caseId)).toEqual([
      caseIds.get(`${OWN}:Verkerkvliet`),
    ])
    const other = await gateway.request("POST", "/cases/search", {
      token: elsewhere.token,
      body: { name: "Bakkerszoon" },
    })
    expect((other.json as { items: ReadonlyArray<Row> }).items).toEqual([])
    const records = await gateway.runtime.runPromise(
      Effect.map(
        Effect.flatMap(AuditLog.AuditLog, (log) => log.list({ requestId: "zoek-api-1" })),
        (page) => page.items,
      ),
    )
    expect(records.map((r) => r.context)).toEqual([expect.stringContaining("zoeken:naam")])
    expect(JSON.stringify(records).toLowerCase()).not.toContain("verkerk")
    expect(JSON.stringify(gateway.logs).toLowerCase()).not.toContain("verkerk")
  })

  it("asks for at least one field, in Dutch, and refuses a referrer", async () => {
    const empty = await gateway.request("POST", "/cases/search", { token: worker.token, body: {} })
    expect(empty.status).toBe(422)
    expect(empty.text).toContain("Vul een naam, geboortedatum, BSN of onderwijsnummer in.")
    const short = await gateway.request("POST", "/cases/search", {
      token: worker.token,
      body: { personNumber: "12345" },
    })
    expect(short.status).toBe(422)
    expect(short.text).toContain("9 cijfers")
    expect(
      (await gateway.request("POST", "/cases/search", { token: referrer.token, body: { name: "Noor" } }))
        .status,
    ).toBe(403)
  })
})
