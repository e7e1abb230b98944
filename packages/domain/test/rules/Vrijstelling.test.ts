/**
 * Edge tables for the grounds of the Leerplichtwet 1969: which ground excuses which duty, for
 * whom (issue 11, point 1), and when a vrijstelling ends and must be renewed (point 2, art. 6).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Calendars from "../../src/calendars/index.js"
import * as LocalDate from "../../src/LocalDate.js"
import {
  categorie,
  excusedBy,
  isAbsoluutVerzuim,
  isLangdurigRelatiefVerzuim,
  type Situation,
} from "../../src/rules/LangdurigVerzuim.js"
import type { LeerplichtStatus } from "../../src/rules/Leerplicht.js"
import type { Verlof, VerlofGrond } from "../../src/rules/Verlof.js"
import {
  excuses,
  isVrijstellingActive,
  renewalDeadline,
  renewals,
  type Vrijstelling,
  type VrijstellingGrond,
  vrijstellingEnd,
} from "../../src/rules/Vrijstelling.js"

const d = LocalDate.make
const since = d("2026-03-02")
/** Day 50 of the absence (more than 4 weeks) and inside every vrijstelling below. */
const on = d("2026-04-20")

type Duty = readonly [regime: "leerplicht" | "kwalificatieplicht", enrolled: boolean]
const DUTIES: ReadonlyArray<Duty> = [
  ["leerplicht", true],
  ["leerplicht", false],
  ["kwalificatieplicht", true],
  ["kwalificatieplicht", false],
]
const statusOf = (regime: Duty[0]): LeerplichtStatus =>
  regime === "leerplicht" ? "leerplichtig" : "kwalificatieplichtig"
const dutyName = ([regime, enrolled]: Duty) => `${regime}, ${enrolled ? "ingeschreven" : "niet ingeschreven"}`

/** Expected answer per ground: excused for [leerplicht enrolled, not, kwalificatieplicht enrolled, not]. */
const VRIJSTELLINGEN: ReadonlyArray<
  [VrijstellingGrond, string, readonly [boolean, boolean, boolean, boolean]]
> = [
  ["5a", "art. 5 onder a", [true, true, true, true]],
  ["5b", "art. 5 onder b", [true, true, true, true]],
  ["5c", "art. 5 onder c", [true, true, true, true]],
  ["5a-reizend", "art. 5a", [true, true, true, true]],
  ["15", "art. 15 (kwalificatieplicht only)", [false, false, true, true]],
  ["11-verlof", "art. 11 (attendance only)", [true, false, true, false]],
]

const table = VRIJSTELLINGEN.flatMap(([grond, article, expected]) =>
  DUTIES.map((duty, i) => [grond, article, dutyName(duty), expected[i] as boolean, duty] as const),
)

describe("every vrijstelling ground × every duty (Leerplichtwet 1969 art. 2, 4a, 5, 5a, 11, 15, 22)", () => {
  it.each(table)("%s (%s) × %s: excused %s", (grond, _article, _name, expected, [regime, enrolled]) => {
    const situation: Situation = {
      enrolled,
      since,
      leerplicht: statusOf(regime),
      vrijstellingen: [{ grond, from: since }],
    }
    expect(excusedBy(situation, on)).toBe(expected ? grond : undefined)
    if (enrolled) expect(isLangdurigRelatiefVerzuim(situation, on)).toBe(!expected)
    else expect(isAbsoluutVerzuim(situation, on)).toBe(!expected)
    expect(categorie(situation, on)).toBe(expected ? undefined : enrolled ? "2a" : "1")
  })

  it("with the regime unknown only a ground that excuses under both regimes counts (art. 15 does not)", () => {
    expect(excuses("5a", "inschrijving", undefined)).toBe(true)
    expect(excuses("15", "inschrijving", undefined)).toBe(false)
    expect(excuses("11-verlof", "schoolbezoek", undefined)).toBe(true)
    expect(excuses("11-verlof", "inschrijving", undefined)).toBe(false)
  })

  it("art. 15 excuses from the first day of kwalificatieplicht: born 2010-05-14, not enrolled on 31 July 2026 absoluut verzuim, on 1 August 2026 excused (art. 4, 4a, 15)", () => {
    const situation: Situation = {
      enrolled: false,
      since: d("2026-06-01"),
      pupil: { birthDate: d("2010-05-14") },
      vrijstellingen: [{ grond: "15", from: d("2026-06-01") }],
    }
    expect(isAbsoluutVerzuim(situation, d("2026-07-31"))).toBe(true)
    expect(isAbsoluutVerzuim(situation, d("2026-08-01"))).toBe(false)
  })
})

