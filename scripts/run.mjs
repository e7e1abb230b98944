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
 * when a source file changed since the last bundle (checked against esbuild's list of inputs).
 * Types are not checked here: `pnpm test` runs the typecheck, as CI does. The bundle keeps its
 * place in the package (`<package>/.start/<name>.js`), so paths relative to a module
 * (`../template`, `../../../config/regions.yaml`) and the spreadsheet worker resolve as in `dist/`.
 *
 * The command runs in the directory the user ran pnpm in: pnpm runs scripts in the package's own
 * folder and passes the user's in `INIT_CWD`, so relative paths (`DATA_DIR`, `REGIONS_FILE`, file
 * arguments) mean what the user typed. It runs in this process, so Ctrl-C reaches the command's
 * own handler (the gateway stops gracefully and exits 0) and nothing else prints an error.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { basename, dirname, join, relative, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const [packageDir, entry, ...args] = process.argv.slice(2)
if (packageDir === undefined || entry === undefined) {
  process.stderr.write("gebruik: node scripts/run.mjs <pakketmap> <bestand in src/> [argumenten…]\n")
  process.exit(2)
}

const quiet = args.includes("--help") || args.includes("-h")
const say = (line) => {
  if (!quiet) process.stderr.write(`${line}\n`)
}

const name = basename(entry).replace(/\.ts$/, "")
const outdir = join(root, packageDir, ".start")
const bundle = join(outdir, `${name}.js`)
const inputsFile = join(outdir, `${name}.inputs.json`)

/** Extra entries bundled beside the command: the spreadsheet worker, started by file name. */
const extraEntries = {
  "internal/sheet-worker": join(root, "packages/export-xlsx/src/internal/sheet-worker.ts"),
}

/** The bundle is current when it is newer than every file it was made from (and this script). */
const isCurrent = () => {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return false
  const built = statSync(bundle).mtimeMs
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, "utf8"))
    return [fileURLToPath(import.meta.url), ...inputs].every((file) => statSync(file).mtimeMs < built)
  } catch {
    return false
  }
}

if (!isCurrent()) {
  const started = Date.now()
  say(
    `verzuimregie: ${relative(root, join(root, packageDir, "src", entry))} bouwen (esbuild, zonder typecheck)…`,
  )
  // esbuild is a dev dependency of the workspace root.
  const esbuild = createRequire(join(root, "package.json"))("esbuild")
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { [name]: join(root, packageDir, "src", entry), ...extraEntries },
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Workspace packages from src/ (see their package.json "exports"); published ones as usual.
    conditions: ["source"],
    // Native modules stay out of the bundle; pg-native is pg's optional native driver.
    external: ["better-sqlite3", "pg-native"],
    // Bundled CommonJS modules call require(); ESM output has none without this.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    sourcemap: "linked",
    metafile: true,
    logLevel: "error",
    write: false,
  })
  await esbuild.stop()
  // Each file is written beside its place and renamed into it, so a second command starting at
  // the same moment never runs half a bundle; the list of inputs comes last.
  const put = (file, contents) => {
    mkdirSync(dirname(file), { recursive: true })
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, contents)
    renameSync(temporary, file)
  }
  for (const file of result.outputFiles) put(file.path, file.contents)
  put(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs).map((input) => resolve(root, input))))
  say(
    `verzuimregie: gebouwd in ${((Date.now() - started) / 1000).toFixed(1)} s (${Object.keys(result.metafile.inputs).length} bestanden)`,
  )
}

process.chdir(process.env.INIT_CWD ?? process.cwd())
process.argv = [process.argv[0], bundle, ...args]
process.setSourceMapsEnabled(true)
await import(pathToFileURL(bundle).href)
