import { CaseEvent } from "@verzuimregie/domain"
import { describe, expect, it } from "vitest"
import { EVENT_FORMS, mapIssues, successNotice } from "../src/pages/DossierForms.js"

describe("the dossier's event forms", () => {
  it("has one form for every kind of event a case worker logs, each at its own address", () => {
    const throughSteps = ["ReferralReceived", "ReferralLinked", "StatusChanged", "CaseClosed"]
    expect(EVENT_FORMS.map((f) => f.tag).sort()).toEqual(
      CaseEvent.caseEventTags.filter((t) => !throughSteps.includes(t)).sort(),
    )
    expect(new Set(EVENT_FORMS.map((f) => f.slug)).size).toBe(EVENT_FORMS.length)
    for (const form of EVENT_FORMS) expect(form.slug).toMatch(/^[a-z]+(-[a-z]+)*$/)
  })

  it("puts each error next to the field the person typed in", () => {
    const labels = {
      on: "Datum",
      "meeting.participants": "Deelnemers",
      "meeting.participants[0].name": "Deelnemer 1: Naam",
      "meeting.participants[3].name": "Deelnemer 4: Naam",
      "meeting.participants[3].role": "Deelnemer 4: Rol",
    }
    // Rows 1 and 4 were filled in: the second item kept is the fourth row of the form.
    const rows = new Map([["meeting.participants", [0, 3]]])
    const mapped = mapIssues(
      [
        { path: "event.on", message: "ligt na vandaag" },
        { path: "meeting.participants[1].role", message: "is verplicht" },
        { path: "meeting.participants[1].name", message: "mag niet leeg zijn" },
        { path: "meeting.participants[1].name", message: "tweede melding" },
        { path: "meeting.id", message: "een id van de server" },
      ],
      labels,
      rows,
    )
    expect(mapped.fields).toEqual({
      on: "ligt na vandaag",
      "meeting.participants[3].role": "is verplicht",
      "meeting.participants[3].name": "mag niet leeg zijn",
    })
    expect(mapped.general).toEqual(["een id van de server"])
    // A list missing as a whole lands on the list's group.
    expect(mapIssues([{ path: "meeting.participants", message: "is verplicht" }], labels).fields).toEqual({
      "meeting.participants": "is verplicht",
    })
  })
})

describe("the notice after a form", () => {
  it("names what was logged, and nothing for an address it did not make", () => {
    expect(successNotice({ vastgelegd: "contact" })).toBe("Vastgelegd in de casus: Contact vastgelegd.")
    expect(successNotice({ stap: "start-kennismaking" })).toBe("De stap is gezet.")
    expect(successNotice({ vastgelegd: "<script>" })).toBeUndefined()
    expect(successNotice({})).toBeUndefined()
  })
})
