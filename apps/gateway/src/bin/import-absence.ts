#!/usr/bin/env node
/**
 * verzuimregie-import-absence: imports a school's absence export (CSV or xlsx) from the command
 * line, on the gateway's database (DATABASE_URL / DATA_DIR), through the same use case as
 * `POST /absence/imports` and the upload page (`Absence.importFile`).
 *
 *   pnpm import-absence -- --school <org-id> --mapping <naam> [--from dd-mm-jjjj --to dd-mm-jjjj]
 *     [--skip-bad-rows] <bestand.csv|xlsx>
 *
 * Who imports: the holder of an API token of the school (a `school-verzuim` user or service
 * account of that organisation), given in VERZUIMREGIE_TOKEN, never on the command line (where
 * `ps` shows it). The command authenticates it as the API does and runs the use case as that
 * principal through the door `cli`; the audit records name the account and the operating-system
 * user (`cli:import-absence:os-jansen`). The admin CLI's stand-in installation admin does not fit:
 * an import belongs to one school, and only that school's own accounts may write its absence data.
 *
 * Relative paths are the user's (scripts/run.mjs runs the command in the directory pnpm was run
 * in). The summary goes to stdout; progress, and on a refusal every bad row as
 * `bestand:regel:kolom: reden` (the first 100, then how many more), to stderr. Exit codes of
 * `@verzuimregie/cli`: 0 imported, 1 refused or failed, 2 wrong use, 3 database unreachable.
 */
import { randomBytes } from "node:crypto"
import { constants } from "node:fs"
import { access, stat } from "node:fs/promises"
import { userInfo } from "node:os"
import { resolve } from "node:path"
import { Absence, AuditTrail, CurrentPrincipal, Regions } from "@verzuimregie/app"
import { Cli } from "@verzuimregie/cli"
import { Ids, LocalDate } from "@verzuimregie/domain"
import { Accounts, Database, Store } from "@verzuimregie/store"
import { Effect, Either, Layer, Option, ParseResult, Schema } from "effect"
import { configFile, loadConfig } from "../config.js"

const NAME = "verzuimregie-import-absence"
/** How many bad rows are printed; the report holds at most as many. */
const MAX_LISTED = 100

/** A day as the operator types it: `dd-mm-jjjj` (as Dutch exports write it) or `jjjj-mm-dd`. */
export const DutchDate: Schema.Schema<LocalDate.LocalDate, string> = Schema.transformOrFail(
  Schema.String,
  LocalDate.LocalDate,
  {
    strict: true,
    decode: (text, _, ast) => {
      const dutch = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(text.trim())
      const iso =
        dutch === null
          ? text.trim()
          : `${dutch[3]}-${dutch[2]?.padStart(2, "0")}-${dutch[1]?.padStart(2, "0")}`
      return LocalDate.isLocalDate(iso)
        ? ParseResult.succeed(iso)
        : ParseResult.fail(new ParseResult.Type(ast, text, "geen bestaande dag"))
    },
    encode: (date) => ParseResult.succeed(date),
  },
)

/** `2026-02-06` → `06-02-2026`, as the operator typed it. */
const dutch = (date: string): string => date.split("-").reverse().join("-")

const nl = (n: number): string => n.toLocaleString("nl-NL")

/** The default period: the school year of `today` (from 1 August), up to today. */
export const schoolYearSoFar = (today: LocalDate.LocalDate) => ({
  from: LocalDate.schoolYearOf(today).start,
  to: today,
})

const osUser = (): string => {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? "onbekend"
  }
}

/** Progress on stderr: a bar that redraws itself on a terminal, a plain line per tenth otherwise. */
export const progressReporter = (stream: NodeJS.WriteStream, label: string) => {
  const tty = stream.isTTY === true
  let lastTenth = -1
  let lastDraw = 0
  let drawn = false
  const update = (p: { readonly bytesRead: number; readonly totalBytes: number; readonly rows: number }) => {
    const fraction = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0
    if (tty) {
      const now = Date.now()
      if (now - lastDraw < 100 && fraction < 1) return
      lastDraw = now
      const width = 30
      const full = Math.round(fraction * width)
      stream.write(
        `\r${label} [${"#".repeat(full)}${"-".repeat(width - full)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${nl(p.rows)} regels`,
      )
      drawn = true
      return
    }
    const tenth = Math.floor(fraction * 10)
    if (tenth > lastTenth) {
      lastTenth = tenth
      stream.write(`${label}: ${tenth * 10}% gelezen, ${nl(p.rows)} regels\n`)
    }
  }
  const done = () => {
    if (tty && drawn) stream.write("\n")
  }
  return { update, done }
}

