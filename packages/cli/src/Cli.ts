/**
 * The one command-line module of verzuimregie. Every command (the admin CLI, the store's
 * maintenance commands, check-config, check-referral, send-summary, export-cases, create-plugin)
 * declares its options and arguments here, each with an Effect Schema that decodes the text the
 * operator typed; this module parses the command line, writes the Dutch `--help`, names the real
 * option in every complaint (with the closest real option for a typo) and ends the process with
 * one set of exit codes (`ExitCode`). `runMain` is the single entry every bin calls.
 *
 * Why not `@effect/cli`: its help headings (USAGE, OPTIONS, COMMANDS) and its validation texts are
 * English strings inside the library, with no hook to replace them; operators here read Dutch.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Either, Exit, Option, Schema } from "effect"

/**
 * The exit codes of every command.
 *
 * @since 0.1.0
 */
export const ExitCode = {
  /** The work is done. */
  ok: 0,
  /** The work failed: an invalid referral or configuration, a broken audit chain, a refused change. */
  failed: 1,
  /** Wrong use of the command: an unknown option, a missing or invalid value. Nothing was done. */
  usage: 2,
  /** The database (or another service the command needs) could not be reached. Nothing was done. */
  unavailable: 3,
} as const

const EXIT_CODES_HELP =
  "Afsluitcodes: 0 gelukt, 1 mislukt (bijvoorbeeld een ongeldige aanmelding of configuratie), 2 verkeerd gebruik van de opdracht, 3 database niet bereikbaar."

/**
 * The operator used the command wrongly; `message` names the option (`--region: …`). Exit code 2.
 *
 * @since 0.1.0
 */
export class UsageError extends Schema.TaggedError<UsageError>()("CliUsageError", {
  message: Schema.String,
}) {}

/**
 * The work failed; `message` says why, for the operator. Exit code 1.
 *
 * @since 0.1.0
 */
export class Failed extends Schema.TaggedError<Failed>()("CliFailed", {
  message: Schema.String,
}) {}

/**
 * The database (or another service) could not be reached. Exit code 3.
 *
 * @since 0.1.0
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("CliUnavailable", {
  message: Schema.String,
}) {}

// ---------------------------------------------------------------------------------------------
// Options and arguments

/**
 * One `--name [value]` option, decoded to `A`.
 *
 * @since 0.1.0
 */
export interface Opt<A> {
  readonly _tag: "Option"
  /** Without the dashes: `expires-days`. */
  readonly name: string
  /** `<n>` in the help; undefined for a switch without a value. */
  readonly placeholder: string | undefined
  readonly description: string
  /** The expected form, for a complaint: "een geheel getal van 1 of meer". */
  readonly expected: string
  readonly required: boolean
  /** `raw` is undefined when the option was not given (a switch: "" when given). */
  readonly decode: (raw: string | undefined) => Either.Either<A, string>
}

/**
 * The positional arguments of a command, decoded together to `A`.
 *
 * @since 0.1.0
 */
export interface Args<A> {
  readonly _tag: "Args"
  readonly placeholder: string
  readonly description: string
  readonly min: number
  readonly max: number
  readonly decode: (raws: ReadonlyArray<string>) => Either.Either<A, string>
}

const show = (raw: string) => JSON.stringify(raw)

const decodeWith =
  <A>(schema: Schema.Schema<A, string>, expected: string) =>
  (raw: string): Either.Either<A, string> =>
    Either.mapLeft(Schema.decodeUnknownEither(schema)(raw), () => `verwacht ${expected}, niet ${show(raw)}`)

/**
 * A required option with a value, decoded by `schema` (text in, `A` out).
 *
 * @since 0.1.0
 */
export const option = <A>(
  name: string,
  schema: Schema.Schema<A, string>,
  spec: { readonly placeholder: string; readonly description: string; readonly expected?: string },
): Opt<A> => {
  const expected = spec.expected ?? spec.placeholder
  const decode = decodeWith(schema, expected)
  return {
    _tag: "Option",
    name,
    placeholder: spec.placeholder,
    description: spec.description,
    expected,
    required: true,
    decode: (raw) =>
      raw === undefined
        ? Either.left(`verplicht; geef ${spec.placeholder}: ${spec.description}`)
        : decode(raw),
  }
}

