import { Case, Ids } from "@verzuimregie/domain"
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { AuditLog } from "../src/AuditLog.js"
import { CaseStore } from "../src/CaseStore.js"
import { Outbox } from "../src/Outbox.js"
import { BACKENDS, rawSql, skip, useStore } from "./support/backends.js"
import {
  actionAssigned,
  actionCompleted,
  auditEntry,
  closed,
  contact,
  intake,
  LV,
  later,
  referralReceived,
  statusChanged,
  ts,
  WESTLAND,
} from "./support/factories.js"

const T0 = ts("2026-09-01T08:00:00.000Z")
const regions = [WESTLAND]

describe.each(BACKENDS)("CaseStore on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)

    const counts = (caseId: string) =>
      Promise.all([
        rawSql(suite.fresh, `SELECT count(*) AS n FROM case_events WHERE case_id = '${caseId}'`),
        rawSql(suite.fresh, `SELECT count(*) AS n FROM outbox WHERE case_id = '${caseId}'`),
        rawSql(suite.fresh, "SELECT seq FROM audit_head"),
      ]).then(([events, outbox, head]) => ({
        events: Number(events[0]?.n),
        outbox: Number(outbox[0]?.n),
        auditSeq: Number(head[0]?.seq),
      }))

    it("creates a case with its projection, audit record and outbox row in one go", async () => {
      const referral = referralReceived({ at: T0 })
      const created = await suite.run(
        Effect.flatMap(CaseStore, (store) =>
          store.create({
            referral,
            events: [contact(later(T0, 5))],
            regions,
            audit: [auditEntry({ action: "create" })],
            outbox: [{ topic: "mail", payload: { template: "referral-received" } }],
          }),
        ),
      )
      expect(created.state.version).toBe(2)
      expect(created.events.map((e) => e.version)).toEqual([1, 2])
      expect(created.audit).toHaveLength(1)
      expect(created.outbox).toHaveLength(1)

      const state = await suite.run(Effect.flatMap(CaseStore, (s) => s.get(created.state.id, { regions })))
      expect(state).toEqual(Either.getOrThrow(Case.fold(created.state.id, [referral, contact(later(T0, 5))])))

      const messages = await suite.run(Effect.flatMap(Outbox, (o) => o.forCase(created.state.id)))
      expect(messages.map((m) => [m.caseVersion, m.topic, m.status])).toEqual([[2, "mail", "pending"]])
      const events = await suite.run(
        Effect.flatMap(CaseStore, (s) => s.events(created.state.id, { regions })),
      )
      expect(events.map((e) => e.event._tag)).toEqual(["ReferralReceived", "ContactLogged"])
    })

    it("refuses a stale expected version with VersionConflict and writes nothing", async () => {
      const created = await suite.run(
        Effect.flatMap(CaseStore, (s) => s.create({ referral: referralReceived({ at: T0 }), regions })),
      )
      const caseId = created.state.id
      await suite.run(
        Effect.flatMap(CaseStore, (s) =>
          s.append({ caseId, expectedVersion: 1, events: [contact(later(T0, 1))], regions }),
        ),
      )
      const before = await counts(caseId)
      const error = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseStore, (s) =>
            s.append({
              caseId,
              expectedVersion: 1,
              events: [contact(later(T0, 2))],
              regions,
              audit: [auditEntry()],
              outbox: [{ topic: "mail", payload: {} }],
            }),
          ),
        ),
      )
      expect(error._tag).toBe("VersionConflict")
      expect(error).toMatchObject({ caseId, expected: 1, actual: 2 })
      expect(await counts(caseId)).toEqual(before)
    })

    it("refuses events the domain rejects, carrying CaseEventRejected, and writes nothing", async () => {
      const created = await suite.run(
        Effect.flatMap(CaseStore, (s) =>
          s.create({ referral: referralReceived({ at: T0 }), events: [closed(later(T0, 1))], regions }),
        ),
      )
      const caseId = created.state.id
      const before = await counts(caseId)
      const error = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseStore, (s) =>
            s.append({
              caseId,
              expectedVersion: 2,
              events: [contact(later(T0, 2))],
              regions,
              audit: [auditEntry()],
              outbox: [{ topic: "mail", payload: {} }],
            }),
          ),
        ),
      )
      expect(error._tag).toBe("EventRejected")
      if (error._tag !== "EventRejected") throw error
      expect(error.rejection._tag).toBe("CaseEventRejected")
      expect(error.rejection.reason).toContain("afgesloten")
      expect(await counts(caseId)).toEqual(before)

      // A batch is all or nothing: a bad second event takes the good first one down with it.
      const open = await suite.run(
        Effect.flatMap(CaseStore, (s) => s.create({ referral: referralReceived({ at: T0 }), regions })),
      )
      const batch = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseStore, (s) =>
            s.append({
              caseId: open.state.id,
              expectedVersion: 1,
              events: [contact(later(T0, 1)), statusChanged(later(T0, 2), "in-behandeling", "afgesloten")],
              regions,
            }),
          ),
        ),
      )
      expect(batch).toMatchObject({ _tag: "EventRejected", index: 1 })
      const state = await suite.run(Effect.flatMap(CaseStore, (s) => s.get(open.state.id, { regions })))
      expect(state.version).toBe(1)
    })

    it("opens a case only with a referral first, and only in the caller's regions", async () => {
      const store = Effect.flatMap(CaseStore, (s) =>
        s.append({ caseId: Ids.newId.case(), expectedVersion: 0, events: [contact(T0)], regions }),
      )
      expect(await suite.run(Effect.flip(store))).toMatchObject({ _tag: "EventRejected", index: 0 })
      const elsewhere = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseStore, (s) =>
            s.create({ referral: referralReceived({ regionId: LV }), regions }),
          ),
        ),
      )
      expect(elsewhere).toMatchObject({ _tag: "RegionNotPermitted", regionId: LV })
      const missing = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseStore, (s) =>
            s.append({ caseId: Ids.newId.case(), expectedVersion: 3, events: [contact(T0)], regions }),
          ),
        ),
      )
      expect(missing).toMatchObject({ _tag: "VersionConflict", expected: 3, actual: 0 })
    })

    it("hides cases of other regions from reads and writes", async () => {
      const created = await suite.run(
        Effect.flatMap(CaseStore, (s) =>
          s.create({ referral: referralReceived({ regionId: LV }), regions: [LV] }),
        ),
      )
      const caseId = created.state.id
      const read = await suite.run(Effect.flip(Effect.flatMap(CaseStore, (s) => s.get(caseId, { regions }))))
      expect(read).toMatchObject({ _tag: "CaseNotFound", caseId })
      const events = await suite.run(
        Effect.flip(Effect.flatMap(CaseStore, (s) => s.events(caseId, { regions }))),
      )
      expect(events._tag).toBe("CaseNotFound")
      const write = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseStore, (s) =>
            s.append({ caseId, expectedVersion: 1, events: [contact(T0)], regions }),
          ),
        ),
      )
      expect(write._tag).toBe("CaseNotFound")
      const both = await suite.run(
        Effect.flatMap(CaseStore, (s) => s.get(caseId, { regions: [WESTLAND, LV] })),
      )
      expect(both.id).toBe(caseId)
    })

    it("leaves the caller's denied record when the case exists in another region, and nothing otherwise", async () => {
      const created = await suite.run(
        Effect.flatMap(CaseStore, (s) =>
          s.create({ referral: referralReceived({ regionId: LV }), regions: [LV] }),
        ),
      )
      const caseId = created.state.id
      const denied = auditEntry({ action: "read", recordType: "refused-read", recordId: caseId })
      const missing = Ids.CaseId.make("case_doesnotexist0000")
      const deniedMissing = auditEntry({ action: "read", recordType: "refused-read", recordId: missing })
      const read = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseStore, (s) =>
            s.get(caseId, { regions, audit: auditEntry({ action: "read" }), denied }),
          ),
        ),
      )
      expect(read._tag).toBe("CaseNotFound")
      const events = await suite.run(
        Effect.flip(Effect.flatMap(CaseStore, (s) => s.events(caseId, { regions, denied }))),
      )
      expect(events._tag).toBe("CaseNotFound")
      await suite.run(
        Effect.flip(Effect.flatMap(CaseStore, (s) => s.get(missing, { regions, denied: deniedMissing }))),
      )
      // Its own region's read leaves no denied record.
      await suite.run(Effect.flatMap(CaseStore, (s) => s.get(caseId, { regions: [LV], denied })))
      // The record is written after the refusal, in a fiber of its own: wait for it (generously).
      const deniedRecords = async () =>
        (await suite.run(Effect.flatMap(AuditLog, (a) => a.list({ recordType: "refused-read" })))).items
      const until = Date.now() + 20_000
      while ((await deniedRecords()).length < 2 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 25))
      const records = await deniedRecords()
      expect(records.map((r) => [r.recordId, r.requestId, r.regionId]).sort()).toEqual([
        [caseId, denied.requestId, undefined],
        [caseId, denied.requestId, undefined],
      ])
      // The refused read's own audit record was not written.
      const reads = await suite.run(
        Effect.flatMap(AuditLog, (a) => a.list({ recordType: "case", recordId: caseId })),
      )
      expect(reads.items).toEqual([])
    })

    it("writes the audit record of a read in the same transaction as the read", async () => {
      const created = await suite.run(
        Effect.flatMap(CaseStore, (s) => s.create({ referral: referralReceived(), regions })),
      )
      const entry = auditEntry({ action: "read", recordId: created.state.id, regionId: WESTLAND })
      await suite.run(Effect.flatMap(CaseStore, (s) => s.get(created.state.id, { regions, audit: entry })))
      const page = await suite.run(
        Effect.flatMap(AuditLog, (a) => a.list({ recordType: "case", recordId: created.state.id })),
      )
      expect(page.items.map((r) => [r.action, r.requestId])).toEqual([["read", entry.requestId]])
      // An audit entry with personal data in it (a name as record id) is refused, and nothing is read.
      const refused = await suite.run(
        Effect.flip(
          Effect.flatMap(CaseStore, (s) =>
            s.get(created.state.id, { regions, audit: auditEntry({ recordId: "Jan de Vries" }) }),
          ),
        ),
      )
      expect(refused._tag).toBe("ValidationError")
    })

    it("keeps the event log append-only", async () => {
      const created = await suite.run(
        Effect.flatMap(CaseStore, (s) => s.create({ referral: referralReceived(), regions })),
      )
      await expect(
        rawSql(suite.fresh, `UPDATE case_events SET tag = 'X' WHERE case_id = '${created.state.id}'`),
      ).rejects.toThrow(/append-only/)
      await expect(
        rawSql(suite.fresh, `DELETE FROM case_events WHERE case_id = '${created.state.id}'`),
      ).rejects.toThrow(/append-only/)
    })

    it("refuses a second case for the same referral", async () => {
      const referral = referralReceived()
      await suite.run(Effect.flatMap(CaseStore, (s) => s.create({ referral, regions })))
      const again = await suite.run(
        Effect.flip(Effect.flatMap(CaseStore, (s) => s.create({ referral, regions }))),
      )
      expect(again).toMatchObject({ _tag: "DuplicateReferral", referralId: referral.referral.id })
    })

    it("lets exactly one of two concurrent writers (separate clients) win the same version", async () => {
      const created = await suite.run(
        Effect.flatMap(CaseStore, (s) => s.create({ referral: referralReceived({ at: T0 }), regions })),
      )
      const caseId = created.state.id
      const other = suite.second()
      for (let round = 0; round < 5; round++) {
        const version = 1 + round
        const attempt = (runtime: typeof other, minutes: number) =>
          runtime.runPromise(
            Effect.either(
              Effect.flatMap(CaseStore, (s) =>
                s.append({
                  caseId,
                  expectedVersion: version,
                  events: [contact(later(T0, 10 * version + minutes))],
                  regions,
                  audit: [auditEntry()],
                  outbox: [{ topic: "mail", payload: { n: minutes } }],
                }),
              ),
            ),
          )
        const results = await Promise.all([attempt(suite.runtime, 1), attempt(other, 2)])
        const wins = results.filter(Either.isRight)
        const losses = results.filter(Either.isLeft).map((r) => r.left)
        expect(wins).toHaveLength(1)
        expect(losses).toHaveLength(1)
        expect(losses[0]).toMatchObject({ _tag: "VersionConflict", expected: version, actual: version + 1 })
      }
      const state = await suite.run(Effect.flatMap(CaseStore, (s) => s.get(caseId, { regions })))
      expect(state.version).toBe(6)
      const messages = await suite.run(Effect.flatMap(Outbox, (o) => o.forCase(caseId)))
      expect(messages.map((m) => m.caseVersion)).toEqual([2, 3, 4, 5, 6])
      const audit = await suite.run(Effect.flatMap(AuditLog, (a) => a.verify()))
      expect(audit.ok).toBe(true)
    })

    it("rebuilds projections from the events to the same result, and repairs a damaged one", async () => {
      const a = await suite.run(
        Effect.flatMap(CaseStore, (s) =>
          s.create({
            referral: referralReceived({ at: T0 }),
            events: [intake(later(T0, 1)), actionAssigned(later(T0, 2), "2026-09-20")],
            regions,
          }),
        ),
      )
      const before = await suite.run(Effect.flatMap(CaseStore, (s) => s.get(a.state.id, { regions })))
      const check = await suite.run(Effect.flatMap(CaseStore, (s) => s.rebuildProjections({ check: true })))
      expect(check.failed).toEqual([])
      expect(check.differed).toEqual([])
      expect(check.cases).toBeGreaterThan(1)

      // Damage: a status, an indexed column and a lost open action.
      await rawSql(
        suite.fresh,
        `UPDATE cases SET status = 'gewist', regiehouder_user_id = NULL, state = ${
          suite.fresh.config._tag === "pg"
            ? "jsonb_set(state, '{status}', '\"gewist\"')"
            : "json_set(state, '$.status', 'gewist')"
        } WHERE case_id = '${a.state.id}'`,
      )
      await rawSql(suite.fresh, `DELETE FROM open_actions WHERE case_id = '${a.state.id}'`)
      const damaged = await suite.run(Effect.flatMap(CaseStore, (s) => s.rebuildProjections({ check: true })))
      expect(damaged.differed).toEqual([a.state.id])
      const stillDamaged = await suite.run(Effect.flatMap(CaseStore, (s) => s.get(a.state.id, { regions })))
      expect(stillDamaged.status).toBe("gewist")

      const rebuilt = await suite.run(Effect.flatMap(CaseStore, (s) => s.rebuildProjections()))
      expect(rebuilt.differed).toEqual([a.state.id])
      const after = await suite.run(Effect.flatMap(CaseStore, (s) => s.get(a.state.id, { regions })))
      expect(after).toEqual(before)
      const actions = await rawSql(
        suite.fresh,
        `SELECT action_id FROM open_actions WHERE case_id = '${a.state.id}'`,
      )
      expect(actions).toHaveLength(1)
      const again = await suite.run(Effect.flatMap(CaseStore, (s) => s.rebuildProjections({ check: true })))
      expect(again.differed).toEqual([])
    })

    it("tracks open actions as they are assigned and completed", async () => {
      const assigned = actionAssigned(later(T0, 1), "2026-09-10")
      const created = await suite.run(
        Effect.flatMap(CaseStore, (s) =>
          s.create({
            referral: referralReceived({ at: T0 }),
            events: [assigned, actionAssigned(later(T0, 2), "2026-09-05")],
            regions,
          }),
        ),
      )
      const rows = () =>
        rawSql(
          suite.fresh,
          `SELECT a.action_id, c.next_action_due, c.open_action_count FROM open_actions a
           JOIN cases c ON c.case_id = a.case_id WHERE a.case_id = '${created.state.id}' ORDER BY a.due_on`,
        )
      expect(await rows()).toHaveLength(2)
      await suite.run(
        Effect.flatMap(CaseStore, (s) =>
          s.append({
            caseId: created.state.id,
            expectedVersion: 3,
            events: [actionCompleted(later(T0, 3), assigned.action.id)],
            regions,
          }),
        ),
      )
      const left = await rows()
      expect(left).toHaveLength(1)
      expect(left[0]?.next_action_due).toBe("2026-09-05")
      expect(Number(left[0]?.open_action_count)).toBe(1)
    })
  })
})
