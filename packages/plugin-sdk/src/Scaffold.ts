/**
 * Scaffolds a new regional plug-in from the template: a package that passes the conformance suite
 * unchanged, for an integrator to turn into the region's own way of working.
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { Ids } from "@verzuimregie/domain"
import { Schema } from "effect"

export interface ScaffoldOptions {
  /** Plug-in id, a lower-case slug: `zuid-holland-zuid`. */
  readonly id: string
  /** Display name: "Thuiszittersaanpak Zuid-Holland Zuid". */
  readonly name: string
  readonly municipality: string
  /** The monorepo root (holding pnpm-workspace.yaml); the plug-in goes to `plugins/<id>`. */
  readonly root: string
}

const templateDir = fileURLToPath(new URL("../template/", import.meta.url))

/** The monorepo root above `from`: the nearest folder with a pnpm-workspace.yaml. */
export const findRoot = (from: string): string | undefined => {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir
    if (dirname(dir) === dir) return undefined
  }
}

const listFiles = async (dir: string): Promise<Array<string>> => {
  const out: Array<string> = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await listFiles(path)))
    else out.push(path)
  }
  return out
}

/** Why the options cannot be scaffolded, or an empty list. */
export const problems = (options: ScaffoldOptions): Array<string> => {
  const out: Array<string> = []
  if (!Schema.is(Ids.PluginId)(options.id))
    out.push(`--id: "${options.id}" is geen naam in kleine letters en streepjes zoals mijn-regio`)
  if (options.name.trim() === "") out.push("--name: geef de plug-in een naam")
  if (options.municipality.trim() === "") out.push("--gemeente: noem de gemeente van de regio")
  if (/["\\`$]/.test(options.name + options.municipality))
    out.push("--name/--gemeente: geen aanhalingstekens, backslashes of $")
  if (existsSync(join(options.root, "plugins", options.id))) out.push(`plugins/${options.id} bestaat al`)
  return out
}

/** Writes the plug-in and returns the files written, relative to the root. */
export const scaffold = async (options: ScaffoldOptions): Promise<Array<string>> => {
  const target = join(options.root, "plugins", options.id)
  const baseTsconfig = relative(target, join(options.root, "tsconfig.base.json")).split("\\").join("/")
  const written: Array<string> = []
  for (const source of await listFiles(templateDir)) {
    const text = (await readFile(source, "utf8"))
      .replaceAll("__ID__", options.id)
      .replaceAll("__NAME__", options.name)
      .replaceAll("__MUNICIPALITY__", options.municipality)
      .replaceAll("__BASE_TSCONFIG__", baseTsconfig)
    const path = join(target, relative(templateDir, source).replace(/\.tpl$/, ""))
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text, { flag: "wx" })
    written.push(relative(options.root, path))
  }
  return written.sort()
}
