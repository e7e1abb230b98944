import { describe, expect, it } from "vitest"
import { Ids, LocalDate, Pupil } from "../src/index.js"

const pupil = (patch: Partial<Pupil.PupilDetails> = {}): Pupil.PupilDetails => ({
  name: { givenName: "Özlem", prefix: "van der", familyName: "Berg" } as Pupil.PersonName,
  birthDate: LocalDate.make("2012-03-04") as Pupil.PupilDetails["birthDate"],
  enrolment: {
    schoolId: Ids.OrganisationId.make("org_duinschool01"),
    schoolName: "Duinschool" as Pupil.Enrolment["schoolName"],
    level: "VO",
  },
  ...patch,
})

describe("Pupil.matchKey", () => {
  it("matches name, birth date and school loosely spelled", () => {
    const loose = pupil({
      name: { givenName: "OZLEM", prefix: "Van  der", familyName: "berg" } as Pupil.PersonName,
    })
    expect(Pupil.matchKey(loose)).toBe(Pupil.matchKey(pupil()))
  })

  it("tells apart another birth date, school or name", () => {
    const key = Pupil.matchKey(pupil())
    expect(Pupil.matchKey(pupil({ birthDate: LocalDate.make("2012-03-05") as never }))).not.toBe(key)
    expect(Pupil.matchKey(pupil({ enrolment: undefined as never }))).not.toBe(key)
    expect(
      Pupil.matchKey(pupil({ name: { givenName: "Özlem", familyName: "Berg" } as Pupil.PersonName })),
    ).not.toBe(key)
  })

  it("uses the person number alone when there is one", () => {
    const withBsn = pupil({ personNumber: { _tag: "bsn", value: "999990019" } as never })
    const renamed = { ...withBsn, name: { givenName: "Ander", familyName: "Kind" } as Pupil.PersonName }
    expect(Pupil.matchKey(renamed)).toBe(Pupil.matchKey(withBsn))
    expect(Pupil.matchKey(withBsn)).not.toBe(Pupil.matchKey(pupil()))
  })
})
