/**
 * Organisations, users and API tokens. A user belongs to one organisation and one or more regions
 * and holds one or more roles. A token is shown once: the store keeps only its SHA-256 hash (the
 * secret is 256 random bits, so a fast hash is enough), it can expire and be revoked.
 *
 * Token format: `vrt_<tokenId>_<secret>` — the id finds the row, the secret is compared in
 * constant time against the stored hash.
 *
 * Separation of duties (migration 7): a user is a `person` or a `service` account. An admin does
 * not hold a case role (`case-worker`, `coordinator`) unless the installation explicitly allows
 * it (`AccountPolicy`). A person's token reaches only that person, through a one-time sign-in
 * link (`token_links`: only the link secret's hash is stored, it expires and is consumed once);
 * admins mint tokens directly only for service accounts, which hold no case roles.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import {
  Access,
  type Errors,
  Fields,
  HttpMeaning,
  Ids,
  Organisation,
  Party,
  Text,
  Timestamp,
} from "@verzuimregie/domain"
import { Context, Effect, Option, Schema } from "effect"
import { type AuditEntry, validate } from "./AuditLog.js"
import { appendInTransaction } from "./internal/auditChain.js"
import { enqueueInTransaction } from "./internal/outboxWrite.js"
import { Database, now } from "./internal/service.js"
import { BooleanColumn, ORGANISATION_BRIN_INDEX, rowsOrDie, violates } from "./internal/sql.js"
import type { OutboxMessage } from "./Outbox.js"
import {
  decodeCursor,
  type InvalidCursor,
  keysetAfter,
  limitOf,
  type Page,
  type PageRequest,
  toPage,
} from "./Pagination.js"

export class AccountError extends Schema.TaggedError<AccountError>()(
  "AccountError",
  {
    reason: Schema.Literal(
      "organisation-unknown",
      "user-unknown",
      "email-taken",
      /** Another organisation has this BRIN code already (one school, one BRIN; migration 14). */
      "brin-taken",
      "token-unknown",
      "invalid",
      /** Admin together with a case role, or a case role on a service account. */
      "roles-conflict",
      /** A person's token is never minted by someone else: it goes through a sign-in link. */
      "person-token",
      /** A sign-in link for a service account, or for a user who is not active. */
      "link-not-possible",
    ),
    detail: Schema.String,
  },
  HttpMeaning.annotate({
    statuses: [422, 404, 409],
    problem: (error: { readonly reason: string; readonly detail: string }) => {
      switch (error.reason) {
        // An unknown user or token named in the path is a missing resource, as the routes document.
        case "user-unknown":
        case "token-unknown":
          return { status: 404, detail: error.detail }
        case "email-taken":
        // A person's token, or a link for a service account: the user's kind decides the way.
        case "person-token":
        case "link-not-possible":
          return { status: 409, detail: error.detail }
        // One organisation per BRIN code: the field that clashes, as for other input errors.
        case "brin-taken":
          return {
            status: 409,
            detail: "Er is al een organisatie met deze BRIN-code.",
            errors: [{ path: "brin", pointer: "/brin", detail: error.detail }],
          }
        // Separation of duties: the roles asked for cannot go together (field `roles`).
        case "roles-conflict":
          return {
            status: 422,
            detail: "Deze rollen gaan niet samen.",
            errors: [{ path: "roles", pointer: "/roles", detail: error.detail }],
          }
        default:
          return { status: 422, detail: error.detail }
      }
    },
  }),
) {
  override get message(): string {
    return this.detail
  }
}

export const isRolesConflict = (u: unknown): u is AccountError =>
  u instanceof AccountError && u.reason === "roles-conflict"

export const NewOrganisation = Schema.Struct({
  name: Text.ShortText,
  kind: Organisation.OrganisationKind,
  /** A school's BRIN code (DUO), for the Inspectie overview. */
  brin: Fields.optional(Organisation.Brin),
})
export type NewOrganisation = typeof NewOrganisation.Type

/** A person signs in themselves; a service account is a system (no case roles, admin-issued tokens). */
export const UserKind = Schema.Literal("person", "service").annotations({ identifier: "UserKind" })
export type UserKind = typeof UserKind.Type

/** The roles that read case files: an admin does not hold them, nor does a service account. */
export const CASE_FILE_ROLES: ReadonlyArray<Access.UserRole> = ["case-worker", "coordinator"]

export const NewUser = Schema.Struct({
  organisationId: Ids.OrganisationId,
  name: Text.ShortText,
  email: Text.Email,
  roles: Schema.NonEmptyArray(Access.UserRole),
  regions: Schema.NonEmptyArray(Ids.RegionId),
  /** The user's professional role, as case events record who acted (`smw-verzuim`, `mentor`…). */
  partyRole: Schema.optionalWith(Party.PartyRole, { exact: true, default: () => "overig" as const }),
  kind: Schema.optionalWith(UserKind, { exact: true, default: () => "person" as const }),
  /** An admin whose reach is the whole installation instead of their own regions. */
  installationAdmin: Schema.optionalWith(Schema.Boolean, { exact: true, default: () => false }),
})
/** A decoded `NewUser`; `kind` (default person) and `installationAdmin` (default false) may be left out. */
export type NewUser = Omit<typeof NewUser.Type, "kind" | "installationAdmin"> & {
  readonly kind?: UserKind | undefined
  readonly installationAdmin?: boolean | undefined
}

/**
 * The installation's account rules. Admin together with a case role is refused unless
 * `allowAdminWithCaseRoles` (the `ALLOW_ADMIN_WITH_CASE_ROLES=on` setting; not recommended: an
 * admin who also reads case files can hand themselves access).
 */
export class AccountPolicy extends Context.Reference<AccountPolicy>()("@verzuimregie/store/AccountPolicy", {
  defaultValue: () => ({ allowAdminWithCaseRoles: false }) as { readonly allowAdminWithCaseRoles: boolean },
}) {}

