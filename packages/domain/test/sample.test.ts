/**
 * The synthetic data generator (`@verzuimregie/domain/sample`): deterministic per seed, every
 * value decodes with its schema, histories fold, consent fits the age, ages fit the level, and
 * person numbers stay in the test ranges.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as Absence from "../src/Absence.js"
import * as Case from "../src/Case.js"
import * as CaseEvent from "../src/CaseEvent.js"
import * as Calendars from "../src/calendars/index.js"
import * as Decode from "../src/Decode.js"
import * as Identifiers from "../src/Identifiers.js"
import * as LocalDate from "../src/LocalDate.js"
import * as Organisation from "../src/Organisation.js"
import * as Pupil from "../src/Pupil.js"
import * as Referral from "../src/Referral.js"
import * as Region from "../src/Region.js"
import { ageOn } from "../src/rules/Age.js"
import * as ConsentRequirement from "../src/rules/ConsentRequirement.js"
import * as Vrijstelling from "../src/rules/Vrijstelling.js"
import * as SchoolCalendar from "../src/SchoolCalendar.js"
import {
  type AbsenceProfile,
  DEFAULT_ON,
  levelAgeRange,
  makeGenerator,
  names,
  Random,
  regionProfiles,
  type SampleGenerator,
  sampleRegionIds,
} from "../src/sample/index.js"

const seeds = Array.from({ length: 30 }, (_, i) => i * 7919 + 1)

/** Encode → JSON text → decode (strict, all errors): the value must come back unchanged. */
const roundTrip = <A, I>(schema: Schema.Schema<A, I, never>, value: A, label: string): void => {
  const text = JSON.stringify(Schema.encodeSync(schema)(value))
  const result = Decode.decodeUnknown(schema, label)(JSON.parse(text))
  if (Either.isLeft(result)) throw new Error(`${label}: ${result.left.message}`)
  expect(result.right).toEqual(value)
}

/** A fixed script of calls; equal scripts on equal seeds must give equal output. */
const script = (g: SampleGenerator) => ({
  organisation: g.organisation("ggd"),
  school: g.school("westland", "VO"),
  pupil: g.pupil({ level: "PO" }),
  absence: g.absenceRecords({
    from: LocalDate.make("2026-09-01"),
    to: LocalDate.make("2026-11-30"),
    profile: "grijs",
  }),
  submission: g.referralSubmission({ regionId: "leidschendam-voorburg" }),
  referral: g.referral({ regionId: "amstelland-meerlanden" }),
  history: g.caseHistory({ close: true }),
  bulk: [...g.cases(5)],
})

