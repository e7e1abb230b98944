/**
 * Sign-in by e-mail: asking for a one-time link to the address on the account, and using it (15
 * minutes, single use) to start a session.
 *
 * - The answer to a request is the same whether or not an account has the address (no account
 *   enumeration); requests are rate limited per client and per address (by a hash of it).
 * - The link opens a page with a button: only the button's POST uses the link up, so a mail
 *   scanner that fetches every link in a message does not sign anyone in or spend the link.
 * - The request log names the route pattern (`/inloggen/link/:secret`), never the secret.
 */
import { WebSignIn } from "@verzuimregie/app"
import { Exit } from "effect"
import type { Context } from "hono"
import { ErrorSummary, TextField } from "../Components.js"
import { type PageModule, safeReturnPath } from "../Kit.js"
import { H1, P } from "../Layout.js"

const REQUEST_ROUTE = "/inloggen/link"
const LINK_ROUTE = "/inloggen/link/:secret"

/** Loose on purpose: the store compares the address with the accounts; this only catches typos. */
const looksLikeEmail = (value: string) => value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)

const RequestForm = (props: {
  readonly csrfToken: string
  readonly returnTo: string
  readonly email?: string
  readonly error?: string
}) => (
  <>
    <H1>Inloggen met een link per e-mail</H1>
    {props.error === undefined ? null : (
      <ErrorSummary errors={{ email: props.error }} title="Er is geen link verstuurd" />
    )}
    <P>
      Vul het e-mailadres van uw account in. U krijgt een persoonlijke link om in te loggen; die werkt één
      keer en 15 minuten lang.
    </P>
    <form method="post" action={REQUEST_ROUTE} class="utrecht-form" novalidate>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="terug" value={props.returnTo} />
      <TextField
        name="email"
        label="E-mailadres"
        type="email"
        autocomplete="email"
        required
        value={props.email}
        error={props.error}
        maxlength={254}
      />
      <p class="utrecht-button-group">
        <button class="utrecht-button utrecht-button--primary-action" type="submit">
          Stuur mij een inloglink
        </button>
      </p>
    </form>
    <P>
      <a class="utrecht-link" href="/inloggen">
        Inloggen met uw persoonlijke token
      </a>
    </P>
  </>
)

const Sent = () => (
  <>
    <H1>Kijk in uw e-mail</H1>
    <div class="utrecht-alert utrecht-alert--ok" role="status">
      <p class="utrecht-paragraph">
        Als dit adres bij een account in verzuimregie hoort, is er een inloglink naar verstuurd.
      </p>
    </div>
    <P>
      De link werkt één keer en 15 minuten lang. Geen e-mail binnen een paar minuten? Kijk ook bij de
      ongewenste e-mail, of vraag een nieuwe link aan.
    </P>
    <P>
      <a class="utrecht-link" href={REQUEST_ROUTE}>
        Nieuwe link aanvragen
      </a>
    </P>
  </>
)

const UseLink = (props: {
  readonly action: string
  readonly csrfToken: string
  readonly returnTo: string
}) => (
  <>
    <H1>Inloggen bij verzuimregie</H1>
    <P>U opent uw persoonlijke inloglink. Kies 'Inloggen' om verder te gaan; daarmee is de link gebruikt.</P>
    <form method="post" novalidate action={props.action} class="utrecht-form">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="terug" value={props.returnTo} />
      <p class="utrecht-button-group">
        <button class="utrecht-button utrecht-button--primary-action" type="submit">
          Inloggen
        </button>
      </p>
    </form>
  </>
)

const UNUSABLE = {
  used: {
    status: 410,
    title: "Deze link is al gebruikt",
    message: "Een inloglink werkt één keer, en deze is al gebruikt. Vraag een nieuwe link aan.",
  },
  expired: {
    status: 410,
    title: "Deze link is verlopen",
    message: "Een inloglink werkt 15 minuten na verzending. Deze is verlopen; vraag een nieuwe link aan.",
  },
  unknown: {
    status: 404,
    title: "Deze link werkt niet",
    message:
      "Deze inloglink kennen we niet. Controleer of u de hele link uit de e-mail heeft geopend, of vraag een nieuwe link aan.",
  },
} as const

const Unusable = (props: { readonly state: keyof typeof UNUSABLE }) => (
  <>
    <H1>{UNUSABLE[props.state].title}</H1>
    <P>{UNUSABLE[props.state].message}</P>
    <P>
      <a class="utrecht-link" href={REQUEST_ROUTE}>
        Nieuwe inloglink aanvragen
      </a>
    </P>
  </>
)

/** The link's own path (not `c.req.url`, which may carry a query). */
const linkPath = (secret: string) => `${REQUEST_ROUTE}/${encodeURIComponent(secret)}`

