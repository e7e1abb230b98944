/**
 * The staff summary of a region over a period: what came in, what is open (by status and
 * regiehouder), which actions are overdue or due this week, which pupils near or pass the
 * Thuiszitterspact's 3 months, the thuiszitters by Inspectie category, and what was closed with
 * which outcome and after how many days.
 *
 * The summary is e-mailed, so every row and label is a `MailSafe` value: case ids, dates, counts,
 * labels, and the registered names of schools and professionals (`MailSafe.Registers`). Nothing
 * typed into a case can reach it: no pupil or parent names, BSNs or birth dates, no descriptions,
 * notes or reasons, and not the names typed for an action's owner or a regiehouder (an owner may
 * be the pupil or a parent, typed by name); those appear by their role unless the case links a
 * registered account. The gateway shows the rest to whoever may see it. Birth dates are read only
 * to decide leerplicht for absoluut verzuim, and never written.
 *
 * @example
 * const summary = StaffSummary.make({ region, period, on, cases, statusLabel })
 * const file = StaffSummary.workbook(summary)
 *
 * @since 0.1.0
 */
import {
  Case,
  CaseParts,
  CaseSignals,
  LangdurigVerzuim,
  LocalDate,
  Referral,
  type SchoolCalendar,
  type Thuiszitterspact,
} from "@verzuimregie/domain"
import { Deadlines } from "@verzuimregie/plugin-sdk"
import { type Column, jaNee } from "./Cells.js"
import { dateRange, shortDate } from "./Dutch.js"
import * as MailSafe from "./MailSafe.js"
import { type Sheet, sheet, write } from "./Workbook.js"

export interface Period {
  /** Stable key of the period, e.g. `2026-W10`, `2026-03`, `2026-Q1`. */
  readonly key: string
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
}

export interface Input {
  readonly region: { readonly id: string; readonly name: string }
  /** The reported period: new referrals and closures within it (both ends included). */
  readonly period: Period
  /** The peildatum for open cases, actions, the pact and thuiszitters (usually the day of sending). */
  readonly on: LocalDate.LocalDate
  /** Every open case of the region, and the cases opened or closed in the period. */
  readonly cases: Iterable<Case.CaseState>
  /** Dutch label of a workflow status (from the plug-in); default the status id. */
  readonly statusLabel?: (status: string) => string
  readonly pact?: Partial<Thuiszitterspact.ThuiszitterspactOptions>
  readonly langdurig?: Partial<LangdurigVerzuim.LangdurigVerzuimOptions>
  /** For the start of leerplicht (absoluut verzuim); without it the 1st of the month is used. */
  readonly calendars?: SchoolCalendar.Calendars
  /** Registered names of schools and professionals; without them, schools are blank and people roles. */
  readonly registers?: MailSafe.Registers
}

export interface Count {
  readonly label: MailSafe.Safe
  readonly count: number
}

export interface Counts {
  readonly newReferrals: number
  readonly open: number
  readonly openByStatus: ReadonlyArray<Count>
  readonly openByRegiehouder: ReadonlyArray<Count>
  readonly actionsOverdue: number
  readonly actionsDueThisWeek: number
  readonly pactWarning: number
  readonly pactAlarm: number
  readonly thuiszitters: Readonly<Record<LangdurigVerzuim.Categorie, number>>
  readonly closed: number
  readonly closedByOutcome: ReadonlyArray<Count>
  /** Average days from referral to closure of the closed cases, rounded; undefined when none. */
  readonly averageDaysToClose: number | undefined
}

/** Only `MailSafe` values: the summary is e-mailed. */
type Rows = ReadonlyArray<ReadonlyArray<MailSafe.SafeValue>>

export interface StaffSummary {
  readonly region: { readonly id: string; readonly name: MailSafe.Safe }
  readonly period: Period
  readonly on: LocalDate.LocalDate
  /** Last day of "this week" for actions: the Sunday of the peildatum's week. */
  readonly weekEnd: LocalDate.LocalDate
  readonly counts: Counts
  readonly rows: {
    readonly newReferrals: Rows
    readonly open: Rows
    readonly actions: Rows
    readonly pact: Rows
    readonly thuiszitters: Rows
    readonly closed: Rows
  }
}

/** The sheet names, in order. */
export const SHEETS = {
  overview: "Overzicht",
  newReferrals: "Nieuwe aanmeldingen",
  open: "Open casussen",
  actions: "Acties",
  pact: "Thuiszitterspact",
  thuiszitters: "Thuiszitters",
  closed: "Afgesloten",
} as const

