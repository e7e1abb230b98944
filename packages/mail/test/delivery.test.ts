import * as Fs from "node:fs"
import * as Path from "node:path"
import { Amsterdam, type Case, type Ids, LocalDate } from "@verzuimregie/domain"
import { Inspectie, StaffSummary } from "@verzuimregie/export-xlsx"
import { AuditLog, CaseStore, Database, Outbox } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { simpleParser } from "mailparser"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { Mail, MailConfig, Messages, Scheduler, Schedules, Transport, Worker } from "../src/index.js"
import { expectNoPupilData } from "./support/privacy.js"
import { INSPECTIE_RECIPIENT, loadRegions, STAFF_RECIPIENT } from "./support/regions.js"
import { type Received, startSmtp, type TestSmtp } from "./support/smtp.js"
import { openStore, type Seeded, seed, synthetic, type TestStore } from "./support/store.js"

const KEY = "test-sleutel-voor-pseudoniemen-0123456789abcdef"
const on = LocalDate.make("2026-03-09") // a Monday
const regions = loadRegions()
const westland = regions[0]
if (westland === undefined) throw new Error("no region")

let smtp: TestSmtp
let store: TestStore
let histories: Array<Seeded>
let config: MailConfig.MailConfig

const configFor = (env: MailConfig.Environment) => Either.getOrThrow(MailConfig.fromEnvironment(env))

/** One worker pass with the given transport. */
const work = (transport: Transport.Transport, cfg = config, workerId = "test-worker") =>
  store.runtime.runPromise(
    Worker.processBatch(
      Mail.workerOptions({ regions, config: cfg, workerId }),
      Mail.renderEnv({ regions, config: cfg }, KEY),
    ).pipe(Effect.provideService(Transport.Mailer, transport)),
  )

const sheetRows = (file: Buffer, name: string) =>
  XLSX.utils.sheet_to_json<Array<unknown>>(
    XLSX.read(file, { type: "buffer", cellDates: true }).Sheets[name] as XLSX.WorkSheet,
    {
      header: 1,
    },
  )

beforeAll(async () => {
  smtp = await startSmtp()
  store = await openStore()
  histories = synthetic(21, 150, "westland", on)
  await seed(store.runtime, histories)
  config = configFor({
    SMTP_URL: smtp.url,
    SMTP_INSECURE_LOOPBACK: "1",
    MAIL_FROM: "verzuimregie <noreply@verzuimregie.example>",
    PUBLIC_URL: "https://verzuimregie.example/",
    DATA_DIR: store.dataDir,
  })
})

afterAll(async () => {
  await smtp?.stop()
  await store?.close()
})

