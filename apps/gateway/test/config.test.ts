import { execFile } from "node:child_process"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { RegionConfig, Registry } from "@verzuimregie/plugin-sdk"
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { loadConfig, sampleConfigFile } from "../src/config.js"
import { plugins } from "../src/plugins.js"

const run = promisify(execFile)
const bin = fileURLToPath(new URL("../dist/bin/check-config.js", import.meta.url))

let dir = ""
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-gateway-"))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe("the shipped registry and sample configuration", () => {
  it("ships the three seed plug-ins, each once", () => {
    expect(plugins.map((p) => p.manifest.id)).toEqual(["er-op-af", "westland", "amstelland"])
  })

  it("passes the registry check that start-up and check-config run, which refuses a plug-in listed twice", async () => {
    expect(Registry.registryProblems(plugins)).toEqual([])
    const twice = [...plugins, plugins[1]!]
    const refused = await RegionConfig.loadRegionConfig(sampleConfigFile, twice)
    expect(Either.isLeft(refused) ? refused.left.message : "(geladen)").toBe(
      [
        "de lijst met plug-ins van deze installatie is ongeldig (1 probleem):",
        "  plug-in-id westland komt 2 keer voor (plaats 2 en 4); elke plug-in heeft een eigen id",
      ].join("\n"),
    )
  })

  it("enables each region with its plug-in", async () => {
    const config = await loadConfig(sampleConfigFile)
    expect(
      Either.isRight(config)
        ? config.right.regions.map((r) => [r.region.id, r.plugin.manifest.id])
        : config.left.message,
    ).toEqual([
      ["leidschendam-voorburg", "er-op-af"],
      ["westland", "westland"],
      ["amstelland-meerlanden", "amstelland"],
    ])
  })
})

describe("starting with a broken region configuration", () => {
  it("prints every problem with its path and exits non-zero", async () => {
    const sample = await readFile(sampleConfigFile, "utf8")
    const broken = sample
      .replace("plugin: westland", "plugin: zeeland")
      .replace("homeVisitWorkingDays: 15", 'homeVisitWorkingDays: "vijftien"')
      .replace("holidayRegion: noord", "holidayRegion: noordoost")
      .replace("regioloket@example.org", "regioloket")
    const file = join(dir, "broken.yaml")
    await writeFile(file, broken)
    const failure = await run(process.execPath, [bin, file]).then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    )
    expect(failure?.code).toBe(1)
    const lines = failure?.stderr.split("\n") ?? []
    expect(lines[0]).toBe(`${file}: de configuratie is ongeldig (4 problemen):`)
    expect(
      lines
        .slice(1)
        .map((l) => l.trim().split(":")[0])
        .filter((l) => l !== ""),
    ).toEqual([
      "regions[0].settings.homeVisitWorkingDays",
      "regions[1].plugin",
      "regions[2].holidayRegion",
      "regions[2].summaries.recipients[0].email",
    ])
    expect(failure?.stdout).toBe("")
  })

  it("reports plug-in level problems after the file itself is well-formed", async () => {
    const sample = await readFile(sampleConfigFile, "utf8")
    const file = join(dir, "plugin-problems.yaml")
    await writeFile(
      file,
      sample
        .replace("plugin: westland", "plugin: zeeland")
        .replace("homeVisitWorkingDays: 15", 'homeVisitWorkingDays: "vijftien"'),
    )
    const failure = await run(process.execPath, [bin, file]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure?.code).toBe(1)
    expect(failure?.stderr).toContain(
      'regions[0].settings.homeVisitWorkingDays: verwacht een geheel getal; ontvangen: "vijftien"',
    )
    expect(failure?.stderr).toContain(
      'regions[1].plugin: onbekende plug-in "zeeland"; deze installatie levert: er-op-af, westland, amstelland',
    )
  })

  it("starts with the sample configuration", async () => {
    const { stdout } = await run(process.execPath, [bin, sampleConfigFile])
    expect(stdout).toContain("3 regio('s) geconfigureerd")
  })
})
