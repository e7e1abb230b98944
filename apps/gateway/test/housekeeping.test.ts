/**
 * Expired idempotency keys, and the answers they keep, are deleted while the gateway runs, on a
 * real SQLite file; keys still valid stay. The audit head is anchored every round and at shutdown.
 * The rounds run every 100 ms instead of every hour (the schedule is the same code).
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Regions } from "@verzuimregie/app"
import { Ids, LocalDate } from "@verzuimregie/domain"
import { RegionConfig } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { AbsenceStore, AuditAnchor, AuditLog, Database, Idempotency, Store } from "@verzuimregie/store"
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as Housekeeping from "../src/Housekeeping.js"

const dirs: Array<string> = []
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

const count = Effect.flatMap(Database.Database, (db) =>
  db.sql.unsafe<{ n: unknown }>("SELECT COUNT(*) AS n FROM idempotency_keys"),
).pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))

describe("housekeeping", () => {
  it("purges expired idempotency keys in the background and keeps valid ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "verzuimregie-housekeeping-"))
    dirs.push(dir)
    const store = Store.layer(Database.sqlite(join(dir, "test.db")))
    const runtime = ManagedRuntime.make(
      Layer.provideMerge(Housekeeping.layer({ every: "100 millis" }), store),
    )
    const begin = (key: string, ttlMs: number) =>
      runtime.runPromise(
        Effect.flatMap(Idempotency.Idempotency, (i) =>
          Effect.zipRight(
            i.begin({ clientId: "user_housekeeping", key, fingerprint: "f", ttlMs }),
            i.complete({ clientId: "user_housekeeping", key, status: 201, body: '{"pupil":"synthetisch"}' }),
          ),
        ),
      )
    await begin("short-lived", 1)
    await begin("still-valid", 60_000)
    expect(await runtime.runPromise(count)).toBe(2)
    const deadline = Date.now() + 5_000
    while ((await runtime.runPromise(count)) > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    const left = await runtime.runPromise(
      Effect.flatMap(Database.Database, (db) =>
        db.sql.unsafe<{ key: string }>("SELECT key FROM idempotency_keys"),
      ),
    )
    expect(left.map((r) => r.key)).toEqual(["still-valid"])
    await runtime.dispose()
  })

  const appendAudit = (n: number) =>
    Effect.flatMap(AuditLog.AuditLog, (audit) =>
      audit.append(
        Array.from({ length: n }, (_, i) => ({
          userId: Ids.UserId.make("user_housekeeping01"),
          organisationId: Ids.OrganisationId.make("org_housekeeping01"),
          action: "read" as const,
          recordType: "case",
          purpose: "casusregie",
          requestId: `req-housekeeping-${i}`,
        })),
      ),
    )

  it("anchors the audit head at start, every round, and once more at shutdown", async () => {
    const dir = await mkdtemp(join(tmpdir(), "verzuimregie-housekeeping-"))
    dirs.push(dir)
    const anchorFile = join(dir, "elders", "audit-anchors.jsonl")
    const store = Store.layer(Database.sqlite(join(dir, "data", "test.db")))
    const runtime = ManagedRuntime.make(
      Layer.provideMerge(Housekeeping.layer({ every: "100 millis", anchorFile }), store),
    )
    const anchors = async () =>
      (await readFile(anchorFile, "utf8").catch(() => ""))
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { seq: number; hash: string })
    const waitFor = async (check: (list: Array<{ seq: number }>) => boolean) => {
      const deadline = Date.now() + 20_000
      while (!check(await anchors()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    }
    await runtime.runPromise(Effect.void)
    await waitFor((list) => list.length > 0)
    expect((await anchors())[0]?.seq).toBe(0)
    await runtime.runPromise(appendAudit(3))
    await waitFor((list) => list.some((a) => a.seq === 3))
    expect((await anchors()).some((a) => a.seq === 3)).toBe(true)
    await runtime.runPromise(appendAudit(2))
    const head = await runtime.runPromise(Effect.flatMap(AuditLog.AuditLog, (a) => a.head))
    await runtime.dispose()
    // The last line is the head at shutdown, whether or not a round saw it.
    expect((await anchors()).at(-1)).toMatchObject({ seq: 5, hash: head.hash })
    expect(((await stat(anchorFile)).mode & 0o777).toString(8)).toBe("600")
    expect(
      (await Effect.runPromise(AuditAnchor.read(anchorFile))).every(
        (a, i, all) => i === 0 || a.seq >= (all[i - 1]?.seq ?? 0),
      ),
    ).toBe(true)
  })

  it("anchors at shutdown even when no round came after the last audit record", async () => {
    const dir = await mkdtemp(join(tmpdir(), "verzuimregie-housekeeping-"))
    dirs.push(dir)
    const anchorFile = join(dir, "audit-anchors.jsonl")
    const store = Store.layer(Database.sqlite(join(dir, "test.db")))
    const runtime = ManagedRuntime.make(
      Layer.provideMerge(Housekeeping.layer({ every: "1 hour", anchorFile }), store),
    )
    await runtime.runPromise(appendAudit(4))
    await runtime.dispose()
    const lines = await Effect.runPromise(AuditAnchor.read(anchorFile))
    expect(lines.at(-1)?.seq).toBe(4)
  })

  it("deletes absence records past the region's retention in the background, audited", async () => {
    const dir = await mkdtemp(join(tmpdir(), "verzuimregie-housekeeping-"))
    dirs.push(dir)
    const config = Either.getOrThrow(
      RegionConfig.resolveConfig(
        "test",
        {
          version: 1,
          regions: [
            {
              id: "westland",
              name: "Westland",
              holidayRegion: "midden",
              municipalities: ["Westland"],
              plugin: "westland",
              absence: { retentionSchoolYears: 1 },
            },
          ],
        },
        [westland],
      ),
    )
    const store = Store.layer(Database.sqlite(join(dir, "test.db")))
    const runtime = ManagedRuntime.make(
      Layer.provideMerge(
        Housekeeping.layer({ every: "100 millis" }),
        Layer.merge(
          store,
          Regions.layer(config, () => LocalDate.make("2026-11-16")),
        ),
      ),
    )
    const school = Ids.OrganisationId.make("org_housekeeping02")
    const records = Effect.flatMap(AbsenceStore.AbsenceStore, (s) =>
      s.recordsOfSchool(school, LocalDate.make("2025-08-01"), LocalDate.make("2026-11-16")),
    ).pipe(Effect.map((m) => [...m.values()].flat().map((r) => r.date)))
    await runtime.runPromise(
      Effect.flatMap(AbsenceStore.AbsenceStore, (s) =>
        s.replacePeriod(
          {
            importId: Ids.AbsenceImportId.make("imp_housekeeping01"),
            schoolId: school,
            regionId: Ids.RegionId.make("westland"),
            period: { from: LocalDate.make("2026-06-01"), to: LocalDate.make("2026-11-13") },
            by: Ids.UserId.make("user_housekeeping01"),
            mapping: "test",
            format: "csv",
          },
          (sink) =>
            sink.insert(
              ["2026-06-08", "2026-09-07"].map((date) => ({
                pupilNumber: "1001",
                date: LocalDate.make(date),
                kind: "ongeoorloofd" as const,
                authorised: false,
                minutes: 60,
                code: "O",
              })),
              [{ pupilNumber: "1001" }],
            ),
          () => Effect.succeed({ created: 0, reopened: 0, updated: 0, withdrawn: 0 }),
        ),
      ),
    )
    const deadline = Date.now() + 10_000
    while ((await runtime.runPromise(records)).length > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    // Retention 1: only the current school year (from 1 August 2026) stays.
    expect(await runtime.runPromise(records)).toEqual(["2026-09-07"])
    const audit = await runtime.runPromise(
      Effect.flatMap(AuditLog.AuditLog, (a) => a.list({ userId: Ids.UserId.make("user_huishouding") })),
    )
    expect(audit.items.map((r) => [r.recordType, r.regionId, r.purpose])).toEqual([
      ["absence-record", "westland", "bewaartermijn"],
    ])
    await runtime.dispose()
  })
})
