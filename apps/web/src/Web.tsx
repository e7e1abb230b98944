/**
 * The web app's doors: sign-in, sign-out and the pages behind a session, mounted on the gateway's
 * Hono app (so its request id, request log, rate limits and body limit apply), with their own
 * security headers. Every page reads through the use cases of `@verzuimregie/app` with the session's
 * caller as `CurrentPrincipal`: what a page shows is authorised and audited as over the API.
 *
 * Sessions: an opaque cookie (`HttpOnly`, `SameSite=Lax`, `Secure` and `__Host-` behind TLS) naming a
 * server-side session (`WebSessions`). CSRF: every POST must come from our own origin (the `Origin`
 * header, or `Referer` when a browser sends no `Origin`) and carry the session's token; the sign-in
 * form, which has no session yet, carries a token that must match a cookie set with the form
 * (double submit), so a foreign page cannot sign a visitor in to an account of its choosing.
 */
import { randomBytes, timingSafeEqual } from "node:crypto"
import { CurrentPrincipal, WebSignIn } from "@verzuimregie/app"
import type { Accounts, AuditLog, WebSessions } from "@verzuimregie/store"
import { Cause, type Effect, Exit, type ManagedRuntime, Option } from "effect"
import type { Context, Hono } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import type { HtmlEscapedString } from "hono/utils/html"
import { makeStylesheet } from "./Assets.js"
import { Layout } from "./Layout.js"
import { ErrorPage, SignedOutNotice, SignInPage, StartPage } from "./pages/Pages.js"

export type WebServices = Accounts.Accounts | WebSessions.WebSessions | AuditLog.AuditLog

export type WebEnv = {
  Variables: {
    requestId: string
    route: string
    principal: CurrentPrincipal.Principal | undefined
  }
}

export interface SignInLimiter {
  /** Sign-ins this client may still fail before it must wait. */
  readonly peek: (key: string) => number
  /** Counts one failed sign-in; says how long to wait when the budget is spent. */
  readonly take: (key: string) => { readonly allowed: boolean; readonly retryAfterSeconds: number }
}

export interface WebOptions {
  readonly runtime: ManagedRuntime.ManagedRuntime<WebServices, unknown>
  /** `Secure` and `__Host-` cookies: on whenever the app is reached over TLS (PUBLIC_BASE_URL https). */
  readonly secureCookies: boolean
  readonly signInLimiter: SignInLimiter
  /** The client as the rate limits know it (the gateway's `clientAddress`). */
  readonly clientKey: (c: Context) => string
  readonly lifetimes?: WebSessions.Lifetimes | undefined
  readonly onDefect: (c: Context, cause: Cause.Cause<unknown>) => void
}

/** The paths the web app answers; everything else is the API's. */
export const isWebPath = (path: string): boolean =>
  path === "/" || path === "/inloggen" || path === "/uitloggen" || path.startsWith("/static/")

/**
 * The pages' own policy: styles only from our origin (the NL Design System CSS is served by us),
 * the library's inline SVG icons as `data:` images, forms only to ourselves, no scripts yet.
 */
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

const pageHeaders = (c: Context) => {
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

const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right)
}

/** Only a path of our own to return to after sign-in: never another site (`//evil`, `https:`). */
export const safeReturnPath = (value: unknown): string =>
  typeof value === "string" && /^\/(?![/\\])[A-Za-z0-9/_.?=&%-]*$/.test(value) && value.length <= 200
    ? value
    : "/"

