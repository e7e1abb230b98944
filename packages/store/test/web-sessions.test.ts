import { Ids } from "@verzuimregie/domain"
import { Effect, Option, TestClock, TestContext, Tracer } from "effect"
import { describe, expect, it } from "vitest"
import { Accounts } from "../src/Accounts.js"
import { AuditLog } from "../src/AuditLog.js"
import { Database } from "../src/Database.js"
import { WebSessions } from "../src/WebSessions.js"
import { BACKENDS, skip, useStore } from "./support/backends.js"

describe.each(BACKENDS)("WebSessions on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    const run = <A, E>(effect: Effect.Effect<A, E, WebSessions | Accounts | Database | AuditLog>) =>
      suite.runtime.runPromise(effect)

    let n = 0
    const newUser = () =>
      run(
        Effect.gen(function* () {
          const accounts = yield* Accounts
          const org = yield* accounts.createOrganisation({ name: "Sessieschool", kind: "school" })
          n++
          return yield* accounts.createUser({
            organisationId: org.id,
            name: `Sessiegebruiker ${n}`,
            email: `sessie.${n}.${backend}@test.example` as never,
            roles: ["case-worker"],
            regions: [Ids.RegionId.make("westland")],
            partyRole: "smw-verzuim",
          })
        }),
      )
    const start = (userId: Ids.UserId, lifetimes?: { absoluteMs: number; idleMs: number }) =>
      run(Effect.flatMap(WebSessions, (s) => s.start({ userId, method: "token", lifetimes })))
    const resolve = (cookie: string, lifetimes?: { absoluteMs: number; idleMs: number }) =>
      run(Effect.flatMap(WebSessions, (s) => s.resolve(cookie, lifetimes)))

    it("opens a session whose cookie resolves to its user; only the secret's hash is stored", async () => {
      const user = await newUser()
      const { cookie, session } = await start(user.id)
      expect(cookie).toMatch(/^vrs_[0-9a-z]{16}_[A-Za-z0-9_-]{43}$/)
      const found = await resolve(cookie)
      expect(Option.map(found, (f) => [f.user.id, f.session.id, f.session.csrfToken])).toEqual(
        Option.some([user.id, session.id, session.csrfToken]),
      )
      const secret = cookie.slice(21)
      const rows = await run(
        Effect.flatMap(Database, (db) => db.sql`SELECT * FROM web_sessions WHERE id = ${session.id}`),
      )
      expect(JSON.stringify(rows)).not.toContain(secret)
    })

    it("refuses a wrong secret, a malformed cookie, an ended, expired or idle session and a deactivated user", async () => {
      const user = await newUser()
      const { cookie } = await start(user.id)
      const wrong = `${cookie.slice(0, -3)}${cookie.endsWith("aaa") ? "bbb" : "aaa"}`
      for (const bad of [wrong, "vrs_nonsense", "", `vrt_${cookie.slice(4)}`])
        expect(Option.isNone(await resolve(bad)), bad).toBe(true)

      // Past the lifetime, or idle longer than allowed: judged at resolve time.
      const expired = await start(user.id, { absoluteMs: 0, idleMs: 60_000 })
      expect(Option.isNone(await resolve(expired.cookie))).toBe(true)
      expect(Option.isSome(await resolve(cookie, { absoluteMs: 3_600_000, idleMs: 3_600_000 }))).toBe(true)
      expect(Option.isNone(await resolve(cookie, { absoluteMs: 3_600_000, idleMs: 0 }))).toBe(true)

      const ended = await run(Effect.flatMap(WebSessions, (s) => s.end(cookie, "uitgelogd")))
      expect(Option.isSome(ended)).toBe(true)
      expect(Option.isNone(await resolve(cookie))).toBe(true)
      // Ending twice ends nothing.
      expect(Option.isNone(await run(Effect.flatMap(WebSessions, (s) => s.end(cookie, "uitgelogd"))))).toBe(
        true,
      )

      const other = await start(user.id)
      await run(Effect.flatMap(Accounts, (a) => a.setActive(user.id, false)))
      expect(Option.isNone(await resolve(other.cookie))).toBe(true)
    })

    /** The SQL statements an effect runs, by their spans (one `sql.execute` span per statement). */
    const statementsOf = <A, E>(effect: Effect.Effect<A, E, WebSessions | Accounts | Database | AuditLog>) =>
      run(
        Effect.gen(function* () {
          const base = yield* Effect.tracer
          const names: Array<string> = []
          const counting = Tracer.make({
            span: (name, ...rest) => {
              names.push(name)
              return base.span(name, ...rest)
            },
            context: base.context,
          })
          const value = yield* effect.pipe(Effect.withTracer(counting))
          return { value, statements: names.filter((name) => name.startsWith("sql.")).length }
        }),
      )

    it("resolves a session with its user in one query, and moves the idle clock on at most once a minute", async () => {
      const user = await newUser()
      const { cookie, session } = await start(user.id)
      const lastSeen = () =>
        run(
          Effect.flatMap(
            Database,
            (db) =>
              db.sql<{
                last_seen_at: string
              }>`SELECT last_seen_at FROM web_sessions WHERE id = ${session.id}`,
          ),
        ).then((rows) => new Date(rows[0]?.last_seen_at ?? 0).getTime())
      const before = await lastSeen()

      // Within the minute: one query (the join), no write.
      const first = await statementsOf(Effect.flatMap(WebSessions, (s) => s.resolve(cookie)))
      expect(Option.map(first.value, (f) => [f.session.id, f.user.id, f.user.name])).toEqual(
        Option.some([session.id, user.id, user.name]),
      )
      expect(first.statements).toBe(1)
      expect(await lastSeen()).toBe(before)

      // Two minutes later (a test clock): still one read, plus the one write that moves the idle clock on.
      const later = await statementsOf(
        Effect.gen(function* () {
          yield* TestClock.setTime(Date.parse(session.lastSeenAt) + 120_000)
          return yield* Effect.flatMap(WebSessions, (s) => s.resolve(cookie))
        }).pipe(Effect.provide(TestContext.TestContext)),
      )
      expect(Option.isSome(later.value)).toBe(true)
      expect(later.statements).toBe(2)
      expect(await lastSeen()).toBe(Date.parse(session.lastSeenAt) + 120_000)

      // An unknown session id: one query, nothing found.
      const unknown = await statementsOf(
        Effect.flatMap(WebSessions, (s) => s.resolve(`vrs_0000000000000000_${"a".repeat(43)}`)),
      )
      expect(Option.isNone(unknown.value)).toBe(true)
      expect(unknown.statements).toBe(1)
    })

    it("ends every open session of a user at once", async () => {
      const user = await newUser()
      const a = await start(user.id)
      const b = await start(user.id)
      expect(await run(Effect.flatMap(WebSessions, (s) => s.endAllFor(user.id, "ingetrokken")))).toBe(2)
      expect(Option.isNone(await resolve(a.cookie))).toBe(true)
      expect(Option.isNone(await resolve(b.cookie))).toBe(true)
    })

    it("writes the sign-in audit record in the session's transaction", async () => {
      const user = await newUser()
      const requestId = `req-session-${backend}-${n}`
      const { session } = await run(
        Effect.flatMap(WebSessions, (s) =>
          s.start({
            userId: user.id,
            method: "token",
            audit: (started) => [
              {
                recordId: `ses_${started.id}`,
                userId: user.id,
                organisationId: user.organisationId,
                action: "create",
                recordType: "web-session",
                purpose: "toegangsbeheer",
                context: "web.sign-in:token",
                requestId,
              } as never,
            ],
          }),
        ),
      )
      const records = await run(Effect.flatMap(AuditLog, (log) => log.list({ requestId })))
      expect(records.items.map((r) => [r.recordType, r.context])).toEqual([
        ["web-session", "web.sign-in:token"],
      ])
      expect(session.userId).toBe(user.id)
    })
  })
})
