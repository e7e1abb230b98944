/**
 * The main job as an operator runs it (`pnpm start` runs `node dist/main.js`): a fresh data folder
 * is migrated and seeded with synthetic demo data and users, the banner names the URL, the docs
 * and the tokens; a restart does not seed again; SIGTERM lets requests in flight finish; files are
 * owner-only. Its refusals to start: main-refusals.test.ts; the admin command line: admin-cli*.test.ts.
 */
import { chmod, readFile, stat } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { scratchFolder, start } from "./support/main-job.js"
import { freePort, waitFor } from "./support/process.js"

const scratch = scratchFolder()

describe("the main job", () => {
  it("seeds a fresh installation once, serves, and shuts down gracefully", async () => {
    const port = await freePort()
    const env = { DATA_DIR: join(scratch.dir, "data"), PORT: String(port), HOST: "127.0.0.1" }
    const first = start(env)
    await waitFor(() => first.stderr().includes("Probeer eerst"), "the banner")
    const banner = first.stderr()
    expect(banner).toContain(`verzuimregie draait op http://127.0.0.1:${port}`)
    expect(banner).toContain(`http://127.0.0.1:${port}/docs`)
    const token = /Coördinator Westland\s+coordinator\s+(vrt_\S+)/.exec(banner)?.[1]
    expect(token).toBeDefined()

    const ready = await fetch(`http://127.0.0.1:${port}/ready`)
    expect(await ready.json()).toEqual({
      status: "ready",
      mail: { waiting: 0, retrying: 0, deadLetters: 0 },
    })
    const cases = await fetch(`http://127.0.0.1:${port}/cases?limit=500`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const page = (await cases.json()) as { items: Array<{ regionId: string }> }
    expect(page.items.length).toBeGreaterThan(10)
    expect(page.items.every((c) => c.regionId === "westland")).toBe(true)

    // A request in flight when SIGTERM arrives still gets its answer.
    const inFlight = fetch(`http://127.0.0.1:${port}/cases?limit=500`, {
      headers: { authorization: `Bearer ${token}` },
    })
    await new Promise((r) => setTimeout(r, 5))
    first.child.kill("SIGTERM")
    expect((await inFlight).status).toBe(200)
    expect(await first.exited).toBe(0)
    expect(first.stdout()).toContain('"event":"shutdown"')

    // One log format: every line on stdout is JSON starting with time, level and message, the
    // request log's (route, status) and Effect's (the mail layer's start) alike.
    const lines = first
      .stdout()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.length).toBeGreaterThan(2)
    for (const line of lines) {
      expect(Object.keys(line).slice(0, 3)).toEqual(["time", "level", "message"])
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(["debug", "info", "warn", "error"]).toContain(line.level)
      expect(typeof line.message).toBe("string")
      expect(line).not.toHaveProperty("fiberId")
    }
    expect(lines.some((l) => l.route === "/cases" && l.status === 200)).toBe(true)
    expect(lines.some((l) => String(l.message).startsWith("mail started: messages go to file outbox"))).toBe(
      true,
    )

    // Same data folder: no demo data or tokens a second time.
    const second = start(env)
    await waitFor(() => second.stderr().includes("Een token maken"), "the second banner")
    expect(second.stderr()).not.toContain("vrt_")
    second.child.kill("SIGINT")
    expect(await second.exited).toBe(0)
  }, 90_000)

  it("creates owner-only files under umask 022 and anchors the audit head at shutdown", async () => {
    const port = await freePort()
    const dataDir = join(scratch.dir, "umask", "data")
    const anchorFile = join(scratch.dir, "anchors", "audit-anchors.jsonl")
    const env = { DATA_DIR: dataDir, AUDIT_ANCHOR_FILE: anchorFile, PORT: String(port), HOST: "127.0.0.1" }
    const gateway = start(env, { umask: "022" })
    await waitFor(() => gateway.stderr().includes("Probeer eerst"), "the banner")
    const token = /Coördinator Westland\s+coordinator\s+(vrt_\S+)/.exec(gateway.stderr())?.[1]
    // A read: one more audit record, so the head at shutdown is past the one at start.
    const read = await fetch(`http://127.0.0.1:${port}/cases?limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(read.status).toBe(200)
    const database = join(dataDir, "verzuimregie.db")
    const modeOf = async (path: string) => ((await stat(path)).mode & 0o777).toString(8)
    expect({
      folder: await modeOf(dataDir),
      file: await modeOf(database),
      wal: await modeOf(`${database}-wal`),
      shm: await modeOf(`${database}-shm`),
    }).toEqual({ folder: "700", file: "600", wal: "600", shm: "600" })
    gateway.child.kill("SIGTERM")
    expect(await gateway.exited).toBe(0)
    expect(gateway.stdout()).not.toContain("database-file-exposed")
    expect(await modeOf(anchorFile)).toBe("600")
    const anchors = (await readFile(anchorFile, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { seq: number; hash: string })
    // At start (after the demo data) and at shutdown (after the read).
    expect(anchors.length).toBeGreaterThanOrEqual(2)
    const last = anchors[anchors.length - 1]
    expect(last?.seq).toBeGreaterThan(anchors[0]?.seq ?? 0)
    expect(last?.hash).toMatch(/^[0-9a-f]{64}$/)
  }, 90_000)

  it("warns at start-up when the database is readable by others", async () => {
    const dataDir = join(scratch.dir, "umask", "data")
    await chmod(join(dataDir, "verzuimregie.db"), 0o644)
    const gateway = start({ DATA_DIR: dataDir, PORT: String(await freePort()), HOST: "127.0.0.1" })
    await waitFor(() => gateway.stderr().includes("verzuimregie draait op"), "the banner")
    gateway.child.kill("SIGTERM")
    expect(await gateway.exited).toBe(0)
    const warning = gateway
      .stdout()
      .split("\n")
      .find((line) => line.includes("database-file-exposed"))
    expect(warning).toBeDefined()
    expect(JSON.parse(warning ?? "{}")).toMatchObject({ level: "warn", event: "database-file-exposed" })
    expect(warning).toContain("(mode 0644)")
  }, 90_000)
})
