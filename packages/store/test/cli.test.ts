/**
 * The store's command line: verify-audit, rebuild-projections, backup, and its errors.
 * The audit anchors, the pseudonym key in backups and DATA_DIR: cli-anchors.test.ts.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
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
import { auditEntry, contact, referralReceived, ts, WESTLAND } from "./support/factories.js"
import { storeCli } from "./support/store-cli.js"

const run = storeCli()

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
})
