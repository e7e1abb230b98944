/**
 * The pages of the sign-in flow and the start page. Dutch, one `h1` each, labels on every field,
 * an error summary that names the field at fault (NL Design System form patterns, WCAG 2.1
 * success criteria 3.3.1 and 3.3.3).
 */

import type { CurrentPrincipal } from "@verzuimregie/app"
import { Access } from "@verzuimregie/domain"
import type { Child } from "hono/jsx"
import { H1, Layout, MENU, P } from "../Layout.js"

export const SignedOutNotice = () => (
  <div class="utrecht-alert utrecht-alert--ok" role="status">
    <p class="utrecht-paragraph">U bent uitgelogd.</p>
  </div>
)

export const SignInPage = (props: {
  readonly stylesheet: string
  readonly csrfToken: string
  readonly returnTo: string
  readonly error: boolean
  readonly notice?: Child
}) => (
  <Layout title={props.error ? "Fout: Inloggen" : "Inloggen"} stylesheet={props.stylesheet}>
    <H1>Inloggen</H1>
    {props.notice}
    {props.error ? (
      <div class="utrecht-alert utrecht-alert--error" role="alert" aria-labelledby="fouten-kop">
        <h2 class="utrecht-heading-2" id="fouten-kop">
          Inloggen is niet gelukt
        </h2>
        <ul class="utrecht-unordered-list">
          <li>
            <a class="utrecht-link" href="#token">
              Dit token opent geen account. Controleer of u het hele token hebt geplakt.
            </a>
          </li>
        </ul>
      </div>
    ) : null}
    <P>
      Log in met uw persoonlijke token. U kreeg het eenmalig te zien via de aanmeldlink die uw beheerder u
      stuurde; het begint met <code>vrt_</code>.
    </P>
    <form method="post" action="/inloggen" class="utrecht-form" novalidate>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="terug" value={props.returnTo} />
      <div
        class={`utrecht-form-field utrecht-form-field--text${props.error ? " utrecht-form-field--invalid" : ""}`}
      >
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for="token">
            Persoonlijk token
          </label>
        </div>
        {props.error ? (
          <div class="utrecht-form-field-error-message" id="token-fout">
            Dit token opent geen account.
          </div>
        ) : null}
        <div class="utrecht-form-field__input">
          <input
            class={`utrecht-textbox utrecht-textbox--html-input${props.error ? " utrecht-textbox--invalid" : ""}`}
            type="password"
            id="token"
            name="token"
            required
            autocomplete="current-password"
            spellcheck={false}
            aria-invalid={props.error ? "true" : undefined}
            aria-describedby={props.error ? "token-fout" : undefined}
          />
        </div>
      </div>
      <p class="utrecht-button-group">
        <button class="utrecht-button utrecht-button--primary-action" type="submit">
          Inloggen
        </button>
      </p>
    </form>
    <h2 class="utrecht-heading-2">Inloggen zonder token</h2>
    <P>
      <a
        class="utrecht-link"
        href={
          props.returnTo === "/"
            ? "/inloggen/link"
            : `/inloggen/link?terug=${encodeURIComponent(props.returnTo)}`
        }
      >
        Stuur mij een inloglink per e-mail
      </a>{" "}
      (naar het adres van uw account; de link werkt één keer, 15 minuten lang).
    </P>
    <P>Token kwijt? Vraag de beheerder van verzuimregie in uw organisatie om een nieuwe aanmeldlink.</P>
  </Layout>
)

/** What each menu entry is for, on the start page. */
const TASKS: Readonly<Record<string, string>> = {
  "/mijn-werk":
    "Wat nu uw aandacht vraagt: acties, nieuwe aanmeldingen, termijnen en signalen, urgentste eerst.",
  "/werkvoorraad": "Uw casussen en die van uw regio, met de eerstvolgende termijn bovenaan.",
  "/zoeken": "Een leerling vinden op naam, geboortedatum, BSN of onderwijsnummer.",
  "/aanmeldingen/nieuw": "Een leerling aanmelden voor casusregie bij schoolverzuim.",
  "/aanmeldingen": "De leerlingen die u aanmeldde, en hoe het met de aanmelding staat.",
  "/regio": "Cijfers en lijsten van uw regio: thuiszitters, Thuiszitterspact, acties, toegangslog, exports.",
  "/beheer": "Organisaties, gebruikers en tokens.",
  "/verzuim": "De signalen uit het verzuim van uw school: meldplicht, M@ZL, langdurig en grijs verzuim.",
  "/verzuim/importeren": "Een export uit de leerlingadministratie inlezen (CSV of Excel).",
  "/verzuim/duo": "De verzuimmeldingen die uw school bij DUO doet, met hun status.",
  "/regio/verzuim": "Open verzuimsignalen per school en soort, als aantallen (geen leerlingen).",
}

export const StartPage = (props: {
  readonly principal: CurrentPrincipal.Principal
  readonly regionNames: ReadonlyArray<string>
  /** The caller's inbox, for the roles that have one: the start page's main content. */
  readonly inbox?: Child
}) => {
  const tasks = MENU.filter(
    (entry) => entry.href !== "/" && entry.roles.some((role) => props.principal.roles.includes(role)),
  )
  return (
    <>
      <H1>Welkom, {props.principal.name}</H1>
      <P>
        U werkt als{" "}
        {props.principal.roles.map((role) => Access.userRoleLabel[role].toLowerCase()).join(" en ")}
        {props.regionNames.length === 0 ? (
          ". Uw account hoort bij geen enkele regio: vraag uw beheerder om u toe te voegen."
        ) : (
          <> in {props.regionNames.join(", ")}.</>
        )}
      </P>
      {props.inbox ?? null}
      {tasks.length === 0 ? null : (
        <>
          <h2 class="utrecht-heading-2">Wat wilt u doen?</h2>
          <ul class="vr-tasks">
            {tasks.map((entry) => (
              <li>
                <a class="utrecht-link" href={entry.href}>
                  {entry.label}
                </a>
                <p class="utrecht-paragraph">{TASKS[entry.href] ?? ""}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

/** The body of an error page; the kit puts it in the layout (with the menu when signed in). */
export const ErrorPage = (props: { readonly title: string; readonly message: string }) => (
  <>
    <H1>{props.title}</H1>
    <P>{props.message}</P>
    <P>
      <a class="utrecht-link" href="/">
        Naar de startpagina
      </a>
    </P>
  </>
)
