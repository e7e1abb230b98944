/**
 * The HTTP meaning of a typed failure, declared where the failure is defined: the statuses it
 * answers with and the problem (RFC 9457) it becomes. The gateway derives its problem mapping and
 * the OpenAPI error responses from these annotations, as Effect's own
 * `HttpApiSchema.annotations({ status })` does for `HttpApiError`, so a failure without one cannot
 * quietly turn into a 500. Texts are Dutch: people read them.
 */
import { Option, type Schema, SchemaAST } from "effect"

/**
 * The members of a problem the failure decides; `type` and `title` default per status. `issues`
 * are field issues as the domain reports them (`pupil.birthDate`): the door lists them under
 * `errors` with a JSON Pointer each.
 */
export interface ProblemFields {
  readonly status: number
  readonly type?: string
  readonly title?: string
  readonly detail?: string
  readonly issues?: ReadonlyArray<{ readonly path: string; readonly message: string }>
  readonly [extension: string]: unknown
}

export interface Meaning<E> {
  /** Every status this failure may answer with (the OpenAPI document lists each). */
  readonly statuses: readonly [number, ...Array<number>]
  /** The problem for one failure; its status is one of `statuses`. */
  readonly problem: (error: E) => ProblemFields
}

export const MeaningId: unique symbol = Symbol.for("@verzuimregie/domain/HttpMeaning")

/**
 * The annotation for a `Schema.TaggedError`:
 *
 * @example
 * class Gone extends Schema.TaggedError<Gone>()("Gone", {}, HttpMeaning.annotate<Gone>(
 *   { statuses: [404], problem: () => ({ status: 404, detail: "Bestaat niet." }) })) {}
 */
export const annotate = <E>(meaning: Meaning<E>) => ({ [MeaningId]: meaning })

/** One status and always the same problem fields (besides what `extra` adds per failure). */
export const status = <E>(
  code: number,
  fields: Omit<ProblemFields, "status"> = {},
  extra?: (error: E) => Omit<ProblemFields, "status">,
) =>
  annotate<E>({
    statuses: [code],
    problem: (error) => ({ ...fields, ...(extra === undefined ? {} : extra(error)), status: code }),
  })

// biome-ignore lint/suspicious/noExplicitAny: a meaning is read back for any failure type
export type AnyMeaning = Meaning<any>

/** The meaning a schema declares, if any. */
export const of = (schema: Schema.Schema.Any): AnyMeaning | undefined => {
  const read = SchemaAST.getAnnotation<AnyMeaning>(MeaningId)
  // A class schema keeps its annotations on the type side of its transformation.
  const ast = schema.ast
  return Option.getOrUndefined(
    Option.orElse(read(ast), () => (SchemaAST.isTransformation(ast) ? read(ast.to) : Option.none())),
  )
}

/**
 * The problem fields of a failure whose class declares a meaning (any `Schema.TaggedError` with
 * `HttpMeaning`), or none: for doors other than the API (the web pages) that answer by the same
 * meaning, so a 404 is "niet gevonden" everywhere.
 */
export const problemOf = (error: unknown): ProblemFields | undefined => {
  if (typeof error !== "object" || error === null) return undefined
  const schema = (error as { readonly constructor?: unknown }).constructor
  if (typeof schema !== "function" || !("ast" in schema)) return undefined
  const meaning = of(schema as unknown as Schema.Schema.Any)
  return meaning === undefined ? undefined : meaning.problem(error)
}
