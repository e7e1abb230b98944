#!/usr/bin/env node
/**
 * verzuimregie-check-referral [--on YYYY-MM-DD] [file.json …]
 *
 * Without files it checks the shipped sample referrals (valid and deliberately invalid ones) and
 * always exits 0; with files it exits 1 when any file is invalid, so scripts can use it. The
 * regional check (`--region`) needs the plug-in registry: `pnpm check-referral` runs the gateway's
 * command, which has it.
 */
import { run } from "./cli.js"

// pnpm runs a package's scripts in its own folder and passes the user's in INIT_CWD: relative
// file names mean what the user typed where they stand.
if (process.env.INIT_CWD !== undefined && process.env.INIT_CWD !== "") process.chdir(process.env.INIT_CWD)

run(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
}).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 1
  },
)
