/**
 * Beheer: organisations, users and tokens within the admin's reach.
 */
import type { PageModule } from "../Kit.js"

export const adminPages: PageModule = {
  name: "beheer",
  prefixes: ["/beheer"],
  mount: () => {
    // Built in issue 14; see docs/web.md.
  },
}