const text = (header: string, width?: number): Column =>
  width === undefined ? { header, kind: "text" } : { header, kind: "text", width }
const date = (header: string): Column => ({ header, kind: "date" })
const number = (header: string): Column => ({ header, kind: "number" })

/** The columns of each sheet: Dutch headers, no personal data. */
export const COLUMNS = {
  overview: [text("Onderdeel", 28), text("Indeling", 40), number("Aantal")],
  newReferrals: [
    text("Casus"),
    date("Aangemeld op"),
    text("School"),
    text("Onderwijssoort"),
    text("Soort verzuim"),
    text("Aanmelder (rol)"),
    text("Status"),
    text("Regiehouder"),
  ],
  open: [
    text("Casus"),
    text("Status"),
    text("Regiehouder"),
    text("School"),
    text("Onderwijssoort"),
    date("Aangemeld op"),
    number("Dagen open"),
    number("Open acties"),
    number("Acties over tijd"),
    text("Schoolgang"),
    date("Thuis sinds"),
  ],
  actions: [
    text("Casus"),
    text("Stand"),
    date("Uiterlijk"),
    number("Dagen over tijd"),
    text("Eigenaar"),
    text("Rol eigenaar"),
    text("Regiehouder"),
    text("School"),
  ],
  pact: [
    text("Casus"),
    text("Signaal"),
    date("Thuis sinds"),
    date("Grens (3 maanden)"),
    number("Dagen tot grens"),
    text("School"),
    text("Onderwijssoort"),
    text("Regiehouder"),
  ],
  thuiszitters: [
    text("Casus"),
    text("Categorie"),
    text("Omschrijving", 40),
    date("Thuis sinds"),
    number("Dagen thuis"),
    text("Passend aanbod"),
    text("School"),
    text("Onderwijssoort"),
    text("Regiehouder"),
  ],
  closed: [
    text("Casus"),
    date("Aangemeld op"),
    date("Afgesloten op"),
    number("Duur (dagen)"),
    text("Uitkomst"),
    text("Eindstatus"),
    text("School"),
    text("Onderwijssoort"),
    text("Regiehouder"),
  ],
} as const satisfies Record<keyof typeof SHEETS, ReadonlyArray<Column>>

export const NO_REGIEHOUDER = MailSafe.label("(geen regiehouder)")

/** The order of the Thuiszitters sheet: 2a, 2b, then absoluut verzuim. */
const CATEGORY_ORDER: Record<LangdurigVerzuim.Categorie, number> = { "2a": 0, "2b": 1, "1": 2 }

const openedOnCache = new WeakMap<Case.CaseState, LocalDate.LocalDate>()

/** The day the case was opened, in Europe/Amsterdam. */
export const openedOn = (state: Case.CaseState): LocalDate.LocalDate => {
  const cached = openedOnCache.get(state)
  if (cached !== undefined) return cached
  const day = Deadlines.openedOn(state)
  openedOnCache.set(state, day)
  return day
}

const countBy = <A>(items: ReadonlyArray<A>, key: (a: A) => MailSafe.Safe): Array<Count> => {
  const counts = new Map<MailSafe.Safe, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, "nl"))
}

const byText = (a: string, b: string) => a.localeCompare(b, "nl")

/**
 * Computes the summary: pure, from case states. Cases outside the region or opened after the
 * peildatum are ignored.
 */
