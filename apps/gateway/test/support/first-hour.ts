/**
 * The first hour's helpers: the root's pnpm commands run for real (first-hour*.test.ts), and a
 * temporary folder per test file.
 */
import { execFile } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll } from "vitest"

export const root = fileURLToPath(new URL("../../../../", import.meta.url)).replace(/\/$/, "")
export const sample = "packages/domain/samples/referrals"

export interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command to its end; never rejects, so the test asserts on the exit code. */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: Record<string, string> = {},
) =>
  new Promise<Ran>((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          stdout,
          stderr,
        }),
    )
  })

export const pnpm = (args: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}) =>
  run("pnpm", ["--silent", ...args], cwd, env)

/** A folder of its own for the test file, removed after it: `join(scratch.dir, …)`. */
export const scratchFolder = (): { readonly dir: string } => {
  const scratch = { dir: "" }
  beforeAll(async () => {
    scratch.dir = await mkdtemp(join(tmpdir(), "verzuimregie-first-hour-"))
  })
  afterAll(async () => {
    await rm(scratch.dir, { recursive: true, force: true })
  })
  return scratch
}
