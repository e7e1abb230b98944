import * as Fs from "node:fs"
import * as Path from "node:path"
import { CaseEffects } from "@verzuimregie/app"
import { Amsterdam, LocalDate } from "@verzuimregie/domain"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { Effect, Either, Exit, Layer, ManagedRuntime, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { Checks, Mail, MailConfig, Messages, PseudonymKey, Worker } from "../src/index.js"
import { loadRegions, regionsYaml } from "./support/regions.js"
import { openStore, tempDir } from "./support/store.js"

const problemsOf = (env: MailConfig.Environment) => {
  const result = MailConfig.fromEnvironment(env)
  return Either.isLeft(result) ? result.left.problems.map((p) => `${p.variable}: ${p.message}`) : []
}

describe("mail configuration", () => {
  it("defaults to the file outbox in DATA_DIR/mail", () => {
    const config = Either.getOrThrow(MailConfig.fromEnvironment({}))
    expect(config.transport).toEqual({ _tag: "file", directory: Path.join("data", "mail") })
    expect(config).toMatchObject({
      from: MailConfig.DEFAULT_FROM,
      publicUrl: "http://localhost:3000",
      retry: MailConfig.DEFAULT_RETRY,
    })
    expect(MailConfig.describe(config)).toMatch(/^mail: file outbox .*data\/mail$/)
  })

  it("in production (DEMO_DATA=off) refuses to start without a sender and a public address", () => {
    const production = (env: MailConfig.Environment) => {
      const result = MailConfig.fromEnvironment(env, { production: true })
      return Either.isLeft(result) ? result.left.problems.map((p) => p.variable) : []
    }
    expect(production({})).toEqual(["MAIL_FROM", "PUBLIC_URL"])
    expect(production({ MAIL_FROM: "verzuimregie@gemeente.example" })).toEqual(["PUBLIC_URL"])
    expect(
      production({ MAIL_FROM: "verzuimregie@gemeente.example", PUBLIC_URL: "https://verzuimregie.example" }),
    ).toEqual([])
    const refused = MailConfig.fromEnvironment({}, { production: true })
    expect(Either.isLeft(refused) ? refused.left.message : "").toContain(
      "MAIL_FROM: niet ingesteld. Met DEMO_DATA=off (productie) gaat er geen mail uit van noreply@localhost",
    )
  })

  it("in demo mode links to where the gateway listens, and says so in words", () => {
    const config = Either.getOrThrow(
      MailConfig.fromEnvironment({ DATA_DIR: "/srv/vr" }, { defaultPublicUrl: "http://127.0.0.1:3917" }),
    )
    expect(config.publicUrl).toBe("http://127.0.0.1:3917")
    expect(MailConfig.explain(config, {})).toBe(
      "als .eml-bestanden in /srv/vr/mail (geen SMTP_URL: er gaat niets de deur uit); afzender verzuimregie <noreply@localhost>; links naar http://127.0.0.1:3917 (demo-standaard: MAIL_FROM en PUBLIC_URL niet ingesteld)",
    )
  })

  it("retries a failing message for 72 hours by default, or MAIL_RETRY_HOURS", () => {
    const hour = 3_600_000
    // Even with the shortest jitter (half of each delay) the last attempt is 72 hours after the first.
    const spanned = (retry: MailConfig.RetryPolicy) => {
      let ms = 0
      for (let n = 1; n < retry.maxAttempts; n++) ms += Worker.backoffMs(n, retry, () => 0)
      return ms
    }
    const defaults = Either.getOrThrow(MailConfig.fromEnvironment({})).retry
    expect(defaults).toEqual({ retryForMs: 72 * hour, baseMs: 30_000, maxMs: hour, maxAttempts: 151 })
    expect(spanned(defaults)).toBeGreaterThanOrEqual(72 * hour)
    expect(spanned({ ...defaults, maxAttempts: defaults.maxAttempts - 1 })).toBeLessThan(72 * hour)
    // The old limit: the 8th attempt 32–64 minutes after the first.
    expect(spanned({ ...defaults, maxAttempts: 8 })).toBeLessThan(hour)

    const week = Either.getOrThrow(
      MailConfig.fromEnvironment({ MAIL_RETRY_HOURS: "168", MAIL_RETRY_MAX_SECONDS: "600" }),
    ).retry
    expect(week.retryForMs).toBe(168 * hour)
    expect(spanned(week)).toBeGreaterThanOrEqual(168 * hour)
    expect(Either.getOrThrow(MailConfig.fromEnvironment({ MAIL_MAX_ATTEMPTS: "5" })).retry.maxAttempts).toBe(
      5,
    )
    expect(problemsOf({ MAIL_RETRY_HOURS: "0" })).toEqual([
      'MAIL_RETRY_HOURS: verwacht een geheel getal van 1 tot en met 720, niet "0"',
    ])
  })

  it("requires TLS for SMTP, and allows plain SMTP only to loopback when asked", () => {
    const tls = Either.getOrThrow(
      MailConfig.fromEnvironment({ SMTP_URL: "smtps://mailer:geheim@smtp.gemeente.example" }),
    )
    expect(tls.transport).toMatchObject({
      _tag: "smtp",
      host: "smtp.gemeente.example",
      port: 465,
      secure: true,
      user: "mailer",
    })
    expect(MailConfig.describe(tls)).toBe("mail: SMTP smtps://mailer:***@smtp.gemeente.example (TLS)")
    const starttls = Either.getOrThrow(
      MailConfig.fromEnvironment({ SMTP_URL: "smtp://smtp.gemeente.example" }),
    )
    expect(starttls.transport).toMatchObject({ port: 587, secure: false, insecureLoopback: false })
    expect(MailConfig.describe(starttls)).toContain("(STARTTLS required)")
    for (const host of ["127.0.0.1", "localhost", "[::1]", "127.0.0.53"]) {
      const plain = Either.getOrThrow(
        MailConfig.fromEnvironment({ SMTP_URL: `smtp://${host}:2525`, SMTP_INSECURE_LOOPBACK: "1" }),
      )
      expect(plain.transport).toMatchObject({ insecureLoopback: true })
    }
    expect(problemsOf({ SMTP_URL: "smtp://smtp.gemeente.example", SMTP_INSECURE_LOOPBACK: "1" })).toEqual([
      "SMTP_INSECURE_LOOPBACK: SMTP zonder TLS mag alleen naar een loopback-adres (127.0.0.1, localhost, ::1), niet naar smtp.gemeente.example; verwijder de variabele en gebruik TLS",
    ])
  })

  it("lets a sign-in link work 30 minutes by default, SIGN_IN_LINK_MINUTES from 5 to 1440", () => {
    expect(Either.getOrThrow(MailConfig.fromEnvironment({})).signInLinkMs).toBe(30 * 60_000)
    expect(Either.getOrThrow(MailConfig.fromEnvironment({ SIGN_IN_LINK_MINUTES: "1440" })).signInLinkMs).toBe(
      1440 * 60_000,
    )
    for (const wrong of ["4", "1441", "een uur"])
      expect(problemsOf({ SIGN_IN_LINK_MINUTES: wrong })[0]).toMatch(/^SIGN_IN_LINK_MINUTES: /)
  })

  it("reports every problem with its variable, and never echoes a password", () => {
    const problems = problemsOf({
      SMTP_URL: "http://user:geheim@smtp.example",
      MAIL_FROM: "geen adres",
      PUBLIC_URL: "ftp://x",
      MAIL_MAX_ATTEMPTS: "nul",
      INSPECTIE_PSEUDONYM_KEY: "kort",
    })
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "SMTP_URL",
      "MAIL_FROM",
      "PUBLIC_URL",
      "MAIL_MAX_ATTEMPTS",
      "INSPECTIE_PSEUDONYM_KEY",
    ])
    expect(problems.join("\n")).not.toContain("geheim")
    expect(problemsOf({ SMTP_INSECURE_LOOPBACK: "1" })[0]).toMatch(
      /^SMTP_INSECURE_LOOPBACK: is gezet, maar SMTP_URL niet/,
    )
  })
})

