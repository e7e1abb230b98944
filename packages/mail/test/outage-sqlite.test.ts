/** A day-long SMTP outage on SQLite: see support/outage-suite.ts. */
import { outageSuite } from "./support/outage-suite.js"

outageSuite("sqlite")
