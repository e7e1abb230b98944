import * as Fs from "node:fs"
import * as Path from "node:path"
import { Effect, Fiber, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { AuditLog } from "../src/AuditLog.js"
import * as Backup from "../src/Backup.js"
import { CaseStore } from "../src/CaseStore.js"
import * as Database from "../src/Database.js"
import * as Store from "../src/Store.js"
import { pgUrl, tempDir, withFreshStore } from "./support/backends.js"
import { auditEntry, contact, later, referralReceived, ts, WESTLAND } from "./support/factories.js"

const T0 = ts("2026-09-01T08:00:00.000Z")
const regions = [WESTLAND]

/** Appends to one case until interrupted, each append with an audit record and an outbox row. */
const writer = Effect.gen(function* () {
  const store = yield* CaseStore
  const created = yield* store.create({
    referral: referralReceived({ at: T0 }),
    regions,
    audit: [auditEntry()],
  })
  let version = created.state.version
  for (;;) {
    const done = yield* store.append({
      caseId: created.state.id,
      expectedVersion: version,
      events: [contact(later(T0, version))],
      regions,
      audit: [auditEntry()],
      outbox: [{ topic: "mail", payload: { version } }],
    })
    version = done.state.version
    // Requests arrive, they do not spin: leave the event loop room between them.
    yield* Effect.sleep("1 millis")
  }
})

describe("online backup (SQLite)", () => {
  it("copies a consistent database while writes go on, and the copy restores", () =>
    withFreshStore("sqlite", async ({ runtime }) => {
      const dir = tempDir()
      try {
        const destination = Path.join(dir, "backups", "verzuimregie-test.db")
        const result = await runtime.runPromise(
          Effect.gen(function* () {
            const fiber = yield* Effect.fork(writer)
            yield* Effect.sleep("150 millis")
            const backup = yield* Backup.backup(destination)
            yield* Effect.sleep("50 millis")
            yield* Fiber.interrupt(fiber)
            return backup
          }),
        )
        expect(result.path).toBe(destination)
        expect(result.bytes).toBeGreaterThan(0)
        expect(Fs.readdirSync(Path.dirname(destination))).toEqual(["verzuimregie-test.db"])
        expect(Backup.integrityProblem(destination)).toBeUndefined()

        // Restore = open the copy as the database: it is complete and consistent.
        const restored = ManagedRuntime.make(Store.layer(Database.sqlite(destination)))
        try {
          const check = await restored.runPromise(
            Effect.gen(function* () {
              const { sql } = yield* Database.Database
              const [events] = yield* sql<{ n: number }>`SELECT count(*) AS n FROM case_events`
              const [audit] = yield* sql<{ n: number }>`SELECT count(*) AS n FROM audit_log`
              const [outbox] = yield* sql<{ n: number }>`SELECT count(*) AS n FROM outbox`
              return {
                events: events?.n ?? 0,
                audit: audit?.n ?? 0,
                outbox: outbox?.n ?? 0,
                verify: yield* (yield* AuditLog).verify(),
                projections: yield* (yield* CaseStore).rebuildProjections({ check: true }),
              }
            }),
          )
          expect(check.events).toBeGreaterThan(1)
          expect(check.audit).toBe(check.events)
          expect(check.outbox).toBe(check.events - 1)
          expect(check.verify.ok).toBe(true)
          expect(check.projections).toMatchObject({ cases: 1, differed: [], failed: [] })
        } finally {
          await restored.dispose()
        }

        const again = await runtime.runPromise(Effect.flip(Backup.backup(destination)))
        expect(again).toMatchObject({ _tag: "BackupFailed" })
        expect(again.message).toMatch(/bestaat al/)
      } finally {
        Fs.rmSync(dir, { recursive: true, force: true })
      }
    }))

  it("names backups by time in a folder", () =>
    withFreshStore("sqlite", async ({ runtime }) => {
      const dir = tempDir()
      try {
        const result = await runtime.runPromise(Backup.backupToDirectory(dir))
        expect(Path.basename(result.path)).toMatch(/^verzuimregie-\d{8}T\d{6}Z\.db$/)
      } finally {
        Fs.rmSync(dir, { recursive: true, force: true })
      }
    }))

  it.skipIf(pgUrl === undefined)("points PostgreSQL users to pg_dump", () =>
    withFreshStore("pg", async ({ runtime }) => {
      const error = await runtime.runPromise(Effect.flip(Backup.backup("/tmp/never.db")))
      expect(error._tag).toBe("BackupUnsupported")
      expect(error.message).toMatch(/pg_dump/)
    }),
  )
})
