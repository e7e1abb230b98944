/**
 * `Referrals.schools`: the schools a referral can name as the pupil's. A school referrer's own
 * organisation is the default; a leerplichtambtenaar's gemeente is no school and not on the list.
 * Only roles that may refer read it.
 */
import { Ids } from "@verzuimregie/domain"
import { Accounts } from "@verzuimregie/store"
import { Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as CurrentPrincipal from "../src/CurrentPrincipal.js"
import * as Referrals from "../src/Referrals.js"
import { openStore, type TestStore } from "./support/store.js"

let store: TestStore
beforeAll(async () => {
  store = await openStore("sqlite")
})
afterAll(async () => {
  await store?.close()
})

const callerOf = (
  organisationId: Ids.OrganisationId,
  roles: ReadonlyArray<"referrer" | "admin">,
): CurrentPrincipal.Caller => ({
  principal: {
    userId: Ids.UserId.make("user_0123456789abcdef"),
    organisationId,
    name: "Test",
    roles,
    regions: [Ids.RegionId.make("westland")],
    partyRole: "leerplichtambtenaar",
    tokenId: "test",
    installationAdmin: false,
  },
  door: "api",
  requestId: "req-schools",
  purpose: "casusregie",
})

describe("Referrals.schools", () => {
  it("lists the installation's schools, with the caller's own when it is one", async () => {
    const [tulp, gemeente] = await store.runtime.runPromise(
      Effect.flatMap(Accounts.Accounts, (a) =>
        Effect.all([
          a.createOrganisation({ name: "Basisschool De Tulp", kind: "school" }),
          a.createOrganisation({ name: "Gemeente Westland", kind: "gemeente" }),
        ]),
      ),
    )
    const asGemeente = await store.runtime.runPromise(
      Referrals.schools.pipe(CurrentPrincipal.provide(callerOf(gemeente.id, ["referrer"]))),
    )
    expect(asGemeente).toEqual({
      schools: [{ id: tulp.id, name: "Basisschool De Tulp", brin: null }],
      own: null,
    })
    const asSchool = await store.runtime.runPromise(
      Referrals.schools.pipe(CurrentPrincipal.provide(callerOf(tulp.id, ["referrer"]))),
    )
    expect(asSchool.own).toEqual({ id: tulp.id, name: "Basisschool De Tulp", brin: null })
    const asAdmin = await store.runtime.runPromiseExit(
      Referrals.schools.pipe(CurrentPrincipal.provide(callerOf(tulp.id, ["admin"]))),
    )
    expect(Exit.isFailure(asAdmin)).toBe(true)
  })
})
