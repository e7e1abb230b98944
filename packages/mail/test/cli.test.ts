import * as Fs from "node:fs"
import * as Path from "node:path"
import { LocalDate } from "@verzuimregie/domain"
import { Inspectie, StaffSummary } from "@verzuimregie/export-xlsx"
import { Outbox } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { run } from "../src/cli/SendSummary.js"
import { Messages } from "../src/index.js"
import { regionsYaml, STAFF_RECIPIENT } from "./support/regions.js"
import { startSmtp, type TestSmtp } from "./support/smtp.js"
import { openStore, seed, synthetic, type TestStore } from "./support/store.js"

const PLUGINS = Path.join(import.meta.dirname, "support", "plugins.ts")
const on = LocalDate.make("2026-03-09")
let store: TestStore
let smtp: TestSmtp
let configFile: string
let env: Record<string, string>

let sendAt = new Date("2026-03-09T08:00:00Z")

const cli = async (...argv: Array<string>) => {
  const out: Array<string> = []
  const err: Array<string> = []
  const code = await run(
    ["--config", configFile, "--plugins", PLUGINS, ...argv],
    { env, cwd: store.dataDir, out: (l) => out.push(l), err: (l) => err.push(l) },
    sendAt,
  )
  return { code, out: out.join("\n"), err: err.join("\n") }
}

beforeAll(async () => {
  store = await openStore()
  smtp = await startSmtp()
  await seed(store.runtime, synthetic(8, 60, "westland", on))
  configFile = Path.join(store.dataDir, "regions.json")
  Fs.writeFileSync(configFile, JSON.stringify(regionsYaml))
  env = {
    DATABASE_URL: `sqlite:${store.config._tag === "sqlite" ? store.config.filename : ""}`,
    DATA_DIR: store.dataDir,
    SMTP_URL: smtp.url,
    SMTP_INSECURE_LOOPBACK: "1",
    MAIL_FROM: "noreply@verzuimregie.example",
  }
})

afterAll(async () => {
  await smtp?.stop()
  await store?.close()
})

