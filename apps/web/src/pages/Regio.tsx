/**
 * Regio: the coordinator's view of the region: open cases by status, thuiszitters and pact alarms, actions due, the access log and the spreadsheet exports.
 */
import type { PageModule } from "../Kit.js"

export const regionPages: PageModule = {
  name: "regio",
  prefixes: ["/regio"],
  mount: () => {
    // Built in issue 14; see docs/web.md.
  },
}
