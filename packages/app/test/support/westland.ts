/**
 * The use-case tests' installation: one Westland region on a fresh SQLite store, the day fixed, and
 * callers made from real accounts (`callerFor`), shared by the case and the pupil-search tests.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Access, LocalDate, type Organisation, type Party } from "@verzuimregie/domain"
import { RegionConfig } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { Accounts, Database, Store } from "@verzuimregie/store"
import { Effect, Either, Layer } from "effect"
import type * as CurrentPrincipal from "../../src/CurrentPrincipal.js"
import * as Regions from "../../src/Regions.js"

export const TODAY = LocalDate.make("2026-11-16")
export const REGION = "westland"

export const regionConfig = Effect.promise(async () => {
  const dir = mkdtempSync(join(tmpdir(), "verzuimregie-app-"))
  const file = join(dir, "regions.yaml")
  const { writeFile } = await import("node:fs/promises")
  await writeFile(
    file,
    [
      "version: 1",
      "regions:",
      `  - id: ${REGION}`,
      "    name: Westland",
      "    holidayRegion: midden",
      "    municipalities: [Westland]",
      "    plugin: westland",
      "    settings:",
      "      firstContactWorkingDays: 5",
      "      referrerFeedbackWorkingDays: 5",
    ].join("\n"),
  )
  return Either.getOrThrow(await RegionConfig.loadRegionConfig(file, [westland]))
})

export const TestLayer = Layer.unwrapEffect(
  Effect.map(regionConfig, (config) =>
    Layer.mergeAll(
      Store.layer(Database.sqlite(join(mkdtempSync(join(tmpdir(), "verzuimregie-app-db-")), "test.db"))),
      Regions.layer(config, () => TODAY),
    ),
  ),
)

/** Whom a test user works for: their organisation's kind and their role as a party to a case. */
export interface TestParty {
  readonly organisation: Organisation.OrganisationKind
  readonly partyRole: Party.PartyRole
}

const SCHOOL_COORDINATOR: TestParty = { organisation: "school", partyRole: "coordinator-passend-onderwijs" }

/** A user of the test installation, as the caller of a use case through `door`. */
export const callerFor = (
  roles: ReadonlyArray<Access.UserRole>,
  regions: ReadonlyArray<string>,
  door: CurrentPrincipal.Door = "api",
  party: TestParty = SCHOOL_COORDINATOR,
): Effect.Effect<CurrentPrincipal.Caller, unknown, Accounts.Accounts> =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const org = yield* accounts.createOrganisation({
      name: `Organisatie ${Math.random()}`,
      kind: party.organisation,
    })
    const user = yield* accounts.createUser({
      organisationId: org.id,
      name: "Medewerker Synthetisch" as never,
      email: `m${Math.random().toString(36).slice(2)}@example.org` as never,
      roles: roles as never,
      regions: regions as never,
      partyRole: party.partyRole,
    })
    return {
      principal: {
        userId: user.id,
        organisationId: user.organisationId,
        name: user.name,
        roles: user.roles,
        regions: user.regions,
        partyRole: user.partyRole,
        tokenId: "test",
        installationAdmin: false,
      },
      door,
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      purpose: "casusregie",
    } satisfies CurrentPrincipal.Caller
  })
