/**
 * Who may see what, in one place: the roles per kind of data, the regions a caller's reads are
 * scoped to, the 404-not-403 rule for records of other regions, and the audit record every read and
 * write of case data carries (AVG art. 30 and 32). Every rule reads the caller from
 * `CurrentPrincipal`, as the `CurrentUser` middleware of Effect's `http-server` example does: no
 * door passes a principal or request id by hand, so no door can apply them differently.
 */
import { type Access as DomainAccess, HttpMeaning, type Ids } from "@verzuimregie/domain"
import type { RegionConfig as RegionConfigTypes } from "@verzuimregie/plugin-sdk"
import type { AuditLog } from "@verzuimregie/store"
import { Effect, Schema } from "effect"
import { auditContext, entryOf } from "./AuditTrail.js"
import { type Caller, CurrentPrincipal, type Principal } from "./CurrentPrincipal.js"
import { Regions } from "./Regions.js"

export type Roles = ReadonlyArray<DomainAccess.UserRole>

/** Case files: the regiehouders and the region's coordinators. Not referrers, not admins. */
export const CASE_ROLES: Roles = ["case-worker", "coordinator"]
/** Referrals can be submitted by referrers, and by case workers who take one by phone. */
export const REFERRAL_ROLES: Roles = ["referrer", "case-worker", "coordinator"]
/**
 * The quarterly round (Amstelland's kwartaalbespreking): the SWV's orthopedagogen and the region's
 * coordinators. An orthopedagoog reads no case file, only the round's minimal list (`QuarterlyRound`).
 */
export const ROUND_ROLES: Roles = ["orthopedagoog", "coordinator"]
export const AUDIT_ROLES: Roles = ["coordinator", "admin"]
export const ADMIN_ROLES: Roles = ["admin"]

export const CASE_NOT_FOUND = "Deze casus bestaat niet of u heeft er geen toegang toe."

/**
 * A record that does not exist for the caller: missing, or in a region they may not see. One
 * answer for both (404, never 403), so the existence of a pupil's case does not leak.
 */
export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  { detail: Schema.String },
  HttpMeaning.status(404, {}, (error: { readonly detail: string }) => ({ detail: error.detail })),
) {}

export const notFound = (detail: string = CASE_NOT_FOUND) => new NotFound({ detail })

/** The caller's roles do not include one the use case needs. */
export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  {},
  HttpMeaning.status(403, { detail: "Uw rol geeft geen toegang tot deze functie." }),
) {}

export const hasRole = (principal: Principal, roles: Roles): boolean =>
  principal.roles.some((role) => roles.includes(role))

/** Goes on only for a caller with one of `roles`. */
export const requireRole = (roles: Roles): Effect.Effect<Principal, Forbidden, CurrentPrincipal> =>
  Effect.flatMap(CurrentPrincipal, ({ principal }) =>
    hasRole(principal, roles) ? Effect.succeed(principal) : Effect.fail(new Forbidden()),
  )

/** The audit context code and the caller's record: one definition, in `AuditTrail`. */
export { auditContext, entryOf } from "./AuditTrail.js"

export interface AuditedRecord {
  readonly type: string
  readonly id?: string | undefined
  readonly regionId?: Ids.RegionId | undefined
}

/** The current caller's audit record of `action` on `record`. */
export const audit = (
  action: AuditLog.AuditAction,
  record: AuditedRecord,
  context?: string,
): Effect.Effect<AuditLog.AuditEntry, never, CurrentPrincipal> =>
  Effect.map(CurrentPrincipal, (caller) => entryOf(caller, action, record, context))

/**
 * The trace of a refused read of a case that exists in another region: no region (so only
 * installation admins see it), the case id and who tried. The store writes it only when the case
 * exists, after the 404 has gone out.
 */
export const refusedOf = (caller: Caller, caseId: string, context: string): AuditLog.AuditEntry =>
  ({
    userId: caller.principal.userId,
    organisationId: caller.principal.organisationId,
    action: "read",
    recordType: "refused-read",
    recordId: caseId,
    purpose: caller.purpose,
    context: auditContext(`${caller.door}.case.refused:${context}`),
    requestId: caller.requestId,
  }) as AuditLog.AuditEntry

/** The caller's regions that this installation runs; none is the same as no such case (404). */
export const visibleRegions: Effect.Effect<
  { readonly regions: Regions["Type"]; readonly visible: ReadonlyArray<Ids.RegionId> },
  NotFound,
  CurrentPrincipal | Regions
> = Effect.flatMap(Effect.all([CurrentPrincipal, Regions]), ([{ principal }, regions]) => {
  const visible = regions.enabled(principal.regions)
  return visible.length === 0 ? Effect.fail(notFound()) : Effect.succeed({ regions, visible })
})

/**
 * Reads of case data in the caller's regions: the store's visibility with the read's own audit
 * record (written in its transaction) and the trace of a refused read (see `refusedOf`).
 */
export const caseVisibility = (
  caseId: string,
  context: string,
  audited: { readonly type: string; readonly context?: string } | undefined,
) =>
  Effect.map(Effect.all([CurrentPrincipal, visibleRegions]), ([caller, { regions, visible }]) => ({
    regions,
    visible,
    visibility: {
      regions: visible,
      denied: refusedOf(caller, caseId, context),
      ...(audited === undefined
        ? {}
        : { audit: entryOf(caller, "read", { type: audited.type, id: caseId }, audited.context) }),
    },
  }))

/** One of the caller's own regions, run by this installation; any other answers 404. */
export const ownRegion = (regionId: string) =>
  Effect.flatMap(Effect.all([CurrentPrincipal, Regions]), ([{ principal }, regions]) => {
    const region = regions.get(regionId)
    return region === undefined || !principal.regions.includes(region.region.id)
      ? Effect.fail(notFound("Onbekende regio."))
      : Effect.succeed({ region, regions })
  })

/** Named by the inferred types of these use cases; re-exported so their declarations stay portable (TS2742). */
export type { RegionConfigTypes }
