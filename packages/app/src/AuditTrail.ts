/**
 * The access log as a use case: who read, searched, changed or exported which record, when and
 * why (NEN 7513; AVG art. 30 and art. 32 lid 1 sub d). Coordinators and region admins see the
 * records of their own regions; installation admins see all, including the records that concern no
 * region (organisations, refused reads of another region's case). Reading the log is itself logged.
 *
 * The audit records every use case writes are built here from the caller in the context
 * (`CurrentPrincipal`): the actor, the request id, the purpose, and a context code that starts with
 * the door (`api.user.roles:coordinator`, or the CLI's own `cli:user-roles:os-jansen:coordinator`).
 *
 * @example
 * const page = yield* AuditTrail.list({ recordId: "case_…" }, { limit: 50 })
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import { type Access, type Errors, HttpMeaning, type Ids } from "@verzuimregie/domain"
import { Accounts, AuditLog, type Pagination } from "@verzuimregie/store"
import { Effect, Option, Schema } from "effect"
import { type Caller, CurrentPrincipal } from "./CurrentPrincipal.js"
import { Regions } from "./Regions.js"

/** Who may read the access log: the regions' coordinators and the admins. */
export const AUDIT_ROLES: ReadonlyArray<Access.UserRole> = ["coordinator", "admin"]

/** The caller's roles do not allow this use case (the doors check the same roles first). */
export class NotPermitted extends Schema.TaggedError<NotPermitted>()(
  "NotPermitted",
  {
    /** The roles that would have allowed it. */
    roles: Schema.Array(Schema.String),
  },
  HttpMeaning.status(403, { detail: "Uw rol geeft geen toegang tot deze functie." }),
) {
  override get message(): string {
    return `Hiervoor is een van deze rollen nodig: ${this.roles.join(", ")}.`
  }
}

/** Fails unless the caller holds one of `roles`. */
export const requireRole = (
  roles: ReadonlyArray<Access.UserRole>,
): Effect.Effect<Caller, NotPermitted, CurrentPrincipal> =>
  Effect.flatMap(CurrentPrincipal, (caller) =>
    caller.principal.roles.some((role) => roles.includes(role))
      ? Effect.succeed(caller)
      : Effect.fail(new NotPermitted({ roles })),
  )

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

/**
 * The context code of a record the caller writes: `<door>.<what>[:<detail>]`, or where the door
 * names its own origin (the CLI: command and operating-system user), `<origin>[:<detail>]`.
 */
export const contextOf = (caller: Caller, what: string, detail?: string): string => {
  const suffix = detail === undefined || detail === "" ? "" : `:${detail}`
  return auditContext(
    caller.origin === undefined ? `${caller.door}.${what}${suffix}` : `${caller.origin}${suffix}`,
  )
}

/** One audit record of the caller, for a record that concerns at most one region. */
export const entryOf = (
  caller: Caller,
  action: AuditLog.AuditAction,
  record: {
    readonly type: string
    readonly id?: string | undefined
    readonly regionId?: Ids.RegionId | undefined
  },
  detail?: string,
): AuditLog.AuditEntry =>
  ({
    userId: caller.principal.userId,
    organisationId: caller.principal.organisationId,
    action,
    recordType: record.type,
    ...(record.id === undefined ? {} : { recordId: record.id }),
    ...(record.regionId === undefined ? {} : { regionId: record.regionId }),
    purpose: caller.purpose,
    context: contextOf(caller, `${record.type}.${action}`, detail),
    requestId: caller.requestId,
  }) as AuditLog.AuditEntry

/** The log of a region that is not the caller's (or not run here): one answer for both, 404. */
export class RegionNotVisible extends Schema.TaggedError<RegionNotVisible>()(
  "RegionNotVisible",
  { regionId: Schema.String },
  HttpMeaning.status(404, { detail: "Onbekende regio." }),
) {
  override get message(): string {
    return "Onbekende regio."
  }
}

export interface AuditQuery {
  readonly recordId?: string | undefined
  readonly userId?: Ids.UserId | undefined
  readonly requestId?: string | undefined
}

/**
 * One page of the access log, newest first, as far as the caller may see it; the read is logged
 * once it succeeded.
 */
export const list = (
  query: AuditQuery,
  page: Pagination.PageRequest,
): Effect.Effect<
  Pagination.Page<AuditLog.AuditRecord>,
  NotPermitted | Pagination.InvalidCursor | Errors.ValidationError | SqlError,
  CurrentPrincipal | AuditLog.AuditLog | Regions
> =>
  Effect.gen(function* () {
    const caller = yield* requireRole(AUDIT_ROLES)
    const regions = yield* Regions
    const { principal } = caller
    // Coordinators and region admins see the records of their own regions only.
    return yield* listAs(
      caller,
      query,
      principal.installationAdmin ? undefined : regions.enabled(principal.regions),
      page,
    )
  })

/**
 * One page of the log of one region, newest first: a coordinator's or region admin's own region
 * (an installation admin's: any region this installation runs). Another region does not exist for
 * the caller (`RegionNotVisible`, 404). The read is logged.
 */
export const ofRegion = (
  regionId: string,
  page: Pagination.PageRequest,
): Effect.Effect<
  Pagination.Page<AuditLog.AuditRecord>,
  NotPermitted | RegionNotVisible | Pagination.InvalidCursor | Errors.ValidationError | SqlError,
  CurrentPrincipal | AuditLog.AuditLog | Regions
> =>
  Effect.gen(function* () {
    const caller = yield* requireRole(AUDIT_ROLES)
    const regions = yield* Regions
    const { principal } = caller
    const region = regions.get(regionId)
    if (
      region === undefined ||
      !(principal.installationAdmin || principal.regions.includes(region.region.id))
    )
      return yield* new RegionNotVisible({ regionId })
    return yield* listAs(caller, { regionId: region.region.id }, [region.region.id], page)
  })

const listAs = (
  caller: Caller,
  query: AuditQuery & { readonly regionId?: Ids.RegionId },
  within: ReadonlyArray<Ids.RegionId> | undefined,
  page: Pagination.PageRequest,
) =>
  Effect.gen(function* () {
    const audit = yield* AuditLog.AuditLog
    const found = yield* audit.list(
      {
        recordId: query.recordId,
        userId: query.userId,
        requestId: query.requestId,
        ...(within === undefined ? {} : { regions: within }),
      },
      page,
    )
    yield* audit.append([
      entryOf(
        caller,
        "search",
        { type: "audit-log", regionId: query.regionId },
        [query.recordId, query.userId].filter(Boolean).join(",") || "alle",
      ),
    ])
    return found
  })

/**
 * The names of the people a page of the log names (the "who" of each record), from the
 * installation's register of accounts; an unknown id keeps no name. Only for those who may read
 * the log, and only the names: no address, no roles.
 */
export const actorNames = (
  userIds: ReadonlyArray<Ids.UserId>,
): Effect.Effect<
  ReadonlyMap<string, string>,
  NotPermitted | SqlError,
  CurrentPrincipal | Accounts.Accounts
> =>
  Effect.gen(function* () {
    yield* requireRole(AUDIT_ROLES)
    const accounts = yield* Accounts.Accounts
    const names = new Map<string, string>()
    for (const id of new Set(userIds)) {
      const user = yield* accounts.user(id)
      if (Option.isSome(user)) names.set(id, user.value.name)
    }
    return names
  })
