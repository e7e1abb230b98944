/**
 * The web sign-in use cases on a real database: a link is queued only for an active person, the
 * request is audited without the address, the link starts one session (method `link`) and only
 * once, and a token link starts no session.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ids } from "@verzuimregie/domain"
import { Accounts, AuditLog, Database } from "@verzuimregie/store"
import { Effect, Either, Layer } from "effect"
import { Admin, CurrentPrincipal, WebSignIn } from "../src/index.js"
import { BACKENDS, freshStore, regionsOf, skip } from "./support/store.js"

const WESTLAND = Ids.RegionId.make("westland")

const installation: CurrentPrincipal.Caller = {
  principal: {
    userId: Ids.UserId.make("user_beheerder01"),
    organisationId: Ids.OrganisationId.make("org_gemeente0001"),
    name: "Beheerder",
    roles: ["admin"],
    regions: [],
    partyRole: "overig",
    tokenId: "tok_test",
    installationAdmin: true,
  },
  door: "api",
  requestId: "req-web-sign-in-test",
  purpose: "toegangsbeheer",
}

const seedUser = (email: string, kind: "person" | "service" = "person") =>
  Effect.gen(function* () {
    const org = yield* Admin.createOrganisation({ name: `Organisatie ${email}`, kind: "gemeente" })
    return yield* Admin.createUser({
      organisationId: org.id,
      name: "Medewerker Linktest",
      email,
      roles: kind === "person" ? ["case-worker"] : ["referrer"],
      regions: [WESTLAND],
      partyRole: "overig",
      kind,
    })
  }).pipe(CurrentPrincipal.provide(installation))

/** The links queued by the outbox so far, by payload. */
const queuedLinks = Effect.flatMap(
  Database.Database,
  ({ sql }) => sql<{ payload: unknown }>`SELECT payload FROM outbox`,
).pipe(
  Effect.map((rows) =>
    rows
      .map(
        (r) =>
          (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload) as {
            template: string
            linkId: string
          },
      )
      .filter((p) => p.template === "web-sign-in-link"),
  ),
)

for (const backend of BACKENDS) {
  describe.skipIf(skip(backend))(`WebSignIn links on ${backend}`, { timeout: 60_000 }, () => {
    const env = Layer.merge(freshStore(backend), regionsOf([WESTLAND]))

    it.scoped("queues a link for an active person only, audited without the address", () =>
      Effect.gen(function* () {
        const person = yield* seedUser("persoon@test.example")
        yield* seedUser("koppeling@test.example", "service")
        yield* WebSignIn.requestLink("Persoon@Test.example ", "req-link-1", "/dossiers/cas_x")
        yield* WebSignIn.requestLink("koppeling@test.example", "req-link-2")
        yield* WebSignIn.requestLink("niemand@test.example", "req-link-3")
        const links = yield* queuedLinks
        expect(links).toHaveLength(1)
        expect(links[0]).toMatchObject({ returnTo: "/dossiers/cas_x" })

        const records = (yield* Effect.flatMap(AuditLog.AuditLog, (log) => log.list({}, { limit: 500 })))
          .items
        const of = (requestId: string) => records.filter((r) => r.requestId === requestId)
        expect(of("req-link-1").map((r) => [r.userId, r.recordType, r.context, r.regionId])).toEqual([
          [person.id, "sign-in-link", "web.sign-in-link:request", WESTLAND],
        ])
        for (const requestId of ["req-link-2", "req-link-3"])
          expect(of(requestId).map((r) => [r.userId, r.recordType, r.context])).toEqual([
            [WebSignIn.ANONYMOUS_ACTOR.userId, "sign-in-link-refused", "web.sign-in-link:no-account"],
          ])
        expect(JSON.stringify(records)).not.toContain("test.example")
      }).pipe(Effect.provide(env)),
    )

    it.scoped("signs in once with a link (method link); used, unknown and token links are refused", () =>
      Effect.gen(function* () {
        const person = yield* seedUser("eenmalig@test.example")
        yield* WebSignIn.requestLink("eenmalig@test.example", "req-link-4")
        const [queued] = yield* queuedLinks
        const accounts = yield* Accounts.Accounts
        const link = yield* accounts.mailableLink(queued?.linkId ?? "", 60_000, "session")
        expect(yield* WebSignIn.linkState(link.secret)).toBe("valid")

        const signedIn = yield* WebSignIn.signInWithLink(link.secret, "req-link-5")
        expect(signedIn.session.method).toBe("link")
        expect(signedIn.caller.principal.userId).toBe(person.id)
        expect(signedIn.caller.door).toBe("web")

        const again = yield* Effect.either(WebSignIn.signInWithLink(link.secret, "req-link-6"))
        expect(Either.isLeft(again) && again.left).toMatchObject({
          _tag: "SignInLinkUnusable",
          state: "used",
        })

        // An admin's token link (purpose `token`) starts no session.
        const tokenLink = yield* Admin.sendSignInLink(person.id).pipe(CurrentPrincipal.provide(installation))
        const tokenSecret = yield* accounts.mailableLink(tokenLink.linkId, 60_000)
        const refused = yield* Effect.either(WebSignIn.signInWithLink(tokenSecret.secret, "req-link-7"))
        expect(Either.isLeft(refused) && refused.left).toMatchObject({ state: "unknown" })
        expect(yield* accounts.linkState(tokenSecret.secret)).toBe("valid")
      }).pipe(Effect.provide(env)),
    )
  })
}