describe("Random", () => {
  it("gives the same numbers on every platform (golden values)", () => {
    const r = Random.fromSeed(1)
    expect([r.uint32(), r.uint32(), r.uint32(), r.uint32(), r.uint32()]).toEqual([
      2377163457, 2601151048, 2481062894, 2940235829, 3553576073,
    ])
    const r2 = Random.fromSeed(2026)
    expect([r2.uint32(), r2.uint32(), r2.idBody(16)]).toEqual([1092358428, 1029055404, "h97d22s9yg1h03fb"])
  })

  it("keeps int within bounds, reaching both ends", () => {
    const r = Random.fromSeed(3)
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) {
      const n = r.int(-2, 3)
      expect(n).toBeGreaterThanOrEqual(-2)
      expect(n).toBeLessThanOrEqual(3)
      seen.add(n)
    }
    expect([...seen].toSorted((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3])
    expect(() => r.int(2, 1)).toThrow(RangeError)
  })

  it("next is in [0, 1); chance follows its probability", () => {
    const r = Random.fromSeed(4)
    let hits = 0
    for (let i = 0; i < 10_000; i++) {
      const x = r.next()
      expect(x >= 0 && x < 1).toBe(true)
      if (r.chance(0.3)) hits++
    }
    expect(hits / 10_000).toBeGreaterThan(0.27)
    expect(hits / 10_000).toBeLessThan(0.33)
  })

  it("weighted picks in proportion and never picks a zero weight", () => {
    const r = Random.fromSeed(5)
    const counts = { a: 0, b: 0, c: 0 }
    for (let i = 0; i < 10_000; i++)
      counts[
        r.weighted([
          ["a", 1],
          ["b", 3],
          ["c", 0],
        ] as const)
      ]++
    expect(counts.c).toBe(0)
    expect(counts.b / counts.a).toBeGreaterThan(2.6)
    expect(counts.b / counts.a).toBeLessThan(3.4)
    expect(() => r.weighted([["a", 0]])).toThrow(RangeError)
  })

  it("shuffle permutes without losing items; pick rejects an empty list", () => {
    const r = Random.fromSeed(6)
    const items = Array.from({ length: 20 }, (_, i) => i)
    const shuffled = r.shuffle(items)
    expect(shuffled.toSorted((a, b) => a - b)).toEqual(items)
    expect(shuffled).not.toEqual(items)
    expect(r.sample(items, 5)).toHaveLength(5)
    expect(new Set(r.sample(items, 5)).size).toBe(5)
    expect(() => r.pick([])).toThrow(RangeError)
  })

  it("derive gives a named stream without advancing the parent", () => {
    const a = Random.fromSeed(7)
    const b = Random.fromSeed(7)
    const fromA = a.derive("schools").uint32()
    expect(a.uint32()).toBe(b.uint32())
    expect(b.derive("schools").uint32()).toBe(fromA)
    expect(b.derive("staff").uint32()).not.toBe(fromA)
  })

  it("rejects seeds that are not safe integers", () => {
    expect(() => Random.fromSeed(1.5)).toThrow(RangeError)
    expect(() => Random.fromSeed(Number.NaN)).toThrow(RangeError)
    expect(Random.fromSeed(-1).uint32()).not.toBe(Random.fromSeed(1).uint32())
  })
})

describe("determinism", () => {
  it("the same seed gives identical output", () => {
    for (const seed of [1, 42, 2026]) expect(script(makeGenerator(seed))).toEqual(script(makeGenerator(seed)))
  })

  it("another seed gives different output", () => {
    const outputs = new Set([1, 2, 3, 42].map((seed) => JSON.stringify(script(makeGenerator(seed)))))
    expect(outputs.size).toBe(4)
  })

  it("a region's directory does not depend on what was generated before", () => {
    const fresh = makeGenerator(11).directory("westland")
    const busy = makeGenerator(11)
    for (let i = 0; i < 20; i++) busy.referralSubmission({ regionId: "amstelland-meerlanden" })
    expect(busy.directory("westland")).toEqual(fresh)
  })

  it("ids are built from the seed, not the platform's random source", () => {
    const ids = (seed: number) => {
      const g = makeGenerator(seed)
      return [g.caseId(), g.pupil().id, g.referral().id]
    }
    expect(ids(5)).toEqual(ids(5))
    expect(ids(5)).not.toEqual(ids(6))
  })
})

