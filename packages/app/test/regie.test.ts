/**
 * The regiehouder is a user of the case's region who may hold cases, read from the accounts of a
 * real store (a SQLite file; the gateway's flow tests run the same path on PostgreSQL too); moving
 * the regie is for a coordinator or the current regiehouder.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { Case, CaseEvent, Errors, Ids, Timestamp } from "@verzuimregie/domain"
import { Fixtures, type Plugin, Workflow } from "@verzuimregie/plugin-sdk"
import { Accounts, Database, Store } from "@verzuimregie/store"
import { Effect, Either, ManagedRuntime, Schema } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as Regie from "../src/Regie.js"

const westland = Ids.RegionId.make("westland")
const delft = Ids.RegionId.make("delft")

const backends: ReadonlyArray<{ readonly name: string; readonly config: () => Database.DatabaseConfig }> = [
  {
    name: "sqlite",
    config: () =>
      Database.sqlite(Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-app-")), "test.db")),
  },
]

/** A region's case with the given regiehouder, folded by the domain. */
const caseWith = (regiehouder?: { readonly userId: Ids.UserId }) => {
  const plugin = {
    manifest: { id: "westland" },
    workflow: { initial: "aangemeld" },
    referral: { exampleExtension: {}, referrerRoles: ["mentor"] },
  } as unknown as Plugin.AnyRegionPlugin
  const on = "2026-03-10" as Parameters<typeof Fixtures.referralFor>[1]["on"]
  const opened = Fixtures.openCase(plugin, { on })
  return regiehouder === undefined
    ? opened
    : Either.getOrThrow(
        Case.evolve(opened, {
          _tag: "RegiehouderAssigned",
          at: Timestamp.Timestamp.make("2026-03-10T09:00:00.000Z"),
          by: Fixtures.fixtureStaff,
          regiehouder: Fixtures.fixtureRegiehouder("smw-verzuim", "X", regiehouder.userId),
        }),
      )
}

for (const backend of backends) {
  describe(`the regiehouder is a user of the region who may hold cases (${backend.name})`, () => {
    const runtime = ManagedRuntime.make(Store.layer(backend.config()))
    afterAll(() => runtime.dispose())
    const run = <A, E>(effect: Effect.Effect<A, E, Accounts.Accounts>) => runtime.runPromise(effect)

    const users = run(
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const org = yield* accounts.createOrganisation({ name: "Schoolformaat (test)", kind: "overig" })
        const make = (name: string, roles: Accounts.NewUser["roles"], regions: Accounts.NewUser["regions"]) =>
          accounts.createUser({
            organisationId: org.id,
            name,
            email: `${name.toLowerCase().replace(/\W+/g, ".")}@test.example` as Accounts.NewUser["email"],
            roles,
            regions,
            partyRole: "smw-verzuim",
          })
        const worker = yield* make("Casusregisseur Westland", ["case-worker"], [westland])
        const coordinator = yield* make("Coordinator Westland", ["coordinator"], [westland])
        const elsewhere = yield* make("Casusregisseur Delft", ["case-worker"], [delft])
        const referrer = yield* make("Aanmelder Westland", ["referrer"], [westland])
        const gone = yield* make("Oud-collega Westland", ["case-worker"], [westland])
        yield* accounts.setActive(gone.id, false)
        return { worker, coordinator, elsewhere, referrer, gone }
      }),
    )

    const refusal = async (userId: Ids.UserId) => {
      const result = await run(Effect.either(Regie.regiehouderFor(userId, westland)))
      if (Either.isRight(result)) return "accepted"
      expect(result.left).toBeInstanceOf(Errors.ValidationError)
      const error = result.left as Errors.ValidationError
      expect(error.issues[0]?.path).toBe("event.regiehouder.userId")
      return error.issues[0]?.message
    }

    it("takes name, party role and organisation from the account of a case-worker of the region", async () => {
      const { worker } = await users
      const ref = await run(Regie.regiehouderFor(worker.id, westland))
      expect(ref).toEqual({
        name: "Casusregisseur Westland",
        role: "smw-verzuim",
        organisationId: worker.organisationId,
        userId: worker.id,
      })
    })

    it("refuses an unknown user, staff of another region, a referrer and an inactive account", async () => {
      const { elsewhere, referrer, gone } = await users
      expect(await refusal(Ids.UserId.make("user_doesnotexist01"))).toBe(
        "geen medewerker van de regio van deze casus",
      )
      expect(await refusal(elsewhere.id)).toBe("geen medewerker van de regio van deze casus")
      expect(await refusal(referrer.id)).toBe(
        "deze medewerker kan geen casussen voeren (casusregisseur of coördinator)",
      )
      expect(await refusal(gone.id)).toBe("dit account is niet actief")
    })

    it("lets a coordinator or the current regiehouder move the regie, and nobody else", async () => {
      const { worker, coordinator, elsewhere } = await users
      const state = caseWith({ userId: worker.id })
      const change = {
        _tag: "RegiehouderChanged" as const,
        at: Timestamp.Timestamp.make("2026-03-11T09:00:00.000Z"),
        by: Fixtures.fixtureStaff,
        regiehouder: { name: "getypt", role: "overig" as const, userId: coordinator.id },
        reason: "Verlof",
      }
      const asCaller = (userId: Ids.UserId, roles: ReadonlyArray<string>) =>
        run(Effect.either(Regie.checkRegiehouderEvent(change, state, { userId, roles }, "westland")))
      const byOther = await asCaller(elsewhere.id, ["case-worker"])
      expect(Either.isLeft(byOther) && byOther.left).toBeInstanceOf(Workflow.EventRefused)
      expect(Either.isLeft(byOther) && (byOther.left as Workflow.EventRefused).reason).toBe(
        "alleen een coördinator of de huidige regiehouder kan de regie overdragen",
      )
      for (const [userId, roles] of [
        [worker.id, ["case-worker"]],
        [coordinator.id, ["coordinator"]],
      ] as const) {
        const allowed = await asCaller(userId, roles)
        // The account's name and role replace what the caller typed.
        expect(Either.isRight(allowed) && allowed.right).toMatchObject({
          regiehouder: { name: "Coordinator Westland", role: "smw-verzuim", userId: coordinator.id },
        })
      }
    })

    it("checks the user named by an intake too: no name without a user", async () => {
      const { elsewhere } = await users
      const intake = {
        _tag: "IntakeCompleted" as const,
        at: Timestamp.Timestamp.make("2026-03-11T09:00:00.000Z"),
        by: Fixtures.fixtureStaff,
        on: "2026-03-11",
        regiehouder: { name: "Alleen een naam", role: "smw-verzuim", userId: elsewhere.id },
      }
      // Without a user id the event does not even decode.
      const { userId: _, ...nameOnly } = intake.regiehouder
      const decoded = Schema.decodeUnknownEither(CaseEvent.IntakeCompleted)({
        ...intake,
        regiehouder: nameOnly,
      })
      expect(Either.isLeft(decoded)).toBe(true)
      const result = await run(
        Effect.either(
          Regie.checkRegiehouderEvent(
            intake as Parameters<typeof Regie.checkRegiehouderEvent>[0],
            caseWith(),
            { userId: elsewhere.id, roles: ["case-worker"] },
            "westland",
          ),
        ),
      )
      expect(Either.isLeft(result)).toBe(true)
    })
  })
}