/**
 * The policy from the environment: `ALLOW_ADMIN_WITH_CASE_ROLES=on` allows admin with a case role
 * (not recommended); unset or `off` refuses it. Anything else is a Dutch error message.
 */
export const policyFromEnvironment = (
  env: Readonly<Record<string, string | undefined>>,
): { readonly allowAdminWithCaseRoles: boolean } | string => {
  const raw = env.ALLOW_ADMIN_WITH_CASE_ROLES?.trim() ?? ""
  if (raw === "" || raw === "off") return { allowAdminWithCaseRoles: false }
  if (raw === "on") return { allowAdminWithCaseRoles: true }
  return `ALLOW_ADMIN_WITH_CASE_ROLES: verwacht on of off, niet ${JSON.stringify(raw)}`
}

/** Why these roles cannot go together on this kind of account, in Dutch; undefined when they can. */
export const rolesConflict = (
  input: {
    readonly roles: ReadonlyArray<Access.UserRole>
    readonly kind: UserKind
    readonly installationAdmin: boolean
  },
  policy: { readonly allowAdminWithCaseRoles: boolean },
): string | undefined => {
  const caseRoles = input.roles.filter((r) => CASE_FILE_ROLES.includes(r))
  if (input.kind === "service" && caseRoles.length > 0)
    return `een serviceaccount heeft geen casusrol (${caseRoles.join(", ")})`
  if (input.installationAdmin && !input.roles.includes("admin"))
    return "alleen een beheerder (rol admin) kan installatiebeheerder zijn"
  if (input.roles.includes("admin") && caseRoles.length > 0 && !policy.allowAdminWithCaseRoles)
    return `een beheerder heeft geen casusrol (${caseRoles.join(", ")}): scheiding van taken`
  return undefined
}

export interface OrganisationRow {
  readonly id: Ids.OrganisationId
  readonly name: string
  readonly kind: Organisation.OrganisationKind
  readonly brin?: Organisation.Brin
}

export interface User {
  readonly id: Ids.UserId
  readonly organisationId: Ids.OrganisationId
  readonly name: string
  readonly email: string
  readonly roles: ReadonlyArray<Access.UserRole>
  readonly regions: ReadonlyArray<Ids.RegionId>
  readonly partyRole: Party.PartyRole
  readonly active: boolean
  readonly kind: UserKind
  readonly installationAdmin: boolean
}

export interface IssuedToken {
  readonly tokenId: string
  /** The token itself: shown once, never stored. */
  readonly token: string
  readonly expiresAt: Timestamp.Timestamp | undefined
}

export interface TokenInfo {
  readonly tokenId: string
  readonly userId: Ids.UserId
  readonly label: string | undefined
  readonly createdAt: string
  readonly expiresAt: string | undefined
  readonly revokedAt: string | undefined
}

/** Who a valid token belongs to. */
export interface Authenticated {
  readonly user: User
  readonly tokenId: string
}

const TOKEN_PATTERN = /^vrt_([0-9a-z]{16})_([A-Za-z0-9_-]{43})$/
/** A sign-in link's secret: `vrl_<linkId>_<secret>`, as the last segment of the link. */
export const LINK_PATTERN = /^vrl_([0-9a-z]{16})_([A-Za-z0-9_-]{43})$/

/** What a sign-in link is now, for the page that opens it. */
export type LinkState = "valid" | "used" | "expired" | "unknown"

/**
 * What a sign-in link opens (migration 20): `token` shows a person their new API token once;
 * `session` signs them in to the web app. A link of one purpose opens nothing of the other.
 */
export type LinkPurpose = "token" | "session"

/** A sign-in link, ready to be mailed: only this message carries its secret. */
export interface MailableLink {
  readonly linkId: string
  /** `vrl_<linkId>_<secret>`: shown once, in the mail; the store keeps its hash. */
  readonly secret: string
  readonly expiresAt: Timestamp.Timestamp
  readonly user: User
}

/** A redeemed link: the new token, shown once on the page. */
export interface RedeemedLink {
  readonly user: User
  readonly issued: IssuedToken
}

const hashSecret = (secret: string): Buffer => createHash("sha256").update(secret, "utf8").digest()

/** A list stored as one comma-separated text column (`roles`, `regions`; no commas in a slug). */
const commaList = <A, I extends string>(item: Schema.Schema<A, I>) =>
  Schema.compose(
    Schema.transform(Schema.String, Schema.Array(Schema.String), {
      strict: true,
      decode: (stored) => (stored === "" ? [] : stored.split(",")),
      encode: (items) => items.join(","),
    }),
    Schema.Array(item),
  )

/** @internal The user columns as stored; `WebSessions` reads them in its own join. */
export const UserRow = Schema.Struct({
  id: Ids.UserId,
  organisation_id: Ids.OrganisationId,
  name: Schema.String,
  email: Schema.String,
  roles: commaList(Access.UserRole),
  regions: commaList(Ids.RegionId),
  party_role: Party.PartyRole,
  active: BooleanColumn,
  kind: UserKind,
  installation_admin: BooleanColumn,
})

const TokenRow = Schema.Struct({
  id: Schema.String,
  user_id: Ids.UserId,
  label: Schema.NullOr(Schema.String),
  // Instants come back as ISO text from both drivers (see internal/connect.ts).
  created_at: Schema.String,
  expires_at: Schema.NullOr(Schema.String),
  revoked_at: Schema.NullOr(Schema.String),
})

const OrganisationRowSchema = Schema.Struct({
  id: Ids.OrganisationId,
  name: Schema.String,
  kind: Organisation.OrganisationKind,
  brin: Schema.NullOr(Organisation.Brin),
})

/** The token's hash and validity with its user, as `authenticate` reads them in one query. */
const AuthenticationRow = Schema.Struct({
  ...UserRow.fields,
  hash: Schema.String,
  expires_at: Schema.NullOr(Schema.String),
  revoked_at: Schema.NullOr(Schema.String),
})

