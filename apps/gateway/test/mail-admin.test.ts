/**
 * The admin command line's mail commands, run as an operator runs them (`node dist/bin/admin.js`)
 * on a SQLite data folder: the dead letters are listed without any error text, requeued by id or
 * all at once, and every command is in the audit log with the operating-system user.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"
import { Database, Outbox, Store } from "@verzuimregie/store"
import { Effect, Either, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runAdmin } from "./support/admin-cli.js"

const run = runAdmin

/** What a refusing SMTP server said: it quotes the recipient, so it must not reach the listing. */
const SMTP_REPLY = "EENVELOPE 550 at RCPT TO: 550 <j.jansen@school.example>: Mailbox bestaat niet"

let dir: string
let env: Record<string, string>
let runtime: ManagedRuntime.ManagedRuntime<Store.Services | Database.Database, Database.DatabaseUnavailable>
const ids: Record<string, number> = {}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-mail-admin-"))
  env = { DATA_DIR: dir, DATABASE_URL: "" }
  runtime = ManagedRuntime.make(Store.layer(Either.getOrThrow(Database.fromEnvironment({ DATA_DIR: dir }))))
  await runtime.runPromise(
    Effect.gen(function* () {
      const outbox = yield* Outbox.Outbox
      yield* outbox.enqueue([
        { topic: "mail", messageId: "summary:westland:2026-W10", regionId: "westland", payload: {} },
        {
          topic: "mail",
          messageId: "handover:case_0123456789:2026-03-09",
          regionId: "westland",
          payload: {},
        },
        { topic: "mail", messageId: "summary:westland:2026-W11", regionId: "westland", payload: {} },
        { topic: "webhook", messageId: "hook-1", payload: {} },
      ])
      for (const m of yield* outbox.claim("test", 10, 60_000)) {
        ids[m.messageId] = m.id
        if (m.messageId === "summary:westland:2026-W11") continue
        yield* outbox.markFailed(m.id, "test", SMTP_REPLY, { permanent: true })
      }
    }),
  )
}, 60_000)

afterAll(async () => {
  await runtime?.dispose()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

const stored = (id: number | undefined) =>
  runtime.runPromise(Effect.flatMap(Outbox.Outbox, (o) => o.get(id ?? 0)))

describe("verzuimregie-admin mail", () => {
  it("lists the dead letters with ids, region, attempts and error class, never the error's text", async () => {
    const listed = await run(["mail", "dead-letters"], env)
    expect(listed.stderr).toBe("2 dode brief/brieven\n")
    expect(listed.code).toBe(0)
    const lines = listed.stdout.trim().split("\n")
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      const [id, messageId, topic, region, attempts, errorClass, created, dead] = line.split("\t")
      expect(Number(id)).toBe(ids[messageId ?? ""])
      expect([topic, region, attempts, errorClass]).toEqual([
        "mail",
        "westland",
        "1 pogingen",
        "EENVELOPE 550",
      ])
      expect(created).toMatch(/^aangemaakt \d{4}-\d\d-\d\dT/)
      expect(dead).toMatch(/^dood sinds \d{4}-\d\d-\d\dT/)
    }
    expect(listed.stdout).not.toContain("jansen")
    expect(listed.stdout).not.toContain("Mailbox")
    expect(listed.stdout).not.toContain("hook-1")

    // One page at a time, as every admin list: --limit, and the --cursor of the next page on stderr.
    const first = await run(["mail", "dead-letters", "--limit", "1"], env)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout.trim().split("\n")).toEqual([lines[0]])
    const cursor = /volgende pagina met --cursor (\S+)/.exec(first.stderr)?.[1]
    expect(cursor, first.stderr).toBeDefined()
    const second = await run(["mail", "dead-letters", "--limit", "1", "--cursor", cursor ?? ""], env)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout.trim().split("\n")).toEqual([lines[1]])
    expect(second.stderr).toBe("1 dode brief/brieven\n")
  }, 60_000)

  it("requeues one by id, refuses what is not a dead letter, then requeues all; audited", async () => {
    const one = ids["summary:westland:2026-W10"]
    const requeued = await run(["mail", "requeue", String(one)], env)
    expect(requeued.stderr).toBe("1 opnieuw in de wachtrij; de gateway verstuurt ze\n")
    expect(requeued.code).toBe(0)
    expect(await stored(one)).toMatchObject({ status: "pending", attempts: 0 })

    const busy = await run(["mail", "requeue", String(ids["summary:westland:2026-W11"])], env)
    expect(busy.code).toBe(1)
    expect(busy.stderr).toContain("wordt nu verstuurd, geen dode brief")
    const missing = await run(["mail", "requeue", String(ids["hook-1"])], env)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`er is geen mail met id ${ids["hook-1"]}`)
    for (const argv of [
      ["mail", "requeue"],
      ["mail", "requeue", "abc"],
      ["mail", "requeue", "1", "--all"],
    ]) {
      const wrong = await run(argv, env)
      expect(wrong.code, argv.join(" ")).toBe(2)
      expect(wrong.stderr).toMatch(/^mail requeue: /)
    }

    const all = await run(["mail", "requeue", "--all"], env)
    expect(all.code).toBe(0)
    expect(all.stdout).toBe(
      `${ids["handover:case_0123456789:2026-03-09"]}\thandover:case_0123456789:2026-03-09\n`,
    )
    expect((await stored(ids["hook-1"]))?.status).toBe("dead")
    expect((await run(["mail", "dead-letters"], env)).stderr).toBe("geen dode brieven\n")

    const audit = await runtime.runPromise(
      Effect.flatMap(
        Database.Database,
        ({ sql }) =>
          sql<{
            action: string
            record_id: string | null
            context: string
            request_id: string
            user_id: string
          }>`SELECT action, record_id, context, request_id, user_id FROM audit_log ORDER BY seq`,
      ),
    )
    const os = `os-${userInfo()
      .username.toLowerCase()
      .replace(/[^a-z0-9.:/-]+/g, "-")}`
    expect(audit.map((r) => [r.action, r.context, r.record_id])).toEqual([
      // The whole list, then its two pages.
      ["read", `cli:mail-dead-letters:${os}`, null],
      ["read", `cli:mail-dead-letters:${os}`, null],
      ["read", `cli:mail-dead-letters:${os}`, null],
      ["update", `cli:mail-requeue:${os}`, `outbox_${String(one).padStart(6, "0")}`],
      [
        "update",
        `cli:mail-requeue:${os}`,
        `outbox_${String(ids["handover:case_0123456789:2026-03-09"]).padStart(6, "0")}`,
      ],
      ["read", `cli:mail-dead-letters:${os}`, null],
    ])
    // The same actor as every admin command: the command line, one request id per run.
    for (const r of audit) {
      expect(r.user_id).toBe("user_opdrachtregel")
      expect(r.request_id).toMatch(/^cli:[A-Za-z0-9_-]{12}$/)
    }
    expect(new Set(audit.map((r) => r.request_id)).size).toBe(6)
  }, 120_000)
})
