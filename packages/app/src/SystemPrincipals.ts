/**
 * The principals that act without a person behind a request: the mail worker, which reads cases
 * to make the mail it sends (summaries, the Inspectie overview, handover notices), and the command
 * line. They hold no token and no role; the audit log names them by their system accounts, so a
 * coordinator reading the log sees that the system, not a colleague, read the region's cases.
 *
 * @since 0.1.0
 */
import { Ids } from "@verzuimregie/domain"
import type { Caller, Principal } from "./CurrentPrincipal.js"

/** The organisation of the installation's own system accounts. */
export const SYSTEM_ORGANISATION = Ids.OrganisationId.make("org_systeemverzuimregie")

/** Who the audit log names when mail reads cases (the `identity` option of `Mail.start` overrides). */
export const MAIL_WORKER = {
  userId: Ids.UserId.make("user_systeemverzuimregie"),
  organisationId: SYSTEM_ORGANISATION,
} as const

/** Who the audit log names for the command line (with the operating-system user in the context). */
export const COMMAND_LINE = {
  userId: Ids.UserId.make("user_opdrachtregel"),
  organisationId: SYSTEM_ORGANISATION,
} as const

/**
 * Who the audit log and the case timeline name when an absence import moves a linked case's
 * attendance (`Absence.importFile`): the import, not the school user who uploaded the file, decides
 * the event, so the timeline says the data did it.
 */
export const ABSENCE_IMPORT = {
  userId: Ids.UserId.make("user_verzuimimport"),
  organisationId: SYSTEM_ORGANISATION,
} as const

/** Who the audit log names for the gateway's housekeeping (the absence retention purge). */
export const HOUSEKEEPING = {
  userId: Ids.UserId.make("user_huishouding"),
  organisationId: SYSTEM_ORGANISATION,
} as const

const system = (
  identity: { readonly userId: Ids.UserId; readonly organisationId: Ids.OrganisationId },
  name: string,
  regions: ReadonlyArray<Ids.RegionId>,
): Principal => ({
  ...identity,
  name,
  // No role: a system principal reaches only what a use case gives it explicitly (its regions).
  roles: [],
  regions,
  partyRole: "overig",
  tokenId: "",
  installationAdmin: false,
})

/**
 * The mail worker handling one outbox message, for the regions it serves: the message id is the
 * request id, so the audit records of one mail can be found by its id.
 */
export const mailWorker = (input: {
  readonly messageId: string
  readonly regions: ReadonlyArray<Ids.RegionId>
  readonly identity?: { readonly userId: Ids.UserId; readonly organisationId: Ids.OrganisationId }
  readonly purpose?: string
}): Caller => ({
  principal: system(input.identity ?? MAIL_WORKER, "Mailworker verzuimregie", input.regions),
  door: "mail",
  requestId: input.messageId,
  purpose: input.purpose ?? "casusregie",
})

/** A command-line run (one request id per run, `cli:…`). */
export const commandLine = (input: {
  readonly requestId: string
  readonly regions: ReadonlyArray<Ids.RegionId>
  readonly purpose?: string
}): Caller => ({
  principal: system(COMMAND_LINE, "Opdrachtregel verzuimregie", input.regions),
  door: "cli",
  requestId: input.requestId,
  purpose: input.purpose ?? "casusregie",
})

/**
 * The absence import acting on the cases of a school's referred pupils after an import: the
 * request and door of the import it follows, so its records are found with the import's.
 */
export const absenceImport = (input: {
  readonly requestId: string
  readonly door: Caller["door"]
  readonly regions: ReadonlyArray<Ids.RegionId>
}): Caller => ({
  principal: system(ABSENCE_IMPORT, "Verzuimimport verzuimregie", input.regions),
  door: input.door,
  requestId: input.requestId,
  purpose: "casusregie",
})
