/**
 * A day-long SMTP outage, on a clock the test moves by hand (support/clock.ts): the store's
 * timestamps, the backoff and the outage warning all read Effect's clock, so 24 hours of retries
 * with the default policy (30 s doubling to 1 hour, retried for 72 hours) run in seconds. The SMTP
 * server is real (support/smtp.ts) and stopped for the whole day; every delivery attempt really
 * connects and is really refused. One test file per backend (outage-{sqlite,pg}.test.ts), so the
 * two run side by side.
 */
import { Amsterdam, LocalDate } from "@verzuimregie/domain"
import { Outbox } from "@verzuimregie/store"
import { Effect, Either, Logger } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Mail, MailConfig, Messages, Schedules, Transport, Worker } from "../../src/index.js"
import { type ManualClock, manualClock } from "./clock.js"
import { loadRegions, regionsYaml } from "./regions.js"
import { startSmtp, type TestSmtp } from "./smtp.js"
import { openStore, skipPg, type TestStore } from "./store.js"

const HOUR = 3_600_000
const STEP = 5 * 60_000

const westlandEntry = regionsYaml.regions[0]
if (westlandEntry === undefined) throw new Error("no region")
const regions = loadRegions({
  version: 1,
  regions: [
    westlandEntry,
    {
      id: "amstelland-meerlanden",
      name: "Amstelland en de Meerlanden",
      holidayRegion: "noord",
      municipalities: ["Amstelveen"],
      plugin: "amstelland",
      summaries: westlandEntry.summaries,
    },
  ],
})

export const outageSuite = (backend: "sqlite" | "pg"): void => {
  describe.skipIf(backend === "pg" && skipPg())(`an SMTP outage of 24 hours (${backend})`, () => {
    let smtp: TestSmtp
    let store: TestStore
    let clock: ManualClock
    let config: MailConfig.MailConfig
    const logs: Array<{ level: string; message: string; at: number }> = []
    const logger = Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ logLevel, message }) => {
        logs.push({
          level: logLevel.label,
          message: Array.isArray(message) ? message.join(" ") : String(message),
          at: clock.millis(),
        })
      }),
    )

    beforeEach(async () => {
      logs.length = 0
      clock = manualClock(new Date("2026-03-09T06:00:00Z"))
      smtp = await startSmtp()
      store = await openStore(backend)
      // The defaults for the retry policy: nothing here shortens it.
      config = Either.getOrThrow(
        MailConfig.fromEnvironment({
          SMTP_URL: smtp.url,
          SMTP_INSECURE_LOOPBACK: "1",
          MAIL_FROM: "noreply@verzuimregie.example",
          DATA_DIR: store.dataDir,
        }),
      )
    })

    afterEach(async () => {
      await smtp.stop()
      await store.close()
    })

    const onClock = <A, E, R>(effect: Effect.Effect<A, E, R>) => effect.pipe(Effect.withClock(clock))

    const run = <A, E>(effect: Effect.Effect<A, E, Mail.Requirements | Outbox.Outbox>) =>
      store.runtime.runPromise(onClock(effect).pipe(Effect.provide(logger)))

    /** The weekly summaries of three weeks for each region: six messages with distinct ids. */
    const dueMessages = regions.flatMap((region) =>
      ["2026-02-23", "2026-03-02", "2026-03-09"].map((monday) =>
        Messages.fromDue(
          Schedules.dueFor(
            region,
            "staff",
            Amsterdam.instantOf(LocalDate.make(monday), "07:00"),
          ) as Schedules.Due,
        ),
      ),
    )

    const all = () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* Outbox.Outbox
          const out: Array<Outbox.StoredMessage> = []
          for (let id = 1; id <= 20; id++) {
            const m = yield* outbox.get(id)
            if (m !== undefined) out.push(m)
          }
          return out
        }),
      )

    it("loses nothing and sends nothing twice; warns once an hour with the backlog", async () => {
      expect(config.retry).toEqual({
        retryForMs: 72 * HOUR,
        baseMs: 30_000,
        maxMs: HOUR,
        maxAttempts: MailConfig.attemptsFor({ retryForMs: 72 * HOUR, baseMs: 30_000, maxMs: HOUR }),
      })
      const watch = await Effect.runPromise(Worker.makeWatch())
      const options = Mail.workerOptions({ regions, config, workerId: "gateway-1" })
      const env = Mail.renderEnv({ regions, config }, undefined)
      const pass = async () => {
        const transport = Transport.fromConfig(config, {
          connectionTimeoutMs: 5_000,
          socketTimeoutMs: 10_000,
        })
        try {
          return await run(
            Worker.processBatch(options, env).pipe(
              Effect.tap(watch.observe),
              Effect.provideService(Transport.Mailer, transport),
            ),
          )
        } finally {
          transport.close()
        }
      }

      await run(Effect.flatMap(Outbox.Outbox, (o) => o.enqueue(dueMessages)))
      expect(dueMessages.map((m) => m.messageId)).toHaveLength(6)
      await smtp.stop()

      // 24 hours, a worker pass every 5 minutes.
      const start = clock.millis()
      let attempts = 0
      for (let t = 0; t <= 24 * HOUR; t += STEP) {
        const result = await pass()
        expect(result.sent + result.dead).toBe(0)
        attempts += result.claimed
        clock.advance(STEP)
      }
      const during = await all()
      expect(during).toHaveLength(6)
      for (const m of during) {
        expect(m.status, m.messageId).toBe("pending")
        expect(m.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/)
      }
      // Exponential up to an hour apart: at least 8 + 20 attempts each in a day, far from the limit.
      expect(Math.min(...during.map((m) => m.attempts))).toBeGreaterThanOrEqual(28)
      expect(Math.max(...during.map((m) => m.attempts))).toBeLessThan(config.retry.maxAttempts)
      expect(attempts).toBe(during.reduce((n, m) => n + m.attempts, 0))

      // One warning at the first failure and one every hour after it, each with the backlog.
      const warnings = logs.filter(
        (l) => l.level === "WARN" && l.message.startsWith("mail: delivery is failing"),
      )
      expect(warnings.map((w) => (w.at - start) / HOUR)).toEqual(Array.from({ length: 25 }, (_, h) => h))
      expect(warnings[0]?.message).toContain("6 messages wait (6 retrying")
      expect(warnings[0]?.message).toContain("0 dead letters")
      expect(smtp.received).toHaveLength(0)

      // The server is back: everything goes out within the longest retry delay, once.
      await smtp.start()
      for (let t = 0; t <= 2 * HOUR; t += STEP) {
        await pass()
        clock.advance(STEP)
      }
      await smtp.waitFor(6)
      const after = await all()
      expect(after.map((m) => m.status)).toEqual(Array(6).fill("sent"))
      const ids = smtp.received.map((r) => r.parsed.messageId)
      expect(new Set(ids).size).toBe(ids.length)
      expect([...ids].sort()).toEqual(
        dueMessages.map((m) => Messages.rfcMessageId(m.messageId ?? "", "verzuimregie.example")).sort(),
      )
      expect(logs.some((l) => l.level === "INFO" && l.message.startsWith("mail: delivery works again"))).toBe(
        true,
      )
      const backlog = await run(Effect.flatMap(Outbox.Outbox, (o) => o.backlog({ topics: ["mail"] })))
      expect(backlog).toEqual({ waiting: 0, retrying: 0, oldestWaitingSince: undefined, deadLetters: 0 })
    }, 240_000)
  })
}
