import { Ids, Organisation, Timestamp } from "@verzuimregie/domain"
import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { AccountPolicy, Accounts, LINK_PATTERN } from "../src/Accounts.js"
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
      // The secret is everything after the id; it may itself hold "_" (base64url).
      const secret = /^vrt_[0-9a-z]{16}_(.+)$/.exec(issued.token)?.[1] ?? ""
      expect(secret).toHaveLength(43)
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

    it("reads the users of one region without the rest (a region among several, never a prefix of another)", async () => {
      const org = await use((a) => a.createOrganisation({ name: "Regioschool", kind: "school" }))
      const make = (name: string, regions: ReadonlyArray<string>) =>
        use((a) =>
          a.createUser({
            organisationId: org.id,
            name,
            email: `${name.replace(/\W/g, "")}.${backend}@test.example` as never,
            roles: ["case-worker"],
            regions: regions.map((r) => Ids.RegionId.make(r)) as never,
            partyRole: "smw-verzuim",
          }),
        )
      const only = await make("Alleen Noord", ["noord-usersin"])
      const both = await make("Noord en Zuid", ["zuid-usersin", "noord-usersin"])
      const prefix = await make("Noordwest", ["noord-usersin-west"])
      const ids = (await use((a) => a.usersIn(Ids.RegionId.make("noord-usersin")))).map((u) => u.id)
      expect(ids).toEqual([only.id, both.id])
      expect(ids).not.toContain(prefix.id)
    })

    it("pages organisations, users and tokens in the query, a region admin's reach before the limit", async () => {
      const all = async <A>(
        next: (cursor: string | undefined) => Promise<{ items: ReadonlyArray<A>; nextCursor: string | null }>,
      ) => {
        const pages: Array<ReadonlyArray<A>> = []
        let cursor: string | undefined
        do {
          const page = await next(cursor)
          pages.push(page.items)
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined && pages.length < 100)
        return pages
      }
      const org = await use((a) => a.createOrganisation({ name: "Paginaschool", kind: "school" }))
      await use((a) => a.createOrganisation({ name: "Paginagemeente", kind: "gemeente" }))
      const orgPages = await all((cursor) => use((a) => a.organisationPage({ limit: 2, cursor })))
      expect(orgPages.slice(0, -1).every((p) => p.length === 2)).toBe(true)
      expect(orgPages.flat().map((o) => o.id)).toEqual((await use((a) => a.organisations())).map((o) => o.id))

      const region = (id: string) => Ids.RegionId.make(`${id}-${backend}`)
      const make = (name: string, regions: Array<Ids.RegionId>) =>
        use((a) =>
          a.createUser({
            organisationId: org.id,
            name,
            email: `${name.replaceAll(" ", ".")}.${backend}@test.example` as never,
            roles: ["referrer"],
            regions: regions as never,
            partyRole: "mentor",
          }),
        )
      const inside = [
        await make("Pagina C", [region("noord")]),
        await make("Pagina A", [region("noord")]),
        await make("Pagina B", [region("noord"), region("oost")]),
      ]
      // Outside: one region too many, and a region whose id only starts like an allowed one.
      await make("Pagina D", [region("noord"), region("zuid")])
      await make("Pagina E", [region("noordwest")])
      const within = [region("noord"), region("oost")]
      const userPages = await all((cursor) => use((a) => a.userPage({ within }, { limit: 2, cursor })))
      expect(userPages.map((p) => p.map((u) => u.name))).toEqual([["Pagina A", "Pagina B"], ["Pagina C"]])
      expect(new Set(userPages.flat().map((u) => u.id))).toEqual(new Set(inside.map((u) => u.id)))
      const everyone = await all((cursor) => use((a) => a.userPage({}, { limit: 3, cursor })))
      expect(everyone.flat().map((u) => u.id)).toEqual((await use((a) => a.users())).map((u) => u.id))

      const service = await use((a) =>
        a.createUser({
          organisationId: org.id,
          name: "Paginadienst",
          email: `paginadienst.${backend}@test.example` as never,
          roles: ["referrer"],
          regions: [region("noord")] as never,
          partyRole: "mentor",
          kind: "service",
        }),
      )
      const issued = []
      for (const label of ["een", "twee", "drie"])
        issued.push(await use((a) => a.issueServiceToken(service.id, { label })))
      const tokenPages = await all((cursor) => use((a) => a.tokenPage(service.id, { limit: 2, cursor })))
      expect(tokenPages.map((p) => p.length)).toEqual([2, 1])
      // Issued within one millisecond they tie on the time; the id breaks the tie.
      const listed = tokenPages.flat()
      expect(listed.map((t) => `${t.createdAt} ${t.tokenId}`)).toEqual(
        listed.map((t) => `${t.createdAt} ${t.tokenId}`).sort(),
      )
      expect(new Set(listed.map((t) => t.tokenId))).toEqual(new Set(issued.map((t) => t.tokenId)))
      expect(tokenPages.flat()[0]?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)

      // A cursor of one list does not page another.
      const first = await use((a) => a.organisationPage({ limit: 1 }))
      expect(await fail((a) => a.userPage({}, { cursor: first.nextCursor ?? "x" }))).toMatchObject({
        _tag: "InvalidCursor",
      })
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

    const org = () => use((a) => a.createOrganisation({ name: "Scheiding", kind: "gemeente" }))
    const person = async (roles: ["coordinator"] | ["referrer"] = ["coordinator"]) => {
      n++
      const { id: organisationId } = await org()
      return use((a) =>
        a.createUser({
          organisationId,
          name: `Persoon ${n}`,
          email: `persoon.${n}.${backend}@test.example` as never,
          roles,
          regions: [Ids.RegionId.make("westland")],
          partyRole: "smw-verzuim",
        }),
      )
    }
    const mailMessage = (linkId: string) => ({
      topic: "mail",
      messageId: `signin:${linkId}`,
      payload: { template: "sign-in-link", linkId },
    })
    const count = (table: string) =>
      suite.runtime
        .runPromise(
          Effect.flatMap(Database, (db) =>
            db.sql.unsafe<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`),
          ),
        )
        .then((rows) => Number(rows[0]?.n ?? 0))

    it("refuses admin with a case role, and case roles on a service account, unless the policy allows the first", async () => {
      const { id: organisationId } = await org()
      const input = (roles: ReadonlyArray<string>, kind: "person" | "service", email: string) =>
        ({
          organisationId,
          name: "Dubbel",
          email: `${email}.${backend}@test.example`,
          roles,
          regions: [Ids.RegionId.make("westland")],
          partyRole: "overig",
          kind,
        }) as never
      const users = await count("users")
      expect(await fail((a) => a.createUser(input(["admin", "coordinator"], "person", "a")))).toMatchObject({
        reason: "roles-conflict",
        detail: "een beheerder heeft geen casusrol (coordinator): scheiding van taken",
      })
      expect(await fail((a) => a.createUser(input(["case-worker"], "service", "b")))).toMatchObject({
        reason: "roles-conflict",
      })
      expect(
        await fail((a) =>
          a.createUser({
            ...(input(["referrer"], "person", "c") as object),
            installationAdmin: true,
          } as never),
        ),
      ).toMatchObject({
        reason: "roles-conflict",
      })
      expect(await count("users")).toBe(users)
      const allowed = await suite.runtime.runPromise(
        Effect.flatMap(Accounts, (a) => a.createUser(input(["admin", "coordinator"], "person", "d"))).pipe(
          Effect.provideService(AccountPolicy, { allowAdminWithCaseRoles: true }),
        ),
      )
      expect(allowed.roles).toEqual(["admin", "coordinator"])
      // Even so, a service account holds no case role.
      const service = await suite.runtime.runPromise(
        Effect.flip(
          Effect.flatMap(Accounts, (a) => a.createUser(input(["coordinator"], "service", "e"))),
        ).pipe(Effect.provideService(AccountPolicy, { allowAdminWithCaseRoles: true })),
      )
      expect(service).toMatchObject({ reason: "roles-conflict" })
      // A role change follows the same rules, and a refused one changes nothing.
      const worker = await person()
      expect(await fail((a) => a.setRoles(worker.id, ["coordinator", "admin"]))).toMatchObject({
        reason: "roles-conflict",
      })
      expect(Option.map(await use((a) => a.user(worker.id)), (u) => u.roles)).toEqual(
        Option.some(["coordinator"]),
      )
      expect((await use((a) => a.setRoles(worker.id, ["case-worker"]))).roles).toEqual(["case-worker"])
    })

    it("lets an account that holds admin with a case role from before act without its case roles", async () => {
      const legacy = await person()
      const issued = await use((a) => a.issueToken(legacy.id))
      // As an older version could write it: admin and coordinator on one account.
      await suite.runtime.runPromise(
        Effect.flatMap(
          Database,
          (db) => db.sql`UPDATE users SET roles = 'coordinator,admin' WHERE id = ${legacy.id}`,
        ),
      )
      const found = await use((a) => a.authenticate(issued.token))
      expect(Option.map(found, (f) => f.user.roles)).toEqual(Option.some(["admin"]))
      // Unless the installation allows it explicitly.
      const allowed = await suite.runtime.runPromise(
        Effect.flatMap(Accounts, (a) => a.authenticate(issued.token)).pipe(
          Effect.provideService(AccountPolicy, { allowAdminWithCaseRoles: true }),
        ),
      )
      expect(Option.map(allowed, (f) => f.user.roles)).toEqual(Option.some(["coordinator", "admin"]))
    })

    it("mints an admin's token only for a service account", async () => {
      const user = await person()
      const tokens = await count("api_tokens")
      expect(await fail((a) => a.issueServiceToken(user.id))).toMatchObject({ reason: "person-token" })
      expect(await count("api_tokens")).toBe(tokens)
      const { id: organisationId } = await org()
      const service = await use((a) =>
        a.createUser({
          organisationId,
          name: "Koppeling",
          email: `koppeling.${backend}@test.example` as never,
          roles: ["referrer"],
          regions: [Ids.RegionId.make("westland")],
          partyRole: "overig",
          kind: "service",
        }),
      )
      const issued = await use((a) => a.issueServiceToken(service.id))
      expect(Option.map(await use((a) => a.authenticate(issued.token)), (f) => f.user.kind)).toEqual(
        Option.some("service"),
      )
    })

    it("delivers a person's token by a one-time link: the secret exists only in the mail, the link works once", async () => {
      const user = await person()
      const sent = await use((a) => a.requestSignInLink(user.id, mailMessage))
      // Before the mail is made there is no secret at all; the outbox names the link only.
      const outbox = await suite.runtime.runPromise(
        Effect.flatMap(
          Database,
          (db) =>
            db.sql<{
              payload: unknown
            }>`SELECT payload FROM outbox WHERE message_id = ${`signin:${sent.linkId}`}`,
        ),
      )
      expect(outbox).toHaveLength(1)
      const mailed = await use((a) => a.mailableLink(sent.linkId, 60_000))
      expect(mailed.secret).toMatch(LINK_PATTERN)
      expect(mailed.user.email).toBe(user.email)
      const stored = await suite.runtime.runPromise(
        Effect.flatMap(
          Database,
          (db) => db.sql<Record<string, unknown>>`SELECT * FROM token_links WHERE id = ${sent.linkId}`,
        ),
      )
      expect(String(stored[0]?.hash)).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.stringify(stored)).not.toContain(mailed.secret.slice(21))
      expect(await use((a) => a.linkState(mailed.secret))).toBe("valid")
      expect(await use((a) => a.linkState(`${mailed.secret.slice(0, -2)}xx`))).toBe("unknown")

      // Simultaneous uses: exactly one gets the token.
      const results = await Promise.all([1, 2, 3].map(() => use((a) => a.redeemLink(mailed.secret))))
      const redeemed = results.filter((r) => r._tag === "Redeemed")
      expect(redeemed).toHaveLength(1)
      expect(results.filter((r) => r._tag === "used")).toHaveLength(2)
      const token = (redeemed[0] as { redeemed: { issued: { token: string } } }).redeemed.issued.token
      expect(Option.map(await use((a) => a.authenticate(token)), (f) => f.user.id)).toEqual(
        Option.some(user.id),
      )
      expect(await use((a) => a.linkState(mailed.secret))).toBe("used")
      // A used link cannot be mailed again.
      expect(await fail((a) => a.mailableLink(sent.linkId, 60_000))).toMatchObject({
        reason: "link-not-possible",
      })
    })

    it("lets a link expire, makes only the last mailed secret work, and sends no link to a service account or an inactive person", async () => {
      const user = await person()
      const sent = await use((a) => a.requestSignInLink(user.id, mailMessage))
      // Validity zero: expired the moment it is mailed (no waiting on the clock).
      const expired = await use((a) => a.mailableLink(sent.linkId, 0))
      expect(await use((a) => a.linkState(expired.secret))).toBe("expired")
      expect(await use((a) => a.redeemLink(expired.secret))).toEqual({ _tag: "expired" })
      // A retried mail makes a new secret: the first one stops working.
      const first = await use((a) => a.mailableLink(sent.linkId, 60_000))
      const second = await use((a) => a.mailableLink(sent.linkId, 60_000))
      expect(await use((a) => a.linkState(first.secret))).toBe("unknown")
      expect(await use((a) => a.linkState(second.secret))).toBe("valid")
      await use((a) => a.setActive(user.id, false))
      expect(await use((a) => a.redeemLink(second.secret))).toEqual({ _tag: "unknown" })
      expect(await fail((a) => a.requestSignInLink(user.id, mailMessage))).toMatchObject({
        reason: "link-not-possible",
      })
    })
  })
})
