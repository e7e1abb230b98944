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
import { Access, CurrentPrincipal, Inbox, RegionReads, WebSignIn } from "@verzuimregie/app"
import type { WebSessions } from "@verzuimregie/store"
import { Cause, type Cause as CauseT, Exit, type ManagedRuntime, Option } from "effect"
import type { Context, Hono } from "hono"
import { makeStylesheet } from "./Assets.js"
import {
  html,
  makeKit,
  type PageModule,
  type SignInLimiter,
  safeReturnPath,
  type WebEnv,
  type WebServices,
} from "./Kit.js"
import { PAGE_MODULES } from "./Modules.js"
import { InboxSummary } from "./pages/MijnWerk.js"
import { SignedOutNotice, SignInPage, StartPage } from "./pages/Pages.js"

export type { SignInLimiter, WebEnv, WebServices } from "./Kit.js"

export interface WebOptions {
  readonly runtime: ManagedRuntime.ManagedRuntime<WebServices, unknown>
  /** `Secure` and `__Host-` cookies: on whenever the app is reached over TLS (PUBLIC_BASE_URL https). */
  readonly secureCookies: boolean
  readonly signInLimiter: SignInLimiter
  /** Requests for an e-mailed sign-in link per address (keyed by a hash of it). */
  readonly linkAddressLimiter: SignInLimiter
  /** The client as the rate limits know it (the gateway's `clientAddress`). */
  readonly clientKey: (c: Context) => string
  readonly lifetimes?: WebSessions.Lifetimes | undefined
  readonly onDefect: (c: Context, cause: CauseT.Cause<unknown>) => void
  /** The largest file a page may upload (the absence import); 100 MB unless set. */
  readonly uploadLimitBytes?: number | undefined
  /** Where uploads are spooled until their import is done; the system's temp directory unless set. */
  readonly uploadDirectory?: string | undefined
  /** The page modules to serve; all of them unless a test narrows it. */
  readonly modules?: ReadonlyArray<PageModule>
}

const CORE_PREFIXES = ["/inloggen", "/uitloggen", "/static"]

const within = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`)

/** The paths the web app answers; everything else is the API's. */
export const isWebPath = (path: string): boolean =>
  path === "/" ||
  CORE_PREFIXES.some((prefix) => within(path, prefix)) ||
  PAGE_MODULES.some((module) => module.prefixes.some((prefix) => within(path, prefix)))

/**
 * The page addresses that take a file upload: they stream the body to disk with their own limit
 * (`WebOptions.uploadLimitBytes`), so the gateway's small body limit for JSON does not apply.
 */
export const isWebUploadPath = (method: string, path: string): boolean =>
  method === "POST" && path === "/verzuim/importeren"

export { safeReturnPath }

export const mountWeb = <E extends WebEnv>(app: Hono<E>, options: WebOptions): void => {
  const modules = options.modules ?? PAGE_MODULES
  const stylesheet = makeStylesheet(modules.map((module) => module.styles ?? ""))

  const kit = makeKit({
    runtime: options.runtime,
    stylesheet: stylesheet.path,
    secureCookies: options.secureCookies,
    signInLimiter: options.signInLimiter,
    addressLimiter: options.linkAddressLimiter,
    clientKey: options.clientKey,
    lifetimes: options.lifetimes,
    uploadLimitBytes: options.uploadLimitBytes,
    uploadDirectory: options.uploadDirectory,
    onDefect: options.onDefect,
  })

  const signInForm = (
    c: Context,
    status: number,
    extra: { error?: boolean; signedOut?: boolean; returnTo?: string },
  ) => {
    // A fresh double-submit token with every form shown.
    const token = kit.signIn.formToken(c)
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
    const current = await kit.optionalSession(c)
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
    if (!kit.signIn.formAccepted(c, form)) return kit.formRefused(c, undefined)
    const returnTo = safeReturnPath(form.terug)
    const client = options.clientKey(c)
    if (options.signInLimiter.peek(client) < 1) {
      const { retryAfterSeconds } = options.signInLimiter.take(client)
      return kit.signIn.tooMany(c, retryAfterSeconds, "Inloggen is vanaf dit adres te vaak mislukt.")
    }
    const exit = await kit.runAnonymous(
      WebSignIn.signInWithToken(String(form.token ?? ""), c.get("requestId") as string),
    )
    if (Exit.isFailure(exit)) {
      const failure = Cause.failureOption(exit.cause)
      if (Option.isSome(failure) && failure.value instanceof WebSignIn.SignInRefused) {
        options.signInLimiter.take(client)
        return signInForm(c, 401, { error: true, returnTo })
      }
      return kit.failed(c, undefined, exit.cause)
    }
    await kit.signIn.startSession(c, exit.value.cookie)
    return c.redirect(returnTo, 303)
  })

  app.post("/uitloggen", async (c) => {
    c.set("route", "/uitloggen")
    const form = await c.req.parseBody()
    const current = await kit.optionalSession(c)
    if (current instanceof Response) return current
    // Without a session there is nothing to end: to the sign-in page, as after a sign-out.
    if (current === undefined) return c.redirect("/inloggen?uitgelogd=1", 303)
    if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
    const exit = await kit.runAnonymous(
      WebSignIn.signOut(current.cookie).pipe(CurrentPrincipal.provide(current.caller)),
    )
    if (Exit.isFailure(exit)) return kit.failed(c, current, exit.cause)
    kit.signIn.endSession(c)
    return c.redirect("/inloggen?uitgelogd=1", 303)
  })

  app.get("/", async (c) => {
    c.set("route", "/")
    const current = await kit.signedIn(c)
    if (current instanceof Response) return current
    const regions = await kit.run(current, RegionReads.list)
    if (Exit.isFailure(regions)) return kit.failure(c, current, regions.cause)
    const mine = new Set<string>(current.caller.principal.regions)
    const regionNames = regions.value.filter((region) => mine.has(region.id)).map((region) => region.name)
    // For the people who have one, the inbox is the start page's main content.
    let inbox: Inbox.Inbox | undefined
    if (Access.hasRole(current.caller.principal, Inbox.INBOX_ROLES)) {
      const found = await kit.run(current, Inbox.forMe())
      if (Exit.isFailure(found)) return kit.failure(c, current, found.cause)
      inbox = found.value
    }
    return kit.page(
      c,
      current,
      { title: "Start" },
      <StartPage
        principal={current.caller.principal}
        regionNames={regionNames}
        inbox={inbox === undefined ? undefined : <InboxSummary found={inbox} />}
      />,
    )
  })

  for (const module of modules) module.mount(app, kit)

  // A web address nobody serves: the Dutch 404 page, not the API's JSON.
  app.all("*", async (c, next) => {
    if (!isWebPath(c.req.path)) return next()
    c.set("route", "web:not-found")
    const current = await kit.optionalSession(c)
    if (current instanceof Response) return current
    return kit.notFound(c, current)
  })
}
