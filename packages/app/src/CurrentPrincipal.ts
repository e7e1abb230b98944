/**
 * The caller of a use case, in the Effect context: who (the principal), through which door, for
 * which request and with which purpose. Every door (API route, web page, CLI, mail worker)
 * provides it once; use cases read it instead of taking a principal or request id as arguments,
 * as the `CurrentUser` of Effect's own `http-server` example does.
 */
import type { Access, Ids, Party } from "@verzuimregie/domain"
import type { Accounts } from "@verzuimregie/store"
import { Context, Effect, Layer } from "effect"

/** The authenticated person or service account behind a request. */
export interface Principal {
  readonly userId: Ids.UserId
  readonly organisationId: Ids.OrganisationId
  readonly name: string
  readonly roles: ReadonlyArray<Access.UserRole>
  readonly regions: ReadonlyArray<Ids.RegionId>
  /** The professional role case events record for this user (`smw-verzuim`, `mentor`…). */
  readonly partyRole: Party.PartyRole
  readonly tokenId: string
  /** An admin whose reach is the whole installation, not only their own regions. */
  readonly installationAdmin: boolean
}

/** Where a request came in: the first segment of every audit context it writes. */
export type Door = "api" | "web" | "cli" | "mail"

export interface Caller {
  readonly principal: Principal
  readonly door: Door
  /** Correlates the audit records, the logs and the answer of one request. */
  readonly requestId: string
  /**
   * Why the data is processed (AVG art. 5 lid 1 sub b, purpose limitation), as the audit log
   * records it: `casusregie` for case work, `toegangsbeheer` for accounts.
   */
  readonly purpose: string
  /**
   * Where in the door the request came from, when the door says more than its name: the CLI's
   * command and operating-system user (`cli:token-create:os-jansen`). Audit records then carry it
   * as their context's start instead of `<door>.<record>.<action>`.
   */
  readonly origin?: string | undefined
}

export class CurrentPrincipal extends Context.Tag("@verzuimregie/app/CurrentPrincipal")<
  CurrentPrincipal,
  Caller
>() {}

/** The caller for one request, as a layer. */
export const layer = (caller: Caller): Layer.Layer<CurrentPrincipal> =>
  Layer.succeed(CurrentPrincipal, caller)

/** Runs `effect` as `caller`: how a door hands its request to a use case. */
export const provide =
  (caller: Caller) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, Exclude<R, CurrentPrincipal>> =>
    Effect.provideService(effect, CurrentPrincipal, caller)

/** The same caller with another purpose, for a use case that processes data for a different end. */
export const withPurpose =
  (purpose: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | CurrentPrincipal> =>
    Effect.flatMap(CurrentPrincipal, (caller) =>
      Effect.provideService(effect, CurrentPrincipal, { ...caller, purpose }),
    )

/**
 * The principal of an account as it may act now (`Accounts.acting`), signed in with the credential
 * `credentialId` (an API token's id, or `ses_…` for a web session).
 */
export const principalOf = (
  user: Pick<
    Accounts.User,
    "id" | "organisationId" | "name" | "roles" | "regions" | "partyRole" | "installationAdmin"
  >,
  credentialId: string,
): Principal => ({
  userId: user.id,
  organisationId: user.organisationId,
  name: user.name,
  roles: user.roles,
  regions: user.regions,
  partyRole: user.partyRole,
  tokenId: credentialId,
  installationAdmin: user.installationAdmin && user.roles.includes("admin"),
})
