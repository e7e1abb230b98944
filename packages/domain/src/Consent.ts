/**
 * Consent: who agreed to what, when and how; and whether the parents were informed. Consent can be
 * withdrawn; the record keeps that too.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional } from "./Fields.js"
import { LocalDate } from "./LocalDate.js"
import { ShortText } from "./Text.js"

/** Who can give consent: the parents (ouders / gezaghebbenden) or the pupil. */
export const ConsentSubject = Schema.Literal("ouders", "leerling").annotations({
  identifier: "ConsentSubject",
  title: "Toestemming van",
})
export type ConsentSubject = typeof ConsentSubject.Type

/** Dutch labels of who consents, as they read inside a sentence (guards, views). */
export const consentSubjectLabel: Readonly<Record<ConsentSubject, string>> = {
  ouders: "ouders",
  leerling: "leerling",
}

export const ConsentPurpose = Schema.Literal(
  "aanmelding",
  "gegevensuitwisseling",
  "hulpverlening",
  "overleg-met-derden",
  "tlv-aanvraag",
).annotations({ identifier: "ConsentPurpose", title: "Toestemming voor" })
export type ConsentPurpose = typeof ConsentPurpose.Type

export const ConsentMethod = Schema.Literal("schriftelijk", "digitaal", "mondeling").annotations({
  identifier: "ConsentMethod",
})
export type ConsentMethod = typeof ConsentMethod.Type

/** Each purpose of a consent in Dutch (lower-case its first letter inside a sentence). */
export const consentPurposeLabel: Record<ConsentPurpose, string> = {
  aanmelding: "Aanmelding",
  gegevensuitwisseling: "Gegevensuitwisseling",
  hulpverlening: "Hulpverlening",
  "overleg-met-derden": "Overleg met derden",
  "tlv-aanvraag": "Aanvraag toelaatbaarheidsverklaring (TLV)",
}

/** How a consent was given, in Dutch. */
export const consentMethodLabel: Record<ConsentMethod, string> = {
  schriftelijk: "Schriftelijk",
  digitaal: "Digitaal",
  mondeling: "Mondeling",
}

export const ConsentGiven = Schema.Struct({
  subject: ConsentSubject,
  /** Who signed or said yes, e.g. "moeder", "vader", "voogd", "leerling". */
  givenBy: ShortText,
  givenOn: LocalDate,
  purposes: Schema.NonEmptyArray(ConsentPurpose),
  method: ConsentMethod,
  withdrawnOn: optional(LocalDate),
}).pipe(
  Schema.filter(
    (c) =>
      c.withdrawnOn === undefined ||
      c.withdrawnOn >= c.givenOn || {
        path: ["withdrawnOn"],
        message: "ingetrokken vóór de datum waarop ze gegeven is",
      },
  ),
  Schema.annotations({ identifier: "ConsentGiven", title: "Gegeven toestemming" }),
)
export type ConsentGiven = typeof ConsentGiven.Type

/** Everything known about consent for one referral or case. */
export const ConsentRecord = Schema.Struct({
  consents: Schema.Array(ConsentGiven).pipe(Schema.maxItems(20)),
  parentsInformedOn: optional(LocalDate),
}).annotations({ identifier: "ConsentRecord", title: "Toestemming" })
export type ConsentRecord = typeof ConsentRecord.Type

/** Consents in force on a date for a purpose (given on or before it and not withdrawn by then). */
export const activeConsents = (
  record: ConsentRecord,
  purpose: ConsentPurpose,
  on: LocalDate,
): ReadonlyArray<ConsentGiven> =>
  record.consents.filter(
    (c) =>
      c.purposes.includes(purpose) && c.givenOn <= on && (c.withdrawnOn === undefined || c.withdrawnOn > on),
  )
