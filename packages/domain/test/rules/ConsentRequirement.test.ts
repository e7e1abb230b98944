import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { ConsentRecord } from "../../src/Consent.js"
import * as LocalDate from "../../src/LocalDate.js"
import {
  ConsentOptions,
  type ConsentParty,
  type ConsentPolicy,
  type ConsentState,
  consentRequirement,
  missingConsent,
  missingConsentOn,
} from "../../src/rules/ConsentRequirement.js"

const d = LocalDate.make
const birth = d("2010-05-14")

describe("consentRequirement", () => {
  it.each<[ConsentPolicy, string, number, ReadonlyArray<ConsentParty>, boolean]>([
    // referral: the day the pupil turns 16 the parents' consent is no longer needed.
    ["referral", "2026-05-13", 15, ["ouders"], false],
    ["referral", "2026-05-14", 16, ["leerling"], true],
    ["referral", "2020-01-01", 9, ["ouders"], false],
    ["referral", "2029-01-01", 18, ["leerling"], true],
    // care ladder (WGBO / Jeugdwet)
    ["care-ladder", "2022-05-13", 11, ["ouders"], false],
    ["care-ladder", "2022-05-14", 12, ["ouders", "leerling"], false],
    ["care-ladder", "2026-05-13", 15, ["ouders", "leerling"], false],
    ["care-ladder", "2026-05-14", 16, ["leerling"], false],
  ])("%s on %s (age %i): %j must consent, parents informed: %s", (policy, date, age, parties, informed) => {
    const r = consentRequirement(birth, d(date), policy)
    expect(r.age).toBe(age)
    expect(r.mustConsent).toEqual(parties)
    expect(r.parentsMustBeInformed).toBe(informed)
  })

  it("defaults to the referral policy", () => {
    expect(consentRequirement(birth, d("2026-05-14")).policy).toBe("referral")
  })

  it("takes configured age limits", () => {
    expect(
      consentRequirement(birth, d("2026-05-14"), "referral", { pupilDecidesFromAge: 17 }).mustConsent,
    ).toEqual(["ouders"])
    expect(Schema.decodeUnknownSync(ConsentOptions)({})).toEqual({
      pupilDecidesFromAge: 16,
      jointConsentFromAge: 12,
    })
    expect(() => Schema.decodeUnknownSync(ConsentOptions)({ pupilDecidesFromAge: 30 })).toThrow()
  })
})

describe("missingConsent", () => {
  const under16 = consentRequirement(birth, d("2026-05-13"), "referral")
  const from16 = consentRequirement(birth, d("2026-05-14"), "referral")
  const ladder14 = consentRequirement(birth, d("2024-09-01"), "care-ladder")

  it.each<[string, ReturnType<typeof consentRequirement>, ConsentState, ReadonlyArray<string>]>([
    [
      "under 16, nobody consented",
      under16,
      { consentedBy: [], parentsInformed: false },
      ["toestemming ouders ontbreekt"],
    ],
    [
      "under 16, only the pupil",
      under16,
      { consentedBy: ["leerling"], parentsInformed: true },
      ["toestemming ouders ontbreekt"],
    ],
    ["under 16, parents consented", under16, { consentedBy: ["ouders"], parentsInformed: false }, []],
    [
      "16, nothing yet",
      from16,
      { consentedBy: [], parentsInformed: false },
      ["toestemming leerling ontbreekt", "ouders nog niet geïnformeerd"],
    ],
    [
      "16, pupil consented, parents not told",
      from16,
      { consentedBy: ["leerling"], parentsInformed: false },
      ["ouders nog niet geïnformeerd"],
    ],
    ["16, pupil consented, parents told", from16, { consentedBy: ["leerling"], parentsInformed: true }, []],
    [
      "16, parents consented (so informed), pupil not",
      from16,
      { consentedBy: ["ouders"], parentsInformed: false },
      ["toestemming leerling ontbreekt"],
    ],
    [
      "care ladder 14, parents only",
      ladder14,
      { consentedBy: ["ouders"], parentsInformed: true },
      ["toestemming leerling ontbreekt"],
    ],
    ["care ladder 14, both", ladder14, { consentedBy: ["ouders", "leerling"], parentsInformed: false }, []],
  ])("%s", (_, requirement, given, reasons) => {
    expect(missingConsent(requirement, given).map((m) => m.reason)).toEqual(reasons)
  })
})

describe("missingConsentOn: a case's consent record", () => {
  const record = Schema.decodeUnknownSync(ConsentRecord)({
    consents: [
      {
        subject: "leerling",
        givenBy: "leerling",
        givenOn: "2026-05-20",
        purposes: ["aanmelding"],
        method: "mondeling",
        withdrawnOn: "2026-06-10",
      },
      {
        subject: "ouders",
        givenBy: "moeder",
        givenOn: "2026-05-01",
        purposes: ["hulpverlening"],
        method: "digitaal",
      },
    ],
    parentsInformedOn: "2026-05-25",
  })
  const from16 = consentRequirement(birth, d("2026-05-20"), "referral")

  it.each<[string, ReadonlyArray<string>]>([
    ["2026-05-19", ["toestemming leerling ontbreekt", "ouders nog niet geïnformeerd"]],
    ["2026-05-20", ["ouders nog niet geïnformeerd"]],
    ["2026-05-25", []],
    ["2026-06-10", ["toestemming leerling ontbreekt"]], // withdrawn
  ])("on %s", (date, reasons) => {
    expect(missingConsentOn(from16, record, d(date)).map((m) => m.reason)).toEqual(reasons)
  })

  it("counts a consent only for its purpose", () => {
    const under16 = consentRequirement(birth, d("2026-05-01"), "referral")
    expect(missingConsentOn(under16, record, d("2026-05-02")).map((m) => m.code)).toEqual([
      "toestemming-ouders",
    ])
    expect(missingConsentOn(under16, record, d("2026-05-02"), "hulpverlening")).toEqual([])
  })
})
