/**
 * Dashboard: the coordinator's figures of a region over a period (a school year, a quarter, a range
 * of months), each as a chart drawn here as SVG (no script, no external asset, colours from the
 * stylesheet), with its figures as a table for screen readers and as a spreadsheet. Counts only:
 * `Dashboard.figures` reads, scopes (another region is 404) and audits, as for the API; the
 * jaarverslag is the same figures over a school year as one workbook.
 */
import { Dashboard, RegionReads } from "@verzuimregie/app"
import { type Ids, LocalDate } from "@verzuimregie/domain"
import { Effect, Either, Exit } from "effect"

const { Jaarverslag } = Dashboard
type Figures = Dashboard.Figures
type ChartId = Dashboard.ChartId
type Chart = Dashboard.Chart

import type { Child } from "hono/jsx"
import { Alert, dutchDate, SelectField, SubmitButton, Table } from "../Components.js"
import type { Current, PageModule } from "../Kit.js"
import { H1, P } from "../Layout.js"

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
const COORDINATOR_ROLES: ReadonlyArray<"coordinator"> = ["coordinator"]

/** Colours of the series: dark enough for 3:1 against white (WCAG 1.4.11), told apart by the legend. */
const PALETTE = ["#1d4f91", "#b35900", "#2e7d32", "#8e244d", "#4a4a4a", "#006d77", "#6a3d9a", "#a3211d"]

export const DASHBOARD_STYLES = `
.vr-figure{margin:0 0 2.5rem;padding:0}
.vr-figure figcaption p{margin-block:.25rem .75rem}
.vr-chart{display:block;inline-size:100%;max-inline-size:48rem;block-size:auto}
.vr-chart text{font-family:inherit;font-size:12px;fill:#222}
.vr-chart .vr-axis{stroke:#444;stroke-width:1}
.vr-chart .vr-grid{stroke:#ddd;stroke-width:1}
.vr-chart .vr-line{fill:none;stroke-width:2.5}
${PALETTE.map((c, i) => `.vr-series-${i}{fill:${c};stroke:${c}}\n.vr-chart .vr-line.vr-series-${i}{fill:none}`).join("\n")}
.vr-legend{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;list-style:none;margin:.5rem 0;padding:0}
.vr-legend li{display:flex;align-items:center;gap:.4rem}
.vr-swatch{display:inline-block;inline-size:1rem;block-size:1rem;border-radius:2px}
${PALETTE.map((c, i) => `.vr-swatch.vr-series-${i}{background:${c}}`).join("\n")}
.vr-period-forms{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-end;margin-block:1rem 2rem}
.vr-period-forms form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.vr-figure details{margin-block:.5rem}
`

interface Series {
  readonly name: string
  readonly values: ReadonlyArray<number | "< 5" | null>
}

const shorten = (label: string, max: number) => (label.length > max ? `${label.slice(0, max - 1)}…` : label)

/** A round axis maximum with 4 steps. */
const niceMax = (max: number): number => {
  if (max <= 4) return 4
  const step = 10 ** Math.floor(Math.log10(max / 4))
  const nice = [1, 2, 2.5, 5, 10].map((f) => f * step).find((s) => s * 4 >= max) ?? max / 4
  return nice * 4
}

const numeric = (v: number | "< 5" | null): number => (typeof v === "number" ? v : 0)

