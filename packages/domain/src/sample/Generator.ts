/**
 * A deterministic generator of synthetic data: organisations, pupils, absence records, referrals
 * and whole case histories for the three seed regions. The same seed gives the same data on every
 * platform; nothing here reads the clock or `Math.random`. Every value it returns decodes with its
 * schema, and every case history folds (`Case.fold`).
 *
 * All people are synthetic: names are drawn independently from lists of common names, BSNs lie in
 * the BRP test range 99999xxxx, e-mail addresses use the reserved `.example` domain, and there
 * are no phone numbers.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { AbsenceRecord } from "../Absence.js"
import { type CaseEvent, futureDates } from "../CaseEvent.js"
import type { ConsentGiven, ConsentMethod, ConsentPurpose, ConsentRecord } from "../Consent.js"
import * as Calendars from "../calendars/index.js"
import {
  type Bsn,
  completeBsn,
  completeOnderwijsnummer,
  type Onderwijsnummer,
  type PersonNumber,
} from "../Identifiers.js"
import type { CaseId, OrganisationId, PupilId, ReferralId, UserId } from "../Ids.js"
import { RegionId } from "../Ids.js"
import * as LocalDate from "../LocalDate.js"
import type { Organisation, OrganisationKind } from "../Organisation.js"
import type { PartyRole, StaffRef } from "../Party.js"
import type { Enrolment, Pupil, PupilDetails, SchoolLevel } from "../Pupil.js"
import type {
  Parent,
  Referral,
  ReferralReason,
  ReferralSubmission,
  Referrer,
  VerzuimKind,
} from "../Referral.js"
import type { Region } from "../Region.js"
import { ageOn } from "../rules/Age.js"
import type * as SchoolCalendar from "../SchoolCalendar.js"
import { absenceRecords, LESSON_MINUTES_FOR_SUMMARY, profileOfKind, sickEpisodeStarts } from "./absence.js"
import { CaseCourse } from "./CaseCourse.js"
import { makeDirectory } from "./directory.js"
import { type Background, backgroundWeights, type FamilyName, names } from "./names.js"
import {
  type AbsenceOptions,
  type BulkCaseOptions,
  type CaseHistory,
  type CaseHistoryOptions,
  type CourseServices,
  DEFAULT_ON,
  type GeneratorOptions,
  type PersonNumberKind,
  type PupilOptions,
  type ReferralOptions,
  type RegionDirectory,
  type StoredReferralOptions,
} from "./options.js"
import { type RegionProfile, regionProfiles, type SampleRegionId, sampleRegionIds } from "./places.js"
import { Random } from "./Random.js"
import { organisationKindOfRole, referrerWeights, schoolRoles, userRoles } from "./roles.js"
import { absenceDescriptions, helpAlreadyTriedTexts, reasonsByKind, situationTexts } from "./texts.js"
import {
  dateOf,
  epochDayOf,
  isTimestamp,
  MS_PER_DAY,
  MS_PER_MINUTE,
  OFFICE_OPEN,
  plusDays,
  timestampOf,
  weekdayOf,
} from "./time.js"

/**
 * The history as it stands at the end of `until`: cut before the first event logged after that
 * day or dating something after it (`CaseEvent.futureDates`). A prefix of a history folds, so
 * the case is simply still open; the referral itself always stays. The generator logs in office
 * hours (07:00–16:00 UTC), when the UTC date of `at` is the date in Amsterdam.
 */
const seenOn = (events: ReadonlyArray<CaseEvent>, until: LocalDate.LocalDate): ReadonlyArray<CaseEvent> => {
  const cut = events.findIndex((e) => e.at.slice(0, 10) > until || futureDates(e, until).length > 0)
  return cut === -1 ? events : events.slice(0, Math.max(cut, 1))
}

// ---------------------------------------------------------------------------------------------
// Tables

/** Ages (whole years) at which pupils of each level are usually found. */
export const levelAgeRange: Readonly<Record<SchoolLevel, readonly [number, number]>> = {
  PO: [4, 12],
  SO: [4, 12],
  VO: [12, 18],
  VSO: [12, 19],
  MBO: [16, 23],
}

const kindAgeRange: Readonly<Record<VerzuimKind, readonly [number, number]>> = {
  grijs: [8, 17],
  relatief: [12, 17],
  ziekteverzuim: [6, 17],
  luxe: [5, 12],
  langdurig: [9, 17],
  absoluut: [6, 17],
}

