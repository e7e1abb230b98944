import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Workbooks of a few thousand rows and a worker thread: generous for a loaded 2-core machine.
    testTimeout: 60_000,
  },
})
