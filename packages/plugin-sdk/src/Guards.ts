/**
 * Guards that regional workflows share, each with the Dutch reason it gives when not met. A
 * plug-in composes its transitions from these and adds its own where its way of working differs.
 *
 * @since 0.1.0
 */
import { Case, CaseParts, Consent, ConsentRequirement, type LocalDate, Party } from "@verzuimregie/domain"
import type { CaseContext, Guard } from "./Plugin.js"

/** Builds a guard from what it requires and its check. */
export const guard = <S = unknown>(
  requires: string,
  check: (ctx: CaseContext<S>) => string | undefined,
): Guard<S> => ({
  requires,
  check,
})

/** The domain's labels, inside a sentence: one wording for the guards and every other view. */
const nameOf = Party.partyRoleInSentence
const meetingName = CaseParts.meetingKindInSentence

/** A regiehouder is assigned (at intake or later). */
export const hasRegiehouder = <S>(): Guard<S> =>
  guard("er is een regiehouder", ({ state }) =>
    state.regiehouder === undefined ? "nog geen regiehouder" : undefined,
  )

export const intakeDone = <S>(): Guard<S> =>
  guard("de intake is gedaan", ({ state }) =>
    state.intakeOn === undefined ? "intake nog niet gedaan" : undefined,
  )

/** Contact was logged with each role (the referrer counts by their referral role). */
export const contactWith = <S>(roles: ReadonlyArray<Party.PartyRole | "aanmelder">): Guard<S> =>
  guard(
    `contact gehad met ${roles.map((r) => (r === "aanmelder" ? "aanmelder" : nameOf(r))).join(", ")}`,
    ({ state }) => {
      const missing = roles.filter((role) => {
        const actual = role === "aanmelder" ? state.referral.referrer.role : role
        return Case.firstContactOn(state, actual) === undefined
      })
      return missing.length === 0
        ? undefined
        : `nog geen contact met ${missing.map((r) => (r === "aanmelder" ? "aanmelder" : nameOf(r))).join(", ")}`
    },
  )

export const homeVisitDone = <S>(): Guard<S> =>
  guard("er is een huisbezoek gedaan", ({ state }) =>
    state.homeVisits.length === 0 ? "nog geen huisbezoek gedaan" : undefined,
  )

/**
 * The consents currently given by one of `by` for `purpose`: given on or before `on` and not
 * withdrawn by then (AVG art. 7 lid 3: a withdrawn consent no longer counts). Every guard and
 * check on consent goes through this, never through the raw list of consents, which keeps the
 * withdrawn ones for the record.
 *
 * @example
 * currentConsent(state.consent, ["ouders", "leerling"], "aanmelding", on).length > 0
 */
export const currentConsent = (
  record: Consent.ConsentRecord,
  by: ReadonlyArray<Consent.ConsentSubject>,
  purpose: Consent.ConsentPurpose,
  on: LocalDate.LocalDate,
): ReadonlyArray<Consent.ConsentGiven> =>
  Consent.activeConsents(record, purpose, on).filter((c) => by.includes(c.subject))

/** One of `by` currently consents to `purpose` (default: the referral), whatever the pupil's age. */
export const consentGiven = <S>(
  by: ReadonlyArray<Consent.ConsentSubject>,
  purpose: Consent.ConsentPurpose = "aanmelding",
): Guard<S> => {
  const who = by.map((s) => Consent.consentSubjectLabel[s]).join(" en/of ")
  return guard(`toestemming van ${who} is gegeven en niet ingetrokken`, ({ state, on }) =>
    currentConsent(state.consent, by, purpose, on).length > 0
      ? undefined
      : `geen geldende toestemming van ${who} (niet vastgelegd of ingetrokken)`,
  )
}

/** The consent the pupil's age requires on the day is in the case file (referral or later). */
export const consentInOrder = <S>(policy: ConsentRequirement.ConsentPolicy = "referral"): Guard<S> =>
  guard("toestemming is in orde voor de leeftijd van de leerling", ({ state, on }) => {
    const requirement = ConsentRequirement.consentRequirement(state.referral.pupil.birthDate, on, policy)
    const missing = ConsentRequirement.missingConsentOn(requirement, state.consent, on)
    return missing.length === 0 ? undefined : missing.map((m) => m.reason).join("; ")
  })

export const parentsInformed = <S>(): Guard<S> =>
  guard("ouders zijn geïnformeerd", ({ state, on }) =>
    state.consent.parentsInformedOn === undefined || state.consent.parentsInformedOn > on
      ? "ouders nog niet geïnformeerd"
      : undefined,
  )

const meetingsOf = (ctx: CaseContext<unknown>, kind: CaseParts.MeetingKind) =>
  ctx.state.meetings.filter((m) => m.kind === kind)