/**
 * A required option whose value is any non-empty text.
 *
 * @since 0.1.0
 */
export const text = (
  name: string,
  spec: { readonly placeholder: string; readonly description: string; readonly expected?: string },
): Opt<string> => option(name, NonEmpty, { expected: `${spec.placeholder} (niet leeg)`, ...spec })

/**
 * The option may be left out: then its value is `undefined`.
 *
 * @since 0.1.0
 */
export const optional = <A>(opt: Opt<A>): Opt<A | undefined> => ({
  ...opt,
  required: false,
  decode: (raw) => (raw === undefined ? Either.right(undefined) : opt.decode(raw)),
})

/**
 * The option may be left out: then its value is `value` (shown in the help).
 *
 * @since 0.1.0
 */
export const withDefault = <A>(opt: Opt<A>, value: A, shown: string = String(value)): Opt<A> => ({
  ...opt,
  required: false,
  description: `${opt.description} (standaard ${shown})`,
  decode: (raw) => (raw === undefined ? Either.right(value) : opt.decode(raw)),
})

/**
 * A switch without a value: `true` when given.
 *
 * @since 0.1.0
 */
export const flag = (name: string, description: string): Opt<boolean> => ({
  _tag: "Option",
  name,
  placeholder: undefined,
  description,
  expected: "geen waarde (een schakelaar)",
  required: false,
  decode: (raw) => Either.right(raw !== undefined),
})

/**
 * Positional arguments: `min` to `max` of them, each decoded by `schema`.
 *
 * @since 0.1.0
 */
export const args = <A>(
  placeholder: string,
  schema: Schema.Schema<A, string>,
  spec: {
    readonly description: string
    readonly expected?: string
    readonly min?: number
    readonly max?: number
  },
): Args<ReadonlyArray<A>> => {
  const decode = decodeWith(schema, spec.expected ?? placeholder)
  return {
    _tag: "Args",
    placeholder,
    description: spec.description,
    min: spec.min ?? 0,
    max: spec.max ?? Number.POSITIVE_INFINITY,
    decode: (raws) => {
      const out: Array<A> = []
      for (const raw of raws) {
        const one = decode(raw)
        if (Either.isLeft(one)) return Either.left(`${placeholder}: ${one.left}`)
        out.push(one.right)
      }
      return Either.right(out)
    },
  }
}

// Schemas for the usual values on a command line.

/**
 * Text that is not empty (nor only spaces); trimmed.
 *
 * @since 0.1.0
 */
export const NonEmpty: Schema.Schema<string, string> = Schema.Trim.pipe(Schema.nonEmptyString())

/**
 * A whole number from text; `min` and `max` bound it.
 *
 * @since 0.1.0
 */
export const Integer = (bounds: { readonly min?: number; readonly max?: number } = {}) =>
  Schema.NumberFromString.pipe(
    Schema.int(),
    Schema.greaterThanOrEqualTo(bounds.min ?? Number.MIN_SAFE_INTEGER),
    Schema.lessThanOrEqualTo(bounds.max ?? Number.MAX_SAFE_INTEGER),
  )

/**
 * One of a fixed set of words.
 *
 * @since 0.1.0
 */
export const oneOf = <const L extends ReadonlyArray<string>>(
  ...values: L
): Schema.Schema<L[number], string> =>
  Schema.compose(Schema.String, Schema.Literal(...values), { strict: false })

/**
 * A comma-separated list (`a,b`): trimmed, empty parts dropped.
 *
 * @since 0.1.0
 */
