/**
 * The store's command line: verify-audit --anchors, the pseudonym key beside a backup, and
 * DATA_DIR as the default place (split from cli.test.ts to keep each file within its budget).
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as AuditAnchor from "../src/AuditAnchor.js"
import { AuditLog } from "../src/AuditLog.js"
import { dropAppendOnlyGuards, rawSql, tempDir, withFreshStore } from "./support/backends.js"
import { auditEntry } from "./support/factories.js"
import { storeCli } from "./support/store-cli.js"

const run = storeCli()

describe("verzuimregie-store command: audit anchors and backups", () => {
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
