/**
 * A vitest global set-up: bundles every command of the repository (scripts/bundle.mjs) once,
 * in one esbuild run, before the package's test files start them through `scripts/run.mjs`.
 * Without it, the first start of each command bundled it alone, and test files that started
 * the same command at the same moment each bundled it (docs/performance.md, "Test suite").
 * A command whose sources changed is bundled again, here or at its next start.
 */
import { bundleCommands, workspaceCommands } from "../scripts/bundle.mjs"

export default async function setup() {
  await bundleCommands(workspaceCommands(), (line) => process.stderr.write(`${line}\n`))
}
