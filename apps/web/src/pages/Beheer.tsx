/**
 * Beheer: organisations, users (roles, regions, party role, deactivation) and their tokens, for
 * admins, within the reach `Admin` defines: a region admin manages the users all of whose regions
 * are their own, an installation admin everyone. Every page calls the use cases of `Admin`, the
 * same as the API's admin routes and the admin command line, so separation of duties, reach (a
 * user beyond it is "niet gevonden") and the audit records are the same at every door.
 *
 * A person's token is never shown to an admin: they get a one-time sign-in link at their own
 * address. A service account's token is shown once, on the page that answers the form (never in
 * an address), and is not kept.
 */
import { Admin, AuditTrail, RegionReads } from "@verzuimregie/app"
import { Access, Ids, Organisation, Party } from "@verzuimregie/domain"
import { Accounts } from "@verzuimregie/store"
import { Cause, Effect, Either, Exit, ParseResult, Schema } from "effect"
import type { Context, Hono } from "hono"
import type { Child } from "hono/jsx"
import {
  Alert,
  type Choice,
  ChoiceGroup,
  CsrfField,
  DataList,
  dutchDateTime,
  ErrorSummary,
  type FieldErrors,
  Pagination,
  SelectField,
  SubmitButton,
  Table,
  TextField,
} from "../Components.js"
import type { Current, PageKit, PageModule, WebEnv } from "../Kit.js"
import { H1, P } from "../Layout.js"

export const organisationKindLabel: Record<Organisation.OrganisationKind, string> = {
  school: "School",
  gemeente: "Gemeente",
  ggd: "GGD (jeugdgezondheidszorg)",
  samenwerkingsverband: "Samenwerkingsverband",
  "schoolmaatschappelijk-werk": "Schoolmaatschappelijk werk",
  zorgaanbieder: "Zorgaanbieder",
  onderwijsloket: "Onderwijsloket",
  regioloket: "Regioloket",
  overig: "Overig",
}

const ROLE_CHOICES: ReadonlyArray<Choice> = Access.UserRole.literals.map((role) => ({
  value: role,
  label: Access.userRoleLabel[role],
}))
const PARTY_ROLE_CHOICES: ReadonlyArray<Choice> = Party.PartyRole.literals
  .filter((role) => Party.isProfessionalRole(role))
  .map((role) => ({ value: role, label: Party.partyRoleLabel[role] }))
const KIND_CHOICES: ReadonlyArray<Choice> = Organisation.OrganisationKind.literals.map((kind) => ({
  value: kind,
  label: organisationKindLabel[kind],
}))

const LIST_LIMIT = 50

/**
 * The regions the admin can give a new user, as choices for the new-user form: every region of
 * the installation for an installation admin, a region admin's own otherwise (`Admin.withinReach`).
 */
const regionChoices = (current: Current) =>
  Effect.map(RegionReads.list, (regions) =>
    regions
      .filter((r) => Admin.withinReach(current.caller.principal, { regions: [r.id] }))
      .map((r): Choice => ({ value: r.id as string, label: r.name })),
  )

/** What the notice after a change (`?gewijzigd=`) says. */
const NOTICES: Record<string, string> = {
  aangemaakt: "De gebruiker is aangemaakt.",
  "aangemaakt-persoon":
    "De gebruiker is aangemaakt. Er gaat een eenmalige aanmeldlink naar het eigen e-mailadres.",
  rollen: "De rollen zijn gewijzigd.",
  gedeactiveerd: "De gebruiker is gedeactiveerd; de tokens werken niet meer.",
  aanmeldlink: "Er is een nieuwe aanmeldlink gestuurd naar het eigen e-mailadres van de gebruiker.",
  ingetrokken: "Het token is ingetrokken en werkt niet meer.",
  organisatie: "De organisatie is toegevoegd.",
}

/** A form's values: a text per field, or the values of a group of checkboxes. */
type FormValues = Readonly<Record<string, string | ReadonlyArray<string>>>

const text = (form: Record<string, unknown>, name: string): string => {
  const value = form[name]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === "string" ? first.trim() : ""
}
const many = (form: Record<string, unknown>, name: string): ReadonlyArray<string> => {
  const value = form[name]
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return list.filter((v): v is string => typeof v === "string" && v !== "")
}
const valueOf = (values: FormValues, name: string): string | undefined => {
  const v = values[name]
  return typeof v === "string" ? v : undefined
}
const listOf = (values: FormValues, name: string): ReadonlyArray<string> => {
  const v = values[name]
  return v === undefined ? [] : typeof v === "string" ? [v] : v
}

