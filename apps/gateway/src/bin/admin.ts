#!/usr/bin/env node
/**
 * verzuimregie-admin: organisations, users and API tokens, and the mail outbox's dead letters, on
 * the same database as the gateway (DATABASE_URL / DATA_DIR). `token create` prints the token alone on stdout, so a script can
 * capture it; everything else goes to stderr.
 */
import { parseArgs } from "node:util"
import { Decode, Ids } from "@verzuimregie/domain"
import { Accounts, Database, Store } from "@verzuimregie/store"
import { Cause, Effect, Either, Exit, Option } from "effect"
import { expiryOf, TokenRequest } from "../api/admin.js"
import { configFile, loadConfig } from "../config.js"
import * as MailAdmin from "../MailAdmin.js"

const usage = `Gebruik: verzuimregie-admin <opdracht> [opties]

Opdrachten:
  org create --name <naam> --kind <soort> [--brin <BRIN-code, bv. 12AB>]
        soort: school, gemeente, ggd, samenwerkingsverband, schoolmaatschappelijk-werk,
               zorgaanbieder, onderwijsloket, regioloket, overig
  org list
  user create --org <org-id> --name <naam> --email <adres> --role <rol>[,<rol>] --region <regio>[,<regio>]
              [--party-role <rol in casussen, bv. smw-verzuim>]
        rol: referrer, case-worker, coordinator, admin
  user list
  user deactivate --user <user-id>
  token create --user <user-id> [--label <tekst>] [--expires-days <n>]
        drukt alleen het token af op stdout (eenmalig; bewaar het veilig)
  token list [--user <user-id>]
  token revoke --token <token-id>
  mail dead-letters
        mail die niet verstuurd kon worden: id, bericht-id, onderwerp, regio, pogingen, foutsoort, data
  mail requeue <id> | --all
        zet een dode brief (of alle) opnieuw in de wachtrij, met nieuwe pogingen

Database: DATABASE_URL (postgres://…) of DATA_DIR (standaard ./data), net als de gateway.
Regio's: REGIONS_FILE (standaard config/regions.yaml); een gebruiker krijgt alleen regio's die daarin staan.`

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(2)
}

const main = async (): Promise<number> => {
  const argv = process.argv.slice(2).filter((a) => a !== "--")
  const [group, command] = argv
  if (group === undefined || group === "--help" || group === "-h" || command === "--help") {
    process.stdout.write(`${usage}\n`)
    return group === undefined ? 2 : 0
  }
  const parsed = parseArgs({
    args: argv.slice(2),
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
    },
    strict: true,
    allowPositionals: true,
  })
  const positionals = parsed.positionals
  // Only `mail requeue` takes an argument of its own (the id).
  if (positionals.length > 0 && `${group} ${command}` !== "mail requeue")
    return fail(`onverwacht argument: ${positionals.join(" ")}\n\n${usage}`)
  const values = parsed.values
  const db = Database.fromEnvironment(process.env)
  if (Either.isLeft(db)) return fail(db.left.message)

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

  const program = Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
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
        const org = yield* accounts.createOrganisation(input)
        process.stderr.write(`organisatie aangemaakt\n`)
        process.stdout.write(`${org.id}\n`)
        return
      }
      case "org list":
        for (const o of yield* accounts.organisations())
          process.stdout.write(`${o.id}\t${o.kind}\t${o.brin ?? "-"}\t${o.name}\n`)
        return
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
          },
          "user create",
        )
        // The same check as the API: a region this installation does not run is a typo.
        const config = yield* Effect.promise(() => loadConfig(configFile(process.env)))
        if (Either.isLeft(config)) return fail(`regio's niet te controleren: ${config.left.message}`)
        const known = new Set(config.right.regions.map((r) => r.region.id as string))
        const unknown = input.regions.filter((id) => !known.has(id))
        if (unknown.length > 0)
          return fail(
            `user create:\n  --region: onbekende regio ${unknown.join(", ")}; deze installatie kent ${[...known].join(", ")}`,
          )
        const user = yield* accounts.createUser(input)
        process.stderr.write(`gebruiker aangemaakt\n`)
        process.stdout.write(`${user.id}\n`)
        return
      }
      case "user list":
        for (const u of yield* accounts.users()) {
          process.stdout.write(
            `${u.id}\t${u.active ? "actief" : "inactief"}\t${u.roles.join(",")}\t${u.regions.join(",")}\t${u.name} <${u.email}>\n`,
          )
        }
        return
      case "user deactivate":
        yield* accounts.setActive(decode(Ids.UserId, values.user, "--user"), false)
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
        const issued = yield* accounts.issueToken(decode(Ids.UserId, values.user, "--user"), {
          label: request.label,
          expiresAt: expiryOf(request.expiresInDays),
        })
        process.stderr.write(
          `token ${issued.tokenId} uitgegeven${issued.expiresAt ? `, geldig tot ${issued.expiresAt}` : ""}\n`,
        )
        process.stdout.write(`${issued.token}\n`)
        return
      }
      case "token list":
        for (const t of yield* accounts.tokens(
          values.user === undefined ? undefined : decode(Ids.UserId, values.user, "--user"),
        )) {
          const state = t.revokedAt
            ? "ingetrokken"
            : t.expiresAt && t.expiresAt < new Date().toISOString()
              ? "verlopen"
              : "geldig"
          process.stdout.write(
            `${t.tokenId}\t${t.userId}\t${state}\t${t.expiresAt ?? "-"}\t${t.label ?? ""}\n`,
          )
        }
        return
      case "token revoke":
        yield* accounts.revokeToken(values.token ?? fail("--token: geef het token-id (zie token list)"))
        process.stderr.write("token ingetrokken\n")
        return
      case "mail dead-letters": {
        const letters = yield* MailAdmin.deadLetters
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
        const requeued = yield* MailAdmin.requeue(id === undefined ? "all" : Number(id))
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
  }).pipe(Effect.provide(Store.layer(db.right)))

  const exit = await Effect.runPromiseExit(program)
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.failureOption(exit.cause)
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
