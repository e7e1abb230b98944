/**
 * A file upload from a page form (`multipart/form-data`, RFC 7578), streamed to a temporary file:
 * an absence export of a whole school year runs to tens of megabytes, and Hono's `parseBody`
 * would hold all of it in memory. The text fields are kept (small, capped); the one file part is
 * written to disk as it arrives, chunk by chunk with the disk's pace as backpressure, and refused
 * as soon as it passes the size limit (the rest of the body is not read).
 */
import { randomBytes } from "node:crypto"
import { mkdtemp, open, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface UploadedFile {
  /** The temporary file the upload was written to. */
  readonly path: string
  /** The name the browser gave (only its extension is used: csv or xlsx). */
  readonly name: string
  readonly size: number
}

export interface Upload {
  readonly fields: Readonly<Record<string, string>>
  /** Undefined when the form carried no file (or an empty file input). */
  readonly file: UploadedFile | undefined
  /** Removes the temporary file; call it when the import is done, whatever its outcome. */
  readonly cleanup: () => Promise<void>
}

/** Why an upload could not be read: too big, or not a form upload at all. */
export class UploadRefused extends Error {
  constructor(
    readonly reason: "te-groot" | "geen-formulier" | "afgebroken" | "geweigerd",
    message: string,
  ) {
    super(message)
  }
}

export interface UploadOptions {
  /** The form field of the file. */
  readonly fileField: string
  readonly maxFileBytes: number
  /** Where the temporary file goes; the system's temp directory unless set. */
  readonly directory?: string | undefined
  /** All text fields together (names and values). */
  readonly maxFieldBytes?: number
  /**
   * Called with the text fields read so far when the file part begins (the form puts its CSRF
   * token before the file): `false` stops reading, so a forged form writes nothing to disk.
   */
  readonly beforeFile?: (fields: Readonly<Record<string, string>>) => boolean
}

const CRLF_CRLF = Buffer.from("\r\n\r\n")

/** The boundary of a `multipart/form-data` content type, or undefined. */
export const boundaryOf = (contentType: string | undefined): string | undefined => {
  if (contentType === undefined || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType)
  return match?.[1] ?? match?.[2]
}

interface PartHeaders {
  readonly name: string
  readonly filename: string | undefined
}

const partHeadersOf = (raw: string): PartHeaders | undefined => {
  const disposition = raw
    .split("\r\n")
    .find((line) => /^content-disposition\s*:/i.test(line))
    ?.replace(/^content-disposition\s*:\s*/i, "")
  if (disposition === undefined || !/^form-data/i.test(disposition)) return undefined
  const param = (key: string) => {
    const found = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(disposition)
    return found?.[1]?.replace(/\\(.)/g, "$1")
  }
  const name = param("name")
  if (name === undefined) return undefined
  return { name, filename: param("filename") }
}

/**
 * Reads a `multipart/form-data` request: text fields into memory (at most `maxFieldBytes`), the
 * file field to a temporary file (at most `maxFileBytes`). Throws `UploadRefused`; on any throw
 * the temporary file is already gone.
 */
export const receiveUpload = async (request: Request, options: UploadOptions): Promise<Upload> => {
  const boundary = boundaryOf(request.headers.get("content-type") ?? undefined)
  if (boundary === undefined || request.body === null)
    throw new UploadRefused("geen-formulier", "Dit is geen formulier met een bestand.")
  const maxFieldBytes = options.maxFieldBytes ?? 64 * 1024
  // Every part after the first starts with CRLF "--" boundary; a CRLF before the body makes the
  // first one look the same.
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  const directory = await mkdtemp(join(options.directory ?? tmpdir(), "verzuimregie-upload-"))
  const cleanup = () => rm(directory, { recursive: true, force: true })

  const fields: Record<string, string> = {}
  let fieldBytes = 0
  let file: { path: string; name: string; size: number } | undefined
  let handle: Awaited<ReturnType<typeof open>> | undefined

  type State = "preamble" | "headers" | "field" | "file" | "skip" | "after-delimiter" | "done"
  let state = "preamble" as State
  let pending: Buffer = Buffer.from("\r\n")
  let part: PartHeaders | undefined
  let value: Array<Buffer> = []

  const closePart = async () => {
    if (state === "field" && part !== undefined) {
      fields[part.name] = Buffer.concat(value).toString("utf8")
    } else if (state === "file" && handle !== undefined) {
      await handle.close()
      handle = undefined
    }
    value = []
    part = undefined
  }

  const consume = async (data: Buffer) => {
    if (state === "field") {
      fieldBytes += data.length
      if (fieldBytes > maxFieldBytes)
        throw new UploadRefused("te-groot", "De velden van het formulier zijn te groot.")
      value.push(data)
    } else if (state === "file" && handle !== undefined && file !== undefined) {
      file.size += data.length
      if (file.size > options.maxFileBytes)
        throw new UploadRefused("te-groot", "Het bestand is groter dan is toegestaan.")
      await handle.write(data)
    }
  }

  const step = async (): Promise<boolean> => {
    switch (state) {
      case "preamble":
      case "field":
      case "file":
      case "skip": {
        const at = pending.indexOf(delimiter)
        if (at === -1) {
          // Keep what could be the start of a delimiter; the rest is the part's.
          const safe = pending.length - delimiter.length + 1
          if (safe > 0) {
            if (state !== "preamble") await consume(pending.subarray(0, safe))
            pending = pending.subarray(safe)
          }
          return false
        }
        if (state !== "preamble") await consume(pending.subarray(0, at))
        await closePart()
        pending = pending.subarray(at + delimiter.length)
        state = "after-delimiter"
        return true
      }
      case "after-delimiter": {
        if (pending.length < 2) return false
        const next = pending.subarray(0, 2).toString("latin1")
        if (next === "--") {
          state = "done"
          return false
        }
        if (next !== "\r\n") throw new UploadRefused("geen-formulier", "Het formulier is onleesbaar.")
        pending = pending.subarray(2)
        state = "headers"
        return true
      }
      case "headers": {
        const end = pending.indexOf(CRLF_CRLF)
        if (end === -1) {
          if (pending.length > 8192) throw new UploadRefused("geen-formulier", "Het formulier is onleesbaar.")
          return false
        }
        const headers = partHeadersOf(pending.subarray(0, end).toString("utf8"))
        pending = pending.subarray(end + CRLF_CRLF.length)
        if (headers === undefined) throw new UploadRefused("geen-formulier", "Het formulier is onleesbaar.")
        part = headers
        if (headers.filename === undefined) {
          state = "field"
        } else if (headers.name === options.fileField && file === undefined) {
          if (options.beforeFile !== undefined && !options.beforeFile(fields))
            throw new UploadRefused("geweigerd", "Het formulier is niet geaccepteerd.")
          // The browser sends an empty part for an empty file input.
          const path = join(directory, randomBytes(12).toString("hex"))
          file = { path, name: headers.filename, size: 0 }
          handle = await open(path, "wx", 0o600)
          state = "file"
        } else {
          state = "skip"
        }
        return true
      }
      case "done":
        return false
    }
  }

  try {
    const reader = request.body.getReader()
    try {
      while (state !== "done") {
        const { done, value: chunk } = await reader.read()
        if (done) break
        pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk])
        while (await step()) {
          // each step consumes a delimiter or a part's headers
        }
      }
    } finally {
      // Whatever is left unread (past a limit, or after the closing delimiter) is not wanted.
      await reader.cancel().catch(() => undefined)
    }
    if (state !== "done") throw new UploadRefused("afgebroken", "Het bestand is niet helemaal aangekomen.")
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await cleanup()
    throw error
  }
  const uploaded = file !== undefined && (file.size > 0 || file.name !== "") ? file : undefined
  return { fields, file: uploaded, cleanup }
}
