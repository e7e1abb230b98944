/**
 * Data hygiene over real HTTP, on SQLite and PostgreSQL (issue 12, point 10): one organisation per
 * BRIN code (409, nothing written), and no event that records something that happened after today
 * (422 with the field path; the test gateway's today is the fixed `TODAY`).
 */
import { LocalDate, type Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, referrerOf, skipPg, startGateway, TODAY } from "./support/gateway.js"

const backends = [
  { name: "sqlite", database: "sqlite" as const, skip: false },
  { name: "postgres", database: "pg" as const, skip: skipPg() },
]

for (const backend of backends) {
  describe.skipIf(backend.skip)(`data hygiene [${backend.name}]`, () => {
    let gateway: Gateway
    beforeAll(async () => {
      gateway = await startGateway({ database: backend.database })
    }, 60_000)
    afterAll(async () => {
      await gateway?.close()
    })

    it("refuses a second organisation with the same BRIN code: 409 naming the field, nothing written", async () => {
      const admin = await gateway.user(["admin"], ["westland"], { installationAdmin: true })
      const create = (name: string, brin: string) =>
        gateway.request("POST", "/admin/organisations", {
          token: admin.token,
          body: { name, kind: "school", brin },
        })
      const first = await create("Kreekrug College", "34XY")
      expect(first.status, first.text).toBe(201)
      const twin = await create("Kreekrug College (kopie)", "34XY")
      expect(twin.status, twin.text).toBe(409)
      expect(twin.headers.get("content-type")).toBe("application/problem+json")
      expect(twin.json.detail).toBe("Er is al een organisatie met deze BRIN-code.")
      expect(twin.json.errors).toEqual([
        { path: "brin", pointer: "/brin", detail: `BRIN-code 34XY is al in gebruik door ${first.json.id}` },
      ])
      const list = await gateway.request("GET", "/admin/organisations", { token: admin.token })
      expect(
        list.json.items.filter((o: { brin?: string }) => o.brin === "34XY").map((o: { id: string }) => o.id),
      ).toEqual([first.json.id])
      // Organisations without a code stay possible, any number of them.
      expect(
        (
          await gateway.request("POST", "/admin/organisations", {
            token: admin.token,
            body: { name: "Gemeente A", kind: "gemeente" },
          })
        ).status,
      ).toBe(201)
      expect(
        (
          await gateway.request("POST", "/admin/organisations", {
            token: admin.token,
            body: { name: "Gemeente B", kind: "gemeente" },
          })
        ).status,
      ).toBe(201)
    })

    it("refuses a contact dated after today with 422 at event.on; one dated today is logged", async () => {
      const regionId = "westland"
      const plugin = gateway.config.regions.find((r) => r.region.id === regionId)!.plugin
      const referrer = await gateway.user(["referrer"], [regionId], {
        organisation: "School hygiëne",
        partyRole: "coordinator-passend-onderwijs",
      })
      const worker = await gateway.user(["case-worker"], [regionId], { organisation: "Regie hygiëne" })
      const base = Fixtures.referralFor(plugin, { on: TODAY })
      const submitted = await gateway.request("POST", "/referrals", {
        token: referrer.token,
        body: {
          ...base,
          regionId,
          referrer: referrerOf(referrer),
        } as Referral.ReferralSubmission,
      })
      expect(submitted.status, submitted.text).toBe(201)
      const caseId = submitted.json.caseId
      const log = (expectedVersion: number, event: Record<string, unknown>) =>
        gateway.request("POST", `/cases/${caseId}/events`, {
          token: worker.token,
          body: { expectedVersion, event },
        })

      const tomorrow = LocalDate.addDays(TODAY, 1)
      const future = await log(1, { _tag: "ContactLogged", on: tomorrow, with: "ouder", channel: "telefoon" })
      expect(future.status, future.text).toBe(422)
      expect(future.json.errors).toEqual([
        {
          path: "event.on",
          pointer: "/event/on",
          detail: `${tomorrow} ligt na vandaag (${TODAY}); alleen een deadline mag in de toekomst liggen`,
        },
      ])
      // Nothing was written: the same expected version 1 is still current.
      const todays = await log(1, { _tag: "ContactLogged", on: TODAY, with: "ouder", channel: "telefoon" })
      expect(todays.status, todays.text).toBe(201)
      expect(todays.json.version).toBe(2)
    })
  })
}
