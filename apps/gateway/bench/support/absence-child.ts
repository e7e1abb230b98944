/**
 * One step of the absence import benchmark (bench/absence.bench.ts), each in a process of its own
 * so that every import starts cold and its peak memory is its own. Run as
 * `node --import tsx bench/support/absence-child.ts '<json>'`; prints one JSON line (the result)
 * on stdout as its last line.
 *
 * - `prepare`: a fresh database (migrations), the school (with the file's BRIN) and a
 *   `school-verzuim` user of region westland with an API token; not timed. Baseline and project
 *   both import into a database prepared so.
 * - `project`: what `pnpm import-absence` does: authenticate the token, run `Absence.importFile`
 *   (reader, store, signal merge, one transaction) on the file. Timed around the use case.
 * - `baseline`: the bare baseline of issue 15: the same file parsed with the same CSV parser
 *   (`Csv.parse`), each row's date, code and lessons turned into a stored row, and inserted with a
 *   prepared statement (SQLite, better-sqlite3, the project's pragmas) or batched multi-row
 *   INSERTs (PostgreSQL, `pg`), all in one transaction, into the same table with the same
 *   indexes (`absence_records` of migration 21). No validation, no pupils, no signals.
 *
 * Each step loads only the modules it needs (dynamic imports; the two drivers are small), so the
 * baseline's peak memory is that of the parser and the driver, not of the whole application.
 */
import { createReadStream, readFileSync } from "node:fs"
import type { CurrentPrincipal } from "@verzuimregie/app"
import type { Accounts, Database as DatabaseModule } from "@verzuimregie/store"
import BetterSqlite from "better-sqlite3"
import pg from "pg"

export type Target =
  | { readonly _tag: "sqlite"; readonly file: string }
  | { readonly _tag: "pg"; readonly url: string; readonly schema: string }

export type Job =
  | { readonly step: "prepare"; readonly target: Target; readonly brin: string }
  | {
      readonly step: "project"
      readonly target: Target
      readonly csv: string
      readonly token: string
      readonly schoolId: string
      readonly period: { readonly from: string; readonly to: string }
      readonly cpuProfile?: boolean
    }
  | { readonly step: "baseline"; readonly target: Target; readonly csv: string }

export interface StepResult {
  readonly step: Job["step"]
  /** Time of the import itself (file opened to commit), ms. */
  readonly ms: number
  /** CPU time (user + system) of this process during the import, ms: what a busy machine moves least. */
  readonly cpuMs: number
  readonly rows: number
  /** Peak resident set size of this process, KiB (`process.resourceUsage().maxRSS`). */
  readonly maxRssKb: number
  readonly token?: string
  readonly schoolId?: string
  readonly detail?: unknown
}

const REGION = "westland"

const databaseConfig = (Database: typeof DatabaseModule, target: Target): DatabaseModule.DatabaseConfig =>
  target._tag === "sqlite"
    ? Database.sqlite(target.file)
    : Database.postgres(target.url, { schema: target.schema, maxConnections: 2 })

/** CPU time (user + system) of this process since `since`, ms. */
const cpuSince = (since: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(since)
  return (c.user + c.system) / 1000
}

const emit = (result: Omit<StepResult, "maxRssKb">) =>
  process.stdout.write(`${JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS })}\n`)

const prepare = async (job: Extract<Job, { step: "prepare" }>) => {
  const { Accounts, Database, Store } = await import("@verzuimregie/store")
  const { Effect } = await import("effect")
  const layer = Store.layer(databaseConfig(Database, job.target))
  const { token, schoolId } = await Effect.runPromise(
    Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const school = yield* accounts.createOrganisation({
        name: "Meetcollege",
        kind: "school",
        brin: job.brin as Accounts.NewOrganisation["brin"],
      } as Accounts.NewOrganisation)
      const user = yield* accounts.createUser({
        organisationId: school.id,
        name: "Meet Zorgcoördinator",
        email: "zorg@meetcollege.example" as Accounts.NewUser["email"],
        roles: ["school-verzuim"],
        regions: [REGION as Accounts.NewUser["regions"][0]],
        partyRole: "mentor",
      })
      const issued = yield* accounts.issueToken(user.id)
      return { token: issued.token, schoolId: school.id }
    }).pipe(Effect.provide(layer), Effect.scoped),
  )
  emit({ step: "prepare", ms: 0, cpuMs: 0, rows: 0, token, schoolId })
}

