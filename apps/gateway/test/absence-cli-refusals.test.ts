/**
 * `pnpm import-absence` refuses (issue 15): a bad file with every bad row as
 * `bestand:regel:kolom: reden`, exit 1 and nothing changed; and what is wrong before the database
 * is touched (no token, a missing file) or when the token is not one (exit 2, exit 1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type CliWorld, cliWorld, MAPPING } from "./support/absence-cli.js"

let world: CliWorld
beforeAll(async () => {
  world = await cliWorld(false)
}, 60_000)
afterAll(async () => {
  await world?.close()
})

describe("pnpm import-absence refuses", () => {
  it("refuses a bad file with every bad row as bestand:regel:kolom: reden, exit 1, and changes nothing", async () => {
    const before = await world.absenceCounts()
    const ran = await world.run([
      "--school",
      world.school,
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
    expect(await world.absenceCounts()).toEqual(before)
  }, 60_000)

  it("says what is wrong before it touches the database: no token, a missing file, an unknown token", async () => {
    // Three processes side by side: none of them writes.
    const [noToken, missing, unknown] = await Promise.all([
      world.run(["--school", world.school, "--mapping", MAPPING, "verzuim.csv"], { VERZUIMREGIE_TOKEN: "" }),
      world.run(["--school", world.school, "--mapping", MAPPING, "weg.csv"]),
      world.run(["--school", world.school, "--mapping", MAPPING, "verzuim.csv"], {
        VERZUIMREGIE_TOKEN: `vrt_0000000000000000_${"A".repeat(43)}`,
      }),
    ])
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain("zet VERZUIMREGIE_TOKEN op een API-token")
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("<bestand>: weg.csv bestaat niet of is niet te lezen")
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("het token in VERZUIMREGIE_TOKEN is onbekend, verlopen of ingetrokken")
  }, 60_000)
})
