/**
 * Signing in to the web app and out again: a person proves who they are (with their personal API
 * token, or with a one-time link mailed to the address on their account; OpenID Connect would be
 * one more method that ends in the same `WebSessions.start`), gets a server-side session, and every sign-in, refused sign-in and
 * sign-out leaves an audit record. Pages never see how the person signed in.
 */
import { createHash } from "node:crypto"
import type { SqlError } from "@effect/sql/SqlError"
import { type Errors, HttpMeaning, Ids } from "@verzuimregie/domain"
import { Accounts, AuditLog, Database, type Outbox, WebSessions } from "@verzuimregie/store"
import { Effect, Option, Schema } from "effect"
import { accountAudit } from "./Admin.js"
import * as CaseEffects from "./CaseEffects.js"
import { type Caller, CurrentPrincipal, principalOf } from "./CurrentPrincipal.js"
import { SYSTEM_ORGANISATION } from "./SystemPrincipals.js"

/** A sign-in that did not succeed. The page says the same for every reason: nothing to probe. */
export class SignInRefused extends Schema.TaggedError<SignInRefused>()(
  "SignInRefused",
  { reason: Schema.Literal("unknown-credential", "service-account") },
  // The same answer whatever the reason: nothing to probe.
  HttpMeaning.status(401, { detail: "Inloggen is niet gelukt." }),
) {}

/**
 * The audit log's actor for what nobody signed in did (a refused sign-in with an unknown token):
 * the records name no region, so only installation admins see them.
 */
export const ANONYMOUS_ACTOR = {
  userId: Ids.UserId.make("user_nietingelogd"),
  organisationId: SYSTEM_ORGANISATION,
} as const

const sessionRecordId = (sessionId: string) => `ses_${sessionId}`

/** One record per region of the person (`Admin.accountAudit`), so its coordinators see it. */
const entries = (
  actor: { readonly userId: Ids.UserId; readonly organisationId: Ids.OrganisationId },
  requestId: string,
  action: AuditLog.AuditAction,
  record: { readonly type: string; readonly id?: string },
  regions: ReadonlyArray<Ids.RegionId>,
  context: string,
): ReadonlyArray<AuditLog.AuditEntry> => accountAudit(actor, requestId, action, record, { regions }, context)

/** A new session of `user` and its audit record (`web-session`/`create`, context by sign-in method). */
const sessionFor = (user: Accounts.User, method: "token" | "link", requestId: string) => ({
  userId: user.id,
  method,
  audit: (started: WebSessions.Session) =>
    entries(
      { userId: user.id, organisationId: user.organisationId },
      requestId,
      "create",
      { type: "web-session", id: sessionRecordId(started.id) },
      user.regions,
      `web.sign-in:${method}`,
    ),
})

/** A person with a web session, as the caller of the pages' use cases (door `web`). */
const webCaller = (user: Accounts.User, session: WebSessions.Session, requestId: string): Caller => ({
  principal: principalOf(user, sessionRecordId(session.id)),
  door: "web",
  requestId,
  purpose: "casusregie",
})

export interface SignedIn {
  readonly cookie: string
  readonly session: WebSessions.Session
  readonly caller: Caller
}

/**
 * Signs in with a personal API token. Service accounts have no web sessions (their tokens serve
 * integrations); people only.
 */
export const signInWithToken = (
  token: string,
  requestId: string,
): Effect.Effect<
  SignedIn,
  SignInRefused | Errors.ValidationError | SqlError,
  Accounts.Accounts | WebSessions.WebSessions | AuditLog.AuditLog