export const make = (input: Input): StaffSummary => {
  const { on, period } = input
  // The allowed fields of a case, and only these, go into the rows (see MailSafe).
  const statusLabel = input.statusLabel ?? ((s: string) => s)
  const label = (status: string) => MailSafe.label(statusLabel(status))
  const registers = input.registers ?? MailSafe.NO_REGISTERS
  const weekEnd = LocalDate.addDays(LocalDate.startOfWeek(on), 6)
  const cases = [...input.cases].filter((c) => c.regionId === input.region.id && openedOn(c) <= on)
  const regiehouder = (c: Case.CaseState) =>
    c.regiehouder === undefined ? NO_REGIEHOUDER : MailSafe.staff(c.regiehouder, registers)
  const school = (c: Case.CaseState) => MailSafe.school(c.referral.pupil.enrolment, registers)
  const level = (c: Case.CaseState) => {
    const level = c.referral.pupil.enrolment?.level
    return level === undefined ? undefined : MailSafe.label(level)
  }
  const ref = (c: Case.CaseState) => MailSafe.caseRef(c.id)

  const fresh = cases
    .filter((c) => LocalDate.isWithin(openedOn(c), period.from, period.to))
    .sort((a, b) => byText(a.openedAt, b.openedAt) || byText(a.id, b.id))
  const open = cases
    .filter((c) => c.closed === undefined || c.closed.on > on)
    .sort(
      (a, b) =>
        byText(label(a.status), label(b.status)) ||
        byText(regiehouder(a), regiehouder(b)) ||
        byText(a.openedAt, b.openedAt) ||
        byText(a.id, b.id),
    )
  const closed = cases
    .filter((c) => c.closed !== undefined && LocalDate.isWithin(c.closed.on, period.from, period.to))
    .sort((a, b) => byText(a.closed?.on ?? "", b.closed?.on ?? "") || byText(a.id, b.id))

  const actions = open
    .flatMap((c) =>
      Case.openActions(c)
        .filter((a) => a.dueOn <= weekEnd)
        .map((action) => ({ state: c, action, overdue: action.dueOn < on })),
    )
    .sort((a, b) => byText(a.action.dueOn, b.action.dueOn) || byText(a.state.id, b.state.id))

  const pact = open
    .flatMap((c) => {
      // The same question as the case page: days a ground excuses do not count for the pact.
      const check = CaseSignals.pactOn(c, on, input.pact, input.calendars)
      const since = c.attendance?.since
      return check === undefined || since === undefined || since > on || check.status === "ok"
        ? []
        : [{ state: c, since, check }]
    })
    .sort((a, b) => byText(a.check.limitDate, b.check.limitDate) || byText(a.state.id, b.state.id))

  const thuiszitters = open
    .flatMap((c) => {
      const categorie = CaseSignals.categoryOn(c, on, input.langdurig, input.calendars)
      const attendance = c.attendance
      return categorie === undefined || attendance === undefined ? [] : [{ state: c, categorie, attendance }]
    })
    .sort(
      (a, b) =>
        CATEGORY_ORDER[a.categorie] - CATEGORY_ORDER[b.categorie] ||
        byText(a.attendance.since, b.attendance.since) ||
        byText(a.state.id, b.state.id),
    )

  const closedDays = closed.map((c) => LocalDate.daysBetween(openedOn(c), c.closed?.on ?? on))
  const thuiszitterCounts: Record<LangdurigVerzuim.Categorie, number> = { "1": 0, "2a": 0, "2b": 0 }
  for (const t of thuiszitters) thuiszitterCounts[t.categorie]++

  const counts: Counts = {
    newReferrals: fresh.length,
    open: open.length,
    openByStatus: countBy(open, (c) => label(c.status)),
    openByRegiehouder: countBy(open, regiehouder),
    actionsOverdue: actions.filter((a) => a.overdue).length,
    actionsDueThisWeek: actions.filter((a) => !a.overdue).length,
    pactWarning: pact.filter((p) => p.check.status === "waarschuwing").length,
    pactAlarm: pact.filter((p) => p.check.status === "alarm").length,
    thuiszitters: thuiszitterCounts,
    closed: closed.length,
    closedByOutcome: countBy(closed, (c) =>
      MailSafe.label(c.closed === undefined ? "" : CaseParts.outcomeKindLabel[c.closed.outcome.kind]),
    ),
    averageDaysToClose:
      closedDays.length === 0
        ? undefined
        : Math.round(closedDays.reduce((a, b) => a + b, 0) / closedDays.length),
  }

  return {
    region: { id: input.region.id, name: MailSafe.label(input.region.name) },
    period,
    on,
    weekEnd,
    counts,
    rows: {
      newReferrals: fresh.map((c) => [
        ref(c),
        openedOn(c),
        school(c),
        level(c),
        MailSafe.label(Referral.verzuimKindLabel[c.referral.verzuimKind]),
        MailSafe.role(c.referral.referrer.role),
        label(c.status),
        regiehouder(c),
      ]),
      open: open.map((c) => [
        ref(c),
        label(c.status),
        regiehouder(c),
        school(c),
        level(c),
        openedOn(c),
        LocalDate.daysBetween(openedOn(c), on),
        Case.openActions(c).length,
        Case.overdueActions(c, on).length,
        c.attendance === undefined
          ? undefined
          : MailSafe.label(CaseParts.attendanceSituationLabel[c.attendance.situation]),
        c.attendance !== undefined && Case.isHome(c) ? c.attendance.since : undefined,
      ]),
      actions: actions.map(({ state, action, overdue }) => [
        ref(state),
        MailSafe.label(overdue ? "over tijd" : "deze week"),
        action.dueOn,
        overdue ? LocalDate.daysBetween(action.dueOn, on) : undefined,
        // Never the typed owner name: an owner may be the pupil or a parent (role leerling/ouder).
        MailSafe.staff(action.owner, registers),
        MailSafe.role(action.owner.role),
        regiehouder(state),
        school(state),
      ]),
      pact: pact.map(({ state, since, check }) => [
        ref(state),
        MailSafe.label(check.status),
        since,
        check.limitDate,
        check.daysRemaining,
        school(state),
        level(state),
        regiehouder(state),
      ]),
      thuiszitters: thuiszitters.map(({ state, categorie, attendance }) => [
        ref(state),
        MailSafe.label(categorie),
        MailSafe.label(LangdurigVerzuim.categorieLabel[categorie]),
        attendance.since,
        LocalDate.daysBetween(attendance.since, on) + 1,
        MailSafe.label(jaNee(attendance.fittingOffer) ?? ""),
        school(state),
        level(state),
        regiehouder(state),
      ]),
      closed: closed.map((c) => [
        ref(c),
        openedOn(c),
        c.closed?.on,
        c.closed === undefined ? undefined : LocalDate.daysBetween(openedOn(c), c.closed.on),
        c.closed === undefined
          ? undefined
          : MailSafe.label(CaseParts.outcomeKindLabel[c.closed.outcome.kind]),
        label(c.status),
        school(c),
        level(c),
        regiehouder(c),
      ]),
    },
  }
}

