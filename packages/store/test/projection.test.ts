import { Case, CaseParts } from "@verzuimregie/domain"
import { makeGenerator } from "@verzuimregie/domain/sample"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { columnsOf, encodeState, openActionRows, toJson } from "../src/internal/projection.js"

const states = [...makeGenerator(7).cases(60, { absenceWeeks: 1 })].map((h) =>
  Either.getOrThrow(Case.fold(h.caseId, h.events)),
)

describe("case projection", () => {
  it("stores exactly the schema encoding of the state (so skipping the encoder loses nothing)", () => {
    for (const state of states) expect(JSON.parse(toJson(state))).toEqual(encodeState(state))
  })

  it("derives the indexed columns from the state alone", () => {
    for (const state of states) {
      const columns = columnsOf(state)
      const open = Case.openActions(state)
      expect(columns).toMatchObject({
        case_id: state.id,
        region_id: state.regionId,
        version: state.version,
        status: state.status,
        opened_at: state.openedAt,
        closed_on: state.closed?.on ?? null,
        attendance_situation: state.attendance?.situation ?? null,
        open_action_count: open.length,
      })
      expect(columns.next_action_due).toBe(open.map((a) => a.dueOn).sort()[0] ?? null)
      expect(openActionRows(state).map((r) => r.action_id)).toEqual(open.map((a) => a.id))
      if (state.attendance !== undefined) {
        expect(CaseParts.AttendanceSituation.literals).toContain(columns.attendance_situation)
      }
    }
    // The sample covers the interesting shapes.
    expect(states.some((s) => s.closed !== undefined)).toBe(true)
    expect(states.some((s) => Case.openActions(s).length > 0)).toBe(true)
  })
})
