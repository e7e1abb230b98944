/**
 * A small HTTP/1.1 client on raw `node:net` sockets, for tests that need what `fetch` hides:
 * several requests one after the other on one keep-alive connection, chunked request bodies, a
 * declared Content-Length whose body is only partly sent, header values as sent on the wire, and
 * the exact moment the server hangs up.
 *
 * One `RawConnection` carries one request at a time. If a response does not say
 * `Connection: close`, the next request goes on the same socket; if the server then hangs up (or
 * goes silent) instead of answering, `send` reports it as `keep-alive broken after <previous>`.
 */
import { connect, type Socket } from "node:net"

export interface RawRequest {
  readonly method: string
  /** The request target exactly as written on the request line (path and query, already encoded). */
  readonly target: string
  /** Header lines in order; duplicates allowed. Values are written as UTF-8 bytes, unchecked. */
  readonly headers?: ReadonlyArray<readonly [string, string]>
  readonly body?: string | Buffer
  /** Send the body with `Transfer-Encoding: chunked`, in chunks of this many bytes. */
  readonly chunked?: number
  /**
   * Declare this Content-Length but send only `body` (shorter). The rest is owed: if the response
   * keeps the connection open, the connection sends the rest (after `restDelayMs`) before the
   * next request, as a client must.
   */
  readonly declaredLength?: number
  readonly restDelayMs?: number
  /** Omit the Host header (it is added otherwise). */
  readonly noHost?: boolean
}

export interface RawResponse {
  readonly status: number
  readonly statusText: string
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
  readonly text: string
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely
  readonly json: any
  /** The server announced `Connection: close` (or answered HTTP/1.0 without keep-alive). */
  readonly close: boolean
  /** Milliseconds from the last byte of the request written to the whole response read. */
  readonly ms: number
  /** Bytes of the response (head and body). */
  readonly size: number
  /** The response arrived before the whole request body was written. */
  readonly early: boolean
  /** A new socket was opened for this request (first request, or the previous one said close). */
  readonly freshSocket: boolean
}

export class RawHttpError extends Error {
  constructor(
    message: string,
    readonly kind: "hang-up" | "timeout" | "keep-alive-broken" | "protocol",
  ) {
    super(message)
  }
}

interface Pending {
  readonly method: string
  readonly resolve: (r: { head: Head; body: Buffer; size: number; at: number }) => void
  readonly reject: (e: RawHttpError) => void
}

interface Head {
  readonly status: number
  readonly statusText: string
  readonly version: string
  readonly headers: Record<string, string>
}

const CRLF2 = Buffer.from("\r\n\r\n")

/** Parses one response from `buf`; `undefined` while incomplete. Knows chunked and Content-Length. */
const parseResponse = (
  buf: Buffer,
  method: string,
  ended: boolean,
): { head: Head; body: Buffer; consumed: number } | undefined => {
  let offset = 0
  for (;;) {
    const end = buf.indexOf(CRLF2, offset)
    if (end < 0) return undefined
    const lines = buf.subarray(offset, end).toString("latin1").split("\r\n")
    const m = /^(HTTP\/\d\.\d) (\d{3}) ?(.*)$/.exec(lines[0] ?? "")
    if (m === null) throw new RawHttpError(`not an HTTP response: ${JSON.stringify(lines[0])}`, "protocol")
    const headers: Record<string, string> = {}
    for (const line of lines.slice(1)) {
      const i = line.indexOf(":")
      if (i <= 0) continue
      const name = line.slice(0, i).trim().toLowerCase()
      const value = line.slice(i + 1).trim()
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
    }
    const status = Number(m[2])
    const head: Head = { status, statusText: m[3] ?? "", version: m[1] as string, headers }
    const bodyStart = end + 4
    if (status >= 100 && status < 200 && status !== 101) {
      offset = bodyStart // an interim response: the real one follows
      continue
    }
    if (method === "HEAD" || status === 204 || status === 304) {
      return { head, body: Buffer.alloc(0), consumed: bodyStart }
    }
    if (/\bchunked\b/i.test(headers["transfer-encoding"] ?? "")) {
      const parts: Array<Buffer> = []
      let at = bodyStart
      for (;;) {
        const lineEnd = buf.indexOf("\r\n", at)
        if (lineEnd < 0) return undefined
        const size = Number.parseInt(buf.subarray(at, lineEnd).toString("latin1").split(";")[0] ?? "", 16)
        if (!Number.isFinite(size)) throw new RawHttpError("bad chunk size in response", "protocol")
        if (size === 0) {
          // Trailers, then an empty line.
          const trailerEnd = buf.indexOf("\r\n", lineEnd + 2)
          if (trailerEnd < 0) return undefined
          if (trailerEnd === lineEnd + 2)
            return { head, body: Buffer.concat(parts), consumed: trailerEnd + 2 }
          const block = buf.indexOf(CRLF2, lineEnd)
          if (block < 0) return undefined
          return { head, body: Buffer.concat(parts), consumed: block + 4 }
        }
        if (buf.length < lineEnd + 2 + size + 2) return undefined
        parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size))
        at = lineEnd + 2 + size + 2
      }
    }
    const length = headers["content-length"]
    if (length !== undefined) {
      const n = Number(length)
      if (buf.length < bodyStart + n) return undefined
      return { head, body: buf.subarray(bodyStart, bodyStart + n), consumed: bodyStart + n }
    }
    // Neither: the body runs to the end of the connection.
    if (!ended) return undefined
    return { head, body: buf.subarray(bodyStart), consumed: buf.length }
  }
}

