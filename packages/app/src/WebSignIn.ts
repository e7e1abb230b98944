/**
 * Signing in to the web app and out again: a person proves who they are (for now with their
 * personal API token; a one-time e-mailed link and OpenID Connect are further methods that end in
 * the same `WebSessions.start`), gets a server-side session, and every sign-in, refused sign-in and
 * sign-out leaves an audit record. Pages never see how the person signed in.
 */
import type { SqlError } from "@effect/sql/SqlError"
import { type Errors, HttpMeaning, Ids } from "@verzuimregie/domain"
import { Accounts, AuditLog, WebSessions } from "@verzuimregie/store"
import { Effect, Option, Schema } from "effect"
import { accountAudit } from "./Admin.js"
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
    const { cookie, session } = yield* sessions.start({
      userId: user.id,
      method: "token",
      audit: (started) =>
        entries(
          { userId: user.id, organisationId: user.organisationId },
          requestId,
          "create",
          { type: "web-session", id: sessionRecordId(started.id) },
          user.regions,
          "web.sign-in:token",
        ),
    })
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
