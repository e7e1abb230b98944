/**
 * `pnpm import-absence` (issue 15) as an operator runs it, for the absence-cli-*.test.ts files: a
 * scratch DATA_DIR with a school, its `school-verzuim` service account and token, and the import
 * run through scripts/run.mjs in its own process from the folder the files are in (relative paths),
 * on the same SQLite database.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Accounts, Database, Store } from "@verzuimregie/store"
import { Effect, Either, ManagedRuntime } from "effect"
import { runAdmin, runProcess } from "./admin-cli.js"
import { root } from "./commands.js"

export const MAPPING = "magister"
const HEADER = "BRIN;Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Datum;Lesuren;Afk"
/** Three pupils, a few weeks of 2026/27: nothing here is in the future. */
export const GOOD = [
  HEADER,
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;15-09-2026;2;O",
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;16-09-2026;3;O",
  "12AB;100002;Daan;van;Proef;02-11-2011;15-09-2026;7;Z",
  "12AB;100003;Noor;;Test;21-06-2012;17-09-2026;1;TL",
].join("\r\n")
export const BAD = [
  HEADER,
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;15-09-2026;2;O",
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;16-09-2026;3;XQ",
  "12AB;100002;Daan;van;Proef;02-11-2011;15-09-2031;7;Z",
].join("\r\n")

export interface CliWorld {
  readonly dir: string
  readonly school: string
  /** The import command, run from `dir` as `pnpm import-absence -- …` runs it. */
  readonly run: (args: ReadonlyArray<string>, extra?: Record<string, string>) => ReturnType<typeof runProcess>
  /** Rows of every absence table: "nothing changed" is this, unchanged. */
  readonly absenceCounts: () => Promise<Record<string, number>>
  readonly close: () => Promise<void>
}

/**
 * A scratch installation with the school's account. `viaAdminCli`: made with `pnpm admin` as
 * docs/absence.md says (three processes); otherwise in the store directly (fast).
 */
export const cliWorld = async (viaAdminCli: boolean): Promise<CliWorld> => {
  const dir = await mkdtemp(join(tmpdir(), "verzuimregie-import-cli-"))
  const env: Record<string, string> = { DATA_DIR: dir, DATABASE_URL: "" }
  const store = () =>
    ManagedRuntime.make(Store.layer(Either.getOrThrow(Database.fromEnvironment({ DATA_DIR: dir }))))
  let school: string
  if (viaAdminCli) {
    const org = await runAdmin(
      ["org", "create", "--name", "Wilgenlyceum", "--kind", "school", "--brin", "12AB"],
      env,
    )
    if (org.code !== 0) throw new Error(org.stderr)
    school = org.stdout.trim()
    const user = await runAdmin(
      [
        "user",
        "create",
        "--org",
        school,
        "--name",
        "Verzuimimport Wilgenlyceum",
        "--email",
        "ict@wilgenlyceum.example",
        "--role",
        "school-verzuim",
        "--region",
        "westland",
        "--kind",
        "service",
      ],
      env,
    )
    if (user.code !== 0) throw new Error(user.stderr)
    const token = await runAdmin(
      ["token", "create", "--user", user.stdout.trim(), "--label", "verzuimimport"],
      env,
    )
    if (token.code !== 0) throw new Error(token.stderr)
    env.VERZUIMREGIE_TOKEN = token.stdout.trim()
  } else {
    const runtime = store()
    const made = await runtime.runPromise(
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const org = yield* accounts.createOrganisation({ name: "Wilgenlyceum", kind: "school" })
        const user = yield* accounts.createUser({
          organisationId: org.id,
          name: "Verzuimimport Wilgenlyceum" as Accounts.NewUser["name"],
          email: "ict@wilgenlyceum.example" as Accounts.NewUser["email"],
          roles: ["school-verzuim"] as unknown as Accounts.NewUser["roles"],
          regions: ["westland"] as unknown as Accounts.NewUser["regions"],
          partyRole: "mentor",
          kind: "service",
        })
        const issued = yield* accounts.issueToken(user.id)
        return { school: org.id as string, token: issued.token }
      }),
    )
    await runtime.dispose()
    school = made.school
    env.VERZUIMREGIE_TOKEN = made.token
  }
  await writeFile(join(dir, "verzuim.csv"), GOOD)
  await writeFile(join(dir, "fout.csv"), BAD)
  const run = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) =>
    runProcess(
      process.execPath,
      [join(root, "scripts/run.mjs"), "apps/gateway", "bin/import-absence.ts", ...args],
      {
        cwd: root,
        env: { ...process.env, ...env, INIT_CWD: dir, ...extra },
      },
    )
  const absenceCounts = async () => {
    const runtime = store()
    try {
      return await runtime.runPromise(
        Effect.flatMap(Database.Database, (db) =>
          Effect.gen(function* () {
            const tables = yield* db.sql<{ name: string }>`
              SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'absence%' ORDER BY name`
            const out: Record<string, number> = {}
            for (const { name } of tables)
              out[name] = Number(
                (yield* db.sql.unsafe<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${name}`))[0]?.n,
              )
            return out
          }),
        ),
      )
    } finally {
      await runtime.dispose()
    }
  }
  return { dir, school, run, absenceCounts, close: () => rm(dir, { recursive: true, force: true }) }
}
