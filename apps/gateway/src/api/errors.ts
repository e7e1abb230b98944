/**
 * Typed failures of the store, the plug-ins and the domain, as problems. A case outside the
 * caller's regions is 404, never 403, so its existence does not leak.
 */
import { Access, Cases, Referrals } from "@verzuimregie/app"
import { HttpMeaning } from "@verzuimregie/domain"
import { fieldErrors, makeProblem, type Problem } from "../http/Problem.js"
import { isTagged, MAX_LISTED_ERRORS } from "../http/Route.js"

const listed = (issues: unknown) =>
  fieldErrors((issues as ReadonlyArray<{ path: string; message: string }>).slice(0, MAX_LISTED_ERRORS))

export const invalidIdempotencyKey = (): Problem =>
  makeProblem(422, {
    detail: "De Idempotency-Key klopt niet.",
    errors: [
      {
        path: "header.Idempotency-Key",
        pointer: "/headers/Idempotency-Key",
        detail: "1 tot 255 zichtbare ASCII-tekens, zonder spaties",
      },
    ],
  })

/** Failures that declare their HTTP meaning (`HttpMeaning`), by tag. */
const declared = new Map(
  [
    Access.NotFound,
    Access.Forbidden,
    Cases.StaleVersion,
    Referrals.RegionClosed,
    Referrals.ReferrerMismatch,
    Referrals.OpenCase,
  ].map((schema) => [schema._tag as string, HttpMeaning.of(schema)] as const),
)

export const mapError = (error: unknown): Problem | undefined => {
  if (!isTagged(error)) return undefined
  const meaning = declared.get(error._tag)
  if (meaning !== undefined) {
    const { status, ...fields } = meaning.problem(error)
    return makeProblem(status, fields)
  }
  switch (error._tag) {
    case "CaseNotFound":
    case "RegionNotPermitted":
      return makeProblem(404, { detail: "Deze casus bestaat niet of u heeft er geen toegang toe." })
    case "VersionConflict":
      return makeProblem(409, {
        type: "https://verzuimregie.nl/problems/version-conflict",
        title: "De casus is intussen gewijzigd",
        detail: `Verwachte versie ${String(error.expected)}, actuele versie ${String(error.actual)}. Lees de casus opnieuw.`,
        currentVersion: error.actual,
      })
    case "EventRejected":
      return makeProblem(409, {
        type: "https://verzuimregie.nl/problems/event-rejected",
        title: "Dit kan niet in de huidige stand van de casus",
        detail: String((error.rejection as { reason?: unknown } | undefined)?.reason ?? ""),
      })
    case "EventRefused":
      return makeProblem(409, {
        type: "https://verzuimregie.nl/problems/event-refused",
        title: "Dit kan niet in de huidige status",
        detail: String(error.reason),
      })
    case "TransitionRefused":
      return makeProblem(409, {
        type: "https://verzuimregie.nl/problems/transition-refused",
        title: "Deze stap kan nog niet",
        detail: (error.reasons as ReadonlyArray<string>).join("; "),
        reasons: error.reasons,
      })
    case "ReferralRefused":
      return makeProblem(422, {
        type: "https://verzuimregie.nl/problems/referral-refused",
        title: "De regio neemt deze aanmelding zo niet aan",
        errors: listed(error.issues),
      })
    case "ValidationError":
      return makeProblem(422, { errors: listed(error.issues) })
    case "DuplicateReferral":
      return makeProblem(409, { detail: "Deze aanmelding is al ontvangen." })
    case "InvalidCursor":
      return makeProblem(422, {
        errors: [{ path: "query.cursor", pointer: "/query/cursor", detail: "onbekende of verlopen cursor" }],
      })
    case "IdempotencyKeyReused":
      return makeProblem(422, {
        type: "https://verzuimregie.nl/problems/idempotency-key-reused",
        title: "Idempotency-Key al gebruikt voor een ander verzoek",
      })
    case "IdempotencyKeyInProgress":
    // This run's lock ran out and a retry took the key over: that retry's answer is the one.
    case "IdempotencyKeyTakenOver":
      return makeProblem(409, {
        type: "https://verzuimregie.nl/problems/idempotency-key-in-progress",
        title: "Een verzoek met deze Idempotency-Key loopt nog",
      })
    case "InvalidIdempotencyKey":
      return invalidIdempotencyKey()
    case "AccountError":
      if (error.reason === "email-taken") return makeProblem(409, { detail: String(error.detail) })
      // One organisation per BRIN code: the field that clashes, as for other input errors.
      if (error.reason === "brin-taken")
        return makeProblem(409, {
          detail: "Er is al een organisatie met deze BRIN-code.",
          errors: [{ path: "brin", pointer: "/brin", detail: String(error.detail) }],
        })
      // Separation of duties: the roles asked for cannot go together (field `roles`).
      if (error.reason === "roles-conflict")
        return makeProblem(422, {
          detail: "Deze rollen gaan niet samen.",
          errors: [{ path: "roles", pointer: "/roles", detail: String(error.detail) }],
        })
      // A person's token, or a link for a service account: the user's kind decides the way.
      if (error.reason === "person-token" || error.reason === "link-not-possible")
        return makeProblem(409, { detail: String(error.detail) })
      // An unknown user or token named in the path is a missing resource, as the routes document.
      if (error.reason === "user-unknown" || error.reason === "token-unknown") {
        return makeProblem(404, { detail: String(error.detail) })
      }
      return makeProblem(422, { detail: String(error.detail) })
    case "DatabaseUnavailable":
      return makeProblem(503, { detail: "De database is niet bereikbaar." })
    default:
      return undefined
  }
}
