/** A school year in the eduarte example format through the API: see support/absence-formats.ts. */
import { describeSampleYearImport } from "./support/absence-formats.js"

describeSampleYearImport("eduarte")