/** The flag a use case's field issue is about, so the operator sees the option they typed. */
const FLAG_OF: Record<string, string> = {
  mapping: "--mapping",
  schoolId: "--school",
  school: "--school",
  "period.from": "--from",
  "period.to": "--to",
  regionId: "--region",
  period: "--from/--to",
  from: "--from",
  to: "--to",
}

/** The use case's refusals as the command line says them (and with which exit code). */
const cliError = (error: unknown): unknown => {
  const tagged = error as {
    readonly _tag?: unknown
    readonly message?: unknown
    readonly detail?: unknown
    readonly issues?: ReadonlyArray<{ readonly path: string; readonly message: string }>
  }
  switch (tagged?._tag) {
    case "DatabaseUnavailable":
    case "SqlError":
      return new Cli.Unavailable({ message: `database niet bereikbaar: ${String(tagged.message ?? "")}` })
    case "NotFound":
      if (/regio/i.test(String(tagged.detail ?? "")))
        return new Cli.UsageError({
          message: "--region: deze regio is niet een van de regio's van het token",
        })
      return new Cli.UsageError({
        message:
          "--school: deze school bestaat niet, of het token in VERZUIMREGIE_TOKEN hoort niet bij deze school",
      })
    case "Forbidden":
      return new Cli.Failed({
        message:
          "het token in VERZUIMREGIE_TOKEN mag geen verzuim importeren: het hoort bij een account met de rol school-verzuim van de school",
      })
    case "ValidationError":
      return new Cli.UsageError({
        message: (tagged.issues ?? [])
          .map((i) => (FLAG_OF[i.path] === undefined ? i.message : `${FLAG_OF[i.path]}: ${i.message}`))
          .join("\n"),
      })
    default:
      return error
  }
}

