/**
 * The dossier's forms: the index of what the region's plug-in lets the caller log on a case now
 * (`/dossiers/:caseId/vastleggen`), one form per kind of event (`…/vastleggen/:kind`) and one page
 * per workflow step (`/dossiers/:caseId/stappen/:stepId`).
 *
 * Each form is described once, as fields whose names are the event's own field paths
 * (`meeting.participants[0].name`), rendered with the shared components and decoded with the
 * event's schema from the domain: a decode error's path is the form field's name, so every message
 * lands next to its field. Ids (of meetings, agreements, actions, interventions, leave requests)
 * are made here, never typed. Every form carries the case version; a stale one shows the fresh
 * state with the typed input kept. Writes go through `Cases.logEvent` and `Cases.takeTransition`,
 * the same use cases as the API's `POST /cases/:id/events` and `/transitions`.
 */
import { Cases } from "@verzuimregie/app"
import {
  CaseEvent,
  CaseParts,
  Consent,
  Decode,
  type Errors,
  Fields,
  Ids,
  Party,
  Pupil,
  Text,
  Verlof,
  Vrijstelling,
} from "@verzuimregie/domain"
import { type Effect, Either, Schema, SchemaAST } from "effect"
import type { Context } from "hono"
import type { Child } from "hono/jsx"
import {
  Alert,
  type Choice,
  ChoiceGroup,
  CsrfField,
  DataList,
  DateField,
  dutchDate,
  dutchDateTime,
  ErrorSummary,
  type FieldErrors,
  Fieldset,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
} from "../Components.js"
import type { Current, PageKit, PageModule } from "../Kit.js"
import { H1, P } from "../Layout.js"

/** What `Cases.forms` answers: the case, what may be logged now, the steps, the catalogue, today. */
type Forms = Effect.Effect.Success<ReturnType<typeof Cases.forms>>

/** Posted values by field name; checkboxes and repeated names give lists. */
type Values = Readonly<Record<string, string | ReadonlyArray<string>>>

interface FieldBase {
  readonly name: string
  readonly label: string
  readonly description?: string
  readonly required?: boolean
}

type FieldSpec =
  | (FieldBase & { readonly type: "text" | "textarea" })
  /** `fact`: something that happened, filled in with today. */
  | (FieldBase & { readonly type: "date"; readonly fact?: boolean })
  | (FieldBase & {
      readonly type: "select" | "radio" | "checkboxes"
      readonly options: ReadonlyArray<Choice>
    })
  /** Ja / nee, a required answer. */
  | (FieldBase & { readonly type: "boolean" })
  /** One checkbox that sets the field to true. */
  | (FieldBase & { readonly type: "flag"; readonly option: string })
  | { readonly type: "group"; readonly label: string; readonly fields: ReadonlyArray<FieldSpec> }
  /** A list of records (a meeting's participants): `count` blank rows, empty rows are left out. */
  | {
      readonly type: "rows"
      readonly name: string
      readonly label: string
      readonly rowLabel: string
      readonly count: number
      readonly description?: string
      readonly fields: ReadonlyArray<FieldBase & FieldSpec>
    }

type LoggableTag = Exclude<
  CaseEvent.CaseEventTag,
  "ReferralReceived" | "ReferralLinked" | "StatusChanged" | "CaseClosed"
>

interface EventForm {
  /** The address of the form: `/dossiers/:caseId/vastleggen/<slug>`. */
  readonly slug: string
  readonly tag: LoggableTag
  /** The page's heading: what the person does. */
  readonly title: string
  readonly fields: (forms: Forms) => ReadonlyArray<FieldSpec>
  /** Whether there is anything to log this about (an open action to complete). */
  readonly applies?: (forms: Forms) => boolean
  /** What the server adds to the typed input: the ids it makes, what it knows by a chosen code. */
  readonly complete?: (draft: Draft, forms: Forms) => void
}

type Draft = Record<string, unknown>

// ---------------------------------------------------------------------------------------------
// Choices, in Dutch, from the domain's value lists.

const choices = <L extends string>(
  literals: ReadonlyArray<L>,
  label: Readonly<Record<L, string>>,
): ReadonlyArray<Choice> => literals.map((value) => ({ value, label: label[value] }))

const ROLES = choices(Party.PartyRole.literals, Party.partyRoleLabel)
const CHANNELS = choices(CaseEvent.ContactChannel.literals, CaseEvent.contactChannelLabel)
const MEETING_KINDS = choices(CaseParts.MeetingKind.literals, CaseParts.meetingKindLabel)
const INTERVENTION_RESULTS = choices(CaseParts.InterventionResult.literals, CaseParts.interventionResultLabel)
const ATTENDANCE = choices(CaseParts.AttendanceSituation.literals, CaseParts.attendanceSituationLabel)
const CONSENT_SUBJECTS = choices(Consent.ConsentSubject.literals, { ouders: "Ouders", leerling: "Leerling" })
const CONSENT_PURPOSES = choices(Consent.ConsentPurpose.literals, Consent.consentPurposeLabel)
const CONSENT_METHODS = choices(Consent.ConsentMethod.literals, Consent.consentMethodLabel)
const VRIJSTELLING_GRONDEN = choices(Vrijstelling.VrijstellingGrond.literals, Vrijstelling.vrijstellingLabel)
const VERLOF_GRONDEN = choices(Verlof.VerlofGrond.literals, Verlof.verlofLabel)
const BESLISSERS = choices(Verlof.Beslisser.literals, {
  directeur: "Directeur van de school",
  leerplichtambtenaar: "Leerplichtambtenaar",
})
const OUTCOME_LABEL = CaseParts.outcomeKindLabel

const openActions = (forms: Forms): ReadonlyArray<Choice> =>
  forms.case.actions
    .filter((a) => a.status === "open")
    .map((a) => ({
      value: a.id,
      label: `${a.description} (${a.owner.name}, uiterlijk ${dutchDate(a.dueOn)})`,
    }))

const runningInterventions = (forms: Forms): ReadonlyArray<Choice> =>
  forms.case.interventions
    .filter((i) => i.endedOn === undefined)
    .map((i) => ({ value: i.id, label: `${i.label} (sinds ${dutchDate(i.startedOn)})` }))

const meetings = (forms: Forms): ReadonlyArray<Choice> =>
  forms.case.meetings.map((m) => ({
    value: m.id,
    label: `${CaseParts.meetingKindLabel[m.kind]} van ${dutchDate(m.heldOn)}`,
  }))