describe("every generated value decodes with its schema", () => {
  it("regions and organisations", () => {
    const g = makeGenerator(1)
    for (const region of g.regions()) roundTrip(Region.Region, region, "region")
    expect(g.regions().map((r) => [r.id, r.holidayRegion])).toEqual([
      ["leidschendam-voorburg", "midden"],
      ["westland", "midden"],
      ["amstelland-meerlanden", "noord"],
    ])
    for (const id of sampleRegionIds) {
      const directory = g.directory(id)
      for (const list of directory.organisations.values()) {
        for (const org of list) roundTrip(Organisation.Organisation, org, org.name)
      }
      const schools = directory.organisations.get("school") ?? []
      expect(schools.every((s) => s.brin !== undefined)).toBe(true)
      expect(new Set(schools.map((s) => s.brin)).size).toBe(schools.length)
      expect(new Set(schools.map((s) => s.name)).size).toBe(schools.length)
      expect(directory.organisations.get("gemeente")?.map((o) => o.name)).toEqual(
        regionProfiles[id].municipalities.map((m) => `Gemeente ${m}`),
      )
    }
  })

  it("pupils, referral submissions, stored referrals and case histories, for many seeds", () => {
    for (const seed of seeds) {
      const g = makeGenerator(seed)
      roundTrip(Pupil.Pupil, g.pupil(), `pupil ${seed}`)
      roundTrip(Pupil.PupilDetails, g.pupilDetails({ ageRange: [16, 23] }), `pupilDetails ${seed}`)
      roundTrip(Referral.ReferralSubmission, g.referralSubmission(), `submission ${seed}`)
      roundTrip(Referral.Referral, g.referral(), `referral ${seed}`)
      const { events } = g.caseHistory()
      roundTrip(Schema.Array(CaseEvent.CaseEvent), events, `history ${seed}`)
    }
  })

  it("absence records of every profile", () => {
    const profiles: ReadonlyArray<AbsenceProfile> = [
      "regulier",
      "grijs",
      "spijbelaar",
      "langdurig",
      "ziek",
      "luxe",
    ]
    for (const seed of seeds.slice(0, 10)) {
      const g = makeGenerator(seed)
      for (const profile of profiles) {
        for (const unit of ["hours", "lessons"] as const) {
          const records = g.absenceRecords({
            from: LocalDate.make("2026-08-31"),
            to: LocalDate.make("2027-01-29"),
            profile,
            unit,
          })
          roundTrip(Schema.Array(Absence.AbsenceRecord), records, `${profile} ${unit} ${seed}`)
        }
      }
    }
  })

  it("every verzuim kind in every region", () => {
    const g = makeGenerator(8)
    for (const regionId of sampleRegionIds) {
      for (const verzuimKind of Referral.VerzuimKind.literals) {
        const submission = g.referralSubmission({ regionId, verzuimKind })
        expect(submission.verzuimKind).toBe(verzuimKind)
        expect(submission.regionId).toBe(regionId)
        roundTrip(Referral.ReferralSubmission, submission, `${regionId} ${verzuimKind}`)
      }
    }
  })
})

