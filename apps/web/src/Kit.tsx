/**
 * What every page module gets from the web app: the signed-in caller of a request, the use-case
 * runner with that caller as `CurrentPrincipal`, the CSRF check of a form, and the standard answers
 * (a page in the layout, "niet gevonden", "geen toegang", the 500 page). Page modules never touch
 * the store: they run use cases of `@verzuimregie/app` through `kit.run`, so a page is authorised
 * and audited exactly as the API route that calls the same use case.
 */
import { randomBytes, timingSafeEqual } from "node:crypto"
import { Access, CurrentPrincipal, type Regions, WebSignIn } from "@verzuimregie/app"
import { HttpMeaning } from "@verzuimregie/domain"
import type { Database, Store, WebSessions } from "@verzuimregie/store"
import { Cause, type Effect, Exit, type ManagedRuntime, Option } from "effect"
import type { Context, Hono } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import type { Child } from "hono/jsx"
import type { HtmlEscapedString } from "hono/utils/html"
import { Layout } from "./Layout.js"
import { ErrorPage } from "./pages/Pages.js"

/** Everything a page's use cases may need: the same services as the gateway's API handlers. */
export type WebServices = Store.Services | Database.Database | Regions.Regions

export type WebEnv = {
  Variables: {
    requestId: string
    route: string
    principal: CurrentPrincipal.Principal | undefined
  }
}

/** A request with a live session. */
export interface Current {
  readonly cookie: string
  readonly session: WebSessions.Session
  readonly caller: CurrentPrincipal.Caller
}

export interface SignInLimiter {
  /** Attempts this key may still make before it must wait. */
  readonly peek: (key: string) => number
  /** Counts one attempt; says how long to wait when the budget is spent. */
  readonly take: (key: string) => { readonly allowed: boolean; readonly retryAfterSeconds: number }
}

/**
 * What the sign-in doors share (the token form in `Web.tsx`, the e-mailed link in
 * `pages/SignInLink.tsx`): the double-submit CSRF token of a form shown before there is a session,
 * the rate limits, and starting the session cookie.
 */
export interface SignInDoor {
  /** A fresh double-submit token for a form without a session; its cookie goes with the answer. */
  readonly formToken: (c: Context) => string
  /** Is this POST without a session from our own origin, with the token of its cookie? */
  readonly formAccepted: (c: Context, form: Record<string, unknown>) => boolean
  /**
   * Sets the session cookie (and drops the form's cookie). A session this browser still had is
   * ended first (`WebSignIn.endReplaced`), so a new sign-in leaves no old session open.
   */
  readonly startSession: (c: Context, cookie: string) => Promise<void>
  /** Drops the session cookie (after sign-out ended the session itself). */
  readonly endSession: (c: Context) => void
  /** Failed token sign-ins and link requests, per client. */
  readonly limiter: SignInLimiter
  /** Link requests per e-mail address (keyed by `WebSignIn.addressKey`, never the address). */
  readonly addressLimiter: SignInLimiter
  readonly clientKey: (c: Context) => string
  /** The 429 page with `Retry-After`. */
  readonly tooMany: (c: Context, retryAfterSeconds: number, message: string) => Response
}

export interface PageOptions {
  readonly title: string
  readonly status?: number
}

