/**
 * Schoolverzuim — Westland. The school, Leerplicht or the JGZ refers a pupil to the specialised
 * school social worker for absence (SMW verzuim; one per municipality, employed by Schoolformaat).
 * She is the spider in the web: brings in the right first-line professional, arranges specialist
 * help from the catalogue, and stays the point of contact until the case is clearly placed with
 * another party — and tells the referrer so.
 *
 * Source: Schoolformaat, "Project aanpak schoolverzuim Leidschendam-Voorburg en het Westland" and
 * "Onze hulp".
 *
 * @since 1.0.0
 */
import { schoolformaatCatalogue } from "@verzuimregie/catalogue-schoolformaat"
import { CaseParts, Party, Text, WorkingDays } from "@verzuimregie/domain"
import { Columns, Deadlines, definePlugin, Guards, type Plugin } from "@verzuimregie/plugin-sdk"
import { Schema } from "effect"

export const Settings = Schema.Struct({
  firstContactWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 30)), {
    default: () => 5,
  }).annotations({
    title: "Eerste contact binnen (werkdagen)",
    description: "Werkdagen na aanmelding waarbinnen aanmelder, ouders en leerling gesproken zijn.",
  }),
  referrerFeedbackWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 30)), {
    default: () => 5,
  }).annotations({
    title: "Terugkoppeling aan aanmelder binnen (werkdagen)",
    description: "Werkdagen na een overdracht waarbinnen de aanmelder is geïnformeerd.",
  }),
})
export type Settings = typeof Settings.Type

export const Extension = Schema.Struct({
  // Each choice with its own title: the web form shows it as the choice's label.
  aanmeldendeInstantie: Schema.Union(
    Schema.Literal("school").annotations({ title: "School" }),
    Schema.Literal("leerplicht").annotations({ title: "Leerplicht" }),
    Schema.Literal("jgz").annotations({ title: "Jeugdgezondheidszorg (JGZ)" }),
  ).annotations({
    title: "Aanmeldende instantie",
    description: "School, Leerplicht of de jeugdgezondheidszorg (JGZ).",
  }),
  hulpvraag: Text.LongText.annotations({
    title: "Hulpvraag",
    description: "Wat is er volgens de aanmelder nodig? Wat is er aan de hand?",
  }),
  gemeente: Schema.Literal("Westland").annotations({
    title: "Gemeente",
    description: "Per gemeente is er één schoolmaatschappelijk werker verzuim.",
  }),
}).annotations({ title: "Aanmelding schoolverzuim Westland" })
export type Extension = typeof Extension.Type

/** The titles of the choices of `aanmeldendeInstantie`, for the messages a person reads. */
const INSTANTIE_LABEL: Readonly<Record<Extension["aanmeldendeInstantie"], string>> = {
  school: "School",
  leerplicht: "Leerplicht",
  jgz: "Jeugdgezondheidszorg (JGZ)",
}

const states: ReadonlyArray<Plugin.StateDefinition> = [
  { id: "aangemeld", label: "Aangemeld", description: "Aanmelding ontvangen door de SMW verzuim." },
  {
    id: "regie",
    label: "Regie",
    description:
      "De SMW verzuim brengt in kaart wat er speelt, spreekt alle partijen en schakelt de eerste lijn in.",
  },
  {
    id: "hulp-ingezet",
    label: "Hulp ingezet",
    description: "Specialistische hulp loopt; de SMW verzuim blijft regiehouder en aanspreekpunt.",
  },
  {
    id: "overgedragen",
    label: "Overgedragen",
    description: "De regie is helder belegd bij een andere partij en de aanmelder is geïnformeerd.",
    final: true,
  },
  {
    id: "afgesloten",
    label: "Afgesloten",
    description: "Het verzuim is opgelost; de schoolgang loopt.",
    final: true,
  },
  {
    id: "niet-gestart",
    label: "Niet gestart",
    description: "De aanmelding leidde niet tot een traject.",
    final: true,
  },
]

/** One SMW verzuim per municipality holds the regie (Schoolformaat, "Project aanpak schoolverzuim"). */
const regieBySmwVerzuim = Guards.guard<Settings>(
  "de schoolmaatschappelijk werker verzuim van de gemeente voert de regie",
  ({ state }) =>
    state.regiehouder === undefined
      ? "nog geen regiehouder"
      : state.regiehouder.role === "smw-verzuim"
        ? undefined
        : "de regie ligt bij de schoolmaatschappelijk werker verzuim",
)

const transitions: ReadonlyArray<Plugin.TransitionDefinition<Settings>> = [
  {
    id: "start-regie",
    label: "Regie oppakken",
    from: ["aangemeld"],
    to: "regie",
    roles: ["case-worker", "coordinator"],
    guards: [regieBySmwVerzuim, Guards.consentInOrder("referral")],
  },
  {
    id: "hulp-inzetten",
    label: "Specialistische hulp ingezet",
    from: ["regie"],
    to: "hulp-ingezet",
    roles: ["case-worker", "coordinator"],
    guards: [Guards.contactWith(["aanmelder", "ouder", "leerling"]), Guards.interventionStarted()],
  },
  {
    id: "overdragen",
    label: "Regie overdragen",
    from: ["regie", "hulp-ingezet"],
    to: "overgedragen",
    roles: ["case-worker", "coordinator"],
    guards: [Guards.handedOverAndReferrerInformed(), Guards.noOpenActions()],
    outcomes: ["overgedragen"],
  },
  {
    id: "afsluiten",
    label: "Afsluiten: schoolgang loopt",
    from: ["regie", "hulp-ingezet"],
    to: "afgesloten",
    roles: ["case-worker", "coordinator"],
    guards: [
      Guards.noOpenActions(),
      Guards.noRunningInterventions(),
      Guards.attendanceIs(["naar-school"], "de leerling gaat volledig naar school"),
    ],
    outcomes: CaseParts.backAtSchoolOutcomes,
  },
  {
    id: "afsluiten-anders",
    label: "Afsluiten om een andere reden",
    from: ["regie", "hulp-ingezet"],
    to: "afgesloten",
    roles: ["coordinator"],
    guards: [Guards.noOpenActions()],
    outcomes: ["verhuisd", "vrijstelling", "startkwalificatie", "anders"],
    reasonRequired: true,
  },
  {
    id: "niet-starten",
    label: "Niet starten",
    from: ["aangemeld"],
    to: "niet-gestart",
    roles: ["case-worker", "coordinator"],
    guards: [],
    outcomes: ["anders", "verhuisd"],
    reasonRequired: true,
  },
]

