/**
 * Sign-in by e-mail: asking for a one-time link to the address on the account, and using it (15 minutes, single use) to start a session.
 */
import type { PageModule } from "../Kit.js"

export const signInLinkPages: PageModule = {
  name: "signinlink",
  prefixes: ["/inloggen/link"],
  mount: () => {
    // Built in issue 14; see docs/web.md.
  },
}
