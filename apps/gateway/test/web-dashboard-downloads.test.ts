/// <reference lib="dom" />
/**
 * The dashboard's downloads and period selector in headless Chromium on the demo data: each
 * chart's spreadsheet opens with SheetJS and holds the numbers of the chart's table on the page
 * ("< 5" for a school's count under 5), the jaarverslag downloads with one sheet per chart; a
 * quarter is chosen with a plain GET form; a bad period is refused with a Dutch message; a case
 * worker gets the 403 page.
 */
import type { Browser } from "playwright-core"
import { describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { chromiumMissing } from "./support/browser.js"
import type { Gateway } from "./support/gateway.js"
import { demoGatewayAndChromium, expectGoodPage, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web dashboard downloads test")

describe.skipIf(missing)("the Dashboard's downloads and period selector", () => {
  let gateway: Gateway
  let browser: Browser
  let tokenOf: (email: string) => string
  demoGatewayAndChromium((g, b, t) => {
    gateway = g
    browser = b
    tokenOf = t
  })

  it("downloads each chart's figures and the jaarverslag with the page's numbers", async () => {
    // The first region of the demo: the one whose school imports absence (signals per school).
    const id = gateway.config.regions[0]?.region.id as string
    const token = tokenOf(`coordinator.${id}@demo.example`)
    const signed = await signIn(browser, gateway, token)
    const { page } = signed
    await page.goto(`${gateway.base}/regio/dashboard`)
    // The tables open: axe-clean too.
    for (const d of await page.locator("details").all()) await d.locator("summary").click()
    await expectGoodPage(signed)
    const api = await gateway.request("GET", `/regions/${id}/dashboard`, { token })
    const cookie = await sessionCookie(signed.context)
    for (const chart of ["status", "thuiszitters", "signalen"]) {
      const href = await page.locator(`#grafiek-${chart} a[download]`).getAttribute("href")
      expect(href).toBe(`/regio/dashboard/${chart}.xlsx?regio=${id}`)
      const file = await fetch(`${gateway.base}${href}`, { headers: { cookie } })
      expect(file.status).toBe(200)
      const book = XLSX.read(new Uint8Array(await file.arrayBuffer()), { type: "array" })
      const rows = XLSX.utils.sheet_to_json<Array<unknown>>(
        book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet,
        {
          header: 1,
        },
      )
      const table = await page
        .locator(`#grafiek-${chart} table tbody tr`)
        .evaluateAll((trs) => trs.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent)))
      // Same rows as the table (dates aside: the sheet holds a date, the page a Dutch date).
      expect(rows.slice(1).length).toBe(table.length)
      if (chart === "status") expect(rows.slice(1).map((r) => String(r[1]))).toEqual(table.map((r) => r[1]))
      if (chart === "thuiszitters")
        expect(rows.slice(1).map((r) => [r[2], r[3], r[4]].map(String))).toEqual(
          table.map((r) => [r[2], r[3], r[4]]),
        )
      if (chart === "signalen") {
        expect(rows.slice(1).map((r) => String(r[2]))).toEqual(table.map((r) => r[2]))
        for (const s of api.json.signals as Array<{ open: number | string }>)
          if (typeof s.open === "number") expect(s.open === 0 || s.open >= 5).toBe(true)
      }
    }
    expect((api.json.signals as Array<{ open: unknown }>).some((s) => s.open === "< 5")).toBe(true)
    const year = await fetch(`${gateway.base}/regio/jaarverslag.xlsx?regio=${id}&schooljaar=2026-2027`, {
      headers: { cookie },
    })
    expect(year.status).toBe(200)
    expect(XLSX.read(new Uint8Array(await year.arrayBuffer()), { type: "array" }).SheetNames).toHaveLength(7)

    await signed.close()
  }, 30_000)

  it("chooses a quarter with the GET form, refuses a bad period, and refuses a case worker", async () => {
    const id = gateway.config.regions[0]?.region.id as string
    const signed = await signIn(browser, gateway, tokenOf(`coordinator.${id}@demo.example`))
    const { page } = signed
    await page.goto(`${gateway.base}/regio/dashboard`)
    await page.selectOption("#veld-kwartaal", "2026-Q3")
    await page.click("text=Toon kwartaal")
    await page.waitForURL(`${gateway.base}/regio/dashboard?regio=${id}&kwartaal=2026-Q3`)
    expect(await page.locator("main").textContent()).toContain("kwartaal 3 van 2026")
    expect(await page.locator("#grafiek-status a[download]").getAttribute("href")).toBe(
      `/regio/dashboard/status.xlsx?regio=${id}&kwartaal=2026-Q3`,
    )
    await expectGoodPage(signed)
    const bad = await page.goto(`${gateway.base}/regio/dashboard?van=2026-11&tot=2026-01`)
    expect(bad?.status()).toBe(400)
    expect(await page.locator(".utrecht-alert").textContent()).toContain(
      "De laatste maand ligt voor de eerste.",
    )
    await expectGoodPage(signed)
    await signed.close()

    const worker = await signIn(browser, gateway, tokenOf(`regie.${id}@demo.example`))
    const refused = await worker.page.goto(`${gateway.base}/regio/dashboard`)
    expect(refused?.status()).toBe(403)
    await worker.close()
  }, 30_000)
})
