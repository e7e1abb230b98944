/**
 * /docs in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no
 * browser is ever downloaded): the reference renders the request body of POST /referrals with its
 * fields spelled out and an example, with no CSP violation and no request off the gateway's own
 * origin. A screenshot goes to a temp dir (its path is printed) for a person to look at.
 *
 * Skipped, loudly, where /usr/bin/chromium is missing; .ci/run installs it.
 */
import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser } from "playwright-core"
import { describe, expect, it } from "vitest"
import { chromiumMissing, watch } from "./support/browser.js"
import type { Gateway } from "./support/gateway.js"
import { gatewayAndChromium } from "./support/web.js"

const missing = chromiumMissing("/docs browser test")

describe.skipIf(missing)("/docs in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  it("shows the expanded request body of POST /referrals and an example, all from the gateway's origin, within its CSP", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    const seen = watch(page, gateway.base)
    // Injected by the browser itself, so it is not subject to the page's CSP it reports on.
    await page.addInitScript({
      content: `document.addEventListener("securitypolicyviolation", (e) =>
        console.error("Refused to load (CSP " + e.violatedDirective + "): " + e.blockedURI))`,
    })
    const response = await page.goto(`${gateway.base}/docs`, { waitUntil: "load", timeout: 90_000 })
    expect(response?.status()).toBe(200)
    const csp = response?.headers()["content-security-policy"] ?? ""
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("default-src 'none'")

    // The operation's section, with its request body's fields spelled out (nested ones too).
    const operation = page.locator('section[id$="/tag/aanmeldingen/POST/referrals"]')
    await operation.waitFor({ state: "attached", timeout: 90_000 })
    await operation.scrollIntoViewIfNeeded({ timeout: 30_000 })
    // Scalar's own labels in Dutch (ScalarDutch.ts): "Inhoud" for its "Body".
    await expect.poll(() => operation.getByText("Inhoud").first().isVisible(), { timeout: 90_000 }).toBe(true)
    for (const field of ["regionId", "referrer", "pupil", "parents", "reasons", "consent"])
      await expect
        .poll(() => operation.locator(`[id$="POST/referrals.body.${field}"]`).first().isVisible(), {
          timeout: 30_000,
        })
        .toBe(true)
    // A field inside pupil: the body's schema is expanded, not a $ref to look up elsewhere.
    await expect
      .poll(() => operation.getByText("birthDate", { exact: true }).first().isVisible(), { timeout: 30_000 })
      .toBe(true)
    // The example request (the synthetic sample file) and the example answer.
    // The text a reader sees (innerText), not what hidden nodes hold as well.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
    const text = () => operation.innerText()
    await expect.poll(text, { timeout: 60_000 }).toContain('"givenName": "Priya"')
    expect(await text()).toContain("Bearer")
    expect(await text()).toContain('"referralId": "ref_0m3kq8v2x7c4p9"')
    expect(await text()).not.toContain("$ref")
    expect(await text()).toContain("Antwoorden")
    expect(await text()).not.toMatch(/\b(Responses|Request Body|Show Schema|required)\b/)

    const dir = await mkdtemp(join(tmpdir(), "verzuimregie-docs-"))
    const screenshot = join(dir, "docs-post-referrals.png")
    await operation.screenshot({ path: screenshot })
    await page.screenshot({ path: join(dir, "docs-page.png") })
    console.log(`screenshot of /docs (POST /referrals): ${screenshot}`)

    const origin = new URL(gateway.base).origin
    expect(seen.foreign).toEqual([])
    expect(seen.requests).toContain(`${origin}/openapi.json`)
    expect(seen.problems).toEqual([])
    await page.close()
  }, 180_000)
})
