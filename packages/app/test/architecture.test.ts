/**
 * The dependency direction of the workspace (docs/architecture.md), checked on every package's
 * package.json: domain ← plugin-sdk ← plug-ins; domain ← store; {store, plugin-sdk, domain,
 * export-xlsx} ← app ← {gateway, mail, CLIs, web}. A package that imports upward fails here.
 * And every typed failure of the layers a request passes declares its HTTP meaning.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..", "..", "..")
const SCOPE = "@verzuimregie/"

const CORE = ["domain", "plugin-sdk", "store", "export-xlsx", "absence-import"]
const PLUGIN = /^plugin-(?!sdk$)/

/** What each package may depend on at run time (names without the scope). */
const allowed = (name: string): ((dependency: string) => boolean) => {
  // The command-line module depends on nothing of ours; every package with a command may use it.
  if (name === "cli") return () => false
  const base = allowedOwn(name)
  return (d) => d === "cli" || base(d)
}

const allowedOwn = (name: string): ((dependency: string) => boolean) => {
  switch (name) {
    case "domain":
      return () => false
    case "plugin-sdk":
    case "store":
    // Reading schools' absence exports: the domain's kinds and dates, nothing above.
    case "absence-import":
      return (d) => d === "domain"
    case "export-xlsx":
      return (d) => d === "domain" || d === "plugin-sdk"
    case "app":
      return (d) => CORE.includes(d)
    // The doors: the application layer and below; the gateway also hosts the mail worker, the demo
    // data and the plug-ins it installs.
    case "mail":
    case "demo":
    case "web":
      return (d) => CORE.includes(d) || d === "app"
    case "gateway":
      return (d) =>
        CORE.includes(d) || d === "app" || d === "mail" || d === "demo" || d === "web" || PLUGIN.test(d)
    // A catalogue one organisation offers in several regions: plug-in material, shared by plug-ins.
    case "catalogue-schoolformaat":
      return (d) => d === "domain" || d === "plugin-sdk"
    default:
      // A plug-in: the domain, the SDK and shared catalogues only.
      return PLUGIN.test(name)
        ? (d) => d === "domain" || d === "plugin-sdk" || d.startsWith("catalogue-")
        : () => false
  }
}

const manifests = ["packages", "plugins", "apps"].flatMap((dir) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        const text = readFileSync(join(ROOT, dir, entry.name, "package.json"), "utf8")
        return [{ dir: `${dir}/${entry.name}`, manifest: JSON.parse(text) as Record<string, unknown> }]
      } catch {
        return []
      }
    }),
)

const ours = (deps: unknown): Array<string> =>
  Object.keys((deps ?? {}) as Record<string, string>)
    .filter((d) => d.startsWith(SCOPE))
    .map((d) => d.slice(SCOPE.length))

describe("dependency direction", () => {
  it("finds the workspace's packages", () => {
    expect(manifests.map((m) => m.manifest.name)).toEqual(
      expect.arrayContaining([`${SCOPE}domain`, `${SCOPE}app`, `${SCOPE}gateway`]),
    )
  })

  it("no package depends upward (run-time dependencies)", () => {
    const upward = manifests.flatMap(({ dir, manifest }) => {
      const name = String(manifest.name).slice(SCOPE.length)
      const may = allowed(name)
      return ours(manifest.dependencies)
        .filter((d) => !may(d))
        .map((d) => `${dir}: ${name} → ${d}`)
    })
    expect(upward).toEqual([])
  })

  it("tests may add plug-ins as fixtures, nothing else upward", () => {
    const upward = manifests.flatMap(({ dir, manifest }) => {
      const name = String(manifest.name).slice(SCOPE.length)
      const may = allowed(name)
      return ours(manifest.devDependencies)
        .filter((d) => !may(d) && !(PLUGIN.test(d) && name !== "domain" && name !== "plugin-sdk"))
        .map((d) => `${dir}: ${name} → ${d} (dev)`)
    })
    expect(upward).toEqual([])
  })

  it("the rule can fail: the domain depending on the store is upward", () => {
    expect(allowed("domain")("store")).toBe(false)
    expect(allowed("store")("app")).toBe(false)
    expect(allowed("app")("gateway")).toBe(false)
    expect(allowed("plugin-westland")("store")).toBe(false)
  })
})

/**
 * `pnpm test` typechecks the workspace in one tsc program (tsconfig.typecheck.json) plus the
 * gateway's own: a package whose folder that program's `include` misses would go unchecked.
 */
describe("pnpm test typechecks every package", () => {
  const program = JSON.parse(readFileSync(join(ROOT, "tsconfig.typecheck.json"), "utf8")) as {
    include: ReadonlyArray<string>
  }
  const rootScripts = (
    JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>
    }
  ).scripts
  /** `packages/*\/src` covers `packages/store/src`: `*` stands for one folder name. */
  const covers = (pattern: string, path: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]+")}$`).test(path)
  const ownProgram = (dir: string) =>
    rootScripts.test?.includes(`${String(manifests.find((m) => m.dir === dir)?.manifest.name)}#typecheck`) ===
    true
  const unchecked = (dirs: ReadonlyArray<string>) =>
    dirs.filter((dir) => !ownProgram(dir) && !program.include.some((p) => covers(p, `${dir}/src`)))

  it("each package's src is in the workspace program, or the package has its own typecheck task in pnpm test", () => {
    expect(unchecked(manifests.map((m) => m.dir))).toEqual([])
  })

  it("the check can fail: a folder the program does not include is reported", () => {
    expect(unchecked(["tools/new-thing"])).toEqual(["tools/new-thing"])
    expect(ownProgram("apps/gateway")).toBe(true)
  })
})

describe("typed failures carry their HTTP meaning", () => {
  const sources = (dir: string): Array<string> =>
    readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
      .map((entry) => join(entry.parentPath, entry.name))

  it("every Schema.TaggedError in domain, plug-in SDK, store, absence import, app and gateway declares HttpMeaning", () => {
    const missing = [
      "packages/domain/src",
      "packages/plugin-sdk/src",
      "packages/store/src",
      "packages/absence-import/src",
      "packages/app/src",
      "apps/gateway/src",
    ]
      .flatMap(sources)
      .flatMap((file) => {
        const text = readFileSync(file, "utf8")
        return [...text.matchAll(/export class (\w+) extends Schema\.TaggedError<\w+>\(\)\(/g)].flatMap(
          (m) => {
            // The declaration up to the class body: its tag, fields and annotations.
            const declaration = text.slice(m.index, text.indexOf(") {", m.index))
            return declaration.includes("HttpMeaning.") ? [] : [`${file.slice(ROOT.length + 1)}: ${m[1]}`]
          },
        )
      })
    expect(missing).toEqual([])
  })
})