/** Lawful leave of 10 school days, 13 to 24 April 2026 (regio midden), for each ground. */
const leaveOf = (grond: VerlofGrond): Verlof => {
  const request = {
    id: "verlof_0000000001" as Verlof["request"]["id"],
    grond,
    from: d("2026-04-13"),
    to: d("2026-04-24"),
    requestedOn: d("2026-02-02"),
    ...(grond === "13a-vakantie" ? { beroepOuder: true } : {}),
  }
  return grond === "13a-vakantie" || grond === "14-gewichtig"
    ? {
        request,
        decision: {
          requestId: request.id,
          decidedOn: d("2026-02-09"),
          decidedBy: "directeur",
          granted: true,
        },
      }
    : { request }
}

const VERLOF: ReadonlyArray<[VerlofGrond, string]> = [
  ["13a-vakantie", "art. 11 onder f, 13a"],
  ["14-gewichtig", "art. 11 onder g, 14"],
  ["11-godsdienst", "art. 11 onder e"],
  ["11-school-gesloten", "art. 11 onder a"],
  ["11-schorsing", "art. 11 onder c"],
  ["11-ziekte", "art. 11 onder d"],
]

describe("every kind of leave × every duty: leave excuses attendance, never not being enrolled (art. 11 aanhef)", () => {
  const leaveTable = VERLOF.flatMap(([grond, article]) =>
    DUTIES.map((duty) => [grond, article, dutyName(duty), duty[1], duty] as const),
  )
  it.each(leaveTable)("%s (%s) × %s: excused %s", (grond, _article, _name, expected, [regime, enrolled]) => {
    const situation: Situation = {
      enrolled,
      since,
      leerplicht: statusOf(regime),
      verlof: [leaveOf(grond)],
      calendars: Calendars.midden,
    }
    expect(excusedBy(situation, on)).toBe(expected ? grond : undefined)
    if (!enrolled) expect(isAbsoluutVerzuim(situation, on)).toBe(true)
  })

  it("the 4 weeks of langdurig relatief verzuim count again from the day after the leave: on 24 April excused, 25 April day 1, 22 May day 28: no, 23 May day 29: 2a", () => {
    const situation: Situation = {
      enrolled: true,
      since,
      leerplicht: "leerplichtig",
      verlof: [leaveOf("14-gewichtig")],
      calendars: Calendars.midden,
    }
    expect(categorie(situation, d("2026-04-10"))).toBe("2a")
    expect(categorie(situation, d("2026-04-24"))).toBeUndefined()
    expect(categorie(situation, d("2026-05-22"))).toBeUndefined()
    expect(categorie(situation, d("2026-05-23"))).toBe("2a")
  })
})

