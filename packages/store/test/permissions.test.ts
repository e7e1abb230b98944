/**
 * The SQLite database holds minors' case files: its folder is created `0700`, the file and its
 * `-wal` / `-shm` `0600`, and so are backups, whatever the umask (tested under the common 022).
 * A start on existing files that others may read warns, and leaves them as they are.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Effect, Layer, Logger, ManagedRuntime } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { AuditLog } from "../src/AuditLog.js"
import * as Backup from "../src/Backup.js"
import * as Database from "../src/Database.js"
import * as Store from "../src/Store.js"
import { tempDir } from "./support/backends.js"
import { auditEntry } from "./support/factories.js"

const modeOf = (path: string): string => (Fs.statSync(path).mode & 0o777).toString(8).padStart(4, "0")

let previousUmask = 0
let dir = ""
beforeEach(() => {
  // This file runs in its own forked process (pool: forks), so the umask is this file's alone.
  previousUmask = process.umask(0o022)
  dir = tempDir()
})
afterEach(() => {
  process.umask(previousUmask)
  Fs.rmSync(dir, { recursive: true, force: true })
})

/** Runs `use` on a store at `filename`, collecting the warnings logged while it opens and runs. */
const withStore = async <A>(
  filename: string,
  use: Effect.Effect<A, unknown, Store.Services | Database.Database>,
) => {
  const warnings: Array<string> = []
  const logger = Logger.make(({ logLevel, message }) => {
    if (logLevel._tag === "Warning")
      warnings.push(Array.isArray(message) ? message.join(" ") : String(message))
  })
  const runtime = ManagedRuntime.make(
    Store.layer(Database.sqlite(filename)).pipe(Layer.provide(Logger.replace(Logger.defaultLogger, logger))),
  )
  try {
    const result = await runtime.runPromise(use)
    return { result, warnings }
  } finally {
    await runtime.dispose()
  }
}

const writeSomething = Effect.flatMap(AuditLog, (audit) => audit.append([auditEntry()]))

describe("file permissions (SQLite)", () => {
  it("creates the data folder 0700 and the database, -wal and -shm 0600 under umask 022", async () => {
    const dataDir = Path.join(dir, "nieuw", "data")
    const filename = Path.join(dataDir, "verzuimregie.db")
    const { warnings } = await withStore(
      filename,
      Effect.gen(function* () {
        yield* writeSomething
        // While the connection is open, the WAL and the shared-memory index exist.
        expect(Fs.existsSync(`${filename}-wal`)).toBe(true)
        expect(Fs.existsSync(`${filename}-shm`)).toBe(true)
        expect({
          folder: modeOf(dataDir),
          parent: modeOf(Path.dirname(dataDir)),
          file: modeOf(filename),
          wal: modeOf(`${filename}-wal`),
          shm: modeOf(`${filename}-shm`),
        }).toEqual({ folder: "0700", parent: "0700", file: "0600", wal: "0600", shm: "0600" })
      }),
    )
    expect(warnings).toEqual([])
  })

  it("writes backups 0600 in a 0700 folder under umask 022", async () => {
    const filename = Path.join(dir, "data", "verzuimregie.db")
    const backups = Path.join(dir, "backups")
    const { result } = await withStore(
      filename,
      Effect.zipRight(writeSomething, Backup.backupToDirectory(backups)),
    )
    expect(modeOf(backups)).toBe("0700")
    expect(modeOf(result.path)).toBe("0600")
    expect(Fs.readdirSync(backups)).toEqual([Path.basename(result.path)])
  })

  it("warns at start-up about existing files others may read, and leaves them as they are", async () => {
    const dataDir = Path.join(dir, "data")
    const filename = Path.join(dataDir, "verzuimregie.db")
    await withStore(filename, writeSomething)
    Fs.chmodSync(dataDir, 0o755)
    Fs.chmodSync(filename, 0o644)
    const { warnings } = await withStore(filename, writeSomething)
    expect(warnings).toEqual([
      expect.stringContaining(`${dataDir} is open to other users (mode 0755)`),
      expect.stringContaining(`${filename} is open to other users (mode 0644)`),
    ])
    expect(modeOf(filename)).toBe("0644")
    // A private installation starts without a word.
    Fs.chmodSync(dataDir, 0o700)
    Fs.chmodSync(filename, 0o600)
    expect((await withStore(filename, writeSomething)).warnings).toEqual([])
  })
})
