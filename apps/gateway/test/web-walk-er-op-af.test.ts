/// <reference lib="dom" />
/**
 * One Er op af case (Leidschendam-Voorburg) walked end to end through the pages, in Chromium,
 * as the people who work it would: a school's coördinator passend onderwijs refers a pupil
 * through the region's form and sees it in Mijn aanmeldingen; the SMW verzuim finds the pupil via
 * the werkvoorraad and Zoeken, opens the dossier, reads why each step cannot be taken yet, logs
 * what it needs (regiehouder, intake, contacts, home visit, a meeting of the school network, an
 * agreement and an action, help from the region's catalogue, school attendance), takes the steps
 * through to nazorg and closes the case with an outcome; the referrer then reads the closing in
 * Mijn aanmeldingen and the dossier's timeline tells the story in Dutch. No API call but the
 * accounts' set-up.
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

const missing = chromiumMissing("Er op af walk")

const REGION = { id: "leidschendam-voorburg", name: "Leidschendam-Voorburg", initialStatus: "Aangemeld" }
/** A synthetic pupil of 13 (the gateway's today is 2026-11-16): the parents consent. */
const PUPIL = { givenName: "Lotte", familyName: "Wagenvoort", birthDate: "2013-02-20" }

describe.skipIf(missing)("an Er op af case walked through the pages", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  it("is referred, worked through every step to nazorg and closed, and the referrer reads the outcome", async () => {
    const referrerAccount = await gateway.user(["referrer"], [REGION.id], {
      name: "Ilse de Coördinator",
      organisation: "Scholengemeenschap De Horizon",
      partyRole: "coordinator-passend-onderwijs",
    })
    const workerAccount = await gateway.user(["case-worker"], [REGION.id], {
      name: "Sanne Casusregisseur",
      organisation: "Schoolformaat",
      partyRole: "smw-verzuim",
    })
    const people = await signInBoth(browser, gateway, {
      referrer: referrerAccount.token,
      worker: workerAccount.token,
    })
    const { referrer, worker } = people
    try {
      // 1. The school refers, through the region's own form.
      await refer(referrer, REGION, PUPIL, async (page) => {
        await fillReferral(page, PUPIL, { verzuimKind: "grijs", consent: "ouders" })
        await page.check(`${id("extension.grijsVerzuim")}-0`)
        await page.check(`${id("extension.besprokenMetOuders")}-0`)
        await page.fill(id("extension.signalen"), "Vaak maandag ziek gemeld; somber in de les.")
      })

      // 2. The SMW verzuim finds the pupil and opens the dossier.
      const caseId = await findDossier(worker, PUPIL)
      const d = dossier(worker, gateway, caseId)
      expect(await d.status()).toBe("Aangemeld")

      // 3. Each step: the reasons first, then what it needs, then the step.
      await d.expectNotYet("Kennismaking starten", ["nog geen regiehouder"])
      await d.log("regiehouder", fills.regiehouder("Sanne Casusregisseur"))
      await d.take("Kennismaking starten")
      expect(await d.status()).toBe("Kennismaking")

      await d.expectNotYet("Ondersteuningstraject starten", [
        "intake nog niet gedaan",
        "nog geen contact met aanmelder, ouder / verzorger, leerling",
      ])
      await d.log("contact", fills.contact("Coördinator passend onderwijs", "Telefoon", "Zorgen besproken."))
      await d.log(
        "contact",
        fills.contact("Ouder / verzorger", "Telefoon", "Moeder gebeld; huisbezoek gepland."),
      )
      await d.expectNotYet("Ondersteuningstraject starten", [
        "intake nog niet gedaan",
        "nog geen contact met leerling",
      ])
      await d.log("intake", fills.intake("Sanne Casusregisseur", "Intake met moeder en Lotte."))
      await d.log("contact", fills.contact("Leerling", "Gesprek", "Lotte vertelt over de klas."))
      await d.take("Ondersteuningstraject starten")
      expect(await d.status()).toBe("Ondersteuningstraject")

      await d.expectNotYet("Schoolgang hervat: nazorg", [
        "nog geen huisbezoek gedaan",
        "netwerk van school nog niet betrokken: mentor, jeugdverpleegkundige, leerplichtambtenaar",
        "schoolgang is nog niet vastgelegd als: naar school of gedeeltelijk naar school",
      ])
      await d.log("huisbezoek", fills.homeVisit(["Ouder / verzorger", "Leerling"], "Thuis gesproken."))
      await d.log(
        "overleg",
        fills.meeting("Netwerkoverleg", [
          { name: "Mentor De Vries", role: "Mentor" },
          { name: "Jeugdverpleegkundige Bakker", role: "Jeugdverpleegkundige (JGZ)" },
          { name: "Leerplicht Jansen", role: "Leerplichtambtenaar", mandated: true },
        ]),
      )
      await d.log(
        "afspraak",
        fills.agreement("Lotte start met halve dagen.", ["Leerling", "Mentor"], "Netwerkoverleg van"),
      )
      await d.log(
        "actie",
        fills.action(
          "Rooster met halve dagen maken",
          { name: "Mentor De Vries", role: "Mentor" },
          LocalDate.addDays(TODAY, 14),
          "Lotte start met halve dagen.",
        ),
      )
      await d.log("interventie-start", fills.interventionStart("Jongerencoaching", "Schoolformaat"))
      await d.log("schoolgang", fills.attendance("Gedeeltelijk naar school", true))
      await d.take("Schoolgang hervat: nazorg")
      expect(await d.status()).toBe("Nazorg")

      // Closing: the open action, the running help and the half days stand in the way.
      await d.expectNotYet("Afsluiten", [
        "1 actie(s) staan nog open",
        "schoolgang is nog niet vastgelegd als: naar school",
        "1 interventie(s) lopen nog; beëindig ze eerst",
      ])
      await d.expectNotYet("Afsluiten om een andere reden", ["alleen een coördinator mag deze stap zetten"])
      await d.log("actie-afgerond", fills.actionDone("Rooster met halve dagen maken", "Rooster loopt."))
      await d.log("interventie-einde", fills.interventionEnd("Jongerencoaching", "Afgerond"))
      await d.log("schoolgang", fills.attendance("Naar school", true))
      await d.take("Afsluiten", { outcome: "Verzuim opgelost, schoolgang loopt" })
      expect(await d.status()).toBe("Afgesloten")
      expect(await worker.page.locator("section[aria-labelledby=kop-stappen]").textContent()).toContain(
        "De casus is afgesloten: er zijn geen stappen meer.",
      )

      // 4. The timeline tells it in Dutch, oldest first here (the page shows newest first).
      const timeline = await d.timeline()
      const label = CaseEvent.caseEventLabel
      expect(timeline.map(([title]) => title)).toEqual([
        label.ReferralReceived,
        label.RegiehouderAssigned,
        label.StatusChanged,
        label.ContactLogged,
        label.ContactLogged,
        label.IntakeCompleted,
        label.ContactLogged,
        label.StatusChanged,
        label.HomeVisitDone,
        label.MeetingHeld,
        label.AgreementMade,
        label.ActionAssigned,
        label.InterventionStarted,
        label.AttendanceRecorded,
        label.StatusChanged,
        label.ActionCompleted,
        label.InterventionEnded,
        label.AttendanceRecorded,
        label.CaseClosed,
      ])
      const said = timeline.map(([, what]) => what).join("\n")
      expect(said).toContain("verzuim opgelost, schoolgang loopt")
      expect(said).toContain("Jongerencoaching")
      // No code of the workflow or of an event leaks into what people read.
      expect(codesIn(said, gateway, REGION.id)).toEqual([])
      // The dossier after closing is a page state no other test reaches.
      await expectGoodPage(worker)

      // The referrer reads the closing in Mijn aanmeldingen.
      const row = await openMine(referrer, PUPIL)
      expect(row).toContain("Afgesloten")
      expect(row).toContain("Verzuim opgelost, schoolgang loopt")
    } finally {
      await people.close()
    }
  }, 60_000)
})
