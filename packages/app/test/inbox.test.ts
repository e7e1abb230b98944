/**
 * Owners are people, and the personal inbox: an action's owner or a meeting's participant named
 * by account must be staff of the case's region (else a Dutch field error, 422), and "Mijn werk"
 * lists what needs the caller, most urgent first, on a given day (the test's clock is `asOf`).
 * A real SQLite store with the Westland plug-in.
 */
import { describe, expect, it } from "@effect/vitest"
import { Errors, HttpMeaning, Ids, LocalDate, type Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { Accounts, AuditLog } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import * as Cases from "../src/Cases.js"
import * as CurrentPrincipal from "../src/CurrentPrincipal.js"
import * as Inbox from "../src/Inbox.js"
import * as Referrals from "../src/Referrals.js"
import { callerFor, REGION, TestLayer, TODAY } from "./support/westland.js"

const submission = (caller: CurrentPrincipal.Caller): Referral.ReferralSubmission =>
  ({
    ...Fixtures.referralFor(westland, { on: TODAY }),
    regionId: REGION,
    referrer: {
      ...Fixtures.referralFor(westland, { on: TODAY }).referrer,
      name: caller.principal.name,
      role: caller.principal.partyRole,
      organisationId: caller.principal.organisationId,
    },
  }) as Referral.ReferralSubmission

const newCase = (referrer: CurrentPrincipal.Caller) =>
  Effect.map(
    Referrals.submit(submission(referrer)).pipe(CurrentPrincipal.provide(referrer)),
    (receipt) => (receipt as unknown as { caseId: Ids.CaseId }).caseId,
  )

const assign = (
  caller: CurrentPrincipal.Caller,
  caseId: Ids.CaseId,
  version: number,
  owner: { readonly userId?: Ids.UserId; readonly name?: string },
  dueOn: LocalDate.LocalDate,
  description = "Gesprek met de mentor plannen",
) =>
  Cases.logEvent(caseId, {
    expectedVersion: version,
    event: {
      _tag: "ActionAssigned",
      action: {
        id: Ids.newId.action(),
        description,
        owner: { name: owner.name ?? "Getypte naam", role: "overig", ...owner },
        dueOn,
      },
    } as Cases.EventInput,
  }).pipe(CurrentPrincipal.provide(caller))

const refusal = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), (result) => {
    if (Either.isRight(result)) return "accepted"
    expect(result.left).toBeInstanceOf(Errors.ValidationError)
    const error = result.left as unknown as Errors.ValidationError
    expect(HttpMeaning.of(Errors.ValidationError)?.problem(error).status).toBe(422)
    return error.issues.map((i) => `${i.path}: ${i.message}`)
  })

