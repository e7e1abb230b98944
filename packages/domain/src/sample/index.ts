/**
 * @verzuimregie/domain/sample — deterministic synthetic data for tests, demos and benchmarks.
 *
 * Every person is synthetic: names are drawn independently from lists of common names, BSNs lie
 * in the BRP test range (99999xxxx), e-mail addresses end in `.example`. Never load this data
 * into a production store.
 *
 * @example
 * import { makeGenerator } from "@verzuimregie/domain/sample"
 * const sample = makeGenerator(2026)
 * const submission = sample.referralSubmission({ regionId: "westland", verzuimKind: "ziekteverzuim" })
 * const { caseId, events } = sample.caseHistory({ close: true })
 *
 * @since 0.1.0
 */
export { levelAgeRange, makeGenerator, SampleGenerator } from "./Generator.js"
export { type Background, backgroundWeights, type FamilyName, type NameSet, names } from "./names.js"
export {
  type AbsenceOptions,
  type AbsenceProfile,
  type BulkCaseOptions,
  type CaseHistory,
  type CaseHistoryOptions,
  DEFAULT_ON,
  type GeneratorOptions,
  type PersonNumberKind,
  type PupilOptions,
  type ReferralOptions,
  type RegionDirectory,
  type Sex,
  type StoredReferralOptions,
} from "./options.js"
export { type RegionProfile, regionProfiles, type SampleRegionId, sampleRegionIds } from "./places.js"
export { type PlantedOptions, type PlantedPupil, plantedPupils } from "./plantedAbsence.js"
export { Random } from "./Random.js"
