import { Calendars, Case, CaseSignals, Ids, LocalDate, Timestamp, Verlof } from "@verzuimregie/domain"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Deadlines, definePlugin, Fixtures, Guards, type Plugin, Workflow } from "../src/index.js"

const minimal = (
  workflow: Plugin.Workflow<unknown>,
  runningInterventionsAtClose: Plugin.RunningInterventionsAtClose = "refuse",
  consentAlwaysRecorded = false,
) =>
  definePlugin({
    manifest: {
      id: "proef",
      name: "Proefregio",
      version: "0.1.0",
      description: "Een regio om mee te testen.",
      municipalities: ["Proefstad"],
      organisations: [],
      contactRoles: ["smw-verzuim"],
    },
    settings: Schema.Struct({}),
    referral: {
      referrerRoles: ["mentor"],
      consentPolicy: "referral",
      consentAlwaysRecorded,
      extension: Schema.Struct({}),
      exampleExtension: {},
    },
    workflow,
    deadlines: [],
    thresholds: {},
    catalogue: [{ code: "hulp", label: "Hulp", description: "Hulp." }],
    outcomes: ["terug-naar-school", "anders"],
    runningInterventionsAtClose,
    reports: { caseColumns: [] },
    demo: { staffRole: "smw-verzuim", steps: [], close: [] },
  })

const state = (id: string, final = false) => ({ id, label: id, description: id, final })
const step = (
  id: string,
  from: Array<string>,
  to: string,
  outcomes?: Array<"terug-naar-school" | "verhuisd" | "anders">,
) => ({
  id,
  label: id,
  from,
  to,
  roles: ["case-worker" as const],
  guards: [],
  ...(outcomes ? { outcomes } : {}),
})

describe("a workflow is checked when its plug-in loads", () => {
  it("accepts a workflow that holds together", () => {
    const ok = minimal({
      initial: "open",
      states: [state("open"), state("dicht", true)],
      transitions: [step("sluit", ["open"], "dicht", ["terug-naar-school"])],
    })
    expect(Workflow.workflowProblems(ok)).toEqual([])
    expect(Either.isRight(Workflow.checkWorkflow(ok))).toBe(true)
  })

  it("names every problem: unknown states, unreachable states, dead ends, traps and closing without outcomes", () => {
    const broken = minimal({
      initial: "begin",
      states: [
        state("open"),
        state("vast"),
        state("lus-a"),
        state("lus-b"),
        state("wees"),
        state("dicht", true),
      ],
      transitions: [
        step("start", ["open"], "nergens"),
        step("sluit", ["open"], "dicht"),
        step("heen", ["open"], "lus-a"),
        step("terug", ["lus-a"], "lus-b"),
        step("rond", ["lus-b"], "lus-a"),
        step("naar-vast", ["open"], "vast"),
        step("uit-dicht", ["dicht"], "open"),
        step("vreemd", ["open"], "dicht", ["verhuisd"]),
      ],
    })
    const problems = Workflow.workflowProblems(broken)
    expect(problems).toEqual(
      expect.arrayContaining([
        "beginstatus begin bestaat niet",
        "overgang start leidt naar onbekende status nergens",
        "overgang sluit sluit de casus maar noemt geen uitkomst",
        "overgang uit-dicht vertrekt uit eindstatus dicht",
        "overgang vreemd sluit met uitkomst verhuisd, die niet in outcomes staat",
        "status open is vanuit begin niet te bereiken",
        "status wees is vanuit begin niet te bereiken",
        "status wees heeft geen uitweg en is geen eindstatus",
        "status vast heeft geen uitweg en is geen eindstatus",
        "vanuit status lus-a is nooit een eindstatus te bereiken",
        "vanuit status lus-b is nooit een eindstatus te bereiken",
      ]),
    )
    const checked = Workflow.checkWorkflow(broken)
    expect(Either.isLeft(checked) && checked.left.message).toMatch(
      /^plug-in proef: de werkwijze klopt niet:\n {2}- /,
    )
  })
})

