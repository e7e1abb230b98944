/**
 * Expired idempotency keys, and the answers they keep, are deleted while the gateway runs, on a
 * real SQLite file; keys still valid stay.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Database, Idempotency, Store } from "@verzuimregie/store"
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
})