/** The rows of a query, decoded; a row that does not decode is damage (`rowsOrDie`). */
const rowsOf =
  <A, I>(schema: Schema.Schema<A, I>) =>
  <E, R>(query: Effect.Effect<ReadonlyArray<unknown>, E, R>): Effect.Effect<ReadonlyArray<A>, E, R> =>
    rowsOrDie(Effect.flatMap(query, Schema.decodeUnknown(Schema.Array(schema))))

const toTokenInfo = (r: typeof TokenRow.Type): TokenInfo => ({
  tokenId: r.id,
  userId: r.user_id,
  label: r.label ?? undefined,
  createdAt: r.created_at,
  expiresAt: r.expires_at ?? undefined,
  revokedAt: r.revoked_at ?? undefined,
})

const toOrganisation = (r: typeof OrganisationRowSchema.Type): OrganisationRow => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  ...(r.brin === null ? {} : { brin: r.brin }),
})

/** @internal */
export const USER_COLUMNS =
  "id, organisation_id, name, email, roles, regions, party_role, active, kind, installation_admin"

/** @internal */
export const toUser = (row: typeof UserRow.Type): User => ({
  id: row.id,
  organisationId: row.organisation_id,
  name: row.name,
  email: row.email,
  roles: row.roles,
  regions: row.regions,
  partyRole: row.party_role,
  active: row.active,
  kind: row.kind,
  installationAdmin: row.installation_admin,
})

/** Whose account a caller may change (an admin's reach); beyond it, the user "does not exist". */
export type Reach = (user: User) => boolean

/**
 * The user as they may act now, or none: an inactive account acts not at all, and an account that
 * holds roles which may not go together (given before migration 7, or by editing the database)
 * acts without its case roles: an admin does not read case files. Every way in (API token, web
 * session) goes through here.
 */
export const acting = (
  user: User,
  policy: { readonly allowAdminWithCaseRoles: boolean },
): Option.Option<User> => {
  if (!user.active) return Option.none()
  const conflict = rolesConflict({ roles: user.roles, kind: user.kind, installationAdmin: false }, policy)
  const roles = conflict === undefined ? user.roles : user.roles.filter((r) => !CASE_FILE_ROLES.includes(r))
  return roles.length === 0 ? Option.none() : Option.some({ ...user, roles })
}