const agreements = (forms: Forms): ReadonlyArray<Choice> =>
  forms.case.agreements.map((a) => ({
    value: a.id,
    label: `${a.description.length > 80 ? `${a.description.slice(0, 80)}…` : a.description} (${dutchDate(a.madeOn)})`,
  }))

const undecidedLeave = (forms: Forms): ReadonlyArray<Choice> =>
  forms.case.leave
    .filter((l) => l.decision === undefined)
    .map((l) => ({
      value: l.request.id,
      label: `${Verlof.verlofLabel[l.request.grond]}: ${dutchDate(l.request.from)} t/m ${dutchDate(l.request.to)}`,
    }))

const staff = (forms: Forms, list: "regiehouders" | "staff" = "regiehouders"): ReadonlyArray<Choice> =>
  forms[list].map((u) => ({ value: u.userId, label: u.name }))

/**
 * A person chosen by account (an action's owner, a meeting participant): the use case copies in
 * the account's name, role and organisation (`Regie.staffFor`), so the typed ones do not count.
 */
const completeStaff = (person: Draft | undefined, forms: Forms): Draft | undefined => {
  const userId = person?.userId
  if (typeof userId !== "string") return person
  const user = forms.staff.find((u) => u.userId === userId)
  return { ...person, name: user?.name ?? "onbekend", role: "overig", userId }
}

/**
 * The regiehouder an event names is a user of the region; the use case copies in the account's
 * name, role and organisation (`Regie.regiehouderFor`), so only the chosen user counts here.
 */
const completeRegiehouder = (draft: Draft, forms: Forms) => {
  const chosen = draft.regiehouder as { userId?: string } | undefined
  if (chosen?.userId === undefined) return
  const user = forms.regiehouders.find((u) => u.userId === chosen.userId)
  draft.regiehouder = { name: user?.name ?? "onbekend", role: "overig", userId: chosen.userId }
}

const regiehouderField = (forms: Forms): FieldSpec => ({
  type: "select",
  name: "regiehouder.userId",
  label: "Regiehouder",
  description: "Een casusregisseur of coördinator van de regio.",
  required: true,
  options: staff(forms),
})

const summaryField: FieldSpec = {
  type: "textarea",
  name: "summary",
  label: "Samenvatting",
  description: "Wat is besproken of gezien. Noteer alleen wat nodig is voor de casus.",
}

