import { Ids, LocalDate, type Referral } from "@verzuimregie/domain"
import { Deadlines, Fixtures, Workflow } from "@verzuimregie/plugin-sdk"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import plugin from "../src/index.js"

const on = LocalDate.make("2026-03-10")
const settings = { quarterlyReviewMonths: 3, firstContactWorkingDays: 10 }
const ctx = { on, settings, calendars: [] }
const reasonsOf = (r: Either.Either<unknown, { reasons: ReadonlyArray<string> }>) =>
  Either.isLeft(r) ? r.left.reasons : []

const melding = (
  kind: "beperkt" | "uitgebreid",
  patch: Partial<Referral.ReferralSubmission> = {},
): Referral.ReferralSubmission => {
  const base = Fixtures.referralFor(plugin, { on })
  return { ...base, verzuimKind: "langdurig", extension: { melding: kind, gesprekMetOuders: true }, ...patch }
}

describe("Amstelland: a melding langdurig verzuim at the Regioloket", () => {
  it("counts a month or longer at home as langdurig, and refuses a shorter absence", () => {
    const issues = (since: string) => {
      const r = Workflow.acceptReferral(
        plugin,
        melding("beperkt", { absence: { since: LocalDate.make(since), records: [] } }),
        ctx,
      )
      return Either.isLeft(r) ? r.left.issues : []
    }
    expect(issues("2026-02-10")).toEqual([])
    expect(issues("2026-02-11")).toEqual([
      { path: "absence.since", message: "langdurig verzuim is een maand of langer thuis; nog geen maand" },
    ])
  })

  it("always needs recorded consent of parents and/or pupil, also for a pupil of 16", () => {
    const base = Fixtures.referralFor(plugin, { on, age: 16 })
    const r = Workflow.acceptReferral(
      plugin,
      melding("uitgebreid", { pupil: base.pupil, consent: { consents: [], parentsInformedOn: on } }),
      ctx,
    )
    expect(Either.isLeft(r) ? r.left.issues.map((i) => i.message) : []).toContain(
      "geen geldende toestemming van ouders en/of leerling (niet vastgelegd of ingetrokken)",
    )
  })
})

describe("Amstelland: beperkte melding stays registration only", () => {
  it("registers, refuses actions and MDOs, holds only the quarterly review, and is still counted", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings, referral: melding("beperkt") })
    expect(reasonsOf(drive.transition("start-uitgebreid"))).toEqual([
      "de school deed een beperkte melding, geen uitgebreide",
      "nog geen regiehouder",
    ])
    expect(Either.isRight(drive.transition("registreer-beperkt"))).toBe(true)
    expect(drive.state.status).toBe("beperkt")

    const action = drive.tryLog({
      _tag: "ActionAssigned",
      action: {
        id: Ids.ActionId.make("act_beperkt000001"),
        description: "Gesprek plannen",
        owner: { name: "X", role: "regioloket" },
        dueOn: on,
      },
    })
    expect(action).toEqual(Either.left('in status "Beperkte melding" kan dit niet worden vastgelegd'))
    const meeting = (kind: "mdo" | "kwartaalbespreking") =>
      drive.tryLog({
        _tag: "MeetingHeld",
        meeting: {
          id: Ids.MeetingId.make(`mtg_${kind}0000000001`.slice(0, 20)),
          kind,
          heldOn: on,
          participants: [{ name: "Orthopedagoog", role: "orthopedagoog-swv", mandated: false }],
          reportFiled: true,
        },
      })
    expect(meeting("mdo")).toEqual(
      Either.left(
        "bij een beperkte melding onderneemt het Regioloket geen actie; schaal eerst op naar uitgebreid",
      ),
    )
    expect(Either.isRight(meeting("kwartaalbespreking"))).toBe(true)
    expect(drive.state.closed).toBeUndefined()

    // Still counted: the quarterly review falls due three months after the last one.
    const checks = Deadlines.deadlineChecks(plugin, {
      on: LocalDate.make("2026-06-11"),
      settings,
      calendars: [],
      state: drive.state,
    })
    expect(checks).toContainEqual(
      expect.objectContaining({ id: "kwartaalbespreking", dueOn: "2026-06-10", status: "verlopen" }),
    )
    expect(checks.some((c) => c.id === "eerste-contact")).toBe(false)
  })
})

