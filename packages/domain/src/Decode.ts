/**
 * Decoding with errors that name every offending field path, for the gateway, the command line
 * and file imports alike.
 *
 * @since 0.1.0
 */
import { Either, ParseResult, Schema } from "effect"
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
 * The offending string as an issue reports it: at most {@link MAX_ECHO} characters of it, so an
 * error report is not as large as the input and hands back no more of it than it takes to
 * recognise the field. Done on the issue, before the formatter repeats the value in a message
 * once per alternative of a union.
 */
const shortenActual = (issue: ParseResult.ParseIssue): ParseResult.ParseIssue =>
  issue._tag === "Type" && typeof issue.actual === "string" && issue.actual.length > MAX_ECHO
    ? new ParseResult.Type(
        issue.ast,
        `${cut(issue.actual, MAX_ECHO)} (${issue.actual.length} characters)`,
        issue.message,
      )
    : issue

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

/**
 * The issue tree cut down to its first `budget.left` leaves. A body of 10,000 wrong items holds
 * over 100,000 leaves (one per union member per item); formatting them all took half a second.
 */
const prune = (
  issue: ParseResult.ParseIssue,
  budget: { left: number; cut: boolean },
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
        kept.push(prune(child, budget))
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
      return new ParseResult.Refinement(issue.ast, issue.actual, issue.kind, prune(issue.issue, budget))
    case "Transformation":
      return new ParseResult.Transformation(issue.ast, issue.actual, issue.kind, prune(issue.issue, budget))
    default:
      budget.left--
      return shortenActual(issue)
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

const mergeIssues = (formatted: ReadonlyArray<ParseResult.ArrayFormatterIssue>): Array<FieldIssue> => {
  const seen = new Set<string>()
  const out: Array<FieldIssue> = []
  for (const issue of formatted) {
    const path = formatPath(issue.path)
    const message = issue._tag === "Missing" ? "is required" : cut(issue.message, 2000)
    const key = `${path}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ path, message })
  }
  // A union reports one issue per member ("Expected "noord", actual …", "Expected "midden", …");
  // one line per field reads better. An optional field with a default is `X | undefined` on the
  // wire, so a wrong X also reports "Expected undefined", which only distracts.
  const merged: Array<FieldIssue> = []
  const expected = new Map<string, { index: number; members: Array<string>; actual: string }>()
  for (const issue of out) {
    const m = /^Expected (.+), actual (.+)$/s.exec(issue.message)
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
    const shown = members.filter((m) => m !== "undefined")
    const path = merged[index]!.path
    merged[index] = {
      path,
      message: `Expected ${(shown.length > 0 ? shown : members).join(" | ")}, actual ${actual}`,
    }
  }
  // "Expected undefined" beside a real reason for the same field or a field inside it is noise.
  const inside = (outer: string, inner: string) =>
    inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`) || (outer === "" && inner !== "")
  return merged.filter(
    (i) =>
      !(
        /^Expected undefined, actual /.test(i.message) &&
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
        : [{ path: "", message: error.message }],
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
          issues: [{ path: "", message: `not valid JSON: ${(cause as Error).message}` }],
        }),
      )
    }
    return decodeUnknown(schema, subject)(parsed)
  }
