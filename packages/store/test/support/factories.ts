/**
 * Small, explicit event factories: each returns an event that its schema accepts (checked here,
 * so a factory bug fails loudly and not as a confusing store error). All people are synthetic.
 */
import { CaseEvent, Ids, type LocalDate, type Timestamp } from "@verzuimregie/domain"
import { Schema } from "effect"
import type { AuditEntry } from "../../src/AuditLog.js"

type Event = CaseEvent.CaseEvent
const check = Schema.decodeUnknownSync(CaseEvent.CaseEvent)
const valid = <E extends Event>(event: E): E => {
  check(event)
  return event
}

export const region = (slug: string) => slug as Ids.RegionId
export const WESTLAND = region("westland")
export const LV = region("leidschendam-voorburg")
export const AMSTELLAND = region("amstelland")

export const ts = (iso: string) => iso as Timestamp.Timestamp
export const day = (iso: string) => iso as LocalDate.LocalDate

/** A fixed, reusable id (tests compare on it). */
export const orgId = (name: string) => Ids.OrganisationId.make(`org_${name.padEnd(10, "0")}`)
export const userId = (name: string) => Ids.UserId.make(`user_${name.padEnd(10, "0")}`)

export const WORKER = {
  name: "Sanne Verzuimwerker",
  role: "smw-verzuim" as const,
  organisationId: orgId("smw"),
  userId: userId("sanne"),
}

export const staff = (user: string) => ({
  name: `Medewerker ${user}`,
  role: "smw-verzuim" as const,
  organisationId: orgId("smw"),
  userId: userId(user),
})

export interface ReferralOptions {
  readonly regionId?: Ids.RegionId
  readonly at?: Timestamp.Timestamp
  readonly school?: Ids.OrganisationId | null
  readonly referrer?: Ids.OrganisationId
  readonly submittedBy?: Ids.UserId
  readonly initialStatus?: string
}

export const referralReceived = (options: ReferralOptions = {}): CaseEvent.EventOf<"ReferralReceived"> => {
  const at = options.at ?? ts("2026-09-01T08:00:00.000Z")
  const school = options.school === undefined ? orgId("school1") : options.school
  return valid({
    _tag: "ReferralReceived",
    at,
    by: WORKER,
    initialStatus: options.initialStatus ?? "aangemeld",
    referral: {
      id: Ids.newId.referral(),
      regionId: options.regionId ?? WESTLAND,
      submittedAt: at,
      ...(options.submittedBy === undefined ? {} : { submittedBy: options.submittedBy }),
      referrer: {
        role: "mentor",
        name: "Mentor de Vries",
        organisationId: options.referrer ?? orgId("school1"),
      },
      pupil: {
        id: Ids.newId.pupil(),
        name: { givenName: "Test", familyName: "Leerling" },
        birthDate: day("2012-05-01"),
        ...(school === null
          ? {}
          : { enrolment: { schoolId: school, schoolName: "Testschool", level: "VO" as const } }),
      },
      parents: [],
      reasons: ["ongeoorloofd-verzuim"],
      verzuimKind: "relatief",
      absence: { records: [] },
      consent: { consents: [] },
      extension: {},
    },
  })
}

export const contact = (at: Timestamp.Timestamp): Event =>
  valid({
    _tag: "ContactLogged",
    at,
    by: WORKER,
    on: day(at.slice(0, 10)),
    with: "ouder",
    channel: "telefoon",
  })

export const intake = (at: Timestamp.Timestamp, regiehouder = WORKER): Event =>
  valid({ _tag: "IntakeCompleted", at, by: WORKER, on: day(at.slice(0, 10)), regiehouder })

export const assignRegiehouder = (at: Timestamp.Timestamp, regiehouder = WORKER): Event =>
  valid({ _tag: "RegiehouderAssigned", at, by: WORKER, regiehouder })

export const actionAssigned = (
  at: Timestamp.Timestamp,
  dueOn: string,
  options: { readonly id?: Ids.ActionId; readonly owner?: ReturnType<typeof staff> } = {},
): CaseEvent.EventOf<"ActionAssigned"> =>
  valid({
    _tag: "ActionAssigned",
    at,
    by: WORKER,
    action: {
      id: options.id ?? Ids.newId.action(),
      description: "Gesprek met ouders plannen",
      owner: options.owner ?? WORKER,
      dueOn: day(dueOn),
    },
  })

export const actionCompleted = (at: Timestamp.Timestamp, actionId: Ids.ActionId): Event =>
  valid({ _tag: "ActionCompleted", at, by: WORKER, actionId, on: day(at.slice(0, 10)) })

export const attendance = (
  at: Timestamp.Timestamp,
  situation: "naar-school" | "gedeeltelijk-naar-school" | "thuiszittend" | "niet-ingeschreven",
  since: string,
  fittingOffer = false,
): Event => valid({ _tag: "AttendanceRecorded", at, by: WORKER, situation, since: day(since), fittingOffer })

export const statusChanged = (at: Timestamp.Timestamp, from: string, to: string): Event =>
  valid({ _tag: "StatusChanged", at, by: WORKER, from, to })

export const closed = (at: Timestamp.Timestamp): Event =>
  valid({
    _tag: "CaseClosed",
    at,
    by: WORKER,
    on: day(at.slice(0, 10)),
    outcome: { kind: "terug-naar-school" },
    finalStatus: "afgesloten",
  })

let requestCounter = 0
export const auditEntry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: userId("sanne"),
  organisationId: orgId("smw"),
  action: "update",
  recordType: "case",
  purpose: "casusregie",
  requestId: `req-${process.pid}-${++requestCounter}`,
  ...overrides,
})

/** Adds minutes to a timestamp. */
export const later = (at: Timestamp.Timestamp, minutes: number): Timestamp.Timestamp =>
  new Date(Date.parse(at) + minutes * 60_000).toISOString() as Timestamp.Timestamp
