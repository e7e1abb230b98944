/** Messages between the main thread and the sheet worker. */
import type { Value } from "../Cells.js"
import type { SheetSpec, WriteOptions } from "../Workbook.js"

export type ToWorker =
  | { readonly type: "sheet"; readonly spec: SheetSpec }
  | { readonly type: "rows"; readonly rows: ReadonlyArray<ReadonlyArray<Value>> }
  | { readonly type: "finish"; readonly options: WriteOptions }

export type FromWorker =
  | { readonly type: "ack"; readonly rows: number }
  | { readonly type: "writing"; readonly rows: number }
  | { readonly type: "done"; readonly file: ArrayBuffer; readonly rows: number }
  | { readonly type: "error"; readonly message: string }
