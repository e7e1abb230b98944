/**
 * Account management, for admins only: organisations, users and their API tokens.
 *
 * Separation of duties: an admin manages access, never reads case files. A person's token reaches
 * only that person (a one-time sign-in link to their own address); an admin mints tokens directly
 * only for service accounts, which hold no case roles. A region admin reaches the users of their
 * own regions; an installation admin reaches all. Every token issued or revoked, every set of
 * roles given and every sign-in link sent is audited once per region of the user concerned, so
 * those regions' coordinators see it in `GET /audit`.
 */

import { Regions } from "@verzuimregie/app"
import { Access, Fields, Ids, Text, Timestamp } from "@verzuimregie/domain"
import { Messages } from "@verzuimregie/mail"
import { Accounts, AuditLog } from "@verzuimregie/store"
import { Effect, Option, Schema } from "effect"
import { fail, MAX_LISTED_ERRORS, notFound, type Principal, type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { ADMIN_ROLES, accountAudit, auditEntry, withinReach } from "./access.js"
import { ListQuery, PageOf, TokenIdParams, UserIdParams } from "./schemas.js"

const TAG = "Beheer"

const OrganisationView = Schema.Struct({
  id: Ids.OrganisationId,
  name: Schema.String,
  kind: Schema.String,
  brin: Fields.optional(Schema.String),
}).annotations({
  identifier: "OrganisationView",
})
const UserView = Schema.Struct({
  id: Ids.UserId,
  organisationId: Ids.OrganisationId,
  name: Schema.String,
  email: Schema.String,
  roles: Schema.Array(Schema.String),
  regions: Schema.Array(Schema.String),
  partyRole: Schema.String,
  active: Schema.Boolean,
  kind: Accounts.UserKind,
  installationAdmin: Schema.Boolean,
}).annotations({ identifier: "UserView" })

const SignInLinkSent = Schema.Struct({
  linkId: Schema.String,
  sentTo: Schema.String.annotations({
    description: "Het eigen adres van de gebruiker; de link zelf wordt nooit getoond",
  }),
}).annotations({ identifier: "SignInLinkSent" })

const USER_NOT_FOUND = "Deze gebruiker bestaat niet of valt buiten uw regio's."

/** A user within the admin's reach; any other answers 404 (its existence does not leak). */
const userInReach = (principal: Principal, userId: Ids.UserId) =>
  Effect.gen(function* () {
    const found = yield* Effect.flatMap(Accounts.Accounts, (a) => a.user(userId))
    if (Option.isNone(found) || !withinReach(principal, found.value))
      return yield* Effect.fail(notFound(USER_NOT_FOUND))
    return found.value
  })

export const RolesRequest = Schema.Struct({
  roles: Schema.NonEmptyArray(Access.UserRole),
}).annotations({ identifier: "RolesRequest" })

export const TokenRequest = Schema.Struct({
  label: Fields.optional(Text.ShortText),
  expiresInDays: Fields.optional(Schema.Int.pipe(Schema.between(1, 730))),
}).annotations({ identifier: "TokenRequest" })

const IssuedToken = Schema.Struct({
  tokenId: Schema.String,
  token: Schema.String.annotations({ description: "Eenmalig getoond; bewaar het veilig" }),
  expiresAt: Schema.NullOr(Timestamp.Timestamp),
}).annotations({ identifier: "IssuedToken" })

export const expiryOf = (days: number | undefined): Timestamp.Timestamp | undefined =>
  days === undefined ? undefined : Timestamp.fromDate(new Date(Date.now() + days * 86_400_000))

export const adminRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "post",
      path: "/admin/organisations",
      operationId: "createOrganisation",
      description:
        "Voegt een school, gemeente of andere organisatie toe; voor beheerders. Een school kan haar BRIN-code meekrijgen. Komt in de toegangslog.",
      summary: "Organisatie toevoegen",
      tag: TAG,
      roles: ADMIN_ROLES,
      body: Accounts.NewOrganisation,
      response: { status: 201, schema: OrganisationView, description: "Toegevoegd" },
      errors: [409],
      idempotent: true,
    },
    ({ body, principal, requestId }) =>
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const org = yield* accounts.createOrganisation(body)
        yield* Effect.flatMap(AuditLog.AuditLog, (a) =>
          a.append([auditEntry(principal, requestId, "create", { type: "organisation", id: org.id })]),
        )
        return org
      }),
  ),
  route(
    {
      method: "get",
      path: "/admin/organisations",
      operationId: "listOrganisations",
      description: "Alle organisaties op naam, per pagina (limit, cursor) zoals elke lijst; voor beheerders.",
      summary: "Organisaties",
      tag: TAG,
      roles: ADMIN_ROLES,
      query: ListQuery,
      response: {
        status: 200,
        schema: PageOf(OrganisationView, "OrganisationPage"),
        description: "Eén pagina organisaties, op naam",
      },
    },
    ({ query }) =>
      Effect.flatMap(Accounts.Accounts, (a) =>
        a.organisationPage({ cursor: query.cursor, limit: query.limit }),
      ),
  ),
  route(
    {
      method: "post",
      path: "/admin/users",
      operationId: "createUser",
      description:
        "Voegt een gebruiker toe aan een organisatie, met regio's en rollen. Een persoon krijgt een eenmalige aanmeldlink op het eigen adres; een regiobeheerder maakt alleen gebruikers in de eigen regio's. Komt in de toegangslog van elke regio van de gebruiker.",
      summary: "Gebruiker toevoegen (organisatie, regio's, rollen)",
      tag: TAG,
      roles: ADMIN_ROLES,
      body: Accounts.NewUser,
      response: { status: 201, schema: UserView, description: "Toegevoegd" },
      errors: [409],
      idempotent: true,
    },
    ({ body, principal, requestId }) =>
      Effect.gen(function* () {
        // A user of a region this installation does not run could never see anything: a typo.
        const regions = yield* Regions.Regions
        const unknownRegions = body.regions.flatMap((id, index) =>
          regions.get(id) === undefined
            ? [{ path: `regions[${index}]`, pointer: `/regions/${index}`, detail: `onbekende regio ${id}` }]
            : [],
        )
        if (unknownRegions.length > 0)
          return yield* fail(422, "Deze installatie kent niet alle regio's.", {
            errors: unknownRegions
              .slice(0, MAX_LISTED_ERRORS)
              .map((e) => ({ ...e, detail: e.detail.slice(0, 80) })),
          })
        // A region admin gives access to their own regions only, and makes no installation admins.
        if (!principal.installationAdmin) {
          const outside = body.regions.flatMap((id, index) =>
            principal.regions.includes(id)
              ? []
              : [
                  {
                    path: `regions[${index}]`,
                    pointer: `/regions/${index}`,
                    detail: `${id} is niet een van uw regio's`,
                  },
                ],
          )
          if (outside.length > 0)
            return yield* fail(422, "U kunt alleen gebruikers in uw eigen regio's aanmaken.", {
              errors: outside.slice(0, MAX_LISTED_ERRORS),
            })
          if (body.installationAdmin)
            return yield* fail(403, "Alleen een installatiebeheerder kan een installatiebeheerder aanmaken.")
        }
        const accounts = yield* Accounts.Accounts
        const user = yield* accounts.createUser(body, {
          // A person receives their token through a one-time link at their own address.
          signInLink: (linkId) => Messages.signInLink(linkId),
          audit: (created) =>
            accountAudit(
              principal,
              requestId,
              "create",
              { type: "user", id: created.id },
              created,
              `api.user.create:${created.kind}:${created.roles.join("-")}`,
            ),
        })
        return user
      }),
  ),
  route(
    {
      method: "get",
      path: "/admin/users",
      operationId: "listUsers",
      summary: "Gebruikers",
      tag: TAG,
      roles: ADMIN_ROLES,
      description:
        "Een regiobeheerder ziet de gebruikers van de eigen regio's; een installatiebeheerder ziet ze allemaal.",
      query: ListQuery,
      response: {
        status: 200,
        schema: PageOf(UserView, "UserPage"),
        description: "Eén pagina gebruikers, op naam",
      },
    },
    ({ principal, query }) =>
      Effect.flatMap(Accounts.Accounts, (a) =>
        a.userPage(principal.installationAdmin ? {} : { within: principal.regions }, {
          cursor: query.cursor,
          limit: query.limit,
        }),
      ),
  ),
  route(
    {
      method: "put",
      path: "/admin/users/:userId/roles",
      operationId: "setUserRoles",
      summary: "Rollen van een gebruiker wijzigen",
      description:
        "Vervangt de rollen van de gebruiker, met dezelfde regels als bij aanmaken: geen beheerder met een casusrol, geen casusrollen voor een serviceaccount (422 op roles). Vastgelegd in de toegangslog van elke regio van de gebruiker.",
      tag: TAG,
      roles: ADMIN_ROLES,
      params: UserIdParams,
      body: RolesRequest,
      response: { status: 200, schema: UserView, description: "De gebruiker met de nieuwe rollen" },
      errors: [404],
    },
    ({ params, body, principal, requestId }) =>
      Effect.gen(function* () {
        yield* userInReach(principal, params.userId)
        const accounts = yield* Accounts.Accounts
        return yield* accounts.setRoles(params.userId, body.roles, {
          audit: (user) =>
            accountAudit(
              principal,
              requestId,
              "update",
              { type: "user", id: user.id },
              user,
              `api.user.roles:${user.roles.join("-")}`,
            ),
        })
      }),
  ),
  route(
    {
      method: "post",
      path: "/admin/users/:userId/tokens",
      operationId: "issueToken",
      summary: "API-token uitgeven voor een serviceaccount (eenmalig getoond)",
      description:
        "Alleen voor serviceaccounts. Het token van een persoon ziet een beheerder nooit: stuur een aanmeldlink (POST /admin/users/{userId}/sign-in-links); voor een persoon antwoordt dit 409.",
      tag: TAG,
      roles: ADMIN_ROLES,
      params: UserIdParams,
      body: TokenRequest,
      response: { status: 201, schema: IssuedToken, description: "Het token" },
      errors: [404, 409],
    },
    ({ params, body, principal, requestId }) =>
      Effect.gen(function* () {
        yield* userInReach(principal, params.userId)
        const accounts = yield* Accounts.Accounts
        const issued = yield* accounts.issueServiceToken(params.userId, {
          expiresAt: expiryOf(body.expiresInDays),
          label: body.label,
          audit: (user, tokenId) =>
            accountAudit(
              principal,
              requestId,
              "create",
              { type: "token", id: `tok_${tokenId}` },
              user,
              `api.token.create:${user.id}`,
            ),
        })
        return { tokenId: issued.tokenId, token: issued.token, expiresAt: issued.expiresAt ?? null }
      }),
  ),
  route(
    {
      method: "post",
      path: "/admin/users/:userId/sign-in-links",
      operationId: "sendSignInLink",
      summary: "Aanmeldlink sturen: de persoon ziet zijn nieuwe API-token één keer",
      description:
        "Mailt de persoon een eenmalige link naar het eigen adres; de link toont één keer een nieuw API-token en verloopt (SIGN_IN_LINK_MINUTES). De beheerder ziet de link en het token nooit. Voor een serviceaccount antwoordt dit 409.",
      tag: TAG,
      roles: ADMIN_ROLES,
      params: UserIdParams,
      response: { status: 201, schema: SignInLinkSent, description: "De link is onderweg" },
      errors: [404, 409],
    },
    ({ params, principal, requestId }) =>
      Effect.gen(function* () {
        yield* userInReach(principal, params.userId)
        const accounts = yield* Accounts.Accounts
        const sent = yield* accounts.requestSignInLink(
          params.userId,
          (linkId) => Messages.signInLink(linkId),
          {
            audit: (user, linkId) =>
              accountAudit(
                principal,
                requestId,
                "create",
                { type: "sign-in-link", id: `lnk_${linkId}` },
                user,
                `api.sign-in-link.create:${user.id}`,
              ),
          },
        )
        return { linkId: sent.linkId, sentTo: sent.user.email }
      }),
  ),
  route(
    {
      method: "delete",
      path: "/admin/tokens/:tokenId",
      operationId: "revokeToken",
      description:
        "Trekt een API-token in; het werkt meteen niet meer. Alleen voor tokens van gebruikers binnen uw bereik; komt in de toegangslog.",
      summary: "API-token intrekken",
      tag: TAG,
      roles: ADMIN_ROLES,
      params: TokenIdParams,
      response: {
        status: 200,
        schema: Schema.Struct({ revoked: Schema.Literal(true) }),
        description: "Ingetrokken",
      },
      errors: [404],
    },
    ({ params, principal, requestId }) =>
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const owner = yield* accounts.tokenOwner(params.tokenId)
        if (Option.isNone(owner) || !withinReach(principal, owner.value))
          return yield* Effect.fail(
            notFound("Dit token bestaat niet of hoort bij een gebruiker buiten uw regio's."),
          )
        yield* accounts.revokeToken(params.tokenId, {
          audit: (user) =>
            accountAudit(
              principal,
              requestId,
              "update",
              { type: "token", id: `tok_${params.tokenId}` },
              user,
              `api.token.revoke:${user.id}`,
            ),
        })
        return { revoked: true as const }
      }),
  ),
]
