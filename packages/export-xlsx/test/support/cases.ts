/** Synthetic cases and the personal data that must never show up in an exported file. */
import {
  Case,
  type CaseEvent,
  LocalDate,
  Pupil,
  type Referral,
  type Timestamp,
  type Verlof,
  type Vrijstelling,
} from "@verzuimregie/domain"
import { makeGenerator, type SampleRegionId } from "@verzuimregie/domain/sample"
import { Either } from "effect"
import { XLSX } from "../../src/internal/xlsx.js"

export { Either }

/** Folds generated histories into states. */
export const syntheticHistories = (
  seed: number,
  count: number,
  options: {
    readonly regionId: SampleRegionId
    readonly on: LocalDate.LocalDate
    readonly closedShare?: number
  },
): Array<{ state: Case.CaseState; events: ReadonlyArray<CaseEvent.CaseEvent> }> => {
  const sample = makeGenerator(seed, { on: options.on })
  return [
    ...sample.cases(count, {
      regionIds: [options.regionId],
      from: LocalDate.addDays(options.on, -200),
      to: LocalDate.addDays(options.on, -1),
      closedShare: options.closedShare ?? 0.4,
      absenceWeeks: 0,
    }),
  ].flatMap((h) => {
    // Courses run on past the reference date; keep what had happened by then.
    const until = `${options.on}T00:00:00.000Z`
    const events = h.events.filter((e) => e.at < until)
    if (events.length === 0) return []
    return [{ state: Either.getOrThrow(Case.fold(h.caseId, events)), events }]
  })
}

/** Every spelling of the pupils' names, BSNs and birth dates that a leak could take. */
export const secretsOf = (states: Iterable<Case.CaseState>): Array<string> => {
  const secrets = new Set<string>()
  for (const state of states) {
    const pupil = state.referral.pupil
    secrets.add(Pupil.displayName(pupil.name))
    secrets.add(`${pupil.name.givenName} ${pupil.name.familyName}`)
    const { year, month, day } = LocalDate.parts(pupil.birthDate)
    const dd = String(day).padStart(2, "0")
    const mm = String(month).padStart(2, "0")
    secrets.add(pupil.birthDate)
    secrets.add(`${dd}-${mm}-${year}`)
    secrets.add(`${day}-${month}-${year}`)
    secrets.add(`${dd}/${mm}/${year}`)
    secrets.add(`${mm}/${dd}/${String(year).slice(2)}`)
    if (pupil.personNumber !== undefined) secrets.add(pupil.personNumber.value)
  }
  return [...secrets]
}

/** The birth dates as Excel date serials: a date cell holding one would be a leak too. */
export const birthSerialsOf = (states: Iterable<Case.CaseState>): Set<number> => {
  const serials = new Set<number>()
  for (const s of states) serials.add(LocalDate.toEpochDay(s.referral.pupil.birthDate) + 25_569)
  return serials
}

/** All text inside an .xlsx package: every XML part, decompressed. */
export const packageText = (file: Uint8Array): string => {
  const container = XLSX.CFB.read(file, { type: "buffer" }) as {
    FullPaths: Array<string>
    FileIndex: Array<{ content?: Uint8Array }>
  }
  return container.FileIndex.map((entry) =>
    entry.content === undefined ? "" : Buffer.from(entry.content).toString("utf8"),
  ).join("\n")
}

/** Raw XML of one sheet (by 1-based number). */
export const sheetXml = (file: Uint8Array, n: number): string => {
  const container = XLSX.CFB.read(file, { type: "buffer" }) as {
    FullPaths: Array<string>
    FileIndex: Array<{ content?: Uint8Array }>
  }
  const index = container.FullPaths.findIndex((p) => p.endsWith(`xl/worksheets/sheet${n}.xml`))
  const content = container.FileIndex[index]?.content
  if (content === undefined) throw new Error(`no sheet ${n}`)
  return Buffer.from(content).toString("utf8")
}