export const CommaList: Schema.Schema<ReadonlyArray<string>, string> = Schema.transform(
  Schema.String,
  Schema.Array(Schema.String),
  {
    strict: true,
    decode: (s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter((x) => x !== ""),
    encode: (xs) => xs.join(","),
  },
)

// ---------------------------------------------------------------------------------------------
// Commands

// biome-ignore lint/suspicious/noExplicitAny: a command holds options of different value types
type AnyOpt = Opt<any>
type Options = Record<string, AnyOpt>

/**
 * The decoded options of a command.
 *
 * @since 0.1.0
 */
export type Values<O extends Options> = { readonly [K in keyof O]: O[K] extends Opt<infer A> ? A : never }

/** What a command's work ends with: nothing (exit 0) or an exit code of its own. */
// biome-ignore lint/suspicious/noConfusingVoidType: a command's work may return nothing, as an async function does
type Outcome = Effect.Effect<number | void, unknown> | Promise<number | void>

/**
 * A command that does work.
 *
 * @since 0.1.0
 */
export interface Command {
  readonly _tag: "Command"
  readonly name: string
  readonly summary: string
  /** More text for the help, after the options (environment, examples). */
  readonly details: string | undefined
  readonly options: ReadonlyArray<AnyOpt>
  readonly args: Args<unknown> | undefined
  /** Parses and runs; only `run` (of this module) calls it. */
  readonly execute: (options: Record<string, unknown>, args: unknown) => Outcome
  readonly keys: ReadonlyArray<string>
}

/**
 * Commands under one name (`org` → `org create`, `org list`).
 *
 * @since 0.1.0
 */
export interface Group {
  readonly _tag: "Group"
  readonly name: string
  readonly summary: string
  readonly details: string | undefined
  readonly commands: ReadonlyArray<Command | Group>
}

/**
 * Declares a command: its options (field name → option), its arguments, and its work.
 *
 * @since 0.1.0
 */
export const command = <const O extends Options, A = undefined>(
  name: string,
  spec: {
    readonly summary: string
    readonly details?: string
    readonly options: O
    readonly args?: Args<A>
    readonly run: (options: Values<O>, args: A) => Outcome
  },
): Command => {
  const names = Object.values(spec.options).map((o) => o.name)
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice !== undefined || names.includes("help"))
    throw new Error(`command ${name}: option --${twice ?? "help"}`)
  return {
    _tag: "Command",
    name,
    summary: spec.summary,
    details: spec.details,
    options: Object.values(spec.options),
    args: spec.args as Args<unknown> | undefined,
    keys: Object.keys(spec.options),
    execute: (options, args) => spec.run(options as Values<O>, args as A),
  }
}

/**
 * Declares a group of commands.
 *
 * @since 0.1.0
 */
export const group = (
  name: string,
  spec: {
    readonly summary: string
    readonly details?: string
    readonly commands: ReadonlyArray<Command | Group>
  },
): Group => ({ _tag: "Group", name, summary: spec.summary, details: spec.details, commands: spec.commands })

// ---------------------------------------------------------------------------------------------
// Help

const optionUsage = (o: AnyOpt): string => {
  const body = o.placeholder === undefined ? `--${o.name}` : `--${o.name} ${o.placeholder}`
  return o.required ? body : `[${body}]`
}

const argsUsage = (a: Args<unknown>): string => {
  const many = a.max > 1 ? " …" : ""
  return a.min > 0 ? `${a.placeholder}${many}` : `[${a.placeholder}${many}]`
}

/** `verzuimregie-admin org create --name <naam> [--brin <code>]` */
const usageLine = (path: ReadonlyArray<string>, node: Command | Group): string =>
  node._tag === "Group"
    ? `${path.join(" ")} <opdracht> [opties]`
    : [
        path.join(" "),
        ...node.options.map(optionUsage),
        ...(node.args === undefined ? [] : [argsUsage(node.args)]),
      ].join(" ")

const table = (rows: ReadonlyArray<readonly [string, string]>): string => {
  const width = Math.min(32, Math.max(...rows.map(([left]) => left.length)))
  return rows
    .map(([left, right]) =>
      left.length > width
        ? `  ${left}\n  ${" ".repeat(width)}  ${right}`
        : `  ${left.padEnd(width)}  ${right}`,
    )
    .join("\n")
}

