/**
 * Account management as use cases: organisations, users, their roles, API tokens and sign-in
 * links. The API's admin routes and the admin command line call these, with the caller in the
 * context (`CurrentPrincipal`), so both doors keep the same rules:
 *
 * - Separation of duties: an admin manages access and never reads case files; a person's token
 *   reaches only that person (a one-time sign-in link to their own address); an admin mints tokens
 *   directly only for service accounts, which hold no case roles (`Accounts.rolesConflict`).
 * - Reach: a region admin reaches the users all of whose regions are their own; an installation
 *   admin reaches everyone. A user or token beyond reach answers as one that does not exist (404,
 *   not 403). The check reads the user in the transaction that changes it, so it holds for the
 *   row that is written.
 * - Audit: every change is audited in its own transaction — the change and its records commit
 *   together or not at all — once per region of the user concerned, so those regions'
 *   coordinators see it; lists are audited as searches once they have been read.
 *
 * @example
 * const user = yield* Admin.setRoles(userId, ["coordinator"]).pipe(CurrentPrincipal.provide(caller))
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Access, type Errors, Fields, HttpMeaning, type Ids, Text, Timestamp } from "@verzuimregie/domain"
import { Accounts, AuditLog, type Outbox, type Pagination } from "@verzuimregie/store"
import { Clock, Effect, Option, Schema } from "effect"
import { auditContext, contextOf, entryOf, type NotPermitted, requireRole } from "./AuditTrail.js"
import * as CaseEffects from "./CaseEffects.js"
import type { Caller, CurrentPrincipal, Principal } from "./CurrentPrincipal.js"
import { Regions } from "./Regions.js"

/**
 * The mail with a person's one-time sign-in link, to their own address: enqueued in the
 * transaction that creates the link. The payload names the link only; the secret never rests in
 * the outbox (the mail worker makes it when it renders the mail).
 */
export const SignInLinkPayload = Schema.Struct({
  template: Schema.Literal("sign-in-link"),
  linkId: Schema.String,
})
export type SignInLinkPayload = typeof SignInLinkPayload.Type

export const signInLink = (linkId: string, maxAttempts?: number): Outbox.OutboxMessage => ({
  topic: CaseEffects.MAIL_TOPIC,
  messageId: `signin:${linkId}`,
  payload: Schema.encodeSync(SignInLinkPayload)({ template: "sign-in-link", linkId }),
  // Installation mail: no region, delivered by the gateway's own worker.
  regionId: undefined,
  maxAttempts: maxAttempts ?? CaseEffects.NOTICE_MAX_ATTEMPTS,
})

/** What an account change can fail with besides its own refusals. */
type Failure = NotPermitted | Accounts.AccountError | Errors.ValidationError | SqlError
/** What an account use case needs: the caller, and the store's accounts and audit log. */
export type Needs = CurrentPrincipal | Accounts.Accounts | AuditLog.AuditLog

/** Who manages accounts. */
export const ADMIN_ROLES: ReadonlyArray<Access.UserRole> = ["admin"]

/** Account changes are audited under this purpose: managing access, not case work. */
export const ACCOUNT_PURPOSE = "toegangsbeheer"

/**
 * An admin's reach: the users whose every region is one of the admin's own, unless the admin is
 * an installation admin (everyone). A user beyond reach answers 404, like a case of another region.
 */
export const withinReach = (
  principal: Pick<Principal, "installationAdmin" | "regions">,
  user: Pick<Accounts.User, "regions">,
): boolean => principal.installationAdmin || user.regions.every((r) => principal.regions.includes(r))

/**
 * The audit records of a change to an account (a token issued or revoked, roles given, a sign-in
 * link sent): one per region of the user it concerns, so those regions' coordinators see it.
 */
