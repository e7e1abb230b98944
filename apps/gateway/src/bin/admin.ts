#!/usr/bin/env node
/**
 * verzuimregie-admin: organisations, users and API tokens, and the mail outbox's dead letters, on
 * the same database as the gateway (DATABASE_URL / DATA_DIR). `token create` prints the token alone
 * on stdout, so a script can capture it; everything else goes to stderr.
 *
 * The same rules as the API: an admin holds no case role (unless ALLOW_ADMIN_WITH_CASE_ROLES=on),
 * a person gets their token only through a sign-in link mailed to their own address, and tokens
 * are minted directly only for service accounts. The account commands run the API's use cases
 * (`Admin` of `@verzuimregie/app`) with the command line as the caller (`cliAudit`): audited like
 * the API, the actor is the operating-system user who ran it. Parsing, `--help`, errors and
 * exit codes come from `@verzuimregie/cli`.
 */
import { Admin, CurrentPrincipal, Regions } from "@verzuimregie/app"
import { Cli } from "@verzuimregie/cli"
import { Decode, Ids } from "@verzuimregie/domain"
import { Accounts, Database, type Pagination, Store } from "@verzuimregie/store"
import { Effect, Either, Layer, Schema } from "effect"
import { RolesRequest, TokenRequest } from "../api/admin.js"
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

type Services =
  | Store.Services
  | Database.Database
  | Accounts.AccountPolicy
  | CurrentPrincipal.CurrentPrincipal

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
    const audit = cliAudit(command)
    return yield* work(audit).pipe(
      // The account commands run the API's use cases, as the command line (`CliAudit`).
      CurrentPrincipal.provide(audit.caller),
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
      // So are regions this installation does not run.
      if (error instanceof Admin.RegionsRefused)
        return new Cli.UsageError({
          message: `${error.details.map((d) => `--region: ${d}`).join("\n")}; deze installatie kent ${error.known.join(", ")}`,
        })
      // So is a BRIN code another organisation has already.
      if (error instanceof Accounts.AccountError && error.reason === "brin-taken")
        return new Cli.UsageError({ message: `--brin: ${error.detail}` })
      if (tag === "DatabaseUnavailable") return new Cli.Unavailable({ message: (error as Error).message })
      return error
    }),
  )

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
        inStore("org create", () =>
          Effect.gen(function* () {
            const input = yield* decode(Accounts.NewOrganisation, {
              name: o.name,
              kind: o.kind,
              ...(o.brin === undefined ? {} : { brin: o.brin }),
            })
            const created = yield* Admin.createOrganisation(input)
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
        inStore("org list", () =>
          Effect.gen(function* () {
            const page = yield* Admin.organisations(pageOf(o))
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
        inStore("user create", () =>
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
            const created = yield* Admin.createUser(input).pipe(Effect.provide(Regions.layer(config.right)))
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
        inStore("user list", () =>
          Effect.gen(function* () {
            const page = yield* Admin.users(pageOf(o))
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
        inStore("user deactivate", () =>
          Effect.gen(function* () {
            yield* Admin.deactivate(o.user)
            yield* say("gebruiker gedeactiveerd; tokens werken niet meer")
          }),
        ),
    }),
    Cli.command("roles", {
      summary: "vervangt de rollen van een gebruiker, met dezelfde regels als user create",
      options: { user: userOption, role: roleOption },
      run: (o) =>
        inStore("user roles", () =>
          Effect.gen(function* () {
            const { roles } = yield* decode(RolesRequest, { roles: Schema.decodeSync(Cli.CommaList)(o.role) })
            const changed = yield* Admin.setRoles(o.user, roles)
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
        inStore("token create", () =>
          Effect.gen(function* () {
            // The same request, checks and expiry as POST /admin/users/{userId}/tokens.
            const request = yield* decode(TokenRequest, {
              ...(o.label === undefined ? {} : { label: o.label }),
              ...(o.expiresDays === undefined ? {} : { expiresInDays: o.expiresDays }),
            })
            const issued = yield* Admin.issueServiceToken(o.user, request)
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
        inStore("token link", () =>
          Effect.gen(function* () {
            const sent = yield* Admin.sendSignInLink(o.user)
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
        inStore("token list", () =>
          Effect.gen(function* () {
            const page = yield* Admin.tokens(o.user, pageOf(o))
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
        inStore("token revoke", () =>
          Effect.gen(function* () {
            yield* Admin.revokeToken(o.token)
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
