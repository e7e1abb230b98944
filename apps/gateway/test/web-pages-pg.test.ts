/// <reference lib="dom" />
/**
 * The web app once on PostgreSQL, in a real Chromium: a case worker signs in, finds the Westland
 * case in the werkvoorraad and by name in Zoeken (a POST: the name is in no address), opens the
 * dossier, logs a contact and takes a step (not started, moved away); the referrer then sees the
 * new status and reason in Mijn aanmeldingen. What the pages did is what the store holds: the
 * events, the status, one audited search. Skipped, loudly, without TEST_DATABASE_URL.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { Database } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { dossierSteps } from "./support/dossier.js"
import { type Gateway, referrerOf, skipPg, startGateway, TODAY } from "./support/gateway.js"
import { identifyingInUrls } from "./support/referral-form.js"
import { expectGoodPage, signIn } from "./support/web.js"

const missing = chromiumMissing("web pages on PostgreSQL browser test")
const REGION = "westland"

describe.skipIf(missing || skipPg())("the web app on PostgreSQL", () => {
  let gateway: Gateway
  let browser: Browser
  beforeAll(async () => {
    ;[gateway, browser] = await Promise.all([startGateway({ database: "pg" }), launchChromium()])
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
  })

  it("signs in, finds a case by list and by name, logs a contact, takes a step; the referrer sees it", async () => {
    const steps = dossierSteps(gateway)
    const referrer = await gateway.user(["referrer"], [REGION], {
      organisation: "Fictieve Postgresschool",
      partyRole: "coordinator-passend-onderwijs",
    })
    const plugin = gateway.config.regions.find((r) => r.region.id === REGION)?.plugin
    if (plugin === undefined) throw new Error(REGION)
    const body = {
      ...Fixtures.referralFor(plugin, { on: TODAY }),
      regionId: REGION,
      referrer: referrerOf(referrer),
    } as Referral.ReferralSubmission
    const receipt = await gateway.request("POST", "/referrals", { token: referrer.token, body })
    expect(receipt.status, receipt.text).toBe(201)
    const caseId = receipt.json.caseId as string
    const worker = await gateway.user(["case-worker"], [REGION], { name: "Pim Postgres" })
    const pupil = body.pupil.name
    const fullName = `${pupil.givenName} ${pupil.familyName}`
    const dossier = `/dossiers/${caseId}`

    const signedIn = await signIn(browser, gateway, worker.token)
    const { page } = signedIn
    expect(await page.locator("h1").textContent()).toBe("Welkom, Pim Postgres")

    // The werkvoorraad of the region lists the case; its row opens the dossier.
    await steps.open(signedIn, "/werkvoorraad?lijst=regio", false)
    await Promise.all([
      page.waitForURL(`${gateway.base}${dossier}`),
      page.getByRole("link", { name: fullName }).click(),
    ])
    expect(await page.locator("h1").textContent()).toBe(`Dossier van ${fullName}`)

    // Zoeken by (part of) the family name, in lower case: the same case, and no name in any address.
    await steps.open(signedIn, "/zoeken", false)
    await page.fill("#veld-naam", pupil.familyName.toLowerCase())
    await steps.submit(page, "Zoeken")
    expect(new URL(page.url()).pathname).toBe("/zoeken")
    expect(await page.locator("[role=status]").textContent()).toBe("1 casus gevonden.")
    expect(await page.getByRole("link", { name: fullName }).getAttribute("href")).toBe(dossier)
    await expectGoodPage(signedIn)
    expect(
      identifyingInUrls(signedIn.seen.requests, [pupil.familyName, pupil.familyName.toLowerCase()]),
    ).toEqual([])

    // A contact with the parents, by telephone, from the dossier's "Gebeurtenis vastleggen".
    await steps.open(signedIn, dossier, false)
    await Promise.all([
      page.waitForURL(`${gateway.base}${dossier}/vastleggen`),
      page.getByRole("link", { name: "Gebeurtenis vastleggen" }).click(),
    ])
    await Promise.all([
      page.waitForURL(`${gateway.base}${dossier}/vastleggen/contact`),
      page.getByRole("link", { name: "Contact vastleggen" }).click(),
    ])
    await page.selectOption("#veld-with", "ouder")
    await page.check('input[name="channel"][value="telefoon"]')
    await steps.submit(page)
    steps.expectLogged(page, caseId, "contact")
    expect(await page.locator("[role=status]").textContent()).toContain("vastgelegd")

    // A step: not started, the family moved away.
    await Promise.all([
      page.waitForURL(`${gateway.base}${dossier}/stappen/niet-starten`),
      page.getByRole("link", { name: "Niet starten" }).click(),
    ])
    await page.check('input[name="outcome.kind"][value="verhuisd"]')
    await page.fill("#veld-reason", "Gezin is naar het buitenland verhuisd")
    await steps.submit(page, "Stap zetten")
    expect(page.url()).toBe(`${gateway.base}${dossier}?stap=niet-starten`)
    expect(await page.locator(".vr-dossier__lead").textContent()).toContain("Niet gestart")
    await expectGoodPage(signedIn)
    await signedIn.close()

    // What the pages did is in PostgreSQL: the events in order, the final status.
    const timeline = await steps.timeline(worker.token, caseId)
    expect(timeline.map((e) => e.event._tag)).toEqual(["ReferralReceived", "ContactLogged", "CaseClosed"])
    expect(timeline[1]?.event).toMatchObject({ with: "ouder", channel: "telefoon" })
    const after = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
    expect(after.json.status.id).toBe("niet-gestart")
    // The search by name, audited as such: which field, never what was typed.
    const searches = await gateway.runtime.runPromise(
      Effect.flatMap(
        Database.Database,
        (db) => db.sql<{ context: string | null }>`
          SELECT context FROM audit_log
          WHERE user_id = ${worker.id} AND action = 'search' AND context LIKE '%zoeken:%'`,
      ),
    )
    expect(searches.map((r) => r.context?.replace(/^.*zoeken:/, "zoeken:"))).toEqual(["zoeken:naam"])

    // The referrer: Mijn aanmeldingen shows the new status and why the case ended.
    const school = await signIn(browser, gateway, referrer.token)
    await steps.open(school, "/aanmeldingen")
    const row = school.page.locator("tbody tr", { hasText: fullName })
    const cells = await row.locator("td").allTextContents()
    expect(cells[3]).toBe("Niet gestart")
    expect(cells[5]).toContain("Verhuisd")
    await Promise.all([
      school.page.waitForURL(`${gateway.base}/aanmeldingen/${receipt.json.referralId}`),
      row.getByRole("link", { name: fullName }).click(),
    ])
    expect(await school.page.locator("main").textContent()).toContain("Deze casus is afgerond")
    // The dossier stays closed to the school.
    expect((await school.page.goto(`${gateway.base}${dossier}`))?.status()).toBe(403)
    await school.close()
  })
})
