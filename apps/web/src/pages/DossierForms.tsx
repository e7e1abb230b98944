/**
 * The dossier's forms: one page per event the plug-in allows (/dossiers/:id/vastleggen/:kind) and per step (/dossiers/:id/stappen/:step), each carrying the case version.
 */
import type { PageModule } from "../Kit.js"

export const dossierFormPages: PageModule = {
  name: "dossierforms",
  prefixes: ["/dossiers"],
  mount: () => {
    // Built in issue 14; see docs/web.md.
  },
}
