/// <reference lib="dom" />
/**
 * One whole case with the keyboard alone, in a real Chromium: after opening the sign-in page, only
 * keys (Tab, Shift+Tab, Enter, Space, arrows, typing), no clicks, no `fill`, no address typed in.
 * Sign in (after a wrong token: the error summary's link moves focus to the field), skip to the
 * content, the menu to the werkvoorraad, the case's dossier, "Gebeurtenis vastleggen", a contact
 * (first sent incomplete: the summary's links take focus to the select and to the radio group), the
 * first step, the school attendance, the closing step (its outcome first forgotten), and sign out.
 * At every stop the focused element shows the focus (`:focus-visible` with an outline or shadow).
 *
 * Region: Amstelland en de Meerlanden, whose workflow closes a *beperkte melding* in two steps
 * (registreer-beperkt, then afsluiten once the pupil is back at school).
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium, watch } from "./support/browser.js"
import { type Gateway, referrerOf, startGateway, TODAY } from "./support/gateway.js"

const missing = chromiumMissing("web keyboard-only browser test")
const REGION = "amstelland-meerlanden"

interface Focused {
  readonly tag: string
  readonly id: string
  readonly text: string
  readonly href: string | null
  readonly name: string | null
  readonly value: string
  readonly checked: boolean
  /** Focused and drawn as such: an outline or a box shadow, on a box that shows. */
  readonly visible: boolean
  readonly style?: string
}

const focusedElement = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (el === null || el === document.body)
      return {
        tag: "body",
        id: "",
        text: "",
        href: null,
        name: null,
        value: "",
        checked: false,
        visible: false,
      }
    const style = getComputedStyle(el)
    const rect = el.getBoundingClientRect()
    const drawn =
      (style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0) ||
      style.boxShadow !== "none"
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 80),
      href: el.getAttribute("href"),
      name: el.getAttribute("name"),
      value: (el as HTMLInputElement).value ?? "",
      checked: (el as HTMLInputElement).checked === true,
      // Not only `:focus-visible`: with focus on a date field's calendar button the field matches only
      // `:focus-within`, and must show it all the same (only the keyboard moves focus here).
      visible: el.matches(":focus-within") && drawn && rect.width > 0 && rect.height > 0,
      style: `${el.matches(":focus-visible")} ${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow} ${rect.width}x${rect.height}`,
    }
  })

const describeFocus = (f: Focused) =>
  `${f.tag}${f.id === "" ? "" : `#${f.id}`}${f.name === null ? "" : `[name=${f.name}]`} "${f.text}" (${f.style})${f.href === null ? "" : ` → ${f.href}`}`

/** The keyboard, and nothing else; every stop it lands on must show its focus. */
const keyboardOf = (page: Page) => {
  const press = async (key: string): Promise<Focused> => {
    await page.keyboard.press(key)
    const focused = await focusedElement(page)
    if (focused.tag !== "body")
      expect(focused.visible, `focus not visible on ${describeFocus(focused)}`).toBe(true)
    return focused
  }
  /** Tabs (or Shift+Tabs) until `wanted` has focus; every stop on the way is checked. */
  const tabTo = async (
    wanted: (f: Focused) => boolean,
    key: "Tab" | "Shift+Tab" = "Tab",
  ): Promise<Focused> => {
    const stops: Array<string> = []
    for (let i = 0; i < 80; i++) {
      const focused = await press(key)
      if (wanted(focused)) return focused
      stops.push(describeFocus(focused))
    }
    throw new Error(`never reached; stops: ${stops.join(" | ")}`)
  }
  /** A key that loads a page (a link followed, a form sent); waits for it. */
  const follow = async (key = "Enter") => {
    await Promise.all([page.waitForEvent("load"), page.keyboard.press(key)])
  }
  return { press, tabTo, follow, type: (text: string) => page.keyboard.type(text) }
}

const path = (page: Page) => {
  const url = new URL(page.url())
  return `${url.pathname}${url.search}`
}

const link = (text: string) => (f: Focused) => f.tag === "a" && f.text === text
const button = (text: string) => (f: Focused) => f.tag === "button" && f.text === text

