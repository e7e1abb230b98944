/** The admin command line keeps people's tokens and case roles away from admins, and audits every command. */
import { userInfo } from "node:os"
import { join } from "node:path"
import Sqlite from "better-sqlite3"
import { describe, expect, it } from "vitest"
import { runAdmin } from "./support/admin-cli.js"
import { scratchFolder } from "./support/main-job.js"

const scratch = scratchFolder()

describe("the admin command line", () => {
  const run = runAdmin

  it("keeps people's tokens and case roles away from admins, and audits every command as the system user who ran it", async () => {
    const env = { DATA_DIR: join(scratch.dir, "admin-audit") }
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
  }, 120_000) // admin processes one after the other: 11 s alone, half a minute at load 22
})