const kindWeights: Readonly<Record<SampleRegionId, ReadonlyArray<readonly [VerzuimKind, number]>>> = {
  "leidschendam-voorburg": [
    ["grijs", 35],
    ["relatief", 30],
    ["ziekteverzuim", 15],
    ["langdurig", 12],
    ["luxe", 4],
    ["absoluut", 4],
  ],
  westland: [
    ["relatief", 30],
    ["grijs", 25],
    ["ziekteverzuim", 22],
    ["langdurig", 13],
    ["luxe", 6],
    ["absoluut", 4],
  ],
  "amstelland-meerlanden": [
    ["langdurig", 60],
    ["relatief", 15],
    ["ziekteverzuim", 15],
    ["absoluut", 10],
  ],
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n))

const fullName = (given: string, family: FamilyName): string =>
  family.prefix === undefined ? `${given} ${family.name}` : `${given} ${family.prefix} ${family.name}`

/** Lower-case ASCII for e-mail addresses: "Öztürk" → "ozturk", "van 't Hof" → "vanthof". */
const asciiSlug = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ı/g, "i")
    .replace(/ł/gi, "l")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")

const isSampleRegion = (regionId: string): regionId is SampleRegionId =>
  (sampleRegionIds as ReadonlyArray<string>).includes(regionId)

const calendarsOf = (profile: RegionProfile): SchoolCalendar.Calendars =>
  Calendars.byRegion[profile.holidayRegion]

/** Regions outside the seeds get an invented profile, so a referral from anywhere can be replayed. */
const genericProfile = (regionId: string): RegionProfile => ({
  name: `Regio ${regionId}`,
  holidayRegion: "midden",
  municipalities: ["Voorbeeldstad"],
  organisations: regionProfiles["leidschendam-voorburg"].organisations,
  schoolStems: regionProfiles["leidschendam-voorburg"].schoolStems,
})

const isRegionId = Schema.is(RegionId)

const toRegionId = (regionId: string): RegionId => {
  if (!isRegionId(regionId)) throw new RangeError(`not a region id: ${regionId}`)
  return regionId
}

// ---------------------------------------------------------------------------------------------
// The generator

/**
 * Makes a generator. Every method draws from one seeded stream, so a fresh generator with the
 * same seed, called the same way, returns the same values. Region directories (schools,
 * organisations, staff) come from streams of their own and do not depend on call order.
 *
 * @example
 * const sample = makeGenerator(42)
 * const referral = sample.referralSubmission({ regionId: "westland", verzuimKind: "ziekteverzuim" })
 * for (const history of sample.cases(1000)) store.append(history.caseId, history.events)
 */
export const makeGenerator = (seed: number, options: GeneratorOptions = {}): SampleGenerator =>
  new SampleGenerator(seed, options)

export class SampleGenerator implements CourseServices {
  readonly seed: number
  /** Reference date for calls that give none. */
  readonly on: LocalDate.LocalDate
  /** The stream every method draws from; use it for ad-hoc choices in tests. */
  readonly random: Random
  private readonly directories = new Map<string, RegionDirectory>()
  private readonly staffPools = new Map<string, ReadonlyArray<StaffRef>>()
  private readonly emails = new Map<string, string>()

  constructor(seed: number, options: GeneratorOptions = {}) {
    this.seed = seed
    this.on = options.on ?? DEFAULT_ON
    this.random = Random.fromSeed(seed)
  }

  // ------------------------------------------------------------------ ids

  private id<P extends string>(prefix: P, random: Random = this.random): `${P}_${string}` {
    return `${prefix}_${random.idBody(16)}`
  }

  caseId(): CaseId {
    return this.id("case") as CaseId
  }

  // ------------------------------------------------------------------ regions and organisations

  /** The three seed regions, with their real municipalities and holiday regions. */
  regions(): ReadonlyArray<Region> {
    return sampleRegionIds.map((id) => this.directory(id).region)
  }

  private profile(regionId: string): RegionProfile {
    return isSampleRegion(regionId) ? regionProfiles[regionId] : genericProfile(regionId)
  }

  private pickRegion(): SampleRegionId {
    return this.random.weighted([
      ["leidschendam-voorburg", 30],
      ["westland", 30],
      ["amstelland-meerlanden", 40],
    ])
  }

