import { schoolformaatCatalogue } from "@verzuimregie/catalogue-schoolformaat"
import { Ids, LocalDate } from "@verzuimregie/domain"
import { Fixtures, Workflow } from "@verzuimregie/plugin-sdk"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import plugin from "../src/index.js"

const on = LocalDate.make("2026-03-10")
const settings = { firstContactWorkingDays: 5, referrerFeedbackWorkingDays: 5 }
const ctx = { on, settings, calendars: [] }
const smw = Fixtures.fixtureRegiehouder("smw-verzuim", "SMW verzuim Westland")
const reasonsOf = (r: Either.Either<unknown, { reasons: ReadonlyArray<string> }>) =>
  Either.isLeft(r) ? r.left.reasons : []

const referralBy = (role: "mentor" | "leerplichtambtenaar" | "jeugdarts" | "ouder", instantie: string) => {
  const base = Fixtures.referralFor(plugin, { on })
  return {
    ...base,
    referrer: { ...base.referrer, role },
    extension: { ...base.extension, aanmeldendeInstantie: instantie },
  }
}

describe("Westland: referral by school, Leerplicht or JGZ", () => {
  it.each([
    ["mentor", "school"],
    ["leerplichtambtenaar", "leerplicht"],
    ["jeugdarts", "jgz"],
  ] as const)("accepts a referral by a %s on behalf of %s", (role, instantie) => {
    expect(Either.isRight(Workflow.acceptReferral(plugin, referralBy(role, instantie), ctx))).toBe(true)
  })

  it("refuses a parent as referrer, and an instantie that does not match the referrer's role", () => {
    const byParent = Workflow.acceptReferral(plugin, referralBy("ouder", "school"), ctx)
    expect(Either.isLeft(byParent) && byParent.left.issues[0]?.path).toBe("referrer.role")
    const mismatch = Workflow.acceptReferral(plugin, referralBy("jeugdarts", "school"), ctx)
    expect(Either.isLeft(mismatch) ? mismatch.left.issues : []).toEqual([
      {
        path: "extension.aanmeldendeInstantie",
        message:
          "past niet bij de rol van de aanmelder, jeugdarts (JGZ): verwacht Jeugdgezondheidszorg (JGZ)",
      },
    ])
  })
})

describe("Westland: regie until the case is clearly placed elsewhere", () => {
  const started = () => {
    const drive = Fixtures.driveCase(plugin, { on, settings, age: 10 })
    drive.log({
      _tag: "RegiehouderAssigned",
      regiehouder: Fixtures.fixtureRegiehouder("mentor", "Mentor", Ids.UserId.make("user_fixturementor01")),
    })
    expect(reasonsOf(drive.transition("start-regie"))).toEqual([
      "de regie ligt bij de schoolmaatschappelijk werker verzuim",
    ])
    drive.log({ _tag: "RegiehouderChanged", regiehouder: smw, reason: "De SMW verzuim voert de regie" })
    expect(Either.isRight(drive.transition("start-regie"))).toBe(true)
    return drive
  }

  it("only starts help from the seed's catalogue, within its age limits", () => {
    const drive = started()
    const start = (code: string) =>
      drive.tryLog({
        _tag: "InterventionStarted",
        intervention: {
          id: Ids.InterventionId.make(`int_${code.replace(/-/g, "")}0000`.slice(0, 20)),
          catalogueCode: code,
          label: code,
          startedOn: on,
        },
      })
    expect(start("diagnostiek-en-behandeling")).toEqual(
      Either.left("Diagnostiek en behandeling is voor leerlingen van 12 tot en met 23 jaar"),
    )
    expect(Either.isRight(start("jongerencoaching"))).toBe(true)
    expect(drive.state.interventions.map((i) => i.catalogueCode)).toEqual(["jongerencoaching"])
  })

  it("hands over only when the handover is recorded and the referrer informed, and then closes as overgedragen", () => {
    const drive = started()
    for (const role of ["coordinator-passend-onderwijs", "ouder", "leerling"] as const) {
      drive.log({ _tag: "ContactLogged", on, with: role, channel: "gesprek" })
    }
    drive.log({
      _tag: "InterventionStarted",
      intervention: {
        id: Ids.InterventionId.make("int_vuhp0000000001"),
        catalogueCode: "vuhp",
        label: "VUHP",
        startedOn: on,
      },
    })
    expect(Either.isRight(drive.transition("hulp-inzetten"))).toBe(true)

    const outcome = { kind: "overgedragen" as const }
    expect(reasonsOf(drive.transition("overdragen", { outcome }))).toEqual(["geen overdracht vastgelegd"])
    const to = { name: "Jeugdteam Westland", role: "hulpverlener" as const }
    drive.log({ _tag: "HandedOver", on, to })
    expect(reasonsOf(drive.transition("overdragen", { outcome }))).toEqual([
      "aanmelder nog niet geïnformeerd over de overdracht",
    ])
    drive.log({ _tag: "HandedOver", on, to, referrerInformedOn: LocalDate.addDays(on, 1) })
    expect(Either.isRight(drive.transition("overdragen", { outcome }))).toBe(true)
    expect(drive.state.status).toBe("overgedragen")
    expect(drive.state.closed?.outcome.kind).toBe("overgedragen")
    // The help goes with the regie: the closing event ends it, nothing is left running.
    expect(drive.state.interventions.map((i) => [i.catalogueCode, i.endedOn, i.result])).toEqual([
      ["vuhp", on, "overgedragen"],
    ])
  })

  it("asks a reason for not starting, and keeps it in the case", () => {
    const drive = Fixtures.driveCase(plugin, { on, settings })
    const outcome = { kind: "anders" as const }
    expect(reasonsOf(drive.transition("niet-starten", { outcome }))).toEqual(["geef een reden op"])
    const reason = "Ouders zien geen noodzaak; school houdt contact"
    expect(Either.isRight(drive.transition("niet-starten", { outcome, reason }))).toBe(true)
    expect(drive.state.closed).toEqual({ on, outcome, reason })
  })

  it("offers Schoolformaat's whole catalogue, the same one as Leidschendam-Voorburg", () => {
    expect(plugin.catalogue).toBe(schoolformaatCatalogue)
    expect(plugin.catalogue).toHaveLength(12)
  })

  it("flags a referrer feedback deadline after a handover", async () => {
    const { Deadlines } = await import("@verzuimregie/plugin-sdk")
    const drive = started()
    drive.log({ _tag: "HandedOver", on, to: { name: "GGZ", role: "hulpverlener" } })
    const later = LocalDate.addDays(on, 14)
    const checks = Deadlines.deadlineChecks(plugin, {
      on: later,
      settings,
      calendars: [],
      state: drive.state,
    })
    expect(checks.find((c) => c.id === "terugkoppeling-overdracht")).toMatchObject({
      dueOn: "2026-03-17",
      status: "verlopen",
    })
  })
})
