/** A crash between commit and answer, then retries, on SQLite: see support/crash-retry.ts. */
import { crashRetrySuite } from "./support/crash-retry.js"

crashRetrySuite("sqlite")
