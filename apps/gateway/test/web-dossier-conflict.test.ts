/// <reference lib="dom" />
/**
 * The dossier's forms under pressure, in Chromium on a Westland case: a form based on an old
 * version (the same form in two tabs, both submitted) shows the fresh state with the typed input
 * kept; a closing step without outcome and reason shows the error summary; a form without its
 * CSRF token is refused (403); another region's case is "Niet gevonden" (404) on every form.
 */
import type { Browser } from "playwright-core"
import { describe, expect, it } from "vitest"
import { chromiumMissing, watch } from "./support/browser.js"
import { dossierSteps } from "./support/dossier.js"
import { type Gateway, TODAY } from "./support/gateway.js"
import { csrfOf, expectGoodPage, gatewayAndChromium, postForm, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web dossier conflict browser test")

describe.skipIf(missing)("the dossier's forms under pressure in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  const steps = () => dossierSteps(gateway)

  it("keeps the typed input when the case changed meanwhile, refuses a form without its token, hides another region's case", async () => {
    const { openCase, open, submit, expectLogged, timeline } = steps()
    const region = "westland"
    const worker = await gateway.user(["case-worker"], [region], {
      name: "Yusuf Casusregisseur",
      partyRole: "smw-verzuim",
    })
    const caseId = await openCase(region)
    const elsewhere = await openCase("leidschendam-voorburg")
    const signedIn = await signIn(browser, gateway, worker.token)
    const { page } = signedIn
    const base = `/dossiers/${caseId}`

    // Two tabs open the same form; the first one submits.
    const second = await signedIn.context.newPage()
    const secondSeen = watch(second, gateway.base)
    await open(signedIn, `${base}/vastleggen/contact`, false)
    await second.goto(`${gateway.base}${base}/vastleggen/contact`)
    await page.selectOption("#veld-with", "ouder")
    await page.check("label:has-text('Telefoon')")
    await submit(page)
    expectLogged(page, caseId, "contact")

    // The second tab's form is based on the old version: the message, the fresh state, the input kept.
    await second.selectOption("#veld-with", "leerling")
    await second.check("label:has-text('E-mail')")
    await second.fill("#veld-summary", "Leerling mailde dat hij maandag komt.")
    await submit(second)
    expect(await second.locator("h2", { hasText: "De casus is intussen gewijzigd" }).count()).toBe(1)
    expect(await second.locator("#stand-kop").count()).toBe(1)
    expect(await second.locator(".vr-data-list").textContent()).toContain("Contacten1")
    expect(await second.inputValue("#veld-summary")).toBe("Leerling mailde dat hij maandag komt.")
    expect(await second.inputValue("#veld-with")).toBe("leerling")
    expect(await second.isChecked("label:has-text('E-mail')")).toBe(true)
    await expectGoodPage({ page: second, seen: secondSeen })
    // Submitted again after reading the fresh state, it is logged.
    await submit(second)
    expectLogged(second, caseId, "contact")
    expect(
      (await timeline(worker.token, caseId)).filter((e) => e.event._tag === "ContactLogged"),
    ).toHaveLength(2)

    // A step that closes asks for an outcome; Westland's "niet starten" also for a reason.
    await open(signedIn, `${base}/stappen/niet-starten`, false)
    // Spaces pass the browser's own check of a required field; the server's check does not.
    await page.fill("#veld-reason", "   ")
    await submit(page, "Stap zetten")
    expect(await page.title()).toMatch(/^Fout: /)
    expect(await page.locator(".vr-error-summary a").allTextContents()).toEqual(
      expect.arrayContaining(["Uitkomst: kies een uitkomst", "Reden: geef een reden op"]),
    )
    await expectGoodPage(signedIn)

    // Without the CSRF token: 403, nothing logged.
    await open(signedIn, `${base}/vastleggen/contact`, false)
    const version = await page.inputValue("input[name=version]")
    const cookie = await sessionCookie(signedIn.context)
    const forged = await postForm(
      gateway,
      `${base}/vastleggen/contact`,
      { version, on: TODAY, with: "ouder", channel: "brief" },
      { cookie },
    )
    expect(forged.status).toBe(403)
    expect(await forged.text()).toContain("Formulier niet geaccepteerd")
    const withToken = await postForm(
      gateway,
      `${base}/vastleggen/contact`,
      { _csrf: await csrfOf(page), version, on: TODAY, with: "ouder", channel: "brief" },
      { cookie },
    )
    expect(withToken.status).toBe(303)
    const forgedStep = await postForm(gateway, `${base}/stappen/niet-starten`, { version }, { cookie })
    expect(forgedStep.status).toBe(403)

    // Another region's case: not found, on every page of the forms.
    for (const path of ["vastleggen", "vastleggen/contact", "stappen/niet-starten"]) {
      await page.goto(`${gateway.base}/dossiers/${elsewhere}/${path}`)
      expect(await page.locator("h1").textContent()).toBe("Niet gevonden")
    }
    await expectGoodPage(signedIn)
    const response = await page.goto(`${gateway.base}/dossiers/${elsewhere}/vastleggen/contact`)
    expect(response?.status()).toBe(404)
    await signedIn.close()
  }, 60_000)
})