describe("the weekly staff summary over real SMTP", () => {
  let message: Received

  it("is due on maandag 07:00, enqueued once, and sent to the region's recipients", async () => {
    const now = Amsterdam.instantOf(on, "07:05")
    const due = await store.runtime.runPromise(Scheduler.enqueueDue(regions, now))
    expect(due.map((d) => d.messageId)).toEqual(["summary:westland:2026-W10"])
    await store.runtime.runPromise(Scheduler.enqueueDue(regions, new Date(now.getTime() + 60_000)))
    const transport = Transport.fromConfig(config, { connectionTimeoutMs: 3_000 })
    expect(await work(transport)).toMatchObject({ claimed: 1, sent: 1, retried: 0, dead: 0 })
    expect(await work(transport)).toMatchObject({ claimed: 0, sent: 0, retried: 0, dead: 0 })
    transport.close()
    await smtp.waitFor(1)
    message = smtp.received[0] as Received
    expect(message.to).toEqual([STAFF_RECIPIENT])
    expect(message.parsed.messageId).toBe("<summary.westland.2026-W10@verzuimregie.example>")
    expect(message.parsed.subject).toBe("Overzicht verzuimregie Westland, week 10 (2 t/m 8 maart 2026)")
    expect(message.parsed.text).toContain("https://verzuimregie.example/regio/westland")
    expect(message.parsed.html).toContain('href="https://verzuimregie.example/regio/westland"')
    expect(message.parsed.text).toContain("Dit bericht bevat bewust geen namen")
  })

  it("carries the audit head in its footer, including the summary's own read (an anchor outside the database)", async () => {
    // Nothing else wrote to the audit log since the summary was made.
    const head = await store.runtime.runPromise(Effect.flatMap(AuditLog.AuditLog, (a) => a.head))
    expect(head.seq).toBeGreaterThan(0)
    const line = `Controlegegevens toegangslog: ${head.seq} registraties, laatste hash ${head.hash}.`
    expect(message.parsed.text).toContain(line)
    expect(message.parsed.html).toContain(line)
    const last = await store.runtime.runPromise(
      Effect.flatMap(AuditLog.AuditLog, (a) => a.list({}, { limit: 1 })),
    )
    expect(last.items[0]).toMatchObject({ seq: head.seq, action: "export", purpose: "casusregie" })
  })

  it("carries the workbook: sheets, Dutch headers, counts that match the cases, date cells", () => {
    const [attachment] = message.parsed.attachments
    if (attachment === undefined) throw new Error("no attachment")
    expect(attachment.filename).toBe("verzuimregie-westland-2026-W10.xlsx")
    expect(attachment.contentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    const book = XLSX.read(attachment.content, { type: "buffer", cellDates: true })
    expect(book.SheetNames).toEqual(Object.values(StaffSummary.SHEETS))
    const labels = new Map(westland.plugin.workflow.states.map((s) => [s.id as string, s.label]))
    const expected = StaffSummary.make({
      region: { id: "westland", name: "Westland" },
      period: { key: "2026-W10", from: LocalDate.make("2026-03-02"), to: LocalDate.make("2026-03-08") },
      on,
      cases: histories.map((h) => h.state),
      statusLabel: (s) => labels.get(s) ?? s,
    })
    for (const [key, name] of Object.entries(StaffSummary.SHEETS)) {
      const rows = sheetRows(attachment.content, name)
      expect(rows[0]).toEqual(
        StaffSummary.COLUMNS[key as keyof typeof StaffSummary.COLUMNS].map((c) => c.header),
      )
      if (key !== "overview")
        expect(rows.length - 1, name).toBe(expected.rows[key as keyof typeof expected.rows].length)
    }
    const open = histories.filter((h) => h.state.closed === undefined).length
    expect(sheetRows(attachment.content, StaffSummary.SHEETS.open)).toHaveLength(open + 1)
    expect(message.parsed.text).toContain(`- Open casussen: ${open}`)
    expect(book.Sheets[StaffSummary.SHEETS.open]?.F2?.t).toBe("d")
    expect(book.Sheets[StaffSummary.SHEETS.open]?.G2?.t).toBe("n")
  })

  it("holds no pupil name, BSN or birth date in the subject, text, HTML, headers or attachment", () => {
    expectNoPupilData(
      message,
      histories.map((h) => h.state),
    )
  })
})

describe("the quarterly Inspectie overview over real SMTP", () => {
  it("is sent once for the quarter, anonymised, with one row per thuiszitter", async () => {
    // The schools of the rows, as organisations with a BRIN code (but one, which stays blank).
    const schools = new Set<string>()
    Inspectie.make({
      region: { id: "westland", name: "Westland" },
      peildatum: LocalDate.make("2026-03-31"),
      quarter: "2026-Q1",
      key: KEY,
      cases: histories,
      brinOf: (schoolId) => {
        schools.add(schoolId)
        return undefined
      },
    })
    const brins = new Map(
      [...schools].slice(1).map((id, i) => [id, `${10 + i}${String.fromCharCode(65 + (i % 26))}B`]),
    )
    expect(brins.size).toBeGreaterThan(0)
    await store.runtime.runPromise(
      Effect.flatMap(Database.Database, (db) =>
        Effect.forEach(
          [...brins],
          ([id, brin]) =>
            db.sql`INSERT INTO organisations ${db.sql.insert({ id, name: `School ${brin}`, kind: "school", brin, created_at: new Date().toISOString() })}`,
        ),
      ),
    )
    const before = smtp.received.length
    const now = Amsterdam.instantOf(LocalDate.make("2026-04-01"), "07:01")
    const due = await store.runtime.runPromise(Scheduler.enqueueDue(regions, now))
    expect(due.map((d) => d.messageId).sort()).toEqual([
      "inspectie:westland:2026-Q1",
      "summary:westland:2026-W13",
    ])
    const transport = Transport.fromConfig(config)
    expect(await work(transport)).toMatchObject({ claimed: 2, sent: 2 })
    transport.close()
    await smtp.waitFor(before + 2)
    const message = smtp.received.slice(before).find((m) => m.to.includes(INSPECTIE_RECIPIENT))
    if (message === undefined) throw new Error("no Inspectie mail")
    expect(message.parsed.subject).toBe("Thuiszittersoverzicht Westland, 1e kwartaal 2026")
    expect(message.parsed.messageId).toBe("<inspectie.westland.2026-Q1@verzuimregie.example>")
    const [attachment] = message.parsed.attachments
    if (attachment === undefined) throw new Error("no attachment")
    expect(attachment.filename).toBe("thuiszitters-westland-2025-26-peildatum-2026-03-31.xlsx")
    const expected = Inspectie.make({
      region: { id: "westland", name: "Westland" },
      peildatum: LocalDate.make("2026-03-31"),
      quarter: "2026-Q1",
      key: KEY,
      cases: histories,
      brinOf: (schoolId) => brins.get(schoolId),
    })
    expect(expected.rows.length).toBeGreaterThan(0)
    const rows = sheetRows(attachment.content, "Thuiszitters")
    expect(rows[0]).toEqual(Inspectie.COLUMNS.map((c) => c.header))
    const brinColumn = Inspectie.COLUMNS.findIndex((c) => c.header === "BRIN")
    const byPseudonym = (list: ReadonlyArray<readonly [unknown, unknown]>) =>
      [...list].sort(([a], [b]) => String(a).localeCompare(String(b)))
    // Every row carries the BRIN code of its school when the installation knows the school.
    expect(byPseudonym(rows.slice(1).map((r) => [r[0], r[brinColumn] ?? null] as const))).toEqual(
      byPseudonym(expected.rows.map((r) => [r.pseudoniem, r.brin ?? null] as const)),
    )
    expect(expected.rows.some((r) => r.brin !== undefined)).toBe(true)
    expectNoPupilData(
      message,
      histories.map((h) => h.state),
    )
  })
})

describe("the handover notice to the referrer", () => {
  it("is enqueued in the transaction of the handover and tells the referrer without naming the pupil", async () => {
    const target = histories.find(
      (h) => h.state.closed === undefined && h.state.referral.referrer.email !== undefined,
    )
    if (target === undefined) throw new Error("no open case with a referrer address")
    const before = smtp.received.length
    const handoverOn = LocalDate.make("2026-03-10")
    const caseId = target.state.id
    await store.runtime.runPromise(
      Effect.gen(function* () {
        const cases = yield* CaseStore.CaseStore
        const current = yield* cases.get(caseId, { regions: [target.state.regionId] })
        yield* cases.append({
          caseId,
          expectedVersion: current.version,
          regions: [target.state.regionId],
          events: [
            {
              _tag: "HandedOver",
              at: "2026-03-10T10:00:00.000Z" as Case.CaseState["lastEventAt"],
              by: { name: "Medewerker Test", role: "smw-verzuim" },
              on: handoverOn,
              to: { name: "Jeugdconsulent Westland", role: "hulpverlener" },
            },
          ],
          outbox: [Messages.handoverNotice({ regionId: "westland", caseId, handoverOn })],
        })
        const linked = yield* (yield* Outbox.Outbox).forCase(caseId)
        expect(linked.map((m) => [m.messageId, m.caseVersion])).toEqual([
          [`handover:${caseId}:2026-03-10`, current.version + 1],
        ])
      }),
    )
    const transport = Transport.fromConfig(config)
    expect(await work(transport)).toMatchObject({ claimed: 1, sent: 1 })
    transport.close()
    await smtp.waitFor(before + 1)
    const message = smtp.received[before] as Received
    expect(message.to).toEqual([target.state.referral.referrer.email])
    expect(message.parsed.subject).toBe(`Uw aanmelding ${caseId}: regie overgedragen`)
    // Not linked to an account: by role, never by the name typed in the case.
    expect(message.parsed.text).toContain("is op 10 maart 2026 overgedragen aan de hulpverlener.")
    expect(message.raw.toString("utf8")).not.toContain("Jeugdconsulent")
    // The referrer's page of the referral in the web app, never a JSON route.
    expect(message.parsed.text).toContain(
      `https://verzuimregie.example/aanmeldingen/${target.state.referral.id}`,
    )
    expect(message.parsed.text).not.toContain("/cases/")
    expect(message.parsed.attachments).toHaveLength(0)
    expectNoPupilData(
      message,
      histories.map((h) => h.state),
    )
  })
})

describe("the file outbox", () => {
  it("writes one .eml per message into DATA_DIR/mail, creating the folder", async () => {
    const dataDir = Path.join(store.dataDir, "nieuw", "data")
    const fileConfig = configFor({ DATA_DIR: dataDir, PUBLIC_URL: "https://verzuimregie.example" })
    expect(fileConfig.transport).toEqual({ _tag: "file", directory: Path.join(dataDir, "mail") })
    await store.runtime.runPromise(
      Effect.flatMap(Outbox.Outbox, (o) =>
        o.enqueue([
          Messages.fromDue(
            Schedules.dueFor(
              westland,
              "staff",
              Amsterdam.instantOf(LocalDate.make("2026-03-16"), "07:00"),
            ) as Schedules.Due,
          ),
        ]),
      ),
    )
    expect(Fs.existsSync(dataDir)).toBe(false)
    expect(await work(Transport.fromConfig(fileConfig), fileConfig)).toMatchObject({ sent: 1 })
    const files = Fs.readdirSync(Path.join(dataDir, "mail"))
    expect(files).toEqual(["summary.westland.2026-W11_localhost.eml"])
    const parsed = await simpleParser(Fs.readFileSync(Path.join(dataDir, "mail", files[0] as string)))
    expect(parsed.subject).toBe("Overzicht verzuimregie Westland, week 11 (9 t/m 15 maart 2026)")
    expect(parsed.attachments[0]?.filename).toBe("verzuimregie-westland-2026-W11.xlsx")
    const raw = Fs.readFileSync(Path.join(dataDir, "mail", files[0] as string))
    expectNoPupilData(
      { raw, parsed, to: [] },
      histories.map((h) => h.state),
    )
  })
})

describe("TLS", () => {
  it("is required: a server without STARTTLS gets no mail unless plain SMTP to loopback was allowed", async () => {
    const strict = configFor({ SMTP_URL: smtp.url, DATA_DIR: store.dataDir })
    expect(strict.transport).toMatchObject({ _tag: "smtp", secure: false, insecureLoopback: false })
    const transport = Transport.fromConfig(strict, { connectionTimeoutMs: 3_000 })
    const error = await transport
      .send({
        messageId: "<t@x>",
        from: "a@b.example",
        to: ["c@d.example"],
        subject: "x",
        text: "x",
        html: "x",
        attachments: [],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    transport.close()
    // The server refuses STARTTLS with a 5xx reply: permanent, as no retry makes it offer TLS.
    expect(error).toBeInstanceOf(Transport.SendFailed)
    expect(String((error as Error).message)).toMatch(/STARTTLS/)
    expect(smtp.received.every((m) => m.parsed.subject !== "x")).toBe(true)
  })
})

// Keep the type import used when Ids is not otherwise needed.
export type _ = Ids.CaseId
