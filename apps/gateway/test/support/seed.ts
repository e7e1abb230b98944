/** Synthetic case histories written straight into the store, for tests and benches. */
import { Case, type Ids, LocalDate } from "@verzuimregie/domain"
import { makeGenerator } from "@verzuimregie/domain/sample"
import { CaseStore } from "@verzuimregie/store"
import { Effect, Either } from "effect"

/**
 * Writes up to `count` generated histories of one region, each cut at `on` (what had happened by
 * then) and kept only when it still folds. Returns how many were written.
 */
export const seedSynthetic = (options: {
  readonly seed: number
  readonly regionId: string
  readonly on: LocalDate.LocalDate
  readonly count: number
  /** How far back referrals go. Default 200 days. */
  readonly days?: number
}) =>
  Effect.gen(function* () {
    const store = yield* CaseStore.CaseStore
    const { on } = options
    // A few more than asked: a history cut at `on` may no longer fold.
    const histories = makeGenerator(options.seed, { on }).cases(
      options.count + Math.ceil(options.count / 20),
      {
        regionIds: [options.regionId as never],
        from: LocalDate.addDays(on, -(options.days ?? 200)),
        to: LocalDate.addDays(on, -1),
        closedShare: 0.3,
        absenceWeeks: 0,
      },
    )
    let written = 0
    for (const h of histories) {
      if (written === options.count) break
      const events = h.events.filter((e) => e.at < `${on}T00:00:00.000Z`)
      const [first, ...rest] = events
      if (first?._tag !== "ReferralReceived" || Either.isLeft(Case.fold(h.caseId, events))) continue
      yield* store.create({
        caseId: h.caseId,
        referral: first,
        events: rest,
        regions: [options.regionId as Ids.RegionId],
      })
      written++
    }
    return written
  })
