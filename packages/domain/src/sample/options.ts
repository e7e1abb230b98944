/**
 * The options and results of the sample generator, apart from the generator itself so that the
 * case course (`CaseCourse.ts`) depends on these and not on the generator.
 *
 * @since 0.3.0
 */
import type { CaseEvent, StatusId } from "../CaseEvent.js"
import type { CaseId, OrganisationId, PupilId, ReferralId, RegionId } from "../Ids.js"
import * as LocalDate from "../LocalDate.js"
import type { Organisation, OrganisationKind } from "../Organisation.js"
import type { PartyRole, StaffRef } from "../Party.js"
import type { SchoolLevel } from "../Pupil.js"
import type { Referral, VerzuimKind } from "../Referral.js"
import type { Region } from "../Region.js"
import type * as SchoolCalendar from "../SchoolCalendar.js"
import type { Timestamp } from "../Timestamp.js"
import type { SampleRegionId } from "./places.js"
import type { Random } from "./Random.js"

/** The reference date when none is given: a Monday in school year 2026/27. */
export const DEFAULT_ON: LocalDate.LocalDate = LocalDate.make("2026-11-02")

export type AbsenceProfile = "regulier" | "grijs" | "spijbelaar" | "langdurig" | "ziek" | "luxe"
export type PersonNumberKind = "none" | "bsn" | "onderwijsnummer"
export type Sex = "jongen" | "meisje"

export interface GeneratorOptions {
  /** Reference date for ages and referrals when a call gives none. Default {@link DEFAULT_ON}. */
  readonly on?: LocalDate.LocalDate
}

export interface PupilOptions {
  /** Date the age is measured on. Default: the generator's reference date. */
  readonly on?: LocalDate.LocalDate
  readonly level?: SchoolLevel
  /** Age in whole years on `on`, both ends included. */
  readonly ageRange?: readonly [number, number]
  readonly regionId?: SampleRegionId | RegionId
  /** The school to enrol in; default one of the region's synthetic schools of the level. */
  readonly school?: Organisation
  /** `false` for a pupil without enrolment (absoluut verzuim). Default true. */
  readonly enrolled?: boolean
  /** Default: mostly none (data minimisation), sometimes a BSN or an onderwijsnummer. */
  readonly personNumber?: PersonNumberKind
  readonly sex?: Sex
}

export interface AbsenceOptions {
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
  readonly profile: AbsenceProfile
  readonly level?: SchoolLevel
  /** Skip holidays and free days too; without calendars only weekends are skipped. */
  readonly calendars?: SchoolCalendar.Calendars
  readonly unit?: "hours" | "lessons"
  /** `langdurig`: first day at home. Default: a day in the first third of the range. */
  readonly since?: LocalDate.LocalDate
}

export interface ReferralOptions {
  readonly regionId?: SampleRegionId | RegionId
  /** Day of the referral. Default: the generator's reference date. */
  readonly on?: LocalDate.LocalDate
  readonly referrerRole?: PartyRole
  readonly ageRange?: readonly [number, number]
  readonly level?: SchoolLevel
  readonly verzuimKind?: VerzuimKind
  /** Weeks of absence records before `on`; 0 for none. Default 12. */
  readonly absenceWeeks?: number
  readonly personNumber?: PersonNumberKind
}

export interface StoredReferralOptions extends ReferralOptions {
  readonly id?: ReferralId
  readonly pupilId?: PupilId
  /** Default: office hours on `on`. */
  readonly submittedAt?: Timestamp
}

export interface CaseHistoryOptions {
  readonly caseId?: CaseId
  /** The referral that opens the case; default a new one for `regionId` on the start date. */
  readonly referral?: Referral
  readonly regionId?: SampleRegionId | RegionId
  /** When the referral arrives. Default: the referral's `submittedAt`, or the reference date. */
  readonly start?: LocalDate.LocalDate | Timestamp
  /**
   * Events after `ReferralReceived`, not counting the closing ones. Fewer than the full course
   * cut it short; more add monitoring rounds. Default: the full course when closing, a random
   * point in it otherwise.
   */
  readonly steps?: number
  /** End with `CaseClosed` (after ending open work). Default: a coin toss. */
  readonly close?: boolean
  /** Status of the new case. Default `aangemeld`. */
  readonly initialStatus?: StatusId
  /** The day the history is seen from: it stops before the first event after it. Default: none. */
  readonly until?: LocalDate.LocalDate
  readonly verzuimKind?: VerzuimKind
  readonly absenceWeeks?: number
}

export interface CaseHistory {
  readonly caseId: CaseId
  readonly referral: Referral
  /** Time-ordered (strictly increasing `at`), starting with `ReferralReceived`. */
  readonly events: ReadonlyArray<CaseEvent>
}

export interface BulkCaseOptions {
  readonly regionIds?: ReadonlyArray<SampleRegionId | RegionId>
  /** Referrals arrive on working days from `from` to `to`. Default: the 365 days up to the reference date. */
  readonly from?: LocalDate.LocalDate
  readonly to?: LocalDate.LocalDate
  /** Share of closed cases. Default 0.6. */
  readonly closedShare?: number
  /** Weeks of absence records per referral. Default 8; 0 leaves them out (about a third faster). */
  readonly absenceWeeks?: number
  /**
   * The day the histories are seen from ("today"): nothing in them happens after it, so a case
   * referred near it is still open. Default: the reference date, or `to` when that is later.
   */
  readonly until?: LocalDate.LocalDate
}

/** The organisations of one region, as the generator invents them. */
export interface RegionDirectory {
  readonly region: Region
  readonly schools: Readonly<Record<SchoolLevel, ReadonlyArray<Organisation>>>
  readonly organisations: ReadonlyMap<OrganisationKind, ReadonlyArray<Organisation>>
}

/**
 * What a case course asks of the generator: staff of a region, an organisation, and fresh ids.
 * The generator provides it; the course does not know the generator.
 */
export interface CourseServices {
  /** The stream the course draws from: the generator's own, so a seed gives the same course. */
  readonly random: Random
  regionOf(referral: Referral): SampleRegionId
  staff(role: PartyRole, regionId: SampleRegionId | RegionId, organisationId?: OrganisationId): StaffRef
  organisation(kind: OrganisationKind, regionId?: SampleRegionId | RegionId): Organisation
  newId<P extends "mtg" | "agr" | "act" | "int">(prefix: P): `${P}_${string}`
}
