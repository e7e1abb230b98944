import { describe, expect, it } from "@effect/vitest"
import { HttpMeaning, type Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { AuditLog } from "@verzuimregie/store"
import { Effect, Exit } from "effect"
import * as Access from "../src/Access.js"
import * as Cases from "../src/Cases.js"
import * as CurrentPrincipal from "../src/CurrentPrincipal.js"
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

const statusOf = (error: unknown, schema: Parameters<typeof HttpMeaning.of>[0]) =>
  HttpMeaning.of(schema)?.problem(error).status

describe("Cases and Referrals use cases", () => {
  it.layer(TestLayer)((it) => {
    it.effect(
      "a referral opens a case that the region's case worker reads, audited under the caller's door",
      () =>
        Effect.gen(function* () {
          const referrer = yield* callerFor(["referrer"], [REGION])
          const worker = yield* callerFor(["case-worker"], [REGION], "web")
          const receipt = yield* Referrals.submit(submission(referrer)).pipe(
            CurrentPrincipal.provide(referrer),
          )
          expect(receipt.addedToOpenCase).toBe(false)
          const caseId = (receipt as { caseId: never }).caseId
          const detail = yield* Cases.get(caseId).pipe(CurrentPrincipal.provide(worker))
          expect(detail.case.id).toBe(caseId)
          const audit = yield* AuditLog.AuditLog
          const records = yield* audit.list({ requestId: worker.requestId })
          expect(records.items.map((r) => r.context)).toEqual(["web.case.read"])
        }),
    )

    it.effect(
      "the dossier reads the file and its timeline under one audit record; a missing case is NotFound",
      () =>
        Effect.gen(function* () {
          const referrer = yield* callerFor(["referrer"], [REGION])
          const colleague = yield* callerFor(["case-worker"], [REGION])
          const worker = yield* callerFor(["case-worker"], [REGION], "web")
          const receipt = yield* Referrals.submit(submission(referrer)).pipe(
            CurrentPrincipal.provide(referrer),
          )
          const caseId = (receipt as { caseId: never }).caseId
          yield* Cases.logEvent(caseId, {
            expectedVersion: 1,
            event: { _tag: "ParentsInformed", on: TODAY } as Cases.EventInput,
          }).pipe(CurrentPrincipal.provide(colleague))

          const dossier = yield* Cases.dossier(caseId).pipe(CurrentPrincipal.provide(worker))
          expect(dossier.case.version).toBe(2)
          expect(dossier.timeline.map((e) => [e.version, e.label])).toEqual([
            [1, "Aanmelding ontvangen"],
            [2, "Ouders geïnformeerd"],
          ])
          expect(dossier.region).toEqual({ id: REGION, name: "Westland" })
          expect(dossier.on).toBe(TODAY)
          expect(dossier.states).toContainEqual({ id: "aangemeld", label: "Aangemeld" })
          expect(dossier.status).toEqual({ id: "aangemeld", label: "Aangemeld" })
          // The same steps, deadlines and signals as the API's case read.
          const detail = yield* Cases.get(caseId).pipe(CurrentPrincipal.provide(colleague))
          expect(dossier.transitions).toEqual(detail.transitions)
          expect(dossier.deadlines).toEqual(detail.deadlines)
          expect(dossier.signals).toEqual(detail.signals)
          // One view, one record: the timeline is read under the dossier's audit record.
          const audit = yield* AuditLog.AuditLog
          const records = yield* audit.list({ requestId: worker.requestId })
          expect(records.items.map((r) => [r.action, r.recordId, r.context])).toEqual([
            ["read", caseId, "web.case.read:dossier"],
          ])

          const missing = yield* Effect.flip(
            Cases.dossier("case_0000000000000000" as never).pipe(CurrentPrincipal.provide(worker)),
          )
          expect(missing).toBeInstanceOf(Access.NotFound)
          const refused = yield* Effect.flip(Cases.dossier(caseId).pipe(CurrentPrincipal.provide(referrer)))
          expect(refused._tag).toBe("Forbidden")
        }),
    )

    it.effect("a case of another region does not exist for the caller (404, never 403)", () =>
      Effect.gen(function* () {
        const referrer = yield* callerFor(["referrer"], [REGION])
        const elsewhere = yield* callerFor(["case-worker"], ["leidschendam-voorburg", REGION])
        const outsider = yield* callerFor(["case-worker"], ["leidschendam-voorburg"])
        const receipt = yield* Referrals.submit(submission(referrer)).pipe(CurrentPrincipal.provide(referrer))
        const caseId = (receipt as { caseId: never }).caseId
        // One region this installation runs in common: the case is visible.
        yield* Cases.get(caseId).pipe(CurrentPrincipal.provide(elsewhere))
        const refused = yield* Effect.flip(Cases.get(caseId).pipe(CurrentPrincipal.provide(outsider)))
        expect(refused._tag).toBe("NotFound")
        expect(statusOf(refused, Access.NotFound)).toBe(404)
      }),
    )

    it.effect(
      "the dossier's forms: what the plug-in lets the caller log now, the staff for the regie, audited as a read",
      () =>
        Effect.gen(function* () {
          const referrer = yield* callerFor(["referrer"], [REGION])
          const worker = yield* callerFor(["case-worker"], [REGION], "web")
          const coordinator = yield* callerFor(["coordinator"], [REGION])
          const outsider = yield* callerFor(["case-worker"], ["leidschendam-voorburg"])
          const receipt = yield* Referrals.submit(submission(referrer)).pipe(
            CurrentPrincipal.provide(referrer),
          )
          const caseId = (receipt as { caseId: never }).caseId
          const forms = yield* Cases.forms(caseId).pipe(CurrentPrincipal.provide(worker))
          const tags = forms.events.map((e) => e.tag)
          expect(tags).toContain("ContactLogged")
          expect(tags).toContain("RegiehouderAssigned")
          // Status changes and closing are steps; moving the regie is for a coordinator or the regiehouder.
          for (const never of ["StatusChanged", "CaseClosed", "ReferralReceived", "RegiehouderChanged"])
            expect(tags).not.toContain(never)
          expect(forms.events.find((e) => e.tag === "ContactLogged")?.label).toBe("Contact vastgelegd")
          expect(
            (yield* Cases.forms(caseId).pipe(CurrentPrincipal.provide(coordinator))).events.map((e) => e.tag),
          ).toContain("RegiehouderChanged")
          expect(forms.today).toBe(TODAY)
          expect(forms.catalogue.length).toBeGreaterThan(0)
          expect(forms.steps.find((s) => s.id === "niet-starten")).toMatchObject({ reasonRequired: true })
          // Staff of the region who may hold cases: not the referrer, not the other region's worker.
          const staff = forms.regiehouders.map((u) => u.userId)
          expect(staff).toContain(worker.principal.userId)
          expect(staff).toContain(coordinator.principal.userId)
          expect(staff).not.toContain(referrer.principal.userId)
          expect(staff).not.toContain(outsider.principal.userId)
          const audit = yield* AuditLog.AuditLog
          const records = yield* audit.list({ requestId: worker.requestId })
          expect(records.items.map((r) => r.context)).toEqual(["web.case.read:forms"])
          const refused = yield* Effect.flip(Cases.forms(caseId).pipe(CurrentPrincipal.provide(outsider)))
          expect(refused._tag).toBe("NotFound")
          const denied = yield* Effect.flip(Cases.forms(caseId).pipe(CurrentPrincipal.provide(referrer)))
          expect(denied._tag).toBe("Forbidden")
        }),
    )

    it.effect("a referrer may not open the case file, and sees their referral's status only", () =>
      Effect.gen(function* () {
        const referrer = yield* callerFor(["referrer"], [REGION])
        const colleague = yield* callerFor(["referrer"], [REGION])
        const receipt = yield* Referrals.submit(submission(referrer)).pipe(CurrentPrincipal.provide(referrer))
        const caseId = (receipt as { caseId: never }).caseId
        const denied = yield* Effect.flip(Cases.get(caseId).pipe(CurrentPrincipal.provide(referrer)))
        expect(denied._tag).toBe("Forbidden")
        const status = yield* Referrals.status(receipt.referralId).pipe(CurrentPrincipal.provide(referrer))
        expect(status.status.label).not.toBe("")
        expect(status.handedOverTo).toBeNull()
        expect(status.reason).toBeNull()
        const notTheirs = yield* Effect.exit(
          Referrals.status(receipt.referralId).pipe(CurrentPrincipal.provide(colleague)),
        )
        expect(Exit.isFailure(notTheirs)).toBe(true)
      }),
    )

    it.effect("after a handover the referrer sees the organisation and role it went to, not the person", () =>
      Effect.gen(function* () {
        const referrer = yield* callerFor(["referrer"], [REGION])
        const worker = yield* callerFor(["case-worker"], [REGION])
        const receipt = yield* Referrals.submit(submission(referrer)).pipe(CurrentPrincipal.provide(referrer))
        const caseId = (receipt as { caseId: never }).caseId
        yield* Cases.logEvent(caseId, {
          expectedVersion: 1,
          event: {
            _tag: "HandedOver",
            on: TODAY,
            to: {
              name: "Jeugdarts Synthetisch",
              role: "jeugdarts",
              organisationId: worker.principal.organisationId,
            },
          } as Cases.EventInput,
        }).pipe(CurrentPrincipal.provide(worker))
        const status = yield* Referrals.status(receipt.referralId).pipe(CurrentPrincipal.provide(referrer))
        expect(status.handedOverTo).toEqual({
          on: TODAY,
          organisationId: worker.principal.organisationId,
          role: "jeugdarts",
          roleLabel: expect.any(String),
        })
        expect(JSON.stringify(status)).not.toContain("Jeugdarts Synthetisch")
      }),
    )

    it.effect("a write with a stale version is refused with the version the case is at", () =>
      Effect.gen(function* () {
        const referrer = yield* callerFor(["referrer"], [REGION])
        const worker = yield* callerFor(["case-worker"], [REGION])
        const receipt = yield* Referrals.submit(submission(referrer)).pipe(CurrentPrincipal.provide(referrer))
        const caseId = (receipt as { caseId: never }).caseId
        const stale = yield* Effect.flip(
          Cases.logEvent(caseId, {
            expectedVersion: 7,
            event: { _tag: "ParentsInformed", on: TODAY } as Cases.EventInput,
          }).pipe(CurrentPrincipal.provide(worker)),
        )
        expect(stale._tag).toBe("StaleVersion")
        expect(HttpMeaning.of(Cases.StaleVersion)?.problem(stale)).toMatchObject({
          status: 409,
          currentVersion: 1,
        })
      }),
    )
  })
})
