#!/usr/bin/env node
/**
 * Maintenance commands for the store: migrate, verify-audit, rebuild-projections, backup.
 * The database comes from DATABASE_URL / DATA_DIR, as for the gateway.
 *
 * Exit codes: 0 done, 1 could not run (database unavailable, bad arguments…), 2 the check found
 * a problem (broken audit chain, projections that differ from their events).
 */
import * as Path from "node:path"
import { Cause, Effect, Exit, Layer } from "effect"
import * as AuditAnchor from "../AuditAnchor.js"
import { AuditLog } from "../AuditLog.js"
import * as Backup from "../Backup.js"
import { CaseStore } from "../CaseStore.js"
import * as Database from "../Database.js"
import * as Migrations from "../Migrations.js"

const USAGE = `Usage: verzuimregie-store <command> [options]

Commands:
  migrate                           apply pending migrations (start-up does this too)
  verify-audit [--anchors FILE]     recompute the audit log's hash chain; exit 2 when broken;
                                    --anchors: the chain must also reach every head anchored
                                    in FILE (the gateway's AUDIT_ANCHOR_FILE)
  rebuild-projections [--check]     rebuild every case projection from its events;
                                    --check only compares (exit 2 when any differs)
  backup [--to FILE | --dir DIR]    online backup of the SQLite database
                                    (default DIR: backups/ next to the database file)

Environment:
  DATABASE_URL   postgres://user:password@host:5432/db, or sqlite:/path/file.db
  DATA_DIR       folder of the default SQLite file verzuimregie.db (default ./data)

Relative paths are taken from the directory pnpm was started in (INIT_CWD), else the current one.`

class UsageError extends Error {}
class CheckFailed extends Error {}

const option = (args: ReadonlyArray<string>, name: string): string | undefined => {
  const i = args.indexOf(name)
  if (i === -1) return undefined
  const value = args[i + 1]
  if (value === undefined || value.startsWith("--")) throw new UsageError(`${name} needs a value`)
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
        `Schema up to date: ${applied.length} migration(s), latest ${last?.id ?? 0} ${last?.name ?? ""}`.trim(),
      )
    }),
  "verify-audit": (args) =>
    Effect.gen(function* () {
      const file = option(args, "--anchors")
      // Read before the head: an anchor the gateway appends meanwhile cannot be ahead of it.
      const anchors = file === undefined ? [] : yield* AuditAnchor.read(file)
      const audit = yield* AuditLog
      const result = yield* audit.verify({ anchors })
      if (result.ok) {
        yield* say(`Audit chain OK: ${result.records} records, head ${result.headSeq} ${result.headHash}`)
        if (file !== undefined) {
          const last = anchors[anchors.length - 1]
          yield* say(
            `Anchors OK: the chain reaches all ${anchors.length} anchored head(s) in ${file}${last === undefined ? "" : ` (latest: record ${last.seq} at ${last.at})`}`,
          )
        }
        return
      }
      yield* say(`Audit chain BROKEN: ${result.problems.length} problem(s) in ${result.records} records`)
      for (const problem of result.problems) yield* say(`  - [${problem.kind}] ${problem.detail}`)
      yield* say("Keep the database as it is (make a copy) and report this as a security incident.")
      return yield* Effect.fail(new CheckFailed("audit chain broken"))
    }).pipe(Effect.provide(AuditLog.Default)),
  "rebuild-projections": (args) =>
    Effect.gen(function* () {
      const check = args.includes("--check")
      const store = yield* CaseStore
      const report = yield* store.rebuildProjections({ check })
      const verb = check ? "differ from their events (not changed: --check)" : "differed and were rebuilt"
      yield* say(
        `Projections: ${report.cases} case(s) checked, ${report.differed.length} ${verb}, ${report.failed.length} failed`,
      )
      for (const caseId of report.differed.slice(0, 50)) yield* say(`  differed: ${caseId}`)
      for (const failure of report.failed) yield* say(`  failed: ${failure.caseId}: ${failure.reason}`)
      if (report.failed.length > 0 || (check && report.differed.length > 0)) {
        return yield* Effect.fail(new CheckFailed("projections differ"))
      }
    }).pipe(Effect.provide(CaseStore.Default)),
  backup: (args, config) =>
    Effect.gen(function* () {
      const to = option(args, "--to")
      const home = config._tag === "sqlite" ? Path.dirname(Path.resolve(config.filename)) : "."
      const dir = option(args, "--dir") ?? Path.join(home, "backups")
      const result = yield* to === undefined ? Backup.backupToDirectory(dir) : Backup.backup(to)
      yield* say(
        `Backup written: ${result.path} (${result.bytes} bytes, ${result.pages} pages, ${result.tookMs} ms, integrity ok)`,
      )
      yield* say(
        "Restore: stop the gateway; move the database file and its -wal / -shm files aside; copy the backup in its place; start; run verify-audit (docs/storage.md).",
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
    process.stderr.write(`Unknown command ${name}\n\n${USAGE}\n`)
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
