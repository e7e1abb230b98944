/// <reference lib="dom" />
/**
 * Mijn werk in a real Chromium against a real gateway on a SQLite file: a coordinator assigns an
 * action to a case worker through the dossier's form, choosing the worker from the region's
 * staff; it shows in the worker's inbox (and on their start page) as due soon, becomes "Verlopen"
 * the day after its due date (the gateway's test clock moves, nothing sleeps), and disappears
 * when the worker completes it. Every page state passes axe (0 violations). The inbox over the
 * API (`GET /me/inbox`) says the same.
 */
import { LocalDate } from "@verzuimregie/domain"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { dossierSteps } from "./support/dossier.js"
import { type Gateway, startGateway, TODAY } from "./support/gateway.js"
import { signIn } from "./support/web.js"

const missing = chromiumMissing("mijn werk browser test")

describe.skipIf(missing)("Mijn werk in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  /** The gateway's day: the test clock. */
  let today = TODAY
  beforeAll(async () => {
    gateway = await startGateway({ today: () => today })
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
  })

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
    today = LocalDate.addDays(due, 1)
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

  it("is not for a referrer: no menu entry, and the page answers 403", async () => {
    const referrer = await gateway.user(["referrer"], ["westland"], { partyRole: "mentor" })
    const signedIn = await signIn(browser, gateway, referrer.token)
    expect(await signedIn.page.locator("nav a", { hasText: "Mijn werk" }).count()).toBe(0)
    const reply = await signedIn.page.goto(`${gateway.base}/mijn-werk`)
    expect(reply?.status()).toBe(403)
    await signedIn.close()
  })
})
