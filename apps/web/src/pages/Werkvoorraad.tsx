/**
 * Werkvoorraad and Zoeken: the case worker's and coordinator's cases, filtered and sorted by urgency, and the search for a pupil within the caller's regions.
 */
import type { PageModule } from "../Kit.js"

export const werkvoorraadPages: PageModule = {
  name: "werkvoorraad",
  prefixes: ["/werkvoorraad", "/zoeken"],
  mount: () => {
    // Built in issue 14; see docs/web.md.
  },
}