describe("pupils", () => {
  it("have a birth date that fits the school level", () => {
    const g = makeGenerator(21)
    for (const level of Pupil.SchoolLevel.literals) {
      const [min, max] = levelAgeRange[level]
      for (let i = 0; i < 60; i++) {
        const pupil = g.pupil({ level })
        const age = ageOn(pupil.birthDate, DEFAULT_ON)
        expect(age, `${level} ${pupil.birthDate}`).toBeGreaterThanOrEqual(min)
        expect(age, `${level} ${pupil.birthDate}`).toBeLessThanOrEqual(max)
        expect(pupil.enrolment?.level).toBe(level)
      }
    }
  })

  it("have exactly an age in ageRange on the given date, and a level that fits it", () => {
    const g = makeGenerator(22)
    const on = LocalDate.make("2028-02-29")
    for (let i = 0; i < 300; i++) {
      const pupil = g.pupil({ on, ageRange: [4, 23] })
      const age = ageOn(pupil.birthDate, on)
      expect(age).toBeGreaterThanOrEqual(4)
      expect(age).toBeLessThanOrEqual(23)
      const level = pupil.enrolment?.level
      expect(level).toBeDefined()
      if (level !== undefined) {
        expect(age).toBeGreaterThanOrEqual(levelAgeRange[level][0])
        expect(age).toBeLessThanOrEqual(levelAgeRange[level][1])
      }
    }
    for (let i = 0; i < 50; i++) expect(ageOn(g.pupil({ on, ageRange: [16, 16] }).birthDate, on)).toBe(16)
  })

  it("reject an age range that no pupil of the level can have", () => {
    const g = makeGenerator(23)
    expect(() => g.pupil({ level: "PO", ageRange: [16, 18] })).toThrow(RangeError)
    expect(() => g.pupil({ ageRange: [2, 3] })).toThrow(RangeError)
  })

  it("are enrolled in a school of the region's directory, unless not enrolled", () => {
    const g = makeGenerator(24)
    const schools = g.directory("westland").organisations.get("school") ?? []
    for (let i = 0; i < 30; i++) {
      const enrolment = g.pupil({ regionId: "westland" }).enrolment
      expect(schools.some((s) => s.id === enrolment?.schoolId && s.name === enrolment.schoolName)).toBe(true)
    }
    expect(g.pupil({ enrolled: false }).enrolment).toBeUndefined()
  })

  it("mostly have no person number; BSNs are in the test range 99999xxxx and pass the elfproef", () => {
    const g = makeGenerator(25)
    const pupils = Array.from({ length: 500 }, () => g.pupil())
    const without = pupils.filter((p) => p.personNumber === undefined).length
    expect(without / pupils.length).toBeGreaterThan(0.7)
    for (let i = 0; i < 100; i++) {
      const bsn = g.pupil({ personNumber: "bsn" }).personNumber
      expect(bsn?._tag).toBe("bsn")
      expect(bsn?.value).toMatch(/^99999\d{4}$/)
      expect(Identifiers.isValidBsn(bsn?.value ?? "")).toBe(true)
      const onr = g.pupil({ personNumber: "onderwijsnummer" }).personNumber
      expect(onr?._tag).toBe("onderwijsnummer")
      expect(Identifiers.isValidOnderwijsnummer(onr?.value ?? "")).toBe(true)
    }
    expect(g.pupil({ personNumber: "none" }).personNumber).toBeUndefined()
  })

  it("carry the tussenvoegsel in prefix, never in the family name", () => {
    const g = makeGenerator(26)
    const prefixes = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      const { name } = g.pupil()
      if (name.prefix !== undefined) prefixes.add(name.prefix)
      expect(name.familyName).not.toMatch(/^(van|de|den|der|ter|te) /)
      expect(name.familyName.charAt(0)).toBe(name.familyName.charAt(0).toUpperCase())
    }
    expect(prefixes).toContain("van der")
    expect(prefixes).toContain("de")
    for (const set of Object.values(names)) {
      for (const family of set.families) expect(family.name).not.toMatch(/^(van|de|den|der|ter|te) /)
    }
  })
})

