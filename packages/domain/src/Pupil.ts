/**
 * The pupil: who, born when, at which school and level. Personal data: read it only where a
 * workflow needs it, and never put it in a URL, a log line or an e-mail.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional } from "./Fields.js"
import { PersonNumber } from "./Identifiers.js"
import { OrganisationId, PupilId } from "./Ids.js"
import { LocalDate } from "./LocalDate.js"
import { ShortText } from "./Text.js"

/** PO primary, SO special primary, VO secondary, VSO special secondary, MBO vocational. */
export const SchoolLevel = Schema.Literal("PO", "SO", "VO", "VSO", "MBO").annotations({
  identifier: "SchoolLevel",
  title: "Onderwijssoort",
})
export type SchoolLevel = typeof SchoolLevel.Type

export const PersonName = Schema.Struct({
  givenName: ShortText,
  /** Tussenvoegsel: "van", "de", "van der"; sorted under the family name, as Dutch lists do. */
  prefix: optional(ShortText),
  familyName: ShortText,
}).annotations({ identifier: "PersonName", title: "Naam" })
export type PersonName = typeof PersonName.Type

export const displayName = (name: PersonName): string =>
  [name.givenName, name.prefix, name.familyName].filter((part) => part !== undefined).join(" ")

/** Where the pupil is enrolled. A pupil without enrolment may be in absoluut verzuim. */
export const Enrolment = Schema.Struct({
  schoolId: OrganisationId,
  schoolName: ShortText,
  level: SchoolLevel,
  /** Leerjaar / groep, when known (groep 1–8 in PO, leerjaar 1–6 in VO). */
  grade: optional(Schema.Int.pipe(Schema.between(1, 8))),
}).annotations({ identifier: "Enrolment", title: "Inschrijving" })
export type Enrolment = typeof Enrolment.Type

const BIRTH_MIN = "1995-01-01"
const BIRTH_MAX = "2030-12-31"

export const BirthDate = LocalDate.pipe(
  Schema.filter(
    (d) => (d >= BIRTH_MIN && d <= BIRTH_MAX) || "de geboortedatum van een leerling ligt tussen 1995 en 2030",
  ),
)

const pupilFields = {
  name: PersonName,
  birthDate: BirthDate,
  enrolment: optional(Enrolment),
  personNumber: optional(PersonNumber),
}

/** The pupil as a referrer describes them, before the system has given them an id. */
export const PupilDetails = Schema.Struct(pupilFields).annotations({
  identifier: "PupilDetails",
  title: "Leerling (aanmelding)",
})
export type PupilDetails = typeof PupilDetails.Type

export const Pupil = Schema.Struct({ id: PupilId, ...pupilFields }).annotations({
  identifier: "Pupil",
  title: "Leerling",
})
export type Pupil = typeof Pupil.Type

/** Lower case, without accents, single spaces: "Ökkeş  van Dijk" and "okkes van dijk" match. */
const normalised = (text: string | undefined): string =>
  (text ?? "").normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase("nl").replace(/\s+/g, " ").trim()

/**
 * What makes two referrals the same pupil, as a string to be hashed (never stored or logged as
 * is: it holds the BSN or the name). The person number (BSN or onderwijsnummer) when the referral
 * has one; otherwise name, birth date and school together, spelled loosely (case, accents and
 * spacing do not count). A pupil referred once with and once without a person number does not
 * match: a false "same pupil" would merge two children's files, a missed one only opens a case.
 */
export const matchKey = (pupil: PupilDetails): string =>
  pupil.personNumber !== undefined
    ? `nummer:${pupil.personNumber._tag}:${pupil.personNumber.value}`
    : [
        "naam",
        normalised(pupil.name.givenName),
        normalised(pupil.name.prefix),
        normalised(pupil.name.familyName),
        pupil.birthDate,
        pupil.enrolment?.schoolId ?? "-",
      ].join("|")
