/**
 * The quarterly thuiszitters overview for the Onderwijsinspectie: one workbook per
 * samenwerkingsverband (region) and peildatum, anonymised, cumulative over the school year.
 *
 * Who has a row (rules, in order):
 * 1. **Thuiszitter**: every pupil who was a thuiszitter on at least one day from the start of the
 *    school year (1 August) up to the peildatum: langdurig relatief verzuim (enrolled, at home,
 *    no ground that excuses attendance, from day 29 of the unexcused absence; 2a more than 4
 *    weeks up to and including 3 months, 2b more than 3 months) or absoluut verzuim (not
 *    enrolled, leerplichtig or kwalificatieplichtig, no vrijstelling that excuses not being
 *    enrolled: art. 5, 5a, or art. 15 for a kwalificatieplichtige; leave never does; category 1).
 *    The rules are the domain's (`HomePeriods`, `LangdurigVerzuim.categorie`); an expired
 *    vrijstelling (art. 6) no longer excuses. Worked out from the case's attendance history (the
 *    referral's "at home since" and every `AttendanceRecorded` event), not only from its current
 *    state, so a pupil back at school keeps the row.
 * 2. **Vrijstelling 5 onder a**: every pupil with a 5 onder a exemption that held on at least
 *    one day of the school year up to the peildatum.
 * A pupil can have both rows. Rows are never dropped: a later quarter of the same school year
 * computes them again from the same history, and the rules only ever add rows as the peildatum
 * moves on. A pupil back at school has status "weer naar school" and the date.
 *
 * No names, BSNs or birth dates, and nothing typed into a case: the pupil is a pseudonym (see
 * `Pseudonym`), the birth date becomes an age band on the peildatum, the school is its BRIN and
 * registered name (when the school is registered as an organisation; the name typed in the
 * referral is not used). Every cell is a `MailSafe` value: the file is e-mailed.
 *
 * @example
 * const overview = Inspectie.make({ region, peildatum, quarter: "2026-Q1", key, cases })
 * const file = Inspectie.workbook(overview)
 *
 * @since 0.1.0
 */
import {
  Age,
  type Case,
  type CaseEvent,
  CaseParts,
  HomePeriods,
  LangdurigVerzuim,
  LocalDate,
  type SchoolCalendar,
  type Verlof,
  Vrijstelling,
} from "@verzuimregie/domain"
import { type Column, jaNee, type Value } from "./Cells.js"
import { dateTime, longDate, shortDate } from "./Dutch.js"
import * as MailSafe from "./MailSafe.js"
import * as Pseudonym from "./Pseudonym.js"
import { type Sheet, sheet, write } from "./Workbook.js"

/** A case with its event log: the attendance history lives in the events. */
export interface CaseHistory {
  readonly state: Case.CaseState
  readonly events: ReadonlyArray<CaseEvent.CaseEvent>
}

export interface Input {
  readonly region: { readonly id: string; readonly name: string }
  /** The last day the overview covers (the end of the quarter). */
  readonly peildatum: LocalDate.LocalDate
  /** The quarter's key, e.g. `2026-Q1`, for the title and the file name. */
  readonly quarter: string
  /** Secret key of the pseudonyms: at least 32 bytes, the same every quarter. */
  readonly key: string | Uint8Array
  /** Every case of the region that may touch the school year (open, or closed in it). */
  readonly cases: Iterable<CaseHistory>
  /** The school's BRIN code, when known. */
  readonly brinOf?: (schoolId: string) => string | undefined
  /** Registered names of schools; without them the School column is blank. */
  readonly registers?: MailSafe.Registers
  readonly langdurig?: Partial<LangdurigVerzuim.LangdurigVerzuimOptions>
  readonly calendars?: SchoolCalendar.Calendars
  /** When the file was made (for the Toelichting sheet). Default now. */
  readonly generatedAt?: Date
}

/** `1`, `2a`, `2b`, or `5a` for a vrijstelling 5 onder a. */
export type Code = LangdurigVerzuim.Categorie | "5a"

/** The domain's labels of the categories (one wording everywhere), and the 5 onder a row. */
export const codeLabel: Readonly<Record<Code, string>> = {
  ...LangdurigVerzuim.categorieLabel,
  "5a": "vrijstelling 5 onder a",
}

