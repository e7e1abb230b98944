/// <reference lib="dom" />
/**
 * Mijn werk in a real Chromium against a real gateway on a SQLite file: a coordinator assigns an
 * action to a case worker through the dossier's form, choosing the worker from the region's
 * staff; it shows in the worker's inbox (and on their start page) as due soon, becomes "Verlopen"
 * the day after its due date (the gateway's test clock moves, nothing sleeps), and disappears
 * when the worker completes it. Every page state passes axe (0 violations). The inbox over the
 * API (`GET /me/inbox`) says the same.
 *
 * And the mailbox, over a real SMTP server on loopback: the assignment mails the worker once
 * ("Actie aan u toegewezen"), the day after the due date the notifier mails "Actie verlopen" once,
 * each with the case number and a link, never a name, birth date or the typed description. A
 * worker who switched "Actie aan u toegewezen" off on /instellingen/meldingen gets no mail for the
 * next assignment, which still shows in Mijn werk. The test ticks the notifier itself (`notify`):
 * the scan runs on the test clock's day; dispatch and the mail worker on the wall clock the
 * gateway wrote its outbox on (nothing sleeps; the SMTP delivery is awaited with a deadline).
 */
import { Notifications } from "@verzuimregie/app"
import { Amsterdam, LocalDate } from "@verzuimregie/domain"
import { Mail, MailConfig, Transport, Worker } from "@verzuimregie/mail"
import { Effect, Either } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
// The mail package's real SMTP server for tests.
import { type Received, startSmtp, type TestSmtp } from "../../../packages/mail/test/support/smtp.js"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { dossierSteps } from "./support/dossier.js"
import { type Gateway, startGateway, TODAY } from "./support/gateway.js"
import { signIn } from "./support/web.js"

const missing = chromiumMissing("mijn werk browser test")

/** A notification mail holds no name (pupil, worker, coordinator), birth date or typed text. */
const expectNothingPersonal = (mail: Received, pupil: Record<string, unknown>) => {
  const all = [
    mail.raw.toString("utf8"),
    mail.parsed.subject,
    mail.parsed.text,
    String(mail.parsed.html),
  ].join("\n")
  const name = pupil.name as { givenName: string; familyName: string }
  const birthDate = pupil.birthDate as string
  const [y, m, d] = birthDate.split("-")
  const forbidden = [
    "Huisbezoek",
    "Sanne",
    "Casusregisseur",
    "Karin",
    "Coördinator",
    "Ouder Synthetisch",
    name.givenName,
    name.familyName,
    birthDate,
    `${d}-${m}-${y}`,
    LocalDate.dutchLong(LocalDate.make(birthDate)),
    ...(typeof pupil.bsn === "string" ? [pupil.bsn] : []),
  ]
  for (const word of forbidden) expect(all, word).not.toContain(word)
}

