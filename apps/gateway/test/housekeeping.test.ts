/**
 * Expired idempotency keys, and the answers they keep, are deleted while the gateway runs, on a
 * real SQLite file; keys still valid stay. The audit head is anchored every round and at shutdown.
 * The rounds run every 100 ms instead of every hour (the schedule is the same code).
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Ids } from "@verzuimregie/domain"
import { AuditAnchor, AuditLog, Database, Idempotency, Store } from "@verzuimregie/store"
import { Effect, Layer, ManagedRuntime } from "effect"
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
})
