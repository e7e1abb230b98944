import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Property tests run hundreds of cases; on a loaded 2-core CI machine 5 s is too tight.
    testTimeout: 30_000,
  },
})
