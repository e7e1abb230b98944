#!/usr/bin/env node
/**
 * Maintenance commands for the store: migrate, verify-audit, rebuild-projections, backup.
 * The database comes from DATABASE_URL / DATA_DIR, as for the gateway. Parsing, `--help`, errors
 * and exit codes come from `@verzuimregie/cli`: 0 done, 1 the check found a problem (broken audit
 * chain, projections that differ from their events) or the work failed, 2 wrong use, 3 database
 * unavailable.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Cli } from "@verzuimregie/cli"
import { Effect, Layer } from "effect"
import * as AuditAnchor from "../AuditAnchor.js"
import { AuditLog } from "../AuditLog.js"
import * as Backup from "../Backup.js"
import { CaseStore } from "../CaseStore.js"
import * as Database from "../Database.js"
import * as Migrations from "../Migrations.js"

const ENVIRONMENT = `Omgeving:
  DATABASE_URL   postgres://gebruiker:wachtwoord@host:5432/db, of sqlite:/pad/bestand.db
  DATA_DIR       map van het standaard SQLite-bestand verzuimregie.db en de sleutel (standaard ./data)

Relatieve paden gelden vanaf de map waarin u de opdracht geeft.`

const say = (line: string) => Effect.sync(() => process.stdout.write(`${line}\n`))

const File = Cli.NonEmpty

/**
 * Runs `work` on the configured database. Only `migrate` may set up a new database: a check of a
 * mistyped path must not create an empty database and report it sound.
 */
const onDatabase = <A>(
  name: string,
  work: (config: Database.DatabaseConfig) => Effect.Effect<A, unknown, Database.Database>,
) =>
  Effect.gen(function* () {
    const config = yield* Database.configFromEnvironment
    yield* Effect.sync(() => process.stderr.write(`Database: ${Database.describeConfig(config)}\n`))
    return yield* Effect.suspend(() => work(config)).pipe(
      Effect.provide(Layer.fresh(Database.layer(config, { mustExist: name !== "migrate" }))),
    )
  }).pipe(
    Effect.mapError((error: unknown) =>
      error instanceof Database.DatabaseUnavailable ? new Cli.Unavailable({ message: error.message }) : error,
    ),
  )

const migrate = Cli.command("migrate", {
  summary: "voert openstaande migraties uit (de start van de gateway doet dat ook)",
  options: {},
  run: () =>
    onDatabase("migrate", () =>
      Effect.gen(function* () {
        // Database.layer has already migrated; report the state.
        const applied = yield* Migrations.applied
        const last = applied[applied.length - 1]
        yield* say(
          `Schema bijgewerkt: ${applied.length} migratie(s), laatste ${last?.id ?? 0} ${last?.name ?? ""}`.trim(),
        )
      }),
    ),
})

const verifyAudit = Cli.command("verify-audit", {
  summary: "controleert de hash-keten van de toegangslog; afsluitcode 1 als die gebroken is",
  details: `De keten moet ook elk verankerd hoofd in het ankerbestand bereiken (standaard het ankerbestand van
de gateway: AUDIT_ANCHOR_FILE of DATA_DIR/${AuditAnchor.DEFAULT_FILE_NAME}).

${ENVIRONMENT}`,
  options: {
    anchors: Cli.optional(
      Cli.option("anchors", File, {
        placeholder: "<bestand>",
        description: "het ankerbestand om tegen te controleren",
        expected: "een bestandsnaam",
      }),
    ),
  },
  run: (o) =>
    onDatabase("verify-audit", () =>
      Effect.gen(function* () {
        // Without --anchors: the gateway's own anchor file, when it has written one.
        const anchorFile = Path.resolve(o.anchors ?? AuditAnchor.fileFromEnvironment(process.env))
        // Read before the head: an anchor the gateway appends meanwhile cannot be ahead of it. A
        // file named with --anchors must exist (its absence is reported with its absolute path).
        const anchors =
          o.anchors === undefined && !Fs.existsSync(anchorFile) ? [] : yield* AuditAnchor.read(anchorFile)
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
        return Cli.ExitCode.failed
      }).pipe(Effect.provide(AuditLog.Default)),
    ),
})

const rebuildProjections = Cli.command("rebuild-projections", {
  summary: "bouwt elke casusprojectie opnieuw op uit haar gebeurtenissen",
  details: ENVIRONMENT,
  options: {
    check: Cli.flag("check", "vergelijkt alleen, wijzigt niets (afsluitcode 1 bij een verschil)"),
  },
  run: (o) =>
    onDatabase("rebuild-projections", () =>
      Effect.gen(function* () {
        const store = yield* CaseStore
        const report = yield* store.rebuildProjections({ check: o.check })
        const verb = o.check
          ? "wijken af van hun gebeurtenissen (niet gewijzigd: --check)"
          : "weken af en zijn opnieuw opgebouwd"
        yield* say(
          `Projecties: ${report.cases} casus(sen) gecontroleerd, ${report.differed.length} ${verb}, ${report.failed.length} mislukt`,
        )
        for (const caseId of report.differed.slice(0, 50)) yield* say(`  afwijkend: ${caseId}`)
        for (const failure of report.failed) yield* say(`  mislukt: ${failure.caseId}: ${failure.reason}`)
        if (report.failed.length > 0 || (o.check && report.differed.length > 0)) return Cli.ExitCode.failed
        return Cli.ExitCode.ok
      }).pipe(Effect.provide(CaseStore.Default)),
    ),
})

const backup = Cli.command("backup", {
  summary: "maakt een online back-up van de SQLite-database, met de pseudoniemsleutel ernaast",
  details: `De sleutel: DATA_DIR/${Backup.PSEUDONYM_KEY_FILE}. Zonder --to en --dir: backups/ naast het databasebestand.

${ENVIRONMENT}`,
  options: {
    to: Cli.optional(
      Cli.option("to", File, {
        placeholder: "<bestand>",
        description: "schrijf de back-up naar dit bestand",
        expected: "een bestandsnaam",
      }),
    ),
    dir: Cli.optional(
      Cli.option("dir", File, {
        placeholder: "<map>",
        description: "schrijf de back-up met datum en tijd in deze map",
        expected: "een map",
      }),
    ),
  },
  run: (o) =>
    Effect.gen(function* () {
      if (o.to !== undefined && o.dir !== undefined)
        return yield* new Cli.UsageError({ message: "--to en --dir: geef er één van beide" })
      return yield* onDatabase("backup", (config) =>
        Effect.gen(function* () {
          const home = config._tag === "sqlite" ? Path.dirname(Path.resolve(config.filename)) : "."
          const dir = o.dir ?? Path.join(home, "backups")
          // The key the mail package keeps in DATA_DIR (docs/exports.md); a key in the environment
          // is the operator's to keep, and is never written to a file here.
          const keyFile = Path.join(
            process.env.DATA_DIR?.trim() || Database.DEFAULT_DATA_DIR,
            Backup.PSEUDONYM_KEY_FILE,
          )
          const options = { keyFile }
          const result = yield* o.to === undefined
            ? Backup.backupToDirectory(dir, options)
            : Backup.backup(o.to, options)
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
      )
    }),
})

Cli.runMain(
  Cli.group("verzuimregie-store", {
    summary: "Onderhoud van de opslag: migraties, de toegangslog, projecties en back-ups.",
    details: ENVIRONMENT,
    commands: [migrate, verifyAudit, rebuildProjections, backup],
  }),
)
