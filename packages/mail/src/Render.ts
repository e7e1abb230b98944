/**
 * Turns an outbox payload into a message: asks the application layer's `Reports` for what the
 * message holds (as the mail worker, `SystemPrincipals.mailWorker`, with one audit record per
 * report), attaches the workbooks, fills in the template and picks the recipients from the
 * region's configuration. Rendering happens when the message is sent, so a payload holds only ids.
 *
 * @since 0.1.0
 */
import { CurrentPrincipal, Notifications, Reports, SystemPrincipals, WebSignIn } from "@verzuimregie/app"
import type { Ids } from "@verzuimregie/domain"
import { Inspectie, MailSafe, StaffSummary } from "@verzuimregie/export-xlsx"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import {
  Accounts,
  AuditLog,
  type CaseQueries,
  type CaseStore,
  type NotificationStore,
} from "@verzuimregie/store"
import { Clock, Effect, Either, Schema } from "effect"
import {
  type DigestPayload,
  decodePayload,
  type HandoverPayload,
  type InspectiePayload,
  type NotificationPayload,
  type SignInLinkPayload,
  type StaffSummaryPayload,
  type WebSignInLinkPayload,
} from "./Messages.js"
import * as Templates from "./Templates.js"
import type { Attachment } from "./Transport.js"

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/** The system's identity in the audit log when it reads cases for a mail. */
export interface SystemIdentity {
  readonly userId: Ids.UserId
  readonly organisationId: Ids.OrganisationId
}

export const DEFAULT_SYSTEM_IDENTITY: SystemIdentity = SystemPrincipals.MAIL_WORKER

export interface RenderEnv {
  /** The enabled regions, by id. */
  readonly regions: ReadonlyMap<string, RegionConfig.EnabledRegion>
  readonly publicUrl: string
  /** The Inspectie pseudonym key; needed for Inspectie mail only. */
  readonly pseudonymKey: string | undefined
  readonly identity: SystemIdentity
  /** BRIN codes of schools by organisation id, when the installation knows them. */
  readonly brinOf?: (schoolId: string) => string | undefined
  /** How long a sign-in link works after its mail is made. Default 30 minutes. */
  readonly signInLinkMs?: number
  /** How long a web sign-in link works after its mail is made. Default 15 minutes (issue 14). */
  readonly webSignInLinkMs?: number
}

export const DEFAULT_SIGN_IN_LINK_MS = 30 * 60_000

/**
 * A page of the web app (never a JSON route of the API): a visitor without a session signs in
 * first and comes back to this page (`/inloggen?terug=`).
 */
export const pageUrl = (env: Pick<RenderEnv, "publicUrl">, path: string): string => `${env.publicUrl}${path}`

export interface Prepared {
  readonly to: ReadonlyArray<string>
  readonly subject: string
  readonly text: string
  readonly html: string
  readonly attachments: ReadonlyArray<Attachment>
  /** What the mail reported, for the command line (counts only). */
  readonly summary: string
}

/** The message cannot be made; `permanent` when trying again will not help. */
export class RenderFailed extends Schema.TaggedError<RenderFailed>()("RenderFailed", {
  reason: Schema.String,
  permanent: Schema.Boolean,
}) {
  override get message(): string {
    return this.reason
  }
}

type ReadError = Reports.ReadError

const regionOf = (env: RenderEnv, regionId: string) => {
  const region = env.regions.get(regionId)
  return region === undefined
    ? Effect.fail(
        new RenderFailed({
          reason: `region ${regionId} is not configured on this installation`,
          permanent: true,
        }),
      )
    : Effect.succeed(region)
}

const recipientsOf = (settings: RegionConfig.SummarySettings | undefined, what: string, regionId: string) =>
  settings === undefined || settings.recipients.length === 0
    ? Effect.fail(
        new RenderFailed({ reason: `region ${regionId} has no ${what} recipients`, permanent: true }),
      )
    : Effect.succeed(settings.recipients.map((r) => r.email))

/**
 * The mail worker handling `messageId`, as the caller of the reports it reads, for the message's
 * region (a region it may not report on cannot become reachable by retrying).
 */
const asMailWorker =
  (env: RenderEnv, messageId: string, regionId: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      CurrentPrincipal.provide(
        SystemPrincipals.mailWorker({
          messageId,
          regions: [regionId as Ids.RegionId],
          identity: env.identity,
        }),
      ),
      Effect.catchIf(
        (error): error is E & { readonly _tag: "RegionNotPermitted" } =>
          typeof error === "object" &&
          error !== null &&
          (error as { _tag?: unknown })._tag === "RegionNotPermitted",
        () => new RenderFailed({ reason: `no reach into region ${regionId}`, permanent: true }),
      ),
    )

