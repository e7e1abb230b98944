/**
 * Every command of the repository minds its manners (issue 12, point 9): `--help` exits 0 with a
 * Dutch usage that names its options; a typo in an option exits 2 and names it with the closest
 * real option; a missing required option and a value of the wrong form name the real option and
 * the expected form.
 *
 * Nothing here is a hand-written list of commands: the bins come from every workspace package's
 * `bin` field, and each bin's command tree from the bin itself (support/commands.ts, asked once by
 * the global set-up), so a new bin or subcommand is walked as soon as it exists. The work is shared
 * between SHARES test files (cli-manners-{1,2,3}.test.ts) that run side by side: each bin's own
 * checks go to one file, its commands are dealt round the files.
 */
import { describe, expect, inject, it } from "vitest"
import { type Bin, bins, type Described, keyOf, runBin } from "./commands.js"

export const SHARES = 3

/** The commands a bin described, after checking that it described them. */
const commandsOf = (bin: Bin): ReadonlyArray<Described> => {
  const described = inject("described")[keyOf(bin)]
  expect(described, `${keyOf(bin)} was not described by the global set-up`).toBeDefined()
  expect(described?.code, described?.stderr).toBe(0)
  const commands = JSON.parse(described?.stdout ?? "") as ReadonlyArray<Described>
  expect(commands.length).toBeGreaterThan(0)
  return commands
}

/** --help, a typo, a missing option and a wrong value for one command. */
const check = async (bin: Bin, command: Described) => {
  const label = `${bin.name} ${command.path.join(" ")}`
  const help = await runBin(bin, [...command.path, "--help"])
  expect(help.code, `${label}: ${help.stderr}`).toBe(0)
  expect(help.stdout).toMatch(/^Gebruik: /)
  expect(help.stdout).toContain("\n\nOpties:\n")
  expect(help.stdout).not.toMatch(/\b(Usage|USAGE|Options|OPTIONS|required|Expected)\b/)
  for (const option of command.options) expect(help.stdout, label).toContain(`--${option.name}`)

  // One wrong run shows every complaint at once: each names the real option.
  const typoOf = command.options[0]
  const typo = typoOf === undefined ? "onbekend" : `${typoOf.name}${typoOf.name.slice(-1)}`
  const wrongValues = command.options.flatMap((o) =>
    o.refuses === undefined ? [] : [`--${o.name}`, o.refuses],
  )
  const wrong = await runBin(bin, [...command.path, ...wrongValues, `--${typo}`])
  expect(wrong.code, `${label}: ${wrong.stderr}`).toBe(2)
  expect(wrong.stdout).toBe("")
  expect(wrong.stderr).toContain(
    `Onbekende optie --${typo}.${typoOf === undefined ? "" : ` Bedoelt u --${typoOf.name}?`}`,
  )
  for (const option of command.options) {
    if (option.refuses !== undefined) expect(wrong.stderr, label).toContain(`--${option.name}: verwacht `)
    else if (option.required) expect(wrong.stderr, label).toContain(`--${option.name}: verplicht; geef `)
  }
  expect(wrong.stderr).toContain(`Meer uitleg: `)
  expect(wrong.stderr).not.toMatch(/--\?|undefined|Expected|Unknown/)
}

/** The tests of share `share` (1…SHARES). */
export const cliMannersShare = (share: number): void => {
  describe(`every command line (share ${share} of ${SHARES})`, () => {
    if (share === 1)
      it("is found: the bins of every package", () => {
        expect(bins.map((b) => b.name).toSorted()).toEqual(
          expect.arrayContaining([
            "verzuimregie-admin",
            "verzuimregie-check-config",
            "verzuimregie-check-referral",
            "verzuimregie-create-plugin",
            "verzuimregie-export-cases",
            "verzuimregie-send-summary",
            "verzuimregie-store",
          ]),
        )
      })

    bins.forEach((bin, b) => {
      if (b % SHARES === share - 1)
        it(`${bin.name} (${bin.packageDir}): describes its commands; --help on the group`, async () => {
          commandsOf(bin)
          // --help first: before any option is read, on the group.
          const top = await runBin(bin, ["--help"])
          expect(top.code, top.stderr).toBe(0)
          expect(top.stdout).toMatch(/^Gebruik: /)
          expect(top.stdout).toContain("Afsluitcodes: 0 gelukt")
        })

      it(`${bin.name} (${bin.packageDir}): --help, a typo, a missing option and a wrong value, for its commands of this share`, async () => {
        const mine = commandsOf(bin).filter((_, c) => (b + c) % SHARES === share - 1)
        // A few at a time: each is a process of its own.
        for (let i = 0; i < mine.length; i += 3)
          await Promise.all(mine.slice(i, i + 3).map((c) => check(bin, c)))
      }, 600_000)
    })
  })
}
