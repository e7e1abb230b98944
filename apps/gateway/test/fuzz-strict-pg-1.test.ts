// The strict fuzz test (support/fuzz-strict.ts) on PostgreSQL (with TEST_DATABASE_URL): share 1 of 3 of the generated
// requests; fuzz-strict-pg-{1,2,3}.test.ts send one share each, so each file stays under 20 s (PostgreSQL
// answers the same requests about twice as slowly as SQLite here).
import { describeStrictFuzz } from "./support/fuzz-strict.js"

describeStrictFuzz("pg", { share: 1, of: 3 })
