/**
 * The case fold: a full history folds to the expected state; every event that cannot apply is
 * rejected with a reason; and folding event by event with `evolve` equals `fold` for generated
 * histories.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck, Schema } from "effect"
import * as Case from "../src/Case.js"
import type { CaseEvent, EventOf } from "../src/CaseEvent.js"
import type { Action, Intervention, Meeting } from "../src/CaseParts.js"
import type { CaseEventRejected } from "../src/Errors.js"
import type { ActionId, AgreementId, CaseId, InterventionId, LeaveId, MeetingId, UserId } from "../src/Ids.js"
import * as LocalDate from "../src/LocalDate.js"
import type { RegiehouderRef, StaffRef } from "../src/Party.js"
import type { Referral } from "../src/Referral.js"
import { makeGenerator } from "../src/sample/index.js"
import type { Timestamp } from "../src/Timestamp.js"

const caseId = "case_0000000000fold" as CaseId
const d = LocalDate.make
/** Hour `n` after Monday 2 November 2026, 08:00 UTC. */
const at = (n: number): Timestamp =>
  new Date(Date.UTC(2026, 10, 2, 8) + n * 3_600_000).toISOString() as Timestamp

const smw: RegiehouderRef = {
  name: "Anouk de Graaf",
  role: "smw-verzuim",
  userId: "user_0000000000smw1" as UserId,
}
const smw2: RegiehouderRef = {
  name: "Sander Kok",
  role: "smw-verzuim",
  userId: "user_0000000000smw2" as UserId,
}
const mentor: StaffRef = { name: "Joost Verhoeven", role: "mentor" }
const hulpverlener: StaffRef = { name: "Reshma Jagesar", role: "hulpverlener" }

// A referral of a 13-year-old: the parents consented (the generator makes consent fit the age).
const referral: Referral = makeGenerator(7).referral({
  regionId: "westland",
  on: d("2026-11-02"),
  ageRange: [13, 13],
  verzuimKind: "grijs",
})

const mtg1 = "mtg_000000000001" as MeetingId
const agr1 = "agr_000000000001" as AgreementId
const act1 = "act_000000000001" as ActionId
const act2 = "act_000000000002" as ActionId
const act3 = "act_000000000003" as ActionId
const int1 = "int_000000000001" as InterventionId
const int2 = "int_000000000002" as InterventionId

const meeting: Meeting = {
  id: mtg1,
  kind: "mdo",
  heldOn: d("2026-11-10"),
  participants: [
    { name: smw.name, role: smw.role, mandated: false },
    { name: mentor.name, role: mentor.role, mandated: false },
  ],
  reportFiled: true,
}
const action = (id: ActionId, dueOn: string, agreementId?: AgreementId): Action => ({
  id,
  description: "Aangepast rooster opstellen",
  owner: mentor,
  dueOn: d(dueOn),
  ...(agreementId === undefined ? {} : { agreementId }),
})
const intervention = (id: InterventionId, startedOn: string): Intervention => ({
  id,
  catalogueCode: "jongerencoaching",
  label: "Jongerencoaching",
  startedOn: d(startedOn),
})

const received: EventOf<"ReferralReceived"> = {
  _tag: "ReferralReceived",
  at: at(0),
  by: smw,
  referral,
  initialStatus: "aangemeld",
}

