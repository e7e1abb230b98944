/**
 * Everything the store offers, as one layer over a database.
 *
 * @example
 * const AppLive = Store.layerFromConfig // DATABASE_URL / DATA_DIR
 * Effect.gen(function* () {
 *   const cases = yield* CaseStore
 *   ...
 * }).pipe(Effect.provide(AppLive))
 *
 * @since 0.1.0
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import { Layer } from "effect"
import { AbsenceStore } from "./AbsenceStore.js"
import { Accounts } from "./Accounts.js"
import { AuditLog } from "./AuditLog.js"
import { CaseQueries } from "./CaseQueries.js"
import { CaseStore } from "./CaseStore.js"
import * as Database from "./Database.js"
import { Idempotency } from "./Idempotency.js"
import { NotificationStore } from "./NotificationStore.js"
import { Outbox } from "./Outbox.js"
import { WebSessions } from "./WebSessions.js"

export type Services =
  | AbsenceStore
  | CaseStore
  | CaseQueries
  | AuditLog
  | Outbox
  | Idempotency
  | Accounts
  | WebSessions
  | NotificationStore

/** The store's services on top of an opened database. */
export const services: Layer.Layer<Services, never, Database.Database> = Layer.mergeAll(
  CaseStore.Default,
  CaseQueries.Default,
  AuditLog.Default,
  Outbox.Default,
  Idempotency.Default,
  Accounts.Default,
  WebSessions.Default,
  AbsenceStore.Default,
  NotificationStore.Default,
)

export const layer = (
  config: Database.DatabaseConfig,
): Layer.Layer<Services | Database.Database | SqlClient.SqlClient, Database.DatabaseUnavailable> =>
  Layer.provideMerge(services, Database.layer(config))

export const layerFromConfig: Layer.Layer<
  Services | Database.Database | SqlClient.SqlClient,
  Database.DatabaseUnavailable
> = Layer.provideMerge(services, Database.layerFromConfig)
