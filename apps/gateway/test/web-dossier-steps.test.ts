/// <reference lib="dom" />
/**
 * The dossier's steps and the region's own forms in Chromium, on an Amstelland case (its steps
 * differ from Er op af's and Westland's): a step refused with the plug-in's Dutch reasons, what
 * it needs logged, the step taken; an intervention chosen from the region's help catalogue (its
 * id made by the server) and then offered to end. Every new page state passes axe.
 */
import { LocalDate } from "@verzuimregie/domain"
import type { Browser } from "playwright-core"
import { describe, expect, it } from "vitest"
import { chromiumMissing } from "./support/browser.js"
import { dossierSteps } from "./support/dossier.js"
import { type Gateway, TODAY } from "./support/gateway.js"
import { expectGoodPage, gatewayAndChromium, signIn } from "./support/web.js"

const missing = chromiumMissing("web dossier steps browser test")

describe.skipIf(missing)("the dossier's steps in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  it("takes Amstelland's steps after their refusals and starts and ends help from the region's catalogue", async () => {
    const { openCase, open, submit, expectLogged, timeline } = dossierSteps(gateway)
    const region = "amstelland-meerlanden"
    const worker = await gateway.user(["case-worker"], [region], {
      name: "Noor Casemanager",
      partyRole: "casemanager-swv",
    })
    const caseId = await openCase(region)
    const signedIn = await signIn(browser, gateway, worker.token)
    const { page } = signedIn
    const base = `/dossiers/${caseId}`

    // The index names the region's steps; a beperkte melding's step is refused for an uitgebreide.
    await open(signedIn, `${base}/vastleggen`)
    expect(await page.locator("main").textContent()).toContain("Uitgebreide melding oppakken")
    await open(signedIn, `${base}/stappen/registreer-beperkt`)
    expect(await page.locator(".vr-step-reasons").textContent()).toContain(
      "de school deed een uitgebreide melding, geen beperkte",
    )
    // Withdrawing is for a coordinator.
    await open(signedIn, `${base}/stappen/intrekken`, false)
    expect(await page.locator(".vr-step-reasons").textContent()).toContain(
      "alleen een coördinator mag deze stap zetten",
    )

    await open(signedIn, `${base}/stappen/start-uitgebreid`, false)
    expect(await page.locator(".vr-step-reasons").textContent()).toContain("nog geen regiehouder")
    await page.click("text=Vastleggen wat nodig is")
    expect(new URL(page.url()).pathname).toBe(`${base}/vastleggen`)
    await page.click("text=Regiehouder toewijzen")
    await expectGoodPage(signedIn)
    await page.selectOption("#veld-regiehouder-userId", { label: "Noor Casemanager" })
    await submit(page)
    expectLogged(page, caseId, "regiehouder")

    await open(signedIn, `${base}/stappen/start-uitgebreid`)
    await submit(page, "Stap zetten")
    expect(page.url()).toBe(`${gateway.base}${base}?stap=start-uitgebreid`)

    // In onderzoek the MDO step names what is missing.
    await open(signedIn, `${base}/stappen/na-mdo`, false)
    expect(await page.locator(".vr-step-reasons li").count()).toBeGreaterThan(0)

    // Help from the region's catalogue: chosen by its name, the id and label made by the server.
    await open(signedIn, `${base}/vastleggen/interventie-start`)
    await page.selectOption("#veld-intervention-catalogueCode", { label: "Jeugdhulp" })
    await page.fill("#veld-intervention-provider", "Jeugdhulpaanbieder Noord")
    await page.fill("#veld-intervention-startedOn", LocalDate.addDays(TODAY, -2))
    await submit(page)
    expectLogged(page, caseId, "interventie-start")

    await open(signedIn, `${base}/vastleggen`, false)
    expect(await page.locator(".vr-form-index a").allTextContents()).toContain("Interventie beëindigen")
    await page.click("text=Interventie beëindigen")
    await expectGoodPage(signedIn)
    await page.selectOption("#veld-interventionId", { index: 1 })
    await page.check("#veld-result label:text-is('Afgerond')")
    await submit(page)
    expectLogged(page, caseId, "interventie-einde")

    const events = await timeline(worker.token, caseId)
    const started = events.find((e) => e.event._tag === "InterventionStarted")?.event.intervention as
      | Record<string, unknown>
      | undefined
    expect(started).toMatchObject({
      catalogueCode: "jeugdhulp",
      label: "Jeugdhulp",
      provider: "Jeugdhulpaanbieder Noord",
      startedOn: LocalDate.addDays(TODAY, -2),
    })
    expect(started?.id).toMatch(/^int_/)
    expect(events.find((e) => e.event._tag === "InterventionEnded")?.event).toMatchObject({
      interventionId: started?.id,
      endedOn: TODAY,
      result: "afgerond",
    })
    await signedIn.close()
  }, 60_000)
})
