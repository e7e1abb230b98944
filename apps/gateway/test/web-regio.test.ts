/// <reference lib="dom" />
/**
 * The coordinator's region page in headless Chromium against a real gateway on SQLite: open cases
 * per status, thuiszitters and pact alarms, actions due, of their own region only (another
 * region's page is "niet gevonden"), the case list as a real `.xlsx` download audited as the API's
 * export is, the region's access log; a case worker gets the 403 page; a form without its CSRF
 * token is refused; axe-core finds 0 violations on every page state.
 */
import { readFile } from "node:fs/promises"
import { type CaseEvent, Ids, LocalDate, type Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { AuditLog, CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, referrerOf, startGateway, TODAY } from "./support/gateway.js"
import { expectGoodPage, postForm, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web regio browser test")

const OWN = "westland"
const OTHER = "amstelland-meerlanden"

describe.skipIf(missing)("the Regio page in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  const cases: Record<string, Array<string>> = { [OWN]: [], [OTHER]: [] }
  let atHomeOwn = ""
  let atHomeOther = ""

  /** A referral through the API, then (optionally) events straight into the store. */
  const referral = async (
    regionId: string,
    familyName: string,
    extra: (by: Referral.Referrer) => ReadonlyArray<CaseEvent.CaseEvent> = () => [],
  ) => {
    const referrer = await gateway.user(["referrer"], [regionId], {
      organisation: `School ${regionId}`,
      partyRole: "mentor",
    })
    const plugin = gateway.config.regions.find((r) => r.region.id === regionId)!.plugin
    const base = Fixtures.referralFor(plugin, { on: TODAY })
    const body = {
      ...base,
      regionId,
      referrer: referrerOf(referrer),
      pupil: { ...base.pupil, name: { givenName: "Regina", familyName } },
    } as Referral.ReferralSubmission
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body })
    expect(created.status, created.text).toBe(201)
    const caseId = created.json.caseId as Ids.CaseId
    const events = extra(referrerOf(referrer))
    if (events.length > 0)
      await gateway.runtime.runPromise(
        Effect.flatMap(CaseStore.CaseStore, (store) =>
          Effect.flatMap(store.get(caseId, { regions: [regionId as Ids.RegionId] }), (state) =>
            store.append({
              caseId,
              expectedVersion: state.version,
              events: [...events],
              regions: [regionId as Ids.RegionId],
            }),
          ),
        ),
      )
    cases[regionId]?.push(caseId)
    return caseId
  }

  let second = 0
  const meta = (by: Referral.Referrer) => ({
    at: `2026-11-16T09:00:${String(second++ % 60).padStart(2, "0")}.000Z` as CaseEvent.CaseEvent["at"],
    by: { name: by.name, role: by.role, organisationId: by.organisationId },
  })
  const atHome =
    (since: string) =>
    (by: Referral.Referrer): ReadonlyArray<CaseEvent.CaseEvent> => [
      {
        _tag: "AttendanceRecorded",
        ...meta(by),
        situation: "thuiszittend",
        since: LocalDate.make(since),
        fittingOffer: false,
      },
    ]

  beforeAll(async () => {
    gateway = await startGateway()
    browser = await launchChromium()
    atHomeOwn = await referral(OWN, "Thuiswest", atHome("2026-01-05"))
    await referral(OWN, "Actiewest", (by) => [
      {
        _tag: "ActionAssigned",
        ...meta(by),
        action: {
          id: Ids.newId.action(),
          description: "Huisbezoek plannen met leerplicht" as never,
          owner: { name: by.name, role: by.role },
          dueOn: LocalDate.addDays(TODAY, 2),
        },
      },
    ])
    await referral(OWN, "Gewoonwest")
    atHomeOther = await referral(OTHER, "Thuisamstel", atHome("2026-01-05"))
    await referral(OTHER, "Anderamstel")
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await gateway?.close()
  })

  it("shows a coordinator their region only: counts per status, thuiszitters, pact alarms, actions due", async () => {
    const coordinator = await gateway.user(["coordinator"], [OWN], { name: "Carla Coördinator" })
    const signedIn = await signIn(browser, gateway, coordinator.token)
    const { page } = signedIn
    await page.click("nav >> text=Regio")
    await page.waitForURL(`${gateway.base}/regio`)
    expect(await page.locator("h1").textContent()).toBe("Regio Westland")
    await expectGoodPage(signedIn)

    // Counts: three open cases, all in the workflow's first status, linked to the werkvoorraad.
    const plugin = gateway.config.regions.find((r) => r.region.id === OWN)!.plugin
    const initial = plugin.workflow.states.find((s) => s.id === plugin.workflow.initial)!
    const counts = page.locator("table", { has: page.locator("caption", { hasText: "Open casussen" }) })
    expect(await counts.locator("caption").textContent()).toContain("3 in totaal")
    const link = counts.locator(`a[href="/werkvoorraad?status=${initial.id}"]`)
    expect(await link.textContent()).toBe(initial.label)
    expect(await link.locator("xpath=../..").locator("td").nth(1).textContent()).toBe("3")

    // Thuiszitters and pact alarms: the own region's pupil at home since January, as a dossier link.
    const main = (await page.locator("main").textContent()) ?? ""
    const thuiszitters = page.locator("table", {
      has: page.locator("caption", { hasText: "langst thuis eerst" }),
    })
    expect(await thuiszitters.locator(`a[href="/dossiers/${atHomeOwn}"]`).count()).toBe(1)
    expect(await thuiszitters.textContent()).toContain("2b")
    const pact = page.locator("table", { has: page.locator("caption", { hasText: "Thuiszitterspact" }) })
    expect(await pact.locator(`a[href="/dossiers/${atHomeOwn}"]`).count()).toBe(1)
    expect(await pact.textContent()).toContain("Alarm")
    expect(main).toContain("Huisbezoek plannen met leerplicht")
    // Nothing of the other region.
    for (const id of cases[OTHER] ?? []) expect(main).not.toContain(id)
    expect(await page.content()).not.toContain(atHomeOther)

    // Another region's page, or an unknown one: "niet gevonden".
    for (const regionId of [OTHER, "nergens"]) {
      const response = await page.goto(`${gateway.base}/regio/${regionId}`)
      expect(response?.status()).toBe(404)
      expect(await page.locator("h1").textContent()).toBe("Niet gevonden")
      if (regionId === OTHER) await expectGoodPage(signedIn)
      const log = await page.goto(`${gateway.base}/regio/${regionId}/toegangslog`)
      expect(log?.status()).toBe(404)
    }
    await signedIn.close()
  })

  it("downloads the case list as a real xlsx, audited as an export, and shows it in the access log", async () => {
    const coordinator = await gateway.user(["coordinator"], [OWN], { name: "Xander Export" })
    const signedIn = await signIn(browser, gateway, coordinator.token)
    const { page } = signedIn
    await page.goto(`${gateway.base}/regio/${OWN}`)

    const plugin = gateway.config.regions.find((r) => r.region.id === OWN)!.plugin
    const readBook = async (path: string) => {
      const book = XLSX.read(await readFile(path), { type: "buffer" })
      const sheet = book.Sheets[book.SheetNames[0] ?? ""]!
      return XLSX.utils.sheet_to_json<Array<unknown>>(sheet, { header: 1 })
    }

    // Open cases, without pupil names.
    const [plain] = await Promise.all([
      page.waitForEvent("download"),
      page.click("text=Spreadsheet downloaden"),
    ])
    expect(plain.suggestedFilename()).toBe(`casussen-${OWN}-${TODAY}.xlsx`)
    const [headers, ...rows] = await readBook((await plain.path()) as string)
    expect(headers).toEqual(plugin.reports.caseColumns.filter((c) => !c.personal).map((c) => c.header))
    expect(rows).toHaveLength(3)
    expect(JSON.stringify(rows)).not.toContain("Thuiswest")

    // With names: only when asked, and still only this region's pupils.
    await page.check("text=Met naam en geboortedatum van de leerling")
    await page.check("text=Alle casussen")
    const [personal] = await Promise.all([
      page.waitForEvent("download"),
      page.click("text=Spreadsheet downloaden"),
    ])
    const [personalHeaders, ...personalRows] = await readBook((await personal.path()) as string)
    expect(personalHeaders).toContain("Leerling")
    expect(JSON.stringify(personalRows)).toContain("Regina Thuiswest")
    expect(JSON.stringify(personalRows)).not.toContain("Thuisamstel")

    // The same content type and audit record as the API's export, with the web as the door.
    const response = await postForm(
      gateway,
      `/regio/${OWN}/export`,
      {
        _csrf: await page.locator('form[action$="/export"] input[name="_csrf"]').inputValue(),
        casussen: "open",
      },
      { cookie: await sessionCookie(signedIn.context) },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="casussen-westland-/)
    const records = await gateway.runtime.runPromise(
      Effect.flatMap(AuditLog.AuditLog, (log) => log.list({ userId: coordinator.id }, { limit: 100 })),
    )
    expect(
      records.items.filter((r) => r.action === "export").map((r) => [r.context, r.regionId, r.recordType]),
    ).toEqual(
      expect.arrayContaining([
        ["web.case.export:xlsx", OWN, "case"],
        ["web.case.export:xlsx:personal", OWN, "case"],
      ]),
    )

    // The access log: who, what, when, in Dutch; the exports among them.
    await page.click("text=Toegangslog van Westland")
    await page.waitForURL(`${gateway.base}/regio/${OWN}/toegangslog`)
    expect(await page.locator("h1").textContent()).toBe("Toegangslog Westland")
    const log = page.locator("table")
    const exportRow = log.locator("tr", { hasText: "Geëxporteerd" }).first()
    expect(await exportRow.textContent()).toContain("Xander Export")
    expect(await exportRow.textContent()).toContain("Webapplicatie")
    expect(await log.textContent()).toContain("Gezocht")
    // No pupil in the log.
    expect(await log.textContent()).not.toContain("Regina")
    await expectGoodPage(signedIn)
    await signedIn.close()
  })

  it("lists the regions of a coordinator of several, each with its own page", async () => {
    const coordinator = await gateway.user(["coordinator"], [OWN, OTHER], { name: "Twee Regio's" })
    const signedIn = await signIn(browser, gateway, coordinator.token)
    const { page } = signedIn
    await page.goto(`${gateway.base}/regio`)
    expect(await page.locator("h1").textContent()).toBe("Uw regio's")
    await expectGoodPage(signedIn)
    await page.click("text=Amstelland en de Meerlanden")
    await page.waitForURL(`${gateway.base}/regio/${OTHER}`)
    expect(await page.locator("h1").textContent()).toBe("Regio Amstelland en de Meerlanden")
    expect(await page.locator(`a[href="/dossiers/${atHomeOther}"]`).count()).toBeGreaterThan(0)
    expect(await page.content()).not.toContain(atHomeOwn)
    await signedIn.close()
  })

  it("refuses a case worker (403 page) and a form without its CSRF token", async () => {
    const worker = await gateway.user(["case-worker"], [OWN], { name: "Wim Werker" })
    const signedIn = await signIn(browser, gateway, worker.token)
    const { page } = signedIn
    expect(await page.locator("nav >> text=Regio").count()).toBe(0)
    for (const path of ["/regio", `/regio/${OWN}`, `/regio/${OWN}/toegangslog`]) {
      const response = await page.goto(`${gateway.base}${path}`)
      expect(response?.status()).toBe(403)
      expect(await page.locator("h1").textContent()).toBe("Geen toegang")
    }
    await expectGoodPage(signedIn)
    await signedIn.close()

    const coordinator = await gateway.user(["coordinator"], [OWN])
    const own = await signIn(browser, gateway, coordinator.token)
    const cookie = await sessionCookie(own.context)
    const refused = await postForm(gateway, `/regio/${OWN}/export`, { casussen: "open" }, { cookie })
    expect(refused.status).toBe(403)
    expect(refused.headers.get("content-type")).toContain("text/html")
    const elsewhere = await postForm(
      gateway,
      `/regio/${OWN}/export`,
      { casussen: "open", _csrf: "x" },
      { cookie, origin: "https://kwaadwillend.example" },
    )
    expect(elsewhere.status).toBe(403)
    await own.close()
  })
})
