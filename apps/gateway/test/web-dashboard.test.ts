/// <reference lib="dom" />
/**
 * The region's dashboard in headless Chromium on the demo data: for each region's coordinator the
 * page renders six charts as SVG (each a figure with a caption, an accessible name and its data
 * table) with the API's numbers and passes axe-core with 0 violations; another region is "Niet
 * gevonden". The tables opened, the downloads and the period selector: web-dashboard-downloads.test.ts.
 */
import type { Browser } from "playwright-core"
import { describe, expect, it } from "vitest"
import { chromiumMissing } from "./support/browser.js"
import type { Gateway } from "./support/gateway.js"
import { demoGatewayAndChromium, expectGoodPage, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web dashboard browser test")

describe.skipIf(missing)("the Dashboard page in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  let tokenOf: (email: string) => string
  demoGatewayAndChromium((g, b, t) => {
    gateway = g
    browser = b
    tokenOf = t
  })

  it("renders each region's charts with their tables, axe-clean, with the API's numbers", async () => {
    for (const region of gateway.config.regions) {
      const id = region.region.id
      const token = tokenOf(`coordinator.${id}@demo.example`)
      const signed = await signIn(browser, gateway, token)
      const { page } = signed
      await page.click("nav >> text=Dashboard")
      await page.waitForURL(`${gateway.base}/regio/dashboard`)
      expect(await page.locator("h1").textContent()).toBe(`Dashboard ${region.region.name}`)
      const figures = page.locator("figure.vr-figure")
      expect(await figures.count()).toBe(6)
      for (let i = 0; i < 6; i++) {
        const figure = figures.nth(i)
        expect(await figure.locator("figcaption h2").count()).toBe(1)
        const svg = figure.locator("svg[role=img]")
        if ((await svg.count()) > 0) expect(await svg.locator("title").textContent()).not.toBe("")
        const table = await figure.locator("details table caption").count()
        expect(
          table === 1 || (await figure.locator("details").textContent())?.includes("Geen gegevens"),
        ).toBe(true)
      }
      await expectGoodPage(signed)

      // The status chart's table and the API's figures agree.
      const api = await gateway.request("GET", `/regions/${id}/dashboard`, { token })
      const statusRows = await page
        .locator("#grafiek-status table tbody tr")
        .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent)))
      expect(statusRows).toEqual(
        (api.json.openByStatus as Array<{ label: string; count: number }>).map((s) => [
          s.label,
          String(s.count),
        ]),
      )
      const cookie = await sessionCookie(signed.context)
      // Another region does not exist for this coordinator.
      const other = gateway.config.regions.find((r) => r.region.id !== id)?.region.id as string
      await page.goto(`${gateway.base}/regio/dashboard?regio=${other}`)
      expect(await page.locator("h1").textContent()).toContain("Niet gevonden")
      expect(
        (await fetch(`${gateway.base}/regio/dashboard/status.xlsx?regio=${other}`, { headers: { cookie } }))
          .status,
      ).toBe(404)
      await signed.close()
    }
  }, 60_000)
})
