/// <reference lib="dom" />
/**
 * Aanmelden by someone who is not the pupil's school, in a real Chromium against a real gateway:
 * a leerplichtambtenaar of the gemeente chooses the pupil's school from the schools the
 * installation knows (the gemeente itself is not on the list; the referral carries the chosen
 * school, not the referrer's organisation), and a role the region does not take is refused in
 * readable Dutch role names, not their ids. Every state passes axe with 0 violations.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { id, submitReferralForm as submit, summaryLinks } from "./support/referral-form.js"
import { expectGoodPage, type SignedInPage, signIn } from "./support/web.js"

const missing = chromiumMissing("web aanmelden school browser test")
const SCHOOL_FIELD = id("pupil.enrolment.schoolId")

/** Westland's form filled in for a 14-year-old with her parents' consent, all but the school. */
const fillAllButSchool = async (page: Page, familyName: string, instantie: number) => {
  await page.fill(id("pupil.name.givenName"), "Noor")
  await page.fill(id("pupil.name.familyName"), familyName)
  await page.fill(id("pupil.birthDate"), "2012-03-01")
  await page.selectOption(id("pupil.enrolment.level"), "PO")
  await page.check('input[name="verzuimKind"][value="relatief"]')
  await page.check('input[name="reasons"][value="ongeoorloofd-verzuim"]')
  await page.fill(id("parents.0.name"), `M. ${familyName}`)
  await page.selectOption(id("parents.0.relation"), "moeder")
  await page.check(`${id("parents.0.hasParentalAuthority")}-0`)
  await page.fill(id("toestemming.ouders.givenOn"), "2026-11-12")
  await page.fill(id("toestemming.ouders.givenBy"), "moeder")
  await page.selectOption(id("toestemming.ouders.method"), "schriftelijk")
  await page.check(`${id("extension.aanmeldendeInstantie")}-${instantie}`)
  await page.fill(id("extension.hulpvraag"), "Noor is vaak afwezig.")
}

