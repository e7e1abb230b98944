/// <reference lib="dom" />
/**
 * A school's verzuim user imports the school's absence export through the web page, with the
 * keyboard alone, in Debian's Chromium against a real gateway on SQLite: the report (counts, new
 * signals), then the signals list shows exactly the planted pupils' signals (one pupil per signal
 * type and per statutory boundary, none for the clean pupils), filtered by kind. A file with bad
 * rows is refused with every bad row's line and column, and nothing changes; with "foute regels
 * overslaan" the rest lands and the report names the skipped lines. axe-core finds 0 violations and
 * the CSP refuses nothing on every page state.
 */
import { AbsenceSignal } from "@verzuimregie/domain"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  AS_OF,
  mappingValue,
  nameOf,
  PARNASSYS_HEADER,
  PERIOD,
  plantedFile,
  REGION,
  signalRows,
  uploadThroughPage,
  writeTemp,
} from "./support/absence-web.js"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { expectGoodPage, type SignedInPage, signIn } from "./support/web.js"

const missing = chromiumMissing("web absence import browser test")

describe.skipIf(missing)("importing a school's absence through the web page", () => {
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
      name: "Vera Verzuimcoördinator",
    })
    school = await signIn(browser, gateway, user.token)
    planted = await plantedFile(gateway)
  }, 120_000)
  afterAll(async () => {
    await school?.close()
    await browser?.close()
    await gateway?.close()
  })

  /** Presses Tab until the element with this id has focus. */
  const tabTo = async (id: string) => {
    for (let i = 0; i < 60; i++) {
      if ((await school.page.evaluate(() => document.activeElement?.id)) === id) return
      await school.page.keyboard.press("Tab")
    }
    throw new Error(`Tab never reached #${id}`)
  }

  /** Types an ISO date into the focused date field, in the order the browser's locale shows it. */
  const typeDate = async (iso: string) => {
    const digits = await school.page.evaluate((value) => {
      const [year, month, day] = value.split("-")
      const parts = new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2026, 7, 15))
      return parts
        .filter((p) => p.type === "day" || p.type === "month" || p.type === "year")
        .map((p) => (p.type === "day" ? day : p.type === "month" ? month : year))
        .join("")
    }, iso)
    await school.page.keyboard.type(digits)
  }

  it("imports the planted pupils with the keyboard alone; the report, then exactly their signals", async () => {
    const { page } = school
    await page.goto(`${gateway.base}/verzuim/importeren`)
    expect(await page.locator("h1").textContent()).toBe("Verzuim inlezen")
    await expectGoodPage(school)
    const parnassys = await mappingValue(page)

    await tabTo("veld-mapping")
    await page.keyboard.type("ParnasSys")
    expect(await page.inputValue("#veld-mapping")).toBe(parnassys)
    await tabTo("veld-from")
    await typeDate(PERIOD.from)
    expect(await page.inputValue("#veld-from")).toBe(PERIOD.from)
    await tabTo("veld-to")
    await typeDate(PERIOD.to)
    expect(await page.inputValue("#veld-to")).toBe(PERIOD.to)
    await tabTo("veld-bestand")
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")])
    await chooser.setFiles(planted.path)
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Inlezen")
    const navigated = page.waitForEvent("framenavigated")
    await page.keyboard.press("Enter")
    await navigated
    await page.waitForLoadState("load")

    expect(await page.locator("h1").textContent(), await page.locator("main").innerText()).toBe(
      "Verzuim ingelezen",
    )
    const records = planted.pupils.reduce((n, p) => n + p.records.length, 0)
    const report = await page.locator("main dl").textContent()
    expect(report).toContain(`Regels gelezen${records}`)
    expect(report).toContain(`Regels ingelezen${records}`)
    expect(report).toContain("Regels overgeslagen0")
    // A pupil may have several signals of a type (a melding period each); every type at least once.
    const created = Number(/Nieuwe signalen(\d+)/.exec(report ?? "")?.[1])
    expect(created).toBeGreaterThanOrEqual(planted.pupils.reduce((n, p) => n + p.expected.length, 0))
    await expectGoodPage(school)

    await page.click("main >> text=Naar de signalen")
    expect(await page.locator("h1").textContent()).toBe("Verzuimsignalen")
    const rows = await signalRows(page)
    for (const [index, pupil] of planted.pupils.entries()) {
      const mine = rows.filter((r) => r.pupil === pupil.pupilNumber)
      expect([...new Set(mine.map((r) => r.type))].sort(), `${pupil.pupilNumber}: ${pupil.about}`).toEqual(
        pupil.expected.map((t) => AbsenceSignal.signalTypeLabel[t]).sort(),
      )
      for (const row of mine) {
        expect(row.status).toBe("Nieuw")
        expect(row.pupilText).toBe(`${nameOf(index)} (${pupil.pupilNumber})`)
      }
    }
    expect(rows).toHaveLength(created)
    await expectGoodPage(school)

    // The filter by kind: only meldplicht.
    await page.selectOption("#veld-soort", "meldplicht")
    await Promise.all([page.waitForLoadState("load"), page.click("form.vr-filters button")])
    expect(new URL(page.url()).search).toBe("?status=open&soort=meldplicht")
    const meldplicht = await signalRows(page)
    expect(new Set(meldplicht.map((r) => r.pupil))).toEqual(
      new Set(planted.pupils.filter((p) => p.expected.includes("meldplicht")).map((p) => p.pupilNumber)),
    )
    expect(new Set(meldplicht.map((r) => r.type))).toEqual(
      new Set([AbsenceSignal.signalTypeLabel.meldplicht]),
    )
    // No pupil number, name or birth date in any address the browser asked for.
    for (const url of school.seen.requests)
      for (const pupil of planted.pupils) expect(decodeURIComponent(url)).not.toContain(pupil.pupilNumber)
  })

  it("refuses a file with bad rows, shows each with line and column, and changes nothing; skipping them lands the rest", async () => {
    const { page } = school
    await page.goto(`${gateway.base}/verzuim`)
    const before = await signalRows(page)
    const bad = [
      PARNASSYS_HEADER,
      "X-1\tBas Fout\t01/01/2012\t02/03/2027\t2\tOngeoorloofd",
      "X-1\tBas Fout\t01/01/2012\t03/03/2027\t2\tOnbekend",
      "X-1\tBas Fout\t01/01/2012\t31/02/2027\t2\tOngeoorloofd",
      "X-1\tBas Fout\t01/01/2012\t04/03/2027\t13\tOngeoorloofd",
      "X-1\tBas Fout\t01/01/2012\t05/03/2027\t1,5\tZiek",
    ].join("\r\n")
    const path = await writeTemp("fout.txt", `${bad}\r\n`)
    await uploadThroughPage(page, gateway, path)
    expect(await page.locator("h1").textContent()).toBe("Bestand niet ingelezen")
    expect(await page.title()).toMatch(/^Fout: /)
    const problems = await page
      .locator("main table tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())),
      )
    // Line numbers count the header as line 1.
    expect(problems.map(([line, column]) => `${line} ${column}`)).toEqual(["3 Reden", "4 Datum", "5 Uren"])
    for (const [, , reason] of problems) expect(reason).not.toBe("")
    expect(await page.locator("main table caption").textContent()).toBe(
      "Fouten in het bestand, per regel en kolom",
    )
    await expectGoodPage(school)
    await page.goto(`${gateway.base}/verzuim?status=alle`)
    const unchanged = await signalRows(page)
    expect(unchanged.length).toBeGreaterThanOrEqual(before.length)
    expect(unchanged.some((r) => r.pupil === "X-1")).toBe(false)

    // The same file, skipping the bad rows: two rows land, the report names lines 3, 4 and 5.
    await uploadThroughPage(page, gateway, path, { skipBadRows: true })
    expect(await page.locator("h1").textContent(), await page.locator("main").innerText()).toBe(
      "Verzuim ingelezen",
    )
    const report = await page.locator("main dl").textContent()
    expect(report).toContain("Regels ingelezen2")
    expect(report).toContain("Regels overgeslagen3")
    expect(await page.locator("main").textContent()).toContain("Overgeslagen regels: 3, 4, 5.")
    await expectGoodPage(school)
  })
})
