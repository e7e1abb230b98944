/**
 * `pnpm import-absence` imports a school's file (issue 15): the school's service account and token
 * made with `pnpm admin` as docs/absence.md says, then the import, from the file's folder, with
 * the Dutch summary on stdout and progress on stderr; the same file again replaces itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type CliWorld, cliWorld, MAPPING } from "./support/absence-cli.js"

let world: CliWorld
beforeAll(async () => {
  world = await cliWorld(true)
}, 60_000)
afterAll(async () => {
  await world?.close()
})

describe("pnpm import-absence", () => {
  it("imports a file named relative to where it runs, and prints the Dutch summary", async () => {
    const ran = await world.run([
      "--school",
      world.school,
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
    const again = await world.run([
      "--school",
      world.school,
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
})
