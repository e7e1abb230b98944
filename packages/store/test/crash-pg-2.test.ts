/** SIGKILL while appending, on PostgreSQL, share 2 of the rounds: see support/crash-suite.ts. */
import { crashSuite } from "./support/crash-suite.js"

crashSuite("pg", 2)
