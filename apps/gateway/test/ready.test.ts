/**
 * `/ready` reports the mail backlog (counts and the oldest waiting instant, nothing of a message)
 * and stays ready while mail waits: during an SMTP outage the instance serves, mail is not lost.
 */
import { Outbox } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, startGateway } from "./support/gateway.js"

let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway()
})
afterAll(async () => {
  await gateway.close()
})

describe("GET /ready", () => {
  it("stays 200 with mail waiting, retrying and dead, and reports the counts", async () => {
    const empty = await gateway.request("GET", "/ready")
    expect(empty.status).toBe(200)
    expect(empty.json).toEqual({ status: "ready", mail: { waiting: 0, retrying: 0, deadLetters: 0 } })

    const queuedAt = await gateway.runtime.runPromise(
      Effect.gen(function* () {
        const outbox = yield* Outbox.Outbox
        yield* outbox.enqueue(
          ["summary:westland:2026-W10", "summary:westland:2026-W11", "summary:westland:2026-W12"].map(
            (messageId) => ({ topic: "mail", messageId, regionId: "westland", payload: {} }),
          ),
        )
        // Another topic is not mail's backlog.
        yield* outbox.enqueue([{ topic: "webhook", payload: {} }])
        const [first, second] = yield* outbox.claim("test", 2, 60_000, { topics: ["mail"] })
        yield* outbox.markFailed(first?.id ?? 0, "test", "ECONNREFUSED", {
          retryAt: new Date(Date.now() + 60_000).toISOString() as never,
        })
        yield* outbox.markFailed(second?.id ?? 0, "test", "EENVELOPE 550", { permanent: true })
        return first?.createdAt
      }),
    )
    const busy = await gateway.request("GET", "/ready")
    expect(busy.status).toBe(200)
    expect(busy.json).toEqual({
      status: "ready",
      mail: { waiting: 2, retrying: 1, oldestWaitingSince: queuedAt, deadLetters: 1 },
    })
    expect(busy.text).not.toContain("summary:")
  })
})