/** Every kind of event a case worker logs, in the order the index lists them. */
export const EVENT_FORMS: ReadonlyArray<EventForm> = [
  {
    slug: "contact",
    tag: "ContactLogged",
    title: "Contact vastleggen",
    fields: () => [
      { type: "date", name: "on", label: "Datum van het contact", required: true, fact: true },
      { type: "select", name: "with", label: "Contact met", required: true, options: ROLES },
      { type: "radio", name: "channel", label: "Hoe", required: true, options: CHANNELS },
      summaryField,
    ],
  },
  {
    slug: "huisbezoek",
    tag: "HomeVisitDone",
    title: "Huisbezoek vastleggen",
    fields: () => [
      { type: "date", name: "on", label: "Datum van het huisbezoek", required: true, fact: true },
      { type: "checkboxes", name: "attendees", label: "Aanwezig", required: true, options: ROLES },
      summaryField,
    ],
  },
  {
    slug: "overleg",
    tag: "MeetingHeld",
    title: "Overleg vastleggen",
    fields: (forms) => [
      {
        type: "select",
        name: "meeting.kind",
        label: "Soort overleg",
        required: true,
        options: MEETING_KINDS,
      },
      { type: "date", name: "meeting.heldOn", label: "Datum van het overleg", required: true, fact: true },
      {
        type: "rows",
        name: "meeting.participants",
        label: "Deelnemers",
        rowLabel: "Deelnemer",
        count: 6,
        description:
          "Kies per deelnemer een medewerker van de regio, of vul naam en rol in (ouders, professionals zonder account); lege regels tellen niet mee.",
        fields: [
          { type: "select", name: "userId", label: "Medewerker", options: staff(forms, "staff") },
          { type: "text", name: "name", label: "Naam" },
          { type: "select", name: "role", label: "Rol", options: ROLES },
          {
            type: "flag",
            name: "mandated",
            label: "Mandaat",
            option: "Met mandaat (doorzettingsmacht namens de instelling)",
          },
        ],
      },
      {
        type: "boolean",
        name: "meeting.reportFiled",
        label: "Is er een verslag gemaakt en opgeslagen?",
        required: true,
      },
      { ...summaryField, name: "meeting.summary" },
    ],
    complete: (draft, forms) => {
      const meeting: Draft = { id: Ids.newId.meeting(), ...(draft.meeting as Draft | undefined) }
      if (Array.isArray(meeting.participants))
        meeting.participants = (meeting.participants as Array<Draft>).map((p) => completeStaff(p, forms))
      draft.meeting = meeting
    },
  },
  {
    slug: "afspraak",
    tag: "AgreementMade",
    title: "Afspraak vastleggen",
    fields: (forms) => [
      { type: "date", name: "agreement.madeOn", label: "Datum van de afspraak", required: true, fact: true },
      { type: "textarea", name: "agreement.description", label: "Afspraak", required: true },
      { type: "checkboxes", name: "agreement.parties", label: "Wie doen mee", options: ROLES },
      ...(forms.case.meetings.length === 0
        ? []
        : [
            {
              type: "select",
              name: "agreement.meetingId",
              label: "Gemaakt in overleg",
              options: meetings(forms),
            } as const,
          ]),
    ],
    complete: (draft) => {
      const agreement = (draft.agreement as Draft | undefined) ?? {}
      draft.agreement = { id: Ids.newId.agreement(), parties: [], ...agreement }
    },
  },
  {
    slug: "actie",
    tag: "ActionAssigned",
    title: "Actie uitzetten",
    fields: (forms) => [
      { type: "text", name: "action.description", label: "Actie", required: true },
      {
        type: "group",
        label: "Wie voert de actie uit",
        fields: [
          ...(forms.staff.length === 0
            ? []
            : [
                {
                  type: "select",
                  name: "action.owner.userId",
                  label: "Medewerker",
                  description:
                    "Een casusregisseur of coördinator van de regio: de actie komt in diens Mijn werk. Iemand anders (zonder account)? Laat dit leeg en vul naam en rol in.",
                  options: staff(forms, "staff"),
                } as const,
              ]),
          {
            type: "text",
            name: "action.owner.name",
            label: "Naam",
            ...(forms.staff.length === 0 ? {} : { description: "Alleen als u geen medewerker kiest." }),
          },
          {
            type: "select",
            name: "action.owner.role",
            label: "Rol",
            ...(forms.staff.length === 0 ? {} : { description: "Alleen als u geen medewerker kiest." }),
            options: ROLES,
          },
        ],
      },
      { type: "date", name: "action.dueOn", label: "Uiterlijk klaar op", required: true },
      ...(forms.case.agreements.length === 0
        ? []
        : [
            {
              type: "select",
              name: "action.agreementId",
              label: "Hoort bij afspraak",
              options: agreements(forms),
            } as const,
          ]),
    ],
    complete: (draft, forms) => {
      const action: Draft = { id: Ids.newId.action(), ...(draft.action as Draft | undefined) }
      action.owner = completeStaff(action.owner as Draft | undefined, forms)
      draft.action = action
    },
  },
  {
    slug: "actie-afgerond",
    tag: "ActionCompleted",
    title: "Actie afronden",
    applies: (forms) => openActions(forms).length > 0,
    fields: (forms) => [
      { type: "select", name: "actionId", label: "Actie", required: true, options: openActions(forms) },
      { type: "date", name: "on", label: "Afgerond op", required: true, fact: true },
      { type: "textarea", name: "note", label: "Toelichting" },
    ],
  },
  {
    slug: "actie-vervallen",
    tag: "ActionCancelled",
    title: "Actie laten vervallen",
    applies: (forms) => openActions(forms).length > 0,
    fields: (forms) => [
      { type: "select", name: "actionId", label: "Actie", required: true, options: openActions(forms) },
      { type: "text", name: "reason", label: "Reden", required: true },
    ],
  },
  {
    slug: "interventie-start",
    tag: "InterventionStarted",
    title: "Interventie starten",
    applies: (forms) => forms.catalogue.length > 0,
    fields: (forms) => [
      {
        type: "select",
        name: "intervention.catalogueCode",
        label: "Interventie uit het hulpaanbod van de regio",
        required: true,
        options: forms.catalogue.map((entry) => ({ value: entry.code, label: entry.label })),
      },
      { type: "text", name: "intervention.provider", label: "Aanbieder" },
      { type: "date", name: "intervention.startedOn", label: "Gestart op", required: true, fact: true },
    ],
    complete: (draft, forms) => {
      const intervention = (draft.intervention as Draft | undefined) ?? {}
      const code = intervention.catalogueCode
      const entry = forms.catalogue.find((e) => e.code === code)
      draft.intervention = {
        id: Ids.newId.intervention(),
        ...(typeof code === "string" ? { label: entry?.label ?? code } : {}),
        ...intervention,
      }
    },
  },
  {
    slug: "interventie-einde",
    tag: "InterventionEnded",
    title: "Interventie beëindigen",
    applies: (forms) => runningInterventions(forms).length > 0,
    fields: (forms) => [
      {
        type: "select",
        name: "interventionId",
        label: "Interventie",
        required: true,
        options: runningInterventions(forms),
      },
      { type: "date", name: "endedOn", label: "Beëindigd op", required: true, fact: true },
      { type: "radio", name: "result", label: "Resultaat", required: true, options: INTERVENTION_RESULTS },
    ],
  },
  {
    slug: "toestemming",
    tag: "ConsentRecorded",
    title: "Toestemming vastleggen",
    fields: () => [
      {
        type: "radio",
        name: "consent.subject",
        label: "Toestemming van",
        required: true,
        options: CONSENT_SUBJECTS,
      },
      {
        type: "text",
        name: "consent.givenBy",
        label: "Gegeven door",
        description: "Bijvoorbeeld moeder, vader, voogd of leerling. Geen naam nodig.",
        required: true,
      },
      { type: "date", name: "consent.givenOn", label: "Gegeven op", required: true, fact: true },
      {
        type: "checkboxes",
        name: "consent.purposes",
        label: "Toestemming voor",
        required: true,
        options: CONSENT_PURPOSES,
      },
      {
        type: "radio",
        name: "consent.method",
        label: "Hoe gegeven",
        required: true,
        options: CONSENT_METHODS,
      },
    ],
  },
  {
    slug: "toestemming-ingetrokken",
    tag: "ConsentWithdrawn",
    title: "Intrekken van toestemming vastleggen",
    fields: () => [
      {
        type: "radio",
        name: "subject",
        label: "Ingetrokken door",
        required: true,
        options: CONSENT_SUBJECTS,
      },
      { type: "date", name: "on", label: "Ingetrokken op", required: true, fact: true },
      {
        type: "checkboxes",
        name: "purposes",
        label: "Ingetrokken voor",
        description: "Kies niets als alle toestemming van deze persoon is ingetrokken.",
        options: CONSENT_PURPOSES,
      },
    ],
  },
  {
    slug: "ouders-geinformeerd",
    tag: "ParentsInformed",
    title: "Vastleggen dat de ouders zijn geïnformeerd",
    fields: () => [{ type: "date", name: "on", label: "Geïnformeerd op", required: true, fact: true }],
  },
  {
    slug: "schoolgang",
    tag: "AttendanceRecorded",
    title: "Schoolgang vastleggen",
    fields: () => [
      { type: "radio", name: "situation", label: "Schoolgang", required: true, options: ATTENDANCE },
      { type: "date", name: "since", label: "Sinds", required: true, fact: true },
      { type: "boolean", name: "fittingOffer", label: "Is er een passend onderwijsaanbod?", required: true },
    ],
  },
  {
    slug: "vrijstelling",
    tag: "ExemptionRecorded",
    title: "Vrijstelling vastleggen",
    fields: () => [
      {
        type: "radio",
        name: "vrijstelling.grond",
        label: "Grond",
        required: true,
        options: VRIJSTELLING_GRONDEN,
      },
      { type: "date", name: "vrijstelling.from", label: "Vanaf", required: true },
      { type: "date", name: "vrijstelling.until", label: "Tot en met" },
      {
        type: "flag",
        name: "vrijstelling.permanent",
        label: "Blijvend",
        option: "Blijvend, zonder jaarlijkse verlenging (alleen art. 5 onder a)",
      },
    ],
  },
  {
    slug: "verlofaanvraag",
    tag: "LeaveRequested",
    title: "Verlofaanvraag vastleggen",
    fields: () => [
      { type: "radio", name: "request.grond", label: "Grond", required: true, options: VERLOF_GRONDEN },
      { type: "date", name: "request.from", label: "Eerste dag", required: true },
      { type: "date", name: "request.to", label: "Laatste dag", required: true },
      { type: "date", name: "request.requestedOn", label: "Aangevraagd op", required: true, fact: true },
      {
        type: "flag",
        name: "request.beroepOuder",
        label: "Beroep van een ouder",
        option: "Door het beroep van een ouder kan het gezin alleen buiten de schoolvakanties op vakantie",
      },
    ],
    complete: (draft) => {
      draft.request = { id: Ids.newId.leave(), ...(draft.request as Draft | undefined) }
    },
  },
  {
    slug: "verlofbesluit",
    tag: "LeaveDecided",
    title: "Besluit op een verlofaanvraag vastleggen",
    applies: (forms) => undecidedLeave(forms).length > 0,
    fields: (forms) => [
      {
        type: "select",
        name: "decision.requestId",
        label: "Verlofaanvraag",
        required: true,
        options: undecidedLeave(forms),
      },
      { type: "date", name: "decision.decidedOn", label: "Besloten op", required: true, fact: true },
      {
        type: "radio",
        name: "decision.decidedBy",
        label: "Besloten door",
        required: true,
        options: BESLISSERS,
      },
      { type: "boolean", name: "decision.granted", label: "Is het verlof verleend?", required: true },
      {
        type: "date",
        name: "decision.from",
        label: "Verleend vanaf",
        description: "Alleen als korter verleend dan gevraagd.",
      },
      { type: "date", name: "decision.to", label: "Verleend tot en met" },
    ],
  },
  {
    slug: "overdracht",
    tag: "HandedOver",
    title: "Overdracht vastleggen",
    fields: () => [
      { type: "date", name: "on", label: "Overgedragen op", required: true, fact: true },
      {
        type: "group",
        label: "Overgedragen aan",
        fields: [
          { type: "text", name: "to.name", label: "Naam", required: true },
          { type: "select", name: "to.role", label: "Rol", required: true, options: ROLES },
        ],
      },
      summaryField,
      { type: "date", name: "referrerInformedOn", label: "Aanmelder geïnformeerd op" },
    ],
  },
  {
    slug: "intake",
    tag: "IntakeCompleted",
    title: "Intake vastleggen",
    fields: (forms) => [
      { type: "date", name: "on", label: "Datum van de intake", required: true, fact: true },
      regiehouderField(forms),
      summaryField,
    ],
    complete: completeRegiehouder,
  },
  {
    slug: "regiehouder",
    tag: "RegiehouderAssigned",
    title: "Regiehouder toewijzen",
    applies: (forms) => forms.case.regiehouder === undefined,
    fields: (forms) => [regiehouderField(forms), { type: "text", name: "reason", label: "Toelichting" }],
    complete: completeRegiehouder,
  },
  {
    slug: "regiehouder-wisselen",
    tag: "RegiehouderChanged",
    title: "Regie overdragen aan een collega",
    applies: (forms) => forms.case.regiehouder !== undefined,
    fields: (forms) => [
      regiehouderField(forms),
      { type: "text", name: "reason", label: "Reden", required: true },
    ],
    complete: completeRegiehouder,
  },
]