export const accountAudit = (
  actor: { readonly userId: Ids.UserId; readonly organisationId: Ids.OrganisationId },
  requestId: string,
  action: AuditLog.AuditAction,
  record: { readonly type: string; readonly id?: string | undefined },
  target: Pick<Accounts.User, "regions">,
  context: string,
): ReadonlyArray<AuditLog.AuditEntry> =>
  (target.regions.length === 0 ? [undefined] : target.regions).map(
    (regionId) =>
      ({
        userId: actor.userId,
        organisationId: actor.organisationId,
        action,
        recordType: record.type,
        ...(record.id === undefined ? {} : { recordId: record.id }),
        ...(regionId === undefined ? {} : { regionId }),
        purpose: ACCOUNT_PURPOSE,
        context: auditContext(context),
        requestId,
      }) as AuditLog.AuditEntry,
  )

/** The caller's records of a change to `target`; `what` names it for the API (`user.roles`). */
const changeAudit = (
  caller: Caller,
  action: AuditLog.AuditAction,
  record: { readonly type: string; readonly id?: string | undefined },
  target: Pick<Accounts.User, "regions">,
  what: string,
  detail?: string,
) => accountAudit(caller.principal, caller.requestId, action, record, target, contextOf(caller, what, detail))

/** The caller, who must be an admin; account work is done under the purpose `toegangsbeheer`. */
const admin = Effect.map(requireRole(ADMIN_ROLES), (caller) => ({ ...caller, purpose: ACCOUNT_PURPOSE }))

/**
 * The caller's reach, as the store checks it inside the transaction of a change; none for an
 * installation admin, who reaches everyone (and is told plainly that a user does not exist).
 */
const reachOf = (caller: Caller): Accounts.Reach | undefined =>
  caller.principal.installationAdmin ? undefined : (user) => withinReach(caller.principal, user)

/** One region of the request the installation does not run, or that is not the admin's. */
export const RegionIssue = Schema.Struct({
  /** Position in the request's `regions`. */
  index: Schema.Int,
  regionId: Schema.String,
})

/**
 * The regions of a new user: some are not run by this installation (a typo: such a user could
 * never see anything), or lie beyond a region admin's own. Nothing was written.
 */
export class RegionsRefused extends Schema.TaggedError<RegionsRefused>()(
  "RegionsRefused",
  {
    reason: Schema.Literal("unknown", "outside-reach"),
    issues: Schema.NonEmptyArray(RegionIssue),
    /** The regions this installation runs (for `unknown`). */
    known: Schema.Array(Schema.String),
  },
  // The field at fault, as for other input errors: `regions[i]`.
  HttpMeaning.status(
    422,
    {},
    (error: {
      readonly message: string
      readonly issues: ReadonlyArray<typeof RegionIssue.Type>
      readonly details: ReadonlyArray<string>
    }) => {
      // `details` is worked out on each read: once here, not once per region.
      const details = error.details
      return {
        detail: error.message,
        issues: error.issues.map((issue, i) => ({
          path: `regions[${issue.index}]`,
          message: (details[i] ?? "").slice(0, 80),
        })),
      }
    },
  ),
) {
  override get message(): string {
    return this.reason === "unknown"
      ? "Deze installatie kent niet alle regio's."
      : "U kunt alleen gebruikers in uw eigen regio's aanmaken."
  }
  /** Per region at fault, in Dutch. */
  get details(): ReadonlyArray<string> {
    return this.issues.map((issue) =>
      this.reason === "unknown"
        ? `onbekende regio ${issue.regionId}`
        : `${issue.regionId} is niet een van uw regio's`,
    )
  }
}

/** Only an installation admin makes another installation admin. Nothing was written. */
export class InstallationAdminOnly extends Schema.TaggedError<InstallationAdminOnly>()(
  "InstallationAdminOnly",
  {},
  HttpMeaning.status(403, {
    detail: "Alleen een installatiebeheerder kan een installatiebeheerder aanmaken.",
  }),
) {
  override get message(): string {
    return "Alleen een installatiebeheerder kan een installatiebeheerder aanmaken."
  }
}

export const RolesRequest = Schema.Struct({
  roles: Schema.NonEmptyArray(Access.UserRole),
}).annotations({ identifier: "RolesRequest" })

