/// <reference lib="dom" />
/**
 * Aanmelden in a second region and Mijn aanmeldingen, in a real Chromium against a real gateway
 * (Westland's form, its errors and refusals are in `web-aanmelden.test.ts`): Amstelland's form
 * with its own fields and the kinds of verzuim it takes; a 17-year-old referred with his own
 * consent and the parents informed; the referral in Mijn aanmeldingen; a colleague at the same
 * school sees neither it nor its status page ("Niet gevonden"); one region goes straight to its
 * form; another region than one's own is "Niet gevonden"; an admin does not refer (403). Every
 * state passes axe with 0 violations, and no name or birth date is ever in a URL.
 */
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { fillCommon, id, identifyingInUrls, submitReferralForm as submit } from "./support/referral-form.js"
import { expectGoodPage, type SignedInPage, signIn } from "./support/web.js"

const missing = chromiumMissing("web Mijn aanmeldingen browser test")

/** A synthetic pupil; the gateway's today is 2026-11-16. */
const AMSTELLAND_PUPIL = {
  givenName: "Daan",
  familyName: "Hoogeboomstra",
  birthDate: "2009-06-10", // 17: the pupil consents, the parents are informed
}

describe.skipIf(missing)("aanmelden in Amstelland and Mijn aanmeldingen (headless Chromium)", () => {
  let gateway: Gateway
  let browser: Browser
  let referrerPage: SignedInPage
  beforeAll(async () => {
    gateway = await startGateway()
    browser = await launchChromium()
    const referrer = await gateway.user(["referrer"], ["amstelland-meerlanden", "westland"], {
      name: "Sanne de Coördinator",
      organisation: "Het Westlandse Lyceum",
      partyRole: "coordinator-passend-onderwijs",
    })
    referrerPage = await signIn(browser, gateway, referrer.token)
  }, 120_000)
  afterAll(async () => {
    await referrerPage?.close()
    await browser?.close()
    await gateway?.close()
  })

  it("refers a 17-year-old to Amstelland through its own form and sees the referral in Mijn aanmeldingen", async () => {
    const { page } = referrerPage
    await page.goto(`${gateway.base}/aanmeldingen/nieuw?regio=amstelland-meerlanden`)
    expect(await page.locator("h1").textContent()).toBe("Aanmelden bij Amstelland en de Meerlanden")
    const regionSection = page.locator("section[aria-labelledby=kop-regio]")
    expect(await regionSection.locator("h2").textContent()).toBe("Melding langdurig verzuim Regioloket")
    expect(await regionSection.textContent()).toContain("Gesprek met ouders gevoerd")
    expect(await page.locator(id("extension.hulpvraag")).count()).toBe(0)
    // Amstelland takes only some kinds of verzuim.
    expect(await page.locator('input[name="verzuimKind"][value="grijs"]').count()).toBe(0)
    await expectGoodPage(referrerPage)

    await fillCommon(page, AMSTELLAND_PUPIL, "langdurig")
    await page.fill(id("absence.since"), "2026-09-01")
    await page.fill(id("toestemming.leerling.givenOn"), "2026-11-10")
    await page.selectOption(id("toestemming.leerling.method"), "digitaal")
    await page.fill(id("consent.parentsInformedOn"), "2026-11-11")
    await page.check(`${id("extension.melding")}-1`)
    await page.check(`${id("extension.gesprekMetOuders")}-0`)
    await submit(page)
    expect(await page.locator("h1").textContent()).toBe("Aanmelding bij Amstelland en de Meerlanden")
    expect(await page.locator("main").textContent()).toContain("Gemeld")
    await expectGoodPage(referrerPage)

    await page.click("text=Naar Mijn aanmeldingen")
    expect(await page.locator("h1").textContent()).toBe("Mijn aanmeldingen")
    const rows = page.locator("table tbody tr")
    expect(await rows.count()).toBe(1)
    const table = await page.locator("table").textContent()
    expect(table).toContain("Daan Hoogeboomstra")
    expect(table).toContain("Amstelland en de Meerlanden")
    expect(table).toContain("Gemeld")
    await expectGoodPage(referrerPage)

    expect(
      identifyingInUrls(referrerPage.seen.requests, [
        AMSTELLAND_PUPIL.givenName,
        AMSTELLAND_PUPIL.familyName,
        AMSTELLAND_PUPIL.birthDate,
      ]),
    ).toEqual([])
  }, 30_000)

  it("keeps referrals to their referrer, and the form to the referrer's regions and roles", async () => {
    const { page } = referrerPage
    await page.goto(`${gateway.base}/aanmeldingen`)
    const own = await page.locator("table tbody a").first().getAttribute("href")
    expect(own).toMatch(/^\/aanmeldingen\/ref_/)

    // A colleague at the same school sees neither the referral nor the pupil.
    const colleague = await gateway.user(["referrer"], ["amstelland-meerlanden"], {
      organisation: "Het Westlandse Lyceum",
      partyRole: "mentor",
      name: "Piet Mentor",
    })
    const other = await signIn(browser, gateway, colleague.token)
    try {
      const response = await other.page.goto(`${gateway.base}${own}`)
      expect(response?.status()).toBe(404)
      expect(await other.page.locator("h1").textContent()).toBe("Niet gevonden")
      await other.page.goto(`${gateway.base}/aanmeldingen`)
      expect(await other.page.locator("main").textContent()).toContain("U heeft nog niemand aangemeld.")
      await expectGoodPage(other)
      // One region: straight to its form.
      await other.page.goto(`${gateway.base}/aanmeldingen/nieuw`)
      expect(await other.page.locator("h1").textContent()).toBe("Aanmelden bij Amstelland en de Meerlanden")
    } finally {
      await other.close()
    }

    // Another region than one's own: not found.
    await page.goto(`${gateway.base}/aanmeldingen/nieuw?regio=leidschendam-voorburg`)
    expect(await page.locator("h1").textContent()).toBe("Niet gevonden")

    // An admin does not refer.
    const admin = await gateway.user(["admin"], ["westland"])
    const adminPage = await signIn(browser, gateway, admin.token)
    try {
      const response = await adminPage.page.goto(`${gateway.base}/aanmeldingen/nieuw`)
      expect(response?.status()).toBe(403)
      expect(await adminPage.page.locator("h1").textContent()).toBe("Geen toegang")
    } finally {
      await adminPage.close()
    }
  }, 30_000)
})
