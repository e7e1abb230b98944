/**
 * The account use cases on a real database: an admin's reach is checked on the row that is
 * changed, and every change commits with its audit records or not at all — a write that fails
 * leaves no record, a record that cannot be written leaves no change.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ids } from "@verzuimregie/domain"
import { Accounts, AuditLog, Database } from "@verzuimregie/store"
import { Effect, Either, Layer } from "effect"
import { Admin, AuditTrail, CurrentPrincipal } from "../src/index.js"
import { BACKENDS, freshStore, regionsOf, skip } from "./support/store.js"

const WESTLAND = Ids.RegionId.make("westland")
const AMSTELLAND = Ids.RegionId.make("amstelland")

/** The caller of the tests: an admin of `regions` (or of the installation), through the API. */
const adminOf = (
  regions: ReadonlyArray<Ids.RegionId>,
  options: { readonly installationAdmin?: boolean; readonly requestId?: string } = {},
): CurrentPrincipal.Caller => ({
  principal: {
    userId: Ids.UserId.make("user_beheerder01"),
    organisationId: Ids.OrganisationId.make("org_gemeente0001"),
    name: "Beheerder",
    roles: ["admin"],
    regions,
    partyRole: "overig",
    tokenId: "tok_test",
    installationAdmin: options.installationAdmin ?? false,
  },
  door: "api",
  requestId: options.requestId ?? "req-admin-test",
  purpose: "toegangsbeheer",
})

const installation = adminOf([], { installationAdmin: true })

/** An organisation and a user of `regions`, made by the installation admin. */
const seedUser = (
  regions: ReadonlyArray<Ids.RegionId>,
  email: string,
  kind: "person" | "service" = "person",
) =>
  Effect.gen(function* () {
    const org = yield* Admin.createOrganisation({ name: `Organisatie ${email}`, kind: "gemeente" })
    return yield* Admin.createUser({
      organisationId: org.id,
      name: "Medewerker",
      email,
      roles: ["referrer"],
      regions: [regions[0]!, ...regions.slice(1)],
      partyRole: "overig",
      kind,
    })
  }).pipe(CurrentPrincipal.provide(installation))

const auditRecords = Effect.flatMap(AuditLog.AuditLog, (log) => log.list({}, { limit: 500 })).pipe(
  Effect.map((page) => page.items),
)

