/**
 * The region's dashboard: what a coordinator reports on, for a period (a school year, a quarter,
 * a range of months; default the current school year): open cases by status, caseload per
 * regiehouder, days from referral to first contact and to start, outcomes per quarter,
 * thuiszitters 2a/2b and pact alarms per month, open absence signals per school and type. Counts
 * only, never a pupil; a school's count under 5 is "< 5". The web page, the API and the jaarverslag
 * (`Jaarverslag.workbook`) all read these figures here.
 *
 * The thuiszitters per month are judged as the Inspectie overview judges them: from each case's
 * recorded attendance history (`HomePeriods`) and the grounds on record (`LangdurigVerzuim`), on
 * the month's last day; the pact alarm by `Thuiszitterspact` from the start of the home period.
 *
 * Audit: one record per dashboard, in the transaction of its first read: a `read` of the region's
 * `report` (context `<door>.report.read:dashboard`), or an `export` for a download
 * (`<door>.report.export:dashboard-<chart>` / `:jaarverslag`).
 *
 * @since 0.3.0
 */
import {
  type Case,
  type CaseEvent,
  CaseParts,
  Errors,
  HomePeriods,
  LocalDate,
  Thuiszitterspact,
} from "@verzuimregie/domain"
import { Jaarverslag, MailSafe } from "@verzuimregie/export-xlsx"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { AbsenceStore, type Accounts, type AuditLog, type CaseQueries, CaseStore } from "@verzuimregie/store"
import { Chunk, Effect, Either, Stream } from "effect"
import * as Absence from "./Absence.js"
import * as Access from "./Access.js"
import type * as CurrentPrincipal from "./CurrentPrincipal.js"
import * as Regions from "./Regions.js"
import * as Reports from "./Reports.js"

export type Figures = Jaarverslag.Figures
export type Chart = Jaarverslag.Chart
export type ChartId = Jaarverslag.ChartId
export interface Period {
  readonly key: string
  readonly label: string
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
}

/** Coordinators only: the region's own figures. */
export const DASHBOARD_ROLES: Access.Roles = ["coordinator"]