export const signInLinkPages: PageModule = {
  name: "signinlink",
  prefixes: [REQUEST_ROUTE],
  mount: (app, kit) => {
    const unusable = (c: Context, state: keyof typeof UNUSABLE) =>
      kit.page(
        c,
        undefined,
        { title: UNUSABLE[state].title, status: UNUSABLE[state].status },
        <Unusable state={state} />,
      )

    app.get(REQUEST_ROUTE, async (c) => {
      c.set("route", REQUEST_ROUTE)
      const current = await kit.optionalSession(c)
      if (current instanceof Response) return current
      const returnTo = safeReturnPath(c.req.query("terug"))
      if (current !== undefined) return c.redirect(returnTo, 303)
      return kit.page(
        c,
        undefined,
        { title: "Inloggen met een link per e-mail" },
        <RequestForm csrfToken={kit.signIn.formToken(c)} returnTo={returnTo} />,
      )
    })

    app.post(REQUEST_ROUTE, async (c) => {
      c.set("route", REQUEST_ROUTE)
      const form = await c.req.parseBody()
      if (!kit.signIn.formAccepted(c, form)) return kit.formRefused(c, undefined)
      const returnTo = safeReturnPath(form.terug)
      const email = String(form.email ?? "").trim()
      if (!looksLikeEmail(email)) {
        return kit.page(
          c,
          undefined,
          { title: "Fout: Inloggen met een link per e-mail", status: 400 },
          <RequestForm
            csrfToken={kit.signIn.formToken(c)}
            returnTo={returnTo}
            email={email}
            error={email === "" ? "Vul uw e-mailadres in." : "Vul een e-mailadres in zoals naam@school.nl."}
          />,
        )
      }
      // Every request counts against the client's sign-in budget, and against the address's own.
      const byClient = kit.signIn.limiter.take(kit.signIn.clientKey(c))
      if (!byClient.allowed)
        return kit.signIn.tooMany(
          c,
          byClient.retryAfterSeconds,
          "Er zijn vanaf dit adres te veel inlogpogingen gedaan.",
        )
      const byAddress = kit.signIn.addressLimiter.take(`mail:${WebSignIn.addressKey(email)}`)
      if (!byAddress.allowed)
        return kit.signIn.tooMany(
          c,
          byAddress.retryAfterSeconds,
          "Voor dit e-mailadres zijn kort achter elkaar te veel inloglinks aangevraagd.",
        )
      const exit = await kit.runAnonymous(
        WebSignIn.requestLink(email, c.get("requestId") as string, returnTo),
      )
      if (Exit.isFailure(exit)) return kit.failed(c, undefined, exit.cause)
      return kit.page(c, undefined, { title: "Kijk in uw e-mail" }, <Sent />)
    })

    app.get(LINK_ROUTE, async (c) => {
      c.set("route", LINK_ROUTE)
      const secret = c.req.param("secret")
      const exit = await kit.runAnonymous(WebSignIn.linkState(secret))
      if (Exit.isFailure(exit)) return kit.failed(c, undefined, exit.cause)
      if (exit.value !== "valid") return unusable(c, exit.value)
      return kit.page(
        c,
        undefined,
        { title: "Inloggen bij verzuimregie" },
        <UseLink
          action={linkPath(secret)}
          csrfToken={kit.signIn.formToken(c)}
          returnTo={safeReturnPath(c.req.query("terug"))}
        />,
      )
    })

    app.post(LINK_ROUTE, async (c) => {
      c.set("route", LINK_ROUTE)
      const form = await c.req.parseBody()
      if (!kit.signIn.formAccepted(c, form)) return kit.formRefused(c, undefined)
      const client = kit.signIn.clientKey(c)
      if (kit.signIn.limiter.peek(client) < 1) {
        const { retryAfterSeconds } = kit.signIn.limiter.take(client)
        return kit.signIn.tooMany(
          c,
          retryAfterSeconds,
          "Er zijn vanaf dit adres te veel inlogpogingen gedaan.",
        )
      }
      const exit = await kit.runAnonymous(
        WebSignIn.signInWithLink(c.req.param("secret"), c.get("requestId") as string),
      )
      const failure = kit.failureOf(exit)
      if (failure instanceof WebSignIn.SignInLinkUnusable) {
        // Guessing links costs the client's sign-in budget, as guessing tokens does.
        if (failure.state === "unknown") kit.signIn.limiter.take(client)
        return unusable(c, failure.state)
      }
      if (Exit.isFailure(exit)) return kit.failed(c, undefined, exit.cause)
      await kit.signIn.startSession(c, exit.value.cookie)
      return c.redirect(safeReturnPath(form.terug), 303)
    })
  },
}