export const TokenRequest = Schema.Struct({
  label: Fields.optional(Text.ShortText),
  expiresInDays: Fields.optional(Schema.Int.pipe(Schema.between(1, 730))),
}).annotations({ identifier: "TokenRequest" })
export type TokenRequest = typeof TokenRequest.Type

/** Adds an organisation (a school with its BRIN code, a municipality…), audited with it. */
export const createOrganisation = (
  input: Accounts.NewOrganisation,
): Effect.Effect<Accounts.OrganisationRow, Failure, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    return yield* accounts.createOrganisation(input, {
      audit: (org) =>
        changeAudit(
          caller,
          "create",
          { type: "organisation", id: org.id },
          { regions: [] },
          "organisation.create",
        ),
    })
  })

/** One page of organisations by name. */
export const organisations = (
  page: Pagination.PageRequest,
): Effect.Effect<Pagination.Page<Accounts.OrganisationRow>, Failure | Pagination.InvalidCursor, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    const found = yield* accounts.organisationPage(page)
    yield* audited(caller, "organisation")
    return found
  })

/**
 * Adds a user. The regions must be run by this installation, and a region admin gives access to
 * their own regions only and makes no installation admins. A person gets a one-time sign-in link
 * at their own address, in the same transaction.
 */
export const createUser = (
  input: Accounts.NewUser,
): Effect.Effect<
  Accounts.User & { readonly linkId?: string },
  Failure | RegionsRefused | InstallationAdminOnly,
  Needs | Regions
> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const regions = yield* Regions
    const unknown = input.regions.flatMap((regionId, index) =>
      regions.get(regionId) === undefined ? [{ index, regionId }] : [],
    )
    const known = regions.all.map((r) => r.region.id as string)
    if (isNonEmpty(unknown)) return yield* new RegionsRefused({ reason: "unknown", issues: unknown, known })
    const { principal } = caller
    if (!principal.installationAdmin) {
      const outside = input.regions.flatMap((regionId, index) =>
        principal.regions.includes(regionId) ? [] : [{ index, regionId }],
      )
      if (isNonEmpty(outside))
        return yield* new RegionsRefused({ reason: "outside-reach", issues: outside, known })
      if (input.installationAdmin === true) return yield* new InstallationAdminOnly()
    }
    const accounts = yield* Accounts.Accounts
    return yield* accounts.createUser(input, {
      // A person receives their token through a one-time link at their own address.
      signInLink: (linkId) => signInLink(linkId),
      audit: (created) =>
        changeAudit(
          caller,
          "create",
          { type: "user", id: created.id },
          created,
          "user.create",
          `${created.kind}:${created.roles.join("-")}`,
        ),
    })
  })

/** One page of the users within the caller's reach, by name. */
export const users = (
  page: Pagination.PageRequest,
): Effect.Effect<Pagination.Page<Accounts.User>, Failure | Pagination.InvalidCursor, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    const found = yield* accounts.userPage(
      caller.principal.installationAdmin ? {} : { within: caller.principal.regions },
      page,
    )
    yield* audited(caller, "user")
    return found
  })

/**
 * One user within the caller's reach, for the admin's page of that user; beyond reach it does not
 * exist (`user-unknown`, 404). Audited as a read of the account.
 */
export const user = (userId: Ids.UserId): Effect.Effect<Accounts.User, Failure, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    const found = yield* accounts.user(userId)
    if (Option.isNone(found) || !withinReach(caller.principal, found.value))
      return yield* new Accounts.AccountError({
        reason: "user-unknown",
        detail: "Deze gebruiker bestaat niet of valt buiten uw regio's.",
      })
    const log = yield* AuditLog.AuditLog
    yield* log.append(
      changeAudit(caller, "read", { type: "user", id: found.value.id }, found.value, "user.read"),
    )
    return found.value
  })