describe.skipIf(missing)("one whole case with the keyboard only", () => {
  let gateway: Gateway
  let browser: Browser
  beforeAll(async () => {
    ;[gateway, browser] = await Promise.all([startGateway(), launchChromium()])
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
  })

  it("signs in, works an Amstelland case to its close and signs out, focus always visible", async () => {
    const worker = await gateway.user(["case-worker"], [REGION], {
      name: "Kees Toetsenbord",
      partyRole: "orthopedagoog-swv",
    })
    const referrer = await gateway.user(["referrer"], [REGION], {
      organisation: "Fictief College",
      partyRole: "coordinator-passend-onderwijs",
    })
    const plugin = gateway.config.regions.find((r) => r.region.id === REGION)?.plugin
    if (plugin === undefined) throw new Error(REGION)
    const example = Fixtures.referralFor(plugin, { on: TODAY })
    const body = {
      ...example,
      extension: { ...(example.extension as Record<string, unknown>), melding: "beperkt" },
      regionId: REGION,
      referrer: referrerOf(referrer),
    } as unknown as Referral.ReferralSubmission
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body })
    expect(created.status, created.text).toBe(201)
    const caseId = created.json.caseId as string
    const pupil = `${body.pupil.name.givenName} ${body.pupil.name.familyName}`
    const dossier = `/dossiers/${caseId}`

    const context = await browser.newContext()
    const page = await context.newPage()
    const seen = watch(page, gateway.base)
    const keys = keyboardOf(page)
    await page.goto(`${gateway.base}/inloggen`)

    // The skip link comes first and takes focus to the content; then the token field.
    expect((await keys.press("Tab")).text).toBe("Naar de inhoud")
    await keys.press("Enter")
    expect((await focusedElement(page)).id).toBe("inhoud")
    expect((await keys.press("Tab")).id).toBe("token")
    await keys.type("vrt_0000000000000000_onzin")
    await keys.follow("Enter")
    // Refused: the error summary is reachable, and its link puts focus on the field.
    expect(await page.locator("[role=alert]").count()).toBe(1)
    await keys.tabTo((f) => f.tag === "a" && f.href === "#token")
    expect((await keys.press("Enter")).id).toBe("token")
    await keys.press("ControlOrMeta+A")
    await keys.type(worker.token)
    await keys.follow("Enter")
    expect(path(page)).toBe("/")

    // The menu: Werkvoorraad, then the list of the region's cases, then the pupil's dossier.
    await keys.tabTo(link("Werkvoorraad"))
    await keys.follow()
    expect(path(page)).toBe("/werkvoorraad")
    await keys.tabTo(link("Casussen van mijn regio's"))
    await keys.follow()
    await keys.tabTo((f) => f.tag === "a" && f.href === dossier)
    await keys.follow()
    expect(path(page)).toBe(dossier)
    expect(await page.locator("h1").textContent()).toBe(`Dossier van ${pupil}`)

    // A contact: sent without who and how first.
    await keys.tabTo(link("Gebeurtenis vastleggen"))
    await keys.follow()
    expect(path(page)).toBe(`${dossier}/vastleggen`)
    await keys.tabTo(link("Contact vastleggen"))
    await keys.follow()
    await keys.tabTo(button("Vastleggen"))
    await keys.follow()
    expect(await page.locator(".vr-error-summary").count()).toBe(1)
    const withLink = await keys.tabTo((f) => f.tag === "a" && f.href === "#veld-with")
    expect(withLink.text).toContain("Contact met")
    expect((await keys.press("Enter")).id).toBe("veld-with")
    await keys.type("Ouder")
    expect((await focusedElement(page)).value).toBe("ouder")
    // Back to the summary (Shift+Tab), to its second link: focus lands in the radio group.
    await keys.tabTo((f) => f.tag === "a" && f.href === "#veld-channel", "Shift+Tab")
    expect(await keys.press("Enter")).toMatchObject({ tag: "fieldset", id: "veld-channel" })
    expect((await keys.press("Tab")).name).toBe("channel")
    // Arrows move through the radio buttons and choose: the second is "E-mail".
    expect(await keys.press("ArrowDown")).toMatchObject({ value: "e-mail", checked: true })
    await keys.tabTo(button("Vastleggen"))
    await keys.follow()
    expect(path(page)).toBe(`${dossier}?vastgelegd=contact`)
    expect(await page.locator("[role=status]").textContent()).toContain("vastgelegd")

    // The first step: a beperkte melding is registered.
    await keys.tabTo(link("Registreren als beperkte melding"))
    await keys.follow()
    await keys.tabTo(button("Stap zetten"))
    await keys.follow("Space")
    expect(path(page)).toBe(`${dossier}?stap=registreer-beperkt`)
    expect(await page.locator(".vr-dossier__lead").textContent()).toContain("Beperkte melding")

    // The pupil is back at school.
    await keys.tabTo(link("Gebeurtenis vastleggen"))
    await keys.follow()
    await keys.tabTo(link("Schoolgang vastleggen"))
    await keys.follow()
    const situation = await keys.tabTo((f) => f.name === "situation")
    expect(situation.value).toBe("naar-school")
    expect((await keys.press("Space")).checked).toBe(true)
    await keys.tabTo((f) => f.name === "fittingOffer")
    expect((await keys.press("Space")).value).toBe("ja")
    await keys.tabTo(button("Vastleggen"))
    await keys.follow()
    expect(path(page)).toBe(`${dossier}?vastgelegd=schoolgang`)

    // The closing step, its outcome forgotten first.
    await keys.tabTo(link("Afsluiten: leerling volgt weer onderwijs"))
    await keys.follow()
    await keys.tabTo(button("Stap zetten"))
    await keys.follow()
    expect(await page.locator(".vr-error-summary").textContent()).toContain("Uitkomst")
    await keys.tabTo((f) => f.tag === "a" && f.href === "#veld-outcome-kind")
    expect(await keys.press("Enter")).toMatchObject({ tag: "fieldset", id: "veld-outcome-kind" })
    const outcome = await keys.press("Tab")
    expect(outcome.name).toBe("outcome.kind")
    expect((await keys.press("Space")).checked).toBe(true)
    const chosen = outcome.value
    await keys.tabTo(button("Stap zetten"))
    await keys.follow()
    expect(path(page)).toBe(`${dossier}?stap=afsluiten`)
    expect(await page.locator(".vr-dossier__lead").textContent()).toContain("Afgesloten")
    const closed = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
    expect(closed.json.case.closed).toEqual({ on: TODAY, outcome: { kind: chosen } })

    // Sign out: from the content, Shift+Tab reaches the button in the header.
    await keys.tabTo((f) => f.text === "Naar de inhoud", "Shift+Tab")
    await keys.press("Enter")
    await keys.tabTo(button("Uitloggen"), "Shift+Tab")
    await keys.follow()
    expect(path(page)).toBe("/inloggen?uitgelogd=1")
    expect(seen.problems).toEqual([])
    expect(seen.foreign).toEqual([])
    await context.close()
  })
})
