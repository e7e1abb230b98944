/// <reference lib="dom" />
/**
 * The dossier's forms in a real Chromium against a real gateway on a SQLite file, as a case
 * worker: log a contact, a home visit, a meeting with participants, an agreement and an action on
 * a case opened through the API; see a step's refusal reasons, do what it needs and take it; get
 * a field error with the error summary. Every state passes axe (0 violations). The version
 * conflict, CSRF and other-region checks are in `web-dossier-conflict.test.ts` (each file stays
 * under 20 s).
 */
import { LocalDate } from "@verzuimregie/domain"
import type { Browser } from "playwright-core"
import { describe, expect, it } from "vitest"
import { chromiumMissing } from "./support/browser.js"
import { dossierSteps } from "./support/dossier.js"
import { type Gateway, TODAY } from "./support/gateway.js"
import { expectGoodPage, gatewayAndChromium, signIn } from "./support/web.js"

const missing = chromiumMissing("web dossier forms browser test")

describe.skipIf(missing)("the dossier's forms in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  const steps = () => dossierSteps(gateway)

  it("logs contacts, a home visit, a meeting, an agreement and an action, and takes a step after its refusal (Er op af)", async () => {
    const { openCase, open, submit, expectLogged, timeline } = steps()
    const region = "leidschendam-voorburg"
    const worker = await gateway.user(["case-worker"], [region], {
      name: "Sanne Casusregisseur",
      partyRole: "smw-verzuim",
    })
    const caseId = await openCase(region)
    const signedIn = await signIn(browser, gateway, worker.token)
    const { page } = signedIn
    const base = `/dossiers/${caseId}`

    // The index: the forms the plug-in allows in this state, and the steps.
    await open(signedIn, `${base}/vastleggen`)
    expect(await page.locator("h1").textContent()).toBe("Vastleggen in de casus")
    const links = await page.locator(".vr-form-index a").allTextContents()
    expect(links).toContain("Contact vastleggen")
    expect(links).toContain("Overleg vastleggen")
    expect(links).not.toContain("Actie afronden") // no open action yet

    // The step first: refused, with the plug-in's reasons, and no button to take it.
    await open(signedIn, `${base}/stappen/start-kennismaking`)
    expect(await page.locator("h1").textContent()).toBe("Kennismaking starten")
    expect(await page.locator(".vr-step-reasons").textContent()).toContain("nog geen regiehouder")
    expect(await page.getByRole("button", { name: "Stap zetten" }).count()).toBe(0)

    // What it needs: a regiehouder, chosen from the region's staff (no id typed).
    await open(signedIn, `${base}/vastleggen/regiehouder`)
    await page.selectOption("#veld-regiehouder-userId", { label: "Sanne Casusregisseur" })
    await submit(page)
    expectLogged(page, caseId, "regiehouder")

    await open(signedIn, `${base}/stappen/start-kennismaking`)
    await submit(page, "Stap zetten")
    expect(page.url()).toBe(`${gateway.base}${base}?stap=start-kennismaking`)

    // A contact: the date of a fact is filled in with today.
    await open(signedIn, `${base}/vastleggen/contact`)
    expect(await page.inputValue("#veld-on")).toBe(TODAY)
    await page.selectOption("#veld-with", "ouder")
    await page.check("label:has-text('Telefoon')")
    await page.fill("#veld-summary", "Moeder gebeld.\nAfspraak voor huisbezoek gemaakt.")
    await submit(page)
    expectLogged(page, caseId, "contact")

    // A field error: a contact dated after today; the summary links to the field, input kept.
    await open(signedIn, `${base}/vastleggen/contact`, false)
    await page.fill("#veld-on", LocalDate.addDays(TODAY, 10))
    await page.selectOption("#veld-with", "leerling")
    await page.check("label:has-text('Gesprek')")
    await page.fill("#veld-summary", "Gesprek met de leerling op school.")
    await submit(page)
    expect(await page.title()).toMatch(/^Fout: /)
    const summaryLink = page.locator(".vr-error-summary a")
    expect(await summaryLink.count()).toBe(1)
    expect(await summaryLink.getAttribute("href")).toBe("#veld-on")
    expect(await summaryLink.textContent()).toContain("ligt na vandaag")
    expect(await page.getAttribute("#veld-on", "aria-invalid")).toBe("true")
    expect(await page.inputValue("#veld-summary")).toBe("Gesprek met de leerling op school.")
    expect(await page.inputValue("#veld-with")).toBe("leerling")
    await expectGoodPage(signedIn)
    await page.fill("#veld-on", TODAY)
    await submit(page)
    expectLogged(page, caseId, "contact")

    // A home visit with who was there.
    await open(signedIn, `${base}/vastleggen/huisbezoek`)
    await page.check("#veld-attendees label:has-text('Ouder / verzorger')")
    await page.check("#veld-attendees label:text-is('Leerling')")
    await submit(page)
    expectLogged(page, caseId, "huisbezoek")

    // A meeting with participants, one with a mandate.
    await open(signedIn, `${base}/vastleggen/overleg`)
    await page.selectOption("#veld-meeting-kind", "mdo")
    await page.fill("#veld-meeting-participants-0--name", "Mentor De Vries")
    await page.selectOption("#veld-meeting-participants-0--role", "mentor")
    await page.fill("#veld-meeting-participants-1--name", "Leerplicht Jansen")
    await page.selectOption("#veld-meeting-participants-1--role", "leerplichtambtenaar")
    await page.check("#veld-meeting-participants-1--mandated-0")
    // Row 3 stays empty; row 4 names the JGZ: the list keeps two, then one more.
    await page.fill("#veld-meeting-participants-3--name", "JGZ Bakker")
    await page.selectOption("#veld-meeting-participants-3--role", "jeugdverpleegkundige")
    await page.check("#veld-meeting-reportFiled label:text-is('Ja')")
    await submit(page)
    expectLogged(page, caseId, "overleg")

    // An agreement made in that meeting.
    await open(signedIn, `${base}/vastleggen/afspraak`)
    await page.fill("#veld-agreement-description", "De leerling gaat drie ochtenden per week naar school.")
    await page.check("#veld-agreement-parties label:text-is('Leerling')")
    await page.check("#veld-agreement-parties label:text-is('Mentor')")
    await page.selectOption("#veld-agreement-meetingId", { index: 1 })
    await submit(page)
    expectLogged(page, caseId, "afspraak")

    // An action with an owner and a due date, for that agreement.
    await open(signedIn, `${base}/vastleggen/actie`)
    await page.fill("#veld-action-description", "Rooster aanpassen")
    await page.fill("#veld-action-owner-name", "Mentor De Vries")
    await page.selectOption("#veld-action-owner-role", "mentor")
    await page.fill("#veld-action-dueOn", LocalDate.addDays(TODAY, 14))
    await page.selectOption("#veld-action-agreementId", { index: 1 })
    await submit(page)
    expectLogged(page, caseId, "actie")

    // Now the action can be completed: the index offers it.
    await open(signedIn, `${base}/vastleggen`, false)
    expect(await page.locator(".vr-form-index a").allTextContents()).toContain("Actie afronden")

    const events = await timeline(worker.token, caseId)
    const byTag = (tag: string) => events.filter((e) => e.event._tag === tag).map((e) => e.event)
    expect(byTag("ContactLogged")).toHaveLength(2)
    expect(byTag("ContactLogged")[0]).toMatchObject({
      on: TODAY,
      with: "ouder",
      channel: "telefoon",
      summary: "Moeder gebeld.\nAfspraak voor huisbezoek gemaakt.",
    })
    expect(byTag("HomeVisitDone")[0]).toMatchObject({ attendees: ["leerling", "ouder"] })
    const meeting = byTag("MeetingHeld")[0]?.meeting as Record<string, unknown>
    expect(meeting.id).toMatch(/^mtg_/)
    expect(meeting).toMatchObject({
      kind: "mdo",
      reportFiled: true,
      participants: [
        { name: "Mentor De Vries", role: "mentor", mandated: false },
        { name: "Leerplicht Jansen", role: "leerplichtambtenaar", mandated: true },
        { name: "JGZ Bakker", role: "jeugdverpleegkundige", mandated: false },
      ],
    })
    const agreement = byTag("AgreementMade")[0]?.agreement as Record<string, unknown>
    expect(agreement).toMatchObject({ meetingId: meeting.id, parties: ["leerling", "mentor"] })
    expect(agreement.id).toMatch(/^agr_/)
    const action = byTag("ActionAssigned")[0]?.action as Record<string, unknown>
    expect(action).toMatchObject({
      description: "Rooster aanpassen",
      owner: { name: "Mentor De Vries", role: "mentor" },
      dueOn: LocalDate.addDays(TODAY, 14),
      agreementId: agreement.id,
    })
    expect(action.id).toMatch(/^act_/)
    expect(byTag("RegiehouderAssigned")[0]).toMatchObject({
      regiehouder: { name: "Sanne Casusregisseur", userId: worker.id },
    })
    await signedIn.close()
  }, 60_000)
})
