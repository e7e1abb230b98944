/**
 * The first hour, as a newcomer types it: the root's pnpm commands (`pnpm start`,
 * `pnpm check-referral`, `pnpm check-config`) run for real through pnpm and `scripts/run.mjs`,
 * from the repository root, from a subfolder and from a folder outside the repository
 * (`pnpm --dir`). Relative paths mean what the user typed where they stand; a file that is not
 * there is named by its absolute path; Ctrl-C (SIGINT to the whole process group, as a terminal
 * sends it) stops the gateway quietly with exit 0.
 *
 * The plug-ins' checks and the start from outside the repository: first-hour-plugins.test.ts.
 *
 * The global set-up bundled every command; a command whose sources changed since bundles again
 * (a few seconds, more on a busy machine): generous timeouts.
 */
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { pnpm, root, run, sample, scratchFolder } from "./support/first-hour.js"

const scratch = scratchFolder()

describe("relative paths are taken from where the user stands", () => {
  it("pnpm check-referral takes the README's path from the repository root", async () => {
    const ran = await pnpm(
      ["check-referral", "--", "--on", "2026-11-16", `${sample}/westland-jgz.json`],
      root,
    )
    expect(ran.stdout).toContain("✓ westland-jgz.json: geldig")
    expect(ran.code).toBe(0)
  }, 300_000)

  it("from a subfolder, a relative file is the subfolder's, and a missing one is named absolutely", async () => {
    // docs/ is no package, so pnpm runs the root's script there (in a package folder: pnpm -w).
    const docs = join(root, "docs")
    const found = await pnpm(
      ["check-referral", "--", "--on", "2026-11-16", `../${sample}/westland-jgz.json`],
      docs,
    )
    expect(found.stdout).toContain("✓ westland-jgz.json: geldig")
    expect(found.code).toBe(0)
    const domain = join(root, "packages", "domain")
    const missing = await pnpm(["-w", "check-referral", "--", "samples/referrals/bestaat-niet.json"], domain)
    expect(missing.stdout).toContain(`✗ ${domain}/samples/referrals/bestaat-niet.json: bestand niet gevonden`)
    expect(missing.code).toBe(1)
  }, 300_000)

  it("the check command printed at the top of config/regions.yaml runs as written", async () => {
    const header = (await readFile(join(root, "config", "regions.yaml"), "utf8")).split("\n")
    const line = header.find((l) => /^#\s+pnpm /.test(l))?.replace(/^#\s+/, "")
    expect(line).toBeDefined()
    const [command, ...args] = line!.split(/\s+/)
    const ran = await run(command!, args, root)
    expect(ran.stdout).toContain("3 regio('s) geconfigureerd")
    expect(ran.code).toBe(0)
  }, 300_000)

  it("REGIONS_FILE that is not there: pnpm start names the absolute path it tried", async () => {
    const ran = await pnpm(["start"], root, { REGIONS_FILE: "config/bestaat-niet.yaml", PORT: "0" })
    expect(ran.code).toBe(1)
    expect(ran.stderr).toContain(`bestand niet gevonden: ${root}/config/bestaat-niet.yaml`)
  }, 300_000)
})

describe("check-config and the gateway's start-up are one validation", () => {
  it("a weekly Inspectie schedule is refused by both, with the same line", async () => {
    const sampleConfig = await readFile(join(root, "config", "regions.yaml"), "utf8")
    const file = join(scratch.dir, "inspectie-week.yaml")
    await writeFile(
      file,
      sampleConfig.replace("{ every: kwartaal, dayOfQuarter: 1,", "{ every: week, on: maandag,"),
    )
    const line =
      "regions[2].inspectie.schedule.every: het Inspectie-overzicht gaat per kwartaal: gebruik every: kwartaal (niet week)"
    const checked = await pnpm(["check-config", "--", file], root)
    expect(checked.code).toBe(1)
    expect(checked.stderr).toContain(line)
    const started = await pnpm(["start"], root, {
      REGIONS_FILE: file,
      PORT: "0",
      DATA_DIR: join(scratch.dir, "unused"),
    })
    expect(started.code).toBe(1)
    expect(started.stderr).toContain(line)
  }, 300_000)
})
