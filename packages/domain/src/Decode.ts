/**
 * Decoding with errors that name every offending field path, for the gateway, the command line
 * and file imports alike.
 *
 * @since 0.1.0
 */
import { SchemaAST as AST, Either, Option, ParseResult, Schema } from "effect"
import { type FieldIssue, ValidationError } from "./Errors.js"

/** Longer input echoed in a message, or a longer key in a path, is cut to this many characters. */
export const MAX_ECHO = 60

/** The first `max` characters (whole code points) and an ellipsis, when `s` is longer. */
const cut = (s: string, max: number): string => {
  if (s.length <= max) return s
  const points = Array.from(s.slice(0, max * 2)) // a code point is at most two UTF-16 units
  return points.length <= max ? s : `${points.slice(0, max).join("")}…`
}

/**
 * The offending value as a message repeats it: strings cut to {@link MAX_ECHO} characters, so an
 * error report is not as large as the input and hands back no more of it than it takes to
 * recognise the field.
 */
const echo = (actual: unknown): string =>
  typeof actual === "string" && actual.length > MAX_ECHO
    ? `${JSON.stringify(cut(actual, MAX_ECHO))} (${actual.length} tekens)`
    : cut(show(actual), 2 * MAX_ECHO)

const show = (actual: unknown): string => {
  if (actual === undefined) return "niets"
  try {
    return JSON.stringify(actual) ?? String(actual)
  } catch {
    return String(actual) // a bigint or a cycle
  }
}

// ---------------------------------------------------------------------------------------------
// Dutch messages. This is the one place where Effect Schema's (English) parse issues become the
// words a person reads: the gateway's problem details, the command line and file imports all
// decode through here. Schemas with their own `message` annotation or filter text say it in
// Dutch themselves; everything Effect says by default is translated below.
// ---------------------------------------------------------------------------------------------

/** What a value of a named schema looks like, by its `identifier` annotation. */
const expectedByIdentifier: Readonly<Record<string, string>> = {
  LocalDate: "een datum (jjjj-mm-dd)",
  Timestamp: "een tijdstip in UTC zoals 2026-03-01T08:15:00.000Z",
  NumberFromString: "een getal",
  Int: "een geheel getal",
  NonNegativeInt: "een geheel getal van 0 of meer",
  PositiveInt: "een geheel getal groter dan 0",
  NonEmptyString: "tekst (niet leeg)",
  Trimmed: "tekst zonder spaties aan begin of eind",
  BooleanFromString: "true of false",
  Email: "een e-mailadres zoals naam@school.nl",
  Phone: "een telefoonnummer zoals 070 123 4567",
  Bsn: "een BSN van 9 cijfers",
  Onderwijsnummer: "een onderwijsnummer van 9 cijfers",
  ShortText: "tekst van één regel, 1 tot 200 tekens",
  LongText: "tekst van 1 tot 4000 tekens",
}

const literalText = (literal: AST.LiteralValue): string =>
  typeof literal === "bigint" ? `${literal}` : JSON.stringify(literal)

/** The literals of a union of literals (`"noord" | "midden"`), or undefined for any other union. */
const literalsOf = (ast: AST.AST): Array<string> | undefined => {
  if (ast._tag === "Literal") return [literalText(ast.literal)]
  if (ast._tag === "Enums") return ast.enums.map(([, value]) => JSON.stringify(value))
  if (ast._tag !== "Union") return undefined
  const out: Array<string> = []
  for (const member of ast.types) {
    const literals = literalsOf(member)
    if (literals === undefined) return undefined
    out.push(...literals)
  }
  return out
}

