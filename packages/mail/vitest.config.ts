import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real SMTP servers on loopback and real databases: generous limits for a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // better-sqlite3 is a native module; forks keep each file in its own process.
    pool: "forks",
  },
})
