/**
 * Synthetic cases for exercising a plug-in: a referral that the plug-in should accept, and the
 * case it opens. Used by the conformance suite; handy in a plug-in's own tests.
 *
 * @since 0.1.0
 */
import type { Access, CaseParts, SchoolCalendar } from "@verzuimregie/domain"
import {
  Case,
  type CaseEvent,
  Ids,
  LocalDate,
  type Party,
  type Referral,
  Timestamp,
} from "@verzuimregie/domain"
import { Either, Schema } from "effect"
import type { AnyRegionPlugin, RegionPlugin } from "./Plugin.js"
import { acceptEvent, type TransitionRefused, takeTransition } from "./Workflow.js"

export interface FixtureOptions {
  /** Reference date; the pupil's age is computed against it. */
  readonly on: LocalDate.LocalDate
  readonly age?: number
  readonly referrerRole?: Party.PartyRole
}

let pupils = 0

/**
 * A referral to the plug-in's region from its first allowed referrer, with consent in order. Each
 * call refers another pupil (the family name carries a counter), so that repeated referrals in a
 * test do not meet the region's rule for a pupil who already has an open case.
 */
export const referralFor = (
  plugin: AnyRegionPlugin,
  options: FixtureOptions,
): Referral.ReferralSubmission => {
  const birthDate = LocalDate.addDays(LocalDate.addYears(options.on, -(options.age ?? 13)), -40)
  const consentOn = LocalDate.addDays(options.on, -2)
  return {
    regionId: Ids.RegionId.make(plugin.manifest.id),
    referrer: {
      role: options.referrerRole ?? plugin.referral.referrerRoles[0] ?? "mentor",
      name: "Testaanmelder Synthetisch",
      organisationId: Ids.OrganisationId.make("org_fixtureschool01"),
    },
    pupil: {
      name: { givenName: "Testleerling", familyName: `Synthetisch ${++pupils}` },
      birthDate,
      enrolment: {
        schoolId: Ids.OrganisationId.make("org_fixtureschool01"),
        schoolName: "Fictieve School",
        level: "VO",
      },
    },
    parents: [],
    reasons: ["ongeoorloofd-verzuim"],
    verzuimKind: plugin.referral.verzuimKinds?.[0] ?? "relatief",
    absence: { since: LocalDate.addDays(options.on, -40), records: [] },
    consent: {
      consents: [
        {
          subject: "ouders",
          givenBy: "ouder",
          givenOn: consentOn,
          purposes: ["aanmelding"],
          method: "schriftelijk",
        },
        {
          subject: "leerling",
          givenBy: "leerling",
          givenOn: consentOn,
          purposes: ["aanmelding"],
          method: "mondeling",
        },
      ],
      parentsInformedOn: consentOn,
    },
    extension: plugin.referral.exampleExtension as Referral.ReferralSubmission["extension"],
  }
}

export const fixtureStaff: Party.StaffRef = { name: "Regiehouder Synthetisch", role: "smw-verzuim" }

/** A regiehouder as events name one: a user of the region. */
export const fixtureRegiehouder = (
  role: Party.PartyRole = "smw-verzuim",
  name = "Regiehouder Synthetisch",
  userId = Ids.UserId.make("user_fixture00000001"),
): Party.RegiehouderRef => ({ name, role, userId })

/** The first event of a case opened from a referral, in the plug-in's initial state. */
export const referralReceived = (
  plugin: AnyRegionPlugin,
  submission: Referral.ReferralSubmission,
  at: Timestamp.Timestamp,
): CaseEvent.EventOf<"ReferralReceived"> => ({
  _tag: "ReferralReceived",
  at,
  by: fixtureStaff,
  referral: {
    ...submission,
    id: Ids.ReferralId.make("ref_fixture000001"),
    pupil: { ...submission.pupil, id: Ids.PupilId.make("pupil_fixture00001") },
    submittedAt: at,
  },
  initialStatus: plugin.workflow.initial,
})