const leaves = (
  node: Command | Group,
  path: ReadonlyArray<string>,
): ReadonlyArray<{ readonly path: ReadonlyArray<string>; readonly command: Command }> =>
  node._tag === "Command"
    ? [{ path, command: node }]
    : node.commands.flatMap((c) => leaves(c, [...path, c.name]))

/**
 * The Dutch help of a command or group, as `--help` prints it.
 *
 * @since 0.1.0
 */
export const help = (path: ReadonlyArray<string>, node: Command | Group): string => {
  const summary = `${node.summary.charAt(0).toUpperCase()}${node.summary.slice(1)}`
  const parts = [`Gebruik: ${usageLine(path, node)}`, summary]
  if (node._tag === "Group") {
    const all = leaves(node, path)
    parts.push(
      `Opdrachten:\n${table(all.map(({ path: p, command }) => [p.slice(path.length).join(" "), command.summary]))}`,
    )
    parts.push(`Meer over één opdracht: ${path.join(" ")} <opdracht> --help`)
  } else {
    const rows: Array<readonly [string, string]> = node.options.map((o) => [
      o.placeholder === undefined ? `--${o.name}` : `--${o.name} ${o.placeholder}`,
      `${o.description}${o.required ? " (verplicht)" : ""}`,
    ])
    if (node.args !== undefined) rows.push([argsUsage(node.args), node.args.description])
    rows.push(["--help", "deze hulptekst"])
    parts.push(`Opties:\n${table(rows)}`)
  }
  if (node.details !== undefined) parts.push(node.details)
  parts.push(EXIT_CODES_HELP)
  return parts.join("\n\n")
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Edit distance (insert, delete, replace), for "Bedoelt u …?". */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/**
 * The closest of `candidates` to `given`, when it is close enough to be a typo: a small edit
 * distance, or one is a prefix of the other (`organisationId` → `org`).
 *
 * @since 0.1.0
 */
export const closest = (given: string, candidates: ReadonlyArray<string>): string | undefined => {
  const g = given.toLowerCase()
  const scored = candidates
    .map((c) => {
      const l = c.toLowerCase()
      const prefix = Math.min(l.length, g.length) >= 3 && (g.startsWith(l) || l.startsWith(g))
      const d = distance(g, l)
      return { c, d, near: prefix || d <= Math.max(2, Math.floor(Math.max(g.length, l.length) / 3)) }
    })
    .filter((s) => s.near)
    .sort((a, b) => a.d - b.d)
  return scored[0]?.c
}

const didYouMean = (suggestion: string | undefined): string =>
  suggestion === undefined ? "" : ` Bedoelt u ${suggestion}?`

/** What the command line asks for. */
type Parsed =
  | { readonly _tag: "Help"; readonly path: ReadonlyArray<string>; readonly node: Command | Group }
  | {
      readonly _tag: "Run"
      readonly path: ReadonlyArray<string>
      readonly command: Command
      readonly options: Record<string, unknown>
      readonly args: unknown
    }
  | {
      readonly _tag: "Wrong"
      readonly path: ReadonlyArray<string>
      readonly node: Command | Group
      readonly problems: ReadonlyArray<string>
    }

const isHelp = (token: string) => token === "--help" || token === "-h"
/** A negative number is a value, not an option. */
const looksLikeOption = (token: string) => token.startsWith("-") && token !== "-" && !/^-\d/.test(token)

/**
 * Reads a command line (without node and the script) against a command tree.
 *
 * @since 0.1.0
 */
export const parse = (root: Command | Group, argv: ReadonlyArray<string>): Parsed => {
  // pnpm passes a `--` between its own arguments and the command's.
  const tokens = argv.filter((t) => t !== "--")
  const wantsHelp = tokens.some(isHelp)
  let node: Command | Group = root
  let path: Array<string> = [root.name]
  let i = 0
  while (node._tag === "Group") {
    const word = tokens[i]
    if (word === undefined || looksLikeOption(word)) {
      if (wantsHelp) return { _tag: "Help", path, node }
      return {
        _tag: "Wrong",
        path,
        node,
        problems: [`geef een opdracht: ${node.commands.map((c) => c.name).join(", ")}`],
      }
    }
    const child: Command | Group | undefined = node.commands.find((c) => c.name === word)
    if (child === undefined) {
      return {
        _tag: "Wrong",
        path,
        node,
        problems: [
          `Onbekende opdracht ${word}.${didYouMean(
            closest(
              word,
              node.commands.map((c) => c.name),
            ),
          )} Opdrachten: ${node.commands.map((c) => c.name).join(", ")}`,
        ],
      }
    }
    node = child
    path = [...path, word]
    i++
  }
  const cmd: Command = node
  if (wantsHelp) return { _tag: "Help", path, node: cmd }

  const byName = new Map(cmd.options.map((o) => [o.name, o]))
  const raw = new Map<string, string>()
  const positionals: Array<string> = []
  const problems: Array<string> = []
  const rest = tokens.slice(i)
  for (let j = 0; j < rest.length; j++) {
    const token = rest[j] as string
    if (!looksLikeOption(token)) {
      positionals.push(token)
      continue
    }
    const dashes = token.startsWith("--") ? "--" : "-"
    const body = token.slice(dashes.length)
    const eq = body.indexOf("=")
    const name = eq === -1 ? body : body.slice(0, eq)
    const inline = eq === -1 ? undefined : body.slice(eq + 1)
    const opt = dashes === "--" ? byName.get(name) : undefined
    if (opt === undefined) {
      const shown = `${dashes}${name}`
      const suggestion = closest(
        name,
        cmd.options.map((o) => o.name),
      )
      problems.push(
        `Onbekende optie ${shown}.${didYouMean(suggestion === undefined ? undefined : `--${suggestion}`)}`,
      )
      // Its value, if any, is not a positional argument of its own.
      if (inline === undefined && rest[j + 1] !== undefined && !looksLikeOption(rest[j + 1] as string)) j++
      continue
    }
    // Given twice, the last one counts (as in most command lines: a script's default, then the operator's).
    if (opt.placeholder === undefined) {
      if (inline !== undefined)
        problems.push(`--${name}: is een schakelaar en neemt geen waarde (${show(inline)})`)
      raw.set(name, "")
      continue
    }
    const value = inline ?? rest[j + 1]
    if (value === undefined || (inline === undefined && looksLikeOption(value))) {
      problems.push(
        `--${name}: mist een waarde; geef ${opt.placeholder}${opt.expected === opt.placeholder ? "" : ` (${opt.expected})`}`,
      )
      raw.set(name, "")
      continue
    }
    if (inline === undefined) j++
    raw.set(name, value)
  }

  const options: Record<string, unknown> = {}
  cmd.options.forEach((opt, k) => {
    if (problems.some((p) => p.startsWith(`--${opt.name}:`))) return
    const decoded = opt.decode(raw.get(opt.name))
    if (Either.isLeft(decoded)) problems.push(`--${opt.name}: ${decoded.left}`)
    else options[cmd.keys[k] as string] = decoded.right
  })

  let args: unknown
  const spec = cmd.args
  if (spec === undefined) {
    if (positionals.length > 0) problems.push(`onverwacht argument: ${positionals.join(" ")}`)
  } else if (positionals.length < spec.min) {
    problems.push(`${spec.placeholder}: verplicht (${spec.description})`)
  } else if (positionals.length > spec.max) {
    problems.push(
      `${spec.placeholder}: hoogstens ${spec.max}, niet ${positionals.length} (${positionals.join(" ")})`,
    )
  } else {
    const decoded = spec.decode(positionals)
    if (Either.isLeft(decoded)) problems.push(decoded.left)
    else args = decoded.right
  }
  if (problems.length > 0) return { _tag: "Wrong", path, node: cmd, problems }
  return { _tag: "Run", path, command: cmd, options, args }
}

// ---------------------------------------------------------------------------------------------
// Running

/**
 * Where a command writes; the process's own streams by default.
 *
 * @since 0.1.0
 */
export interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}

