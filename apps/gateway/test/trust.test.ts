/**
 * Hostile probes of who refers and how often (issue 10, points 2 and 3): the referrer is who the
 * token says, whatever the body claims.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { dataFingerprint, type Gateway, referrerOf, startGateway, TODAY } from "./support/gateway.js"

const WESTLAND = "westland"
let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway()
})
afterAll(async () => {
  await gateway.close()
})

const submission = (regionId: string, patch: Partial<Referral.ReferralSubmission> = {}) => {
  const plugin = gateway.config.regions.find((r) => r.region.id === regionId)!.plugin
  return { ...Fixtures.referralFor(plugin, { on: TODAY }), regionId, ...patch } as Referral.ReferralSubmission
}

describe("the referrer is who the token says", () => {
  it("refuses a school user submitting as leerplichtambtenaar under someone else's name, writing nothing", async () => {
    const mentor = await gateway.user(["referrer"], [WESTLAND], {
      organisation: "Duinschool",
      partyRole: "mentor",
    })
    const before = await dataFingerprint(gateway)
    const forged = await gateway.request("POST", "/referrals", {
      token: mentor.token,
      body: submission(WESTLAND, {
        referrer: {
          ...referrerOf(mentor),
          role: "leerplichtambtenaar",
          name: "A. Leerplicht" as Referral.Referrer["name"],
        },
        // Westland's form agrees with the forged role, so only the identity check can refuse it.
        extension: { aanmeldendeInstantie: "leerplicht", hulpvraag: "Vaak afwezig.", gemeente: "Westland" },
      }),
    })
    expect(forged.status, forged.text).toBe(422)
    expect(forged.headers.get("content-type")).toBe("application/problem+json")
    expect(forged.json.detail).toBe("De aanmelder bent u zelf: naam, rol en organisatie komen uit uw account.")
    expect(forged.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "referrer.name",
      "referrer.role",
    ])
    expect(await dataFingerprint(gateway)).toEqual(before)
  })

  it("records the account's name, role and organisation, with the body's contact details", async () => {
    const mentor = await gateway.user(["referrer"], [WESTLAND], {
      organisation: "Kreekschool",
      partyRole: "mentor",
      name: "Mentor Kreek",
    })
    const created = await gateway.request("POST", "/referrals", {
      token: mentor.token,
      body: submission(WESTLAND, {
        // Spacing and case of the name do not make another person.
        referrer: {
          ...referrerOf(mentor),
          name: "mentor   KREEK" as Referral.Referrer["name"],
          phone: "0174 123 456" as Referral.Referrer["phone"],
        },
        pupil: { ...submission(WESTLAND).pupil, name: { givenName: "Eigen", familyName: "Aanmelder" } },
      }),
    })
    expect(created.status, created.text).toBe(201)
    const state = await gateway.runtime.runPromise(
      Effect.flatMap(CaseStore.CaseStore, (s) => s.get(created.json.caseId, { regions: [WESTLAND as never] })),
    )
    expect(state.referral.referrer).toEqual({
      role: "mentor",
      name: "Mentor Kreek",
      organisationId: mentor.organisationId,
      phone: "0174 123 456",
    })
  })
})
