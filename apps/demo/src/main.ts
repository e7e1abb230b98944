#!/usr/bin/env node
/**
 * verzuimregie-check-referral [--on YYYY-MM-DD] [file.json …]
 *
 * Without files it checks the shipped sample referrals (valid and deliberately invalid ones) and
 * always exits 0; with files it exits 1 when any file is invalid, so scripts can use it. The
 * regional check (`--region`) needs the plug-in registry: `pnpm check-referral` runs the gateway's
 * command, which has it.
 */
import { Cli } from "@verzuimregie/cli"
import { checkReferral } from "./cli.js"

Cli.runMain(
  checkReferral({
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }),
)
