/**
 * Vrijstellingen (exemptions) and the grounds that excuse a duty of the Leerplichtwet 1969
 * (BWBR0002628), each by its own article.
 *
 * Two duties rest on the parents (art. 2 lid 1; for the kwalificatieplichtige art. 4a): that the
 * pupil is enrolled at a school (_inschrijving_), and that the pupil attends it regularly
 * (_geregeld schoolbezoek_). A ground excuses only what its article excuses:
 *
 * - art. 5 onder a, b, c: the duties of art. 2 lid 1 do not apply: enrolment and, with it,
 *   attendance; for leerplichtigen and kwalificatieplichtigen alike ("school onderscheidenlijk
 *   instelling");
 * - art. 5a: children of parents with a trekkend bestaan (kermis, circus), only while they travel
 *   from March to October (Besluit vrijstelling leerplicht trekkende bevolking): enrolment and
 *   attendance;
 * - art. 15: a vrijstelling of the kwalificatieplicht (art. 4a): enrolment and attendance, but
 *   only for a kwalificatieplichtige, never during full leerplicht;
 * - art. 11 (and the leave of art. 13a and 14 it refers to): only attendance of the school the
 *   pupil is enrolled at, never not being enrolled (art. 11 aanhef; art. 22 lid 2 names only
 *   art. 5, 5a and 15 as grounds against enrolment).
 *
 * The yearly renewal (art. 6): a claim to an art. 5 vrijstelling holds for one school year and
 * must be made again before 1 July for the next; the one exception is 5 onder a for a pupil who
 * will never be fit for school (art. 6 lid 3, `permanent`). An expired vrijstelling no longer
 * excuses.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { optional } from "../Fields.js"
import * as LocalDate from "../LocalDate.js"
import type { LeerplichtStatus } from "./Leerplicht.js"

/** Grounds for a vrijstelling as recorded on a case (Leerplichtwet 1969). */
export const VrijstellingGrond = Schema.Literal(
  "5a",
  "5b",
  "5c",
  "5a-reizend",
  "11-verlof",
  "15",
).annotations({
  identifier: "VrijstellingGrond",
  title: "Grond vrijstelling",
})
export type VrijstellingGrond = typeof VrijstellingGrond.Type

export const vrijstellingLabel: Readonly<Record<VrijstellingGrond, string>> = {
  "5a": "art. 5 onder a: lichamelijk of psychisch niet geschikt om tot een school te worden toegelaten",
  "5b": "art. 5 onder b: bedenkingen tegen de richting van het onderwijs op alle scholen in de omgeving",
  "5c": "art. 5 onder c: ingeschreven op een school buiten Nederland",
  "5a-reizend": "art. 5a: kind van trekkende ouders (reizend bestaan)",
  "11-verlof": "art. 11: vrijstelling van geregeld schoolbezoek (verlof)",
  "15": "art. 15: vrijstelling van de kwalificatieplicht (ander onderwijs)",
}

/** A granted vrijstelling; both ends included. */
export const Vrijstelling = Schema.Struct({
  grond: VrijstellingGrond,
  from: LocalDate.LocalDate,
  /** Last day; for an art. 5 ground at most the end of its school year (art. 6). */
  until: optional(LocalDate.LocalDate),
  /** 5 onder a only: the pupil will never be fit for school, no yearly renewal (art. 6 lid 3). */
  permanent: optional(Schema.Boolean),
}).annotations({ identifier: "Vrijstelling", title: "Vrijstelling" })
export type Vrijstelling = typeof Vrijstelling.Type

/** The regime a pupil is under: full leerplicht (art. 3, 4) or kwalificatieplicht (art. 4a). */
export type Regime = "leerplicht" | "kwalificatieplicht"

/** The two duties of art. 2 lid 1 (and art. 4a): being enrolled, and attending the school. */
export type Plicht = "inschrijving" | "schoolbezoek"

/**
 * Every ground that can excuse a duty: the vrijstellingen above and the grounds of art. 11 with
 * the leave of art. 13a and 14 (see `Verlof.ts`).
 */
export type Grond =
  | VrijstellingGrond
  | "11-school-gesloten"
  | "11-bezoek-verboden"
  | "11-schorsing"
  | "11-ziekte"
  | "11-godsdienst"
  | "13a-vakantie"
  | "14-gewichtig"

const BOTH: ReadonlyArray<Regime> = ["leerplicht", "kwalificatieplicht"]
const KWALIFICATIEPLICHT: ReadonlyArray<Regime> = ["kwalificatieplicht"]
const NONE: ReadonlyArray<Regime> = []

/** Attendance only, for leerplichtigen and kwalificatieplichtigen alike (art. 11 aanhef). */
const ATTENDANCE_ONLY = { inschrijving: NONE, schoolbezoek: BOTH }

/**
 * For each ground: the regimes under which it excuses each duty. The article behind each line is
 * in the module comment; `docs/domain.md` has the same table.
 */
export const excusedDuties: Readonly<Record<Grond, Readonly<Record<Plicht, ReadonlyArray<Regime>>>>> = {
  "5a": { inschrijving: BOTH, schoolbezoek: BOTH },
  "5b": { inschrijving: BOTH, schoolbezoek: BOTH },
  "5c": { inschrijving: BOTH, schoolbezoek: BOTH },
  "5a-reizend": { inschrijving: BOTH, schoolbezoek: BOTH },
  "15": { inschrijving: KWALIFICATIEPLICHT, schoolbezoek: KWALIFICATIEPLICHT },
  "11-verlof": ATTENDANCE_ONLY,
  "11-school-gesloten": ATTENDANCE_ONLY,
  "11-bezoek-verboden": ATTENDANCE_ONLY,
  "11-schorsing": ATTENDANCE_ONLY,
  "11-ziekte": ATTENDANCE_ONLY,
  "11-godsdienst": ATTENDANCE_ONLY,
  "13a-vakantie": ATTENDANCE_ONLY,
  "14-gewichtig": ATTENDANCE_ONLY,
}