export interface PageKit {
  readonly stylesheet: string
  /** The largest file a page form may upload (the absence import); the gateway's body limit does not apply there. */
  readonly uploadLimitBytes: number
  /** Where uploads are spooled until their import is done (the system's temp directory unless set). */
  readonly uploadDirectory: string | undefined
  /** The signed-in caller, or the answer to give instead: to sign-in (303, back here after), or the 500 page. */
  readonly signedIn: (c: Context) => Promise<Current | Response>
  /**
   * The signed-in caller with one of `roles`, or the answer to give instead: to sign-in, or the
   * 403 page for a person whose roles are not these (the use case checks again; the page asks first
   * so that every address of a module answers a wrong role alike).
   */
  readonly signedInWith: (c: Context, roles: Access.Roles) => Promise<Current | Response>
  /** The signed-in caller, or none (no redirect); a `Response` when the session store failed. */
  readonly optionalSession: (c: Context) => Promise<Current | undefined | Response>
  /** Runs a use case as the signed-in caller (door `web`). */
  readonly run: <A, E>(
    current: Current,
    effect: Effect.Effect<A, E, WebServices | CurrentPrincipal.CurrentPrincipal>,
  ) => Promise<Exit.Exit<A, E>>
  /** Runs an effect without a caller (sign-in flows). */
  readonly runAnonymous: <A, E>(effect: Effect.Effect<A, E, WebServices>) => Promise<Exit.Exit<A, E>>
  /** A page in the layout for the signed-in caller, `Cache-Control: no-store`. */
  readonly page: (c: Context, current: Current | undefined, options: PageOptions, body: Child) => Response
  /** Is this POST from our own origin and does it carry the session's CSRF token? */
  readonly formAccepted: (c: Context, current: Current, form: Record<string, unknown>) => boolean
  /** The 403 page for a form that failed the CSRF check. */
  readonly formRefused: (c: Context, current: Current | undefined) => Response
  /**
   * The standard page for a failed use case, by the failure's `HttpMeaning`: 404 "niet gevonden",
   * 403 "geen toegang", anything else the 500 page (a page handles the failures it expects first).
   */
  readonly failure: (c: Context, current: Current | undefined, cause: Cause.Cause<unknown>) => Response
  readonly notFound: (c: Context, current: Current | undefined, message?: string) => Response
  readonly forbidden: (c: Context, current: Current | undefined) => Response
  /** The 500 page; the cause goes to the log under the request id. */
  readonly failed: (c: Context, current: Current | undefined, cause: Cause.Cause<unknown>) => Response
  /** The typed failure of an exit, when it is one (not a defect or an interruption). */
  readonly failureOf: <E>(exit: Exit.Exit<unknown, E>) => E | undefined
  readonly signIn: SignInDoor
}

/**
 * A part of the web app: its address space (`prefixes`: a path is this module's when it equals a
 * prefix or starts with `prefix/`), its routes, and the CSS rules of its own.
 */
export interface PageModule {
  readonly name: string
  readonly prefixes: ReadonlyArray<string>
  readonly styles?: string
  readonly mount: <E extends WebEnv>(app: Hono<E>, kit: PageKit) => void
}

/**
 * The pages' own policy: styles only from our origin (the NL Design System CSS is served by us),
 * the library's inline SVG icons as `data:` images, forms only to ourselves, scripts only our own
 * files.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

export const pageHeaders = (c: Context) => {
  c.header("content-security-policy", PAGE_CSP)
  c.header("x-content-type-options", "nosniff")
  c.header("x-frame-options", "DENY")
  // `same-origin`, not `no-referrer`: with `no-referrer` a browser sends `Origin: null` on form
  // posts (Fetch standard, "serializing a request origin"), and the CSRF check needs the origin.
  c.header("referrer-policy", "same-origin")
  c.header("cross-origin-opener-policy", "same-origin")
  c.header("cross-origin-resource-policy", "same-origin")
  c.header("permissions-policy", "camera=(), microphone=(), geolocation=()")
}

export const html = (c: Context, status: number, node: unknown): Response => {
  pageHeaders(c)
  c.header("cache-control", "no-store")
  return c.html(`<!doctype html>${String(node as HtmlEscapedString)}`, status as 200)
}

export const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right)
}

/** Is this POST from our own origin? Browsers send `Origin` on form posts; `Referer` is the fallback. */
export const fromOwnOrigin = (c: Context): boolean => {
  const own = new URL(c.req.url).origin
  const origin = c.req.header("origin")
  if (origin !== undefined) return origin === own
  const referer = c.req.header("referer")
  if (referer === undefined) return false
  try {
    return new URL(referer).origin === own
  } catch {
    return false
  }
}

