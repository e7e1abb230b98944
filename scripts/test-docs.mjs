#!/usr/bin/env node
/**
 * `pnpm test:docs`: every shell command in README.md and docs/*.md runs as written from the
 * repository root and exits 0. Commands come from fenced `sh`/`bash`/`shell` blocks (comments
 * dropped, `\` continuations joined) and from inline code spans that start with `pnpm `.
 *
 * Some commands cannot run here; each skip rule below says why, and the run prints every skipped
 * command with its reason, so a new command in the docs is either run or visibly skipped. The
 * commands run one after another against a fresh DATA_DIR in a temporary folder (never ./data),
 * with REGIONS_FILE unset. Run by .ci/run after `pnpm test`; not part of `pnpm test` itself,
 * since the first commands bundle from source (a minute on a busy machine).
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/** [pattern, reason]: the first that matches a command skips it. */
export const SKIP = [
  [
    /\bpnpm\S*\s(.*\s)?(start|install)(\s|$)/,
    "starts the long-running gateway or installs (CI installed already)",
  ],
  [
    /\bpnpm\S*\s(.*\s)?(test(:\S+)?|bench)(\s|$)|turbo run .*\btest\b/,
    "runs test suites or benchmarks (pnpm test runs them)",
  ],
  [/<[^>]*>|…|\[--|path\/to\/|\/etc\/|user_…|org_…/, "has a placeholder for the reader's own value"],
  [/\bcurl\b|\$API|\$TOKEN|\$ADMIN|\$WORKER|\$REFERRER/, "needs a running gateway and a token"],
  [/create-plugin(?!\s+--help)/, "writes a new plug-in into plugins/"],
  [/--synthetic\s+\d{5,}/, "a load test: 100 000 cases take minutes"],
  [/\brequeue\s+\d+/, "refers to a dead letter of a real installation"],
  [/states\.ndjson/, "reads the reader's own export file"],
]

/** The commands of one Markdown text. */
export const commandsOf = (markdown) => {
  const commands = []
  for (const block of markdown.matchAll(/^```(sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    const joined = block[2].replace(/\\\n\s*/g, " ")
    for (const raw of joined.split("\n")) {
      // A comment starts at a # after whitespace (not inside a word like a#b).
      const line = raw.replace(/(^|\s)#.*$/, "").trim()
      if (line !== "") commands.push(line)
    }
  }
  // Inline spans outside fenced blocks.
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "")
  for (const span of prose.matchAll(/`(pnpm [^`]+)`/g)) commands.push(span[1].trim())
  return commands
}

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
  delete env.INIT_CWD
  let failed = 0
  let ran = 0
  try {
    for (const file of files) {
      for (const command of commandsOf(readFileSync(join(root, file), "utf8"))) {
        if (seen.has(command)) continue
        seen.add(command)
        const skip = SKIP.find(([pattern]) => pattern.test(command))
        if (skip !== undefined) {
          process.stdout.write(`overgeslagen  ${file}: ${command}\n              (${skip[1]})\n`)
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
  process.stdout.write(`\n${ran} opdrachten uitgevoerd, ${failed} mislukt, ${seen.size - ran} overgeslagen\n`)
  process.exitCode = failed > 0 ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The workspace must be installed; bundles are made on first use by scripts/run.mjs.
  execFileSync("pnpm", ["--version"], { stdio: "ignore" })
  main()
}
