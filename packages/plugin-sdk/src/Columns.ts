/**
 * Report columns most regions want in their case list; a plug-in picks these and adds its own.
 * Headers and values are Dutch, as staff read them: codes are shown by the domain's labels
 * (`Coördinator passend onderwijs`, not `coordinator-passend-onderwijs`).
 *
 * @since 0.1.0
 */
import { Case, CaseParts, type LocalDate, Party, Pupil, Referral } from "@verzuimregie/domain"
import * as Deadlines from "./Deadlines.js"
import type { ReportColumn, StateDefinition } from "./Plugin.js"

const column = <S>(c: ReportColumn<S>): ReportColumn<S> => c

export const caseId = <S>() =>
  column<S>({ key: "casus", header: "Casus", kind: "text", personal: false, value: ({ state }) => state.id })

export const status = <S>(states: ReadonlyArray<StateDefinition>) =>
  column<S>({
    key: "status",
    header: "Status",
    kind: "text",
    personal: false,
    value: ({ state }) => states.find((s) => s.id === state.status)?.label ?? state.status,
  })

export const regiehouder = <S>() =>
  column<S>({
    key: "regiehouder",
    header: "Regiehouder",
    kind: "text",
    personal: false,
    value: ({ state }) => state.regiehouder?.name,
  })

export const openedOn = <S>() =>
  column<S>({
    key: "aangemeld",
    header: "Aangemeld op",
    kind: "date",
    personal: false,
    value: ({ state }) => Deadlines.openedOn(state),
  })

export const school = <S>() =>
  column<S>({
    key: "school",
    header: "School",
    kind: "text",
    personal: false,
    value: ({ state }) => state.referral.pupil.enrolment?.schoolName,
  })

export const level = <S>() =>
  column<S>({
    key: "onderwijssoort",
    header: "Onderwijssoort",
    kind: "text",
    personal: false,
    value: ({ state }) => state.referral.pupil.enrolment?.level,
  })

export const referrerRole = <S>() =>
  column<S>({
    key: "aanmelder",
    header: "Aanmelder (rol)",
    kind: "text",
    personal: false,
    value: ({ state }) => Party.partyRoleLabel[state.referral.referrer.role],
  })

export const verzuimKind = <S>() =>
  column<S>({
    key: "soort-verzuim",
    header: "Soort verzuim",
    kind: "text",
    personal: false,
    value: ({ state }) => Referral.verzuimKindLabel[state.referral.verzuimKind],
  })

export const openActions = <S>() =>
  column<S>({
    key: "open-acties",
    header: "Open acties",
    kind: "number",
    personal: false,
    value: ({ state }) => Case.openActions(state).length,
  })

export const nextActionDue = <S>() =>
  column<S>({
    key: "eerstvolgende-actie",
    header: "Eerstvolgende actie uiterlijk",
    kind: "date",
    personal: false,
    value: ({ state }) =>
      Case.openActions(state).reduce<LocalDate.LocalDate | undefined>(
        (first, a) => (first === undefined || a.dueOn < first ? a.dueOn : first),
        undefined,
      ),
  })

export const attendance = <S>() =>
  column<S>({
    key: "schoolgang",
    header: "Schoolgang",
    kind: "text",
    personal: false,
    value: ({ state }) =>
      state.attendance === undefined
        ? undefined
        : CaseParts.attendanceSituationLabel[state.attendance.situation],
  })

export const homeSince = <S>() =>
  column<S>({
    key: "thuis-sinds",
    header: "Thuis sinds",
    kind: "date",
    personal: false,
    value: ({ state }) => (Case.isHome(state) ? state.attendance?.since : undefined),
  })

export const pupilName = <S>() =>
  column<S>({
    key: "leerling",
    header: "Leerling",
    kind: "text",
    personal: true,
    value: ({ state }) => Pupil.displayName(state.referral.pupil.name),
  })

export const birthDate = <S>() =>
  column<S>({
    key: "geboortedatum",
    header: "Geboortedatum",
    kind: "date",
    personal: true,
    value: ({ state }) => state.referral.pupil.birthDate,
  })

/** The columns every shipped plug-in starts from. */
export const standard = <S>(states: ReadonlyArray<StateDefinition>): ReadonlyArray<ReportColumn<S>> => [
  caseId<S>(),
  pupilName<S>(),
  birthDate<S>(),
  school<S>(),
  level<S>(),
  status<S>(states),
  regiehouder<S>(),
  openedOn<S>(),
  referrerRole<S>(),
  verzuimKind<S>(),
  attendance<S>(),
  homeSince<S>(),
  openActions<S>(),
  nextActionDue<S>(),
]