describe("region checks at start-up", () => {
  const [westland] = loadRegions()
  if (westland === undefined) throw new Error("no region")
  const recipients = (list: ReadonlyArray<RegionConfig.Recipient>) => ({
    ...westland,
    summaries: {
      schedule: westland.summaries?.schedule ?? { every: "dag" as const, at: "07:00" },
      recipients: list as never,
    },
  })

  it("name the region and the field", () => {
    expect(Checks.regionProblems([westland])).toEqual([])
    expect(Checks.regionProblems([recipients([])])).toEqual([
      {
        regionId: "westland",
        field: "summaries.recipients",
        message: "het overzicht voor medewerkers is ingepland, maar heeft geen ontvangers",
      },
    ])
    const bad = recipients([
      { email: "geen-adres", role: "coordinator" },
      { email: "aanmelder@school.example", role: "referrer" },
    ])
    expect(Checks.regionProblems([bad]).map((p) => p.field)).toEqual([
      "summaries.recipients[0].email",
      "summaries.recipients[1].role",
    ])
    const weekly = {
      ...westland,
      inspectie: {
        ...(westland.inspectie as RegionConfig.SummarySettings),
        schedule: { every: "week" as const, on: "maandag" as const, at: "07:00" },
      },
    }
    expect(Checks.check([weekly])?.message).toBe(
      "mail kan niet starten (1 probleem):\n  regio westland: inspectie.schedule.every: het Inspectie-overzicht gaat per kwartaal: gebruik every: kwartaal (niet week)",
    )
  })

  it("stop the mail layer from starting", async () => {
    const store = await openStore()
    try {
      const config = Either.getOrThrow(MailConfig.fromEnvironment({ DATA_DIR: store.dataDir }))
      const exit = await store.runtime.runPromiseExit(
        Effect.scoped(Mail.start({ regions: [recipients([])], config, environment: {} })),
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(Exit.isFailure(exit) ? exit.cause : "")).toContain("regio westland: summaries.recipients")
    } finally {
      await store.close()
    }
  })
})

