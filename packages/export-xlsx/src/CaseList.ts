/**
 * Case lists for coordinators: one row per case, the columns the region's plug-in declares
 * (`plugin.reports.caseColumns`). Columns marked `personal` (they identify the pupil: name, birth
 * date) are left out unless the caller asks for them; the gateway decides who may, and e-mailed
 * files never include them.
 *
 * @example
 * const file = CaseList.workbook(states, { plugin, context: { on, settings, calendars }, includePersonal: false })
 * const large = await CaseList.exportCases(pages, { plugin, context, includePersonal: false, thread: "worker" })
 *
 * @since 0.1.0
 */
import type { Case } from "@verzuimregie/domain"
import type { Plugin } from "@verzuimregie/plugin-sdk"
import type { Column, Value } from "./Cells.js"
import { type ExportOptions, exportSheets, type Row } from "./Export.js"
import { type SheetSpec, sheet, write } from "./Workbook.js"

export const SHEET_NAME = "Casussen"

export interface CaseListOptions<Settings> {
  readonly plugin: Plugin.RegionPlugin<Settings>
  /** The reference date, the region's settings and calendars the columns read. */
  readonly context: Plugin.PluginContext<Settings>
  /** Include the columns marked `personal`. Never for a file that is e-mailed. */
  readonly includePersonal: boolean
  /** Document title (no personal data). */
  readonly title?: string
}

/** The plug-in's columns that this export shows. */
export const columnsOf = <Settings>(
  plugin: Plugin.RegionPlugin<Settings>,
  includePersonal: boolean,
): ReadonlyArray<Plugin.ReportColumn<Settings>> =>
  plugin.reports.caseColumns.filter((c) => includePersonal || !c.personal)

export const specOf = <Settings>(columns: ReadonlyArray<Plugin.ReportColumn<Settings>>): SheetSpec => ({
  name: SHEET_NAME,
  columns: columns.map((c): Column => ({ header: c.header, kind: c.kind })),
})

/** A column that throws is a bug in the plug-in: the export stops and says which column and case. */
export class ColumnFailed extends Error {
  constructor(
    readonly column: string,
    readonly caseId: string,
    override readonly cause: unknown,
  ) {
    super(
      `column ${column} failed for case ${caseId}: ${cause instanceof Error ? cause.message : String(cause)}`,
    )
    this.name = "ColumnFailed"
  }
}

/** One case as a row of the given columns. */
export const rowOf = <Settings>(
  columns: ReadonlyArray<Plugin.ReportColumn<Settings>>,
  context: Plugin.PluginContext<Settings>,
  state: Case.CaseState,
): Row => {
  const ctx = { ...context, state }
  return columns.map((column): Value => {
    try {
      return column.value(ctx)
    } catch (cause) {
      throw new ColumnFailed(column.key, state.id, cause)
    }
  })
}

/** A small case list in one go (a few thousand cases), as an `.xlsx` Buffer. */
export const workbook = <Settings>(
  states: Iterable<Case.CaseState>,
  options: CaseListOptions<Settings>,
): Buffer => {
  const columns = columnsOf(options.plugin, options.includePersonal)
  const rows = function* () {
    for (const state of states) yield rowOf(columns, options.context, state)
  }
  return write([sheet(specOf(columns), rows())], { title: options.title ?? "Casussen" })
}

/**
 * A case list of any length, chunk by chunk, optionally in a worker thread (the row values are
 * computed here, as the plug-in's column functions cannot cross threads; cells and the file are
 * made in the worker).
 */
export const exportCases = <Settings>(
  states: Iterable<Case.CaseState> | AsyncIterable<Case.CaseState>,
  options: CaseListOptions<Settings> & Omit<ExportOptions, "title">,
): Promise<Buffer> => {
  const columns = columnsOf(options.plugin, options.includePersonal)
  async function* rows(): AsyncGenerator<Row> {
    for await (const state of states as AsyncIterable<Case.CaseState>)
      yield rowOf(columns, options.context, state)
  }
  return exportSheets([{ spec: specOf(columns), rows: rows() }], {
    ...options,
    title: options.title ?? "Casussen",
  })
}
