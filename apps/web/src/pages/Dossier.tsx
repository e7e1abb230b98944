/**
 * The dossier: one case's header, timeline, parties, meetings, agreements, actions and interventions, and the steps the plug-in offers with the reasons a step is not yet possible.
 */
import type { PageModule } from "../Kit.js"

export const dossierPages: PageModule = {
  name: "dossier",
  prefixes: ["/dossiers"],
  mount: () => {
    // Built in issue 14; see docs/web.md.
  },
}
