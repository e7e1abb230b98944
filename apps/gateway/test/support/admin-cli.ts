/** The built admin command line (`dist/bin/admin.js`), run as an operator runs it: its own process. */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

export const adminBin = fileURLToPath(new URL("../../dist/bin/admin.js", import.meta.url))

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command in its own process to its end, collecting what it printed. */
export const runProcess = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly env: NodeJS.ProcessEnv; readonly cwd?: string },
): Promise<CliRun> =>
  new Promise((resolve) => {
    const child = spawn(command, [...args], {
      env: options.env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => {
      stdout += String(d)
    })
    child.stderr.on("data", (d) => {
      stderr += String(d)
    })
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

/** Runs `verzuimregie-admin args` with `env` over this process's environment, to its end. */
export const runAdmin = (args: ReadonlyArray<string>, env: Record<string, string>): Promise<CliRun> =>
  runProcess(process.execPath, [adminBin, ...args], { env: { ...process.env, ...env } })
