#!/usr/bin/env node
/** `send-summary`: see `cli/SendSummary.ts`. */
import { Cli } from "@verzuimregie/cli"
import { command } from "../cli/SendSummary.js"

Cli.runMain(
  command({
    env: process.env,
    // scripts/run.mjs runs the command in the folder the user ran pnpm in.
    cwd: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }),
)
