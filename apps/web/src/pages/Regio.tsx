/**
 * Regio: the coordinator's view of a region: its open cases by status (linking to the
 * werkvoorraad), the thuiszitters (Leerplichtwet 1969 art. 21a; categories 1, 2a, 2b) and the
 * cases nearing the Thuiszitterspact's limit, the actions due, the region's access log, and the
 * case list as a spreadsheet. Every read goes through the use cases the API uses
 * (`RegionReads`, `AuditTrail`, `Reports.caseList`), so it is scoped, audited and refused alike:
 * another region does not exist (404), another role gets the 403 page.
 */
import { Absence, Access, AuditTrail, RegionReads, Reports } from "@verzuimregie/app"
import { AbsenceSignal, type Ids, LangdurigVerzuim } from "@verzuimregie/domain"
import type { AuditLog } from "@verzuimregie/store"
import { Effect, Exit } from "effect"
import type { Context, Hono } from "hono"
import {
  ChoiceGroup,
  CsrfField,
  dutchDate,
  dutchDateTime,
  Pagination,
  SubmitButton,
  Table,
} from "../Components.js"
import type { Current, PageKit, PageModule, WebEnv } from "../Kit.js"
import { H1, P } from "../Layout.js"

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/** Rows per list on the region page; the werkvoorraad and the API page further. */
const LIST_LIMIT = 25
const LOG_LIMIT = 50

/** The access log's actions in Dutch. */
export const auditActionLabel: Record<AuditLog.AuditAction, string> = {
  read: "Ingezien",
  create: "Aangemaakt",
  update: "Gewijzigd",
  search: "Gezocht",
  export: "Geëxporteerd",
}

/** The kinds of record the log names, in Dutch. */
const recordTypeLabel: Record<string, string> = {
  case: "casussen",
  referral: "aanmeldingen",
  report: "rapportage",
  action: "acties",
  user: "gebruiker",
  token: "token",
  organisation: "organisatie",
  "audit-log": "toegangslog",
  "refused-read": "geweigerde inzage van een casus",
  "sign-in-link": "aanmeldlink",
}

/** The door of a record (the start of its context code), in Dutch. */
const doorLabel: Record<string, string> = {
  web: "Webapplicatie",
  api: "API",
  cli: "Opdrachtregel",
  mail: "Mail",
  worker: "Achtergrondtaak",
}

export const doorOf = (context: string): string => {
  const door = /^[a-z0-9]+/.exec(context)?.[0] ?? ""
  return doorLabel[door] ?? "Overig"
}

const pactLabel: Record<string, string> = { waarschuwing: "Waarschuwing", alarm: "Alarm" }

const dossierLink = (caseId: string, text: string) => (
  <a class="utrecht-link" href={`/dossiers/${caseId}`}>
    {text}
  </a>
)

/** Coordinators only (the API's export route allows the same role). */
const COORDINATOR_ROLES: ReadonlyArray<"coordinator"> = ["coordinator"]

/** Everything the region page shows, read with the caller's own use cases. */
const overviewOf = (regionId: string) =>
  Effect.gen(function* () {
    const { region } = yield* Access.ownRegion(regionId)
    const counts = yield* RegionReads.openByStatus(regionId)
    const thuiszitters = yield* RegionReads.thuiszitters(regionId, { limit: LIST_LIMIT })
    const pact = yield* RegionReads.pactRisks(regionId, { limit: LIST_LIMIT })
    const actions = yield* RegionReads.actionsDue(regionId, { limit: LIST_LIMIT })
    return { name: region.region.name, id: region.region.id as string, counts, thuiszitters, pact, actions }
  })

type Overview = Effect.Effect.Success<ReturnType<typeof overviewOf>>

const more = (nextCursor: string | null, text: string, href: string) =>
  nextCursor === null ? null : (
    <P>
      Er zijn er meer dan {LIST_LIMIT}.{" "}
      <a class="utrecht-link" href={href}>
        {text}
      </a>
    </P>
  )

