/**
 * The page a one-time sign-in link opens: `GET /aanmelden/token/{link}` says what the link is and
 * offers a button; the button (`POST` to the same address) uses the link up and shows the new API
 * token once. Opening the link does not use it: mail scanners that fetch links cannot spend it.
 *
 * Plain, server-rendered Dutch HTML with no scripts; the gateway's CSP (`default-src 'none'`,
 * `form-action 'self'`), `Cache-Control: no-store` and `Referrer-Policy: no-referrer` apply. The
 * link is a secret: the request log names the route pattern, never the address.
 */
import { Admin } from "@verzuimregie/app"
import { Accounts } from "@verzuimregie/store"
import { Effect, Exit, type ManagedRuntime } from "effect"
import type { Context, Hono } from "hono"
import type { AppEnv } from "./Route.js"

export const SIGN_IN_ROUTE = "/aanmelden/token/:link"

const escape = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;")

const page = (title: string, body: string) =>
  `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)} — verzuimregie</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}code{display:block;font:15px ui-monospace,monospace;background:#f4f4f4;padding:.75rem;word-break:break-all}button{font:inherit;padding:.5rem 1rem}</style></head><body><h1>${escape(title)}</h1>${body}</body></html>`

const p = (text: string) => `<p>${escape(text)}</p>`

const ASK_AGAIN = "Vraag de beheerder van verzuimregie in uw organisatie om een nieuwe link."

const answers = {
  // A form without an action posts back to the page's own address.
  valid: () =>
    page(
      "Uw API-token",
      `${p("Met de knop hieronder ziet u uw persoonlijke API-token. Het wordt één keer getoond: kopieer het meteen naar een veilige plek (bijvoorbeeld een wachtwoordkluis). Daarna werkt deze link niet meer.")}<form method="post"><button type="submit">Toon mijn API-token</button></form>`,
    ),
  used: () =>
    page(
      "Deze link is al gebruikt",
      `${p("Het token bij deze link is al getoond; een link werkt maar één keer.")}${p(`Heeft u het token niet bewaard, of heeft u deze link niet zelf gebruikt? ${ASK_AGAIN} Een token dat een ander heeft gezien, laat u intrekken.`)}`,
    ),
  expired: () => page("Deze link is verlopen", `${p("Een aanmeldlink werkt maar kort.")}${p(ASK_AGAIN)}`),
  unknown: () =>
    page(
      "Deze link werkt niet",
      `${p("Deze link bestaat niet (meer). Controleer of u de hele link heeft geopend.")}${p(ASK_AGAIN)}`,
    ),
  unavailable: () =>
    page(
      "Tijdelijk niet beschikbaar",
      p(
        "De database is niet bereikbaar. Probeer het over een paar minuten opnieuw; de link blijft geldig tot hij verloopt.",
      ),
    ),
  token: (token: string, expiresAt: string | undefined) =>
    page(
      "Uw API-token",
      `${p("Dit is uw persoonlijke API-token. Het wordt maar één keer getoond: kopieer het nu naar een veilige plek.")}<code>${escape(token)}</code>${p(`Gebruik het als: Authorization: Bearer <token>.${expiresAt === undefined ? "" : ` Het token is geldig tot ${expiresAt}.`} Deel het met niemand: wie het token heeft, werkt onder uw naam.`)}`,
    ),
} as const

const STATUS = { used: 410, expired: 410, unknown: 404 } as const

const html = (c: Context<AppEnv>, status: number, body: string) =>
  c.body(body, status as 200, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex",
  })

/** Mounts the two routes of the sign-in page on the app. */
export const mountSignInPage = (
  app: Hono<AppEnv>,
  runtime: ManagedRuntime.ManagedRuntime<Accounts.Accounts, unknown>,
): void => {
  app.get(SIGN_IN_ROUTE, async (c) => {
    c.set("route", SIGN_IN_ROUTE)
    const link = c.req.param("link")
    const exit = await runtime.runPromiseExit(Effect.flatMap(Accounts.Accounts, (a) => a.linkState(link)))
    if (Exit.isFailure(exit)) return html(c, 503, answers.unavailable())
    const state = exit.value
    return state === "valid" ? html(c, 200, answers.valid()) : html(c, STATUS[state], answers[state]())
  })
  app.post(SIGN_IN_ROUTE, async (c) => {
    c.set("route", SIGN_IN_ROUTE)
    const link = c.req.param("link")
    const requestId = c.get("requestId")
    const exit = await runtime.runPromiseExit(
      Effect.flatMap(Accounts.Accounts, (a) =>
        a.redeemLink(link, {
          label: "aanmeldlink",
          // The person is the actor: they received their own token. Their regions see it.
          audit: (user, tokenId) =>
            Admin.accountAudit(
              { userId: user.id, organisationId: user.organisationId },
              requestId,
              "create",
              { type: "token", id: `tok_${tokenId}` },
              user,
              "web.sign-in-link.redeem",
            ),
        }),
      ),
    )
    if (Exit.isFailure(exit)) return html(c, 503, answers.unavailable())
    const result = exit.value
    if (result._tag !== "Redeemed") return html(c, STATUS[result._tag], answers[result._tag]())
    const { issued } = result.redeemed
    return html(c, 200, answers.token(issued.token, issued.expiresAt))
  })
}
