/**
 * Where mail goes: an SMTP server (nodemailer's SMTP transport, TLS required unless plain SMTP to
 * a loopback server was allowed) or the file outbox (nodemailer builds the message, we write it as
 * `<message id>.eml`, atomically; a resend of the same message replaces its file).
 *
 * A failed send is classified: an SMTP reply in the 5xx range is permanent (the server refused
 * for good: unknown mailbox, rejected sender, failed authentication); anything else (no
 * connection, time-out, 4xx "try later", TLS trouble) is temporary and worth a retry.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import type { ConnectionOptions } from "node:tls"
import { Context, Redacted } from "effect"
import nodemailer from "nodemailer"
import type { FileTransport, MailConfig, SmtpTransport } from "./MailConfig.js"

export interface Attachment {
  readonly filename: string
  readonly content: Buffer
  readonly contentType: string
}

/** A message ready to go. No personal data of pupils: the templates see to that. */
export interface Outgoing {
  /** RFC 5322 Message-ID with angle brackets, stable per outbox message. */
  readonly messageId: string
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly subject: string
  readonly text: string
  readonly html: string
  readonly attachments: ReadonlyArray<Attachment>
  readonly headers?: Readonly<Record<string, string>>
}

export interface Delivery {
  readonly accepted: ReadonlyArray<string>
  readonly rejected: ReadonlyArray<string>
  /** The server's last reply, or the file written. */
  readonly response: string
}

export interface Transport {
  /** For logs, without secrets. */
  readonly describe: string
  readonly send: (message: Outgoing) => Promise<Delivery>
  /** Checks the server can be reached and talked to (SMTP); a no-op for the file outbox. */
  readonly verify: () => Promise<void>
  readonly close: () => void
}

/** The transport service the worker sends through. */
export class Mailer extends Context.Tag("@verzuimregie/mail/Mailer")<Mailer, Transport>() {}

/** Why a send failed, and whether trying again can help. */
export class SendFailed extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message)
    this.name = "SendFailed"
  }
}

/**
 * Classifies a nodemailer error: 5xx replies are permanent, everything else temporary.
 *
 * @example
 * classify(Object.assign(new Error("550 no such user"), { responseCode: 550 })).permanent // true
 */
export const classify = (error: unknown): SendFailed => {
  if (error instanceof SendFailed) return error
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    readonly code?: unknown
    readonly responseCode?: unknown
    readonly message?: unknown
    readonly command?: unknown
  }
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : undefined
  const code = typeof e.code === "string" ? e.code : undefined
  const message = typeof e.message === "string" ? e.message : String(error)
  const permanent = responseCode !== undefined && responseCode >= 500 && responseCode <= 599
  const prefix = [code, responseCode, typeof e.command === "string" ? `at ${e.command}` : undefined]
    .filter((x) => x !== undefined)
    .join(" ")
  return new SendFailed(prefix === "" ? message : `${prefix}: ${message}`, permanent, responseCode, code)
}

const mailOptions = (message: Outgoing) => ({
  messageId: message.messageId,
  from: message.from,
  to: [...message.to],
  subject: message.subject,
  text: message.text,
  html: message.html,
  attachments: message.attachments.map((a) => ({
    filename: a.filename,
    content: a.content,
    contentType: a.contentType,
  })),
  headers: { ...message.headers },
})

export interface SmtpOptions {
  /** Default 15 s. */
  readonly connectionTimeoutMs?: number
  /** Default 60 s. */
  readonly socketTimeoutMs?: number
  /** Extra TLS settings (e.g. `ca` for a private CA). Certificates are always verified. */
  readonly tls?: Pick<ConnectionOptions, "ca" | "servername">
}

/**
 * SMTP through nodemailer. `smtps://` is TLS from the first byte; `smtp://` must upgrade with
 * STARTTLS (`requireTLS`), unless plain SMTP to loopback was allowed.
 */
export const smtp = (config: SmtpTransport, options: SmtpOptions = {}): Transport => {
  const transporter = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && !config.insecureLoopback,
    ignoreTLS: config.insecureLoopback,
    ...(config.user === undefined
      ? {}
      : {
          auth: {
            user: config.user,
            pass: config.password === undefined ? "" : Redacted.value(config.password),
          },
        }),
    connectionTimeout: options.connectionTimeoutMs ?? 15_000,
    greetingTimeout: options.connectionTimeoutMs ?? 15_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    tls: { minVersion: "TLSv1.2", rejectUnauthorized: true, ...options.tls },
  })
  return {
    describe: `SMTP ${config.display}`,
    send: async (message) => {
      try {
        const info = await transporter.sendMail(mailOptions(message))
        return {
          accepted: (info.accepted ?? []).map(String),
          rejected: (info.rejected ?? []).map(String),
          response: String(info.response ?? ""),
        }
      } catch (error) {
        throw classify(error)
      }
    },
    verify: async () => {
      try {
        await transporter.verify()
      } catch (error) {
        throw classify(error)
      }
    },
    close: () => transporter.close(),
  }
}

/** A file name for a message id: letters, digits, `.`, `-`, `_` only. */
export const fileNameOf = (messageId: string): string =>
  `${messageId
    .replace(/^<|>$/g, "")
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(0, 200)}.eml`

/** The file outbox: one `.eml` per message in `directory` (created when missing). */
export const file = (config: FileTransport): Transport => {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" })
  return {
    describe: `file outbox ${Path.resolve(config.directory)}`,
    send: async (message) => {
      try {
        const info = await transporter.sendMail(mailOptions(message))
        await Fs.mkdir(config.directory, { recursive: true })
        const target = Path.join(config.directory, fileNameOf(message.messageId))
        const temporary = `${target}.${process.pid}.tmp`
        await Fs.writeFile(temporary, info.message as Buffer, { mode: 0o600 })
        await Fs.rename(temporary, target)
        return { accepted: [...message.to], rejected: [], response: `written to ${target}` }
      } catch (error) {
        throw classify(error)
      }
    },
    verify: async () => {
      await Fs.mkdir(config.directory, { recursive: true })
      await Fs.access(config.directory, Fs.constants.W_OK)
    },
    close: () => transporter.close(),
  }
}

/** The transport the configuration asks for. */
export const fromConfig = (config: MailConfig, options: SmtpOptions = {}): Transport =>
  config.transport._tag === "smtp" ? smtp(config.transport, options) : file(config.transport)
