/// <reference lib="dom" />
/**
 * One Amstelland case walked end to end through the pages, in Chromium: a school makes an
 * uitgebreide melding of a 15-year-old at home since September through the Regioloket's form and
 * sees it in Mijn aanmeldingen; the casemanager of the SWV finds the pupil via the werkvoorraad
 * and Zoeken, reads on the dossier why each step cannot be taken yet, takes up the melding, holds
 * the MDO, starts help from the region's catalogue, runs the doorbraakaanpak (a doorbraakoverleg
 * with a mandated person of Leerplicht, GGD, SWV and hulpverlening, its agreement turned into an
 * action), and closes the case when the pupil is back at school; the referrer reads the outcome in
 * Mijn aanmeldingen, and the timeline says it in Dutch. No API call but the accounts' set-up.
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
import { gatewayAndChromium } from "./support/web.js"

const missing = chromiumMissing("Amstelland walk")

const REGION = { id: "amstelland-meerlanden", name: "Amstelland en de Meerlanden", initialStatus: "Gemeld" }
/** A synthetic pupil of 15 (the gateway's today is 2026-11-16): the parents consent. */
const PUPIL = { givenName: "Mees", familyName: "Oudshoorn", birthDate: "2011-08-30" }

describe.skipIf(missing)("an Amstelland case walked through the pages", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  it("is reported, taken through the MDO and the doorbraakaanpak and closed, and the referrer reads the outcome", async () => {
    const referrerAccount = await gateway.user(["referrer"], [REGION.id], {
      name: "Petra de Coördinator",
      organisation: "Amstelveen College",
      partyRole: "coordinator-passend-onderwijs",
    })
    const workerAccount = await gateway.user(["case-worker"], [REGION.id], {
      name: "Noor Casemanager",
      organisation: "SWV Amstelland en de Meerlanden",
      partyRole: "casemanager-swv",
    })
    const people = await signInBoth(browser, gateway, {
      referrer: referrerAccount.token,
      worker: workerAccount.token,
    })
    const { referrer, worker } = people
    try {
      // 1. The school reports, through the Regioloket's own form: an uitgebreide melding.
      await refer(referrer, REGION, PUPIL, async (page) => {
        await fillReferral(page, PUPIL, { verzuimKind: "langdurig", consent: "ouders" })
        await page.fill(id("absence.since"), "2026-09-01")
        await page.check(`${id("extension.melding")}-1`)
        await page.check(`${id("extension.gesprekMetOuders")}-0`)
      })

      // 2. The casemanager finds the pupil and opens the dossier.
      const caseId = await findDossier(worker, PUPIL)
      const d = dossier(worker, gateway, caseId)
      expect(await d.status()).toBe("Gemeld")

      // 3. The reasons first, then what each step needs, then the step.
      await d.expectNotYet("Registreren als beperkte melding", [
        "de school deed een uitgebreide melding, geen beperkte",
      ])
      await d.expectNotYet("Uitgebreide melding oppakken", ["nog geen regiehouder"])
      await d.expectNotYet("Melding intrekken", ["alleen een coördinator mag deze stap zetten"])
      await d.log("regiehouder", fills.regiehouder("Noor Casemanager"))
      await d.take("Uitgebreide melding oppakken")
      expect(await d.status()).toBe("Uitgebreid: onderzoek")

      await d.expectNotYet("MDO gehouden: begeleiding", [
        "nog geen contact met aanmelder, ouder / verzorger",
        "geen multidisciplinair overleg (MDO) gehouden",
      ])
      await d.log("contact", fills.contact("Coördinator passend onderwijs", "Telefoon"))
      await d.log("contact", fills.contact("Ouder / verzorger", "Videogesprek", "Ouders maken zich zorgen."))
      await d.log(
        "overleg",
        fills.meeting("Multidisciplinair overleg (MDO)", [
          { name: "Orthopedagoog Smit", role: "Orthopedagoog samenwerkingsverband" },
          { name: "Jeugdarts Peters", role: "Jeugdarts (JGZ)" },
        ]),
      )
      await d.take("MDO gehouden: begeleiding")
      expect(await d.status()).toBe("Uitgebreid: begeleiding")
      await d.log("interventie-start", fills.interventionStart("Verzuimcoach", "Scala Onderwijsadvies"))

      // The process stalls: the doorbraakaanpak, held by the casemanager of the SWV.
      await d.take("Doorbraakaanpak starten")
      expect(await d.status()).toBe("Doorbraakaanpak")
      await d.expectNotYet("Doorbraakoverleg gehouden: afspraken uitvoeren", [
        "geen doorbraakoverleg gehouden",
        "geen afspraken uit het doorbraakoverleg vastgelegd",
      ])
      await d.log(
        "overleg",
        fills.meeting("Doorbraakoverleg", [
          { name: "Leerplicht De Boer", role: "Leerplichtambtenaar", mandated: true },
          { name: "Jeugdarts Peters", role: "Jeugdarts (JGZ)", mandated: true },
          { name: "Noor Casemanager", role: "Casemanager samenwerkingsverband", mandated: true },
          { name: "Jeugdhulp Amstelland", role: "Hulpverlener", mandated: true },
        ]),
      )
      await d.log(
        "afspraak",
        fills.agreement(
          "Mees start met een opbouwrooster.",
          ["Leerling", "Ouder / verzorger"],
          "Doorbraakoverleg van",
        ),
      )
      await d.expectNotYet("Doorbraakoverleg gehouden: afspraken uitvoeren", [
        "1 afspraak/afspraken zonder actie",
      ])
      await d.log(
        "actie",
        fills.action(
          "Opbouwrooster opstellen",
          { name: "Mentor Bos", role: "Mentor" },
          LocalDate.addDays(TODAY, 10),
          "Mees start met een opbouwrooster.",
        ),
      )
      await d.take("Doorbraakoverleg gehouden: afspraken uitvoeren")
      expect(await d.status()).toBe("Afspraken in uitvoering")

      // Closing: the open action, the running help and the school attendance stand in the way.
      await d.expectNotYet("Afsluiten: leerling volgt weer onderwijs", [
        "1 actie(s) staan nog open",
        "schoolgang is nog niet vastgelegd als: naar school of gedeeltelijk naar school",
        "1 interventie(s) lopen nog; beëindig ze eerst",
      ])
      await d.log("actie-afgerond", fills.actionDone("Opbouwrooster opstellen"))
      await d.log("interventie-einde", fills.interventionEnd("Verzuimcoach", "Afgerond"))
      await d.log("schoolgang", fills.attendance("Gedeeltelijk naar school", true))
      await d.take("Afsluiten: leerling volgt weer onderwijs", { outcome: "Terug naar school" })
      expect(await d.status()).toBe("Afgesloten")

      // 4. The timeline in Dutch, oldest first here (the page shows newest first).
      const timeline = await d.timeline()
      const label = CaseEvent.caseEventLabel
      expect(timeline.map(([title]) => title)).toEqual([
        label.ReferralReceived,
        label.RegiehouderAssigned,
        label.StatusChanged,
        label.ContactLogged,
        label.ContactLogged,
        label.MeetingHeld,
        label.StatusChanged,
        label.InterventionStarted,
        label.StatusChanged,
        label.MeetingHeld,
        label.AgreementMade,
        label.ActionAssigned,
        label.StatusChanged,
        label.ActionCompleted,
        label.InterventionEnded,
        label.AttendanceRecorded,
        label.CaseClosed,
      ])
      const said = timeline.map(([, what]) => what).join("\n")
      expect(said).toContain("Van Doorbraakaanpak naar Afspraken in uitvoering.")
      expect(said).toContain("terug naar school")
      // The form's word for the channel is the timeline's.
      expect(said).toContain("via videogesprek")
      expect(codesIn(said, gateway, REGION.id)).toEqual([])

      // The referrer reads the outcome.
      const row = await openMine(referrer, PUPIL)
      expect(row).toContain("Afgesloten")
      expect(row).toContain("Terug naar school")

      // The dossier's meetings show who came with a mandate (axe ran on this page type elsewhere).
      const meetings = await worker.page.locator("section[aria-labelledby=kop-overleggen]").textContent()
      expect(meetings).toContain("Met doorzettingsmacht")
    } finally {
      await people.close()
    }
  }, 60_000)
})
