/**
 * The attendance history starts at the referral: a referral of langdurig or absoluut verzuim
 * says since when the pupil is at home, and the Thuiszitterspact clock (2016) and the Inspectie
 * category count from that date, whether or not someone records the attendance again later
 * (issue 13, point 4). A later record that keeps the pupil at home continues the home period.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as Case from "../../src/Case.js"
import type { CaseEvent, EventOf } from "../../src/CaseEvent.js"
import type { CaseId } from "../../src/Ids.js"
import * as LocalDate from "../../src/LocalDate.js"
import type { Referral } from "../../src/Referral.js"
import * as CaseSignals from "../../src/rules/CaseSignals.js"
import * as HomePeriods from "../../src/rules/HomePeriods.js"
import { makeGenerator } from "../../src/sample/index.js"
import type { Timestamp } from "../../src/Timestamp.js"

const d = LocalDate.make
const ON = d("2026-11-16")
const SINCE = d("2026-07-06")
const caseId = "case_00000000home" as CaseId
const by = { name: "Anouk de Graaf", role: "smw-verzuim" } as const

const referralOf = (verzuimKind: "langdurig" | "absoluut" | "relatief"): Referral => {
  const r = makeGenerator(11).referral({ regionId: "westland", on: ON, ageRange: [13, 13], verzuimKind })
  return { ...r, absence: { ...r.absence, since: SINCE } }
}

const received = (referral: Referral): EventOf<"ReferralReceived"> => ({
  _tag: "ReferralReceived",
  at: "2026-11-02T09:00:00.000Z" as Timestamp,
  by,
  referral,
  initialStatus: "aangemeld",
})

const fold = (events: ReadonlyArray<CaseEvent>) => Either.getOrThrow(Case.fold(caseId, events))

/** An attendance record made at 09:00 UTC on `recordedOn`. */
const recorded = (
  recordedOn: string,
  situation: "thuiszittend" | "naar-school",
  since: string,
  fittingOffer = false,
): CaseEvent => ({
  _tag: "AttendanceRecorded",
  at: `${recordedOn}T09:00:00.000Z` as Timestamp,
  by,
  situation,
  since: d(since),
  fittingOffer,
})

describe("the referral's at-home-since date starts the clock", () => {
  it("a langdurig referral without any attendance record is a 2b thuiszitter with a pact alarm", () => {
    const referral = referralOf("langdurig")
    expect(referral.pupil.enrolment).toBeDefined()
    const state = fold([received(referral)])
    expect(state.attendance).toEqual({ situation: "thuiszittend", since: SINCE, fittingOffer: false })
    expect(Case.isHome(state)).toBe(true)
    expect(CaseSignals.thuiszitterOn(state, ON)).toEqual({ categorie: "2b", since: SINCE })
    const pact = CaseSignals.pactOn(state, ON)
    expect(pact?.status).toBe("alarm")
    expect(pact?.countsFrom).toBe(SINCE)
  })

  it("an absoluut referral is category 1 from its date", () => {
    const state = fold([received(referralOf("absoluut"))])
    expect(state.attendance?.situation).toBe("niet-ingeschreven")
    expect(CaseSignals.categoryOn(state, ON)).toBe("1")
  })

  it("a referral that does not say the pupil is at home records no attendance", () => {
    const state = fold([received(referralOf("relatief"))])
    expect(state.attendance).toBeUndefined()
    expect(CaseSignals.pactOn(state, ON)).toBeUndefined()
  })

  it("a later record that keeps the pupil at home does not restart the clock", () => {
    const later = recorded("2026-11-10", "thuiszittend", "2026-11-09")
    const state = fold([received(referralOf("langdurig")), later])
    expect(state.attendance?.since).toBe(SINCE)
    expect(CaseSignals.pactOn(state, ON)?.countsFrom).toBe(SINCE)
    // The history the Inspectie overview reads agrees: one home period from the referral's date.
    const periods = HomePeriods.homePeriodsOf(
      HomePeriods.segmentsOf(HomePeriods.recordsOf([received(referralOf("langdurig")), later])),
    )
    expect(periods.map((p) => p.start)).toEqual([SINCE])
  })

  it("back at school and home again starts a new period", () => {
    const events: Array<CaseEvent> = [
      received(referralOf("langdurig")),
      recorded("2026-11-03", "naar-school", "2026-11-02", true),
      recorded("2026-11-10", "thuiszittend", "2026-11-09"),
    ]
    expect(fold(events).attendance?.since).toBe(d("2026-11-09"))
    const periods = HomePeriods.homePeriodsOf(HomePeriods.segmentsOf(HomePeriods.recordsOf(events)))
    expect(periods.map((p) => [p.start, p.end])).toEqual([
      [SINCE, d("2026-11-01")],
      [d("2026-11-09"), undefined],
    ])
  })
})