describe("transitions", () => {
  const plugin = minimal({
    initial: "open",
    states: [state("open"), state("dicht", true)],
    transitions: [
      {
        ...step("sluit", ["open"], "dicht", ["terug-naar-school"]),
        guards: [
          {
            requires: "het is dinsdag",
            check: ({ on }) => (LocalDate.weekday(on) === 2 ? undefined : "het is geen dinsdag"),
          },
        ],
      },
    ],
  })
  const on = LocalDate.make("2026-03-10")
  it("refuses a role that may not take it, with the guard's reasons too", () => {
    const drive = Fixtures.driveCase(plugin, { on: LocalDate.make("2026-03-11") })
    const result = drive.transition("sluit", { role: "referrer", outcome: { kind: "terug-naar-school" } })
    expect(Either.isLeft(result) ? result.left.reasons : []).toEqual([
      "alleen een casusregisseur mag deze stap zetten",
      "het is geen dinsdag",
    ])
  })

  it("names who may take a step, not that it is not yet possible", () => {
    expect(Workflow.rolesOnly(["coordinator"])).toBe("alleen een coördinator mag deze stap zetten")
    expect(Workflow.rolesOnly(["case-worker", "coordinator"])).toBe(
      "alleen een casusregisseur of een coördinator mag deze stap zetten",
    )
  })

  it("answers an unknown transition and lists what is available", () => {
    const drive = Fixtures.driveCase(plugin, { on })
    const result = drive.transition("vlieg")
    expect(Either.isLeft(result) ? result.left.reasons : []).toEqual(["onbekende overgang vlieg"])
    const available = Workflow.availableTransitions(plugin, "case-worker", {
      on,
      settings: {},
      calendars: [],
      state: drive.state,
    })
    expect(available.map((a) => [a.transition.id, a.allowed])).toEqual([["sluit", true]])
  })

  it("never lets a case worker log a status change directly", () => {
    const drive = Fixtures.driveCase(plugin, { on })
    const event = {
      _tag: "StatusChanged",
      at: drive.state.openedAt,
      by: Fixtures.fixtureStaff,
      from: "open",
      to: "dicht",
    } as const
    const result = Workflow.acceptEvent(plugin, drive.state, event, { on, settings: {}, calendars: [] })
    expect(Either.isLeft(result) && result.left.reason).toBe(
      "statuswijzigingen en afsluiten gaan via een overgang",
    )
  })

  it("takes a review outcome only on a kwartaalbespreking", () => {
    const drive = Fixtures.driveCase(plugin, { on })
    const meeting = (kind: "mdo" | "kwartaalbespreking") =>
      ({
        _tag: "MeetingHeld",
        at: drive.state.openedAt,
        by: Fixtures.fixtureStaff,
        meeting: {
          id: Ids.MeetingId.make("mtg_review0000000001"),
          kind,
          heldOn: on,
          participants: [{ name: "Orthopedagoog", role: "orthopedagoog-swv", mandated: false }],
          reportFiled: false,
          reviewOutcome: "voortzetten",
        },
      }) as const
    const ctx = { on, settings: {}, calendars: [] }
    expect(
      Either.isRight(Workflow.acceptEvent(plugin, drive.state, meeting("kwartaalbespreking"), ctx)),
    ).toBe(true)
    const refused = Workflow.acceptEvent(plugin, drive.state, meeting("mdo"), ctx)
    expect(Either.isLeft(refused) && refused.left.reason).toBe(
      "alleen een kwartaalbespreking heeft een uitkomst van de kwartaalbespreking",
    )
  })
})