const messageOf = (error: unknown): string =>
  error instanceof Error || (typeof error === "object" && error !== null && "message" in error)
    ? String((error as { message: unknown }).message)
    : String(error)

/** Each problem on its own line, after the command's name (`org create: --brin: …`). */
const prefixed = (path: ReadonlyArray<string>, problems: ReadonlyArray<string>): string => {
  const name = path.length > 1 ? path.slice(1).join(" ") : (path[0] ?? "")
  return problems.map((p) => `${name}: ${p}`).join("\n")
}

/** The short usage an error ends with: the usage line and where the full help is. */
const shortUsage = (path: ReadonlyArray<string>, node: Command | Group) =>
  `Gebruik: ${usageLine(path, node)}\nMeer uitleg: ${path.join(" ")} --help`

/**
 * Parses `argv` against `root`, runs the command and returns its exit code; everything the
 * operator reads goes through `io`.
 *
 * @since 0.1.0
 */
export const run = (
  root: Command | Group,
  argv: ReadonlyArray<string>,
  io: Io = processIo,
  env: Record<string, string | undefined> = {},
): Effect.Effect<number> =>
  Effect.gen(function* () {
    const parsed = parse(root, argv)
    if (parsed._tag === "Help") {
      io.out(help(parsed.path, parsed.node))
      return ExitCode.ok
    }
    if (parsed._tag === "Wrong") {
      io.err(prefixed(parsed.path, parsed.problems))
      io.err(shortUsage(parsed.path, parsed.node))
      return ExitCode.usage
    }
    const { command: cmd, path } = parsed
    const outcome = yield* Effect.suspend(() => {
      const result = cmd.execute(parsed.options, parsed.args)
      return Effect.isEffect(result)
        ? result
        : Effect.tryPromise({ try: () => result, catch: (error) => error })
    }).pipe(Effect.exit)
    if (Exit.isSuccess(outcome)) return typeof outcome.value === "number" ? outcome.value : ExitCode.ok
    const failure = Cause.failureOption(outcome.cause)
    const error = Option.isSome(failure) ? failure.value : Cause.squash(outcome.cause)
    if (env.VERBOSE === "1") io.err(Cause.pretty(outcome.cause))
    if (error instanceof UsageError) {
      io.err(prefixed(path, error.message.split("\n")))
      io.err(shortUsage(path, cmd))
      return ExitCode.usage
    }
    // The work's own report (a configuration's problems, a refused change) is printed as it is.
    io.err(messageOf(error))
    return error instanceof Unavailable ? ExitCode.unavailable : ExitCode.failed
  })

