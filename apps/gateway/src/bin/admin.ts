#!/usr/bin/env node
/**
 * verzuimregie-admin: organisations, users and API tokens, and the mail outbox's dead letters, on
 * the same database as the gateway (DATABASE_URL / DATA_DIR). `token create` prints the token alone
 * on stdout, so a script can capture it; everything else goes to stderr.
 *
 * The same rules as the API: an admin holds no case role (unless ALLOW_ADMIN_WITH_CASE_ROLES=on),
 * a person gets their token only through a sign-in link mailed to their own address, and tokens
 * are minted directly only for service accounts. Every command is audited like the API (see
 * `cliAudit`): the actor is the operating-system user who ran it. Parsing, `--help`, errors and
 * exit codes come from `@verzuimregie/cli`.
 */
import { Cli } from "@verzuimregie/cli"
import { Decode, Ids } from "@verzuimregie/domain"
import { Messages } from "@verzuimregie/mail"
import { Accounts, AuditLog, Database, type Pagination, Store } from "@verzuimregie/store"
import { Effect, Either, Layer, Schema } from "effect"
import { expiryOf, RolesRequest, TokenRequest } from "../api/admin.js"
import { type CliAudit, cliAudit } from "../CliAudit.js"
import { configFile, loadConfig } from "../config.js"
import * as MailAdmin from "../MailAdmin.js"

const ENVIRONMENT = `Database: DATABASE_URL (postgres://…) of DATA_DIR (standaard ./data), net als de gateway.
Regio's: REGIONS_FILE (standaard config/regions.yaml); een gebruiker krijgt alleen regio's die daarin staan.
Elke opdracht komt in de toegangslog, op naam van de gebruiker van het besturingssysteem.`

const LISTS = `Een lijst toont één pagina (standaard 50, hoogstens 500 regels), net als de API; staat er meer,
dan noemt de laatste regel op stderr de --cursor voor de volgende pagina.`

/** The command-line flag of a schema field, where it is not the field's own name. */
const FLAGS: Record<string, string> = {
  organisationId: "org",
  partyRole: "party-role",
  roles: "role",
  regions: "region",
  installationAdmin: "installation-admin",
  expiresInDays: "expires-days",
}