describe("absence records", () => {
  const from = LocalDate.make("2026-08-31")
  const to = LocalDate.make("2027-01-29")
  const calendars = Calendars.midden

  const check = (records: ReadonlyArray<Absence.AbsenceRecord>, withCalendars: boolean) => {
    for (const [i, r] of records.entries()) {
      expect(r.date >= from && r.date <= to).toBe(true)
      expect(LocalDate.isWeekend(r.date)).toBe(false)
      if (withCalendars) expect(SchoolCalendar.isSchoolDay(calendars, r.date), r.date).toBe(true)
      if (i > 0) expect(r.date > (records[i - 1]?.date ?? "")).toBe(true)
      if (r.amount.unit === "hours") expect(r.amount.value).toBeLessThanOrEqual(6)
    }
  }

  it("fall on school days only, one per day, in order", () => {
    for (const seed of seeds.slice(0, 10)) {
      const g = makeGenerator(seed)
      for (const profile of ["regulier", "grijs", "spijbelaar", "ziek", "luxe", "langdurig"] as const) {
        check(g.absenceRecords({ from, to, profile }), false)
        check(g.absenceRecords({ from, to, profile, calendars }), true)
      }
    }
  })

  it("grijs: everything authorised, with sick reports", () => {
    const records = makeGenerator(31).absenceRecords({ from, to, profile: "grijs" })
    expect(records.every((r) => r.authorised)).toBe(true)
    expect(records.filter((r) => r.kind === "ziek").length).toBeGreaterThan(3)
  })

  it("spijbelaar: unauthorised hours add up", () => {
    const records = makeGenerator(32).absenceRecords({ from, to, profile: "spijbelaar" })
    const unauthorised = records.filter((r) => r.kind === "ongeoorloofd" && !r.authorised)
    expect(unauthorised.length).toBeGreaterThan(5)
  })

  it("ziek: several sick episodes", () => {
    const records = makeGenerator(33).absenceRecords({ from, to, profile: "ziek" })
    expect(records.filter((r) => r.kind === "ziek").length).toBeGreaterThan(8)
  })

  it("langdurig: every school day from since is a full day absent", () => {
    const since = LocalDate.make("2026-10-05")
    const records = makeGenerator(34).absenceRecords({ from, to, profile: "langdurig", since, calendars })
    const expected = LocalDate.range(since, to).filter((d) => SchoolCalendar.isSchoolDay(calendars, d))
    const fromSince = records.filter((r) => r.date >= since)
    expect(fromSince.map((r) => r.date)).toEqual(expected)
    expect(new Set(fromSince.map((r) => r.kind)).size).toBe(1)
    expect(fromSince.every((r) => r.amount.unit === "hours" && r.amount.value === 6)).toBe(true)
  })

  it("luxe: one block of 2 to 5 days of unauthorised luxe verzuim, before a holiday when it can", () => {
    for (const seed of seeds.slice(0, 10)) {
      const records = makeGenerator(seed).absenceRecords({
        from,
        to,
        profile: "luxe",
        calendars,
        level: "PO",
      })
      const luxe = records.filter((r) => r.kind === "luxe-verzuim")
      expect(luxe.length).toBeGreaterThanOrEqual(2)
      expect(luxe.length).toBeLessThanOrEqual(5)
      expect(luxe.every((r) => !r.authorised)).toBe(true)
      const last = luxe[luxe.length - 1]?.date ?? from
      expect(LocalDate.weekday(last)).toBe(5)
      // The Monday after is not a school day: the family left before the holiday.
      expect(SchoolCalendar.isSchoolDay(calendars, LocalDate.addDays(last, 3))).toBe(false)
    }
  })
})

