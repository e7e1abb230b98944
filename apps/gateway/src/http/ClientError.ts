/**
 * Requests Node's HTTP parser refuses before the app sees them (a header over 16 KiB, a control
 * character in a header, a broken request line) still get a problem+json answer with a request
 * id, instead of Node's bare status line.
 */
import { randomBytes } from "node:crypto"
import type { Duplex } from "node:stream"
import type { Log } from "../Log.js"
import { makeProblem } from "./Problem.js"

const reasons: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  431: "Request Header Fields Too Large",
}

const details: Record<number, string> = {
  400: "Het verzoek is geen geldig HTTP (bijvoorbeeld een stuurteken in een header).",
  408: "Het verzoek kwam niet op tijd binnen.",
  431: "De headers zijn samen groter dan 16 KiB.",
}

/** A `clientError` listener for a Node HTTP server; `log` gets one line without request data. */
export const clientErrorHandler =
  (log: Log) =>
  (error: Error & { readonly code?: string }, socket: Duplex): void => {
    // A reset or a socket already answering cannot take a reply.
    if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy()
      return
    }
    const status =
      error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400
    const requestId = `req_${randomBytes(9).toString("base64url")}`
    const body = JSON.stringify({ ...makeProblem(status, { detail: details[status] ?? "" }), requestId })
    log({
      level: "info",
      message: `a request that could not be parsed answered ${status}`,
      requestId,
      route: "(unparsed)",
      status,
      code: error.code ?? "unknown",
    })
    socket.end(
      [
        `HTTP/1.1 ${status} ${reasons[status]}`,
        "content-type: application/problem+json",
        `content-length: ${Buffer.byteLength(body)}`,
        "cache-control: no-store",
        `x-request-id: ${requestId}`,
        "connection: close",
        "",
        body,
      ].join("\r\n"),
    )
  }