/** A form's problems: per field, and the ones that concern the whole form. */
interface Problems {
  readonly fields: FieldErrors
  readonly general: ReadonlyArray<string>
}
const NO_PROBLEMS: Problems = { fields: {}, general: [] }

/** An account use case's refusal, as the form shows it; `undefined`: not a form problem. */
const problemsOf = (error: unknown): Problems | undefined => {
  if (error instanceof Admin.RegionsRefused)
    return { fields: { regios: `${error.message} ${error.details.join("; ")}.` }, general: [] }
  if (error instanceof Admin.InstallationAdminOnly) return { fields: {}, general: [error.message] }
  if (error instanceof Accounts.AccountError)
    switch (error.reason) {
      case "email-taken":
        return { fields: { email: "Dit e-mailadres heeft al een account." }, general: [] }
      case "brin-taken":
        return { fields: { brin: "Er is al een organisatie met deze BRIN-code." }, general: [] }
      case "organisation-unknown":
        return { fields: { organisatie: "Deze organisatie bestaat niet (meer)." }, general: [] }
      case "roles-conflict":
        return { fields: { rollen: `Deze rollen gaan niet samen: ${error.detail}.` }, general: [] }
      case "person-token":
        return {
          fields: {},
          general: ["Een persoon krijgt een token alleen via een aanmeldlink op het eigen adres."],
        }
      case "link-not-possible":
        return {
          fields: {},
          general: ["Een aanmeldlink kan alleen naar een actieve persoon, niet naar een serviceaccount."],
        }
      case "invalid":
        return { fields: {}, general: [error.detail] }
      default:
        return undefined
    }
  if (tagOf(error) === "ValidationError")
    return { fields: {}, general: ["De invoer is niet geldig. Controleer de velden."] }
  return undefined
}

/** The answer to a failed use case that is not a form problem: 404, 403 or the 500 page. */
/** A use case's typed failure by its tag (the store's and the app's errors alike). */
const tagOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : undefined

/** The answer to a failed use case that is not a form problem: 404, 403 or the 500 page. */
const failurePage = (c: Context, kit: PageKit, current: Current, exit: Exit.Exit<unknown, unknown>) => {
  const error = kit.failureOf(exit)
  if (
    error instanceof Accounts.AccountError &&
    (error.reason === "user-unknown" || error.reason === "token-unknown")
  )
    return kit.notFound(c, current, "Deze gebruiker of dit token bestaat niet of valt buiten uw bereik.")
  if (error instanceof AuditTrail.NotPermitted) return kit.forbidden(c, current)
  if (tagOf(error) === "InvalidCursor")
    return kit.notFound(c, current, "Deze pagina van de lijst bestaat niet (meer).")
  return Exit.isFailure(exit) ? kit.failure(c, current, exit.cause) : kit.failed(c, current, Cause.empty)
}

const Notice = (props: { readonly code: string | undefined }) => {
  const message = props.code === undefined ? undefined : NOTICES[props.code]
  return message === undefined ? null : (
    <Alert type="ok">
      <p class="utrecht-paragraph">{message}</p>
    </Alert>
  )
}

const BackLink = (props: { readonly href: string; readonly children?: Child }) => (
  <P>
    <a class="utrecht-link" href={props.href}>
      {props.children}
    </a>
  </P>
)

// ---------------------------------------------------------------- organisations

const OrganisationsPage = (props: {
  readonly current: Current
  readonly page: {
    readonly items: ReadonlyArray<Accounts.OrganisationRow>
    readonly nextCursor: string | null
  }
  readonly paged: boolean
  readonly values: FormValues
  readonly problems: Problems
  readonly notice: string | undefined
}) => {
  const { fields, general } = props.problems
  return (
    <>
      <H1>Organisaties</H1>
      <BackLink href="/beheer">Terug naar beheer</BackLink>
      <Notice code={props.notice} />
      <Table
        caption="Organisaties, op naam"
        headers={["Naam", "Soort", "BRIN-code"]}
        empty="Er zijn nog geen organisaties."
        rows={props.page.items.map((o) => [o.name, organisationKindLabel[o.kind] ?? o.kind, o.brin ?? "—"])}
      />
      <Pagination
        path="/beheer/organisaties"
        query={{}}
        nextCursor={props.page.nextCursor}
        hasPrevious={props.paged}
      />
      <h2 class="utrecht-heading-2">Organisatie toevoegen</h2>
      <ErrorSummary
        errors={fields}
        general={general}
        labels={{ naam: "Naam", soort: "Soort", brin: "BRIN-code" }}
      />
      <form method="post" action="/beheer/organisaties" class="utrecht-form" novalidate>
        <CsrfField token={props.current.session.csrfToken} />
        <TextField
          name="naam"
          label="Naam"
          required
          value={valueOf(props.values, "naam")}
          error={fields.naam}
          maxlength={200}
        />
        <SelectField
          name="soort"
          label="Soort"
          required
          placeholder="Kies een soort"
          options={KIND_CHOICES}
          value={valueOf(props.values, "soort")}
          error={fields.soort}
        />
        <TextField
          name="brin"
          label="BRIN-code"
          description="Alleen voor een school: twee cijfers en twee hoofdletters, zoals 12AB."
          value={valueOf(props.values, "brin")}
          error={fields.brin}
          maxlength={4}
        />
        <p class="utrecht-button-group">
          <SubmitButton>Organisatie toevoegen</SubmitButton>
        </p>
      </form>
    </>
  )
}