const rowCount = (table: string) =>
  Effect.flatMap(Database.Database, ({ sql }) =>
    sql.unsafe<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`),
  ).pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))

for (const backend of BACKENDS) {
  // Each test migrates a fresh database: generous on a loaded machine.
  describe.skipIf(skip(backend))(`Admin on ${backend}`, { timeout: 60_000 }, () => {
    const env = Layer.merge(freshStore(backend), regionsOf([WESTLAND, AMSTELLAND]))

    it.scoped("a region admin changes the roles of a user of their own regions, audited in that region", () =>
      Effect.gen(function* () {
        const user = yield* seedUser([WESTLAND], "eigen@test.example")
        const changed = yield* Admin.setRoles(user.id, ["coordinator"]).pipe(
          CurrentPrincipal.provide(adminOf([WESTLAND])),
        )
        expect(changed.roles).toEqual(["coordinator"])
        const records = (yield* auditRecords).filter((r) => r.recordId === user.id && r.action === "update")
        expect(records.map((r) => [r.regionId, r.purpose, r.context, r.requestId])).toEqual([
          [WESTLAND, "toegangsbeheer", "api.user.roles:coordinator", "req-admin-test"],
        ])
      }).pipe(Effect.provide(env)),
    )

    it.scoped(
      "reads one user within reach, audited as a read in the user's region; beyond reach: unknown",
      () =>
        Effect.gen(function* () {
          const own = yield* seedUser([WESTLAND], "lezen@test.example")
          const other = yield* seedUser([AMSTELLAND], "anders@test.example")
          const read = yield* Admin.user(own.id).pipe(CurrentPrincipal.provide(adminOf([WESTLAND])))
          expect(read.email).toBe("lezen@test.example")
          const records = (yield* auditRecords).filter((r) => r.recordId === own.id && r.action === "read")
          expect(records.map((r) => [r.regionId, r.context])).toEqual([[WESTLAND, "api.user.read"]])
          const beyond = yield* Effect.either(
            Admin.user(other.id).pipe(CurrentPrincipal.provide(adminOf([WESTLAND]))),
          )
          const error = Either.isLeft(beyond) ? beyond.left : undefined
          expect(error instanceof Accounts.AccountError ? error.reason : error).toBe("user-unknown")
        }).pipe(Effect.provide(env)),
    )

    it.scoped("a user beyond reach answers as unknown, and nothing is changed or audited", () =>
      Effect.gen(function* () {
        const other = yield* seedUser([AMSTELLAND], "elders@test.example", "service")
        const [bothRegions] = [yield* seedUser([WESTLAND, AMSTELLAND], "beide@test.example")]
        const before = yield* auditRecords
        const westlandAdmin = adminOf([WESTLAND])
        const attempts: ReadonlyArray<Effect.Effect<unknown, unknown, Admin.Needs>> = [
          Admin.setRoles(other.id, ["coordinator"]),
          Admin.issueServiceToken(other.id, {}),
          Admin.sendSignInLink(bothRegions.id),
          Admin.deactivate(bothRegions.id),
        ]
        for (const attempt of attempts) {
          const result = yield* Effect.either(attempt.pipe(CurrentPrincipal.provide(westlandAdmin)))
          const error = Either.isLeft(result) ? result.left : undefined
          expect(error instanceof Accounts.AccountError ? error.reason : error).toBe("user-unknown")
        }
        const accounts = yield* Accounts.Accounts
        const stored = yield* accounts.user(other.id)
        expect(stored._tag === "Some" ? stored.value.roles : []).toEqual(["referrer"])
        expect(yield* rowCount("api_tokens")).toBe(0)
        expect((yield* auditRecords).length).toBe(before.length)
      }).pipe(Effect.provide(env)),
    )

    it.scoped("a token of a user beyond reach is not revoked; one within reach is, with its record", () =>
      Effect.gen(function* () {
        const service = yield* seedUser([AMSTELLAND], "dienst@test.example", "service")
        const issued = yield* Admin.issueServiceToken(service.id, { label: "koppeling" }).pipe(
          CurrentPrincipal.provide(installation),
        )
        const before = (yield* auditRecords).length
        const refused = yield* Effect.either(
          Admin.revokeToken(issued.tokenId).pipe(CurrentPrincipal.provide(adminOf([WESTLAND]))),
        )
        expect(
          Either.isLeft(refused) && refused.left instanceof Accounts.AccountError && refused.left.reason,
        ).toBe("token-unknown")
        const accounts = yield* Accounts.Accounts
        const [token] = yield* accounts.tokens(service.id)
        expect(token?.revokedAt).toBeUndefined()
        expect((yield* auditRecords).length).toBe(before)

        yield* Admin.revokeToken(issued.tokenId).pipe(CurrentPrincipal.provide(adminOf([AMSTELLAND])))
        const [revoked] = yield* accounts.tokens(service.id)
        expect(revoked?.revokedAt).toBeDefined()
        const records = (yield* auditRecords).filter((r) => r.recordId === `tok_${issued.tokenId}`)
        expect(records.map((r) => [r.action, r.regionId])).toEqual([
          ["update", AMSTELLAND],
          ["create", AMSTELLAND],
        ])
      }).pipe(Effect.provide(env)),
    )

    it.scoped("a write that fails leaves no audit record", () =>
      Effect.gen(function* () {
        yield* Admin.createOrganisation({ name: "School A", kind: "school", brin: "12AB" as never }).pipe(
          CurrentPrincipal.provide(installation),
        )
        const user = yield* seedUser([WESTLAND], "rollen@test.example")
        const before = yield* auditRecords
        const organisations = yield* rowCount("organisations")
        // A BRIN code another school has: refused, nothing written.
        const twin = yield* Effect.either(
          Admin.createOrganisation({ name: "School B", kind: "school", brin: "12AB" as never }).pipe(
            CurrentPrincipal.provide(installation),
          ),
        )
        expect(Either.isLeft(twin) && twin.left instanceof Accounts.AccountError && twin.left.reason).toBe(
          "brin-taken",
        )
        // Roles that may not go together (separation of duties): refused, nothing written.
        const mixed = yield* Effect.either(
          Admin.setRoles(user.id, ["admin", "coordinator"]).pipe(CurrentPrincipal.provide(installation)),
        )
        expect(Either.isLeft(mixed) && mixed.left instanceof Accounts.AccountError && mixed.left.reason).toBe(
          "roles-conflict",
        )
        expect(yield* rowCount("organisations")).toBe(organisations)
        expect((yield* auditRecords).length).toBe(before.length)
      }).pipe(Effect.provide(env)),
    )

    it.scoped("an audit record that cannot be written leaves no change", () =>
      Effect.gen(function* () {
        const user = yield* seedUser([WESTLAND], "spoor@test.example")
        const before = yield* auditRecords
        const organisations = yield* rowCount("organisations")
        // A request id the audit log refuses (it takes letters, digits and ._:- only): the record
        // fails after the change was written in the same transaction, which then rolls back.
        const untraceable = adminOf([], { installationAdmin: true, requestId: "geen geldig id!" })
        const org = yield* Effect.either(
          Admin.createOrganisation({ name: "Zonder spoor", kind: "gemeente" }).pipe(
            CurrentPrincipal.provide(untraceable),
          ),
        )
        expect(Either.isLeft(org) && org.left._tag).toBe("ValidationError")
        const roles = yield* Effect.either(
          Admin.setRoles(user.id, ["coordinator"]).pipe(CurrentPrincipal.provide(untraceable)),
        )
        expect(Either.isLeft(roles) && roles.left._tag).toBe("ValidationError")
        const service = yield* Effect.either(
          Admin.createUser({
            organisationId: user.organisationId,
            name: "Zonder spoor",
            email: "zonderspoor@test.example",
            roles: ["referrer"],
            regions: [WESTLAND],
            partyRole: "overig",
          }).pipe(CurrentPrincipal.provide(untraceable)),
        )
        expect(Either.isLeft(service) && service.left._tag).toBe("ValidationError")

        expect(yield* rowCount("organisations")).toBe(organisations)
        const accounts = yield* Accounts.Accounts
        const stored = yield* accounts.user(user.id)
        expect(stored._tag === "Some" ? stored.value.roles : []).toEqual(["referrer"])
        const users = yield* accounts.users()
        expect(users.some((u) => u.email === "zonderspoor@test.example")).toBe(false)
        // Nor its sign-in link or mail.
        expect(yield* rowCount("token_links")).toBe(1)
        expect((yield* auditRecords).length).toBe(before.length)
      }).pipe(Effect.provide(env)),
    )

    it.scoped("a region admin makes users in their own, known regions only, and no installation admins", () =>
      Effect.gen(function* () {
        const org = yield* Admin.createOrganisation({ name: "Gemeente", kind: "gemeente" }).pipe(
          CurrentPrincipal.provide(installation),
        )
        const westlandAdmin = adminOf([WESTLAND])
        const input = {
          organisationId: org.id,
          name: "Nieuw",
          email: "nieuw@test.example",
          roles: ["referrer"] as const,
          partyRole: "overig" as const,
        }
        const unknown = yield* Effect.flip(
          Admin.createUser({ ...input, regions: [WESTLAND, Ids.RegionId.make("atlantis")] }).pipe(
            CurrentPrincipal.provide(westlandAdmin),
          ),
        )
        expect(unknown instanceof Admin.RegionsRefused && [unknown.reason, unknown.details]).toEqual([
          "unknown",
          ["onbekende regio atlantis"],
        ])
        const outside = yield* Effect.flip(
          Admin.createUser({ ...input, regions: [AMSTELLAND] }).pipe(CurrentPrincipal.provide(westlandAdmin)),
        )
        expect(outside instanceof Admin.RegionsRefused && outside.reason).toBe("outside-reach")
        const promote = yield* Effect.flip(
          Admin.createUser({ ...input, roles: ["admin"], regions: [WESTLAND], installationAdmin: true }).pipe(
            CurrentPrincipal.provide(westlandAdmin),
          ),
        )
        expect(promote).toBeInstanceOf(Admin.InstallationAdminOnly)
        const referrer = yield* Effect.flip(
          Admin.users({}).pipe(
            CurrentPrincipal.provide({
              ...westlandAdmin,
              principal: { ...westlandAdmin.principal, roles: ["referrer"] },
            }),
          ),
        )
        expect(referrer).toBeInstanceOf(AuditTrail.NotPermitted)
        expect(yield* rowCount("users")).toBe(0)
      }).pipe(Effect.provide(env)),
    )

    it.scoped("the command line is a caller like any other: its own origin in the context", () =>
      Effect.gen(function* () {
        const user = yield* seedUser([WESTLAND], "cli@test.example")
        const cli: CurrentPrincipal.Caller = {
          ...installation,
          door: "cli",
          requestId: "cli:abcdefabcdef",
          origin: "cli:user-roles:os-jansen",
        }
        yield* Admin.setRoles(user.id, ["coordinator"]).pipe(CurrentPrincipal.provide(cli))
        const [record] = (yield* auditRecords).filter((r) => r.recordId === user.id && r.action === "update")
        expect(record?.context).toBe("cli:user-roles:os-jansen:coordinator")
        expect(record?.requestId).toBe("cli:abcdefabcdef")
      }).pipe(Effect.provide(env)),
    )
  })
}
