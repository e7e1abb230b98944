/// <reference lib="dom" />
/**
 * The Werkvoorraad and Zoeken pages in a real Chromium against a real gateway on a SQLite file: a
 * case worker sees their own cases and their region's, filters, sorts and pages them; finds a
 * pupil by name, BSN or birth date through the POST form (nothing of it in any URL the browser
 * asked for); a pupil of another region never appears; a referrer and an admin get the 403 page;
 * every page state passes axe-core with 0 violations.
 */
import { type CaseEvent, Ids, LocalDate, type Party, Timestamp } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway } from "./support/gateway.js"
import { expectGoodPage, postForm, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("werkvoorraad browser test")

const REGION = "westland"
const OTHER = "amstelland-meerlanden"
const NOOR = { givenName: "Noor", familyName: "Vermeulen", birthDate: "2013-04-05", bsn: "111222333" }

interface Seed {
  readonly region: string
  readonly pupil: { givenName: string; familyName: string; birthDate?: string; bsn?: string }
  readonly openedAt: string
  readonly regiehouder?: Party.RegiehouderRef
  readonly actionDue?: string
}

describe.skipIf(missing)("werkvoorraad and zoeken in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  let worker: Awaited<ReturnType<Gateway["user"]>>
  const caseIds = new Map<string, string>()

  /** A case written to the store with the dates the test needs (the API stamps today). */
  const seed = async (spec: Seed) => {
    const plugin = gateway.config.regions.find((r) => r.region.id === spec.region)?.plugin
    if (plugin === undefined) throw new Error(spec.region)
    const at = Timestamp.Timestamp.make(spec.openedAt)
    const base = Fixtures.referralReceived(
      plugin,
      Fixtures.referralFor(plugin, { on: LocalDate.make("2026-11-16") }),
      at,
    )
    const referral = {
      ...base,
      referral: {
        ...base.referral,
        id: Ids.newId.referral(),
        regionId: Ids.RegionId.make(spec.region),
        pupil: {
          ...base.referral.pupil,
          id: Ids.newId.pupil(),
          name: { givenName: spec.pupil.givenName, familyName: spec.pupil.familyName },
          birthDate: LocalDate.make(spec.pupil.birthDate ?? "2013-01-01"),
          ...(spec.pupil.bsn === undefined
            ? {}
            : { personNumber: { _tag: "bsn" as const, value: spec.pupil.bsn } }),
        },
      },
    } as typeof base
    const later = (minutes: number) =>
      Timestamp.Timestamp.make(new Date(Date.parse(spec.openedAt) + minutes * 60_000).toISOString())
    const events: Array<CaseEvent.CaseEvent> = []
    if (spec.regiehouder !== undefined)
      events.push({
        _tag: "RegiehouderAssigned",
        at: later(1),
        by: Fixtures.fixtureStaff,
        regiehouder: spec.regiehouder,
      })
    if (spec.actionDue !== undefined)
      events.push({
        _tag: "ActionAssigned",
        at: later(2),
        by: Fixtures.fixtureStaff,
        action: {
          id: Ids.newId.action(),
          description: "Huisbezoek plannen",
          owner: Fixtures.fixtureStaff,
          dueOn: LocalDate.make(spec.actionDue),
        },
      } as CaseEvent.CaseEvent)
    const created = await gateway.runtime.runPromise(
      Effect.flatMap(CaseStore.CaseStore, (store) =>
        store.create({ referral, events, regions: [Ids.RegionId.make(spec.region)] }),
      ),
    )
    caseIds.set(`${spec.pupil.givenName} ${spec.pupil.familyName}@${spec.region}`, created.state.id)
  }

  beforeAll(async () => {
    gateway = await startGateway()
    browser = await launchChromium()
    worker = await gateway.user(["case-worker"], [REGION], { name: "Fatima Casusregisseur" })
    const colleague = await gateway.user(["case-worker"], [REGION], { name: "Kees Collega" })
    const ref = (user: typeof worker) => ({ name: user.name, role: user.partyRole, userId: user.id })
    // TODAY is 2026-11-16. Noor's case is old (its deadlines have passed); Daan's action is due in 2 days.
    await seed({
      region: REGION,
      pupil: NOOR,
      openedAt: "2026-10-01T08:00:00.000Z",
      regiehouder: ref(worker),
    })
    for (let i = 0; i < 26; i++)
      await seed({
        region: REGION,
        pupil: { givenName: `Vulkind${String(i).padStart(2, "0")}`, familyName: "Westland" },
        openedAt: `2026-11-16T07:${String(i).padStart(2, "0")}:00.000Z`,
        regiehouder: ref(colleague),
      })
    await seed({
      region: REGION,
      pupil: { givenName: "Daan", familyName: "de Graaf" },
      openedAt: "2026-11-16T09:00:00.000Z",
      regiehouder: ref(worker),
      actionDue: "2026-11-18",
    })
    // Another region's pupil with the same name, birth date and BSN.
    await seed({ region: OTHER, pupil: NOOR, openedAt: "2026-11-01T08:00:00.000Z" })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
  })

  const rowsOf = async (page: import("playwright-core").Page) =>
    page
      .locator("table tbody tr")
      .evaluateAll((rows) =>
        rows.map((row) =>
          Array.from(row.querySelectorAll("td")).map((cell) => cell.textContent?.trim() ?? ""),
        ),
      )

  it("shows the worker's own cases by urgency, the region's cases filtered and paged, newest first on request", async () => {
    const signed = await signIn(browser, gateway, worker.token)
    const { page } = signed
    try {
      await page.click("nav[aria-label=Hoofdmenu] >> text=Werkvoorraad")
      await page.waitForURL(`${gateway.base}/werkvoorraad`)
      expect(await page.locator("h1").textContent()).toBe("Werkvoorraad")
      let rows = await rowsOf(page)
      expect(rows.map((r) => r[0])).toEqual(["Noor Vermeulen", "Daan de Graaf"])
      // Overdue and due soon are said in words, not by colour alone.
      expect(rows[0]?.[3]).toMatch(/^Verlopen: /)
      expect(rows[1]?.[3]).toMatch(/^Binnenkort: Actie: Huisbezoek plannen, 18 november 2026$/)
      expect(rows[0]?.[2]).toBe("46")
      expect(await page.locator("a", { hasText: "Noor Vermeulen" }).getAttribute("href")).toBe(
        `/dossiers/${caseIds.get(`Noor Vermeulen@${REGION}`)}`,
      )
      await expectGoodPage(signed)

      // Newest first.
      await page.selectOption("#veld-sortering", "nieuwste")
      await page.click("text=Toon casussen")
      await page.waitForURL(/sortering=nieuwste/)
      rows = await rowsOf(page)
      expect(rows.map((r) => r[0])).toEqual(["Daan de Graaf", "Noor Vermeulen"])
      expect(signed.seen.problems).toEqual([])

      // The region's cases: 28 open, 25 a page; Noor's overdue case first.
      await page.click("text=Casussen van mijn regio's")
      await page.waitForURL(`${gateway.base}/werkvoorraad?lijst=regio`)
      rows = await rowsOf(page)
      expect(rows).toHaveLength(25)
      expect(rows[0]?.[0]).toBe("Noor Vermeulen")
      await expectGoodPage(signed)
      await page.click("text=Volgende pagina")
      await page.waitForURL(/cursor=/)
      const second = await rowsOf(page)
      expect(second).toHaveLength(3)
      const seen = new Set([...rows, ...second].map((r) => r[0]))
      expect(seen.size).toBe(28)
      expect(seen.has("Daan de Graaf")).toBe(true)
      expect(signed.seen.problems).toEqual([])

      // Newest first, paged: Noor's case, the oldest, last.
      await page.goto(`${gateway.base}/werkvoorraad?lijst=regio&sortering=nieuwste`)
      expect((await rowsOf(page))[0]?.[0]).toBe("Daan de Graaf")
      await page.click("text=Volgende pagina")
      await page.waitForURL(/cursor=/)
      expect((await rowsOf(page)).map((r) => r[0]).at(-1)).toBe("Noor Vermeulen")
      expect(signed.seen.problems).toEqual([])

      // Filter by regiehouder: only ids go into the address.
      await page.click("text=Eerste pagina")
      await page.selectOption("#veld-regiehouder", worker.id)
      await page.click("text=Toon casussen")
      await page.waitForURL(/regiehouder=/)
      expect(new URL(page.url()).searchParams.get("regiehouder")).toBe(worker.id)
      expect(new URL(page.url()).searchParams.get("sortering")).toBe("nieuwste")
      rows = await rowsOf(page)
      expect(rows.map((r) => r[0])).toEqual(["Daan de Graaf", "Noor Vermeulen"])
      expect(signed.seen.problems).toEqual([])

      // A status no case has: an empty list, said in words.
      const statuses = await page
        .locator("#veld-status option")
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ""))
      expect(statuses.length).toBeGreaterThan(1)
      await page.selectOption("#veld-status", statuses[statuses.length - 1] ?? "")
      await page.click("text=Toon casussen")
      await page.waitForURL(/status=/)
      expect(await page.locator("main").textContent()).toContain("Geen open casussen met deze filters.")
      await expectGoodPage(signed)

      // Nothing of another region, on any page.
      for (const url of signed.seen.requests) expect(url).not.toMatch(/noor|vermeulen|111222333/i)
    } finally {
      await signed.close()
    }
  }, 60_000)

  it("finds a pupil by name, BSN or birth date within the region only; nothing of it in a URL", async () => {
    const signed = await signIn(browser, gateway, worker.token)
    const { page } = signed
    const westlandNoor = `/dossiers/${caseIds.get(`Noor Vermeulen@${REGION}`)}`
    try {
      await page.goto(`${gateway.base}/zoeken`)
      expect(await page.locator("h1").textContent()).toBe("Zoeken")
      await expectGoodPage(signed)

      // Nothing filled in: the error summary.
      await page.click("button:text('Zoeken')")
      await expect.poll(() => page.locator(".vr-error-summary").count()).toBe(1)
      expect(await page.title()).toMatch(/^Fout: /)
      await expectGoodPage(signed)

      const search = async (fields: Record<string, string>) => {
        await page.goto(`${gateway.base}/zoeken`)
        for (const [id, value] of Object.entries(fields)) await page.fill(`#veld-${id}`, value)
        await page.click("button:text('Zoeken')")
        await page.waitForSelector("#resultaten-kop")
        expect(new URL(page.url()).pathname).toBe("/zoeken")
        expect(new URL(page.url()).search).toBe("")
        expect(signed.seen.problems).toEqual([])
        return page
          .locator("table tbody tr a")
          .evaluateAll((links) => links.map((a) => [a.textContent, a.getAttribute("href")]))
      }
      expect(await search({ naam: "nOoR" })).toEqual([["Noor Vermeulen", westlandNoor]])
      await expectGoodPage(signed)
      expect(await search({ nummer: "111222333" })).toEqual([["Noor Vermeulen", westlandNoor]])
      expect(await search({ geboortedatum: "2013-04-05" })).toEqual([["Noor Vermeulen", westlandNoor]])
      expect(await search({ naam: "graaf" })).toEqual([
        ["Daan de Graaf", `/dossiers/${caseIds.get(`Daan de Graaf@${REGION}`)}`],
      ])
      // More than a page: the next one is asked for with a POST too.
      expect(await search({ naam: "westland" })).toHaveLength(25)
      await page.click("button:text('Meer resultaten')")
      await page.waitForSelector("#resultaten-kop")
      expect(await page.locator("table tbody tr").count()).toBe(1)
      expect(new URL(page.url()).search).toBe("")
      expect(await search({ naam: "Jansen" })).toEqual([])
      expect(await page.locator("[role=status]").textContent()).toContain("Geen leerling gevonden")
      await expectGoodPage(signed)

      // The name, BSN and birth date went in POST bodies only.
      for (const url of signed.seen.requests)
        expect(url).not.toMatch(/noor|graaf|jansen|westland|111222333|2013-04-05/i)

      // A search without the session's CSRF token is refused.
      const refused = await postForm(
        gateway,
        "/zoeken",
        { naam: "noor" },
        { cookie: await sessionCookie(signed.context) },
      )
      expect(refused.status).toBe(403)
    } finally {
      await signed.close()
    }
  }, 60_000)

  it("gives a referrer and an admin the 403 page on both", async () => {
    let checked = false
    for (const roles of [["referrer"], ["admin"]] as const) {
      const user = await gateway.user([...roles], [REGION])
      const signed = await signIn(browser, gateway, user.token)
      try {
        for (const path of ["/werkvoorraad", "/zoeken"]) {
          const response = await signed.page.goto(`${gateway.base}${path}`)
          expect(response?.status()).toBe(403)
          expect(await signed.page.locator("h1").textContent()).toBe("Geen toegang")
          // The 403 page is one page state: axe once.
          if (!checked) await expectGoodPage(signed)
          checked = true
        }
      } finally {
        await signed.close()
      }
    }
  }, 60_000)
})
