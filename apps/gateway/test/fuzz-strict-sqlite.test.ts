// The strict fuzz test (test/support/fuzz-strict.ts): the generated requests on SQLite.
import { describeStrictFuzz } from "./support/fuzz-strict.js"

describeStrictFuzz("sqlite", "generated")
