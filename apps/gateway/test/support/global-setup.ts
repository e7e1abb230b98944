/**
 * Before the gateway's test files: every command of the repository bundled once, in one esbuild
 * run (scripts/bundle.mjs), instead of by the first start of each, and every command line's
 * description of its command tree, asked once and handed to the cli-manners files (`inject`),
 * which share the commands between them (docs/performance.md, "Test suite").
 */
import type { TestProject } from "vitest/node"
import { bundleCommands, workspaceCommands } from "../../../../scripts/bundle.mjs"
import { bins, describeBin, keyOf, type Ran } from "./commands.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** Per bin (`keyOf`): what `VERZUIMREGIE_CLI_DESCRIBE=1` printed and its exit code. */
    readonly described: Record<string, Ran>
  }
}

export default async function setup(project: TestProject): Promise<void> {
  await bundleCommands(workspaceCommands(), (line) => process.stderr.write(`${line}\n`))
  const described = await Promise.all(bins.map(async (bin) => [keyOf(bin), await describeBin(bin)] as const))
  project.provide("described", Object.fromEntries(described))
}
