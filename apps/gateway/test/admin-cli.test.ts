/** The admin command line (`dist/bin/admin.js`): organisations, service accounts and their tokens. */
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runAdmin } from "./support/admin-cli.js"
import { scratchFolder, start } from "./support/main-job.js"
import { freePort, waitFor } from "./support/process.js"

const scratch = scratchFolder()

describe("the admin command line", () => {
  const run = runAdmin

  it("creates an organisation, a service account and a token that the gateway accepts; the token alone on stdout", async () => {
    const env = { DATA_DIR: join(scratch.dir, "admin") }
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
      '--role: verwacht een van: "referrer", "case-worker", "coordinator", "admin", "school-verzuim", "orthopedagoog"; ontvangen: "boss"',
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
  }, 120_000) // a dozen admin processes one after the other: 15 s alone, a minute at load 25
})
