/**
 * The page modules of the web app, in mounting order. A module owns its address space
 * (`prefixes`), its routes and its CSS; the shell (`Web.tsx`) owns sign-in, sign-out, the start
 * page and the stylesheet. Order matters only where prefixes overlap (the dossier's forms before
 * the dossier page).
 */
import type { PageModule } from "./Kit.js"
import { referralPages } from "./pages/Aanmeldingen.js"
import { adminPages } from "./pages/Beheer.js"
import { dashboardPages } from "./pages/Dashboard.js"
import { dossierPages } from "./pages/Dossier.js"
import { dossierFormPages } from "./pages/DossierForms.js"
import { quarterlyRoundPages } from "./pages/Kwartaalronde.js"
import { notificationPages } from "./pages/Meldingen.js"
import { inboxPages } from "./pages/MijnWerk.js"
import { regionPages } from "./pages/Regio.js"
import { signInLinkPages } from "./pages/SignInLink.js"
import { absencePages } from "./pages/Verzuim.js"
import { werkvoorraadPages } from "./pages/Werkvoorraad.js"

export const PAGE_MODULES: ReadonlyArray<PageModule> = [
  signInLinkPages,
  inboxPages,
  werkvoorraadPages,
  dossierFormPages,
  dossierPages,
  referralPages,
  // Before the region pages: `/regio/:regionId` would take `/regio/dashboard`.
  dashboardPages,
  regionPages,
  adminPages,
  absencePages,
  quarterlyRoundPages,
  notificationPages,
]