/** `roles[0]` → `--role`: a problem is named by the option the operator typed. */
const flagOf = (path: string): string => {
  const head = path.split(/[.[]/)[0] ?? ""
  return `--${FLAGS[head] ?? head}`
}

/** Decodes with the API's schema; every problem names its option (exit 2). */
const decode = <A, I>(schema: Schema.Schema<A, I, never>, input: unknown) =>
  Either.match(Decode.decodeUnknown(schema, "opdracht")(input), {
    onLeft: (error) =>
      Effect.fail(
        new Cli.UsageError({
          message: error.issues
            .map((i) => (i.path === "" ? i.message : `${flagOf(i.path)}: ${i.message}`))
            .join("\n"),
        }),
      ),
    onRight: Effect.succeed,
  })

// Options several commands share.
const userOption = Cli.option("user", Ids.UserId, {
  placeholder: "<user-id>",
  description: "de gebruiker (zie user list)",
  expected: "een gebruikers-id zoals user_0a1b2c3d4e5f6g7h",
})
const roleOption = Cli.text("role", {
  placeholder: "<rol>[,<rol>]",
  description: "rollen: referrer, case-worker, coordinator, admin (een beheerder heeft geen casusrol)",
})
const pageOptions = {
  limit: Cli.optional(
    Cli.option("limit", Cli.Integer({ min: 1, max: 500 }), {
      placeholder: "<n>",
      description: "regels per pagina (standaard 50)",
      expected: "een geheel getal van 1 tot en met 500",
    }),
  ),
  cursor: Cli.optional(
    Cli.option("cursor", Schema.String.pipe(Schema.maxLength(500)), {
      placeholder: "<cursor>",
      description: "de volgende pagina, zoals de vorige lijst die op stderr noemde",
      expected: "een cursor van hoogstens 500 tekens",
    }),
  ),
}
const pageOf = (o: {
  readonly limit: number | undefined
  readonly cursor: string | undefined
}): Pagination.PageRequest => ({
  ...(o.limit === undefined ? {} : { limit: o.limit }),
  ...(o.cursor === undefined ? {} : { cursor: o.cursor }),
})
/** Where a list goes on: the cursor of the next page, on stderr (stdout holds only rows). */
const nextPage = (nextCursor: string | null) =>
  Effect.sync(() => {
    if (nextCursor !== null) process.stderr.write(`er is meer: volgende pagina met --cursor ${nextCursor}\n`)
  })
const say = (line: string) => Effect.sync(() => process.stderr.write(`${line}\n`))
const print = (line: string) => Effect.sync(() => process.stdout.write(`${line}\n`))

type Services = Store.Services | Database.Database | Accounts.AccountPolicy

/**
 * Runs one command's work on the store, with its audit identity; the store's refusals that are
 * input errors are named by their option (exit 2), an unreachable database is exit 3.
 */
const inStore = <A>(command: string, work: (audit: CliAudit) => Effect.Effect<A, unknown, Services>) =>
  Effect.gen(function* () {
    const db = Database.fromEnvironment(process.env)
    if (Either.isLeft(db)) return yield* new Cli.UsageError({ message: db.left.message })
    const policy = Accounts.policyFromEnvironment(process.env)
    if (typeof policy === "string") return yield* new Cli.UsageError({ message: policy })
    return yield* work(cliAudit(command)).pipe(
      Effect.provide(Layer.merge(Store.layer(db.right), Layer.succeed(Accounts.AccountPolicy, policy))),
    )
  }).pipe(
    Effect.mapError((error: unknown) => {
      const tag = (error as { _tag?: unknown } | undefined)?._tag
      // A cursor from another list, or edited: an input error too, named by its flag.
      if (tag === "InvalidCursor")
        return new Cli.UsageError({
          message: "--cursor: onbekende of verlopen cursor; begin opnieuw zonder --cursor",
        })
      // Roles that cannot go together are an input error: named by their flag, like the others.
      if (Accounts.isRolesConflict(error)) return new Cli.UsageError({ message: `--role: ${error.detail}` })
      // So is a BRIN code another organisation has already.
      if (error instanceof Accounts.AccountError && error.reason === "brin-taken")
        return new Cli.UsageError({ message: `--brin: ${error.detail}` })
      if (tag === "DatabaseUnavailable") return new Cli.Unavailable({ message: (error as Error).message })
      return error
    }),
  )

const searched = (audit: CliAudit, type: string) =>
  Effect.flatMap(AuditLog.AuditLog, (log) => log.append(audit.entries("search", { type }, { regions: [] })))

const org = Cli.group("org", {
  summary: "organisaties",
  commands: [
    Cli.command("create", {
      summary: "maakt een organisatie aan; drukt haar id af op stdout",
      details:
        "Soorten: school, gemeente, ggd, samenwerkingsverband, schoolmaatschappelijk-werk, zorgaanbieder,\nonderwijsloket, regioloket, overig. Een BRIN-code is van één organisatie.",
      options: {
        name: Cli.text("name", { placeholder: "<naam>", description: "naam van de organisatie" }),
        kind: Cli.text("kind", {
          placeholder: "<soort>",
          description: "soort organisatie, bijvoorbeeld school",
        }),
        brin: Cli.optional(
          Cli.text("brin", {
            placeholder: "<BRIN-code>",
            description: "BRIN-code van een school, bijvoorbeeld 12AB",
          }),
        ),
      },
      run: (o) =>
        inStore("org create", (audit) =>
          Effect.gen(function* () {
            const input = yield* decode(Accounts.NewOrganisation, {
              name: o.name,
              kind: o.kind,
              ...(o.brin === undefined ? {} : { brin: o.brin }),
            })
            const accounts = yield* Accounts.Accounts
            const created = yield* accounts.createOrganisation(input)
            yield* Effect.flatMap(AuditLog.AuditLog, (log) =>
              log.append(audit.entries("create", { type: "organisation", id: created.id }, { regions: [] })),
            )
            yield* say("organisatie aangemaakt")
            yield* print(created.id)
          }),
        ),
    }),
    Cli.command("list", {
      summary: "toont de organisaties: id, soort, BRIN-code, naam",
      details: LISTS,
      options: pageOptions,
      run: (o) =>
        inStore("org list", (audit) =>
          Effect.gen(function* () {
            const page = yield* Effect.flatMap(Accounts.Accounts, (a) => a.organisationPage(pageOf(o)))
            yield* searched(audit, "organisation")
            for (const x of page.items) yield* print(`${x.id}\t${x.kind}\t${x.brin ?? "-"}\t${x.name}`)
            yield* nextPage(page.nextCursor)
          }),
        ),
    }),
  ],
})

const user = Cli.group("user", {
  summary: "gebruikers",
  commands: [
    Cli.command("create", {
      summary: "maakt een gebruiker aan; drukt het id af op stdout",
      details:
        "Een persoon (standaard) krijgt een aanmeldlink op het eigen adres en ziet daar zijn token;\neen serviceaccount krijgt een token met token create. Een beheerder (admin) en een serviceaccount\nhebben geen casusrol (case-worker, coordinator).",
      options: {
        org: Cli.text("org", { placeholder: "<org-id>", description: "de organisatie (zie org list)" }),
        name: Cli.text("name", { placeholder: "<naam>", description: "naam van de gebruiker" }),
        email: Cli.text("email", {
          placeholder: "<adres>",
          description: "e-mailadres (voor de aanmeldlink)",
        }),
        role: roleOption,
        region: Cli.text("region", {
          placeholder: "<regio>[,<regio>]",
          description: "regio's uit de regioconfiguratie",
        }),
        partyRole: Cli.optional(
          Cli.text("party-role", {
            placeholder: "<rol in casussen>",
            description: "de rol van deze gebruiker in casussen, bijvoorbeeld smw-verzuim",
          }),
        ),
        kind: Cli.optional(
          Cli.option("kind", Cli.oneOf("person", "service"), {
            placeholder: "person|service",
            description: "een persoon (standaard) of een serviceaccount",
            expected: "person of service",
          }),
        ),
        installationAdmin: Cli.flag("installation-admin", "beheerder van de hele installatie"),
      },
      run: (o) =>
        inStore("user create", (audit) =>
          Effect.gen(function* () {
            const input = yield* decode(Accounts.NewUser, {
              organisationId: o.org,
              name: o.name,
              email: o.email,
              roles: Schema.decodeSync(Cli.CommaList)(o.role),
              regions: Schema.decodeSync(Cli.CommaList)(o.region),
              ...(o.partyRole === undefined ? {} : { partyRole: o.partyRole }),
              ...(o.kind === undefined ? {} : { kind: o.kind }),
              ...(o.installationAdmin ? { installationAdmin: true } : {}),
            })
            // The same check as the API: a region this installation does not run is a typo.
            const config = yield* Effect.promise(() => loadConfig(configFile(process.env)))
            if (Either.isLeft(config))
              return yield* new Cli.Failed({ message: `regio's niet te controleren: ${config.left.message}` })
            const known = new Set(config.right.regions.map((r) => r.region.id as string))
            const unknown = input.regions.filter((id) => !known.has(id))
            if (unknown.length > 0)
              return yield* new Cli.UsageError({
                message: `--region: onbekende regio ${unknown.join(", ")}; deze installatie kent ${[...known].join(", ")}`,
              })
            const accounts = yield* Accounts.Accounts
            const created = yield* accounts.createUser(input, {
              signInLink: (linkId) => Messages.signInLink(linkId),
              audit: (u) =>
                audit.entries("create", { type: "user", id: u.id }, u, `${u.kind}:${u.roles.join("-")}`),
            })
            yield* say(
              created.kind === "person"
                ? `gebruiker aangemaakt; de aanmeldlink gaat per e-mail naar ${created.email} (de mailworker van de gateway verstuurt hem)`
                : "serviceaccount aangemaakt; maak een token met: token create --user <user-id>",
            )
            yield* print(created.id)
          }),
        ),
    }),
    Cli.command("list", {
      summary: "toont de gebruikers: id, actief, soort, rollen, regio's, naam en adres",
      details: LISTS,
      options: pageOptions,
      run: (o) =>
        inStore("user list", (audit) =>
          Effect.gen(function* () {
            const page = yield* Effect.flatMap(Accounts.Accounts, (a) => a.userPage({}, pageOf(o)))
            yield* searched(audit, "user")
            for (const u of page.items) {
              const kind =
                u.kind === "service" ? "service" : u.installationAdmin ? "installatiebeheerder" : "persoon"
              yield* print(
                `${u.id}\t${u.active ? "actief" : "inactief"}\t${kind}\t${u.roles.join(",")}\t${u.regions.join(",")}\t${u.name} <${u.email}>`,
              )
            }
            yield* nextPage(page.nextCursor)
          }),
        ),
    }),
    Cli.command("deactivate", {
      summary: "zet een gebruiker uit; zijn tokens werken niet meer",
      options: { user: userOption },
      run: (o) =>
        inStore("user deactivate", (audit) =>
          Effect.gen(function* () {
            const accounts = yield* Accounts.Accounts
            yield* accounts.setActive(o.user, false, {
              audit: (u) => audit.entries("update", { type: "user", id: u.id }, u, "deactivate"),
            })
            yield* say("gebruiker gedeactiveerd; tokens werken niet meer")
          }),
        ),
    }),
    Cli.command("roles", {
      summary: "vervangt de rollen van een gebruiker, met dezelfde regels als user create",
      options: { user: userOption, role: roleOption },
      run: (o) =>
        inStore("user roles", (audit) =>
          Effect.gen(function* () {
            const { roles } = yield* decode(RolesRequest, { roles: Schema.decodeSync(Cli.CommaList)(o.role) })
            const accounts = yield* Accounts.Accounts
            const changed = yield* accounts.setRoles(o.user, roles, {
              audit: (u) =>
                audit.entries("update", { type: "user", id: u.id }, u, `roles:${u.roles.join("-")}`),
            })
            yield* say(`rollen gewijzigd: ${changed.roles.join(",")}`)
          }),
        ),
    }),
  ],
})

const token = Cli.group("token", {
  summary: "API-tokens en aanmeldlinks",
  commands: [
    Cli.command("create", {
      summary:
        "geeft een serviceaccount een token; drukt alleen het token af op stdout (eenmalig; bewaar het veilig)",
      details: "Een persoon krijgt een token alleen via een aanmeldlink: token link.",
      options: {
        user: userOption,
        label: Cli.optional(
          Cli.text("label", { placeholder: "<tekst>", description: "waarvoor het token is" }),
        ),
        expiresDays: Cli.optional(
          Cli.option("expires-days", Cli.Integer(), {
            placeholder: "<n>",
            description: "geldig voor zoveel dagen (hoogstens 730)",
            expected: "een geheel getal (dagen)",
          }),
        ),
      },
      run: (o) =>
        inStore("token create", (audit) =>
          Effect.gen(function* () {
            // The same request, checks and expiry as POST /admin/users/{userId}/tokens.
            const request = yield* decode(TokenRequest, {
              ...(o.label === undefined ? {} : { label: o.label }),
              ...(o.expiresDays === undefined ? {} : { expiresInDays: o.expiresDays }),
            })
            const accounts = yield* Accounts.Accounts
            const issued = yield* accounts.issueServiceToken(o.user, {
              label: request.label,
              expiresAt: expiryOf(request.expiresInDays),
              audit: (u, tokenId) => audit.entries("create", { type: "token", id: `tok_${tokenId}` }, u),
            })
            yield* say(
              `token ${issued.tokenId} uitgegeven${issued.expiresAt ? `, geldig tot ${issued.expiresAt}` : ""}`,
            )
            yield* print(issued.token)
          }),
        ),
    }),
    Cli.command("link", {
      summary: "stuurt een persoon een nieuwe aanmeldlink (eenmalig, kort geldig) naar het eigen adres",
      options: { user: userOption },
      run: (o) =>
        inStore("token link", (audit) =>
          Effect.gen(function* () {
            const accounts = yield* Accounts.Accounts
            const sent = yield* accounts.requestSignInLink(o.user, (linkId) => Messages.signInLink(linkId), {
              audit: (u, linkId) => audit.entries("create", { type: "sign-in-link", id: `lnk_${linkId}` }, u),
            })
            yield* say(
              `aanmeldlink gaat per e-mail naar ${sent.user.email} (de mailworker van de gateway verstuurt hem)`,
            )
          }),
        ),
    }),
    Cli.command("list", {
      summary: "toont de tokens: id, gebruiker, staat, vervaldatum, label",
      details: LISTS,
      options: {
        user: Cli.optional({ ...userOption, description: "alleen de tokens van deze gebruiker" }),
        ...pageOptions,
      },
      run: (o) =>
        inStore("token list", (audit) =>
          Effect.gen(function* () {
            const page = yield* Effect.flatMap(Accounts.Accounts, (a) => a.tokenPage(o.user, pageOf(o)))
            yield* searched(audit, "token")
            for (const t of page.items) {
              const state = t.revokedAt
                ? "ingetrokken"
                : t.expiresAt && t.expiresAt < new Date().toISOString()
                  ? "verlopen"
                  : "geldig"
              yield* print(`${t.tokenId}\t${t.userId}\t${state}\t${t.expiresAt ?? "-"}\t${t.label ?? ""}`)
            }
            yield* nextPage(page.nextCursor)
          }),
        ),
    }),
    Cli.command("revoke", {
      summary: "trekt een token in",
      options: {
        token: Cli.text("token", { placeholder: "<token-id>", description: "het token-id (zie token list)" }),
      },
      run: (o) =>
        inStore("token revoke", (audit) =>
          Effect.gen(function* () {
            const accounts = yield* Accounts.Accounts
            yield* accounts.revokeToken(o.token, {
              audit: (u) => audit.entries("update", { type: "token", id: `tok_${o.token}` }, u, "revoke"),
            })
            yield* say("token ingetrokken")
          }),
        ),
    }),
  ],
})

const mail = Cli.group("mail", {
  summary: "de wachtrij van de mail",
  commands: [
    Cli.command("dead-letters", {
      summary:
        "toont mail die niet verstuurd kon worden: id, bericht-id, onderwerp, regio, pogingen, foutsoort, data",
      details: LISTS,
      options: pageOptions,
      run: (o) =>
        inStore("mail dead-letters", (audit) =>
          Effect.gen(function* () {
            const page = yield* MailAdmin.deadLetters(audit, pageOf(o))
            for (const m of page.items) yield* print(MailAdmin.deadLetterLine(m))
            yield* say(
              page.items.length === 0 ? "geen dode brieven" : `${page.items.length} dode brief/brieven`,
            )
            yield* nextPage(page.nextCursor)
          }),
        ),
    }),
    Cli.command("requeue", {
      summary: "zet een dode brief (of met --all alle) opnieuw in de wachtrij, met nieuwe pogingen",
      options: { all: Cli.flag("all", "alle dode brieven van de mail") },
      args: Cli.args(
        "<id>",
        Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, Number.MAX_SAFE_INTEGER)),
        {
          description: "het id van een dode brief (zie mail dead-letters)",
          expected: "een id: een getal (zie mail dead-letters)",
          max: 1,
        },
      ),
      run: (o, ids) =>
        Effect.gen(function* () {
          const [id] = ids
          if ((id === undefined) === !o.all)
            return yield* new Cli.UsageError({ message: "geef één id (zie mail dead-letters) of --all" })
          const requeued = yield* inStore("mail requeue", (audit) =>
            MailAdmin.requeue(audit, id === undefined ? "all" : id),
          )
          for (const m of requeued) yield* print(`${m.id}\t${m.messageId}`)
          yield* say(
            requeued.length === 0
              ? "geen dode brieven om opnieuw te versturen"
              : `${requeued.length} opnieuw in de wachtrij; de gateway verstuurt ze`,
          )
        }),
    }),
  ],
})

Cli.runMain(
  Cli.group("verzuimregie-admin", {
    summary: "Beheer van organisaties, gebruikers, tokens en de mailwachtrij, op de database van de gateway.",
    details: ENVIRONMENT,
    commands: [org, user, token, mail],
  }),
)
