/**
 * Synthetic demo data for a fresh installation: organisations, one user per role and region with a
 * token, and case histories from the deterministic generator, walked through each region's
 * workflow by its plug-in's demo course (`Demo.demoCases` of the SDK): the demo knows no state
 * ids, and every case is one the gateway could have recorded. Runs on an empty database only.
 * Every person is synthetic.
 */
import { Ids, LocalDate } from "@verzuimregie/domain"
import { Demo, type RegionConfig } from "@verzuimregie/plugin-sdk"
import { Accounts, CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"

export interface DemoUser {
  readonly name: string
  readonly email: string
  readonly roles: string
  readonly regions: string
  readonly token: string
}

/**
 * Seeds the demo as of `today` (Europe/Amsterdam): no event is logged or dated after it, so a
 * case referred in the last weeks is still open. Regions that share an organisation (Westland and
 * Leidschendam-Voorburg both work with Schoolformaat) share one organisation record.
 */
export const seedDemo = (
  regions: ReadonlyArray<RegionConfig.EnabledRegion>,
  casesPerRegion = 40,
  today: LocalDate.LocalDate = LocalDate.todayInAmsterdam(),
) =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const store = yield* CaseStore.CaseStore
    const users: Array<DemoUser> = []
    const issue = (
      org: Ids.OrganisationId,
      name: string,
      email: string,
      roles: ReadonlyArray<"referrer" | "case-worker" | "coordinator" | "admin">,
      regionIds: ReadonlyArray<Ids.RegionId>,
      partyRole: Accounts.NewUser["partyRole"],
    ) =>
      Effect.gen(function* () {
        const user = yield* accounts.createUser({
          organisationId: org,
          name,
          email: email as Accounts.NewUser["email"],
          roles: roles as Accounts.NewUser["roles"],
          regions: regionIds as Accounts.NewUser["regions"],
          partyRole,
          // The demo's one admin manages every region of the demo.
          installationAdmin: roles.includes("admin"),
        })
        const { token } = yield* accounts.issueToken(user.id, { label: "demo" })
        users.push({ name, email, roles: roles.join(","), regions: regionIds.join(","), token })
      })
    const allRegions = regions.map((r) => r.region.id)
    const beheer = yield* accounts.createOrganisation({ name: "Beheer verzuimregie (demo)", kind: "overig" })
    yield* issue(beheer.id, "Beheerder Demo", "beheer@demo.example", ["admin"], allRegions, "overig")
    const school = yield* accounts.createOrganisation({ name: "Wilgenlyceum (demo)", kind: "school" })
    yield* issue(
      school.id,
      "Zorgcoördinator Demo",
      "zorgcoordinator@demo.example",
      ["referrer"],
      allRegions,
      "coordinator-passend-onderwijs",
    )
    const organisations = new Map<string, Ids.OrganisationId>()
    for (const [index, region] of regions.entries()) {
      const name = `${region.plugin.manifest.organisations[0]?.name ?? region.region.name} (demo)`
      const known = organisations.get(name)
      const org = {
        id:
          known ??
          (yield* accounts.createOrganisation({
            name,
            kind: region.plugin.manifest.organisations[0]?.kind ?? "overig",
          })).id,
      }
      organisations.set(name, org.id)
      const id = region.region.id
      const partyRole = region.plugin.demo.staffRole
      yield* issue(
        org.id,
        `Casusregisseur ${region.region.name}`,
        `regie.${id}@demo.example`,
        ["case-worker"],
        [id],
        partyRole,
      )
      yield* issue(
        org.id,
        `Coördinator ${region.region.name}`,
        `coordinator.${id}@demo.example`,
        ["coordinator"],
        [id],
        partyRole,
      )
      const cases = Demo.demoCases(
        region.plugin,
        { regionId: id, settings: region.settings, calendars: region.calendars },
        { seed: 1000 + index, count: casesPerRegion, today, closedShare: 0.3 },
      )
      for (const { caseId, walk } of cases) {
        const [first, ...rest] = walk.events
        if (first?._tag !== "ReferralReceived") continue
        yield* store.create({
          caseId: Ids.CaseId.make(caseId),
          referral: first,
          events: rest,
          regions: [id],
        })
      }
    }
    return users
  })
