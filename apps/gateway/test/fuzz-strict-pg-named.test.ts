// The strict fuzz test (support/fuzz-strict.ts): the named tests a–f on PostgreSQL (with TEST_DATABASE_URL).
import { describeStrictFuzz } from "./support/fuzz-strict.js"

describeStrictFuzz("pg", "named")
