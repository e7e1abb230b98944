/// <reference lib="dom" />
/**
 * A school's verzuim user acts on the signals of the planted pupils in Debian's Chromium against a
 * real gateway on SQLite: a signal's page (explanation, the pupil's records in its window), "Gezien"
 * without a note comes back with the error next to the field, with a note it sticks; "Geen actie"
 * with a reason; the DUO meldingen with their due dates and late flags, a status recorded through
 * the row's form, and the list as a real `.xlsx`. axe-core 0 violations on every page state.
 */
import { AbsenceSignal } from "@verzuimregie/domain"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import {
  AS_OF,
  plantedFile,
  REGION,
  signalHref,
  signalRows,
  uploadThroughPage,
} from "./support/absence-web.js"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { expectGoodPage, type SignedInPage, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web absence signal browser test")

describe.skipIf(missing)("acting on a school's absence signals through the web pages", () => {
  let gateway: Gateway
  let browser: Browser
  let school: SignedInPage
  let planted: Awaited<ReturnType<typeof plantedFile>>

  beforeAll(async () => {
    gateway = await startGateway({ today: AS_OF })
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
  }, 120_000)
  afterAll(async () => {
    await school?.close()
    await browser?.close()
    await gateway?.close()
  })

  const pupilWith = (type: AbsenceSignal.SignalType) => {
    const pupil = planted.pupils.find((p) => p.expected.includes(type))
    if (pupil === undefined) throw new Error(`no planted pupil with ${type}`)
    return pupil
  }

  it("marks a signal seen: a note is required, then the status is Gezien; another gets Geen actie", async () => {
    const { page } = school
    await page.goto(`${gateway.base}/verzuim`)
    const late = pupilWith("grijs-te-laat")
    const href = await signalHref(page, AbsenceSignal.signalTypeLabel["grijs-te-laat"], late.pupilNumber)
    await page.goto(`${gateway.base}${href}`)
    expect(await page.locator("h1").textContent()).toBe(AbsenceSignal.signalTypeLabel["grijs-te-laat"])
    // The title names the kind, never the pupil.
    expect(await page.title()).not.toContain(late.pupilNumber)
    const main = await page.locator("main").textContent()
    expect(main).toContain(late.pupilNumber)
    expect(main).toContain("Nieuw")
    // The pupil's late arrivals in the window, one row each.
    const recordRows = page.locator("section[aria-labelledby=kop-registraties] tbody tr")
    expect(await recordRows.count()).toBeGreaterThanOrEqual(6)
    expect(await recordRows.first().textContent()).toContain("Te laat")
    await expectGoodPage(school)

    // Without a note: the error next to the field, linked from the summary, 422.
    const empty = page.waitForResponse((r) => r.url().endsWith("/gezien"))
    await page.click("form[action$='/gezien'] button[type=submit]")
    expect((await empty).status()).toBe(422)
    await page.waitForLoadState("load")
    expect(await page.title()).toMatch(/^Fout: /)
    expect(await page.locator(".vr-error-summary a").getAttribute("href")).toBe("#veld-note")
    expect(await page.locator("#veld-note-fout").textContent()).toBe(
      "Schrijf op wat de school met dit signaal doet.",
    )
    await page.click(".vr-error-summary a")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("veld-note")
    await expectGoodPage(school)

    await page.fill("#veld-note", "Gesprek met de mentor gepland.")
    await Promise.all([
      page.waitForLoadState("load"),
      page.click("form[action$='/gezien'] button[type=submit]"),
    ])
    expect(page.url()).toBe(`${gateway.base}${href}?gedaan=gezien`)
    expect(await page.locator("main [role=status]").textContent()).toContain("Het signaal staat op gezien.")
    const seen = await page.locator("main dl").textContent()
    expect(seen).toContain("StatusGezien")
    expect(seen).toContain("NotitieGesprek met de mentor gepland.")
    // Seen: no second "Gezien" form, still "Geen actie" and "Aanmelden".
    expect(await page.locator("form[action$='/gezien']").count()).toBe(0)
    expect(await page.locator("form[action$='/geen-actie']").count()).toBe(1)
    expect(await page.locator("main a", { hasText: "Aanmelden" }).count()).toBe(1)
    await expectGoodPage(school)

    // Geen actie with a reason, on the weekday pattern.
    await page.goto(`${gateway.base}/verzuim`)
    const weekday = pupilWith("grijs-weekdag")
    const other = await signalHref(page, AbsenceSignal.signalTypeLabel["grijs-weekdag"], weekday.pupilNumber)
    await page.goto(`${gateway.base}${other}`)
    await page.fill("#veld-reason", "Vaste therapie op maandag, met verlof.")
    await Promise.all([
      page.waitForLoadState("load"),
      page.click("form[action$='/geen-actie'] button[type=submit]"),
    ])
    expect(await page.locator("main dl").textContent()).toContain("StatusGeen actie")
    expect(await page.locator("main form").count()).toBe(0)
    await expectGoodPage(school)

    // The list: the open ones by default no longer show the Geen actie one; "Alle" does.
    await page.goto(`${gateway.base}/verzuim`)
    const open = await signalRows(page)
    expect(
      open.find(
        (r) => r.pupil === weekday.pupilNumber && r.type === AbsenceSignal.signalTypeLabel["grijs-weekdag"],
      ),
    ).toBeUndefined()
    expect(
      open.find(
        (r) => r.pupil === late.pupilNumber && r.type === AbsenceSignal.signalTypeLabel["grijs-te-laat"],
      )?.status,
    ).toBe("Gezien")
    // New ones first.
    const statuses = open.map((r) => r.status)
    expect(statuses.indexOf("Gezien")).toBeGreaterThan(statuses.lastIndexOf("Nieuw"))
    await page.goto(`${gateway.base}/verzuim?status=geen-actie`)
    expect((await signalRows(page)).map((r) => r.pupil)).toEqual([weekday.pupilNumber])
  })

  it("lists the DUO meldingen with due dates and late flags, records a status, and downloads the xlsx", async () => {
    const { page, context } = school
    await page.goto(`${gateway.base}/verzuim/duo`)
    expect(await page.locator("h1").textContent()).toBe("Meldingen bij DUO")
    const reportable = planted.pupils.filter((p) =>
      p.expected.some((t) => AbsenceSignal.reportableToDuo.has(t)),
    )
    const rows = page.locator("main table tbody tr")
    // One melding per melding period: a pupil long at home has one a week; every reportable pupil at least one.
    const texts = await rows.allTextContents()
    const pupils = new Set(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector("td")?.textContent?.trim() ?? "")),
    )
    expect(pupils).toEqual(new Set(reportable.map((p) => p.pupilNumber)))
    // Every row says in words whether it is late.
    for (const text of texts) expect(text).toMatch(/Te laat|Op tijd/)
    await expectGoodPage(school)

    const first = rows.first()
    const select = first.locator("select")
    await select.selectOption("Geregistreerd")
    await Promise.all([page.waitForLoadState("load"), first.locator("button").click()])
    expect(page.url()).toBe(`${gateway.base}/verzuim/duo?opgeslagen=1`)
    expect(await page.locator("main .utrecht-alert--ok").textContent()).toContain("De status is opgeslagen.")
    expect(await page.locator("main table tbody tr").first().locator("select").inputValue()).toBe(
      "Geregistreerd",
    )
    await expectGoodPage(school)

    const download = await fetch(`${gateway.base}/verzuim/duo/meldingen.xlsx`, {
      headers: { cookie: await sessionCookie(context) },
    })
    expect(download.status).toBe(200)
    expect(download.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    expect(download.headers.get("cache-control")).toBe("no-store")
    const book = XLSX.read(new Uint8Array(await download.arrayBuffer()), { type: "array" })
    const sheet = book.Sheets[book.SheetNames[0] as string]
    const cells = JSON.stringify(XLSX.utils.sheet_to_json(sheet as XLSX.WorkSheet, { header: 1 }))
    for (const pupil of reportable) expect(cells).toContain(pupil.pupilNumber)
    expect(cells).toContain("Geregistreerd")
  })
})