describe.skipIf(missing)("Mijn werk in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  let smtp: TestSmtp
  let mailConfig: MailConfig.MailConfig
  /** The gateway's day: the test clock. */
  let today = TODAY
  beforeAll(async () => {
    smtp = await startSmtp()
    mailConfig = Either.getOrThrow(
      MailConfig.fromEnvironment({
        SMTP_URL: smtp.url,
        SMTP_INSECURE_LOOPBACK: "1",
        MAIL_FROM: "verzuimregie <noreply@verzuimregie.example>",
        PUBLIC_URL: "https://verzuimregie.example/",
      }),
    )
    gateway = await startGateway({ today: () => today })
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
    await smtp?.stop()
  })

  /**
   * One notifier tick and mail-worker passes until the outbox is empty, as `Mail.start` runs them
   * every minute; returns the mails that arrived. The time-driven scan runs on `today` (07:00 in
   * Amsterdam); the gateway's outbox rows carry wall-clock times, so dispatch and sending run on it.
   */
  const notify = async (): Promise<ReadonlyArray<Received>> => {
    const before = smtp.received.length
    const regions = gateway.config.regions
    const transport = Transport.fromConfig(mailConfig)
    try {
      await gateway.runtime.runPromise(
        Effect.gen(function* () {
          for (const region of regions)
            yield* Notifications.scanRegion(region, Amsterdam.instantOf(today, "07:00"))
          yield* Notifications.tick({ regions, workerId: "notifier-test", scan: false })
        }),
      )
      let sent = 0
      for (let pass = 0; pass < 20; pass++) {
        const result = await gateway.runtime.runPromise(
          Worker.processBatch(
            Mail.workerOptions({ regions, config: mailConfig, workerId: "mail-test" }),
            Mail.renderEnv({ regions, config: mailConfig }, undefined),
          ).pipe(Effect.provideService(Transport.Mailer, transport)),
        )
        expect(result.dead + result.retried, JSON.stringify(result.outcomes)).toBe(0)
        sent += result.sent
        if (result.claimed === 0) break
      }
      await smtp.waitFor(before + sent, 10_000)
    } finally {
      transport.close()
    }
    return smtp.received.slice(before)
  }
  /** The subjects of the mails to `email`. */
  const subjectsTo = (mails: ReadonlyArray<Received>, email: string) =>
    mails.filter((m) => m.to.includes(email)).map((m) => m.parsed.subject ?? "")

  it("shows an action assigned to me, overdue the day after its due date, gone when done", async () => {
    const { openCase, open, submit, expectLogged } = dossierSteps(gateway)
    const region = "westland"
    const worker = await gateway.user(["case-worker"], [region], {
      name: "Sanne Casusregisseur",
      partyRole: "smw-verzuim",
      organisation: "Gemeente Westland",
    })
    const coordinator = await gateway.user(["coordinator"], [region], {
      name: "Karin Coördinator",
      partyRole: "smw-verzuim",
      organisation: "Gemeente Westland",
    })
    const caseId = await openCase(region)
    const due = LocalDate.addDays(TODAY, 2)

    // The coordinator assigns the action, choosing the worker's account (no name typed).
    const boss = await signIn(browser, gateway, coordinator.token)
    await open(boss, `/dossiers/${caseId}/vastleggen/actie`)
    await boss.page.fill("#veld-action-description", "Huisbezoek plannen met ouders")
    await boss.page.selectOption("#veld-action-owner-userId", { label: "Sanne Casusregisseur" })
    await boss.page.fill("#veld-action-dueOn", due)
    await submit(boss.page)
    expectLogged(boss.page, caseId, "actie")
    // A meeting: one participant chosen by account, one (a parent) by name and role.
    await open(boss, `/dossiers/${caseId}/vastleggen/overleg`)
    await boss.page.selectOption("#veld-meeting-kind", "mdo")
    await boss.page.selectOption("#veld-meeting-participants-0--userId", { label: "Sanne Casusregisseur" })
    await boss.page.fill("#veld-meeting-participants-1--name", "Ouder Synthetisch")
    await boss.page.selectOption("#veld-meeting-participants-1--role", "ouder")
    await boss.page.check("#veld-meeting-reportFiled label:text-is('Nee')")
    await submit(boss.page)
    expectLogged(boss.page, caseId, "overleg")
    await boss.close()
    const events = await gateway.request("GET", `/cases/${caseId}/events`, { token: coordinator.token })
    const byTag = (tag: string) =>
      (events.json as ReadonlyArray<{ event: Record<string, unknown> & { _tag: string } }>)
        .filter((e) => e.event._tag === tag)
        .map((e) => e.event)
    expect((byTag("ActionAssigned")[0]?.action as Record<string, unknown> | undefined)?.owner).toEqual({
      name: "Sanne Casusregisseur",
      role: "smw-verzuim",
      organisationId: worker.organisationId,
      userId: worker.id,
    })
    expect((byTag("MeetingHeld")[0]?.meeting as Record<string, unknown> | undefined)?.participants).toEqual([
      {
        name: "Sanne Casusregisseur",
        role: "smw-verzuim",
        organisationId: worker.organisationId,
        userId: worker.id,
        mandated: false,
      },
      { name: "Ouder Synthetisch", role: "ouder", mandated: false },
    ])

    // The mailbox: exactly one "Actie aan u toegewezen" to the worker, with the case number and a
    // link to the dossier; no name, birth date or typed text of the case in it.
    const received = byTag("ReferralReceived")[0] as unknown as {
      referral: { pupil: Record<string, unknown> }
    }
    const pupil = received.referral.pupil
    const assigned = await notify()
    const toWorker = assigned.filter((m) => m.to.includes(worker.email))
    expect(subjectsTo(assigned, worker.email).filter((s) => s.startsWith("Actie"))).toEqual([
      `Actie aan u toegewezen: casus ${caseId}`,
    ])
    const assignedMail = toWorker.find((m) => m.parsed.subject?.startsWith("Actie")) as Received
    expect(assignedMail.to).toEqual([worker.email])
    expect(assignedMail.parsed.text).toContain(`https://verzuimregie.example/dossiers/${caseId}`)
    expect(assignedMail.parsed.text).toContain("18 november 2026")
    expectNothingPersonal(assignedMail, pupil)
    // The worker hears of an overdue action at once, not in the morning digest (the default).
    const prefs = await gateway.request("PUT", "/me/notifications", {
      token: worker.token,
      body: { modes: { "actie-verlopen": "direct" } },
    })
    expect(prefs.status, prefs.text).toBe(200)
    // Ticking again sends nothing again.
    expect(subjectsTo(await notify(), worker.email)).toEqual([])

    const mine = await signIn(browser, gateway, worker.token)
    const { page } = mine
    const actionRow = () =>
      page.locator("tr", { has: page.getByRole("link", { name: "Actie: Huisbezoek plannen met ouders" }) })

    // The start page shows it first thing.
    await open(mine, "/")
    expect(await page.locator("#mijn-werk-kop").textContent()).toBe("Mijn werk")
    expect(await actionRow().count()).toBe(1)

    // Mijn werk: due soon, with a link to the dossier; the new referral waits for intake too.
    await open(mine, "/mijn-werk")
    expect(await page.locator("h1").textContent()).toBe("Mijn werk")
    expect(await page.locator("nav a[aria-current=page]").textContent()).toBe("Mijn werk")
    expect(await actionRow().locator("td").allTextContents()).toEqual([
      "Binnenkort",
      "Actie: Huisbezoek plannen met ouders",
      "—",
      "18 november 2026",
      "Actie",
    ])
    expect(await actionRow().getByRole("link").getAttribute("href")).toBe(`/dossiers/${caseId}`)
    expect(await page.locator("td", { hasText: "Nieuwe aanmelding wacht op intake" }).count()).toBe(1)

    // On the due date: today. The day after: overdue, and at the top.
    today = due
    await open(mine, "/mijn-werk", false)
    expect(await actionRow().locator("td").first().textContent()).toBe("Vandaag")
    // On the due date it is not overdue yet: no mail.
    expect(subjectsTo(await notify(), worker.email)).toEqual([])
    today = LocalDate.addDays(due, 1)
    // The day after: one "Actie verlopen" mail, once.
    const overdue = await notify()
    expect(subjectsTo(overdue, worker.email)).toEqual([`Actie verlopen: casus ${caseId}`])
    const overdueMail = overdue.find((m) => m.to.includes(worker.email)) as Received
    expect(overdueMail.parsed.text).toContain(`https://verzuimregie.example/dossiers/${caseId}`)
    expect(overdueMail.parsed.text).toContain("is verlopen: de uiterste datum was 18 november 2026")
    expectNothingPersonal(overdueMail, pupil)
    expect(subjectsTo(await notify(), worker.email)).toEqual([])
    await open(mine, "/mijn-werk")
    expect(await actionRow().locator("td").first().textContent()).toBe("Verlopen")
    expect(await page.locator("tbody tr").first().locator("td").nth(1).textContent()).toBe(
      "Actie: Huisbezoek plannen met ouders",
    )
    const api = await gateway.request("GET", "/me/inbox", { token: worker.token })
    expect(api.status, api.text).toBe(200)
    expect(api.json.items[0]).toMatchObject({
      kind: "actie",
      urgency: "verlopen",
      dueOn: due,
      caseId,
      href: `/dossiers/${caseId}`,
    })

    // Done: the worker completes it (dated today, the clock's day), and it is gone.
    await open(mine, `/dossiers/${caseId}/vastleggen/actie-afgerond`, false)
    await page.selectOption("#veld-actionId", { index: 1 })
    await submit(page)
    expectLogged(page, caseId, "actie-afgerond")
    await open(mine, "/mijn-werk", false)
    expect(await actionRow().count()).toBe(0)
    const after = await gateway.request("GET", "/me/inbox", { token: worker.token })
    expect(after.json.items.some((i: { kind: string }) => i.kind === "actie")).toBe(false)
    await mine.close()
  })

  it("mails nothing for an assignment once the worker switched that kind off; Mijn werk still shows it", async () => {
    const { openCase, open, submit, expectLogged } = dossierSteps(gateway)
    const region = "westland"
    const worker = await gateway.user(["case-worker"], [region], {
      name: "Joris Casusregisseur",
      partyRole: "smw-verzuim",
      organisation: "Gemeente Westland",
    })
    const coordinator = await gateway.user(["coordinator"], [region], {
      name: "Kees Coördinator",
      partyRole: "smw-verzuim",
      organisation: "Gemeente Westland",
    })
    const caseId = await openCase(region)
    await notify()

    // The worker switches "Actie aan u toegewezen" off on the settings page.
    const mine = await signIn(browser, gateway, worker.token)
    await open(mine, "/instellingen/meldingen", false)
    await mine.page.selectOption("#veld-soort-actie-toegewezen", "uit")
    await Promise.all([
      mine.page.waitForURL(`${gateway.base}/instellingen/meldingen?opgeslagen=1`),
      mine.page.click('form[action="/instellingen/meldingen"] button[type=submit]'),
    ])
    expect(await mine.page.locator("#veld-soort-actie-toegewezen").inputValue()).toBe("uit")

    const boss = await signIn(browser, gateway, coordinator.token)
    await open(boss, `/dossiers/${caseId}/vastleggen/actie`, false)
    await boss.page.fill("#veld-action-description", "Gesprek met leerplicht voorbereiden")
    await boss.page.selectOption("#veld-action-owner-userId", { label: "Joris Casusregisseur" })
    await boss.page.fill("#veld-action-dueOn", LocalDate.addDays(today, 3))
    await submit(boss.page)
    expectLogged(boss.page, caseId, "actie")
    await boss.close()

    // No mail to the worker; the item is in Mijn werk all the same.
    expect(subjectsTo(await notify(), worker.email)).toEqual([])
    await open(mine, "/mijn-werk", false)
    const row = mine.page.locator("tr", {
      has: mine.page.getByRole("link", { name: "Actie: Gesprek met leerplicht voorbereiden" }),
    })
    expect(await row.count()).toBe(1)
    await mine.close()
  })

  it("is not for a referrer: no menu entry, and the page answers 403", async () => {
    const referrer = await gateway.user(["referrer"], ["westland"], { partyRole: "mentor" })
    const signedIn = await signIn(browser, gateway, referrer.token)
    expect(await signedIn.page.locator("nav a", { hasText: "Mijn werk" }).count()).toBe(0)
    const reply = await signedIn.page.goto(`${gateway.base}/mijn-werk`)
    expect(reply?.status()).toBe(403)
    await signedIn.close()
  })
})
