#!/usr/bin/env node
/**
 * verzuimregie-admin: organisations, users and API tokens, and the mail outbox's dead letters, on
 * the same database as the gateway (DATABASE_URL / DATA_DIR). `token create` prints the token alone on stdout, so a script can
 * capture it; everything else goes to stderr.
 *
 * The same rules as the API: an admin holds no case role (unless ALLOW_ADMIN_WITH_CASE_ROLES=on),
 * a person gets their token only through a sign-in link mailed to their own address, and tokens
 * are minted directly only for service accounts. Every command is audited like the API (see
 * `cliAudit`): the actor is the operating-system user who ran it.
 */
import { parseArgs } from "node:util"
import { Admin, CurrentPrincipal, Regions } from "@verzuimregie/app"
import { Decode, Ids } from "@verzuimregie/domain"
import { Accounts, Database, Store } from "@verzuimregie/store"
import { Cause, Effect, Either, Exit, Layer, Option } from "effect"
import { RolesRequest, TokenRequest } from "../api/admin.js"
import { ListQuery } from "../api/schemas.js"
import { cliAudit } from "../CliAudit.js"
import { configFile, loadConfig } from "../config.js"
import * as MailAdmin from "../MailAdmin.js"

const usage = `Gebruik: verzuimregie-admin <opdracht> [opties]

Opdrachten:
  org create --name <naam> --kind <soort> [--brin <BRIN-code, bv. 12AB>]
        soort: school, gemeente, ggd, samenwerkingsverband, schoolmaatschappelijk-werk,
               zorgaanbieder, onderwijsloket, regioloket, overig
  org list [--limit <n>] [--cursor <cursor>]
  user create --org <org-id> --name <naam> --email <adres> --role <rol>[,<rol>] --region <regio>[,<regio>]
              [--party-role <rol in casussen, bv. smw-verzuim>] [--kind person|service]
              [--installation-admin]
        rol: referrer, case-worker, coordinator, admin
        een beheerder (admin) heeft geen casusrol (case-worker, coordinator); een serviceaccount ook niet
        een persoon (standaard) krijgt een aanmeldlink op het eigen adres en ziet daar zijn token
  user list [--limit <n>] [--cursor <cursor>]
  user deactivate --user <user-id>
  user roles --user <user-id> --role <rol>[,<rol>]
        vervangt de rollen, met dezelfde regels als user create
  token create --user <user-id> [--label <tekst>] [--expires-days <n>]
        alleen voor een serviceaccount; drukt alleen het token af op stdout (eenmalig; bewaar het veilig)
  token link --user <user-id>
        stuurt een persoon een nieuwe aanmeldlink (eenmalig, kort geldig) naar het eigen adres
  token list [--user <user-id>] [--limit <n>] [--cursor <cursor>]
  token revoke --token <token-id>
  mail dead-letters
        mail die niet verstuurd kon worden: id, bericht-id, onderwerp, regio, pogingen, foutsoort, data
  mail requeue <id> | --all
        zet een dode brief (of alle) opnieuw in de wachtrij, met nieuwe pogingen

Lijsten tonen één pagina (standaard 50, hoogstens 500 regels), net als de API; staat er meer,
dan noemt de laatste regel op stderr de --cursor voor de volgende pagina.

Database: DATABASE_URL (postgres://…) of DATA_DIR (standaard ./data), net als de gateway.
Regio's: REGIONS_FILE (standaard config/regions.yaml); een gebruiker krijgt alleen regio's die daarin staan.
Elke opdracht komt in de toegangslog, op naam van de gebruiker van het besturingssysteem.`

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(2)
}

/** The command line's options; node:util's English complaint becomes a Dutch one (exit 2). */
const parseOptions = (args: ReadonlyArray<string>) => {
  try {
    return parseArgs({
      args: [...args],
      options: {
        name: { type: "string" },
        kind: { type: "string" },
        brin: { type: "string" },
        org: { type: "string" },
        email: { type: "string" },
        role: { type: "string" },
        region: { type: "string" },
        "party-role": { type: "string" },
        user: { type: "string" },
        token: { type: "string" },
        label: { type: "string" },
        "expires-days": { type: "string" },
        all: { type: "boolean" },
        limit: { type: "string" },
        cursor: { type: "string" },
        "installation-admin": { type: "boolean" },
      },
      strict: true,
      allowPositionals: true,
    })
  } catch (error) {
    const option = /'([^']+)'/.exec((error as Error).message)?.[1]
    return fail(
      `${option === undefined ? "onbekende of onvolledige optie" : `onbekende of onvolledige optie ${option}`}\n\n${usage}`,
    )
  }
}

