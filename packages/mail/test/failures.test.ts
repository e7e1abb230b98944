import { Amsterdam, LocalDate } from "@verzuimregie/domain"
import { Outbox } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Mail, MailConfig, Messages, Schedules, Transport, Worker } from "../src/index.js"
import { loadRegions } from "./support/regions.js"
import { startSmtp, type TestSmtp } from "./support/smtp.js"
import { openStore, type TestStore } from "./support/store.js"

const regions = loadRegions()
const westland = regions[0]
if (westland === undefined) throw new Error("no region")

let smtp: TestSmtp
let store: TestStore
let config: MailConfig.MailConfig

beforeEach(async () => {
  smtp = await startSmtp()
  store = await openStore()
  const base = Either.getOrThrow(
    MailConfig.fromEnvironment({
      SMTP_URL: smtp.url,
      SMTP_INSECURE_LOOPBACK: "1",
      MAIL_FROM: "noreply@verzuimregie.example",
      DATA_DIR: store.dataDir,
    }),
  )
  // Fast retries for the tests: 20–40 ms, 40–80 ms, … at most 100 ms; three attempts.
  config = { ...base, retry: { maxAttempts: 3, baseMs: 40, maxMs: 100, retryForMs: 1_000 } }
})

afterEach(async () => {
  await smtp.stop()
  await store.close()
})

const summaryDue = (monday: string) =>
  Schedules.dueFor(westland, "staff", Amsterdam.instantOf(LocalDate.make(monday), "07:00")) as Schedules.Due

const enqueue = (monday = "2026-03-09") =>
  store.runtime.runPromise(
    Effect.flatMap(Outbox.Outbox, (o) =>
      o.enqueue([Messages.fromDue(summaryDue(monday), config.retry.maxAttempts)]),
    ),
  )

const pass = () => {
  const transport = Transport.fromConfig(config, { connectionTimeoutMs: 2_000, socketTimeoutMs: 5_000 })
  return store.runtime
    .runPromise(
      Worker.processBatch(
        Mail.workerOptions({ regions, config, workerId: "w1" }),
        Mail.renderEnv({ regions, config }, undefined),
      ).pipe(Effect.provideService(Transport.Mailer, transport)),
    )
    .finally(() => transport.close())
}

