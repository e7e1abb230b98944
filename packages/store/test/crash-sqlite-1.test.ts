/** SIGKILL while appending, on SQLite, share 1 of the rounds: see support/crash-suite.ts. */
import { crashSuite } from "./support/crash-suite.js"

crashSuite("sqlite", 1)
