/**
 * Opening the two backends, with every failure turned into one readable `DatabaseUnavailable`.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { HttpMeaning } from "@verzuimregie/domain"
import { Cause, Duration, Effect, Layer, Redacted, Schema } from "effect"
import pg from "pg"
import { errorCode } from "./sql.js"

/** What failed while the database was being opened. */
export const Stage = Schema.Literal("configure", "create-directory", "open", "connect", "migrate")
export type Stage = typeof Stage.Type

export class DatabaseUnavailable extends Schema.TaggedError<DatabaseUnavailable>()(
  "DatabaseUnavailable",
  {
    /** The SQLite file or the PostgreSQL URL, with the password masked. */
    target: Schema.String,
    stage: Stage,
    reason: Schema.String,
    /** What the operator can do about it. */
    hint: Schema.String,
  },
  HttpMeaning.status(503, { detail: "De database is niet bereikbaar." }),
) {
  override get message(): string {
    const what: Record<Stage, string> = {
      configure: "de database-instellingen kloppen niet",
      "create-directory": "de gegevensmap kon niet worden aangemaakt",
      open: "het bestand kon niet als database worden geopend",
      connect: "er kon geen verbinding worden gemaakt",
      migrate: "het databaseschema kon niet worden bijgewerkt",
    }
    // The operator's text is Dutch; the reason is the driver's own message (SQLite, PostgreSQL,
    // Node), kept as it is with its code so it can be looked up.
    return [
      `Database niet beschikbaar (${this.target}): ${what[this.stage]}.`,
      `  Oorzaak: ${this.reason}`,
      `  Wat te doen: ${this.hint}`,
    ].join("\n")
  }
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; never echoes a password. */
export const maskUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.password !== "") parsed.password = "***"
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, "***")
    }
    // `options=-c search_path=…` is noise for an operator.
    parsed.searchParams.delete("options")
    return parsed.toString()
  } catch {
    return url
      .replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@")
      .replace(/^([a-z]+:\/\/).*$/i, "$1(unparseable URL)")
  }
}

const describe = (error: unknown): string => {
  const cause = (error as { cause?: unknown }).cause ?? error
  const message = cause instanceof Error ? cause.message : String(cause)
  const code = errorCode(error) ?? (cause as { code?: unknown }).code
  const aggregate =
    cause instanceof AggregateError ? cause.errors.map((e) => String(e.message)).join("; ") : ""
  const text = message === "" && aggregate !== "" ? aggregate : message
  return typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text
}

const codeOf = (error: unknown): string | undefined => {
  const direct = errorCode(error)
  if (direct !== undefined) return direct
  const cause = (error as { cause?: unknown }).cause
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code
  return typeof code === "string" ? code : undefined
}

const sqliteHint = (code: string | undefined): string => {
  switch (code) {
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return "het bestand is beschadigd of is geen SQLite-database. Zet de laatste back-up terug (docs/storage.md, 'Restore') of wijs DATA_DIR / DATABASE_URL een ander bestand aan; verwijder het bestand niet voordat er een kopie van is."
    case "SQLITE_CANTOPEN":
    case "SQLITE_READONLY":
    case "SQLITE_PERM":
    case "SQLITE_IOERR":
      return "controleer dat het bestand en de map bestaan, op een lokale schijf staan en schrijfbaar zijn voor de gebruiker die verzuimregie draait."
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return "een ander proces houdt de database op slot; stop dat proces (of wacht) en start opnieuw."
    default:
      return "controleer DATA_DIR / DATABASE_URL en de rechten op het bestand; zie docs/storage.md, 'Start-up errors'."
  }
}

const pgHint = (code: string | undefined): string => {
  switch (code) {
    case "ECONNREFUSED":
      return "op die host en poort neemt niets verbindingen aan: start PostgreSQL of verbeter DATABASE_URL."
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "de hostnaam is onbekend: verbeter de host in DATABASE_URL."
    case "ETIMEDOUT":
    case "TIMEOUT":
      return "de server antwoordde niet op tijd: controleer de host, de poort en een eventuele firewall ertussen."
    case "28P01":
    case "28000":
      return "PostgreSQL weigerde de aanmelding: controleer gebruiker en wachtwoord in DATABASE_URL en pg_hba.conf."
    case "3D000":
      return "de database bestaat niet: maak hem aan (createdb NAAM) of verbeter de databasenaam in DATABASE_URL."
    case "42501":
      return "de gebruiker mist een recht: geef CREATE op de database of het schema, of gebruik de eigenaarsrol."
    default:
      return "controleer DATABASE_URL en of PostgreSQL draait; zie docs/storage.md, 'Start-up errors'."
  }
}

