import { defineConfig } from "vitest/config"
import { sharedTest } from "../../config/vitest.shared.mjs"

// Pool, timeouts, the event-loop turn before every test and the JSON report: config/vitest.shared.mjs.
export default defineConfig({
  test: { ...sharedTest },
})