const command = Cli.command(NAME, {
  summary: "Importeert de verzuimexport van een school (CSV of xlsx) en werkt de signalen bij.",
  details: `Het token: VERZUIMREGIE_TOKEN, een API-token van een account met de rol school-verzuim van de school
(een serviceaccount: pnpm admin -- token create --user <user-id>). Nooit als optie: dan staat het in ps.
Database: DATABASE_URL (postgres://…) of DATA_DIR (standaard ./data), net als de gateway.
De periode: de registraties van de school in die periode worden vervangen door die van het bestand
(correcties: opnieuw importeren, er verdubbelt niets). Standaard het schooljaar tot en met vandaag.
Alles of niets: één foute regel weigert het bestand (elke foute regel als bestand:regel:kolom: reden,
de eerste ${MAX_LISTED}), tenzij --skip-bad-rows; dan noemt het verslag elke overgeslagen regel.
Voorbeeld: pnpm import-absence -- --school org_0a1b2c3d4e5f6g7h --mapping magister \\
  --from 25-08-2025 --to 10-07-2026 verzuim-2025-2026.csv`,
  options: {
    school: Cli.option("school", Ids.OrganisationId, {
      placeholder: "<org-id>",
      description: "de school (organisatie-id, zie pnpm admin -- org list)",
      expected: "een organisatie-id zoals org_0a1b2c3d4e5f6g7h",
    }),
    mapping: Cli.text("mapping", {
      placeholder: "<naam>",
      description: "de koppeling van de export, bijvoorbeeld magister (zie docs/absence.md)",
    }),
    from: Cli.optional(
      Cli.option("from", DutchDate, {
        placeholder: "<dd-mm-jjjj>",
        description: "eerste dag van de periode van de export",
        expected: "een datum dd-mm-jjjj, bijvoorbeeld 25-08-2025",
      }),
    ),
    to: Cli.optional(
      Cli.option("to", DutchDate, {
        placeholder: "<dd-mm-jjjj>",
        description: "laatste dag van de periode van de export",
        expected: "een datum dd-mm-jjjj, bijvoorbeeld 10-07-2026",
      }),
    ),
    skipBadRows: Cli.flag("skip-bad-rows", "foute regels overslaan en de rest importeren"),
    region: Cli.optional(
      Cli.option("region", Ids.RegionId, {
        placeholder: "<regio>",
        description: "de regio van de school; alleen nodig bij een account van meer regio's",
        expected: "een regio-id zoals westland",
      }),
    ),
  },
  args: Cli.args("<bestand>", Cli.NonEmpty, {
    description: "de export: een .csv of .xlsx",
    expected: "een bestandsnaam",
    min: 1,
    max: 1,
  }),
  run: (o, files) =>
    Effect.gen(function* () {
      const typed = files[0] as string
      const path = resolve(typed)
      const readable = yield* Effect.promise(() =>
        access(path, constants.R_OK).then(
          () => stat(path).then((s) => s.isFile()),
          () => false,
        ),
      )
      if (!readable)
        return yield* new Cli.UsageError({ message: `<bestand>: ${typed} bestaat niet of is niet te lezen` })
      const today = LocalDate.todayInAmsterdam()
      const fallback = schoolYearSoFar(today)
      const period = { from: o.from ?? fallback.from, to: o.to ?? fallback.to }
      if (period.from > period.to)
        return yield* new Cli.UsageError({
          message: `--to: de periode eindigt (${dutch(period.to)}) voor ze begint (${dutch(period.from)})`,
        })
      const token = process.env.VERZUIMREGIE_TOKEN?.trim() ?? ""
      if (token === "")
        return yield* new Cli.UsageError({
          message:
            "zet VERZUIMREGIE_TOKEN op een API-token van een account met de rol school-verzuim van de school",
        })
      const db = Database.fromEnvironment(process.env)
      if (Either.isLeft(db)) return yield* new Cli.UsageError({ message: db.left.message })
      const config = yield* Effect.promise(() => loadConfig(configFile(process.env)))
      if (Either.isLeft(config))
        return yield* new Cli.Failed({ message: `regioconfiguratie niet te laden: ${config.left.message}` })

      const requestId = `cli:${randomBytes(9).toString("base64url")}`
      const progress = progressReporter(process.stderr, typed)
      const work = Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const found = yield* accounts.authenticate(token)
        if (Option.isNone(found))
          return yield* new Cli.Failed({
            message: "het token in VERZUIMREGIE_TOKEN is onbekend, verlopen of ingetrokken",
          })
        const caller: CurrentPrincipal.Caller = {
          principal: CurrentPrincipal.principalOf(found.value.user, found.value.tokenId),
          door: "cli",
          requestId,
          purpose: "verzuimsignalering",
          origin: `cli:import-absence:${AuditTrail.auditContext(`os-${osUser()}`)}`,
        }
        return yield* Absence.importFile({
          schoolId: o.school,
          mapping: o.mapping,
          period,
          file: { path, name: typed },
          skipBadRows: o.skipBadRows,
          ...(o.region === undefined ? {} : { regionId: o.region }),
          onProgress: progress.update,
        }).pipe(CurrentPrincipal.provide(caller))
      }).pipe(
        Effect.ensuring(Effect.sync(progress.done)),
        Effect.provide(Layer.merge(Store.layer(db.right), Regions.layer(config.right))),
        Effect.mapError(cliError),
      )
      const report = yield* work
      const out = (line: string) => process.stdout.write(`${line}\n`)
      const err = (line: string) => process.stderr.write(`${line}\n`)
      const where = (p: Absence.ImportReportProblem) => `${typed}:${p.line}:${p.column}: ${p.reason}`
      if (report.outcome === "geweigerd") {
        if (report.fileProblem !== null) err(`${typed}: ${report.fileProblem}`)
        for (const p of report.problems.slice(0, MAX_LISTED)) err(where(p))
        const more = report.problemCount - Math.min(report.problems.length, MAX_LISTED)
        if (more > 0) err(`… en nog ${nl(more)} foute ${more === 1 ? "regel" : "regels"}`)
        return yield* new Cli.Failed({
          message:
            report.fileProblem !== null
              ? `${typed}: geweigerd, er is niets geïmporteerd`
              : `${typed}: geweigerd, er is niets geïmporteerd: ${nl(report.problemCount)} foute ${report.problemCount === 1 ? "regel" : "regels"}. Verbeter het bestand, of importeer met --skip-bad-rows zonder die regels.`,
        })
      }
      // Skipped rows are named as a refusal would name them: the operator can correct them later.
      for (const p of report.problems.slice(0, MAX_LISTED)) err(`overgeslagen: ${where(p)}`)
      const moreSkipped = report.problemCount - Math.min(report.problems.length, MAX_LISTED)
      if (moreSkipped > 0) err(`… en nog ${nl(moreSkipped)} overgeslagen regels`)
      const { format, rows, signals } = report
      const read =
        format.kind === "xlsx"
          ? "xlsx"
          : `csv, scheidingsteken ${JSON.stringify(format.delimiter ?? "?")}, ${format.encoding ?? "?"}`
      out(`${typed}: geïmporteerd (${read})`)
      out(`  periode:        ${dutch(report.period.from)} t/m ${dutch(report.period.to)}`)
      out(`  regels gelezen: ${nl(rows.read)}`)
      out(`  geïmporteerd:   ${nl(rows.imported)}`)
      if (rows.skipped > 0) out(`  overgeslagen:   ${nl(rows.skipped)}`)
      out(`  vervangen:      ${nl(report.replaced)} eerdere registraties in de periode`)
      out(
        `  signalen:       ${nl(signals.created)} nieuw, ${nl(signals.reopened)} heropend, ${nl(signals.updated)} bijgewerkt, ${nl(signals.withdrawn)} vervallen`,
      )
      if (report.importId !== null) out(`  import:         ${report.importId}`)
    }),
})

Cli.runMain(command)