export const unavailable = (
  target: string,
  stage: Stage,
  error: unknown,
  hint?: string,
): DatabaseUnavailable => {
  const code = codeOf(error)
  const isPg = target.startsWith("PostgreSQL")
  return new DatabaseUnavailable({
    target,
    stage,
    reason: describe(error),
    hint: hint ?? (isPg ? pgHint(code) : sqliteHint(code)),
  })
}

const squash = (cause: Cause.Cause<unknown>): unknown => Cause.squash(cause)

export interface SqliteOptions {
  readonly filename: string
  /** Longest the driver blocks on a lock per attempt; write transactions retry asynchronously. */
  readonly busyTimeoutMs: number
  /** Fail instead of creating a missing file (checks and maintenance commands). */
  readonly mustExist?: boolean | undefined
}

/**
 * The database holds minors' case files: only the user running verzuimregie may read it (AVG
 * art. 32, appropriate technical measures), whatever the umask. SQLite gives the `-wal` and
 * `-shm` files the mode of the database file, so creating that file owner-only covers them.
 */
export const PRIVATE_FILE_MODE = 0o600
export const PRIVATE_DIRECTORY_MODE = 0o700

/** Creates the folder (and missing parents) owner-only; an existing folder is left as it is. */
export const makePrivateDirectory = (directory: string): void => {
  const created = Fs.mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE })
  if (created === undefined) return
  // `mode` is filtered by the umask; an unusual umask (0o277) must not leave the owner out either.
  for (let dir = Path.resolve(directory); ; dir = Path.dirname(dir)) {
    Fs.chmodSync(dir, PRIVATE_DIRECTORY_MODE)
    if (dir === Path.resolve(created) || dir === Path.dirname(dir)) return
  }
}

/** Creates an empty owner-only file unless it exists; true when it was created. */
export const createPrivateFile = (file: string): boolean => {
  let fd: number
  try {
    fd = Fs.openSync(file, "wx", PRIVATE_FILE_MODE)
  } catch (error) {
    if ((error as { code?: unknown }).code === "EEXIST") return false
    throw error
  }
  try {
    Fs.fchmodSync(fd, PRIVATE_FILE_MODE)
  } finally {
    Fs.closeSync(fd)
  }
  return true
}

/** The database's folder and files that group or others have any access to, with their modes. */
export const exposedFiles = (filename: string): ReadonlyArray<{ path: string; mode: string }> => {
  const exposed: Array<{ path: string; mode: string }> = []
  for (const path of [Path.dirname(filename), filename, `${filename}-wal`, `${filename}-shm`]) {
    let mode: number
    try {
      mode = Fs.statSync(path).mode & 0o777
    } catch {
      continue
    }
    if ((mode & 0o077) !== 0) exposed.push({ path, mode: mode.toString(8).padStart(4, "0") })
  }
  return exposed
}

export const sqliteTarget = (filename: string): string => `SQLite-bestand ${filename}`

/**
 * The SQLite client with our pragmas on its (single) connection:
 * - WAL (set by the client): readers never block the writer and vice versa;
 * - synchronous=FULL: a commit is on disk when it returns, even on power loss;
 * - foreign_keys=ON: SQLite leaves them off unless asked;
 * - busy_timeout: wait for another process's write lock instead of failing at once.
 */
