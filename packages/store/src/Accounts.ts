/**
 * Organisations, users and API tokens. A user belongs to one organisation and one or more regions
 * and holds one or more roles. A token is shown once: the store keeps only its SHA-256 hash (the
 * secret is 256 random bits, so a fast hash is enough), it can expire and be revoked.
 *
 * Token format: `vrt_<tokenId>_<secret>` — the id finds the row, the secret is compared in
 * constant time against the stored hash.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import type { SqlError } from "@effect/sql/SqlError"
import { Access, Ids, Organisation, Party, Text, type Timestamp } from "@verzuimregie/domain"
import { Effect, Option, Schema } from "effect"
import { Database, now } from "./internal/service.js"

export class AccountError extends Schema.TaggedError<AccountError>()("AccountError", {
  reason: Schema.Literal("organisation-unknown", "user-unknown", "email-taken", "token-unknown", "invalid"),
  detail: Schema.String,
}) {
  override get message(): string {
    return this.detail
  }
}

export const NewOrganisation = Schema.Struct({
  name: Text.ShortText,
  kind: Organisation.OrganisationKind,
  /** A school's BRIN code (DUO), for the Inspectie overview. */
  brin: Schema.optionalWith(Organisation.Brin, { exact: true }),
})
export type NewOrganisation = typeof NewOrganisation.Type

export const NewUser = Schema.Struct({
  organisationId: Ids.OrganisationId,
  name: Text.ShortText,
  email: Text.Email,
  roles: Schema.NonEmptyArray(Access.UserRole),
  regions: Schema.NonEmptyArray(Ids.RegionId),
  /** The user's professional role, as case events record who acted (`smw-verzuim`, `mentor`…). */
  partyRole: Schema.optionalWith(Party.PartyRole, { exact: true, default: () => "overig" as const }),
})
export type NewUser = typeof NewUser.Type

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

const hashSecret = (secret: string): Buffer => createHash("sha256").update(secret, "utf8").digest()

const list = (value: unknown): Array<string> =>
  typeof value === "string" && value !== "" ? value.split(",") : []

interface UserRow {
  readonly id: string
  readonly organisation_id: string
  readonly name: string
  readonly email: string
  readonly roles: string
  readonly regions: string
  readonly party_role: string
  readonly active: unknown
}

const toUser = (row: UserRow): User => ({
  id: row.id as Ids.UserId,
  organisationId: row.organisation_id as Ids.OrganisationId,
  name: row.name,
  email: row.email,
  roles: list(row.roles) as Array<Access.UserRole>,
  regions: list(row.regions) as Array<Ids.RegionId>,
  partyRole: row.party_role as Party.PartyRole,
  active: row.active === true || row.active === 1 || row.active === "1",
})

