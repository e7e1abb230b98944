/**
 * The admin command line's mail commands: the outbox's dead letters, and putting them back in the
 * queue. A listing shows ids, topic, region, attempts, the kind of the last error and dates: never
 * a payload, a recipient or an error's text (which may quote an address). Both commands are
 * audited like every admin command (`CliAudit`: the command line as actor, the kind `cli` and the
 * operating-system user in the context); a requeue and its audit records are one transaction.
 *
 * @since 0.1.0
 */
import { HttpMeaning, Ids } from "@verzuimregie/domain"
import { Messages, Worker } from "@verzuimregie/mail"
import { AuditLog, Database, Outbox, type Pagination } from "@verzuimregie/store"
import { Effect, Schema } from "effect"
import { CLI_ACTOR, type CliAudit } from "./CliAudit.js"

const isRegionId = Schema.is(Ids.RegionId)

const entry = (
  run: CliAudit,
  action: AuditLog.AuditAction,
  message?: Outbox.StoredMessage,
): AuditLog.AuditEntry => ({
  ...CLI_ACTOR,
  action,
  recordType: "outbox-message",
  ...(message === undefined ? {} : { recordId: `outbox_${String(message.id).padStart(6, "0")}` }),
  ...(message?.regionId !== undefined && isRegionId(message.regionId) ? { regionId: message.regionId } : {}),
  purpose: "beheer",
  context: run.context(),
  requestId: run.requestId,
})

/** A command that cannot be done as asked; the text is for the operator. */
export class MailCommandFailed extends Schema.TaggedError<MailCommandFailed>()(
  "MailCommandFailed",
  {
    reason: Schema.String,
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return this.reason
  }
}

const statusLabel: Record<Outbox.OutboxStatus, string> = {
  pending: "wacht op verzending",
  claimed: "wordt nu verstuurd",
  sent: "is verstuurd",
  dead: "is een dode brief",
}

/** One line of the listing, tab-separated. */
export const deadLetterLine = (m: Outbox.StoredMessage): string =>
  [
    m.id,
    m.messageId,
    m.topic,
    m.regionId ?? "-",
    `${m.attempts} pogingen`,
    Worker.errorClass(m.lastError),
    `aangemaakt ${m.createdAt}`,
    `dood sinds ${m.deadAt ?? "-"}`,
  ].join("\t")

/**
 * One page of dead mail letters, newest first (`limit` and `cursor` as in every admin list; the
 * store pages by its keyset, so a long outage never prints thousands of lines at once). The read
 * is audited.
 */
export const deadLetters = (run: CliAudit, page: Pagination.PageRequest) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox.Outbox
    const audit = yield* AuditLog.AuditLog
    const letters = yield* outbox.deadLetters(page, { topics: [Messages.TOPIC] })
    yield* audit.append([entry(run, "read")])
    return letters
  })

/**
 * Puts dead mail letters back in the queue with fresh attempts: one by id, or all. Each requeued
 * message gets an audit record in the same transaction.
 */
export const requeue = (run: CliAudit, target: number | "all") =>
  Effect.gen(function* () {
    const db = yield* Database.Database
    const outbox = yield* Outbox.Outbox
    const audit = yield* AuditLog.AuditLog
    return yield* db.writeTransaction(
      Effect.gen(function* () {
        if (target === "all") {
          // One statement requeues them all and returns them, for the audit records and the listing.
          const requeued = yield* outbox.requeueAllMessages({ topics: [Messages.TOPIC] })
          if (requeued.length > 0) yield* audit.append(requeued.map((m) => entry(run, "update", m)))
          return requeued
        }
        const message = yield* outbox.get(target)
        if (message === undefined || message.topic !== Messages.TOPIC) {
          return yield* new MailCommandFailed({ reason: `mail requeue: er is geen mail met id ${target}` })
        }
        if (message.status !== "dead") {
          return yield* new MailCommandFailed({
            reason: `mail requeue: mail ${target} ${statusLabel[message.status]}, geen dode brief`,
          })
        }
        yield* outbox.requeue(target)
        yield* audit.append([entry(run, "update", message)])
        return [message]
      }),
    )
  })
