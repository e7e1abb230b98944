/// <reference lib="dom" />
/**
 * The dossier's forms in a real Chromium against a real gateway on a SQLite file, as a case
 * worker: log a contact, a home visit, a meeting with participants, an agreement and an action on
 * a case opened through the API; see a step's refusal reasons, do what it needs and take it; post
 * a form based on an old version (two tabs) and find the input kept; get a field error with the
 * error summary. Every state passes axe (0 violations); a form without its CSRF token is refused
 * (403); another region's case is "Niet gevonden" (404).
 */
import type { Referral } from "@verzuimregie/domain"
import { LocalDate } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium, watch } from "./support/browser.js"
import { type Gateway, referrerOf, startGateway, TODAY } from "./support/gateway.js"
import { csrfOf, expectGoodPage, postForm, type SignedInPage, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web dossier forms browser test")

describe.skipIf(missing)("the dossier's forms in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  beforeAll(async () => {
    gateway = await startGateway()
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
  })

  /** A case opened by a referral over the API, in the region's first state. */
  const openCase = async (regionId: string): Promise<string> => {
    const referrer = await gateway.user(["referrer"], [regionId], {
      organisation: `School ${regionId}`,
      partyRole: "coordinator-passend-onderwijs",
    })
    const plugin = gateway.config.regions.find((r) => r.region.id === regionId)?.plugin
    if (plugin === undefined) throw new Error(regionId)
    const body = {
      ...Fixtures.referralFor(plugin, { on: TODAY }),
      regionId,
      referrer: referrerOf(referrer),
    } as Referral.ReferralSubmission
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body })
    expect(created.status, created.text).toBe(201)
    return created.json.caseId as string
  }

  /** Submits the form on the page and waits for the answer (a redirect or the form again). */
  const submit = async (page: Page, label = "Vastleggen") => {
    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: label }).click()])
  }

  const expectLogged = (page: Page, caseId: string, kind: string) =>
    expect(page.url()).toBe(`${gateway.base}/dossiers/${caseId}?vastgelegd=${kind}`)

  /** Opens a page; a page state not checked before is checked as every page is (axe and more). */
  const open = async (signedIn: SignedInPage, path: string, check = true) => {
    await signedIn.page.goto(`${gateway.base}${path}`)
    if (check) await expectGoodPage(signedIn)
  }

  const timeline = async (token: string, caseId: string) => {
    const reply = await gateway.request("GET", `/cases/${caseId}/events`, { token })
    return reply.json as ReadonlyArray<{ event: Record<string, unknown> & { _tag: string } }>
  }

  it("logs contacts, a home visit, a meeting, an agreement and an action, and takes a step after its refusal (Er op af)", async () => {
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

  it("keeps the typed input when the case changed meanwhile, refuses a form without its token, hides another region's case", async () => {
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
    const steps = await postForm(gateway, `${base}/stappen/niet-starten`, { version }, { cookie })
    expect(steps.status).toBe(403)

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
