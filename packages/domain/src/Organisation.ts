/**
 * Organisations: schools, municipalities, youth health care, partnerships, care providers.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional } from "./Fields.js"
import { OrganisationId } from "./Ids.js"
import { ShortText } from "./Text.js"

export const OrganisationKind = Schema.Literal(
  "school",
  "gemeente",
  "ggd",
  "samenwerkingsverband",
  "schoolmaatschappelijk-werk",
  "zorgaanbieder",
  "onderwijsloket",
  "regioloket",
  "overig",
).annotations({ identifier: "OrganisationKind", title: "Soort organisatie" })
export type OrganisationKind = typeof OrganisationKind.Type

/** BRIN code of a school: 2 digits and 2 capital letters (DUO's institution code). */
export const Brin = Schema.String.pipe(
  Schema.pattern(/^[0-9]{2}[A-Z]{2}$/, { message: () => "verwacht een BRIN-code zoals 12AB" }),
  Schema.brand("Brin"),
  Schema.annotations({ identifier: "Brin" }),
)
export type Brin = typeof Brin.Type

export const Organisation = Schema.Struct({
  id: OrganisationId,
  name: ShortText,
  kind: OrganisationKind,
  brin: optional(Brin),
  municipality: optional(ShortText),
}).annotations({ identifier: "Organisation", title: "Organisatie" })
export type Organisation = typeof Organisation.Type
