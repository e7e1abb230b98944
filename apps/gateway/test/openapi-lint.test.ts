/**
 * The served OpenAPI document as third-party tools read it: Redocly's `recommended` rules and
 * Spectral's `spectral:oas` find nothing (0 errors, 0 warnings, no rule skipped), and the types
 * `openapi-typescript` generates from it compile under `strict` without `skipLibCheck`. The tools
 * run offline: a preload (support/no-network.cjs) refuses and records any connection off this
 * machine, and the test fails on any.
 */
import { spawn } from "node:child_process"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, startGateway } from "./support/gateway.js"

const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url))
const noNetwork = fileURLToPath(new URL("./support/no-network.cjs", import.meta.url))

let gateway: Gateway
let dir: string
let documentFile: string
beforeAll(async () => {
  gateway = await startGateway()
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-openapi-"))
  documentFile = join(dir, "openapi.json")
  const served = await fetch(`${gateway.base}/openapi.json`)
  expect(served.status).toBe(200)
  await writeFile(documentFile, await served.text())
}, 60_000)
afterAll(async () => {
  await gateway?.close()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

/** Runs a tool in the temp dir (no config file of the repo applies), offline. */
const run = (command: string, args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string; network: Array<string> }>(
    (resolve, reject) => {
      const networkLog = join(dir, `network-${Math.random().toString(36).slice(2)}.log`)
      const child = spawn(command, args, {
        cwd: dir,
        env: {
          ...process.env,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${noNetwork}`.trim(),
          NO_NETWORK_LOG: networkLog,
          REDOCLY_TELEMETRY: "off",
          REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
          NO_COLOR: "1",
        },
      })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (d) => {
        stdout += String(d)
      })
      child.stderr.on("data", (d) => {
        stderr += String(d)
      })
      child.on("error", reject)
      child.on("exit", async (code) => {
        const network = await readFile(networkLog, "utf8").then(
          (text) => text.split("\n").filter(Boolean),
          () => [],
        )
        resolve({ code, stdout, stderr, network })
      })
    },
  )

describe("the OpenAPI document under third-party linters", () => {
  it("passes Redocly's recommended rules with no error and no warning, offline", async () => {
    const result = await run(bin("redocly"), [
      "lint",
      documentFile,
      "--extends=recommended",
      "--format=json",
      "--max-problems=1000",
    ])
    expect(result.network).toEqual([])
    const json = JSON.parse(result.stdout.slice(result.stdout.indexOf("{"))) as {
      problems: Array<{
        ruleId: string
        severity: string
        message: string
        location: Array<{ pointer?: string }>
      }>
    }
    const findings = json.problems.map(
      (p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ""}: ${p.message}`,
    )
    expect(findings).toEqual([])
    expect(result.code, result.stderr).toBe(0)
  }, 180_000)

  it("passes Spectral's spectral:oas with no error and no warning, offline", async () => {
    const ruleset = join(dir, ".spectral.yaml")
    await writeFile(ruleset, 'extends: ["spectral:oas"]\n')
    const result = await run(bin("spectral"), [
      "lint",
      documentFile,
      "--ruleset",
      ruleset,
      "--format",
      "json",
      "--fail-severity",
      "warn",
      "--quiet",
    ])
    expect(result.network).toEqual([])
    const findings = (
      JSON.parse(result.stdout.slice(result.stdout.indexOf("["))) as Array<{
        code: string
        severity: number
        message: string
        path: Array<string>
      }>
    )
      // 0 error, 1 warning; 2 information and 3 hint are not findings.
      .filter((r) => r.severity <= 1)
      .map((r) => `${r.severity} ${r.code} ${r.path.join(".")}: ${r.message}`)
    expect(findings).toEqual([])
    expect(result.code, result.stderr).toBe(0)
  }, 180_000)

  it("generates types with openapi-typescript that compile under strict, without skipLibCheck", async () => {
    const generated = await run(bin("openapi-typescript"), [documentFile, "--output", join(dir, "api.d.ts")])
    expect(generated.code, generated.stderr).toBe(0)
    expect(generated.network).toEqual([])
    await writeFile(
      join(dir, "client.ts"),
      [
        'import type { components, operations, paths } from "./api.js"',
        'type Submission = components["schemas"]["ReferralSubmission"]',
        'type Created = paths["/referrals"]["post"]["responses"][201]["content"]["application/json"]',
        'type Users = operations["listUsers"]["responses"][200]["content"]["application/json"]',
        "export const firstUser = (page: Users): string | undefined => page.items[0]?.id",
        "export const regionOf = (s: Submission): string => s.regionId",
        "export type { Created }",
        "",
      ].join("\n"),
    )
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: [],
        },
        files: ["client.ts", "api.d.ts"],
      }),
    )
    const tsc = await run(bin("tsc"), ["-p", join(dir, "tsconfig.json")])
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("")
    expect(tsc.code).toBe(0)
  }, 180_000)
})
