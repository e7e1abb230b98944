import { describe, expect, it } from "vitest"
import {
  errorsOf,
  extensionFields,
  fieldOfPath,
  type RegionForm,
  schoolFieldOf,
  submissionOf,
} from "../src/pages/ReferralForm.js"

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["instantie", "besproken", "hulpvraag"],
  properties: {
    instantie: {
      anyOf: [
        { type: "string", enum: ["school"], title: "School" },
        { type: "string", enum: ["jgz"], title: "Jeugdgezondheidszorg (JGZ)" },
      ],
      title: "Aanmeldende instantie",
      description: "Wie meldt aan?",
    },
    kanaal: { type: "string", enum: ["regioloket", "top-dossier"] },
    besproken: { type: "boolean", title: "Besproken met ouders" },
    betrokken: {
      type: "array",
      items: { type: "string", enum: ["mentor", "ouders"] },
      title: "Al betrokken",
    },
    hulpvraag: { $ref: "#/$defs/LongText", title: "Hulpvraag" },
    naam: { type: "string", maxLength: 200, title: "Naam contactpersoon" },
    uren: { type: "integer", title: "Uren" },
    genest: { type: "object", properties: {} },
  },
  $defs: { LongText: { type: "string", minLength: 1, maxLength: 4000 } },
  title: "Formulier van de regio",
}

const region: RegionForm = {
  regionId: "westland",
  regionName: "Westland",
  formTitle: "Formulier van de regio",
  verzuimKinds: null,
  consentPolicy: "referral",
  consentAlwaysRecorded: false,
  fields: extensionFields(schema),
}

describe("the region's fields, from its plug-in's JSON Schema", () => {
  it("renders each kind with the schema's labels, help texts and required fields", () => {
    const byKey = Object.fromEntries(region.fields.map((f) => [f.key, f]))
    expect(Object.keys(byKey)).toEqual([
      "instantie",
      "kanaal",
      "besproken",
      "betrokken",
      "hulpvraag",
      "naam",
      "uren",
    ])
    expect(byKey.instantie).toMatchObject({
      kind: "choice",
      label: "Aanmeldende instantie",
      description: "Wie meldt aan?",
      required: true,
      options: [
        { value: "school", label: "School" },
        { value: "jgz", label: "Jeugdgezondheidszorg (JGZ)" },
      ],
    })
    expect(byKey.kanaal?.options.map((o) => o.label)).toEqual(["Regioloket", "Top dossier"])
    expect(byKey.kanaal?.required).toBe(false)
    expect(byKey.besproken?.kind).toBe("boolean")
    expect(byKey.betrokken?.kind).toBe("choices")
    expect(byKey.hulpvraag?.kind).toBe("longText")
    expect(byKey.naam?.kind).toBe("text")
    expect(byKey.uren?.kind).toBe("number")
  })
})

