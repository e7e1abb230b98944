import { defineConfig } from "vitest/config"
import { sharedTest } from "../../config/vitest.shared.mjs"

// Pool, timeouts, the event-loop turn before every test and the JSON report: config/vitest.shared.mjs.
// The global set-up bundles every command once and asks each command line for its commands.
export default defineConfig({
  test: { ...sharedTest, globalSetup: ["./test/support/global-setup.ts"] },
})
