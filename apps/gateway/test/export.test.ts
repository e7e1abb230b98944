/**
 * The coordinator's case list export: the region's plug-in columns, pupil-identifying columns only
 * on request, for coordinators of the region only, and audited as an export.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { type Gateway, referrerOf, startGateway, TODAY } from "./support/gateway.js"

const REGION = "westland"
let gateway: Gateway
let coordinator: Awaited<ReturnType<Gateway["user"]>>
const pupils: Array<string> = []

beforeAll(async () => {
  gateway = await startGateway()
  coordinator = await gateway.user(["coordinator"], [REGION])
  const referrer = await gateway.user(["referrer"], [REGION], {
    organisation: "Exportschool",
    partyRole: "mentor",
  })
  const plugin = gateway.config.regions.find((r) => r.region.id === REGION)!.plugin
  for (const givenName of ["Exportina", "Exportus", "Exporta"]) {
    const base = Fixtures.referralFor(plugin, { on: TODAY })
    const body = {
      ...base,
      regionId: REGION,
      referrer: referrerOf(referrer),
      pupil: { ...base.pupil, name: { givenName, familyName: "Synthetisch" } },
    } as Referral.ReferralSubmission
    const reply = await gateway.request("POST", "/referrals", { token: referrer.token, body })
    expect(reply.status, reply.text).toBe(201)
    pupils.push(givenName)
  }
})
afterAll(async () => {
  await gateway.close()
})

const download = async (path: string, token: string) => {
  const response = await fetch(`${gateway.base}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

const rowsOf = (bytes: Uint8Array) => {
  const book = XLSX.read(bytes, { type: "array", cellDates: true })
  const sheet = book.Sheets[book.SheetNames[0] ?? ""]!
  return XLSX.utils.sheet_to_json<Array<unknown>>(sheet, { header: 1 })
}

describe("case list export", () => {
  it("has the plug-in's columns without pupil-identifying ones by default, one row per case", async () => {
    const { response, bytes } = await download(`/regions/${REGION}/cases.xlsx`, coordinator.token)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="casussen-${REGION}-${TODAY}.xlsx"`,
    )
    const [headers, ...rows] = rowsOf(bytes)
    const plugin = gateway.config.regions.find((r) => r.region.id === REGION)!.plugin
    expect(headers).toEqual(plugin.reports.caseColumns.filter((c) => !c.personal).map((c) => c.header))
    expect(rows).toHaveLength(3)
    const text = JSON.stringify(rows)
    for (const name of pupils) expect(text).not.toContain(name)
  })

  it("includes the identifying columns only when asked", async () => {
    const { bytes } = await download(`/regions/${REGION}/cases.xlsx?personal=true`, coordinator.token)
    const [headers, ...rows] = rowsOf(bytes)
    expect(headers).toContain("Leerling")
    expect(JSON.stringify(rows)).toContain("Exportina Synthetisch")
  })

  it("is for coordinators of the region, and audited as an export", async () => {
    const worker = await gateway.user(["case-worker"], [REGION])
    expect((await download(`/regions/${REGION}/cases.xlsx`, worker.token)).response.status).toBe(403)
    const elsewhere = await gateway.user(["coordinator"], ["leidschendam-voorburg"])
    expect((await download(`/regions/${REGION}/cases.xlsx`, elsewhere.token)).response.status).toBe(404)
    const audit = await gateway.request("GET", "/audit?limit=500", { token: coordinator.token })
    const exports = audit.json.items.filter((r: { action: string }) => r.action === "export")
    expect(exports.map((r: { context: string; regionId: string }) => [r.context, r.regionId])).toEqual(
      expect.arrayContaining([
        ["api.case.export:xlsx", REGION],
        ["api.case.export:xlsx:personal", REGION],
      ]),
    )
  })
})