export const Status = {
  thuis: "thuiszittend",
  vrijstelling: "vrijstelling (thuis)",
  nietLeerplichtig: "thuis, niet meer leerplichtig",
  opnieuwThuis: "opnieuw thuis, korter dan 4 weken",
  terug: "weer naar school",
  gedeeltelijk: "gedeeltelijk naar school",
  vrijstellingLoopt: "vrijstelling loopt",
  vrijstellingPermanent: "vrijstelling loopt (permanent)",
  vrijstellingBeeindigd: "vrijstelling beëindigd",
} as const

export interface Row {
  readonly pseudoniem: string
  readonly brin: string | undefined
  readonly school: MailSafe.Safe | undefined
  readonly onderwijssoort: string | undefined
  readonly leeftijdscategorie: string
  readonly categorie: Code
  readonly sinds: LocalDate.LocalDate
  readonly status: string
  readonly passendAanbod: "ja" | "nee" | undefined
  readonly terugNaarSchool: LocalDate.LocalDate | undefined
  readonly dagenThuis: number | undefined
  readonly vrijstellingTot: LocalDate.LocalDate | undefined
}

export interface Overview {
  readonly region: Input["region"]
  readonly schoolYear: LocalDate.SchoolYear
  readonly peildatum: LocalDate.LocalDate
  readonly quarter: string
  readonly generatedAt: Date
  readonly rows: ReadonlyArray<Row>
  readonly counts: Readonly<Record<Code, number>>
}

export const SHEETS = { overview: "Thuiszitters", notes: "Toelichting" } as const

const text = (header: string, width?: number): Column =>
  width === undefined ? { header, kind: "text" } : { header, kind: "text", width }

/** The columns, in order, with what each holds (also written to the Toelichting sheet). */
export const COLUMNS: ReadonlyArray<Column & { readonly rule: string }> = [
  {
    ...text("Pseudoniem", 22),
    rule: "Vaste code per leerling: HMAC-SHA256 van het leerling-id met een geheime sleutel van het samenwerkingsverband, ingekort tot 16 tekens. Elk kwartaal dezelfde code; niet terug te rekenen naar de leerling.",
  },
  { ...text("BRIN"), rule: "BRIN-code van de school, als die bekend is." },
  {
    ...text("School", 30),
    rule: "Naam van de school van inschrijving (leeg bij absoluut verzuim zonder school).",
  },
  { ...text("Onderwijssoort"), rule: "PO, SO, VO, VSO of MBO." },
  {
    ...text("Leeftijdscategorie"),
    rule: "Leeftijd op de peildatum in klassen: jonger dan 5, 5 t/m 11, 12 t/m 15, 16 t/m 17, 18 of ouder. Geen geboortedatum.",
  },
  {
    ...text("Categorie"),
    rule: `1 = ${codeLabel["1"]}; 2a = ${codeLabel["2a"]}; 2b = ${codeLabel["2b"]}; 5a = ${codeLabel["5a"]}. Bij een thuiszitter de categorie op de peildatum, of op de laatste dag dat de leerling thuiszitter was.`,
  },
  { ...text("Omschrijving", 40), rule: "De categorie in woorden." },
  {
    header: "Sinds",
    kind: "date",
    rule: "Eerste dag thuis (of niet ingeschreven) van de laatste thuiszitperiode; bij een vrijstelling de ingangsdatum.",
  },
  {
    ...text("Status op peildatum", 30),
    rule: "thuiszittend; vrijstelling (thuis); thuis, niet meer leerplichtig; opnieuw thuis, korter dan 4 weken; weer naar school; gedeeltelijk naar school; afgesloten: <uitkomst>; vrijstelling loopt; vrijstelling loopt (permanent); vrijstelling beëindigd.",
  },
  {
    ...text("Passend aanbod"),
    rule: "ja/nee: was er op de peildatum (of aan het eind van de thuiszitperiode) een passend aanbod van onderwijs en/of zorg.",
  },
  {
    header: "Datum terug naar school",
    kind: "date",
    rule: "De dag dat de leerling weer (gedeeltelijk) naar school ging, of dat de casus met een terugkeer werd afgesloten.",
  },
  {
    header: "Dagen thuis",
    kind: "number",
    rule: "Kalenderdagen van de laatste thuiszitperiode tot en met de peildatum of de terugkeer.",
  },
  {
    header: "Vrijstelling tot",
    kind: "date",
    rule: "Laatste dag van de vrijstelling 5 onder a (zonder verlenging het eind van het schooljaar); leeg bij een permanente vrijstelling.",
  },
]

