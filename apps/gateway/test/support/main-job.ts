/**
 * The main job and the admin command line as an operator runs them, built (`node dist/main.js`,
 * `dist/bin/admin.js`), each in its own process; a temporary folder per test file. Used by
 * main.test.ts, main-refusals.test.ts, admin-cli.test.ts and admin-cli-guards.test.ts.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll } from "vitest"

const main = fileURLToPath(new URL("../../dist/main.js", import.meta.url))

export interface Started {
  readonly child: ChildProcess
  readonly stderr: () => string
  readonly stdout: () => string
  readonly exited: Promise<number | null>
}

export const start = (env: Record<string, string>, options: { readonly umask?: string } = {}): Started => {
  // With a umask, through a shell (`umask` is a shell built-in), exec'd so signals reach node.
  const child =
    options.umask === undefined
      ? spawn(process.execPath, [main], {
          env: { ...process.env, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        })
      : spawn("/bin/sh", ["-c", `umask ${options.umask} && exec "$0" "$1"`, process.execPath, main], {
          env: { ...process.env, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        })
  let stderr = ""
  let stdout = ""
  child.stderr?.on("data", (d) => {
    stderr += String(d)
  })
  child.stdout?.on("data", (d) => {
    stdout += String(d)
  })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, stderr: () => stderr, stdout: () => stdout, exited }
}

/** A folder of its own for the test file, removed after it: `join(scratch.dir, …)`. */
export const scratchFolder = (): { readonly dir: string } => {
  const scratch = { dir: "" }
  beforeAll(async () => {
    scratch.dir = await mkdtemp(join(tmpdir(), "verzuimregie-main-"))
  })
  afterAll(async () => {
    await rm(scratch.dir, { recursive: true, force: true })
  })
  return scratch
}
