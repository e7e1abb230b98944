/**
 * One log format for the whole process: every line on stdout is one JSON object that starts with
 * `time` (ISO 8601, UTC), `level` (`debug`, `info`, `warn`, `error`) and `message` (what happened,
 * in words), followed by the line's own fields (`requestId`, `route`, `status`, `ms`, `user`,
 * `event`, the annotations of an Effect log, `cause`). The request log writes through `jsonLogger`;
 * Effect's `Effect.log*` (mail scheduler and worker, housekeeping) through `layer`, which replaces
 * Effect's default logger. No names, BSN, birth dates, tokens or request bodies go in.
 */
import { Cause, HashMap, List, Logger } from "effect"

export type Level = "debug" | "info" | "warn" | "error"

export interface Entry {
  readonly level: Level
  readonly message: string
  readonly [field: string]: unknown
}

export type Log = (entry: Entry) => void

/** One line of the format, without the newline. */
export const format = (entry: Entry, time: Date = new Date()): string => {
  const { level, message, ...fields } = entry
  return JSON.stringify({ time: time.toISOString(), level, message, ...fields })
}

export const jsonLogger: Log = (entry) => {
  process.stdout.write(`${format(entry)}\n`)
}

const levelOf = (label: string): Level => {
  switch (label) {
    case "ERROR":
    case "FATAL":
      return "error"
    case "WARN":
      return "warn"
    case "DEBUG":
    case "TRACE":
      return "debug"
    default:
      return "info"
  }
}

const text = (message: unknown): string =>
  Array.isArray(message)
    ? message.map(text).join(" ")
    : typeof message === "string"
      ? message
      : message instanceof Error
        ? message.message
        : JSON.stringify(message)

/** Effect's log calls in the same shape; `write` is for tests. */
export const effectLogger = (write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) =>
  Logger.make(({ logLevel, message, annotations, cause, date, spans }) => {
    const fields: Record<string, unknown> = {}
    for (const [key, value] of HashMap.toEntries(annotations)) fields[key] = value
    const spanList = List.toArray(spans)
    if (spanList.length > 0)
      fields.spans = Object.fromEntries(spanList.map((s) => [s.label, date.getTime() - s.startTime]))
    if (!Cause.isEmpty(cause)) fields.cause = Cause.pretty(cause).slice(0, 4000)
    write(format({ ...fields, level: levelOf(logLevel.label), message: text(message) }, date))
  })

/** Replaces Effect's default logger with the one format. */
export const layer = Logger.replace(Logger.defaultLogger, effectLogger())
