#!/usr/bin/env node
/** `send-summary`: see `cli/SendSummary.ts`. */
import { run } from "../cli/SendSummary.js"

const code = await run(process.argv.slice(2), {
  env: process.env,
  cwd: process.env.INIT_CWD ?? process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
})
process.exitCode = code
