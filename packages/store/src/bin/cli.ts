#!/usr/bin/env node
/**
 * Maintenance commands for the store: migrate, verify-audit, rebuild-projections, backup.
 * The database comes from DATABASE_URL / DATA_DIR, as for the gateway.
 *
 * Exit codes: 0 done, 1 could not run (database unavailable, bad arguments…), 2 the check found
 * a problem (broken audit chain, projections that differ from their events).
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Cause, Effect, Exit, Layer } from "effect"
import * as AuditAnchor from "../AuditAnchor.js"
import { AuditLog } from "../AuditLog.js"
import * as Backup from "../Backup.js"
import { CaseStore } from "../CaseStore.js"
import * as Database from "../Database.js"
import * as Migrations from "../Migrations.js"

const USAGE = `Gebruik: verzuimregie-store <opdracht> [opties]

Opdrachten:
  migrate                           voer openstaande migraties uit (de start doet dat ook)
  verify-audit [--anchors FILE]     controleer de hash-keten van de toegangslog; exitcode 2 als die gebroken is;
                                    de keten moet ook elk verankerd hoofd in FILE bereiken (standaard het
                                    ankerbestand van de gateway: AUDIT_ANCHOR_FILE of DATA_DIR/${AuditAnchor.DEFAULT_FILE_NAME})
  rebuild-projections [--check]     bouw elke casusprojectie opnieuw op uit haar gebeurtenissen;
                                    --check vergelijkt alleen (exitcode 2 bij een verschil)
  backup [--to FILE | --dir DIR]    online back-up van de SQLite-database, met de
                                    pseudoniemsleutel (DATA_DIR/${Backup.PSEUDONYM_KEY_FILE}) ernaast
                                    (standaard DIR: backups/ naast het databasebestand)

Omgeving:
  DATABASE_URL   postgres://gebruiker:wachtwoord@host:5432/db, of sqlite:/pad/bestand.db
  DATA_DIR       map van het standaard SQLite-bestand verzuimregie.db en de sleutel (standaard ./data)

Relatieve paden gelden vanaf de map waarin pnpm is gestart (INIT_CWD), anders de huidige map.`

class UsageError extends Error {}
class CheckFailed extends Error {}

const option = (args: ReadonlyArray<string>, name: string): string | undefined => {
  const i = args.indexOf(name)
  if (i === -1) return undefined
  const value = args[i + 1]
  if (value === undefined || value.startsWith("--")) throw new UsageError(`${name} heeft een waarde nodig`)
  return value
}

const say = (line: string) => Effect.sync(() => process.stdout.write(`${line}\n`))

type Command = (
  args: ReadonlyArray<string>,
  config: Database.DatabaseConfig,
) => Effect.Effect<void, unknown, Database.Database>

const commands: Record<string, Command> = {
  migrate: () =>
    Effect.gen(function* () {
      // Database.layer has already migrated; report the state.
      const applied = yield* Migrations.applied
      const last = applied[applied.length - 1]
      yield* say(
        `Schema bijgewerkt: ${applied.length} migratie(s), laatste ${last?.id ?? 0} ${last?.name ?? ""}`.trim(),
      )
    }),
  "verify-audit": (args) =>
    Effect.gen(function* () {
      const given = option(args, "--anchors")
      if (given !== undefined && given.trim() === "")
        throw new UsageError("--anchors heeft een bestand nodig")
      // Without --anchors: the gateway's own anchor file, when it has written one.
      const anchorFile = Path.resolve(given ?? AuditAnchor.fileFromEnvironment(process.env))
      // Read before the head: an anchor the gateway appends meanwhile cannot be ahead of it.
      const anchors =
        given === undefined && !Fs.existsSync(anchorFile) ? [] : yield* AuditAnchor.read(anchorFile)
      const audit = yield* AuditLog
      const result = yield* audit.verify({ anchors })
      if (result.ok) {
        yield* say(
          `Toegangslog in orde: ${result.records} regels, laatste ${result.headSeq} ${result.headHash}`,
        )
        if (anchors.length > 0) {
          const last = anchors[anchors.length - 1]
          yield* say(
            `Ankers in orde: de keten bereikt alle ${anchors.length} verankerde hoofden in ${anchorFile}${last === undefined ? "" : ` (laatste: registratie ${last.seq}, verankerd op ${last.at})`}`,
          )
        } else {
          yield* say(
            `Geen ankerbestand op ${anchorFile}: alleen de keten in de database is gecontroleerd. De gateway schrijft het bij de start, elk uur en bij het stoppen.`,
          )
        }
        return
      }
      yield* say(
        `Toegangslog GEBROKEN: ${result.problems.length} probleem/problemen in ${result.records} regels`,
      )
      for (const problem of result.problems) yield* say(`  - [${problem.kind}] ${problem.detail}`)
      yield* say("Laat de database zoals hij is (maak een kopie) en meld dit als beveiligingsincident.")
      return yield* Effect.fail(new CheckFailed("audit chain broken"))
    }).pipe(Effect.provide(AuditLog.Default)),
  "rebuild-projections": (args) =>
    Effect.gen(function* () {
      const check = args.includes("--check")
      const store = yield* CaseStore
      const report = yield* store.rebuildProjections({ check })
      const verb = check
        ? "wijken af van hun gebeurtenissen (niet gewijzigd: --check)"
        : "weken af en zijn opnieuw opgebouwd"
      yield* say(
        `Projecties: ${report.cases} casus(sen) gecontroleerd, ${report.differed.length} ${verb}, ${report.failed.length} mislukt`,
      )
      for (const caseId of report.differed.slice(0, 50)) yield* say(`  afwijkend: ${caseId}`)
      for (const failure of report.failed) yield* say(`  mislukt: ${failure.caseId}: ${failure.reason}`)
      if (report.failed.length > 0 || (check && report.differed.length > 0)) {
        return yield* Effect.fail(new CheckFailed("projections differ"))
      }
    }).pipe(Effect.provide(CaseStore.Default)),
  backup: (args, config) =>
    Effect.gen(function* () {
      const to = option(args, "--to")
      const home = config._tag === "sqlite" ? Path.dirname(Path.resolve(config.filename)) : "."
      const dir = option(args, "--dir") ?? Path.join(home, "backups")
      // The key the mail package keeps in DATA_DIR (docs/exports.md); a key in the environment
      // is the operator's to keep, and is never written to a file here.
      const keyFile = Path.join(
        process.env.DATA_DIR?.trim() || Database.DEFAULT_DATA_DIR,
        Backup.PSEUDONYM_KEY_FILE,
      )
      const options = { keyFile }
      const result = yield* to === undefined
        ? Backup.backupToDirectory(dir, options)
        : Backup.backup(to, options)
      yield* say(
        `Back-up geschreven: ${result.path} (${result.bytes} bytes, ${result.pages} pagina's, ${result.tookMs} ms, integriteit in orde)`,
      )
      if (result.keyPath !== undefined)
        yield* say(`Pseudoniemsleutel ernaast: ${result.keyPath} (alleen leesbaar voor de eigenaar)`)
      else if (process.env.INSPECTIE_PSEUDONYM_KEY !== undefined)
        yield* say(
          "Pseudoniemsleutel: staat in INSPECTIE_PSEUDONYM_KEY; bewaar die waarde even veilig als deze back-up.",
        )
      else
        yield* say(
          `Pseudoniemsleutel: ${Path.resolve(keyFile)} bestaat (nog) niet; er is geen sleutel om mee te nemen.`,
        )
      yield* say(
        "Terugzetten: stop de gateway; zet het databasebestand en de -wal- en -shm-bestanden opzij; kopieer de back-up op hun plaats en de sleutel als DATA_DIR/inspectie-pseudoniem.key (chmod 600); start; voer verify-audit uit (docs/storage.md).",
      )
    }),
}

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [name, ...args] = argv
  if (name === undefined || name === "--help" || name === "-h") {
    process.stdout.write(`${USAGE}\n`)
    return name === undefined ? 1 : 0
  }
  const command = commands[name]
  if (command === undefined) {
    process.stderr.write(`Onbekende opdracht ${name}\n\n${USAGE}\n`)
    return 1
  }
  if (process.env.INIT_CWD !== undefined) process.chdir(process.env.INIT_CWD)
  const program = Effect.gen(function* () {
    const config = yield* Database.configFromEnvironment
    yield* Effect.sync(() => process.stderr.write(`Database: ${Database.describeConfig(config)}\n`))
    // Only `migrate` may set up a new database: a check of a mistyped path must not create an
    // empty database and report it sound.
    return yield* Effect.suspend(() => command(args, config)).pipe(
      Effect.provide(Layer.fresh(Database.layer(config, { mustExist: name !== "migrate" }))),
    )
  })
  const exit = await Effect.runPromiseExit(program)
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.squash(exit.cause)
  if (failure instanceof CheckFailed) return 2
  const message = failure instanceof Error ? failure.message : String(failure)
  process.stderr.write(`${message}\n`)
  if (process.env.VERBOSE === "1") process.stderr.write(`${Cause.pretty(exit.cause)}\n`)
  return 1
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
