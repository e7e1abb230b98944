#!/usr/bin/env node
/**
 * Runs the whole test suite N times in a row, cold (turbo's cache off: every build, typecheck and
 * test runs), and prints each run's duration, its result and the slowest test files, from the
 * JSON report every package writes when VITEST_REPORT_DIR is set (config/vitest.shared.mjs).
 *
 *   node scripts/test-timings.mjs                    # 3 runs of `pnpm test`
 *   node scripts/test-timings.mjs --runs 1 --top 20
 *   node scripts/test-timings.mjs --concurrency 2    # `pnpm test` with turbo's --concurrency=2
 *   node scripts/test-timings.mjs --continue         # turbo goes on after a failing task, so
 *                                                    # every file is timed
 *
 * Each run's full output goes to a log file next to its reports (the path is printed); a run
 * that prints vitest's `Timeout calling "onTaskUpdate"` is flagged even when it exits 0.
 */
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const root = fileURLToPath(new URL("..", import.meta.url))
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    top: { type: "string", default: "10" },
    concurrency: { type: "string" },
    continue: { type: "boolean", default: false },
  },
})
const runs = Number(values.runs)
const top = Number(values.top)
const base = mkdtempSync(join(tmpdir(), "verzuimregie-test-timings-"))

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`

/** Runs a shell command in the repository root, output to `log`; resolves with the exit code. */
const run = (command, env, log) =>
  new Promise((resolve) => {
    const child = spawn(command, { cwd: root, shell: true, env: { ...process.env, ...env } })
    const chunks = []
    child.stdout.on("data", (d) => chunks.push(d))
    child.stderr.on("data", (d) => chunks.push(d))
    child.on("close", (code) => {
      writeFileSync(log, Buffer.concat(chunks))
      resolve(code ?? 1)
    })
  })

/** Every test file in the run's JSON reports, with its duration, tests and failures. */
const filesOf = (dir) => {
  const out = []
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const report = JSON.parse(readFileSync(join(dir, name), "utf8"))
    for (const file of report.testResults ?? []) {
      const tests = file.assertionResults ?? []
      out.push({
        file: relative(root, file.name),
        ms: file.endTime - file.startTime,
        tests: tests.length,
        failed: tests.filter((t) => t.status === "failed").length,
      })
    }
  }
  return out.sort((a, b) => b.ms - a.ms)
}

/** `pnpm test` itself, or its script with turbo's options changed, each part run by `pnpm exec`. */
const testScript = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.test
const command =
  values.concurrency === undefined && !values.continue
    ? "pnpm test"
    : testScript
        .split("&&")
        .map((part) => {
          let out = part.trim()
          if (out.startsWith("turbo ")) {
            if (values.concurrency !== undefined)
              out = `${out.replace(/ --concurrency=\S+/, "")} --concurrency=${values.concurrency}`
            if (values.continue) out = `${out} --continue`
          }
          return `pnpm exec ${out}`
        })
        .join(" && ")
console.log(`${runs} cold run(s) of: ${command}\nreports and logs under ${base}\n`)
const summary = []
for (let i = 1; i <= runs; i++) {
  const dir = join(base, `run-${i}`)
  mkdirSync(dir, { recursive: true })
  const log = join(dir, "output.log")
  const started = Date.now()
  const code = await run(command, { VITEST_REPORT_DIR: dir, TURBO_FORCE: "true", FORCE_COLOR: "0" }, log)
  const ms = Date.now() - started
  const output = readFileSync(log, "utf8")
  const rpcTimeout = output.includes("Timeout calling")
  const files = filesOf(dir)
  const tests = files.reduce((n, f) => n + f.tests, 0)
  const failed = files.reduce((n, f) => n + f.failed, 0)
  summary.push({ i, ms, code, rpcTimeout, files: files.length, tests, failed })
  console.log(
    `run ${i}: ${seconds(ms)}, exit ${code}${rpcTimeout ? ", vitest RPC timeout!" : ""}; ${files.length} files, ${tests} tests, ${failed} failed (log: ${log})`,
  )
  console.log(`  slowest ${top} files:`)
  for (const f of files.slice(0, top))
    console.log(
      `  ${seconds(f.ms).padStart(8)}  ${f.file} (${f.tests} tests${f.failed ? `, ${f.failed} failed` : ""})`,
    )
  const over = files.filter((f) => f.ms >= 20_000)
  console.log(`  files of 20 s or more: ${over.length}\n`)
}
console.log("run  duration  exit  files  tests  failed")
for (const s of summary)
  console.log(
    `${String(s.i).padStart(3)}  ${seconds(s.ms).padStart(8)}  ${String(s.code).padStart(4)}  ${String(s.files).padStart(5)}  ${String(s.tests).padStart(5)}  ${String(s.failed).padStart(6)}${s.rpcTimeout ? "  RPC timeout" : ""}`,
  )
process.exit(summary.every((s) => s.code === 0 && !s.rpcTimeout) ? 0 : 1)