/** A built-in refinement (maxLength, int, between, …) in words, from its JSON Schema annotation. */
const expectedByJsonSchema = (ast: AST.AST): string | undefined => {
  const json = AST.getJSONSchemaAnnotation(ast).pipe(Option.getOrUndefined) as
    | Readonly<Record<string, unknown>>
    | undefined
  if (json === undefined) return undefined
  const n = (key: string) => (typeof json[key] === "number" ? (json[key] as number) : undefined)
  const integer = json.type === "integer"
  const number = integer ? "een geheel getal" : "een getal"
  const [min, max, above, below] = [n("minimum"), n("maximum"), n("exclusiveMinimum"), n("exclusiveMaximum")]
  if (min !== undefined && max !== undefined) return `${number} van ${min} tot en met ${max}`
  if (min !== undefined) return `${number} van ${min} of meer`
  if (max !== undefined) return `${number} van hoogstens ${max}`
  if (above !== undefined) return `${number} groter dan ${above}`
  if (below !== undefined) return `${number} kleiner dan ${below}`
  if (integer) return number
  const [minLength, maxLength] = [n("minLength"), n("maxLength")]
  if (minLength !== undefined && maxLength !== undefined)
    return minLength === maxLength
      ? `tekst van precies ${minLength} tekens`
      : `tekst van ${minLength} tot ${maxLength} tekens`
  if (minLength !== undefined)
    return minLength === 1 ? "tekst (niet leeg)" : `tekst van minstens ${minLength} tekens`
  if (maxLength !== undefined) return `tekst van hoogstens ${maxLength} tekens`
  const [minItems, maxItems] = [n("minItems"), n("maxItems")]
  if (minItems !== undefined && maxItems !== undefined)
    return `een lijst van ${minItems} tot ${maxItems} items`
  if (minItems !== undefined) return `een lijst van minstens ${minItems} ${minItems === 1 ? "item" : "items"}`
  if (maxItems !== undefined) return `een lijst van hoogstens ${maxItems} items`
  if (typeof json.pattern === "string") return "tekst in de juiste vorm"
  return undefined
}

/** What a value of `ast` looks like, in Dutch ("een datum (jjjj-mm-dd)", "een van: "a", "b""). */
const expectedOf = (ast: AST.AST): string => {
  const identifier = AST.getIdentifierAnnotation(ast).pipe(Option.getOrUndefined)
  if (identifier !== undefined && expectedByIdentifier[identifier] !== undefined)
    return expectedByIdentifier[identifier]
  const literals = literalsOf(ast)
  if (literals !== undefined) return literals.length === 1 ? literals[0]! : `een van: ${literals.join(", ")}`
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return "tekst"
    case "NumberKeyword":
      return "een getal"
    case "BooleanKeyword":
      return "true of false"
    case "BigIntKeyword":
      return "een geheel getal"
    case "UndefinedKeyword":
    case "VoidKeyword":
      return "geen waarde"
    case "TypeLiteral":
    case "ObjectKeyword":
      return "een object"
    case "TupleType":
      return ast.elements.length === 0 && ast.rest.length === 1 ? "een lijst" : "een lijst (tupel)"
    case "Refinement":
      return expectedByJsonSchema(ast) ?? expectedOf(ast.from)
    case "Transformation":
      return expectedOf(ast.to)
    case "Suspend":
      return expectedOf(ast.f())
    case "Union":
      return `een van: ${ast.types.map(expectedOf).join("; ")}`
    default:
      return "een geldige waarde"
  }
}

/** The schema's own `message` annotation, when it is a plain string (the domain's are Dutch). */
const ownMessage = (ast: AST.AST, issue: ParseResult.ParseIssue): string | undefined =>
  AST.getMessageAnnotation(ast).pipe(
    Option.map((annotation) => annotation(issue)),
    Option.filter((m): m is string => typeof m === "string"),
    Option.getOrUndefined,
  )

/**
 * "onbekend veld", with the known field names when Effect lists them (`is unexpected, expected:
 * "regionId" | "referrer" | …`), so a misspelt field points at the right one.
 */
const unexpectedField = (effectMessage: string | undefined): string => {
  const known = /expected: ("[^"]*"(?: \| "[^"]*")*)$/.exec(effectMessage ?? "")
  return known === null
    ? "onbekend veld"
    : `onbekend veld; bekende velden: ${known[1]!.split(" | ").join(", ")}`
}

/** Prefix of a "wrong value" message; {@link mergeIssues} joins those of one field and value. */
const EXPECTED = /^verwacht (.+); ontvangen: (.+)$/s

/**
 * A leaf issue with a Dutch message. `outer` is the nearest named schema whose input side failed
 * (a `LocalDate` given a number): "verwacht een datum" says more than "verwacht tekst".
 */
