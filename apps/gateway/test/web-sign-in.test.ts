/// <reference lib="dom" />
/**
 * Signing in to the web app and out again, in a real Chromium against a real gateway on a real
 * SQLite file: the pages pass axe-core's WCAG 2.1 A/AA rules, stay within their CSP and load
 * nothing from elsewhere; the session cookie is HttpOnly and SameSite; a signed-out cookie opens
 * nothing; forms without their CSRF token or from another origin are refused; failed sign-ins are
 * audited and rate limited.
 */
import { AuditLog } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { axeViolations, chromiumMissing, watch } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { gatewayAndChromium } from "./support/web.js"

const missing = chromiumMissing("web sign-in browser test")

/** The sign-in form's double-submit token and its cookie, as a browser would hold them. */
const signInForm = async (base: string) => {
  const response = await fetch(`${base}/inloggen`)
  const html = await response.text()
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
  return { token, cookie }
}

const postForm = (
  base: string,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string>,
) =>
  fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, ...headers },
    body: new URLSearchParams(fields).toString(),
  })

describe.skipIf(missing)("web sign-in in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  it("signs a case worker in with their token and out again; every page passes axe with 0 violations", async () => {
    const worker = await gateway.user(["case-worker"], ["westland"], { name: "Fatima Casusregisseur" })
    const context = await browser.newContext()
    const page = await context.newPage()
    const seen = watch(page, gateway.base)

    // Not signed in: the start page sends the person to the sign-in page.
    await page.goto(`${gateway.base}/`)
    expect(new URL(page.url()).pathname).toBe("/inloggen")
    expect(await page.locator("h1").textContent()).toBe("Inloggen")
    expect(await page.getAttribute("html", "lang")).toBe("nl")
    expect(await axeViolations(page)).toEqual([])

    // A wrong token: the error summary names the field and links to it.
    await page.fill("#token", "vrt_0000000000000000_onzin")
    await page.click("button[type=submit]")
    await expect.poll(() => page.locator("[role=alert]").count()).toBe(1)
    expect(await page.locator("[role=alert] a").getAttribute("href")).toBe("#token")
    expect(await page.getAttribute("#token", "aria-invalid")).toBe("true")
    expect(await page.title()).toMatch(/^Fout: /)
    expect(await axeViolations(page)).toEqual([])

    // The right token: the start page, with the person's name and roles.
    await page.fill("#token", worker.token)
    await page.click("button[type=submit]")
    await page.waitForURL(`${gateway.base}/`)
    expect(await page.locator("h1").textContent()).toBe("Welkom, Fatima Casusregisseur")
    expect(await page.locator("main").textContent()).toContain("Casusregisseur")
    expect(await axeViolations(page)).toEqual([])
    const [session] = (await context.cookies()).filter((cookie) => cookie.name === "vr_sessie")
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" })
    expect(session?.value).toMatch(/^vrs_/)

    // Out again: the sign-in page says so, and the old cookie opens nothing any more.
    await page.click("text=Uitloggen")
    await page.waitForURL(/\/inloggen\?uitgelogd=1$/)
    expect(await page.locator("[role=status]").textContent()).toContain("U bent uitgelogd")
    expect(await axeViolations(page)).toEqual([])
    const reused = await fetch(`${gateway.base}/`, {
      redirect: "manual",
      headers: { cookie: `vr_sessie=${session?.value}` },
    })
    expect(reused.status).toBe(303)
    expect(reused.headers.get("location")).toBe("/inloggen")

    expect(seen.foreign).toEqual([])
    expect(seen.problems).toEqual([])
    await context.close()
  })

  it("has an axe harness that finds violations where there are some (so 0 above means 0)", async () => {
    const page = await browser.newPage()
    await page.setContent(
      '<html><head><title>x</title></head><body><input type="text"><img src="data:,"></body></html>',
    )
    const ids = (await axeViolations(page)).map((v) => v.id)
    expect(ids).toContain("label")
    expect(ids).toContain("image-alt")
    await page.close()
  })

  it("serves pages with a strict CSP, no-store and the stylesheet cached immutably", async () => {
    const page = await fetch(`${gateway.base}/inloggen`)
    const csp = page.headers.get("content-security-policy") ?? ""
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).not.toContain("unsafe-inline")
    expect(page.headers.get("cache-control")).toBe("no-store")
    expect(page.headers.get("referrer-policy")).toBe("same-origin")
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(await page.text())?.[1] ?? ""
    const css = await fetch(`${gateway.base}${href}`)
    expect(css.status).toBe(200)
    expect(css.headers.get("cache-control")).toContain("immutable")
    const body = await css.text()
    expect(body).toContain(".utrecht-button")
    expect(body).toContain("--utrecht-")
  })

  it("can be used with the keyboard alone: skip link first, then the form", async () => {
    const worker = await gateway.user(["coordinator"], ["westland"], { name: "Kees Toetsenbord" })
    const page = await browser.newPage()
    await page.goto(`${gateway.base}/inloggen`)
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Naar de inhoud")
    await page.keyboard.press("Enter")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("inhoud")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("token")
    await page.keyboard.type(worker.token)
    await page.keyboard.press("Enter")
    await page.waitForURL(`${gateway.base}/`)
    expect(await page.locator("h1").textContent()).toBe("Welkom, Kees Toetsenbord")
    await page.close()
  })

  it("refuses forms without their CSRF token or from another origin", async () => {
    const worker = await gateway.user(["case-worker"], ["westland"])
    const form = await signInForm(gateway.base)
    // No double-submit cookie, a wrong token, another origin: refused before the token is looked at.
    expect(
      (await postForm(gateway.base, "/inloggen", { _csrf: form.token, token: worker.token }, {})).status,
    ).toBe(403)
    expect(
      (
        await postForm(
          gateway.base,
          "/inloggen",
          { _csrf: "fout", token: worker.token },
          { cookie: form.cookie },
        )
      ).status,
    ).toBe(403)
    expect(
      (
        await postForm(
          gateway.base,
          "/inloggen",
          { _csrf: form.token, token: worker.token },
          { cookie: form.cookie, origin: "https://kwaadwillend.example" },
        )
      ).status,
    ).toBe(403)
    // With both: signed in.
    const signedIn = await postForm(
      gateway.base,
      "/inloggen",
      { _csrf: form.token, token: worker.token },
      { cookie: form.cookie },
    )
    expect(signedIn.status).toBe(303)
    const session = (signedIn.headers.get("set-cookie") ?? "").match(/vr_sessie=([^;]+)/)?.[1] ?? ""
    expect(session).toMatch(/^vrs_/)
    // Sign-out without the session's token, or from elsewhere: refused, and the session lives on.
    const start = await fetch(`${gateway.base}/`, { headers: { cookie: `vr_sessie=${session}` } })
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await start.text())?.[1] ?? ""
    expect(csrf.length).toBeGreaterThan(20)
    expect((await postForm(gateway.base, "/uitloggen", {}, { cookie: `vr_sessie=${session}` })).status).toBe(
      403,
    )
    expect(
      (
        await postForm(
          gateway.base,
          "/uitloggen",
          { _csrf: csrf },
          { cookie: `vr_sessie=${session}`, origin: "https://kwaadwillend.example" },
        )
      ).status,
    ).toBe(403)
    expect(
      (await fetch(`${gateway.base}/`, { redirect: "manual", headers: { cookie: `vr_sessie=${session}` } }))
        .status,
    ).toBe(200)
    const out = await postForm(
      gateway.base,
      "/uitloggen",
      { _csrf: csrf },
      { cookie: `vr_sessie=${session}` },
    )
    expect(out.status).toBe(303)
    expect(
      (await fetch(`${gateway.base}/`, { redirect: "manual", headers: { cookie: `vr_sessie=${session}` } }))
        .status,
    ).toBe(303)
  })

  it("ends the session a browser still had when it signs in again: the old cookie opens nothing", async () => {
    const first = await gateway.user(["case-worker"], ["westland"])
    const second = await gateway.user(["case-worker"], ["westland"])
    const form = await signInForm(gateway.base)
    const sessionOf = (response: Response) =>
      (response.headers.get("set-cookie") ?? "").match(/vr_sessie=([^;]+)/)?.[1] ?? ""
    const opens = async (session: string) =>
      (await fetch(`${gateway.base}/`, { redirect: "manual", headers: { cookie: `vr_sessie=${session}` } }))
        .status
    const old = sessionOf(
      await postForm(
        gateway.base,
        "/inloggen",
        { _csrf: form.token, token: first.token },
        { cookie: form.cookie },
      ),
    )
    expect(await opens(old)).toBe(200)
    // The same browser signs in again (another person at the same desk) with the old cookie still there.
    const again = await postForm(
      gateway.base,
      "/inloggen",
      { _csrf: form.token, token: second.token },
      { cookie: `${form.cookie}; vr_sessie=${old}`, "x-request-id": "web-sign-in-replaces-1" },
    )
    expect(again.status).toBe(303)
    const fresh = sessionOf(again)
    expect(fresh).toMatch(/^vrs_/)
    expect(fresh).not.toBe(old)
    expect(await opens(fresh)).toBe(200)
    expect(await opens(old)).toBe(303)
    // Audited like a sign-out, under the account whose session ended, next to the new sign-in.
    const records = await gateway.runtime.runPromise(
      Effect.map(
        Effect.flatMap(AuditLog.AuditLog, (log) => log.list({ requestId: "web-sign-in-replaces-1" })),
        (page) => page.items.map((r) => [r.userId, r.action, r.recordType, r.context]),
      ),
    )
    expect(records).toEqual(
      expect.arrayContaining([
        [first.id, "update", "web-session", "web.sign-out:replaced"],
        [second.id, "create", "web-session", "web.sign-in:token"],
      ]),
    )
    expect(records).toHaveLength(2)
  })

  it("audits sign-ins, refused sign-ins and sign-outs; refuses service accounts", async () => {
    const service = await gateway.user(["referrer"], ["westland"], { kind: "service" })
    const form = await signInForm(gateway.base)
    const refused = await postForm(
      gateway.base,
      "/inloggen",
      { _csrf: form.token, token: service.token },
      { cookie: form.cookie, "x-request-id": "web-service-refused-1" },
    )
    expect(refused.status).toBe(401)
    const unknown = await postForm(
      gateway.base,
      "/inloggen",
      { _csrf: form.token, token: "vrt_0000000000000000_onbekend" },
      { cookie: form.cookie, "x-request-id": "web-unknown-refused-1" },
    )
    expect(unknown.status).toBe(401)
    const records = (requestId: string) =>
      gateway.runtime.runPromise(
        Effect.map(
          Effect.flatMap(AuditLog.AuditLog, (log) => log.list({ requestId })),
          (page) => page.items.map((r) => [r.userId, r.recordType, r.context, r.regionId ?? null]),
        ),
      )
    expect(await records("web-service-refused-1")).toEqual([
      [service.id, "sign-in-refused", "web.sign-in:service-account", "westland"],
    ])
    expect(await records("web-unknown-refused-1")).toEqual([
      ["user_nietingelogd", "sign-in-refused", "web.sign-in:token", null],
    ])
    const worker = await gateway.user(["case-worker"], ["westland"])
    const ok = await postForm(
      gateway.base,
      "/inloggen",
      { _csrf: form.token, token: worker.token },
      { cookie: form.cookie, "x-request-id": "web-sign-in-ok-1" },
    )
    expect(ok.status).toBe(303)
    const [signedIn] = await records("web-sign-in-ok-1")
    expect(signedIn?.slice(1)).toEqual(["web-session", "web.sign-in:token", "westland"])
  })
})

