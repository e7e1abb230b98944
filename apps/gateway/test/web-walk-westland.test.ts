/// <reference lib="dom" />
/**
 * One Westland case walked end to end through the pages, in Chromium, ending in a handover: a
 * school refers a 17-year-old through Westland's form (her own consent, the parents informed) and
 * sees it in Mijn aanmeldingen; the SMW verzuim finds her via the werkvoorraad and Zoeken, reads on
 * the dossier why each step cannot be taken yet, logs the regie, the contacts, a meeting with a
 * mandated participant, an agreement and an action, help from the region's catalogue, completes
 * the action, records the handover with the date the referrer was told, and hands the regie over;
 * the referrer then reads to whom in Mijn aanmeldingen, and the timeline says it all in Dutch.
 * No API call but the accounts' set-up.
 */
import { CaseEvent, LocalDate } from "@verzuimregie/domain"
import type { Browser } from "playwright-core"
import { describe, expect, it } from "vitest"
import { chromiumMissing } from "./support/browser.js"
import { type Gateway, TODAY } from "./support/gateway.js"
import { id } from "./support/referral-form.js"
import {
  codesIn,
  dossier,
  fillReferral,
  fills,
  findDossier,
  openMine,
  refer,
  signInBoth,
} from "./support/walk.js"
import { expectGoodPage, gatewayAndChromium } from "./support/web.js"

const missing = chromiumMissing("Westland walk")

const REGION = { id: "westland", name: "Westland", initialStatus: "Aangemeld" }
/** A synthetic pupil of 17 (the gateway's today is 2026-11-16): she consents, the parents are informed. */
const PUPIL = { givenName: "Yara", familyName: "Kwakernaak", birthDate: "2009-05-03" }

