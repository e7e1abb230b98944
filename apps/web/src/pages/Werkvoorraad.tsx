/**
 * Werkvoorraad and Zoeken: the case worker's and coordinator's cases, filtered and sorted by
 * urgency, and the search for a pupil within the caller's regions. Both run the use cases of
 * `@verzuimregie/app` (`Cases.workList`, `Cases.findPupil`), so access and audit are the API's.
 * The werkvoorraad's filters go in the query string (ids and status codes only); a search by name,
 * birth date or person number is a POST, so nothing of the pupil ever lands in a URL.
 */
import { Access, Cases, type CaseViews } from "@verzuimregie/app"
import { type Errors, LangdurigVerzuim } from "@verzuimregie/domain"
import type { Hono } from "hono"
import {
  Alert,
  CsrfField,
  DateField,
  dutchDate,
  ErrorSummary,
  type FieldErrors,
  Pagination,
  SelectField,
  SubmitButton,
  Table,
  TextField,
} from "../Components.js"
import type { PageKit, PageModule, WebEnv } from "../Kit.js"
import { H1, P } from "../Layout.js"

/** Ids and status codes as a query string may carry them; anything else is ignored. */
const CODE = /^[A-Za-z0-9_-]{1,100}$/

const codeOf = (value: string | undefined): string | undefined =>
  value !== undefined && CODE.test(value) ? value : undefined

/** An opaque cursor as the use cases make them (base64url); the use case checks it further. */
const cursorOf = (value: string | undefined): string | undefined =>
  value !== undefined && /^[A-Za-z0-9_-]{1,1000}$/.test(value) ? value : undefined

const SORTS: ReadonlyArray<{ readonly value: Cases.WorkListSort; readonly label: string }> = [
  { value: "urgentie", label: "Urgentie (verlopen eerst, dan de eerstvolgende termijn)" },
  { value: "nieuwste", label: "Nieuwste eerst" },
]

const DEADLINE_MARK: Record<CaseViews.PendingDeadline["status"], string | undefined> = {
  verlopen: "Verlopen",
  binnenkort: "Binnenkort",
  open: undefined,
}

const Deadline = (props: { readonly deadline: CaseViews.PendingDeadline | null }) => {
  if (props.deadline === null) return <span>Geen open termijn</span>
  const mark = DEADLINE_MARK[props.deadline.status]
  return (
    <span class={`vr-deadline vr-deadline--${props.deadline.status}`}>
      {mark === undefined ? null : <strong class="vr-deadline__mark">{mark}: </strong>}
      {props.deadline.label}, {dutchDate(props.deadline.dueOn)}
    </span>
  )
}

const categorieText = (categorie: LangdurigVerzuim.Categorie | null): string =>
  categorie === null ? "Nee" : `${categorie}: ${LangdurigVerzuim.categorieLabel[categorie]}`

const pactText = (pact: CaseViews.WorkRow["pact"]): string =>
  pact === null
    ? "Geen"
    : `${pact.status === "alarm" ? "Alarm" : "Waarschuwing"}: grens ${dutchDate(pact.limitDate)}`

/** The rows of the werkvoorraad and of the search results: one format for both. */
const CaseTable = (props: {
  readonly caption: string
  readonly rows: ReadonlyArray<CaseViews.WorkRow>
  readonly empty: string
}) => (
  <Table
    caption={props.caption}
    headers={[
      "Leerling",
      "Status",
      "Dagen open",
      "Eerstvolgende termijn",
      "Thuiszitter",
      "Thuiszitterspact",
      "Regiehouder",
      "School",
    ]}
    empty={props.empty}
    rows={props.rows.map((row) => [
      <a class="utrecht-link" href={`/dossiers/${row.caseId}`}>
        {row.pupil.name}
      </a>,
      row.status.label,
      String(row.daysOpen),
      <Deadline deadline={row.nextDeadline} />,
      categorieText(row.categorie),
      pactText(row.pact),
      row.regiehouder ?? "Nog niet toegewezen",
      row.school ?? "Niet ingeschreven",
    ])}
  />
)

type List = "mijn" | "regio"

const LISTS: ReadonlyArray<{ readonly value: List; readonly label: string; readonly href: string }> = [
  { value: "mijn", label: "Mijn casussen", href: "/werkvoorraad" },
  { value: "regio", label: "Casussen van mijn regio's", href: "/werkvoorraad?lijst=regio" },
]

