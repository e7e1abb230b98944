/**
 * Who may see what, in one place: the roles per kind of data, the regions a caller's case reads
 * are scoped to, and the audit record every read and write of case data carries.
 */

import { Regions } from "@verzuimregie/app"
import type { Access, Case, Ids } from "@verzuimregie/domain"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import type { AuditLog } from "@verzuimregie/store"
import { Effect } from "effect"
import { notFound, type Principal } from "../http/Route.js"

/** Case files: the regiehouders and the region's coordinators. Not referrers, not admins. */
export const CASE_ROLES: ReadonlyArray<Access.UserRole> = ["case-worker", "coordinator"]
/** Referrals can be submitted by referrers, and by case workers who take one by phone. */
export const REFERRAL_ROLES: ReadonlyArray<Access.UserRole> = ["referrer", "case-worker", "coordinator"]
export const AUDIT_ROLES: ReadonlyArray<Access.UserRole> = ["coordinator", "admin"]
export const ADMIN_ROLES: ReadonlyArray<Access.UserRole> = ["admin"]

/**
 * The audit log's `context` is a code ("where in the application"): lower-case letters, digits and
 * `.:/-`. Filter names and statuses fit; anything else is folded into dashes.
 */
export const auditContext = (raw: string): string =>
  raw
    .toLowerCase()
    .replace(/[^a-z0-9.:/-]+/g, "-")
    .replace(/([.:/-])[^a-z0-9]+/g, "$1")
    .replace(/[^a-z0-9]+$/, "")
    .slice(0, 120)
    .replace(/[^a-z0-9]+$/, "") || "api"

export const auditEntry = (
  principal: Principal,
  requestId: string,
  action: AuditLog.AuditAction,
  record: {
    readonly type: string
    readonly id?: string | undefined
    readonly regionId?: Ids.RegionId | undefined
  },
  context?: string,
): AuditLog.AuditEntry =>
  ({
    userId: principal.userId,
    organisationId: principal.organisationId,
    action,
    recordType: record.type,
    ...(record.id === undefined ? {} : { recordId: record.id }),
    ...(record.regionId === undefined ? {} : { regionId: record.regionId }),
    purpose: "casusregie",
    context: auditContext(`api.${record.type}.${action}${context === undefined ? "" : `:${context}`}`),
    requestId,
  }) as AuditLog.AuditEntry

export const statusRef = (region: RegionConfig.EnabledRegion | undefined, status: string) => ({
  id: status,
  label: region?.plugin.workflow.states.find((s) => s.id === status)?.label ?? status,
})

export const summary = (state: Case.CaseState, region: RegionConfig.EnabledRegion | undefined) => {
  const open = state.actions.filter((a) => a.status === "open")
  return {
    caseId: state.id,
    regionId: state.regionId,
    version: state.version,
    status: statusRef(region, state.status),
    openedAt: state.openedAt,
    lastEventAt: state.lastEventAt,
    school: state.referral.pupil.enrolment?.schoolName ?? null,
    regiehouder: state.regiehouder?.name ?? null,
    openActions: open.length,
    nextActionDue: open.reduce<Case.TrackedAction["dueOn"] | null>(
      (first, a) => (first === null || a.dueOn < first ? a.dueOn : first),
      null,
    ),
    attendance: state.attendance?.situation ?? null,
    closedOn: state.closed?.on ?? null,
  }
}

/** One of the caller's own regions, run by this installation; any other answers 404. */
export const ownRegion = (principal: Principal, regionId: string) =>
  Effect.gen(function* () {
    const regions = yield* Regions.Regions
    const region = regions.get(regionId)
    if (region === undefined || !principal.regions.includes(region.region.id)) {
      return yield* Effect.fail(notFound("Onbekende regio."))
    }
    return { region, regions }
  })

/**
 * The trace of a refused read of a case that exists in another region: no region (so only
 * installation admins see it), the case id and who tried. The store writes it only when the case
 * exists, after the 404 has gone out.
 */
export const refusedEntry = (
  principal: Principal,
  requestId: string,
  caseId: string,
  context: string,
): AuditLog.AuditEntry =>
  ({
    userId: principal.userId,
    organisationId: principal.organisationId,
    action: "read",
    recordType: "refused-read",
    recordId: caseId,
    purpose: "casusregie",
    context: auditContext(`api.case.refused:${context}`),
    requestId,
  }) as AuditLog.AuditEntry