const OverviewPage = (props: {
  readonly o: Overview
  readonly csrfToken: string
  readonly several: boolean
}) => {
  const { o } = props
  return (
    <>
      <H1>Regio {o.name}</H1>
      {props.several ? (
        <P>
          <a class="utrecht-link" href="/regio">
            Naar uw regio's
          </a>
        </P>
      ) : null}
      <h2 class="utrecht-heading-2">Open casussen per status</h2>
      <Table
        caption={`Open casussen in ${o.name}: ${o.counts.total} in totaal`}
        headers={["Status", "Aantal"]}
        rows={o.counts.statuses.map((s) => [
          <a class="utrecht-link" href={`/werkvoorraad?status=${encodeURIComponent(s.id)}`}>
            {s.label}
          </a>,
          String(s.count),
        ])}
      />
      <h2 class="utrecht-heading-2">Thuiszitters</h2>
      <Table
        caption="Thuiszitters, langst thuis eerst"
        headers={["Casus", "School", "Categorie", "Thuis sinds", "Dagen thuis"]}
        empty="Geen thuiszitters in deze regio."
        rows={o.thuiszitters.items.map((t) => [
          dossierLink(t.case.caseId, `Dossier ${t.case.caseId}`),
          t.case.school ?? "—",
          `${t.categorie}: ${LangdurigVerzuim.categorieLabel[t.categorie]}`,
          dutchDate(t.since),
          String(t.daysAtHome),
        ])}
      />
      {more(o.thuiszitters.nextCursor, "Alle casussen in de werkvoorraad", "/werkvoorraad")}
      <h2 class="utrecht-heading-2">Thuiszitterspact</h2>
      <Table
        caption="Casussen bij of over de grens van het Thuiszitterspact"
        headers={["Casus", "School", "Signaal", "Telt vanaf", "Grens", "Dagen tot de grens"]}
        empty="Geen casussen bij de grens van het Thuiszitterspact."
        rows={o.pact.items.map((p) => [
          dossierLink(p.case.caseId, `Dossier ${p.case.caseId}`),
          p.case.school ?? "—",
          pactLabel[p.status] ?? p.status,
          dutchDate(p.since),
          dutchDate(p.limitDate),
          String(p.daysRemaining),
        ])}
      />
      {more(o.pact.nextCursor, "Alle casussen in de werkvoorraad", "/werkvoorraad")}
      <h2 class="utrecht-heading-2">Acties die binnen een week verlopen</h2>
      <Table
        caption="Open acties met een einddatum binnen een week, vroegste eerst"
        headers={["Actie", "Eigenaar", "Uiterlijk", "Casus"]}
        empty="Geen open acties die binnen een week verlopen."
        rows={o.actions.items.map((a) => [
          a.description,
          a.owner,
          dutchDate(a.dueOn),
          dossierLink(a.caseId, `Dossier ${a.caseId}`),
        ])}
      />
      <h2 class="utrecht-heading-2">Verzuimsignalen van scholen</h2>
      <P>
        Hoeveel signalen uit het ingelezen schoolverzuim openstaan, per school en soort.{" "}
        <a class="utrecht-link" href="/regio/verzuim">
          Verzuimsignalen per school
        </a>
      </P>
      <h2 class="utrecht-heading-2">Toegangslog</h2>
      <P>
        Wie in deze regio wat heeft ingezien, gezocht, gewijzigd of geëxporteerd.{" "}
        <a class="utrecht-link" href={`/regio/${o.id}/toegangslog`}>
          Toegangslog van {o.name}
        </a>
      </P>
      <h2 class="utrecht-heading-2">Casuslijst als spreadsheet</h2>
      <P>
        Een Excel-bestand met de kolommen van de regio. Elke download komt in de toegangslog. Kies alleen voor
        naam en geboortedatum als u ze nodig heeft.
      </P>
      <form method="post" action={`/regio/${o.id}/export`} class="utrecht-form">
        <CsrfField token={props.csrfToken} />
        <ChoiceGroup
          type="radio"
          name="casussen"
          label="Welke casussen"
          required
          options={[
            { value: "open", label: "Open casussen" },
            { value: "gesloten", label: "Gesloten casussen" },
            { value: "alle", label: "Alle casussen" },
          ]}
          values={["open"]}
        />
        <ChoiceGroup
          type="checkbox"
          name="persoonlijk"
          label="Leerlinggegevens"
          options={[{ value: "ja", label: "Met naam en geboortedatum van de leerling" }]}
        />
        <p class="utrecht-button-group">
          <SubmitButton>Spreadsheet downloaden</SubmitButton>
        </p>
      </form>
    </>
  )
}