describe("owners are people, and their inbox", () => {
  it.layer(TestLayer)((it) => {
    it.effect("an action owner or meeting participant with an account is staff of the case's region", () =>
      Effect.gen(function* () {
        const referrer = yield* callerFor(["referrer"], [REGION])
        const worker = yield* callerFor(["case-worker"], [REGION])
        const elsewhere = yield* callerFor(["case-worker"], ["delft"])
        const caseId = yield* newCase(referrer)
        const due = LocalDate.addDays(TODAY, 3)

        expect(
          yield* refusal(assign(worker, caseId, 1, { userId: Ids.UserId.make("user_doesnotexist01") }, due)),
        ).toEqual(["event.action.owner.userId: geen medewerker van de regio van deze casus"])
        expect(
          yield* refusal(assign(worker, caseId, 1, { userId: elsewhere.principal.userId }, due)),
        ).toEqual(["event.action.owner.userId: geen medewerker van de regio van deze casus"])
        expect(yield* refusal(assign(worker, caseId, 1, { userId: referrer.principal.userId }, due))).toEqual(
          [
            "event.action.owner.userId: deze gebruiker werkt niet in casussen; kies een casusregisseur of coördinator, of vul naam en rol in zonder account",
          ],
        )
        const accounts = yield* Accounts.Accounts
        const gone = yield* callerFor(["case-worker"], [REGION])
        yield* accounts.setActive(gone.principal.userId, false)
        expect(yield* refusal(assign(worker, caseId, 1, { userId: gone.principal.userId }, due))).toEqual([
          "event.action.owner.userId: dit account is niet actief",
        ])

        // A staff owner: name, role and organisation are the account's, whatever was typed.
        yield* assign(worker, caseId, 1, { userId: worker.principal.userId, name: "Iets anders" }, due)
        // A professional without an account still goes by name and role.
        yield* assign(worker, caseId, 2, { name: "Wijkagent Synthetisch" }, due)
        const { case: state } = yield* Cases.get(caseId).pipe(CurrentPrincipal.provide(worker))
        expect(state.actions.map((a) => a.owner)).toEqual([
          {
            name: worker.principal.name,
            role: worker.principal.partyRole,
            organisationId: worker.principal.organisationId,
            userId: worker.principal.userId,
          },
          { name: "Wijkagent Synthetisch", role: "overig" },
        ])

        // Meeting participants: each named account is checked, with the field path of its row.
        const meeting = (participants: ReadonlyArray<Record<string, unknown>>) =>
          Cases.logEvent(caseId, {
            expectedVersion: 3,
            event: {
              _tag: "MeetingHeld",
              meeting: {
                id: Ids.newId.meeting(),
                kind: "mdo",
                heldOn: TODAY,
                participants,
                reportFiled: false,
              },
            } as unknown as Cases.EventInput,
          }).pipe(CurrentPrincipal.provide(worker))
        expect(
          yield* refusal(
            meeting([
              { name: "Ouder", role: "ouder", mandated: false },
              { name: "x", role: "overig", userId: referrer.principal.userId },
            ]),
          ),
        ).toEqual([
          "event.meeting.participants[1].userId: deze gebruiker werkt niet in casussen; kies een casusregisseur of coördinator, of vul naam en rol in zonder account",
        ])
        yield* meeting([
          { name: "Ouder", role: "ouder", mandated: false },
          { name: "x", role: "overig", userId: worker.principal.userId, mandated: true },
        ])
        const after = yield* Cases.get(caseId).pipe(CurrentPrincipal.provide(worker))
        expect(after.case.meetings[0]?.participants).toEqual([
          { name: "Ouder", role: "ouder", mandated: false },
          {
            name: worker.principal.name,
            role: worker.principal.partyRole,
            organisationId: worker.principal.organisationId,
            userId: worker.principal.userId,
            mandated: true,
          },
        ])
        // The dossier's forms offer the region's staff to choose an owner from.
        const forms = yield* Cases.forms(caseId).pipe(CurrentPrincipal.provide(worker))
        expect(forms.staff.map((s) => s.userId)).toContain(worker.principal.userId)
        expect(forms.staff.map((s) => s.userId)).not.toContain(referrer.principal.userId)
      }),
    )

    it.effect(
      "my inbox: actions within a week, overdue from the day after, gone when done; new referrals; most urgent first",
      () =>
        Effect.gen(function* () {
          const referrer = yield* callerFor(["referrer"], [REGION])
          const worker = yield* callerFor(["case-worker"], [REGION])
          const colleague = yield* callerFor(["case-worker"], [REGION])
          const first = yield* newCase(referrer)
          const second = yield* newCase(referrer)
          const soon = LocalDate.addDays(TODAY, 2)
          const later = LocalDate.addDays(TODAY, 5)
          yield* assign(worker, first, 1, { userId: worker.principal.userId }, later, "Later")
          yield* assign(worker, second, 1, { userId: worker.principal.userId }, soon, "Eerst")
          yield* assign(worker, second, 2, { userId: colleague.principal.userId }, soon, "Van de collega")

          const inbox = (caller: CurrentPrincipal.Caller, asOf: LocalDate.LocalDate) =>
            Inbox.forMe(asOf).pipe(CurrentPrincipal.provide(caller))
          const actions = (found: Inbox.Inbox) =>
            found.items.filter((i) => i.kind === "actie").map((i) => [i.title, i.urgency, i.href])

          // A week ahead of the later one: only the earlier shows (due within 7 days).
          expect(actions(yield* inbox(worker, LocalDate.addDays(TODAY, -3)))).toEqual([
            ["Actie: Eerst", "binnenkort", `/dossiers/${second}`],
          ])
          expect(actions(yield* inbox(worker, TODAY))).toEqual([
            ["Actie: Eerst", "binnenkort", `/dossiers/${second}`],
            ["Actie: Later", "binnenkort", `/dossiers/${first}`],
          ])
          // On the due date it is due today; the day after, overdue, and first.
          expect(actions(yield* inbox(worker, soon))[0]).toEqual([
            "Actie: Eerst",
            "vandaag",
            `/dossiers/${second}`,
          ])
          const dayAfter = yield* inbox(worker, LocalDate.addDays(soon, 1))
          expect(actions(dayAfter)).toEqual([
            ["Actie: Eerst", "verlopen", `/dossiers/${second}`],
            ["Actie: Later", "binnenkort", `/dossiers/${first}`],
          ])
          // Sorted by urgency throughout; the new referrals wait below the dated items.
          const ranks = dayAfter.items.map((i) =>
            ["verlopen", "vandaag", "binnenkort", "nieuw"].indexOf(i.urgency),
          )
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
          expect(dayAfter.items[0]?.title).toBe("Actie: Eerst")
          const referrals = dayAfter.items.filter((i) => i.kind === "aanmelding").map((i) => i.caseId)
          expect(referrals).toEqual(expect.arrayContaining([first, second]))
          // The colleague sees their own action only.
          expect(actions(yield* inbox(colleague, TODAY))).toEqual([
            ["Actie: Van de collega", "binnenkort", `/dossiers/${second}`],
          ])

          // Done: gone from the inbox.
          const state = (yield* Cases.get(second).pipe(CurrentPrincipal.provide(worker))).case
          const done = state.actions.find((a) => a.description === "Eerst")
          yield* Cases.logEvent(second, {
            expectedVersion: state.version,
            event: { _tag: "ActionCompleted", actionId: done?.id, on: TODAY } as Cases.EventInput,
          }).pipe(CurrentPrincipal.provide(worker))
          expect(actions(yield* inbox(worker, LocalDate.addDays(soon, 1)))).toEqual([
            ["Actie: Later", "binnenkort", `/dossiers/${first}`],
          ])

          // Audited as one search of case data.
          const audit = yield* AuditLog.AuditLog
          const records = yield* audit.list({ requestId: worker.requestId })
          expect(records.items.map((r) => r.context)).toContain("api.case.search:mijn-werk")
        }),
    )

    it.effect("my cases with a deadline passing: the plug-in's deadlines of the cases I hold", () =>
      Effect.gen(function* () {
        const referrer = yield* callerFor(["referrer"], [REGION])
        const worker = yield* callerFor(["case-worker"], [REGION])
        const caseId = yield* newCase(referrer)
        yield* Cases.logEvent(caseId, {
          expectedVersion: 1,
          event: {
            _tag: "RegiehouderAssigned",
            regiehouder: { name: "x", role: "overig", userId: worker.principal.userId },
          } as Cases.EventInput,
        }).pipe(CurrentPrincipal.provide(worker))
        const { deadlines } = yield* Cases.get(caseId).pipe(CurrentPrincipal.provide(worker))
        const firstContact = deadlines.find((d) => d.id === "eerste-contact")
        expect(firstContact).toBeDefined()
        const dueOn = firstContact?.dueOn as LocalDate.LocalDate
        const found = yield* Inbox.forMe(LocalDate.addDays(dueOn, 1)).pipe(CurrentPrincipal.provide(worker))
        expect(found.items.find((i) => i.kind === "termijn" && i.caseId === caseId)).toMatchObject({
          title: firstContact?.label,
          urgency: "verlopen",
          dueOn,
          href: `/dossiers/${caseId}`,
        })
        // Not the regiehouder: not on my list.
        const other = yield* callerFor(["case-worker"], [REGION])
        const theirs = yield* Inbox.forMe(LocalDate.addDays(dueOn, 1)).pipe(CurrentPrincipal.provide(other))
        expect(theirs.items.some((i) => i.kind === "termijn" && i.caseId === caseId)).toBe(false)
      }),
    )

    it.effect("a referrer has no inbox", () =>
      Effect.gen(function* () {
        const referrer = yield* callerFor(["referrer"], [REGION])
        const result = yield* Effect.either(Inbox.forMe(TODAY).pipe(CurrentPrincipal.provide(referrer)))
        expect(Either.isLeft(result) && result.left._tag).toBe("Forbidden")
      }),
    )
  })
})
