/**
 * Bundles commands of the repository from their TypeScript source with esbuild, each into
 * `<package>/.start/<name>.js`, and only when one of the files it was made from changed. Used by
 * `scripts/run.mjs` (one command) and by the gateway's test set-up (every command at once, in
 * one esbuild run that reads the shared sources once: docs/performance.md, "Test suite").
 *
 * Whether a bundle is current: beside it, `<name>.inputs.json` lists every input with its size,
 * modification time and SHA-1 of its contents. An input whose size and time are unchanged is
 * taken as unchanged (as git does); one whose time changed is hashed again, so a checkout or
 * `touch` that leaves the contents alone costs no rebuild and any changed contents always do.
 * This file and esbuild's options count as inputs too.
 */
import { createHash } from "node:crypto"
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs"
import { createRequire } from "node:module"
import { basename, dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/** Extra entries bundled beside each command: the spreadsheet worker, started by file name. */
const extraEntries = {
  "internal/sheet-worker": join(root, "packages/export-xlsx/src/internal/sheet-worker.ts"),
}

const options = {
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
}

const hashOf = (file) => createHash("sha1").update(readFileSync(file)).digest("hex")

/** This script and the options: a change to either makes every bundle stale. */
const recipe = createHash("sha1")
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .update(JSON.stringify(options))
  .digest("hex")

/** Where a command's bundle goes: `{ packageDir: "apps/gateway", entry: "bin/admin.ts" }`. */
export const placeOf = ({ packageDir, entry }) => {
  const name = basename(entry).replace(/\.ts$/, "")
  const outdir = join(root, packageDir, ".start")
  return {
    name,
    outdir,
    source: join(root, packageDir, "src", entry),
    bundle: join(outdir, `${name}.js`),
    inputsFile: join(outdir, `${name}.inputs.json`),
  }
}

/** True when the command's bundle exists and none of its inputs changed since it was made. */
export const isCurrent = (command) => {
  const { bundle, inputsFile } = placeOf(command)
  if (!existsSync(bundle) || !existsSync(inputsFile)) return false
  try {
    const recorded = JSON.parse(readFileSync(inputsFile, "utf8"))
    if (recorded.recipe !== recipe) return false
    return Object.entries(recorded.inputs).every(([file, [size, mtimeMs, hash]]) => {
      const stat = statSync(file)
      if (stat.size !== size) return false
      return stat.mtimeMs === mtimeMs || hashOf(file) === hash
    })
  } catch {
    return false
  }
}

/** Every file esbuild read for these entries: the import graph of its metafile, walked. */
const reachable = (metafile, entries) => {
  const seen = new Set()
  const todo = entries.map((file) => relative(root, file))
  while (todo.length > 0) {
    const input = todo.pop()
    if (seen.has(input)) continue
    const node = metafile.inputs[input]
    if (node === undefined) throw new Error(`esbuild did not read ${input}`)
    seen.add(input)
    for (const edge of node.imports) if (!edge.external) todo.push(edge.path)
  }
  return [...seen].map((input) => resolve(root, input))
}

/** Each file is written beside its place and renamed into it: a command starting at the same
 * moment never runs half a bundle. */
const put = (file, contents) => {
  mkdirSync(dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, contents)
  renameSync(temporary, file)
}

/**
 * Brings the bundles of `commands` up to date, those that are stale in one esbuild run; `say`
 * hears a line before and after a build. Resolves with the commands it built.
 */
export const bundleCommands = async (commands, say = () => {}) => {
  if (commands.every(isCurrent)) return []
  const release = await lock()
  try {
    return await build(commands, say)
  } finally {
    release()
  }
}

const lockFile = join(root, "node_modules", ".cache", "verzuimregie-bundle.lock")

/**
 * One build at a time across processes (test files of several packages start commands at the
 * same moment): the others wait and then find their bundles current. A lock whose process is
 * gone is taken over; after two minutes a waiter builds anyway.
 */
const lock = async () => {
  mkdirSync(dirname(lockFile), { recursive: true })
  const giveUp = Date.now() + 120_000
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" })
      return () => rmSync(lockFile, { force: true })
    } catch (error) {
      if (error.code !== "EEXIST") throw error
    }
    try {
      const holder = Number(readFileSync(lockFile, "utf8"))
      // An empty file is a lock being written, unless it is old (left by a crash).
      if (holder > 0) process.kill(holder, 0)
      else if (Date.now() - statSync(lockFile).mtimeMs > 5_000) rmSync(lockFile, { force: true })
    } catch (error) {
      // No such process: the lock is stale. (ENOENT: released meanwhile.)
      if (error.code === "ESRCH") rmSync(lockFile, { force: true })
    }
    if (Date.now() > giveUp) return () => {}
    await new Promise((done) => setTimeout(done, 100))
  }
}