/**
 * Whether `grond` excuses `plicht` under `regime`. With the regime unknown, only a ground that
 * excuses the duty under both regimes does.
 *
 * @example
 * excuses("11-verlof", "inschrijving", "leerplicht") // false: leave never excuses not being enrolled
 * excuses("15", "inschrijving", "leerplicht") // false: art. 15 concerns the kwalificatieplicht
 */
export const excuses = (grond: Grond, plicht: Plicht, regime: Regime | undefined): boolean => {
  const regimes = excusedDuties[grond][plicht]
  return regime === undefined ? regimes.length === BOTH.length : regimes.includes(regime)
}

/** The duty regime of a leerplicht status; undefined when neither duty applies. */
export const regimeOf = (status: LeerplichtStatus | undefined): Regime | undefined =>
  status === "leerplichtig"
    ? "leerplicht"
    : status === "kwalificatieplichtig"
      ? "kwalificatieplicht"
      : undefined

/** The art. 5 grounds: renewed every school year (art. 6). */
const ART_5: ReadonlySet<VrijstellingGrond> = new Set(["5a", "5b", "5c"])

/** Whether the ground is one of art. 5 (a, b, c), the ones art. 6 renews yearly. */
export const isArticle5 = (grond: VrijstellingGrond): boolean => ART_5.has(grond)

/** Whether the vrijstelling needs the yearly renewal of art. 6: every art. 5 ground but a permanent 5 onder a. */
export const needsRenewal = (v: Vrijstelling): boolean =>
  isArticle5(v.grond) && !(v.grond === "5a" && v.permanent === true)

/** First and last month (inclusive) of the travelling season of art. 5a. */
const TRAVEL_FIRST_MONTH = 3
const TRAVEL_LAST_MONTH = 10

/**
 * First day a vrijstelling holds. Art. 5a holds only from March (Besluit vrijstelling leerplicht
 * trekkende bevolking, art. 2): a 5a recorded earlier in the year starts on 1 March.
 */
export const vrijstellingStart = (v: Vrijstelling): LocalDate.LocalDate => {
  if (v.grond !== "5a-reizend") return v.from
  const { year } = LocalDate.parts(v.from)
  return LocalDate.max(v.from, LocalDate.fromParts(year, TRAVEL_FIRST_MONTH, 1))
}

/**
 * Last day a vrijstelling holds, or undefined when it holds until further notice.
 *
 * - art. 5 (a, b, c): at most the end of the school year it started in (art. 6 lid 1: the claim
 *   is made for each school year), unless a permanent 5 onder a (art. 6 lid 3);
 * - art. 5a: at most 31 October of its year (the travelling season, March to October);
 * - art. 11, art. 15: the recorded `until`.
 */
export const vrijstellingEnd = (v: Vrijstelling): LocalDate.LocalDate | undefined => {
  const clamp = (limit: LocalDate.LocalDate) =>
    v.until === undefined ? limit : LocalDate.min(v.until, limit)
  if (needsRenewal(v)) return clamp(LocalDate.schoolYearOf(v.from).end)
  if (v.grond === "5a-reizend") {
    const { year } = LocalDate.parts(v.from)
    return clamp(LocalDate.fromParts(year, TRAVEL_LAST_MONTH, 31))
  }
  return v.until
}

/** Whether the vrijstelling holds on `date`: started, and not ended or expired. */
export const isVrijstellingActive = (v: Vrijstelling, date: LocalDate.LocalDate): boolean => {
  const end = vrijstellingEnd(v)
  return date >= vrijstellingStart(v) && (end === undefined || date <= end)
}

/**
 * The last day to claim the vrijstelling again for the next school year: 30 June of its school
 * year (art. 6 lid 1: "vóór 1 juli"), for every art. 5 ground except a permanent 5 onder a.
 * Undefined for grounds without a yearly renewal.
 */
export const renewalDeadline = (v: Vrijstelling): LocalDate.LocalDate | undefined =>
  needsRenewal(v) ? LocalDate.fromParts(LocalDate.schoolYearOf(v.from).startYear + 1, 6, 30) : undefined

/** Whether `next` renews `v`: the same ground, recorded for the next school year. */
export const isRenewedBy = (v: Vrijstelling, next: Vrijstelling): boolean =>
  next.grond === v.grond &&
  LocalDate.schoolYearOf(next.from).startYear === LocalDate.schoolYearOf(v.from).startYear + 1

/** A renewal that is due: the vrijstelling, its deadline, and whether a renewal is recorded. */
export interface Renewal {
  readonly vrijstelling: Vrijstelling
  readonly deadline: LocalDate.LocalDate
  readonly renewed: boolean
}

/**
 * The yearly renewals (art. 6) of a set of vrijstellingen: one per vrijstelling that needs one,
 * with whether a record for the next school year exists.
 */
export const renewals = (vrijstellingen: ReadonlyArray<Vrijstelling>): ReadonlyArray<Renewal> =>
  vrijstellingen.flatMap((v) => {
    const deadline = renewalDeadline(v)
    if (deadline === undefined) return []
    return [{ vrijstelling: v, deadline, renewed: vrijstellingen.some((n) => isRenewedBy(v, n)) }]
  })
