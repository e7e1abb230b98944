/**
 * How a case reads in a list or a status answer: the status with its region's Dutch label, and
 * the summary every working list shows. The same for every door.
 */
import type { Case } from "@verzuimregie/domain"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"

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
