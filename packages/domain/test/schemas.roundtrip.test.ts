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
const schemas: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
  ["LocalDate", LocalDate.LocalDate],
  ["Timestamp", Timestamp.Timestamp],
  ["CaseId", Ids.CaseId],
  ["RegionId", Ids.RegionId],
  ["Bsn", Identifiers.Bsn],
  ["Onderwijsnummer", Identifiers.Onderwijsnummer],
  ["PersonNumber", Identifiers.PersonNumber],
  ["JsonObject", Json.JsonObject],
  ["Organisation", Organisation.Organisation],
  ["Region", Region.Region],
  ["Party", Party.Party],
  ["StaffRef", Party.StaffRef],
  ["Pupil", Pupil.Pupil],
  ["PupilDetails", Pupil.PupilDetails],
  ["ConsentGiven", Consent.ConsentGiven],
  ["ConsentRecord", Consent.ConsentRecord],
  ["AbsenceRecord", Absence.AbsenceRecord],
  ["ReferralSubmission", Referral.ReferralSubmission],
  ["Referral", Referral.Referral],
  ["Meeting", CaseParts.Meeting],
  ["Agreement", CaseParts.Agreement],
  ["Action", CaseParts.Action],
  ["Intervention", CaseParts.Intervention],
  ["Outcome", CaseParts.Outcome],
  ["CaseEvent", CaseEvent.CaseEvent],
  ["CaseState", Case.CaseState],
]

describe("every schema round-trips through JSON", () => {
  for (const [name, schema] of schemas) {
    it(name, () => {
      const encode = Schema.encodeSync(schema)
      const decode = Schema.decodeUnknownSync(schema, { onExcessProperty: "error" })
      FastCheck.assert(
        FastCheck.property(Arbitrary.make(schema), (value) => {
          const text = JSON.stringify(encode(value))
          expect(decode(JSON.parse(text))).toStrictEqual(value)
        }),
        { numRuns: name.startsWith("Case") || name.startsWith("Referral") ? 60 : 200 },
      )
    })
  }
})
