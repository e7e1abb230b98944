/**
 * One shape for every list, and the region's help catalogue as the gateway enforces it: over real
 * HTTP on loopback, on SQLite and (with TEST_DATABASE_URL) PostgreSQL; and the admin command
 * line's lists, run as an operator runs them (`node dist/bin/admin.js`).
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Accounts, Database, Store } from "@verzuimregie/store"
import { Effect, Either, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runAdmin } from "./support/admin-cli.js"
import { type Gateway, skipPg, startGateway } from "./support/gateway.js"

const backends = [
  { name: "sqlite", database: "sqlite" as const, skip: false },
  { name: "pg", database: "pg" as const, skip: skipPg() },
]

describe.each(backends)("admin lists on $name", ({ database, skip }) => {
  let gateway: Gateway
  beforeAll(async () => {
    if (!skip) gateway = await startGateway({ database })
  }, 60_000)
  afterAll(async () => {
    await gateway?.close()
  })

  /** Follows nextCursor to the end; every page must have the `{items, nextCursor}` shape. */
  const walk = async (path: string, token: string, limit: number) => {
    const pages: Array<Array<Record<string, unknown>>> = []
    let cursor: string | null = null
    do {
      const query: string = `limit=${limit}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`
      const reply = await gateway.request("GET", `${path}?${query}`, { token })
      expect(reply.status, reply.text).toBe(200)
      expect(Object.keys(reply.json).sort()).toEqual(["items", "nextCursor"])
      pages.push(reply.json.items)
      cursor = reply.json.nextCursor
    } while (cursor !== null && pages.length < 50)
    return pages
  }

  it.skipIf(skip)(
    "pages GET /admin/users and /admin/organisations as {items, nextCursor}, a region admin's reach before the limit",
    async () => {
      const admin = await gateway.user(["admin"], ["westland"], { organisation: "Gemeente Westland" })
      for (const n of [1, 2, 3])
        await gateway.user(["referrer"], ["westland"], { organisation: `School ${n}` })
      // Outside this admin's reach: a user of another region, and one of two regions.
      const outsider = await gateway.user(["referrer"], ["amstelland-meerlanden"])
      const both = await gateway.user(["referrer"], ["westland", "amstelland-meerlanden"])

      const users = await walk("/admin/users", admin.token, 2)
      expect(users.slice(0, -1).every((page) => page.length === 2)).toBe(true)
      const ids = users.flat().map((u) => u.id)
      expect(ids.length).toBe(4) // the admin and three referrers, each once
      expect(new Set(ids).size).toBe(4)
      expect(ids).not.toContain(outsider.id)
      expect(ids).not.toContain(both.id)
      expect(users.flat().every((u) => (u.regions as Array<string>).every((r) => r === "westland"))).toBe(
        true,
      )

      const organisations = await walk("/admin/organisations", admin.token, 1)
      expect(organisations.every((page) => page.length === 1)).toBe(true)
      const names = organisations.flat().map((o) => o.name as string)
      expect(names).toEqual(expect.arrayContaining(["Gemeente Westland", "School 1", "School 2", "School 3"]))
      expect(new Set(names).size).toBe(names.length)

      // A cursor of another list is refused like a case list's.
      const [first] = users
      const cursor = (await gateway.request("GET", "/admin/users?limit=1", { token: admin.token })).json
        .nextCursor as string
      expect(first?.length).toBe(2)
      const wrong = await gateway.request("GET", `/admin/organisations?cursor=${cursor}`, {
        token: admin.token,
      })
      expect(wrong.status).toBe(422)
      expect(wrong.json.errors[0].path).toBe("query.cursor")
      const tooMany = await gateway.request("GET", "/admin/users?limit=501", { token: admin.token })
      expect(tooMany.status).toBe(422)
      expect(tooMany.json.errors[0].path).toBe("query.limit")
    },
    60_000,
  )
})

describe("GET /regions/{regionId}", () => {
  let gateway: Gateway
  beforeAll(async () => {
    gateway = await startGateway()
  }, 60_000)
  afterAll(async () => {
    await gateway.close()
  })

  it("shows the age limits of the help catalogue that the gateway enforces, null where there are none", async () => {
    const user = await gateway.user(["referrer"], ["westland"])
    const reply = await gateway.request("GET", "/regions/westland", { token: user.token })
    expect(reply.status, reply.text).toBe(200)
    const plugin = gateway.config.regions.find((r) => r.region.id === "westland")!.plugin
    expect(plugin.catalogue.some((c) => c.minAge !== undefined)).toBe(true)
    expect(reply.json.catalogue).toEqual(
      plugin.catalogue.map((c) => ({
        code: c.code,
        label: c.label,
        description: c.description,
        minAge: c.minAge ?? null,
        maxAge: c.maxAge ?? null,
      })),
    )
    expect(reply.json.catalogue.find((c: { code: string }) => c.code === "oj")).toMatchObject({
      minAge: 8,
      maxAge: 18,
    })
  })
})

describe("the admin command line's lists", () => {
  const run = runAdmin
  let dir: string
  let env: Record<string, string>
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "verzuimregie-admin-lists-"))
    env = { DATA_DIR: dir, DATABASE_URL: "" }
    const runtime = ManagedRuntime.make(
      Store.layer(Either.getOrThrow(Database.fromEnvironment({ DATA_DIR: dir }))),
    )
    await runtime.runPromise(
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        for (const name of ["School A", "School B", "School C"]) {
          const org = yield* accounts.createOrganisation({ name, kind: "school" })
          yield* accounts.createUser({
            organisationId: org.id,
            name: `Aanmelder van ${name}`,
            email: `${name.replace(" ", ".").toLowerCase()}@school.example` as Accounts.NewUser["email"],
            roles: ["referrer"],
            regions: ["westland"] as unknown as Accounts.NewUser["regions"],
            partyRole: "mentor",
          })
        }
      }),
    )
    await runtime.dispose()
  }, 60_000)
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it("shows one page and names the --cursor of the next on stderr, as the API pages", async () => {
    for (const group of ["org", "user"]) {
      const first = await run([group, "list", "--limit", "2"], env)
      expect(first.code, first.stderr).toBe(0)
      expect(first.stdout.trim().split("\n")).toHaveLength(2)
      const cursor = /volgende pagina met --cursor (\S+)/.exec(first.stderr)?.[1]
      expect(cursor, first.stderr).toBeDefined()
      const rest = await run([group, "list", "--limit", "2", "--cursor", cursor!], env)
      expect(rest.code, rest.stderr).toBe(0)
      expect(rest.stdout.trim().split("\n")).toHaveLength(1)
      expect(rest.stderr).not.toContain("volgende pagina")
      const firstIds = first.stdout.split("\n").map((line) => line.split("\t")[0])
      expect(firstIds).not.toContain(rest.stdout.split("\t")[0])
    }
    const wrong = await run(["user", "list", "--cursor", "bm9nIGVlbg"], env)
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain("--cursor: onbekende of verlopen cursor")
    const tooMany = await run(["token", "list", "--limit", "501"], env)
    expect(tooMany.code).toBe(2)
    expect(tooMany.stderr).toMatch(/--limit: /)
  }, 120_000)
})