const organisationInput = (
  form: Record<string, unknown>,
): Either.Either<Accounts.NewOrganisation, Problems> => {
  const fields: Record<string, string> = {}
  const name = text(form, "naam")
  const kind = text(form, "soort")
  const brin = text(form, "brin")
  if (name === "") fields.naam = "Vul de naam van de organisatie in."
  if (!Schema.is(Organisation.OrganisationKind)(kind)) fields.soort = "Kies de soort organisatie."
  if (brin !== "" && !Schema.is(Organisation.Brin)(brin))
    fields.brin = "Vul een BRIN-code in van twee cijfers en twee hoofdletters, zoals 12AB."
  const decoded = Schema.decodeUnknownEither(Accounts.NewOrganisation)({
    name,
    kind,
    ...(brin === "" ? {} : { brin }),
  })
  if (Either.isLeft(decoded) && Object.keys(fields).length === 0)
    fields.naam = "Deze naam is niet geldig (hooguit 200 tekens, geen regeleinden)."
  return Object.keys(fields).length > 0 || Either.isLeft(decoded)
    ? Either.left({ fields, general: [] })
    : Either.right(decoded.right)
}

// ---------------------------------------------------------------- users

const regionLabel = (user: Pick<Accounts.User, "regions">) => user.regions.join(", ")

const UsersPage = (props: {
  readonly page: { readonly items: ReadonlyArray<Accounts.User>; readonly nextCursor: string | null }
  readonly paged: boolean
}) => (
  <>
    <H1>Gebruikers</H1>
    <BackLink href="/beheer">Terug naar beheer</BackLink>
    <P>
      <a class="utrecht-link" href="/beheer/gebruikers/nieuw">
        Gebruiker toevoegen
      </a>
    </P>
    <Table
      caption="Gebruikers binnen uw bereik, op naam"
      headers={["Naam", "Rollen", "Regio's", "Soort", "Actief"]}
      empty="Er zijn nog geen gebruikers binnen uw bereik."
      rows={props.page.items.map((u) => [
        <a class="utrecht-link" href={`/beheer/gebruikers/${u.id}`}>
          {u.name}
        </a>,
        u.roles.map((r) => Access.userRoleLabel[r]).join(", "),
        regionLabel(u),
        u.kind === "service" ? "Serviceaccount" : "Persoon",
        u.active ? "Ja" : "Nee",
      ])}
    />
    <Pagination
      path="/beheer/gebruikers"
      query={{}}
      nextCursor={props.page.nextCursor}
      hasPrevious={props.paged}
    />
  </>
)

const USER_LABELS = {
  naam: "Naam",
  email: "E-mailadres",
  organisatie: "Organisatie",
  rollen: "Rollen",
  regios: "Regio's",
  partijrol: "Beroepsrol",
  soort: "Soort account",
  installatiebeheerder: "Installatiebeheerder",
}

