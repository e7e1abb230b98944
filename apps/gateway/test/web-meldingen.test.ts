/// <reference lib="dom" />
/**
 * The notification settings page (`/instellingen/meldingen`) in headless Chromium against a real
 * gateway on SQLite: a case worker sees the defaults, changes kinds and the digest hour, and the
 * API reads back what the page saved (one use case for both doors); the pact alarm offers no "uit",
 * and a crafted form that switches it off is refused with a Dutch field error; a form without its
 * CSRF token is refused; a referrer gets the 403 page; axe-core finds 0 violations on every state.
 */
import type { Browser } from "playwright-core"
import { describe, expect, it } from "vitest"
import { chromiumMissing } from "./support/browser.js"
import type { Gateway } from "./support/gateway.js"
import { csrfOf, expectGoodPage, gatewayAndChromium, postForm, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web meldingen browser test")
const PATH = "/instellingen/meldingen"

describe.skipIf(missing)("the Meldingen page in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((g, b) => {
    gateway = g
    browser = b
  })

  it("shows the defaults, saves a change the API then reads, and passes axe", async () => {
    const worker = await gateway.user(["case-worker"], ["westland"])
    const signedIn = await signIn(browser, gateway, worker.token)
    const { page } = signedIn
    await page.click('nav >> text="Meldingen"')
    await page.waitForURL(`${gateway.base}${PATH}`)
    expect(await page.locator("h1").textContent()).toBe("Meldingen")
    expect(await page.locator("#veld-soort-actie-toegewezen").inputValue()).toBe("direct")
    expect(await page.locator("#veld-soort-actie-verlopen").inputValue()).toBe("dagelijks")
    expect(await page.locator("#veld-uur").inputValue()).toBe("7")
    // The pact alarm cannot be switched off: the page does not offer it.
    const pactOptions = await page.locator("#veld-soort-pact-alarm option").allTextContents()
    expect(pactOptions).toEqual(["Direct", "Dagelijks overzicht"])
    await expectGoodPage(signedIn)

    await page.selectOption("#veld-soort-nieuwe-aanmelding", "uit")
    await page.selectOption("#veld-soort-actie-toegewezen", "dagelijks")
    await page.selectOption("#veld-uur", "9")
    await page.click(`form[action="${PATH}"] button[type=submit]`)
    await page.waitForURL(`${gateway.base}${PATH}?opgeslagen=1`)
    expect(await page.locator(".utrecht-alert").textContent()).toContain("opgeslagen")
    expect(await page.locator("#veld-soort-nieuwe-aanmelding").inputValue()).toBe("uit")
    await expectGoodPage(signedIn)

    const api = await gateway.request("GET", "/me/notifications", { token: worker.token })
    expect(api.status, api.text).toBe(200)
    expect(api.json.digestHour).toBe(9)
    expect(api.json.modes["nieuwe-aanmelding"]).toBe("uit")
    expect(api.json.modes["actie-toegewezen"]).toBe("dagelijks")
    expect(api.json.modes["pact-alarm"]).toBe("direct")

    // A crafted form that switches the pact alarm off: refused on the field, in Dutch; nothing saved.
    const cookie = await sessionCookie(signedIn.context)
    const crafted = await postForm(
      gateway,
      PATH,
      { _csrf: await csrfOf(page), "soort-pact-alarm": "uit", uur: "10" },
      { cookie },
    )
    expect(crafted.status).toBe(422)
    const html = await crafted.text()
    // The title says the form was refused, as on every other refused form.
    expect(html).toContain("<title>Fout: Meldingen")
    expect(html).toContain("Het alarm van het Thuiszitterspact kan niet uit")
    expect(html).toContain('href="#veld-soort-pact-alarm"')
    const after = await gateway.request("GET", "/me/notifications", { token: worker.token })
    expect(after.json.digestHour).toBe(9)
    // The API refuses it alike, on the field.
    const put = await gateway.request("PUT", "/me/notifications", {
      token: worker.token,
      body: { modes: { "pact-alarm": "uit" } },
    })
    expect(put.status, put.text).toBe(422)
    expect(put.json.errors).toEqual([
      {
        path: "modes.pact-alarm",
        pointer: "/modes/pact-alarm",
        detail: "Het alarm van het Thuiszitterspact kan niet uit: kies direct of het dagelijks overzicht.",
      },
    ])

    // The refused form as a person sees it: the error summary links to the field; axe-clean.
    await page.evaluate(() => {
      const select = document.querySelector<HTMLSelectElement>("#veld-soort-pact-alarm")
      if (select !== null) select.add(new Option("Uit", "uit"))
    })
    await page.selectOption("#veld-soort-pact-alarm", "uit")
    await page.click(`form[action="${PATH}"] button[type=submit]`)
    await page.waitForSelector(".vr-error-summary")
    expect(await page.locator(".vr-error-summary").textContent()).toContain("kan niet uit")
    await expectGoodPage(signedIn)

    // Without the session's CSRF token, or from another origin: refused.
    expect((await postForm(gateway, PATH, { uur: "3" }, { cookie })).status).toBe(403)
    expect(
      (
        await postForm(
          gateway,
          PATH,
          { uur: "3", _csrf: "x" },
          { cookie, origin: "https://kwaadwillend.example" },
        )
      ).status,
    ).toBe(403)
    await signedIn.close()
  }, 120_000)

  it("a referrer has no notification settings: no menu entry, the 403 page", async () => {
    const referrer = await gateway.user(["referrer"], ["westland"])
    const signedIn = await signIn(browser, gateway, referrer.token)
    const { page } = signedIn
    expect(await page.locator('nav >> text="Meldingen"').count()).toBe(0)
    const response = await page.goto(`${gateway.base}${PATH}`)
    expect(response?.status()).toBe(403)
    expect(await page.locator("h1").textContent()).toBe("Geen toegang")
    await expectGoodPage(signedIn)
    await signedIn.close()
  }, 60_000)
})
