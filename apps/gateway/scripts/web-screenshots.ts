/**
 * Screenshots of every page type of the web app for `docs/web.md`, made from what a person sees
 * after a first `pnpm start` (demo data), in Debian's Chromium. Run it after changing a page:
 *
 *   pnpm web-screenshots          (from the repository root; writes docs/web/*.png)
 *
 * Each shot is taken only after axe-core found no WCAG 2.1 A/AA violation on the page: a screenshot
 * in the docs is never of a page that fails the bar the tests hold.
 */
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type { Page } from "playwright-core"
import { startDemoGateway } from "../bench/support/demo-gateway.js"
import { axeViolations, chromiumMissing, launchChromium } from "../test/support/browser.js"

const OUT = resolve(fileURLToPath(new URL("../../../docs/web", import.meta.url)))

interface Shot {
  /** File name without extension. */
  readonly name: string
  /** Demo user's roles (the banner's role column) and a part of the name. */
  readonly as: readonly [string, string?] | undefined
  /** The page to open; `{case}` is a case of the user's region, `{signal}` a meldplicht signal of the school user's school. */
  readonly path: string
  /** What to do on the page before the shot (fill a form, submit it). */
  readonly act?: (page: Page) => Promise<void>
}

export const SHOTS: ReadonlyArray<Shot> = [
  { name: "inloggen", as: undefined, path: "/inloggen" },
  { name: "start", as: ["case-worker", "Westland"], path: "/" },
  { name: "mijn-werk", as: ["case-worker", "Westland"], path: "/mijn-werk" },
  { name: "werkvoorraad", as: ["case-worker", "Westland"], path: "/werkvoorraad" },
  {
    name: "zoeken",
    as: ["case-worker", "Westland"],
    path: "/zoeken",
    act: async (page) => {
      await page.fill("#veld-naam", "de")
      await page.locator("main form button[type=submit]").first().click()
      await page.waitForLoadState()
    },
  },
  { name: "dossier", as: ["case-worker", "Westland"], path: "/dossiers/{case}" },
  { name: "vastleggen", as: ["case-worker", "Westland"], path: "/dossiers/{case}/vastleggen" },
  {
    name: "vastleggen-contact",
    as: ["case-worker", "Westland"],
    path: "/dossiers/{case}/vastleggen/contact",
  },
  {
    name: "vastleggen-fouten",
    as: ["case-worker", "Westland"],
    path: "/dossiers/{case}/vastleggen/actie",
    act: async (page) => {
      await page.locator("main form button[type=submit]").last().click()
      await page.waitForLoadState()
    },
  },
  { name: "aanmelden", as: ["referrer"], path: "/aanmeldingen/nieuw?regio=westland" },
  { name: "mijn-aanmeldingen", as: ["referrer"], path: "/aanmeldingen" },
  { name: "regio", as: ["coordinator", "Westland"], path: "/regio" },
  { name: "toegangslog", as: ["coordinator", "Westland"], path: "/regio/westland/toegangslog" },
  { name: "verzuim-signalen", as: ["school-verzuim,referrer"], path: "/verzuim" },
  { name: "verzuim-signaal", as: ["school-verzuim,referrer"], path: "/verzuim/signalen/{signal}" },
  { name: "verzuim-importeren", as: ["school-verzuim,referrer"], path: "/verzuim/importeren" },
  { name: "verzuim-duo", as: ["school-verzuim,referrer"], path: "/verzuim/duo" },
  { name: "regio-verzuim", as: ["coordinator", "Westland"], path: "/regio/verzuim" },
  { name: "dashboard", as: ["coordinator", "Westland"], path: "/regio/dashboard" },
  { name: "kwartaalronde", as: ["orthopedagoog"], path: "/kwartaalronde?binnen=92" },
  { name: "meldingen", as: ["case-worker", "Westland"], path: "/instellingen/meldingen" },
  { name: "beheer", as: ["admin"], path: "/beheer" },
  { name: "beheer-gebruikers", as: ["admin"], path: "/beheer/gebruikers" },
]

const main = async () => {
  if (chromiumMissing("web screenshots")) process.exit(1)
  mkdirSync(OUT, { recursive: true })
  const gateway = await startDemoGateway()
  const browser = await launchChromium()
  try {
    for (const shot of SHOTS) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "nl-NL" })
      const page = await context.newPage()
      let path = shot.path
      if (shot.as !== undefined) {
        const user = gateway.user(shot.as[0], shot.as[1])
        if (path.includes("{case}")) {
          // The open case with the most events: a dossier that shows what the page can hold.
          const cases = (await (
            await fetch(`${gateway.base}/cases?limit=100&open=true`, {
              headers: { authorization: `Bearer ${user.token}` },
            })
          ).json()) as { items: ReadonlyArray<{ caseId: string; version: number }> }
          const fullest = [...cases.items].sort((a, b) => b.version - a.version)[0]
          path = path.replace("{case}", fullest?.caseId ?? "onbekend")
        }
        if (path.includes("{signal}")) {
          const signals = (await (
            await fetch(`${gateway.base}/absence/signals?type=meldplicht`, {
              headers: { authorization: `Bearer ${user.token}` },
            })
          ).json()) as ReadonlyArray<{ id: string }>
          path = path.replace("{signal}", signals[0]?.id ?? "onbekend")
        }
        await page.goto(`${gateway.base}/inloggen`)
        await page.fill("#token", user.token)
        await page.click("button[type=submit]")
        await page.waitForURL(`${gateway.base}/`)
      }
      const response = await page.goto(`${gateway.base}${path}`)
      if (response?.status() !== 200) throw new Error(`${shot.name}: ${path} answered ${response?.status()}`)
      await shot.act?.(page)
      if ((await page.locator("h1").textContent())?.includes("Niet gevonden") === true)
        throw new Error(`${shot.name}: ${path} shows "Niet gevonden"`)
      const violations = await axeViolations(page)
      if (violations.length > 0) throw new Error(`${shot.name}: ${JSON.stringify(violations, null, 2)}`)
      await page.screenshot({ path: join(OUT, `${shot.name}.png`), fullPage: true })
      process.stdout.write(`docs/web/${shot.name}.png  ${path.replace(/[a-z]+_[A-Za-z0-9]+/g, "…")}\n`)
      await context.close()
    }
  } finally {
    await browser.close()
    await gateway.stop()
  }
}

await main()
