/** Types of scripts/bundle.mjs for the TypeScript tests that use it. */
export interface Command {
  /** The package folder from the repository root, e.g. `apps/gateway`. */
  readonly packageDir: string
  /** The entry under the package's src/, e.g. `bin/admin.ts`. */
  readonly entry: string
}
export declare const root: string
export declare const placeOf: (command: Command) => {
  readonly name: string
  readonly outdir: string
  readonly source: string
  readonly bundle: string
  readonly inputsFile: string
}
export declare const isCurrent: (command: Command) => boolean
export declare const bundleCommands: (
  commands: ReadonlyArray<Command>,
  say?: (line: string) => void,
) => Promise<ReadonlyArray<Command>>
export declare const workspaceCommands: () => ReadonlyArray<Command>