export interface PeriodQuery {
  /** `2025-2026`: 1 August 2025 to 31 July 2026. */
  readonly schooljaar?: string | undefined
  /** `2026-Q1`: a calendar quarter. */
  readonly kwartaal?: string | undefined
  /** `2026-01` with `tot` `2026-03`: whole months. */
  readonly van?: string | undefined
  readonly tot?: string | undefined
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
const QUARTER = /^(\d{4})-Q([1-4])$/
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/

const monthName = (month: string): string => {
  const [y, m] = month.split("-")
  return `${LocalDate.DUTCH_MONTHS[Number(m) - 1]} ${y}`
}

const lastDayOf = (month: string): LocalDate.LocalDate => {
  const [y, m] = month.split("-").map(Number) as [number, number]
  return LocalDate.fromParts(y, m, LocalDate.daysInMonth(y, m))
}

const invalid = (path: string, message: string) =>
  new Errors.ValidationError({ subject: "periode", issues: [{ path, message }] })

/** The school year that holds `on`, as a period. */
export const schoolYearPeriod = (startYear: number): Period => {
  const year = LocalDate.schoolYear(startYear)
  return {
    key: `${startYear}-${startYear + 1}`,
    label: `schooljaar ${year.label}`,
    from: year.start,
    to: year.end,
  }
}

/**
 * The period a query asks for: a school year, a quarter or a range of at most 24 months; none of
 * them is the school year of `today`. A malformed one is a `ValidationError` with a Dutch message.
 */
export const periodOf = (
  query: PeriodQuery,
  today: LocalDate.LocalDate,
): Either.Either<Period, Errors.ValidationError> => {
  if (query.schooljaar !== undefined && query.schooljaar !== "") {
    const m = SCHOOL_YEAR.exec(query.schooljaar)
    if (m === null || Number(m[2]) !== Number(m[1]) + 1)
      return Either.left(invalid("schooljaar", "Geef een schooljaar als 2025-2026."))
    return Either.right(schoolYearPeriod(Number(m[1])))
  }
  if (query.kwartaal !== undefined && query.kwartaal !== "") {
    const m = QUARTER.exec(query.kwartaal)
    if (m === null) return Either.left(invalid("kwartaal", "Geef een kwartaal als 2026-Q1."))
    const [year, q] = [Number(m[1]), Number(m[2])]
    const first = `${year}-${String(q * 3 - 2).padStart(2, "0")}`
    const last = `${year}-${String(q * 3).padStart(2, "0")}`
    return Either.right({
      key: query.kwartaal,
      label: `kwartaal ${q} van ${year}`,
      from: `${first}-01` as LocalDate.LocalDate,
      to: lastDayOf(last),
    })
  }
  if ((query.van ?? "") !== "" || (query.tot ?? "") !== "") {
    const van = query.van ?? ""
    const tot = query.tot ?? ""
    if (!MONTH.test(van)) return Either.left(invalid("van", "Geef de eerste maand als 2026-01."))
    if (!MONTH.test(tot)) return Either.left(invalid("tot", "Geef de laatste maand als 2026-03."))
    if (tot < van) return Either.left(invalid("tot", "De laatste maand ligt voor de eerste."))
    if (monthsOf(`${van}-01` as LocalDate.LocalDate, lastDayOf(tot)).length > 24)
      return Either.left(invalid("tot", "Kies hoogstens 24 maanden."))
    return Either.right({
      key: `${van}_${tot}`,
      label: van === tot ? monthName(van) : `${monthName(van)} t/m ${monthName(tot)}`,
      from: `${van}-01` as LocalDate.LocalDate,
      to: lastDayOf(tot),
    })
  }
  return Either.right(schoolYearPeriod(LocalDate.schoolYearOf(today).startYear))
}

/** The months (`2026-01`) from `from` to `to`. */
export const monthsOf = (from: LocalDate.LocalDate, to: LocalDate.LocalDate): Array<string> => {
  const months: Array<string> = []
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); ) {
    months.push(m)
    const [y, mm] = m.split("-").map(Number) as [number, number]
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, "0")}`
  }
  return months
}

/** The calendar quarter of a day: `2026-Q1`. */
export const quarterOf = (day: string): string =>
  `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`

/** Nearest-rank percentile of sorted numbers; `null` for none. */
export const percentile = (sorted: ReadonlyArray<number>, p: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number)

const statOf = (days: Array<number>): Jaarverslag.Stat => {
  const sorted = [...days].sort((a, b) => a - b)
  return { count: sorted.length, median: percentile(sorted, 50), p90: percentile(sorted, 90) }
}

/** The first logged contact of a case, with anyone. */
export const firstContactOn = (state: Case.CaseState): LocalDate.LocalDate | undefined =>
  state.contacts.reduce<LocalDate.LocalDate | undefined>(
    (first, c) => (first === undefined || c.on < first ? c.on : first),
    undefined,
  )

export const openedOn = (state: Case.CaseState): LocalDate.LocalDate =>
  LocalDate.todayInAmsterdam(new Date(state.openedAt))

const openOn = (state: Case.CaseState, day: LocalDate.LocalDate): boolean =>
  openedOn(state) <= day && (state.closed === undefined || state.closed.on > day)

/** Thuiszitter category and pact status of a case on a day, from its recorded attendance history. */
const homeSituationOn = (
  state: Case.CaseState,
  events: ReadonlyArray<CaseEvent.CaseEvent>,
  day: LocalDate.LocalDate,
  pact: Partial<Thuiszitterspact.ThuiszitterspactOptions> | undefined,
  calendars: RegionConfig.EnabledRegion["calendars"],
) => {
  const periods = HomePeriods.homePeriodsOf(HomePeriods.segmentsOf(HomePeriods.recordsOf(events)))
  const period = periods.find((p) => p.start <= day && (p.end === undefined || day <= p.end))
  if (period === undefined) return undefined
  const segment = HomePeriods.segmentOn(period, day)
  if (segment === undefined) return undefined
  const duties: HomePeriods.Duties = {
    pupil: { birthDate: state.referral.pupil.birthDate },
    vrijstellingen: state.exemptions,
    verlof: state.leave,
    calendars,
  }
  const categorie = HomePeriods.categoryOn(period, day, duties)
  const check = Thuiszitterspact.thuiszitterspactStatus(
    {
      since: period.start,
      hasFittingOffer: segment.fittingOffer,
      situation: { ...duties, enrolled: segment.situation !== "niet-ingeschreven" },
    },
    day,
    pact ?? {},
  )
  return { categorie, alarm: check.status === "alarm" }
}

/** How the dashboard is audited: viewed, or downloaded (a chart's figures, the jaarverslag). */
export type Use = { readonly kind: "view" } | { readonly kind: "download"; readonly note: string }

const auditFor = (
  regionId: RegionConfig.EnabledRegion["region"]["id"],
  use: Use,
): Effect.Effect<AuditLog.AuditEntry, never, CurrentPrincipal.CurrentPrincipal> =>
  use.kind === "view"
    ? Access.audit("read", { type: "report", regionId }, "dashboard")
    : Reports.auditOf("report", regionId, use.note)

const PAGE = 500

/**
 * Pure: the figures from the cases active in the period and their attendance histories. `regions`
 * is one region, or every region of one plug-in (same workflow, so the same statuses) for a
 * plug-in's report: then counts are summed and medians and percentiles taken over all their cases
 * together, each caseload row names its region, and each case's thuiszitter status is judged by
 * its own region's thresholds and calendars.
 */
export const make = (input: {
  readonly regions: readonly [RegionConfig.EnabledRegion, ...Array<RegionConfig.EnabledRegion>]
  /** Set for a plug-in's report: the figures name the plug-in and list the regions. */
  readonly plugin?: boolean
  readonly period: Period
  readonly today: LocalDate.LocalDate
  /** The regions' open cases and those closed on or after the period's first day. */
  readonly cases: ReadonlyArray<Case.CaseState>
  readonly histories: ReadonlyMap<string, ReadonlyArray<CaseEvent.CaseEvent>>
  readonly registers: MailSafe.Registers
  readonly signals: ReadonlyArray<Absence.SignalCountRow>
}): Figures => {
  const { period, today, registers } = input
  const region = input.regions[0]
  const plugin = input.plugin === true
  const byRegion = new Map<string, RegionConfig.EnabledRegion>(input.regions.map((r) => [r.region.id, r]))
  const on = LocalDate.min(period.to, today)
  const cases = input.cases.filter((c) => byRegion.has(c.regionId))
  const labels = new Map(region.plugin.workflow.states.map((s) => [s.id as string, s.label]))

  const openNow = cases.filter((c) => c.closed === undefined)
  const statusCount = new Map<string, number>()
  for (const c of openNow) statusCount.set(c.status, (statusCount.get(c.status) ?? 0) + 1)
  const known = region.plugin.workflow.states.filter((s) => s.final !== true || statusCount.has(s.id))
  const openByStatus = [
    ...known.map((s) => ({ status: s.id as string, label: s.label, count: statusCount.get(s.id) ?? 0 })),
    ...[...statusCount]
      .filter(([s]) => !known.some((k) => k.id === s))
      .map(([status, count]) => ({ status, label: labels.get(status) ?? status, count })),
  ]

  const load = new Map<string, { regionId?: string; userId: string | null; label: string; count: number }>()
  for (const c of cases.filter((c) => openOn(c, on))) {
    const userId = c.regiehouder?.userId ?? null
    const own = c.regiehouder === undefined ? "(geen regiehouder)" : MailSafe.staff(c.regiehouder, registers)
    // A plug-in's report: one row per regiehouder and region, named by its region.
    const label = plugin ? `${own} (${byRegion.get(c.regionId)?.region.name ?? c.regionId})` : own
    const key = `${plugin ? c.regionId : ""}\u0000${userId ?? `\u0000${own}`}`
    const entry = load.get(key) ?? { ...(plugin ? { regionId: c.regionId } : {}), userId, label, count: 0 }
    entry.count++
    load.set(key, entry)
  }
  const caseload = [...load.values()].sort(
    (a, b) => b.count - a.count || a.label.localeCompare(b.label, "nl"),
  )

  const months = monthsOf(period.from, period.to).filter((m) => `${m}-01` <= on)
  const responseTimes = months.map((month) => {
    const referred = cases.filter((c) => openedOn(c).slice(0, 7) === month && openedOn(c) <= on)
    const contact: Array<number> = []
    const start: Array<number> = []
    for (const c of referred) {
      const first = firstContactOn(c)
      if (first !== undefined) contact.push(Math.max(0, LocalDate.daysBetween(openedOn(c), first)))
      if (c.intakeOn !== undefined) start.push(Math.max(0, LocalDate.daysBetween(openedOn(c), c.intakeOn)))
    }
    return {
      month,
      label: monthName(month),
      referrals: referred.length,
      firstContact: statOf(contact),
      start: statOf(start),
    }
  })

  const closed = cases.filter(
    (c) =>
      c.closed !== undefined && LocalDate.isWithin(c.closed.on, period.from, LocalDate.min(period.to, on)),
  )
  const quarters = [...new Set(monthsOf(period.from, on).map((m) => quarterOf(`${m}-01`)))]
  const outcomes = quarters.map((quarter) => {
    const inQuarter = closed.filter((c) => quarterOf(c.closed?.on ?? "") === quarter)
    const byKind = new Map<string, number>()
    for (const c of inQuarter) {
      const kind = c.closed?.outcome.kind as CaseParts.OutcomeKind
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
    }
    return {
      quarter,
      label: `${quarter.slice(0, 4)} K${quarter.slice(-1)}`,
      total: inQuarter.length,
      byOutcome: [...byKind].map(([outcome, count]) => ({
        outcome,
        label: CaseParts.outcomeKindLabel[outcome as CaseParts.OutcomeKind] ?? outcome,
        count,
      })),
    }
  })

  const thuiszitters = months.map((month) => {
    const day = LocalDate.min(lastDayOf(month), on)
    const counts = { "2a": 0, "2b": 0, pactAlarm: 0 }
    for (const c of cases) {
      const events = input.histories.get(c.id)
      if (events === undefined || !openOn(c, day)) continue
      const own = byRegion.get(c.regionId) ?? region
      const found = homeSituationOn(c, events, day, own.thresholds.thuiszitterspact, own.calendars)
      if (found === undefined) continue
      if (found.categorie === "2a" || found.categorie === "2b") counts[found.categorie]++
      if (found.alarm) counts.pactAlarm++
    }
    return { month, label: monthName(month), on: day, ...counts }
  })

  return {
    region: {
      id: plugin ? region.plugin.manifest.id : region.region.id,
      name: plugin ? region.plugin.manifest.name : region.region.name,
      plugin: {
        id: region.plugin.manifest.id,
        name: region.plugin.manifest.name,
        version: region.plugin.manifest.version,
      },
    },
    ...(plugin ? { regions: input.regions.map((r) => ({ id: r.region.id, name: r.region.name })) } : {}),
    period,
    on,
    openByStatus,
    caseload,
    responseTimes,
    outcomes,
    thuiszitters,
    signals: input.signals.map((s) => ({
      schoolId: s.schoolId,
      schoolName: s.schoolName,
      type: s.type,
      typeLabel: s.typeLabel,
      open: s.open,
    })),
  }
}

/** The figures of `regions` (all the caller's own) for a period; one audit record per region. */
const figuresOf = (
  regions: readonly [RegionConfig.EnabledRegion, ...Array<RegionConfig.EnabledRegion>],
  period: Period,
  today: LocalDate.LocalDate,
  use: Use,
  plugin: boolean,
) =>
  Effect.gen(function* () {
    const byId = new Map<string, Case.CaseState>()
    const store = yield* CaseStore.CaseStore
    const histories = new Map<string, ReadonlyArray<CaseEvent.CaseEvent>>()
    for (const region of regions) {
      const id = region.region.id
      const audit = yield* auditFor(id, use)
      const read = (filter: CaseQueries.CaseFilter, first: boolean) =>
        Effect.map(
          Stream.runCollect(
            Reports.cases({ regionId: id, filter, audit: first ? audit : undefined, pageSize: PAGE }),
          ),
          Chunk.toReadonlyArray,
        )
      const open = yield* read({ open: true }, true)
      const closed = yield* read({ closedOn: { from: period.from } }, false)
      for (const c of [...open, ...closed]) {
        byId.set(c.id, c)
        // Only cases that ever recorded attendance can have been at home.
        if (c.attendance === undefined || histories.has(c.id)) continue
        const stored = yield* store
          .events(c.id, { regions: [id] })
          .pipe(Effect.catchTag("CaseNotFound", () => Effect.succeed([])))
        histories.set(
          c.id,
          stored.map((e) => e.event),
        )
      }
    }
    const cases = [...byId.values()]
    const registers = yield* Reports.registers
    const absence = yield* AbsenceStore.AbsenceStore
    const signals = Absence.countRows(yield* absence.counts(regions.map((r) => r.region.id)), (school) =>
      registers.organisationName?.(school),
    )
    return make({ regions, plugin, period, today, cases, histories, registers, signals })
  })

/**
 * The dashboard of one of the caller's regions for a period: coordinators only, another region
 * answers 404 (`NotFound`), a malformed period 422. One audit record (see the module's comment).
 */
export const figures = (regionId: string, query: PeriodQuery, use: Use = { kind: "view" }) =>
  Effect.gen(function* () {
    yield* Access.requireRole(DASHBOARD_ROLES)
    const { region, regions } = yield* Access.ownRegion(regionId)
    const today = regions.today()
    const period = yield* periodOf(query, today)
    return yield* figuresOf([region], period, today, use, false)
  })

/** One chart's figures as a workbook (audited as an export of the region's report). */
export const chartFile = (regionId: string, chart: Jaarverslag.ChartId, query: PeriodQuery) =>
  Effect.map(figures(regionId, query, { kind: "download", note: `dashboard-${chart}` }), (f) => ({
    file: Jaarverslag.chartWorkbook(f, chart),
    name: Jaarverslag.fileName(f, chart),
  }))

/**
 * The jaarverslag of a plug-in (workflow) for a school year: one workbook over all the caller's
 * regions that run it, the figures over their cases together (see `make`). Coordinators only; no
 * such region of the caller answers 404. Audited as an export of each region's report
 * (`<door>.report.export:jaarverslag-plugin`).
 */
export const pluginJaarverslag = (pluginId: string, schooljaar: string | undefined) =>
  Effect.gen(function* () {
    const principal = yield* Access.requireRole(DASHBOARD_ROLES)
    const regions = yield* Regions.Regions
    const own = regions
      .enabled(principal.regions)
      .map((id) => regions.get(id))
      .filter((r): r is RegionConfig.EnabledRegion => r !== undefined && r.plugin.manifest.id === pluginId)
    const [first, ...more] = own
    if (first === undefined) return yield* Effect.fail(Access.notFound("Onbekende werkwijze."))
    const today = regions.today()
    const period = yield* periodOf({ schooljaar }, today)
    const f = yield* figuresOf(
      [first, ...more],
      period,
      today,
      { kind: "download", note: "jaarverslag-plugin" },
      true,
    )
    return { file: Jaarverslag.workbook(f), name: Jaarverslag.fileName(f) }
  })

/** The jaarverslag of a region for a school year (default the current one). */
export const jaarverslag = (regionId: string, schooljaar: string | undefined) =>
  Effect.map(figures(regionId, { schooljaar }, { kind: "download", note: "jaarverslag" }), (f) => ({
    file: Jaarverslag.workbook(f),
    name: Jaarverslag.fileName(f),
  }))

/** Named by the inferred types of these use cases; re-exported so their declarations stay portable (TS2742). */
export type { Accounts, CaseQueries }

/** Today in the installation's calendar (a test clock in tests): the default period's school year. */
export const today = Effect.map(Regions.Regions, (regions) => regions.today())

/** The charts of the figures (titles, columns, rows) and their workbooks, for every door. */
export { Jaarverslag }
