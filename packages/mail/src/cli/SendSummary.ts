/**
 * `send-summary`: makes one summary now, for one region, and sends it through the outbox — or,
 * with `--dry-run FILE`, only writes the workbook.
 *
 *   pnpm --filter @verzuimregie/mail run send-summary -- --region westland --kind staff
 *   pnpm --filter @verzuimregie/mail run send-summary -- --region westland --kind inspectie --dry-run out.xlsx
 *
 * Options: `--region ID` and `--kind staff|inspectie` (required); `--dry-run FILE`; `--on
 * YYYY-MM-DD` (the day of sending, default today in Europe/Amsterdam: the period is the one that
 * ended before it); `--config FILE` (default `REGIONS_FILE`, else `config/regions.yaml` of the
 * workspace); `--plugins MODULE` (the plug-in registry, default the gateway's built
 * `apps/gateway/dist/plugins.js`). Database and mail settings come from the environment as for
 * the gateway (`DATABASE_URL`, `DATA_DIR`, `SMTP_URL`, …).
 *
 * Options, `--help`, errors and exit codes come from `@verzuimregie/cli`: a problem with an
 * option ends the command with exit code 2 and says which option and why; anything else that fails
 * ends it with exit code 1.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import * as Fs from "node:fs"
import { userInfo } from "node:os"
import * as Path from "node:path"
import { pathToFileURL } from "node:url"
import { CurrentPrincipal, Reports, SystemPrincipals } from "@verzuimregie/app"
import { Cli } from "@verzuimregie/cli"
import { LocalDate } from "@verzuimregie/domain"
import { Inspectie, StaffSummary } from "@verzuimregie/export-xlsx"
import type { Plugin, RegionConfig } from "@verzuimregie/plugin-sdk"
import { RegionConfig as RegionConfigModule } from "@verzuimregie/plugin-sdk"
import { Database, Outbox, Store } from "@verzuimregie/store"
import { Cause, Effect, Either, ManagedRuntime, Runtime, Schema } from "effect"
import * as Mail from "../Mail.js"
import * as MailConfig from "../MailConfig.js"
import * as Messages from "../Messages.js"
import * as PseudonymKey from "../PseudonymKey.js"
import * as Schedules from "../Schedules.js"
import * as Transport from "../Transport.js"
import * as Worker from "../Worker.js"

export interface Io {
  readonly env: MailConfig.Environment
  /** Where relative paths start: the bin passes its own folder (`scripts/run.mjs` runs it where pnpm was started). */
  readonly cwd: string
  readonly out: (line: string) => void
  readonly err: (line: string) => void
}

const usage = (option: string, reason: string) => new Cli.UsageError({ message: `${option}: ${reason}` })
const failure = (message: string) => new Cli.Failed({ message })

/** One request id per run, as the admin command line's (`cli:…`). */
const runId = () => `cli:${randomBytes(9).toString("base64url")}`

/** The operating-system user running the command, for the audit context (`os-jansen`). */
const osUser = (): string => {
  try {
    return `os-${userInfo().username}`
  } catch {
    return `os-${process.env.USER ?? process.env.LOGNAME ?? "onbekend"}`
  }
}

/** The workspace root: the nearest folder up from `from` with a pnpm-workspace.yaml. */
export const workspaceRoot = (from: string): string | undefined => {
  for (let dir = Path.resolve(from); ; dir = Path.dirname(dir)) {
    if (Fs.existsSync(Path.join(dir, "pnpm-workspace.yaml"))) return dir
    if (Path.dirname(dir) === dir) return undefined
  }
}

