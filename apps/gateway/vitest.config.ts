import { defineConfig } from "vitest/config"
import { sharedTest } from "../../config/vitest.shared.mjs"

// Pool, timeouts, the event-loop turn before every test and the JSON report: config/vitest.shared.mjs.
// Every command is bundled once before the files that start them (cli-manners, first-hour).
export default defineConfig({
  test: { ...sharedTest, globalSetup: ["../../config/vitest.bundles.mjs"] },
})
