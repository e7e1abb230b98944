/**
 * A real store for the use-case tests: a fresh SQLite file, or (with TEST_DATABASE_URL) a fresh
 * PostgreSQL schema, dropped afterwards. Westland as the region, through the SDK's own loader;
 * or, for the account use cases, the store as a layer (`freshStore`) with stand-in regions.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { SqlClient } from "@effect/sql"
import { type CaseEvent, Ids, type LocalDate, type Referral, Timestamp } from "@verzuimregie/domain"
import { Fixtures, RegionConfig } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { CaseStore, Database, Store } from "@verzuimregie/store"
import * as Testing from "@verzuimregie/store/testing"
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { Regions } from "../../src/index.js"

export type Backend = "sqlite" | "pg"
export const BACKENDS: ReadonlyArray<Backend> = ["sqlite", "pg"]
export const skip = (backend: Backend): boolean => backend === "pg" && Testing.skipPostgres("app")

export const REFERRER_EMAIL = "aanmelder@school.example"

export const region: RegionConfig.EnabledRegion = (() => {
  const regions = Either.getOrThrow(
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
          },
        ],
      },
      [westland],
    ),
  ).regions
  const first = regions[0]
  if (first === undefined) throw new Error("no region")
  return first
})()

export type TestRuntime = ManagedRuntime.ManagedRuntime<
  Store.Services | Database.Database,
  Database.DatabaseUnavailable
>

export interface TestStore {
  readonly runtime: TestRuntime
  readonly config: Database.DatabaseConfig
  readonly close: () => Promise<void>
}

export const openStore = async (backend: Backend): Promise<TestStore> => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-app-"))
  const schema = Testing.uniqueSchemaName("app")
  const config =
    backend === "sqlite"
      ? Database.sqlite(Path.join(dir, "test.db"))
      : Database.postgres(Testing.testDatabaseUrl ?? "", { schema, maxConnections: 4 })
  const runtime: TestRuntime = ManagedRuntime.make(Store.layer(config))
  await runtime.runtime()
  return {
    runtime,
    config,
    close: async () => {
      if (backend === "pg")
        await runtime.runPromise(
          Effect.flatMap(Database.Database, (db) =>
            db.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
          ),
        )
      await runtime.dispose()
      Fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

let referrals = 0

/** The `ReferralReceived` of a new synthetic Westland case, its referrer with an e-mail address or not. */
export const referral = (
  on: LocalDate.LocalDate,
  options: { readonly email?: boolean } = {},
): CaseEvent.EventOf<"ReferralReceived"> => {
  const submission = Fixtures.referralFor(region.plugin, { on })
  const at = Timestamp.Timestamp.make(`${on}T08:00:00.000Z`)
  const event = Fixtures.referralReceived(
    region.plugin,
    {
      ...submission,
      referrer: {
        ...submission.referrer,
        ...(options.email === false
          ? {}
          : { email: REFERRER_EMAIL as NonNullable<Referral.Referrer["email"]> }),
      },
    },
    at,
  )
  referrals++
  return {
    ...event,
    referral: {
      ...event.referral,
      id: Ids.ReferralId.make(`ref_apptest${String(referrals).padStart(6, "0")}`),
      pupil: {
        ...event.referral.pupil,
        id: Ids.PupilId.make(`pupil_apptest${String(referrals).padStart(6, "0")}`),
      },
    },
  }
}

/** Opens a Westland case in the store; returns its state. */
export const openCase = (
  runtime: TestRuntime,
  on: LocalDate.LocalDate,
  options: { readonly email?: boolean } = {},
) =>
  runtime.runPromise(
    Effect.flatMap(CaseStore.CaseStore, (store) =>
      store.create({ referral: referral(on, options), regions: [region.region.id] }),
    ),
  )

/** A `HandedOver` event: regie to the youth team's hulpverlener, with a typed summary. */
export const handedOver = (on: LocalDate.LocalDate, summary = "Getypte samenvatting MARKER-OVERDRACHT") =>
  ({
    _tag: "HandedOver",
    at: Timestamp.Timestamp.make(`${on}T10:00:00.000Z`),
    by: Fixtures.fixtureStaff,
    on,
    to: { name: "Getypte naam MARKER-HULPVERLENER", role: "hulpverlener" },
    summary,
  }) as CaseEvent.EventOf<"HandedOver">

const config = (backend: Backend): { config: Database.DatabaseConfig; cleanup: () => void } => {
  if (backend === "pg") {
    return {
      config: Database.postgres(Testing.testDatabaseUrl ?? "", { schema: Testing.uniqueSchemaName("app") }),
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
