/**
 * Mail settings from the environment. SMTP when `SMTP_URL` is set, with TLS required (implicit
 * TLS for `smtps://`, STARTTLS for `smtp://`); only a server on the loopback interface may be
 * spoken to in plain text, and only with `SMTP_INSECURE_LOOPBACK=1`. Without `SMTP_URL`, mail goes
 * to a file outbox: one `.eml` per message in `DATA_DIR/mail` (created when missing).
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | `SMTP_URL` | — | `smtps://user:password@host:465` or `smtp://user:password@host:587` |
 * | `SMTP_INSECURE_LOOPBACK` | — | `1`: plain SMTP to 127.0.0.1 / localhost / ::1 only |
 * | `MAIL_FROM` | demo: `verzuimregie <noreply@localhost>`; production: required | sender |
 * | `PUBLIC_URL` | demo: where the gateway listens; production: required | the gateway as staff reach it; mail links there |
 * | `DATA_DIR` | `./data` | the file outbox is `DATA_DIR/mail` |
 * | `MAIL_RETRY_HOURS` | 72 | a temporarily failing message is retried at least this long |
 * | `MAIL_MAX_ATTEMPTS` | from `MAIL_RETRY_HOURS` | deliveries tried before a message is a dead letter |
 * | `MAIL_RETRY_BASE_SECONDS` | 30 | first retry delay; doubles per attempt |
 * | `MAIL_RETRY_MAX_SECONDS` | 3600 | longest retry delay |
 * | `SIGN_IN_LINK_MINUTES` | 30 | how long a person's one-time sign-in link works after it is mailed |
 * | `INSPECTIE_PSEUDONYM_KEY` | a key file in `DATA_DIR` | secret of the Inspectie pseudonyms, at least 32 characters |
 *
 * @since 0.1.0
 */
import * as Path from "node:path"
import { Database } from "@verzuimregie/store"
import { Either, Redacted, Schema } from "effect"

export interface SmtpTransport {
  readonly _tag: "smtp"
  readonly host: string
  readonly port: number
  /** Implicit TLS (`smtps://`); otherwise STARTTLS is required unless `insecureLoopback`. */
  readonly secure: boolean
  /** Plain SMTP to a loopback address, allowed by `SMTP_INSECURE_LOOPBACK=1`. */
  readonly insecureLoopback: boolean
  readonly user: string | undefined
  readonly password: Redacted.Redacted<string> | undefined
  /** The URL with the password masked, for logs. */
  readonly display: string
}

export interface FileTransport {
  readonly _tag: "file"
  /** The folder the `.eml` files go to. */
  readonly directory: string
}

export interface RetryPolicy {
  /**
   * Attempts before a message becomes a dead letter: by default the fewest that, even with the
   * shortest jitter, span `retryForMs` (see `attemptsFor`).
   */
  readonly maxAttempts: number
  /** How long a temporarily failing message is retried at least (72 hours by default). */
  readonly retryForMs: number
  /** Delay before the first retry; it doubles per attempt, with jitter. */
  readonly baseMs: number
  readonly maxMs: number
}

export interface MailConfig {
  readonly transport: SmtpTransport | FileTransport
  readonly from: string
  /** Without a trailing slash. */
  readonly publicUrl: string
  readonly dataDir: string
  readonly retry: RetryPolicy
  /** The Inspectie pseudonym key from the environment, if set there. */
  readonly pseudonymKey: Redacted.Redacted<string> | undefined
  /** How long a sign-in link works after its mail is made. */
  readonly signInLinkMs: number
}

export interface ConfigProblem {
  /** The environment variable. */
  readonly variable: string
  readonly message: string
}

export class MailConfigInvalid extends Schema.TaggedError<MailConfigInvalid>()("MailConfigInvalid", {
  problems: Schema.NonEmptyArray(Schema.Struct({ variable: Schema.String, message: Schema.String })),
}) {
  override get message(): string {
    return `de mailconfiguratie is ongeldig:\n${this.problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`
  }
}

