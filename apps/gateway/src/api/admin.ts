/**
 * Account management, for admins only: organisations, users and their API tokens. A token is shown
 * once, in the response that creates it.
 */
import { Ids, Text, Timestamp } from "@verzuimregie/domain"
import { Accounts, AuditLog } from "@verzuimregie/store"
import { Effect, Schema } from "effect"
import { fail, MAX_LISTED_ERRORS, type Route, route } from "../http/Route.js"
import { Regions } from "../Regions.js"
import type { GatewayServices } from "../Services.js"
import { ADMIN_ROLES, auditEntry } from "./access.js"
import { TokenIdParams, UserIdParams } from "./schemas.js"

const TAG = "Beheer"

const OrganisationView = Schema.Struct({
  id: Ids.OrganisationId,
  name: Schema.String,
  kind: Schema.String,
  brin: Schema.optionalWith(Schema.String, { exact: true }),
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
}).annotations({ identifier: "UserView" })

export const TokenRequest = Schema.Struct({
  label: Schema.optionalWith(Text.ShortText, { exact: true }),
  expiresInDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 730)), { exact: true }),
}).annotations({ identifier: "TokenRequest" })

const IssuedToken = Schema.Struct({
  tokenId: Schema.String,
  token: Schema.String.annotations({ description: "Shown once; store it safely" }),
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
      summary: "Organisatie toevoegen",
      tag: TAG,
      roles: ADMIN_ROLES,
      body: Accounts.NewOrganisation,
      response: { status: 201, schema: OrganisationView, description: "Toegevoegd" },
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
      summary: "Organisaties",
      tag: TAG,
      roles: ADMIN_ROLES,
      response: { status: 200, schema: Schema.Array(OrganisationView), description: "De organisaties" },
    },
    () => Effect.flatMap(Accounts.Accounts, (a) => a.organisations()),
  ),
  route(
    {
      method: "post",
      path: "/admin/users",
      operationId: "createUser",
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
        const regions = yield* Regions
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
        const accounts = yield* Accounts.Accounts
        const user = yield* accounts.createUser(body)
        yield* Effect.flatMap(AuditLog.AuditLog, (a) =>
          a.append([auditEntry(principal, requestId, "create", { type: "user", id: user.id })]),
        )
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
      response: { status: 200, schema: Schema.Array(UserView), description: "De gebruikers" },
    },
    () => Effect.flatMap(Accounts.Accounts, (a) => a.users()),
  ),
  route(
    {
      method: "post",
      path: "/admin/users/:userId/tokens",
      operationId: "issueToken",
      summary: "API-token uitgeven (eenmalig getoond)",
      tag: TAG,
      roles: ADMIN_ROLES,
      params: UserIdParams,
      body: TokenRequest,
      response: { status: 201, schema: IssuedToken, description: "Het token" },
      errors: [404],
    },
    ({ params, body, principal, requestId }) =>
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const issued = yield* accounts.issueToken(params.userId, {
          expiresAt: expiryOf(body.expiresInDays),
          label: body.label,
        })
        yield* Effect.flatMap(AuditLog.AuditLog, (a) =>
          a.append([
            auditEntry(
              principal,
              requestId,
              "create",
              { type: "token", id: `tok_${issued.tokenId}` },
              params.userId,
            ),
          ]),
        )
        return { tokenId: issued.tokenId, token: issued.token, expiresAt: issued.expiresAt ?? null }
      }),
  ),
  route(
    {
      method: "delete",
      path: "/admin/tokens/:tokenId",
      operationId: "revokeToken",
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
        yield* accounts.revokeToken(params.tokenId)
        yield* Effect.flatMap(AuditLog.AuditLog, (a) =>
          a.append([
            auditEntry(
              principal,
              requestId,
              "update",
              { type: "token", id: `tok_${params.tokenId}` },
              "revoke",
            ),
          ]),
        )
        return { revoked: true as const }
      }),
  ),
]
