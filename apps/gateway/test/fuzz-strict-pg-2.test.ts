// The strict fuzz test (support/fuzz-strict.ts) on PostgreSQL (with TEST_DATABASE_URL): share 2 of 2 of the generated
// requests. fuzz-strict-pg-1.test.ts sends the other share, each file under 20 s.
import { describeStrictFuzz } from "./support/fuzz-strict.js"

describeStrictFuzz("pg", { share: 2, of: 2 })
