import { Ids, Organisation, Timestamp } from "@verzuimregie/domain"
import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { Accounts } from "../src/Accounts.js"
import { Database } from "../src/Database.js"
import { BACKENDS, skip, useStore } from "./support/backends.js"

describe.each(BACKENDS)("Accounts on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    const use = <A, E>(f: (a: Accounts) => Effect.Effect<A, E>) =>
      suite.runtime.runPromise(Effect.flatMap(Accounts, f))
    const fail = <A, E>(f: (a: Accounts) => Effect.Effect<A, E>) =>
      suite.runtime.runPromise(Effect.flip(Effect.flatMap(Accounts, f)))

    let n = 0
    const newUser = async (roles: ["coordinator"] | ["referrer"] = ["coordinator"]) => {
      const org = await use((a) => a.createOrganisation({ name: "Testschool", kind: "school" }))
      n++
      return use((a) =>
        a.createUser({
          organisationId: org.id,
          name: `Gebruiker ${n}`,
          email: `Gebruiker.${n}.${backend}@Test.example` as never,
          roles,
          regions: [Ids.RegionId.make("westland")],
          partyRole: "smw-verzuim",
        }),
      )
    }

    it("issues a token that authenticates its user, shown once and stored only as a hash", async () => {
      const user = await newUser()
      expect(user.email).toBe(user.email.toLowerCase())
      const issued = await use((a) => a.issueToken(user.id))
      expect(issued.token).toMatch(/^vrt_[0-9a-z]{16}_[A-Za-z0-9_-]{43}$/)
      const found = await use((a) => a.authenticate(issued.token))
      expect(Option.map(found, (f) => [f.user.id, f.user.roles, f.user.partyRole, f.tokenId])).toEqual(
        Option.some([user.id, ["coordinator"], "smw-verzuim", issued.tokenId]),
      )
      const secret = issued.token.split("_")[2] ?? ""
      const rows = await suite.runtime.runPromise(
        Effect.flatMap(
          Database,
          (db) => db.sql<{ hash: string }>`SELECT hash FROM api_tokens WHERE id = ${issued.tokenId}`,
        ),
      )
      expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.stringify(rows)).not.toContain(secret)
    })

    it("refuses a wrong secret, an unknown or malformed token, a revoked or expired one, and a deactivated user", async () => {
      const user = await newUser()
      const issued = await use((a) => a.issueToken(user.id))
      const wrong = `${issued.token.slice(0, -3)}${issued.token.endsWith("aaa") ? "bbb" : "aaa"}`
      for (const token of [wrong, `vrt_0000000000000000_${"A".repeat(43)}`, "Bearer nonsense", ""]) {
        expect(Option.isNone(await use((a) => a.authenticate(token))), token).toBe(true)
      }
      await use((a) => a.revokeToken(issued.tokenId))
      expect(Option.isNone(await use((a) => a.authenticate(issued.token)))).toBe(true)
      expect(await fail((a) => a.revokeToken(issued.tokenId))).toMatchObject({
        _tag: "AccountError",
        reason: "token-unknown",
      })

      const expired = await use((a) =>
        a.issueToken(user.id, { expiresAt: Timestamp.fromDate(new Date(Date.now() - 1000)) }),
      )
      expect(Option.isNone(await use((a) => a.authenticate(expired.token)))).toBe(true)
      const valid = await use((a) =>
        a.issueToken(user.id, { expiresAt: Timestamp.fromDate(new Date(Date.now() + 60_000)) }),
      )
      expect(Option.isSome(await use((a) => a.authenticate(valid.token)))).toBe(true)
      await use((a) => a.setActive(user.id, false))
      expect(Option.isNone(await use((a) => a.authenticate(valid.token)))).toBe(true)
    })

    it("refuses a second user with the same address and a user of an unknown organisation", async () => {
      const user = await newUser()
      const again = await fail((a) =>
        a.createUser({
          organisationId: user.organisationId,
          name: "Dubbel",
          email: user.email.toUpperCase() as never,
          roles: ["referrer"],
          regions: [Ids.RegionId.make("westland")],
          partyRole: "mentor",
        }),
      )
      expect(again).toMatchObject({ _tag: "AccountError", reason: "email-taken" })
      const orphan = await fail((a) =>
        a.createUser({
          organisationId: Ids.OrganisationId.make("org_doesnotexist01"),
          name: "Wees",
          email: "wees@test.example" as never,
          roles: ["referrer"],
          regions: [Ids.RegionId.make("westland")],
          partyRole: "mentor",
        }),
      )
      expect(orphan).toMatchObject({ _tag: "AccountError", reason: "organisation-unknown" })
      expect(await fail((a) => a.issueToken(Ids.UserId.make("user_doesnotexist01")))).toMatchObject({
        reason: "user-unknown",
      })
    })

    it("lists users and tokens", async () => {
      const user = await newUser(["referrer"])
      const issued = await use((a) => a.issueToken(user.id, { label: "ci" }))
      expect((await use((a) => a.users())).some((u) => u.id === user.id)).toBe(true)
      expect(await use((a) => a.tokens(user.id))).toEqual([
        expect.objectContaining({
          tokenId: issued.tokenId,
          userId: user.id,
          label: "ci",
          revokedAt: undefined,
        }),
      ])
      expect(await use((a) => a.countUsers())).toBeGreaterThan(0)
    })

    it("keeps a school's BRIN code, and none for an organisation without one", async () => {
      const school = await use((a) =>
        a.createOrganisation({ name: "Brinschool", kind: "school", brin: Organisation.Brin.make("12AB") }),
      )
      const gemeente = await use((a) => a.createOrganisation({ name: "Bringemeente", kind: "gemeente" }))
      expect(school.brin).toBe("12AB")
      const listed = await use((a) => a.organisations())
      expect(listed.find((o) => o.id === school.id)).toEqual({
        id: school.id,
        name: "Brinschool",
        kind: "school",
        brin: "12AB",
      })
      expect(listed.find((o) => o.id === gemeente.id)).not.toHaveProperty("brin")
    })
  })
})