/** The forms the caller may use on this case now, in the index's order. */
export const formsAllowed = (forms: Forms): ReadonlyArray<EventForm> => {
  const allowed = new Set<string>(forms.events.map((e) => e.tag))
  return EVENT_FORMS.filter((f) => allowed.has(f.tag) && (f.applies?.(forms) ?? true))
}

/**
 * The notice the dossier page shows after a form here was accepted: these pages redirect to
 * `/dossiers/:caseId?vastgelegd=<kind>` or `?stap=<stepId>`. Undefined for anything else.
 */
export const successNotice = (query: {
  readonly vastgelegd?: string | undefined
  readonly stap?: string | undefined
}): string | undefined => {
  const form = EVENT_FORMS.find((f) => f.slug === query.vastgelegd)
  if (form !== undefined) return `Vastgelegd in de casus: ${CaseEvent.caseEventLabel[form.tag]}.`
  if (query.stap !== undefined && /^[a-z][a-z0-9-]{0,63}$/.test(query.stap)) return "De stap is gezet."
  return undefined
}

// ---------------------------------------------------------------------------------------------
// From posted values to an event, and from its errors back to the fields.

/** The schema of an event as a client logs it: the member of `CaseEvent` without `at` and `by`. */
const inputSchemaOf = (tag: LoggableTag): Schema.Schema<unknown, unknown> => {
  const member = CaseEvent.CaseEvent.members.find((m) => {
    const property = (m.ast as SchemaAST.TypeLiteral).propertySignatures.find((p) => p.name === "_tag")
    return property !== undefined && SchemaAST.isLiteral(property.type) && property.type.literal === tag
  })
  if (member === undefined) throw new Error(`no event schema for ${tag}`)
  const { at: _at, by: _by, ...fields } = member.fields as Schema.Struct.Fields
  return Schema.Struct(fields) as unknown as Schema.Schema<unknown, unknown>
}

const INPUT_SCHEMAS = new Map(EVENT_FORMS.map((f) => [f.tag, inputSchemaOf(f.tag)]))

const valueOf = (values: Values, name: string): string => {
  const value = values[name]
  return typeof value === "string" ? value : (value?.[0] ?? "")
}

const listOf = (values: Values, name: string): ReadonlyArray<string> => {
  const value = values[name]
  return value === undefined ? [] : typeof value === "string" ? [value] : value
}

/** `meeting.participants[0].name` → `["meeting", "participants", 0, "name"]`. */
const keysOf = (path: string): Array<string | number> =>
  path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((key) => (/^\d+$/.test(key) ? Number(key) : key))

const setPath = (target: Draft, path: string, value: unknown) => {
  const keys = keysOf(path)
  let node: Record<string | number, unknown> = target
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      node[key] = value
      return
    }
    const next = keys[index + 1]
    if (node[key] === undefined) node[key] = typeof next === "number" ? [] : {}
    node = node[key] as Record<string | number, unknown>
  })
}

/** The typed value of one field, or undefined when left empty (an absent optional field). */
const parsed = (field: FieldBase & FieldSpec, values: Values): unknown => {
  switch (field.type) {
    case "text": {
      const text = valueOf(values, field.name).trim()
      return text === "" ? undefined : text
    }
    case "textarea": {
      // Browsers send line breaks as CRLF; the record keeps LF.
      const text = valueOf(values, field.name).replace(/\r\n?/g, "\n").trim()
      return text === "" ? undefined : text
    }
    case "date":
    case "select":
    case "radio": {
      const value = valueOf(values, field.name)
      return value === "" ? undefined : value
    }
    case "checkboxes": {
      const list = listOf(values, field.name).filter((v) => v !== "")
      return list.length === 0 ? undefined : list
    }
    case "boolean": {
      const value = valueOf(values, field.name)
      return value === "ja" ? true : value === "nee" ? false : undefined
    }
    case "flag":
      return valueOf(values, field.name) === "ja" ? true : undefined
    default:
      return undefined
  }
}