const renderStaff = (messageId: string, payload: StaffSummaryPayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const region = yield* regionOf(env, payload.regionId)
    const to = yield* recipientsOf(region.summaries, "summary", payload.regionId)
    const summary = yield* Reports.staffSummary({ region, period: payload.period, on: payload.on }).pipe(
      asMailWorker(env, messageId, payload.regionId),
    )
    const attachment = StaffSummary.fileName(summary)
    // Read after the summary's own audit record: the footer anchors a head that includes it.
    const auditHead = yield* Effect.flatMap(AuditLog.AuditLog, (audit) => audit.head)
    const at = new Date(yield* Clock.currentTimeMillis)
    const mail = Templates.staffSummary(summary, {
      at,
      regionUrl: pageUrl(env, `/regio/${encodeURIComponent(payload.regionId)}`),
      attachment,
      auditHead,
    })
    return {
      to,
      ...mail,
      attachments: [
        { filename: attachment, content: StaffSummary.workbook(summary), contentType: XLSX_TYPE },
      ],
      summary: `${summary.counts.open} open, ${summary.counts.newReferrals} nieuw, ${summary.counts.closed} afgesloten`,
    } satisfies Prepared
  })

const renderInspectie = (messageId: string, payload: InspectiePayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const region = yield* regionOf(env, payload.regionId)
    const to = yield* recipientsOf(region.inspectie, "Inspectie overview", payload.regionId)
    if (env.pseudonymKey === undefined) {
      return yield* new RenderFailed({ reason: "no Inspectie pseudonym key is configured", permanent: true })
    }
    const overviews = yield* Reports.inspectie({
      region,
      quarter: payload.quarter,
      peildata: payload.peildata,
      key: env.pseudonymKey,
      brinOf: env.brinOf,
    }).pipe(asMailWorker(env, messageId, payload.regionId))
    const attachments = overviews.map((o) => ({
      filename: Inspectie.fileName(o),
      content: Inspectie.workbook(o),
      contentType: XLSX_TYPE,
    }))
    const at = new Date(yield* Clock.currentTimeMillis)
    const mail = Templates.inspectieOverview(overviews, {
      at,
      regionName: region.region.name,
      quarter: payload.quarter,
      regionUrl: pageUrl(env, `/regio/${encodeURIComponent(payload.regionId)}`),
      attachments: attachments.map((a) => a.filename),
    })
    return {
      to,
      ...mail,
      attachments,
      summary: overviews.map((o) => `${o.peildatum}: ${o.rows.length} rijen`).join("; "),
    } satisfies Prepared
  })

const renderHandover = (messageId: string, payload: HandoverPayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const region = yield* regionOf(env, payload.regionId)
    const notice = yield* Reports.handoverNotice({
      region,
      caseId: payload.caseId,
      handoverOn: payload.handoverOn,
    }).pipe(asMailWorker(env, messageId, payload.regionId))
    if (Either.isLeft(notice)) return yield* new RenderFailed({ reason: notice.left, permanent: true })
    const n = notice.right
    const mail = Templates.handoverNotice({
      caseId: n.caseRef,
      regionName: n.regionName,
      referredOn: n.referredOn,
      handoverOn: n.handoverOn,
      to: n.takenOverBy,
      // The referrer's own page of the referral (a referrer opens no dossier).
      caseUrl: pageUrl(env, `/aanmeldingen/${encodeURIComponent(n.referralId)}`),
    })
    return { to: [n.to], ...mail, attachments: [], summary: `overdracht ${n.caseId}` } satisfies Prepared
  })

/**
 * The sign-in link: its secret is made here (the store keeps only its hash), so it exists in
 * this mail alone. The summary for the log names the link id, never the secret.
 */
const renderSignInLink = (payload: SignInLinkPayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const validMs = env.signInLinkMs ?? DEFAULT_SIGN_IN_LINK_MS
    const link = yield* accounts
      .mailableLink(payload.linkId, validMs)
      .pipe(
        Effect.catchTag("AccountError", (error) =>
          Effect.fail(new RenderFailed({ reason: error.detail, permanent: true })),
        ),
      )
    const mail = Templates.signInLink({
      url: `${env.publicUrl}/aanmelden/token/${link.secret}`,
      expiresAt: new Date(link.expiresAt),
      validMinutes: Math.round(validMs / 60_000),
    })
    return {
      to: [link.user.email],
      ...mail,
      attachments: [],
      summary: `aanmeldlink ${payload.linkId}`,
    } satisfies Prepared
  })