  /** The invented schools and organisations of a region; the same for every call. */
  directory(regionId: SampleRegionId | RegionId): RegionDirectory {
    const cached = this.directories.get(regionId)
    if (cached !== undefined) return cached
    const id = toRegionId(regionId)
    const profile = this.profile(id)
    const random = this.random.derive(`directory:${id}`)
    const directory = makeDirectory(id, profile, random)
    this.directories.set(id, directory)
    return directory
  }

  /** An organisation of a kind from a region's directory (a random seed region by default). */
  organisation(kind: OrganisationKind, regionId?: SampleRegionId | RegionId): Organisation {
    const directory = this.directory(regionId ?? this.pickRegion())
    return this.random.pick(directory.organisations.get(kind) ?? [])
  }

  /** A school of a region (of `level`, or weighted towards primary and secondary schools). */
  school(regionId: SampleRegionId | RegionId, level?: SchoolLevel): Organisation {
    const chosen =
      level ??
      this.random.weighted<SchoolLevel>([
        ["PO", 50],
        ["SO", 3],
        ["VO", 35],
        ["VSO", 3],
        ["MBO", 9],
      ])
    return this.random.pick(this.directory(regionId).schools[chosen])
  }

  // ------------------------------------------------------------------ people

  private background(random: Random = this.random): Background {
    return random.weighted(backgroundWeights)
  }

  /** A synthetic adult: given name and family name, drawn independently. */
  private adultName(random: Random = this.random, background = this.background(random)): string {
    const set = names[background]
    const given = random.chance(0.5) ? random.pick(set.women) : random.pick(set.men)
    return fullName(given, random.pick(set.families))
  }

  /**
   * A professional in `role` in a region. Each (region, role, organisation) has a small pool of
   * colleagues, so the same people turn up across cases, as in a real region.
   */
  staff(role: PartyRole, regionId: SampleRegionId | RegionId, organisationId?: OrganisationId): StaffRef {
    const key = `${regionId}|${role}|${organisationId ?? ""}`
    let pool = this.staffPools.get(key)
    if (pool === undefined) {
      const random = this.random.derive(`staff:${key}`)
      const directory = this.directory(regionId)
      const kind = organisationKindOfRole[role]
      const size = role === "smw-verzuim" ? 2 : schoolRoles.has(role) ? 1 : random.int(2, 5)
      pool = Array.from({ length: size }, () => {
        const orgId = organisationId ?? random.pick(directory.organisations.get(kind) ?? []).id
        const ref: StaffRef = { name: this.adultName(random), role, organisationId: orgId }
        return userRoles.has(role) ? { ...ref, userId: this.id("user", random) as UserId } : ref
      })
      this.staffPools.set(key, pool)
    }
    return this.random.pick(pool)
  }

  /** A work address at the reserved `.example` domain: "e.degroot@gemeentewestland.example". */
  private email(name: string, organisation: Organisation): string {
    const key = `${name}|${organisation.id}`
    let address = this.emails.get(key)
    if (address === undefined) {
      const parts = name.split(" ")
      const given = asciiSlug(parts[0] ?? "medewerker")
      const family = asciiSlug(parts.slice(1).join(""))
      address = `${given.charAt(0)}.${family}@${asciiSlug(organisation.name)}.example`
      this.emails.set(key, address)
    }
    return address
  }

  private personNumber(kind: PersonNumberKind): PersonNumber | undefined {
    if (kind === "none") return undefined
    for (;;) {
      if (kind === "bsn") {
        // The BRP test range: 99999xxxx, completed to pass the elfproef.
        const value = completeBsn(`99999${this.random.digits(3)}`)
        if (value !== undefined) return { _tag: "bsn", value: value as Bsn }
      } else {
        const value = completeOnderwijsnummer(`10${this.random.digits(6)}`)
        if (value !== undefined) return { _tag: "onderwijsnummer", value: value as Onderwijsnummer }
      }
    }
  }

