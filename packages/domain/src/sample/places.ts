/**
 * Places for synthetic data: the three seed regions with their real municipalities and holiday
 * regions, and invented names for schools and other organisations. School and organisation names
 * are made up (any match with a real institution is chance); BRIN codes are synthetic.
 *
 * @since 0.1.0
 */
import type { OrganisationKind } from "../Organisation.js"
import type { SchoolLevel } from "../Pupil.js"
import type { HolidayRegion } from "../Region.js"

/** The regions of the three seed workflows. */
export type SampleRegionId = "leidschendam-voorburg" | "westland" | "amstelland-meerlanden"

export const sampleRegionIds: ReadonlyArray<SampleRegionId> = [
  "leidschendam-voorburg",
  "westland",
  "amstelland-meerlanden",
]

export interface RegionProfile {
  readonly name: string
  readonly holidayRegion: HolidayRegion
  readonly municipalities: readonly [string, ...Array<string>]
  /** Invented names of the region's non-school organisations, by kind. */
  readonly organisations: Readonly<Partial<Record<OrganisationKind, ReadonlyArray<string>>>>
  /** Stems for invented school names, so each region's schools sound local. */
  readonly schoolStems: ReadonlyArray<string>
}

export const regionProfiles: Readonly<Record<SampleRegionId, RegionProfile>> = {
  "leidschendam-voorburg": {
    name: "Leidschendam-Voorburg (Er op af)",
    holidayRegion: "midden",
    municipalities: ["Leidschendam-Voorburg"],
    organisations: {
      ggd: ["GGD Hof en Duin"],
      samenwerkingsverband: ["Samenwerkingsverband Passend Onderwijs Vlietstreek"],
      "schoolmaatschappelijk-werk": ["Stichting Schoolwerk Vliet en Duin"],
      zorgaanbieder: ["Jeugdhulp De Vlietbrug", "Gezinscoaching Hofzicht", "Kinderpraktijk Het Veenpad"],
      onderwijsloket: ["Onderwijsloket Vlietstreek"],
      overig: ["Jeugd- en gezinsteam Vlietoever"],
    },
    schoolStems: ["Vliet", "Veenhof", "Damhorst", "Molenzicht", "Kastanjehof", "Sijtwende", "Rietland"],
  },
  westland: {
    name: "Westland (Schoolverzuim)",
    holidayRegion: "midden",
    municipalities: ["Westland"],
    organisations: {
      ggd: ["GGD Hof en Duin"],
      samenwerkingsverband: ["Samenwerkingsverband Passend Onderwijs Kustland"],
      "schoolmaatschappelijk-werk": ["Stichting Schoolwerk Vliet en Duin"],
      zorgaanbieder: ["Jeugdhulp Glashof", "Gezinshuis De Kassen", "Ambulant Team Kustland"],
      onderwijsloket: ["Onderwijsloket Kustland"],
      overig: ["Sociaal team Westland-Noord"],
    },
    schoolStems: ["Tuinrand", "Kassenrijk", "Duinzoom", "Strandwal", "Druivenhof", "Lichtkas", "Zandhof"],
  },
  "amstelland-meerlanden": {
    name: "Amstelland en de Meerlanden (Interventiemodel)",
    holidayRegion: "noord",
    municipalities: ["Haarlemmermeer", "Aalsmeer", "Amstelveen", "Uithoorn", "Ouder-Amstel"],
    organisations: {
      ggd: ["GGD Amstel en Meer"],
      samenwerkingsverband: ["Samenwerkingsverband VO Amstel en Meer", "Samenwerkingsverband PO Meerpolder"],
      "schoolmaatschappelijk-werk": ["Schoolmaatschappelijk werk Amstelmeer"],
      zorgaanbieder: ["Jeugdhulp Ringvaart", "GGZ Jeugd Meerzicht", "Gezinscoaching Amstelkade"],
      onderwijsloket: ["Onderwijsloket Amstel en Meer"],
      regioloket: ["Regioloket Amstelland en de Meerlanden"],
      overig: ["Jeugdteam Meerpolder"],
    },
    schoolStems: [
      "Meerzicht",
      "Ringvaart",
      "Polderlicht",
      "Amstelkade",
      "Bovenkerk",
      "Westeinder",
      "Zijdelmeer",
    ],
  },
}

/** How many schools of each level a region's synthetic directory holds. */
export const schoolsPerLevel: Readonly<Record<SchoolLevel, number>> = {
  PO: 8,
  SO: 1,
  VO: 4,
  VSO: 1,
  MBO: 2,
}

/** Invented primary-school names; the generator puts a type in front ("Basisschool", "CBS"). */
export const primarySchoolNames: ReadonlyArray<string> = [
  "De Klimop",
  "De Vlinderboom",
  "Het Kompas",
  "De Zeester",
  "De Wilgenhoek",
  "Het Duinpad",
  "De Tuinfluiter",
  "De Kievitsbloem",
  "Het Polderhuis",
  "De Lisdodde",
  "De Zonnewijzer",
  "Het Kraaiennest",
  "De Fluitekruid",
  "De Koraalduiker",
  "Het Zandkasteel",
  "De Pimpernel",
]

export const primarySchoolTypes: ReadonlyArray<string> = ["Basisschool", "OBS", "CBS", "Kindcentrum", "IKC"]

export const specialSchoolNames: ReadonlyArray<string> = [
  "De Kameleon",
  "Het Baken",
  "De Vuurtoren",
  "Het Anker",
]

/** Suffixes that turn a stem into a secondary-school name ("Veenhoflyceum", "Duinzoom College"). */
export const secondarySchoolSuffixes: ReadonlyArray<string> = [
  "lyceum",
  " College",
  " Mavo",
  " Scholengemeenschap",
]

export const vocationalSchoolSuffixes: ReadonlyArray<string> = [" Vakcollege", " MBO", " Techniek en Zorg"]
