/**
 * Who does what in the synthetic regions: who refers, who holds the regie, where each role works.
 *
 * @since 0.1.0
 */
import type { OrganisationKind } from "../Organisation.js"
import type { PartyRole } from "../Party.js"
import type { SampleRegionId } from "./places.js"

export const referrerWeights: Readonly<Record<SampleRegionId, ReadonlyArray<readonly [PartyRole, number]>>> =
  {
    "leidschendam-voorburg": [
      ["coordinator-passend-onderwijs", 50],
      ["schoolmaatschappelijk-werker", 25],
      ["leerplichtambtenaar", 25],
    ],
    westland: [
      ["coordinator-passend-onderwijs", 35],
      ["mentor", 15],
      ["leerplichtambtenaar", 25],
      ["jeugdarts", 15],
      ["jeugdverpleegkundige", 10],
    ],
    "amstelland-meerlanden": [
      ["coordinator-passend-onderwijs", 60],
      ["teamleider", 10],
      ["leerplichtambtenaar", 15],
      ["casemanager-swv", 15],
    ],
  }

/** The role that holds the regie: the SMW verzuim in the Haaglanden seeds, the SWV in Amstelland. */
export const regiehouderRole: Readonly<Record<SampleRegionId, PartyRole>> = {
  "leidschendam-voorburg": "smw-verzuim",
  westland: "smw-verzuim",
  "amstelland-meerlanden": "casemanager-swv",
}

export const intakeRole: Readonly<Record<SampleRegionId, PartyRole>> = {
  "leidschendam-voorburg": "smw-verzuim",
  westland: "smw-verzuim",
  "amstelland-meerlanden": "regioloket",
}

export const schoolRoles: ReadonlySet<PartyRole> = new Set([
  "coordinator-passend-onderwijs",
  "mentor",
  "teamleider",
])

/** Where a professional in each role works. */
export const organisationKindOfRole: Readonly<Record<PartyRole, OrganisationKind>> = {
  leerling: "overig",
  ouder: "overig",
  "coordinator-passend-onderwijs": "school",
  mentor: "school",
  teamleider: "school",
  leerplichtambtenaar: "gemeente",
  jeugdarts: "ggd",
  jeugdverpleegkundige: "ggd",
  "schoolmaatschappelijk-werker": "schoolmaatschappelijk-werk",
  "smw-verzuim": "schoolmaatschappelijk-werk",
  "casemanager-swv": "samenwerkingsverband",
  "orthopedagoog-swv": "samenwerkingsverband",
  verzuimcoach: "onderwijsloket",
  hulpverlener: "zorgaanbieder",
  regioloket: "regioloket",
  gemeente: "gemeente",
  overig: "overig",
}

/** Roles whose people log in (and so have a user id); the others are only named. */
export const userRoles: ReadonlySet<PartyRole> = new Set([
  "smw-verzuim",
  "schoolmaatschappelijk-werker",
  "casemanager-swv",
  "orthopedagoog-swv",
  "leerplichtambtenaar",
  "regioloket",
  "verzuimcoach",
])