export const ageBand = (age: number): string =>
  age < 5
    ? "jonger dan 5"
    : age <= 11
      ? "5 t/m 11"
      : age <= 15
        ? "12 t/m 15"
        : age <= 17
          ? "16 t/m 17"
          : "18 of ouder"

interface Pupil {
  readonly pupilId: string
  readonly latest: Case.CaseState
  readonly segments: ReadonlyArray<HomePeriods.Segment>
  readonly exemptions: ReadonlyArray<Vrijstelling.Vrijstelling>
  /** Leave requests and decisions of all the pupil's cases (art. 11, 13a, 14). */
  readonly leave: ReadonlyArray<Verlof.Verlof>
  /** The latest case's closure, when on or before the peildatum. */
  readonly closure: Case.Closure | undefined
}

const pupilsOf = (
  cases: Iterable<CaseHistory>,
  regionId: string,
  peildatum: LocalDate.LocalDate,
): Array<Pupil> => {
  const groups = new Map<string, Array<CaseHistory>>()
  for (const c of cases) {
    if (c.state.regionId !== regionId) continue
    const id = c.state.referral.pupil.id
    const group = groups.get(id)
    if (group === undefined) groups.set(id, [c])
    else group.push(c)
  }
  return [...groups].map(([pupilId, histories]) => {
    histories.sort((a, b) => (a.state.openedAt < b.state.openedAt ? -1 : 1))
    const latest = (histories[histories.length - 1] as CaseHistory).state
    // Every case's records, the referral's "at home since" included, in the order they were made.
    const records = histories
      .flatMap((h) => HomePeriods.recordsOf(h.events))
      .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))
    const exemptions = histories.flatMap((h) => h.state.exemptions.filter((v) => v.from <= peildatum))
    const leave = histories.flatMap((h) => h.state.leave.filter((l) => l.request.requestedOn <= peildatum))
    const closure = latest.closed !== undefined && latest.closed.on <= peildatum ? latest.closed : undefined
    // What was known about the days up to the peildatum.
    const segments = HomePeriods.segmentsOf(records)
      .filter((x) => x.from <= peildatum)
      .map((x) => (x.to !== undefined && x.to > peildatum ? { ...x, to: undefined } : x))
    return { pupilId, latest, segments, exemptions, leave, closure }
  })
}

interface Qualifying {
  readonly period: HomePeriods.HomePeriod
  readonly lastDay: LocalDate.LocalDate
  readonly categorie: LangdurigVerzuim.Categorie
}

/** The pupil's duty and every ground on record, for the domain's rules. */
const dutiesOf = (pupil: Pupil, input: Input): HomePeriods.Duties => ({
  pupil: { birthDate: pupil.latest.referral.pupil.birthDate },
  vrijstellingen: pupil.exemptions,
  verlof: pupil.leave,
  ...(input.calendars === undefined ? {} : { calendars: input.calendars }),
})

/** Finds the latest home period with a thuiszitter day in [from, to], and its last such day. */
const latestQualifying = (
  pupil: Pupil,
  periods: ReadonlyArray<HomePeriods.HomePeriod>,
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
  input: Input,
): Qualifying | undefined => {
  const duties = dutiesOf(pupil, input)
  for (let i = periods.length - 1; i >= 0; i--) {
    const period = periods[i] as HomePeriods.HomePeriod
    // A case closed while the pupil was at home: what came after is not known.
    const end = LocalDate.min(period.end ?? to, pupil.closure?.on ?? to)
    const found = HomePeriods.lastThuiszitterDay(
      period,
      LocalDate.max(period.start, from),
      LocalDate.min(end, to),
      duties,
      input.langdurig,
    )
    if (found !== undefined) return { period, lastDay: found.day, categorie: found.categorie }
  }
  return undefined
}

const enrolmentOf = (state: Case.CaseState, input: Input) => {
  const enrolment = state.referral.pupil.enrolment
  return {
    brin: enrolment === undefined ? undefined : input.brinOf?.(enrolment.schoolId),
    school: MailSafe.school(enrolment, input.registers ?? MailSafe.NO_REGISTERS),
    onderwijssoort: enrolment?.level,
  }
}