describe.skipIf(missing)("a Westland case walked through the pages", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  it("is referred, worked with help from the catalogue and handed over, and the referrer reads to whom", async () => {
    const referrerAccount = await gateway.user(["referrer"], [REGION.id], {
      name: "Bram de Coördinator",
      organisation: "Het Westlandse Lyceum",
      partyRole: "coordinator-passend-onderwijs",
    })
    const workerAccount = await gateway.user(["case-worker"], [REGION.id], {
      name: "Yusuf Casusregisseur",
      organisation: "Gemeente Westland",
      partyRole: "smw-verzuim",
    })
    const people = await signInBoth(browser, gateway, {
      referrer: referrerAccount.token,
      worker: workerAccount.token,
    })
    const { referrer, worker } = people
    try {
      // 1. The school refers, through Westland's own form.
      await refer(referrer, REGION, PUPIL, async (page) => {
        await fillReferral(page, PUPIL, { verzuimKind: "relatief", consent: "leerling" })
        await page.check(`${id("extension.aanmeldendeInstantie")}-0`)
        await page.fill(id("extension.hulpvraag"), "Yara spijbelt steeds vaker; thuis speelt iets.")
      })

      // 2. The SMW verzuim finds the pupil and opens the dossier.
      const caseId = await findDossier(worker, PUPIL)
      const d = dossier(worker, gateway, caseId)
      expect(await d.status()).toBe("Aangemeld")

      // 3. The reasons first, then what each step needs, then the step.
      await d.expectNotYet("Regie oppakken", ["nog geen regiehouder"])
      await d.log("regiehouder", fills.regiehouder("Yusuf Casusregisseur"))
      await d.take("Regie oppakken")
      expect(await d.status()).toBe("Regie")

      await d.expectNotYet("Specialistische hulp ingezet", [
        "nog geen contact met aanmelder, ouder / verzorger, leerling",
        "nog geen hulp ingezet",
      ])
      await d.expectNotYet("Regie overdragen", ["geen overdracht vastgelegd"])
      await d.log("contact", fills.contact("Coördinator passend onderwijs", "E-mail"))
      await d.log(
        "contact",
        fills.contact("Ouder / verzorger", "Gesprek", "Vader en moeder op school gesproken."),
      )
      await d.log("contact", fills.contact("Leerling", "Gesprek", "Yara wil hulp thuis."))
      await d.log(
        "overleg",
        fills.meeting("Ondersteuningsteam", [
          { name: "Mentor Van Dijk", role: "Mentor" },
          { name: "Leerplicht Visser", role: "Leerplichtambtenaar", mandated: true },
        ]),
      )
      await d.log(
        "afspraak",
        fills.agreement("Het gezin krijgt ambulante hulp.", ["Ouder / verzorger"], "Ondersteuningsteam van"),
      )
      await d.log(
        "actie",
        fills.action(
          "Gezin aanmelden bij de gezinscoach",
          { name: "Yusuf Casusregisseur", role: "Schoolmaatschappelijk werker verzuim" },
          LocalDate.addDays(TODAY, 7),
          "Het gezin krijgt ambulante hulp.",
        ),
      )
      await d.log(
        "interventie-start",
        fills.interventionStart("Ambulante hulp in het gezin", "Schoolformaat"),
      )
      await d.take("Specialistische hulp ingezet")
      expect(await d.status()).toBe("Hulp ingezet")

      // The regie goes to the youth team: the handover, the referrer told, no action left open.
      await d.expectNotYet("Regie overdragen", ["geen overdracht vastgelegd", "1 actie(s) staan nog open"])
      await d.log("actie-afgerond", fills.actionDone("Gezin aanmelden bij de gezinscoach"))
      await d.log(
        "overdracht",
        fills.handover(
          { name: "Jeugdteam Westland", role: "Hulpverlener" },
          "Het jeugdteam neemt de regie over; hulp loopt door.",
          TODAY,
        ),
      )
      // The help still runs: the step's page says it ends with the handover, and how.
      await d.take("Regie overdragen", {
        outcome: "Overgedragen aan andere partij",
        read: async (page) => {
          const notice = page.locator(".utrecht-alert", {
            hasText: "Lopende interventies eindigen met deze stap",
          })
          expect(await notice.locator("li").allTextContents()).toEqual([
            "Ambulante hulp in het gezin (sinds 16 november 2026)",
          ])
          expect(await notice.textContent()).toContain("worden ze vastgelegd als overgedragen")
          // The step's page with this notice is a state no other test reaches.
          await expectGoodPage(worker)
        },
      })
      expect(await d.status()).toBe("Overgedragen")
      expect(await worker.page.locator("section[aria-labelledby=kop-betrokkenen]").textContent()).toContain(
        "Jeugdteam Westland",
      )

      // 4. The timeline in Dutch, oldest first here (the page shows newest first).
      const timeline = await d.timeline()
      const label = CaseEvent.caseEventLabel
      expect(timeline.map(([title]) => title)).toEqual([
        label.ReferralReceived,
        label.RegiehouderAssigned,
        label.StatusChanged,
        label.ContactLogged,
        label.ContactLogged,
        label.ContactLogged,
        label.MeetingHeld,
        label.AgreementMade,
        label.ActionAssigned,
        label.InterventionStarted,
        label.StatusChanged,
        label.ActionCompleted,
        label.HandedOver,
        label.CaseClosed,
      ])
      const said = timeline.map(([, what]) => what).join("\n")
      expect(said).toContain("Jeugdteam Westland")
      expect(said).toContain("overgedragen aan andere partij")
      expect(said).toContain("Daarmee beëindigd: Ambulante hulp in het gezin (overgedragen).")
      expect(await worker.page.locator("section[aria-labelledby=kop-interventies]").textContent()).toContain(
        "16 november 2026: overgedragen",
      )
      expect(codesIn(said, gateway, REGION.id)).toEqual([])

      // The referrer reads to whom the regie went (a role, never a person's name).
      const row = await openMine(referrer, PUPIL)
      expect(row).toContain("Overgedragen")
      expect(row).toContain("Overgedragen aan hulpverlener op 16 november 2026")
      expect(row).not.toContain("Jeugdteam Westland")
    } finally {
      await people.close()
    }
  }, 60_000)
})
