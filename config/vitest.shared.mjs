/**
 * The test settings every package shares: each `vitest.config.ts` spreads `sharedTest` into its
 * `test` block (and may override a value for a reason it states). Plain JavaScript with a
 * declaration file next to it, so a package's `tsconfig.json` (rootDir ".") can import it.
 *
 * Why these values (docs/performance.md, "Test suite"):
 * - `pool: "forks"`: every file in its own child process. better-sqlite3 is a native module, and
 *   several tests spawn and kill processes; a crash or a leaked handle stays in that file.
 * - `maxWorkers`: at least two. vitest's default (cores − 1) is one worker on a two-core machine,
 *   so the gateway's files ran one after the other on one core at the end of `pnpm test` while
 *   the other core idled; turbo limits how many packages test at once (`--concurrency=150%`).
 * - Timeouts of 60 s: on the two-core machine with other work going on, a test that takes 2 s
 *   alone can take ten times as long; a timeout is there to catch a hang, not a slow machine.
 * - `setupFiles`: vitest.setup.mjs lets the worker return to its event loop before every test
 *   (see there: the cause of `[vitest-worker]: Timeout calling "onTaskUpdate"`).
 * - `VITEST_REPORT_DIR`: when set (scripts/test-timings.mjs sets it), every package also writes
 *   a JSON report there, named after the package, for per-file durations.
 */
import { readFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const reportDir = process.env.VITEST_REPORT_DIR

/** `@verzuimregie/gateway` → `verzuimregie+gateway`: one report file per package. */
const reportName = () => {
  const { name } = JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8"))
  return `${String(name).replace(/^@/, "").replaceAll("/", "+")}.json`
}

export const sharedTest = {
  include: ["test/**/*.test.ts"],
  pool: "forks",
  maxWorkers: Math.max(2, availableParallelism() - 1),
  minWorkers: 1,
  testTimeout: 60_000,
  hookTimeout: 60_000,
  teardownTimeout: 30_000,
  setupFiles: [fileURLToPath(new URL("./vitest.setup.mjs", import.meta.url))],
  reporters:
    reportDir === undefined || reportDir === ""
      ? ["default"]
      : ["default", ["json", { outputFile: join(reportDir, reportName()) }]],
}
