/// <reference lib="dom" />
/**
 * Signing in to the web app with a one-time link mailed to the address on the account, in a real
 * Chromium against a real gateway (SQLite file) and a real SMTP server on loopback: the link works
 * once and for a short time, opening it (as a mail scanner does) does not use it up, the answer to
 * a request does not say whether the address has an account, requests are rate limited per address,
 * and a person who followed a mail link to a page comes back to that page after signing in. Every
 * page passes axe-core with 0 violations.
 *
 * Expiry is tested with a link whose validity is zero (`webSignInLinkMs: 0`), so no test waits on
 * the clock.
 */
import { Mail, MailConfig, Transport, Worker } from "@verzuimregie/mail"
import { Database } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startSmtp, type TestSmtp } from "../../../packages/mail/test/support/smtp.js"
import { chromiumMissing, launchChromium, watch } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { expectGoodPage, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web sign-in link browser test")
const PUBLIC = "https://verzuimregie.example"

describe.skipIf(missing)("signing in with an e-mailed link, in headless Chromium", () => {
  let gateway: Gateway
  let smtp: TestSmtp
  let browser: Browser
  let config: MailConfig.MailConfig

  /** One pass of the mail worker over the gateway's outbox; the sent count. */
  const sendMail = async (webSignInLinkMs?: number) => {
    const transport = Transport.fromConfig(config)
    const result = await gateway.runtime
      .runPromise(
        Worker.processBatch(
          Mail.workerOptions({ regions: gateway.config.regions, config, workerId: "test-worker" }),
          {
            ...Mail.renderEnv({ regions: gateway.config.regions, config }, undefined),
            ...(webSignInLinkMs === undefined ? {} : { webSignInLinkMs }),
          },
        ).pipe(Effect.provideService(Transport.Mailer, transport)),
      )
      .finally(() => transport.close())
    return result.sent
  }

  const rows = <A extends object>(query: string) =>
    gateway.runtime.runPromise(Effect.flatMap(Database.Database, (db) => db.sql.unsafe<A>(query))) as Promise<
      ReadonlyArray<A>
    >

  /** The path of the sign-in link in the one mail that arrives next (to `to`). */
  const nextLink = async (before: number, to: string) => {
    await smtp.waitFor(before + 1)
    const mail = smtp.received[before]
    if (mail === undefined) throw new Error("no mail")
    expect(mail.to).toEqual([to])
    expect(mail.parsed.subject).toBe("Uw inloglink voor verzuimregie")
    const text = mail.parsed.text ?? ""
    const match =
      /https:\/\/verzuimregie\.example(\/inloggen\/link\/vrl_[0-9a-z]{16}_[A-Za-z0-9_-]{43}(\?terug=[^\s]+)?)/.exec(
        text,
      )
    if (match === null) throw new Error(`no sign-in link in the mail:\n${text}`)
    return { path: match[1] as string, text, html: String(mail.parsed.html) }
  }

  /** Asks for a link through the form, as a person would, starting on the sign-in page. */
  const requestLink = async (page: Page, email: string, start = "/inloggen") => {
    await page.goto(`${gateway.base}${start}`)
    await page.click("text=Stuur mij een inloglink per e-mail")
    await page.waitForURL(/\/inloggen\/link(\?|$)/)
    await page.fill("#veld-email", email)
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.click("button[type=submit]"),
    ])
    return response.status()
  }

  /** A link request without a browser: the form's double-submit token and its cookie, then the post. */
  const postRequest = async (email: string) => {
    const form = await fetch(`${gateway.base}/inloggen/link`)
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ""
    const cookie = (form.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
    const posted = await fetch(`${gateway.base}/inloggen/link`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: gateway.base, cookie },
      body: new URLSearchParams({ _csrf: token, terug: "/", email }).toString(),
    })
    return posted.status
  }

  beforeAll(async () => {
    smtp = await startSmtp()
    gateway = await startGateway()
    browser = await launchChromium()
    config = Either.getOrThrow(
      MailConfig.fromEnvironment({
        SMTP_URL: smtp.url,
        SMTP_INSECURE_LOOPBACK: "1",
        MAIL_FROM: "verzuimregie <noreply@verzuimregie.example>",
        PUBLIC_URL: `${PUBLIC}/`,
      }),
    )
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
    await smtp?.stop()
  })

  it("mails a link that opens a button page (a scanner's GET spends nothing), signs in once, and says 'al gebruikt' after", async () => {
    const person = await gateway.user(["case-worker"], ["westland"], { name: "Linda Linkgebruiker" })
    const context = await browser.newContext()
    const page = await context.newPage()
    const seen = watch(page, gateway.base)

    const before = smtp.received.length
    expect(await requestLink(page, person.email.toUpperCase())).toBe(200)
    expect(await page.locator("h1").textContent()).toBe("Kijk in uw e-mail")
    await expectGoodPage({ page, seen })
    const answered = await page.locator("main").textContent()

    expect(await sendMail()).toBe(1)
    const mail = await nextLink(before, person.email)
    // No name (not even the person's own), the link is personal and short-lived.
    expect(mail.text).not.toContain("Linda")
    expect(mail.text).toContain("persoonlijk")
    expect(mail.text).toContain("15 minuten")
    const secret = (mail.path.split("/").pop() as string).split("?")[0] as string
    // Only the hash is stored; the outbox holds the link's id, never its secret.
    expect(JSON.stringify(await rows("SELECT hash, purpose FROM token_links"))).not.toContain(
      secret.slice(21),
    )
    expect(JSON.stringify(await rows("SELECT payload FROM outbox"))).not.toContain("vrl_")

    // A mail scanner fetches the link: that shows the button page and uses nothing up.
    for (let i = 0; i < 2; i++) {
      const scanned = await fetch(`${gateway.base}${mail.path}`)
      expect(scanned.status).toBe(200)
      expect(await scanned.text()).toContain("Inloggen bij verzuimregie")
    }

    await page.goto(`${gateway.base}${mail.path}`)
    expect(await page.locator("h1").textContent()).toBe("Inloggen bij verzuimregie")
    await expectGoodPage({ page, seen })
    await page.click("button[type=submit]")
    await page.waitForURL(`${gateway.base}/`)
    // The start page itself is checked by web-sign-in.test.ts.
    expect(await page.locator("h1").textContent()).toBe("Welkom, Linda Linkgebruiker")
    const sessions = await rows<{ method: string }>("SELECT method FROM web_sessions")
    expect(sessions.map((s) => s.method)).toContain("link")

    // Again, in another browser: the link is used up.
    const other = await browser.newContext()
    const again = await other.newPage()
    const seenAgain = watch(again, gateway.base)
    await again.goto(`${gateway.base}${mail.path}`)
    expect(await again.locator("h1").textContent()).toBe("Deze link is al gebruikt")
    await expectGoodPage({ page: again, seen: seenAgain })
    await other.close()

    // An address nobody has: the same answer, and no mail.
    const signedOut = await browser.newContext()
    const nobody = await signedOut.newPage()
    const seenNobody = watch(nobody, gateway.base)
    const beforeNobody = smtp.received.length
    expect(await requestLink(nobody, "niemand@nergens.example")).toBe(200)
    // The same page, word for word (checked with axe above).
    expect(await nobody.locator("main").textContent()).toBe(answered)
    expect(seenNobody.problems).toEqual([])
    await signedOut.close()
    expect(await sendMail()).toBe(0)
    expect(smtp.received.length).toBe(beforeNobody)

    // Neither the log nor the audit holds the address or the secret; the log names the route.
    const logged = JSON.stringify(gateway.logs)
    expect(logged).not.toContain(secret)
    expect(logged).not.toContain("niemand@nergens.example")
    expect(gateway.logs.some((l) => l.route === "/inloggen/link/:secret")).toBe(true)
    const audit = JSON.stringify(await rows("SELECT * FROM audit_log"))
    expect(audit).not.toContain("nergens.example")
    expect(audit.toLowerCase()).not.toContain(person.email)
    const contexts = (await rows<{ context: string }>("SELECT context FROM audit_log")).map((r) => r.context)
    expect(contexts).toEqual(
      expect.arrayContaining(["web.sign-in-link:request", "web.sign-in:link", "web.sign-in-link:no-account"]),
    )
    await context.close()
  })

  it("ends the session the browser still had when a link signs it in: the old cookie opens nothing", async () => {
    const earlier = await gateway.user(["case-worker"], ["westland"])
    const person = await gateway.user(["case-worker"], ["westland"], { name: "Lotte Linkgebruiker" })
    const signedIn = await signIn(browser, gateway, earlier.token)
    const old = await sessionCookie(signedIn.context)
    const opens = async (cookie: string) =>
      (await fetch(`${gateway.base}/`, { redirect: "manual", headers: { cookie } })).status
    expect(await opens(old)).toBe(200)
    const before = smtp.received.length
    expect(await postRequest(person.email)).toBe(200)
    expect(await sendMail()).toBe(1)
    const { path } = await nextLink(before, person.email)
    // The link is opened in the browser that is still signed in as someone else.
    await signedIn.page.goto(`${gateway.base}${path}`)
    await signedIn.page.click("button[type=submit]")
    await signedIn.page.waitForURL(`${gateway.base}/`)
    expect(await signedIn.page.locator("h1").textContent()).toBe("Welkom, Lotte Linkgebruiker")
    const fresh = await sessionCookie(signedIn.context)
    expect(fresh).not.toBe(old)
    expect(await opens(fresh)).toBe(200)
    expect(await opens(old)).toBe(303)
    const ended = await rows<{ ended_reason: string | null }>(
      `SELECT ended_reason FROM web_sessions WHERE user_id = '${earlier.id}'`,
    )
    expect(ended.map((r) => r.ended_reason)).toEqual(["vervangen"])
    const contexts = (await rows<{ context: string }>("SELECT context FROM audit_log")).map((r) => r.context)
    expect(contexts).toContain("web.sign-out:replaced")
    await signedIn.close()
  })

  it("says 'verlopen' for a link past its time", async () => {
    const person = await gateway.user(["coordinator"], ["westland"])
    const context = await browser.newContext()
    const page = await context.newPage()
    const seen = watch(page, gateway.base)
    const before = smtp.received.length
    expect(await requestLink(page, person.email)).toBe(200)
    expect(await sendMail(0)).toBe(1)
    const { path } = await nextLink(before, person.email)
    const opened = await page.goto(`${gateway.base}${path}`)
    expect(opened?.status()).toBe(410)
    expect(await page.locator("h1").textContent()).toBe("Deze link is verlopen")
    await expectGoodPage({ page, seen })
    await context.close()
  })

  it("limits requests per address: the fourth in a row is the Dutch 429 page", async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const seen = watch(page, gateway.base)
    for (let i = 0; i < 3; i++) expect(await postRequest("stormloop@nergens.example")).toBe(200)
    expect(await requestLink(page, "stormloop@nergens.example")).toBe(429)
    expect(await page.locator("h1").textContent()).toBe("Te vaak geprobeerd")
    await expectGoodPage({ page, seen })
    // Another address is not held back by it.
    expect(await postRequest("iemand.anders@nergens.example")).toBe(200)
    await context.close()
  })

  it("refuses a link request without the form's token, and an unknown link with a clear page", async () => {
    const refused = await fetch(`${gateway.base}/inloggen/link`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: gateway.base },
      body: new URLSearchParams({ email: "iemand@nergens.example" }).toString(),
    })
    expect(refused.status).toBe(403)

    const context = await browser.newContext()
    const page = await context.newPage()
    const seen = watch(page, gateway.base)
    const opened = await page.goto(`${gateway.base}/inloggen/link/vrl_0000000000000000_${"a".repeat(43)}`)
    expect(opened?.status()).toBe(404)
    expect(await page.locator("h1").textContent()).toBe("Deze link werkt niet")
    await expectGoodPage({ page, seen })

    // An empty or malformed address: the error summary links to the field.
    await page.goto(`${gateway.base}/inloggen/link`)
    await page.fill("#veld-email", "geen-adres")
    await page.click("button[type=submit]")
    await expect.poll(() => page.locator("[role=alert] a").getAttribute("href")).toBe("#veld-email")
    expect(await page.getAttribute("#veld-email", "aria-invalid")).toBe("true")
    await expectGoodPage({ page, seen })
    await context.close()
  })

  it("brings a person who followed a mail link to a page back to that page, by link and by token", async () => {
    const person = await gateway.user(["case-worker"], ["westland"])
    const target = "/dossiers/cas_terugnaarditdossier"
    // Where a signed-out visitor of a page is sent (`PageKit.signedIn`).
    const start = `/inloggen?terug=${encodeURIComponent(target)}`

    // By e-mailed link: the return path travels in the mail's link.
    const context = await browser.newContext()
    const page = await context.newPage()
    const seen = watch(page, gateway.base)
    const before = smtp.received.length
    expect(await requestLink(page, person.email, start)).toBe(200)
    expect(await sendMail()).toBe(1)
    const { path } = await nextLink(before, person.email)
    expect(path).toContain(`?terug=${encodeURIComponent(target)}`)
    await page.goto(`${gateway.base}${path}`)
    expect(seen.problems).toEqual([])
    await page.click("button[type=submit]")
    // The dossier page is not on this branch yet: its path is what counts (a 404 page for now).
    await page.waitForURL(`${gateway.base}${target}`)
    await context.close()

    // By token: the sign-in form keeps the return path too.
    const tokenContext = await browser.newContext()
    const tokenPage = await tokenContext.newPage()
    await tokenPage.goto(`${gateway.base}${start}`)
    await tokenPage.fill("#token", person.token)
    await tokenPage.click("button[type=submit]")
    await tokenPage.waitForURL(`${gateway.base}${target}`)
    await tokenContext.close()
  })
})