const inDutch = (issue: ParseResult.ParseIssue, outer: AST.AST | undefined): ParseResult.ParseIssue => {
  switch (issue._tag) {
    case "Missing":
      return new ParseResult.Missing(issue.ast, "is verplicht")
    case "Unexpected":
      return new ParseResult.Unexpected(issue.actual, unexpectedField(issue.message))
    case "Forbidden":
      return new ParseResult.Forbidden(issue.ast, issue.actual, "kan hier niet worden gecontroleerd")
    case "Type": {
      const ast = issue.ast
      // A filter's own text (returned by its predicate or in its annotation) is Dutch already, and
      // so is that of the named schema around it, which says what the whole value should be.
      const outerMessage = outer === undefined ? undefined : ownMessage(outer, issue)
      if (outerMessage !== undefined) return new ParseResult.Type(ast, issue.actual, outerMessage)
      if (ownMessage(ast, issue) !== undefined) return issue
      if (issue.message !== undefined && ast._tag !== "Transformation") return issue
      // Effect's transformations ("Unable to decode "abc" into a number") and plain mismatches.
      const target = (ast._tag === "Refinement" || ast._tag === "Transformation" ? undefined : outer) ?? ast
      return new ParseResult.Type(
        ast,
        issue.actual,
        `verwacht ${expectedOf(target)}; ontvangen: ${echo(issue.actual)}`,
      )
    }
    default:
      return issue
  }
}

/** A schema whose name or own message tells more about its input than its input type does. */
const describes = (ast: AST.AST): boolean => {
  const identifier = AST.getIdentifierAnnotation(ast).pipe(Option.getOrUndefined)
  return (
    (identifier !== undefined && expectedByIdentifier[identifier] !== undefined) ||
    Option.isSome(AST.getMessageAnnotation(ast))
  )
}

/** `["pupil", "birthDate"]` → `pupil.birthDate`; `["reasons", 0]` → `reasons[0]`. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`
    const name = cut(String(key), MAX_ECHO)
    if (/^[A-Za-z_$][\w$]*$/.test(name)) return out === "" ? name : `${out}.${name}`
    return `${out}[${JSON.stringify(name)}]`
  }, "")

/** A report lists at most this many issues; the error says when there were more. */
export const MAX_ISSUES = 100
/** Leaves of the issue tree formatted at most: formatting, not checking, is what costs. */
const LEAF_BUDGET = 2_000

const nameOf = (ast: AST.AST): AST.AST | undefined => (describes(ast) ? ast : undefined)

/**
 * The issue tree cut down to its first `budget.left` leaves. A body of 10,000 wrong items holds
 * over 100,000 leaves (one per union member per item); formatting them all took half a second.
 */
const prune = (
  issue: ParseResult.ParseIssue,
  budget: { left: number; cut: boolean },
  outer?: AST.AST,
): ParseResult.ParseIssue => {
  switch (issue._tag) {
    case "Composite": {
      const children = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
      const kept: Array<ParseResult.ParseIssue> = []
      for (const child of children) {
        if (budget.left <= 0) {
          budget.cut = true
          break
        }
        kept.push(prune(child, budget, outer))
      }
      return new ParseResult.Composite(
        issue.ast,
        issue.actual,
        kept.length === 1
          ? (kept[0] as ParseResult.ParseIssue)
          : (kept as [ParseResult.ParseIssue, ...Array<ParseResult.ParseIssue>]),
        issue.output,
      )
    }
    case "Pointer":
      return new ParseResult.Pointer(issue.path, issue.actual, prune(issue.issue, budget))
    case "Refinement":
      return new ParseResult.Refinement(
        issue.ast,
        issue.actual,
        issue.kind,
        prune(issue.issue, budget, issue.kind === "From" ? (outer ?? nameOf(issue.ast)) : outer),
      )
    case "Transformation":
      return new ParseResult.Transformation(
        issue.ast,
        issue.actual,
        issue.kind,
        prune(issue.issue, budget, issue.kind === "Encoded" ? (outer ?? nameOf(issue.ast)) : undefined),
      )
    default:
      budget.left--
      return inDutch(issue, outer)
  }
}

/**
 * Every issue of a parse error, one per field path, in document order — at most `limit` of them;
 * `truncated` says there were more.
 */
export const fieldIssuesOf = (
  error: ParseResult.ParseError,
  limit = MAX_ISSUES,
): { readonly issues: Array<FieldIssue>; readonly truncated: boolean } => {
  const budget = { left: LEAF_BUDGET, cut: false }
  const pruned = prune(error.issue, budget)
  const issues = mergeIssues(ParseResult.ArrayFormatter.formatIssueSync(pruned))
  return { issues: issues.slice(0, limit), truncated: budget.cut || issues.length > limit }
}