const describe = (r: RawRequest) =>
  `${r.method} ${r.target.length > 160 ? `${r.target.slice(0, 160)}…(${r.target.length} chars)` : r.target}`

/** One client connection; `send` opens (or reopens) its socket as needed. */
export class RawConnection {
  private socket: Socket | undefined
  private buffer: Buffer = Buffer.alloc(0)
  private ended = false
  private closedAt = 0
  private pending: Pending | undefined
  private previous: { what: string; at: number } | undefined
  private owed: { bytes: number; delayMs: number } | undefined
  /** Body bytes of the previous request still being written after an early response. */
  private inflight: Promise<unknown> | undefined
  /** Sockets opened so far. */
  sockets = 0
  /** Requests that went on a socket that had carried a request before. */
  reused = 0

  constructor(
    readonly port: number,
    readonly host = "127.0.0.1",
    /** A socket that closes after being idle this long is the server's keep-alive timeout, not a fault. */
    readonly idleCloseMs = 4_000,
  ) {}

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port: this.port, host: this.host })
      socket.setNoDelay(true)
      this.sockets++
      this.socket = socket
      this.buffer = Buffer.alloc(0)
      this.ended = false
      this.closedAt = 0
      this.owed = undefined
      let connected = false
      socket.once("connect", () => {
        connected = true
        resolve()
      })
      socket.on("data", (chunk: Buffer) => {
        if (socket !== this.socket) return
        this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
        this.pump()
      })
      const gone = () => {
        if (socket !== this.socket) return
        if (!this.ended) {
          this.ended = true
          this.closedAt = Date.now()
        }
        this.pump()
      }
      socket.on("end", gone)
      socket.on("close", gone)
      socket.on("error", (error) => {
        if (socket !== this.socket) return
        if (!connected) reject(error)
        gone()
      })
    })
  }

  private pump() {
    const pending = this.pending
    if (pending === undefined) return
    let parsed: ReturnType<typeof parseResponse>
    try {
      parsed = parseResponse(this.buffer, pending.method, this.ended)
    } catch (error) {
      this.pending = undefined
      pending.reject(error as RawHttpError)
      return
    }
    if (parsed !== undefined) {
      this.pending = undefined
      this.buffer = this.buffer.subarray(parsed.consumed)
      pending.resolve({ head: parsed.head, body: parsed.body, size: parsed.consumed, at: performance.now() })
      return
    }
    if (this.ended) {
      this.pending = undefined
      pending.reject(
        new RawHttpError(
          this.buffer.length === 0
            ? "the server closed the connection without answering"
            : `the server closed the connection mid-response (${this.buffer.length} bytes: ${JSON.stringify(this.buffer.subarray(0, 120).toString("latin1"))})`,
          "hang-up",
        ),
      )
    }
  }

  /** Writes to one socket (never to a later one), resolving once handed to the kernel or failed. */
  private static write(socket: Socket, data: Buffer | string): Promise<void> {
    return new Promise((resolve) => {
      if (socket.destroyed || !socket.writable) return resolve()
      // A write error (EPIPE, ECONNRESET) shows as the connection ending; the response decides.
      socket.write(data, () => resolve())
    })
  }

  /**
   * Sends one request and reads its response. Rejects with `RawHttpError` when the server hangs
   * up or stays silent for `timeoutMs`; on a reused socket the message names the previous request.
   */
  async send(request: RawRequest, options: { readonly timeoutMs?: number } = {}): Promise<RawResponse> {
    const timeoutMs = options.timeoutMs ?? 5_000
    let fresh = false
    if (this.socket !== undefined && this.ended && this.previous !== undefined) {
      // The server closed the connection after the previous response, without saying so.
      const idle = this.closedAt - this.previous.at
      const previous = this.previous.what
      this.close()
      if (idle < this.idleCloseMs) {
        throw new RawHttpError(
          `keep-alive broken after ${previous}: the server closed the connection ${idle} ms after answering, without Connection: close`,
          "keep-alive-broken",
        )
      }
    }
    if (this.socket === undefined || this.socket.destroyed) {
      await this.open()
      fresh = true
    } else this.reused++
    if (this.buffer.length > 0) {
      const extra = this.buffer
      this.close()
      throw new RawHttpError(
        `the server sent ${extra.length} bytes nobody asked for after ${this.previous?.what ?? "?"}: ${JSON.stringify(extra.subarray(0, 120).toString("latin1"))}`,
        "protocol",
      )
    }
    const previous = fresh ? undefined : this.previous?.what
    const body =
      request.body === undefined
        ? undefined
        : typeof request.body === "string"
          ? Buffer.from(request.body, "utf8")
          : request.body
    const lines = [`${request.method} ${request.target} HTTP/1.1`]
    if (request.noHost !== true) lines.push(`Host: ${this.host}:${this.port}`)
    for (const [name, value] of request.headers ?? []) lines.push(`${name}: ${value}`)
    if (request.chunked !== undefined) lines.push("Transfer-Encoding: chunked")
    else if (request.declaredLength !== undefined) lines.push(`Content-Length: ${request.declaredLength}`)
    else if (body !== undefined) lines.push(`Content-Length: ${body.length}`)
    const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "utf8")

    const answered = new Promise<{ head: Head; body: Buffer; size: number; at: number }>(
      (resolve, reject) => {
        this.pending = { method: request.method, resolve, reject }
      },
    )
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RawHttpError(
              `no (complete) response within ${timeoutMs} ms${this.buffer.length > 0 ? ` (${this.buffer.length} bytes so far)` : ""}`,
              "timeout",
            ),
          ),
        timeoutMs,
      )
    })
    answered.catch(() => {})
    timedOut.catch(() => {})

    // The rest of the previous request (still being written, or declared but not sent) goes first.
    const owed = this.owed
    this.owed = undefined
    const before = this.inflight
    const socket = this.socket as Socket
    const write = (data: Buffer | string) => RawConnection.write(socket, data)
    let lastIssuedAt: number | undefined
    const writing = (async () => {
      await before
      if (owed !== undefined) {
        if (owed.delayMs > 0) await new Promise((r) => setTimeout(r, owed.delayMs))
        for (let left = owed.bytes; left > 0; left -= 65_536)
          await write(Buffer.alloc(Math.min(left, 65_536), 0x20))
      }
      const pieces: Array<Buffer | string> = [head]
      if (body !== undefined && request.chunked !== undefined) {
        for (let i = 0; i < body.length; i += request.chunked) {
          const chunk = body.subarray(i, i + request.chunked)
          pieces.push(
            Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]),
          )
        }
        pieces.push("0\r\n\r\n")
      } else if (body !== undefined) {
        for (let i = 0; i < body.length; i += 262_144) pieces.push(body.subarray(i, i + 262_144))
      }
      for (let i = 0; i < pieces.length; i++) {
        if (i === pieces.length - 1) lastIssuedAt = performance.now()
        await write(pieces[i] as Buffer | string)
      }
    })()
    this.inflight = writing
    let result: { head: Head; body: Buffer; size: number; at: number }
    try {
      result = await Promise.race([answered, timedOut])
    } catch (error) {
      this.pending = undefined
      this.close()
      const e = error as RawHttpError
      if (previous !== undefined) {
        throw new RawHttpError(
          `keep-alive broken after ${previous}: ${describe(request)} on the same socket got ${e.message}`,
          "keep-alive-broken",
        )
      }
      throw new RawHttpError(`${describe(request)}: ${e.message}`, e.kind)
    } finally {
      clearTimeout(timer)
    }
    const early = lastIssuedAt === undefined
    const ms = early ? 0 : Math.max(0, result.at - (lastIssuedAt as number))
    const connection = (result.head.headers.connection ?? "").toLowerCase()
    const close =
      /\bclose\b/.test(connection) ||
      (result.head.version === "HTTP/1.0" && !/\bkeep-alive\b/.test(connection))
    if (request.declaredLength !== undefined && body !== undefined && request.declaredLength > body.length) {
      this.owed = { bytes: request.declaredLength - body.length, delayMs: request.restDelayMs ?? 0 }
    }
    const text = result.body.toString("utf8")
    let json: unknown
    try {
      json = text === "" ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    this.previous = {
      what: `${describe(request)} → ${result.head.status}${request.declaredLength !== undefined ? ` (declared ${request.declaredLength} bytes, sent ${body?.length ?? 0})` : ""}`,
      at: Date.now(),
    }
    if (close) this.close()
    return {
      status: result.head.status,
      statusText: result.head.statusText,
      headers: result.head.headers,
      body: result.body,
      text,
      json,
      close,
      ms,
      size: result.size,
      early,
      freshSocket: fresh,
    }
  }

  /** Closes the socket (the next `send` opens a new one). */
  close(): void {
    const socket = this.socket
    this.socket = undefined
    this.pending = undefined
    this.owed = undefined
    this.inflight = undefined
    this.buffer = Buffer.alloc(0)
    this.ended = false
    if (socket !== undefined && !socket.destroyed) socket.destroy()
  }
}
