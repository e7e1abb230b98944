import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real databases and child processes: generous per-test limits for a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files run in parallel (each on its own SQLite file / PostgreSQL schema); forks, because the
    // crash test spawns processes and better-sqlite3 is a native module.
    pool: "forks",
  },
})
