/**
 * Every command line of the repository, found rather than listed: the bins of every workspace
 * package's `bin` field (the gateway itself excepted: it is configured by its environment), each
 * run as a user runs it through pnpm: `node scripts/run.mjs <package> <entry>`, bundled from
 * source, in its own process. Used by the global set-up (support/global-setup.ts) and the
 * cli-manners test files.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { runProcess } from "./admin-cli.js"

export const root = fileURLToPath(new URL("../../../../", import.meta.url)).replace(/\/$/, "")

/** Bins that are no command line of options: the gateway itself is configured by its environment. */
const NOT_A_COMMAND_LINE = new Set(["verzuimregie-gateway"])

export interface Bin {
  readonly name: string
  readonly packageDir: string
  /** The entry under src/, as scripts/run.mjs takes it. */
  readonly entry: string
}

export const bins: ReadonlyArray<Bin> = ["apps", "packages", "plugins"].flatMap((group) =>
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

/** Names are not unique (the demo has its own check-referral): a bin's key adds its package. */
export const keyOf = (bin: Bin): string => `${bin.packageDir}:${bin.name}`

export interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const { INIT_CWD: _initCwd, ...environment } = process.env

/** Runs a bin as `pnpm <script>` does: through scripts/run.mjs, to its end. */
export const runBin = (
  bin: Bin,
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
): Promise<Ran> =>
  runProcess(process.execPath, [join(root, "scripts/run.mjs"), bin.packageDir, bin.entry, ...args], {
    cwd: root,
    // No database is reachable: a command that got past its options would say so (exit 3).
    env: { ...environment, DATABASE_URL: "postgres://niemand@127.0.0.1:1/geen", ...env },
  })

export interface Described {
  readonly path: ReadonlyArray<string>
  readonly name: string
  readonly options: ReadonlyArray<{
    readonly name: string
    readonly required: boolean
    readonly flag: boolean
    readonly refuses?: string
  }>
}

/** A bin's own description of its command tree (`VERZUIMREGIE_CLI_DESCRIBE=1`, `Cli.describe`). */
export const describeBin = (bin: Bin): Promise<Ran> => runBin(bin, [], { VERZUIMREGIE_CLI_DESCRIBE: "1" })
