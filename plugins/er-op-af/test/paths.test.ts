import { schoolformaatCatalogue } from "@verzuimregie/catalogue-schoolformaat"
import { Ids, LocalDate, type Referral } from "@verzuimregie/domain"
import { Fixtures, Workflow } from "@verzuimregie/plugin-sdk"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import plugin from "../src/index.js"

const on = LocalDate.make("2026-03-10")
const settings = { firstContactWorkingDays: 5, homeVisitWorkingDays: 15 }
const ctx = { on, settings, calendars: [] }

/** A referral by a coördinator passend onderwijs for a pupil born on `birthDate`. */
const referral = (
  birthDate: string,
  consent: Referral.ReferralSubmission["consent"],
): Referral.ReferralSubmission => ({
  ...Fixtures.referralFor(plugin, { on }),
  pupil: { ...Fixtures.referralFor(plugin, { on }).pupil, birthDate: LocalDate.make(birthDate) },
  consent,
})

const pupilConsent = {
  subject: "leerling" as const,
  givenBy: "leerling",
  givenOn: LocalDate.make("2026-03-09"),
  purposes: ["aanmelding"] as ["aanmelding"],
  method: "mondeling" as const,
}
const parentConsent = {
  ...pupilConsent,
  subject: "ouders" as const,
  givenBy: "moeder",
  method: "schriftelijk" as const,
}

const issuesOf = (r: Referral.ReferralSubmission) => {
  const result = Workflow.acceptReferral(plugin, r, ctx)
  return Either.isLeft(result) ? result.left.issues.map((i) => `${i.path}: ${i.message}`) : []
}

describe("Er op af: who may be referred, and with whose consent", () => {
  it("refuses a 15-year-old without parental consent, even with the pupil's consent and parents informed", () => {
    expect(issuesOf(referral("2010-03-11", { consents: [pupilConsent], parentsInformedOn: on }))).toEqual([
      "consent: toestemming ouders ontbreekt",
    ])
  })

  it("accepts a 15-year-old with parental consent", () => {
    expect(issuesOf(referral("2010-03-11", { consents: [parentConsent] }))).toEqual([])
  })

  it("accepts a 16-year-old on their birthday without parental consent when the parents are informed", () => {
    expect(issuesOf(referral("2010-03-10", { consents: [pupilConsent], parentsInformedOn: on }))).toEqual([])
  })

  it("refuses a 16-year-old whose parents were not informed", () => {
    expect(issuesOf(referral("2010-03-10", { consents: [pupilConsent] }))).toEqual([
      "consent: ouders nog niet geïnformeerd",
    ])
  })

  it("takes referrals only from a coördinator passend onderwijs, school social worker or leerplichtambtenaar", () => {
    const byMentor = {
      ...Fixtures.referralFor(plugin, { on }),
      referrer: { ...Fixtures.referralFor(plugin, { on }).referrer, role: "mentor" as const },
    }
    // In readable Dutch role names, not their ids.
    expect(issuesOf(byMentor)[0]).toBe(
      "referrer.role: Mentor kan in deze regio niet aanmelden; wel: coördinator passend onderwijs, schoolmaatschappelijk werker, leerplichtambtenaar",
    )
    for (const role of [
      "coordinator-passend-onderwijs",
      "schoolmaatschappelijk-werker",
      "leerplichtambtenaar",
    ] as const) {
      const r = {
        ...Fixtures.referralFor(plugin, { on }),
        referrer: { ...Fixtures.referralFor(plugin, { on }).referrer, role },
      }
      expect(issuesOf(r), role).toEqual([])
    }
  })

  it("checks the region's own form fields with their paths", () => {
    const r = { ...Fixtures.referralFor(plugin, { on }), extension: { grijsVerzuim: "ja", onbekend: 1 } }
    expect(issuesOf(r)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^extension\.grijsVerzuim: /),
        expect.stringMatching(/^extension\.besprokenMetOuders: is verplicht/),
        expect.stringMatching(/^extension\.onbekend: /),
      ]),
    )
  })
})

