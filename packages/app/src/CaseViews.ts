/**
 * How a case reads in a list or a status answer: the status with its region's Dutch label, and
 * the summary every working list shows. The same for every door.
 */
import { type Case, LocalDate, Pupil } from "@verzuimregie/domain"
import { Deadlines, type RegionConfig } from "@verzuimregie/plugin-sdk"

export interface StatusRef {
  readonly id: string
  readonly label: string
}

export const statusRef = (region: RegionConfig.EnabledRegion | undefined, status: string): StatusRef => ({
  id: status,
  label: region?.plugin.workflow.states.find((s) => s.id === status)?.label ?? status,
})

export const summary = (state: Case.CaseState, region: RegionConfig.EnabledRegion | undefined) => {
  const open = state.actions.filter((a) => a.status === "open")
  return {
    caseId: state.id,
    regionId: state.regionId,
    version: state.version,
    status: statusRef(region, state.status),
    openedAt: state.openedAt,
    lastEventAt: state.lastEventAt,
    school: state.referral.pupil.enrolment?.schoolName ?? null,
    regiehouder: state.regiehouder?.name ?? null,
    openActions: open.length,
    nextActionDue: open.reduce<Case.TrackedAction["dueOn"] | null>(
      (first, a) => (first === null || a.dueOn < first ? a.dueOn : first),
      null,
    ),
    attendance: state.attendance?.situation ?? null,
    closedOn: state.closed?.on ?? null,
  }
}

export type CaseSummary = ReturnType<typeof summary>

/** A deadline not yet met: the plug-in's, the national ones, or an open action's due date. */
export interface PendingDeadline {
  readonly label: string
  readonly dueOn: LocalDate.LocalDate
  readonly status: "verlopen" | "binnenkort" | "open"
}

const pendingStatus = (on: LocalDate.LocalDate, dueOn: LocalDate.LocalDate): PendingDeadline["status"] =>
  on > dueOn
    ? "verlopen"
    : LocalDate.daysBetween(on, dueOn) <= Deadlines.DUE_SOON_DAYS
      ? "binnenkort"
      : "open"

/** The earliest deadline of a case that is not met yet, on `on`; none when all are met. */
export const nextDeadline = (
  state: Case.CaseState,
  region: RegionConfig.EnabledRegion,
  on: LocalDate.LocalDate,
): PendingDeadline | null => {
  const ctx = { on, settings: region.settings, calendars: region.calendars, state }
  const pending: Array<PendingDeadline> = [
    ...Deadlines.deadlineChecks(region.plugin, ctx).flatMap((d) =>
      d.status === "verlopen" || d.status === "binnenkort" || d.status === "open"
        ? [{ label: d.label, dueOn: d.dueOn, status: d.status }]
        : [],
    ),
    ...state.actions
      .filter((a) => a.status === "open")
      .map((a) => ({ label: `Actie: ${a.description}`, dueOn: a.dueOn, status: pendingStatus(on, a.dueOn) })),
  ]
  return pending.reduce<PendingDeadline | null>(
    (first, d) => (first === null || d.dueOn < first.dueOn ? d : first),
    null,
  )
}

/**
 * A case as a working list shows it to the people who work it: the summary, the pupil's name (the
 * caller may see the case), days open, the next deadline and the national signals on `on`. Pure:
 * computed from the state alone, so a list of cases costs no query per row.
 *
 * The row of a state is kept with that state (a `WeakMap` keyed by the state object, for the
 * region and day it was computed for): the store hands out the same decoded state for the same
 * stored row (`stateCache`), so a werkvoorraad judges each case's deadlines once a day instead of
 * on every page view. Nothing outlives the state, and a row is only reached through a state the
 * caller's own authorised, audited read returned.
 */
export const workRow = (
  state: Case.CaseState,
  region: RegionConfig.EnabledRegion,
  on: LocalDate.LocalDate,
): WorkRow => {
  const kept = rows.get(state)
  if (kept !== undefined && kept.region === region && kept.on === on) return kept.row
  const row = computeWorkRow(state, region, on)
  rows.set(state, { region, on, row })
  return row
}

const computeWorkRow = (
  state: Case.CaseState,
  region: RegionConfig.EnabledRegion,
  on: LocalDate.LocalDate,
) => {
  const signals = Deadlines.attendanceSignals(state, on, region.thresholds, region.calendars)
  return {
    ...summary(state, region),
    pupil: { name: Pupil.displayName(state.referral.pupil.name), birthDate: state.referral.pupil.birthDate },
    schoolId: state.referral.pupil.enrolment?.schoolId ?? null,
    regiehouderId: state.regiehouder?.userId ?? null,
    daysOpen: Math.max(0, LocalDate.daysBetween(Deadlines.openedOn(state), on)),
    nextDeadline: nextDeadline(state, region, on),
    categorie: signals.categorie ?? null,
    pact:
      signals.pact === undefined || signals.pact.status === "ok"
        ? null
        : { status: signals.pact.status, limitDate: signals.pact.limitDate },
  }
}

export type WorkRow = ReturnType<typeof computeWorkRow>

const rows = new WeakMap<
  Case.CaseState,
  { readonly region: RegionConfig.EnabledRegion; readonly on: LocalDate.LocalDate; readonly row: WorkRow }
>()
