/**
 * The synthetic organisations of a sample region: its schools (with BRIN-like codes from 9x, which
 * DUO does not hand out) per level, its municipalities and the other organisations of its profile.
 * Drawn from the region's own stream, so a directory does not depend on what was generated before.
 *
 * @since 0.3.0
 */

import type { OrganisationId, RegionId } from "../Ids.js"
import type { Brin, Organisation } from "../Organisation.js"
import { OrganisationKind } from "../Organisation.js"
import { SchoolLevel } from "../Pupil.js"
import type { RegionDirectory } from "./options.js"
import {
  primarySchoolNames,
  primarySchoolTypes,
  type RegionProfile,
  schoolsPerLevel,
  secondarySchoolSuffixes,
  specialSchoolNames,
  vocationalSchoolSuffixes,
} from "./places.js"
import type { Random } from "./Random.js"

// From the schemas themselves, so a value added there is generated too.
const levels: ReadonlyArray<SchoolLevel> = SchoolLevel.literals
const organisationKinds: ReadonlyArray<OrganisationKind> = OrganisationKind.literals

/** The directory of region `id` with `profile`, drawn from `random`. */
export const makeDirectory = (id: RegionId, profile: RegionProfile, random: Random): RegionDirectory => {
  const brins = new Set<string>()
  const brin = (): Brin => {
    for (;;) {
      // 9x codes, two letters: synthetic, made to look like DUO's institution codes.
      const code = `9${random.int(0, 9)}${String.fromCharCode(65 + random.int(0, 25), 65 + random.int(0, 25))}`
      if (!brins.has(code)) {
        brins.add(code)
        return code as Brin
      }
    }
  }
  const usedNames = new Set<string>()
  const uniqueName = (make: () => string): string => {
    for (let attempt = 0; ; attempt++) {
      const name = make()
      if (!usedNames.has(name)) {
        usedNames.add(name)
        return name
      }
      if (attempt > 50) {
        const numbered = `${name} ${attempt}`
        usedNames.add(numbered)
        return numbered
      }
    }
  }
  const schoolName = (level: SchoolLevel): string => {
    switch (level) {
      case "PO":
        return `${random.pick(primarySchoolTypes)} ${random.pick(primarySchoolNames)}`
      case "SO":
        return `SO ${random.pick(specialSchoolNames)}`
      case "VSO":
        return `VSO ${random.pick(specialSchoolNames)}`
      case "VO":
        return `${random.pick(profile.schoolStems)}${random.pick(secondarySchoolSuffixes)}`
      case "MBO":
        return `${random.pick(profile.schoolStems)}${random.pick(vocationalSchoolSuffixes)}`
    }
  }
  const organisation = (kind: OrganisationKind, name: string, municipality: string): Organisation => ({
    id: `org_${random.idBody(16)}` as OrganisationId,
    name,
    kind,
    municipality,
  })
  const schools = {} as Record<SchoolLevel, ReadonlyArray<Organisation>>
  for (const level of levels) {
    schools[level] = Array.from({ length: schoolsPerLevel[level] }, () => ({
      ...organisation(
        "school",
        uniqueName(() => schoolName(level)),
        random.pick(profile.municipalities),
      ),
      brin: brin(),
    }))
  }
  const organisations = new Map<OrganisationKind, ReadonlyArray<Organisation>>()
  organisations.set(
    "school",
    levels.flatMap((level) => schools[level]),
  )
  organisations.set(
    "gemeente",
    profile.municipalities.map((m) => organisation("gemeente", `Gemeente ${m}`, m)),
  )
  for (const kind of organisationKinds) {
    if (kind === "school" || kind === "gemeente") continue
    const orgNames = profile.organisations[kind] ?? [
      `${kind === "regioloket" ? "Regioloket" : "Loket"} ${profile.name}`,
    ]
    organisations.set(
      kind,
      orgNames.map((name) => organisation(kind, name, profile.municipalities[0])),
    )
  }
  const directory: RegionDirectory = {
    region: {
      id,
      name: profile.name,
      holidayRegion: profile.holidayRegion,
      municipalities: profile.municipalities,
    },
    schools,
    organisations,
  }
  return directory
}