const thuiszitterRow = (pupil: Pupil, q: Qualifying, input: Input, pseudoniem: string): Row => {
  const { peildatum } = input
  const { period } = q
  const segmentOnPeildatum = [...pupil.segments].reverse().find((s) => s.from <= peildatum)
  const lastSegment = period.segments[period.segments.length - 1] as HomePeriods.Segment
  let status: string
  let terug: LocalDate.LocalDate | undefined
  let end: LocalDate.LocalDate = q.lastDay
  const ongoing = period.end === undefined || period.end >= peildatum
  if (ongoing && pupil.closure === undefined) {
    status =
      q.lastDay === peildatum
        ? Status.thuis
        : segmentOnPeildatum !== undefined &&
            LangdurigVerzuim.excusedBy(
              HomePeriods.situationOn(period, segmentOnPeildatum, dutiesOf(pupil, input)),
              peildatum,
            ) !== undefined
          ? Status.vrijstelling
          : Status.nietLeerplichtig
    end = peildatum
  } else if (ongoing && pupil.closure !== undefined) {
    // The case closed while the pupil was at home as far as the records go.
    end = LocalDate.min(pupil.closure.on, peildatum)
    if (CaseParts.isBackAtSchool(pupil.closure.outcome.kind)) {
      status = Status.terug
      terug = pupil.closure.on
    } else {
      status = `afgesloten: ${CaseParts.outcomeKindLabel[pupil.closure.outcome.kind].toLowerCase()}`
    }
  } else {
    end = period.end as LocalDate.LocalDate
    terug = period.returned?.from
    status = period.returned?.situation === "gedeeltelijk-naar-school" ? Status.gedeeltelijk : Status.terug
    if (
      segmentOnPeildatum !== undefined &&
      HomePeriods.isHome(segmentOnPeildatum.situation) &&
      pupil.closure === undefined
    ) {
      status = Status.opnieuwThuis
    }
  }
  const offerSegment =
    ongoing && segmentOnPeildatum !== undefined && HomePeriods.isHome(segmentOnPeildatum.situation)
      ? segmentOnPeildatum
      : lastSegment
  return {
    pseudoniem,
    ...enrolmentOf(pupil.latest, input),
    leeftijdscategorie: ageBand(Age.ageOn(pupil.latest.referral.pupil.birthDate, peildatum)),
    categorie: q.categorie,
    sinds: period.start,
    status,
    passendAanbod: jaNee(offerSegment.fittingOffer),
    terugNaarSchool: terug,
    dagenThuis: LocalDate.daysBetween(period.start, end) + 1,
    vrijstellingTot: undefined,
  }
}

const exemptionRow = (pupil: Pupil, v: Vrijstelling.Vrijstelling, input: Input, pseudoniem: string): Row => {
  const { peildatum } = input
  const end = Vrijstelling.vrijstellingEnd(v)
  const active = Vrijstelling.isVrijstellingActive(v, peildatum)
  const back =
    end === undefined || active
      ? undefined
      : pupil.segments.find((s) => s.from > end && s.from <= peildatum && !HomePeriods.isHome(s.situation))
          ?.from
  return {
    pseudoniem,
    ...enrolmentOf(pupil.latest, input),
    leeftijdscategorie: ageBand(Age.ageOn(pupil.latest.referral.pupil.birthDate, peildatum)),
    categorie: "5a",
    sinds: v.from,
    status: active
      ? v.permanent === true
        ? Status.vrijstellingPermanent
        : Status.vrijstellingLoopt
      : Status.vrijstellingBeeindigd,
    passendAanbod: undefined,
    terugNaarSchool: back,
    dagenThuis: undefined,
    vrijstellingTot: end,
  }
}

const ORDER: Record<Code, number> = { "1": 0, "2b": 1, "2a": 2, "5a": 3 }

/**
 * Computes the overview rows: pure, from case histories. See the module comment for the rules.
 */
export const make = (input: Input): Overview => {
  const { peildatum } = input
  const pseudonym = Pseudonym.make(input.key)
  const schoolYear = LocalDate.schoolYearOf(peildatum)
  const rows: Array<Row> = []
  for (const pupil of pupilsOf(input.cases, input.region.id, peildatum)) {
    const name = pseudonym(pupil.pupilId)
    const qualifying = latestQualifying(
      pupil,
      HomePeriods.homePeriodsOf(pupil.segments),
      schoolYear.start,
      peildatum,
      input,
    )
    if (qualifying !== undefined) rows.push(thuiszitterRow(pupil, qualifying, input, name))
    const exemption = pupil.exemptions
      .filter((v) => v.grond === "5a")
      .filter((v) => {
        const end = Vrijstelling.vrijstellingEnd(v)
        return v.from <= peildatum && (end === undefined || end >= schoolYear.start)
      })
      .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
      .pop()
    if (exemption !== undefined) rows.push(exemptionRow(pupil, exemption, input, name))
  }
  rows.sort(
    (a, b) =>
      (a.categorie === "5a" ? 1 : 0) - (b.categorie === "5a" ? 1 : 0) ||
      (a.sinds < b.sinds ? -1 : a.sinds > b.sinds ? 1 : 0) ||
      ORDER[a.categorie] - ORDER[b.categorie] ||
      a.pseudoniem.localeCompare(b.pseudoniem),
  )
  const counts: Record<Code, number> = { "1": 0, "2a": 0, "2b": 0, "5a": 0 }
  for (const row of rows) counts[row.categorie]++
  return {
    region: input.region,
    schoolYear,
    peildatum,
    quarter: input.quarter,
    generatedAt: input.generatedAt ?? new Date(),
    rows,
    counts,
  }
}

