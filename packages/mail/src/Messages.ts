/**
 * The mail messages the outbox carries (topic `mail`). A payload holds ids, dates and a template
 * code, never personal data: the worker reads what a message needs when it sends it.
 *
 * @example
 * // A handover notice is an effect of the `HandedOver` event (`CaseEffects` in @verzuimregie/app):
 * yield* CaseEffects.append({ caseId, expectedVersion, events: [handedOver], regions }, region)
 *
 * @since 0.1.0
 */
import { Admin, CaseEffects, Notifications, WebSignIn } from "@verzuimregie/app"
import { LocalDate } from "@verzuimregie/domain"
import type { Outbox } from "@verzuimregie/store"
import { Schema } from "effect"
import { DEFAULT_RETRY } from "./MailConfig.js"
import type { Due } from "./Schedules.js"

export const TOPIC = CaseEffects.MAIL_TOPIC

const Period = Schema.Struct({ key: Schema.String, from: LocalDate.LocalDate, to: LocalDate.LocalDate })

export const StaffSummaryPayload = Schema.Struct({
  template: Schema.Literal("staff-summary"),
  regionId: Schema.String,
  period: Period,
  /** The peildatum. */
  on: LocalDate.LocalDate,
})
export type StaffSummaryPayload = typeof StaffSummaryPayload.Type

export const InspectiePayload = Schema.Struct({
  template: Schema.Literal("inspectie-overview"),
  regionId: Schema.String,
  quarter: Schema.String,
  /** One overview (attachment) per peildatum. */
  peildata: Schema.NonEmptyArray(LocalDate.LocalDate),
})
export type InspectiePayload = typeof InspectiePayload.Type

/** Defined with the effect that enqueues it (`CaseEffects` in the application layer). */
export const HandoverPayload = CaseEffects.HandoverNoticePayload
export type HandoverPayload = typeof HandoverPayload.Type

/** A person's one-time sign-in link: the payload names the link; its secret is made when rendered. */
export const SignInLinkPayload = Admin.SignInLinkPayload
export type SignInLinkPayload = typeof SignInLinkPayload.Type

/** A person's one-time web sign-in link (`WebSignIn.requestLink`): the payload names the link. */
export const WebSignInLinkPayload = WebSignIn.WebSignInLinkPayload
export type WebSignInLinkPayload = typeof WebSignInLinkPayload.Type

/** A notification sent at once (`Notifications.dispatch` enqueues it with the log entry). */
export const NotificationPayload = Notifications.NotificationMailPayload
export type NotificationPayload = typeof NotificationPayload.Type

/** A user's daily digest of notifications (`Notifications.digests`). */
export const DigestPayload = Notifications.DigestMailPayload
export type DigestPayload = typeof DigestPayload.Type

export const Payload = Schema.Union(
  StaffSummaryPayload,
  InspectiePayload,
  HandoverPayload,
  SignInLinkPayload,
  WebSignInLinkPayload,
  NotificationPayload,
  DigestPayload,
)
export type Payload = typeof Payload.Type

export const decodePayload = Schema.decodeUnknownEither(Payload)

const message = (
  messageId: string,
  payload: Payload,
  maxAttempts: number | undefined,
): Outbox.OutboxMessage => ({
  topic: TOPIC,
  messageId,
  payload: Schema.encodeSync(Payload)(payload) as Outbox.OutboxMessage["payload"],
  // The region, so a worker claims only the mail of regions it can deliver; a sign-in link belongs
  // to no region (installation mail, delivered by the gateway's worker).
  regionId: "regionId" in payload ? payload.regionId : undefined,
  // The mail retry span, not the outbox's generic default (10 attempts: about 4 hours).
  maxAttempts: maxAttempts ?? DEFAULT_RETRY.maxAttempts,
})

/** The outbox message for something due (see `Schedules`): its id makes it once per period. */
export const fromDue = (due: Due, maxAttempts?: number): Outbox.OutboxMessage =>
  due.kind === "staff"
    ? message(
        due.messageId,
        { template: "staff-summary", regionId: due.regionId, period: due.period, on: due.on },
        maxAttempts,
      )
    : message(
        due.messageId,
        {
          template: "inspectie-overview",
          regionId: due.regionId,
          quarter: due.period.key,
          peildata: [due.peildata[0] ?? due.on, ...due.peildata.slice(1)],
        },
        maxAttempts,
      )

/**
 * The notice to the referrer that regie over their referral went to another party. `CaseEffects`
 * enqueues it in the transaction that appends the `HandedOver` event; its id is stable per case
 * and day.
 */
export const handoverNotice = (input: {
  readonly regionId: string
  readonly caseId: string
  readonly handoverOn: LocalDate.LocalDate
  readonly maxAttempts?: number
}): Outbox.OutboxMessage =>
  CaseEffects.handoverNotice({ ...input, maxAttempts: input.maxAttempts ?? DEFAULT_RETRY.maxAttempts })

/**
 * The mail with a person's one-time sign-in link (to their own address). Enqueue it in the
 * transaction that creates the link (`Accounts.createUser` / `requestSignInLink` take it as a
 * callback). The payload holds the link's id only: the secret never rests in the outbox.
 */
export const signInLink = (linkId: string, maxAttempts?: number): Outbox.OutboxMessage =>
  Admin.signInLink(linkId, maxAttempts ?? DEFAULT_RETRY.maxAttempts)

/**
 * An RFC 5322 Message-ID from an outbox message id: the same on every resend, so a recipient (and
 * their mail server) sees a resend as the same message. `summary:westland:2026-W10` →
 * `<summary.westland.2026-W10@gemeente.nl>`.
 */
export const rfcMessageId = (messageId: string, domain: string): string =>
  `<${messageId
    .replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, ".")
    .replace(/\.{2,}/g, ".")
    .replace(/^\.|\.$/g, "")}@${domain}>`
