/**
 * What a case event sets in motion outside the case: which event causes which outbox rows. The
 * rows are written in the same transaction as the event (`append`), so there is never an event
 * without its effect, nor an effect of an event that was rolled back; a worker delivers them
 * afterwards (at least once, deduplicated on the message id).
 *
 * `effectsOf` is a pure function of the event, the case state before and after it, and the
 * region; `append` is the store's transactional append with those effects.
 *
 * The first effect: the **handover notice**. When regie over a case is placed with another party
 * (the `HandedOver` event, "Overgedragen"), the referrer hears so by mail. In Westland that event is
 * what the transition `overdragen` (→ `overgedragen`) waits for; Er op af and Amstelland record a
 * handover with the same event (Er op af may then close with the outcome `overgedragen`). The
 * notice holds only what `MailSafe` allows (status, dates, the registered account or role that took
 * over, the case id, a link); its payload holds ids and a date, nothing typed.
 *
 * @since 0.1.0
 */
import type { Case, CaseEvent } from "@verzuimregie/domain"
import { LocalDate } from "@verzuimregie/domain"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { CaseStore, type Outbox } from "@verzuimregie/store"
import { Effect, Schema } from "effect"
import * as Notifications from "./Notifications.js"

/** The outbox topic of mail (the mail worker claims it). */
export const MAIL_TOPIC = "mail"

/**
 * Attempts for a notice enqueued here: the mail worker's default retry span (72 hours with
 * backoff from 30 s to 1 h: `MailConfig.DEFAULT_RETRY.maxAttempts` in `@verzuimregie/mail`, which
 * checks the two agree).
 */
export const NOTICE_MAX_ATTEMPTS = 151

export const HandoverNoticePayload = Schema.Struct({
  template: Schema.Literal("handover-notice"),
  regionId: Schema.String,
  caseId: Schema.String,
  handoverOn: LocalDate.LocalDate,
})
export type HandoverNoticePayload = typeof HandoverNoticePayload.Type

/**
 * The notice to the referrer that regie over their referral went to another party; its id is
 * stable per case and day, so a repeated handover on one day sends one notice.
 */
export const handoverNotice = (input: {
  readonly regionId: string
  readonly caseId: string
  readonly handoverOn: LocalDate.LocalDate
  readonly maxAttempts?: number | undefined
}): Outbox.OutboxMessage => ({
  topic: MAIL_TOPIC,
  messageId: `handover:${input.caseId}:${input.handoverOn}`,
  payload: Schema.encodeSync(HandoverNoticePayload)({
    template: "handover-notice",
    regionId: input.regionId,
    caseId: input.caseId,
    handoverOn: input.handoverOn,
  }),
  regionId: input.regionId,
  maxAttempts: input.maxAttempts ?? NOTICE_MAX_ATTEMPTS,
})

export interface Change {
  readonly event: CaseEvent.CaseEvent
  /** The case before the event; none when the event opened it. */
  readonly before: Case.CaseState | undefined
  readonly after: Case.CaseState
  readonly region: RegionConfig.EnabledRegion
}

/**
 * The outbox rows an event causes. A handover is new when the state after it holds one more
 * handover than before; a referrer without an e-mail address gets no notice (nothing to send, and
 * no dead letter for an operator).
 */
export const effectsOf = (change: Change): ReadonlyArray<Outbox.OutboxMessage> => [
  ...mailEffectsOf(change),
  // Notices to users (docs/notifications.md): the dispatcher sends or collects them per preference.
  ...Notifications.effectsOf({ ...change, regionId: change.region.region.id }),
]

const mailEffectsOf = (change: Change): ReadonlyArray<Outbox.OutboxMessage> => {
  const { event, before, after, region } = change
  switch (event._tag) {
    case "HandedOver": {
      const handedOver = after.handovers.length > (before?.handovers.length ?? 0)
      if (!handedOver || after.referral.referrer.email === undefined) return []
      return [handoverNotice({ regionId: region.region.id, caseId: after.id, handoverOn: event.on })]
    }
    default:
      return []
  }
}

/**
 * `CaseStore.append` with the events' effects in its transaction: the store hands each event with
 * the state before and after it to `effectsOf`, and writes the rows next to the events.
 */
export const append = (
  input: Omit<CaseStore.AppendInput, "outboxFor">,
  region: RegionConfig.EnabledRegion,
): Effect.Effect<CaseStore.Appended, CaseStore.AppendError, CaseStore.CaseStore> =>
  Effect.flatMap(CaseStore.CaseStore, (store) => store.append({ ...input, outboxFor: outboxFor(region) }))

/** The store's `outboxFor` for a region: `effectsOf` over every appended event. */
export const outboxFor =
  (region: RegionConfig.EnabledRegion) =>
  (steps: ReadonlyArray<CaseStore.AppliedEvent>): ReadonlyArray<Outbox.OutboxMessage> =>
    steps.flatMap((step) => effectsOf({ ...step, region }))
