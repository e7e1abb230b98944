/// <reference lib="dom" />
/**
 * From a school's absence signal to a referral, in Debian's Chromium against a real gateway on
 * SQLite: "Aanmelden" on the meldplicht signal of a planted pupil opens Westland's referral form
 * with the pupil (name split, birth date), the kind of verzuim and the absence summary filled in and
 * the signal's id in a hidden field; the school completes and sends it; the referral carries the
 * summary and the imported records; the signal shows "Aangemeld"; the region's case worker sees the
 * school's absence in the dossier. Another school's signal id on the form is "Niet gevonden".
 * axe-core 0 violations on every page state; no pupil data in any address.
 */
import { AbsenceSignal } from "@verzuimregie/domain"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { AS_OF, nameOf, plantedFile, REGION, signalHref, uploadThroughPage } from "./support/absence-web.js"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { id, identifyingInUrls, submitReferralForm } from "./support/referral-form.js"
import { expectGoodPage, type SignedInPage, signIn } from "./support/web.js"

const missing = chromiumMissing("web absence referral browser test")

describe.skipIf(missing)("referring a pupil from a school's absence signal", () => {
  let gateway: Gateway
  let browser: Browser
  let school: SignedInPage
  let user: Awaited<ReturnType<Gateway["user"]>>
  let planted: Awaited<ReturnType<typeof plantedFile>>

  beforeAll(async () => {
    gateway = await startGateway({ today: AS_OF })
    browser = await launchChromium()
    user = await gateway.user(["school-verzuim", "referrer"], [REGION], {
      organisation: "Het Westlandse Lyceum",
      partyRole: "coordinator-passend-onderwijs",
    })
    school = await signIn(browser, gateway, user.token)
    planted = await plantedFile(gateway)
    await uploadThroughPage(school.page, gateway, planted.path)
    expect(await school.page.locator("h1").textContent(), await school.page.locator("main").innerText()).toBe(
      "Verzuim ingelezen",
    )
  }, 120_000)
  afterAll(async () => {
    await school?.close()
    await browser?.close()
    await gateway?.close()
  })

  it("fills the region's form from the signal, sends it with the link, and the case worker sees the school's absence", async () => {
    const { page } = school
    const index = planted.pupils.findIndex((p) => p.expected.includes("meldplicht"))
    const pupil = planted.pupils[index]!
    const label = AbsenceSignal.signalTypeLabel.meldplicht
    await page.goto(`${gateway.base}/verzuim`)
    const href = await signalHref(page, label, pupil.pupilNumber)
    const signalId = href.split("/").at(-1) as string
    await page.goto(`${gateway.base}${href}`)
    await Promise.all([page.waitForLoadState("load"), page.click("main a:has-text('Aanmelden')")])
    expect(page.url()).toBe(`${gateway.base}/aanmeldingen/nieuw?signaal=${signalId}`)
    expect(await page.locator("h1").textContent()).toBe("Aanmelden bij Westland")
    expect(await page.locator("main [role=status]").first().textContent()).toContain(
      "Aanmelding vanuit een verzuimsignaal",
    )
    expect(await page.inputValue('input[name="signaal"]')).toBe(signalId)
    // The pupil and the absence, filled in from the school's data.
    const [givenName, ...rest] = nameOf(index).split(" ")
    expect(await page.inputValue(id("pupil.name.givenName"))).toBe(givenName)
    expect(
      [await page.inputValue(id("pupil.name.prefix")), await page.inputValue(id("pupil.name.familyName"))]
        .filter((x) => x !== "")
        .join(" "),
    ).toBe(rest.join(" "))
    expect(await page.inputValue(id("pupil.birthDate"))).toBe(pupil.birthDate)
    expect(await page.isChecked('input[name="verzuimKind"][value="relatief"]')).toBe(true)
    expect(await page.isChecked('input[name="reasons"][value="ongeoorloofd-verzuim"]')).toBe(true)
    // The hours of the last 4 school weeks before today, as the draft computed them.
    const hours = Number((await page.inputValue(id("absence.unauthorisedHoursLast4Weeks"))).replace(",", "."))
    expect(Number.isFinite(hours)).toBe(true)
    expect(await page.inputValue(id("absence.description"))).toContain(label)
    await expectGoodPage(school)

    // The rest, as the school fills it in: 14 years old, so the parents consent.
    await page.selectOption(id("pupil.enrolment.level"), "VO")
    await page.fill(id("parents.0.name"), "M. Ouder")
    await page.selectOption(id("parents.0.relation"), "moeder")
    await page.check(`${id("parents.0.hasParentalAuthority")}-0`)
    await page.fill(id("toestemming.ouders.givenOn"), "2027-03-15")
    await page.fill(id("toestemming.ouders.givenBy"), "moeder")
    await page.selectOption(id("toestemming.ouders.method"), "schriftelijk")
    await page.check(`${id("extension.aanmeldendeInstantie")}-0`)
    await page.fill(
      id("extension.hulpvraag"),
      "Veel ongeoorloofd verzuim; de school wil samen met de regio verder.",
    )
    await submitReferralForm(page)
    expect(new URL(page.url()).pathname).toMatch(/^\/aanmeldingen\/ref_[A-Za-z0-9_-]+$/)
    const referralId = new URL(page.url()).pathname.split("/")[2] as string
    await expectGoodPage(school)

    // The signal now says Aangemeld, with the referral.
    await page.goto(`${gateway.base}${href}`)
    const detail = await page.locator("main dl").textContent()
    expect(detail).toContain("StatusAangemeld")
    expect(detail).toContain(`Aanmelding${referralId}`)
    expect(await page.locator("main a:has-text('Aanmelden')").count()).toBe(0)

    // The referral carries the absence summary and the school's records.
    const status = await gateway.request("GET", `/referrals/${referralId}`, { token: user.token })
    expect(status.status).toBe(200)
    const caseId = (status.json as { caseId: string }).caseId
    const worker = await gateway.user(["case-worker"], [REGION], { name: "Fatima SMW" })
    const found = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
    expect(found.status).toBe(200)
    const absence = found.json.case.referral.absence as {
      unauthorisedHoursLast4Weeks?: number
      records: ReadonlyArray<{ date: string }>
    }
    expect(absence.unauthorisedHoursLast4Weeks).toBe(hours)
    expect(absence.records.length).toBeGreaterThan(0)
    for (const record of absence.records) expect(pupil.records.some((r) => r.date === record.date)).toBe(true)

    // The case worker's dossier: the school's absence, linked.
    const workerPage = await signIn(browser, gateway, worker.token)
    try {
      await workerPage.page.goto(`${gateway.base}/dossiers/${caseId}`)
      const section = workerPage.page.locator("section[aria-labelledby=kop-schoolverzuim]")
      expect(await section.locator("h2").textContent()).toBe("Verzuim uit de schooladministratie")
      const text = await section.textContent()
      expect(text).toContain(pupil.pupilNumber)
      expect(text).toContain(label)
      expect(await section.locator("caption").allTextContents()).toEqual([
        "Signalen van de school over deze leerling",
        "Verzuim per maand volgens de schooladministratie",
      ])
      await expectGoodPage(workerPage)
    } finally {
      await workerPage.close()
    }
    expect(
      identifyingInUrls(school.seen.requests, [pupil.pupilNumber, nameOf(index), pupil.birthDate]),
    ).toEqual([])
  }, 30_000)

  it("does not fill the form from another school's signal", async () => {
    const { page } = school
    await page.goto(`${gateway.base}/verzuim`)
    const pupil = planted.pupils.find((p) => p.expected.includes("meldplicht"))!
    // Any signal of this school, opened by a school user of another school.
    const luxe = planted.pupils.find((p) => p.expected.includes("luxe-verzuim"))!
    const href = await signalHref(page, AbsenceSignal.signalTypeLabel["luxe-verzuim"], luxe.pupilNumber)
    const other = await gateway.user(["school-verzuim", "referrer"], [REGION], {
      organisation: "De Andere School",
      partyRole: "coordinator-passend-onderwijs",
    })
    const otherPage = await signIn(browser, gateway, other.token)
    try {
      const answer = await otherPage.page.goto(
        `${gateway.base}/aanmeldingen/nieuw?signaal=${href.split("/").at(-1)}`,
      )
      expect(answer?.status()).toBe(404)
      expect(await otherPage.page.locator("h1").textContent()).toBe("Niet gevonden")
      expect(await otherPage.page.locator("main").textContent()).not.toContain(pupil.pupilNumber)
      await expectGoodPage(otherPage)
    } finally {
      await otherPage.close()
    }
  })
})