/**
 * The web sign-in link, to the address on the person's account: its secret is made here (the store
 * keeps only its hash). The link opens a page with a button; only the button's POST uses it up,
 * so a mail scanner that follows links does not.
 */
const renderWebSignInLink = (payload: WebSignInLinkPayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const validMs = env.webSignInLinkMs ?? WebSignIn.SIGN_IN_LINK_MS
    const link = yield* accounts
      .mailableLink(payload.linkId, validMs, "session")
      .pipe(
        Effect.catchTag("AccountError", (error) =>
          Effect.fail(new RenderFailed({ reason: error.detail, permanent: true })),
        ),
      )
    const mail = Templates.webSignInLink({
      url: pageUrl(
        env,
        `/inloggen/link/${link.secret}${payload.returnTo === undefined ? "" : `?terug=${encodeURIComponent(payload.returnTo)}`}`,
      ),
      expiresAt: new Date(link.expiresAt),
      validMinutes: Math.round(validMs / 60_000),
    })
    return {
      to: [link.user.email],
      ...mail,
      attachments: [],
      summary: `inloglink ${payload.linkId}`,
    } satisfies Prepared
  })

/** The page of a case in the web app (`/dossiers/:caseId`). */
const caseUrl = (env: RenderEnv, caseId: string) => pageUrl(env, `/dossiers/${encodeURIComponent(caseId)}`)

/** Where a user chooses their notifications (apps/web). */
const PREFERENCES_PATH = "/instellingen/meldingen"

/**
 * A notification (at once) or a user's digest: reads the log and the user's account, never the
 * case; says what happened, the case number, a date and a link.
 */
const renderNotification = (
  messageId: string,
  payload: NotificationPayload | DigestPayload,
  env: RenderEnv,
) =>
  Effect.gen(function* () {
    const mail = yield* Notifications.mailOf(payload, messageId)
    if (Either.isLeft(mail)) return yield* new RenderFailed({ reason: mail.left, permanent: true })
    const { to, items } = mail.right
    const at = new Date(yield* Clock.currentTimeMillis)
    const preferencesUrl = pageUrl(env, PREFERENCES_PATH)
    const lineOf = (item: Notifications.MailItem) => ({
      kind: item.kind,
      caseRef: MailSafe.caseRef(item.caseId),
      facts: item.facts,
    })
    if (payload.template === "notification") {
      const item = items[0] as Notifications.MailItem
      const rendered = Templates.notification({
        item: lineOf(item),
        label: Notifications.KIND_INFO[item.kind].label,
        caseUrl: caseUrl(env, item.caseId),
        preferencesUrl,
        at,
      })
      return { to: [to], ...rendered, attachments: [], summary: `melding ${item.kind}` } satisfies Prepared
    }
    const groups = Notifications.KINDS.flatMap((kind) => {
      const of = items.filter((i) => i.kind === kind)
      return of.length === 0
        ? []
        : [
            {
              label: Notifications.KIND_INFO[kind].label,
              items: of.map((i) => ({
                line: Templates.notificationLine(lineOf(i)),
                caseUrl: caseUrl(env, i.caseId),
              })),
            },
          ]
    })
    const rendered = Templates.notificationDigest({ on: payload.on, groups, preferencesUrl, at })
    return {
      to: [to],
      ...rendered,
      attachments: [],
      summary: `overzicht ${items.length} meldingen`,
    } satisfies Prepared
  })

/**
 * Renders an outbox message. Fails with `RenderFailed` (permanent) when the payload or the
 * configuration cannot make a message, or with a store error (temporary).
 */
export const render = (
  messageId: string,
  payload: unknown,
  env: RenderEnv,
): Effect.Effect<
  Prepared,
  RenderFailed | ReadError,
  | CaseQueries.CaseQueries
  | CaseStore.CaseStore
  | Accounts.Accounts
  | AuditLog.AuditLog
  | NotificationStore.NotificationStore
> => {
  const decoded = decodePayload(payload)
  if (Either.isLeft(decoded)) {
    return Effect.fail(
      new RenderFailed({
        reason: `not a mail payload this version knows: ${decoded.left.message}`,
        permanent: true,
      }),
    )
  }
  const p = decoded.right
  switch (p.template) {
    case "staff-summary":
      return renderStaff(messageId, p, env)
    case "inspectie-overview":
      return renderInspectie(messageId, p, env)
    case "handover-notice":
      return renderHandover(messageId, p, env)
    case "sign-in-link":
      return renderSignInLink(p, env)
    case "web-sign-in-link":
      return renderWebSignInLink(p, env)
    case "notification":
    case "notification-digest":
      return renderNotification(messageId, p, env)
  }
}
