/** A school year in the somtoday example format through the API: see support/absence-formats.ts. */
import { describeSampleYearImport } from "./support/absence-formats.js"

describeSampleYearImport("somtoday")