describe("referrals", () => {
  it("consent fits the age: under 16 the parents consent, from 16 the pupil, with the parents informed", () => {
    let young = 0
    let old = 0
    for (const seed of seeds) {
      const g = makeGenerator(seed)
      for (let i = 0; i < 10; i++) {
        const on = LocalDate.make("2026-11-16")
        const r = g.referralSubmission({ on, ageRange: [12, 19] })
        const age = ageOn(r.pupil.birthDate, on)
        const subjects = r.consent.consents.map((c) => c.subject)
        if (age >= 16) {
          old++
          expect(subjects).toEqual(["leerling"])
          expect(r.consent.parentsInformedOn).toBeDefined()
          expect((r.consent.parentsInformedOn ?? "9999") <= on).toBe(true)
        } else {
          young++
          expect(subjects).toEqual(["ouders"])
          expect(r.consent.parentsInformedOn).toBeUndefined()
        }
        expect(r.consent.consents.every((c) => c.purposes.includes("aanmelding") && c.givenOn <= on)).toBe(
          true,
        )
        // The rule itself agrees nothing is missing.
        const requirement = ConsentRequirement.consentRequirement(r.pupil.birthDate, on)
        expect(ConsentRequirement.missingConsentOn(requirement, r.consent, on)).toEqual([])
      }
    }
    expect(young).toBeGreaterThan(30)
    expect(old).toBeGreaterThan(30)
  })

  it("honour the referrer role, and refer pupils without a school through leerplicht", () => {
    const g = makeGenerator(41)
    const jgz = g.referralSubmission({ regionId: "westland", referrerRole: "jeugdarts" })
    expect(jgz.referrer.role).toBe("jeugdarts")
    const ggd = g.directory("westland").organisations.get("ggd") ?? []
    expect(ggd.map((o) => o.id)).toContain(jgz.referrer.organisationId)
    const absoluut = g.referralSubmission({ verzuimKind: "absoluut", referrerRole: "mentor" })
    expect(absoluut.pupil.enrolment).toBeUndefined()
    expect(absoluut.referrer.role).toBe("leerplichtambtenaar")
    expect(absoluut.absence.records).toEqual([])
    const school = g.referralSubmission({
      regionId: "westland",
      referrerRole: "coordinator-passend-onderwijs",
    })
    expect(school.referrer.organisationId).toBe(school.pupil.enrolment?.schoolId)
  })

  it("carry absence records that fit the verzuim kind, before the referral date", () => {
    const g = makeGenerator(42)
    const on = LocalDate.make("2026-11-16")
    const luxe = g.referralSubmission({ on, verzuimKind: "luxe", regionId: "westland" })
    expect(luxe.absence.records.some((r) => r.kind === "luxe-verzuim")).toBe(true)
    const langdurig = g.referralSubmission({ on, verzuimKind: "langdurig" })
    expect(langdurig.absence.since).toBeDefined()
    expect((langdurig.absence.since ?? on) < on).toBe(true)
    for (const r of [luxe, langdurig]) expect(r.absence.records.every((rec) => rec.date < on)).toBe(true)
    expect(g.referralSubmission({ on, absenceWeeks: 0 }).absence.records).toEqual([])
  })

  it("stored referrals add ids and a submission instant on the referral date", () => {
    const g = makeGenerator(43)
    const on = LocalDate.make("2026-11-16")
    const r = g.referral({ on })
    expect(r.id).toMatch(/^ref_[0-9a-z]{16}$/)
    expect(r.pupil.id).toMatch(/^pupil_[0-9a-z]{16}$/)
    expect(r.submittedAt.slice(0, 10)).toBe(on)
  })

  it("use only synthetic contact data: .example e-mail addresses and no phone numbers", () => {
    const g = makeGenerator(44)
    for (let i = 0; i < 100; i++) {
      const r = g.referralSubmission()
      if (r.referrer.email !== undefined)
        expect(r.referrer.email).toMatch(/^[a-z]\.[a-z0-9]+@[a-z0-9]+\.example$/)
      expect(r.referrer.phone).toBeUndefined()
      for (const p of r.parents) {
        if (p.email !== undefined) expect(p.email).toMatch(/@mail\.example$/)
        expect(p.phone).toBeUndefined()
      }
    }
  })
})