/** The posted values as the event's fields, and where each row of a list ended up. */
const draftOf = (fields: ReadonlyArray<FieldSpec>, values: Values) => {
  const draft: Draft = {}
  /** For each list: the form row of each item kept (empty rows are left out). */
  const rows = new Map<string, Array<number>>()
  const walk = (list: ReadonlyArray<FieldSpec>) => {
    for (const field of list) {
      if (field.type === "group") walk(field.fields)
      else if (field.type === "rows") {
        const kept: Array<number> = []
        for (let row = 0; row < field.count; row++) {
          const items = field.fields.map(
            (sub) =>
              [sub.name, parsed({ ...sub, name: `${field.name}[${row}].${sub.name}` }, values)] as const,
          )
          if (items.every(([, value]) => value === undefined)) continue
          const at = kept.length
          kept.push(row)
          setPath(draft, `${field.name}[${at}]`, {})
          for (const [name, value] of items)
            if (value !== undefined) setPath(draft, `${field.name}[${at}].${name}`, value)
        }
        rows.set(field.name, kept)
      } else {
        const value = parsed(field, values)
        if (value !== undefined) setPath(draft, field.name, value)
      }
    }
  }
  walk(fields)
  return { draft, rows }
}

/** Every field name of a form with its label (row fields as "Deelnemer 2: Naam"). */
const labelsOf = (fields: ReadonlyArray<FieldSpec>): Record<string, string> => {
  const labels: Record<string, string> = {}
  for (const field of fields) {
    if (field.type === "group") Object.assign(labels, labelsOf(field.fields))
    else if (field.type === "rows") {
      labels[field.name] = field.label
      for (let row = 0; row < field.count; row++)
        for (const sub of field.fields)
          labels[`${field.name}[${row}].${sub.name}`] = `${field.rowLabel} ${row + 1}: ${sub.label}`
    } else labels[field.name] = field.label
  }
  return labels
}

export interface MappedErrors {
  readonly fields: Record<string, string>
  readonly general: Array<string>
}

/**
 * Field paths of a `ValidationError` (the event's own, or `event.…` from the use case) to the
 * form's field names: a kept row's index back to its form row, a path below a field to that field,
 * anything else to the general list. The first message per field counts.
 */
