/** A day-long SMTP outage on PostgreSQL: see support/outage-suite.ts. */
import { outageSuite } from "./support/outage-suite.js"

outageSuite("pg")
