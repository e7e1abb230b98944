// The strict fuzz test (test/support/fuzz-strict.ts): the named tests a–f on PostgreSQL (when TEST_DATABASE_URL is set).
import { describeStrictFuzz } from "./support/fuzz-strict.js"

describeStrictFuzz("pg", "named")
