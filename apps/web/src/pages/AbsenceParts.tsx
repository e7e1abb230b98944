/**
 * What the school's verzuim pages (`Verzuim.tsx`) and the dossier (`Dossier.tsx`) both show of
 * imported absence: the kinds and signal measures in Dutch, and the records as a compact table.
 */
import type { Absence } from "@verzuimregie/app"
import { type AbsenceSignal, LocalDate } from "@verzuimregie/domain"
import { dutchDate, Table } from "../Components.js"

type AbsenceRecord = Absence.SignalDetail["records"][number]

export const ABSENCE_KIND_LABEL: Readonly<Record<AbsenceRecord["kind"], string>> = {
  ongeoorloofd: "Ongeoorloofd",
  geoorloofd: "Geoorloofd",
  ziek: "Ziek",
  "luxe-verzuim": "Luxe verzuim",
  "te-laat": "Te laat",
  schorsing: "Schorsing",
}

const NUMBER = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 1 })
const PERCENT = new Intl.NumberFormat("nl-NL", { style: "percent", maximumFractionDigits: 0 })

/** A number the Dutch way: `16,5`. */
export const dutchNumber = (value: number): string => NUMBER.format(value)

/** A signal's measure in its type's unit (see `AbsenceSignal.DetectedSignal.measure`). */
export const measureText = (type: AbsenceSignal.SignalType, measure: number): string => {
  switch (type) {
    case "meldplicht":
    case "luxe-verzuim":
    case "grijs-stijgend":
      return `${dutchNumber(measure)} uur`
    case "mazl-frequent":
      return `${dutchNumber(measure)} ziekmeldingen`
    case "mazl-langdurig":
      return `${dutchNumber(measure)} schooldagen ziek`
    case "langdurig-2a":
    case "langdurig-2b":
      return `${dutchNumber(measure)} dagen`
    case "grijs-geoorloofd":
    case "grijs-weekdag":
      return measure <= 1 ? PERCENT.format(measure) : dutchNumber(measure)
    case "grijs-te-laat":
      return `${dutchNumber(measure)} keer te laat`
  }
}

const amountText = (record: AbsenceRecord) =>
  record.amount.unit === "hours"
    ? `${dutchNumber(record.amount.value)} uur`
    : `${record.amount.value} ${record.amount.value === 1 ? "les" : "lessen"}`

/** One row per day of absence, oldest first. */
export const RecordsTable = (props: {
  readonly caption: string
  readonly records: ReadonlyArray<AbsenceRecord>
  readonly empty?: string
}) => (
  <Table
    caption={props.caption}
    headers={["Datum", "Soort", "Geoorloofd", "Verzuimd"]}
    empty={props.empty ?? "Geen verzuim geregistreerd."}
    rows={[...props.records]
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      .map((r) => [
        dutchDate(r.date),
        ABSENCE_KIND_LABEL[r.kind],
        r.authorised ? "Ja" : "Nee",
        amountText(r),
      ])}
  />
)

/**
 * The records summed per month (a school year is some hundred rows; a case worker wants the
 * course of it): days with absence, unauthorised and authorised hours (lessons counted as
 * lessons), sick reports and late arrivals.
 */
export const MonthlyTable = (props: {
  readonly caption: string
  readonly records: ReadonlyArray<AbsenceRecord>
}) => {
  const months = new Map<
    string,
    {
      days: Set<string>
      unauthorised: number
      authorised: number
      lessons: number
      sick: number
      late: number
    }
  >()
  for (const r of props.records) {
    const key = r.date.slice(0, 7)
    const month = months.get(key) ?? {
      days: new Set<string>(),
      unauthorised: 0,
      authorised: 0,
      lessons: 0,
      sick: 0,
      late: 0,
    }
    month.days.add(r.date)
    if (r.kind === "ziek") month.sick += 1
    if (r.kind === "te-laat") month.late += 1
    if (r.amount.unit === "lessons") month.lessons += r.amount.value
    else if (r.authorised) month.authorised += r.amount.value
    else month.unauthorised += r.amount.value
    months.set(key, month)
  }
  return (
    <Table
      caption={props.caption}
      headers={[
        "Maand",
        "Dagen met verzuim",
        "Uren ongeoorloofd",
        "Uren geoorloofd",
        "Lessen",
        "Ziekmeldingen",
        "Te laat",
      ]}
      empty="Geen verzuim geregistreerd."
      rows={[...months.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, m]) => [
          `${LocalDate.DUTCH_MONTHS[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`,
          String(m.days.size),
          dutchNumber(m.unauthorised),
          dutchNumber(m.authorised),
          String(m.lessons),
          String(m.sick),
          String(m.late),
        ])}
    />
  )
}

export const ABSENCE_STYLES = `
.vr-visually-hidden{position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.vr-filters{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-end}
.vr-row-form{display:flex;gap:.5rem;align-items:center;margin:0}
.vr-actions{display:flex;flex-wrap:wrap;gap:1rem;margin-block:1.5rem}
.vr-action-form{flex:1 1 20rem;padding:1rem;border:1px solid var(--utrecht-color-grey-80,#ccc)}
`
