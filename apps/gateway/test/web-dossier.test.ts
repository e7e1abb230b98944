/// <reference lib="dom" />
/**
 * The dossier page in a real Chromium against a real gateway: a Westland case worked over the API
 * (regiehouder, the regie step, contacts, a meeting with a mandated participant, an agreement, an
 * overdue action, help from the catalogue) reads back in Dutch: header, deadlines, the steps with
 * the reasons they cannot be taken yet, the timeline newest first, actions and interventions. Every
 * view is one audit record; another region's case is "Niet gevonden", a referrer and an admin get
 * "Geen toegang"; printed, the page drops menu, forms and buttons. SQLite always, PostgreSQL with
 * TEST_DATABASE_URL (skipped loudly without it).
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { Database } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { axeViolations, chromiumMissing, launchChromium } from "./support/browser.js"
import { type Gateway, referrerOf, skipPg, startGateway, TODAY } from "./support/gateway.js"
import { expectGoodPage, signIn } from "./support/web.js"

const missing = chromiumMissing("web dossier browser test")
const REGION = "westland"

/** A Westland case opened by a referral over the API; `log` and `step` post as `token`. */
const openCase = async (gateway: Gateway) => {
  const referrer = await gateway.user(["referrer"], [REGION], {
    organisation: "Fictieve School",
    partyRole: "coordinator-passend-onderwijs",
  })
  const plugin = gateway.config.regions.find((r) => r.region.id === REGION)?.plugin
  if (plugin === undefined) throw new Error(REGION)
  const body = {
    ...Fixtures.referralFor(plugin, { on: TODAY }),
    regionId: REGION,
    referrer: referrerOf(referrer),
  } as Referral.ReferralSubmission
  const created = await gateway.request("POST", "/referrals", { token: referrer.token, body })
  expect(created.status, created.text).toBe(201)
  const caseId = created.json.caseId as string
  let version = 1
  const post = async (path: string, token: string, payload: Record<string, unknown>) => {
    const reply = await gateway.request("POST", `/cases/${caseId}/${path}`, {
      token,
      body: { expectedVersion: version, ...payload },
    })
    expect(reply.status, reply.text).toBeLessThan(300)
    version = reply.json.version
  }
  return {
    caseId,
    referrer,
    pupil: `${body.pupil.name.givenName} ${body.pupil.name.familyName}`,
    log: (token: string, event: Record<string, unknown>) => post("events", token, { event }),
    step: (token: string, transition: string) => post("transitions", token, { transition }),
  }
}

/** The audit records of a case written through the web door. */
const webReads = (gateway: Gateway, caseId: string) =>
  gateway.runtime.runPromise(
    Effect.flatMap(
      Database.Database,
      (db) => db.sql<{ user_id: string; action: string; context: string | null }>`
        SELECT user_id, action, context FROM audit_log
        WHERE record_id = ${caseId} AND context LIKE 'web.%' ORDER BY seq`,
    ),
  )