export const DEFAULT_FROM = "verzuimregie <noreply@localhost>"
export const DEFAULT_PUBLIC_URL = "http://localhost:3000"
/** The store's data folder: the file outbox and the key file live beside the database. */
export const DEFAULT_DATA_DIR = Database.DEFAULT_DATA_DIR
export const MAIL_FOLDER = "mail"
/**
 * The fewest attempts whose retry delays add up to at least `retryForMs` when every delay is as
 * short as the jitter allows (half of `min(max, base · 2^(n−1))`, see `Worker.backoffMs`): the
 * last attempt then comes no sooner than `retryForMs` after the first, so an SMTP outage of that
 * length loses nothing.
 *
 * @example
 * attemptsFor({ retryForMs: 72 * 3_600_000, baseMs: 30_000, maxMs: 3_600_000 }) // 151
 */
export const attemptsFor = (policy: Omit<RetryPolicy, "maxAttempts">): number => {
  let attempts = 1
  let spanned = 0
  while (spanned < policy.retryForMs) {
    const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempts - 1, 52))
    spanned += Math.floor(ceiling / 2)
    attempts++
  }
  return attempts
}

const DEFAULT_TIMINGS = { retryForMs: 72 * 3_600_000, baseMs: 30_000, maxMs: 3_600_000 }
export const DEFAULT_RETRY: RetryPolicy = { ...DEFAULT_TIMINGS, maxAttempts: attemptsFor(DEFAULT_TIMINGS) }
/** The longest `MAIL_RETRY_HOURS`: 30 days. */
export const MAX_RETRY_HOURS = 720
export const MIN_PSEUDONYM_KEY_LENGTH = 32

export type Environment = Readonly<Record<string, string | undefined>>

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"])

/** 127.0.0.0/8, ::1 and localhost. */
export const isLoopback = (host: string): boolean =>
  LOOPBACK.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host)

const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/
/** `naam@domein` or `Naam <naam@domein>`. */
const isSender = (from: string): boolean => {
  const angled = /^[^<>]*<([^<>]+)>$/.exec(from.trim())
  return ADDRESS.test(angled?.[1] ?? from.trim())
}

/** The domain of the sender address, for Message-IDs. */
export const senderDomain = (from: string): string => {
  const angled = /<([^<>]+)>/.exec(from)
  const address = angled?.[1] ?? from
  return address.split("@")[1]?.trim().toLowerCase() || "localhost"
}

const masked = (url: URL): string => {
  const copy = new URL(url.href)
  if (copy.password !== "") copy.password = "***"
  return copy.href
}

const positiveInt = (
  env: Environment,
  variable: string,
  fallback: number,
  problems: Array<ConfigProblem>,
  { min, max }: { min: number; max: number },
): number => {
  const raw = env[variable]?.trim()
  if (raw === undefined || raw === "") return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push({
      variable,
      message: `verwacht een geheel getal van ${min} tot en met ${max}, niet ${JSON.stringify(raw)}`,
    })
    return fallback
  }
  return n
}

const smtpFrom = (
  raw: string,
  insecureFlag: boolean,
  problems: Array<ConfigProblem>,
): SmtpTransport | undefined => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problems.push({
      variable: "SMTP_URL",
      message: "geen URL; verwacht smtps://gebruiker:wachtwoord@host:465 of smtp://host:587",
    })
    return undefined
  }
  const scheme = url.protocol.replace(/:$/, "")
  if (scheme !== "smtp" && scheme !== "smtps") {
    problems.push({ variable: "SMTP_URL", message: `schema ${scheme} is niet smtp: of smtps:` })
    return undefined
  }
  const host = url.hostname
  if (host === "") {
    problems.push({ variable: "SMTP_URL", message: "heeft geen host" })
    return undefined
  }
  const secure = scheme === "smtps"
  const bareHost = host.replace(/^\[|\]$/g, "")
  if (insecureFlag && !isLoopback(bareHost)) {
    problems.push({
      variable: "SMTP_INSECURE_LOOPBACK",
      message: `SMTP zonder TLS mag alleen naar een loopback-adres (127.0.0.1, localhost, ::1), niet naar ${host}; verwijder de variabele en gebruik TLS`,
    })
    return undefined
  }
  const port = url.port === "" ? (secure ? 465 : 587) : Number(url.port)
  return {
    _tag: "smtp",
    host: bareHost,
    port,
    secure,
    insecureLoopback: insecureFlag && !secure,
    user: url.username === "" ? undefined : decodeURIComponent(url.username),
    password: url.password === "" ? undefined : Redacted.make(decodeURIComponent(url.password)),
    display: masked(url),
  }
}

