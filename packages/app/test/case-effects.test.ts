/**
 * CaseEffects: which event causes which outbox rows (a pure function), and that the rows are
 * written in the event's transaction: an event is stored with its rows or not at all.
 */
import { describe, expect, it } from "@effect/vitest"
import { Case, type CaseEvent, LocalDate, Timestamp } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { CaseStore, Database, Outbox } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { afterAll, beforeAll } from "vitest"
import * as CaseEffects from "../src/CaseEffects.js"
import {
  BACKENDS,
  handedOver,
  openCase,
  openStore,
  REFERRER_EMAIL,
  referral,
  region,
  skip,
  type TestStore,
} from "./support/store.js"

const on = LocalDate.make("2026-03-09")

const opened = (email = true) =>
  Either.getOrThrow(Case.fold("case_effects00001" as never, [referral(on, { email })]))

const after = (before: Case.CaseState, event: CaseEvent.CaseEvent) =>
  Either.getOrThrow(Case.evolve(before, event))

describe("CaseEffects.effectsOf (pure)", () => {
  it("a handover gives one notice to the referrer: ids, date and template only", () => {
    const before = opened()
    const event = handedOver(on)
    const rows = CaseEffects.effectsOf({ event, before, after: after(before, event), region })
    expect(rows).toEqual([
      {
        topic: "mail",
        messageId: `handover:${before.id}:${on}`,
        payload: { template: "handover-notice", regionId: "westland", caseId: before.id, handoverOn: on },
        regionId: "westland",
        maxAttempts: CaseEffects.NOTICE_MAX_ATTEMPTS,
      },
    ])
    // Nothing typed (the summary, the name typed for who took over) and no address in the row.
    const text = JSON.stringify(rows)
    expect(text).not.toContain("MARKER")
    expect(text).not.toContain(REFERRER_EMAIL)
  })

  it("no notice when the referrer left no e-mail address", () => {
    const before = opened(false)
    const event = handedOver(on)
    expect(CaseEffects.effectsOf({ event, before, after: after(before, event), region })).toEqual([])
  })

  it("other events cause nothing, also the status change to overgedragen (the handover caused it)", () => {
    const before = opened()
    const status: CaseEvent.CaseEvent = {
      _tag: "StatusChanged",
      at: Timestamp.Timestamp.make(`${on}T11:00:00.000Z`),
      by: Fixtures.fixtureStaff,
      from: before.status,
      to: "regie",
    }
    expect(CaseEffects.effectsOf({ event: status, before, after: after(before, status), region })).toEqual([])
    const first = referral(on)
    expect(
      CaseEffects.effectsOf({
        event: first,
        before: undefined,
        after: Either.getOrThrow(Case.fold("case_effects00002" as never, [first])),
        region,
      }),
    ).toEqual([])
  })

  it("the same handover day gives the same message id (one notice, also when retried)", () => {
    const before = opened()
    const one = handedOver(on, "Eerste")
    const two = handedOver(on, "Tweede")
    const a = CaseEffects.effectsOf({ event: one, before, after: after(before, one), region })
    const b = CaseEffects.effectsOf({ event: two, before, after: after(before, two), region })
    expect(a[0]?.messageId).toBe(b[0]?.messageId)
  })
})

const outboxOf = (store: TestStore, caseId: string) =>
  store.runtime.runPromise(
    Effect.flatMap(
      Database.Database,
      (db) =>
        db.sql<{ message_id: string; case_id: string; case_version: unknown }>`SELECT message_id, case_id,
        case_version FROM outbox WHERE case_id = ${caseId}`,
    ),
  )

const eventsOf = (store: TestStore, caseId: string) =>
  store.runtime.runPromise(
    Effect.flatMap(
      Database.Database,
      (db) => db.sql<{ tag: string }>`SELECT tag FROM case_events WHERE case_id = ${caseId} ORDER BY version`,
    ),
  )

describe.each(BACKENDS)("CaseEffects.append on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    let store: TestStore
    beforeAll(async () => {
      store = await openStore(backend)
    })
    afterAll(async () => {
      await store?.close()
    })

    it("writes the handover event and its notice together, the notice linked to the new version", async () => {
      const created = await openCase(store.runtime, on)
      const appended = await store.runtime.runPromise(
        CaseEffects.append(
          {
            caseId: created.state.id,
            expectedVersion: created.state.version,
            events: [handedOver(on)],
            regions: [region.region.id],
          },
          region,
        ),
      )
      expect(appended.outbox).toEqual([`handover:${created.state.id}:${on}`])
      const rows = await outboxOf(store, created.state.id)
      expect(rows.map((r) => [r.message_id, Number(r.case_version)])).toEqual([
        [`handover:${created.state.id}:${on}`, appended.state.version],
      ])
      const [message] = await store.runtime.runPromise(
        Effect.flatMap(Outbox.Outbox, (o) => o.forCase(created.state.id)),
      )
      expect(message).toMatchObject({ status: "pending", topic: "mail", regionId: "westland", attempts: 0 })
    })

    it("an effect that cannot be enqueued rolls the event back: no event without its outbox row", async () => {
      const created = await openCase(store.runtime, on)
      const failed = await store.runtime.runPromiseExit(
        Effect.flatMap(CaseStore.CaseStore, (cases) =>
          cases.append({
            caseId: created.state.id,
            expectedVersion: created.state.version,
            events: [handedOver(on)],
            regions: [region.region.id],
            // The effect as CaseEffects makes it, with a topic the outbox refuses after the
            // event's INSERT: the enqueue fails inside the transaction.
            outboxFor: (steps) =>
              CaseEffects.outboxFor(region)(steps).map((m) => ({ ...m, topic: "Kapot onderwerp" })),
          }),
        ),
      )
      expect(failed._tag).toBe("Failure")
      expect((await eventsOf(store, created.state.id)).map((e) => e.tag)).toEqual(["ReferralReceived"])
      expect(await outboxOf(store, created.state.id)).toEqual([])
      const state = await store.runtime.runPromise(
        Effect.flatMap(CaseStore.CaseStore, (cases) =>
          cases.get(created.state.id, { regions: [region.region.id] }),
        ),
      )
      expect(state.version).toBe(created.state.version)
      expect(state.handovers).toEqual([])
    })
  })
})