const loadRegistry = async (
  option: string | undefined,
  io: Io,
): Promise<ReadonlyArray<Plugin.AnyRegionPlugin>> => {
  const root = workspaceRoot(io.cwd)
  const file =
    option === undefined
      ? root === undefined
        ? undefined
        : Path.join(root, "apps", "gateway", "dist", "plugins.js")
      : Path.resolve(io.cwd, option)
  if (file === undefined || !Fs.existsSync(file)) {
    throw usage(
      "--plugins",
      option === undefined
        ? `geen plug-inregister in ${file ?? "apps/gateway/dist/plugins.js"}: bouw de gateway (pnpm turbo run build --filter=@verzuimregie/gateway) of geef --plugins`
        : `bestand bestaat niet: ${file}`,
    )
  }
  let module: { plugins?: unknown }
  try {
    module = (await import(pathToFileURL(file).href)) as { plugins?: unknown }
  } catch (error) {
    throw usage("--plugins", `${file} is niet te laden: ${(error as Error).message}`)
  }
  if (!Array.isArray(module.plugins)) throw usage("--plugins", `${file} exporteert geen lijst "plugins"`)
  return module.plugins as ReadonlyArray<Plugin.AnyRegionPlugin>
}

const configFile = (option: string | undefined, io: Io): string => {
  if (option !== undefined) return Path.resolve(io.cwd, option)
  const fromEnv = io.env.REGIONS_FILE?.trim()
  if (fromEnv) return Path.resolve(io.cwd, fromEnv)
  const root = workspaceRoot(io.cwd)
  return Path.join(root ?? io.cwd, "config", "regions.yaml")
}

/** A calendar date that exists: `2026-02-30` is refused. */
const Day = Schema.String.pipe(Schema.filter(LocalDate.isLocalDate)) as unknown as Schema.Schema<
  LocalDate.LocalDate,
  string
>

/** The options, as the command line declares them. */
const options = {
  region: Cli.text("region", {
    placeholder: "<regio>",
    description: "het id van een geconfigureerde regio",
  }),
  kind: Cli.option("kind", Cli.oneOf("staff", "inspectie"), {
    placeholder: "staff|inspectie",
    description: "het overzicht voor medewerkers of het Inspectie-overzicht",
    expected: "staff of inspectie",
  }),
  dryRun: Cli.optional(
    Cli.option("dry-run", Schema.String.pipe(Schema.endsWith(".xlsx")), {
      placeholder: "<bestand.xlsx>",
      description: "schrijf alleen de werkmap, verstuur niets",
      expected: "een bestandsnaam die eindigt op .xlsx",
    }),
  ),
  on: Cli.optional(
    Cli.option("on", Day, {
      placeholder: "<JJJJ-MM-DD>",
      description: "de dag van verzenden (standaard vandaag); de periode is die ervoor",
      expected: "een datum zoals 2026-03-09",
    }),
  ),
  config: Cli.optional(
    Cli.text("config", {
      placeholder: "<regions.yaml>",
      description: "de regioconfiguratie (standaard REGIONS_FILE, anders config/regions.yaml)",
    }),
  ),
  plugins: Cli.optional(
    Cli.text("plugins", {
      placeholder: "<registry.js>",
      description: "het plug-inregister (standaard apps/gateway/dist/plugins.js)",
    }),
  ),
}

/** What the command reports on: the same as a scheduled mail for the day `on`. */
const dueOf = (
  region: RegionConfig.EnabledRegion,
  kind: Schedules.Kind,
  on: LocalDate.LocalDate,
  now: Date,
): Schedules.Due => {
  if (kind === "staff") {
    const period = Schedules.staffPeriod(region.summaries?.schedule.every ?? "week", on)
    return {
      regionId: region.region.id,
      kind,
      scheduledAt: now,
      period,
      on,
      peildata: [on],
      messageId: `${Schedules.staffMessageId(region.region.id, period.key)}:handmatig:${now.getTime()}`,
    }
  }
  const quarter = Schedules.previousQuarter(on)
  return {
    regionId: region.region.id,
    kind,
    scheduledAt: now,
    period: quarter,
    on: quarter.to,
    peildata: Schedules.inspectiePeildata(quarter),
    messageId: `${Schedules.inspectieMessageId(region.region.id, quarter.key)}:handmatig:${now.getTime()}`,
  }
}