/** Every issue of a parse error, one per field path, in document order (at most {@link MAX_ISSUES}). */
export const fieldIssues = (error: ParseResult.ParseError): Array<FieldIssue> => fieldIssuesOf(error).issues

const NOTHING = "geen waarde"

const mergeIssues = (formatted: ReadonlyArray<ParseResult.ArrayFormatterIssue>): Array<FieldIssue> => {
  const seen = new Set<string>()
  const out: Array<FieldIssue> = []
  for (const issue of formatted) {
    const path = formatPath(issue.path)
    const message = cut(issue.message, 2000)
    const key = `${path}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ path, message })
  }
  // A union reports one issue per member ("verwacht "noord"; ontvangen: …", "verwacht "midden"…");
  // one line per field reads better. An optional field with a default is `X | undefined` on the
  // wire, so a wrong X also reports "verwacht geen waarde", which only distracts.
  const merged: Array<FieldIssue> = []
  const expected = new Map<string, { index: number; members: Array<string>; actual: string }>()
  for (const issue of out) {
    const m = EXPECTED.exec(issue.message)
    const key = m === null ? undefined : `${issue.path}\u0000${m[2]}`
    const known = key === undefined ? undefined : expected.get(key)
    if (m === null || key === undefined) merged.push(issue)
    else if (known !== undefined) known.members.push(m[1]!)
    else {
      expected.set(key, { index: merged.length, members: [m[1]!], actual: m[2]! })
      merged.push(issue)
    }
  }
  for (const { index, members, actual } of expected.values()) {
    const shown = [...new Set(members.filter((m) => m !== NOTHING))]
    const path = merged[index]!.path
    const list = (shown.length > 0 ? shown : members).flatMap((m) =>
      m.startsWith("een van: ") ? m.slice(9).split(", ") : [m],
    )
    merged[index] = {
      path,
      message: `verwacht ${list.length === 1 ? list[0] : `een van: ${list.join(", ")}`}; ontvangen: ${actual}`,
    }
  }
  // "verwacht geen waarde" beside a real reason for the same field or a field inside it is noise.
  const inside = (outer: string, inner: string) =>
    inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`) || (outer === "" && inner !== "")
  return merged.filter(
    (i) =>
      !(
        i.message.startsWith(`verwacht ${NOTHING};`) &&
        merged.some((other) => other !== i && (other.path === i.path || inside(i.path, other.path)))
      ),
  )
}

/** A parse error as a `ValidationError` about `subject`: its field issues, at most {@link MAX_ISSUES}. */
export const toValidationError = (subject: string, error: ParseResult.ParseError): ValidationError => {
  const { issues, truncated } = fieldIssuesOf(error)
  return new ValidationError({
    subject,
    issues:
      issues.length > 0
        ? (issues as [FieldIssue, ...Array<FieldIssue>])
        : [{ path: "", message: "ongeldige invoer" }],
    ...(truncated ? { truncated } : {}),
  })
}

/**
 * Decodes unknown input, reporting every error (not only the first) and rejecting fields the
 * schema does not know, so a typo in a field name is an error and not silently dropped.
 *
 * @example
 * const result = decodeUnknown(ReferralSubmission, "referral")(json)
 */
export const decodeUnknown =
  <A, I>(schema: Schema.Schema<A, I, never>, subject: string) =>
  (input: unknown): Either.Either<A, ValidationError> =>
    Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(input).pipe(
      Either.mapLeft((error) => toValidationError(subject, error)),
    )

/**
 * Broken JSON in Dutch ("geen geldige JSON (fout bij teken 12)"), with where it broke when the
 * parser says so; the parser's own text is English and repeats the input.
 */
export const notJson = (cause: unknown): string => {
  const at = /position (\d+)/.exec(String((cause as Error)?.message))
  return at === null ? "geen geldige JSON" : `geen geldige JSON (fout bij teken ${Number(at[1]) + 1})`
}

/** Parses JSON text and decodes it; broken JSON is reported as one issue at the root. */
export const decodeJson =
  <A, I>(schema: Schema.Schema<A, I, never>, subject: string) =>
  (text: string): Either.Either<A, ValidationError> => {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (cause) {
      return Either.left(
        new ValidationError({
          subject,
          issues: [{ path: "", message: notJson(cause) }],
        }),
      )
    }
    return decodeUnknown(schema, subject)(parsed)
  }
