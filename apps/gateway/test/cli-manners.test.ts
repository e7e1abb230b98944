/**
 * Every command of the repository minds its manners (issue 12, point 9): `--help` exits 0 with a
 * Dutch usage that names its options; a typo in an option exits 2 and names it with the closest
 * real option; a missing required option and a value of the wrong form name the real option and
 * the expected form.
 *
 * Nothing here is a hand-written list of commands: the bins come from every workspace package's
 * `bin` field, and each bin's command tree from the bin itself (`VERZUIMREGIE_CLI_DESCRIBE=1`,
 * `Cli.describe` of `@verzuimregie/cli`), so a new bin or subcommand is walked as soon as it
 * exists. Each bin runs as a user runs it through pnpm: `node scripts/run.mjs <package> <entry>`,
 * bundled from source, in its own process.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { runProcess } from "./support/admin-cli.js"

const root = fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "")

/** Bins that are no command line of options: the gateway itself is configured by its environment. */
const NOT_A_COMMAND_LINE = new Set(["verzuimregie-gateway"])

interface Bin {
  readonly name: string
  readonly packageDir: string
  /** The entry under src/, as scripts/run.mjs takes it. */
  readonly entry: string
}

const bins: ReadonlyArray<Bin> = ["apps", "packages", "plugins"].flatMap((group) =>
  readdirSync(join(root, group)).flatMap((name) => {
    let manifest: { bin?: Record<string, string> }
    try {
      manifest = JSON.parse(readFileSync(join(root, group, name, "package.json"), "utf8"))
    } catch {
      return []
    }
    return Object.entries(manifest.bin ?? {})
      .filter(([bin]) => !NOT_A_COMMAND_LINE.has(bin))
      .map(([bin, file]) => ({
        name: bin,
        packageDir: `${group}/${name}`,
        entry: file.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"),
      }))
  }),
)

interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const { INIT_CWD: _initCwd, ...environment } = process.env

/** Runs a bin as `pnpm <script>` does: through scripts/run.mjs, to its end. */
const runBin = (bin: Bin, args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Ran> =>
  runProcess(process.execPath, [join(root, "scripts/run.mjs"), bin.packageDir, bin.entry, ...args], {
    cwd: root,
    // No database is reachable: a command that got past its options would say so (exit 3).
    env: { ...environment, DATABASE_URL: "postgres://niemand@127.0.0.1:1/geen", ...env },
  })

interface Described {
  readonly path: ReadonlyArray<string>
  readonly name: string
  readonly options: ReadonlyArray<{
    readonly name: string
    readonly required: boolean
    readonly flag: boolean
    readonly refuses?: string
  }>
}

describe("every command line", () => {
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

  it.each(bins.map((b) => [b.name, b] as const))(
    "%s: --help, a typo, a missing option and a wrong value, for each of its commands",
    async (_, bin) => {
      const described = await runBin(bin, [], { VERZUIMREGIE_CLI_DESCRIBE: "1" })
      expect(described.code, described.stderr).toBe(0)
      const commands = JSON.parse(described.stdout) as ReadonlyArray<Described>
      expect(commands.length).toBeGreaterThan(0)
      // --help first: before any option is read, on the group and on the command.
      const top = await runBin(bin, ["--help"])
      expect(top.code, top.stderr).toBe(0)
      expect(top.stdout).toMatch(/^Gebruik: /)
      expect(top.stdout).toContain("Afsluitcodes: 0 gelukt")
      // A few at a time: each is a process of its own.
      const check = async (command: Described) => {
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
          if (option.refuses !== undefined)
            expect(wrong.stderr, label).toContain(`--${option.name}: verwacht `)
          else if (option.required)
            expect(wrong.stderr, label).toContain(`--${option.name}: verplicht; geef `)
        }
        expect(wrong.stderr).toContain(`Meer uitleg: `)
        expect(wrong.stderr).not.toMatch(/--\?|undefined|Expected|Unknown/)
      }
      for (let i = 0; i < commands.length; i += 3) await Promise.all(commands.slice(i, i + 3).map(check))
    },
    600_000,
  )
})
