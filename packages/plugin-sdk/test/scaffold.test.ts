import { execFile } from "node:child_process"
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Scaffold } from "../src/index.js"

const run = promisify(execFile)
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const sdk = here("..")
const repo = here("../../..")

// A throwaway monorepo with the real SDK and domain linked in, so the scaffold is built and tested
// exactly as an integrator would, without touching the repository's plugins/ folder.
let root = ""
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "verzuimregie-scaffold-"))
  await writeFile(join(root, "pnpm-workspace.yaml"), "packages:\n  - plugins/*\n")
  await copyFile(join(repo, "tsconfig.base.json"), join(root, "tsconfig.base.json"))
  const link = async (name: string, target: string) => {
    const path = join(root, "node_modules", name)
    await mkdir(dirname(path), { recursive: true })
    await symlink(await realpath(target), path, "dir")
  }
  await link("@verzuimregie/plugin-sdk", sdk)
  await link("@verzuimregie/domain", join(repo, "packages/domain"))
  for (const dep of ["effect", "vitest", "@types/node", "typescript"])
    await link(dep, join(sdk, "node_modules", dep))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe("scaffolding a new plug-in", () => {
  it("refuses a bad id and an existing folder", async () => {
    expect(Scaffold.problems({ id: "Mijn Regio", name: "X", municipality: "Y", root })).toEqual([
      '--id: "Mijn Regio" is geen naam in kleine letters en streepjes zoals mijn-regio',
    ])
    expect(Scaffold.problems({ id: "er-op-af", name: "X", municipality: "Y", root: repo })).toEqual([
      "plugins/er-op-af bestaat al",
    ])
  })

  it("writes a plug-in that typechecks and passes the conformance suite unchanged", async () => {
    const files = await Scaffold.scaffold({
      id: "proefregio",
      name: "Proefregio Zuid",
      municipality: "Proefstad",
      root,
    })
    expect(files).toEqual([
      "plugins/proefregio/README.md",
      "plugins/proefregio/package.json",
      "plugins/proefregio/src/index.ts",
      "plugins/proefregio/test/conformance.test.ts",
      "plugins/proefregio/test/paths.test.ts",
      "plugins/proefregio/tsconfig.build.json",
      "plugins/proefregio/tsconfig.json",
      "plugins/proefregio/vitest.config.ts",
    ])
    const dir = join(root, "plugins/proefregio")
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"))
    expect(pkg.name).toBe("@verzuimregie/plugin-proefregio")
    expect(await readFile(join(dir, "src/index.ts"), "utf8")).not.toMatch(/__[A-Z_]+__/)

    const tsc = join(root, "node_modules/typescript/bin/tsc")
    await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--noEmit"], { cwd: dir })

    const vitest = join(root, "node_modules/vitest/vitest.mjs")
    const { stdout } = await run(process.execPath, [vitest, "run", "--reporter=verbose"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1" },
    })
    expect(stdout).toContain("plug-in conformance: proefregio")
    expect(stdout).toMatch(/Tests {2}2\d passed \(2\d\)/)
    expect(stdout).toContain("has a README generated from this definition")
    expect(stdout).not.toMatch(/failed/)
  }, 120_000)
})
