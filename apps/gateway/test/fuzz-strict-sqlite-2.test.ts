// The strict fuzz test (support/fuzz-strict.ts) on SQLite: share 2 of 2 of the generated
// requests. fuzz-strict-sqlite-1.test.ts sends the other share, each file under 20 s.
import { describeStrictFuzz } from "./support/fuzz-strict.js"

describeStrictFuzz("sqlite", { share: 2, of: 2 })