/** Worker passes until the outbox is settled (nothing pending) or the time is up. */
const drain = async (timeoutMs = 10_000) => {
  const totals = { sent: 0, retried: 0, dead: 0 }
  const until = Date.now() + timeoutMs
  for (;;) {
    const r = await pass()
    totals.sent += r.sent
    totals.retried += r.retried
    totals.dead += r.dead
    const pending = await stored()
    if (pending.every((m) => m.status === "sent" || m.status === "dead")) return totals
    if (Date.now() > until) throw new Error(`outbox not settled: ${JSON.stringify(pending)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const stored = () =>
  store.runtime.runPromise(
    Effect.gen(function* () {
      const outbox = yield* Outbox.Outbox
      const out: Array<Outbox.StoredMessage> = []
      for (let id = 1; id <= 10; id++) {
        const m = yield* outbox.get(id)
        if (m !== undefined) out.push(m)
      }
      return out
    }),
  )

describe("an SMTP server that is down", () => {
  it("loses nothing: the mail waits in the outbox and goes out once the server is back", async () => {
    await smtp.stop()
    await enqueue()
    expect(await pass()).toMatchObject({ claimed: 1, sent: 0, retried: 1 })
    const [waiting] = await stored()
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 })
    expect(waiting?.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/)
    expect(Date.parse(waiting?.nextAttemptAt ?? "")).toBeGreaterThan(Date.now() - 1_000)

    await smtp.start()
    const totals = await drain()
    expect(totals.sent).toBe(1)
    await smtp.waitFor(1)
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]?.parsed.messageId).toBe("<summary.westland.2026-W10@verzuimregie.example>")
    expect(smtp.received[0]?.parsed.headers.get("x-verzuimregie-attempt")).toBe("2")
    const [sent] = await stored()
    expect(sent).toMatchObject({ status: "sent", attempts: 2 })
  })
})

describe("dead letters", () => {
  it("after the last attempt of a temporary failure (4xx), and requeued they go out", async () => {
    smtp.refuse({ code: 451, message: "Tijdelijk niet beschikbaar" })
    await enqueue()
    const totals = await drain()
    expect(totals).toEqual({ sent: 0, retried: 2, dead: 1 })
    const [dead] = await stored()
    expect(dead).toMatchObject({ status: "dead", attempts: 3 })
    expect(dead?.lastError).toContain("451")
    const letters = await store.runtime.runPromise(Effect.flatMap(Outbox.Outbox, (o) => o.deadLetters()))
    expect(letters.items.map((m) => m.messageId)).toEqual(["summary:westland:2026-W10"])

    smtp.refuse(undefined)
    await store.runtime.runPromise(Effect.flatMap(Outbox.Outbox, (o) => o.requeue(dead?.id ?? 0)))
    expect(await drain()).toMatchObject({ sent: 1 })
    await smtp.waitFor(1)
    // Same Message-ID as every earlier attempt: a resend is recognisable.
    expect(smtp.received[0]?.parsed.messageId).toBe("<summary.westland.2026-W10@verzuimregie.example>")
  })

  it("at once on a permanent failure (5xx), without retrying", async () => {
    smtp.refuse({ code: 550, message: "Mailbox bestaat niet" })
    await enqueue()
    expect(await pass()).toMatchObject({ claimed: 1, sent: 0, retried: 0, dead: 1 })
    const [dead] = await stored()
    expect(dead).toMatchObject({ status: "dead", attempts: 1 })
    expect(dead?.lastError).toContain("550")
    expect(smtp.received).toHaveLength(0)
  })

  it("never for mail of a region this worker does not serve: it is not claimed, but left in the queue", async () => {
    await store.runtime.runPromise(
      Effect.flatMap(Outbox.Outbox, (o) =>
        o.enqueue([
          Messages.fromDue({
            ...summaryDue("2026-03-09"),
            regionId: "zeeland",
            messageId: "summary:zeeland:2026-W10",
          }),
        ]),
      ),
    )
    expect(await pass()).toMatchObject({ claimed: 0, dead: 0 })
    const [waiting] = await stored()
    expect(waiting).toMatchObject({
      messageId: "summary:zeeland:2026-W10",
      regionId: "zeeland",
      status: "pending",
      attempts: 0,
    })
    expect(waiting?.lastError).toBeUndefined()
  })
})

describe("backoff", () => {
  it("doubles per attempt up to the maximum, with half of it random", () => {
    const policy = { maxAttempts: 8, baseMs: 30_000, maxMs: 3_600_000, retryForMs: 72 * 3_600_000 }
    expect([1, 2, 3, 4].map((n) => Worker.backoffMs(n, policy, () => 0))).toEqual([
      15_000, 30_000, 60_000, 120_000,
    ])
    expect([1, 2, 3, 4].map((n) => Worker.backoffMs(n, policy, () => 1))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ])
    expect(Worker.backoffMs(20, policy, () => 1)).toBe(3_600_000)
    expect(Worker.backoffMs(20, policy, () => 0)).toBe(1_800_000)
  })

  it("classifies SMTP replies: 5xx permanent, 4xx and connection errors temporary", () => {
    const error = (props: object) => Object.assign(new Error("x"), props)
    expect(Transport.classify(error({ responseCode: 550, code: "EENVELOPE" })).permanent).toBe(true)
    expect(Transport.classify(error({ responseCode: 535, code: "EAUTH" })).permanent).toBe(true)
    expect(Transport.classify(error({ responseCode: 451, code: "EENVELOPE" })).permanent).toBe(false)
    expect(Transport.classify(error({ code: "ECONNREFUSED" })).permanent).toBe(false)
    expect(Transport.classify(error({ code: "ETIMEDOUT" })).permanent).toBe(false)
  })
})
