/**
 * Distinctive texts in every field a user can type into a case. Walks a case event along its
 * schema (`CaseEvent`), and puts a unique marker into every `ShortText`, `LongText`, `Email` and
 * `Phone` — names of pupils, parents, referrers and professionals, notes, agreements, action
 * descriptions, meeting summaries, reasons, referral texts — also into optional ones that were
 * left out, and into every string of a referral's plug-in `extension`. Each marker records its
 * path, so a test can tell what leaked from where.
 */
import { CaseEvent } from "@verzuimregie/domain"
import { Option, Schema } from "effect"
import * as AST from "effect/SchemaAST"

export interface Marker {
  /** A token that appears nowhere else: letters and digits only, so no escaping can hide it. */
  readonly token: string
  /** Where it was put: `HandedOver.to.name`, `ReferralReceived.referral.parents.0.name`, … */
  readonly path: string
}

const TEXTS = new Set(["ShortText", "LongText", "Email", "Phone"])

const textKind = (ast: AST.AST): string | undefined => {
  const id = AST.getIdentifierAnnotation(ast)
  return Option.isSome(id) && TEXTS.has(id.value) ? id.value : undefined
}

/** Unwraps refinements (that are not a text), suspensions and transformations to the type. */
const unwrap = (ast: AST.AST): AST.AST => {
  if (textKind(ast) !== undefined) return ast
  switch (ast._tag) {
    case "Refinement":
      return unwrap(ast.from)
    case "Suspend":
      return unwrap(ast.f())
    case "Transformation":
      return unwrap(ast.to)
    default:
      return ast
  }
}

export const makeMarkers = (prefix: string) => {
  const markers: Array<Marker> = []
  let n = 0
  const next = (kind: string, path: string): string => {
    n++
    const token = `${prefix}${n}q`
    const [value, searched] =
      kind === "LongText"
        ? [`${token} schreef de hulpverlener op, met details over het gezin`, token]
        : kind === "Email"
          ? [`${token.toLowerCase()}@prive.example`, token]
          : kind === "Phone"
            ? // A phone number holds digits only: the number itself is the marker.
              [`06${String(700_000 + n).padStart(8, "0")}`, `06${String(700_000 + n).padStart(8, "0")}`]
            : [token, token]
    markers.push({ token: searched, path })
    return value
  }

  const deep = (value: unknown, path: string): unknown => {
    if (typeof value === "string") return next("ShortText", path)
    if (Array.isArray(value)) return value.map((v, i) => deep(v, `${path}.${i}`))
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v, `${path}.${k}`)]))
    return value
  }

  const walk = (ast: AST.AST, value: unknown, path: string): unknown => {
    const kind = textKind(ast)
    if (kind !== undefined && typeof value === "string") return next(kind, path)
    const type = unwrap(ast)
    if (type !== ast) return walk(type, value, path)
    switch (type._tag) {
      case "TypeLiteral": {
        if (typeof value !== "object" || value === null) return value
        const record = value as Record<string, unknown>
        const out: Record<string, unknown> = { ...record }
        for (const ps of type.propertySignatures) {
          const key = String(ps.name)
          const at = `${path}.${key}`
          if (key === "extension") {
            const ext = record[key] as Record<string, unknown> | undefined
            out[key] = deep({ ...ext, toelichting: "x" }, at)
          } else if (key in record) {
            out[key] = walk(ps.type, record[key], at)
          } else if (ps.isOptional) {
            // An optional text left out: a user could have typed it, so fill it.
            const inner = textKind(ps.type) ?? textKind(unwrap(ps.type))
            if (inner !== undefined) out[key] = walk(ps.type, "x", at)
          }
        }
        return out
      }
      case "Union": {
        if (typeof value === "object" && value !== null) {
          const member = type.types.find((m) => {
            const t = unwrap(m)
            return (
              t._tag === "TypeLiteral" &&
              t.propertySignatures.every((ps) => {
                const lit = unwrap(ps.type)
                return (
                  lit._tag !== "Literal" ||
                  (value as Record<string, unknown>)[String(ps.name)] === lit.literal
                )
              })
            )
          })
          return member === undefined ? value : walk(member, value, path)
        }
        if (typeof value === "string") {
          const text = type.types.find((m) => textKind(m) !== undefined)
          return text === undefined ? value : walk(text, value, path)
        }
        return value
      }
      case "TupleType": {
        if (!Array.isArray(value)) return value
        return value.map((item, i) => {
          const element = type.elements[i]?.type ?? type.rest[0]?.type
          return element === undefined ? item : walk(element, item, `${path}.${i}`)
        })
      }
      default:
        return value
    }
  }

  const eventAst = Schema.typeSchema(CaseEvent.CaseEvent).ast

  return {
    markers,
    /** The event with a marker in every typed field. */
    mark: (event: CaseEvent.CaseEvent): CaseEvent.CaseEvent =>
      walk(eventAst, event, event._tag) as CaseEvent.CaseEvent,
  }
}

/** The event tags whose schema has a field a user types (a text, an address, a phone number). */
export const tagsWithText = (): ReadonlyArray<string> => {
  const union = unwrap(Schema.typeSchema(CaseEvent.CaseEvent).ast)
  if (union._tag !== "Union") throw new Error("CaseEvent is not a union")
  const hasText = (ast: AST.AST, seen: Set<AST.AST>): boolean => {
    if (textKind(ast) !== undefined) return true
    if (seen.has(ast)) return false
    seen.add(ast)
    const t = unwrap(ast)
    if (t !== ast) return hasText(t, seen)
    switch (t._tag) {
      case "TypeLiteral":
        return t.propertySignatures.some((ps) => String(ps.name) === "extension" || hasText(ps.type, seen))
      case "Union":
        return t.types.some((m) => hasText(m, seen))
      case "TupleType":
        return [...t.elements, ...t.rest].some((e) => hasText(e.type, seen))
      default:
        return false
    }
  }
  return union.types.flatMap((member) => {
    const t = unwrap(member)
    if (t._tag !== "TypeLiteral") return []
    const tag = t.propertySignatures.find((ps) => ps.name === "_tag")
    const lit = tag === undefined ? undefined : unwrap(tag.type)
    return lit?._tag === "Literal" && hasText(t, new Set()) ? [String(lit.literal)] : []
  })
}
