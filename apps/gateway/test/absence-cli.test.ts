/**
 * `pnpm import-absence` (issue 15) as an operator runs it: the school's service account and its
 * token made with the admin command line as docs/absence.md says, then the import run through
 * scripts/run.mjs in its own process, from the folder the file is in (a relative path), on the
 * same SQLite database. It prints the Dutch summary and lands the rows; a bad file is refused with
 * every bad row as `bestand:regel:kolom: reden`, exit 1, and nothing changes.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Database, Store } from "@verzuimregie/store"
import { Effect, Either, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runAdmin, runProcess } from "./support/admin-cli.js"
import { root } from "./support/commands.js"

const MAPPING = "magister"
const HEADER = "BRIN;Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Datum;Lesuren;Afk"
/** Three pupils, a few weeks of 2026/27: nothing here is in the future. */
const GOOD = [
  HEADER,
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;15-09-2026;2;O",
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;16-09-2026;3;O",
  "12AB;100002;Daan;van;Proef;02-11-2011;15-09-2026;7;Z",
  "12AB;100003;Noor;;Test;21-06-2012;17-09-2026;1;TL",
].join("\r\n")
const BAD = [
  HEADER,
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;15-09-2026;2;O",
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;16-09-2026;3;XQ",
  "12AB;100002;Daan;van;Proef;02-11-2011;15-09-2031;7;Z",
].join("\r\n")

let dir: string
let env: Record<string, string>
let school = ""

/** The import command, run from `dir` as `pnpm import-absence -- …` runs it. */
const importAbsence = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) =>
  runProcess(
    process.execPath,
    [join(root, "scripts/run.mjs"), "apps/gateway", "bin/import-absence.ts", ...args],
    {
      cwd: root,
      env: { ...process.env, ...env, INIT_CWD: dir, ...extra },
    },
  )

/** Rows of every absence table: "nothing changed" is this, unchanged. */
const absenceCounts = async () => {
  const runtime = ManagedRuntime.make(
    Store.layer(Either.getOrThrow(Database.fromEnvironment({ DATA_DIR: dir }))),
  )
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

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-import-cli-"))
  env = { DATA_DIR: dir, DATABASE_URL: "" }
  // The account as docs/absence.md makes it: a service account of the school, its token on stdout.
  const org = await runAdmin(
    ["org", "create", "--name", "Wilgenlyceum", "--kind", "school", "--brin", "12AB"],
    env,
  )
  expect(org.code, org.stderr).toBe(0)
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
  expect(user.code, user.stderr).toBe(0)
  const token = await runAdmin(
    ["token", "create", "--user", user.stdout.trim(), "--label", "verzuimimport"],
    env,
  )
  expect(token.code, token.stderr).toBe(0)
  env.VERZUIMREGIE_TOKEN = token.stdout.trim()
  await writeFile(join(dir, "verzuim.csv"), GOOD)
  await writeFile(join(dir, "fout.csv"), BAD)
}, 60_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe("pnpm import-absence", () => {
  it("imports a file named relative to where it runs, and prints the Dutch summary", async () => {
    const ran = await importAbsence([
      "--school",
      school,
      "--mapping",
      MAPPING,
      "--from",
      "01-09-2026",
      "--to",
      "30-09-2026",
      "verzuim.csv",
    ])
    expect(ran.code, ran.stderr).toBe(0)
    expect(ran.stdout).toMatch(/^verzuim\.csv: geïmporteerd \(csv, scheidingsteken ";", /)
    expect(ran.stdout).toContain("  periode:        01-09-2026 t/m 30-09-2026\n")
    expect(ran.stdout).toContain("  regels gelezen: 4\n")
    expect(ran.stdout).toContain("  geïmporteerd:   4\n")
    expect(ran.stdout).toContain("  vervangen:      0 eerdere registraties in de periode\n")
    expect(ran.stdout).toMatch(/ {2}signalen: {7}\d+ nieuw, \d+ heropend, \d+ bijgewerkt, \d+ vervallen\n/)
    // Not a terminal: progress as plain lines on stderr, never on stdout.
    expect(ran.stderr).toMatch(/^verzuim\.csv: 100% gelezen, /m)
    expect(ran.stdout).not.toContain("gelezen,")

    // The same file again: its rows replace themselves, nothing doubles.
    const again = await importAbsence([
      "--school",
      school,
      "--mapping",
      MAPPING,
      "--from",
      "01-09-2026",
      "--to",
      "30-09-2026",
      "verzuim.csv",
    ])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain("  vervangen:      4 eerdere registraties in de periode\n")
  }, 60_000)

  it("refuses a bad file with every bad row as bestand:regel:kolom: reden, exit 1, and changes nothing", async () => {
    const before = await absenceCounts()
    const ran = await importAbsence([
      "--school",
      school,
      "--mapping",
      MAPPING,
      "--from",
      "01-09-2026",
      "--to",
      "30-09-2026",
      "fout.csv",
    ])
    expect(ran.code).toBe(1)
    expect(ran.stdout).toBe("")
    const lines = ran.stderr.split("\n")
    expect(lines.find((l) => l.startsWith("fout.csv:3:Afk: "))).toMatch(/XQ/)
    expect(lines.find((l) => l.startsWith("fout.csv:4:Datum: "))).toBeDefined()
    expect(ran.stderr).toContain("fout.csv: geweigerd, er is niets geïmporteerd: 2 foute regels.")
    expect(await absenceCounts()).toEqual(before)
  }, 60_000)

  it("says what is wrong before it touches the database: no token, a missing file, an unknown token", async () => {
    const noToken = await importAbsence(["--school", school, "--mapping", MAPPING, "verzuim.csv"], {
      VERZUIMREGIE_TOKEN: "",
    })
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain("zet VERZUIMREGIE_TOKEN op een API-token")
    const missing = await importAbsence(["--school", school, "--mapping", MAPPING, "weg.csv"])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("<bestand>: weg.csv bestaat niet of is niet te lezen")
    const unknown = await importAbsence(["--school", school, "--mapping", MAPPING, "verzuim.csv"], {
      VERZUIMREGIE_TOKEN: `vrt_0000000000000000_${"A".repeat(43)}`,
    })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("het token in VERZUIMREGIE_TOKEN is onbekend, verlopen of ingetrokken")
  }, 60_000)
})