describe("Amstelland: the first-contact deadline of an uitgebreide melding", () => {
  it("counts a contact from its date, also when it was logged after a later one", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings, referral: melding("uitgebreid") })
    const contact = (day: string, role: "coordinator-passend-onderwijs" | "ouder") =>
      drive.log({ _tag: "ContactLogged", on: LocalDate.make(day), with: role, channel: "telefoon" })
    contact("2026-03-20", "coordinator-passend-onderwijs")
    contact("2026-03-12", "ouder")
    contact("2026-03-11", "coordinator-passend-onderwijs") // backdated: the school was called first
    const check = Deadlines.deadlineChecks(plugin, {
      on: LocalDate.make("2026-03-30"),
      settings,
      calendars: [],
      state: drive.state,
    }).find((c) => c.id === "eerste-contact")
    expect(check).toMatchObject({ metOn: "2026-03-12", status: "gehaald" })
  })
})

describe("Amstelland: uitgebreide melding through MDO and doorbraakoverleg to actions", () => {
  it("walks onderzoek → MDO → begeleiding → doorbraakaanpak → doorbraakoverleg → uitvoering → afgesloten", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings, referral: melding("uitgebreid") })
    drive.log({
      _tag: "RegiehouderAssigned",
      regiehouder: Fixtures.fixtureRegiehouder("regioloket", "Regioloket Synthetisch"),
    })
    expect(Either.isRight(drive.transition("start-uitgebreid"))).toBe(true)

    expect(reasonsOf(drive.transition("na-mdo"))).toEqual([
      "nog geen contact met aanmelder, ouder / verzorger",
      "geen multidisciplinair overleg (MDO) gehouden",
    ])
    drive.log({ _tag: "ContactLogged", on, with: "coordinator-passend-onderwijs", channel: "telefoon" })
    drive.log({ _tag: "ContactLogged", on, with: "ouder", channel: "gesprek" })
    const mdo = (reportFiled: boolean, id: string) =>
      drive.log({
        _tag: "MeetingHeld",
        meeting: {
          id: Ids.MeetingId.make(id),
          kind: "mdo",
          heldOn: on,
          participants: [
            { name: "Ouder", role: "ouder", mandated: false },
            { name: "Zorgcoördinator", role: "coordinator-passend-onderwijs", mandated: false },
          ],
          reportFiled,
        },
      })
    mdo(false, "mtg_mdo00000000001")
    expect(reasonsOf(drive.transition("na-mdo"))).toEqual([
      "geen verslag van multidisciplinair overleg (MDO)",
    ])
    mdo(true, "mtg_mdo00000000002")
    expect(Either.isRight(drive.transition("na-mdo"))).toBe(true)

    expect(reasonsOf(drive.transition("start-doorbraakaanpak"))).toEqual([
      "de casemanager van het SWV is nog geen regiehouder",
    ])
    drive.log({
      _tag: "RegiehouderChanged",
      regiehouder: Fixtures.fixtureRegiehouder(
        "casemanager-swv",
        "Casemanager SWV",
        Ids.UserId.make("user_fixturecasemgr1"),
      ),
      reason: "Doorbraakaanpak: de casemanager van het SWV neemt de regie",
    })
    expect(Either.isRight(drive.transition("start-doorbraakaanpak"))).toBe(true)

    const overleg = Ids.MeetingId.make("mtg_doorbraak00001")
    drive.log({
      _tag: "MeetingHeld",
      meeting: {
        id: overleg,
        kind: "doorbraakoverleg",
        heldOn: on,
        participants: [
          { name: "LPA", role: "leerplichtambtenaar", mandated: true },
          { name: "Jeugdarts", role: "jeugdarts", mandated: false },
          { name: "Casemanager", role: "casemanager-swv", mandated: true },
          { name: "Jeugdhulp", role: "hulpverlener", mandated: true },
        ],
        reportFiled: true,
      },
    })
    expect(reasonsOf(drive.transition("na-doorbraakoverleg"))).toEqual([
      "geen gemandateerde met doorzettingsmacht van GGD",
      "geen afspraken uit het doorbraakoverleg vastgelegd",
    ])
    const agreement = Ids.AgreementId.make("agr_doorbraak00001")
    drive.log({
      _tag: "AgreementMade",
      agreement: {
        id: agreement,
        meetingId: overleg,
        madeOn: on,
        description: "Start onderwijs-zorgarrangement binnen twee weken",
        parties: ["casemanager-swv", "hulpverlener"],
      },
    })
    // A second doorbraakoverleg, now with a mandated GGD representative.
    drive.log({
      _tag: "MeetingHeld",
      meeting: {
        id: Ids.MeetingId.make("mtg_doorbraak00002"),
        kind: "doorbraakoverleg",
        heldOn: on,
        participants: [
          { name: "LPA", role: "leerplichtambtenaar", mandated: true },
          { name: "Jeugdverpleegkundige", role: "jeugdverpleegkundige", mandated: true },
          { name: "Orthopedagoog", role: "orthopedagoog-swv", mandated: true },
          { name: "Jeugdhulp", role: "hulpverlener", mandated: true },
        ],
        reportFiled: true,
      },
    })
    expect(reasonsOf(drive.transition("na-doorbraakoverleg"))).toEqual(["1 afspraak/afspraken zonder actie"])
    const action = Ids.ActionId.make("act_arrangement001")
    drive.log({
      _tag: "ActionAssigned",
      action: {
        id: action,
        description: "Arrangement regelen",
        owner: { name: "Casemanager", role: "casemanager-swv" },
        dueOn: LocalDate.addDays(on, 14),
        agreementId: agreement,
      },
    })
    expect(Either.isRight(drive.transition("na-doorbraakoverleg"))).toBe(true)
    expect(drive.state.status).toBe("uitvoering")

    const outcome = { kind: "onderwijs-zorgarrangement" as const }
    expect(reasonsOf(drive.transition("afsluiten", { outcome }))).toEqual([
      "1 actie(s) staan nog open",
      "schoolgang is nog niet vastgelegd als: naar school of gedeeltelijk naar school",
    ])
    drive.log({ _tag: "ActionCompleted", actionId: action, on })
    drive.log({
      _tag: "AttendanceRecorded",
      situation: "gedeeltelijk-naar-school",
      since: on,
      fittingOffer: true,
    })
    expect(Either.isRight(drive.transition("afsluiten", { outcome }))).toBe(true)
    expect(drive.state.closed?.outcome).toEqual(outcome)
  })
})