describe("the events a case worker may log now", () => {
  const on = LocalDate.make("2026-03-10")
  const plugin = minimal({
    initial: "open",
    states: [
      state("open"),
      { ...state("smal"), allowedEvents: ["ContactLogged", "ParentsInformed"] },
      state("dicht", true),
    ],
    transitions: [step("versmal", ["open"], "smal"), step("sluit", ["open", "smal"], "dicht", ["anders"])],
  })
  const drive = Fixtures.driveCase(plugin, { on })

  it("are every directly logged kind by default, never a status change, closing or referral", () => {
    const tags = Workflow.loggableEvents(plugin, drive.state)
    expect(tags).toContain("ContactLogged")
    expect(tags).toContain("MeetingHeld")
    for (const never of ["StatusChanged", "CaseClosed", "ReferralReceived", "ReferralLinked"] as const)
      expect(tags).not.toContain(never)
  })

  it("are the state's allowedEvents where it names them, and none once the case is closed", () => {
    expect(Workflow.loggableEvents(plugin, { ...drive.state, status: "smal" })).toEqual([
      "ContactLogged",
      "ParentsInformed",
    ])
    const closed = {
      ...drive.state,
      closed: { on, outcome: { kind: "anders" as const }, finalStatus: "dicht" },
    }
    expect(Workflow.loggableEvents(plugin, closed as Case.CaseState)).toEqual([])
  })
})

describe("leave requests the law does not allow", () => {
  const plugin = minimal({
    initial: "open",
    states: [state("open"), state("dicht", true)],
    transitions: [step("sluit", ["open"], "dicht", ["terug-naar-school"])],
  })
  const on = LocalDate.make("2026-03-10")
  const calendars = Calendars.midden
  const drive = Fixtures.driveCase(plugin, { on })
  const ctx = { on, settings: {}, calendars }
  const request = (grond: Verlof.VerlofGrond, from: string, to: string, beroepOuder?: boolean) =>
    ({
      _tag: "LeaveRequested",
      at: drive.state.openedAt,
      by: Fixtures.fixtureStaff,
      request: {
        id: Ids.newId.leave(),
        grond,
        from: LocalDate.make(from),
        to: LocalDate.make(to),
        requestedOn: on,
        ...(beroepOuder === undefined ? {} : { beroepOuder }),
      },
    }) as const

  it("refuses vakantieverlof without a parent's work as reason, in Dutch with the article", () => {
    const result = Workflow.acceptEvent(
      plugin,
      drive.state,
      request("13a-vakantie", "2026-03-16", "2026-03-20"),
      ctx,
    )
    expect(Either.isLeft(result) && result.left.reason).toBe(
      `deze verlofaanvraag (${Verlof.verlofLabel["13a-vakantie"]}) kan niet: vakantieverlof alleen als de specifieke aard van het beroep van een ouder een vakantie in de schoolvakanties onmogelijk maakt (art. 11 onder f)`,
    )
  })

  it("refuses more than 10 school days of vakantieverlof (art. 13a lid 2)", () => {
    const result = Workflow.acceptEvent(
      plugin,
      drive.state,
      request("13a-vakantie", "2026-03-16", "2026-04-03", true),
      ctx,
    )
    expect(Either.isLeft(result) && result.left.reason).toContain(
      "vakantieverlof is ten hoogste 10 schooldagen; deze aanvraag telt 15 schooldagen (art. 13a lid 2)",
    )
  })

  it("accepts a request the law allows", () => {
    expect(
      Either.isRight(
        Workflow.acceptEvent(
          plugin,
          drive.state,
          request("13a-vakantie", "2026-03-16", "2026-03-20", true),
          ctx,
        ),
      ),
    ).toBe(true)
    expect(
      Either.isRight(
        Workflow.acceptEvent(plugin, drive.state, request("11-ziekte", "2026-03-16", "2026-04-03"), ctx),
      ),
    ).toBe(true)
  })
})

