// The strict fuzz test (support/fuzz-strict.ts): the named tests a–f on SQLite.
import { describeStrictFuzz } from "./support/fuzz-strict.js"

describeStrictFuzz("sqlite", "named")