/** A whole case, from referral to closure. */
const fullHistory: ReadonlyArray<CaseEvent> = [
  received,
  {
    _tag: "ContactLogged",
    at: at(1),
    by: smw,
    on: d("2026-11-02"),
    with: referral.referrer.role,
    channel: "telefoon",
  },
  { _tag: "IntakeCompleted", at: at(24), by: smw, on: d("2026-11-03"), regiehouder: smw },
  { _tag: "StatusChanged", at: at(25), by: smw, from: "aangemeld", to: "in-behandeling" },
  {
    _tag: "HomeVisitDone",
    at: at(48),
    by: smw,
    on: d("2026-11-04"),
    attendees: ["ouder", "leerling", "smw-verzuim"],
  },
  { _tag: "MeetingHeld", at: at(192), by: smw, meeting },
  {
    _tag: "AgreementMade",
    at: at(193),
    by: smw,
    agreement: {
      id: agr1,
      meetingId: mtg1,
      madeOn: d("2026-11-10"),
      description: "Leerling start met een aangepast rooster.",
      parties: ["leerling", "mentor"],
    },
  },
  { _tag: "ActionAssigned", at: at(194), by: smw, action: action(act1, "2026-11-20", agr1) },
  { _tag: "ActionAssigned", at: at(195), by: smw, action: action(act2, "2026-11-13") },
  { _tag: "ActionAssigned", at: at(196), by: smw, action: action(act3, "2026-12-01") },
  { _tag: "ActionCompleted", at: at(240), by: mentor, actionId: act1, on: d("2026-11-12") },
  { _tag: "ActionCancelled", at: at(241), by: smw, actionId: act3, reason: "Niet meer nodig" },
  { _tag: "InterventionStarted", at: at(264), by: smw, intervention: intervention(int1, "2026-11-13") },
  { _tag: "InterventionStarted", at: at(265), by: smw, intervention: intervention(int2, "2026-11-13") },
  {
    _tag: "ConsentRecorded",
    at: at(266),
    by: smw,
    consent: {
      subject: "leerling",
      givenBy: "leerling",
      givenOn: d("2026-11-13"),
      purposes: ["hulpverlening"],
      method: "mondeling",
    },
  },
  { _tag: "ParentsInformed", at: at(267), by: smw, on: d("2026-11-13") },
  {
    _tag: "AttendanceRecorded",
    at: at(268),
    by: smw,
    situation: "gedeeltelijk-naar-school",
    since: d("2026-11-13"),
    fittingOffer: true,
  },
  {
    _tag: "InterventionEnded",
    at: at(600),
    by: smw,
    interventionId: int1,
    endedOn: d("2026-11-27"),
    result: "afgerond",
  },
  {
    _tag: "AttendanceRecorded",
    at: at(601),
    by: smw,
    situation: "naar-school",
    since: d("2026-11-27"),
    fittingOffer: true,
  },
  { _tag: "RegiehouderChanged", at: at(602), by: smw, regiehouder: smw2, reason: "verlof" },
  { _tag: "StatusChanged", at: at(603), by: smw2, from: "in-behandeling", to: "monitoring" },
  {
    _tag: "HandedOver",
    at: at(700),
    by: smw2,
    on: d("2026-12-01"),
    to: hulpverlener,
    referrerInformedOn: d("2026-12-02"),
  },
  {
    _tag: "CaseClosed",
    at: at(800),
    by: smw2,
    on: d("2026-12-05"),
    outcome: { kind: "overgedragen" },
    finalStatus: "afgesloten",
    reason: "Regie belegd bij de jeugdhulp",
    endsInterventions: [{ interventionId: int2, result: "overgedragen" }],
  },
]