describe("the pseudonym key", () => {
  it("comes from INSPECTIE_PSEUDONYM_KEY, or a key file made once in DATA_DIR", async () => {
    const dataDir = Path.join(tempDir(), "data")
    const config = Either.getOrThrow(MailConfig.fromEnvironment({ DATA_DIR: dataDir }))
    const first = await Effect.runPromise(PseudonymKey.resolve(config, {}))
    const again = await Effect.runPromise(PseudonymKey.resolve(config, {}))
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(again).toBe(first)
    expect(Fs.statSync(Path.join(dataDir, PseudonymKey.KEY_FILE)).mode & 0o777).toBe(0o600)
    const set = { ...config, pseudonymKey: Redacted.make("x".repeat(40)) }
    expect(await Effect.runPromise(PseudonymKey.resolve(set, {}))).toBe("x".repeat(40))
    const pg = await Effect.runPromiseExit(
      PseudonymKey.resolve(config, { DATABASE_URL: "postgres://db/verzuim" }),
    )
    expect(String(Exit.isFailure(pg) ? pg.cause : "")).toContain(
      "INSPECTIE_PSEUDONYM_KEY: is verplicht met PostgreSQL",
    )
  })
})

describe("Mail.layer in a process", () => {
  it("schedules and sends on its own, and stops with its scope", async () => {
    const store = await openStore()
    const now = new Date()
    // A daily summary scheduled a minute ago: due right away.
    const local = new Date(now.getTime() - 60_000 + Amsterdam.offsetMs(now.getTime()))
    const at = `${String(local.getUTCHours()).padStart(2, "0")}:${String(local.getUTCMinutes()).padStart(2, "0")}`
    const regions = loadRegions({
      ...regionsYaml,
      regions: regionsYaml.regions.map((r) => ({
        ...r,
        summaries: { ...r.summaries, schedule: { every: "dag", at } },
      })),
    })
    const config = Either.getOrThrow(MailConfig.fromEnvironment({ DATA_DIR: store.dataDir }))
    const runtime = ManagedRuntime.make(
      Layer.provide(
        Mail.layer({ regions, config, environment: {}, tickMs: 50, pollMs: 50 }),
        Layer.succeedContext(await store.runtime.runtime().then((r) => r.context)),
      ),
    )
    try {
      await runtime.runtime()
      const folder = Path.join(store.dataDir, "mail")
      const until = Date.now() + 15_000
      while (!(Fs.existsSync(folder) && Fs.readdirSync(folder).some((f) => f.endsWith(".eml")))) {
        if (Date.now() > until) throw new Error("no mail written")
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(Fs.readdirSync(folder).filter((f) => f.endsWith(".eml"))).toHaveLength(1)
      expect(Fs.existsSync(Path.join(store.dataDir, PseudonymKey.KEY_FILE))).toBe(true)
    } finally {
      await runtime.dispose()
      await store.close()
    }
  })
})

describe("the handover notice's attempts", () => {
  it("CaseEffects enqueues it with the mail worker's default retry span", () => {
    expect(CaseEffects.NOTICE_MAX_ATTEMPTS).toBe(MailConfig.DEFAULT_RETRY.maxAttempts)
    expect(
      Messages.handoverNotice({
        regionId: "westland",
        caseId: "case_x",
        handoverOn: LocalDate.make("2026-03-09"),
      }),
    ).toEqual(
      CaseEffects.handoverNotice({
        regionId: "westland",
        caseId: "case_x",
        handoverOn: LocalDate.make("2026-03-09"),
      }),
    )
  })
})