export const mapIssues = (
  issues: ReadonlyArray<Errors.FieldIssue>,
  labels: Readonly<Record<string, string>>,
  rows: ReadonlyMap<string, ReadonlyArray<number>> = new Map(),
): MappedErrors => {
  const names = Object.keys(labels)
  const fields: Record<string, string> = {}
  const general: Array<string> = []
  for (const issue of issues) {
    let path = issue.path.replace(/^event\.?/, "")
    for (const [list, kept] of rows)
      if (path.startsWith(`${list}[`))
        path = path.replace(/^([^[]*)\[(\d+)\]/, (whole, prefix: string, index: string) =>
          prefix === list ? `${list}[${kept[Number(index)] ?? index}]` : whole,
        )
    const below = (name: string) =>
      path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`)
    const name =
      names.filter(below).sort((a, b) => b.length - a.length)[0] ??
      names.find((n) => n.startsWith(`${path}.`) || n.startsWith(`${path}[`))
    if (name === undefined) general.push(issue.message)
    else fields[name] ??= issue.message
  }
  return { fields, general }
}

// ---------------------------------------------------------------------------------------------
// Rendering.

const renderField = (field: FieldSpec, values: Values, errors: FieldErrors, today: string): Child => {
  switch (field.type) {
    case "group":
      return (
        <Fieldset legend={field.label}>
          {field.fields.map((f) => renderField(f, values, errors, today))}
        </Fieldset>
      )
    case "rows":
      return (
        <Fieldset legend={field.label} name={field.name} error={errors[field.name]}>
          {field.description === undefined ? null : <P>{field.description}</P>}
          {Array.from({ length: field.count }, (_, row) => (
            <Fieldset legend={`${field.rowLabel} ${row + 1}`}>
              {field.fields.map((sub) =>
                renderField(
                  {
                    ...sub,
                    name: `${field.name}[${row}].${sub.name}`,
                    required: row === 0 && sub.required === true,
                  } as FieldSpec,
                  values,
                  errors,
                  today,
                ),
              )}
            </Fieldset>
          ))}
        </Fieldset>
      )
    default:
      break
  }
  const common = {
    name: field.name,
    label: field.label,
    description: field.description,
    required: field.required,
    error: errors[field.name],
  }
  switch (field.type) {
    case "text":
      return <TextField {...common} value={valueOf(values, field.name)} maxlength={200} />
    case "textarea":
      return <TextArea {...common} value={valueOf(values, field.name)} maxlength={4000} />
    case "date":
      return <DateField {...common} value={valueOf(values, field.name)} />
    case "select":
      return (
        <SelectField
          {...common}
          options={field.options}
          value={valueOf(values, field.name)}
          placeholder="Kies …"
        />
      )
    case "radio":
      return (
        <ChoiceGroup {...common} type="radio" options={field.options} values={listOf(values, field.name)} />
      )
    case "checkboxes":
      return (
        <ChoiceGroup
          {...common}
          type="checkbox"
          options={field.options}
          values={listOf(values, field.name)}
        />
      )
    case "boolean":
      return (
        <ChoiceGroup
          {...common}
          type="radio"
          options={[
            { value: "ja", label: "Ja" },
            { value: "nee", label: "Nee" },
          ]}
          values={listOf(values, field.name)}
        />
      )
    case "flag":
      return (
        <ChoiceGroup
          {...common}
          type="checkbox"
          options={[{ value: "ja", label: field.option }]}
          values={listOf(values, field.name)}
        />
      )
  }
}

/** Fresh values of a form: facts dated today, nothing else filled in. */
const initialValues = (fields: ReadonlyArray<FieldSpec>, today: string): Values => {
  const values: Record<string, string> = {}
  const walk = (list: ReadonlyArray<FieldSpec>) => {
    for (const field of list) {
      if (field.type === "group") walk(field.fields)
      else if (field.type === "date" && field.fact === true) values[field.name] = today
    }
  }
  walk(fields)
  return values
}

const dossierPath = (caseId: string) => `/dossiers/${caseId}`

const BackLink = (props: { readonly caseId: string }) => (
  <P>
    <a class="utrecht-link" href={dossierPath(props.caseId)}>
      Terug naar het dossier
    </a>
  </P>
)

/** The case as it stands now, for a person whose form was based on an older version. */
const StateSummary = (props: { readonly forms: Forms }) => {
  const state = props.forms.case
  const open = state.actions.filter((a) => a.status === "open").length
  return (
    <section aria-labelledby="stand-kop">
      <h2 class="utrecht-heading-2" id="stand-kop">
        Actuele stand van de casus
      </h2>
      <DataList
        items={[
          ["Leerling", Pupil.displayName(state.referral.pupil.name)],
          ["Status", props.forms.status.label],
          ["Versie", String(state.version)],
          ["Laatst gewijzigd", dutchDateTime(state.lastEventAt)],
          ["Regiehouder", state.regiehouder?.name ?? "nog niet toegewezen"],
          ["Contacten", String(state.contacts.length)],
          ["Overleggen", String(state.meetings.length)],
          ["Afspraken", String(state.agreements.length)],
          ["Open acties", String(open)],
          [
            "Schoolgang",
            state.attendance === undefined
              ? "niet vastgelegd"
              : `${CaseParts.attendanceSituationLabel[state.attendance.situation]} sinds ${dutchDate(state.attendance.since)}`,
          ],
        ]}
      />
    </section>
  )
}

const ConflictNotice = () => (
  <Alert type="warning">
    <div>
      <h2 class="utrecht-heading-2">De casus is intussen gewijzigd</h2>
      <P>
        Iemand anders heeft de casus gewijzigd nadat u dit formulier opende. Er is nog niets opgeslagen. Uw
        invoer staat hieronder nog; bekijk de actuele stand en verstuur het formulier opnieuw als het nog
        klopt.
      </P>
    </div>
  </Alert>
)

interface FormState {
  readonly values: Values
  readonly version: number
  readonly errors?: MappedErrors
  readonly conflict?: boolean
  readonly refused?: ReadonlyArray<string>
}

const EventFormPage = (props: {
  readonly forms: Forms
  readonly form: EventForm
  readonly state: FormState
  readonly csrfToken: string
}) => {
  const { forms, form, state } = props
  const caseId = forms.case.id
  const fields = form.fields(forms)
  const labels = labelsOf(fields)
  const errors = state.errors ?? { fields: {}, general: [] }
  return (
    <>
      <H1>{form.title}</H1>
      <BackLink caseId={caseId} />
      {state.conflict === true ? <ConflictNotice /> : null}
      {state.refused === undefined ? null : (
        <Alert type="error">
          <div>
            <h2 class="utrecht-heading-2">Dit kan zo niet worden vastgelegd</h2>
            <ul class="utrecht-unordered-list">
              {state.refused.map((reason) => (
                <li>{reason}</li>
              ))}
            </ul>
          </div>
        </Alert>
      )}
      <ErrorSummary errors={errors.fields} labels={labels} general={errors.general} />
      {state.conflict === true ? <StateSummary forms={forms} /> : null}
      {/* `novalidate`, as every form here: the Dutch error summary, not the browser's own bubbles. */}
      <form
        method="post"
        action={`${dossierPath(caseId)}/vastleggen/${form.slug}`}
        class="vr-case-form"
        novalidate
      >
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="version" value={String(state.version)} />
        {fields.map((field) => renderField(field, state.values, errors.fields, forms.today))}
        <SubmitButton>Vastleggen</SubmitButton>
      </form>
    </>
  )
}

const IndexPage = (props: { readonly forms: Forms }) => {
  const { forms } = props
  const caseId = forms.case.id
  const allowed = formsAllowed(forms)
  return (
    <>
      <H1>Vastleggen in de casus</H1>
      <BackLink caseId={caseId} />
      <P>
        Status: {forms.status.label}. De werkwijze van de regio bepaalt wat u in deze status kunt vastleggen.
      </P>
      {allowed.length === 0 ? (
        <P>In deze status kunt u niets vastleggen.</P>
      ) : (
        <ul class="utrecht-unordered-list vr-form-index">
          {allowed.map((form) => (
            <li>
              <a class="utrecht-link" href={`${dossierPath(caseId)}/vastleggen/${form.slug}`}>
                {form.title}
              </a>
            </li>
          ))}
        </ul>
      )}
      <h2 class="utrecht-heading-2">Stappen</h2>
      {forms.steps.length === 0 ? (
        <P>Vanuit deze status zijn er geen stappen.</P>
      ) : (
        <ul class="utrecht-unordered-list">
          {forms.steps.map((step) => (
            <li>
              <a class="utrecht-link" href={`${dossierPath(caseId)}/stappen/${step.id}`}>
                {step.label}
              </a>
              {step.allowed ? null : " (kan nog niet)"}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

type Step = Forms["steps"][number]

const stepLabels = (step: Step): Record<string, string> => ({
  ...(step.outcomes.length === 0
    ? {}
    : { "outcome.kind": "Uitkomst", "outcome.description": "Toelichting op de uitkomst" }),
  reason: step.reasonRequired ? "Reden" : "Toelichting",
})

/**
 * A closing step the plug-in allows while help still runs ends that help with the case
 * (`runningInterventionsAtClose: "end"`; with "refuse" the step is not allowed then). The worker
 * reads which, and with what result, before taking it.
 */
const EndsInterventions = (props: { readonly forms: Forms; readonly step: Step }) => {
  const running = runningInterventions(props.forms)
  if (props.step.outcomes.length === 0 || running.length === 0) return null
  return (
    <Alert type="info">
      <div>
        <h2 class="utrecht-heading-2">Lopende interventies eindigen met deze stap</h2>
        <ul class="utrecht-unordered-list vr-ends-interventions">
          {running.map((i) => (
            <li>{i.label}</li>
          ))}
        </ul>
        <P>
          Met de uitkomst "{OUTCOME_LABEL.overgedragen}" worden ze vastgelegd als overgedragen, anders als
          voortijdig gestopt. Is een interventie anders geëindigd? Leg dat dan eerst vast met "Interventie
          beëindigen".
        </P>
      </div>
    </Alert>
  )
}

const StepPage = (props: {
  readonly forms: Forms
  readonly step: Step
  readonly state: FormState
  readonly csrfToken: string
}) => {
  const { forms, step, state } = props
  const caseId = forms.case.id
  const errors = state.errors ?? { fields: {}, general: [] }
  const labels = stepLabels(step)
  const fields: ReadonlyArray<FieldSpec> = [
    ...(step.outcomes.length === 0
      ? []
      : [
          {
            type: "radio",
            name: "outcome.kind",
            label: "Uitkomst",
            required: true,
            options: step.outcomes.map((o) => ({ value: o, label: OUTCOME_LABEL[o] })),
          } as const,
          { type: "textarea", name: "outcome.description", label: "Toelichting op de uitkomst" } as const,
        ]),
    {
      type: "text",
      name: "reason",
      label: labels.reason ?? "Toelichting",
      required: step.reasonRequired,
      ...(step.reasonRequired
        ? { description: "De werkwijze van de regio vraagt bij deze stap een reden." }
        : {}),
    },
  ]
  return (
    <>
      <H1>{step.label}</H1>
      <BackLink caseId={caseId} />
      <P>Huidige status: {forms.status.label}.</P>
      {state.conflict === true ? <ConflictNotice /> : null}
      {state.refused === undefined ? null : (
        <Alert type="error">
          <div>
            <h2 class="utrecht-heading-2">De stap is geweigerd</h2>
            <ul class="utrecht-unordered-list">
              {state.refused.map((reason) => (
                <li>{reason}</li>
              ))}
            </ul>
          </div>
        </Alert>
      )}
      <ErrorSummary errors={errors.fields} labels={labels} general={errors.general} />
      {state.conflict === true ? <StateSummary forms={forms} /> : null}
      {step.allowed ? <EndsInterventions forms={forms} step={step} /> : null}
      {step.allowed ? (
        <form
          method="post"
          action={`${dossierPath(caseId)}/stappen/${step.id}`}
          class="vr-case-form"
          novalidate
        >
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="version" value={String(state.version)} />
          {fields.map((field) => renderField(field, state.values, errors.fields, forms.today))}
          <SubmitButton>Stap zetten</SubmitButton>
        </form>
      ) : (
        <section aria-labelledby="waarom-kop">
          <h2 class="utrecht-heading-2" id="waarom-kop">
            Deze stap kan nog niet
          </h2>
          <ul class="utrecht-unordered-list vr-step-reasons">
            {step.reasons.map((reason) => (
              <li>{reason}</li>
            ))}
          </ul>
          <P>
            <a class="utrecht-link" href={`${dossierPath(caseId)}/vastleggen`}>
              Vastleggen wat nodig is
            </a>
          </P>
        </section>
      )}
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// Routes.

const versionOf = (values: Values): number => {
  const version = Number(valueOf(values, "version"))
  return Number.isInteger(version) && version > 0 ? version : 0
}

/** What the form's POST body holds, as field values (strings, lists for repeated names). */
const valuesOf = async (c: Context): Promise<Values> => {
  const body = await c.req.parseBody({ all: true })
  const values: Record<string, string | Array<string>> = {}
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value)) values[name] = value.filter((v): v is string => typeof v === "string")
    else if (typeof value === "string") values[name] = value
  }
  return values
}

/** A failure of a write, as the form shows it; undefined for the standard pages (404, 403, 500). */
const formFailure = (
  failure: unknown,
  labels: Readonly<Record<string, string>>,
  rows?: ReadonlyMap<string, ReadonlyArray<number>>,
): Pick<FormState, "errors" | "conflict" | "refused"> | undefined => {
  if (typeof failure !== "object" || failure === null || !("_tag" in failure)) return undefined
  switch (failure._tag) {
    case "StaleVersion":
    case "VersionConflict":
      return { conflict: true }
    case "ValidationError":
      return { errors: mapIssues((failure as Errors.ValidationError).issues, labels, rows) }
    case "EventRefused":
      return { refused: [(failure as unknown as { reason: string }).reason] }
    case "TransitionRefused":
      return { refused: (failure as unknown as { reasons: ReadonlyArray<string> }).reasons }
    case "EventRejected":
      return { refused: [(failure as unknown as { rejection: { reason: string } }).rejection.reason] }
    default:
      return undefined
  }
}

const caseIdOf = (c: Context): Ids.CaseId | undefined => {
  const decoded = Schema.decodeUnknownEither(Ids.CaseId)(c.req.param("caseId"))
  return Either.isRight(decoded) ? decoded.right : undefined
}

/** The case's forms for the signed-in caller (signed in here unless given), or the page to answer instead. */
const load = async (
  c: Context,
  kit: PageKit,
  signedIn?: Current,
): Promise<{ current: Current; forms: Forms } | Response> => {
  const current = signedIn ?? (await kit.signedIn(c))
  if (current instanceof Response) return current
  const caseId = caseIdOf(c)
  if (caseId === undefined) return kit.notFound(c, current)
  const exit = await kit.run(current, Cases.forms(caseId))
  if (exit._tag === "Failure") return kit.failure(c, current, exit.cause)
  return { current, forms: exit.value }
}

const StepSchema = Schema.Struct({
  reason: Fields.optional(Text.ShortText),
  outcome: Fields.optional(CaseParts.Outcome),
})

export const dossierFormPages: PageModule = {
  name: "dossierforms",
  prefixes: ["/dossiers"],
  styles: `
.vr-case-form{max-inline-size:48rem}
.vr-form-index li{margin-block-end:.5rem}
`,
  mount: (app, kit) => {
    app.get("/dossiers/:caseId/vastleggen", async (c) => {
      c.set("route", "/dossiers/:caseId/vastleggen")
      const loaded = await load(c, kit)
      if (loaded instanceof Response) return loaded
      return kit.page(
        c,
        loaded.current,
        { title: "Vastleggen in de casus" },
        <IndexPage forms={loaded.forms} />,
      )
    })

    const eventPage = (
      c: Context,
      current: Current,
      forms: Forms,
      form: EventForm,
      state: FormState,
      status: number,
    ) => {
      const failed = state.errors !== undefined || state.refused !== undefined || state.conflict === true
      return kit.page(
        c,
        current,
        { title: failed ? `Fout: ${form.title}` : form.title, status },
        <EventFormPage forms={forms} form={form} state={state} csrfToken={current.session.csrfToken} />,
      )
    }

    /** A kind the plug-in does not allow now: say so, with the way back. */
    const notNow = (c: Context, current: Current, forms: Forms, form: EventForm, status: number) =>
      kit.page(
        c,
        current,
        { title: form.title, status },
        <>
          <H1>{form.title}</H1>
          <BackLink caseId={forms.case.id} />
          <Alert type="warning">
            <P>In de huidige status ({forms.status.label}) kunt u dit niet vastleggen in deze casus.</P>
          </Alert>
        </>,
      )

    app.get("/dossiers/:caseId/vastleggen/:kind", async (c) => {
      c.set("route", "/dossiers/:caseId/vastleggen/:kind")
      const form = EVENT_FORMS.find((f) => f.slug === c.req.param("kind"))
      const loaded = await load(c, kit)
      if (loaded instanceof Response) return loaded
      const { current, forms } = loaded
      if (form === undefined) return kit.notFound(c, current)
      if (!formsAllowed(forms).includes(form)) return notNow(c, current, forms, form, 200)
      return eventPage(
        c,
        current,
        forms,
        form,
        { values: initialValues(form.fields(forms), forms.today), version: forms.case.version },
        200,
      )
    })

    app.post("/dossiers/:caseId/vastleggen/:kind", async (c) => {
      c.set("route", "/dossiers/:caseId/vastleggen/:kind")
      const current = await kit.signedIn(c)
      if (current instanceof Response) return current
      const values = await valuesOf(c)
      if (!kit.formAccepted(c, current, values)) return kit.formRefused(c, current)
      const form = EVENT_FORMS.find((f) => f.slug === c.req.param("kind"))
      const loaded = await load(c, kit, current)
      if (loaded instanceof Response) return loaded
      const { forms } = loaded
      if (form === undefined) return kit.notFound(c, current)
      const version = versionOf(values)
      // The status changed since the form was opened: say so, and keep what was typed.
      if (!formsAllowed(forms).includes(form))
        return eventPage(
          c,
          current,
          forms,
          form,
          {
            values,
            version: forms.case.version,
            conflict: version !== forms.case.version,
            refused: [
              `In de huidige status (${forms.status.label}) kunt u dit niet vastleggen in deze casus.`,
            ],
          },
          409,
        )
      const fields = form.fields(forms)
      const labels = labelsOf(fields)
      const { draft, rows } = draftOf(fields, values)
      form.complete?.(draft, forms)
      const schema = INPUT_SCHEMAS.get(form.tag) as Schema.Schema<unknown, unknown>
      const decoded = Decode.decodeUnknown(schema, "event")({ _tag: form.tag, ...draft })
      if (Either.isLeft(decoded))
        return eventPage(
          c,
          current,
          forms,
          form,
          { values, version, errors: mapIssues(decoded.left.issues, labels, rows) },
          422,
        )
      const exit = await kit.run(
        current,
        Cases.logEvent(forms.case.id, { expectedVersion: version, event: decoded.right as Cases.EventInput }),
      )
      if (exit._tag === "Success")
        return c.redirect(`${dossierPath(forms.case.id)}?vastgelegd=${form.slug}`, 303)
      const shown = formFailure(kit.failureOf(exit), labels, rows)
      if (shown === undefined) return kit.failure(c, current, exit.cause)
      // On a conflict the form carries the version now read, so a second submit is a deliberate one.
      return eventPage(
        c,
        current,
        forms,
        form,
        { values, version: shown.conflict === true ? forms.case.version : version, ...shown },
        shown.errors === undefined ? 409 : 422,
      )
    })

    const stepPage = (
      c: Context,
      current: Current,
      forms: Forms,
      step: Step,
      state: FormState,
      status: number,
    ) => {
      const failed = state.errors !== undefined || state.refused !== undefined || state.conflict === true
      return kit.page(
        c,
        current,
        { title: failed ? `Fout: ${step.label}` : step.label, status },
        <StepPage forms={forms} step={step} state={state} csrfToken={current.session.csrfToken} />,
      )
    }

    const stepOf = (c: Context, kit: PageKit, current: Current, forms: Forms): Step | Response =>
      forms.steps.find((s) => s.id === c.req.param("stepId")) ??
      kit.notFound(c, current, "Deze stap bestaat niet vanuit de huidige status van de casus.")

    app.get("/dossiers/:caseId/stappen/:stepId", async (c) => {
      c.set("route", "/dossiers/:caseId/stappen/:stepId")
      const loaded = await load(c, kit)
      if (loaded instanceof Response) return loaded
      const { current, forms } = loaded
      const step = stepOf(c, kit, current, forms)
      if (step instanceof Response) return step
      return stepPage(c, current, forms, step, { values: {}, version: forms.case.version }, 200)
    })

    app.post("/dossiers/:caseId/stappen/:stepId", async (c) => {
      c.set("route", "/dossiers/:caseId/stappen/:stepId")
      const current = await kit.signedIn(c)
      if (current instanceof Response) return current
      const values = await valuesOf(c)
      if (!kit.formAccepted(c, current, values)) return kit.formRefused(c, current)
      const loaded = await load(c, kit, current)
      if (loaded instanceof Response) return loaded
      const { forms } = loaded
      const step = stepOf(c, kit, current, forms)
      if (step instanceof Response) return step
      const version = versionOf(values)
      const labels = stepLabels(step)
      const outcomeKind = valueOf(values, "outcome.kind")
      const description = valueOf(values, "outcome.description").replace(/\r\n?/g, "\n").trim()
      const reason = valueOf(values, "reason").trim()
      const missing: Record<string, string> = {}
      if (step.outcomes.length > 0 && outcomeKind === "") missing["outcome.kind"] = "kies een uitkomst"
      if (step.reasonRequired && reason === "") missing.reason = "geef een reden op"
      const decoded = Decode.decodeUnknown(
        StepSchema,
        "transition",
      )({
        ...(reason === "" ? {} : { reason }),
        ...(outcomeKind === ""
          ? {}
          : { outcome: { kind: outcomeKind, ...(description === "" ? {} : { description }) } }),
      })
      const issues = Either.isLeft(decoded)
        ? mapIssues(decoded.left.issues, labels)
        : { fields: {}, general: [] }
      const fieldErrors = { ...missing, ...issues.fields }
      if (Either.isLeft(decoded) || Object.keys(missing).length > 0)
        return stepPage(
          c,
          current,
          forms,
          step,
          { values, version, errors: { fields: fieldErrors, general: issues.general } },
          422,
        )
      const input = decoded.right
      const exit = await kit.run(
        current,
        Cases.takeTransition(forms.case.id, {
          expectedVersion: version,
          transition: step.id,
          reason: input.reason,
          outcome: input.outcome,
        }),
      )
      if (exit._tag === "Success") return c.redirect(`${dossierPath(forms.case.id)}?stap=${step.id}`, 303)
      const shown = formFailure(kit.failureOf(exit), labels)
      if (shown === undefined) return kit.failure(c, current, exit.cause)
      return stepPage(
        c,
        current,
        forms,
        step,
        { values, version: shown.conflict === true ? forms.case.version : version, ...shown },
        shown.errors === undefined ? 409 : 422,
      )
    })
  },
}