describe.skipIf(missing)("the dossier page", () => {
  // One browser for both databases: starting Chromium is the slowest part of a browser test.
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
  })

  describe.each(["sqlite", "pg"] as const)("on %s", (database) => {
    describe.skipIf(database === "pg" && skipPg())("", () => {
      let gateway: Gateway
      beforeAll(async () => {
        gateway = await startGateway({ database })
      }, 120_000)
      afterAll(async () => {
        await gateway?.close()
      })

      it("shows a worked case in Dutch: header, steps with their reasons, timeline, actions; audited once; prints cleanly", async () => {
        const worker = await gateway.user(["case-worker"], [REGION], {
          name: "Fatima Casusregisseur",
          partyRole: "smw-verzuim",
        })
        const c = await openCase(gateway)
        const me = { name: "Fatima Casusregisseur", role: "smw-verzuim", userId: worker.id }
        await c.log(worker.token, { _tag: "RegiehouderAssigned", regiehouder: me })
        await c.step(worker.token, "start-regie")
        await c.log(worker.token, { _tag: "ContactLogged", on: TODAY, with: "ouder", channel: "telefoon" })
        await c.log(worker.token, {
          _tag: "MeetingHeld",
          meeting: {
            id: "mtg_dossiermdo00001",
            kind: "mdo",
            heldOn: TODAY,
            reportFiled: true,
            participants: [
              { name: "Fatima Casusregisseur", role: "smw-verzuim", mandated: false },
              { name: "Jeugdarts Synthetisch", role: "jeugdarts", mandated: true },
            ],
          },
        })
        await c.log(worker.token, {
          _tag: "AgreementMade",
          agreement: {
            id: "agr_dossierafspr001",
            meetingId: "mtg_dossiermdo00001",
            madeOn: TODAY,
            description: "Leerling start met twee ochtenden per week",
            parties: ["leerling", "ouder", "mentor"],
          },
        })
        await c.log(worker.token, {
          _tag: "ActionAssigned",
          action: {
            id: "act_dossieractie001",
            description: "Rooster met school afstemmen",
            owner: me,
            dueOn: "2026-11-10",
            agreementId: "agr_dossierafspr001",
          },
        })
        await c.log(worker.token, {
          _tag: "InterventionStarted",
          intervention: {
            id: "int_dossierhulp0001",
            catalogueCode: "ambulante-hulp-gezin",
            label: "AHG",
            provider: "Schoolformaat",
            startedOn: TODAY,
          },
        })

        const signedIn = await signIn(browser, gateway, worker.token)
        const { page } = signedIn
        const response = await page.goto(`${gateway.base}/dossiers/${c.caseId}`)
        expect(response?.status()).toBe(200)
        expect(response?.headers()["cache-control"]).toBe("no-store")
        // The name in the heading, never in the title (history, tabs, shared screens).
        expect(await page.locator("h1").textContent()).toBe(`Dossier van ${c.pupil}`)
        expect(await page.title()).toBe(`Dossier ${c.caseId} — verzuimregie`)
        await expectGoodPage(signedIn)

        const overview = (await page.locator("#kop-overzicht + dl").textContent()) ?? ""
        for (const text of [
          "Fictieve School",
          "Westland",
          "Regie",
          "Fatima Casusregisseur",
          "Toestemming van ouders (ouder), schriftelijk",
          "Ouders geïnformeerd",
        ])
          expect(overview).toContain(text)
        const deadlines = page.locator("table", { has: page.locator("caption", { hasText: "Termijnen" }) })
        expect(await deadlines.textContent()).toContain("Eerste contact met aanmelder, ouders en leerling")

        // The steps: the form to log an event, and each step the plug-in offers with why not yet.
        expect(await page.getByRole("link", { name: "Gebeurtenis vastleggen" }).getAttribute("href")).toBe(
          `/dossiers/${c.caseId}/vastleggen`,
        )
        const blocked = (await page.locator("#kop-stappen-nog-niet + ul").textContent()) ?? ""
        expect(blocked).toContain("Regie overdragen")
        expect(blocked).toContain("geen overdracht vastgelegd")
        expect(blocked).toContain("1 actie(s) staan nog open")
        expect(blocked).toContain("Specialistische hulp ingezet")

        // The timeline in Dutch, newest first.
        const timeline = page.locator("table", {
          has: page.locator("caption", { hasText: "gebeurtenissen" }),
        })
        const kinds = await timeline.locator("tbody tr td:nth-child(2)").allTextContents()
        expect(kinds).toEqual([
          "Interventie gestart",
          "Actie uitgezet",
          "Afspraak gemaakt",
          "Overleg gehouden",
          "Contact vastgelegd",
          "Status gewijzigd",
          "Regiehouder toegewezen",
          "Aanmelding ontvangen",
        ])
        const timelineText = (await timeline.textContent()) ?? ""
        expect(timelineText).toContain("Van Aangemeld naar Regie.")
        expect(timelineText).toContain("Contact met ouder / verzorger op 16 november 2026, via telefoon.")
        expect(timelineText).not.toContain("ContactLogged")

        // Meetings with participants and mandates; agreements; actions with owner, due date, state.
        const meeting = (await page.locator(".vr-meeting").textContent()) ?? ""
        expect(meeting).toContain("Multidisciplinair overleg (MDO) op 16 november 2026")
        expect(meeting).toContain("Jeugdarts SynthetischJeugdarts (JGZ)Met doorzettingsmacht")
        const actions = page.locator("table", { has: page.locator("caption", { hasText: "Acties" }) })
        expect(await actions.locator("tbody tr").first().textContent()).toBe(
          "Rooster met school afstemmenFatima Casusregisseur (schoolmaatschappelijk werker verzuim)10 november 2026Open, te laat",
        )
        expect(await page.locator("#kop-afspraken + div").textContent()).toContain(
          "Leerling start met twee ochtenden per week",
        )
        // The intervention by its name in the region's help catalogue, not as it was typed.
        const help = (await page.locator("#kop-interventies + div").textContent()) ?? ""
        expect(help).toContain("Ambulante hulp in het gezin")
        expect(help).not.toContain("AHG")

        // One view: one audit record for the case file and its timeline under the same read, and
        // one for the school's absence data of the pupil (`Absence.caseAbsence`, a register of its
        // own; issue 15), nothing more.
        expect(await webReads(gateway, c.caseId)).toEqual([
          { user_id: worker.id, action: "read", context: "web.case.read:dossier" },
          { user_id: worker.id, action: "read", context: "web.case.read:verzuim" },
        ])

        // On paper: no menu, no forms or buttons, no link underlines; the header first.
        await page.emulateMedia({ media: "print" })
        expect(await page.locator("nav[aria-label=Hoofdmenu]").isVisible()).toBe(false)
        expect(await page.locator("form").first().isVisible()).toBe(false)
        expect(await page.getByRole("button").first().isVisible()).toBe(false)
        expect(await page.getByRole("link", { name: "Gebeurtenis vastleggen" }).isVisible()).toBe(false)
        expect(await page.locator("h1").isVisible()).toBe(true)
        expect(await page.locator("#kop-overzicht").isVisible()).toBe(true)
        const underlined = await page.evaluate(
          () =>
            Array.from(document.querySelectorAll(".vr-dossier a")).filter(
              (a) => a.checkVisibility() && getComputedStyle(a).textDecorationLine !== "none",
            ).length,
        )
        expect(underlined).toBe(0)
        await page.emulateMedia({ media: "screen" })
        expect(await page.locator("nav[aria-label=Hoofdmenu]").isVisible()).toBe(true)
        await signedIn.close()
      })

      it.skipIf(database === "pg")(
        "links the steps that can be taken now and says why the others cannot",
        async () => {
          const worker = await gateway.user(["case-worker"], [REGION])
          const c = await openCase(gateway)
          const signedIn = await signIn(browser, gateway, worker.token)
          const { page } = signedIn
          await page.goto(`${gateway.base}/dossiers/${c.caseId}`)
          expect(await page.getByRole("link", { name: "Niet starten" }).getAttribute("href")).toBe(
            `/dossiers/${c.caseId}/stappen/niet-starten`,
          )
          const blocked = (await page.locator("#kop-stappen-nog-niet + ul").textContent()) ?? ""
          expect(blocked).toContain("Regie oppakken")
          expect(blocked).toContain("nog geen regiehouder")
          expect(await page.getByRole("link", { name: "Regie oppakken" }).count()).toBe(0)
          expect(await page.locator("#kop-overzicht + dl").textContent()).toContain("Nog niet toegewezen")
          await expectGoodPage(signedIn)
          await signedIn.close()
        },
      )

      it.skipIf(database === "pg")(
        "is not found for another region's or an unknown case, and no page for a referrer or an admin",
        async () => {
          const c = await openCase(gateway)
          const elsewhere = await gateway.user(["case-worker"], ["amstelland-meerlanden"])
          const admin = await gateway.user(["admin"], [REGION])

          const outsider = await signIn(browser, gateway, elsewhere.token)
          for (const path of [
            `/dossiers/${c.caseId}`,
            "/dossiers/case_0000000000000000",
            "/dossiers/onzin",
          ]) {
            const response = await outsider.page.goto(`${gateway.base}${path}`)
            expect(response?.status(), path).toBe(404)
            expect(await outsider.page.locator("h1").textContent()).toBe("Niet gevonden")
            expect(await outsider.page.locator("main").textContent()).not.toContain(c.pupil)
          }
          await expectGoodPage(outsider)
          await outsider.close()

          for (const user of [c.referrer, admin]) {
            const signedIn = await signIn(browser, gateway, user.token)
            const response = await signedIn.page.goto(`${gateway.base}/dossiers/${c.caseId}`)
            expect(response?.status()).toBe(403)
            expect(await signedIn.page.locator("h1").textContent()).toBe("Geen toegang")
            expect(await signedIn.page.locator("main").textContent()).not.toContain(c.pupil)
            // The same 403 page for both: axe once is enough.
            if (user === admin) expect(await axeViolations(signedIn.page)).toEqual([])
            await signedIn.close()
          }

          // Not signed in: to the sign-in page, back to the dossier afterwards.
          const anonymous = await fetch(`${gateway.base}/dossiers/${c.caseId}`, { redirect: "manual" })
          expect(anonymous.status).toBe(303)
          expect(anonymous.headers.get("location")).toBe(
            `/inloggen?terug=${encodeURIComponent(`/dossiers/${c.caseId}`)}`,
          )
          // None of these read the case file; the outsider's try is traced as a refused read.
          const reads = await gateway.runtime.runPromise(
            Effect.flatMap(
              Database.Database,
              (db) => db.sql<{ user_id: string; record_type: string }>`
              SELECT user_id, record_type FROM audit_log WHERE record_id = ${c.caseId} AND action = 'read'`,
            ),
          )
          expect(reads.filter((r) => r.record_type === "case")).toEqual([])
          await expect
            .poll(async () =>
              (
                await gateway.runtime.runPromise(
                  Effect.flatMap(
                    Database.Database,
                    (db) => db.sql<{ user_id: string }>`
                    SELECT user_id FROM audit_log WHERE record_id = ${c.caseId} AND record_type = 'refused-read'`,
                  ),
                )
              ).map((r) => r.user_id),
            )
            .toEqual([elsewhere.id])
        },
      )
    })
  })
})
