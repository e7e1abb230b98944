/**
 * The first hour, as a newcomer types it: the root's pnpm commands (`pnpm start`,
 * `pnpm check-referral`, `pnpm check-config`) run for real through pnpm and `scripts/run.mjs`,
 * from the repository root, from a subfolder and from a folder outside the repository
 * (`pnpm --dir`). Relative paths mean what the user typed where they stand; a file that is not
 * there is named by its absolute path; Ctrl-C (SIGINT to the whole process group, as a terminal
 * sends it) stops the gateway quietly with exit 0.
 *
 * Each command may bundle first (a few seconds, more on a busy machine): generous timeouts.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freePort, waitFor } from "./support/process.js"

const root = fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "")
const sample = "packages/domain/samples/referrals"

interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command to its end; never rejects, so the test asserts on the exit code. */
const run = (command: string, args: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}) =>
  new Promise<Ran>((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          stdout,
          stderr,
        }),
    )
  })

const pnpm = (args: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}) =>
  run("pnpm", ["--silent", ...args], cwd, env)

let dir = ""
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-first-hour-"))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

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
    const file = join(dir, "inspectie-week.yaml")
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
      DATA_DIR: join(dir, "unused"),
    })
    expect(started.code).toBe(1)
    expect(started.stderr).toContain(line)
  }, 300_000)

  it("check-referral --region runs the region's plug-in, as POST /referrals does", async () => {
    const ran = await pnpm(
      [
        "check-referral",
        "--",
        "--on",
        "2026-11-16",
        "--region",
        "westland",
        `${sample}/westland-luxe-verzuim.json`,
      ],
      root,
    )
    expect(ran.code).toBe(1)
    expect(ran.stdout).toContain(
      "✗ westland-luxe-verzuim.json: geweigerd door regio westland (plug-in westland",
    )
    expect(ran.stdout).toContain("consent: toestemming ouders ontbreekt")
  }, 300_000)

  it("the samples the README calls valid are accepted by their own region's plug-in", async () => {
    const valid = [
      ["leidschendam-voorburg", "er-op-af-15-jaar.json"],
      ["leidschendam-voorburg", "er-op-af-16-jaar.json"],
      ["westland", "westland-jgz.json"],
      ["amstelland-meerlanden", "amstelland-langdurig.json"],
    ] as const
    for (const [region, file] of valid) {
      const ran = await pnpm(
        ["check-referral", "--", "--on", "2026-11-16", "--region", region, `${sample}/${file}`],
        root,
      )
      expect(ran.code, `${file}: ${ran.stdout}${ran.stderr}`).toBe(0)
      expect(ran.stdout).toContain("1 geldig, 0 ongeldig")
    }
  }, 300_000)
})

describe("pnpm start from a folder outside the repository", () => {
  let child: ChildProcess | undefined
  afterAll(() => {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL")
  })

  it("keeps its data in ./data there, says which token to try, and stops quietly on Ctrl-C", async () => {
    const port = await freePort()
    const { DATA_DIR: _dataDir, REGIONS_FILE: _regionsFile, ...env } = process.env
    // detached: its own process group, so SIGINT reaches pnpm and the gateway at once, as Ctrl-C does.
    child = spawn("pnpm", ["--dir", root, "start"], {
      cwd: dir,
      env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (d) => {
      stdout += String(d)
    })
    child.stderr?.on("data", (d) => {
      stderr += String(d)
    })
    const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)))
    await waitFor(() => stderr.includes("Probeer eerst"), "the banner", 240_000)
    expect(stderr).toContain(`verzuimregie draait op http://127.0.0.1:${port}`)
    expect(existsSync(join(dir, "data", "verzuimregie.db"))).toBe(true)

    // The banner's own curl line, as a newcomer would paste it: a case worker sees cases.
    expect(stderr).toMatch(/Probeer eerst het token van Casusregisseur /)
    const curl = /curl -H "Authorization: Bearer (vrt_\S+)" (\S+)/.exec(stderr)
    expect(curl?.[2]).toBe(`http://127.0.0.1:${port}/cases`)
    const cases = await fetch(curl![2]!, { headers: { Authorization: `Bearer ${curl![1]}` } })
    expect(cases.status).toBe(200)
    expect(((await cases.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0)

    process.kill(-child.pid!, "SIGINT")
    expect(await exited).toBe(0)
    expect(`${stdout}\n${stderr}`).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed/)
  }, 300_000)
})