describe("consent guards count only the consent currently given", () => {
  const on = LocalDate.make("2026-03-10")
  const plugin = minimal(
    {
      initial: "open",
      states: [state("open"), state("bezig"), state("dicht", true)],
      transitions: [
        {
          ...step("start", ["open"], "bezig"),
          guards: [Guards.consentGiven(["ouders", "leerling"]), Guards.consentInOrder("referral")],
        },
        step("sluit", ["bezig"], "dicht", ["terug-naar-school"]),
      ],
    },
    "refuse",
    true,
  )

  it("refuses a step once the parents and the pupil withdrew their consent", () => {
    const drive = Fixtures.driveCase(plugin, { on })
    expect(Guards.currentConsent(drive.state.consent, ["ouders"], "aanmelding", on)).toHaveLength(1)
    drive.log({ _tag: "ConsentWithdrawn", subject: "ouders", on })
    drive.log({ _tag: "ConsentWithdrawn", subject: "leerling", on })
    expect(Guards.currentConsent(drive.state.consent, ["ouders", "leerling"], "aanmelding", on)).toEqual([])
    const result = drive.transition("start")
    expect(Either.isLeft(result) ? result.left.reasons : []).toEqual([
      "geen geldende toestemming van ouders en/of leerling (niet vastgelegd of ingetrokken)",
      "toestemming ouders ontbreekt",
    ])
  })

  it("refuses a referral whose only recorded consent was withdrawn (consentAlwaysRecorded)", () => {
    const submission = Fixtures.referralFor(plugin, { on })
    const withdrawn = {
      ...submission,
      consent: {
        ...submission.consent,
        consents: submission.consent.consents.map((c) => ({ ...c, withdrawnOn: on })),
      },
    }
    const result = Workflow.acceptReferral(plugin, withdrawn, { on, settings: {}, calendars: [] })
    expect(Either.isLeft(result) ? result.left.issues.map((i) => i.path) : []).toContain("consent.consents")
  })
})

describe("running interventions when a case closes (runningInterventionsAtClose)", () => {
  const on = LocalDate.make("2026-03-10")
  const workflow: Plugin.Workflow<unknown> = {
    initial: "open",
    states: [state("open"), state("dicht", true), state("weg", true)],
    transitions: [
      step("sluit", ["open"], "dicht", ["terug-naar-school"]),
      { ...step("weg", ["open"], "weg", ["anders"]), reasonRequired: true },
    ],
  }
  const withHelp = (mode: Plugin.RunningInterventionsAtClose) => {
    const drive = Fixtures.driveCase(minimal(workflow, mode), { on })
    drive.log({
      _tag: "InterventionStarted",
      intervention: {
        id: Ids.InterventionId.make("int_running000001"),
        catalogueCode: "hulp",
        label: "Hulp",
        startedOn: on,
      },
    })
    return drive
  }

  it("refuse: the step is refused with the reason, also in the list of steps, until the help has ended", () => {
    const drive = withHelp("refuse")
    const result = drive.transition("sluit", { outcome: { kind: "terug-naar-school" } })
    expect(Either.isLeft(result) ? result.left.reasons : []).toEqual([
      "1 interventie(s) lopen nog; beëindig ze eerst",
    ])
    const listed = Workflow.availableTransitions(minimal(workflow, "refuse"), "case-worker", {
      on,
      settings: {},
      calendars: [],
      state: drive.state,
    })
    expect(listed.find((t) => t.transition.id === "sluit")?.reasons).toEqual([
      "1 interventie(s) lopen nog; beëindig ze eerst",
    ])
    drive.log({
      _tag: "InterventionEnded",
      interventionId: Ids.InterventionId.make("int_running000001"),
      endedOn: on,
      result: "afgerond",
    })
    expect(Either.isRight(drive.transition("sluit", { outcome: { kind: "terug-naar-school" } }))).toBe(true)
  })

  it("end: the closing event ends every running intervention, so none is left running", () => {
    const drive = withHelp("end")
    const result = drive.transition("sluit", { outcome: { kind: "terug-naar-school" } })
    expect(Either.isRight(result)).toBe(true)
    expect(drive.state.interventions.map((i) => [i.endedOn, i.result])).toEqual([[on, "voortijdig-gestopt"]])
    expect(Case.runningInterventions(drive.state)).toEqual([])
  })
})