/**
 * The command; `io` says where it reads the environment and writes, `now` when it runs.
 *
 * @since 0.1.0
 */
export const command = (io: Io, now: Date = new Date()): Cli.Command =>
  Cli.command("send-summary", {
    summary:
      "Maakt nu één overzicht voor één regio en verstuurt het via de wachtrij, of schrijft met --dry-run alleen de werkmap.",
    details: `Database en mail komen uit de omgeving, net als voor de gateway (DATABASE_URL, DATA_DIR, SMTP_URL, …).
Relatieve paden gelden vanaf de map waarin u de opdracht geeft.`,
    options,
    run: (o) =>
      work({ ...o, on: o.on ?? LocalDate.todayInAmsterdam(now) }, io, now).catch((error: unknown) => {
        throw unavailable(error)
      }),
  })

/** An unreachable database is exit code 3, as for every command; the store's text says why. */
const unavailable = (error: unknown): unknown => {
  const failure = Runtime.isFiberFailure(error) ? Cause.squash(error[Runtime.FiberFailureCauseId]) : error
  return failure instanceof Database.DatabaseUnavailable
    ? new Cli.Unavailable({ message: failure.message })
    : error
}

/** Runs the command on `argv`; returns the exit code. */
export const run = (argv: ReadonlyArray<string>, io: Io, now: Date = new Date()): Promise<number> =>
  Effect.runPromise(Cli.run(command(io, now), argv, io, io.env))

interface Options {
  readonly region: string
  readonly kind: Schedules.Kind
  readonly dryRun: string | undefined
  readonly on: LocalDate.LocalDate
  readonly config: string | undefined
  readonly plugins: string | undefined
}

const work = async (options: Options, io: Io, now: Date): Promise<number> => {
  const registry = await loadRegistry(options.plugins, io)
  const file = configFile(options.config, io)
  const loaded = await RegionConfigModule.loadRegionConfig(file, registry)
  if (Either.isLeft(loaded)) throw failure(loaded.left.message)
  const region = loaded.right.regions.find((r) => r.region.id === options.region)
  if (region === undefined) {
    throw usage(
      "--region",
      `onbekende regio ${JSON.stringify(options.region)}; ${file} configureert: ${loaded.right.regions.map((r) => r.region.id).join(", ")}`,
    )
  }
  const settings = options.kind === "staff" ? region.summaries : region.inspectie
  if (settings === undefined && options.dryRun === undefined) {
    throw usage(
      "--kind",
      `regio ${region.region.id} heeft geen ${options.kind === "staff" ? "summaries" : "inspectie"} (ontvangers en schema) in ${file}; voeg die toe, of gebruik --dry-run`,
    )
  }
  const mailConfig = MailConfig.fromEnvironment(io.env)
  if (Either.isLeft(mailConfig)) throw failure(mailConfig.left.message)
  const database = Database.fromEnvironment(io.env)
  if (Either.isLeft(database)) throw failure(database.left.message)
  const due = dueOf(region, options.kind, options.on, now)
  const runtime = ManagedRuntime.make(Store.layer(database.right))
  try {
    io.out(`${Database.describeConfig(database.right)}: de casussen van ${region.region.id} lezen…`)
    if (options.dryRun !== undefined) {
      const target = Path.resolve(io.cwd, options.dryRun)
      // The dry run reads the region's cases here: audited as the command line, like the admin CLI.
      const asCommandLine = CurrentPrincipal.provide(
        SystemPrincipals.commandLine({ requestId: runId(), regions: [region.region.id] }),
      )
      if (options.kind === "staff") {
        const summary = await runtime.runPromise(
          Reports.staffSummary({
            region,
            period: due.period,
            on: due.on,
            note: `staff-summary:dry-run:${osUser()}`,
          }).pipe(asCommandLine),
        )
        Fs.writeFileSync(target, StaffSummary.workbook(summary))
        const c = summary.counts
        io.out(
          `overzicht voor medewerkers ${region.region.id} ${due.period.key} (${due.period.from} – ${due.period.to}, peildatum ${due.on}):`,
        )
        io.out(
          `  ${c.newReferrals} nieuw, ${c.open} open, ${c.actionsOverdue} acties te laat, ${c.closed} afgesloten`,
        )
        io.out(`geschreven naar ${target} (niet verstuurd)`)
        return 0
      }
      const key = await Effect.runPromise(PseudonymKey.resolve(mailConfig.right, io.env))
      const overviews = await runtime.runPromise(
        Reports.inspectie({
          region,
          quarter: due.period.key,
          peildata: due.peildata,
          key,
          note: `inspectie-overview:dry-run:${osUser()}`,
        }).pipe(asCommandLine),
      )
      overviews.forEach((o, i) => {
        const last = i === overviews.length - 1
        const path = last ? target : target.replace(/\.xlsx$/, `-${o.peildatum}.xlsx`)
        Fs.writeFileSync(path, Inspectie.workbook(o))
        io.out(
          `Inspectie-overzicht ${region.region.id} ${o.schoolYear.label}, peildatum ${o.peildatum}: ${o.rows.length} rijen → ${path} (niet verstuurd)`,
        )
      })
      return 0
    }
    return await send(runtime, region, due, mailConfig.right, io)
  } finally {
    await runtime.dispose()
  }
}

