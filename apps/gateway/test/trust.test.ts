/**
 * Hostile probes of who refers and how often (issue 10, points 2 and 3): the referrer is who the
 * token says, whatever the body claims.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { dataFingerprint, type Gateway, referrerOf, skipPg, startGateway, TODAY } from "./support/gateway.js"

const WESTLAND = "westland"
const AMSTELLAND = "amstelland-meerlanden"
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
    expect(forged.json.detail).toBe(
      "De aanmelder bent u zelf: naam, rol en organisatie komen uit uw account.",
    )
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
          phone: "0174 123 456" as NonNullable<Referral.Referrer["phone"]>,
        },
        pupil: { ...submission(WESTLAND).pupil, name: { givenName: "Eigen", familyName: "Aanmelder" } },
      }),
    })
    expect(created.status, created.text).toBe(201)
    const state = await gateway.runtime.runPromise(
      Effect.flatMap(CaseStore.CaseStore, (s) =>
        s.get(created.json.caseId, { regions: [WESTLAND as never] }),
      ),
    )
    expect(state.referral.referrer).toEqual({
      role: "mentor",
      name: "Mentor Kreek",
      organisationId: mentor.organisationId,
      phone: "0174 123 456",
    })
  })
})

const countCases = (g: Gateway) => dataFingerprint(g).then((f) => f.cases)

describe("a second referral for a pupil with an open case (Westland refuses)", () => {
  it("answers 409 without a key, naming the open referral only to its own referrer, and writes nothing", async () => {
    const mentor = await gateway.user(["referrer"], [WESTLAND], {
      organisation: "Strandschool",
      partyRole: "mentor",
    })
    const other = await gateway.user(["referrer"], [WESTLAND], {
      organisation: "Havenschool",
      partyRole: "mentor",
    })
    const worker = await gateway.user(["case-worker"], [WESTLAND], {
      organisation: "Regie Westland",
      partyRole: "leerplichtambtenaar",
    })
    const pupil = {
      ...submission(WESTLAND).pupil,
      name: { givenName: "Dubbel", familyName: "Westland Zuid" },
    }
    const first = await gateway.request("POST", "/referrals", {
      token: mentor.token,
      body: submission(WESTLAND, { referrer: referrerOf(mentor), pupil }),
    })
    expect(first.status, first.text).toBe(201)
    expect(first.json.addedToOpenCase).toBe(false)
    const before = await dataFingerprint(gateway)

    const again = await gateway.request("POST", "/referrals", {
      token: mentor.token,
      body: submission(WESTLAND, { referrer: referrerOf(mentor), pupil }),
    })
    expect(again.status, again.text).toBe(409)
    expect(again.headers.get("content-type")).toBe("application/problem+json")
    expect(again.json.type).toBe("https://verzuimregie.nl/problems/open-case-exists")
    expect(again.json.referral).toBe(`/referrals/${first.json.referralId}`)
    expect(again.json.case).toBeUndefined()

    // Another school, the same pupil spelled loosely (case, an accent, inner spaces): the same
    // pupil, told nothing it may not see.
    const loose = { ...pupil, name: { givenName: "DÙBBEL", familyName: "westland   zuid" } }
    const theirs = await gateway.request("POST", "/referrals", {
      token: other.token,
      body: submission(WESTLAND, { referrer: referrerOf(other), pupil: loose }),
    })
    expect(theirs.status, theirs.text).toBe(409)
    expect(theirs.json.detail).toBe(
      "Voor deze leerling loopt in deze regio al een casus: er is geen tweede casus geopend. Neem contact op met de regio als u iets wilt aanvullen.",
    )
    expect(theirs.json.referral).toBeUndefined()
    expect(theirs.json.case).toBeUndefined()
    expect(theirs.text).not.toContain(first.json.caseId)
    expect(theirs.text).not.toContain(first.json.referralId)

    // A case worker of the region (the leerplichtambtenaar taking a call), who may open the file,
    // is pointed to the case.
    const taken = await gateway.request("POST", "/referrals", {
      token: worker.token,
      body: submission(WESTLAND, {
        referrer: referrerOf(worker),
        pupil,
        extension: { aanmeldendeInstantie: "leerplicht", hulpvraag: "Vaak afwezig.", gemeente: "Westland" },
      }),
    })
    expect(taken.status, taken.text).toBe(409)
    expect(taken.json.case).toBe(`/cases/${first.json.caseId}`)
    expect(taken.json.referral).toBeUndefined()

    expect(await dataFingerprint(gateway)).toEqual(before)
  })

  it("matches on the BSN when the referral has one, whatever the name", async () => {
    const mentor = await gateway.user(["referrer"], [WESTLAND], {
      organisation: "Bsnschool",
      partyRole: "mentor",
    })
    const base = submission(WESTLAND).pupil
    const withBsn = { ...base, personNumber: { _tag: "bsn", value: "999990019" } } as typeof base
    const first = await gateway.request("POST", "/referrals", {
      token: mentor.token,
      body: submission(WESTLAND, { referrer: referrerOf(mentor), pupil: withBsn }),
    })
    expect(first.status, first.text).toBe(201)
    const renamed = { ...withBsn, name: { givenName: "Andere", familyName: "Naam" } }
    const again = await gateway.request("POST", "/referrals", {
      token: mentor.token,
      body: submission(WESTLAND, { referrer: referrerOf(mentor), pupil: renamed }),
    })
    expect(again.status, again.text).toBe(409)
  })
})

describe("a second referral for a pupil with an open case (Amstelland links)", () => {
  it("adds it to the open case as an event, opens no case, and does not show the case", async () => {
    const school = await gateway.user(["referrer"], [AMSTELLAND], {
      organisation: "Meerlandenschool",
      partyRole: "mentor",
    })
    const other = await gateway.user(["referrer"], [AMSTELLAND], {
      organisation: "Amstelschool",
      partyRole: "teamleider",
    })
    const pupil = { ...submission(AMSTELLAND).pupil, name: { givenName: "Gekoppeld", familyName: "Amstel" } }
    const first = await gateway.request("POST", "/referrals", {
      token: school.token,
      body: submission(AMSTELLAND, { referrer: referrerOf(school), pupil }),
    })
    expect(first.status, first.text).toBe(201)
    const cases = await countCases(gateway)
    const second = await gateway.request("POST", "/referrals", {
      token: other.token,
      body: submission(AMSTELLAND, { referrer: referrerOf(other), pupil }),
    })
    expect(second.status, second.text).toBe(201)
    expect(second.json).toEqual({
      referralId: expect.stringMatching(/^ref_/),
      regionId: AMSTELLAND,
      submittedAt: expect.any(String),
      addedToOpenCase: true,
    })
    expect(await countCases(gateway)).toBe(cases)
    const events = await gateway.runtime.runPromise(
      Effect.flatMap(CaseStore.CaseStore, (s) =>
        s.events(first.json.caseId, { regions: [AMSTELLAND as never] }),
      ),
    )
    expect(events.map((e) => e.event._tag)).toEqual(["ReferralReceived", "ReferralLinked"])
    const linked = events[1]!.event
    if (linked._tag !== "ReferralLinked") throw new Error("unreachable")
    expect(linked.referral.id).toBe(second.json.referralId)
    expect(linked.referral.referrer).toMatchObject({ name: other.name, role: "teamleider" })
  })
})

describe.each(["sqlite", "pg"] as const)("concurrent duplicate referrals without a key on %s", (backend) => {
  describe.skipIf(backend === "pg" && skipPg())("", () => {
    it("opens one case for eight simultaneous referrals of one pupil; the others get 409", async () => {
      const g = backend === "sqlite" ? gateway : await startGateway({ database: "pg" })
      try {
        const plugin = g.config.regions.find((r) => r.region.id === WESTLAND)!.plugin
        const users = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            g.user(["referrer"], [WESTLAND], { organisation: `Raceschool ${i % 2}`, partyRole: "mentor" }),
          ),
        )
        const base = Fixtures.referralFor(plugin, { on: TODAY })
        const pupil = { ...base.pupil, name: { givenName: "Gelijktijdig", familyName: backend } }
        const before = await countCases(g)
        const replies = await Promise.all(
          users.map((user) =>
            g.request("POST", "/referrals", {
              token: user.token,
              body: { ...base, regionId: WESTLAND, referrer: referrerOf(user), pupil },
            }),
          ),
        )
        const statuses = replies.map((r) => r.status).sort()
        expect(statuses, replies.map((r) => r.text).join("\n")).toEqual([
          201, 409, 409, 409, 409, 409, 409, 409,
        ])
        expect(await countCases(g)).toBe((before ?? 0) + 1)
      } finally {
        if (g !== gateway) await g.close()
      }
    })
  })
})