/**
 * The command tree as data: every command's path, options and arguments. The cross-command
 * test reads it (`VERZUIMREGIE_CLI_DESCRIBE=1`), so no command can be left out of its checks.
 *
 * @since 0.1.0
 */
export const describe = (root: Command | Group) =>
  leaves(root, [root.name]).map(({ path, command: cmd }) => ({
    path: path.slice(1),
    name: path.join(" "),
    options: cmd.options.map((o) => ({
      name: o.name,
      required: o.required,
      flag: o.placeholder === undefined,
      // A value this option refuses, when there is one: the test asks for the complaint.
      refuses: ["x", "-1", "0", "99999999", "ongeldig.txt"].find((v) => Either.isLeft(o.decode(v))),
    })),
    args: cmd.args === undefined ? undefined : { min: cmd.args.min, max: cmd.args.max },
  }))

/**
 * The entry of every bin: runs `root` on the process's arguments and sets the exit code.
 *
 * @since 0.1.0
 */
export const runMain = (root: Command | Group): void => {
  if (process.env.VERZUIMREGIE_CLI_DESCRIBE === "1") {
    process.stdout.write(`${JSON.stringify(describe(root))}\n`)
    return
  }
  Effect.runPromise(run(root, process.argv.slice(2), processIo, process.env)).then(
    (code) => {
      process.exitCode = code
    },
    (defect: unknown) => {
      process.stderr.write(`${root.name}: ${messageOf(defect)}\n`)
      process.exitCode = ExitCode.failed
    },
  )
}
