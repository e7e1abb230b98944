/**
 * The failures the mount itself raises around the routes (the database going away, the
 * `Idempotency-Key` handling), as problems. Each failure declares its HTTP meaning where it is
 * defined (`HttpMeaning`); a route's own failures are declared in its spec (`Route.ts`).
 */
import { problemMapper } from "../http/Problem.js"
import { AMBIENT_ERRORS, IDEMPOTENCY_ERRORS } from "../http/Route.js"

export const mapError = problemMapper([...AMBIENT_ERRORS, ...IDEMPOTENCY_ERRORS])
