/**
 * Who may do what: the roles of users of the system (not the parties in a case). A user belongs
 * to an organisation and one or more regions and holds one or more of these roles.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * - `referrer`: submits referrals and sees only their own, with status;
 * - `case-worker`: runs the cases of their region(s) (the regiehouder, SMW verzuim, casemanager);
 * - `coordinator`: sees all cases and reports of the region, takes the coordinating transitions;
 * - `admin`: manages users and organisations;
 * - `school-verzuim`: a school's mentor or zorgcoördinator: imports the school's absence data and
 *   acts on its pupils' signals; sees only their own school (issue 15);
 * - `orthopedagoog`: an orthopedagoog of the samenwerkingsverband who holds the quarterly round
 *   (Amstelland's kwartaalbespreking): sees only the open cases of their region that the round
 *   discusses, with the little needed to call the school, and records each review (issue 16).
 */
export const UserRole = Schema.Literal(
  "referrer",
  "case-worker",
  "coordinator",
  "admin",
  "school-verzuim",
  "orthopedagoog",
).annotations({
  identifier: "UserRole",
  title: "Gebruikersrol",
})
export type UserRole = typeof UserRole.Type

export const userRoleLabel: Record<UserRole, string> = {
  referrer: "Aanmelder",
  "case-worker": "Casusregisseur",
  coordinator: "Coördinator",
  admin: "Beheerder",
  "school-verzuim": "Schoolverzuim (mentor of zorgcoördinator)",
  orthopedagoog: "Orthopedagoog samenwerkingsverband",
}
