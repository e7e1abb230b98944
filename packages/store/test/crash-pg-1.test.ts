/** SIGKILL while appending, on PostgreSQL, share 1 of the rounds: see support/crash-suite.ts. */
import { crashSuite } from "./support/crash-suite.js"

crashSuite("pg", 1)
