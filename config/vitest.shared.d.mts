/** Types of vitest.shared.mjs (kept structural: this folder has no vitest of its own to import). */
export declare const sharedTest: {
  readonly include: Array<string>
  readonly pool: "forks"
  readonly maxWorkers: number
  readonly minWorkers: number
  readonly testTimeout: number
  readonly hookTimeout: number
  readonly teardownTimeout: number
  readonly setupFiles: Array<string>
  readonly reporters: Array<string | [string, Record<string, unknown>]>
}
