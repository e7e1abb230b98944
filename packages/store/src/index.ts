/**
 * @verzuimregie/store — persistence of verzuimregie on SQLite (default) or PostgreSQL: the case
 * event log with its projections and lists, the hash-chained audit log, the outbox and idempotency
 * keys, migrations and online backup.
 *
 * @example
 * import { CaseStore, Database, Store } from "@verzuimregie/store"
 *
 * @since 0.1.0
 */
export * as AbsenceStore from "./AbsenceStore.js"
export * as Accounts from "./Accounts.js"
export * as AuditAnchor from "./AuditAnchor.js"
export * as AuditLog from "./AuditLog.js"
export * as Backup from "./Backup.js"
export * as CaseQueries from "./CaseQueries.js"
export * as CaseStore from "./CaseStore.js"
export * as Database from "./Database.js"
export * as Idempotency from "./Idempotency.js"
export * as Migrations from "./Migrations.js"
export * as NotificationStore from "./NotificationStore.js"
export * as Outbox from "./Outbox.js"
export * as Pagination from "./Pagination.js"
export * as Store from "./Store.js"
export * as Visibility from "./Visibility.js"
export * as WebSessions from "./WebSessions.js"
