/**
 * What may leave the system by mail, as a type: the e-mailed workbooks (staff summary, Inspectie
 * overview) and the mail texts are built from `Safe` values only. A `Safe` text can only be made
 * by the constructors below, each of which names where its text comes from:
 *
 * - `caseRef`: a case id (random, meaningless outside verzuimregie); `pseudonym`: a pupil's
 *   Inspectie pseudonym (see `Pseudonym`);
 * - `label`: a fixed text of the code or the region's configuration (a status label, an outcome,
 *   a role, a category, the region's name, "ja"/"nee");
 * - `registered`: a name from the installation's registers (an organisation, a user account), which
 *   an administrator entered about a professional or a school, never typed into a case.
 *
 * Dates of the process, counts and booleans are allowed as they are. Nothing typed into a case is:
 * not a pupil's or parent's name, not a note, agreement, action description, meeting summary,
 * reason or referral field, and not the names typed into a case for professionals (an action's
 * owner, a regiehouder, who took over): a user may type a pupil's or parent's name there, with the
 * role `leerling` or `ouder`. Professionals appear by their registered account name when the case
 * links their account (`userId`), and otherwise by their role; schools by their registered name.
 *
 * @example
 * const who = MailSafe.staff(action.owner, registers) // "Leerplichtambtenaar" or "A. de Vries (Leerplichtambtenaar)"
 *
 * @since 0.1.0
 */
import { type LocalDate, Party } from "@verzuimregie/domain"

declare const SafeBrand: unique symbol

/** A text that may be mailed; made only by `caseRef`, `label` and `registered`. */
export type Safe = string & { readonly [SafeBrand]: true }

/** A cell or value that may be mailed. */
export type SafeValue = Safe | LocalDate.LocalDate | number | boolean | undefined

/** A case id: random and meaningless outside verzuimregie. */
export const caseRef = (caseId: string): Safe => caseId as Safe

/** A pupil's Inspectie pseudonym (`Pseudonym.make`): not computable or reversible without the key. */
export const pseudonym = (code: string): Safe => code as Safe

/** A fixed text of the code or of the region configuration (never a value typed into a case). */
export const label = (text: string): Safe => text as Safe

/** A name from the installation's registers of organisations and user accounts. */
export const registered = (name: string): Safe => name as Safe

/** Lookups into the installation's registers; a name unknown there is not shown. */
export interface Registers {
  /** The registered name of an organisation (a school), by organisation id. */
  readonly organisationName?: (organisationId: string) => string | undefined
  /** The registered name of a user account, by user id. */
  readonly userName?: (userId: string) => string | undefined
}

/** No registers: professionals by role, schools not named. */
export const NO_REGISTERS: Registers = {}

/** A professional's role as users read it: `Leerplichtambtenaar`, `Ouder / verzorger`. */
export const role = (partyRole: Party.PartyRole): Safe => label(Party.partyRoleLabel[partyRole])

/**
 * Who a staff reference is, as a mail may say it: the registered account name with the role when
 * the case links an account, otherwise the role alone. The name typed into the case is never used.
 */
export const staff = (ref: StaffLink, registers: Registers): Safe => {
  const name = accountName(ref, registers)
  return name === undefined ? role(ref.role) : registered(`${name} (${Party.partyRoleLabel[ref.role]})`)
}

/** What of a staff reference a mail may use: the role, and the linked account (never the typed name). */
export interface StaffLink {
  readonly role: Party.PartyRole
  readonly userId?: string | undefined
}

/** The registered name of the account a staff reference links, if any. */
export const accountName = (ref: StaffLink, registers: Registers): Safe | undefined => {
  const name = ref.userId === undefined ? undefined : registers.userName?.(ref.userId)
  return name === undefined ? undefined : registered(name)
}

/** A school by its registered name; `undefined` when the school is not registered. */
export const school = (
  enrolment: { readonly schoolId: string } | undefined,
  registers: Registers,
): Safe | undefined => {
  const name = enrolment === undefined ? undefined : registers.organisationName?.(enrolment.schoolId)
  return name === undefined ? undefined : registered(name)
}