describe("a step that asks for a reason", () => {
  const on = LocalDate.make("2026-03-10")
  const plugin = minimal({
    initial: "open",
    states: [state("open"), state("weg", true)],
    transitions: [{ ...step("niet-starten", ["open"], "weg", ["anders"]), reasonRequired: true }],
  })

  it("is refused without one, and keeps it in the event and in state.closed.reason", () => {
    const drive = Fixtures.driveCase(plugin, { on })
    const without = drive.transition("niet-starten", { outcome: { kind: "anders" }, reason: "  " })
    expect(Either.isLeft(without) ? without.left.reasons : []).toEqual(["geef een reden op"])
    const withReason = drive.transition("niet-starten", {
      outcome: { kind: "anders" },
      reason: "Ouders willen geen traject",
    })
    expect(Either.isRight(withReason)).toBe(true)
    expect(drive.state.closed?.reason).toBe("Ouders willen geen traject")
  })
})

describe("attendance signals on the case page", () => {
  const plugin = minimal({
    initial: "open",
    states: [state("open"), state("dicht", true)],
    transitions: [step("sluit", ["open"], "dicht", ["terug-naar-school"])],
  })
  const opened = LocalDate.make("2026-01-12")
  const on = LocalDate.make("2026-03-10")
  const meta = { at: Timestamp.Timestamp.make("2026-01-12T09:00:00.000Z"), by: Fixtures.fixtureStaff }
  const atHome = Either.getOrThrow(
    Case.evolve(Fixtures.openCase(plugin, { on: opened }), {
      _tag: "AttendanceRecorded",
      ...meta,
      situation: "thuiszittend",
      since: opened,
      fittingOffer: false,
    }),
  )

  it("count a pupil at home for two months as a thuiszitter (2a)", () => {
    expect(Deadlines.attendanceSignals(atHome, on).categorie).toBe("2a")
  })

  it("do not while a vrijstelling runs, the same as the staff summary and the Inspectie overview", () => {
    const exempt = Either.getOrThrow(
      Case.evolve(atHome, {
        _tag: "ExemptionRecorded",
        ...meta,
        vrijstelling: { grond: "5a", from: LocalDate.make("2026-02-02") },
      }),
    )
    expect(Deadlines.attendanceSignals(exempt, on).categorie).toBeUndefined()
    expect(CaseSignals.categoryOn(exempt, on)).toBeUndefined()
    // The pact asks the same question: a pupil whose duty a vrijstelling excuses is no thuiszitter.
    expect(Deadlines.attendanceSignals(exempt, on).pact?.status).toBe("ok")
    expect(Deadlines.attendanceSignals(exempt, on).pact?.excusedBy).toBe("5a")
  })

  const notEnrolled = Either.getOrThrow(
    Case.evolve(Fixtures.openCase(plugin, { on: opened }), {
      _tag: "AttendanceRecorded",
      ...meta,
      situation: "niet-ingeschreven",
      since: opened,
      fittingOffer: false,
    }),
  )
  const withLeave = (state: Case.CaseState) =>
    Either.getOrThrow(
      Case.evolve(state, {
        _tag: "ExemptionRecorded",
        ...meta,
        vrijstelling: { grond: "11-verlof", from: opened, until: LocalDate.make("2026-06-30") },
      }),
    )

  it("art. 11 leave does not excuse a pupil who is not enrolled: still absoluut verzuim (1) and the pact runs to an alarm", () => {
    const later = LocalDate.make("2026-04-13")
    expect(Deadlines.attendanceSignals(withLeave(notEnrolled), later).categorie).toBe("1")
    expect(Deadlines.attendanceSignals(withLeave(notEnrolled), later).pact?.status).toBe("alarm")
    // The same leave excuses an enrolled pupil's attendance: no thuiszitter, pact ok.
    expect(Deadlines.attendanceSignals(withLeave(atHome), later).categorie).toBeUndefined()
    expect(Deadlines.attendanceSignals(withLeave(atHome), later).pact?.status).toBe("ok")
  })

  it("an expired 5 onder a no longer excuses (art. 6): the pact clock restarts the day after it ended", () => {
    const exempt = Either.getOrThrow(
      Case.evolve(atHome, {
        _tag: "ExemptionRecorded",
        ...meta,
        vrijstelling: { grond: "5a", from: LocalDate.make("2026-02-02") },
      }),
    )
    const pact = Deadlines.attendanceSignals(exempt, LocalDate.make("2026-09-01")).pact
    expect(pact?.excusedBy).toBeUndefined()
    expect(pact?.countsFrom).toBe("2026-08-01")
    expect(pact?.limitDate).toBe("2026-11-01")
  })
})

