/**
 * `CaseEvent.futureDates`: an event cannot record something that happened after today (issue 12,
 * point 10); due dates and a vrijstelling granted in advance may lie ahead.
 */
import { describe, expect, it } from "vitest"
import * as CaseEvent from "../src/CaseEvent.js"
import * as LocalDate from "../src/LocalDate.js"

const today = LocalDate.make("2026-11-29")
const meta = { at: "2026-11-29T10:00:00.000Z", by: { name: "Sanne Visser", role: "leerplichtambtenaar" } }
const event = (e: Record<string, unknown>) => ({ ...meta, ...e }) as unknown as CaseEvent.CaseEvent

describe("futureDates", () => {
  it("names a contact dated after today, and accepts one dated today", () => {
    const contact = { _tag: "ContactLogged", with: "ouder", channel: "telefoon" }
    expect(CaseEvent.futureDates(event({ ...contact, on: "2026-12-05" }), today)).toEqual([
      { path: "on", date: "2026-12-05" },
    ])
    expect(CaseEvent.futureDates(event({ ...contact, on: "2026-11-29" }), today)).toEqual([])
  })

  it("names every fact in the future, at its nested path", () => {
    const consent = event({
      _tag: "ConsentRecorded",
      consent: {
        subject: "ouders",
        givenBy: "moeder",
        givenOn: "2026-11-30",
        purposes: ["aanmelding"],
        method: "digitaal",
        withdrawnOn: "2027-01-01",
      },
    })
    expect(CaseEvent.futureDates(consent, today).map((f) => f.path)).toEqual([
      "consent.givenOn",
      "consent.withdrawnOn",
    ])
    const meeting = event({
      _tag: "MeetingHeld",
      meeting: {
        id: "mtg_0123456789abcdef",
        kind: "mdo",
        heldOn: "2026-11-30",
        participants: [],
        reportFiled: false,
      },
    })
    expect(CaseEvent.futureDates(meeting, today)).toEqual([{ path: "meeting.heldOn", date: "2026-11-30" }])
  })

  it("lets a due date and a vrijstelling granted in advance lie ahead", () => {
    const action = event({
      _tag: "ActionAssigned",
      action: {
        id: "act_0123456789abcdef",
        description: "Gesprek plannen",
        owner: meta.by,
        dueOn: "2027-02-01",
      },
    })
    expect(CaseEvent.futureDates(action, today)).toEqual([])
    const exemption = event({ _tag: "ExemptionRecorded", vrijstelling: { grond: "5a", from: "2027-01-01" } })
    expect(CaseEvent.futureDates(exemption, today)).toEqual([])
  })
})