export class Accounts extends Effect.Service<Accounts>()("@verzuimregie/store/Accounts", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const { sql } = db

    const createOrganisation = (input: NewOrganisation): Effect.Effect<OrganisationRow, SqlError> =>
      Effect.gen(function* () {
        const id = Ids.newId.organisation()
        const at = yield* now
        yield* db.writeTransaction(
          sql`INSERT INTO organisations ${sql.insert({ id, name: input.name, kind: input.kind, brin: input.brin ?? null, created_at: at })}`,
        )
        return {
          id,
          name: input.name,
          kind: input.kind,
          ...(input.brin === undefined ? {} : { brin: input.brin }),
        }
      })

    const organisations = (): Effect.Effect<ReadonlyArray<OrganisationRow>, SqlError> =>
      sql<{
        id: string
        name: string
        kind: string
        brin: string | null
      }>`SELECT id, name, kind, brin FROM organisations ORDER BY name`.pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            id: r.id as Ids.OrganisationId,
            name: r.name,
            kind: r.kind as Organisation.OrganisationKind,
            ...(r.brin === null ? {} : { brin: r.brin as Organisation.Brin }),
          })),
        ),
      )

    const createUser = (input: NewUser): Effect.Effect<User, AccountError | SqlError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const org = yield* sql`SELECT id FROM organisations WHERE id = ${input.organisationId}`
          if (org.length === 0) {
            return yield* new AccountError({
              reason: "organisation-unknown",
              detail: `organisation ${input.organisationId} does not exist`,
            })
          }
          const email = input.email.toLowerCase()
          const taken = yield* sql`SELECT id FROM users WHERE email = ${email}`
          if (taken.length > 0) {
            return yield* new AccountError({
              reason: "email-taken",
              detail: `a user with ${email} exists already`,
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
          })}`
          return {
            id,
            organisationId: input.organisationId,
            name: input.name,
            email,
            roles: [...new Set(input.roles)],
            regions: [...new Set(input.regions)],
            partyRole: input.partyRole,
            active: true,
          }
        }),
      )

    const users = (): Effect.Effect<ReadonlyArray<User>, SqlError> =>
      sql<UserRow>`SELECT id, organisation_id, name, email, roles, regions, party_role, active FROM users ORDER BY name, id`.pipe(
        Effect.map((rows) => rows.map(toUser)),
      )

    const user = (id: Ids.UserId): Effect.Effect<Option.Option<User>, SqlError> =>
      sql<UserRow>`SELECT id, organisation_id, name, email, roles, regions, party_role, active FROM users WHERE id = ${id}`.pipe(
        Effect.map((rows) => Option.fromNullable(rows[0]).pipe(Option.map(toUser))),
      )

    const setActive = (id: Ids.UserId, active: boolean): Effect.Effect<void, AccountError | SqlError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const rows = yield* sql`UPDATE users SET active = ${db.bool(active)} WHERE id = ${id} RETURNING id`
          if (rows.length === 0)
            return yield* new AccountError({ reason: "user-unknown", detail: `user ${id} does not exist` })
        }),
      )

    const issueToken = (
      userId: Ids.UserId,
      options: {
        readonly expiresAt?: Timestamp.Timestamp | undefined
        readonly label?: string | undefined
      } = {},
    ): Effect.Effect<IssuedToken, AccountError | SqlError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const found = yield* sql`SELECT id FROM users WHERE id = ${userId}`
          if (found.length === 0) {
            return yield* new AccountError({
              reason: "user-unknown",
              detail: `user ${userId} does not exist`,
            })
          }
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
          return { tokenId, token: `vrt_${tokenId}_${secret}`, expiresAt: options.expiresAt }
        }),
      )

    const revokeToken = (tokenId: string): Effect.Effect<void, AccountError | SqlError> =>
      db.writeTransaction(
        Effect.gen(function* () {
          const at = yield* now
          const rows =
            yield* sql`UPDATE api_tokens SET revoked_at = ${at} WHERE id = ${tokenId} AND revoked_at IS NULL RETURNING id`
          if (rows.length === 0) {
            return yield* new AccountError({ reason: "token-unknown", detail: `no active token ${tokenId}` })
          }
        }),
      )

    const tokens = (userId?: Ids.UserId): Effect.Effect<ReadonlyArray<TokenInfo>, SqlError> =>
      (userId === undefined
        ? sql<
            Record<string, string | null>
          >`SELECT id, user_id, label, created_at, expires_at, revoked_at FROM api_tokens ORDER BY created_at`
        : sql<
            Record<string, string | null>
          >`SELECT id, user_id, label, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = ${userId} ORDER BY created_at`
      ).pipe(
        Effect.map((rows) =>
          rows.map((r) => ({
            tokenId: String(r.id),
            userId: String(r.user_id) as Ids.UserId,
            label: r.label ?? undefined,
            createdAt: String(r.created_at),
            expiresAt: r.expires_at ?? undefined,
            revokedAt: r.revoked_at ?? undefined,
          })),
        ),
      )

    /** The user a bearer token belongs to, when the token is well-formed, known, unexpired and unrevoked. */
    const authenticate = (token: string): Effect.Effect<Option.Option<Authenticated>, SqlError> =>
      Effect.gen(function* () {
        const match = TOKEN_PATTERN.exec(token)
        if (match === null) return Option.none()
        const [, tokenId, secret] = match as unknown as [string, string, string]
        const rows = yield* sql<
          UserRow & { hash: string; expires_at: string | null; revoked_at: string | null }
        >`
          SELECT u.id, u.organisation_id, u.name, u.email, u.roles, u.regions, u.party_role, u.active, t.hash, t.expires_at, t.revoked_at
          FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.id = ${tokenId}`
        const row = rows[0]
        if (row === undefined) return Option.none()
        const expected = Buffer.from(row.hash, "hex")
        const actual = hashSecret(secret)
        if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return Option.none()
        const at = yield* now
        if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= at)) return Option.none()
        const user = toUser(row)
        return user.active ? Option.some({ user, tokenId }) : Option.none()
      })

    const countUsers = (): Effect.Effect<number, SqlError> =>
      sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM users`.pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))

    return {
      createOrganisation,
      organisations,
      createUser,
      users,
      user,
      setActive,
      issueToken,
      revokeToken,
      tokens,
      authenticate,
      countUsers,
    } as const
  }),
}) {}

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
