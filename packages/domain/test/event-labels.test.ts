/**
 * Event labels are written once, as each event schema's `title`: the label table is read from the
 * schemas and covers every event kind.
 */
import { describe, expect, it } from "@effect/vitest"
import * as CaseEvent from "../src/CaseEvent.js"

describe("case event labels", () => {
  it("has the schema's Dutch title for every event kind", () => {
    expect(CaseEvent.caseEventTags).toHaveLength(CaseEvent.CaseEvent.members.length)
    expect(CaseEvent.caseEventLabel.LeaveRequested).toBe("Verlof aangevraagd")
    expect(CaseEvent.caseEventLabel.HomeVisitDone).toBe("Huisbezoek")
    for (const tag of CaseEvent.caseEventTags) expect(CaseEvent.caseEventLabel[tag]).toMatch(/^[A-Z]/)
  })
})