const deadlines: ReadonlyArray<Plugin.Deadline<Settings>> = [
  {
    id: "eerste-contact",
    label: "Eerste contact met aanmelder, ouders en leerling",
    dueOn: ({ state, settings, calendars }) =>
      WorkingDays.addWorkingDays(calendars, Deadlines.openedOn(state), settings.firstContactWorkingDays),
    metOn: ({ state }) =>
      Deadlines.contactsDoneOn(state, [state.referral.referrer.role, "ouder", "leerling"]),
  },
  {
    id: "terugkoppeling-overdracht",
    label: "Aanmelder geïnformeerd over de overdracht",
    dueOn: ({ state, settings, calendars }) => {
      const last = state.handovers.at(-1)
      return last === undefined
        ? undefined
        : WorkingDays.addWorkingDays(calendars, last.on, settings.referrerFeedbackWorkingDays)
    },
    metOn: ({ state }) => state.handovers.at(-1)?.referrerInformedOn,
  },
]

export const plugin = definePlugin<Settings, Extension>({
  manifest: {
    id: "westland",
    name: "Schoolverzuim Westland",
    version: "1.0.0",
    description:
      "De schoolmaatschappelijk werker verzuim van de gemeente voert de regie, zet hulp in en blijft aanspreekpunt tot de zorg helder elders belegd is.",
    source: "Schoolformaat: Project aanpak schoolverzuim Leidschendam-Voorburg en het Westland; Onze hulp",
    municipalities: ["Westland"],
    organisations: [
      { name: "Schoolformaat", kind: "schoolmaatschappelijk-werk" },
      { name: "Gemeente Westland", kind: "gemeente" },
    ],
    contactRoles: ["smw-verzuim"],
  },
  settings: Settings,
  referral: {
    referrerRoles: [
      "coordinator-passend-onderwijs",
      "mentor",
      "teamleider",
      "leerplichtambtenaar",
      "jeugdarts",
      "jeugdverpleegkundige",
    ],
    // A second referral while the case is open is refused: the school talks to the regiehouder.
    whenAlreadyOpen: "refuse",
    consentPolicy: "referral",
    consentAlwaysRecorded: false,
    extension: Extension,
    exampleExtension: {
      aanmeldendeInstantie: "school",
      hulpvraag: "Leerling is vaak afwezig; school weet niet wat er speelt.",
      gemeente: "Westland",
    },
    check: (submission) => {
      const instantie = submission.extension.aanmeldendeInstantie
      const role = submission.referrer.role
      const expected =
        role === "leerplichtambtenaar"
          ? "leerplicht"
          : role === "jeugdarts" || role === "jeugdverpleegkundige"
            ? "jgz"
            : "school"
      return instantie === undefined || instantie === expected
        ? []
        : [
            {
              path: "extension.aanmeldendeInstantie",
              message: `past niet bij de rol van de aanmelder, ${Party.partyRoleInSentence(role)}: verwacht ${INSTANTIE_LABEL[expected]}`,
            },
          ]
    },
  },
  workflow: { initial: "aangemeld", states, transitions },
  deadlines,
  thresholds: {},
  // Schoolformaat's one offer for Westland and Leidschendam-Voorburg.
  catalogue: schoolformaatCatalogue,
  outcomes: [
    "overgedragen",
    "verzuim-opgelost",
    "terug-naar-school",
    "passende-onderwijsplek",
    "onderwijs-zorgarrangement",
    "verhuisd",
    "vrijstelling",
    "startkwalificatie",
    "anders",
  ],
  // Help she arranged continues with the party the regie is handed to: a closing step records
  // each running intervention as ended (overgedragen on a handover), so none is left running.
  runningInterventionsAtClose: "end",
  reports: {
    caseColumns: [
      ...Columns.standard<Settings>(states),
      {
        key: "aanmeldende-instantie",
        header: "Aanmeldende instantie",
        kind: "text",
        personal: false,
        value: ({ state }) => String(state.referral.extension.aanmeldendeInstantie ?? ""),
      },
      {
        key: "hulp",
        header: "Ingezette hulp",
        kind: "text",
        personal: false,
        value: ({ state }) => state.interventions.map((i) => i.label).join(", "),
      },
      {
        key: "overgedragen-aan",
        header: "Overgedragen aan",
        kind: "text",
        personal: false,
        value: ({ state }) => state.handovers.at(-1)?.to.name,
      },
    ],
  },
  demo: {
    staffRole: "smw-verzuim",
    sampleRegion: "westland",
    steps: [
      { take: "start-regie", reaches: "regie" },
      {
        take: "hulp-inzetten",
        reaches: "hulp-ingezet",
        // A generated history talks with the pupil from age 8 only; Westland always does.
        prepare: (on) => [{ _tag: "ContactLogged", on, with: "leerling", channel: "gesprek" }],
      },
    ],
    close: ["afsluiten", "overdragen", "afsluiten-anders"],
  },
})

export default plugin