describe("Er op af: the path from referral to a closed case", () => {
  const regiehouder = Fixtures.fixtureRegiehouder("smw-verzuim", "SMW verzuim Synthetisch")
  const reasonsOf = (result: ReturnType<ReturnType<typeof Fixtures.driveCase>["transition"]>) =>
    Either.isLeft(result) ? result.left.reasons : []

  it("walks aangemeld → kennismaking → traject → nazorg → afgesloten, refusing each step until its requirement is met", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings })
    expect(drive.state.status).toBe("aangemeld")

    expect(reasonsOf(drive.transition("start-kennismaking"))).toEqual(["nog geen regiehouder"])
    drive.log({ _tag: "RegiehouderAssigned", regiehouder })
    expect(Either.isRight(drive.transition("start-kennismaking"))).toBe(true)

    expect(reasonsOf(drive.transition("start-traject"))).toEqual([
      "intake nog niet gedaan",
      "nog geen contact met aanmelder, ouder / verzorger, leerling",
    ])
    drive.log({ _tag: "IntakeCompleted", on, regiehouder })
    for (const role of ["coordinator-passend-onderwijs", "ouder", "leerling"] as const) {
      drive.log({ _tag: "ContactLogged", on, with: role, channel: "telefoon" })
    }
    expect(Either.isRight(drive.transition("start-traject"))).toBe(true)

    expect(reasonsOf(drive.transition("naar-nazorg"))).toEqual([
      "nog geen huisbezoek gedaan",
      "netwerk van school nog niet betrokken: mentor, jeugdverpleegkundige, leerplichtambtenaar",
      "schoolgang is nog niet vastgelegd als: naar school of gedeeltelijk naar school",
    ])
    drive.log({ _tag: "HomeVisitDone", on, attendees: ["leerling", "ouder"] })
    const meetingId = Ids.MeetingId.make("mtg_netwerk000001")
    drive.log({
      _tag: "MeetingHeld",
      meeting: {
        id: meetingId,
        kind: "netwerkoverleg",
        heldOn: on,
        participants: [
          { name: "Mentor Synthetisch", role: "mentor", mandated: false },
          { name: "JVK Synthetisch", role: "jeugdverpleegkundige", mandated: false },
          { name: "LPA Synthetisch", role: "leerplichtambtenaar", mandated: false },
        ],
        reportFiled: true,
      },
    })
    const actionId = Ids.ActionId.make("act_rooster000001")
    drive.log({
      _tag: "ActionAssigned",
      action: {
        id: actionId,
        description: "Opbouwrooster maken",
        owner: { name: "Mentor Synthetisch", role: "mentor" },
        dueOn: on,
      },
    })
    drive.log({
      _tag: "AttendanceRecorded",
      situation: "gedeeltelijk-naar-school",
      since: on,
      fittingOffer: true,
    })
    expect(Either.isRight(drive.transition("naar-nazorg"))).toBe(true)

    const outcome = { kind: "verzuim-opgelost" as const }
    expect(reasonsOf(drive.transition("afsluiten", { outcome }))).toEqual([
      "1 actie(s) staan nog open",
      "schoolgang is nog niet vastgelegd als: naar school",
    ])
    drive.log({ _tag: "ActionCompleted", actionId, on })
    drive.log({ _tag: "AttendanceRecorded", situation: "naar-school", since: on, fittingOffer: true })
    expect(reasonsOf(drive.transition("afsluiten", { outcome: { kind: "verhuisd" } }))).toEqual([
      "uitkomst verhuisd past niet bij deze afsluiting",
    ])
    expect(Either.isRight(drive.transition("afsluiten", { outcome }))).toBe(true)
    expect(drive.state.status).toBe("afgesloten")
    expect(drive.state.closed?.outcome.kind).toBe("verzuim-opgelost")
    expect(Either.isLeft(drive.tryLog({ _tag: "ParentsInformed", on }))).toBe(true)
  })

  it("refuses interventions outside its help catalogue and lets only coordinators close for another reason", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings })
    const refused = drive.tryLog({
      _tag: "InterventionStarted",
      intervention: {
        id: Ids.InterventionId.make("int_tlvaanvraag0001"),
        catalogueCode: "tlv-aanvraag",
        label: "TLV-aanvraag",
        startedOn: on,
      },
    })
    expect(refused).toEqual(
      Either.left("interventie tlv-aanvraag staat niet in het hulpaanbod van deze regio"),
    )
    drive.log({ _tag: "RegiehouderAssigned", regiehouder })
    drive.transition("start-kennismaking")
    expect(reasonsOf(drive.transition("afsluiten-anders", { outcome: { kind: "verhuisd" } }))).toContain(
      "kan niet vanuit status kennismaking",
    )
  })
})

describe("Er op af: Schoolformaat's help catalogue, one offer with Westland", () => {
  it("offers every entry of the organisation's catalogue, with the ages the seed gives", () => {
    // Er op af offered 6 entries, 4 of them not in Schoolformaat's offer ("Onze hulp").
    expect(plugin.catalogue).toBe(schoolformaatCatalogue)
    expect(plugin.catalogue.map((c) => c.code)).toEqual([
      "ambulante-hulp-gezin",
      "jongerencoaching",
      "vuhp",
      "daghulp",
      "oj",
      "ouderschap-blijft",
      "begeleide-bezoeken",
      "pleegzorg",
      "gezinshuis",
      "residentiele-voorziening",
      "spoedhulp",
      "diagnostiek-en-behandeling",
    ])
    const ages = plugin.catalogue.filter((c) => c.minAge !== undefined || c.maxAge !== undefined)
    expect(ages.map((c) => [c.code, c.minAge, c.maxAge])).toEqual([
      ["oj", 8, 18],
      ["diagnostiek-en-behandeling", 12, undefined],
    ])
  })
})

describe("Er op af: closing with help still running, and the reason of a refusal", () => {
  const regiehouder = Fixtures.fixtureRegiehouder()
  it("refuses to close while an intervention runs, and closes once it has ended", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings })
    drive.log({ _tag: "RegiehouderAssigned", regiehouder })
    expect(Either.isRight(drive.transition("start-kennismaking"))).toBe(true)
    const interventionId = Ids.InterventionId.make("int_coaching000001")
    drive.log({
      _tag: "InterventionStarted",
      intervention: {
        id: interventionId,
        catalogueCode: "jongerencoaching",
        label: "Coaching",
        startedOn: on,
      },
    })
    const outcome = { kind: "anders" as const }
    const refused = drive.transition("niet-starten", { outcome, reason: "Gezin verhuist" })
    expect(Either.isLeft(refused) ? refused.left.reasons : []).toEqual([
      "1 interventie(s) lopen nog; beëindig ze eerst",
    ])
    drive.log({ _tag: "InterventionEnded", interventionId, endedOn: on, result: "voortijdig-gestopt" })
    expect(Either.isRight(drive.transition("niet-starten", { outcome, reason: "Gezin verhuist" }))).toBe(true)
    expect(drive.state.closed?.reason).toBe("Gezin verhuist")
  })
})