const NewUserPage = (props: {
  readonly current: Current
  readonly organisations: ReadonlyArray<Accounts.OrganisationRow>
  readonly regions: ReadonlyArray<Choice>
  readonly values: FormValues
  readonly problems: Problems
}) => {
  const { fields, general } = props.problems
  const { values } = props
  return (
    <>
      <H1>Gebruiker toevoegen</H1>
      <BackLink href="/beheer/gebruikers">Terug naar gebruikers</BackLink>
      <ErrorSummary errors={fields} general={general} labels={USER_LABELS} />
      <form method="post" action="/beheer/gebruikers/nieuw" class="utrecht-form" novalidate>
        <CsrfField token={props.current.session.csrfToken} />
        <TextField
          name="naam"
          label="Naam"
          required
          value={valueOf(values, "naam")}
          error={fields.naam}
          maxlength={200}
        />
        <TextField
          name="email"
          label="E-mailadres"
          type="email"
          description="Hierheen gaat de eenmalige aanmeldlink."
          required
          value={valueOf(values, "email")}
          error={fields.email}
        />
        <SelectField
          name="organisatie"
          label="Organisatie"
          required
          placeholder="Kies een organisatie"
          options={props.organisations.map((o) => ({ value: o.id, label: o.name }))}
          value={valueOf(values, "organisatie")}
          error={fields.organisatie}
        />
        <ChoiceGroup
          type="checkbox"
          name="rollen"
          label="Rollen"
          description="Een beheerder heeft geen casusrol (scheiding van taken)."
          required
          options={ROLE_CHOICES}
          values={listOf(values, "rollen")}
          error={fields.rollen}
        />
        <ChoiceGroup
          type="checkbox"
          name="regios"
          label="Regio's"
          required
          options={props.regions}
          values={listOf(values, "regios")}
          error={fields.regios}
        />
        <SelectField
          name="partijrol"
          label="Beroepsrol"
          description="Zo staat deze persoon in de casussen die hij of zij vastlegt."
          required
          options={PARTY_ROLE_CHOICES}
          value={valueOf(values, "partijrol") ?? "overig"}
          error={fields.partijrol}
        />
        <ChoiceGroup
          type="radio"
          name="soort"
          label="Soort account"
          description="Een serviceaccount is een systeem dat de API gebruikt; het heeft geen casusrol."
          required
          options={[
            { value: "person", label: "Persoon" },
            { value: "service", label: "Serviceaccount" },
          ]}
          values={[valueOf(values, "soort") ?? "person"]}
          error={fields.soort}
        />
        <ChoiceGroup
          type="checkbox"
          name="installatiebeheerder"
          label="Installatiebeheerder"
          description="Beheert alle regio's van deze installatie. Alleen een installatiebeheerder kan dit geven."
          options={[{ value: "ja", label: "Deze beheerder is installatiebeheerder" }]}
          values={listOf(values, "installatiebeheerder")}
          error={fields.installatiebeheerder}
        />
        <p class="utrecht-button-group">
          <SubmitButton>Gebruiker toevoegen</SubmitButton>
        </p>
      </form>
    </>
  )
}

const USER_FIELD: Record<string, string> = {
  name: "naam",
  email: "email",
  organisationId: "organisatie",
  roles: "rollen",
  regions: "regios",
  partyRole: "partijrol",
  kind: "soort",
  installationAdmin: "installatiebeheerder",
}
const USER_FIELD_MESSAGE: Record<string, string> = {
  naam: "Vul de naam in (hooguit 200 tekens).",
  email: "Vul een geldig e-mailadres in, zoals naam@school.nl.",
  organisatie: "Kies een organisatie.",
  rollen: "Kies ten minste één rol.",
  regios: "Kies ten minste één regio.",
  partijrol: "Kies een beroepsrol.",
  soort: "Kies persoon of serviceaccount.",
  installatiebeheerder: "Kies ja of laat leeg.",
}

const userInput = (form: Record<string, unknown>): Either.Either<Accounts.NewUser, Problems> => {
  const decoded = Schema.decodeUnknownEither(Accounts.NewUser)(
    {
      name: text(form, "naam"),
      email: text(form, "email"),
      organisationId: text(form, "organisatie"),
      roles: many(form, "rollen"),
      regions: many(form, "regios"),
      partyRole: text(form, "partijrol") || "overig",
      kind: text(form, "soort") || "person",
      installationAdmin: text(form, "installatiebeheerder") === "ja",
    },
    { errors: "all" },
  )
  if (Either.isRight(decoded)) return Either.right(decoded.right)
  const fields: Record<string, string> = {}
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(decoded.left)) {
    const field = USER_FIELD[String(issue.path[0] ?? "")]
    if (field !== undefined) fields[field] ??= USER_FIELD_MESSAGE[field] ?? "Controleer dit veld."
  }
  return Either.left({
    fields,
    general: Object.keys(fields).length === 0 ? ["Controleer het formulier."] : [],
  })
}

const formValues = (
  form: Record<string, unknown>,
  names: ReadonlyArray<string>,
  multi: ReadonlyArray<string>,
) =>
  Object.fromEntries([
    ...names.map((n) => [n, text(form, n)] as const),
    ...multi.map((n) => [n, many(form, n)] as const),
  ]) as FormValues

