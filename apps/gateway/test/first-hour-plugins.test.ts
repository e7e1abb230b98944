/**
 * The first hour, continued (first-hour.test.ts): `pnpm check-referral --region` runs the region's
 * plug-in, the README's valid samples pass their own region's plug-in, and `pnpm start` from a
 * folder outside the repository keeps its data there and stops quietly on Ctrl-C.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { pnpm, root, sample, scratchFolder } from "./support/first-hour.js"
import { freePort, waitFor } from "./support/process.js"

const scratch = scratchFolder()

describe("the plug-ins, through pnpm check-referral", () => {
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
      cwd: scratch.dir,
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
    expect(existsSync(join(scratch.dir, "data", "verzuimregie.db"))).toBe(true)

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
