/**
 * Long exports: rows arrive in chunks (from an iterable or an async iterable, such as pages read
 * from the store), are turned into cells chunk by chunk, and the workbook is written at the end.
 * A progress callback hears about every chunk and about the final write.
 *
 * Two places to do the work:
 * - `thread: "main"`: in this thread, yielding to the event loop between chunks; the final write
 *   (XML and compression, about a second per 20,000 rows) still runs in one go;
 * - `thread: "worker"`: cells and the final write in a `worker_threads` worker, so the gateway's
 *   event loop only computes the row values (cheap) and posts them. Flow control keeps at most a
 *   few chunks in flight, so memory stays bounded however fast the source is.
 *
 * @example
 * const file = await Export.exportSheets([{ spec, rows: pagesOf(store) }], {
 *   thread: "worker",
 *   onProgress: (p) => console.log(p.phase, p.rows),
 * })
 *
 * @since 0.1.0
 */
import { createRequire } from "node:module"
import { setImmediate as nextTurn } from "node:timers/promises"
import { pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import type { Value } from "./Cells.js"
import type { FromWorker, ToWorker } from "./internal/protocol.js"
import { type Sheet, SheetBuilder, type SheetSpec, type WriteOptions, write } from "./Workbook.js"

export type Row = ReadonlyArray<Value>

export interface SheetSource {
  readonly spec: SheetSpec
  readonly rows: Iterable<Row> | AsyncIterable<Row>
}

export interface Progress {
  /** `rijen`: rows being added; `schrijven`: the workbook is being written; `klaar`: done. */
  readonly phase: "rijen" | "schrijven" | "klaar"
  /** Rows added so far (all sheets). */
  readonly rows: number
  /** Total rows when the caller knows it in advance. */
  readonly total?: number
  /** Size of the file in bytes, when `klaar`. */
  readonly bytes?: number
}

export interface ExportOptions extends WriteOptions {
  /** Rows per chunk: the longest stretch the main thread works without a break. Default 1,000. */
  readonly chunkSize?: number
  readonly onProgress?: (progress: Progress) => void
  /** Expected rows, passed on in the progress. */
  readonly total?: number
  /** Where cells are built and the workbook is written. Default `main`. */
  readonly thread?: "main" | "worker"
  /** Stops the export with an `AbortError`. */
  readonly signal?: AbortSignal
}

const DEFAULT_CHUNK = 1_000
/** Chunks posted to the worker that it has not acknowledged yet. */
const MAX_IN_FLIGHT = 4

async function* chunks(rows: Iterable<Row> | AsyncIterable<Row>, size: number): AsyncGenerator<Array<Row>> {
  let chunk: Array<Row> = []
  for await (const row of rows as AsyncIterable<Row>) {
    chunk.push(row)
    if (chunk.length >= size) {
      yield chunk
      chunk = []
    }
  }
  if (chunk.length > 0) yield chunk
}

const progressOf = (
  phase: Progress["phase"],
  rows: number,
  options: ExportOptions,
  bytes?: number,
): Progress => ({
  phase,
  rows,
  ...(options.total === undefined ? {} : { total: options.total }),
  ...(bytes === undefined ? {} : { bytes }),
})

const checkAbort = (signal: AbortSignal | undefined) => {
  if (signal?.aborted) throw signal.reason ?? new DOMException("export aborted", "AbortError")
}

const writeOptions = (options: ExportOptions): WriteOptions =>
  options.title === undefined ? {} : { title: options.title }

const inThisThread = async (sources: ReadonlyArray<SheetSource>, options: ExportOptions): Promise<Buffer> => {
  const size = Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK))
  const sheets: Array<Sheet> = []
  let rows = 0
  for (const source of sources) {
    const builder = new SheetBuilder(source.spec)
    for await (const chunk of chunks(source.rows, size)) {
      checkAbort(options.signal)
      builder.addRows(chunk)
      rows += chunk.length
      options.onProgress?.(progressOf("rijen", rows, options))
      await nextTurn()
    }
    sheets.push(builder.finish())
  }
  checkAbort(options.signal)
  options.onProgress?.(progressOf("schrijven", rows, options))
  await nextTurn()
  const file = write(sheets, writeOptions(options))
  options.onProgress?.(progressOf("klaar", rows, options, file.length))
  return file
}

