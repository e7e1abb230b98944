/**
 * The admin command line's audit identity: every command writes audit records like the API does,
 * with the command line as actor, the kind `cli` and the operating-system user in the context
 * (`cli:token-create:os-jansen`), and one request id per run. The account commands run the same
 * use cases as the API (`Admin`), as the `caller` of this run: an installation admin, door `cli`.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { userInfo } from "node:os"
import { Admin, AuditTrail, type CurrentPrincipal, SystemPrincipals } from "@verzuimregie/app"
import type { Ids } from "@verzuimregie/domain"
import type { AuditLog } from "@verzuimregie/store"

/** The audit log's identity of the command line: the system user the records of `cliAudit` name. */
export const CLI_ACTOR = SystemPrincipals.COMMAND_LINE

/** The operating-system user running this command, as a context code (`os-jansen`). */
const osUser = (): string => {
  let name: string
  try {
    name = userInfo().username
  } catch {
    name = process.env.USER ?? process.env.LOGNAME ?? "onbekend"
  }
  return AuditTrail.auditContext(`os-${name}`)
}

export interface CliAudit {
  readonly requestId: string
  /** `cli:<command>:os-<user>[:<detail>]`. */
  readonly context: (detail?: string) => string
  /** Account records: one per region of the user concerned (`Admin.accountAudit`). */
  readonly entries: (
    action: AuditLog.AuditAction,
    record: { readonly type: string; readonly id?: string | undefined },
    target: { readonly regions: ReadonlyArray<Ids.RegionId> },
    detail?: string,
  ) => ReadonlyArray<AuditLog.AuditEntry>
  /**
   * The command line as the caller of a use case: whoever may run this command on the database
   * holds the installation (an installation admin without regions of their own), door `cli`.
   */
  readonly caller: CurrentPrincipal.Caller
}

/** The audit records of one run of `command` (for example `token create`). */
export const cliAudit = (command: string): CliAudit => {
  const requestId = `cli:${randomBytes(9).toString("base64url")}`
  const who = osUser()
  const origin = `cli:${command.trim().replace(/\s+/g, "-")}:${who}`
  const context = (detail?: string) =>
    AuditTrail.auditContext(`${origin}${detail === undefined ? "" : `:${detail}`}`)
  return {
    requestId,
    context,
    entries: (action, record, target, detail) =>
      Admin.accountAudit(CLI_ACTOR, requestId, action, record, target, context(detail)),
    caller: {
      principal: {
        ...CLI_ACTOR,
        name: "opdrachtregel",
        roles: ["admin"],
        regions: [],
        partyRole: "overig",
        tokenId: "cli",
        installationAdmin: true,
      },
      door: "cli",
      requestId,
      purpose: Admin.ACCOUNT_PURPOSE,
      origin,
    },
  }
}