const main = async (): Promise<number> => {
  const argv = process.argv.slice(2).filter((a) => a !== "--")
  const [group, command] = argv
  if (group === undefined || group === "--help" || group === "-h" || command === "--help") {
    process.stdout.write(`${usage}\n`)
    return group === undefined ? 2 : 0
  }
  const parsed = parseOptions(argv.slice(2))
  const positionals = parsed.positionals
  // Only `mail requeue` takes an argument of its own (the id).
  if (positionals.length > 0 && `${group} ${command}` !== "mail requeue")
    return fail(`onverwacht argument: ${positionals.join(" ")}\n\n${usage}`)
  const values = parsed.values
  const db = Database.fromEnvironment(process.env)
  if (Either.isLeft(db)) return fail(db.left.message)
  const policy = Accounts.policyFromEnvironment(process.env)
  if (typeof policy === "string") return fail(policy)
  const audit = cliAudit(`${group} ${command ?? ""}`)

  const decode = <A, I>(
    schema: Parameters<typeof Decode.decodeUnknown<A, I>>[0],
    input: unknown,
    what: string,
    /** The command-line flag of a field, where it is not the field's own name. */
    flags: Record<string, string> = {},
  ): A => {
    const result = Decode.decodeUnknown(schema, what)(input)
    if (Either.isLeft(result)) {
      return fail(
        `${what}:\n${result.left.issues.map((i) => `  --${flags[i.path] ?? (i.path || "?")}: ${i.message}`).join("\n")}`,
      )
    }
    return result.right
  }
  const list = (s: string | undefined) =>
    s === undefined
      ? []
      : s
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean)

  /** The page a list command asks for: the same rules (and messages) as `?limit=&cursor=`. */
  const pageOf = (what: string) =>
    decode(
      ListQuery,
      {
        ...(values.limit === undefined ? {} : { limit: values.limit }),
        ...(values.cursor === undefined ? {} : { cursor: values.cursor }),
      },
      what,
    )
  /** Where a list goes on: the cursor of the next page, on stderr (stdout holds only rows). */
  const nextPage = (nextCursor: string | null) => {
    if (nextCursor !== null) process.stderr.write(`er is meer: volgende pagina met --cursor ${nextCursor}\n`)
  }

  const program = Effect.gen(function* () {
    switch (`${group} ${command}`) {
      case "org create": {
        const input = decode(
          Accounts.NewOrganisation,
          {
            name: values.name,
            kind: values.kind,
            ...(values.brin === undefined ? {} : { brin: values.brin }),
          },
          "org create",
        )
        const org = yield* Admin.createOrganisation(input)
        process.stderr.write(`organisatie aangemaakt\n`)
        process.stdout.write(`${org.id}\n`)
        return
      }
      case "org list": {
        const page = yield* Admin.organisations(pageOf("org list"))
        for (const o of page.items) process.stdout.write(`${o.id}\t${o.kind}\t${o.brin ?? "-"}\t${o.name}\n`)
        nextPage(page.nextCursor)
        return
      }
      case "user create": {
        const input = decode(
          Accounts.NewUser,
          {
            organisationId: values.org,
            name: values.name,
            email: values.email,
            roles: list(values.role),
            regions: list(values.region),
            ...(values["party-role"] === undefined ? {} : { partyRole: values["party-role"] }),
            ...(values.kind === undefined ? {} : { kind: values.kind }),
            ...(values["installation-admin"] === true ? { installationAdmin: true } : {}),
          },
          "user create",
          { installationAdmin: "installation-admin" },
        )
        // The same check as the API: a region this installation does not run is a typo.
        const config = yield* Effect.promise(() => loadConfig(configFile(process.env)))
        if (Either.isLeft(config)) return fail(`regio's niet te controleren: ${config.left.message}`)
        const user = yield* Admin.createUser(input).pipe(Effect.provide(Regions.layer(config.right)))
        process.stderr.write(
          user.kind === "person"
            ? `gebruiker aangemaakt; de aanmeldlink gaat per e-mail naar ${user.email} (de mailworker van de gateway verstuurt hem)\n`
            : "serviceaccount aangemaakt; maak een token met: token create --user <user-id>\n",
        )
        process.stdout.write(`${user.id}\n`)
        return
      }
      case "user list": {
        const page = yield* Admin.users(pageOf("user list"))
        for (const u of page.items) {
          const kind =
            u.kind === "service" ? "service" : u.installationAdmin ? "installatiebeheerder" : "persoon"
          process.stdout.write(
            `${u.id}\t${u.active ? "actief" : "inactief"}\t${kind}\t${u.roles.join(",")}\t${u.regions.join(",")}\t${u.name} <${u.email}>\n`,
          )
        }
        nextPage(page.nextCursor)
        return
      }
      case "user roles": {
        const { roles } = decode(RolesRequest, { roles: list(values.role) }, "user roles", { roles: "role" })
        const user = yield* Admin.setRoles(decode(Ids.UserId, values.user, "--user"), roles)
        process.stderr.write(`rollen gewijzigd: ${user.roles.join(",")}\n`)
        return
      }
      case "user deactivate":
        yield* Admin.deactivate(decode(Ids.UserId, values.user, "--user"))
        process.stderr.write("gebruiker gedeactiveerd; tokens werken niet meer\n")
        return
      case "token create": {
        // The same request, checks and expiry as POST /admin/users/{userId}/tokens.
        const request = decode(
          TokenRequest,
          {
            ...(values.label === undefined ? {} : { label: values.label }),
            ...(values["expires-days"] === undefined
              ? {}
              : { expiresInDays: Number(values["expires-days"]) }),
          },
          "token create",
          { expiresInDays: "expires-days" },
        )
        const issued = yield* Admin.issueServiceToken(decode(Ids.UserId, values.user, "--user"), request)
        process.stderr.write(
          `token ${issued.tokenId} uitgegeven${issued.expiresAt ? `, geldig tot ${issued.expiresAt}` : ""}\n`,
        )
        process.stdout.write(`${issued.token}\n`)
        return
      }
      case "token link": {
        const sent = yield* Admin.sendSignInLink(decode(Ids.UserId, values.user, "--user"))
        process.stderr.write(
          `aanmeldlink gaat per e-mail naar ${sent.user.email} (de mailworker van de gateway verstuurt hem)\n`,
        )
        return
      }
      case "token list": {
        const page = yield* Admin.tokens(
          values.user === undefined ? undefined : decode(Ids.UserId, values.user, "--user"),
          pageOf("token list"),
        )
        for (const t of page.items) {
          const state = t.revokedAt
            ? "ingetrokken"
            : t.expiresAt && t.expiresAt < new Date().toISOString()
              ? "verlopen"
              : "geldig"
          process.stdout.write(
            `${t.tokenId}\t${t.userId}\t${state}\t${t.expiresAt ?? "-"}\t${t.label ?? ""}\n`,
          )
        }
        nextPage(page.nextCursor)
        return
      }
      case "token revoke": {
        const tokenId = values.token ?? fail("--token: geef het token-id (zie token list)")
        yield* Admin.revokeToken(tokenId)
        process.stderr.write("token ingetrokken\n")
        return
      }
      case "mail dead-letters": {
        const letters = yield* MailAdmin.deadLetters(audit)
        for (const m of letters) process.stdout.write(`${MailAdmin.deadLetterLine(m)}\n`)
        process.stderr.write(
          letters.length === 0 ? "geen dode brieven\n" : `${letters.length} dode brief/brieven\n`,
        )
        return
      }
      case "mail requeue": {
        const [id, ...rest] = positionals
        if ((id === undefined) === (values.all !== true) || rest.length > 0)
          return fail("mail requeue: geef één id (zie mail dead-letters) of --all")
        if (id !== undefined && !/^[1-9]\d{0,15}$/.test(id))
          return fail(`mail requeue: "${id}" is geen id; een id is een getal (zie mail dead-letters)`)
        const requeued = yield* MailAdmin.requeue(audit, id === undefined ? "all" : Number(id))
        for (const m of requeued) process.stdout.write(`${m.id}\t${m.messageId}\n`)
        process.stderr.write(
          requeued.length === 0
            ? "geen dode brieven om opnieuw te versturen\n"
            : `${requeued.length} opnieuw in de wachtrij; de gateway verstuurt ze\n`,
        )
        return
      }
      default:
        return fail(`onbekende opdracht: ${group} ${command ?? ""}\n\n${usage}`)
    }
  }).pipe(
    // The account commands run the API's use cases, as the command line (`CliAudit`).
    CurrentPrincipal.provide(audit.caller),
    Effect.provide(Layer.merge(Store.layer(db.right), Layer.succeed(Accounts.AccountPolicy, policy))),
  )

  const exit = await Effect.runPromiseExit(program)
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.failureOption(exit.cause)
  // A cursor from another list, or edited: an input error too, named by its flag.
  if (Option.isSome(failure) && (failure.value as { _tag?: unknown })._tag === "InvalidCursor") {
    process.stderr.write(
      `${group} ${command}:\n  --cursor: onbekende of verlopen cursor; begin opnieuw zonder --cursor\n`,
    )
    return 2
  }
  // Roles that cannot go together are an input error: named by their flag, like the others.
  if (Option.isSome(failure) && Accounts.isRolesConflict(failure.value)) {
    process.stderr.write(`${group} ${command}:\n  --role: ${failure.value.detail}\n`)
    return 2
  }
  // So are regions this installation does not run.
  if (Option.isSome(failure) && failure.value instanceof Admin.RegionsRefused) {
    process.stderr.write(
      `${group} ${command}:\n${failure.value.details.map((d) => `  --region: ${d}`).join("\n")}; deze installatie kent ${failure.value.known.join(", ")}\n`,
    )
    return 2
  }
  // So is a BRIN code another organisation has already.
  if (
    Option.isSome(failure) &&
    failure.value instanceof Accounts.AccountError &&
    failure.value.reason === "brin-taken"
  ) {
    process.stderr.write(`${group} ${command}:\n  --brin: ${failure.value.detail}\n`)
    return 2
  }
  process.stderr.write(
    `${Option.isSome(failure) ? String((failure.value as Error).message) : Cause.pretty(exit.cause)}\n`,
  )
  return 1
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 2
  },
)
