/**
 * File uploads (a school's absence export): the request body streamed to a temporary file, never
 * held in memory whole, with a size limit counted on the bytes as they arrive (a chunked body
 * declares no length). The route's use case reads the file from disk; the file is removed when the
 * request is answered, whatever the answer.
 */
import { randomBytes } from "node:crypto"
import { createWriteStream } from "node:fs"
import { mkdir, rm } from "node:fs/promises"
import { join } from "node:path"
import { Readable, Transform } from "node:stream"
import { pipeline } from "node:stream/promises"

/** What a route that takes a file declares (`RouteSpec.upload`). */
export interface UploadSpec {
  /** The media types it accepts, e.g. `text/csv`; anything else answers 415. */
  readonly mediaTypes: readonly [string, ...Array<string>]
  /** For the reference: what the file is. */
  readonly description: string
}

/** The uploaded file as the handler gets it: on disk, removed after the answer. */
export interface Upload {
  readonly path: string
  readonly bytes: number
  /** The media type it was sent as, without parameters (`text/csv`). */
  readonly mediaType: string
  /** The `charset` parameter of the content type, when the client sent one. */
  readonly charset: string | undefined
}

/** Where uploads are spooled and how large they may be (`UPLOAD_DIR`, `UPLOAD_LIMIT_BYTES`). */
export interface UploadOptions {
  readonly dir: string
  readonly maxBytes: number
}

/** 100 MiB: a school year of a large school is a few tens of MiB as CSV. */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 100 * 1024 * 1024

export class TooLarge extends Error {
  readonly _tag = "TooLarge"
}

/** The media type of a `Content-Type` header, lower case, without parameters. */
export const mediaTypeOf = (header: string | undefined): { type: string; charset: string | undefined } => {
  const [type = "", ...parameters] = (header ?? "").split(";")
  const charset = parameters
    .map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p)?.[1])
    .find((c) => c !== undefined)
  return { type: type.trim().toLowerCase(), charset: charset?.toLowerCase() }
}

/**
 * Streams `body` into a new file under `options.dir`; fails with `TooLarge` (and removes the
 * partial file) as soon as more than `maxBytes` arrived. Backpressure is the pipeline's: a slow
 * disk slows the client down instead of filling memory.
 */
export const spool = async (
  body: ReadableStream<Uint8Array> | null,
  options: UploadOptions,
  declaredLength: number | undefined,
): Promise<{ readonly path: string; readonly bytes: number }> => {
  if (declaredLength !== undefined && declaredLength > options.maxBytes) throw new TooLarge()
  await mkdir(options.dir, { recursive: true, mode: 0o700 })
  const path = join(options.dir, `verzuimregie-upload-${randomBytes(12).toString("hex")}`)
  let bytes = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      if (bytes > options.maxBytes) done(new TooLarge())
      else done(null, chunk)
    },
  })
  try {
    await pipeline(
      body === null ? Readable.from([]) : Readable.fromWeb(body as import("node:stream/web").ReadableStream),
      counter,
      // Readable by the gateway's own user only: it holds pupils' data until it is removed.
      createWriteStream(path, { flags: "wx", mode: 0o600 }),
    )
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
  return { path, bytes }
}

/** Removes a spooled file; a file already gone is fine. */
export const discard = (path: string): Promise<void> => rm(path, { force: true })