> =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const sessions = yield* WebSessions.WebSessions
    const found = yield* accounts.authenticate(token.trim())
    if (Option.isNone(found)) {
      const log = yield* AuditLog.AuditLog
      yield* log.append(
        entries(ANONYMOUS_ACTOR, requestId, "create", { type: "sign-in-refused" }, [], "web.sign-in:token"),
      )
      return yield* new SignInRefused({ reason: "unknown-credential" })
    }
    const { user } = found.value
    if (user.kind === "service") {
      const log = yield* AuditLog.AuditLog
      yield* log.append(
        entries(
          { userId: user.id, organisationId: user.organisationId },
          requestId,
          "create",
          { type: "sign-in-refused" },
          user.regions,
          "web.sign-in:service-account",
        ),
      )
      return yield* new SignInRefused({ reason: "service-account" })
    }
    const { cookie, session } = yield* sessions.start(sessionFor(user, "token", requestId))
    return { cookie, session, caller: webCaller(user, session, requestId) } satisfies SignedIn
  })

/** The caller behind a session cookie, or none when the session is unknown, over or revoked. */
export const callerOf = (cookie: string, requestId: string, lifetimes?: WebSessions.Lifetimes) =>
  Effect.gen(function* () {
    const sessions = yield* WebSessions.WebSessions
    const found = yield* sessions.resolve(cookie, lifetimes)
    return Option.map(found, ({ session, user }) => ({
      session,
      caller: webCaller(user, session, requestId),
    }))
  })

/** Ends the caller's session: the cookie no longer opens anything, also if it was copied. */
export const signOut = (
  cookie: string,
): Effect.Effect<
  Option.Option<WebSessions.Session>,
  Errors.ValidationError | SqlError,
  CurrentPrincipal | WebSessions.WebSessions
> =>
  Effect.gen(function* () {
    const { principal, requestId } = yield* CurrentPrincipal
    const sessions = yield* WebSessions.WebSessions
    return yield* sessions.end(cookie, "uitgelogd", (session) =>
      entries(
        principal,
        requestId,
        "update",
        { type: "web-session", id: sessionRecordId(session.id) },
        principal.regions,
        "web.sign-out",
      ),
    )
  })

/**
 * Ends the session a new sign-in in the same browser replaces (its cookie was still there), so it
 * does not stay open on the server until it times out. Audited like a sign-out, under the account
 * of the session that ends (which may be another person's than the new one). A cookie that opens
 * nothing any more (unknown, over, revoked) has nothing to end.
 */
export const endReplaced = (
  cookie: string,
  requestId: string,
  lifetimes?: WebSessions.Lifetimes,
): Effect.Effect<
  Option.Option<WebSessions.Session>,
  Errors.ValidationError | SqlError,
  WebSessions.WebSessions
> =>
  Effect.gen(function* () {
    const sessions = yield* WebSessions.WebSessions
    const found = yield* sessions.resolve(cookie, lifetimes)
    if (Option.isNone(found)) return Option.none()
    const { user } = found.value
    return yield* sessions.end(cookie, "vervangen", (session) =>
      entries(
        { userId: user.id, organisationId: user.organisationId },
        requestId,
        "update",
        { type: "web-session", id: sessionRecordId(session.id) },
        user.regions,
        "web.sign-out:replaced",
      ),
    )
  })

/** How long an e-mailed sign-in link works (issue 14: 15 minutes, single use). */
export const SIGN_IN_LINK_MS = 15 * 60_000

/**
 * The mail with a person's web sign-in link, to the address on their account: enqueued in the
 * transaction that creates the link. The payload names the link only; the mail worker makes the
 * secret when it renders the mail, so it never rests in the outbox.
 */
export const WebSignInLinkPayload = Schema.Struct({
  template: Schema.Literal("web-sign-in-link"),
  linkId: Schema.String,
  /** The page to return to after sign-in (a path of ours with ids only, never typed text). */
  returnTo: Schema.optional(Schema.String),
})
export type WebSignInLinkPayload = typeof WebSignInLinkPayload.Type

