/**
 * A real SMTP server on 127.0.0.1 (smtp-server), on a port the system picks. It keeps what it
 * receives, can refuse recipients with a chosen reply, and can be stopped and started again on the
 * same port.
 */
import type { AddressInfo } from "node:net"
import { type ParsedMail, simpleParser } from "mailparser"
import { SMTPServer } from "smtp-server"

export interface Received {
  readonly raw: Buffer
  readonly parsed: ParsedMail
  readonly to: ReadonlyArray<string>
}

export interface TestSmtp {
  readonly port: number
  readonly url: string
  readonly received: Array<Received>
  /** Refuse every recipient with this reply (e.g. 451 or 550), or accept again with undefined. */
  refuse(reply: { code: number; message: string } | undefined): void
  stop(): Promise<void>
  start(): Promise<void>
  /** Waits until `n` messages have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>
}

const listen = (server: SMTPServer, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.server.once("error", reject)
    server.listen(port, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port))
  })

export const startSmtp = async (): Promise<TestSmtp> => {
  const received: Array<Received> = []
  let refusal: { code: number; message: string } | undefined
  const make = () =>
    new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ["AUTH", "STARTTLS"],
      logger: false,
      onRcptTo(_address, _session, callback) {
        if (refusal === undefined) return callback()
        const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code })
        return callback(error)
      },
      onData(stream, session, callback) {
        const chunks: Array<Buffer> = []
        stream.on("data", (chunk: Buffer) => chunks.push(chunk))
        stream.on("end", () => {
          const raw = Buffer.concat(chunks)
          simpleParser(raw)
            .then((parsed) => {
              received.push({ raw, parsed, to: session.envelope.rcptTo.map((r) => r.address) })
              callback()
            })
            .catch(callback)
        })
      },
    })
  let server = make()
  const port = await listen(server, 0)
  let running = true
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse: (reply) => {
      refusal = reply
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (!running) return resolve()
        running = false
        server.close(() => resolve())
      }),
    start: async () => {
      if (running) return
      server = make()
      await listen(server, port)
      running = true
    },
    waitFor: async (n, timeoutMs = 20_000) => {
      const until = Date.now() + timeoutMs
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} messages, got ${received.length}`)
        await new Promise((r) => setTimeout(r, 25))
      }
    },
  }
}
