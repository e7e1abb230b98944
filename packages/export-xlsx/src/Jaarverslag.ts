/**
 * The region's dashboard figures as tables, and the jaarverslag: the same figures as one workbook
 * per region and school year, with the region's plug-in (workflow) named, the way verzuimcoaches
 * publish a yearly report. Counts only: no pupil, no case id, no school count under 5 (shown as
 * "< 5"). The names in it are those of schools and professionals from the installation's
 * registers (their work identity), never anything typed into a case.
 *
 * Every chart of the dashboard page is one `Chart` here: its title, its column headers and rows;
 * the page draws it, shows it as a table and offers it as a one-sheet download; the jaarverslag
 * holds them all.
 *
 * @since 0.3.0
 */
import type { LocalDate } from "@verzuimregie/domain"
import type { Column, Value } from "./Cells.js"
import { dateRange, longDate } from "./Dutch.js"
import { type Sheet, sheet, write } from "./Workbook.js"

/** A count of a school: 1 to 4 shown as "< 5" so no pupil can be singled out. */
export type SmallCount = number | "< 5"

export interface Stat {
  /** Cases that reached the step. */
  readonly count: number
  /** Days from referral, nearest-rank median and 90th percentile; `null` when none reached it. */
  readonly median: number | null
  readonly p90: number | null
}

export interface Figures {
  readonly region: {
    readonly id: string
    readonly name: string
    readonly plugin: { readonly id: string; readonly name: string; readonly version: string }
  }
  /**
   * The regions a plug-in's report covers (`Dashboard.pluginJaarverslag`): then `region` is the
   * plug-in itself and every figure is over the cases of all these regions. Absent for one region.
   */
  readonly regions?: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly period: {
    readonly key: string
    readonly label: string
    readonly from: string
    readonly to: string
  }
  /** Peildatum of the period's figures: its last day, or today while it lasts. */
  readonly on: string
  /** Open cases now, per status of the workflow. */
  readonly openByStatus: ReadonlyArray<{
    readonly status: string
    readonly label: string
    readonly count: number
  }>
  /** Open cases on the peildatum per regiehouder (registered name, or the role when not linked). */
  readonly caseload: ReadonlyArray<{
    /** The regiehouder's region, in a plug-in's report (the label names it too). */
    readonly regionId?: string
    readonly userId: string | null
    readonly label: string
    readonly count: number
  }>
  /** Per month of referral in the period: days to first contact and to the intake (start). */
  readonly responseTimes: ReadonlyArray<{
    readonly month: string
    readonly label: string
    readonly referrals: number
    readonly firstContact: Stat
    readonly start: Stat
  }>
  /** Cases closed in the period, per calendar quarter and outcome. */
  readonly outcomes: ReadonlyArray<{
    readonly quarter: string
    readonly label: string
    readonly total: number
    readonly byOutcome: ReadonlyArray<{
      readonly outcome: string
      readonly label: string
      readonly count: number
    }>
  }>
  /** Per month: thuiszitters 2a/2b and pact alarms on the month's last day (or the peildatum). */
  readonly thuiszitters: ReadonlyArray<{
    readonly month: string
    readonly label: string
    readonly on: string
    readonly "2a": number
    readonly "2b": number
    readonly pactAlarm: number
  }>
  /** Open absence signals now, per school and type. */
  readonly signals: ReadonlyArray<{
    readonly schoolId: string
    readonly schoolName: string
    readonly type: string
    readonly typeLabel: string
    readonly open: SmallCount
  }>
}

export const CHART_IDS = [
  "status",
  "caseload",
  "doorlooptijden",
  "uitkomsten",
  "thuiszitters",
  "signalen",
] as const
export type ChartId = (typeof CHART_IDS)[number]

export const isChartId = (s: string): s is ChartId => (CHART_IDS as ReadonlyArray<string>).includes(s)

export interface Chart {
  readonly id: ChartId
  /** Title of the chart and sheet name of its figures. */
  readonly title: string
  /** What the figures are, in one sentence (the figure's caption). */
  readonly caption: string
  readonly columns: ReadonlyArray<Column>
  readonly rows: ReadonlyArray<ReadonlyArray<Value>>
}

const text = (header: string, width?: number): Column =>
  width === undefined ? { header, kind: "text" } : { header, kind: "text", width }
const number = (header: string): Column => ({ header, kind: "number" })
const date = (header: string): Column => ({ header, kind: "date" })

/** Every outcome that occurs in the period, in the order first met. */
export const outcomeKinds = (
  f: Figures,
): ReadonlyArray<{ readonly outcome: string; readonly label: string }> => {
  const seen = new Map<string, string>()
  for (const q of f.outcomes)
    for (const o of q.byOutcome) if (!seen.has(o.outcome)) seen.set(o.outcome, o.label)
  return [...seen].map(([outcome, label]) => ({ outcome, label }))
}

const countOf = (q: Figures["outcomes"][number], outcome: string): number =>
  q.byOutcome.find((o) => o.outcome === outcome)?.count ?? 0