describe("Amstelland: start-uitgebreid only for an uitgebreide melding, with consent in force", () => {
  const regiehouder = Fixtures.fixtureRegiehouder("regioloket", "Regioloket Synthetisch")

  it("refuses a beperkte melding, which goes through registreer-beperkt and opschalen", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings, referral: melding("beperkt") })
    drive.log({ _tag: "RegiehouderAssigned", regiehouder })
    expect(reasonsOf(drive.transition("start-uitgebreid"))).toEqual([
      "de school deed een beperkte melding, geen uitgebreide",
    ])
    expect(Either.isRight(drive.transition("registreer-beperkt"))).toBe(true)
    expect(Either.isRight(drive.transition("opschalen"))).toBe(true)
    expect(drive.state.status).toBe("onderzoek")
  })

  it("refuses start-uitgebreid after the parents and the pupil withdrew their consent", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings, referral: melding("uitgebreid") })
    drive.log({ _tag: "RegiehouderAssigned", regiehouder })
    drive.log({ _tag: "ConsentWithdrawn", subject: "ouders", on })
    drive.log({ _tag: "ConsentWithdrawn", subject: "leerling", on })
    expect(reasonsOf(drive.transition("start-uitgebreid"))).toEqual([
      "geen geldende toestemming van ouders en/of leerling (niet vastgelegd of ingetrokken)",
    ])
    drive.log({
      _tag: "ConsentRecorded",
      consent: {
        subject: "ouders",
        givenBy: "moeder",
        givenOn: on,
        purposes: ["aanmelding"],
        method: "schriftelijk",
      },
    })
    expect(Either.isRight(drive.transition("start-uitgebreid"))).toBe(true)
  })

  it("asks the coordinator a reason to withdraw a melding, and keeps it", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings, referral: melding("uitgebreid") })
    const outcome = { kind: "anders" as const }
    expect(reasonsOf(drive.transition("intrekken", { role: "coordinator", outcome }))).toEqual([
      "geef een reden op",
    ])
    const reason = "School trekt de melding in: leerling staat ingeschreven op een andere school"
    expect(Either.isRight(drive.transition("intrekken", { role: "coordinator", outcome, reason }))).toBe(true)
    expect(drive.state.closed?.reason).toBe(reason)
  })
})