const overviewRows = (s: StaffSummary): Rows => {
  const c = s.counts
  const row = (part: string, division: MailSafe.Safe | string, count: number | undefined) =>
    [MailSafe.label(part), typeof division === "string" ? MailSafe.label(division) : division, count] as const
  return [
    [MailSafe.label("Regio"), s.region.name, undefined],
    row("Periode", `${dateRange(s.period.from, s.period.to)} (${s.period.key})`, undefined),
    row("Peildatum", shortDate(s.on), undefined),
    row("Nieuwe aanmeldingen", "totaal", c.newReferrals),
    row("Open casussen", "totaal", c.open),
    ...c.openByStatus.map((x) => row("Open casussen per status", x.label, x.count)),
    ...c.openByRegiehouder.map((x) => row("Open casussen per regiehouder", x.label, x.count)),
    row("Acties", "over tijd", c.actionsOverdue),
    row("Acties", `uiterlijk ${shortDate(s.weekEnd)} (deze week)`, c.actionsDueThisWeek),
    row("Thuiszitterspact", "waarschuwing (grens nadert)", c.pactWarning),
    row("Thuiszitterspact", "alarm (grens bereikt of voorbij)", c.pactAlarm),
    row("Thuiszitters", `2a: ${LangdurigVerzuim.categorieDuur["2a"]}`, c.thuiszitters["2a"]),
    row("Thuiszitters", `2b: ${LangdurigVerzuim.categorieDuur["2b"]}`, c.thuiszitters["2b"]),
    row("Thuiszitters", `1: ${LangdurigVerzuim.categorieLabel["1"]}`, c.thuiszitters["1"]),
    row("Afgesloten", "totaal", c.closed),
    ...c.closedByOutcome.map((x) => row("Afgesloten per uitkomst", x.label, x.count)),
    row("Afgesloten", "gemiddelde duur in dagen", c.averageDaysToClose),
  ]
}

/** The sheets of the summary, in order. */
export const sheets = (s: StaffSummary): ReadonlyArray<Sheet> => [
  sheet({ name: SHEETS.overview, columns: COLUMNS.overview }, overviewRows(s)),
  sheet({ name: SHEETS.newReferrals, columns: COLUMNS.newReferrals }, s.rows.newReferrals),
  sheet({ name: SHEETS.open, columns: COLUMNS.open }, s.rows.open),
  sheet({ name: SHEETS.actions, columns: COLUMNS.actions }, s.rows.actions),
  sheet({ name: SHEETS.pact, columns: COLUMNS.pact }, s.rows.pact),
  sheet({ name: SHEETS.thuiszitters, columns: COLUMNS.thuiszitters }, s.rows.thuiszitters),
  sheet({ name: SHEETS.closed, columns: COLUMNS.closed }, s.rows.closed),
]

/** The summary as an `.xlsx` Buffer. */
export const workbook = (s: StaffSummary): Buffer =>
  write(sheets(s), { title: `Overzicht ${s.region.name} ${s.period.key}` })

/** A file name without personal data: `verzuimregie-westland-2026-W10.xlsx`. */
export const fileName = (s: Pick<StaffSummary, "region" | "period">): string =>
  `verzuimregie-${s.region.id}-${s.period.key}.xlsx`
