/// <reference lib="dom" />
/**
 * Aanmelden through the web app, as a school's coördinator passend onderwijs would, in a real
 * Chromium against a real gateway on a real SQLite file (Westland; Amstelland and Mijn
 * aanmeldingen are in `web-aanmelden-lijst.test.ts`): the choice of region, Westland's form
 * rendered from its plug-in's form schema (its own fields, labels, help texts, choice labels); a
 * submit with field errors (next to their fields, the summary's links reach them, the input is
 * kept); a 14-year-old refused because the parents' consent her age asks is missing; accepted
 * with it, to the confirmation page; the region's case worker then finds the case over the API
 * (another region's does not); a form without its CSRF token or from another origin is refused.
 * Every state passes axe with 0 violations, and no name, BSN or birth date is ever in a URL.
 */
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import {
  fillCommon,
  id,
  identifyingInUrls,
  submitReferralForm as submit,
  summaryLinks,
} from "./support/referral-form.js"
import { expectGoodPage, postForm, type SignedInPage, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web aanmelden browser test")

/** A synthetic pupil; the gateway's today is 2026-11-16. */
const WESTLAND_PUPIL = {
  givenName: "Noor",
  familyName: "Verkerkvliet",
  birthDate: "2012-03-01", // 14: the parents consent
  bsn: "111222333",
}

describe.skipIf(missing)("aanmelden in Westland through the web app (headless Chromium)", () => {
  let gateway: Gateway
  let browser: Browser
  let referrer: Awaited<ReturnType<Gateway["user"]>>
  let referrerPage: SignedInPage
  beforeAll(async () => {
    gateway = await startGateway()
    browser = await launchChromium()
    referrer = await gateway.user(["referrer"], ["westland", "amstelland-meerlanden"], {
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

  it("refers a pupil to Westland through its own form: field errors first, then a refusal for consent by age, then accepted", async () => {
    const { page } = referrerPage
    // Two regions: first the choice.
    await page.goto(`${gateway.base}/aanmeldingen/nieuw`)
    expect(await page.locator("h1").textContent()).toBe("Aanmelden: kies de regio")
    await expectGoodPage(referrerPage)
    await page.click("text=Westland")
    expect(new URL(page.url()).search).toBe("?regio=westland")
    expect(await page.locator("h1").textContent()).toBe("Aanmelden bij Westland")
    // Westland's own fields, with the labels and help texts of its plug-in's schema.
    const regionSection = page.locator("section[aria-labelledby=kop-regio]")
    expect(await regionSection.locator("h2").textContent()).toBe("Aanmelding schoolverzuim Westland")
    expect(await regionSection.textContent()).toContain("Aanmeldende instantie")
    expect(await regionSection.textContent()).toContain(
      "School, Leerplicht of de jeugdgezondheidszorg (JGZ).",
    )
    // A choice's label is the title its schema gives it.
    expect(await page.locator(`label[for="veld-extension-aanmeldendeInstantie-2"]`).textContent()).toBe(
      "Jeugdgezondheidszorg (JGZ)",
    )
    // Required as announced: the `required` attribute, or aria-required on a textarea.
    const required = (selector: string) =>
      page
        .locator(selector)
        .evaluate((el) => el.hasAttribute("required") || el.getAttribute("aria-required") === "true")
    expect(await required(id("extension.hulpvraag"))).toBe(true)
    expect(await required(id("pupil.name.prefix"))).toBe(false)
    expect(await page.locator("text=Amstelland").count()).toBe(0)
    await expectGoodPage(referrerPage)

    // Field errors: only a first name. Each error sits next to its field, the summary links to it.
    await page.fill(id("pupil.name.givenName"), WESTLAND_PUPIL.givenName)
    await page.fill(id("pupil.personNumber"), "123456789")
    await submit(page)
    expect(await page.title()).toMatch(/^Fout: /)
    const links = await summaryLinks(page)
    expect(links).toEqual(
      expect.arrayContaining([
        id("pupil.name.familyName"),
        id("pupil.birthDate"),
        id("pupil.personNumber"),
        id("verzuimKind"),
        id("reasons"),
        id("extension.hulpvraag"),
        id("extension.aanmeldendeInstantie"),
      ]),
    )
    expect(await page.locator(`${id("pupil.birthDate")}-fout`).textContent()).toBe("is verplicht")
    expect(await page.locator(`${id("pupil.personNumber")}-fout`).textContent()).toContain("elfproef")
    expect(await page.getAttribute(id("pupil.birthDate"), "aria-invalid")).toBe("true")
    // The input is kept.
    expect(await page.inputValue(id("pupil.name.givenName"))).toBe(WESTLAND_PUPIL.givenName)
    expect(await page.inputValue(id("pupil.personNumber"))).toBe("123456789")
    // The summary's link takes the keyboard to the field.
    await page.click(`.vr-error-summary a[href="${id("pupil.birthDate")}"]`)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("veld-pupil-birthDate")
    await expectGoodPage(referrerPage)

    // A 14-year-old with only her own consent: the region refuses, the parents must consent.
    await fillCommon(page, WESTLAND_PUPIL, "relatief")
    await page.fill(id("pupil.personNumber"), WESTLAND_PUPIL.bsn)
    await page.fill(`${id("toestemming.leerling.givenOn")}`, "2026-11-10")
    await page.selectOption(id("toestemming.leerling.method"), "mondeling")
    await page.check(`${id("extension.aanmeldendeInstantie")}-0`)
    await page.fill(id("extension.hulpvraag"), "Noor is vaak afwezig; de school weet niet wat er speelt.")
    await submit(page)
    expect(await page.locator(".vr-error-summary h2").textContent()).toBe(
      "De regio neemt deze aanmelding zo niet aan",
    )
    expect(await summaryLinks(page)).toEqual(["#veld-toestemming"])
    const consent = await page.locator("#veld-toestemming").textContent()
    expect(consent).toContain("toestemming ouders ontbreekt")
    expect(consent).toContain("Deze leerling is vandaag 14 jaar: toestemming van de ouders is nodig")
    expect(await page.inputValue(id("extension.hulpvraag"))).toContain("Noor is vaak afwezig")
    expect(await page.inputValue(id("pupil.birthDate"))).toBe(WESTLAND_PUPIL.birthDate)
    await expectGoodPage(referrerPage)

    // With the parents' consent: accepted, to the confirmation page.
    await page.fill(id("toestemming.ouders.givenOn"), "2026-11-12")
    await page.fill(id("toestemming.ouders.givenBy"), "moeder")
    await page.selectOption(id("toestemming.ouders.method"), "schriftelijk")
    await submit(page)
    expect(new URL(page.url()).pathname).toMatch(/^\/aanmeldingen\/ref_[A-Za-z0-9_-]+$/)
    expect(await page.locator("h1").textContent()).toBe("Aanmelding bij Westland")
    expect(await page.locator("main").textContent()).toContain("De regio heeft uw aanmelding ontvangen.")
    expect(await page.locator("main").textContent()).toContain("Aangemeld")
    await expectGoodPage(referrerPage)
    const referralId = new URL(page.url()).pathname.split("/")[2] as string

    // The region's case worker finds the case over the API.
    const status = await gateway.request("GET", `/referrals/${referralId}`, { token: referrer.token })
    expect(status.status).toBe(200)
    const caseId = (status.json as { caseId: string }).caseId
    const worker = await gateway.user(["case-worker"], ["westland"], { name: "Fatima SMW" })
    const found = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
    expect(found.status).toBe(200)
    expect(found.text).toContain(WESTLAND_PUPIL.familyName)
    expect(found.text).toContain("Noor is vaak afwezig")
    const elsewhere = await gateway.user(["case-worker"], ["amstelland-meerlanden"])
    expect((await gateway.request("GET", `/cases/${caseId}`, { token: elsewhere.token })).status).toBe(404)
  }, 30_000)

  it("refuses the form without its CSRF token or from another origin", async () => {
    const { page, context } = referrerPage
    const cookie = await sessionCookie(context)
    const fields = { regionId: "westland", "pupil.name.givenName": "X" }
    expect((await postForm(gateway, "/aanmeldingen/nieuw", fields, { cookie })).status).toBe(403)
    await page.goto(`${gateway.base}/aanmeldingen/nieuw?regio=westland`)
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue()
    const foreign = await postForm(
      gateway,
      "/aanmeldingen/nieuw",
      { ...fields, _csrf: csrf },
      { cookie, origin: "https://kwaadwillend.example" },
    )
    expect(foreign.status).toBe(403)
    // Nothing was submitted.
    const own = await gateway.request("GET", "/referrals", { token: referrer.token })
    expect((own.json as { items: ReadonlyArray<unknown> }).items).toHaveLength(1)
    expect(
      identifyingInUrls(referrerPage.seen.requests, [
        WESTLAND_PUPIL.familyName,
        WESTLAND_PUPIL.bsn,
        WESTLAND_PUPIL.birthDate,
        WESTLAND_PUPIL.givenName,
      ]),
    ).toEqual([])
  }, 20_000)
})