const tokenState = (t: Accounts.TokenInfo, now: number) =>
  t.revokedAt !== undefined
    ? `Ingetrokken op ${dutchDateTime(t.revokedAt)}`
    : t.expiresAt !== undefined && Date.parse(t.expiresAt) <= now
      ? "Verlopen"
      : "Actief"

const UserPage = (props: {
  readonly current: Current
  readonly user: Accounts.User
  readonly tokens: ReadonlyArray<Accounts.TokenInfo>
  readonly notice: string | undefined
  readonly roleValues: ReadonlyArray<string>
  readonly problems: Problems
  readonly now: number
}) => {
  const { user, current } = props
  const { fields, general } = props.problems
  const csrf = current.session.csrfToken
  const base = `/beheer/gebruikers/${user.id}`
  return (
    <>
      <H1>{user.name}</H1>
      <BackLink href="/beheer/gebruikers">Terug naar gebruikers</BackLink>
      <Notice code={props.notice} />
      <ErrorSummary errors={fields} general={general} labels={{ rollen: "Rollen" }} />
      <DataList
        items={[
          ["E-mailadres", user.email],
          ["Soort account", user.kind === "service" ? "Serviceaccount" : "Persoon"],
          ["Rollen", user.roles.map((r) => Access.userRoleLabel[r]).join(", ")],
          ["Regio's", regionLabel(user)],
          ["Beroepsrol", Party.partyRoleLabel[user.partyRole]],
          ["Installatiebeheerder", user.installationAdmin ? "Ja" : "Nee"],
          ["Actief", user.active ? "Ja" : "Nee, gedeactiveerd"],
        ]}
      />
      <h2 class="utrecht-heading-2">Rollen wijzigen</h2>
      <form method="post" action={`${base}/rollen`} class="utrecht-form" novalidate>
        <CsrfField token={csrf} />
        <ChoiceGroup
          type="checkbox"
          name="rollen"
          label="Rollen"
          description="Een beheerder heeft geen casusrol; een serviceaccount ook niet."
          required
          options={ROLE_CHOICES}
          values={props.roleValues}
          error={fields.rollen}
        />
        <p class="utrecht-button-group">
          <SubmitButton>Rollen opslaan</SubmitButton>
        </p>
      </form>
      <h2 class="utrecht-heading-2">Tokens</h2>
      <Table
        caption={`Tokens van ${user.name}`}
        headers={["Token", "Omschrijving", "Uitgegeven", "Verloopt", "Status", "Actie"]}
        empty="Deze gebruiker heeft geen tokens."
        rows={props.tokens.map((t) => [
          <code>{t.tokenId}</code>,
          t.label ?? "—",
          dutchDateTime(t.createdAt),
          t.expiresAt === undefined ? "Nooit" : dutchDateTime(t.expiresAt),
          tokenState(t, props.now),
          t.revokedAt === undefined ? (
            <form method="post" action={`/beheer/tokens/${t.tokenId}/intrekken`} class="vr-inline-form">
              <CsrfField token={csrf} />
              <input type="hidden" name="gebruiker" value={user.id} />
              <button
                class="utrecht-button utrecht-button--secondary-action"
                type="submit"
                aria-label={`Token ${t.tokenId} intrekken`}
              >
                Intrekken
              </button>
            </form>
          ) : (
            "—"
          ),
        ])}
      />
      {user.kind === "person" ? (
        <>
          <h2 class="utrecht-heading-2">Aanmeldlink</h2>
          <P>
            Een persoon krijgt een nieuw token via een eenmalige link op het eigen e-mailadres ({user.email}).
            U ziet de link en het token niet.
          </P>
          <form method="post" action={`${base}/aanmeldlink`} class="utrecht-form">
            <CsrfField token={csrf} />
            <p class="utrecht-button-group">
              <SubmitButton secondary>Aanmeldlink sturen</SubmitButton>
            </p>
          </form>
        </>
      ) : (
        <>
          <h2 class="utrecht-heading-2">Token uitgeven</h2>
          <P>Het token van een serviceaccount ziet u één keer, op de volgende pagina.</P>
          <form method="post" action={`${base}/tokens`} class="utrecht-form" novalidate>
            <CsrfField token={csrf} />
            <TextField
              name="omschrijving"
              label="Omschrijving"
              maxlength={200}
              description="Bijvoorbeeld het systeem dat het token gebruikt."
            />
            <TextField
              name="dagen"
              label="Geldig (dagen)"
              inputmode="numeric"
              description="Tussen 1 en 730. Leeg: geldig tot het wordt ingetrokken."
              error={fields.dagen}
            />
            <p class="utrecht-button-group">
              <SubmitButton>Token uitgeven</SubmitButton>
            </p>
          </form>
        </>
      )}
      {user.active ? (
        <>
          <h2 class="utrecht-heading-2">Deactiveren</h2>
          <P>De gebruiker kan daarna niet meer inloggen; alle tokens werken meteen niet meer.</P>
          <form method="post" action={`${base}/deactiveren`} class="utrecht-form">
            <CsrfField token={csrf} />
            <p class="utrecht-button-group">
              <SubmitButton secondary>Gebruiker deactiveren</SubmitButton>
            </p>
          </form>
        </>
      ) : null}
    </>
  )
}

