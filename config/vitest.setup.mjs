/**
 * Runs before every test file of every package (config/vitest.shared.mjs).
 *
 * A vitest worker reports progress to the runner with `onTaskUpdate` calls that each wait at most
 * 60 s for the runner's reply (birpc's fixed default; vitest 3 offers no option for it). The reply
 * is read only when the worker's event loop turns, and vitest runs a file's synchronous tests back
 * to back without turning it: a file of property tests is one long synchronous stretch. On a loaded
 * machine that stretch passed 60 s, the timer fired before the waiting reply was read, and a green
 * run failed with `[vitest-worker]: Timeout calling "onTaskUpdate"` (vitest-dev/vitest#6479,
 * #8164: "this is blocking the test runner thread").
 *
 * One turn of the event loop before each test bounds the stretch by one test instead of one file;
 * the property-test budgets keep every single test far below it.
 */
import { beforeEach } from "vitest"

beforeEach(() => new Promise((resolve) => setImmediate(resolve)))