/** Replaces a user's roles, under the rules of `createUser` (separation of duties). */
export const setRoles = (
  userId: Ids.UserId,
  roles: ReadonlyArray<Access.UserRole>,
): Effect.Effect<Accounts.User, Failure, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    return yield* accounts.setRoles(userId, roles, {
      reach: reachOf(caller),
      audit: (user) =>
        changeAudit(
          caller,
          "update",
          { type: "user", id: user.id },
          user,
          "user.roles",
          `${user.roles.join("-")}`,
        ),
    })
  })

/** Deactivates a user: their tokens stop working at once. */
export const deactivate = (userId: Ids.UserId): Effect.Effect<Accounts.User, Failure, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    return yield* accounts.setActive(userId, false, {
      reach: reachOf(caller),
      audit: (user) =>
        changeAudit(caller, "update", { type: "user", id: user.id }, user, "user.deactivate", "deactivate"),
    })
  })

/** When a token of `days` days, issued now, expires. */
const expiryOf = (days: number | undefined) =>
  days === undefined
    ? Effect.succeed(undefined)
    : Effect.map(Clock.currentTimeMillis, (now) => Timestamp.fromMillis(now + days * 86_400_000))

/** Mints a token for a service account (shown once); a person gets theirs by a sign-in link. */
export const issueServiceToken = (
  userId: Ids.UserId,
  request: TokenRequest,
): Effect.Effect<Accounts.IssuedToken & { readonly user: Accounts.User }, Failure, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    return yield* accounts.issueServiceToken(userId, {
      expiresAt: yield* expiryOf(request.expiresInDays),
      label: request.label,
      reach: reachOf(caller),
      audit: (user, tokenId) =>
        changeAudit(caller, "create", { type: "token", id: `tok_${tokenId}` }, user, "token.create", user.id),
    })
  })

/** Mails a person a new one-time sign-in link to their own address. */
export const sendSignInLink = (
  userId: Ids.UserId,
): Effect.Effect<{ readonly linkId: string; readonly user: Accounts.User }, Failure, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    return yield* accounts.requestSignInLink(userId, (linkId) => signInLink(linkId), {
      reach: reachOf(caller),
      audit: (user, linkId) =>
        changeAudit(
          caller,
          "create",
          { type: "sign-in-link", id: `lnk_${linkId}` },
          user,
          "sign-in-link.create",
          user.id,
        ),
    })
  })

/** Revokes a token of a user within reach; it stops working at once. */
export const revokeToken = (tokenId: string): Effect.Effect<void, Failure, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    yield* accounts.revokeToken(tokenId, {
      reach: reachOf(caller),
      audit: (user) =>
        changeAudit(caller, "update", { type: "token", id: `tok_${tokenId}` }, user, "token.revoke", user.id),
    })
  })

/**
 * One page of tokens in the order they were issued: of one user within reach, or (installation
 * admins only) of everyone.
 */
export const tokens = (
  userId: Ids.UserId | undefined,
  page: Pagination.PageRequest,
): Effect.Effect<Pagination.Page<Accounts.TokenInfo>, Failure | Pagination.InvalidCursor, Needs> =>
  Effect.gen(function* () {
    const caller = yield* admin
    const accounts = yield* Accounts.Accounts
    if (!caller.principal.installationAdmin) {
      const owner = userId === undefined ? undefined : yield* accounts.user(userId)
      if (owner === undefined || Option.isNone(owner) || !withinReach(caller.principal, owner.value))
        return yield* new Accounts.AccountError({
          reason: "user-unknown",
          detail: "Deze gebruiker bestaat niet of valt buiten uw regio's.",
        })
    }
    const found = yield* accounts.tokenPage(userId, page)
    yield* audited(caller, "token")
    return found
  })

const isNonEmpty = <A>(items: ReadonlyArray<A>): items is readonly [A, ...Array<A>] => items.length > 0

/** A list was read: one search record, concerning no region (installation admins see it). */
const audited = (caller: Caller, type: string) =>
  Effect.flatMap(AuditLog.AuditLog, (log) => log.append([entryOf(caller, "search", { type })]))