const send = async (
  runtime: ManagedRuntime.ManagedRuntime<Store.Services | Database.Database, Database.DatabaseUnavailable>,
  region: RegionConfig.EnabledRegion,
  due: Schedules.Due,
  config: MailConfig.MailConfig,
  io: Io,
): Promise<number> => {
  const key =
    due.kind === "inspectie" ? await Effect.runPromise(PseudonymKey.resolve(config, io.env)) : undefined
  const options = { regions: [region], config, workerId: `send-summary-${process.pid}` }
  await runtime.runPromise(
    Effect.flatMap(Outbox.Outbox, (o) => o.enqueue([Messages.fromDue(due, config.retry.maxAttempts)])),
  )
  io.out(
    `${due.messageId} in de wachtrij; versturen via ${MailConfig.describe(config).replace(/^mail: /, "")}…`,
  )
  const transport = Transport.fromConfig(config)
  try {
    // Deliver through the outbox like the gateway's worker. It claims only this region's mail (other
    // due mail of the region goes along); other regions' mail, and mail of no region (sign-in
    // links), is left to the workers that serve them.
    for (let pass = 0; pass < 100; pass++) {
      const result = await runtime.runPromise(
        Worker.processBatch(
          { ...Mail.workerOptions(options), installationMail: false },
          Mail.renderEnv(options, key),
        ).pipe(Effect.provideService(Transport.Mailer, transport)),
      )
      const mine = result.outcomes.find((o) => o.messageId === due.messageId)
      if (mine?.outcome === "sent") {
        const recipients = (due.kind === "staff" ? region.summaries : region.inspectie)?.recipients ?? []
        io.out(`${due.messageId} verstuurd naar ${recipients.map((r) => r.email).join(", ")}`)
        return 0
      }
      if (mine?.outcome === "dead") {
        io.err(
          `send-summary: ${due.messageId} is definitief mislukt en een dode brief (zie verzuimregie-admin mail dead-letters)`,
        )
        return 1
      }
      if (mine !== undefined) {
        io.err(
          `send-summary: versturen is nu mislukt; ${due.messageId} wacht in de wachtrij en de mailworker van de gateway probeert het opnieuw`,
        )
        return 1
      }
      if (result.claimed === 0) break
    }
    io.err(
      `send-summary: ${due.messageId} staat in de wachtrij, maar is hier niet verstuurd; de mailworker van de gateway verstuurt het`,
    )
    return 1
  } finally {
    transport.close()
  }
}