export const sqliteLayer = (
  options: SqliteOptions,
): Layer.Layer<SqliteClient.SqliteClient | SqlClient.SqlClient, DatabaseUnavailable> => {
  const filename = Path.resolve(options.filename)
  const target = sqliteTarget(filename)
  const directory = Layer.effectDiscard(
    Effect.gen(function* () {
      if (options.mustExist === true) {
        // SQLite would turn a missing or empty file into a new database (and write to it).
        const size = Fs.statSync(filename, { throwIfNoEntry: false })?.size
        if (size === undefined || size === 0) {
          return yield* Effect.fail(
            unavailable(
              target,
              "open",
              new Error(
                size === undefined
                  ? "het bestand bestaat niet"
                  : "het bestand is leeg: er staan geen gegevens van verzuimregie in",
              ),
              "controleer DATA_DIR / DATABASE_URL: deze opdracht leest een bestaande database en maakt er geen aan.",
            ),
          )
        }
      } else {
        yield* Effect.try({
          try: () => makePrivateDirectory(Path.dirname(filename)),
          catch: (error) =>
            unavailable(
              target,
              "create-directory",
              error,
              `DATA_DIR moet een map zijn die deze gebruiker kan aanmaken en beschrijven (nu ${Path.dirname(filename)}); maak de map aan of zet DATA_DIR op een andere map.`,
            ),
        })
        const exposed = exposedFiles(filename)
        yield* Effect.try({
          try: () => createPrivateFile(filename),
          catch: (error) => unavailable(target, "open", error),
        })
        // An operator's existing files are not changed behind their back; they are told.
        for (const file of exposed) {
          yield* Effect.logWarning(
            `${file.path} is open to other users (mode ${file.mode}); it holds case files: chmod ${file.path === Path.dirname(filename) ? "700" : "600"} it`,
          ).pipe(Effect.annotateLogs({ event: "database-file-exposed", path: file.path, mode: file.mode }))
        }
      }
    }),
  )
  const pragmas = Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql.unsafe(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`)
      yield* sql.unsafe("PRAGMA synchronous = FULL")
      yield* sql.unsafe("PRAGMA foreign_keys = ON")
      // Reads the schema: a file that is not a database fails here, not on the first request.
      yield* sql.unsafe("SELECT count(*) AS n FROM sqlite_master")
      const [mode] = yield* sql.unsafe<{ journal_mode: string }>("PRAGMA journal_mode")
      if (mode?.journal_mode !== "wal") {
        return yield* Effect.fail(new Error(`journal_mode is ${mode?.journal_mode}, verwacht: wal`))
      }
    }),
  )
  const client = Layer.provideMerge(pragmas, SqliteClient.layer({ filename })).pipe(
    Layer.catchAllCause((cause) => Layer.fail(unavailable(target, "open", squash(cause)))),
  )
  return Layer.provideMerge(client, directory)
}

const TIMESTAMPTZ = 1184
const DATE = 1082
const INT8 = 20

/**
 * Instants come back as canonical ISO strings (as the domain's `Timestamp`), dates as
 * `YYYY-MM-DD` (a JS Date would shift them by the local offset), int8 as numbers (counts and
 * sequence numbers stay far below 2^53).
 */
const typeParsers = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMPTZ) {
      const parse = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (value: string) => Date
      return (value: string) => parse(value).toISOString()
    }
    if (oid === DATE) return (value: string) => value
    if (oid === INT8) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format ?? "text")
  }) as typeof pg.types.getTypeParser,
}

export interface PgOptions {
  readonly url: Redacted.Redacted<string>
  /** A schema to use (created when missing); the tests give each suite its own. */
  readonly schema?: string | undefined
  readonly maxConnections: number
  readonly connectTimeoutMs: number
}

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export const pgTarget = (url: string): string => `PostgreSQL ${maskUrl(url)}`

/** Adds `-c name=value` startup options (session settings for every pooled connection). */
const withStartupOptions = (url: string, settings: Record<string, string>): string => {
  const parsed = new URL(url)
  const extra = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ")
  const existing = parsed.searchParams.get("options")
  parsed.searchParams.set("options", existing === null ? extra : `${existing} ${extra}`)
  return parsed.toString()
}

export const pgLayer = (
  options: PgOptions,
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, DatabaseUnavailable> => {
  const raw = Redacted.value(options.url)
  const target = pgTarget(raw)
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    return Layer.fail(
      unavailable(
        target,
        "configure",
        new Error(`ongeldige schemanaam ${JSON.stringify(options.schema)}`),
        "gebruik kleine letters, cijfers en liggende streepjes",
      ),
    )
  }
  let url: string
  try {
    // UTC sessions: timestamps render the same whatever the server's time zone.
    url = withStartupOptions(raw, {
      TimeZone: "UTC",
      ...(options.schema === undefined ? {} : { search_path: options.schema }),
    })
  } catch (error) {
    return Layer.fail(
      unavailable(
        target,
        "configure",
        error,
        "DATABASE_URL moet eruitzien als postgres://gebruiker:wachtwoord@host:5432/db",
      ),
    )
  }
  const client = PgClient.layer({
    url: Redacted.make(url),
    maxConnections: options.maxConnections,
    connectTimeout: Duration.millis(options.connectTimeoutMs),
    applicationName: "verzuimregie",
    types: typeParsers,
  })
  const ensureSchema = Layer.effectDiscard(
    Effect.gen(function* () {
      if (options.schema === undefined) return
      const sql = yield* SqlClient.SqlClient
      yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`).pipe(
        // Two instances starting at once may race on the catalogue; the schema is there either way.
        Effect.catchIf(
          (error: SqlError) => errorCode(error) === "23505" || errorCode(error) === "42P06",
          () => Effect.void,
        ),
      )
    }),
  )
  return Layer.provideMerge(ensureSchema, client).pipe(
    Layer.catchAllCause((cause) => Layer.fail(unavailable(target, "connect", squash(cause)))),
  )
}
