/**
 * The coordinator's case list export: the region's plug-in columns, pupil-identifying columns only
 * on request, for coordinators of the region only, and audited as an export. The list is read in
 * pages between turns of the event loop and the file is made in a worker thread; the result is the
 * workbook of the whole list made in one go, with one audit record, as before.
 */

import { Regions } from "@verzuimregie/app"
import type { Case, Ids, Referral } from "@verzuimregie/domain"
import { CaseList } from "@verzuimregie/export-xlsx"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { AuditLog, CaseQueries } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { type Gateway, referrerOf, startGateway, TODAY } from "./support/gateway.js"
import { seedSynthetic } from "./support/seed.js"

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

describe("case list export of many pages", () => {
  /** More cases than several of the export's pages (50), written straight to the store. */
  const SEEDED = 160

  beforeAll(async () => {
    await gateway.runtime.runPromise(seedSynthetic({ seed: 11, regionId: REGION, on: TODAY, count: SEEDED }))
  })

  /** Every case of the region, newest first, read without an audit record (the test looks). */
  const allStates = (open?: boolean) =>
    gateway.runtime.runPromise(
      Effect.gen(function* () {
        const queries = yield* CaseQueries.CaseQueries
        const states: Array<Case.CaseState> = []
        let cursor: string | undefined
        for (;;) {
          const page = yield* queries.cases(
            { regions: [REGION as Ids.RegionId] },
            { open },
            { cursor, limit: 500 },
          )
          states.push(...page.items)
          if (page.nextCursor === null || page.nextCursor === undefined) return states
          cursor = page.nextCursor
        }
      }),
    )

  const sheetOf = (bytes: Uint8Array) => {
    const book = XLSX.read(bytes, { type: "array", cellDates: true })
    const sheet = book.Sheets[book.SheetNames[0] ?? ""]!
    return {
      names: book.SheetNames,
      rows: XLSX.utils.sheet_to_json<Array<unknown>>(sheet, { header: 1, raw: true }),
      ref: sheet["!ref"],
      filter: sheet["!autofilter"],
      widths: sheet["!cols"]?.map((c) => c.wch),
    }
  }

  for (const variant of [
    { query: "", personal: false, open: undefined, context: "api.case.export:xlsx" },
    {
      query: "?personal=true&open=true",
      personal: true,
      open: true,
      context: "api.case.export:xlsx:personal",
    },
  ]) {
    it(`gives the workbook of the whole list made in one go, audited once (${variant.context})`, async () => {
      const { response, bytes } = await download(
        `/regions/${REGION}/cases.xlsx${variant.query}`,
        coordinator.token,
      )
      expect(response.status).toBe(200)
      const states = await allStates(variant.open)
      expect(states.length).toBeGreaterThan(100)
      const region = gateway.config.regions.find((r) => r.region.id === REGION)!
      const expected = CaseList.workbook(states, {
        plugin: region.plugin,
        context: Regions.contextFor(region, TODAY),
        includePersonal: variant.personal,
        title: `Casussen ${region.region.name} ${TODAY}`,
      })
      const got = sheetOf(bytes)
      expect(got.rows).toHaveLength(states.length + 1)
      expect(got).toEqual(sheetOf(expected))

      // One record for the whole export, in the request's name, as for a list read.
      const requestId = response.headers.get("x-request-id") ?? ""
      const audit = await gateway.runtime.runPromise(
        Effect.flatMap(AuditLog.AuditLog, (a) => a.list({ requestId }, { limit: 10 })),
      )
      expect(audit.items).toEqual([
        expect.objectContaining({
          action: "export",
          recordType: "case",
          regionId: REGION,
          context: variant.context,
          userId: coordinator.id,
          requestId,
        }),
      ])
    })
  }
})