const mountWorkList = <E extends WebEnv>(app: Hono<E>, kit: PageKit) => {
  app.get("/werkvoorraad", async (c) => {
    c.set("route", "/werkvoorraad")
    const current = await kit.signedInWith(c, Access.CASE_ROLES)
    if (current instanceof Response) return current
    const list: List = c.req.query("lijst") === "regio" ? "regio" : "mijn"
    const sort: Cases.WorkListSort = c.req.query("sortering") === "nieuwste" ? "nieuwste" : "urgentie"
    const status = codeOf(c.req.query("status"))
    const regiehouder = list === "regio" ? codeOf(c.req.query("regiehouder")) : undefined
    const school = codeOf(c.req.query("school"))
    const cursor = cursorOf(c.req.query("cursor"))
    const exit = await kit.run(
      current,
      Cases.workList({
        mine: list === "mijn",
        status,
        regiehouder: regiehouder as Cases.WorkListFilters["regiehouder"],
        school: school as Cases.WorkListFilters["school"],
        sort,
        cursor,
        limit: 25,
      }),
    )
    const failure = kit.failureOf(exit)
    const query = {
      lijst: list === "regio" ? "regio" : undefined,
      status,
      regiehouder,
      school,
      sortering: sort === "urgentie" ? undefined : sort,
    }
    if (failure?._tag === "InvalidCursor") {
      // A cursor from an older list: start at its first page.
      const params = new URLSearchParams(
        Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
      )
      return c.redirect(`/werkvoorraad${params.size === 0 ? "" : `?${params}`}`, 303)
    }
    if (exit._tag === "Failure") return kit.failure(c, current, exit.cause)
    const found = exit.value
    const title = LISTS.find((l) => l.value === list)?.label ?? "Werkvoorraad"
    const sortLabel = sort === "urgentie" ? "urgentste eerst" : "nieuwste eerst"
    return kit.page(
      c,
      current,
      { title: `Werkvoorraad: ${title}` },
      <>
        <H1>Werkvoorraad</H1>
        <nav class="vr-tabs" aria-label="Lijsten">
          <ul>
            {LISTS.map((l) => (
              <li>
                <a class="utrecht-link" href={l.href} aria-current={l.value === list ? "page" : undefined}>
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <h2 class="utrecht-heading-2">{title}</h2>
        <form method="get" action="/werkvoorraad" class="utrecht-form vr-filters">
          {list === "regio" ? <input type="hidden" name="lijst" value="regio" /> : null}
          <SelectField
            name="status"
            label="Status"
            placeholder="Alle statussen"
            value={status}
            options={found.choices.statuses.map((s) => ({ value: s.id, label: s.label }))}
          />
          {list === "regio" ? (
            <SelectField
              name="regiehouder"
              label="Regiehouder"
              placeholder="Alle regiehouders"
              value={regiehouder}
              options={found.choices.regiehouders.map((r) => ({ value: r.id, label: r.label }))}
            />
          ) : null}
          <SelectField
            name="school"
            label="School"
            placeholder="Alle scholen"
            value={school}
            options={found.choices.schools.map((s) => ({ value: s.id, label: s.label }))}
          />
          <SelectField name="sortering" label="Sorteren op" required value={sort} options={SORTS} />
          <p class="utrecht-button-group">
            <SubmitButton>Toon casussen</SubmitButton>
          </p>
        </form>
        {found.truncated ? (
          <Alert type="warning">
            <P>
              Deze lijst is te lang om in één keer te beoordelen; niet alle open casussen zijn meegenomen.
              Kies een status, regiehouder of school.
            </P>
          </Alert>
        ) : null}
        <CaseTable
          caption={`${title}, ${sortLabel}${cursor === undefined ? "" : " (vervolg)"}`}
          rows={found.items}
          empty={
            list === "mijn"
              ? "U bent van geen open casus de regiehouder (met deze filters)."
              : "Geen open casussen met deze filters."
          }
        />
        <Pagination
          path="/werkvoorraad"
          query={{ ...query, cursor }}
          nextCursor={found.nextCursor}
          hasPrevious={cursor !== undefined}
        />
      </>,
    )
  })
}

/** The search form's fields, by form name, with the use case's field for each. */
const SEARCH_FIELDS = {
  naam: "name",
  geboortedatum: "birthDate",
  nummer: "personNumber",
} as const

const SEARCH_LABELS: Record<keyof typeof SEARCH_FIELDS, string> = {
  naam: "Naam van de leerling",
  geboortedatum: "Geboortedatum",
  nummer: "BSN of onderwijsnummer",
}

type SearchValues = { readonly [K in keyof typeof SEARCH_FIELDS]?: string | undefined }

const SearchPage = (props: {
  readonly csrfToken: string
  readonly values: SearchValues
  readonly errors: FieldErrors
  readonly general: ReadonlyArray<string>
  readonly results?: { readonly rows: ReadonlyArray<CaseViews.WorkRow>; readonly nextCursor: string | null }
}) => (
  <>
    <H1>Zoeken</H1>
    <ErrorSummary errors={props.errors} labels={SEARCH_LABELS} general={props.general} />
    <P>
      Zoek een leerling in de casussen van uw regio's op (een deel van) de naam, de geboortedatum, of het BSN
      of onderwijsnummer. Vult u meer velden in, dan moeten ze allemaal kloppen. Elke zoekvraag wordt
      vastgelegd (welke velden u gebruikte, niet wat u invulde).
    </P>
    <form method="post" action="/zoeken" class="utrecht-form" novalidate>
      <CsrfField token={props.csrfToken} />
      <TextField
        name="naam"
        label={SEARCH_LABELS.naam}
        description="Voornaam, achternaam of een deel ervan; hoofdletters en accenten tellen niet."
        value={props.values.naam}
        error={props.errors.naam}
        maxlength={100}
      />
      <DateField
        name="geboortedatum"
        label={SEARCH_LABELS.geboortedatum}
        value={props.values.geboortedatum}
        error={props.errors.geboortedatum}
      />
      <TextField
        name="nummer"
        label={SEARCH_LABELS.nummer}
        description="9 cijfers."
        inputmode="numeric"
        value={props.values.nummer}
        error={props.errors.nummer}
        maxlength={20}
      />
      <p class="utrecht-button-group">
        <SubmitButton>Zoeken</SubmitButton>
      </p>
    </form>
    {props.results === undefined ? null : (
      <section aria-labelledby="resultaten-kop">
        <h2 class="utrecht-heading-2" id="resultaten-kop">
          Resultaten
        </h2>
        <div role="status">
          <P>
            {props.results.rows.length === 0
              ? "Geen leerling gevonden in de casussen van uw regio's."
              : `${props.results.rows.length}${props.results.nextCursor === null ? "" : " of meer"} ${props.results.rows.length === 1 ? "casus" : "casussen"} gevonden.`}
          </P>
        </div>
        <CaseTable caption="Gevonden casussen, nieuwste eerst" rows={props.results.rows} empty="" />
        {props.results.nextCursor === null ? null : (
          // More results: the next page is a POST too, carrying the question again.
          <form method="post" action="/zoeken" class="vr-inline-form">
            <CsrfField token={props.csrfToken} />
            {Object.entries(props.values).map(([name, value]) => (
              <input type="hidden" name={name} value={value ?? ""} />
            ))}
            <input type="hidden" name="cursor" value={props.results.nextCursor} />
            <SubmitButton secondary>Meer resultaten</SubmitButton>
          </form>
        )}
      </section>
    )}
  </>
)

const mountSearch = <E extends WebEnv>(app: Hono<E>, kit: PageKit) => {
  app.get("/zoeken", async (c) => {
    c.set("route", "/zoeken")
    const current = await kit.signedInWith(c, Access.CASE_ROLES)
    if (current instanceof Response) return current
    return kit.page(
      c,
      current,
      { title: "Zoeken" },
      <SearchPage csrfToken={current.session.csrfToken} values={{}} errors={{}} general={[]} />,
    )
  })

  app.post("/zoeken", async (c) => {
    c.set("route", "/zoeken")
    const current = await kit.signedInWith(c, Access.CASE_ROLES)
    if (current instanceof Response) return current
    const form = await c.req.parseBody()
    if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
    const text = (name: string) => {
      const value = form[name]
      return typeof value === "string" ? value.slice(0, 200) : undefined
    }
    const values: SearchValues = {
      naam: text("naam"),
      geboortedatum: text("geboortedatum"),
      nummer: text("nummer"),
    }
    const exit = await kit.run(
      current,
      Cases.findPupil({
        name: values.naam,
        birthDate: values.geboortedatum,
        personNumber: values.nummer,
        cursor: cursorOf(typeof form.cursor === "string" ? form.cursor : undefined),
        limit: 25,
      }),
    )
    const failure = kit.failureOf(exit)
    if (failure?._tag === "ValidationError" || failure?._tag === "InvalidCursor") {
      const issues: ReadonlyArray<Errors.FieldIssue> =
        failure._tag === "ValidationError"
          ? failure.issues
          : [{ path: "", message: "Deze resultaten zijn verlopen; zoek opnieuw." }]
      const errors: Record<string, string> = {}
      const general: Array<string> = []
      for (const issue of issues) {
        const field = Object.entries(SEARCH_FIELDS).find(([, path]) => path === issue.path)?.[0]
        if (field === undefined) general.push(issue.message)
        else errors[field] = issue.message
      }
      return kit.page(
        c,
        current,
        { title: "Fout: Zoeken", status: 422 },
        <SearchPage
          csrfToken={current.session.csrfToken}
          values={values}
          errors={errors}
          general={general}
        />,
      )
    }
    if (exit._tag === "Failure") return kit.failure(c, current, exit.cause)
    return kit.page(
      c,
      current,
      { title: "Zoeken: resultaten" },
      <SearchPage
        csrfToken={current.session.csrfToken}
        values={values}
        errors={{}}
        general={[]}
        results={{ rows: exit.value.items, nextCursor: exit.value.nextCursor }}
      />,
    )
  })
}

export const werkvoorraadPages: PageModule = {
  name: "werkvoorraad",
  prefixes: ["/werkvoorraad", "/zoeken"],
  styles: `
.vr-tabs ul{display:flex;flex-wrap:wrap;gap:1.5rem;list-style:none;margin:0 0 1.5rem;padding:0}
.vr-tabs a[aria-current="page"]{font-weight:700;text-decoration-thickness:3px}
.vr-filters{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-end}
.vr-deadline__mark{font-weight:700}
.vr-deadline--verlopen{color:var(--utrecht-feedback-danger-color,#a00);border-inline-start:4px solid currentColor;padding-inline-start:.4rem}
.vr-deadline--binnenkort{border-inline-start:4px dashed currentColor;padding-inline-start:.4rem}
`,
  mount: (app, kit) => {
    mountWorkList(app, kit)
    mountSearch(app, kit)
  },
}
