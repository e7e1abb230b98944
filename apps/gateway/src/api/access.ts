/**
 * The access rules live in `@verzuimregie/app` (`Access`). What is left here serves the routes whose
 * logic has not yet moved there (admin, audit, exports) and still pass the caller by hand.
 */

import { Access, CaseViews } from "@verzuimregie/app"
import type { AuditLog } from "@verzuimregie/store"
import type { Principal } from "../http/Route.js"

export const { CASE_ROLES, REFERRAL_ROLES, AUDIT_ROLES, ADMIN_ROLES, ACCOUNT_PURPOSE } = Access
export const { auditContext, accountAudit, withinReach } = Access
export const { statusRef, summary } = CaseViews

const apiCaller = (principal: Principal, requestId: string) =>
  ({ principal, door: "api", requestId, purpose: "casusregie" }) as const

/** `Access.entryOf` for a caller passed by hand (door `api`, purpose `casusregie`). */
export const auditEntry = (
  principal: Principal,
  requestId: string,
  action: AuditLog.AuditAction,
  record: Access.AuditedRecord,
  context?: string,
): AuditLog.AuditEntry => Access.entryOf(apiCaller(principal, requestId), action, record, context)

/** `Access.ownRegion`: the caller is the request's `CurrentPrincipal`, which the mount provides. */
export const ownRegion = (_principal: Principal, regionId: string) => Access.ownRegion(regionId)