const LogPage = (props: {
  readonly name: string
  readonly regionId: string
  readonly items: ReadonlyArray<AuditLog.AuditRecord>
  readonly names: ReadonlyMap<string, string>
  readonly nextCursor: string | null
  readonly paged: boolean
}) => (
  <>
    <H1>Toegangslog {props.name}</H1>
    <P>
      <a class="utrecht-link" href={`/regio/${props.regionId}`}>
        Terug naar regio {props.name}
      </a>
    </P>
    <P>Nieuwste eerst. Het lezen van deze log wordt zelf ook vastgelegd.</P>
    <Table
      caption={`Toegangslog van regio ${props.name}`}
      headers={["Wanneer", "Wie", "Handeling", "Gegevens", "Kenmerk", "Via"]}
      empty="De toegangslog van deze regio is nog leeg."
      rows={props.items.map((r) => [
        dutchDateTime(r.at),
        props.names.get(r.userId) ?? r.userId,
        auditActionLabel[r.action] ?? r.action,
        recordTypeLabel[r.recordType] ?? r.recordType,
        r.recordId ?? "—",
        doorOf(r.context ?? ""),
      ])}
    />
    <Pagination
      path={`/regio/${props.regionId}/toegangslog`}
      query={{}}
      nextCursor={props.nextCursor}
      hasPrevious={props.paged}
    />
  </>
)

const TYPE_ORDER = AbsenceSignal.SignalType.literals

/**
 * Open absence signals per school and type: numbers only, never a pupil. Under 5 is "< 5", as the
 * use case gives it, so a small school's single pupil cannot be singled out.
 */
const CountsPage = (props: { readonly rows: ReadonlyArray<Absence.SignalCountRow> }) => {
  const rows = [...props.rows].sort(
    (a, b) =>
      a.schoolName.localeCompare(b.schoolName, "nl") ||
      TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type),
  )
  return (
    <>
      <H1>Verzuimsignalen per school</H1>
      <P>
        De open signalen (nieuw of gezien) uit het verzuim dat de scholen in uw regio's inlezen, per school en
        soort. U ziet aantallen, geen leerlingen: de school zelf handelt de signalen af en meldt aan waar
        nodig. Minder dan 5 staat er als „&lt; 5”.
      </P>
      <Table
        caption="Open verzuimsignalen per school en soort signaal"
        headers={["School", "Soort signaal", "Open signalen"]}
        empty="Nog geen open verzuimsignalen: geen school in uw regio's heeft signalen die openstaan."
        rows={rows.map((r) => [
          r.schoolName,
          r.typeLabel,
          typeof r.open === "number" ? String(r.open) : r.open,
        ])}
      />
    </>
  )
}

const RegionList = (props: {
  readonly regions: ReadonlyArray<{ readonly id: string; readonly name: string }>
}) => (
  <>
    <H1>Uw regio's</H1>
    <P>Kies de regio die u wilt bekijken.</P>
    <ul class="utrecht-unordered-list">
      {props.regions.map((r) => (
        <li>
          <a class="utrecht-link" href={`/regio/${r.id}`}>
            {r.name}
          </a>
        </li>
      ))}
    </ul>
  </>
)

/** The caller's regions that this installation runs, with their names. */
const ownRegions = (current: Current) =>
  Effect.map(RegionReads.list, (all) =>
    all
      .filter((r) => current.caller.principal.regions.includes(r.id as Ids.RegionId))
      .map((r) => ({ id: r.id as string, name: r.name })),
  )

