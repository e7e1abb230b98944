/**
 * The handover notice (docs/exports.md): a Westland handover recorded over the API queues the
 * notice in the event's transaction, and the mail worker delivers it to the referrer over real
 * SMTP, with nothing typed and no pupil data in it. And no event without its outbox row: a process
 * killed with SIGKILL between the event's INSERT and the outbox INSERT leaves neither, on SQLite
 * and PostgreSQL.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Ids, type Referral, Timestamp } from "@verzuimregie/domain"
import { Mail, MailConfig, Transport, Worker } from "@verzuimregie/mail"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { CaseStore, Database, Store } from "@verzuimregie/store"
import * as Testing from "@verzuimregie/store/testing"
import { Effect, Either, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
// The mail package's real SMTP server for tests.
import { startSmtp, type TestSmtp } from "../../../packages/mail/test/support/smtp.js"
import { loadConfig, sampleConfigFile } from "../src/config.js"
import { type Gateway, pgUrl, referrerOf, skipPg, startGateway, TODAY } from "./support/gateway.js"

const REGION = "westland"
const REFERRER_EMAIL = "mentor.westland@school.example"
const TYPED_TO = "Getypte Naam Overdracht"
const TYPED_SUMMARY = "Getypte samenvatting van de overdracht"

describe("a Westland handover over the API", () => {
  let gateway: Gateway
  let smtp: TestSmtp
  let config: MailConfig.MailConfig

  beforeAll(async () => {
    smtp = await startSmtp()
    gateway = await startGateway()
    config = Either.getOrThrow(
      MailConfig.fromEnvironment({
        SMTP_URL: smtp.url,
        SMTP_INSECURE_LOOPBACK: "1",
        MAIL_FROM: "verzuimregie <noreply@verzuimregie.example>",
        PUBLIC_URL: "https://verzuimregie.example/",
      }),
    )
  }, 60_000)

  afterAll(async () => {
    await gateway?.close()
    await smtp?.stop()
  })

  /** One pass of the mail worker over the gateway's outbox. */
  const sendMail = () => {
    const transport = Transport.fromConfig(config)
    return gateway.runtime
      .runPromise(
        Worker.processBatch(
          Mail.workerOptions({ regions: gateway.config.regions, config, workerId: "test-worker" }),
          Mail.renderEnv({ regions: gateway.config.regions, config }, undefined),
        ).pipe(Effect.provideService(Transport.Mailer, transport)),
      )
      .finally(() => transport.close())
  }

  it("delivers the notice to the referrer: status, dates, the role that took over, the case id and a link", async () => {
    const referrer = await gateway.user(["referrer"], [REGION], {
      organisation: "Westlandse School",
      partyRole: "mentor",
    })
    const worker = await gateway.user(["case-worker"], [REGION], { partyRole: "smw-verzuim" })
    const plugin = gateway.config.regions.find((r) => r.region.id === REGION)!.plugin
    const base = Fixtures.referralFor(plugin, { on: TODAY })
    const pupil = { ...base.pupil, name: { givenName: "Overdrachtina", familyName: "Synthetisch" } }
    const submitted = await gateway.request("POST", "/referrals", {
      token: referrer.token,
      body: {
        ...base,
        regionId: REGION,
        referrer: { ...referrerOf(referrer), email: REFERRER_EMAIL },
        pupil,
      } as Referral.ReferralSubmission,
    })
    expect(submitted.status, submitted.text).toBe(201)
    const caseId: string = submitted.json.caseId

    const logged = await gateway.request("POST", `/cases/${caseId}/events`, {
      token: worker.token,
      body: {
        expectedVersion: 1,
        event: {
          _tag: "HandedOver",
          on: TODAY,
          to: { name: TYPED_TO, role: "hulpverlener" },
          summary: TYPED_SUMMARY,
        },
      },
    })
    expect(logged.status, logged.text).toBe(201)

    // Queued with the event: linked to the version the handover made.
    const queued = await gateway.runtime.runPromise(
      Effect.flatMap(
        Database.Database,
        (db) =>
          db.sql<{ message_id: string; case_version: unknown; payload: unknown }>`SELECT message_id,
          case_version, payload FROM outbox WHERE case_id = ${caseId} AND topic = 'mail'`,
      ),
    )
    expect(queued.map((q) => [q.message_id, Number(q.case_version)])).toEqual([
      [`handover:${caseId}:${TODAY}`, logged.json.version],
    ])
    expect(String(queued[0]?.payload)).not.toContain(TYPED_TO)

    const before = smtp.received.length
    expect(await sendMail()).toMatchObject({ sent: 1, dead: 0 })
    await smtp.waitFor(before + 1)
    const mail = smtp.received[before]!
    expect(mail.to).toEqual([REFERRER_EMAIL])
    expect(mail.parsed.subject).toBe(`Uw aanmelding ${caseId}: regie overgedragen`)
    const text = mail.parsed.text ?? ""
    expect(text).toContain("overgedragen aan de hulpverlener")
    // The referrer's page of the referral in the web app, never a JSON route.
    expect(text).toContain(`https://verzuimregie.example/aanmeldingen/${submitted.json.referralId}`)
    expect(text).not.toContain("/cases/")
    // Nothing typed, no pupil data: not the typed name of who took over, not the summary.
    const raw = mail.raw.toString("utf8")
    for (const forbidden of [TYPED_TO, TYPED_SUMMARY, pupil.name.givenName, pupil.birthDate]) {
      expect(raw).not.toContain(forbidden)
      expect(text).not.toContain(forbidden)
      expect(mail.parsed.html || "").not.toContain(forbidden)
    }
    // Sent once: a second pass finds nothing.
    expect(await sendMail()).toMatchObject({ claimed: 0 })
  })
})

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "support", "crash-effects.ts")

