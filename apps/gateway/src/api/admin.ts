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

import { Access, Admin, AuditTrail, CurrentPrincipal } from "@verzuimregie/app"
import { Errors, Fields, Ids, Timestamp } from "@verzuimregie/domain"
import { Accounts, Pagination } from "@verzuimregie/store"
import { Effect, Schema } from "effect"
import { HttpError, type Principal, type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
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

/**
 * Runs an account use case as the API's caller, under the purpose of managing access. Its typed
 * failures carry their HTTP meaning (`Admin.RegionsRefused` 422 with the regions at fault,
 * `InstallationAdminOnly` and `AuditTrail.NotPermitted` 403, `AccountError` per reason).
 */
const asAdmin =
  (principal: Principal, requestId: string) =>
  <A, E, R>(
    useCase: Effect.Effect<A, E, R>,
  ): Effect.Effect<A, E, Exclude<R, CurrentPrincipal.CurrentPrincipal>> =>
    useCase.pipe(
      CurrentPrincipal.provide({ principal, door: "api", requestId, purpose: Admin.ACCOUNT_PURPOSE }),
    )

/** What an account change may fail with. */
const WRITE_ERRORS = [
  Admin.RegionsRefused,
  Admin.InstallationAdminOnly,
  AuditTrail.NotPermitted,
  Accounts.AccountError,
  Errors.ValidationError,
] as const

/** What reading a page of accounts may fail with. */
const LIST_ERRORS = [
  AuditTrail.NotPermitted,
  Accounts.AccountError,
  Pagination.InvalidCursor,
  Errors.ValidationError,
] as const

/** The request bodies, shared with the admin command line. */
export const RolesRequest = Admin.RolesRequest
export const TokenRequest = Admin.TokenRequest

const IssuedToken = Schema.Struct({
  tokenId: Schema.String,
  token: Schema.String.annotations({ description: "Eenmalig getoond; bewaar het veilig" }),
  expiresAt: Schema.NullOr(Timestamp.Timestamp),
}).annotations({ identifier: "IssuedToken" })

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
      roles: Access.ADMIN_ROLES,
      body: Accounts.NewOrganisation,
      response: { status: 201, schema: OrganisationView, description: "Toegevoegd" },
      errors: [...WRITE_ERRORS, HttpError.declare(409)],
      idempotent: true,
    },
    ({ body, principal, requestId }) => Admin.createOrganisation(body).pipe(asAdmin(principal, requestId)),
  ),
  route(
    {
      method: "get",
      path: "/admin/organisations",
      operationId: "listOrganisations",
      description: "Alle organisaties op naam, per pagina (limit, cursor) zoals elke lijst; voor beheerders.",
      summary: "Organisaties",
      tag: TAG,
      roles: Access.ADMIN_ROLES,
      query: ListQuery,
      response: {
        status: 200,
        schema: PageOf(OrganisationView, "OrganisationPage"),
        description: "Eén pagina organisaties, op naam",
      },
      errors: [...LIST_ERRORS],
    },
    ({ query, principal, requestId }) =>
      Admin.organisations({ cursor: query.cursor, limit: query.limit }).pipe(asAdmin(principal, requestId)),
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
      roles: Access.ADMIN_ROLES,
      body: Accounts.NewUser,
      response: { status: 201, schema: UserView, description: "Toegevoegd" },
      errors: [...WRITE_ERRORS, HttpError.declare(409)],
      idempotent: true,
    },
    ({ body, principal, requestId }) => Admin.createUser(body).pipe(asAdmin(principal, requestId)),
  ),
  route(
    {
      method: "get",
      path: "/admin/users",
      operationId: "listUsers",
      summary: "Gebruikers",
      tag: TAG,
      roles: Access.ADMIN_ROLES,
      description:
        "Een regiobeheerder ziet de gebruikers van de eigen regio's; een installatiebeheerder ziet ze allemaal.",
      query: ListQuery,
      response: {
        status: 200,
        schema: PageOf(UserView, "UserPage"),
        description: "Eén pagina gebruikers, op naam",
      },
      errors: [...LIST_ERRORS],
    },
    ({ principal, query, requestId }) =>
      Admin.users({ cursor: query.cursor, limit: query.limit }).pipe(asAdmin(principal, requestId)),
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
      roles: Access.ADMIN_ROLES,
      params: UserIdParams,
      body: RolesRequest,
      response: { status: 200, schema: UserView, description: "De gebruiker met de nieuwe rollen" },
      errors: [...WRITE_ERRORS, HttpError.declare(404)],
    },
    ({ params, body, principal, requestId }) =>
      Admin.setRoles(params.userId, body.roles).pipe(asAdmin(principal, requestId)),
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
      roles: Access.ADMIN_ROLES,
      params: UserIdParams,
      body: TokenRequest,
      response: { status: 201, schema: IssuedToken, description: "Het token" },
      errors: [...WRITE_ERRORS, HttpError.declare(404, 409)],
    },
    ({ params, body, principal, requestId }) =>
      Admin.issueServiceToken(params.userId, body).pipe(
        Effect.map((issued) => ({
          tokenId: issued.tokenId,
          token: issued.token,
          expiresAt: issued.expiresAt ?? null,
        })),
        asAdmin(principal, requestId),
      ),
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
      roles: Access.ADMIN_ROLES,
      params: UserIdParams,
      response: { status: 201, schema: SignInLinkSent, description: "De link is onderweg" },
      errors: [...WRITE_ERRORS, HttpError.declare(404, 409)],
    },
    ({ params, principal, requestId }) =>
      Admin.sendSignInLink(params.userId).pipe(
        Effect.map((sent) => ({ linkId: sent.linkId, sentTo: sent.user.email })),
        asAdmin(principal, requestId),
      ),
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
      roles: Access.ADMIN_ROLES,
      params: TokenIdParams,
      response: {
        status: 200,
        schema: Schema.Struct({ revoked: Schema.Literal(true) }),
        description: "Ingetrokken",
      },
      errors: [...WRITE_ERRORS, HttpError.declare(404)],
    },
    ({ params, principal, requestId }) =>
      Admin.revokeToken(params.tokenId).pipe(
        Effect.as({ revoked: true as const }),
        asAdmin(principal, requestId),
      ),
  ),
]