describe("send-summary", () => {
  it("--dry-run writes the staff summary workbook and sends nothing", async () => {
    const result = await cli("--region", "westland", "--kind", "staff", "--dry-run", "overzicht.xlsx")
    expect(result.err).toBe("")
    expect(result.code).toBe(0)
    expect(result.out).toContain(
      "overzicht voor medewerkers westland 2026-W10 (2026-03-02 – 2026-03-08, peildatum 2026-03-09)",
    )
    const file = Fs.readFileSync(Path.join(store.dataDir, "overzicht.xlsx"))
    expect(XLSX.read(file).SheetNames).toEqual(Object.values(StaffSummary.SHEETS))
    expect(smtp.received).toHaveLength(0)
  })

  it("--dry-run of the Inspectie overview in October writes the closing file of the school year too", async () => {
    const result = await cli(
      "--region",
      "westland",
      "--kind",
      "inspectie",
      "--on",
      "2026-10-01",
      "--dry-run",
      "inspectie.xlsx",
    )
    expect(result.code).toBe(0)
    expect(result.out).toContain("peildatum 2026-07-31")
    expect(result.out).toContain("peildatum 2026-09-30")
    for (const name of ["inspectie.xlsx", "inspectie-2026-07-31.xlsx"]) {
      expect(XLSX.read(Fs.readFileSync(Path.join(store.dataDir, name))).SheetNames).toEqual(
        Object.values(Inspectie.SHEETS),
      )
    }
  })

  it("sends one now through the outbox", async () => {
    const result = await cli("--region", "westland", "--kind", "staff")
    expect(result.err).toBe("")
    expect(result.code).toBe(0)
    expect(result.out).toMatch(
      /summary:westland:2026-W10:handmatig:\d+ verstuurd naar coordinator@westland.example/,
    )
    await smtp.waitFor(1)
    expect(smtp.received[0]?.to).toEqual([STAFF_RECIPIENT])
    expect(smtp.received[0]?.parsed.attachments[0]?.filename).toBe("verzuimregie-westland-2026-W10.xlsx")
  })

  it("leaves another region's due mail untouched", async () => {
    // Mail of a region this command does not load (the gateway serves it), due now.
    const other = "summary:amstelland-meerlanden:2026-W10"
    await store.runtime.runPromise(
      Effect.flatMap(Outbox.Outbox, (o) =>
        o.enqueue([
          Messages.fromDue({
            regionId: "amstelland-meerlanden",
            kind: "staff",
            scheduledAt: new Date("2026-03-09T06:00:00Z"),
            period: { key: "2026-W10", from: LocalDate.make("2026-03-02"), to: LocalDate.make("2026-03-08") },
            on,
            peildata: [on],
            messageId: other,
          }),
        ]),
      ),
    )
    // A later send than the one above: a manual send's id has the time in it.
    sendAt = new Date("2026-03-09T09:00:00Z")
    const result = await cli("--region", "westland", "--kind", "staff")
    expect(result.err).toBe("")
    expect(result.code).toBe(0)
    const left = await store.runtime.runPromise(
      Effect.gen(function* () {
        const outbox = yield* Outbox.Outbox
        const dead = yield* outbox.deadLetters()
        const waiting: Array<Outbox.StoredMessage> = []
        for (let id = 1; id <= 10; id++) {
          const m = yield* outbox.get(id)
          if (m?.messageId === other) waiting.push(m)
        }
        return { dead: dead.items, waiting }
      }),
    )
    expect(left.dead).toEqual([])
    expect(left.waiting).toHaveLength(1)
    expect(left.waiting[0]).toMatchObject({
      status: "pending",
      attempts: 0,
      regionId: "amstelland-meerlanden",
    })
  })

  it.each([
    [["--region", "westland"], "--kind: verplicht; geef staff|inspectie"],
    [["--region", "westland", "--kind", "weekly"], '--kind: verwacht staff of inspectie, niet "weekly"'],
    [["--kind", "staff"], "--region: verplicht; geef <regio>: het id van een geconfigureerde regio"],
    [["--region", "zeeland", "--kind", "staff"], '--region: onbekende regio "zeeland";'],
    [
      ["--region", "westland", "--kind", "staff", "--on", "9-3-2026"],
      '--on: verwacht een datum zoals 2026-03-09, niet "9-3-2026"',
    ],
    [
      ["--region", "westland", "--kind", "staff", "--dry-run", "x.csv"],
      '--dry-run: verwacht een bestandsnaam die eindigt op .xlsx, niet "x.csv"',
    ],
    [["--region", "westland", "--kind", "staff", "--verbose"], "Onbekende optie --verbose."],
    [
      ["--region", "westland", "--kind", "staff", "--plugins", "nergens.js"],
      "--plugins: bestand bestaat niet:",
    ],
  ])("explains a wrong option: %j", async (argv, message) => {
    const result = await cli(...argv)
    expect(result.code).toBe(2)
    expect(result.err).toContain(`send-summary: ${message}`)
    expect(result.err).toContain("Gebruik: send-summary --region <regio> --kind staff|inspectie")
    expect(result.err).toContain("Meer uitleg: send-summary --help")
  })

  it("ends with exit code 3 when the database cannot be reached, as every command does", async () => {
    const err: Array<string> = []
    const code = await run(
      ["--config", configFile, "--plugins", PLUGINS, "--region", "westland", "--kind", "staff"],
      {
        env: { ...env, DATABASE_URL: "postgres://u:geheim@127.0.0.1:1/db" },
        cwd: store.dataDir,
        out: () => {},
        err: (l) => err.push(l),
      },
      sendAt,
    )
    expect(code).toBe(3)
    expect(err.join("\n")).toContain("127.0.0.1:1")
    expect(err.join("\n")).not.toContain("geheim")
  })

  it("reports a broken region configuration with its paths", async () => {
    const broken = Path.join(store.dataDir, "broken.json")
    Fs.writeFileSync(
      broken,
      JSON.stringify({ version: 1, regions: [{ ...regionsYaml.regions[0], holidayRegion: "oost" }] }),
    )
    const out: Array<string> = []
    const code = await run(
      ["--config", broken, "--plugins", PLUGINS, "--region", "westland", "--kind", "staff"],
      { env, cwd: store.dataDir, out: (l) => out.push(l), err: (l) => out.push(l) },
    )
    expect(code).toBe(1)
    expect(out.join("\n")).toContain("regions[0].holidayRegion")
  })
})
