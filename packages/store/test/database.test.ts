import * as Fs from "node:fs"
import * as Path from "node:path"
import { ConfigProvider, Effect, Either, Exit, Layer } from "effect"
import { describe, expect, it } from "vitest"
import * as Database from "../src/Database.js"
import * as Migrations from "../src/Migrations.js"
import { BACKENDS, fresh, pgUrl, rawSql, skip, tempDir } from "./support/backends.js"

/** Opens a database, returning the typed failure or running `use`. */
const open = <A>(config: Database.DatabaseConfig, use: Effect.Effect<A, unknown, Database.Database>) =>
  Effect.runPromise(Effect.either(Effect.provide(use, Layer.fresh(Database.layer(config)))))

const failureOf = async (config: Database.DatabaseConfig) => {
  const result = await open(config, Effect.void)
  if (Either.isRight(result)) throw new Error("expected the database to be unavailable")
  return result.left as Database.DatabaseUnavailable
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at /)

describe("start-up errors", () => {
  it("reports a file of garbage bytes as a damaged database", async () => {
    const dir = tempDir()
    try {
      const file = Path.join(dir, "verzuimregie.db")
      Fs.writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)))
      const error = await failureOf(Database.sqlite(file))
      expect(error._tag).toBe("DatabaseUnavailable")
      expect(error.stage).toBe("open")
      expect(error.target).toBe(`SQLite-bestand ${file}`)
      expect(error.message).toContain(file)
      expect(error.message).toMatch(/not a database/)
      expect(error.message).toMatch(/Zet de laatste back-up terug/)
      noStackTrace(error.message)
    } finally {
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("reports a data folder that cannot be created", async () => {
    const dir = tempDir()
    try {
      // A folder "inside" a regular file cannot be created, whoever runs the test (root included).
      const blocker = Path.join(dir, "not-a-folder")
      Fs.writeFileSync(blocker, "")
      const error = await failureOf(Database.sqlite(Path.join(blocker, "data", "verzuimregie.db")))
      expect(error.stage).toBe("create-directory")
      expect(error.message).toContain(Path.join(blocker, "data"))
      expect(error.message).toMatch(/ENOTDIR/)
      expect(error.message).toMatch(/DATA_DIR/)
      noStackTrace(error.message)
    } finally {
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("reports a PostgreSQL URL on a closed port, with the password masked", async () => {
    const error = await failureOf(
      Database.postgres("postgres://verzuim:geheim-wachtwoord@127.0.0.1:1/verzuimregie"),
    )
    expect(error.stage).toBe("connect")
    expect(error.message).toContain("postgres://verzuim:***@127.0.0.1:1/verzuimregie")
    expect(error.message).not.toContain("geheim")
    expect(error.message).toMatch(/ECONNREFUSED/)
    expect(error.message).toMatch(/start PostgreSQL of verbeter DATABASE_URL/)
    noStackTrace(error.message)
  })

  it("refuses an unknown DATABASE_URL scheme", () => {
    const result = Database.fromEnvironment({ DATABASE_URL: "mysql://root:pw@localhost/db" })
    expect(Either.isLeft(result) && result.left.stage).toBe("configure")
    expect(Either.isLeft(result) && result.left.message).not.toContain(":pw@")
  })
})

describe("configuration", () => {
  it("chooses the backend from DATABASE_URL and DATA_DIR", () => {
    expect(Database.fromEnvironment({})).toEqual(
      Either.right(Database.sqlite(Path.join("data", "verzuimregie.db"))),
    )
    expect(Database.fromEnvironment({ DATA_DIR: "/srv/vr" })).toEqual(
      Either.right(Database.sqlite("/srv/vr/verzuimregie.db")),
    )
    expect(Database.fromEnvironment({ DATABASE_URL: "sqlite:/srv/x.db" })).toEqual(
      Either.right(Database.sqlite("/srv/x.db")),
    )
    for (const url of ["postgres://u@h/db", "postgresql://u@h/db"]) {
      const config = Either.getOrThrow(Database.fromEnvironment({ DATABASE_URL: url }))
      expect(config._tag).toBe("pg")
    }
  })

  it("creates the data folder from DATA_DIR (through Effect's Config)", async () => {
    const dir = tempDir()
    try {
      const dataDir = Path.join(dir, "nested", "data")
      const provider = ConfigProvider.fromMap(new Map([["DATA_DIR", dataDir]]))
      const exit = await Effect.runPromiseExit(
        Effect.provide(
          Effect.map(Database.Database, (db) => db.target),
          Layer.provide(Database.layerFromConfig, Layer.setConfigProvider(provider)),
        ),
      )
      expect(exit).toEqual(Exit.succeed(`SQLite-bestand ${Path.join(dataDir, "verzuimregie.db")}`))
      expect(Fs.existsSync(Path.join(dataDir, "verzuimregie.db"))).toBe(true)
    } finally {
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("SQLite pragmas", () => {
  it("runs in WAL mode with synchronous=FULL, foreign keys and a busy timeout", async () => {
    const f = fresh("sqlite")
    try {
      const result = await open(
        f.config,
        Effect.gen(function* () {
          const { sql } = yield* Database.Database
          const read = (name: string) =>
            sql.unsafe<Record<string, unknown>>(`PRAGMA ${name}`).pipe(Effect.map((r) => r[0]))
          return {
            journal: yield* read("journal_mode"),
            synchronous: yield* read("synchronous"),
            foreignKeys: yield* read("foreign_keys"),
            busy: yield* read("busy_timeout"),
          }
        }),
      )
      expect(result).toEqual(
        Either.right({
          journal: { journal_mode: "wal" },
          synchronous: { synchronous: 2 },
          foreignKeys: { foreign_keys: 1 },
          busy: { timeout: 100 },
        }),
      )
    } finally {
      await f.cleanup()
    }
  })
})

describe.each(BACKENDS)("migrations on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    it("apply once; running them again is a no-op", async () => {
      const f = fresh(backend)
      try {
        const first = await open(f.config, Migrations.applied)
        const all = Migrations.migrations.map(({ id, name }) => ({ id, name }))
        expect(all[0]).toEqual({ id: 1, name: "event_log_audit_outbox_idempotency" })
        expect(first).toEqual(Either.right(all))
        const again = await open(f.config, Migrations.run())
        expect(again).toEqual(Either.right([]))
        const third = await open(f.config, Migrations.run())
        expect(third).toEqual(Either.right([]))
        const rows = await rawSql(f, "SELECT id FROM schema_migrations")
        expect(rows).toHaveLength(Migrations.migrations.length)
        const indexes = await rawSql(
          f,
          f.config._tag === "pg"
            ? "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()"
            : "SELECT name FROM sqlite_master WHERE type = 'index'",
        )
        const names = indexes.map((r) => r.name)
        for (const name of [
          "cases_region_status_idx",
          "cases_at_home_idx",
          "open_actions_region_due_idx",
          "outbox_due_idx",
        ]) {
          expect(names).toContain(name)
        }
      } finally {
        await f.cleanup()
      }
    })

    it("refuse to start when an applied migration was changed, or the database is newer", async () => {
      const f = fresh(backend)
      try {
        expect(Either.isRight(await open(f.config, Effect.void))).toBe(true)
        const changed = await open(
          f.config,
          Migrations.run(
            Migrations.migrations.map((m) => ({
              ...m,
              sqlite: [...m.sqlite, "SELECT 1"],
              pg: [...m.pg, "SELECT 1"],
            })),
          ),
        )
        expect(Either.isLeft(changed) && changed.left).toMatchObject({
          _tag: "MigrationError",
          reason: "changed",
        })
        await rawSql(
          f,
          "INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (99, 'future', 'x', '2030-01-01T00:00:00.000Z')",
        )
        const error = await failureOf(f.config)
        expect(error.stage).toBe("migrate")
        expect(error.message).toMatch(/migratie 99 \(future\)/)
      } finally {
        await f.cleanup()
      }
    })

    it("8 (outbox-region) gives messages queued before it their region from the payload", async () => {
      const f = fresh(backend)
      try {
        expect(Either.isRight(await open(f.config, Effect.void))).toBe(true)
        // Back to the schema before migration 8, with two messages queued then.
        await rawSql(f, "DROP INDEX outbox_region_due_idx")
        await rawSql(f, "ALTER TABLE outbox DROP COLUMN region_id")
        await rawSql(f, "DELETE FROM schema_migrations WHERE id = 8")
        for (const [messageId, payload] of [
          ["summary:westland:2026-W10", { template: "staff-summary", regionId: "westland" }],
          ["msg_zonderregio", { template: "case-update" }],
        ] as const) {
          await rawSql(
            f,
            `INSERT INTO outbox (message_id, topic, payload, status, attempts, max_attempts, next_attempt_at, created_at)
             VALUES ('${messageId}', 'mail', '${JSON.stringify(payload)}', 'pending', 0, 8, '2026-03-09T06:00:00.000Z', '2026-03-09T06:00:00.000Z')`,
          )
        }
        expect(Either.isRight(await open(f.config, Effect.void))).toBe(true)
        const rows = await rawSql(f, "SELECT message_id, region_id FROM outbox ORDER BY id")
        expect(rows.map((r) => [r.message_id, r.region_id])).toEqual([
          ["summary:westland:2026-W10", "westland"],
          ["msg_zonderregio", null],
        ])
      } finally {
        await f.cleanup()
      }
    })

    it("apply concurrently from two starting instances exactly once", async () => {
      const f = fresh(backend)
      try {
        const results = await Promise.all([open(f.config, Effect.void), open(f.again(), Effect.void)])
        expect(results.every(Either.isRight)).toBe(true)
        expect(await rawSql(f, "SELECT id FROM schema_migrations")).toHaveLength(Migrations.migrations.length)
      } finally {
        await f.cleanup()
      }
    })
  })
})

describe.skipIf(pgUrl === undefined)("PostgreSQL settings", () => {
  it("uses UTC sessions and the configured schema", async () => {
    const f = fresh("pg")
    try {
      const result = await open(
        f.config,
        Effect.gen(function* () {
          const { sql } = yield* Database.Database
          const [row] = yield* sql<{
            tz: string
            schema: string
          }>`SELECT current_setting('TimeZone') AS tz, current_schema() AS schema`
          return row
        }),
      )
      expect(result).toEqual(
        Either.right({ tz: "UTC", schema: f.config._tag === "pg" ? f.config.schema : "" }),
      )
    } finally {
      await f.cleanup()
    }
  })
})
