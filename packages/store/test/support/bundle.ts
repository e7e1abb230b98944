import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const packageRoot = Path.join(Path.dirname(fileURLToPath(import.meta.url)), "..", "..")

/**
 * Bundles a TypeScript entry point into one plain ESM file that `node` starts quickly (a TS loader
 * costs seconds per start, which adds up in tests that spawn many processes). The file lives under
 * the package's node_modules so its native dependency (better-sqlite3) resolves. Returns its path
 * and a function that removes it.
 */
export const bundleScript = async (
  source: string,
  name: string,
): Promise<{ readonly file: string; readonly remove: () => void }> => {
  const file = Path.join(
    packageRoot,
    "node_modules",
    ".cache",
    "verzuimregie-store",
    `${name}-${process.pid}.mjs`,
  )
  await build({
    entryPoints: [Path.resolve(packageRoot, source)],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3", "pg-native"],
    banner: {
      // Aliased: bundled modules import `createRequire` themselves (AbsenceStore's checkpoint worker).
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    logLevel: "error",
  })
  return { file, remove: () => Fs.rmSync(file, { force: true }) }
}