export const mountWeb = <E extends WebEnv>(app: Hono<E>, options: WebOptions): void => {
  const stylesheet = makeStylesheet()
  const cookieName = options.secureCookies ? "__Host-vr_sessie" : "vr_sessie"
  const signInCookie = options.secureCookies ? "__Host-vr_inlog" : "vr_inlog"
  const cookieOptions = {
    httpOnly: true,
    sameSite: "Lax",
    secure: options.secureCookies,
    path: "/",
  } as const

  const html = (c: Context, status: number, node: unknown) => {
    pageHeaders(c)
    c.header("cache-control", "no-store")
    return c.html(`<!doctype html>${String(node as HtmlEscapedString)}`, status as 200)
  }

  const run = <A, Err>(effect: Effect.Effect<A, Err, WebServices>) => options.runtime.runPromiseExit(effect)

  /** The page for a failure nobody planned: the cause goes to the log under the request id. */
  const failed = (c: Context, cause: Cause.Cause<unknown>) => {
    options.onDefect(c, cause)
    return html(
      c,
      500,
      <ErrorPage
        stylesheet={stylesheet.path}
        title="Er ging iets mis"
        message={`Probeer het later opnieuw. Blijft dit gebeuren, noem dan deze code aan uw beheerder: ${c.get("requestId") as string}.`}
      />,
    )
  }

  /** Is this POST from our own origin? Browsers send `Origin` on form posts; `Referer` is the fallback. */
  const fromOwnOrigin = (c: Context): boolean => {
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

  const forbiddenForm = (c: Context) =>
    html(
      c,
      403,
      <ErrorPage
        stylesheet={stylesheet.path}
        title="Formulier niet geaccepteerd"
        message="Dit formulier is verlopen of kwam niet van verzuimregie zelf. Open de pagina opnieuw en probeer het nog eens."
      />,
    )

  /**
   * The signed-in caller of this request, or none; when the session store cannot be read, the 500
   * page to answer with (never a silent sign-out).
   */
  const session = async (c: Context) => {
    const cookie = getCookie(c, cookieName)
    if (cookie === undefined) return undefined
    const exit = await run(WebSignIn.callerOf(cookie, c.get("requestId") as string, options.lifetimes))
    if (Exit.isFailure(exit)) return failed(c, exit.cause)
    return Option.getOrUndefined(Option.map(exit.value, (found) => ({ ...found, cookie })))
  }

  const signInForm = (
    c: Context,
    status: number,
    extra: { error?: boolean; signedOut?: boolean; returnTo?: string },
  ) => {
    // A fresh double-submit token with every form shown.
    const token = randomBytes(32).toString("base64url")
    setCookie(c, signInCookie, token, { ...cookieOptions, maxAge: 3600 })
    return html(
      c,
      status,
      <SignInPage
        stylesheet={stylesheet.path}
        csrfToken={token}
        returnTo={extra.returnTo ?? "/"}
        error={extra.error === true}
        notice={extra.signedOut === true ? <SignedOutNotice /> : undefined}
      />,
    )
  }

  app.get(stylesheet.path, (c) => {
    c.set("route", "/static/verzuimregie.css")
    return c.body(stylesheet.body, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    })
  })

  app.get("/inloggen", async (c) => {
    c.set("route", "/inloggen")
    const current = await session(c)
    if (current instanceof Response) return current
    if (current !== undefined) return c.redirect(safeReturnPath(c.req.query("terug")), 303)
    return signInForm(c, 200, {
      signedOut: c.req.query("uitgelogd") !== undefined,
      returnTo: safeReturnPath(c.req.query("terug")),
    })
  })

  app.post("/inloggen", async (c) => {
    c.set("route", "/inloggen")
    const form = await c.req.parseBody()
    const expected = getCookie(c, signInCookie) ?? ""
    if (!fromOwnOrigin(c) || !sameSecret(String(form._csrf ?? ""), expected)) return forbiddenForm(c)
    const returnTo = safeReturnPath(form.terug)
    const client = options.clientKey(c)
    if (options.signInLimiter.peek(client) < 1) {
      const { retryAfterSeconds } = options.signInLimiter.take(client)
      c.header("retry-after", String(retryAfterSeconds))
      return html(
        c,
        429,
        <ErrorPage
          stylesheet={stylesheet.path}
          title="Te vaak geprobeerd"
          message={`Inloggen is vanaf dit adres te vaak mislukt. Probeer het over ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minuten opnieuw.`}
        />,
      )
    }
    const exit = await run(WebSignIn.signInWithToken(String(form.token ?? ""), c.get("requestId") as string))
    if (Exit.isFailure(exit)) {
      const failure = Cause.failureOption(exit.cause)
      if (Option.isSome(failure) && failure.value instanceof WebSignIn.SignInRefused) {
        options.signInLimiter.take(client)
        return signInForm(c, 401, { error: true, returnTo })
      }
      return failed(c, exit.cause)
    }
    setCookie(c, cookieName, exit.value.cookie, cookieOptions)
    deleteCookie(c, signInCookie, cookieOptions)
    return c.redirect(returnTo, 303)
  })

  app.post("/uitloggen", async (c) => {
    c.set("route", "/uitloggen")
    const form = await c.req.parseBody()
    const current = await session(c)
    if (current instanceof Response) return current
    // Without a session there is nothing to end: to the sign-in page, as after a sign-out.
    if (current === undefined) return c.redirect("/inloggen?uitgelogd=1", 303)
    if (!fromOwnOrigin(c) || !sameSecret(String(form._csrf ?? ""), current.session.csrfToken))
      return forbiddenForm(c)
    const exit = await run(WebSignIn.signOut(current.cookie).pipe(CurrentPrincipal.provide(current.caller)))
    if (Exit.isFailure(exit)) return failed(c, exit.cause)
    deleteCookie(c, cookieName, cookieOptions)
    return c.redirect("/inloggen?uitgelogd=1", 303)
  })

  app.get("/", async (c) => {
    c.set("route", "/")
    const current = await session(c)
    if (current instanceof Response) return current
    if (current === undefined) return c.redirect("/inloggen", 303)
    const { principal } = current.caller
    c.set("principal", principal)
    return html(
      c,
      200,
      <Layout
        title="Start"
        stylesheet={stylesheet.path}
        principal={principal}
        csrfToken={current.session.csrfToken}
      >
        <StartPage principal={principal} />
      </Layout>,
    )
  })
}
