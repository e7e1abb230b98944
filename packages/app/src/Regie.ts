/**
 * Who may hold the regie of a case, and who may move it. The regiehouder is a user of the case's
 * region who may hold cases (a case-worker or coordinator with an active person account); the
 * events that name one carry the account's name, party role and organisation, whatever the
 * caller typed. Moving the regie (`RegiehouderChanged`) is for a coordinator, or for the current
 * regiehouder handing over.
 */
import { type Case, type CaseEvent, Errors, type Ids, type Party } from "@verzuimregie/domain"
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
 * The regiehouder reference for `userId` in `regionId`, from the account: fails with a
 * `ValidationError` on `path` when the user does not exist, is not active, is not staff of the
 * region or may not hold cases.
 */
export const regiehouderFor = (
  userId: Ids.UserId,
  regionId: Ids.RegionId,
  path = "event.regiehouder.userId",
): Effect.Effect<Party.RegiehouderRef, Errors.ValidationError | AccountReadError, Accounts.Accounts> =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const found = yield* accounts.user(userId)
    // One answer for "no such user" and "not in this region": the id reveals nobody elsewhere.
    if (Option.isNone(found) || !found.value.regions.includes(regionId)) {
      return yield* invalid(path, "geen medewerker van de regio van deze casus")
    }
    const user = found.value
    if (!user.active) return yield* invalid(path, "dit account is niet actief")
    if (user.kind !== "person" || !user.roles.some((r) => REGIE_ROLES.includes(r))) {
      return yield* invalid(path, "deze medewerker kan geen casussen voeren (casusregisseur of coördinator)")
    }
    return { name: user.name, role: user.partyRole, organisationId: user.organisationId, userId: user.id }
  })

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