/** A meeting of this kind was held, with its report (verslag) filed. */
export const meetingWithReport = <S>(kind: CaseParts.MeetingKind): Guard<S> =>
  guard(`er is een ${meetingName(kind)} gehouden met verslag`, (ctx) => {
    const held = meetingsOf(ctx as CaseContext<unknown>, kind)
    if (held.length === 0) return `geen ${meetingName(kind)} gehouden`
    return held.some((m) => m.reportFiled) ? undefined : `geen verslag van ${meetingName(kind)}`
  })

/**
 * A doorbraakoverleg where each institution sent a mandated person with doorzettingsmacht. Each
 * entry lists the roles that represent one institution (GGD: jeugdarts or jeugdverpleegkundige).
 */
export const mandatedAttendance = <S>(
  kind: CaseParts.MeetingKind,
  institutions: ReadonlyArray<{ readonly name: string; readonly roles: ReadonlyArray<Party.PartyRole> }>,
): Guard<S> =>
  guard(
    `aan het ${meetingName(kind)} nam een gemandateerde deel van: ${institutions.map((i) => i.name).join(", ")}`,
    (ctx) => {
      const held = meetingsOf(ctx as CaseContext<unknown>, kind)
      if (held.length === 0) return `geen ${meetingName(kind)} gehouden`
      const best = held.map((m) =>
        institutions.filter((i) => !m.participants.some((p) => p.mandated && i.roles.includes(p.role))),
      )
      const fewest = best.reduce((a, b) => (b.length < a.length ? b : a))
      return fewest.length === 0
        ? undefined
        : `geen gemandateerde met doorzettingsmacht van ${fewest.map((i) => i.name).join(", ")}`
    },
  )

/** Every agreement made in meetings of this kind has been turned into at least one action. */
export const agreementsHaveActions = <S>(kind: CaseParts.MeetingKind): Guard<S> =>
  guard(`elke afspraak uit het ${meetingName(kind)} is omgezet in een actie`, (ctx) => {
    const meetingIds = new Set(meetingsOf(ctx as CaseContext<unknown>, kind).map((m) => m.id))
    const agreements = ctx.state.agreements.filter(
      (a) => a.meetingId !== undefined && meetingIds.has(a.meetingId),
    )
    if (agreements.length === 0) return `geen afspraken uit het ${meetingName(kind)} vastgelegd`
    const without = agreements.filter((a) => !ctx.state.actions.some((act) => act.agreementId === a.id))
    return without.length === 0 ? undefined : `${without.length} afspraak/afspraken zonder actie`
  })

export const hasActions = <S>(): Guard<S> =>
  guard("er zijn acties uitgezet met eigenaar en termijn", ({ state }) =>
    state.actions.length === 0 ? "nog geen acties uitgezet" : undefined,
  )

export const noOpenActions = <S>(): Guard<S> =>
  guard("alle acties zijn afgerond of vervallen", ({ state }) => {
    const open = Case.openActions(state).length
    return open === 0 ? undefined : `${open} actie(s) staan nog open`
  })

/** The reason a step is refused while interventions run; undefined when none runs. */
export const runningInterventionsReason = (state: Case.CaseState): string | undefined => {
  const running = Case.runningInterventions(state).length
  return running === 0 ? undefined : `${running} interventie(s) lopen nog; beëindig ze eerst`
}

export const noRunningInterventions = <S>(): Guard<S> =>
  guard("er lopen geen interventies meer", ({ state }) => runningInterventionsReason(state))

/** The pupil goes to school (fully or partly, per the list), as last recorded. */
export const attendanceIs = <S>(
  situations: ReadonlyArray<CaseParts.AttendanceSituation>,
  label: string,
): Guard<S> =>
  guard(label, ({ state }) =>
    state.attendance !== undefined && situations.includes(state.attendance.situation)
      ? undefined
      : `schoolgang is nog niet vastgelegd als: ${situations
          .map((s) => CaseParts.attendanceSituationLabel[s].toLowerCase())
          .join(" of ")}`,
  )

/** Regie is placed with another party and the referrer has been told. */
export const handedOverAndReferrerInformed = <S>(): Guard<S> =>
  guard("overdracht vastgelegd en aanmelder geïnformeerd", ({ state }) => {
    const last = state.handovers[state.handovers.length - 1]
    if (last === undefined) return "geen overdracht vastgelegd"
    return last.referrerInformedOn === undefined
      ? "aanmelder nog niet geïnformeerd over de overdracht"
      : undefined
  })

/** At least one intervention from the help catalogue was started. */
export const interventionStarted = <S>(): Guard<S> =>
  guard("er is hulp ingezet", ({ state }) =>
    state.interventions.length === 0 ? "nog geen hulp ingezet" : undefined,
  )