/** A row's cells: only `MailSafe` values (the overview is e-mailed). */
const values = (row: Row): ReadonlyArray<MailSafe.SafeValue> => [
  MailSafe.pseudonym(row.pseudoniem),
  row.brin === undefined ? undefined : MailSafe.registered(row.brin),
  row.school,
  row.onderwijssoort === undefined ? undefined : MailSafe.label(row.onderwijssoort),
  MailSafe.label(row.leeftijdscategorie),
  MailSafe.label(row.categorie === "5a" ? "5 onder a" : row.categorie),
  MailSafe.label(codeLabel[row.categorie]),
  row.sinds,
  MailSafe.label(row.status),
  row.passendAanbod === undefined ? undefined : MailSafe.label(row.passendAanbod),
  row.terugNaarSchool,
  row.dagenThuis,
  row.vrijstellingTot,
]

const notes = (o: Overview): ReadonlyArray<ReadonlyArray<Value>> => [
  ["Samenwerkingsverband / regio", o.region.name],
  ["Schooljaar", o.schoolYear.label],
  ["Peildatum", longDate(o.peildatum)],
  ["Kwartaal", o.quarter],
  [
    "Periode",
    `${shortDate(o.schoolYear.start)} t/m ${shortDate(o.peildatum)} (cumulatief over het schooljaar)`,
  ],
  ["Aangemaakt", dateTime(o.generatedAt)],
  ["Rijen", String(o.rows.length)],
  ["Categorie 1 (absoluut verzuim)", String(o.counts["1"])],
  ["Categorie 2a", String(o.counts["2a"])],
  ["Categorie 2b", String(o.counts["2b"])],
  ["Vrijstelling 5 onder a", String(o.counts["5a"])],
  [
    "Wie staat erin",
    "Elke leerling die in dit schooljaar tot en met de peildatum op minstens één dag thuiszitter was (langdurig relatief verzuim vanaf dag 29, of absoluut verzuim), en elke leerling met een vrijstelling 5 onder a die in die periode gold. Rijen vervallen niet: een leerling die weer naar school gaat, houdt zijn rij met de status en de datum.",
  ],
  [
    "Privacy",
    "Geen namen, BSN of geboortedata. De pseudoniemen zijn alleen met de geheime sleutel van het samenwerkingsverband te maken; de leeftijd staat in klassen.",
  ],
  ...COLUMNS.map((c) => [`Kolom: ${c.header}`, c.rule]),
]

/** The overview's sheets: the rows, and the Toelichting with the rules and the counts. */
export const sheets = (o: Overview): ReadonlyArray<Sheet> => [
  sheet(
    {
      name: SHEETS.overview,
      columns: COLUMNS.map(({ header, kind, width }) =>
        width === undefined ? { header, kind } : { header, kind, width },
      ),
    },
    o.rows.map(values),
  ),
  sheet(
    {
      name: SHEETS.notes,
      columns: [
        { header: "Onderwerp", kind: "text", width: 32 },
        { header: "Toelichting", kind: "text", width: 100, wrap: true },
      ],
    },
    notes(o),
  ),
]

export const workbook = (o: Overview): Buffer =>
  write(sheets(o), { title: `Thuiszittersoverzicht ${o.region.name} ${o.schoolYear.label} ${o.quarter}` })

/** `thuiszitters-westland-2025-26-2026-Q1.xlsx`: no personal data. */
export const fileName = (o: Pick<Overview, "region" | "schoolYear" | "quarter" | "peildatum">): string =>
  `thuiszitters-${o.region.id}-${o.schoolYear.label.replace("/", "-")}-peildatum-${o.peildatum}.xlsx`