const IssuedTokenPage = (props: {
  readonly user: Accounts.User
  readonly token: string
  readonly expiresAt: string | undefined
}) => (
  <>
    <H1>Nieuw token voor {props.user.name}</H1>
    <Alert type="warning">
      <p class="utrecht-paragraph">
        U ziet dit token maar één keer. Kopieer het nu naar de plek waar het systeem het veilig bewaart;
        verzuimregie bewaart het niet.
      </p>
    </Alert>
    <DataList
      items={[
        ["Token", <code class="vr-token">{props.token}</code>],
        [
          "Verloopt",
          props.expiresAt === undefined ? "Nooit (tot intrekken)" : dutchDateTime(props.expiresAt),
        ],
      ]}
    />
    <BackLink href={`/beheer/gebruikers/${props.user.id}`}>Terug naar {props.user.name}</BackLink>
  </>
)

// ---------------------------------------------------------------- module

const userIdOf = (raw: string): Ids.UserId | undefined =>
  Schema.is(Ids.UserId)(raw) ? (raw as Ids.UserId) : undefined

const noticeOf = (c: Context) => c.req.query("gewijzigd") ?? undefined

export const adminPages: PageModule = {
  name: "beheer",
  prefixes: ["/beheer"],
  styles: `
.vr-token{word-break:break-all;font-size:1.125rem}
`,
  mount: <E extends WebEnv>(app: Hono<E>, kit: PageKit) => {
    app.get("/beheer", async (c) => {
      c.set("route", "/beheer")
      const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
      if (current instanceof Response) return current
      const { principal } = current.caller
      return kit.page(
        c,
        current,
        { title: "Beheer" },
        <>
          <H1>Beheer</H1>
          <P>
            {principal.installationAdmin
              ? "U beheert de hele installatie: alle organisaties en alle gebruikers."
              : `U beheert de gebruikers van uw regio's: ${principal.regions.join(", ")}.`}
          </P>
          <ul class="utrecht-unordered-list">
            <li>
              <a class="utrecht-link" href="/beheer/organisaties">
                Organisaties
              </a>
            </li>
            <li>
              <a class="utrecht-link" href="/beheer/gebruikers">
                Gebruikers en hun tokens
              </a>
            </li>
          </ul>
        </>,
      )
    })

    // Organisations: the list with the form to add one; a refused form comes back with its input.
    const organisationsPage = async (
      c: Context,
      current: Current,
      values: FormValues,
      problems: Problems,
      status: number,
    ) => {
      const cursor = c.req.query("cursor") || undefined
      const exit = await kit.run(current, Admin.organisations({ cursor, limit: LIST_LIMIT }))
      if (Exit.isFailure(exit)) return failurePage(c, kit, current, exit)
      const invalid = Object.keys(problems.fields).length + problems.general.length > 0
      return kit.page(
        c,
        current,
        { title: invalid ? "Fout: Organisaties" : "Organisaties", status },
        <OrganisationsPage
          current={current}
          page={{ items: exit.value.items, nextCursor: exit.value.nextCursor ?? null }}
          paged={cursor !== undefined}
          values={values}
          problems={problems}
          notice={noticeOf(c)}
        />,
      )
    }

    app.get("/beheer/organisaties", async (c) => {
      c.set("route", "/beheer/organisaties")
      const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
      if (current instanceof Response) return current
      return organisationsPage(c, current, {}, NO_PROBLEMS, 200)
    })

    app.post("/beheer/organisaties", async (c) => {
      c.set("route", "/beheer/organisaties")
      const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
      if (current instanceof Response) return current
      const form = await c.req.parseBody()
      if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
      const values = formValues(form, ["naam", "soort", "brin"], [])
      const input = organisationInput(form)
      if (Either.isLeft(input)) return organisationsPage(c, current, values, input.left, 422)
      const exit = await kit.run(current, Admin.createOrganisation(input.right))
      if (Exit.isFailure(exit)) {
        const problems = problemsOf(kit.failureOf(exit))
        if (problems !== undefined) return organisationsPage(c, current, values, problems, 422)
        return failurePage(c, kit, current, exit)
      }
      return c.redirect("/beheer/organisaties?gewijzigd=organisatie", 303)
    })

    app.get("/beheer/gebruikers", async (c) => {
      c.set("route", "/beheer/gebruikers")
      const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
      if (current instanceof Response) return current
      const cursor = c.req.query("cursor") || undefined
      const exit = await kit.run(current, Admin.users({ cursor, limit: LIST_LIMIT }))
      if (Exit.isFailure(exit)) return failurePage(c, kit, current, exit)
      return kit.page(
        c,
        current,
        { title: "Gebruikers" },
        <UsersPage
          page={{ items: exit.value.items, nextCursor: exit.value.nextCursor ?? null }}
          paged={cursor !== undefined}
        />,
      )
    })

    // The new-user form offers the regions within the admin's reach; `Admin.createUser` still
    // decides, and refuses a crafted post naming another region next to the field.
    const newUserPage = async (
      c: Context,
      current: Current,
      values: FormValues,
      problems: Problems,
      status: number,
    ) => {
      const exit = await kit.run(
        current,
        Effect.gen(function* () {
          const organisations = yield* Admin.organisations({ limit: 500 })
          const regions = yield* regionChoices(current)
          return { organisations: organisations.items, regions }
        }),
      )
      if (Exit.isFailure(exit)) return failurePage(c, kit, current, exit)
      const invalid = Object.keys(problems.fields).length + problems.general.length > 0
      return kit.page(
        c,
        current,
        { title: invalid ? "Fout: Gebruiker toevoegen" : "Gebruiker toevoegen", status },
        <NewUserPage
          current={current}
          organisations={exit.value.organisations}
          regions={exit.value.regions}
          values={values}
          problems={problems}
        />,
      )
    }

    app.get("/beheer/gebruikers/nieuw", async (c) => {
      c.set("route", "/beheer/gebruikers/nieuw")
      const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
      if (current instanceof Response) return current
      return newUserPage(c, current, {}, NO_PROBLEMS, 200)
    })

    app.post("/beheer/gebruikers/nieuw", async (c) => {
      c.set("route", "/beheer/gebruikers/nieuw")
      const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
      if (current instanceof Response) return current
      const form = await c.req.parseBody({ all: true })
      if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
      const values = formValues(
        form,
        ["naam", "email", "organisatie", "partijrol", "soort"],
        ["rollen", "regios", "installatiebeheerder"],
      )
      const input = userInput(form)
      if (Either.isLeft(input)) return newUserPage(c, current, values, input.left, 422)
      const exit = await kit.run(current, Admin.createUser(input.right))
      if (Exit.isFailure(exit)) {
        const problems = problemsOf(kit.failureOf(exit))
        if (problems !== undefined) return newUserPage(c, current, values, problems, 422)
        return failurePage(c, kit, current, exit)
      }
      const notice = exit.value.kind === "person" ? "aangemaakt-persoon" : "aangemaakt"
      return c.redirect(`/beheer/gebruikers/${exit.value.id}?gewijzigd=${notice}`, 303)
    })

    const userPage = async (
      c: Context,
      current: Current,
      userId: Ids.UserId | undefined,
      options: {
        readonly roleValues?: ReadonlyArray<string>
        readonly problems: Problems
        readonly status: number
      },
    ) => {
      if (userId === undefined) return kit.notFound(c, current)
      const exit = await kit.run(
        current,
        Effect.gen(function* () {
          const user = yield* Admin.user(userId)
          const tokens = yield* Admin.tokens(userId, { limit: 100 })
          return { user, tokens: tokens.items }
        }),
      )
      if (Exit.isFailure(exit)) return failurePage(c, kit, current, exit)
      const { user, tokens } = exit.value
      const invalid = Object.keys(options.problems.fields).length + options.problems.general.length > 0
      return kit.page(
        c,
        current,
        { title: invalid ? `Fout: ${user.name}` : user.name, status: options.status },
        <UserPage
          current={current}
          user={user}
          tokens={tokens}
          notice={noticeOf(c)}
          roleValues={options.roleValues ?? user.roles}
          problems={options.problems}
          now={Date.now()}
        />,
      )
    }

    app.get("/beheer/gebruikers/:userId", async (c) => {
      c.set("route", "/beheer/gebruikers/:userId")
      const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
      if (current instanceof Response) return current
      return userPage(c, current, userIdOf(c.req.param("userId")), {
        problems: NO_PROBLEMS,
        status: 200,
      })
    })

    /** A POST about one user: admin, CSRF, the user id; then `act` answers. */
    const userAction = (
      path: string,
      act: (
        c: Context,
        current: Current,
        userId: Ids.UserId,
        form: Record<string, unknown>,
      ) => Promise<Response>,
    ) =>
      app.post(path, async (c) => {
        c.set("route", path)
        const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
        if (current instanceof Response) return current
        const form = await c.req.parseBody({ all: true })
        if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
        const userId = userIdOf(c.req.param("userId") ?? "")
        if (userId === undefined) return kit.notFound(c, current)
        return act(c, current, userId, form)
      })

    /** After a change: back to the user's page with its notice; a refusal shown on that page. */
    const afterChange = async (
      c: Context,
      current: Current,
      userId: Ids.UserId,
      exit: Exit.Exit<unknown, unknown>,
      notice: string,
      roleValues?: ReadonlyArray<string>,
    ) => {
      if (Exit.isSuccess(exit)) return c.redirect(`/beheer/gebruikers/${userId}?gewijzigd=${notice}`, 303)
      const problems = problemsOf(kit.failureOf(exit))
      if (problems !== undefined)
        return userPage(c, current, userId, {
          problems,
          status: 422,
          ...(roleValues === undefined ? {} : { roleValues }),
        })
      return failurePage(c, kit, current, exit)
    }

    userAction("/beheer/gebruikers/:userId/rollen", async (c, current, userId, form) => {
      const roles = many(form, "rollen")
      if (roles.length === 0 || !roles.every((r) => Schema.is(Access.UserRole)(r)))
        return userPage(c, current, userId, {
          roleValues: roles,
          problems: { fields: { rollen: "Kies ten minste één rol." }, general: [] },
          status: 422,
        })
      const exit = await kit.run(current, Admin.setRoles(userId, roles as ReadonlyArray<Access.UserRole>))
      return afterChange(c, current, userId, exit, "rollen", roles)
    })

    userAction("/beheer/gebruikers/:userId/deactiveren", async (c, current, userId) =>
      afterChange(c, current, userId, await kit.run(current, Admin.deactivate(userId)), "gedeactiveerd"),
    )

    userAction("/beheer/gebruikers/:userId/aanmeldlink", async (c, current, userId) =>
      afterChange(c, current, userId, await kit.run(current, Admin.sendSignInLink(userId)), "aanmeldlink"),
    )

    // A service account's token: shown once, in the answer to this form (never in an address).
    userAction("/beheer/gebruikers/:userId/tokens", async (c, current, userId, form) => {
      const days = text(form, "dagen")
      const label = text(form, "omschrijving")
      const count = Number(days)
      if (days !== "" && !(Number.isInteger(count) && count >= 1 && count <= 730))
        return userPage(c, current, userId, {
          problems: { fields: { dagen: "Vul een heel aantal dagen in, van 1 tot en met 730." }, general: [] },
          status: 422,
        })
      const request = Schema.decodeUnknownEither(Admin.TokenRequest)({
        ...(label === "" ? {} : { label }),
        ...(days === "" ? {} : { expiresInDays: count }),
      })
      if (Either.isLeft(request))
        return userPage(c, current, userId, {
          problems: { fields: {}, general: ["De omschrijving is niet geldig (hooguit 200 tekens)."] },
          status: 422,
        })
      const exit = await kit.run(current, Admin.issueServiceToken(userId, request.right))
      if (Exit.isFailure(exit)) return afterChange(c, current, userId, exit, "")
      return kit.page(
        c,
        current,
        { title: `Nieuw token voor ${exit.value.user.name}` },
        <IssuedTokenPage user={exit.value.user} token={exit.value.token} expiresAt={exit.value.expiresAt} />,
      )
    })

    app.post("/beheer/tokens/:tokenId/intrekken", async (c) => {
      c.set("route", "/beheer/tokens/:tokenId/intrekken")
      const current = await kit.signedInWith(c, Admin.ADMIN_ROLES)
      if (current instanceof Response) return current
      const form = await c.req.parseBody()
      if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
      const exit = await kit.run(current, Admin.revokeToken(c.req.param("tokenId")))
      const userId = userIdOf(text(form, "gebruiker"))
      if (Exit.isFailure(exit) || userId === undefined) {
        if (Exit.isSuccess(exit)) return c.redirect("/beheer/gebruikers", 303)
        return failurePage(c, kit, current, exit)
      }
      return c.redirect(`/beheer/gebruikers/${userId}?gewijzigd=ingetrokken`, 303)
    })
  },
}