/** Horizontal grouped bars: one row per category, one bar per series, the value after each bar. */
const BarChart = (props: {
  readonly id: string
  readonly title: string
  readonly summary: string
  readonly categories: ReadonlyArray<string>
  readonly series: ReadonlyArray<Series>
}) => {
  const labelWidth = 220
  const plotWidth = 440
  const bar = 14
  const gap = 12
  const rowHeight = props.series.length * bar + gap
  const top = 24
  const height = top + props.categories.length * rowHeight + 8
  const max = niceMax(Math.max(0, ...props.series.flatMap((s) => s.values.map(numeric))))
  const x = (v: number) => labelWidth + (v / max) * plotWidth
  const ticks = [0, 1, 2, 3, 4].map((i) => (max / 4) * i)
  return (
    <svg
      class="vr-chart"
      viewBox={`0 0 ${labelWidth + plotWidth + 60} ${height}`}
      role="img"
      aria-labelledby={`${props.id}-titel ${props.id}-uitleg`}
    >
      <title id={`${props.id}-titel`}>{props.title}</title>
      <desc id={`${props.id}-uitleg`}>{props.summary}</desc>
      {ticks.map((t) => (
        <>
          <line class="vr-grid" x1={x(t)} x2={x(t)} y1={top - 4} y2={height - 8} />
          <text x={x(t)} y={top - 10} text-anchor="middle">
            {String(Math.round(t * 10) / 10)}
          </text>
        </>
      ))}
      {props.categories.map((category, i) => {
        const y0 = top + i * rowHeight
        return (
          <>
            <text x={labelWidth - 8} y={y0 + (props.series.length * bar) / 2 + 4} text-anchor="end">
              {shorten(category, 32)}
            </text>
            {props.series.map((s, j) => {
              const v = s.values[i] ?? null
              const y = y0 + j * bar
              return (
                <>
                  <rect
                    class={`vr-series-${j % PALETTE.length}`}
                    x={labelWidth}
                    y={y + 1}
                    width={Math.max(0, x(numeric(v)) - labelWidth)}
                    height={bar - 2}
                  />
                  <text x={x(numeric(v)) + 4} y={y + bar - 3}>
                    {v === null ? "—" : String(v)}
                  </text>
                </>
              )
            })}
          </>
        )
      })}
      <line class="vr-axis" x1={labelWidth} x2={labelWidth} y1={top - 4} y2={height - 8} />
    </svg>
  )
}

