/**
 * The main job as an operator runs it (`pnpm start` runs `node dist/main.js`): a fresh data folder
 * is migrated and seeded with synthetic demo data and users, the banner names the URL, the docs
 * and the tokens; a restart does not seed again; SIGTERM lets requests in flight finish; a database
 * that cannot be opened is one clear error.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import Sqlite from "better-sqlite3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runAdmin } from "./support/admin-cli.js"
import { freePort, waitFor } from "./support/process.js"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))

interface Started {
  readonly child: ChildProcess
  readonly stderr: () => string
  readonly stdout: () => string
  readonly exited: Promise<number | null>
}

const start = (env: Record<string, string>, options: { readonly umask?: string } = {}): Started => {
  // With a umask, through a shell (`umask` is a shell built-in), exec'd so signals reach node.
  const child =
    options.umask === undefined
      ? spawn(process.execPath, [main], {
          env: { ...process.env, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        })
      : spawn("/bin/sh", ["-c", `umask ${options.umask} && exec "$0" "$1"`, process.execPath, main], {
          env: { ...process.env, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        })
  let stderr = ""
  let stdout = ""
  child.stderr?.on("data", (d) => {
    stderr += String(d)
  })
  child.stdout?.on("data", (d) => {
    stdout += String(d)
  })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, stderr: () => stderr, stdout: () => stdout, exited }
}

let dir = ""
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-main-"))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe("the main job", () => {
  it("seeds a fresh installation once, serves, and shuts down gracefully", async () => {
    const port = await freePort()
    const env = { DATA_DIR: join(dir, "data"), PORT: String(port), HOST: "127.0.0.1" }
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
    const dataDir = join(dir, "umask", "data")
    const anchorFile = join(dir, "anchors", "audit-anchors.jsonl")
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
    const dataDir = join(dir, "umask", "data")
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

  it("stops with one clear line when the database cannot be opened", async () => {
    const garbage = join(dir, "garbage.db")
    await writeFile(garbage, "this is not a database, just text that happens to be long enough ".repeat(50))
    const broken = start({ DATABASE_URL: `sqlite:${garbage}`, PORT: String(await freePort()) })
    expect(await broken.exited).toBe(1)
    // Progress lines (verzuimregie: …) may come first; then the one error.
    expect(broken.stderr()).toMatch(/^(verzuimregie: .*\n)*verzuimregie kan niet starten:\n.*garbage\.db/)
    expect(broken.stderr()).not.toMatch(/\n\s+at /)

    const unreachable = start({
      DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none",
      PORT: String(await freePort()),
    })
    expect(await unreachable.exited).toBe(1)
    expect(unreachable.stderr()).toContain("127.0.0.1:1")
    expect(unreachable.stderr()).not.toContain("secret")
  }, 60_000)

  it("in production (DEMO_DATA=off) refuses to start mail without a sender and a public address", async () => {
    const production = start({
      DEMO_DATA: "off",
      DATA_DIR: join(dir, "production"),
      PORT: String(await freePort()),
    })
    expect(await production.exited).toBe(1)
    expect(production.stderr()).toContain("MAIL_FROM: niet ingesteld. Met DEMO_DATA=off (productie)")
    expect(production.stderr()).toContain("PUBLIC_URL: niet ingesteld. Met DEMO_DATA=off (productie)")

    // With both set it starts, and says once where mail goes.
    const configured = start({
      DEMO_DATA: "off",
      DATA_DIR: join(dir, "production"),
      MAIL_FROM: "Verzuimregie <verzuimregie@gemeente.example>",
      PUBLIC_URL: "https://verzuimregie.gemeente.example",
      PORT: String(await freePort()),
    })
    await waitFor(() => configured.stderr().includes("Een token maken"), "the banner")
    expect(configured.stderr()).toContain("e-mail: als .eml-bestanden in ")
    expect(configured.stderr()).toContain(
      "afzender Verzuimregie <verzuimregie@gemeente.example>; links naar https://verzuimregie.gemeente.example\n",
    )
    configured.child.kill("SIGTERM")
    expect(await configured.exited).toBe(0)
  }, 90_000)

  it("refuses to start half-configured with a broken region configuration", async () => {
    const file = join(dir, "regions.yaml")
    await writeFile(file, "version: 1\nregions:\n  - id: proef\n    plugin: onbekend\n")
    const broken = start({
      REGIONS_FILE: file,
      DATA_DIR: join(dir, "unused"),
      PORT: String(await freePort()),
    })
    expect(await broken.exited).toBe(1)
    expect(broken.stderr()).toContain("regions[0].plugin")
    expect(broken.stderr()).toContain("regions[0].holidayRegion")
  }, 30_000)
})

describe("the admin command line", () => {
  const run = runAdmin

  it("creates an organisation, a service account and a token that the gateway accepts; the token alone on stdout", async () => {
    const env = { DATA_DIR: join(dir, "admin") }
    const help = await run(["--help"], env)
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^ {2}token create +geeft een serviceaccount een token/m)
    const org = await run(
      ["org", "create", "--name", "Testschool", "--kind", "school", "--brin", "12AB"],
      env,
    )
    expect(org.stdout.trim()).toMatch(/^org_[0-9a-z]+$/)
    expect((await run(["org", "list"], env)).stdout).toBe(`${org.stdout.trim()}\tschool\t12AB\tTestschool\n`)
    const badBrin = await run(["org", "create", "--name", "X", "--kind", "school", "--brin", "12ab"], env)
    expect(badBrin.code).toBe(2)
    expect(badBrin.stderr).toContain("--brin: verwacht een BRIN-code zoals 12AB")
    // One school, one BRIN code (issue 12, point 10): a twin is an input error, and nothing is written.
    const twin = await run(
      ["org", "create", "--name", "Testschool (kopie)", "--kind", "school", "--brin", "12AB"],
      env,
    )
    expect(twin.code).toBe(2)
    expect(twin.stdout).toBe("")
    expect(twin.stderr.split("\n")[0]).toBe(
      `org create: --brin: BRIN-code 12AB is al in gebruik door ${org.stdout.trim()}`,
    )
    expect((await run(["org", "list"], env)).stdout).toBe(`${org.stdout.trim()}\tschool\t12AB\tTestschool\n`)
    const user = await run(
      [
        "user",
        "create",
        "--org",
        org.stdout.trim(),
        "--name",
        "Leerlingadministratie",
        "--email",
        "las@test.example",
        "--role",
        "referrer",
        "--region",
        "westland",
        "--kind",
        "service",
      ],
      env,
    )
    expect(user.stdout.trim(), user.stderr).toMatch(/^user_[0-9a-z]+$/)
    const token = await run(["token", "create", "--user", user.stdout.trim(), "--expires-days", "30"], env)
    expect(token.code).toBe(0)
    expect(token.stdout).toMatch(/^vrt_[0-9a-z]{16}_[A-Za-z0-9_-]{43}\n$/)
    const badDays = await run(["token", "create", "--user", user.stdout.trim(), "--expires-days", "731"], env)
    expect(badDays.code).toBe(2)
    expect(badDays.stderr).toContain("--expires-days: ")

    const port = await freePort()
    const gateway = start({
      ...env,
      PORT: String(port),
      DEMO_DATA: "off",
      // Production needs a sender and a public address for mail.
      MAIL_FROM: "verzuimregie@gemeente.example",
      PUBLIC_URL: "https://verzuimregie.gemeente.example",
    })
    await waitFor(() => gateway.stderr().includes("draait op"), "the gateway")
    const reply = await fetch(`http://127.0.0.1:${port}/referrals`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    })
    expect(reply.status).toBe(200)
    const list = await run(["token", "list"], env)
    const tokenId = list.stdout.split("\t")[0] ?? ""
    expect((await run(["token", "revoke", "--token", tokenId], env)).code).toBe(0)
    const after = await fetch(`http://127.0.0.1:${port}/referrals`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    })
    expect(after.status).toBe(401)
    gateway.child.kill("SIGTERM")
    await gateway.exited

    const bad = await run(
      [
        "user",
        "create",
        "--org",
        org.stdout.trim(),
        "--name",
        "X",
        "--email",
        "nope",
        "--role",
        "boss",
        "--region",
        "westland",
      ],
      env,
    )
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--email: verwacht een e-mailadres")
    expect(bad.stderr).toContain(
      '--role: verwacht een van: "referrer", "case-worker", "coordinator", "admin"; ontvangen: "boss"',
    )
    const atlantis = await run(
      [
        "user",
        "create",
        "--org",
        org.stdout.trim(),
        "--name",
        "Y",
        "--email",
        "y@test.example",
        "--role",
        "case-worker",
        "--region",
        "westland,atlantis",
      ],
      env,
    )
    expect(atlantis.code).toBe(2)
    expect(atlantis.stderr).toContain("--region: onbekende regio atlantis")
    expect((await run(["user", "list"], env)).stdout).not.toContain("y@test.example")
  }, 60_000)

  it("keeps people's tokens and case roles away from admins, and audits every command as the system user who ran it", async () => {
    const env = { DATA_DIR: join(dir, "admin-audit") }
    const org = (await run(["org", "create", "--name", "Gemeente", "--kind", "gemeente"], env)).stdout.trim()
    const person = (base: ReadonlyArray<string>, email: string, extra: ReadonlyArray<string> = []) =>
      run(["user", "create", "--org", org, "--name", "Test", "--email", email, ...base, ...extra], env)
    // Separation of duties: admin with a case role is refused, named by its flag, and nothing is written.
    const mixed = await person(["--role", "admin,coordinator", "--region", "westland"], "mix@test.example")
    expect(mixed.code).toBe(2)
    expect(mixed.stderr).toContain("--role: een beheerder heeft geen casusrol (coordinator)")
    const service = await person(
      ["--role", "case-worker", "--region", "westland", "--kind", "service"],
      "svc@test.example",
    )
    expect(service.code).toBe(2)
    expect(service.stderr).toContain("--role: een serviceaccount heeft geen casusrol (case-worker)")
    // Only an explicit installation setting allows it.
    const allowed = await run(
      [
        "user",
        "create",
        "--org",
        org,
        "--name",
        "Test",
        "--email",
        "mix@test.example",
        "--role",
        "admin,coordinator",
        "--region",
        "westland",
      ],
      { ...env, ALLOW_ADMIN_WITH_CASE_ROLES: "on" },
    )
    expect(allowed.code, allowed.stderr).toBe(0)

    // A person's token is never printed: it goes through a sign-in link to their own address.
    const coordinator = await person(["--role", "coordinator", "--region", "westland"], "coord@test.example")
    expect(coordinator.code, coordinator.stderr).toBe(0)
    expect(coordinator.stderr).toContain("aanmeldlink gaat per e-mail naar coord@test.example")
    const userId = coordinator.stdout.trim()
    const minted = await run(["token", "create", "--user", userId], env)
    expect(minted.code).toBe(1)
    expect(minted.stdout).toBe("")
    expect(minted.stderr).toContain("is een persoon: die krijgt een token alleen via een aanmeldlink")
    expect((await run(["token", "link", "--user", userId], env)).code).toBe(0)
    expect((await run(["user", "list"], env)).code).toBe(0)

    const db = new Sqlite(join(env.DATA_DIR, "verzuimregie.db"), { readonly: true })
    try {
      const records = db
        .prepare(
          "SELECT user_id, action, record_type, record_id, region_id, context FROM audit_log ORDER BY seq",
        )
        .all() as Array<Record<string, string | null>>
      const who = `os-${userInfo()
        .username.toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")}`
      // Every command: org create, the allowed user, the coordinator, the link, the list.
      expect(
        records.every((r) => r.user_id === "user_opdrachtregel" && String(r.context).startsWith("cli:")),
      ).toBe(true)
      expect(records.every((r) => String(r.context).includes(who))).toBe(true)
      expect(records.map((r) => [r.action, r.record_type, r.region_id])).toEqual([
        ["create", "organisation", null],
        ["create", "user", "westland"],
        ["create", "user", "westland"],
        ["create", "sign-in-link", "westland"],
        ["search", "user", null],
      ])
      expect(records[2]?.record_id).toBe(userId)
      // The refused commands wrote nothing: no user, no token, no record.
      const users = db.prepare("SELECT COUNT(*) AS n FROM users").get() as { n: number }
      expect(users.n).toBe(2)
      const tokens = db.prepare("SELECT COUNT(*) AS n FROM api_tokens").get() as { n: number }
      expect(tokens.n).toBe(0)
      // Links go through the outbox (one per person created, one on request), never with a secret.
      const mails = db.prepare("SELECT payload FROM outbox ORDER BY id").all() as Array<{ payload: string }>
      expect(mails.map((m) => JSON.parse(m.payload).template)).toEqual([
        "sign-in-link",
        "sign-in-link",
        "sign-in-link",
      ])
      expect(JSON.stringify(mails)).not.toContain("vrl_")
    } finally {
      db.close()
    }
  }, 60_000)
})
