/**
 * Synthetic demo data for a fresh installation: organisations, one user per role and region with a
 * token, and case histories from the deterministic generator, walked through each region's
 * workflow by its plug-in's demo course (`Demo.demoCases` of the SDK): the demo knows no state
 * ids, and every case is one the gateway could have recorded. Runs on an empty database only.
 * Every person is synthetic.
 */
import { randomBytes } from "node:crypto"
import { rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Samples } from "@verzuimregie/absence-import"
import { Absence, CurrentPrincipal } from "@verzuimregie/app"
import { type CaseEvent, Ids, LocalDate, type Party } from "@verzuimregie/domain"
import { Demo, type RegionConfig } from "@verzuimregie/plugin-sdk"
import { Accounts, CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"

/**
 * Hands a demo history to a real user of the region: the generator's regiehouder is a made-up
 * user id, so the region's demo case-worker takes the regie and acts where that one acted (the
 * regiehouder is a user of the region, not free text).
 */
export const heldBy = (
  events: ReadonlyArray<CaseEvent.CaseEvent>,
  regiehouder: Party.RegiehouderRef,
): Array<CaseEvent.CaseEvent> => {
  const generated = new Set(
    events.flatMap((e) =>
      e._tag === "IntakeCompleted" || e._tag === "RegiehouderAssigned" || e._tag === "RegiehouderChanged"
        ? [e.regiehouder.userId]
        : [],
    ),
  )
  return events.map((original) => {
    let event = original
    if (event.by.userId !== undefined && generated.has(event.by.userId)) event = { ...event, by: regiehouder }
    if (
      event._tag === "IntakeCompleted" ||
      event._tag === "RegiehouderAssigned" ||
      event._tag === "RegiehouderChanged"
    )
      event = { ...event, regiehouder }
    return event
  })
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
      roles: ReadonlyArray<Accounts.NewUser["roles"][number]>,
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
    // The school's own absence user (issue 15): imports the school's export and acts on its
    // pupils' signals; a referrer too, so "aanmelden" from a signal works in the demo.
    const schoolUser = yield* issue(
      school.id,
      "Verzuimcoördinator Demo",
      "verzuim@demo.example",
      ["school-verzuim", "referrer"],
      allRegions.slice(0, 1),
      "coordinator-passend-onderwijs",
    )
    yield* importDemoAbsence(schoolUser, today)
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
      // Amstelland's quarterly round (issue 16): an orthopedagoog of the samenwerkingsverband, who
      // sees only the round's cases of the region (docs/plugins.md).
      if (region.plugin.deadlines.some((d) => d.id === "kwartaalbespreking")) {
        const swv = region.plugin.manifest.organisations.find((o) => o.kind === "samenwerkingsverband")
        const swvName = swv === undefined ? undefined : `${swv.name} (demo)`
        const swvId =
          swv === undefined || swvName === undefined
            ? org.id
            : (organisations.get(swvName) ??
              (yield* accounts.createOrganisation({ name: swvName, kind: swv.kind })).id)
        if (swvName !== undefined) organisations.set(swvName, swvId)
        yield* issue(
          swvId,
          `Orthopedagoog ${region.region.name}`,
          `orthopedagoog.${id}@demo.example`,
          ["orthopedagoog"],
          [id],
          "orthopedagoog-swv",
        )
      }
      const cases = Demo.demoCases(
        region.plugin,
        { regionId: id, settings: region.settings, calendars: region.calendars },
        { seed: 1000 + index, count: casesPerRegion, today, closedShare: 0.3 },
      )
      for (const { caseId, walk } of cases) {
        const [first, ...rest] = heldBy(walk.events, regiehouder)
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

/**
 * The demo school's absence of this school year so far, from the reader's sample generator (a
 * Magister export of synthetic pupils), imported by the school's own user as an upload would be:
 * the demo's signal list is not empty. A failure is logged and the demo goes on without it.
 */
const importDemoAbsence = (user: Accounts.User, today: LocalDate.LocalDate) =>
  Effect.gen(function* () {
    const year = LocalDate.schoolYearOf(today)
    const sample = Samples.schoolYear({
      system: "magister",
      schoolBrin: "00XX",
      pupils: 120,
      seed: 15,
      schoolYear: year.startYear,
      until: today,
    })
    const path = join(tmpdir(), `verzuimregie-demo-${randomBytes(6).toString("hex")}.csv`)
    yield* Effect.promise(() => writeFile(path, sample.bytes, { mode: 0o600 }))
    yield* Absence.importFile({
      schoolId: user.organisationId,
      mapping: sample.mapping,
      period: sample.period,
      file: { path, name: sample.fileName },
      skipBadRows: false,
    }).pipe(
      CurrentPrincipal.provide({
        principal: CurrentPrincipal.principalOf(user, "demo"),
        door: "cli",
        requestId: `demo:${randomBytes(6).toString("base64url")}`,
        purpose: Absence.PURPOSE,
        origin: "cli:demo",
      }),
      Effect.ensuring(Effect.promise(() => rm(path, { force: true }))),
    )
  }).pipe(
    Effect.catchAllCause((cause) =>
      Effect.logWarning("demo: the sample absence year was not imported").pipe(
        Effect.annotateLogs({ cause: String(cause).slice(0, 500) }),
      ),
    ),
  )
