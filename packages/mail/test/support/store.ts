/**
 * Stores for the tests: a fresh SQLite file, or (with TEST_DATABASE_URL) a fresh PostgreSQL
 * schema, dropped afterwards. Seeds synthetic cases.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { Case, type CaseEvent, type Ids, LocalDate } from "@verzuimregie/domain"
import { makeGenerator, type SampleRegionId } from "@verzuimregie/domain/sample"
import { CaseStore, Database, Store } from "@verzuimregie/store"
import * as Testing from "@verzuimregie/store/testing"
import { Effect, Either, ManagedRuntime } from "effect"
import pg from "pg"

export const pgUrl = Testing.testDatabaseUrl

/** True when PostgreSQL cannot be tested here; says so, loudly, once per file. */
export const skipPg = (): boolean => Testing.skipPostgres("mail")

export type StoreRuntime = ManagedRuntime.ManagedRuntime<
  Store.Services | Database.Database,
  Database.DatabaseUnavailable
>

export interface TestStore {
  readonly config: Database.DatabaseConfig
  readonly runtime: StoreRuntime
  /** Another runtime (own connections) on the same database. */
  readonly second: () => StoreRuntime
  readonly dataDir: string
  readonly close: () => Promise<void>
}

export const tempDir = (): string => Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-mail-"))

export const openStore = async (backend: "sqlite" | "pg" = "sqlite"): Promise<TestStore> => {
  const dataDir = tempDir()
  const schema = Testing.uniqueSchemaName("mail")
  const config =
    backend === "sqlite"
      ? Database.sqlite(Path.join(dataDir, "test.db"))
      : Database.postgres(pgUrl ?? "", { schema, maxConnections: 4 })
  const runtime: StoreRuntime = ManagedRuntime.make(Store.layer(config))
  await runtime.runtime()
  const extra: Array<StoreRuntime> = []
  return {
    config,
    runtime,
    dataDir,
    second: () => {
      const rt: StoreRuntime = ManagedRuntime.make(Store.layer(config))
      extra.push(rt)
      return rt
    },
    close: async () => {
      for (const rt of extra) await rt.dispose()
      await runtime.dispose()
      if (backend === "pg") {
        const client = new pg.Client({ connectionString: pgUrl })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await client.end()
      }
      Fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface Seeded {
  readonly state: Case.CaseState
  readonly events: ReadonlyArray<CaseEvent.CaseEvent>
}

/** Synthetic histories of a region, cut at `on` (what had happened by then). */
export const synthetic = (
  seed: number,
  count: number,
  regionId: SampleRegionId,
  on: LocalDate.LocalDate,
): Array<Seeded> =>
  [
    ...makeGenerator(seed, { on }).cases(count, {
      regionIds: [regionId],
      from: LocalDate.addDays(on, -200),
      to: LocalDate.addDays(on, -1),
      closedShare: 0.4,
      absenceWeeks: 0,
    }),
  ].flatMap((h) => {
    const events = h.events.filter((e) => e.at < `${on}T00:00:00.000Z`)
    if (events.length === 0) return []
    return [{ state: Either.getOrThrow(Case.fold(h.caseId, events)), events }]
  })

/** Writes histories to the store, one case per transaction, as the gateway would. */
export const seed = (runtime: StoreRuntime, histories: ReadonlyArray<Seeded>): Promise<void> =>
  runtime.runPromise(
    Effect.gen(function* () {
      const store = yield* CaseStore.CaseStore
      for (const h of histories) {
        const [first, ...rest] = h.events
        if (first?._tag !== "ReferralReceived") throw new Error("history must start with the referral")
        yield* store.create({
          caseId: h.state.id,
          referral: first,
          events: rest,
          regions: [h.state.regionId as Ids.RegionId],
        })
      }
    }),
  )
