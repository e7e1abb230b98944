/**
 * Amstelland's quarterly round on a real SQLite store: the list per school of the cases whose
 * kwartaalbespreking is due or overdue, recording a review with its outcome (which moves the next
 * due date), and who sees what: an orthopedagoog of another region gets 404, a case worker and a
 * referrer are refused the round (403), and the round shows no notes.
 */
import { mkdtempSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { type Access as DomainAccess, HttpMeaning, Ids, LocalDate, Timestamp } from "@verzuimregie/domain"
import amstelland from "@verzuimregie/plugin-amstelland"
import { Fixtures, RegionConfig } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { AuditLog, CaseStore, Database, Store } from "@verzuimregie/store"
import { Effect, Either, Layer } from "effect"
import * as CurrentPrincipal from "../src/CurrentPrincipal.js"
import * as QuarterlyRound from "../src/QuarterlyRound.js"
import * as Regions from "../src/Regions.js"
import * as support from "./support/westland.js"

const AMSTELLAND = Ids.RegionId.make("amstelland-meerlanden")
const OTHER = Ids.RegionId.make("amstelland-zuid")
const WESTLAND = Ids.RegionId.make("westland")

/** The test clock: the use cases' today. */
let today = LocalDate.make("2026-11-16")

const config = Effect.promise(async () => {
  const file = join(mkdtempSync(join(tmpdir(), "verzuimregie-round-")), "regions.yaml")
  const region = (id: string, name: string, holidayRegion: string, plugin: string) => [
    `  - id: ${id}`,
    `    name: ${name}`,
    `    holidayRegion: ${holidayRegion}`,
    "    municipalities: [Amstelveen]",
    `    plugin: ${plugin}`,
  ]
  await writeFile(
    file,
    [
      "version: 1",
      "regions:",
      ...region(AMSTELLAND, "Amstelland en de Meerlanden", "noord", "amstelland"),
      ...region(OTHER, "Amstelland Zuid", "noord", "amstelland"),
      ...region(WESTLAND, "Westland", "midden", "westland"),
    ].join("\n"),
  )
  return Either.getOrThrow(await RegionConfig.loadRegionConfig(file, [amstelland, westland]))
})

const TestLayer = Layer.unwrapEffect(
  Effect.map(config, (loaded) =>
    Layer.mergeAll(
      Store.layer(Database.sqlite(join(mkdtempSync(join(tmpdir(), "verzuimregie-round-db-")), "test.db"))),
      Regions.layer(loaded, () => today),
    ),
  ),
)

/** A user of an SWV (an orthopedagoog's party role), as the caller of a use case. */
const callerFor = (roles: ReadonlyArray<DomainAccess.UserRole>, regions: ReadonlyArray<Ids.RegionId>) =>
  support.callerFor(roles, regions, "api", {
    organisation: "samenwerkingsverband",
    partyRole: "orthopedagoog-swv",
  })

let n = 0
/** An Amstelland case reported on `on` for a pupil of `school`, with a typed note in the referral. */
const openCase = (regionId: Ids.RegionId, on: LocalDate.LocalDate, school: { id: string; name: string }) =>
  Effect.gen(function* () {
    const store = yield* CaseStore.CaseStore
    n++
    const submission = Fixtures.referralFor(amstelland, { on })
    const event = Fixtures.referralReceived(
      amstelland,
      {
        ...submission,
        regionId,
        pupil: {
          ...submission.pupil,
          name: { givenName: "Sanne", familyName: `Ronde ${n}` },
          enrolment: {
            schoolId: Ids.OrganisationId.make(school.id),
            schoolName: school.name as never,
            level: "VO",
          },
        },
        extension: { melding: "beperkt", gesprekMetOuders: true, lopendeInterventies: "NOTITIE-GEHEIM" },
      } as never,
      Timestamp.Timestamp.make(`${on}T08:00:00.000Z`),
    )
    const created = yield* store.create({
      referral: {
        ...event,
        referral: {
          ...event.referral,
          id: Ids.ReferralId.make(`ref_round${String(n).padStart(8, "0")}`),
          pupil: {
            ...event.referral.pupil,
            id: Ids.PupilId.make(`pupil_round${String(n).padStart(8, "0")}`),
          },
        },
      },
      regions: [regionId],
    })
    return created.state
  })

const LELIE = { id: "org_leliecollege01", name: "Leliecollege" }
const AMSTEL = { id: "org_amstelschool01", name: "Amstelschool" }

const statusOf = (error: unknown) =>
  HttpMeaning.of((error as { constructor: Parameters<typeof HttpMeaning.of>[0] }).constructor)?.problem(error)
    .status

describe("QuarterlyRound", () => {
  it.layer(TestLayer)((it) => {
    it.effect(
      "lists per school the overdue and soon-due reviews, and recording one moves the next due date",
      () =>
        Effect.gen(function* () {
          today = LocalDate.make("2026-11-16")
          const overdue = yield* openCase(AMSTELLAND, LocalDate.make("2026-08-03"), LELIE) // due 2026-11-03
          const soon = yield* openCase(AMSTELLAND, LocalDate.make("2026-09-01"), AMSTEL) // due 2026-12-01
          const later = yield* openCase(AMSTELLAND, LocalDate.make("2026-10-20"), LELIE) // due 2027-01-20
          yield* openCase(OTHER, LocalDate.make("2026-08-03"), LELIE) // another region's round
          const ortho = yield* callerFor(["orthopedagoog"], [AMSTELLAND])

          const round = yield* QuarterlyRound.list({}).pipe(
            Effect.provideService(CurrentPrincipal.CurrentPrincipal, ortho),
          )
          expect(round.on).toBe("2026-11-16")
          expect(round.withinDays).toBe(30)
          expect(round.schools.map((s) => [s.school, s.cases.map((c) => c.caseId), s.overdue])).toEqual([
            ["Amstelschool", [soon.id], 0],
            ["Leliecollege", [overdue.id], 1],
          ])
          const lelie = round.schools[1]!.cases[0]!
          expect(lelie).toEqual({
            caseId: overdue.id,
            regionId: AMSTELLAND,
            pupil: expect.stringMatching(/^Sanne Ronde \d+$/),
            status: { id: "gemeld", label: "Gemeld" },
            reportedOn: "2026-08-03",
            atHomeSince: "2026-06-24",
            lastReview: null,
            dueOn: "2026-11-03",
            dueStatus: "verlopen",
            daysOverdue: 13,
          })
          // Need-to-know: no note, birth date, BSN or parents in what the round returns.
          const text = JSON.stringify(round)
          expect(text).not.toContain("NOTITIE-GEHEIM")
          expect(text).not.toContain(overdue.referral.pupil.birthDate)
          // A wider window brings the later case in.
          const wide = yield* QuarterlyRound.list({ withinDays: 92 }).pipe(
            Effect.provideService(CurrentPrincipal.CurrentPrincipal, ortho),
          )
          expect(wide.schools.flatMap((s) => s.cases.map((c) => c.caseId))).toContain(later.id)
          const bad = yield* Effect.flip(
            QuarterlyRound.list({ withinDays: 93 }).pipe(
              Effect.provideService(CurrentPrincipal.CurrentPrincipal, ortho),
            ),
          )
          expect(bad).toMatchObject({ _tag: "ValidationError", issues: [{ path: "withinDays" }] })

          // Recording the review: an event with its outcome; the next review is due 3 months on.
          const recorded = yield* QuarterlyRound.record(overdue.id, {
            heldOn: "2026-11-12",
            outcome: "opschalen",
            schoolContact: "mentor",
          }).pipe(Effect.provideService(CurrentPrincipal.CurrentPrincipal, ortho))
          expect(recorded).toMatchObject({
            caseId: overdue.id,
            version: 2,
            heldOn: "2026-11-12",
            outcome: { id: "opschalen", label: "Opschalen naar uitgebreide melding" },
            nextDueOn: "2027-02-12",
          })
          const store = yield* CaseStore.CaseStore
          const events = yield* store.events(overdue.id, { regions: [AMSTELLAND] })
          expect(events.at(-1)?.event).toMatchObject({
            _tag: "MeetingHeld",
            by: { role: "orthopedagoog-swv", userId: ortho.principal.userId },
            meeting: {
              kind: "kwartaalbespreking",
              heldOn: "2026-11-12",
              reviewOutcome: "opschalen",
              participants: [
                { role: "orthopedagoog-swv" },
                { name: "Leliecollege", role: "mentor", organisationId: LELIE.id },
              ],
            },
          })
          // The case leaves the list (next due beyond the window) and the plug-in's deadline moved.
          const after = yield* QuarterlyRound.list({}).pipe(
            Effect.provideService(CurrentPrincipal.CurrentPrincipal, ortho),
          )
          expect(after.schools.flatMap((s) => s.cases.map((c) => c.caseId))).toEqual([soon.id])
          const state = yield* store.get(overdue.id, { regions: [AMSTELLAND] })
          const loaded = yield* config
          const region = loaded.regions.find((r) => r.region.id === AMSTELLAND)!
          expect(QuarterlyRound.dueOn(state, region, today)).toBe("2027-02-12")
          // Three months on (test clock), it is due again, with the last review and its outcome shown.
          today = LocalDate.make("2027-02-13")
          const next = yield* QuarterlyRound.list({}).pipe(
            Effect.provideService(CurrentPrincipal.CurrentPrincipal, ortho),
          )
          const again = next.schools.flatMap((s) => s.cases).find((c) => c.caseId === overdue.id)
          expect(again).toMatchObject({
            dueOn: "2027-02-12",
            dueStatus: "verlopen",
            daysOverdue: 1,
            lastReview: { heldOn: "2026-11-12", outcome: { id: "opschalen" } },
          })
          today = LocalDate.make("2026-11-16")

          // Audited: the list as a search naming the window, the review as an update of the case.
          const audit = yield* AuditLog.AuditLog
          const records = yield* audit.list({ requestId: ortho.requestId })
          expect(records.items.map((r) => [r.action, r.context])).toEqual(
            expect.arrayContaining([
              ["search", "api.case.search:kwartaalronde:binnen-30-dagen"],
              ["update", "api.case.update:kwartaalbespreking"],
            ]),
          )
        }),
    )

    it.effect("field errors in Dutch, all at once; a future date is refused", () =>
      Effect.gen(function* () {
        today = LocalDate.make("2026-11-16")
        const state = yield* openCase(AMSTELLAND, LocalDate.make("2026-08-10"), LELIE)
        const ortho = yield* callerFor(["orthopedagoog"], [AMSTELLAND])
        const error = yield* Effect.flip(
          QuarterlyRound.record(state.id, {
            heldOn: "2026-11-17",
            outcome: "x",
            schoolContact: "ouder",
          }).pipe(Effect.provideService(CurrentPrincipal.CurrentPrincipal, ortho)),
        )
        expect(error).toMatchObject({
          _tag: "ValidationError",
          issues: [
            { path: "heldOn", message: "De datum ligt na vandaag (16 november 2026)." },
            { path: "outcome", message: "Kies de uitkomst van de bespreking." },
            { path: "schoolContact", message: "Kies met wie van de school u de leerling besprak." },
          ],
        })
        expect(statusOf(error)).toBe(422)
      }),
    )

    it.effect("another region's orthopedagoog gets 404; a case worker and a referrer are refused (403)", () =>
      Effect.gen(function* () {
        today = LocalDate.make("2026-11-16")
        const state = yield* openCase(AMSTELLAND, LocalDate.make("2026-08-10"), LELIE)
        const review = { heldOn: "2026-11-16", outcome: "voortzetten", schoolContact: "mentor" }
        const elsewhere = yield* callerFor(["orthopedagoog"], [OTHER])
        const notFound = yield* Effect.flip(
          QuarterlyRound.record(state.id, review).pipe(
            Effect.provideService(CurrentPrincipal.CurrentPrincipal, elsewhere),
          ),
        )
        expect(notFound._tag).toBe("NotFound")
        expect(statusOf(notFound)).toBe(404)
        const theirs = yield* QuarterlyRound.list({}).pipe(
          Effect.provideService(CurrentPrincipal.CurrentPrincipal, elsewhere),
        )
        expect(theirs.schools.flatMap((s) => s.cases.map((c) => c.caseId))).not.toContain(state.id)
        const otherRegion = yield* Effect.flip(
          QuarterlyRound.list({ regionId: AMSTELLAND }).pipe(
            Effect.provideService(CurrentPrincipal.CurrentPrincipal, elsewhere),
          ),
        )
        expect(statusOf(otherRegion)).toBe(404)
        // A region without the round (Westland): nothing to see.
        const westlander = yield* callerFor(["orthopedagoog"], [WESTLAND])
        const none = yield* QuarterlyRound.list({}).pipe(
          Effect.provideService(CurrentPrincipal.CurrentPrincipal, westlander),
        )
        expect(none.schools).toEqual([])
        for (const role of ["case-worker", "referrer", "school-verzuim", "admin"] as const) {
          const caller = yield* callerFor([role], [AMSTELLAND])
          const listed = yield* Effect.flip(
            QuarterlyRound.list({}).pipe(Effect.provideService(CurrentPrincipal.CurrentPrincipal, caller)),
          )
          expect([role, statusOf(listed)]).toEqual([role, 403])
          const recorded = yield* Effect.flip(
            QuarterlyRound.record(state.id, review).pipe(
              Effect.provideService(CurrentPrincipal.CurrentPrincipal, caller),
            ),
          )
          expect([role, statusOf(recorded)]).toEqual([role, 403])
        }
        // The region's coordinator holds the round too.
        const coordinator = yield* callerFor(["coordinator"], [AMSTELLAND])
        const done = yield* QuarterlyRound.record(state.id, review).pipe(
          Effect.provideService(CurrentPrincipal.CurrentPrincipal, coordinator),
        )
        expect(done.nextDueOn).toBe("2027-02-16")
      }),
    )
  })
})
