/**
 * Absence exports of school administration systems, read as validated rows.
 *
 * @since 0.1.0
 */
export * as Csv from "./Csv.js"
export * as Mapping from "./Mapping.js"
export * as Reader from "./Reader.js"
export {
  AbsenceFileRefused,
  type FileFormat,
  type FileProblem,
  type ImportedRow,
  type RowProblem,
} from "./Rows.js"
export * as Samples from "./Samples.js"