export const webSignInLink = (
  linkId: string,
  returnTo?: string,
  maxAttempts?: number,
): Outbox.OutboxMessage => ({
  topic: CaseEffects.MAIL_TOPIC,
  messageId: `websignin:${linkId}`,
  payload: Schema.encodeSync(WebSignInLinkPayload)({
    template: "web-sign-in-link",
    linkId,
    ...(returnTo === undefined || returnTo === "/" ? {} : { returnTo }),
  }) as Outbox.OutboxMessage["payload"],
  // Installation mail: no region, delivered by the gateway's own worker.
  regionId: undefined,
  maxAttempts: maxAttempts ?? CaseEffects.NOTICE_MAX_ATTEMPTS,
})

/**
 * A short, salted-free fingerprint of an address, for rate limits: the same address gives the same
 * key, the key does not show the address in memory dumps or logs. Not an anonymisation.
 */
export const addressKey = (email: string): string =>
  createHash("sha256").update(email.trim().toLowerCase(), "utf8").digest("base64url").slice(0, 22)

/**
 * Asks for a web sign-in link by e-mail address. When an active person has the address, the link
 * and its mail are queued (audited under the person's account); otherwise only an anonymous audit
 * record says a request named no account. The caller answers the same either way (no account
 * enumeration), and neither the audit nor the log holds the address.
 */
export const requestLink = (
  email: string,
  requestId: string,
  returnTo?: string,
): Effect.Effect<void, Errors.ValidationError | SqlError, Accounts.Accounts | AuditLog.AuditLog> =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const sent = yield* accounts.requestSessionLink(email, (linkId) => webSignInLink(linkId, returnTo), {
      audit: (user, linkId) =>
        entries(
          { userId: user.id, organisationId: user.organisationId },
          requestId,
          "create",
          { type: "sign-in-link", id: `lnk_${linkId}` },
          user.regions,
          "web.sign-in-link:request",
        ),
    })
    if (Option.isNone(sent)) {
      const log = yield* AuditLog.AuditLog
      yield* log.append(
        entries(
          ANONYMOUS_ACTOR,
          requestId,
          "create",
          { type: "sign-in-link-refused" },
          [],
          "web.sign-in-link:no-account",
        ),
      )
    }
  })

/** What a link turned out to be when it was not usable; the page names each in Dutch. */
export class SignInLinkUnusable extends Schema.TaggedError<SignInLinkUnusable>()(
  "SignInLinkUnusable",
  { state: Schema.Literal("used", "expired", "unknown") },
  HttpMeaning.status(410, { detail: "Deze inloglink werkt niet (meer)." }),
) {}

/** What a link is now, for the page that shows its button (reading does not use it up). */
export const linkState = (link: string) =>
  Effect.flatMap(Accounts.Accounts, (accounts) => accounts.linkState(link, "session"))

/**
 * Signs in with an e-mailed link: uses it up and starts the session in one transaction (a failed
 * start leaves the link usable), with the audit record of the sign-in.
 */
export const signInWithLink = (
  link: string,
  requestId: string,
): Effect.Effect<
  SignedIn,
  SignInLinkUnusable | Errors.ValidationError | SqlError,
  Accounts.Accounts | WebSessions.WebSessions | AuditLog.AuditLog | Database.Database
> =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const sessions = yield* WebSessions.WebSessions
    const db = yield* Database.Database
    const outcome = yield* db.writeTransaction(
      Effect.gen(function* () {
        const consumed = yield* accounts.consumeSessionLink(link)
        if (consumed._tag !== "Consumed") return consumed
        const { user } = consumed
        const started = yield* sessions.start(sessionFor(user, "link", requestId))
        return { _tag: "Started" as const, user, ...started }
      }),
    )
    if (outcome._tag !== "Started") {
      const log = yield* AuditLog.AuditLog
      yield* log.append(
        entries(
          ANONYMOUS_ACTOR,
          requestId,
          "create",
          { type: "sign-in-refused" },
          [],
          `web.sign-in:link-${outcome._tag}`,
        ),
      )
      return yield* new SignInLinkUnusable({ state: outcome._tag })
    }
    const { cookie, session, user } = outcome
    return { cookie, session, caller: webCaller(user, session, requestId) } satisfies SignedIn
  })
