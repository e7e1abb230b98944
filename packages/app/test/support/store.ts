/**
 * A fresh store for one use-case test, on a real database: a SQLite file in a temp folder, or
 * (with TEST_DATABASE_URL) a PostgreSQL schema of its own, removed when the test's scope closes.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { SqlClient } from "@effect/sql"
import type { Ids, LocalDate } from "@verzuimregie/domain"
import { Database, Store } from "@verzuimregie/store"
import { skipPostgres, testDatabaseUrl, uniqueSchemaName } from "@verzuimregie/store/testing"
import { Effect, Layer } from "effect"
import { Regions } from "../../src/index.js"

export type Backend = "sqlite" | "pg"
export const BACKENDS: ReadonlyArray<Backend> = ["sqlite", "pg"]
export const skip = (backend: Backend): boolean => backend === "pg" && skipPostgres("app")

const config = (backend: Backend): { config: Database.DatabaseConfig; cleanup: () => void } => {
  if (backend === "pg") {
    return {
      config: Database.postgres(testDatabaseUrl ?? "", { schema: uniqueSchemaName("app") }),
      cleanup: () => undefined,
    }
  }
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-app-"))
  return {
    config: Database.sqlite(Path.join(dir, "verzuimregie.db")),
    cleanup: () => Fs.rmSync(dir, { recursive: true, force: true }),
  }
}

/** The store's services on a fresh database; a PostgreSQL schema is dropped afterwards. */
export const freshStore = (backend: Backend) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const { config: c, cleanup } = config(backend)
      yield* Effect.addFinalizer(() => Effect.sync(cleanup))
      const store = Store.layer(c)
      if (c._tag !== "pg") return store
      const schema = c.schema ?? ""
      // Dropped through the store's own pool, before that pool closes.
      const drop = Layer.scopedDiscard(
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Effect.addFinalizer(() =>
            sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).pipe(Effect.orDie),
          ),
        ),
      )
      return Layer.provideMerge(drop, store)
    }),
  )

/** The regions the tests' installation runs: only their ids matter to the account use cases. */
export const regionsOf = (ids: ReadonlyArray<string>) =>
  Layer.succeed(Regions.Regions, {
    all: ids.map((id) => ({ region: { id } })) as never,
    get: (regionId: string) => (ids.includes(regionId) ? ({ region: { id: regionId } } as never) : undefined),
    enabled: (wanted: ReadonlyArray<Ids.RegionId>) => wanted.filter((id) => ids.includes(id)),
    today: () => "2026-11-30" as LocalDate.LocalDate,
  })
