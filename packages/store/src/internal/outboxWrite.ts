/**
 * Writing outbox rows inside a transaction the caller already holds, so a side effect is queued
 * with the change that causes it or not at all. Internal: `CaseStore.append`, `Accounts` (sign-in
 * links) and `Outbox.enqueue` call it.
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Ids } from "@verzuimregie/domain"
import { Effect } from "effect"
import type { OutboxMessage } from "../Outbox.js"
import { type DatabaseService, now } from "./service.js"

export const DEFAULT_MAX_ATTEMPTS = 10

const TOPIC = /^[a-z][a-z0-9]*([.-][a-z0-9]+)*$/
/**
 * Writes messages inside the caller's transaction, linked to the case version that caused them.
 * Used by `CaseStore.append`; a message id that exists already is skipped (idempotent enqueue).
 */
export const enqueueInTransaction = (
  db: DatabaseService,
  messages: ReadonlyArray<OutboxMessage>,
  cause?: { readonly caseId: Ids.CaseId; readonly caseVersion: number },
): Effect.Effect<ReadonlyArray<string>, SqlError> =>
  Effect.gen(function* () {
    if (messages.length === 0) return []
    for (const message of messages) {
      if (!TOPIC.test(message.topic)) return yield* Effect.dieMessage(`invalid outbox topic ${message.topic}`)
    }
    const { sql } = db
    const at = yield* now
    const rows = messages.map((message) => ({
      message_id: message.messageId ?? `msg_${Ids.randomIdBody()}`,
      topic: message.topic,
      case_id: cause?.caseId ?? null,
      case_version: cause?.caseVersion ?? null,
      region_id: message.regionId ?? null,
      payload: JSON.stringify(message.payload),
      status: "pending",
      attempts: 0,
      max_attempts: Math.max(1, Math.floor(message.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)),
      next_attempt_at: message.availableAt ?? at,
      created_at: at,
    }))
    yield* sql`INSERT INTO outbox ${sql.insert(rows)} ON CONFLICT (message_id) DO NOTHING`
    return rows.map((row) => row.message_id)
  })
