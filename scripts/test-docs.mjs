#!/usr/bin/env node
/**
 * `pnpm test:docs`: every shell command in README.md and docs/*.md runs as written from the
 * repository root and exits 0. Commands come from fenced `sh`/`bash`/`shell` blocks: one command
 * per line (comments dropped, `\` continuations joined). A block that is one script (a walk-through
 * against a running gateway, with variables and multi-line JSON) is judged as a whole.
 *
 * Some commands cannot run here; each skip rule below says why, and the run prints every skipped
 * command with its reason, so a new command in the docs is either run or visibly skipped. The
 * commands run one after another against a fresh DATA_DIR in a temporary folder (never ./data),
 * with REGIONS_FILE and DATABASE_URL unset; the run fails when a command leaves a file in the
 * repository. Run by .ci/run after `pnpm test`; not part of `pnpm test` itself, since the first
 * commands bundle from source (about a minute in all on a busy machine).
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/** A block that needs a running gateway (the API walk-through): skipped as a whole. */
const GATEWAY_SCRIPT = /\bcurl\b|\$API\b|^\s*post\s/m
/** A block that sets shell variables its later lines use: run as one script. */
const SCRIPT = /^\s*([A-Za-z_][A-Za-z0-9_]*)=/gm

/** [pattern, reason]: the first that matches a command skips it. */
export const SKIP = [
  [
    /\bpnpm\S*\s(.*\s)?(start|install)(\s|$)/,
    "starts the long-running gateway or installs (CI installed already)",
  ],
  [/\bpnpm\S*\s(.*\s)?test(:\S+)?(\s|$)|turbo run .*\btest\b/, "runs test suites (pnpm test runs them)"],
  [
    /\bpnpm\S*\s(.*\s)?bench(:\S+)?(\s|$)|turbo run .*\bbench\b/,
    "a benchmark: on demand, minutes of load; pnpm test does not measure and CI does not run it",
  ],
  [
    /\bbench\/|\.bench\.ts|web-screenshots/,
    "a benchmark or the screenshot run: on demand, minutes, and rewrites docs/web (pnpm test does not measure)",
  ],
  [/<[^>]*>|…|\[--|path\/to\/|\/etc\/|user_…|org_…/, "has a placeholder for the reader's own value"],
  [GATEWAY_SCRIPT, "a walk-through against a running gateway, with tokens"],
  [/create-plugin(?!\s+--help)/, "writes a new plug-in into plugins/"],
  [
    /--dry-run\s|--to\s|--out\s|pg_dump|pg_restore/,
    "writes a file outside DATA_DIR (a backup, dump or workbook)",
  ],
  [/--synthetic\s+\d{5,}/, "a load test: 100 000 cases take minutes"],
  [/\brequeue\s+\d+/, "refers to a dead letter of a real installation"],
  [/states\.ndjson/, "reads the reader's own export file"],
]

/** The commands of one Markdown text: one per line, or one block as a whole when it is a script. */
export const commandsOf = (markdown) => {
  const commands = []
  for (const block of markdown.matchAll(/^```(sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    const joined = block[2].replace(/\\\n\s*/g, " ")
    const lines = joined
      .split("\n")
      // A comment starts at a # after whitespace (not inside a word like a#b).
      .map((raw) => raw.replace(/(^|\s)#.*$/, "").trim())
      .filter((line) => line !== "")
    const assigned = [...block[2].matchAll(SCRIPT)].map((m) => m[1])
    const usesItsOwnVariables = assigned.some((name) => block[2].includes(`$${name}`))
    if (GATEWAY_SCRIPT.test(block[2]) || usesItsOwnVariables) commands.push(lines.join("\n"))
    else commands.push(...lines)
  }
  return commands
}

const repositoryState = () =>
  execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: root, encoding: "utf8" })

const main = () => {
  const files = [
    "README.md",
    ...readdirSync(join(root, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ]
  const seen = new Set()
  const work = mkdtempSync(join(tmpdir(), "verzuimregie-docs-"))
  const env = { ...process.env, DATA_DIR: join(work, "data") }
  delete env.REGIONS_FILE
  delete env.DATABASE_URL
  delete env.INIT_CWD
  const before = repositoryState()
  let failed = 0
  let ran = 0
  try {
    for (const file of files) {
      for (const command of commandsOf(readFileSync(join(root, file), "utf8"))) {
        if (seen.has(command)) continue
        seen.add(command)
        const skip = SKIP.find(([pattern]) => pattern.test(command))
        if (skip !== undefined) {
          const shown = command.includes("\n") ? `${command.split("\n")[0]} … (blok)` : command
          process.stdout.write(`overgeslagen  ${file}: ${shown}\n              (${skip[1]})\n`)
          continue
        }
        ran++
        const started = Date.now()
        const result = spawnSync("sh", ["-c", command], {
          cwd: root,
          env,
          encoding: "utf8",
          timeout: 600_000,
        })
        const seconds = ((Date.now() - started) / 1000).toFixed(1)
        if (result.status === 0) {
          process.stdout.write(`ok            ${file}: ${command} (${seconds} s)\n`)
        } else {
          failed++
          process.stdout.write(
            `MISLUKT       ${file}: ${command} (exit ${result.status ?? result.signal}, ${seconds} s)\n${result.stdout}${result.stderr}\n`,
          )
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  const after = repositoryState()
  if (after !== before) {
    failed++
    process.stdout.write(`MISLUKT       de opdrachten lieten bestanden achter in de repository:\n${after}\n`)
  }
  process.stdout.write(`\n${ran} opdrachten uitgevoerd, ${failed} mislukt, ${seen.size - ran} overgeslagen\n`)
  process.exitCode = failed > 0 ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The workspace must be installed; bundles are made on first use by scripts/run.mjs.
  execFileSync("pnpm", ["--version"], { stdio: "ignore" })
  main()
}