export interface EnvironmentOptions {
  /**
   * Production (the gateway with `DEMO_DATA=off`): a sender and a public address are required,
   * since mail from `noreply@localhost` with links to localhost reaches no one usefully.
   */
  readonly production?: boolean
  /** The `PUBLIC_URL` default outside production: where this gateway listens. */
  readonly defaultPublicUrl?: string
}

/**
 * Reads the mail settings; every problem at once, each with its variable.
 *
 * @example
 * MailConfig.fromEnvironment(process.env) // Right({ transport: { _tag: "file", directory: "data/mail" }, … })
 */
export const fromEnvironment = (
  env: Environment,
  options: EnvironmentOptions = {},
): Either.Either<MailConfig, MailConfigInvalid> => {
  const problems: Array<ConfigProblem> = []
  if (options.production === true) {
    if (!env.MAIL_FROM?.trim()) {
      problems.push({
        variable: "MAIL_FROM",
        message:
          'niet ingesteld. Met DEMO_DATA=off (productie) gaat er geen mail uit van noreply@localhost: zet de afzender, bijvoorbeeld "Verzuimregie <verzuimregie@gemeente.nl>", of zet mail uit met MAIL=off',
      })
    }
    if (!env.PUBLIC_URL?.trim()) {
      problems.push({
        variable: "PUBLIC_URL",
        message:
          "niet ingesteld. Met DEMO_DATA=off (productie) wijzen de links in mail naar het adres waarop medewerkers verzuimregie bereiken, bijvoorbeeld https://verzuimregie.gemeente.nl; of zet mail uit met MAIL=off",
      })
    }
  }
  const dataDir = env.DATA_DIR?.trim() || DEFAULT_DATA_DIR
  const insecureRaw = env.SMTP_INSECURE_LOOPBACK?.trim() ?? ""
  if (insecureRaw !== "" && insecureRaw !== "1" && insecureRaw !== "0") {
    problems.push({
      variable: "SMTP_INSECURE_LOOPBACK",
      message: `verwacht 1 of 0, niet ${JSON.stringify(insecureRaw)}`,
    })
  }
  const smtpUrl = env.SMTP_URL?.trim() ?? ""
  if (smtpUrl === "" && insecureRaw === "1") {
    problems.push({
      variable: "SMTP_INSECURE_LOOPBACK",
      message: "is gezet, maar SMTP_URL niet: er is geen server om TLS voor te versoepelen",
    })
  }
  const transport: SmtpTransport | FileTransport | undefined =
    smtpUrl === ""
      ? { _tag: "file", directory: Path.join(dataDir, MAIL_FOLDER) }
      : smtpFrom(smtpUrl, insecureRaw === "1", problems)

  const from = env.MAIL_FROM?.trim() || DEFAULT_FROM
  if (!isSender(from)) {
    problems.push({
      variable: "MAIL_FROM",
      message: `verwacht een adres zoals verzuimregie@gemeente.nl of "Naam <adres>", niet ${JSON.stringify(from)}`,
    })
  }

  const publicRaw = env.PUBLIC_URL?.trim() || options.defaultPublicUrl || DEFAULT_PUBLIC_URL
  let publicUrl = DEFAULT_PUBLIC_URL
  try {
    const url = new URL(publicRaw)
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("scheme")
    if (url.search !== "" || url.hash !== "") throw new Error("query")
    publicUrl = url.href.replace(/\/+$/, "")
  } catch {
    problems.push({
      variable: "PUBLIC_URL",
      message: `verwacht het adres van de gateway zoals https://verzuimregie.gemeente.nl, niet ${JSON.stringify(publicRaw)}`,
    })
  }

  const retryHours = positiveInt(env, "MAIL_RETRY_HOURS", DEFAULT_RETRY.retryForMs / 3_600_000, problems, {
    min: 1,
    max: MAX_RETRY_HOURS,
  })
  const baseSeconds = positiveInt(env, "MAIL_RETRY_BASE_SECONDS", DEFAULT_RETRY.baseMs / 1000, problems, {
    min: 1,
    max: 86_400,
  })
  const maxSeconds = positiveInt(env, "MAIL_RETRY_MAX_SECONDS", DEFAULT_RETRY.maxMs / 1000, problems, {
    min: 1,
    max: 7 * 86_400,
  })
  if (maxSeconds < baseSeconds) {
    problems.push({
      variable: "MAIL_RETRY_MAX_SECONDS",
      message: `is kleiner dan MAIL_RETRY_BASE_SECONDS (${baseSeconds})`,
    })
  }
  const timings = { retryForMs: retryHours * 3_600_000, baseMs: baseSeconds * 1000, maxMs: maxSeconds * 1000 }
  // An explicit MAIL_MAX_ATTEMPTS may shorten the retry span; the default covers MAIL_RETRY_HOURS.
  const maxAttempts = positiveInt(env, "MAIL_MAX_ATTEMPTS", attemptsFor(timings), problems, {
    min: 1,
    max: 1_000_000,
  })

  // Short: the link shows a token once; a person who misses it asks their admin for a new one.
  const signInLinkMinutes = positiveInt(env, "SIGN_IN_LINK_MINUTES", 30, problems, { min: 5, max: 1440 })

  const key = env.INSPECTIE_PSEUDONYM_KEY
  if (key !== undefined && key !== "" && Buffer.byteLength(key, "utf8") < MIN_PSEUDONYM_KEY_LENGTH) {
    problems.push({
      variable: "INSPECTIE_PSEUDONYM_KEY",
      message: `heeft ${Buffer.byteLength(key, "utf8")} bytes; gebruik minstens ${MIN_PSEUDONYM_KEY_LENGTH} willekeurige tekens (openssl rand -hex 32)`,
    })
  }

  const [first, ...rest] = problems
  if (first !== undefined || transport === undefined) {
    return Either.left(
      new MailConfigInvalid({
        problems: first === undefined ? [{ variable: "SMTP_URL", message: "ongeldig" }] : [first, ...rest],
      }),
    )
  }
  return Either.right({
    transport,
    from,
    publicUrl,
    dataDir,
    retry: { ...timings, maxAttempts },
    pseudonymKey: key === undefined || key === "" ? undefined : Redacted.make(key),
    signInLinkMs: signInLinkMinutes * 60_000,
  })
}

