/**
 * Absence exports of school administration systems, read as validated rows.
 *
 * @since 0.1.0
 */
export * as Mapping from "./Mapping.js"
export * as Reader from "./Reader.js"
export type { FileFormat, FileProblem, ImportedRow, RowProblem } from "./Rows.js"
