/**
 * The worker thread of `Export.exportSheets({ thread: "worker" })`: builds the sheets from the
 * row chunks it receives and writes the workbook, so the compression and the XML of a long export
 * do not block the main thread's event loop.
 */
import { parentPort } from "node:worker_threads"
import { type Sheet, SheetBuilder, write } from "../Workbook.js"
import type { FromWorker, ToWorker } from "./protocol.js"

const port = parentPort
if (port === null) throw new Error("sheet-worker must run in a worker thread")

const done: Array<Sheet> = []
let current: SheetBuilder | undefined
let rows = 0

const reply = (message: FromWorker, transfer: ReadonlyArray<ArrayBuffer> = []) =>
  port.postMessage(message, [...transfer])

port.on("message", (message: ToWorker) => {
  try {
    switch (message.type) {
      case "sheet":
        if (current !== undefined) done.push(current.finish())
        current = new SheetBuilder(message.spec)
        return
      case "rows":
        if (current === undefined) throw new Error("rows before a sheet")
        current.addRows(message.rows)
        rows += message.rows.length
        return reply({ type: "ack", rows })
      case "finish": {
        if (current !== undefined) done.push(current.finish())
        current = undefined
        reply({ type: "writing", rows })
        const file = write(done, message.options)
        // A fresh ArrayBuffer of exactly the file, transferred without a copy.
        const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer
        return reply({ type: "done", file: buffer, rows }, [buffer])
      }
    }
  } catch (error) {
    reply({ type: "error", message: error instanceof Error ? error.message : String(error) })
  }
})
