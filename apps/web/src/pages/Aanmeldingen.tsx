/**
 * Aanmelden and Mijn aanmeldingen: the region's referral form rendered from its plug-in's form schema, the confirmation, and the referrer's own referrals.
 */
import type { PageModule } from "../Kit.js"

export const referralPages: PageModule = {
  name: "aanmeldingen",
  prefixes: ["/aanmeldingen"],
  mount: () => {
    // Built in issue 14; see docs/web.md.
  },
}
