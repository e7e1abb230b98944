import { spawnSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as AuditAnchor from "../src/AuditAnchor.js"
import { AuditLog } from "../src/AuditLog.js"
import { CaseStore } from "../src/CaseStore.js"
import * as Database from "../src/Database.js"
import { uniqueSchemaName } from "../src/Testing.js"
import {
  dropAppendOnlyGuards,
  dropSchema,
  type Fresh,
  pgUrl,
  rawSql,
  tempDir,
  withFreshStore,
} from "./support/backends.js"
import { bundleScript } from "./support/bundle.js"
import { auditEntry, contact, referralReceived, ts, WESTLAND } from "./support/factories.js"

let cli = ""
let remove = () => {}
beforeAll(async () => {
  const built = await bundleScript("src/bin/cli.ts", "cli")
  cli = built.file
  remove = built.remove
})
afterAll(() => remove())

const run = (args: ReadonlyArray<string>, env: Record<string, string>) => {
  const { INIT_CWD: _, DATABASE_URL: __, DATA_DIR: ___, ...inherited } = process.env
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: { ...inherited, ...env },
    encoding: "utf8",
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const T0 = ts("2026-09-01T08:00:00.000Z")

describe("verzuimregie-store command", () => {
  it("verifies the audit chain, rebuilds projections and makes a backup", () =>
    withFreshStore("sqlite", async ({ fresh, runtime }) => {
      if (fresh.config._tag !== "sqlite") throw new Error("sqlite expected")
      const env = { DATABASE_URL: `sqlite:${fresh.config.filename}` }
      const created = await runtime.runPromise(
        Effect.flatMap(CaseStore, (s) =>
          s.create({
            referral: referralReceived({ at: T0 }),
            events: [contact(T0)],
            regions: [WESTLAND],
            audit: [auditEntry(), auditEntry()],
          }),
        ),
      )
      const ok = run(["verify-audit"], env)
      expect(ok.code).toBe(0)
      expect(ok.stdout).toMatch(/Toegangslog in orde: 2 regels/)

      const check = run(["rebuild-projections", "--check"], env)
      expect(check).toMatchObject({ code: 0 })
      expect(check.stdout).toMatch(/1 casus\(sen\) gecontroleerd, 0 wijken af/)
      await rawSql(fresh, `UPDATE cases SET status = 'kapot' WHERE case_id = '${created.state.id}'`)
      expect(run(["rebuild-projections", "--check"], env).code).toBe(1)
      const rebuilt = run(["rebuild-projections"], env)
      expect(rebuilt.code).toBe(0)
      expect(rebuilt.stdout).toContain(`afwijkend: ${created.state.id}`)
      expect(run(["rebuild-projections", "--check"], env).code).toBe(0)

      const dir = tempDir()
      try {
        const to = Path.join(dir, "copy.db")
        const backup = run(["backup", "--to", to], env)
        expect(backup.code).toBe(0)
        expect(backup.stdout).toMatch(/Back-up geschreven: .*copy\.db .*integriteit in orde/)
        expect(Fs.existsSync(to)).toBe(true)
        expect(run(["verify-audit"], { DATABASE_URL: `sqlite:${to}` }).code).toBe(0)
      } finally {
        Fs.rmSync(dir, { recursive: true, force: true })
      }

      await dropAppendOnlyGuards(fresh, "audit_log")
      await rawSql(fresh, "UPDATE audit_log SET purpose = 'iets-anders' WHERE seq = 1")
      const broken = run(["verify-audit"], env)
      expect(broken.code).toBe(1)
      expect(broken.stdout).toMatch(/Toegangslog GEBROKEN/)
      expect(broken.stdout).toMatch(/\[altered\] registratie 1 klopt niet met haar hash/)
    }))

  it("verify-audit --anchors: passes on an intact chain, fails on a cut tail with a rewritten head", () =>
    withFreshStore("sqlite", async ({ fresh, runtime }) => {
      if (fresh.config._tag !== "sqlite") throw new Error("sqlite expected")
      const env = { DATABASE_URL: `sqlite:${fresh.config.filename}` }
      const dir = tempDir()
      try {
        const anchors = Path.join(dir, "audit-anchors.jsonl")
        const append = (n: number) =>
          runtime.runPromise(
            Effect.flatMap(AuditLog, (a) => a.append(Array.from({ length: n }, () => auditEntry()))),
          )
        await append(2)
        await runtime.runPromise(AuditAnchor.write(anchors))
        await append(3)
        await runtime.runPromise(AuditAnchor.write(anchors))
        const ok = run(["verify-audit", "--anchors", anchors], env)
        expect(ok.code, ok.stderr).toBe(0)
        expect(ok.stdout).toMatch(/Toegangslog in orde: 5 regels/)
        expect(ok.stdout).toMatch(/Ankers in orde: de keten bereikt alle 2 verankerde hoofden/)

        await dropAppendOnlyGuards(fresh, "audit_log")
        const [kept] = await rawSql(fresh, "SELECT hash FROM audit_log WHERE seq = 3")
        await rawSql(fresh, "DELETE FROM audit_log WHERE seq > 3")
        await rawSql(fresh, `UPDATE audit_head SET seq = 3, hash = '${String(kept?.hash)}' WHERE id = 1`)
        // The chain alone cannot tell.
        const alone = run(["verify-audit"], env)
        expect(alone.code).toBe(0)
        expect(alone.stdout).toMatch(
          /Geen ankerbestand op .*: alleen de keten in de database is gecontroleerd/,
        )
        // Without --anchors it takes the gateway's anchor file (AUDIT_ANCHOR_FILE) when there is one.
        const byDefault = run(["verify-audit"], { ...env, AUDIT_ANCHOR_FILE: anchors })
        expect(byDefault.code).toBe(1)
        expect(byDefault.stdout).toMatch(/\[anchor-missing\]/)
        const empty = run(["verify-audit", "--anchors", ""], env)
        expect(empty.code).toBe(2)
        expect(empty.stderr).toContain("verify-audit: --anchors: verwacht een bestandsnaam")
        const cut = run(["verify-audit", "--anchors", anchors], env)
        expect(cut.code).toBe(1)
        expect(cut.stdout).toMatch(/Toegangslog GEBROKEN/)
        expect(cut.stdout).toMatch(
          /\[anchor-missing\] de log eindigt bij registratie 3, maar registratie 5 was verankerd \(ankerregel 2\): registraties 4–5 zijn afgeknipt/,
        )

        Fs.appendFileSync(anchors, "niet een anker\n")
        const garbled = run(["verify-audit", "--anchors", anchors], env)
        expect(garbled.code).toBe(1)
        expect(garbled.stderr).toContain(`ankerbestand ${anchors}, regel 3: geen JSON-regel`)
        const absent = run(["verify-audit", "--anchors", Path.join(dir, "none.jsonl")], env)
        expect(absent.code).toBe(1)
        expect(absent.stderr).toMatch(/none\.jsonl: het bestand bestaat niet/)
      } finally {
        Fs.rmSync(dir, { recursive: true, force: true })
      }
    }))

  it("verify-audit on a missing database fails clearly and creates nothing", () => {
    const dir = tempDir()
    try {
      const dataDir = Path.join(dir, "data")
      const byDir = run(["verify-audit"], { DATA_DIR: dataDir })
      expect(byDir.code).toBe(3)
      expect(byDir.stdout).not.toMatch(/OK/)
      expect(byDir.stderr).toContain(
        `Database niet beschikbaar (SQLite-bestand ${Path.join(dataDir, "verzuimregie.db")})`,
      )
      expect(byDir.stderr).toMatch(/Oorzaak: het bestand bestaat niet/)
      expect(byDir.stderr).toMatch(/maakt er geen aan/)
      expect(Fs.existsSync(dataDir)).toBe(false)
      const file = Path.join(dir, "typo.db")
      const byUrl = run(["verify-audit"], { DATABASE_URL: `sqlite:${file}` })
      expect(byUrl.code).toBe(3)
      expect(Fs.existsSync(file)).toBe(false)
      // An existing but empty file is no verzuimregie database either.
      Fs.writeFileSync(file, "")
      const empty = run(["verify-audit"], { DATABASE_URL: `sqlite:${file}` })
      expect(empty.code).toBe(3)
      expect(empty.stderr).toMatch(/geen gegevens van verzuimregie/)
      expect(Fs.statSync(file).size).toBe(0)
    } finally {
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(pgUrl === undefined)(
    "verify-audit on an empty PostgreSQL schema fails and sets up nothing",
    async () => {
      const schema = uniqueSchemaName("leeg")
      const empty = { config: Database.postgres(pgUrl ?? "", { schema }) } as Fresh
      await rawSql(empty, `CREATE SCHEMA "${schema}"`)
      try {
        const url = new URL(pgUrl ?? "")
        url.searchParams.set("options", `-c search_path=${schema}`)
        const result = run(["verify-audit"], { DATABASE_URL: url.toString() })
        expect(result.code).toBe(3)
        expect(result.stdout).not.toMatch(/OK/)
        expect(result.stderr).toMatch(/geen gegevens van verzuimregie/)
        const tables = await rawSql(
          empty,
          `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}'`,
        )
        expect(tables).toEqual([])
      } finally {
        await dropSchema(schema)
      }
    },
  )

  it("gives one readable start-up error, without a stack trace", () => {
    const dir = tempDir()
    try {
      const file = Path.join(dir, "garbage.db")
      Fs.writeFileSync(
        file,
        "this is not a database, just text that is long enough to look like a header ".repeat(60),
      )
      const result = run(["verify-audit"], { DATABASE_URL: `sqlite:${file}` })
      expect(result.code).toBe(3)
      expect(result.stderr).toContain(`Database niet beschikbaar (SQLite-bestand ${file})`)
      expect(result.stderr).toMatch(/Wat te doen: /)
      expect(result.stderr).not.toMatch(/\n\s+at /)
      const pg = run(["verify-audit"], { DATABASE_URL: "postgres://u:secret@127.0.0.1:1/db" })
      expect(pg.code).toBe(3)
      expect(pg.stderr).toContain("postgres://u:***@127.0.0.1:1/db")
      expect(pg.stderr).not.toContain("secret")
      const usage = run(["frobnicate"], {})
      expect(usage.code).toBe(2)
      expect(usage.stderr).toMatch(/Onbekende opdracht frobnicate/)
      const typo = run(["verify-audti"], {})
      expect(typo.code).toBe(2)
      expect(typo.stderr).toContain("Onbekende opdracht verify-audti. Bedoelt u verify-audit?")
    } finally {
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("backs up the pseudonym key beside the database, owner-only, and says how to restore (issue 12, point 10)", () => {
    const dir = tempDir()
    try {
      const dataDir = Path.join(dir, "data")
      expect(run(["migrate"], { DATA_DIR: dataDir }).code).toBe(0)
      // Without a key file there is nothing to copy, and the command says so.
      const none = run(["backup", "--dir", Path.join(dir, "b1")], { DATA_DIR: dataDir })
      expect(none.code, none.stderr).toBe(0)
      expect(none.stdout).toContain("bestaat (nog) niet")
      expect(Fs.readdirSync(Path.join(dir, "b1")).filter((f) => f.endsWith(".key"))).toEqual([])
      // The key as the mail package makes it: DATA_DIR/inspectie-pseudoniem.key, 0600.
      const key = `${"ab".repeat(32)}\n`
      Fs.writeFileSync(Path.join(dataDir, "inspectie-pseudoniem.key"), key, { mode: 0o600 })
      const to = Path.join(dir, "b2", "verzuimregie-kopie.db")
      const made = run(["backup", "--to", to], { DATA_DIR: dataDir })
      expect(made.code, made.stderr).toBe(0)
      const copy = Path.join(dir, "b2", "verzuimregie-kopie.inspectie-pseudoniem.key")
      expect(made.stdout).toContain(`Pseudoniemsleutel ernaast: ${copy}`)
      expect(made.stdout).toContain("Terugzetten:")
      expect(Fs.readFileSync(copy, "utf8")).toBe(key)
      expect(Fs.statSync(copy).mode & 0o777).toBe(0o600)
      // The key itself is never printed.
      expect(made.stdout + made.stderr).not.toContain("abab")
      // A second backup to the same name is refused and leaves no partial files.
      const again = run(["backup", "--to", to], { DATA_DIR: dataDir })
      expect(again.code).toBe(1)
      expect(again.stderr).toMatch(/bestaat al/)
      expect(Fs.readdirSync(Path.join(dir, "b2")).toSorted()).toEqual([
        "verzuimregie-kopie.db",
        "verzuimregie-kopie.inspectie-pseudoniem.key",
      ])
    } finally {
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("uses DATA_DIR/verzuimregie.db by default, creating the folder", () => {
    const dir = tempDir()
    try {
      const dataDir = Path.join(dir, "data")
      const result = run(["migrate"], { DATA_DIR: dataDir })
      expect(result.code).toBe(0)
      expect(result.stderr).toContain(`SQLite-bestand ${Path.join(dataDir, "verzuimregie.db")}`)
      expect(Fs.existsSync(Path.join(dataDir, "verzuimregie.db"))).toBe(true)
    } finally {
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