/** Only a path of our own to return to after sign-in: never another site (`//evil`, `https:`). */
export const safeReturnPath = (value: unknown): string =>
  typeof value === "string" && /^\/(?![/\\])[A-Za-z0-9/_.?=&%-]*$/.test(value) && value.length <= 200
    ? value
    : "/"

export interface KitOptions {
  readonly runtime: ManagedRuntime.ManagedRuntime<WebServices, unknown>
  readonly stylesheet: string
  /** `Secure` cookies with the `__Host-` prefix: whenever the app is reached over TLS. */
  readonly secureCookies: boolean
  readonly signInLimiter: SignInLimiter
  readonly addressLimiter: SignInLimiter
  readonly clientKey: (c: Context) => string
  readonly lifetimes?: WebSessions.Lifetimes | undefined
  readonly onDefect: (c: Context, cause: Cause.Cause<unknown>) => void
  readonly uploadLimitBytes?: number | undefined
  readonly uploadDirectory?: string | undefined
}

/** A school year of absence for a large school is some tens of megabytes as CSV. */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 100 * 1024 * 1024

export const makeKit = (options: KitOptions): PageKit => {
  const { stylesheet } = options
  const sessionCookie = options.secureCookies ? "__Host-vr_sessie" : "vr_sessie"
  // The double-submit cookie of the forms shown before sign-in.
  const signInCookie = options.secureCookies ? "__Host-vr_inlog" : "vr_inlog"

  const page = (c: Context, current: Current | undefined, opts: PageOptions, body: Child) => {
    if (current !== undefined) c.set("principal", current.caller.principal)
    return html(
      c,
      opts.status ?? 200,
      <Layout
        title={opts.title}
        stylesheet={stylesheet}
        principal={current?.caller.principal}
        csrfToken={current?.session.csrfToken}
        path={c.req.path}
      >
        {body}
      </Layout>,
    )
  }

  const errorPage = (
    c: Context,
    current: Current | undefined,
    status: number,
    title: string,
    message: string,
  ) => page(c, current, { title, status }, <ErrorPage title={title} message={message} />)

  const failed = (c: Context, current: Current | undefined, cause: Cause.Cause<unknown>) => {
    options.onDefect(c, cause)
    return errorPage(
      c,
      current,
      500,
      "Er ging iets mis",
      `Probeer het later opnieuw. Blijft dit gebeuren, noem dan deze code aan uw beheerder: ${c.get("requestId") as string}.`,
    )
  }

  const notFound = (c: Context, current: Current | undefined, message?: string) =>
    errorPage(
      c,
      current,
      404,
      "Niet gevonden",
      message ?? "Deze pagina bestaat niet of u heeft er geen toegang toe.",
    )

  const forbidden = (c: Context, current: Current | undefined) =>
    errorPage(c, current, 403, "Geen toegang", "Uw rol geeft geen toegang tot deze pagina.")

  const failureOf = <E,>(exit: Exit.Exit<unknown, E>): E | undefined =>
    Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

  const optionalSession = async (c: Context): Promise<Current | undefined | Response> => {
    const cookie = getCookie(c, sessionCookie)
    if (cookie === undefined) return undefined
    const exit = await options.runtime.runPromiseExit(
      WebSignIn.callerOf(cookie, c.get("requestId") as string, options.lifetimes),
    )
    if (Exit.isFailure(exit)) return failed(c, undefined, exit.cause)
    return Option.getOrUndefined(Option.map(exit.value, (found) => ({ ...found, cookie })))
  }

  const cookieOptions = {
    httpOnly: true,
    sameSite: "Lax",
    secure: options.secureCookies,
    path: "/",
  } as const

  const signIn: SignInDoor = {
    formToken: (c) => {
      const token = randomBytes(32).toString("base64url")
      setCookie(c, signInCookie, token, { ...cookieOptions, maxAge: 3600 })
      return token
    },
    formAccepted: (c, form) =>
      fromOwnOrigin(c) && sameSecret(String(form._csrf ?? ""), getCookie(c, signInCookie) ?? ""),
    startSession: async (c, cookie) => {
      const previous = getCookie(c, sessionCookie)
      if (previous !== undefined && previous !== cookie) {
        const ended = await options.runtime.runPromiseExit(
          WebSignIn.endReplaced(previous, c.get("requestId") as string, options.lifetimes),
        )
        // The new sign-in stands; the old session then times out as before, and the log says why.
        if (Exit.isFailure(ended)) options.onDefect(c, ended.cause)
      }
      setCookie(c, sessionCookie, cookie, cookieOptions)
      deleteCookie(c, signInCookie, cookieOptions)
    },
    endSession: (c) => deleteCookie(c, sessionCookie, cookieOptions),
    limiter: options.signInLimiter,
    addressLimiter: options.addressLimiter,
    clientKey: options.clientKey,
    tooMany: (c, retryAfterSeconds, message) => {
      c.header("retry-after", String(retryAfterSeconds))
      const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
      return errorPage(
        c,
        undefined,
        429,
        "Te vaak geprobeerd",
        `${message} Probeer het over ${minutes} ${minutes === 1 ? "minuut" : "minuten"} opnieuw.`,
      )
    },
  }

  const signedIn = async (c: Context): Promise<Current | Response> => {
    const current = await optionalSession(c)
    if (current !== undefined) return current
    const url = new URL(c.req.url)
    const back = safeReturnPath(`${url.pathname}${url.search}`)
    return c.redirect(back === "/" ? "/inloggen" : `/inloggen?terug=${encodeURIComponent(back)}`, 303)
  }

  return {
    stylesheet,
    uploadLimitBytes: options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES,
    uploadDirectory: options.uploadDirectory,
    signIn,
    optionalSession,
    signedIn,
    signedInWith: async (c, roles) => {
      const current = await signedIn(c)
      if (current instanceof Response) return current
      return Access.hasRole(current.caller.principal, roles) ? current : forbidden(c, current)
    },
    // The runtime's own error (building its layer) cannot happen here: the gateway builds the
    // runtime before it serves, so the exit's failure is the use case's.
    run: <A, E>(
      current: Current,
      effect: Effect.Effect<A, E, WebServices | CurrentPrincipal.CurrentPrincipal>,
    ) =>
      options.runtime.runPromiseExit(effect.pipe(CurrentPrincipal.provide(current.caller))) as Promise<
        Exit.Exit<A, E>
      >,
    runAnonymous: <A, E>(effect: Effect.Effect<A, E, WebServices>) =>
      options.runtime.runPromiseExit(effect) as Promise<Exit.Exit<A, E>>,
    page,
    formAccepted: (c, current, form) =>
      fromOwnOrigin(c) && sameSecret(String(form._csrf ?? ""), current.session.csrfToken),
    formRefused: (c, current) =>
      errorPage(
        c,
        current,
        403,
        "Formulier niet geaccepteerd",
        "Dit formulier is verlopen of kwam niet van verzuimregie zelf. Open de pagina opnieuw en probeer het nog eens.",
      ),
    failure: (c, current, cause) => {
      // By the failure's declared meaning, as the API answers: every 404 is "niet gevonden"
      // (a case of another region and a missing one look the same), every 403 "geen toegang".
      const problem = HttpMeaning.problemOf(Option.getOrUndefined(Cause.failureOption(cause)))
      if (problem?.status === 404) return notFound(c, current, problem.detail)
      if (problem?.status === 403) return forbidden(c, current)
      return failed(c, current, cause)
    },
    notFound,
    forbidden,
    failed,
    failureOf,
  }
}