describe("case histories", () => {
  it("fold, are strictly time-ordered, and date nothing after the event that records it", () => {
    for (const seed of seeds) {
      const { caseId, events } = makeGenerator(seed).caseHistory()
      expect(events[0]?._tag).toBe("ReferralReceived")
      expect(Either.isRight(Case.fold(caseId, events))).toBe(true)
      for (let i = 1; i < events.length; i++)
        expect((events[i]?.at ?? "") > (events[i - 1]?.at ?? "")).toBe(true)
      for (const e of events) {
        const day = e.at.slice(0, 10)
        if ("on" in e) expect(e.on <= day, `${e._tag} ${e.on} ${e.at}`).toBe(true)
        if (e._tag === "MeetingHeld") expect(e.meeting.heldOn <= day).toBe(true)
      }
    }
  })

  it("run the course: referrer, parents and pupil contacted, intake, home visit, meeting, actions", () => {
    const { events, referral } = makeGenerator(51).caseHistory({
      close: true,
      regionId: "leidschendam-voorburg",
    })
    const tags = events.map((e) => e._tag)
    const contacts = events.flatMap((e) => (e._tag === "ContactLogged" ? [e.with] : []))
    expect(contacts.slice(0, 2)).toEqual([referral.referrer.role, "ouder"])
    for (const tag of [
      "IntakeCompleted",
      "HomeVisitDone",
      "MeetingHeld",
      "AgreementMade",
      "ActionAssigned",
      "InterventionStarted",
      "InterventionEnded",
      "AttendanceRecorded",
      "StatusChanged",
    ] as const) {
      expect(tags, tag).toContain(tag)
    }
    expect(tags.indexOf("IntakeCompleted")).toBeLessThan(tags.indexOf("HomeVisitDone"))
    expect(tags.indexOf("HomeVisitDone")).toBeLessThan(tags.indexOf("MeetingHeld"))
    expect(tags[tags.length - 1]).toBe("CaseClosed")
    const state = Either.getOrThrow(Case.fold(makeGenerator(51).caseId(), events))
    expect(state.regiehouder?.role).toBe("smw-verzuim")
    expect(Case.openActions(state)).toEqual([])
    expect(state.interventions.every((i) => i.endedOn !== undefined)).toBe(true)
  })

  it("hold a doorbraakoverleg with mandated participants for long absence in Amstelland", () => {
    const g = makeGenerator(52)
    let found = 0
    for (let i = 0; i < 20; i++) {
      const { events } = g.caseHistory({
        regionId: "amstelland-meerlanden",
        verzuimKind: "langdurig",
        close: true,
      })
      for (const e of events) {
        if (e._tag !== "MeetingHeld" || e.meeting.kind !== "doorbraakoverleg") continue
        found++
        const mandated = e.meeting.participants.filter((p) => p.mandated).map((p) => p.role)
        for (const role of ["leerplichtambtenaar", "jeugdarts", "casemanager-swv", "hulpverlener"] as const) {
          expect(mandated).toContain(role)
        }
      }
    }
    expect(found).toBeGreaterThan(10)
  })

  it("respects caseId, referral, start, steps, close and initialStatus", () => {
    const g = makeGenerator(53)
    const referral = g.referral({ regionId: "westland" })
    const start = "2026-11-20T09:30:00.000Z" as never
    const history = g.caseHistory({
      caseId: "case_0123456789abcdef" as never,
      referral,
      start,
      steps: 4,
      close: false,
      initialStatus: "nieuw",
    })
    expect(history.caseId).toBe("case_0123456789abcdef")
    expect(history.referral).toBe(referral)
    expect(history.events).toHaveLength(5)
    const first = history.events[0]
    expect(first?._tag === "ReferralReceived" && [first.at, first.initialStatus, first.referral]).toEqual([
      start,
      "nieuw",
      referral,
    ])
    const state = Either.getOrThrow(Case.fold(history.caseId, history.events))
    expect(state.closed).toBeUndefined()

    const long = g.caseHistory({ steps: 80, close: true })
    expect(long.events.length).toBeGreaterThan(81)
    expect(long.events[long.events.length - 1]?._tag).toBe("CaseClosed")
    const closedEarly = g.caseHistory({ steps: 0, close: true })
    expect(closedEarly.events.map((e) => e._tag)).toEqual(["ReferralReceived", "CaseClosed"])
    expect(() => g.caseHistory({ steps: -1 })).toThrow(RangeError)
  })

  it("closing ends open work first: no open actions or running interventions in a closed case", () => {
    for (const seed of seeds) {
      const g = makeGenerator(seed)
      const { caseId, events } = g.caseHistory({ close: true, steps: g.random.int(0, 30) })
      const state = Either.getOrThrow(Case.fold(caseId, events))
      expect(Case.isClosed(state)).toBe(true)
      expect(Case.openActions(state)).toEqual([])
      expect(state.interventions.filter((i) => i.endedOn === undefined)).toEqual([])
    }
  })
})

