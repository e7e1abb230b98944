/// <reference lib="dom" />
/**
 * Who sees what of a school's absence in the web app, in Debian's Chromium against a real gateway
 * on SQLite: a coordinator sees open signals per school and kind as numbers ("< 5"), never a pupil,
 * and gets "Geen toegang" on the school's pages and on a signal's address; a school user of another
 * school gets "Niet gevonden" for the signal and an empty list; a case worker "Geen toegang". Every
 * new page answers with the pages' CSP and `no-store`. Forms without their CSRF token, or from
 * another origin, are refused, and a refused upload leaves nothing behind; a file past the upload
 * limit gets the form back with 413.
 */
import { readdir } from "node:fs/promises"
import { tmpdir } from "node:os"
import { AbsenceSignal } from "@verzuimregie/domain"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  AS_OF,
  mappingValue,
  PERIOD,
  plantedFile,
  REGION,
  signalHref,
  uploadThroughPage,
  writeTemp,
} from "./support/absence-web.js"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { expectGoodPage, postForm, type SignedInPage, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web absence access browser test")

/** The upload limit of this file's gateway: the planted export fits, a bigger file does not. */
const LIMIT = 256 * 1024

describe.skipIf(missing)("who sees what of a school's absence in the web app", () => {
  let gateway: Gateway
  let browser: Browser
  let school: SignedInPage
  let planted: Awaited<ReturnType<typeof plantedFile>>
  let signalPath = ""

  beforeAll(async () => {
    gateway = await startGateway({ today: AS_OF, uploadLimitBytes: LIMIT })
    browser = await launchChromium()
    const user = await gateway.user(["school-verzuim", "referrer"], [REGION], {
      organisation: "Het Westlandse Lyceum",
      partyRole: "coordinator-passend-onderwijs",
    })
    school = await signIn(browser, gateway, user.token)
    planted = await plantedFile(gateway)
    await uploadThroughPage(school.page, gateway, planted.path)
    expect(await school.page.locator("h1").textContent(), await school.page.locator("main").innerText()).toBe(
      "Verzuim ingelezen",
    )
    await school.page.goto(`${gateway.base}/verzuim`)
    const pupil = planted.pupils.find((p) => p.expected.includes("meldplicht"))!
    signalPath = await signalHref(school.page, AbsenceSignal.signalTypeLabel.meldplicht, pupil.pupilNumber)
  }, 120_000)
  afterAll(async () => {
    await school?.close()
    await browser?.close()
    await gateway?.close()
  })

  it("answers every new page with the pages' CSP and no-store", async () => {
    const cookie = await sessionCookie(school.context)
    for (const path of [
      "/verzuim",
      "/verzuim?status=alle&soort=meldplicht",
      signalPath,
      "/verzuim/importeren",
      "/verzuim/duo",
    ]) {
      const answer = await fetch(`${gateway.base}${path}`, { headers: { cookie } })
      expect(answer.status, path).toBe(200)
      const csp = answer.headers.get("content-security-policy") ?? ""
      expect(csp, path).toContain("default-src 'none'")
      expect(csp, path).toContain("form-action 'self'")
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/)
      expect(answer.headers.get("cache-control"), path).toBe("no-store")
      expect(answer.headers.get("x-frame-options"), path).toBe("DENY")
    }
  })

  it("shows a coordinator counts per school and kind, no pupils, and no signal", async () => {
    const coordinator = await gateway.user(["coordinator"], [REGION], { name: "Carla Coördinator" })
    const signedIn = await signIn(browser, gateway, coordinator.token)
    try {
      const { page } = signedIn
      await page.click("nav >> text=Verzuim per school")
      expect(page.url()).toBe(`${gateway.base}/regio/verzuim`)
      expect(await page.locator("h1").textContent()).toBe("Verzuimsignalen per school")
      expect(await page.locator("main table caption").textContent()).toBe(
        "Open verzuimsignalen per school en soort signaal",
      )
      const rows = await page
        .locator("main table tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? "")),
        )
      expect(rows.length).toBeGreaterThan(0)
      for (const [school, type, open] of rows) {
        expect(school).toBe("Het Westlandse Lyceum")
        expect(Object.values(AbsenceSignal.signalTypeLabel)).toContain(type)
        expect(open).toMatch(/^(< 5|[5-9]|\d{2,})$/)
      }
      // One planted pupil per type: every count is "< 5".
      expect(rows.some(([, , open]) => open === "< 5")).toBe(true)
      const main = (await page.locator("main").textContent()) ?? ""
      for (const pupil of planted.pupils) expect(main).not.toContain(pupil.pupilNumber)
      expect(await page.locator("main a[href^='/verzuim']").count()).toBe(0)
      await expectGoodPage(signedIn)

      for (const path of [signalPath, "/verzuim", "/verzuim/importeren", "/verzuim/duo"]) {
        const answer = await page.goto(`${gateway.base}${path}`)
        expect(answer?.status(), path).toBe(403)
        expect(await page.locator("h1").textContent()).toBe("Geen toegang")
      }
      await expectGoodPage(signedIn)
    } finally {
      await signedIn.close()
    }
  })

  it("shows another school's user nothing of this school: the signal is not found, the list empty", async () => {
    const other = await gateway.user(["school-verzuim"], [REGION], {
      organisation: "De Andere School",
      partyRole: "coordinator-passend-onderwijs",
    })
    const signedIn = await signIn(browser, gateway, other.token)
    try {
      const { page } = signedIn
      const answer = await page.goto(`${gateway.base}${signalPath}`)
      expect(answer?.status()).toBe(404)
      expect(await page.locator("h1").textContent()).toBe("Niet gevonden")
      await expectGoodPage(signedIn)
      // Its forms refuse alike.
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue()
      const cookie = await sessionCookie(signedIn.context)
      const seen = await postForm(gateway, `${signalPath}/gezien`, { _csrf: csrf, note: "x" }, { cookie })
      expect(seen.status).toBe(404)
      await page.goto(`${gateway.base}/verzuim?status=alle`)
      expect(await page.locator("main table").count()).toBe(0)
      expect(await page.locator("main").textContent()).toContain("Geen signalen met deze keuze.")
      await expectGoodPage(signedIn)
    } finally {
      await signedIn.close()
    }
    const worker = await gateway.user(["case-worker"], [REGION])
    const workerPage = await signIn(browser, gateway, worker.token)
    try {
      expect((await workerPage.page.goto(`${gateway.base}${signalPath}`))?.status()).toBe(403)
    } finally {
      await workerPage.close()
    }
  })

  it("refuses forms without the token or from elsewhere, writes no upload to disk, and says when a file is too big", async () => {
    const { page, context } = school
    const cookie = await sessionCookie(context)
    // A signal's form without the token, and with it from another origin.
    expect((await postForm(gateway, `${signalPath}/gezien`, { note: "x" }, { cookie })).status).toBe(403)
    await page.goto(`${gateway.base}${signalPath}`)
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue()
    const foreign = await postForm(
      gateway,
      `${signalPath}/gezien`,
      { _csrf: csrf, note: "x" },
      { cookie, origin: "https://kwaadwillend.example" },
    )
    expect(foreign.status).toBe(403)
    await page.goto(`${gateway.base}${signalPath}`)
    expect(await page.locator("main dl").textContent()).toContain("StatusNieuw")

    // An upload without the token: refused before the file is written.
    const uploads = async () =>
      (await readdir(tmpdir())).filter((name) => name.startsWith("verzuimregie-upload-")).length
    const before = await uploads()
    const form = new FormData()
    form.append("_csrf", "vals")
    form.append("mapping", "parnassys")
    form.append("bestand", new Blob(["Leerlingnummer;Leerling\r\n"]), "a.csv")
    const refused = await fetch(`${gateway.base}/verzuim/importeren`, {
      method: "POST",
      headers: { cookie, origin: gateway.base },
      body: form,
    })
    expect(refused.status).toBe(403)
    const elsewhere = await fetch(`${gateway.base}/verzuim/importeren`, {
      method: "POST",
      headers: { cookie, origin: "https://kwaadwillend.example" },
      body: form,
    })
    expect(elsewhere.status).toBe(403)
    expect(await uploads()).toBe(before)

    // Past the limit: the form again, with the reason at the file field, and nothing on disk.
    const big = await writeTemp("groot.csv", `Leerlingnummer;Leerling\r\n${"1;x\r\n".repeat(LIMIT / 4)}`)
    await page.goto(`${gateway.base}/verzuim/importeren`)
    await page.selectOption("#veld-mapping", await mappingValue(page))
    await page.fill("#veld-from", PERIOD.from)
    await page.fill("#veld-to", PERIOD.to)
    await page.setInputFiles("#veld-bestand", big)
    const answer = page.waitForResponse(
      (r) => r.url().endsWith("/verzuim/importeren") && r.request().method() === "POST",
    )
    await page.click("form[action='/verzuim/importeren'] button[type=submit]")
    expect((await answer).status()).toBe(413)
    await page.waitForLoadState("load")
    expect(await page.locator("#veld-bestand-fout").textContent()).toContain("Het bestand is te groot")
    expect(await uploads()).toBe(before)
    await expectGoodPage(school)

    // A form without a file: the field error, 422.
    await page.selectOption("#veld-mapping", await mappingValue(page))
    await page.fill("#veld-from", PERIOD.from)
    await page.fill("#veld-to", "2026-08-01")
    const missingFile = page.waitForResponse(
      (r) => r.url().endsWith("/verzuim/importeren") && r.request().method() === "POST",
    )
    await page.click("form[action='/verzuim/importeren'] button[type=submit]")
    expect((await missingFile).status()).toBe(422)
    await page.waitForLoadState("load")
    expect(
      await page.locator(".vr-error-summary a").evaluateAll((a) => a.map((x) => x.getAttribute("href"))),
    ).toEqual(["#veld-to", "#veld-bestand"])
    expect(await page.inputValue("#veld-from")).toBe(PERIOD.from)
    await expectGoodPage(school)
  })
})
