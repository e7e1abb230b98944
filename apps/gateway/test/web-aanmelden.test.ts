/// <reference lib="dom" />
/**
 * Aanmelden through the web app, as a school's coördinator passend onderwijs would, in a real
 * Chromium against a real gateway on a real SQLite file: the referral form of two regions, each
 * rendered from its plug-in's form schema (Westland's and Amstelland's own fields); a submit with
 * field errors (next to their fields, the summary's links reach them, the input is kept); a
 * referral the region refuses because the consent the pupil's age asks is missing; the
 * confirmation page and Mijn aanmeldingen; another referrer's referral is "niet gevonden"; a form
 * without its CSRF token is refused; the region's case worker then finds the case over the API.
 * Every state passes axe with 0 violations, and no name, BSN or birth date is ever in a URL.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { expectGoodPage, postForm, type SignedInPage, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web aanmelden browser test")

/** Synthetic pupils; the gateway's today is 2026-11-16. */
const WESTLAND_PUPIL = {
  givenName: "Noor",
  familyName: "Verkerkvliet",
  birthDate: "2012-03-01", // 14: the parents consent
  bsn: "111222333",
}
const AMSTELLAND_PUPIL = {
  givenName: "Daan",
  familyName: "Hoogeboomstra",
  birthDate: "2009-06-10", // 17: the pupil consents, the parents are informed
}

const id = (name: string) => `#veld-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`

/** The fields every region asks, filled in as a school would. */
const fillCommon = async (
  page: Page,
  pupil: { givenName: string; familyName: string; birthDate: string },
  verzuimKind: string,
) => {
  await page.fill(id("pupil.name.givenName"), pupil.givenName)
  await page.fill(id("pupil.name.familyName"), pupil.familyName)
  await page.fill(id("pupil.birthDate"), pupil.birthDate)
  await page.fill(id("pupil.enrolment.schoolName"), "Het Westlandse Lyceum")
  await page.selectOption(id("pupil.enrolment.level"), "VO")
  await page.check(`input[name="verzuimKind"][value="${verzuimKind}"]`)
  await page.check('input[name="reasons"][value="ongeoorloofd-verzuim"]')
  await page.fill(id("parents.0.name"), "M. Verkerkvliet")
  await page.selectOption(id("parents.0.relation"), "moeder")
  await page.check(`${id("parents.0.hasParentalAuthority")}-0`)
}

const submit = async (page: Page) => {
  await Promise.all([
    page.waitForLoadState("load"),
    page.click("form[action='/aanmeldingen/nieuw'] button[type=submit]"),
  ])
}

const summaryLinks = (page: Page) =>
  page.locator(".vr-error-summary a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))

describe.skipIf(missing)("aanmelden in the web app (headless Chromium)", () => {
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
    expect(await page.locator(`${id("extension.hulpvraag")}`).getAttribute("required")).not.toBeNull()
    expect(await page.locator(id("pupil.name.prefix")).getAttribute("required")).toBeNull()
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

  it("refers a 17-year-old to Amstelland through its own form and sees both referrals in Mijn aanmeldingen", async () => {
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
    // The confirmation page's state was checked with axe for Westland.
    expect(await page.locator("h1").textContent()).toBe("Aanmelding bij Amstelland en de Meerlanden")

    await page.click("text=Naar Mijn aanmeldingen")
    expect(await page.locator("h1").textContent()).toBe("Mijn aanmeldingen")
    const rows = page.locator("table tbody tr")
    expect(await rows.count()).toBe(2)
    const table = await page.locator("table").textContent()
    expect(table).toContain("Daan Hoogeboomstra")
    expect(table).toContain("Noor Verkerkvliet")
    expect(table).toContain("Westland")
    expect(table).toContain("Amstelland en de Meerlanden")
    await expectGoodPage(referrerPage)

    // Nothing that identifies a pupil was ever in a requested URL.
    const identifying = [
      WESTLAND_PUPIL.familyName,
      WESTLAND_PUPIL.bsn,
      WESTLAND_PUPIL.birthDate,
      AMSTELLAND_PUPIL.familyName,
      AMSTELLAND_PUPIL.birthDate,
      "Noor",
      "Daan",
    ]
    for (const url of referrerPage.seen.requests)
      for (const value of identifying) expect(decodeURIComponent(url)).not.toContain(value)
  }, 30_000)

  it("keeps referrals to their referrer, refuses a form without its CSRF token and other roles", async () => {
    const { page, context } = referrerPage
    await page.goto(`${gateway.base}/aanmeldingen`)
    const own = await page.locator("table tbody a").first().getAttribute("href")
    expect(own).toMatch(/^\/aanmeldingen\/ref_/)

    // A colleague at the same school sees neither the referral nor the pupil.
    const colleague = await gateway.user(["referrer"], ["westland"], {
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
      expect(await other.page.locator("h1").textContent()).toBe("Aanmelden bij Westland")
    } finally {
      await other.close()
    }

    // No CSRF token, or another origin: refused, nothing submitted.
    const cookie = await sessionCookie(context)
    const fields = { regionId: "westland", "pupil.name.givenName": "X" }
    expect((await postForm(gateway, "/aanmeldingen/nieuw", fields, { cookie })).status).toBe(403)
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue()
    expect(
      (
        await postForm(
          gateway,
          "/aanmeldingen/nieuw",
          { ...fields, _csrf: csrf },
          {
            cookie,
            origin: "https://kwaadwillend.example",
          },
        )
      ).status,
    ).toBe(403)
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
