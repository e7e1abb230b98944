/**
 * Backups of the SQLite file while the system runs, through SQLite's online backup API (via
 * better-sqlite3): a consistent copy, page by page, while writers continue. The copy is written
 * next to its destination under a temporary name, checked (`PRAGMA integrity_check`), and then
 * renamed into place, so a backup file is either complete or absent. Backups and their folder are
 * owner-only (`0600` / `0700`) like the database.
 *
 * PostgreSQL is backed up with its own tools (`pg_dump` / `pg_restore`); see docs/storage.md.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import Sqlite from "better-sqlite3"
import { Effect, Schema } from "effect"
import { createPrivateFile, makePrivateDirectory, PRIVATE_FILE_MODE } from "./internal/connect.js"
import { Database, now } from "./internal/service.js"

export class BackupFailed extends Schema.TaggedError<BackupFailed>()("BackupFailed", {
  destination: Schema.String,
  reason: Schema.String,
}) {
  override get message(): string {
    return `backup to ${this.destination} failed: ${this.reason}`
  }
}

export class BackupUnsupported extends Schema.TaggedError<BackupUnsupported>()("BackupUnsupported", {
  dialect: Schema.String,
}) {
  override get message(): string {
    return "online backup is for the SQLite backend; back up PostgreSQL with pg_dump (see docs/storage.md)"
  }
}

export interface BackupResult {
  readonly path: string
  readonly bytes: number
  readonly pages: number
  readonly tookMs: number
}

/** `verzuimregie-20260301T081500Z.db` in `directory`. */
export const defaultFileName = (at: string): string =>
  `verzuimregie-${at.replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z")}.db`

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Runs SQLite's full integrity check on a file; the first problem, or `undefined` when it is sound. */
export const integrityProblem = (file: string): string | undefined => {
  const db = new Sqlite(file, { fileMustExist: true })
  try {
    // The copy inherits WAL mode; a backup is one self-contained file (the restored database
    // switches back to WAL when it is opened).
    db.pragma("journal_mode = DELETE")
    const rows = db.pragma("integrity_check") as Array<{ integrity_check: string }>
    const first = rows[0]?.integrity_check
    return first === "ok" ? undefined : (first ?? "no answer")
  } finally {
    db.close()
  }
}

/**
 * Writes a consistent copy of the SQLite database to `destination` (a file path; its folder is
 * created). Refuses to overwrite an existing file.
 *
 * @example
 * const result = yield* Backup.backup("/var/backups/verzuimregie/verzuimregie-20260301.db")
 */
export const backup = (
  destination: string,
): Effect.Effect<BackupResult, BackupFailed | BackupUnsupported, Database> =>
  Effect.gen(function* () {
    const db = yield* Database
    const client = db.sqlite
    if (client === undefined) return yield* new BackupUnsupported({ dialect: db.dialect })
    const path = Path.resolve(destination)
    const fail = (error: unknown) => new BackupFailed({ destination: path, reason: reason(error) })
    if (Fs.existsSync(path)) return yield* Effect.fail(fail(new Error("the file exists; choose a new name")))
    const temporary = `${path}.partial-${process.pid}`
    const started = Date.now()
    // A backup is the whole database: owner-only like the database itself, whatever the umask.
    yield* Effect.try({
      try: () => {
        makePrivateDirectory(Path.dirname(path))
        Fs.rmSync(temporary, { force: true })
        createPrivateFile(temporary)
      },
      catch: fail,
    })
    const metadata = yield* client
      .backup(temporary)
      .pipe(Effect.mapError((error) => fail(error.cause ?? error)))
    yield* Effect.try({
      try: () => {
        const problem = integrityProblem(temporary)
        if (problem !== undefined) throw new Error(`the copy fails its integrity check: ${problem}`)
        // Durable (and owner-only, should SQLite have re-created it) before it is renamed into place.
        const fd = Fs.openSync(temporary, "r")
        try {
          Fs.fchmodSync(fd, PRIVATE_FILE_MODE)
          Fs.fsyncSync(fd)
        } finally {
          Fs.closeSync(fd)
        }
        Fs.renameSync(temporary, path)
      },
      catch: fail,
    }).pipe(Effect.tapError(() => Effect.sync(() => Fs.rmSync(temporary, { force: true }))))
    return {
      path,
      bytes: Fs.statSync(path).size,
      pages: metadata.totalPages,
      tookMs: Date.now() - started,
    }
  })

/** A backup into `directory` under a timestamped name. */
export const backupToDirectory = (
  directory: string,
): Effect.Effect<BackupResult, BackupFailed | BackupUnsupported, Database> =>
  Effect.flatMap(now, (at) => backup(Path.join(directory, defaultFileName(at))))
