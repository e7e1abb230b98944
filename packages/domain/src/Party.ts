/**
 * The people around a pupil and the roles they play. Roles keep the names professionals use.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional } from "./Fields.js"
import { OrganisationId, PartyId, UserId } from "./Ids.js"
import { Email, Phone, ShortText } from "./Text.js"

/**
 * Every role a party can have in a case. Values are the Dutch role names (kebab-case), the labels
 * below are what users read.
 */
export const PartyRole = Schema.Literal(
  "leerling",
  "ouder",
  "coordinator-passend-onderwijs",
  "mentor",
  "teamleider",
  "leerplichtambtenaar",
  "jeugdarts",
  "jeugdverpleegkundige",
  "schoolmaatschappelijk-werker",
  "smw-verzuim",
  "casemanager-swv",
  "orthopedagoog-swv",
  "verzuimcoach",
  "hulpverlener",
  "regioloket",
  "gemeente",
  "overig",
).annotations({ identifier: "PartyRole", title: "Rol" })
export type PartyRole = typeof PartyRole.Type

export const partyRoleLabel: Record<PartyRole, string> = {
  leerling: "Leerling",
  ouder: "Ouder / verzorger",
  "coordinator-passend-onderwijs": "Coördinator passend onderwijs",
  mentor: "Mentor",
  teamleider: "Teamleider",
  leerplichtambtenaar: "Leerplichtambtenaar",
  jeugdarts: "Jeugdarts (JGZ)",
  jeugdverpleegkundige: "Jeugdverpleegkundige (JGZ)",
  "schoolmaatschappelijk-werker": "Schoolmaatschappelijk werker",
  "smw-verzuim": "Schoolmaatschappelijk werker verzuim",
  "casemanager-swv": "Casemanager samenwerkingsverband",
  "orthopedagoog-swv": "Orthopedagoog samenwerkingsverband",
  verzuimcoach: "Verzuimcoach",
  hulpverlener: "Hulpverlener",
  regioloket: "Regioloket",
  gemeente: "Gemeente",
  overig: "Overig",
}

/** A role as it reads inside a sentence: "nog geen contact met coördinator passend onderwijs". */
export const partyRoleInSentence = (role: PartyRole): string => {
  const label = partyRoleLabel[role]
  return label.charAt(0).toLowerCase() + label.slice(1)
}

/** Roles held by professionals (everyone except the pupil and the parents). */
export const isProfessionalRole = (role: PartyRole): boolean => role !== "leerling" && role !== "ouder"

/**
 * A professional who acts in a case (the regiehouder, an action owner, a meeting participant).
 * The name is the professional's own work identity, not the pupil's.
 */
export const StaffRef = Schema.Struct({
  name: ShortText,
  role: PartyRole,
  organisationId: optional(OrganisationId),
  userId: optional(UserId),
}).annotations({ identifier: "StaffRef", title: "Professional" })
export type StaffRef = typeof StaffRef.Type

/**
 * The regiehouder of a case: always a user of the region (a case-worker or coordinator), so the
 * case can be found by who holds it (`?regiehouder=` filters on the user id). Name, party role and
 * organisation are the account's, copied in when the event is logged, so the log reads on its own.
 */
export const RegiehouderRef = Schema.Struct({
  ...StaffRef.fields,
  userId: UserId,
}).annotations({ identifier: "RegiehouderRef", title: "Regiehouder" })
export type RegiehouderRef = typeof RegiehouderRef.Type

/** Anyone involved in a case, with how to reach them. */
export const Party = Schema.Struct({
  id: PartyId,
  role: PartyRole,
  name: ShortText,
  organisationId: optional(OrganisationId),
  email: optional(Email),
  phone: optional(Phone),
}).annotations({ identifier: "Party", title: "Betrokkene" })
export type Party = typeof Party.Type