describe("the yearly renewal of a vrijstelling as a deadline (art. 6)", () => {
  const plugin = minimal({
    initial: "open",
    states: [state("open"), state("dicht", true)],
    transitions: [step("sluit", ["open"], "dicht", ["terug-naar-school"])],
  })
  const meta = { at: Timestamp.Timestamp.make("2025-09-01T09:00:00.000Z"), by: Fixtures.fixtureStaff }
  const record = (s: Case.CaseState, grond: "5a" | "5b" | "15", from: string, permanent?: boolean) =>
    Either.getOrThrow(
      Case.evolve(s, {
        _tag: "ExemptionRecorded",
        ...meta,
        vrijstelling: {
          grond,
          from: LocalDate.make(from),
          ...(permanent === undefined ? {} : { permanent }),
        },
      }),
    )
  const fresh = Fixtures.openCase(plugin, { on: LocalDate.make("2025-09-01") })
  const checks = (s: Case.CaseState, on: string) =>
    Deadlines.deadlineChecks(plugin, { on: LocalDate.make(on), settings: {}, calendars: [], state: s })

  it.each<[string, "5a" | "5b" | "15", boolean | undefined, ReadonlyArray<string>]>([
    ["5 onder a: renew before 1 July", "5a", undefined, ["2026-06-30"]],
    ["5 onder b: renew before 1 July", "5b", undefined, ["2026-06-30"]],
    ["permanent 5 onder a (art. 6 lid 3): no renewal", "5a", true, []],
    ["art. 15: no yearly renewal", "15", undefined, []],
  ])("%s", (_, grond, permanent, dueOn) => {
    expect(checks(record(fresh, grond, "2025-09-01", permanent), "2026-03-01").map((c) => c.dueOn)).toEqual(
      dueOn,
    )
  })

  it("is open, then overdue, and met once the next school year's vrijstelling is on record", () => {
    const exempt = record(fresh, "5b", "2025-09-01")
    expect(checks(exempt, "2026-06-01")[0]?.status).toBe("open")
    expect(checks(exempt, "2026-06-29")[0]?.status).toBe("binnenkort")
    expect(checks(exempt, "2026-07-01")[0]?.status).toBe("verlopen")
    expect(checks(exempt, "2026-07-01")[0]?.label).toBe(
      "Vrijstelling art. 5 onder b opnieuw aanvragen voor 2026/27 (vóór 1 juli, art. 6)",
    )
    const renewed = record(exempt, "5b", "2026-08-01")
    expect(checks(renewed, "2026-07-01").map((c) => [c.id, c.status])).toEqual([
      ["vrijstelling-5b-2026-27", "gehaald"],
      ["vrijstelling-5b-2027-28", "open"],
    ])
  })
})