const folded = (events: ReadonlyArray<CaseEvent>): Case.CaseState => {
  const result = Case.fold(caseId, events)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

const rejection = (events: ReadonlyArray<CaseEvent>): CaseEventRejected => {
  const result = Case.fold(caseId, events)
  if (Either.isRight(result)) throw new Error("folded, but should have been rejected")
  return result.left
}

describe("Case.fold: a full history", () => {
  const state = folded(fullHistory)

  it("counts every event and keeps the first and last instant", () => {
    expect(state.id).toBe(caseId)
    expect(state.regionId).toBe("westland")
    expect(state.version).toBe(fullHistory.length)
    expect(state.openedAt).toBe(at(0))
    expect(state.lastEventAt).toBe(at(800))
    expect(state.referral).toBe(referral)
  })

  it("ends in the final status, closed with the outcome", () => {
    expect(state.status).toBe("afgesloten")
    expect(state.closed).toEqual({
      on: "2026-12-05",
      outcome: { kind: "overgedragen" },
      reason: "Regie belegd bij de jeugdhulp",
    })
    expect(Case.isClosed(state)).toBe(true)
  })

  it("has the last regiehouder and the intake date", () => {
    expect(state.regiehouder).toEqual(smw2)
    expect(state.intakeOn).toBe("2026-11-03")
  })

  it("records contacts, home visits, meetings and agreements", () => {
    expect(state.contacts).toEqual([{ on: "2026-11-02", with: referral.referrer.role, channel: "telefoon" }])
    expect(Case.firstContactOn(state, referral.referrer.role)).toBe("2026-11-02")
    expect(Case.firstContactOn(state, "leerling")).toBeUndefined()
    expect(state.homeVisits).toEqual(["2026-11-04"])
    expect(state.meetings).toEqual([meeting])
    expect(state.agreements.map((a) => a.id)).toEqual([agr1])
  })

  it("tracks each action: completed, open, cancelled", () => {
    expect(state.actions.map((a) => [a.id, a.status, a.completedOn])).toEqual([
      [act1, "afgerond", "2026-11-12"],
      [act2, "open", undefined],
      [act3, "vervallen", undefined],
    ])
    expect(Case.openActions(state).map((a) => a.id)).toEqual([act2])
    expect(Case.overdueActions(state, d("2026-11-13")).map((a) => a.id)).toEqual([])
    expect(Case.overdueActions(state, d("2026-11-14")).map((a) => a.id)).toEqual([act2])
  })

  it("ends one intervention, and the closing step hands over the one still running", () => {
    expect(state.interventions.map((i) => [i.id, i.endedOn, i.result])).toEqual([
      [int1, "2026-11-27", "afgerond"],
      [int2, "2026-12-05", "overgedragen"],
    ])
    expect(Case.runningInterventions(state)).toEqual([])
  })

  it("adds consent to the referral's and records when the parents were informed", () => {
    expect(state.consent.consents).toEqual([
      ...referral.consent.consents,
      expect.objectContaining({ subject: "leerling", purposes: ["hulpverlening"] }),
    ])
    expect(state.consent.parentsInformedOn).toBe("2026-11-13")
  })

  it("keeps the latest attendance and the handover", () => {
    expect(state.attendance).toEqual({ situation: "naar-school", since: "2026-11-27", fittingOffer: true })
    expect(Case.isHome(state)).toBe(false)
    expect(state.handovers).toEqual([
      { on: "2026-12-01", to: hulpverlener, referrerInformedOn: "2026-12-02" },
    ])
  })

  it("is a valid CaseState that survives JSON", () => {
    const encoded = Schema.encodeSync(Case.CaseState)(state)
    const decoded = Schema.decodeUnknownSync(Case.CaseState, { onExcessProperty: "error" })(
      JSON.parse(JSON.stringify(encoded)),
    )
    expect(decoded).toEqual(state)
  })

  it("before closure a thuiszittend pupil is at home", () => {
    const open = folded([
      received,
      {
        _tag: "AttendanceRecorded",
        at: at(1),
        by: smw,
        situation: "thuiszittend",
        since: d("2026-09-01"),
        fittingOffer: false,
      },
    ])
    expect(Case.isHome(open)).toBe(true)
    expect(Case.isClosed(open)).toBe(false)
    expect(open.status).toBe("aangemeld")
  })

  it("does not change the state it evolves", () => {
    const before = folded(fullHistory.slice(0, 10))
    const snapshot = JSON.stringify(before)
    const next = Case.evolve(before, {
      _tag: "ActionCompleted",
      at: at(999),
      by: mentor,
      actionId: act2,
      on: d("2026-11-20"),
    })
    expect(Either.isRight(next)).toBe(true)
    expect(JSON.stringify(before)).toBe(snapshot)
  })
})

describe("Case.fold: events that cannot apply are rejected with a reason", () => {
  const upToActions = fullHistory.slice(0, 10) // received … three actions assigned
  const upToInterventions = fullHistory.slice(0, 14) // … two interventions started
  const closed = fullHistory
  const contact: CaseEvent = {
    _tag: "ContactLogged",
    at: at(900),
    by: smw,
    on: d("2026-12-06"),
    with: "ouder",
    channel: "telefoon",
  }

  const table: ReadonlyArray<{
    readonly name: string
    readonly events: ReadonlyArray<CaseEvent>
    readonly tag: string
    readonly reason: RegExp
  }> = [
    {
      name: "a second ReferralReceived",
      events: [received, { ...received, at: at(1) }],
      tag: "ReferralReceived",
      reason: /al een aanmelding/,
    },
    {
      name: "a second intake",
      events: [
        ...fullHistory.slice(0, 3),
        { _tag: "IntakeCompleted", at: at(30), by: smw, on: d("2026-11-03"), regiehouder: smw2 },
      ],
      tag: "IntakeCompleted",
      reason: /intake is al gedaan/,
    },
    {
      // Logging an intake for someone else used to replace the regiehouder without a trace.
      name: "an intake naming another user while a regiehouder is assigned",
      events: [
        received,
        { _tag: "RegiehouderAssigned", at: at(1), by: smw, regiehouder: smw },
        { _tag: "IntakeCompleted", at: at(2), by: smw, on: d("2026-11-02"), regiehouder: smw2 },
      ],
      tag: "IntakeCompleted",
      reason: /al een andere regiehouder; wissel via Regiehouder gewisseld/,
    },
    {
      name: "a second first assignment of another regiehouder",
      events: [
        received,
        { _tag: "RegiehouderAssigned", at: at(1), by: smw, regiehouder: smw },
        { _tag: "RegiehouderAssigned", at: at(2), by: smw, regiehouder: smw2 },
      ],
      tag: "RegiehouderAssigned",
      reason: /al een andere regiehouder/,
    },
    {
      name: "changing the regiehouder of a case that has none",
      events: [received, { _tag: "RegiehouderChanged", at: at(1), by: smw, regiehouder: smw2, reason: "x" }],
      tag: "RegiehouderChanged",
      reason: /nog geen regiehouder/,
    },
    {
      name: "changing the regiehouder to the one who holds it",
      events: [
        received,
        { _tag: "RegiehouderAssigned", at: at(1), by: smw, regiehouder: smw },
        { _tag: "RegiehouderChanged", at: at(2), by: smw, regiehouder: smw, reason: "x" },
      ],
      tag: "RegiehouderChanged",
      reason: /is al de regiehouder/,
    },
    {
      name: "a closing step that ends an intervention that already ended",
      events: [
        ...fullHistory.slice(0, -1),
        {
          ...(fullHistory.at(-1) as EventOf<"CaseClosed">),
          endsInterventions: [{ interventionId: int1, result: "overgedragen" }],
        },
      ],
      tag: "CaseClosed",
      reason: /is al beëindigd/,
    },
    {
      name: "completing an unknown action",
      events: [
        ...upToActions,
        {
          _tag: "ActionCompleted",
          at: at(300),
          by: smw,
          actionId: "act_0000000000xx" as ActionId,
          on: d("2026-11-20"),
        },
      ],
      tag: "ActionCompleted",
      reason: /onbekende actie act_0000000000xx/,
    },
    {
      name: "completing an action twice",
      events: [
        ...upToActions,
        { _tag: "ActionCompleted", at: at(300), by: mentor, actionId: act1, on: d("2026-11-12") },
        { _tag: "ActionCompleted", at: at(301), by: mentor, actionId: act1, on: d("2026-11-13") },
      ],
      tag: "ActionCompleted",
      reason: new RegExp(`actie ${act1} is al afgerond`),
    },
    {
      name: "completing a cancelled action",
      events: [
        ...upToActions,
        { _tag: "ActionCancelled", at: at(300), by: smw, actionId: act2, reason: "Niet nodig" },
        { _tag: "ActionCompleted", at: at(301), by: mentor, actionId: act2, on: d("2026-11-13") },
      ],
      tag: "ActionCompleted",
      reason: /is al vervallen/,
    },
    {
      name: "cancelling a completed action",
      events: [
        ...upToActions,
        { _tag: "ActionCompleted", at: at(300), by: mentor, actionId: act1, on: d("2026-11-12") },
        { _tag: "ActionCancelled", at: at(301), by: smw, actionId: act1, reason: "Toch niet" },
      ],
      tag: "ActionCancelled",
      reason: /is al afgerond/,
    },
    {
      name: "an action with a duplicate id",
      events: [
        ...upToActions,
        { _tag: "ActionAssigned", at: at(300), by: smw, action: action(act1, "2026-12-01") },
      ],
      tag: "ActionAssigned",
      reason: new RegExp(`actie ${act1} bestaat al`),
    },
    {
      name: "an action naming an unknown agreement",
      events: [
        ...upToActions,
        {
          _tag: "ActionAssigned",
          at: at(300),
          by: smw,
          action: action("act_000000000009" as ActionId, "2026-12-01", "agr_0000000000xx" as AgreementId),
        },
      ],
      tag: "ActionAssigned",
      reason: /onbekende afspraak agr_0000000000xx/,
    },
    {
      name: "a meeting with a duplicate id",
      events: [
        ...fullHistory.slice(0, 6),
        { _tag: "MeetingHeld", at: at(200), by: smw, meeting: { ...meeting, heldOn: d("2026-11-11") } },
      ],
      tag: "MeetingHeld",
      reason: new RegExp(`overleg ${mtg1} bestaat al`),
    },
    {
      name: "an agreement naming an unknown meeting",
      events: [
        ...fullHistory.slice(0, 5),
        {
          _tag: "AgreementMade",
          at: at(100),
          by: smw,
          agreement: {
            id: agr1,
            meetingId: mtg1,
            madeOn: d("2026-11-10"),
            description: "Rooster",
            parties: [],
          },
        },
      ],
      tag: "AgreementMade",
      reason: new RegExp(`onbekend overleg ${mtg1}`),
    },
    {
      name: "an agreement with a duplicate id",
      events: [
        ...fullHistory.slice(0, 7),
        {
          _tag: "AgreementMade",
          at: at(200),
          by: smw,
          agreement: { id: agr1, madeOn: d("2026-11-10"), description: "Nog een afspraak", parties: [] },
        },
      ],
      tag: "AgreementMade",
      reason: new RegExp(`afspraak ${agr1} bestaat al`),
    },
    {
      name: "ending an unknown intervention",
      events: [
        ...upToInterventions,
        {
          _tag: "InterventionEnded",
          at: at(300),
          by: smw,
          interventionId: "int_0000000000xx" as InterventionId,
          endedOn: d("2026-11-27"),
          result: "afgerond",
        },
      ],
      tag: "InterventionEnded",
      reason: /onbekende interventie int_0000000000xx/,
    },
    {
      name: "ending an intervention before it started",
      events: [
        ...upToInterventions,
        {
          _tag: "InterventionEnded",
          at: at(300),
          by: smw,
          interventionId: int1,
          endedOn: d("2026-11-12"),
          result: "voortijdig-gestopt",
        },
      ],
      tag: "InterventionEnded",
      reason: /einddatum ligt voor de startdatum/,
    },
    {
      name: "ending an intervention twice",
      events: [
        ...upToInterventions,
        {
          _tag: "InterventionEnded",
          at: at(300),
          by: smw,
          interventionId: int1,
          endedOn: d("2026-11-20"),
          result: "afgerond",
        },
        {
          _tag: "InterventionEnded",
          at: at(301),
          by: smw,
          interventionId: int1,
          endedOn: d("2026-11-21"),
          result: "afgerond",
        },
      ],
      tag: "InterventionEnded",
      reason: /is al beëindigd/,
    },
    {
      name: "an intervention with a duplicate id",
      events: [
        ...upToInterventions,
        { _tag: "InterventionStarted", at: at(300), by: smw, intervention: intervention(int1, "2026-11-20") },
      ],
      tag: "InterventionStarted",
      reason: new RegExp(`interventie ${int1} bestaat al`),
    },
    {
      name: "a status change from the wrong status",
      events: [
        received,
        { _tag: "StatusChanged", at: at(1), by: smw, from: "in-behandeling", to: "monitoring" },
      ],
      tag: "StatusChanged",
      reason: /status is aangemeld, niet in-behandeling/,
    },
    {
      name: "a contact after closure",
      events: [...closed, contact],
      tag: "ContactLogged",
      reason: /al afgesloten/,
    },
    {
      name: "a second closure",
      events: [...closed, { ...(closed[closed.length - 1] as CaseEvent), at: at(900) }],
      tag: "CaseClosed",
      reason: /al afgesloten/,
    },
    {
      name: "a status change after closure, even from the right status",
      events: [
        ...closed,
        { _tag: "StatusChanged", at: at(900), by: smw, from: "afgesloten", to: "in-behandeling" },
      ],
      tag: "StatusChanged",
      reason: /al afgesloten/,
    },
  ]

  for (const row of table) {
    it(row.name, () => {
      const error = rejection(row.events)
      expect(error._tag).toBe("CaseEventRejected")
      expect(error.caseId).toBe(caseId)
      expect(error.eventTag).toBe(row.tag)
      expect(error.reason).toMatch(row.reason)
      expect(error.message).toContain(row.tag)
      expect(error.message).toContain(error.reason)
    })
  }

  it("a first event that is not ReferralReceived", () => {
    const error = rejection([fullHistory[1] as CaseEvent, ...fullHistory])
    expect(error.eventTag).toBe("ContactLogged")
    expect(error.reason).toBe("de eerste gebeurtenis van een casus is de aanmelding")
    expect(error.caseId).toBeUndefined()
  })

  it("an empty log", () => {
    const error = rejection([])
    expect(error.eventTag).toBe("(none)")
    expect(error.reason).toMatch(/zonder gebeurtenissen/)
  })

  it("stops at the first rejected event, whatever follows", () => {
    const bad: CaseEvent = {
      _tag: "ActionCompleted",
      at: at(300),
      by: smw,
      actionId: "act_0000000000xx" as ActionId,
      on: d("2026-11-20"),
    }
    const error = rejection([...upToActions, bad, ...fullHistory.slice(10)])
    expect(error.eventTag).toBe("ActionCompleted")
    expect(error.reason).toMatch(/act_0000000000xx/)
  })
})

describe("Case.fold over generated histories", () => {
  /** Folds event by event with start + evolve, checking the version at every step. */
  const stepwise = (id: CaseId, events: ReadonlyArray<CaseEvent>): Case.CaseState => {
    const [first, ...rest] = events
    if (first?._tag !== "ReferralReceived") throw new Error("history must open with ReferralReceived")
    let state = Case.start(id, first)
    expect(state.version).toBe(1)
    for (const event of rest) {
      const next = Case.evolve(state, event)
      if (Either.isLeft(next)) throw new Error(next.left.message)
      expect(next.right.version).toBe(state.version + 1)
      expect(next.right.lastEventAt).toBe(event.at)
      state = next.right
    }
    return state
  }

  it("evolve step by step equals fold, and version equals the number of events", () => {
    // Budget: 150 generated histories of up to 60 steps, open and closed: every event kind the
    // generator makes occurs in many of them; the bulk run below adds breadth across regions.
    FastCheck.assert(
      FastCheck.property(
        FastCheck.integer({ min: 0, max: 2 ** 31 }),
        FastCheck.boolean(),
        FastCheck.option(FastCheck.integer({ min: 0, max: 60 }), { nil: undefined }),
        (seed, close, steps) => {
          const { caseId: id, events } = makeGenerator(seed).caseHistory({
            close,
            ...(steps === undefined ? {} : { steps }),
          })
          const byFold = folded2(id, events)
          expect(stepwise(id, events)).toEqual(byFold)
          expect(byFold.version).toBe(events.length)
          expect(Case.isClosed(byFold)).toBe(close)
        },
      ),
      { numRuns: 150 },
    )
  })

  it("holds for a bulk run across regions", () => {
    let n = 0
    for (const { caseId: id, events } of makeGenerator(99).cases(300)) {
      expect(stepwise(id, events)).toEqual(folded2(id, events))
      n++
    }
    expect(n).toBe(300)
  })
})

function folded2(id: CaseId, events: ReadonlyArray<CaseEvent>): Case.CaseState {
  const result = Case.fold(id, events)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

describe("consent withdrawal, clock skew and no-op status changes", () => {
  const received: EventOf<"ReferralReceived"> = {
    _tag: "ReferralReceived",
    at: at(0),
    by: smw,
    referral,
    initialStatus: "aangemeld",
  }
  const open = () => Either.getOrThrow(Case.fold(caseId, [received]))

  it("withdraws the parents' consent for the named purposes, and refuses when nothing is left to withdraw", () => {
    const before = open()
    expect(before.consent.consents.some((c) => c.subject === "ouders" && c.withdrawnOn === undefined)).toBe(
      true,
    )
    const withdrawn: CaseEvent = {
      _tag: "ConsentWithdrawn",
      at: at(1),
      by: smw,
      subject: "ouders",
      on: d("2026-11-20"),
    }
    const after = Either.getOrThrow(Case.evolve(before, withdrawn))
    expect(after.consent.consents.filter((c) => c.subject === "ouders").map((c) => c.withdrawnOn)).toEqual(
      before.consent.consents.filter((c) => c.subject === "ouders").map(() => "2026-11-20"),
    )
    const again = Case.evolve(after, { ...withdrawn, at: at(2) })
    expect(Either.isLeft(again) && again.left.reason).toBe(
      "geen lopende toestemming van ouders om in te trekken",
    )
  })

  it("never moves lastEventAt backwards when an instance's clock lags", () => {
    const state = Either.getOrThrow(
      Case.evolve(open(), { _tag: "ParentsInformed", at: at(-1), by: smw, on: d("2026-11-02") }),
    )
    expect(state.lastEventAt).toBe(at(0))
    expect(state.version).toBe(2)
  })

  it("refuses a status change to the status the case already has", () => {
    const same = Case.evolve(open(), {
      _tag: "StatusChanged",
      at: at(1),
      by: smw,
      from: "aangemeld",
      to: "aangemeld",
    })
    expect(Either.isLeft(same) && same.left.reason).toBe("status is al aangemeld")
  })
})

describe("leave requests and decisions (Leerplichtwet 1969 art. 11, 13a, 14)", () => {
  const received: EventOf<"ReferralReceived"> = {
    _tag: "ReferralReceived",
    at: at(0),
    by: smw,
    referral,
    initialStatus: "aangemeld",
  }
  const id = "verlof_0000000001" as LeaveId
  const requested: EventOf<"LeaveRequested"> = {
    _tag: "LeaveRequested",
    at: at(1),
    by: mentor,
    request: {
      id,
      grond: "14-gewichtig",
      from: d("2026-12-07"),
      to: d("2026-12-11"),
      requestedOn: d("2026-11-02"),
    },
  }
  const decided = (decision: Partial<EventOf<"LeaveDecided">["decision"]> = {}): EventOf<"LeaveDecided"> => ({
    _tag: "LeaveDecided",
    at: at(2),
    by: mentor,
    decision: {
      requestId: id,
      decidedOn: d("2026-11-04"),
      decidedBy: "directeur",
      granted: true,
      ...decision,
    },
  })

  it("keeps the request with its decision", () => {
    const state = Either.getOrThrow(
      Case.fold(caseId, [received, requested, decided({ from: d("2026-12-07"), to: d("2026-12-09") })]),
    )
    expect(state.leave).toEqual([
      {
        request: requested.request,
        decision: {
          requestId: id,
          decidedOn: "2026-11-04",
          decidedBy: "directeur",
          granted: true,
          from: "2026-12-07",
          to: "2026-12-09",
        },
      },
    ])
    expect(Schema.decodeUnknownSync(Case.CaseState)(JSON.parse(JSON.stringify(state)))).toEqual(state)
  })

  it.each<[string, ReadonlyArray<CaseEvent>, RegExp]>([
    ["the same request twice", [received, requested, requested], /bestaat al/],
    ["a decision on an unknown request", [received, decided()], /onbekende verlofaanvraag/],
    ["a second decision", [received, requested, decided(), decided()], /is al besloten/],
    [
      "a decision before the request",
      [received, requested, decided({ decidedOn: d("2026-11-01") })],
      /voor de aanvraag/,
    ],
    [
      "a grant outside the requested days",
      [received, requested, decided({ from: d("2026-12-04") })],
      /buiten de aangevraagde periode/,
    ],
    [
      "a refusal with a granted period",
      [received, requested, decided({ granted: false, to: d("2026-12-08") })],
      /afwijzing heeft geen verleende periode/,
    ],
  ])("rejects %s", (_, events, reason) => {
    expect(rejection(events).reason).toMatch(reason)
  })

  it("decodes a stored projection from before leave was recorded, with no leave", () => {
    const { leave: _, ...old } = JSON.parse(JSON.stringify(Either.getOrThrow(Case.fold(caseId, [received]))))
    expect(Schema.decodeUnknownSync(Case.CaseState)(old).leave).toEqual([])
  })
})