describe("bulk cases", () => {
  it("hold nothing after the generator's today: no event logged or dated later (issue 12, point 10)", () => {
    const today = LocalDate.make("2026-11-29")
    const histories = [...makeGenerator(64, { on: today }).cases(300, { closedShare: 0.5 })]
    let cut = 0
    for (const { caseId, events } of histories) {
      for (const event of events) {
        expect(event.at.slice(0, 10) <= today, `${event._tag} logged ${event.at}`).toBe(true)
        expect(CaseEvent.futureDates(event, today), event._tag).toEqual([])
      }
      // Still a history that folds: the case is open when it has not got that far yet.
      expect(Either.isRight(Case.fold(caseId, events))).toBe(true)
      if (!Case.isClosed(Either.getOrThrow(Case.fold(caseId, events)))) cut++
    }
    // Cases referred in the last weeks are open; the rest were not all cut short.
    expect(cut).toBeGreaterThan(0)
    expect(cut).toBeLessThan(histories.length)
  })

  it("yields lazily, one history at a time", () => {
    const iterator = makeGenerator(61).cases(1_000_000)
    const first = iterator.next()
    expect(first.done).toBe(false)
    expect(iterator.next().done).toBe(false)
    iterator.return()
  })

  it("yields the requested number of folding histories within the options", () => {
    const from = LocalDate.make("2025-09-01")
    const to = LocalDate.make("2026-06-30")
    const histories = [...makeGenerator(62).cases(400, { from, to, regionIds: ["westland"], closedShare: 1 })]
    expect(histories).toHaveLength(400)
    expect(new Set(histories.map((h) => h.caseId)).size).toBe(400)
    for (const { caseId, events, referral } of histories) {
      expect(referral.regionId).toBe("westland")
      const opened = events[0]?.at.slice(0, 10) ?? ""
      expect(opened >= from && opened <= LocalDate.addDays(to, 2)).toBe(true)
      const state = Either.getOrThrow(Case.fold(caseId, events))
      expect(Case.isClosed(state)).toBe(true)
    }
    const open = [...makeGenerator(63).cases(50, { closedShare: 0 })]
    expect(
      open.every(({ caseId, events }) => !Case.isClosed(Either.getOrThrow(Case.fold(caseId, events)))),
    ).toBe(true)
  })
})

describe("vrijstellingen and leave in generated histories", () => {
  const histories = () => [...makeGenerator(64).cases(600, { closedShare: 0.3 })]

  it("records vrijstellingen of several grounds and leave decisions, granted and refused, deterministically", () => {
    const events = histories().flatMap((h) => h.events)
    const grounds = new Set(
      events.flatMap((e) => (e._tag === "ExemptionRecorded" ? [e.vrijstelling.grond] : [])),
    )
    const leave = new Set(events.flatMap((e) => (e._tag === "LeaveRequested" ? [e.request.grond] : [])))
    const decisions = events.flatMap((e) => (e._tag === "LeaveDecided" ? [e.decision.granted] : []))
    expect(grounds.size).toBeGreaterThanOrEqual(3)
    expect([...leave].sort()).toEqual(["11-godsdienst", "13a-vakantie", "14-gewichtig"])
    expect(decisions).toContain(true)
    expect(decisions).toContain(false)
    expect(histories()).toEqual(histories())
  })

  it("gives a pupil who is not enrolled only grounds that can excuse not being enrolled (art. 5, 5a, 15)", () => {
    let checked = 0
    for (const { caseId, events } of histories()) {
      const state = Either.getOrThrow(Case.fold(caseId, events))
      if (state.referral.pupil.enrolment !== undefined || state.exemptions.length === 0) continue
      checked++
      for (const v of state.exemptions)
        expect(Vrijstelling.excusedDuties[v.grond].inschrijving.length, v.grond).toBeGreaterThan(0)
    }
    // The generator does make such pupils: the check above is not empty.
    expect(checked).toBeGreaterThan(0)
  })
})