/** The charts of the figures, in the page's order. */
export const charts = (f: Figures): ReadonlyArray<Chart> => {
  const kinds = outcomeKinds(f)
  return [
    {
      id: "status",
      title: "Open casussen per status",
      caption: "Open casussen nu, per status van de werkwijze.",
      columns: [text("Status", 32), number("Open casussen")],
      rows: f.openByStatus.map((s) => [s.label, s.count]),
    },
    {
      id: "caseload",
      title: "Caseload per regiehouder",
      caption: `Open casussen op ${longDate(f.on as LocalDate.LocalDate)} per regiehouder.`,
      columns: [text("Regiehouder", 32), number("Open casussen")],
      rows: f.caseload.map((c) => [c.label, c.count]),
    },
    {
      id: "doorlooptijden",
      title: "Doorlooptijden",
      caption:
        "Dagen van aanmelding tot eerste contact en tot start (intake), per maand van aanmelding: mediaan en 90e percentiel.",
      columns: [
        text("Maand", 16),
        number("Aanmeldingen"),
        number("Met eerste contact"),
        number("Eerste contact mediaan"),
        number("Eerste contact P90"),
        number("Gestart"),
        number("Start mediaan"),
        number("Start P90"),
      ],
      rows: f.responseTimes.map((m) => [
        m.label,
        m.referrals,
        m.firstContact.count,
        m.firstContact.median,
        m.firstContact.p90,
        m.start.count,
        m.start.median,
        m.start.p90,
      ]),
    },
    {
      id: "uitkomsten",
      title: "Uitkomsten per kwartaal",
      caption: "Afgesloten casussen per kwartaal en uitkomst.",
      columns: [text("Kwartaal", 14), ...kinds.map((k) => number(k.label)), number("Totaal")],
      rows: f.outcomes.map((q) => [q.label, ...kinds.map((k) => countOf(q, k.outcome)), q.total]),
    },
    {
      id: "thuiszitters",
      title: "Thuiszitters en pact-alarmen",
      caption:
        "Thuiszitters 2a en 2b en casussen over de grens van het Thuiszitterspact, op de laatste dag van elke maand.",
      columns: [
        text("Maand", 16),
        date("Peildatum"),
        number("Thuiszitters 2a"),
        number("Thuiszitters 2b"),
        number("Pact-alarm"),
      ],
      rows: f.thuiszitters.map((m) => [m.label, m.on, m["2a"], m["2b"], m.pactAlarm]),
    },
    {
      id: "signalen",
      title: "Verzuimsignalen per school",
      caption: "Open verzuimsignalen per school en soort; minder dan 5 staat er als „< 5”.",
      columns: [text("School", 36), text("Soort signaal", 24), text("Open signalen")],
      rows: f.signals.map((s) => [
        s.schoolName,
        s.typeLabel,
        typeof s.open === "number" ? String(s.open) : s.open,
      ]),
    },
  ]
}

export const chartOf = (f: Figures, id: ChartId): Chart => charts(f).find((c) => c.id === id) as Chart

const sheetOf = (c: Chart): Sheet => sheet({ name: c.title.slice(0, 31), columns: c.columns }, c.rows)

/** One chart's figures as an `.xlsx` Buffer. */
export const chartWorkbook = (f: Figures, id: ChartId): Buffer => {
  const c = chartOf(f, id)
  return write([sheetOf(c)], { title: `${c.title} ${f.region.name} ${f.period.key}` })
}

/** The sheet name of the jaarverslag's overview. */
export const OVERVIEW = "Verantwoording"

const overview = (f: Figures): Sheet =>
  sheet({ name: OVERVIEW, columns: [text("Onderdeel", 28), text("Waarde", 70)] }, [
    ...(f.regions === undefined
      ? [
          ["Regio", f.region.name],
          ["Werkwijze (plug-in)", `${f.region.plugin.name} ${f.region.plugin.version}`],
        ]
      : [
          ["Werkwijze (plug-in)", `${f.region.plugin.name} ${f.region.plugin.version}`],
          ["Regio's", f.regions.map((r) => r.name).join(", ")],
          [
            "Berekening",
            "Over alle casussen van deze regio's samen: aantallen opgeteld, mediaan en 90e percentiel opnieuw berekend over alle casussen (geen gemiddelde van de regio's).",
          ],
        ]),
    [
      "Periode",
      `${f.period.label} (${dateRange(f.period.from as LocalDate.LocalDate, f.period.to as LocalDate.LocalDate)})`,
    ],
    ["Peildatum", longDate(f.on as LocalDate.LocalDate)],
    [
      "Inhoud",
      "Alleen aantallen: geen leerlingen, geen casusnummers. Aantallen per school onder 5 staan als „< 5”.",
    ],
    [
      "Doorlooptijden",
      "Mediaan en 90e percentiel volgens de rangmethode, in kalenderdagen vanaf de aanmelding.",
    ],
    [
      "Thuiszitters",
      "Categorie 2a en 2b volgens de Inspectie, en pact-alarm (3 maanden thuis zonder passend aanbod).",
    ],
  ])

/** The jaarverslag of a region: the overview, then one sheet per chart. */
export const workbook = (f: Figures): Buffer =>
  write([overview(f), ...charts(f).map(sheetOf)], { title: `Jaarverslag ${f.region.name} ${f.period.label}` })

/**
 * A file name without personal data: `jaarverslag-westland-2025-2026.xlsx`, or for a plug-in's
 * report `jaarverslag-plugin-er-op-af-2025-2026.xlsx`.
 */
export const fileName = (f: Pick<Figures, "region" | "regions" | "period">, chart?: ChartId): string =>
  chart === undefined
    ? `jaarverslag-${f.regions === undefined ? "" : "plugin-"}${f.region.id}-${f.period.key}.xlsx`
    : `dashboard-${f.region.id}-${f.period.key}-${chart}.xlsx`
