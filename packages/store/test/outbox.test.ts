import { Effect, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { Outbox, type OutboxMessage } from "../src/Outbox.js"
import * as Store from "../src/Store.js"
import { BACKENDS, type StoreRuntime, skip, withFreshStore } from "./support/backends.js"
import { later, ts } from "./support/factories.js"

const mail = (n: number, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  topic: "mail",
  payload: { template: "case-update", n },
  ...extra,
})

const use = <A, E>(runtime: StoreRuntime, f: (outbox: Outbox) => Effect.Effect<A, E>) =>
  runtime.runPromise(Effect.flatMap(Outbox, f))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(BACKENDS)("Outbox on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    it("claims only the topics a worker asks for, leaving the others in the queue", () =>
      withFreshStore(backend, async ({ runtime }) => {
        await use(runtime, (o) => o.enqueue([mail(1), mail(2, { topic: "webhook" }), mail(3)]))
        const mails = await use(runtime, (o) => o.claim("mailer", 10, 60_000, { topics: ["mail"] }))
        expect(mails.map((m) => [m.topic, m.payload.n])).toEqual([
          ["mail", 1],
          ["mail", 3],
        ])
        expect(await use(runtime, (o) => o.claim("nobody", 10, 60_000, { topics: [] }))).toEqual([])
        const hooks = await use(runtime, (o) => o.claim("hooks", 10, 60_000, { topics: ["webhook", "sms"] }))
        expect(hooks.map((m) => [m.topic, m.payload.n, m.attempts])).toEqual([["webhook", 2, 1]])
      }))

    it("claims only the regions a worker asks for, leaving other regions' messages untouched", () =>
      withFreshStore(backend, async ({ runtime }) => {
        await use(runtime, (o) =>
          o.enqueue([
            mail(1, { regionId: "westland" }),
            mail(2, { regionId: "amstelland-meerlanden" }),
            mail(3),
            mail(4, { regionId: "westland" }),
          ]),
        )
        const mine = await use(runtime, (o) =>
          o.claim("westland-only", 10, 60_000, { topics: ["mail"], regions: ["westland"] }),
        )
        expect(mine.map((m) => [m.payload.n, m.regionId])).toEqual([
          [1, "westland"],
          [4, "westland"],
        ])
        expect(await use(runtime, (o) => o.claim("nobody", 10, 60_000, { regions: [] }))).toEqual([])
        const untouched = await use(runtime, (o) => Effect.all([o.get(2), o.get(3)]))
        expect(untouched.map((m) => [m?.status, m?.attempts, m?.regionId])).toEqual([
          ["pending", 0, "amstelland-meerlanden"],
          ["pending", 0, undefined],
        ])
        // The gateway's worker also takes installation mail (no region), never another region's.
        const withInstallationMail = await use(runtime, (o) =>
          o.claim("gateway", 10, 60_000, { topics: ["mail"], regions: ["westland"], withoutRegion: true }),
        )
        expect(withInstallationMail.map((m) => [m.payload.n, m.regionId])).toEqual([[3, undefined]])
        expect((await use(runtime, (o) => o.get(2)))?.status).toBe("pending")
      }))

    it("counts the backlog and requeues every dead letter of a topic at once", () =>
      withFreshStore(backend, async ({ runtime }) => {
        await use(runtime, (o) =>
          o.enqueue([mail(1), mail(2), mail(3), mail(4, { topic: "webhook" }), mail(5)]),
        )
        const claimed = await use(runtime, (o) => o.claim("w", 10, 60_000))
        const [a, b, c, d] = claimed
        await use(runtime, (o) =>
          Effect.all([
            o.markFailed(a?.id ?? 0, "w", "550", { permanent: true }),
            o.markFailed(b?.id ?? 0, "w", "550", { permanent: true }),
            o.markFailed(c?.id ?? 0, "w", "ECONNREFUSED", {
              retryAt: later(ts(new Date().toISOString()), 1),
            }),
            o.markFailed(d?.id ?? 0, "w", "550", { permanent: true }),
          ]),
        )
        const backlog = await use(runtime, (o) => o.backlog({ topics: ["mail"] }))
        expect(backlog).toMatchObject({ waiting: 2, retrying: 1, deadLetters: 2 })
        expect(backlog.oldestWaitingSince).toBe(c?.createdAt)
        expect(await use(runtime, (o) => o.requeueAll({ topics: ["mail"] }))).toEqual([a?.id, b?.id])
        const after = await use(runtime, (o) => Effect.all([o.get(a?.id ?? 0), o.get(d?.id ?? 0)]))
        expect(after.map((m) => [m?.status, m?.attempts])).toEqual([
          ["pending", 0],
          ["dead", 1],
        ])
        expect(await use(runtime, (o) => o.backlog())).toMatchObject({ waiting: 4, deadLetters: 1 })
        // Paged by topic, and requeued with the messages themselves returned (one statement).
        const dead = await use(runtime, (o) => o.deadLetters({ limit: 10 }, { topics: ["webhook"] }))
        expect(dead.items.map((m) => m.id)).toEqual([d?.id])
        expect(await use(runtime, (o) => o.deadLetters({ limit: 10 }, { topics: ["mail"] }))).toMatchObject({
          items: [],
        })
        const requeued = await use(runtime, (o) => o.requeueAllMessages({ topics: ["webhook"] }))
        expect(requeued.map((m) => [m.id, m.topic, m.status, m.attempts])).toEqual([
          [d?.id, "webhook", "pending", 0],
        ])
      }))

    it("claims due messages oldest first with a lease, and delivers each once", () =>
      withFreshStore(backend, async ({ runtime }) => {
        await use(runtime, (o) => o.enqueue([mail(1), mail(2), mail(3)]))
        const first = await use(runtime, (o) => o.claim("worker-a", 2, 60_000))
        expect(first.map((m) => m.payload.n)).toEqual([1, 2])
        expect(
          first.every((m) => m.status === "claimed" && m.attempts === 1 && m.claimedBy === "worker-a"),
        ).toBe(true)
        const rest = await use(runtime, (o) => o.claim("worker-b", 10, 60_000))
        expect(rest.map((m) => m.payload.n)).toEqual([3])
        expect(await use(runtime, (o) => o.claim("worker-c", 10, 60_000))).toEqual([])

        const id = first[0]?.id ?? 0
        await use(runtime, (o) => o.markSent(id, "worker-a"))
        expect((await use(runtime, (o) => o.get(id)))?.status).toBe("sent")
        const again = await runtime.runPromise(
          Effect.flip(Effect.flatMap(Outbox, (o) => o.markSent(id, "worker-a"))),
        )
        expect(again).toMatchObject({ _tag: "LeaseLost", id, workerId: "worker-a" })
        const wrongWorker = await runtime.runPromise(
          Effect.flip(Effect.flatMap(Outbox, (o) => o.markSent(first[1]?.id ?? 0, "worker-b"))),
        )
        expect(wrongWorker._tag).toBe("LeaseLost")
      }))

    it("stores a message id once", () =>
      withFreshStore(backend, async ({ runtime }) => {
        await use(runtime, (o) => o.enqueue([mail(1, { messageId: "msg_fixed00000" })]))
        await use(runtime, (o) => o.enqueue([mail(2, { messageId: "msg_fixed00000" })]))
        const claimed = await use(runtime, (o) => o.claim("w", 10, 60_000))
        expect(claimed.map((m) => m.payload.n)).toEqual([1])
      }))

    it("retries at the given time, and dead-letters after the last attempt or when told to", () =>
      withFreshStore(backend, async ({ runtime }) => {
        await use(runtime, (o) => o.enqueue([mail(1, { maxAttempts: 2 }), mail(2)]))
        const [a, b] = await use(runtime, (o) => o.claim("w", 10, 60_000))
        if (a === undefined || b === undefined) throw new Error("expected two messages")
        const future = later(ts(new Date().toISOString()), 60)
        expect(
          await use(runtime, (o) => o.markFailed(a.id, "w", "SMTP 451 try later", { retryAt: future })),
        ).toBe("retry")
        expect(await use(runtime, (o) => o.claim("w", 10, 60_000))).toEqual([])
        const retryNow = ts(new Date(Date.now() - 1000).toISOString())
        expect(
          await use(runtime, (o) => o.markFailed(b.id, "w", "SMTP 550 no such user", { permanent: true })),
        ).toBe("dead")
        const stored = await use(runtime, (o) => o.get(a.id))
        expect(stored).toMatchObject({
          status: "pending",
          attempts: 1,
          lastError: "SMTP 451 try later",
          nextAttemptAt: future,
        })

        await use(runtime, (o) => o.enqueue([mail(3, { maxAttempts: 2, availableAt: retryNow })]))
        const [c] = await use(runtime, (o) => o.claim("w", 10, 60_000))
        if (c === undefined) throw new Error("expected message 3")
        expect(await use(runtime, (o) => o.markFailed(c.id, "w", "timeout", { retryAt: retryNow }))).toBe(
          "retry",
        )
        const [c2] = await use(runtime, (o) => o.claim("w", 10, 60_000))
        expect(c2).toMatchObject({ id: c.id, attempts: 2 })
        expect(await use(runtime, (o) => o.markFailed(c.id, "w", "timeout", { retryAt: retryNow }))).toBe(
          "dead",
        )

        const dead = await use(runtime, (o) => o.deadLetters({ limit: 1 }))
        expect(dead.items).toHaveLength(1)
        const dead2 = await use(runtime, (o) =>
          o.deadLetters({ limit: 1, cursor: dead.nextCursor ?? undefined }),
        )
        expect(new Set([...dead.items, ...dead2.items].map((m) => m.id))).toEqual(new Set([b.id, c.id]))
        expect(dead2.nextCursor).toBeNull()

        await use(runtime, (o) => o.requeue(b.id))
        const requeued = await use(runtime, (o) => o.claim("w", 10, 60_000))
        expect(requeued.map((m) => [m.id, m.attempts])).toEqual([[b.id, 1]])
        const notDead = await runtime.runPromise(Effect.flip(Effect.flatMap(Outbox, (o) => o.requeue(a.id))))
        expect(notDead).toMatchObject({ _tag: "OutboxMessageNotFound", id: a.id, status: "pending" })
        const missing = await runtime.runPromise(
          Effect.flip(Effect.flatMap(Outbox, (o) => o.requeue(999_999))),
        )
        expect(missing).toMatchObject({ _tag: "OutboxMessageNotFound", id: 999_999 })
      }))

    it("gives a message whose lease ran out to another worker", () =>
      withFreshStore(backend, async ({ runtime }) => {
        await use(runtime, (o) => o.enqueue([mail(1)]))
        const [m] = await use(runtime, (o) => o.claim("crashed", 1, 5))
        if (m === undefined) throw new Error("expected a message")
        await sleep(30)
        expect(await use(runtime, (o) => o.releaseExpired)).toBe(1)
        const [again] = await use(runtime, (o) => o.claim("healthy", 1, 60_000))
        expect(again).toMatchObject({ id: m.id, attempts: 2, claimedBy: "healthy" })
        const late = await runtime.runPromise(
          Effect.flip(Effect.flatMap(Outbox, (o) => o.markSent(m.id, "crashed"))),
        )
        expect(late._tag).toBe("LeaseLost")
        await use(runtime, (o) => o.markSent(m.id, "healthy"))
      }))

    it("lets concurrent workers on separate connections claim disjoint messages", () =>
      withFreshStore(backend, async ({ fresh, runtime }) => {
        await use(runtime, (o) => o.enqueue(Array.from({ length: 60 }, (_, i) => mail(i))))
        const other = ManagedRuntime.make(Store.layer(fresh.again()))
        try {
          const drain = async (rt: StoreRuntime, worker: string) => {
            const got: Array<number> = []
            for (;;) {
              const batch = await use(rt, (o) => o.claim(worker, 7, 60_000))
              if (batch.length === 0) return got
              for (const m of batch) {
                got.push(m.id)
                await use(rt, (o) => o.markSent(m.id, worker))
              }
            }
          }
          const [a, b] = await Promise.all([drain(runtime, "a"), drain(other, "b")])
          expect(a.length + b.length).toBe(60)
          expect(new Set([...a, ...b]).size).toBe(60)
        } finally {
          await other.dispose()
        }
      }))
  })
})