export class Accounts extends Effect.Service<Accounts>()("@verzuimregie/store/Accounts", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const { sql } = db

    /**
     * Adds an organisation. A BRIN code belongs to one school (DUO), so a second organisation with
     * the same code is refused: the Inspectie overview counts per BRIN. The check reads first for
     * a clear answer; the unique index (migration 14) refuses a concurrent twin all the same.
     */
    const createOrganisation = (
      input: NewOrganisation,
      options: {
        /** Audit records of the new organisation, written in its transaction. */
        readonly audit?: ((organisation: OrganisationRow) => ReadonlyArray<AuditEntry>) | undefined
      } = {},
    ): Effect.Effect<OrganisationRow, AccountError | SqlError | Errors.ValidationError> =>
      Effect.gen(function* () {
        const id = Ids.newId.organisation()
        const at = yield* now
        const brinTaken = (owner: string | undefined) =>
          new AccountError({
            reason: "brin-taken",
            detail: `BRIN-code ${input.brin} is al in gebruik${owner === undefined ? "" : ` door ${owner}`}`,
          })
        const organisation: OrganisationRow = {
          id,
          name: input.name,
          kind: input.kind,
          ...(input.brin === undefined ? {} : { brin: input.brin }),
        }
        yield* db
          .writeTransaction(
            Effect.gen(function* () {
              if (input.brin !== undefined) {
                const owner = yield* sql<{
                  id: string
                }>`SELECT id FROM organisations WHERE brin = ${input.brin}`
                if (owner.length > 0) return yield* brinTaken(owner[0]!.id)
              }
              yield* sql`INSERT INTO organisations ${sql.insert({ id, name: input.name, kind: input.kind, brin: input.brin ?? null, created_at: at })}`
              if (options.audit !== undefined) yield* auditIn(options.audit(organisation))
            }),
          )
          .pipe(
            Effect.catchIf(
              (error): error is SqlError =>
                error._tag === "SqlError" && violates(error, ORGANISATION_BRIN_INDEX),
              () => Effect.fail(brinTaken(undefined)),
            ),
          )
        return organisation
      })

    const organisations = (): Effect.Effect<ReadonlyArray<OrganisationRow>, SqlError> =>
      sql`SELECT id, name, kind, brin FROM organisations ORDER BY name, id`.pipe(
        rowsOf(OrganisationRowSchema),
        Effect.map((rows) => rows.map(toOrganisation)),
      )

    /**
     * One page of organisations by name (then id), paged in the query like the case lists: the
     * admin API and CLI show the same `{items, nextCursor}` pages.
     */
    const organisationPage = (
      page?: PageRequest,
    ): Effect.Effect<Page<OrganisationRow>, SqlError | InvalidCursor> =>
      Effect.gen(function* () {
        const limit = limitOf(page)
        const key = yield* decodeCursor("organisations", page?.cursor, ["text", "text"])
        const rows = yield* sql`SELECT id, name, kind, brin FROM organisations
          WHERE ${key === undefined ? sql`1=1` : keysetAfter(sql, ["name", "id"], key, ">")}
          ORDER BY name, id LIMIT ${limit + 1}`.pipe(rowsOf(OrganisationRowSchema))
        return toPage("organisations", rows, limit, (r) => [r.name, r.id], toOrganisation)
      })

    /** Audit records from a caller's builder, checked before the transaction starts writing. */
    const auditIn = (entries: ReadonlyArray<AuditEntry>) =>
      Effect.flatMap(validate(entries), (valid) => appendInTransaction(db, valid))

    /**
     * A new sign-in link for a person, in the caller's transaction, with the mail that delivers it.
     * The secret is made only when the mail is rendered (`mailableLink`), so it is never stored.
     */
    const linkInTransaction = (
      userId: Ids.UserId,
      mail: (linkId: string) => OutboxMessage,
      purpose: LinkPurpose = "token",
    ) =>
      Effect.gen(function* () {
        const linkId = Ids.randomIdBody().slice(0, 16)
        const at = yield* now
        yield* sql`INSERT INTO token_links ${sql.insert({
          id: linkId,
          user_id: userId,
          hash: null,
          created_at: at,
          expires_at: null,
          mailed_at: null,
          consumed_at: null,
          token_id: null,
          purpose,
        })}`
        yield* enqueueInTransaction(db, [mail(linkId)])
        return linkId
      })

    /**
     * Creates a user. Refuses admin together with a case role (unless the `AccountPolicy` allows
     * it) and case roles on a service account. With `signInLink`, a person gets their sign-in
     * link mailed (enqueued in the same transaction); `audit` records are written with the user.
     */
    const createUser = (
      input: NewUser,
      options: {
        readonly signInLink?: ((linkId: string) => OutboxMessage) | undefined
        readonly audit?: ((user: User) => ReadonlyArray<AuditEntry>) | undefined
      } = {},
    ): Effect.Effect<User & { readonly linkId?: string }, AccountError | SqlError | Errors.ValidationError> =>
      Effect.gen(function* () {
        const kind = input.kind ?? "person"
        const installationAdmin = input.installationAdmin ?? false
        const conflict = rolesConflict({ roles: input.roles, kind, installationAdmin }, yield* AccountPolicy)
        if (conflict !== undefined)
          return yield* new AccountError({ reason: "roles-conflict", detail: conflict })
        return yield* db.writeTransaction(
          Effect.gen(function* () {
            const org = yield* sql`SELECT id FROM organisations WHERE id = ${input.organisationId}`
            if (org.length === 0) {
              return yield* new AccountError({
                reason: "organisation-unknown",
                detail: `organisatie ${input.organisationId} bestaat niet`,
              })
            }
            const email = input.email.toLowerCase()
            const taken = yield* sql`SELECT id FROM users WHERE email = ${email}`
            if (taken.length > 0) {
              return yield* new AccountError({
                reason: "email-taken",
                detail: `er is al een gebruiker met ${email}`,
              })
            }
            const id = Ids.newId.user()
            const at = yield* now
            yield* sql`INSERT INTO users ${sql.insert({
              id,
              organisation_id: input.organisationId,
              name: input.name,
              email,
              roles: [...new Set(input.roles)].join(","),
              regions: [...new Set(input.regions)].join(","),
              party_role: input.partyRole,
              active: db.bool(true),
              created_at: at,
              kind,
              installation_admin: db.bool(installationAdmin),
            })}`
            const user: User = {
              id,
              organisationId: input.organisationId,
              name: input.name,
              email,
              roles: [...new Set(input.roles)],
              regions: [...new Set(input.regions)],
              partyRole: input.partyRole,
              active: true,
              kind,
              installationAdmin,
            }
            const linkId =
              options.signInLink !== undefined && kind === "person"
                ? yield* linkInTransaction(id, options.signInLink)
                : undefined
            if (options.audit !== undefined) yield* auditIn(options.audit(user))
            return linkId === undefined ? user : { ...user, linkId }
          }),
        )
      })

    /**
     * The users, or with `within` only those whose every region is one of these (a region admin's
     * reach). Regions are stored as one list per user, so the reach is applied here, in the store.
     */
    const users = (): Effect.Effect<ReadonlyArray<User>, SqlError> =>
      sql`SELECT ${sql.literal(USER_COLUMNS)} FROM users ORDER BY name, id`.pipe(
        rowsOf(UserRow),
        Effect.map((rows) => rows.map(toUser)),
      )

    /**
     * The users who work in `regionId` (any of their regions), by name: the region's staff, read
     * without the rest of the installation's accounts.
     */
    const usersIn = (regionId: Ids.RegionId): Effect.Effect<ReadonlyArray<User>, SqlError> =>
      sql`SELECT ${sql.literal(USER_COLUMNS)} FROM users
        WHERE (',' || regions || ',') LIKE ${`%,${regionId},%`} ORDER BY name, id`.pipe(
        rowsOf(UserRow),
        Effect.map((rows) => rows.map(toUser)),
      )

    /**
     * One page of users by name (then id). With `within`, only users all of whose regions are
     * among them (a region admin's reach), filtered in the query so every page is full.
     */
    const userPage = (
      options: { readonly within?: ReadonlyArray<Ids.RegionId> | undefined } = {},
      page?: PageRequest,
    ): Effect.Effect<Page<User>, SqlError | InvalidCursor> =>
      Effect.gen(function* () {
        const limit = limitOf(page)
        const key = yield* decodeCursor("users", page?.cursor, ["text", "text"])
        const clauses = [
          ...(options.within === undefined ? [] : [regionsWithin(options.within)]),
          ...(key === undefined ? [] : [keysetAfter(sql, ["name", "id"], key, ">")]),
        ]
        const rows = yield* sql`SELECT ${sql.literal(USER_COLUMNS)} FROM users
          WHERE ${clauses.length === 0 ? sql`1=1` : sql.and(clauses)}
          ORDER BY name, id LIMIT ${limit + 1}`.pipe(rowsOf(UserRow))
        return toPage("users", rows, limit, (r) => [r.name, r.id], toUser)
      })

    /**
     * `users.regions` is a comma-separated list of slugs (no commas in a slug). Taking every
     * allowed `,region,` out of `,a,b,` leaves `,` exactly when all of the user's regions are
     * allowed: the same test on SQLite and PostgreSQL, without a split function.
     */
    const regionsWithin = (within: ReadonlyArray<Ids.RegionId>) => {
      let rest = sql`(',' || regions || ',')`
      for (const region of new Set(within)) rest = sql`REPLACE(${rest}, ${`,${region},`}, ',')`
      return sql`${rest} = ','`
    }

    const user = (id: Ids.UserId): Effect.Effect<Option.Option<User>, SqlError> =>
      SqlSchema.findOne({
        Request: Ids.UserId,
        Result: UserRow,
        execute: (userId) => sql`SELECT ${sql.literal(USER_COLUMNS)} FROM users WHERE id = ${userId}`,
      })(id).pipe(Effect.map(Option.map(toUser)), rowsOrDie)

    /** Audit records a change writes in its own transaction, built from the user it concerns. */
    type AuditOf = ((user: User) => ReadonlyArray<AuditEntry>) | undefined

    const lockedUser = SqlSchema.findOne({
      Request: Ids.UserId,
      Result: UserRow,
      execute: (userId) =>
        sql`SELECT ${sql.literal(USER_COLUMNS)} FROM users WHERE id = ${userId}${sql.literal(db.forUpdate)}`,
    })

    /**
     * The user, locked for the change on PostgreSQL. With `reach`, a user beyond it answers as one
     * that does not exist (404, not 403: the account's existence does not leak), checked on the
     * row the change is made to, in its transaction.
     */
    const userInTransaction = (id: Ids.UserId, reach?: Reach) =>
      Effect.flatMap(rowsOrDie(lockedUser(id)), (row) =>
        Option.isSome(row) && (reach === undefined || reach(toUser(row.value)))
          ? Effect.succeed(toUser(row.value))
          : Effect.fail(
              new AccountError({
                reason: "user-unknown",
                detail:
                  reach === undefined
                    ? `gebruiker ${id} bestaat niet`
                    : "Deze gebruiker bestaat niet of valt buiten uw regio's.",
              }),
            ),
      )

    const setActive = (
      id: Ids.UserId,
      active: boolean,
      options: { readonly audit?: AuditOf; readonly reach?: Reach | undefined } = {},
    ): Effect.Effect<User, AccountError | SqlError | Errors.ValidationError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const found = yield* userInTransaction(id, options.reach)
          yield* sql`UPDATE users SET active = ${db.bool(active)} WHERE id = ${id}`
          const user = { ...found, active }
          if (options.audit !== undefined) yield* auditIn(options.audit(user))
          return user
        }),
      )

    /**
     * Gives a user another set of roles, under the same rules as `createUser` (separation of
     * duties, no case roles on a service account); `audit` records are written with the change.
     */
    const setRoles = (
      id: Ids.UserId,
      roles: ReadonlyArray<Access.UserRole>,
      options: { readonly audit?: AuditOf; readonly reach?: Reach | undefined } = {},
    ): Effect.Effect<User, AccountError | SqlError | Errors.ValidationError> =>
      Effect.gen(function* () {
        const policy = yield* AccountPolicy
        return yield* db.writeTransaction(
          Effect.gen(function* () {
            const found = yield* userInTransaction(id, options.reach)
            const unique = [...new Set(roles)]
            const conflict = rolesConflict(
              { roles: unique, kind: found.kind, installationAdmin: found.installationAdmin },
              policy,
            )
            if (conflict !== undefined)
              return yield* new AccountError({ reason: "roles-conflict", detail: conflict })
            yield* sql`UPDATE users SET roles = ${unique.join(",")} WHERE id = ${id}`
            const user = { ...found, roles: unique }
            if (options.audit !== undefined) yield* auditIn(options.audit(user))
            return user
          }),
        )
      })

    const insertToken = (
      userId: Ids.UserId,
      options: { readonly expiresAt?: Timestamp.Timestamp | undefined; readonly label?: string | undefined },
    ) =>
      Effect.gen(function* () {
        const tokenId = Ids.randomIdBody().slice(0, 16)
        const secret = randomBytes(32).toString("base64url")
        const at = yield* now
        yield* sql`INSERT INTO api_tokens ${sql.insert({
          id: tokenId,
          user_id: userId,
          hash: hashSecret(secret).toString("hex"),
          label: options.label ?? null,
          created_at: at,
          expires_at: options.expiresAt ?? null,
          revoked_at: null,
        })}`
        return {
          tokenId,
          token: `vrt_${tokenId}_${secret}`,
          expiresAt: options.expiresAt,
        } satisfies IssuedToken
      })

    /**
     * Mints a token for any user, without the admin rules: for the demo users and tests. Admins go
     * through `issueServiceToken`; people through their sign-in link.
     */
    const issueToken = (
      userId: Ids.UserId,
      options: {
        readonly expiresAt?: Timestamp.Timestamp | undefined
        readonly label?: string | undefined
      } = {},
    ): Effect.Effect<IssuedToken, AccountError | SqlError> =>
      db.writeTransaction(Effect.flatMap(userInTransaction(userId), () => insertToken(userId, options)))

    /**
     * An admin mints a token: only for a service account. A person gets theirs through a sign-in
     * link, so nobody else ever holds it.
     */
    const issueServiceToken = (
      userId: Ids.UserId,
      options: {
        readonly expiresAt?: Timestamp.Timestamp | undefined
        readonly label?: string | undefined
        readonly audit?: ((user: User, tokenId: string) => ReadonlyArray<AuditEntry>) | undefined
        readonly reach?: Reach | undefined
      } = {},
    ): Effect.Effect<
      IssuedToken & { readonly user: User },
      AccountError | SqlError | Errors.ValidationError
    > =>
      db.writeTransaction(
        Effect.gen(function* () {
          const user = yield* userInTransaction(userId, options.reach)
          if (user.kind !== "service") {
            return yield* new AccountError({
              reason: "person-token",
              detail: `${userId} is een persoon: die krijgt een token alleen via een aanmeldlink naar het eigen adres`,
            })
          }
          const issued = yield* insertToken(userId, options)
          if (options.audit !== undefined) yield* auditIn(options.audit(user, issued.tokenId))
          return { ...issued, user }
        }),
      )

    /** The user a token belongs to (revoked or not), to check an admin's reach before revoking. */
    const tokenOwner = (tokenId: string): Effect.Effect<Option.Option<User>, SqlError> =>
      SqlSchema.findOne({
        Request: Schema.String,
        Result: UserRow,
        execute: (id) => sql`SELECT ${sql.literal(
          USER_COLUMNS.split(", ")
            .map((c) => `u.${c}`)
            .join(", "),
        )}
          FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ${id}`,
      })(tokenId).pipe(Effect.map(Option.map(toUser)), rowsOrDie)

    /**
     * Revokes a valid token. With `reach`, a token of a user beyond it answers as one that does not
     * exist, and nothing is written (the check and the revocation share the transaction).
     */
    const revokeToken = (
      tokenId: string,
      options: { readonly audit?: AuditOf; readonly reach?: Reach | undefined } = {},
    ): Effect.Effect<void, AccountError | SqlError | Errors.ValidationError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const at = yield* now
          const unknown = new AccountError({
            reason: "token-unknown",
            detail:
              options.reach === undefined
                ? `geen geldig token ${tokenId}`
                : "Dit token bestaat niet, is al ingetrokken of hoort bij een gebruiker buiten uw regio's.",
          })
          const [owner] = yield* sql`UPDATE api_tokens SET revoked_at = ${at}
            WHERE id = ${tokenId} AND revoked_at IS NULL RETURNING user_id`.pipe(
            rowsOf(Schema.Struct({ user_id: Ids.UserId })),
          )
          if (owner === undefined) return yield* unknown
          if (options.audit === undefined && options.reach === undefined) return
          const user = yield* userInTransaction(owner.user_id)
          // Beyond reach: the failure rolls the revocation back.
          if (options.reach !== undefined && !options.reach(user)) return yield* unknown
          if (options.audit !== undefined) yield* auditIn(options.audit(user))
        }),
      )

    /**
     * Sends a person a (new) sign-in link: the link row and its mail in one transaction. Earlier
     * links that were not used stay valid until they expire.
     */
    const requestSignInLink = (
      userId: Ids.UserId,
      mail: (linkId: string) => OutboxMessage,
      options: {
        readonly audit?: ((user: User, linkId: string) => ReadonlyArray<AuditEntry>) | undefined
        readonly reach?: Reach | undefined
      } = {},
    ): Effect.Effect<
      { readonly linkId: string; readonly user: User },
      AccountError | SqlError | Errors.ValidationError
    > =>
      db.writeTransaction(
        Effect.gen(function* () {
          const user = yield* userInTransaction(userId, options.reach)
          if (user.kind !== "person" || !user.active) {
            return yield* new AccountError({
              reason: "link-not-possible",
              detail:
                user.kind !== "person"
                  ? `${userId} is een serviceaccount: het token geeft de beheerder direct uit`
                  : `${userId} is gedeactiveerd`,
            })
          }
          const linkId = yield* linkInTransaction(userId, mail)
          if (options.audit !== undefined) yield* auditIn(options.audit(user, linkId))
          return { linkId, user }
        }),
      )

    /**
     * Makes the secret of a sign-in link when its mail is rendered: stores its hash and the
     * expiry (`validMs` from now), and returns it for the mail only. Rendering the same link again
     * (a retry) makes a new secret, so only the last mail's link works. A used link, or one of a
     * user who is no longer active, cannot be mailed.
     */
    const mailableLink = (
      linkId: string,
      validMs: number,
      purpose: LinkPurpose = "token",
    ): Effect.Effect<MailableLink, AccountError | SqlError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const [row] = yield* sql<{
            user_id: string
            consumed_at: string | null
          }>`SELECT user_id, consumed_at FROM token_links WHERE id = ${linkId} AND purpose = ${purpose}${sql.literal(db.forUpdate)}`
          if (row === undefined || row.consumed_at !== null) {
            return yield* new AccountError({
              reason: "link-not-possible",
              detail: `aanmeldlink ${linkId} bestaat niet of is al gebruikt`,
            })
          }
          const user = yield* userInTransaction(Ids.UserId.make(row.user_id))
          if (!user.active) {
            return yield* new AccountError({
              reason: "link-not-possible",
              detail: `de gebruiker van aanmeldlink ${linkId} is niet actief`,
            })
          }
          const secret = randomBytes(32).toString("base64url")
          const at = yield* now
          const expiresAt = Timestamp.fromMillis(Date.parse(at) + validMs)
          yield* sql`UPDATE token_links SET hash = ${hashSecret(secret).toString("hex")}, expires_at = ${expiresAt},
            mailed_at = ${at} WHERE id = ${linkId}`
          return { linkId, secret: `vrl_${linkId}_${secret}`, expiresAt, user }
        }),
      )

    /** The row of a link secret, when the secret matches its stored hash (constant-time). */
    const linkRow = (link: string, purpose: LinkPurpose) =>
      Effect.gen(function* () {
        const match = LINK_PATTERN.exec(link)
        if (match === null) return undefined
        const [, linkId, secret] = match as unknown as [string, string, string]
        const [row] = yield* sql<{
          id: string
          user_id: string
          hash: string | null
          expires_at: string | null
          consumed_at: string | null
        }>`SELECT id, user_id, hash, expires_at, consumed_at FROM token_links WHERE id = ${linkId} AND purpose = ${purpose}`
        if (row === undefined || row.hash === null) return undefined
        const expected = Buffer.from(row.hash, "hex")
        const actual = hashSecret(secret)
        if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined
        return row
      })

    const stateOf = (
      row: { readonly expires_at: string | null; readonly consumed_at: string | null } | undefined,
      at: string,
    ): LinkState =>
      row === undefined
        ? "unknown"
        : row.consumed_at !== null
          ? "used"
          : row.expires_at === null || new Date(row.expires_at).getTime() <= Date.parse(at)
            ? "expired"
            : "valid"

    /** What a link is now (for the page that opens it); reading does not use it up. */
    const linkState = (link: string, purpose: LinkPurpose = "token"): Effect.Effect<LinkState, SqlError> =>
      Effect.gen(function* () {
        const row = yield* linkRow(link, purpose)
        return stateOf(row, yield* now)
      })

    /**
     * Uses a sign-in link: marks it consumed (atomically: of two simultaneous uses one wins) and
     * mints the person's token in the same transaction, with the audit records of `audit`.
     */
    const redeemLink = (
      link: string,
      options: {
        readonly label?: string | undefined
        readonly audit?: ((user: User, tokenId: string) => ReadonlyArray<AuditEntry>) | undefined
      } = {},
    ): Effect.Effect<
      | { readonly _tag: "Redeemed"; readonly redeemed: RedeemedLink }
      | { readonly _tag: Exclude<LinkState, "valid"> },
      SqlError | Errors.ValidationError
    > =>
      db
        .writeTransaction(
          Effect.gen(function* () {
            const row = yield* linkRow(link, "token")
            const at = yield* now
            const state = stateOf(row, at)
            if (row === undefined || state !== "valid") return { _tag: state as Exclude<LinkState, "valid"> }
            const claimed =
              yield* sql`UPDATE token_links SET consumed_at = ${at} WHERE id = ${row.id} AND consumed_at IS NULL RETURNING id`
            if (claimed.length === 0) return { _tag: "used" as const }
            const user = yield* userInTransaction(Ids.UserId.make(row.user_id))
            if (!user.active) return { _tag: "unknown" as const }
            const issued = yield* insertToken(user.id, { label: options.label })
            yield* sql`UPDATE token_links SET token_id = ${issued.tokenId} WHERE id = ${row.id}`
            if (options.audit !== undefined) yield* auditIn(options.audit(user, issued.tokenId))
            return { _tag: "Redeemed" as const, redeemed: { user, issued } }
          }),
        )
        .pipe(
          // An inactive user's link answers as unknown; nothing of it was written.
          Effect.catchTag("AccountError", () => Effect.succeed({ _tag: "unknown" as const })),
        )

    /**
     * Asks for a web sign-in link by e-mail address: when an active person has that address, the
     * link row and its mail in one transaction (with the audit records of `audit`); otherwise
     * nothing is written and the answer is none. The caller answers the same either way.
     */
    const requestSessionLink = (
      email: string,
      mail: (linkId: string) => OutboxMessage,
      options: {
        readonly audit?: ((user: User, linkId: string) => ReadonlyArray<AuditEntry>) | undefined
      } = {},
    ): Effect.Effect<
      Option.Option<{ readonly linkId: string; readonly user: User }>,
      SqlError | Errors.ValidationError
    > =>
      db.writeTransaction(
        Effect.gen(function* () {
          const [row] = yield* sql`SELECT ${sql.literal(USER_COLUMNS)} FROM users
            WHERE email = ${email.trim().toLowerCase()}`.pipe(rowsOf(UserRow))
          if (row === undefined) return Option.none()
          const user = toUser(row)
          if (user.kind !== "person" || Option.isNone(acting(user, yield* AccountPolicy)))
            return Option.none()
          const linkId = yield* linkInTransaction(user.id, mail, "session")
          if (options.audit !== undefined) yield* auditIn(options.audit(user, linkId))
          return Option.some({ linkId, user })
        }),
      )

    /**
     * Uses a web sign-in link: marks it consumed (of two simultaneous uses one wins) and answers
     * the person as they may act now. Run it in the transaction that starts the session, so a
     * failed start leaves the link unused.
     */
    const consumeSessionLink = (
      link: string,
    ): Effect.Effect<
      | { readonly _tag: "Consumed"; readonly linkId: string; readonly user: User }
      | { readonly _tag: Exclude<LinkState, "valid"> },
      SqlError
    > =>
      db.writeTransaction(
        Effect.gen(function* () {
          const row = yield* linkRow(link, "session")
          const at = yield* now
          const state = stateOf(row, at)
          if (row === undefined || state !== "valid") return { _tag: state as Exclude<LinkState, "valid"> }
          const claimed =
            yield* sql`UPDATE token_links SET consumed_at = ${at} WHERE id = ${row.id} AND consumed_at IS NULL RETURNING id`
          if (claimed.length === 0) return { _tag: "used" as const }
          const found = yield* user(Ids.UserId.make(row.user_id))
          const actingUser = Option.flatMap(found, (u) =>
            u.kind === "person" ? Option.some(u) : Option.none<User>(),
          )
          if (Option.isNone(actingUser)) return { _tag: "unknown" as const }
          const policy = yield* AccountPolicy
          const allowed = acting(actingUser.value, policy)
          if (Option.isNone(allowed)) return { _tag: "unknown" as const }
          return { _tag: "Consumed" as const, linkId: row.id, user: allowed.value }
        }),
      )

    const tokens = (userId?: Ids.UserId): Effect.Effect<ReadonlyArray<TokenInfo>, SqlError> =>
      (userId === undefined
        ? sql`SELECT id, user_id, label, created_at, expires_at, revoked_at FROM api_tokens ORDER BY created_at`
        : sql`SELECT id, user_id, label, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = ${userId} ORDER BY created_at`
      ).pipe(
        rowsOf(TokenRow),
        Effect.map((rows) => rows.map(toTokenInfo)),
      )

    /** One page of tokens (of one user, or all) in the order they were issued. */
    const tokenPage = (
      userId: Ids.UserId | undefined,
      page?: PageRequest,
    ): Effect.Effect<Page<TokenInfo>, SqlError | InvalidCursor> =>
      Effect.gen(function* () {
        const limit = limitOf(page)
        const key = yield* decodeCursor("tokens", page?.cursor, ["timestamp", "text"])
        const clauses = [
          ...(userId === undefined ? [] : [sql`user_id = ${userId}`]),
          ...(key === undefined ? [] : [keysetAfter(sql, ["created_at", "id"], key, ">")]),
        ]
        const rows = yield* sql`SELECT id, user_id, label, created_at, expires_at, revoked_at
          FROM api_tokens WHERE ${clauses.length === 0 ? sql`1=1` : sql.and(clauses)}
          ORDER BY created_at, id LIMIT ${limit + 1}`.pipe(rowsOf(TokenRow))
        return toPage("tokens", rows, limit, (r) => [r.created_at, r.id], toTokenInfo)
      })

    /**
     * The user a bearer token belongs to, when the token is well-formed, known, unexpired and
     * unrevoked, with the roles they may use (see the separation of duties below).
     */
    const authenticate = (token: string): Effect.Effect<Option.Option<Authenticated>, SqlError> =>
      Effect.gen(function* () {
        const match = TOKEN_PATTERN.exec(token)
        if (match === null) return Option.none()
        const [, tokenId, secret] = match as unknown as [string, string, string]
        const rows = yield* sql`
          SELECT u.id, u.organisation_id, u.name, u.email, u.roles, u.regions, u.party_role, u.active, u.kind, u.installation_admin, t.hash, t.expires_at, t.revoked_at
          FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.id = ${tokenId}`.pipe(rowsOf(AuthenticationRow))
        const row = rows[0]
        if (row === undefined) return Option.none()
        const expected = Buffer.from(row.hash, "hex")
        const actual = hashSecret(secret)
        if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return Option.none()
        const at = yield* now
        if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= at)) return Option.none()
        return Option.map(acting(toUser(row), yield* AccountPolicy), (user) => ({ user, tokenId }))
      })

    const countUsers = (): Effect.Effect<number, SqlError> =>
      sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM users`.pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))

    return {
      createOrganisation,
      organisations,
      organisationPage,
      createUser,
      users,
      usersIn,
      userPage,
      user,
      setActive,
      setRoles,
      issueToken,
      issueServiceToken,
      tokenOwner,
      revokeToken,
      requestSignInLink,
      mailableLink,
      linkState,
      redeemLink,
      requestSessionLink,
      consumeSessionLink,
      tokens,
      tokenPage,
      authenticate,
      countUsers,
    } as const
  }),
}) {}

/**
 * One organisation per BRIN code (migration 14): DUO gives each school its own, and the Inspectie
 * overview counts per code. Fails on a database that holds twins already: give one of them its
 * right code first (`SELECT brin, id, name FROM organisations WHERE brin IN (SELECT brin FROM
 * organisations GROUP BY brin HAVING count(*) > 1)`), see docs/storage.md.
 */
export const organisationBrinUniqueMigration = {
  sqlite: ["CREATE UNIQUE INDEX organisations_brin_idx ON organisations (brin)"],
  pg: ["CREATE UNIQUE INDEX organisations_brin_idx ON organisations (brin)"],
} as const

/** Schools get their BRIN code, for the Inspectie overview (migration 3). */
export const organisationBrinMigration = {
  sqlite: ["ALTER TABLE organisations ADD COLUMN brin TEXT"],
  pg: ["ALTER TABLE organisations ADD COLUMN brin TEXT"],
} as const

/** The migration that adds the accounts tables (appended to the store's migrations). */
export const accountsMigration = {
  sqlite: [
    "CREATE TABLE organisations (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE TABLE users (id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL REFERENCES organisations(id), name TEXT NOT NULL, email TEXT NOT NULL, roles TEXT NOT NULL, regions TEXT NOT NULL, party_role TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL)",
    "CREATE UNIQUE INDEX users_email_idx ON users (email)",
    "CREATE TABLE api_tokens (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), hash TEXT NOT NULL, label TEXT, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT)",
    "CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)",
  ],
  pg: [
    "CREATE TABLE organisations (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, created_at timestamptz NOT NULL)",
    "CREATE TABLE users (id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL REFERENCES organisations(id), name TEXT NOT NULL, email TEXT NOT NULL, roles TEXT NOT NULL, regions TEXT NOT NULL, party_role TEXT NOT NULL, active BOOLEAN NOT NULL DEFAULT TRUE, created_at timestamptz NOT NULL)",
    "CREATE UNIQUE INDEX users_email_idx ON users (email)",
    "CREATE TABLE api_tokens (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), hash TEXT NOT NULL, label TEXT, created_at timestamptz NOT NULL, expires_at timestamptz, revoked_at timestamptz)",
    "CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)",
  ],
} as const

/** Migration 20: what a sign-in link opens (`LinkPurpose`); the links before it showed a token. */
export const linkPurposeMigration = {
  sqlite: [
    "ALTER TABLE token_links ADD COLUMN purpose TEXT NOT NULL DEFAULT 'token' CHECK (purpose IN ('token', 'session'))",
  ],
  pg: [
    "ALTER TABLE token_links ADD COLUMN purpose TEXT NOT NULL DEFAULT 'token' CHECK (purpose IN ('token', 'session'))",
  ],
} as const

/**
 * Separation of duties (migration 7): people and service accounts, installation admins, and the
 * one-time sign-in links that deliver a person's token (only the secret's hash is stored).
 */
export const separationOfDutiesMigration = {
  sqlite: [
    "ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'service'))",
    "ALTER TABLE users ADD COLUMN installation_admin INTEGER NOT NULL DEFAULT 0",
    "CREATE TABLE token_links (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), hash TEXT, created_at TEXT NOT NULL, expires_at TEXT, mailed_at TEXT, consumed_at TEXT, token_id TEXT)",
    "CREATE INDEX token_links_user_idx ON token_links (user_id)",
  ],
  pg: [
    "ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'service'))",
    "ALTER TABLE users ADD COLUMN installation_admin BOOLEAN NOT NULL DEFAULT FALSE",
    "CREATE TABLE token_links (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), hash TEXT, created_at timestamptz NOT NULL, expires_at timestamptz, mailed_at timestamptz, consumed_at timestamptz, token_id TEXT)",
    "CREATE INDEX token_links_user_idx ON token_links (user_id)",
  ],
} as const