describe("end dates and the yearly renewal per ground (art. 6)", () => {
  const from = d("2025-09-01")
  it.each<[string, Vrijstelling, string | undefined, string | undefined, boolean, boolean]>([
    // ground, record, last day, renewal deadline, holds on 31 July 2026, holds on 1 August 2026
    [
      "5 onder a (art. 6 lid 1): renew before 1 July",
      { grond: "5a", from },
      "2026-07-31",
      "2026-06-30",
      true,
      false,
    ],
    [
      "5 onder a, never fit for school (art. 6 lid 3): no renewal",
      { grond: "5a", from, permanent: true },
      undefined,
      undefined,
      true,
      true,
    ],
    [
      "5 onder b (art. 6 lid 1): renew before 1 July",
      { grond: "5b", from },
      "2026-07-31",
      "2026-06-30",
      true,
      false,
    ],
    [
      "5 onder c (art. 6 lid 1): renew before 1 July",
      { grond: "5c", from },
      "2026-07-31",
      "2026-06-30",
      true,
      false,
    ],
    [
      "5 onder c with a later end: still ends with the school year (art. 6 lid 1)",
      { grond: "5c", from, until: d("2027-06-30") },
      "2026-07-31",
      "2026-06-30",
      true,
      false,
    ],
    [
      "5 onder b, permanent is for 5 onder a only (art. 6 lid 3): renew before 1 July",
      { grond: "5b", from, permanent: true },
      "2026-07-31",
      "2026-06-30",
      true,
      false,
    ],
    [
      "art. 5a: the travelling season ends on 31 October, no yearly claim",
      { grond: "5a-reizend", from },
      "2025-10-31",
      undefined,
      false,
      false,
    ],
    [
      "art. 15: as granted, no yearly claim",
      { grond: "15", from, until: d("2026-12-31") },
      "2026-12-31",
      undefined,
      true,
      true,
    ],
    ["art. 11: as granted, no yearly claim", { grond: "11-verlof", from }, undefined, undefined, true, true],
  ])("%s", (_, v, end, deadline, lastDay, nextYear) => {
    expect(vrijstellingEnd(v)).toBe(end)
    expect(renewalDeadline(v)).toBe(deadline)
    expect(isVrijstellingActive(v, d("2026-07-31"))).toBe(lastDay)
    expect(isVrijstellingActive(v, d("2026-08-01"))).toBe(nextYear)
  })

  it("art. 5a holds from 1 March only: recorded in January, it starts on 1 March (Besluit vrijstelling leerplicht trekkende bevolking)", () => {
    const v: Vrijstelling = { grond: "5a-reizend", from: d("2026-01-15") }
    expect(isVrijstellingActive(v, d("2026-02-28"))).toBe(false)
    expect(isVrijstellingActive(v, d("2026-03-01"))).toBe(true)
    expect(isVrijstellingActive(v, d("2026-10-31"))).toBe(true)
    expect(isVrijstellingActive(v, d("2026-11-01"))).toBe(false)
  })

  it("an expired 5 onder b no longer excuses: not enrolled on 1 August is absoluut verzuim (art. 6, art. 2)", () => {
    const situation: Situation = {
      enrolled: false,
      since: from,
      leerplicht: "leerplichtig",
      vrijstellingen: [{ grond: "5b", from }],
    }
    expect(isAbsoluutVerzuim(situation, d("2026-07-31"))).toBe(false)
    expect(isAbsoluutVerzuim(situation, d("2026-08-01"))).toBe(true)
    // Renewed in time for 2026/27: excused again.
    const renewed = {
      ...situation,
      vrijstellingen: [
        { grond: "5b", from },
        { grond: "5b", from: d("2026-08-01") },
      ],
    }
    expect(isAbsoluutVerzuim(renewed as Situation, d("2026-08-01"))).toBe(false)
  })

  it("lists the renewals with whether the next school year's claim is on record", () => {
    const list = renewals([
      { grond: "5b", from },
      { grond: "5b", from: d("2026-08-01") },
      { grond: "5a", from, permanent: true },
      { grond: "15", from },
    ])
    expect(list.map((r) => [r.vrijstelling.from, r.deadline, r.renewed])).toEqual([
      ["2025-09-01", "2026-06-30", true],
      ["2026-08-01", "2027-06-30", false],
    ])
  })
})