describe.skipIf(missing)(
  "aanmelden by a leerplichtambtenaar or another non-school (headless Chromium)",
  () => {
    let gateway: Gateway
    let browser: Browser
    let tulp: string
    beforeAll(async () => {
      gateway = await startGateway()
      browser = await launchChromium()
      tulp = await gateway.organisation("Basisschool De Tulp")
      await gateway.organisation("Het Westlandse Lyceum")
    }, 120_000)
    afterAll(async () => {
      await browser?.close()
      await gateway?.close()
    })

    it("lets a leerplichtambtenaar choose the pupil's school, and the referral carries that school", async () => {
      const leerplicht = await gateway.user(["referrer"], ["westland"], {
        name: "Lars Leerplicht",
        organisation: "Gemeente Westland",
        organisationKind: "gemeente",
        partyRole: "leerplichtambtenaar",
      })
      const signedIn: SignedInPage = await signIn(browser, gateway, leerplicht.token)
      const { page } = signedIn
      await page.goto(`${gateway.base}/aanmeldingen/nieuw`)
      expect(await page.locator("h1").textContent()).toBe("Aanmelden bij Westland")
      // A choice of the installation's schools; their own gemeente is not one; no free school name.
      const options = await page.locator(`${SCHOOL_FIELD} option`).allTextContents()
      expect(options).toEqual(expect.arrayContaining(["Basisschool De Tulp", "Het Westlandse Lyceum"]))
      expect(options).not.toContain("Gemeente Westland")
      expect(await page.locator(id("pupil.enrolment.schoolName")).count()).toBe(0)
      await expectGoodPage(signedIn)

      // An onderwijssoort without a school: the school is asked for, next to its field.
      await fillAllButSchool(page, "Tulpenveld", 1)
      await submit(page)
      expect(await summaryLinks(page)).toEqual([SCHOOL_FIELD])
      expect(await page.locator(`${SCHOOL_FIELD}-fout`).textContent()).toBe("is verplicht")
      await expectGoodPage(signedIn)

      await page.selectOption(SCHOOL_FIELD, { label: "Basisschool De Tulp" })
      await submit(page)
      expect(new URL(page.url()).pathname).toMatch(/^\/aanmeldingen\/ref_[A-Za-z0-9_-]+$/)
      const referralId = new URL(page.url()).pathname.split("/")[2] as string
      const status = await gateway.request("GET", `/referrals/${referralId}`, { token: leerplicht.token })
      const caseId = (status.json as { caseId: string }).caseId
      const worker = await gateway.user(["case-worker"], ["westland"])
      const found = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
      const referral = (
        found.json as {
          case: { referral: { pupil: { enrolment: unknown }; referrer: { organisationId: string } } }
        }
      ).case.referral
      expect(referral.pupil.enrolment).toEqual({
        schoolId: tulp,
        schoolName: "Basisschool De Tulp",
        level: "PO",
      })
      expect(referral.referrer.organisationId).toBe(leerplicht.organisationId)
      // The API offers the same schools (`Referrals.schools`), and no own school for a gemeente.
      const schools = await gateway.request("GET", "/referrals/schools", { token: leerplicht.token })
      expect(schools.status).toBe(200)
      const listed = schools.json as { own: unknown; schools: ReadonlyArray<{ id: string; name: string }> }
      expect(listed.own).toBeNull()
      expect(listed.schools).toEqual(
        expect.arrayContaining([{ id: tulp, name: "Basisschool De Tulp", brin: null }]),
      )
      expect(listed.schools.map((s) => s.name)).not.toContain("Gemeente Westland")
      await signedIn.close()
    }, 40_000)

    it("offers a school its own name as the pupil's school", async () => {
      const school = await gateway.user(["referrer"], ["westland"], {
        organisation: "Basisschool De Tulp",
        partyRole: "mentor",
      })
      const signedIn = await signIn(browser, gateway, school.token)
      await signedIn.page.goto(`${gateway.base}/aanmeldingen/nieuw`)
      expect(await signedIn.page.inputValue(id("pupil.enrolment.schoolName"))).toBe("Basisschool De Tulp")
      expect(await signedIn.page.locator(SCHOOL_FIELD).count()).toBe(0)
      await signedIn.close()
    }, 20_000)

    it("names the roles in Dutch when the region does not take the referrer's role", async () => {
      const smw = await gateway.user(["referrer"], ["westland"], {
        name: "Sam SMW",
        organisation: "SMW Westland",
        organisationKind: "schoolmaatschappelijk-werk",
        partyRole: "smw-verzuim",
      })
      const signedIn = await signIn(browser, gateway, smw.token)
      const { page } = signedIn
      await page.goto(`${gateway.base}/aanmeldingen/nieuw`)
      // Said before the form is filled in, in Dutch role names.
      expect(await page.locator("main [role=status]").first().textContent()).toContain(
        "Westland neemt geen aanmeldingen aan van een schoolmaatschappelijk werker verzuim. Wel van: coördinator passend onderwijs, mentor",
      )
      await expectGoodPage(signedIn)
      await fillAllButSchool(page, "Rozenhof", 0)
      await page.selectOption(SCHOOL_FIELD, { label: "Het Westlandse Lyceum" })
      await submit(page)
      const summary = (await page.locator(".vr-error-summary").textContent()) ?? ""
      expect(summary).toContain(
        "Schoolmaatschappelijk werker verzuim kan in deze regio niet aanmelden; wel: coördinator passend onderwijs, mentor, teamleider, leerplichtambtenaar, jeugdarts (JGZ), jeugdverpleegkundige (JGZ)",
      )
      expect(summary).not.toContain("smw-verzuim")
      expect(summary).not.toContain("coordinator-passend-onderwijs")
      await expectGoodPage(signedIn)
      await signedIn.close()
    }, 30_000)
  },
)
