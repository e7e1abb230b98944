/**
 * The access log, for coordinators and region admins (their regions) and installation admins
 * (all, including records that concern no region: organisations, refused reads of another region's
 * case): who read, searched, changed or exported which record, when and why. Reading it is itself
 * logged.
 */

import { Access, AuditTrail } from "@verzuimregie/app"
import { Errors } from "@verzuimregie/domain"
import { AuditLog, Pagination } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Route } from "../http/Route.js"
import { route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { AuditQuery, PageOf } from "./schemas.js"

export const auditRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/audit",
      operationId: "listAuditRecords",
      summary: "Toegangslog: wie heeft wat ingezien, gezocht, gewijzigd of geëxporteerd",
      description:
        "Coördinatoren en regiobeheerders zien de regels van hun regio's; installatiebeheerders zien alles. Nieuwste eerst.",
      tag: "Toegangslog",
      roles: Access.AUDIT_ROLES,
      query: AuditQuery,
      response: {
        status: 200,
        schema: PageOf(AuditLog.AuditRecord, "AuditRecordPage"),
        description: "Eén pagina",
      },
      errors: [AuditTrail.NotPermitted, Pagination.InvalidCursor, Errors.ValidationError],
    },
    ({ query }) =>
      AuditTrail.list(
        { recordId: query.recordId, userId: query.userId, requestId: query.requestId },
        { cursor: query.cursor, limit: query.limit },
      ).pipe(Effect.map((page) => ({ items: page.items, nextCursor: page.nextCursor ?? null }))),
  ),
]