/** Runs the child; resolves with its output and how it ended, killing it on `between` when asked. */
const runChild = (
  args: ReadonlyArray<string>,
  killOnBetween: boolean,
): Promise<{ out: string; signal: NodeJS.Signals | null; code: number | null; stderr: string }> =>
  new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    let stderr = ""
    const watchdog = setTimeout(() => proc.kill("SIGKILL"), 50_000)
    proc.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      if (killOnBetween && out.includes("between\n")) proc.kill("SIGKILL")
    })
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    proc.on("error", reject)
    proc.on("exit", (code, signal) => {
      clearTimeout(watchdog)
      resolve({ out, signal, code, stderr })
    })
  })

describe.each(["sqlite", "pg"] as const)(
  "no handover without its notice: SIGKILL inside the transaction (%s)",
  (backend) => {
    describe.skipIf(backend === "pg" && skipPg())("", () => {
      it("leaves neither the event nor the outbox row; the same append without the kill writes both", async () => {
        const dir = await mkdtemp(join(tmpdir(), "verzuimregie-effects-"))
        const schema = Testing.uniqueSchemaName("fx")
        const file = join(dir, "test.db")
        const target = backend === "pg" ? [backend, pgUrl as string, schema] : [backend, file]
        const runtime = ManagedRuntime.make(
          Store.layer(
            backend === "pg"
              ? Database.postgres(pgUrl as string, { schema, maxConnections: 2 })
              : Database.sqlite(file),
          ),
        )
        try {
          const loaded = await loadConfig(sampleConfigFile)
          const plugin = Either.getOrThrow(loaded).regions.find((r) => r.region.id === REGION)!.plugin
          const submission = Fixtures.referralFor(plugin, { on: TODAY })
          const referral = Fixtures.referralReceived(
            plugin,
            { ...submission, referrer: { ...submission.referrer, email: REFERRER_EMAIL as never } },
            Timestamp.Timestamp.make(`${TODAY}T08:00:00.000Z`),
          )
          const created = await runtime.runPromise(
            Effect.flatMap(CaseStore.CaseStore, (store) =>
              store.create({ caseId: Ids.newId.case(), referral, regions: [referral.referral.regionId] }),
            ),
          )
          const caseId = created.state.id
          const look = () =>
            runtime.runPromise(
              Effect.flatMap(Database.Database, (db) =>
                Effect.all({
                  events: db.sql<{
                    tag: string
                  }>`SELECT tag FROM case_events WHERE case_id = ${caseId} ORDER BY version`,
                  outbox: db.sql<{
                    message_id: string
                  }>`SELECT message_id FROM outbox WHERE case_id = ${caseId}`,
                  version: db.sql<{ version: unknown }>`SELECT version FROM cases WHERE case_id = ${caseId}`,
                }),
              ),
            )

          const killed = await runChild(["stall", caseId, String(created.state.version), ...target], true)
          expect(killed.signal, killed.stderr).toBe("SIGKILL")
          expect(killed.out).toContain("between")
          expect(killed.out).not.toContain("appended")
          const after = await look()
          expect(after.events.map((e) => e.tag)).toEqual(["ReferralReceived"])
          expect(after.outbox).toEqual([])
          expect(after.version.map((v) => Number(v.version))).toEqual([created.state.version])

          const finished = await runChild(["finish", caseId, String(created.state.version), ...target], false)
          expect(finished.code, finished.stderr).toBe(0)
          const done = await look()
          expect(done.events.map((e) => e.tag)).toEqual(["ReferralReceived", "HandedOver"])
          expect(done.outbox.map((o) => o.message_id)).toEqual([`handover:${caseId}:${TODAY}`])
        } finally {
          if (backend === "pg")
            await runtime.runPromise(
              Effect.flatMap(Database.Database, (db) =>
                db.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
              ),
            )
          await runtime.dispose()
          await rm(dir, { recursive: true, force: true })
        }
      }, 120_000)
    })
  },
)