export const regionPages: PageModule = {
  name: "regio",
  prefixes: ["/regio"],
  mount: <E extends WebEnv>(app: Hono<E>, kit: PageKit) => {
    const overview = async (c: Context, current: Current, regionId: string, several: boolean) => {
      const exit = await kit.run(current, overviewOf(regionId))
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      return kit.page(
        c,
        current,
        { title: `Regio ${exit.value.name}` },
        <OverviewPage o={exit.value} csrfToken={current.session.csrfToken} several={several} />,
      )
    }

    app.get("/regio", async (c) => {
      c.set("route", "/regio")
      const current = await kit.signedInWith(c, COORDINATOR_ROLES)
      if (current instanceof Response) return current
      const regions = await kit.run(current, ownRegions(current))
      if (Exit.isFailure(regions)) return kit.failure(c, current, regions.cause)
      const [only] = regions.value
      if (regions.value.length === 1 && only !== undefined) return overview(c, current, only.id, false)
      if (regions.value.length === 0)
        return kit.notFound(c, current, "Uw account hoort bij geen regio die deze installatie kent.")
      return kit.page(c, current, { title: "Uw regio's" }, <RegionList regions={regions.value} />)
    })

    // Before `/regio/:regionId`: "verzuim" is no region id.
    app.get("/regio/verzuim", async (c) => {
      c.set("route", "/regio/verzuim")
      const current = await kit.signedInWith(c, COORDINATOR_ROLES)
      if (current instanceof Response) return current
      const exit = await kit.run(current, Absence.counts)
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      return kit.page(c, current, { title: "Verzuimsignalen per school" }, <CountsPage rows={exit.value} />)
    })

    app.get("/regio/:regionId", async (c) => {
      c.set("route", "/regio/:regionId")
      const current = await kit.signedInWith(c, COORDINATOR_ROLES)
      if (current instanceof Response) return current
      return overview(c, current, c.req.param("regionId"), current.caller.principal.regions.length > 1)
    })

    app.get("/regio/:regionId/toegangslog", async (c) => {
      c.set("route", "/regio/:regionId/toegangslog")
      const current = await kit.signedInWith(c, COORDINATOR_ROLES)
      if (current instanceof Response) return current
      const regionId = c.req.param("regionId")
      const cursor = c.req.query("cursor") || undefined
      const exit = await kit.run(
        current,
        Effect.gen(function* () {
          const { region } = yield* Access.ownRegion(regionId)
          const page = yield* AuditTrail.ofRegion(regionId, { cursor, limit: LOG_LIMIT })
          const names = yield* AuditTrail.actorNames(page.items.map((r) => r.userId))
          return { name: region.region.name, page, names }
        }),
      )
      if (Exit.isFailure(exit)) {
        if (kit.failureOf(exit)?._tag === "InvalidCursor")
          return kit.notFound(c, current, "Deze pagina van de toegangslog bestaat niet (meer).")
        return kit.failure(c, current, exit.cause)
      }
      const { name, page, names } = exit.value
      return kit.page(
        c,
        current,
        { title: `Toegangslog ${name}` },
        <LogPage
          name={name}
          regionId={regionId}
          items={page.items}
          names={names}
          nextCursor={page.nextCursor ?? null}
          paged={cursor !== undefined}
        />,
      )
    })

    app.post("/regio/:regionId/export", async (c) => {
      c.set("route", "/regio/:regionId/export")
      const current = await kit.signedInWith(c, COORDINATOR_ROLES)
      if (current instanceof Response) return current
      const form = await c.req.parseBody()
      if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
      const which = String(form.casussen ?? "open")
      const includePersonal = form.persoonlijk === "ja"
      const regionId = c.req.param("regionId")
      const exit = await kit.run(
        current,
        Effect.gen(function* () {
          const { region, regions } = yield* Access.ownRegion(regionId)
          const on = regions.today()
          const file = yield* Reports.caseList({
            region,
            includePersonal,
            open: which === "alle" ? undefined : which !== "gesloten",
            on,
          })
          return { file, on, id: region.region.id as string }
        }),
      )
      if (Exit.isFailure(exit)) {
        if (kit.failureOf(exit)?._tag === "RegionNotPermitted") return kit.notFound(c, current)
        return kit.failure(c, current, exit.cause)
      }
      const { file, on, id } = exit.value
      return new Response(new Uint8Array(file), {
        status: 200,
        headers: {
          "content-type": XLSX,
          "content-disposition": `attachment; filename="casussen-${id}-${on}.xlsx"`,
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
        },
      })
    })
  },
}