/** Lines over months: one per series; a month without a value breaks the line. */
const LineChart = (props: {
  readonly id: string
  readonly title: string
  readonly summary: string
  readonly categories: ReadonlyArray<string>
  readonly series: ReadonlyArray<Series>
}) => {
  const left = 48
  const right = 16
  const top = 16
  const plotHeight = 200
  const width = 720
  const height = top + plotHeight + 56
  const n = props.categories.length
  const step = n <= 1 ? 0 : (width - left - right) / (n - 1)
  const xOf = (i: number) => (n <= 1 ? (left + width - right) / 2 : left + i * step)
  const max = niceMax(Math.max(0, ...props.series.flatMap((s) => s.values.map(numeric))))
  const yOf = (v: number) => top + plotHeight - (v / max) * plotHeight
  const ticks = [0, 1, 2, 3, 4].map((i) => (max / 4) * i)
  const runs = (values: ReadonlyArray<number | "< 5" | null>) => {
    const out: Array<Array<[number, number]>> = []
    let current: Array<[number, number]> = []
    values.forEach((v, i) => {
      if (typeof v === "number") current.push([xOf(i), yOf(v)])
      else if (current.length > 0) {
        out.push(current)
        current = []
      }
    })
    if (current.length > 0) out.push(current)
    return out
  }
  return (
    <svg
      class="vr-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${props.id}-titel ${props.id}-uitleg`}
    >
      <title id={`${props.id}-titel`}>{props.title}</title>
      <desc id={`${props.id}-uitleg`}>{props.summary}</desc>
      {ticks.map((t) => (
        <>
          <line class="vr-grid" x1={left} x2={width - right} y1={yOf(t)} y2={yOf(t)} />
          <text x={left - 6} y={yOf(t) + 4} text-anchor="end">
            {String(Math.round(t * 10) / 10)}
          </text>
        </>
      ))}
      <line class="vr-axis" x1={left} x2={width - right} y1={top + plotHeight} y2={top + plotHeight} />
      {props.categories.map((c, i) => (
        <text
          x={xOf(i)}
          y={top + plotHeight + 18}
          text-anchor="end"
          transform={`rotate(-35 ${xOf(i)} ${top + plotHeight + 18})`}
        >
          {c}
        </text>
      ))}
      {props.series.map((s, j) =>
        runs(s.values).map((run) => (
          <>
            {run.length > 1 ? (
              <polyline
                class={`vr-line vr-series-${j % PALETTE.length}`}
                points={run.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")}
              />
            ) : null}
            {run.map(([px, py]) => (
              <circle
                class={`vr-series-${j % PALETTE.length}`}
                cx={px.toFixed(1)}
                cy={py.toFixed(1)}
                r="3.5"
              />
            ))}
          </>
        )),
      )}
    </svg>
  )
}

const Legend = (props: { readonly series: ReadonlyArray<Series> }) =>
  props.series.length < 2 ? null : (
    <ul class="vr-legend" aria-hidden="true">
      {props.series.map((s, j) => (
        <li>
          <span class={`vr-swatch vr-series-${j % PALETTE.length}`} />
          {s.name}
        </li>
      ))}
    </ul>
  )

const shortMonth = (month: string) =>
  `${LocalDate.DUTCH_MONTHS[Number(month.slice(5, 7)) - 1]?.slice(0, 3)} ${month.slice(2, 4)}`

/** What each chart draws: its kind, categories and series, from the figures. */
const drawingOf = (
  f: Figures,
  id: ChartId,
): { readonly kind: "bar" | "line"; readonly categories: Array<string>; readonly series: Array<Series> } => {
  switch (id) {
    case "status":
      return {
        kind: "bar",
        categories: f.openByStatus.map((s) => s.label),
        series: [{ name: "Open casussen", values: f.openByStatus.map((s) => s.count) }],
      }
    case "caseload":
      return {
        kind: "bar",
        categories: f.caseload.map((c) => c.label),
        series: [{ name: "Open casussen", values: f.caseload.map((c) => c.count) }],
      }
    case "doorlooptijden":
      return {
        kind: "line",
        categories: f.responseTimes.map((m) => shortMonth(m.month)),
        series: [
          { name: "Eerste contact, mediaan", values: f.responseTimes.map((m) => m.firstContact.median) },
          { name: "Eerste contact, 90e percentiel", values: f.responseTimes.map((m) => m.firstContact.p90) },
          { name: "Start, mediaan", values: f.responseTimes.map((m) => m.start.median) },
          { name: "Start, 90e percentiel", values: f.responseTimes.map((m) => m.start.p90) },
        ],
      }
    case "uitkomsten": {
      const kinds = Jaarverslag.outcomeKinds(f)
      return {
        kind: "bar",
        categories: f.outcomes.map((q) => q.label),
        series: kinds.map((k) => ({
          name: k.label,
          values: f.outcomes.map((q) => q.byOutcome.find((o) => o.outcome === k.outcome)?.count ?? 0),
        })),
      }
    }
    case "thuiszitters":
      return {
        kind: "line",
        categories: f.thuiszitters.map((m) => shortMonth(m.month)),
        series: [
          { name: "Thuiszitters 2a", values: f.thuiszitters.map((m) => m["2a"]) },
          { name: "Thuiszitters 2b", values: f.thuiszitters.map((m) => m["2b"]) },
          { name: "Pact-alarm", values: f.thuiszitters.map((m) => m.pactAlarm) },
        ],
      }
    case "signalen":
      return {
        kind: "bar",
        categories: f.signals.map((s) => `${s.schoolName}: ${s.typeLabel}`),
        series: [{ name: "Open signalen", values: f.signals.map((s) => s.open) }],
      }
    default:
      return { kind: "bar", categories: [], series: [] }
  }
}

const cellText = (value: unknown, kind: string): string =>
  value === null || value === undefined
    ? "—"
    : kind === "date" && typeof value === "string"
      ? dutchDate(value)
      : String(value)

/** The query string of a period (and region), for the download links. */
export const periodQuery = (regionId: string, period: Dashboard.PeriodQuery): string => {
  const params = new URLSearchParams({ regio: regionId })
  for (const [k, v] of Object.entries(period)) if (typeof v === "string" && v !== "") params.set(k, v)
  return params.toString()
}

const ChartFigure = (props: { readonly f: Figures; readonly chart: Chart; readonly query: string }) => {
  const { f, chart } = props
  const drawing = drawingOf(f, chart.id)
  const id = `grafiek-${chart.id}`
  const summary = `${chart.caption} ${f.region.name}, ${f.period.label}. De cijfers staan in de tabel onder de grafiek.`
  const empty = drawing.categories.length === 0 || drawing.series.length === 0
  return (
    <figure class="vr-figure" id={id} aria-labelledby={`${id}-kop`}>
      <figcaption>
        <h2 class="utrecht-heading-2" id={`${id}-kop`}>
          {chart.title}
        </h2>
        <p class="utrecht-paragraph">{chart.caption}</p>
      </figcaption>
      {empty ? (
        <P>Geen gegevens in deze periode.</P>
      ) : (
        <>
          {drawing.kind === "bar" ? (
            <BarChart
              id={id}
              title={chart.title}
              summary={summary}
              categories={drawing.categories}
              series={drawing.series}
            />
          ) : (
            <LineChart
              id={id}
              title={chart.title}
              summary={summary}
              categories={drawing.categories}
              series={drawing.series}
            />
          )}
          <Legend series={drawing.series} />
        </>
      )}
      <details>
        <summary>Cijfers van „{chart.title}” als tabel</summary>
        <Table
          caption={`${chart.title}: ${f.region.name}, ${f.period.label}`}
          headers={chart.columns.map((c) => c.header)}
          rows={chart.rows.map((row) => row.map((v, i) => cellText(v, chart.columns[i]?.kind ?? "text")))}
          empty="Geen gegevens in deze periode."
        />
      </details>
      <P>
        <a class="utrecht-link" href={`/regio/dashboard/${chart.id}.xlsx?${props.query}`} download>
          Download de cijfers van „{chart.title}” (xlsx)
        </a>
      </P>
    </figure>
  )
}

const schoolYearOptions = (today: LocalDate.LocalDate) => {
  const current = LocalDate.schoolYearOf(today).startYear
  return [0, 1, 2].map((back) => {
    const p = Dashboard.schoolYearPeriod(current - back)
    return { value: p.key, label: p.label.replace("schooljaar ", "") }
  })
}

const quarterOptions = (today: LocalDate.LocalDate) => {
  const start = LocalDate.schoolYearOf(today).startYear - 1
  const out: Array<{ value: string; label: string }> = []
  for (let y = LocalDate.schoolYearOf(today).startYear + 1; y >= start; y--)
    for (let q = 4; q >= 1; q--) {
      const key = `${y}-Q${q}`
      if (`${y}-${String(q * 3 - 2).padStart(2, "0")}-01` <= today)
        out.push({ value: key, label: `${y} K${q}` })
    }
  return out
}

const monthOptions = (today: LocalDate.LocalDate) => {
  const from = LocalDate.schoolYear(LocalDate.schoolYearOf(today).startYear - 1).start
  return Dashboard.monthsOf(from, today)
    .reverse()
    .map((m) => ({
      value: m,
      label: `${LocalDate.DUTCH_MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`,
    }))
}

const PeriodForms = (props: {
  readonly regionId: string
  readonly today: LocalDate.LocalDate
  readonly query: Dashboard.PeriodQuery
  readonly current: string
}) => {
  const hidden = <input type="hidden" name="regio" value={props.regionId} />
  return (
    <section aria-labelledby="periode-kop">
      <h2 class="utrecht-heading-2" id="periode-kop">
        Periode
      </h2>
      <P>Getoond: {props.current}. Kies een schooljaar, een kwartaal of een reeks maanden.</P>
      <div class="vr-period-forms">
        <form method="get" action="/regio/dashboard" aria-label="Schooljaar kiezen">
          {hidden}
          <SelectField
            name="schooljaar"
            label="Schooljaar"
            required
            options={schoolYearOptions(props.today)}
            value={props.query.schooljaar}
          />
          <SubmitButton secondary>Toon schooljaar</SubmitButton>
        </form>
        <form method="get" action="/regio/dashboard" aria-label="Kwartaal kiezen">
          {hidden}
          <SelectField
            name="kwartaal"
            label="Kwartaal"
            required
            options={quarterOptions(props.today)}
            value={props.query.kwartaal}
          />
          <SubmitButton secondary>Toon kwartaal</SubmitButton>
        </form>
        <form method="get" action="/regio/dashboard" aria-label="Maanden kiezen">
          {hidden}
          <SelectField
            name="van"
            label="Van maand"
            required
            options={[...monthOptions(props.today)].reverse()}
            value={props.query.van}
          />
          <SelectField
            name="tot"
            label="Tot en met maand"
            required
            options={monthOptions(props.today)}
            value={props.query.tot}
          />
          <SubmitButton secondary>Toon maanden</SubmitButton>
        </form>
      </div>
    </section>
  )
}

const DashboardPage = (props: {
  readonly f: Figures | undefined
  readonly error: string | undefined
  readonly regionId: string
  readonly regionName: string
  readonly regions: ReadonlyArray<OwnRegion>
  readonly today: LocalDate.LocalDate
  readonly query: Dashboard.PeriodQuery
}): Child => {
  const { f } = props
  const q = periodQuery(props.regionId, props.query)
  const year = LocalDate.schoolYearOf(props.today).startYear
  const yearKey = props.query.schooljaar ?? `${year}-${year + 1}`
  const plugin = props.regions.find((r) => r.id === props.regionId)?.plugin
  // The plug-in's jaarverslag only when it covers more than this region.
  const samePlugin = props.regions.filter((r) => r.plugin.id === plugin?.id)
  return (
    <>
      <H1>Dashboard {props.regionName}</H1>
      {props.regions.length > 1 ? (
        <nav aria-label="Regio kiezen">
          <P>
            Andere regio:{" "}
            {props.regions
              .filter((r) => r.id !== props.regionId)
              .map((r, i) => (
                <>
                  {i === 0 ? null : ", "}
                  <a class="utrecht-link" href={`/regio/dashboard?regio=${encodeURIComponent(r.id)}`}>
                    {r.name}
                  </a>
                </>
              ))}
          </P>
        </nav>
      ) : null}
      <P>
        Alleen aantallen, nooit leerlingen. Een aantal verzuimsignalen van een school onder 5 staat er als
        „&lt; 5”.
      </P>
      {props.error === undefined ? null : (
        <Alert type="error">
          <P>Deze periode kan niet: {props.error}</P>
        </Alert>
      )}
      <PeriodForms
        regionId={props.regionId}
        today={props.today}
        query={props.query}
        current={f === undefined ? "—" : `${f.period.label} (peildatum ${dutchDate(f.on)})`}
      />
      <P>
        <a
          class="utrecht-link"
          href={`/regio/jaarverslag.xlsx?${new URLSearchParams({ regio: props.regionId, schooljaar: yearKey })}`}
          download
        >
          Download het jaarverslag {yearKey.replace("-", "/")} (xlsx)
        </a>
      </P>
      {plugin === undefined || samePlugin.length < 2 ? null : (
        <P>
          <a
            class="utrecht-link"
            href={`/regio/jaarverslag.xlsx?${new URLSearchParams({ plugin: plugin.id, schooljaar: yearKey })}`}
            download
          >
            Download het jaarverslag {yearKey.replace("-", "/")} van de werkwijze {plugin.name} over{" "}
            {samePlugin.map((r) => r.name).join(", ")} samen (xlsx)
          </a>
        </P>
      )}
      {f === undefined
        ? null
        : Jaarverslag.charts(f).map((chart) => <ChartFigure f={f} chart={chart} query={q} />)}
    </>
  )
}

interface OwnRegion {
  readonly id: string
  readonly name: string
  readonly plugin: { readonly id: string; readonly name: string }
}

const ownRegions = (current: Current) =>
  Effect.map(RegionReads.list, (all) =>
    all
      .filter((r) => current.caller.principal.regions.includes(r.id as Ids.RegionId))
      .map((r): OwnRegion => ({ id: r.id as string, name: r.name, plugin: r.plugin })),
  )

const queryOf = (get: (key: string) => string | undefined): Dashboard.PeriodQuery => {
  const pick = (k: string) => {
    const v = get(k)
    return v === undefined || v === "" ? undefined : v.slice(0, 20)
  }
  const q = { schooljaar: pick("schooljaar"), kwartaal: pick("kwartaal"), van: pick("van"), tot: pick("tot") }
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Dashboard.PeriodQuery
}

const fileResponse = (file: Buffer, name: string) =>
  new Response(new Uint8Array(file), {
    status: 200,
    headers: {
      "content-type": XLSX,
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  })

export const dashboardPages: PageModule = {
  name: "dashboard",
  prefixes: ["/regio/dashboard", "/regio/jaarverslag.xlsx"],
  styles: DASHBOARD_STYLES,
  mount: (app, kit) => {
    /** The region asked for (`regio`), else the caller's first; none is 404. */
    const regionOf = async (current: Current, asked: string | undefined) => {
      const regions = await kit.run(current, ownRegions(current))
      if (Exit.isFailure(regions)) return { exit: regions }
      const chosen = asked === undefined ? regions.value[0] : regions.value.find((r) => r.id === asked)
      return { regions: regions.value, chosen }
    }

    app.get("/regio/dashboard", async (c) => {
      c.set("route", "/regio/dashboard")
      const current = await kit.signedInWith(c, COORDINATOR_ROLES)
      if (current instanceof Response) return current
      const found = await regionOf(current, c.req.query("regio") || undefined)
      if (found.exit !== undefined) return kit.failure(c, current, found.exit.cause)
      if (found.chosen === undefined)
        return kit.notFound(c, current, "Deze regio bestaat niet of u heeft er geen toegang toe.")
      const region = found.chosen
      const query = queryOf((k) => c.req.query(k))
      const today = await kit.run(current, Dashboard.today)
      if (Exit.isFailure(today)) return kit.failure(c, current, today.cause)
      const period = Dashboard.periodOf(query, today.value)
      const error = Either.isLeft(period) ? period.left.issues[0].message : undefined
      const exit =
        error === undefined ? await kit.run(current, Dashboard.figures(region.id, query)) : undefined
      if (exit !== undefined && Exit.isFailure(exit)) {
        if (kit.failureOf(exit)?._tag === "NotFound") return kit.notFound(c, current)
        return kit.failure(c, current, exit.cause)
      }
      return kit.page(
        c,
        current,
        { title: `Dashboard ${region.name}`, ...(error === undefined ? {} : { status: 400 }) },
        <DashboardPage
          f={exit?.value}
          error={error}
          regionId={region.id}
          regionName={region.name}
          regions={found.regions ?? []}
          today={today.value}
          query={error === undefined ? query : {}}
        />,
      )
    })

    app.get("/regio/dashboard/:file", async (c) => {
      c.set("route", "/regio/dashboard/:file")
      const current = await kit.signedInWith(c, COORDINATOR_ROLES)
      if (current instanceof Response) return current
      const chart = /^([a-z]+)\.xlsx$/.exec(c.req.param("file"))?.[1] ?? ""
      if (!Jaarverslag.isChartId(chart)) return kit.notFound(c, current)
      const chartId: ChartId = chart
      const found = await regionOf(current, c.req.query("regio") || undefined)
      if (found.exit !== undefined) return kit.failure(c, current, found.exit.cause)
      if (found.chosen === undefined) return kit.notFound(c, current)
      const exit = await kit.run(
        current,
        Dashboard.chartFile(
          found.chosen.id,
          chartId,
          queryOf((k) => c.req.query(k)),
        ),
      )
      if (Exit.isFailure(exit)) {
        const tag = kit.failureOf(exit)?._tag
        if (tag === "NotFound") return kit.notFound(c, current)
        return kit.failure(c, current, exit.cause)
      }
      return fileResponse(exit.value.file, exit.value.name)
    })

    app.get("/regio/jaarverslag.xlsx", async (c) => {
      c.set("route", "/regio/jaarverslag.xlsx")
      const current = await kit.signedInWith(c, COORDINATOR_ROLES)
      if (current instanceof Response) return current
      const schooljaar = c.req.query("schooljaar") || undefined
      // `plugin`: the jaarverslag of a plug-in over all the caller's regions that run it.
      const plugin = c.req.query("plugin") || undefined
      const found =
        plugin === undefined ? await regionOf(current, c.req.query("regio") || undefined) : undefined
      if (found?.exit !== undefined) return kit.failure(c, current, found.exit.cause)
      const chosen = found?.chosen
      if (plugin === undefined && chosen === undefined) return kit.notFound(c, current)
      const exit = await kit.run(
        current,
        plugin !== undefined
          ? Dashboard.pluginJaarverslag(plugin.slice(0, 64), schooljaar)
          : Dashboard.jaarverslag(chosen?.id ?? "", schooljaar),
      )
      if (Exit.isFailure(exit)) {
        if (kit.failureOf(exit)?._tag === "NotFound") return kit.notFound(c, current)
        return kit.failure(c, current, exit.cause)
      }
      return fileResponse(exit.value.file, exit.value.name)
    })
  },
}