describe("the form as a submission", () => {
  const account = { name: "Sanne", partyRole: "mentor" as const, organisationId: "org_1" }
  const ownSchool = { own: { id: "org_1", name: "Het Lyceum" }, schools: [] }
  const schools = {
    own: null,
    schools: [
      { id: "org_school", name: "Basisschool De Tulp", brin: "12AB" },
      { id: "org_other", name: "Het Lyceum", brin: null },
    ],
  }

  it("leaves empty fields out and takes Ja/Nee, numbers and checkbox groups as the schema's values", () => {
    const { submission, consentSlots } = submissionOf(
      region,
      account,
      {
        "pupil.name.givenName": " Noor ",
        "pupil.name.prefix": "",
        "toestemming.leerling.givenOn": "2026-11-10",
        "extension.besproken": "nee",
        "extension.betrokken": ["mentor", "ouders"],
        "extension.uren": "12",
        "extension.naam": "",
      },
      ownSchool,
    )
    expect(consentSlots).toEqual(["leerling"])
    expect(submission).toMatchObject({
      regionId: "westland",
      referrer: { role: "mentor", name: "Sanne", organisationId: "org_1" },
      pupil: { name: { givenName: "Noor" } },
      consent: { consents: [{ subject: "leerling", givenOn: "2026-11-10", purposes: ["aanmelding"] }] },
      extension: { besproken: false, betrokken: ["mentor", "ouders"], uren: 12 },
    })
    expect((submission as { pupil: { name: object } }).pupil.name).not.toHaveProperty("prefix")
    expect((submission as { extension: object }).extension).not.toHaveProperty("naam")
  })

  it("names the referrer's own school when they are a school, and the chosen school otherwise", () => {
    const enrolmentOf = (options: typeof schools | typeof ownSchool, values: Record<string, string>) =>
      (
        submissionOf(region, account, { "pupil.enrolment.level": "PO", ...values }, options).submission as {
          pupil: { enrolment?: Record<string, unknown> }
        }
      ).pupil.enrolment
    expect(enrolmentOf(ownSchool, { "pupil.enrolment.schoolName": "Het Lyceum" })).toEqual({
      schoolId: "org_1",
      schoolName: "Het Lyceum",
      level: "PO",
    })
    // A leerplichtambtenaar: the school chosen, with its own name, not their organisation.
    expect(enrolmentOf(schools, { "pupil.enrolment.schoolId": "org_school" })).toEqual({
      schoolId: "org_school",
      schoolName: "Basisschool De Tulp",
      level: "PO",
    })
    // A posted name does not count, nor an id not on the list: no name, so the schema refuses it.
    expect(
      enrolmentOf(schools, {
        "pupil.enrolment.schoolId": "org_elders",
        "pupil.enrolment.schoolName": "Verzonnen",
      }),
    ).toEqual({ schoolId: "org_elders", level: "PO" })
    expect(enrolmentOf(schools, {})).toEqual({ level: "PO" })
    expect(
      (submissionOf(region, account, {}, schools).submission as { pupil: object }).pupil,
    ).not.toHaveProperty("enrolment")
    // Its errors land at the choice of school.
    expect(
      errorsOf(
        region,
        [],
        [{ path: "pupil.enrolment.schoolName", message: "is verplicht" }],
        schoolFieldOf(schools),
      ).fields,
    ).toEqual({ "pupil.enrolment.schoolId": "is verplicht" })
    expect(schoolFieldOf(ownSchool)).toBe("pupil.enrolment.schoolName")
  })

  it("puts each error path next to its field, and what belongs to no field in the summary", () => {
    expect(fieldOfPath(region, [], "parents[0].name")).toBe("parents.0.name")
    expect(fieldOfPath(region, ["ouders", "leerling"], "consent.consents[1].givenOn")).toBe(
      "toestemming.leerling.givenOn",
    )
    expect(fieldOfPath(region, ["leerling"], "consent.consents[0].purposes[0]")).toBe(
      "toestemming.leerling.givenOn",
    )
    expect(fieldOfPath(region, [], "consent")).toBe("toestemming")
    expect(fieldOfPath(region, [], "pupil.personNumber.value")).toBe("pupil.personNumber")
    expect(fieldOfPath(region, [], "extension.instantie")).toBe("extension.instantie")
    expect(fieldOfPath(region, [], "referrer.role")).toBeUndefined()
    const { fields, general } = errorsOf(
      region,
      [],
      [
        { path: "pupil.birthDate", message: 'verwacht een datum (jjjj-mm-dd); ontvangen: "14-3"' },
        { path: "consent", message: "toestemming ouders ontbreekt" },
        { path: "consent", message: "ouders nog niet geïnformeerd" },
        { path: "referrer.role", message: "mentor kan in deze regio niet aanmelden" },
      ],
    )
    expect(fields).toEqual({
      "pupil.birthDate": "verwacht een datum (jjjj-mm-dd)",
      toestemming: "toestemming ouders ontbreekt; ouders nog niet geïnformeerd",
    })
    expect(general).toEqual(["mentor kan in deze regio niet aanmelden"])
  })
})