describe.skipIf(missing)("web sign-in rate limit", () => {
  let gateway: Gateway
  beforeAll(async () => {
    // 100 requests a minute: 10 failed sign-ins per address.
    gateway = await startGateway({ rateLimitPerMinute: 100 })
  })
  afterAll(async () => {
    await gateway?.close()
  })

  it("answers 429 with a Dutch page once an address has failed too often, and lets nobody in meanwhile", async () => {
    const worker = await gateway.user(["case-worker"], ["westland"])
    const form = await signInForm(gateway.base)
    const attempt = (token: string) =>
      postForm(gateway.base, "/inloggen", { _csrf: form.token, token }, { cookie: form.cookie })
    const statuses: Array<number> = []
    for (let i = 0; i < 10; i++) statuses.push((await attempt(`vrt_000000000000000${i}_fout`)).status)
    expect(statuses).toEqual(Array(10).fill(401))
    const blocked = await attempt(worker.token)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0)
    expect(await blocked.text()).toContain("Te vaak geprobeerd")
  })
})

describe("web session cookies behind TLS", () => {
  let gateway: Gateway
  beforeAll(async () => {
    gateway = await startGateway({ secureCookies: true })
  }, 120_000)
  afterAll(async () => {
    await gateway?.close()
  })

  it("are Secure, HttpOnly, SameSite=Lax and carry the __Host- prefix (so no subdomain can set them)", async () => {
    const worker = await gateway.user(["case-worker"], ["westland"])
    const form = await fetch(`${gateway.base}/inloggen`)
    const formCookie = form.headers.getSetCookie().find((c) => c.startsWith("__Host-vr_inlog=")) ?? ""
    expect(formCookie).toMatch(/; Secure/)
    expect(formCookie).toMatch(/; HttpOnly/)
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ""
    const reply = await fetch(`${gateway.base}/inloggen`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: gateway.base,
        cookie: formCookie.split(";")[0] ?? "",
      },
      body: new URLSearchParams({ _csrf: csrf, token: worker.token, terug: "/" }).toString(),
    })
    expect(reply.status).toBe(303)
    const session = reply.headers.getSetCookie().find((c) => c.startsWith("__Host-vr_sessie=")) ?? ""
    expect(session).toMatch(/; Path=\/(;|$)/)
    expect(session).toMatch(/; Secure/)
    expect(session).toMatch(/; HttpOnly/)
    expect(session).toMatch(/; SameSite=Lax/)
    expect(session).not.toMatch(/Domain=/i)
  })
})
