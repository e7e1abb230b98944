/// <reference lib="dom" />
/**
 * Working the web app as a person: sign in through the real form in Chromium, check a page the
 * way every page test does (axe-core 0 violations, nothing from elsewhere, nothing refused by the
 * CSP), and post a form without a browser for the CSRF checks.
 */
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, expect } from "vitest"
import { type DemoUser, seedDemo } from "../../src/Demo.js"
import { axeViolations, launchChromium, watch } from "./browser.js"
import { type Gateway, startGateway, TODAY } from "./gateway.js"

/**
 * A real gateway (SQLite) and Chromium for the tests of one file: started before them, handed to
 * `set`, closed after them.
 */
export const gatewayAndChromium = (set: (gateway: Gateway, browser: Browser) => void): void => {
  let gateway: Gateway | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    gateway = await startGateway()
    browser = await launchChromium()
    set(gateway, browser)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
  })
}

/**
 * `gatewayAndChromium` with the demo data (25 cases a region) seeded before the tests; `set` also
 * gets `tokenOf`, a demo user's token by e-mail address.
 */
export const demoGatewayAndChromium = (
  set: (gateway: Gateway, browser: Browser, tokenOf: (email: string) => string) => void,
): void => {
  let gateway: Gateway | undefined
  gatewayAndChromium((g, b) => {
    gateway = g
    set(g, b, (email) => users.find((u) => u.email === email)?.token as string)
  })
  let users: ReadonlyArray<DemoUser> = []
  beforeAll(async () => {
    users = await (gateway as Gateway).runtime.runPromise(
      seedDemo((gateway as Gateway).config.regions, 25, TODAY),
    )
  }, 60_000)
}

export interface SignedInPage {
  readonly context: BrowserContext
  readonly page: Page
  readonly seen: ReturnType<typeof watch>
  readonly close: () => Promise<void>
}

/** A fresh browser context signed in with `token` through the sign-in form; the page is on `/`. */
export const signIn = async (browser: Browser, gateway: Gateway, token: string): Promise<SignedInPage> => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const seen = watch(page, gateway.base)
  await page.goto(`${gateway.base}/inloggen`)
  await page.fill("#token", token)
  await page.click("button[type=submit]")
  await page.waitForURL(`${gateway.base}/`)
  return { context, page, seen, close: () => context.close() }
}

/** The page as every page test checks it: axe WCAG 2.1 A/AA clean, Dutch, no foreign loads, no CSP refusals. */
export const expectGoodPage = async (signedIn: Pick<SignedInPage, "page" | "seen">): Promise<void> => {
  expect(await signedIn.page.getAttribute("html", "lang")).toBe("nl")
  expect(await signedIn.page.locator("h1").count()).toBe(1)
  expect(await axeViolations(signedIn.page)).toEqual([])
  expect(signedIn.seen.foreign).toEqual([])
  expect(signedIn.seen.problems).toEqual([])
}

/** The CSRF token of the form on the current page. */
export const csrfOf = (page: Page): Promise<string> =>
  page.locator('input[name="_csrf"]').first().inputValue()

/** The session cookie of a signed-in context (`name=value`), for requests outside the browser. */
export const sessionCookie = async (context: BrowserContext): Promise<string> => {
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("vr_sessie"))
  return cookie === undefined ? "" : `${cookie.name}=${cookie.value}`
}

/** A form post without a browser (for CSRF and replay checks); redirects are not followed. */
export const postForm = (
  gateway: Gateway,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  fetch(`${gateway.base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: gateway.base, ...headers },
    body: new URLSearchParams(fields).toString(),
  })