/**
 * Where mail goes, for people (the start-up text): the transport, the sender and the address the
 * links point to, and whether these are the demo defaults.
 */
export const explain = (config: MailConfig, env: Environment): string => {
  const where =
    config.transport._tag === "file"
      ? `als .eml-bestanden in ${Path.resolve(config.transport.directory)} (geen SMTP_URL: er gaat niets de deur uit)`
      : `via SMTP ${config.transport.display}`
  const defaults = [
    ...(env.MAIL_FROM?.trim() ? [] : ["MAIL_FROM"]),
    ...(env.PUBLIC_URL?.trim() ? [] : ["PUBLIC_URL"]),
  ]
  return `${where}; afzender ${config.from}; links naar ${config.publicUrl}${
    defaults.length === 0 ? "" : ` (demo-standaard: ${defaults.join(" en ")} niet ingesteld)`
  }`
}

/** A line for the start-up log: where mail goes, without secrets. */
export const describe = (config: MailConfig): string =>
  config.transport._tag === "file"
    ? `mail: file outbox ${Path.resolve(config.transport.directory)}`
    : `mail: SMTP ${config.transport.display}${config.transport.secure ? " (TLS)" : config.transport.insecureLoopback ? " (plain, loopback only)" : " (STARTTLS required)"}`