  private ageAndLevel(options: PupilOptions): { readonly age: number; readonly level: SchoolLevel } {
    if (options.level !== undefined) {
      const [min, max] = levelAgeRange[options.level]
      const lo = Math.max(min, options.ageRange?.[0] ?? min)
      const hi = Math.min(max, options.ageRange?.[1] ?? max)
      if (lo > hi) {
        throw new RangeError(
          `no age in ${options.ageRange?.join("–")} fits level ${options.level} (${min}–${max})`,
        )
      }
      return { age: this.random.int(lo, hi), level: options.level }
    }
    const [lo, hi] = options.ageRange ?? [4, 17]
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo <= hi && lo >= 4 && hi <= 23)) {
      throw new RangeError(`ageRange must be whole years within 4–23, got ${lo}–${hi}`)
    }
    const age = this.random.int(lo, hi)
    const level: SchoolLevel =
      age <= 11
        ? this.random.weighted([
            ["PO", 95],
            ["SO", 5],
          ])
        : age === 12
          ? this.random.weighted([
              ["PO", 40],
              ["VO", 55],
              ["VSO", 5],
            ])
          : age <= 15
            ? this.random.weighted([
                ["VO", 92],
                ["VSO", 8],
              ])
            : age <= 17
              ? this.random.weighted([
                  ["VO", 60],
                  ["MBO", 35],
                  ["VSO", 5],
                ])
              : age === 18
                ? this.random.weighted([
                    ["VO", 15],
                    ["MBO", 85],
                  ])
                : "MBO"
    return { age, level }
  }

  /** A birth date at which the pupil is exactly `age` on `on`. */
  private birthDate(age: number, on: LocalDate.LocalDate): LocalDate.LocalDate {
    const latest = LocalDate.addYears(on, -age)
    const earliest = plusDays(LocalDate.addYears(on, -(age + 1)), 1)
    return plusDays(earliest, this.random.int(0, LocalDate.daysBetween(earliest, latest)))
  }

  private grade(level: SchoolLevel, age: number): number | undefined {
    switch (level) {
      case "PO":
        return clamp(age - 3, 1, 8)
      case "VO":
        return clamp(age - 11, 1, 6)
      case "MBO":
        return clamp(age - 15, 1, 4)
      default:
        return undefined
    }
  }

  /** A pupil as a referrer describes them: synthetic name, birth date fitting the level, school. */
  pupilDetails(options: PupilOptions = {}): PupilDetails {
    return this.pupilWithBackground(options).details
  }

  /** A stored pupil: {@link pupilDetails} with an id. */
  pupil(options: PupilOptions = {}): Pupil {
    return { id: this.id("pupil") as PupilId, ...this.pupilDetails(options) }
  }

  private pupilWithBackground(options: PupilOptions): {
    readonly details: PupilDetails
    readonly background: Background
    readonly family: FamilyName
  } {
    const on = options.on ?? this.on
    const regionId = options.regionId ?? this.pickRegion()
    const { age, level } = this.ageAndLevel(options)
    const background = this.background()
    const set = names[background]
    const sex = options.sex ?? (this.random.chance(0.5) ? "jongen" : "meisje")
    const givenName = this.random.pick(sex === "jongen" ? set.boys : set.girls)
    // Mostly a family name of the same background; mixed families too.
    const family = this.random.pick(this.random.chance(0.9) ? set.families : names.nederlands.families)
    const birthDate = this.birthDate(age, on)
    const personNumber = this.personNumber(
      options.personNumber ??
        this.random.weighted<PersonNumberKind>([
          ["none", 80],
          ["bsn", 15],
          ["onderwijsnummer", 5],
        ]),
    )
    let enrolment: Enrolment | undefined
    if (options.enrolled !== false) {
      const school = options.school ?? this.school(regionId, level)
      const grade = this.grade(level, age)
      enrolment = {
        schoolId: school.id,
        schoolName: school.name,
        level,
        ...(grade === undefined ? {} : { grade }),
      }
    }
    const details: PupilDetails = {
      name:
        family.prefix === undefined
          ? { givenName, familyName: family.name }
          : { givenName, prefix: family.prefix, familyName: family.name },
      birthDate,
      ...(enrolment === undefined ? {} : { enrolment }),
      ...(personNumber === undefined ? {} : { personNumber }),
    }
    return { details, background, family }
  }

  private parents(background: Background, family: FamilyName): Array<Parent> {
    const set = names[background]
    const kind = this.random.weighted<"both" | "mother" | "father" | "guardian">([
      ["both", 60],
      ["mother", 28],
      ["father", 7],
      ["guardian", 5],
    ])
    const withEmail = (parent: Parent): Parent =>
      this.random.chance(0.3)
        ? {
            ...parent,
            email: `${asciiSlug(parent.name.split(" ")[0] ?? "ouder")}.${asciiSlug(family.name)}@mail.example`,
          }
        : parent
    const mother = (): Parent =>
      withEmail({
        name: fullName(
          this.random.pick(set.women),
          this.random.chance(0.5) ? family : this.random.pick(set.families),
        ),
        relation: "moeder",
        hasParentalAuthority: true,
      })
    const father = (): Parent =>
      withEmail({
        name: fullName(this.random.pick(set.men), family),
        relation: "vader",
        hasParentalAuthority: this.random.chance(0.95),
      })
    switch (kind) {
      case "both":
        return [mother(), father()]
      case "mother":
        return [mother()]
      case "father":
        return [father()]
      case "guardian":
        return [
          {
            name: this.adultName(),
            relation: this.random.pick(["voogd", "pleegouder"] as const),
            hasParentalAuthority: true,
          },
        ]
    }
  }

  // ------------------------------------------------------------------ absence

  /**
   * Absence records from `from` to `to` (both included) for a profile: one record at most per
   * school day (Monday–Friday, outside holidays when `calendars` are given), in date order.
   *
   * - `regulier`: now and then sick, an appointment, late;
   * - `grijs`: often sick (mostly Monday and Friday), appointments, late — all authorised;
   * - `spijbelaar`: unauthorised hours and whole days, often late;
   * - `ziek`: frequent sick episodes of one to four days;
   * - `langdurig`: from `since` every school day absent (unauthorised, or accepted as sick);
   * - `luxe`: one block of two to five days of luxe verzuim before a weekend or holiday.
   */
  absenceRecords(options: AbsenceOptions): Array<AbsenceRecord> {
    return absenceRecords(this.random, options)
  }

  // ------------------------------------------------------------------ referrals

  private consent(
    birthDate: LocalDate.LocalDate,
    on: LocalDate.LocalDate,
    parents: ReadonlyArray<Parent>,
  ): ConsentRecord {
    const method = (): ConsentMethod =>
      this.random.weighted<ConsentMethod>([
        ["schriftelijk", 40],
        ["digitaal", 40],
        ["mondeling", 20],
      ])
    const purposes: readonly [ConsentPurpose, ...Array<ConsentPurpose>] = this.random.chance(0.7)
      ? ["aanmelding", "gegevensuitwisseling"]
      : ["aanmelding"]
    const givenOn = plusDays(on, -this.random.int(0, 10))
    // Referral forms of Er op Af and SWV Amstelland en de Meerlanden: under 16 the parents consent; from 16 the pupil does and the parents are told.
    if (ageOn(birthDate, on) >= 16) {
      const consent: ConsentGiven = {
        subject: "leerling",
        givenBy: "leerling",
        givenOn,
        purposes,
        method: method(),
      }
      return { consents: [consent], parentsInformedOn: plusDays(on, -this.random.int(0, 7)) }
    }
    const consent: ConsentGiven = {
      subject: "ouders",
      givenBy: parents[0]?.relation ?? "ouder",
      givenOn,
      purposes,
      method: method(),
    }
    return { consents: [consent] }
  }

  /**
   * What a referrer submits: a synthetic pupil of the region, the referrer, the parents, reasons,
   * absence records of the verzuim kind over the weeks before `on`, and consent that fits the
   * pupil's age (under 16 the parents consent; from 16 the pupil, with the parents informed).
   */
  referralSubmission(options: ReferralOptions = {}): ReferralSubmission {
    const regionId = toRegionId(options.regionId ?? this.pickRegion())
    const sampleRegion: SampleRegionId = isSampleRegion(regionId) ? regionId : "leidschendam-voorburg"
    const profile = this.profile(regionId)
    const directory = this.directory(regionId)
    const on = options.on ?? this.on
    const verzuimKind = options.verzuimKind ?? this.random.weighted(kindWeights[sampleRegion])
    const enrolled = verzuimKind !== "absoluut"
    const ageRange = options.ageRange ?? (options.level === undefined ? kindAgeRange[verzuimKind] : undefined)
    const {
      details: pupil,
      background,
      family,
    } = this.pupilWithBackground({
      on,
      regionId,
      enrolled,
      ...(options.level === undefined ? {} : { level: options.level }),
      ...(ageRange === undefined ? {} : { ageRange }),
      ...(options.personNumber === undefined ? {} : { personNumber: options.personNumber }),
    })
    let role = options.referrerRole ?? this.random.weighted(referrerWeights[sampleRegion])
    // A pupil without a school is referred by leerplicht, not by a school.
    if (pupil.enrolment === undefined && schoolRoles.has(role)) role = "leerplichtambtenaar"
    const organisation: Organisation =
      schoolRoles.has(role) && pupil.enrolment !== undefined
        ? (directory.schools[pupil.enrolment.level].find((s) => s.id === pupil.enrolment?.schoolId) ??
          this.organisation("school", regionId))
        : this.organisation(organisationKindOfRole[role], regionId)
    const person = this.staff(role, regionId, organisation.id)
    const referrer: Referrer = {
      role,
      name: person.name,
      organisationId: organisation.id,
      ...(this.random.chance(0.8) ? { email: this.email(person.name, organisation) } : {}),
    }
    const parents = this.parents(background, family)

    const { main, extra } = reasonsByKind[verzuimKind]
    const reasons: [ReferralReason, ...Array<ReferralReason>] = [
      main,
      ...this.random.sample(extra, this.random.int(0, Math.min(2, extra.length))),
    ]

    // At most a year of records: 5 a week stays far below the 400 a referral may carry.
    const weeks = clamp(Math.floor(options.absenceWeeks ?? 12), 0, 52)
    const absenceProfile = profileOfKind[verzuimKind]
    const to = plusDays(on, -1)
    const from = plusDays(on, -weeks * 7)
    const homeSince =
      verzuimKind === "langdurig" || verzuimKind === "absoluut"
        ? plusDays(on, -this.random.int(35, 200))
        : undefined
    const records =
      weeks > 0 && absenceProfile !== undefined && pupil.enrolment !== undefined
        ? this.absenceRecords({
            from: homeSince !== undefined && homeSince > from ? plusDays(homeSince, -14) : from,
            to,
            profile: absenceProfile,
            level: pupil.enrolment.level,
            calendars: calendarsOf(profile),
            ...(homeSince === undefined ? {} : { since: homeSince }),
            ...(pupil.enrolment.level === "VO" && this.random.chance(0.2)
              ? { unit: "lessons" as const }
              : {}),
          })
        : []
    const last4Weeks = plusDays(on, -28)
    const last12Weeks = plusDays(on, -84)
    let unauthorisedHours = 0
    for (const r of records) {
      if (r.authorised || r.date < last4Weeks) continue
      unauthorisedHours +=
        r.amount.unit === "hours" ? r.amount.value : (r.amount.value * LESSON_MINUTES_FOR_SUMMARY) / 60
    }
    const sickReports = sickEpisodeStarts(records).filter((r) => r.date >= last12Weeks).length
    const since = homeSince ?? records[0]?.date

    const situation = this.random.chance(0.7) ? this.random.pick(situationTexts[verzuimKind]) : undefined
    const helpAlreadyTried = this.random.chance(0.6) ? this.random.pick(helpAlreadyTriedTexts) : undefined
    return {
      regionId,
      referrer,
      pupil,
      parents,
      reasons,
      verzuimKind,
      absence: {
        ...(since === undefined ? {} : { since }),
        ...(records.length === 0 && verzuimKind !== "relatief"
          ? {}
          : { unauthorisedHoursLast4Weeks: Math.min(200, Math.round(unauthorisedHours * 100) / 100) }),
        ...(verzuimKind === "ziekteverzuim" || verzuimKind === "grijs"
          ? { sickReportsLast12Weeks: Math.min(60, sickReports) }
          : {}),
        records,
        description: this.random.pick(absenceDescriptions[verzuimKind]),
      },
      consent: this.consent(pupil.birthDate, on, parents),
      ...(situation === undefined ? {} : { situation }),
      ...(helpAlreadyTried === undefined ? {} : { helpAlreadyTried }),
      extension: {},
    }
  }

  /** A referral as the system stores it: a submission with ids and `submittedAt`. */
  referral(options: StoredReferralOptions = {}): Referral {
    const on = options.on ?? this.on
    const submission = this.referralSubmission({ ...options, on })
    const submittedAt =
      options.submittedAt ??
      timestampOf(epochDayOf(on) * MS_PER_DAY + OFFICE_OPEN + this.random.int(0, 9 * 60) * MS_PER_MINUTE)
    return {
      ...submission,
      id: options.id ?? (this.id("ref") as ReferralId),
      pupil: { id: options.pupilId ?? (this.id("pupil") as PupilId), ...submission.pupil },
      submittedAt,
    }
  }

  // ------------------------------------------------------------------ case histories

  /**
   * A plausible, time-ordered case history that `Case.fold` accepts: ReferralReceived → contacts
   * with the referrer, the parents and the pupil → intake → home visit → consent for care → an MDO
   * (or, for long absence in Amstelland, a doorbraakoverleg with mandated participants) →
   * agreements → actions → intervention → attendance → evaluation → status changes, and when
   * closing, open work ended, maybe a handover, and CaseClosed.
   */
  caseHistory(options: CaseHistoryOptions = {}): CaseHistory {
    const caseId = options.caseId ?? this.caseId()
    const { start } = options
    const startsAt = start !== undefined && isTimestamp(start) ? start : undefined
    const startsOn: LocalDate.LocalDate | undefined =
      start === undefined
        ? undefined
        : startsAt === undefined
          ? (start as LocalDate.LocalDate)
          : dateOf(Math.floor(Date.parse(startsAt) / MS_PER_DAY))
    const referral =
      options.referral ??
      this.referral({
        on: startsOn ?? this.on,
        ...(options.regionId === undefined ? {} : { regionId: options.regionId }),
        ...(options.verzuimKind === undefined ? {} : { verzuimKind: options.verzuimKind }),
        ...(options.absenceWeeks === undefined ? {} : { absenceWeeks: options.absenceWeeks }),
        ...(startsAt === undefined ? {} : { submittedAt: startsAt }),
      })
    // The case opens when the referral is received: at `start` when it is an instant, otherwise
    // a little after the referral was submitted (or in office hours on `start` for a given referral).
    const startMs =
      startsAt !== undefined
        ? Date.parse(startsAt)
        : options.referral !== undefined && startsOn !== undefined
          ? epochDayOf(startsOn) * MS_PER_DAY + OFFICE_OPEN + this.random.int(0, 8 * 60) * MS_PER_MINUTE
          : Date.parse(referral.submittedAt) + this.random.int(5, 120) * MS_PER_MINUTE
    const close = options.close ?? this.random.chance(0.5)
    const events = new CaseCourse(this, referral, startMs, options, close).events
    return { caseId, referral, events: options.until === undefined ? events : seenOn(events, options.until) }
  }

  /**
   * Many case histories, one at a time (a generator function: nothing is kept), for loading a
   * store or a benchmark. Referrals arrive on working days between `from` and `to`.
   *
   * @example
   * let n = 0
   * for (const { caseId, events } of makeGenerator(1).cases(100_000, { absenceWeeks: 0 })) n += events.length
   */
  *cases(count: number, options: BulkCaseOptions = {}): Generator<CaseHistory, void, undefined> {
    const to = options.to ?? this.on
    const until = options.until ?? LocalDate.max(to, this.on)
    const from = options.from ?? plusDays(to, -365)
    const first = epochDayOf(from)
    const last = epochDayOf(to)
    if (last < first) throw new RangeError(`cases: from ${from} is after to ${to}`)
    const regions = options.regionIds ?? sampleRegionIds
    const closedShare = options.closedShare ?? 0.6
    const absenceWeeks = options.absenceWeeks ?? 8
    for (let i = 0; i < count; i++) {
      let day = this.random.int(first, last)
      // Referrals arrive on working days: a weekend moves to the Monday after, or to the Friday
      // before when the Monday lies after `to`.
      while (weekdayOf(day) >= 6) day++
      if (day > last) day -= weekdayOf(day) === 1 ? 3 : 0
      yield this.caseHistory({
        regionId: this.random.pick(regions),
        start: dateOf(day),
        close: this.random.chance(closedShare),
        absenceWeeks,
        until,
      })
    }
  }

  // ------------------------------------------------------------------ internals for CaseCourse

  /** @internal */
  regionOf(referral: Referral): SampleRegionId {
    return isSampleRegion(referral.regionId) ? referral.regionId : "leidschendam-voorburg"
  }

  /** @internal */
  newId<P extends "mtg" | "agr" | "act" | "int">(prefix: P): `${P}_${string}` {
    return this.id(prefix)
  }
}
