/// <reference lib="dom" />
/**
 * Amstelland's quarterly round in Debian's Chromium against a real gateway on SQLite: an
 * orthopedagoog of the SWV sees per school the cases whose kwartaalbespreking is overdue or due
 * soon, records a review (first without an outcome: the Dutch errors next to the fields), and the
 * case leaves the round with its next due date three months on. axe-core 0 violations on every
 * page state. Over the API: the same round, no notes in it; another region's orthopedagoog gets
 * 404, a case worker and a referrer 403.
 */
import { Ids, LocalDate, Timestamp } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { CaseStore } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, startGateway, TODAY } from "./support/gateway.js"
import { expectGoodPage, type SignedInPage, signIn } from "./support/web.js"

const missing = chromiumMissing("web kwartaalronde browser test")
const REGION = "amstelland-meerlanden"

describe.skipIf(missing)("the quarterly round through the web pages", () => {
  let gateway: Gateway
  let browser: Browser
  let ortho: SignedInPage
  let orthoToken = ""
  const cases = { overdue: "", soon: "", later: "" }

  /** An Amstelland case reported on `on` for a pupil of `school`, with a typed note in the melding. */
  const plant = (on: string, school: string, family: string) =>
    gateway.runtime.runPromise(
      Effect.gen(function* () {
        const store = yield* CaseStore.CaseStore
        const plugin = gateway.config.regions.find((r) => r.region.id === REGION)!.plugin
        const submission = Fixtures.referralFor(plugin, { on: LocalDate.make(on) })
        const event = Fixtures.referralReceived(
          plugin,
          {
            ...submission,
            regionId: Ids.RegionId.make(REGION),
            pupil: {
              ...submission.pupil,
              name: { givenName: "Noor", familyName: family },
              enrolment: {
                schoolId: Ids.OrganisationId.make(`org_${school.toLowerCase().padEnd(16, "0")}`),
                schoolName: school as never,
                level: "VO",
              },
            },
            extension: { melding: "beperkt", gesprekMetOuders: true, lopendeInterventies: "NOTITIE-GEHEIM" },
          } as never,
          Timestamp.Timestamp.make(`${on}T08:00:00.000Z`),
        )
        const id = family.replace(/\W/g, "").toLowerCase().padEnd(12, "0")
        const created = yield* store.create({
          referral: {
            ...event,
            referral: {
              ...event.referral,
              id: Ids.ReferralId.make(`ref_${id}`),
              pupil: { ...event.referral.pupil, id: Ids.PupilId.make(`pupil_${id}`) },
            },
          },
          regions: [Ids.RegionId.make(REGION)],
        })
        return created.state.id as string
      }),
    )

  beforeAll(async () => {
    gateway = await startGateway()
    browser = await launchChromium()
    cases.overdue = await plant("2026-08-03", "Leliecollege", "Kwartaal") // due 3 November: overdue
    cases.soon = await plant("2026-09-01", "Amstelschool", "Ronde") // due 1 December
    cases.later = await plant("2026-10-20", "Leliecollege", "Later") // due 20 January: outside 30 days
    const user = await gateway.user(["orthopedagoog"], [REGION], {
      organisation: "VO Samenwerkingsverband Amstelland en de Meerlanden",
      organisationKind: "samenwerkingsverband",
      partyRole: "orthopedagoog-swv",
      name: "Orthopedagoog Synthetisch",
    })
    orthoToken = user.token
    ortho = await signIn(browser, gateway, user.token)
  }, 120_000)
  afterAll(async () => {
    await ortho?.close()
    await browser?.close()
    await gateway?.close()
  })

  it("shows per school the overdue and soon-due reviews, and records one with its outcome", async () => {
    const { page } = ortho
    // The menu offers the round.
    expect(await page.locator("nav a", { hasText: "Kwartaalronde" }).count()).toBe(1)
    await page.goto(`${gateway.base}/kwartaalronde`)
    expect(await page.locator("h1").textContent()).toBe("Kwartaalronde")
    expect(await page.locator("main h2").allTextContents()).toEqual(["Amstelschool", "Leliecollege"])
    const lelie = page.locator("section", { has: page.locator("h2", { hasText: "Leliecollege" }) })
    expect(await lelie.locator("tbody tr").count()).toBe(1)
    const row = await lelie.locator("tbody tr").textContent()
    expect(row).toContain("Noor Kwartaal")
    expect(row).toContain("Gemeld")
    expect(row).toContain("Nog niet besproken")
    expect(row).toContain("3 november 2026 (verlopen, 13 dagen)")
    expect(await page.locator("main").textContent()).not.toContain("NOTITIE-GEHEIM")
    expect(await page.locator("main").textContent()).not.toContain("Noor Later")
    await expectGoodPage(ortho)

    // A wider window: the later case too.
    await page.selectOption("#veld-binnen", "92")
    await Promise.all([page.waitForLoadState("load"), page.click("form.vr-round-filter button")])
    expect(page.url()).toBe(`${gateway.base}/kwartaalronde?binnen=92`)
    expect(await page.locator("main").textContent()).toContain("Noor Later")
    await expectGoodPage(ortho)

    // The review form of the overdue case: only the round's fields.
    await page.goto(`${gateway.base}/kwartaalronde`)
    await Promise.all([
      page.waitForLoadState("load"),
      lelie.locator("a", { hasText: "Bespreking vastleggen" }).click(),
    ])
    expect(page.url()).toBe(`${gateway.base}/kwartaalronde/${cases.overdue}`)
    expect(await page.locator("h1").textContent()).toBe("Kwartaalbespreking vastleggen")
    expect(await page.title()).not.toContain("Noor")
    expect(await page.locator("#veld-heldOn").inputValue()).toBe(TODAY)
    await expectGoodPage(ortho)

    // Without outcome and contact: 422, the errors next to the fields, linked from the summary.
    const refused = page.waitForResponse((r) => r.request().method() === "POST")
    await page.click("main form[method=post] button[type=submit]")
    expect((await refused).status()).toBe(422)
    await page.waitForLoadState("load")
    expect(await page.title()).toMatch(/^Fout: /)
    expect(
      await page.locator(".vr-error-summary a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
    ).toEqual(["#veld-outcome", "#veld-schoolContact"])
    expect(await page.locator("#veld-outcome-fout").textContent()).toBe("Kies de uitkomst van de bespreking.")
    expect(await page.locator("#veld-schoolContact-fout").textContent()).toBe(
      "Kies met wie van de school u de leerling besprak.",
    )
    await expectGoodPage(ortho)

    await page.selectOption("#veld-schoolContact", "mentor")
    await page.selectOption("#veld-outcome", "opschalen")
    await Promise.all([
      page.waitForLoadState("load"),
      page.click("main form[method=post] button[type=submit]"),
    ])
    expect(page.url()).toBe(`${gateway.base}/kwartaalronde?vastgelegd=1&volgende=2027-02-16`)
    expect(await page.locator("main [role=status]").textContent()).toBe(
      "De kwartaalbespreking is vastgelegd. De volgende bespreking is nodig op 16 februari 2027.",
    )
    // Reviewed: out of this round; the other school's case stays.
    expect(await page.locator("main").textContent()).not.toContain("Noor Kwartaal")
    expect(await page.locator("main h2").allTextContents()).toEqual(["Amstelschool"])
    await expectGoodPage(ortho)

    // The event in the case: a kwartaalbespreking with its outcome, by the orthopedagoog.
    const events = await gateway.runtime.runPromise(
      Effect.flatMap(CaseStore.CaseStore, (s) =>
        s.events(cases.overdue as Ids.CaseId, { regions: [Ids.RegionId.make(REGION)] }),
      ),
    )
    expect(events.at(-1)?.event).toMatchObject({
      _tag: "MeetingHeld",
      by: { role: "orthopedagoog-swv" },
      meeting: { kind: "kwartaalbespreking", heldOn: TODAY, reviewOutcome: "opschalen" },
    })
    // The regiehouder reads the outcome in the dossier's timeline; the orthopedagoog has no dossier.
    const worker = await gateway.user(["case-worker"], [REGION])
    const regie = await signIn(browser, gateway, worker.token)
    try {
      await regie.page.goto(`${gateway.base}/dossiers/${cases.overdue}`)
      expect(await regie.page.locator("main").textContent()).toContain(
        "Kwartaalbespreking op 16 november 2026, 2 deelnemers. Uitkomst: Opschalen naar uitgebreide melding.",
      )
    } finally {
      await regie.close()
    }
    await page.goto(`${gateway.base}/dossiers/${cases.overdue}`)
    expect(await page.locator("h1").textContent()).toBe("Geen toegang")
  }, 120_000)

  it("answers the API with the same round; other regions 404, other roles 403", async () => {
    const round = await gateway.request("GET", "/quarterly-round?withinDays=92", { token: orthoToken })
    expect(round.status, round.text).toBe(200)
    const listed = round.json.schools.flatMap((s: { cases: Array<{ caseId: string }> }) =>
      s.cases.map((c) => c.caseId),
    )
    expect(listed).toContain(cases.soon)
    expect(round.text).not.toContain("NOTITIE-GEHEIM")
    expect(round.text).not.toContain("birthDate")
    const review = { heldOn: TODAY, outcome: "voortzetten", schoolContact: "coordinator-passend-onderwijs" }
    const elsewhere = await gateway.user(["orthopedagoog"], ["westland"], { partyRole: "orthopedagoog-swv" })
    const worker = await gateway.user(["case-worker"], [REGION])
    const referrer = await gateway.user(["referrer"], [REGION])
    const path = `/quarterly-round/cases/${cases.soon}/reviews`
    expect((await gateway.request("POST", path, { token: elsewhere.token, body: review })).status).toBe(404)
    expect((await gateway.request("POST", path, { token: worker.token, body: review })).status).toBe(403)
    expect((await gateway.request("POST", path, { token: referrer.token, body: review })).status).toBe(403)
    const bad = await gateway.request("POST", path, {
      token: orthoToken,
      body: { ...review, heldOn: "2026-11-17" },
    })
    expect(bad.status, bad.text).toBe(422)
    expect(bad.json.errors, bad.text).toEqual([
      { path: "heldOn", pointer: "/heldOn", detail: "De datum ligt na vandaag (16 november 2026)." },
    ])
    const done = await gateway.request("POST", path, { token: orthoToken, body: review })
    expect(done.status, done.text).toBe(201)
    expect(done.json).toMatchObject({
      caseId: cases.soon,
      nextDueOn: "2027-02-16",
      outcome: { id: "voortzetten" },
    })
  })
})
