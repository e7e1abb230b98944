/**
 * Synthetic demo data for a fresh installation: organisations, one user per role and region with a
 * token, and case histories from the deterministic generator, fitted to each region's workflow.
 * Runs on an empty database only. Every person is synthetic.
 */
import { type CaseEvent, Ids, LocalDate, type Party, type Referral } from "@verzuimregie/domain"
import { makeGenerator } from "@verzuimregie/domain/sample"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { Accounts, CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"

/** The generator's generic statuses, per plug-in, mapped onto the plug-in's own workflow. */
const statusMaps: Record<string, Record<string, string>> = {
  "er-op-af": {
    aangemeld: "aangemeld",
    intake: "kennismaking",
    "in-behandeling": "traject",
    monitoring: "nazorg",
    afgesloten: "afgesloten",
  },
  westland: {
    aangemeld: "aangemeld",
    intake: "regie",
    "in-behandeling": "hulp-ingezet",
    monitoring: "hulp-ingezet",
    afgesloten: "afgesloten",
  },
  amstelland: {
    aangemeld: "gemeld",
    intake: "onderzoek",
    "in-behandeling": "begeleiding",
    monitoring: "uitvoering",
    afgesloten: "afgesloten",
  },
}

/**
 * Rewrites a generated history onto a plug-in's statuses (status changes that map to no change
 * drop out) and, with `regiehouder`, onto a real user of the region: the generator's regiehouder
 * is a made-up user id, so the demo's case-worker takes the regie and acts where they acted.
 */
export const fitToWorkflow = (
  events: ReadonlyArray<CaseEvent.CaseEvent>,
  region: RegionConfig.EnabledRegion,
  regiehouder?: Party.RegiehouderRef,
): Array<CaseEvent.CaseEvent> => {
  const map = statusMaps[region.plugin.manifest.id] ?? {}
  const to = (status: string) => map[status] ?? region.plugin.workflow.initial
  const generated = new Set(
    events.flatMap((e) =>
      e._tag === "IntakeCompleted" || e._tag === "RegiehouderAssigned" || e._tag === "RegiehouderChanged"
        ? [e.regiehouder.userId]
        : [],
    ),
  )
  const out: Array<CaseEvent.CaseEvent> = []
  for (const generatedEvent of events) {
    let event = generatedEvent
    if (regiehouder !== undefined) {
      if (event.by.userId !== undefined && generated.has(event.by.userId))
        event = { ...event, by: regiehouder }
      if (
        event._tag === "IntakeCompleted" ||
        event._tag === "RegiehouderAssigned" ||
        event._tag === "RegiehouderChanged"
      )
        event = { ...event, regiehouder }
    }
    if (event._tag === "ReferralReceived") {
      const referral: Referral.Referral = {
        ...event.referral,
        regionId: region.region.id,
        extension: region.plugin.referral.exampleExtension as Referral.Referral["extension"],
      }
      out.push({ ...event, referral, initialStatus: region.plugin.workflow.initial })
    } else if (event._tag === "StatusChanged") {
      const from = to(event.from)
      const next = to(event.to)
      if (from !== next) out.push({ ...event, from, to: next })
    } else if (event._tag === "CaseClosed") {
      out.push({ ...event, finalStatus: "afgesloten" })
    } else out.push(event)
  }
  return out
}

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
        return user
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
      const partyRole = region.plugin.manifest.id === "amstelland" ? "casemanager-swv" : "smw-verzuim"
      const caseWorker = yield* issue(
        org.id,
        `Casusregisseur ${region.region.name}`,
        `regie.${id}@demo.example`,
        ["case-worker"],
        [id],
        partyRole,
      )
      const regiehouder: Party.RegiehouderRef = {
        name: caseWorker.name,
        role: caseWorker.partyRole,
        organisationId: caseWorker.organisationId,
        userId: caseWorker.id,
      }
      yield* issue(
        org.id,
        `Coördinator ${region.region.name}`,
        `coordinator.${id}@demo.example`,
        ["coordinator"],
        [id],
        partyRole,
      )
      const generator = makeGenerator(1000 + index, { on: today })
      for (const history of generator.cases(casesPerRegion, { closedShare: 0.3 })) {
        const events = fitToWorkflow(history.events, region, regiehouder)
        const [first, ...rest] = events
        if (first?._tag !== "ReferralReceived") continue
        yield* store.create({
          caseId: Ids.CaseId.make(history.caseId),
          referral: first,
          events: rest,
          regions: [id],
        })
      }
    }
    return users
  })
