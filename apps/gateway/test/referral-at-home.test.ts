/**
 * The referral's "at home since" date starts the Thuiszitterspact clock (2016) and the Inspectie
 * category (issue 13, point 4): a referral of langdurig or absoluut verzuim, with no attendance
 * recorded after it, shows the category and the pact status on `GET /cases/{caseId}` and is on both
 * working lists, `GET /regions/{regionId}/thuiszitters` and `/pact-risks`, counted from the date the
 * referral gives. Before, such a case showed a pact alarm among the referral's rule signals while
 * its category and pact fields were empty and it was on neither list. SQLite always, PostgreSQL
 * with TEST_DATABASE_URL.
 */
import { LocalDate, type Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, referrerOf, skipPg, startGateway, TODAY } from "./support/gateway.js"

const REGION = "westland"
// TODAY is 2026-11-16: 6 July is more than 4 months before it (2b, pact alarm).
const SINCE = LocalDate.make("2026-07-06")

describe.each(["sqlite", "pg"] as const)("a referral's at-home-since date on %s", (database) => {
  describe.skipIf(database === "pg" && skipPg())("", () => {
    let gateway: Gateway
    let token = ""
    const caseIds = new Map<string, string>()

    beforeAll(async () => {
      gateway = await startGateway({ database })
      const worker = await gateway.user(["case-worker"], [REGION], {
        organisation: "Thuisschool",
        partyRole: "coordinator-passend-onderwijs",
      })
      token = worker.token
      const plugin = gateway.config.regions.find((r) => r.region.id === REGION)!.plugin
      for (const verzuimKind of ["langdurig", "absoluut", "relatief"] as const) {
        const base = Fixtures.referralFor(plugin, { on: TODAY })
        const body = {
          ...base,
          regionId: REGION,
          referrer: referrerOf(worker),
          verzuimKind,
          absence: { ...base.absence, since: SINCE },
        } as Referral.ReferralSubmission
        const created = await gateway.request("POST", "/referrals", { token, body })
        expect(created.status, created.text).toBe(201)
        caseIds.set(verzuimKind, created.json.caseId)
      }
    })
    afterAll(async () => {
      await gateway?.close()
    })

    const list = async (name: "thuiszitters" | "pact-risks") => {
      const reply = await gateway.request("GET", `/regions/${REGION}/${name}?limit=50`, { token })
      expect(reply.status, reply.text).toBe(200)
      // biome-ignore lint/suspicious/noExplicitAny: JSON items, read field by field
      return new Map<string, any>(reply.json.items.map((i: any) => [i.case.caseId, i]))
    }

    it("shows the category and the pact status on the case page, counted from the referral's date", async () => {
      const page = await gateway.request("GET", `/cases/${caseIds.get("langdurig")}`, { token })
      expect(page.status, page.text).toBe(200)
      expect(page.json.case.attendance).toEqual({
        situation: "thuiszittend",
        since: SINCE,
        fittingOffer: false,
      })
      expect(page.json.signals.categorie).toBe("2b")
      expect(page.json.signals.pact).toMatchObject({ status: "alarm", limitDate: "2026-10-06" })
      const absoluut = await gateway.request("GET", `/cases/${caseIds.get("absoluut")}`, { token })
      expect(absoluut.json.signals.categorie).toBe("1")
    })

    it("lists the pupil as a thuiszitter from the referral's date", async () => {
      const listed = await list("thuiszitters")
      expect(listed.get(caseIds.get("langdurig")!)).toMatchObject({ categorie: "2b", since: SINCE })
      expect(listed.get(caseIds.get("absoluut")!)).toMatchObject({ categorie: "1", since: SINCE })
      expect(listed.has(caseIds.get("relatief")!)).toBe(false)
    })

    it("lists the pupil among the pact risks with the alarm", async () => {
      const risks = await list("pact-risks")
      expect(risks.get(caseIds.get("langdurig")!)).toMatchObject({
        status: "alarm",
        since: SINCE,
        limitDate: "2026-10-06",
      })
      expect(risks.has(caseIds.get("relatief")!)).toBe(false)
    })
  })
})