/** A freshly opened case of the plug-in on `on`. */
export const openCase = (plugin: AnyRegionPlugin, options: FixtureOptions): Case.CaseState => {
  const at = Timestamp.Timestamp.make(`${options.on}T08:00:00.000Z`)
  const events = [referralReceived(plugin, referralFor(plugin, options), at)]
  return Either.getOrThrow(Case.fold(Ids.CaseId.make("case_fixture000001"), events))
}

type WithoutMeta<E> = E extends unknown ? Omit<E, "at" | "by"> : never

/** A case event as a test writes it: who and when are filled in by the driver. */
export type EventInput = WithoutMeta<
  Exclude<
    CaseEvent.CaseEvent,
    { _tag: "ReferralReceived" | "ReferralLinked" | "StatusChanged" | "CaseClosed" }
  >
>

/**
 * Drives one case through a plug-in's workflow the way the gateway does: events are checked by the
 * plug-in and folded by the domain; transitions go through the plug-in's guards.
 *
 * @example
 * const drive = driveCase(plugin, { on })
 * drive.log({ _tag: "ParentsInformed", on })
 * drive.transition("start-kennismaking") // Either: the new state, or the refusal with reasons
 */
export interface CaseDriver {
  readonly state: Case.CaseState
  readonly tryLog: (input: EventInput) => Either.Either<Case.CaseState, string>
  readonly log: (input: EventInput) => Case.CaseState
  readonly transition: (
    transitionId: string,
    request?: TransitionInput,
  ) => Either.Either<Case.CaseState, TransitionRefused>
}

/** What a test passes with a transition: the role taking it, the outcome and the reason. */
export interface TransitionInput {
  readonly role?: Access.UserRole
  readonly outcome?: CaseParts.Outcome
  readonly reason?: string
}

export const driveCase = <S>(
  plugin: RegionPlugin<S>,
  options: FixtureOptions & { readonly settings?: S; readonly referral?: Referral.ReferralSubmission },
): CaseDriver => {
  const at = Timestamp.Timestamp.make(`${options.on}T08:00:00.000Z`)
  const settings = options.settings ?? Schema.decodeUnknownSync(plugin.settings)({})
  let state = Either.getOrThrow(
    Case.fold(Ids.CaseId.make("case_fixture000001"), [
      referralReceived(plugin, options.referral ?? referralFor(plugin, options), at),
    ]),
  )
  const context = () => ({ on: options.on, settings, calendars: [] as SchoolCalendar.Calendars, state })
  const meta = { at, by: fixtureStaff }
  const driver: CaseDriver = {
    get state() {
      return state
    },
    /** Logs an event; fails with the plug-in's or the domain's reason. */
    tryLog: (input: EventInput): Either.Either<Case.CaseState, string> => {
      const event = { ...meta, ...input } as CaseEvent.CaseEvent
      const accepted = acceptEvent(plugin, state, event, context())
      if (Either.isLeft(accepted)) return Either.left(accepted.left.reason)
      const next = Case.evolve(state, event)
      if (Either.isLeft(next)) return Either.left(next.left.reason)
      state = next.right
      return Either.right(state)
    },
    log(input: EventInput): Case.CaseState {
      const result = driver.tryLog(input)
      if (Either.isLeft(result)) throw new Error(`${input._tag} refused: ${result.left}`)
      return result.right
    },
    /** Takes a transition; the refusal carries the plug-in's reasons. */
    transition: (
      transitionId: string,
      request: TransitionInput = {},
    ): Either.Either<Case.CaseState, TransitionRefused> => {
      const event = takeTransition(
        plugin,
        {
          transitionId,
          role: request.role ?? "case-worker",
          ...meta,
          ...(request.outcome ? { outcome: request.outcome } : {}),
          ...(request.reason === undefined ? {} : { reason: request.reason }),
        },
        context(),
      )
      if (Either.isLeft(event)) return Either.left(event.left)
      state = Either.getOrThrow(Case.evolve(state, event.right))
      return Either.right(state)
    },
  }
  return driver
}
