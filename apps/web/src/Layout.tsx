/**
 * The frame of every page: Dutch, a skip link, the header with the main menu for the signed-in
 * person's roles and the sign-out button, one `main` landmark. Plain HTML that works without
 * JavaScript; the NL Design System classes style it.
 */
import type { CurrentPrincipal } from "@verzuimregie/app"
import type { Access } from "@verzuimregie/domain"
import type { Child } from "hono/jsx"

/** The main menu: each entry for the roles whose work it is (the pages check again). */
export const MENU: ReadonlyArray<{
  readonly href: string
  readonly label: string
  readonly roles: ReadonlyArray<Access.UserRole>
}> = [
  {
    href: "/",
    label: "Start",
    roles: ["referrer", "case-worker", "coordinator", "admin", "school-verzuim", "orthopedagoog"],
  },
  { href: "/mijn-werk", label: "Mijn werk", roles: ["case-worker", "coordinator", "school-verzuim"] },
  { href: "/verzuim", label: "Verzuimsignalen", roles: ["school-verzuim"] },
  { href: "/verzuim/importeren", label: "Verzuim inlezen", roles: ["school-verzuim"] },
  { href: "/verzuim/duo", label: "Meldingen DUO", roles: ["school-verzuim"] },
  { href: "/werkvoorraad", label: "Werkvoorraad", roles: ["case-worker", "coordinator"] },
  { href: "/zoeken", label: "Zoeken", roles: ["case-worker", "coordinator"] },
  { href: "/aanmeldingen/nieuw", label: "Aanmelden", roles: ["referrer", "case-worker", "coordinator"] },
  { href: "/aanmeldingen", label: "Mijn aanmeldingen", roles: ["referrer", "case-worker", "coordinator"] },
  { href: "/regio", label: "Regio", roles: ["coordinator"] },
  { href: "/regio/verzuim", label: "Verzuim per school", roles: ["coordinator"] },
  { href: "/regio/dashboard", label: "Dashboard", roles: ["coordinator"] },
  { href: "/kwartaalronde", label: "Kwartaalronde", roles: ["orthopedagoog", "coordinator"] },
  { href: "/beheer", label: "Beheer", roles: ["admin"] },
  {
    href: "/instellingen/meldingen",
    label: "Meldingen",
    roles: ["case-worker", "coordinator", "orthopedagoog"],
  },
]

/** The menu entry a path belongs to: the longest href that is the path or a parent of it. */
export const currentEntry = (path: string): string | undefined =>
  MENU.map((entry) => entry.href)
    .filter((href) => path === href || (href !== "/" && path.startsWith(`${href}/`)))
    .sort((a, b) => b.length - a.length)[0]

export interface LayoutProps {
  readonly title: string
  readonly stylesheet: string
  readonly principal?: CurrentPrincipal.Principal | undefined
  /** The session's CSRF token, for the sign-out form. */
  readonly csrfToken?: string | undefined
  /** The page's path, to mark its menu entry as current. */
  readonly path?: string | undefined
  readonly children?: Child
}

export const Layout = (props: LayoutProps) => (
  <html lang="nl" class="utrecht-theme">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{`${props.title} — verzuimregie`}</title>
      <link rel="stylesheet" href={props.stylesheet} />
    </head>
    <body class="utrecht-document utrecht-document--surface">
      <a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">
        Naar de inhoud
      </a>
      <header class="vr-header">
        <p class="vr-brand">verzuimregie</p>
        {props.principal === undefined ? null : (
          <>
            <nav class="vr-nav" aria-label="Hoofdmenu">
              <ul>
                {MENU.filter((entry) =>
                  entry.roles.some((role) => props.principal?.roles.includes(role)),
                ).map((entry) => (
                  <li>
                    <a
                      class="utrecht-link"
                      href={entry.href}
                      aria-current={currentEntry(props.path ?? "") === entry.href ? "page" : undefined}
                    >
                      {entry.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <form class="vr-inline-form" method="post" action="/uitloggen">
              <input type="hidden" name="_csrf" value={props.csrfToken ?? ""} />
              <span>{props.principal.name} </span>
              <button class="utrecht-button utrecht-button--secondary-action" type="submit">
                Uitloggen
              </button>
            </form>
          </>
        )}
      </header>
      <main id="inhoud" class="vr-main" tabindex={-1}>
        {props.children}
      </main>
      <footer class="vr-footer">
        <p class="utrecht-paragraph">
          verzuimregie — casusregie bij schoolverzuim. Alle gegevens over leerlingen zijn vertrouwelijk; elke
          inzage wordt vastgelegd.
        </p>
      </footer>
    </body>
  </html>
)

/** A heading-1 in the library's style. */
export const H1 = (props: { readonly children?: Child }) => (
  <h1 class="utrecht-heading-1">{props.children}</h1>
)

export const P = (props: { readonly children?: Child }) => <p class="utrecht-paragraph">{props.children}</p>