/** Finds every secret in a text; returns the ones found. */
export const leaks = (text: string, secrets: ReadonlyArray<string>): Array<string> =>
  secrets.filter((s) => s.length > 0 && text.includes(s))

const STAFF = { name: "Medewerker Test", role: "smw-verzuim" } as const

/** A hand-made case history, for exact scenarios. */
export const history = (
  referral: Referral.Referral,
  steps: ReadonlyArray<
    | {
        readonly on: string
        readonly attendance: CaseEvent.EventOf<"AttendanceRecorded">["situation"]
        readonly since?: string
        readonly fittingOffer?: boolean
      }
    | {
        readonly on: string
        readonly exemption: {
          grond: Vrijstelling.VrijstellingGrond
          from: string
          until?: string
          permanent?: boolean
        }
      }
    | {
        readonly on: string
        /** A leave request, decided on the same day when `decidedBy` is given. */
        readonly leave: {
          id: string
          grond: Verlof.VerlofGrond
          from: string
          to: string
          beroepOuder?: boolean
          decidedBy?: Verlof.Beslisser
          granted?: boolean
        }
      }
    | { readonly on: string; readonly close: "verhuisd" | "terug-naar-school" | "anders" }
  >,
): { state: Case.CaseState; events: ReadonlyArray<CaseEvent.CaseEvent> } => {
  const at = (on: string, n: number) =>
    `${on}T09:${String(n % 60).padStart(2, "0")}:00.000Z` as Timestamp.Timestamp
  const events: Array<CaseEvent.CaseEvent> = [
    { _tag: "ReferralReceived", at: referral.submittedAt, by: STAFF, referral, initialStatus: "aangemeld" },
  ]
  steps.forEach((step, i) => {
    if ("attendance" in step) {
      events.push({
        _tag: "AttendanceRecorded",
        at: at(step.on, i),
        by: STAFF,
        situation: step.attendance,
        since: LocalDate.make(step.since ?? step.on),
        fittingOffer: step.fittingOffer ?? false,
      })
    } else if ("exemption" in step) {
      events.push({
        _tag: "ExemptionRecorded",
        at: at(step.on, i),
        by: STAFF,
        vrijstelling: {
          grond: step.exemption.grond,
          from: LocalDate.make(step.exemption.from),
          ...(step.exemption.until === undefined ? {} : { until: LocalDate.make(step.exemption.until) }),
          ...(step.exemption.permanent === undefined ? {} : { permanent: step.exemption.permanent }),
        },
      })
    } else if ("leave" in step) {
      const { leave } = step
      const id = `verlof_${leave.id.padEnd(10, "0")}` as Verlof.VerlofAanvraag["id"]
      events.push({
        _tag: "LeaveRequested",
        at: at(step.on, i),
        by: STAFF,
        request: {
          id,
          grond: leave.grond,
          from: LocalDate.make(leave.from),
          to: LocalDate.make(leave.to),
          requestedOn: LocalDate.make(step.on),
          ...(leave.beroepOuder === undefined ? {} : { beroepOuder: leave.beroepOuder }),
        },
      })
      if (leave.decidedBy !== undefined)
        events.push({
          _tag: "LeaveDecided",
          at: at(step.on, i + 30),
          by: STAFF,
          decision: {
            requestId: id,
            decidedOn: LocalDate.make(step.on),
            decidedBy: leave.decidedBy,
            granted: leave.granted ?? true,
          },
        })
    } else {
      events.push({
        _tag: "CaseClosed",
        at: at(step.on, i),
        by: STAFF,
        on: LocalDate.make(step.on),
        outcome: { kind: step.close },
        finalStatus: "afgesloten",
      })
    }
  })
  const caseId = `case_${referral.id.slice(4)}` as Case.CaseState["id"]
  return { state: Either.getOrThrow(Case.fold(caseId, events)), events }
}