const build = async (commands, say) => {
  const stale = commands.filter((command) => !isCurrent(command))
  if (stale.length === 0) return []
  const started = Date.now()
  say(
    `verzuimregie: ${stale.map((c) => relative(root, placeOf(c).source)).join(", ")} bouwen (esbuild, zonder typecheck)…`,
  )
  // Every output is named by its path from the root, so one run writes into several packages.
  const entryPoints = {}
  for (const command of stale) {
    const { name, outdir, source } = placeOf(command)
    const out = relative(root, outdir)
    entryPoints[join(out, name)] = source
    for (const [extra, file] of Object.entries(extraEntries)) entryPoints[join(out, extra)] = file
  }
  // esbuild is a dev dependency of the workspace root.
  const esbuild = createRequire(join(root, "package.json"))("esbuild")
  const result = await esbuild.build({
    ...options,
    absWorkingDir: root,
    entryPoints,
    outdir: root,
    metafile: true,
    logLevel: "error",
    write: false,
  })
  await esbuild.stop()
  for (const file of result.outputFiles) put(file.path, file.contents)
  // The list of inputs comes last, and only for inputs that did not change while esbuild read
  // them (their time is before the build began); otherwise the next start builds again.
  for (const command of stale) {
    const { inputsFile, source } = placeOf(command)
    const files = reachable(result.metafile, [source, ...Object.values(extraEntries)])
    const inputs = {}
    let steady = true
    for (const file of files) {
      const stat = statSync(file)
      if (stat.mtimeMs >= started) steady = false
      inputs[file] = [stat.size, stat.mtimeMs, hashOf(file)]
    }
    if (steady) put(inputsFile, JSON.stringify({ recipe, inputs }))
  }
  const count = Object.keys(result.metafile.inputs).length
  say(`verzuimregie: gebouwd in ${((Date.now() - started) / 1000).toFixed(1)} s (${count} bestanden)`)
  return stale
}

/**
 * Every command the repository runs through `scripts/run.mjs`: each workspace package's `bin`
 * (`./dist/bin/admin.js` is `bin/admin.ts` under src/) and each package script that calls it.
 */
export const workspaceCommands = () => {
  const manifests = [""].concat(
    ...["apps", "packages", "plugins"].map((group) =>
      existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => join(group, name)) : [],
    ),
  )
  const found = new Map()
  const add = (packageDir, entry) => {
    if (existsSync(join(root, packageDir, "src", entry)))
      found.set(`${packageDir}:${entry}`, { packageDir, entry })
  }
  for (const dir of manifests) {
    const file = join(root, dir, "package.json")
    if (!existsSync(file)) continue
    const manifest = JSON.parse(readFileSync(file, "utf8"))
    for (const bin of Object.values(manifest.bin ?? {}))
      add(dir, bin.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"))
    for (const script of Object.values(manifest.scripts ?? {}))
      for (const [, packageDir, entry] of script.matchAll(/scripts\/run\.mjs (\S+) (\S+\.ts)/g))
        add(packageDir, entry)
  }
  return [...found.values()]
}
