/**
 * The store's command line as an operator runs it: the bundle `pnpm migrate` and the other
 * package scripts start (scripts/bundle.mjs; one esbuild run shared with the other test files).
 */
import { spawnSync } from "node:child_process"
import { beforeAll } from "vitest"
import { bundleCommands, placeOf } from "../../../../scripts/bundle.mjs"

const command = { packageDir: "packages/store", entry: "bin/cli.ts" }

export interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Makes sure the bundle is current before the file's tests; returns the runner. */
export const storeCli = (): ((args: ReadonlyArray<string>, env: Record<string, string>) => Ran) => {
  beforeAll(async () => {
    await bundleCommands([command])
  }, 120_000)
  return (args, env) => {
    const { INIT_CWD: _, DATABASE_URL: __, DATA_DIR: ___, ...inherited } = process.env
    const result = spawnSync(process.execPath, [placeOf(command).bundle, ...args], {
      env: { ...inherited, ...env },
      encoding: "utf8",
    })
    return { code: result.status, stdout: result.stdout, stderr: result.stderr }
  }
}
