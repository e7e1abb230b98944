/**
 * Backups of the SQLite file while the system runs, through SQLite's online backup API (via
 * better-sqlite3): a consistent copy, page by page, while writers continue. The copy is written
 * next to its destination under a temporary name, checked (`PRAGMA integrity_check`), and then
 * renamed into place, so a backup file is either complete or absent. Backups and their folder are
 * owner-only (`0600` / `0700`) like the database.
 *
 * The Inspectie pseudonym key file (`DATA_DIR/inspectie-pseudoniem.key`, see docs/exports.md) is
 * copied beside the database backup, readable by the owner only: without it, a restored database
 * gives every pupil a new pseudonym. Both files appear together or neither does.
 *
 * PostgreSQL is backed up with its own tools (`pg_dump` / `pg_restore`); see docs/storage.md.
 *
 * @since 0.1.0
 */

import * as Fs from "node:fs"
import * as Path from "node:path"
import { HttpMeaning } from "@verzuimregie/domain"
import Sqlite from "better-sqlite3"
import { Effect, Schema } from "effect"
import { createPrivateFile, makePrivateDirectory, PRIVATE_FILE_MODE } from "./internal/connect.js"
import { Database, now } from "./internal/service.js"

export class BackupFailed extends Schema.TaggedError<BackupFailed>()(
  "BackupFailed",
  {
    destination: Schema.String,
    reason: Schema.String,
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return `back-up naar ${this.destination} mislukt: ${this.reason}`
  }
}

export class BackupUnsupported extends Schema.TaggedError<BackupUnsupported>()(
  "BackupUnsupported",
  {
    dialect: Schema.String,
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return "de online back-up is voor SQLite; maak van PostgreSQL een back-up met pg_dump (zie docs/storage.md)"
  }
}

/** The pseudonym key file the embedded set-up keeps in `DATA_DIR` (made by the mail package). */
export const PSEUDONYM_KEY_FILE = "inspectie-pseudoniem.key"

/** Where the key goes beside a backup: `…/verzuimregie-20260301T081500Z.inspectie-pseudoniem.key`. */
export const keyBackupPath = (backupPath: string): string =>
  `${backupPath.replace(/\.db$/, "")}.${PSEUDONYM_KEY_FILE}`

export interface BackupOptions {
  /** The pseudonym key file to copy beside the backup; skipped when the file does not exist. */
  readonly keyFile?: string | undefined
}

export interface BackupResult {
  readonly path: string
  /** The copy of the pseudonym key (mode 0600), when there was a key file to copy. */
  readonly keyPath?: string
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
  options: BackupOptions = {},
): Effect.Effect<BackupResult, BackupFailed | BackupUnsupported, Database> =>
  Effect.gen(function* () {
    const db = yield* Database
    const client = db.sqlite
    if (client === undefined) return yield* new BackupUnsupported({ dialect: db.dialect })
    const path = Path.resolve(destination)
    const fail = (error: unknown) => new BackupFailed({ destination: path, reason: reason(error) })
    if (Fs.existsSync(path))
      return yield* Effect.fail(fail(new Error("het bestand bestaat al; kies een nieuwe naam")))
    const keySource = options.keyFile === undefined ? undefined : Path.resolve(options.keyFile)
    const keyPath = keySource !== undefined && Fs.existsSync(keySource) ? keyBackupPath(path) : undefined
    if (keyPath !== undefined && Fs.existsSync(keyPath))
      return yield* Effect.fail(fail(new Error(`${keyPath} bestaat al; kies een nieuwe naam`)))
    const temporary = `${path}.partial-${process.pid}`
    const keyTemporary = `${keyPath}.partial-${process.pid}`
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
        if (problem !== undefined)
          throw new Error(`de kopie doorstaat de integriteitscontrole niet: ${problem}`)
        // Durable (and owner-only, should SQLite have re-created it) before it is renamed into place.
        const fd = Fs.openSync(temporary, "r")
        try {
          Fs.fchmodSync(fd, PRIVATE_FILE_MODE)
          Fs.fsyncSync(fd)
        } finally {
          Fs.closeSync(fd)
        }
        // The key is copied before either file is renamed into place: both appear, or neither.
        if (keyPath !== undefined && keySource !== undefined) copyPrivate(keySource, keyTemporary)
        Fs.renameSync(temporary, path)
        if (keyPath !== undefined) Fs.renameSync(keyTemporary, keyPath)
      },
      catch: fail,
    }).pipe(
      Effect.tapError(() =>
        Effect.sync(() => {
          Fs.rmSync(temporary, { force: true })
          Fs.rmSync(keyTemporary, { force: true })
        }),
      ),
    )
    return {
      path,
      ...(keyPath === undefined ? {} : { keyPath }),
      bytes: Fs.statSync(path).size,
      pages: metadata.totalPages,
      tookMs: Date.now() - started,
    }
  })

/** A backup into `directory` under a timestamped name. */
export const backupToDirectory = (
  directory: string,
  options: BackupOptions = {},
): Effect.Effect<BackupResult, BackupFailed | BackupUnsupported, Database> =>
  Effect.flatMap(now, (at) => backup(Path.join(directory, defaultFileName(at)), options))

/** Copies a secret file to a new file only its owner can read (0600 whatever the umask), durably. */
const copyPrivate = (source: string, target: string): void => {
  const content = Fs.readFileSync(source)
  const fd = Fs.openSync(target, "wx", 0o600)
  try {
    Fs.fchmodSync(fd, 0o600)
    Fs.writeFileSync(fd, content)
    Fs.fsyncSync(fd)
  } finally {
    Fs.closeSync(fd)
  }
}
