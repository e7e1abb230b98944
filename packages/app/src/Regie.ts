/**
 * Who may hold the regie of a case, and who may move it. The regiehouder is a user of the case's
 * region who may hold cases (a case-worker or coordinator with an active person account); the
 * events that name one carry the account's name, party role and organisation, whatever the
 * caller typed. Moving the regie (`RegiehouderChanged`) is for a coordinator, or for the current
 * regiehouder handing over.
 */
import { type Case, type CaseEvent, type CaseParts, Errors, type Ids, type Party } from "@verzuimregie/domain"
import { Workflow } from "@verzuimregie/plugin-sdk"
import { Accounts } from "@verzuimregie/store"
import { Effect, Option } from "effect"

/** What reading an account can fail with (the database). */
type AccountReadError = Effect.Effect.Error<ReturnType<Accounts.Accounts["user"]>>

/** The user roles that may hold cases. */
export const REGIE_ROLES = Accounts.CASE_FILE_ROLES

const invalid = (path: string, message: string) =>
  new Errors.ValidationError({ subject: "event", issues: [{ path, message }] })

/**
 * A person account of `regionId` with one of `roles`, as a staff reference; a `ValidationError`
 * on `path` otherwise (`notCaseStaff` when the account may not work on cases).
 */
const caseStaffAccount = (
  userId: Ids.UserId,
  regionId: Ids.RegionId,
  path: string,
  roles: ReadonlyArray<string>,
  notCaseStaff: string,
) =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const found = yield* accounts.user(userId)
    // One answer for "no such user" and "not in this region": the id reveals nobody elsewhere.
    if (Option.isNone(found) || !found.value.regions.includes(regionId)) {
      return yield* invalid(path, "geen medewerker van de regio van deze casus")
    }
    const user = found.value
    if (!user.active) return yield* invalid(path, "dit account is niet actief")
    if (user.kind !== "person" || !user.roles.some((r) => roles.includes(r))) {
      return yield* invalid(path, notCaseStaff)
    }
    return { name: user.name, role: user.partyRole, organisationId: user.organisationId, userId: user.id }
  })

/**
 * The regiehouder reference for `userId` in `regionId`, from the account: fails with a
 * `ValidationError` on `path` when the user does not exist, is not active, is not staff of the
 * region or may not hold cases.
 */
export const regiehouderFor = (
  userId: Ids.UserId,
  regionId: Ids.RegionId,
  path = "event.regiehouder.userId",
): Effect.Effect<Party.RegiehouderRef, Errors.ValidationError | AccountReadError, Accounts.Accounts> =>
  caseStaffAccount(
    userId,
    regionId,
    path,
    REGIE_ROLES,
    "deze medewerker kan geen casussen voeren (casusregisseur of coördinator)",
  )

/** Why this caller may not move the regie of the case; undefined when they may. */
export const changeRefusedReason = (
  caller: { readonly userId: Ids.UserId; readonly roles: ReadonlyArray<string> },
  state: Case.CaseState,
): string | undefined =>
  caller.roles.includes("coordinator") || state.regiehouder?.userId === caller.userId
    ? undefined
    : "alleen een coördinator of de huidige regiehouder kan de regie overdragen"

/**
 * For an event that names a regiehouder (intake, first assignment, change): checks the named user
 * and, for a change, the caller's permission; returns the event with the account's reference.
 * Other events pass unchanged.
 */
export const checkRegiehouderEvent = (
  event: CaseEvent.CaseEvent,
  state: Case.CaseState,
  caller: { readonly userId: Ids.UserId; readonly roles: ReadonlyArray<string> },
  pluginId: string,
): Effect.Effect<
  CaseEvent.CaseEvent,
  Errors.ValidationError | Workflow.EventRefused | AccountReadError,
  Accounts.Accounts
> =>
  Effect.gen(function* () {
    if (
      event._tag !== "IntakeCompleted" &&
      event._tag !== "RegiehouderAssigned" &&
      event._tag !== "RegiehouderChanged"
    )
      return event
    if (event._tag === "RegiehouderChanged") {
      const refused = changeRefusedReason(caller, state)
      if (refused !== undefined)
        return yield* new Workflow.EventRefused({ pluginId, eventTag: event._tag, reason: refused })
    }
    const regiehouder = yield* regiehouderFor(event.regiehouder.userId, state.regionId)
    return { ...event, regiehouder }
  })

/**
 * The user roles an action owner or a meeting participant with an account may have: those who
 * may open the case file, so the owner can follow the link in their inbox. A referrer is never
 * one (a referrer only sees their own referrals).
 */
export const OWNER_ROLES = Accounts.CASE_FILE_ROLES

/**
 * The staff reference for `userId` in `regionId`, from the account: fails with a `ValidationError`
 * on `path` when the user does not exist, is not active, is not staff of the region or may not
 * work on cases (a referrer).
 */
export const staffFor = (
  userId: Ids.UserId,
  regionId: Ids.RegionId,
  path: string,
): Effect.Effect<
  Party.StaffRef & { readonly userId: Ids.UserId },
  Errors.ValidationError | AccountReadError,
  Accounts.Accounts
> =>
  caseStaffAccount(
    userId,
    regionId,
    path,
    OWNER_ROLES,
    "deze gebruiker werkt niet in casussen; kies een casusregisseur of coördinator, of vul naam en rol in zonder account",
  )

/**
 * For an event that names staff by account (an action's owner, a meeting's participants): checks
 * each named user and copies in the account's name, role and organisation. People without an
 * account (parents, outside professionals) pass as typed. Other events pass unchanged.
 */
export const checkStaffEvent = (
  event: CaseEvent.CaseEvent,
  regionId: Ids.RegionId,
): Effect.Effect<CaseEvent.CaseEvent, Errors.ValidationError | AccountReadError, Accounts.Accounts> =>
  Effect.gen(function* () {
    if (event._tag === "ActionAssigned") {
      const userId = event.action.owner.userId
      if (userId === undefined) return event
      const owner = yield* staffFor(userId, regionId, "event.action.owner.userId")
      return { ...event, action: { ...event.action, owner } }
    }
    if (event._tag === "MeetingHeld") {
      if (!event.meeting.participants.some((p) => p.userId !== undefined)) return event
      const issues: Array<{ path: string; message: string }> = []
      const participants: Array<CaseParts.Participant> = []
      for (const [i, p] of event.meeting.participants.entries()) {
        if (p.userId === undefined) {
          participants.push(p)
          continue
        }
        const checked = yield* Effect.either(
          staffFor(p.userId, regionId, `event.meeting.participants[${i}].userId`),
        )
        if (checked._tag === "Left") {
          if (checked.left._tag === "ValidationError") issues.push(...checked.left.issues)
          else return yield* Effect.fail(checked.left)
        } else participants.push({ ...checked.right, mandated: p.mandated })
      }
      const [first, ...rest] = issues
      if (first !== undefined)
        return yield* new Errors.ValidationError({ subject: "event", issues: [first, ...rest] })
      const [head, ...tail] = participants
      if (head === undefined) return event
      return { ...event, meeting: { ...event.meeting, participants: [head, ...tail] } }
    }
    return event
  })
