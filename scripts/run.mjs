#!/usr/bin/env node
/**
 * Runs one of the repository's commands straight from its TypeScript source: `pnpm start`,
 * `pnpm check-config`, `pnpm check-referral`, `pnpm admin` and `pnpm create-plugin` come here, and
 * so do the packages' command scripts (the store's `migrate`, `verify-audit`, `backup`…, the
 * mail's `send-summary`, `export-cases`, the demo). The commands themselves do not change folder.
 *
 *   node scripts/run.mjs <package folder> <entry under src/> [arguments…]
 *
 * Why not `turbo run build` first: nine `tsc` runs took minutes on a busy two-core machine and said
 * nothing meanwhile. esbuild bundles the entry with every workspace package it imports, read from
 * `src/` through the `source` export condition, into `<package>/.start/` in a few seconds, and only
 * when a file it was made from changed since the last bundle (scripts/bundle.mjs).
 * Types are not checked here: `pnpm test` runs the typecheck, as CI does. The bundle keeps its
 * place in the package (`<package>/.start/<name>.js`), so paths relative to a module
 * (`../template`, `../../../config/regions.yaml`) and the spreadsheet worker resolve as in `dist/`.
 *
 * The command runs in the directory the user ran pnpm in: pnpm runs scripts in the package's own
 * folder and passes the user's in `INIT_CWD`, so relative paths (`DATA_DIR`, `REGIONS_FILE`, file
 * arguments) mean what the user typed. It runs in this process, so Ctrl-C reaches the command's
 * own handler (the gateway stops gracefully and exits 0) and nothing else prints an error.
 */
import { pathToFileURL } from "node:url"
import { bundleCommands, placeOf } from "./bundle.mjs"

const [packageDir, entry, ...args] = process.argv.slice(2)
if (packageDir === undefined || entry === undefined) {
  process.stderr.write("gebruik: node scripts/run.mjs <pakketmap> <bestand in src/> [argumenten…]\n")
  process.exit(2)
}

const quiet = args.includes("--help") || args.includes("-h")
const say = (line) => {
  if (!quiet) process.stderr.write(`${line}\n`)
}

const command = { packageDir, entry }
await bundleCommands([command], say)
const { bundle } = placeOf(command)

process.chdir(process.env.INIT_CWD ?? process.cwd())
process.argv = [process.argv[0], bundle, ...args]
process.setSourceMapsEnabled(true)
await import(pathToFileURL(bundle).href)