const project = async (job: Extract<Job, { step: "project" }>) => {
  const { Absence, CurrentPrincipal, Regions } = await import("@verzuimregie/app")
  const { LocalDate } = await import("@verzuimregie/domain")
  const { Accounts, Database, Store } = await import("@verzuimregie/store")
  const { Effect, Either, Layer, Option } = await import("effect")
  const { configFile, loadConfig } = await import("../../src/config.js")
  const config = await loadConfig(configFile(process.env))
  if (Either.isLeft(config)) throw new Error(config.left.message)
  const layer = Layer.merge(Store.layer(databaseConfig(Database, job.target)), Regions.layer(config.right))
  const { report, ms, cpuMs } = await Effect.runPromise(
    Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const found = yield* accounts.authenticate(job.token)
      if (Option.isNone(found)) return yield* Effect.dieMessage("bench token unknown")
      const caller: CurrentPrincipal.Caller = {
        principal: CurrentPrincipal.principalOf(found.value.user, found.value.tokenId),
        door: "cli",
        requestId: "cli:bench",
        purpose: "verzuimsignalering",
      }
      const cpu = process.cpuUsage()
      const started = performance.now()
      const report = yield* Absence.importFile({
        schoolId: job.schoolId as Parameters<typeof Absence.importFile>[0]["schoolId"],
        mapping: "magister",
        period: { from: LocalDate.make(job.period.from), to: LocalDate.make(job.period.to) },
        file: { path: job.csv, name: "verzuim.csv" },
        skipBadRows: false,
      }).pipe(CurrentPrincipal.provide(caller))
      return { report, ms: performance.now() - started, cpuMs: cpuSince(cpu) }
    }).pipe(Effect.provide(layer), Effect.scoped),
  )
  if (report.outcome !== "geimporteerd")
    throw new Error(
      `import refused: ${report.fileProblem ?? JSON.stringify(report.problems.slice(0, 5))} (${report.problemCount} problems)`,
    )
  emit({ step: "project", ms, cpuMs, rows: report.rows.imported, detail: { signals: report.signals } })
}

/** The baselines' reader of the export, by the shipped Magister mapping (codes, lesson length, columns). */
const magister = async () => {
  const { Mapping } = await import("@verzuimregie/absence-import")
  const { Either } = await import("effect")
  const found = Mapping.shipped().find((m) => m.name === "magister")
  if (found === undefined) throw new Error("no shipped mapping magister")
  const mapping = Either.getOrThrow(Mapping.parse(readFileSync(found.path, "utf8"), found.path))
  const codes = new Map(Object.entries(mapping.codes).map(([code, c]) => [code, c]))
  /** Where the columns the baseline stores are, by the mapping's names in the file's header. */
  const columns = (header: ReadonlyArray<string>) => {
    const at = (name: string | undefined) => {
      const i = header.findIndex((h) => h.trim().toLowerCase() === name?.toLowerCase())
      if (i === -1) throw new Error(`no column ${name} in the header`)
      return i
    }
    const c = mapping.columns
    return { pupil: at(c.pupilNumber), date: at(c.date), lessons: at(c.lessons), code: at(c.code) }
  }
  const lessonMinutes = mapping.lessonMinutes ?? 50
  const { Csv } = await import("@verzuimregie/absence-import")
  /**
   * Reads the export and hands each row to `visit` as the baseline stores it; a promise `visit`
   * returns is awaited before the next row (PostgreSQL's flush).
   */
  const read = async (
    csv: string,
    visit: (
      pupil: string,
      date: string,
      kind: string,
      authorised: boolean,
      minutes: number,
      code: string,
    ) => Promise<void> | undefined,
  ): Promise<number> => {
    let rows = 0
    let COL = { pupil: -1, date: -1, lessons: -1, code: -1 }
    let header = true
    for await (const batch of Csv.parse(createReadStream(csv), { delimiter: ";", encoding: "auto" })) {
      for (const { fields } of batch) {
        if (header) {
          COL = columns(fields)
          header = false
          continue
        }
        const d = fields[COL.date] as string
        const code = codes.get(fields[COL.code] as string)
        if (code === undefined) throw new Error(`unknown code ${fields[COL.code]}`)
        const pending = visit(
          fields[COL.pupil] as string,
          `${d.slice(6, 10)}-${d.slice(3, 5)}-${d.slice(0, 2)}`,
          code.kind,
          code.authorised,
          Number((fields[COL.lessons] as string).replace(",", ".")) * lessonMinutes,
          fields[COL.code] as string,
        )
        rows++
        if (pending !== undefined) await pending
      }
    }
    return rows
  }
  return { read }
}

