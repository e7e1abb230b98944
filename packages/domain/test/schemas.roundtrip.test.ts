import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck, Schema } from "effect"
import * as Absence from "../src/Absence.js"
import * as Case from "../src/Case.js"
import * as CaseEvent from "../src/CaseEvent.js"
import * as CaseParts from "../src/CaseParts.js"
import * as Consent from "../src/Consent.js"
import * as Identifiers from "../src/Identifiers.js"
import * as Ids from "../src/Ids.js"
import * as Json from "../src/Json.js"
import * as LocalDate from "../src/LocalDate.js"
import * as Organisation from "../src/Organisation.js"
import * as Party from "../src/Party.js"
import * as Pupil from "../src/Pupil.js"
import * as Referral from "../src/Referral.js"
import * as Region from "../src/Region.js"
import * as Timestamp from "../src/Timestamp.js"

// Every schema of the domain: values generated from the schema itself must survive
// encode → JSON text → decode unchanged, so the store and the API can carry them as JSON.
//
// Budgets (runs and sizes), chosen to keep the file near 2 s on a quiet two-core machine:
// - sizes: fast-check's "small" size, pinned here so a changed default cannot grow the values: an
//   array or string holds at most 10 elements more than twice its minimum, and effect's Arbitrary
//   nests a recursive schema (JsonValue) at most 2 levels deep with at most 2 items per level.
// - runs: 200 for the flat schemas (ids, dates, identifiers: the generators of their patterns and
//   brands are what can go wrong); 60 for the composite ones (each value holds dozens of fields, so
//   60 of them exercise every optional field present and absent many times);
// - CaseEvent per kind, 15 runs each: one property over the union of its 23 kinds with 60 runs
//   left a kind or two untried in a typical run; per kind none is left out.
FastCheck.configureGlobal({ ...FastCheck.readConfigureGlobal(), baseSize: "small" })

const FLAT_RUNS = 200
const COMPOSITE_RUNS = 60
const RUNS_PER_EVENT_KIND = 15

const schemas: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext, number]> = [
  ["LocalDate", LocalDate.LocalDate, FLAT_RUNS],
  ["Timestamp", Timestamp.Timestamp, FLAT_RUNS],
  ["CaseId", Ids.CaseId, FLAT_RUNS],
  ["RegionId", Ids.RegionId, FLAT_RUNS],
  ["Bsn", Identifiers.Bsn, FLAT_RUNS],
  ["Onderwijsnummer", Identifiers.Onderwijsnummer, FLAT_RUNS],
  ["PersonNumber", Identifiers.PersonNumber, FLAT_RUNS],
  ["JsonObject", Json.JsonObject, FLAT_RUNS],
  ["Organisation", Organisation.Organisation, FLAT_RUNS],
  ["Region", Region.Region, FLAT_RUNS],
  ["Party", Party.Party, FLAT_RUNS],
  ["StaffRef", Party.StaffRef, FLAT_RUNS],
  ["Pupil", Pupil.Pupil, COMPOSITE_RUNS],
  ["PupilDetails", Pupil.PupilDetails, COMPOSITE_RUNS],
  ["ConsentGiven", Consent.ConsentGiven, FLAT_RUNS],
  ["ConsentRecord", Consent.ConsentRecord, FLAT_RUNS],
  ["AbsenceRecord", Absence.AbsenceRecord, FLAT_RUNS],
  ["ReferralSubmission", Referral.ReferralSubmission, COMPOSITE_RUNS],
  ["Referral", Referral.Referral, COMPOSITE_RUNS],
  ["Meeting", CaseParts.Meeting, FLAT_RUNS],
  ["Agreement", CaseParts.Agreement, FLAT_RUNS],
  ["Action", CaseParts.Action, FLAT_RUNS],
  ["Intervention", CaseParts.Intervention, FLAT_RUNS],
  ["Outcome", CaseParts.Outcome, FLAT_RUNS],
  ["CaseState", Case.CaseState, COMPOSITE_RUNS],
  ...CaseEvent.CaseEvent.members.map(
    (member) =>
      [`CaseEvent ${tagOf(member)}`, member as Schema.Schema.AnyNoContext, RUNS_PER_EVENT_KIND] as const,
  ),
]

/** The literal `_tag` of a member of the CaseEvent union. */
function tagOf(member: Schema.Schema.AnyNoContext): string {
  const ast = member.ast
  if (ast._tag === "TypeLiteral")
    for (const property of ast.propertySignatures)
      if (property.name === "_tag" && property.type._tag === "Literal") return String(property.type.literal)
  throw new Error("a CaseEvent kind without a literal _tag")
}

describe("every schema round-trips through JSON", () => {
  it("covers every kind of CaseEvent", () => {
    const kinds = schemas.filter(([name]) => name.startsWith("CaseEvent ")).map(([name]) => name.slice(10))
    expect([...kinds].sort()).toEqual([...CaseEvent.caseEventTags].sort())
  })

  for (const [name, schema, numRuns] of schemas) {
    it(name, () => {
      const encode = Schema.encodeSync(schema)
      const decode = Schema.decodeUnknownSync(schema, { onExcessProperty: "error" })
      FastCheck.assert(
        FastCheck.property(Arbitrary.make(schema), (value) => {
          const text = JSON.stringify(encode(value))
          expect(decode(JSON.parse(text))).toStrictEqual(value)
        }),
        { numRuns },
      )
    })
  }
})