/**
 * The worker next to this module: the built `.js`; or, when this module runs from its TypeScript
 * source (tests, the benchmark under tsx), the `.ts` file behind tsx's loader, which the worker
 * registers before it imports the script.
 */
const startWorker = (): Worker => {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./internal/sheet-worker.js", import.meta.url))
  const script = new URL("./internal/sheet-worker.ts", import.meta.url).href
  // tsx's ESM entry, read from its exports map (require.resolve would give the CommonJS one).
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json")
  const exportsMap = (
    createRequire(import.meta.url)(manifest) as {
      readonly exports: Record<string, { readonly import: { readonly default: string } }>
    }
  ).exports
  const entry = exportsMap["./esm/api"]?.import.default
  if (entry === undefined) throw new Error("tsx has no ./esm/api export to run the worker from source")
  const tsx = new URL(entry, pathToFileURL(manifest)).href
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script)}) })`,
    { eval: true },
  )
}

const inWorker = (sources: ReadonlyArray<SheetSource>, options: ExportOptions): Promise<Buffer> =>
  new Promise<Buffer>((resolve, reject) => {
    const size = Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK))
    const worker = startWorker()
    let posted = 0
    let acknowledged = 0
    let settled = false
    let wake: (() => void) | undefined
    const finish = (error: unknown, file?: Buffer) => {
      if (settled) return
      settled = true
      wake?.()
      void worker.terminate()
      if (file !== undefined) resolve(file)
      else reject(error)
    }
    worker.on("message", (message: FromWorker) => {
      switch (message.type) {
        case "ack":
          acknowledged++
          options.onProgress?.(progressOf("rijen", message.rows, options))
          wake?.()
          return
        case "writing":
          options.onProgress?.(progressOf("schrijven", message.rows, options))
          return
        case "done": {
          const file = Buffer.from(message.file)
          options.onProgress?.(progressOf("klaar", message.rows, options, file.length))
          return finish(undefined, file)
        }
        case "error":
          return finish(new Error(`export worker: ${message.message}`))
      }
    })
    worker.on("error", (error) => finish(error))
    worker.on("exit", (code) => finish(new Error(`export worker stopped (exit code ${code})`)))
    const post = (message: ToWorker) => worker.postMessage(message)
    const feed = async () => {
      for (const source of sources) {
        post({ type: "sheet", spec: { name: source.spec.name, columns: source.spec.columns } })
        for await (const chunk of chunks(source.rows, size)) {
          checkAbort(options.signal)
          while (!settled && posted - acknowledged >= MAX_IN_FLIGHT) {
            await new Promise<void>((r) => {
              wake = r
            })
            wake = undefined
          }
          if (settled) return
          post({ type: "rows", rows: chunk })
          posted++
          // A synchronous source never yields by itself: give timers and I/O a turn per chunk.
          await nextTurn()
        }
      }
      checkAbort(options.signal)
      post({ type: "finish", options: writeOptions(options) })
    }
    feed().catch((error) => finish(error))
  })

/**
 * Builds a workbook from sheet sources, chunk by chunk, in this thread or in a worker.
 *
 * @example
 * const file = await exportSheets([{ spec, rows }], { thread: "worker", onProgress })
 */
export const exportSheets = (
  sources: ReadonlyArray<SheetSource>,
  options: ExportOptions = {},
): Promise<Buffer> => {
  if (sources.length === 0) return Promise.reject(new RangeError("a workbook needs at least one sheet"))
  return options.thread === "worker" ? inWorker(sources, options) : inThisThread(sources, options)
}