const baselineSqlite = async (file: string, csv: string) => {
  const { read } = await magister()
  const db = new BetterSqlite(file)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = FULL")
  const insert = db.prepare(
    "INSERT INTO absence_records (school_id, pupil_number, date, kind, authorised, minutes, code, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  )
  const cpu = process.cpuUsage()
  const started = performance.now()
  db.exec("BEGIN IMMEDIATE")
  const rows = await read(csv, (pupil, date, kind, authorised, minutes, code) => {
    insert.run("org_bench", pupil, date, kind, authorised ? 1 : 0, minutes, code, "imp_bench")
    return undefined
  })
  db.exec("COMMIT")
  const ms = performance.now() - started
  const cpuMs = cpuSince(cpu)
  db.close()
  emit({ step: "baseline", ms, cpuMs, rows })
}

/** Rows per INSERT statement of the PostgreSQL baseline (arrays bound as 8 parameters). */
const PG_BATCH = 5_000

const baselinePg = async (url: string, schema: string, csv: string) => {
  const { read } = await magister()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`SET search_path TO ${schema}`)
  const cpu = process.cpuUsage()
  const started = performance.now()
  let pupils: Array<string> = []
  let dates: Array<string> = []
  let kinds: Array<string> = []
  let authorised: Array<boolean> = []
  let minutes: Array<number> = []
  let codesOut: Array<string> = []
  const flush = async () => {
    if (pupils.length === 0) return
    await client.query(
      `INSERT INTO absence_records (school_id, pupil_number, date, kind, authorised, minutes, code, import_id)
       SELECT 'org_bench', u.p, u.d, u.k, u.a, u.m, u.c, 'imp_bench'
       FROM unnest($1::text[], $2::date[], $3::text[], $4::boolean[], $5::integer[], $6::text[]) AS u (p, d, k, a, m, c)`,
      [pupils, dates, kinds, authorised, minutes, codesOut],
    )
    pupils = []
    dates = []
    kinds = []
    authorised = []
    minutes = []
    codesOut = []
  }
  await client.query("BEGIN")
  const rows = await read(csv, (pupil, date, kind, a, m, code) => {
    pupils.push(pupil)
    dates.push(date)
    kinds.push(kind)
    authorised.push(a)
    minutes.push(m)
    codesOut.push(code)
    return pupils.length >= PG_BATCH ? flush() : undefined
  })
  await flush()
  await client.query("COMMIT")
  const ms = performance.now() - started
  const cpuMs = cpuSince(cpu)
  await client.end()
  emit({ step: "baseline", ms, cpuMs, rows })
}

const main = async () => {
  const job = JSON.parse(process.argv[2] ?? "{}") as Job
  switch (job.step) {
    case "prepare":
      return prepare(job)
    case "project":
      return project(job)
    case "baseline":
      return job.target._tag === "sqlite"
        ? baselineSqlite(job.target.file, job.csv)
        : baselinePg(job.target.url, job.target.schema, job.csv)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
