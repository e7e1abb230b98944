/**
 * Er op af — Leidschendam-Voorburg. A preventive project: act on the first signals of absence,
 * grijs verzuim included, before a pupil becomes a thuiszitter. A coördinator passend onderwijs,
 * school social worker or leerplichtambtenaar refers; under 16 the parents must consent, from 16
 * they are informed. The SMW verzuim (Schoolformaat) contacts referrer, parents and pupil, visits
 * the pupil at home, involves the school network (jeugdverpleegkundige, leerplichtambtenaar,
 * mentor) and keeps regie until the cause is addressed and school continues.
 *
 * Source: Schoolformaat, "Schoolverzuim" and "Project aanpak schoolverzuim".
 *
 * @since 1.0.0
 */
import { schoolformaatCatalogue } from "@verzuimregie/catalogue-schoolformaat"
import type { Case } from "@verzuimregie/domain"
import { CaseParts, Fields, Text, WorkingDays } from "@verzuimregie/domain"
import {
  Columns,
  type Deadlines as D,
  Deadlines,
  definePlugin,
  Guards,
  type Plugin,
} from "@verzuimregie/plugin-sdk"
import { Schema } from "effect"

export const Settings = Schema.Struct({
  firstContactWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 30)), {
    default: () => 5,
  }).annotations({
    title: "Eerste contact binnen (werkdagen)",
    description: "Werkdagen na aanmelding waarbinnen aanmelder, ouders en leerling gesproken zijn.",
  }),
  homeVisitWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 60)), {
    default: () => 15,
  }).annotations({
    title: "Huisbezoek binnen (werkdagen)",
    description: "Werkdagen na aanmelding waarbinnen de leerling thuis is opgezocht.",
  }),
})
export type Settings = typeof Settings.Type

const NetworkMember = Schema.Literal(
  "mentor",
  "jeugdverpleegkundige",
  "leerplichtambtenaar",
  "ouders",
  "hulpverlening",
)

export const Extension = Schema.Struct({
  grijsVerzuim: Schema.Boolean.annotations({
    title: "Grijs verzuim",
    description: "Elke afwezigheid is verklaard of correct afgemeld, maar het patroon baart zorgen.",
  }),
  besprokenMetOuders: Schema.Boolean.annotations({
    title: "Besproken met ouders",
    description: "Heeft de school het verzuim met de ouders besproken?",
  }),
  signalen: Fields.optional(
    Text.LongText.annotations({
      title: "Signalen",
      description: "Wat ziet de school? Bijvoorbeeld: vaak maandag ziek, somber, conflict thuis.",
    }),
  ),
  betrokken: Schema.optionalWith(Schema.Array(NetworkMember).pipe(Schema.maxItems(5)), {
    default: () => [],
  }).annotations({
    title: "Al betrokken",
    description: "Wie uit het netwerk van de school is al betrokken?",
  }),
}).annotations({ title: "Aanmeldformulier Er op af" })
export type Extension = typeof Extension.Type

const states: ReadonlyArray<Plugin.StateDefinition> = [
  {
    id: "aangemeld",
    label: "Aangemeld",
    description: "Aanmelding ontvangen; regiehouder en toestemming regelen.",
  },
  {
    id: "kennismaking",
    label: "Kennismaking",
    description: "Contact met aanmelder, ouders en leerling om het ondersteuningstraject te starten.",
  },
  {
    id: "traject",
    label: "Ondersteuningstraject",
    description:
      "Gesprekken met alle partijen, huisbezoek, netwerk van school betrekken, acties en hulp inzetten.",
  },
  {
    id: "nazorg",
    label: "Nazorg",
    description: "De schoolgang is hervat; de regiehouder volgt of het zo blijft.",
  },
  {
    id: "afgesloten",
    label: "Afgesloten",
    description: "Oorzaak aangepakt en schoolgang voortgezet.",
    final: true,
  },
  {
    id: "niet-gestart",
    label: "Niet gestart",
    description: "Het traject is niet gestart, bijvoorbeeld zonder toestemming of omdat het niet passend is.",
    final: true,
  },
]

/** The network of the school: mentor, jeugdverpleegkundige and leerplichtambtenaar are involved. */
const schoolNetworkInvolved = Guards.guard<Settings>(
  "het netwerk van school (mentor, jeugdverpleegkundige, leerplichtambtenaar) is betrokken",
  ({ state }) => {
    const wanted = ["mentor", "jeugdverpleegkundige", "leerplichtambtenaar"] as const
    const involved = (role: (typeof wanted)[number]) =>
      state.contacts.some((c) => c.with === role) ||
      state.meetings.some((m) => m.participants.some((p) => p.role === role))
    const missing = wanted.filter((r) => !involved(r))
    return missing.length === 0 ? undefined : `netwerk van school nog niet betrokken: ${missing.join(", ")}`
  },
)

const transitions: ReadonlyArray<Plugin.TransitionDefinition<Settings>> = [
  {
    id: "start-kennismaking",
    label: "Kennismaking starten",
    from: ["aangemeld"],
    to: "kennismaking",
    roles: ["case-worker", "coordinator"],
    guards: [Guards.hasRegiehouder(), Guards.consentInOrder("referral")],
  },
  {
    id: "start-traject",
    label: "Ondersteuningstraject starten",
    from: ["kennismaking"],
    to: "traject",
    roles: ["case-worker", "coordinator"],
    guards: [Guards.intakeDone(), Guards.contactWith(["aanmelder", "ouder", "leerling"])],
  },
  {
    id: "naar-nazorg",
    label: "Schoolgang hervat: nazorg",
    from: ["traject"],
    to: "nazorg",
    roles: ["case-worker", "coordinator"],
    guards: [
      Guards.homeVisitDone(),
      schoolNetworkInvolved,
      Guards.attendanceIs(["naar-school", "gedeeltelijk-naar-school"], "de leerling gaat weer naar school"),
    ],
  },
  {
    id: "terug-naar-traject",
    label: "Terug naar traject",
    from: ["nazorg"],
    to: "traject",
    roles: ["case-worker", "coordinator"],
    guards: [],
  },
  {
    id: "afsluiten",
    label: "Afsluiten",
    from: ["nazorg"],
    to: "afgesloten",
    roles: ["case-worker", "coordinator"],
    // Running interventions: refused for every closing step (runningInterventionsAtClose).
    guards: [
      Guards.noOpenActions(),
      Guards.attendanceIs(["naar-school"], "de leerling gaat volledig naar school"),
    ],
    outcomes: CaseParts.backAtSchoolOutcomes,
  },
  {
    id: "afsluiten-anders",
    label: "Afsluiten om een andere reden",
    from: ["traject", "nazorg"],
    to: "afgesloten",
    roles: ["coordinator"],
    guards: [Guards.noOpenActions()],
    outcomes: ["verhuisd", "vrijstelling", "startkwalificatie", "overgedragen", "anders"],
    reasonRequired: true,
  },
  {
    id: "niet-starten",
    label: "Niet starten",
    from: ["aangemeld", "kennismaking"],
    to: "niet-gestart",
    roles: ["case-worker", "coordinator"],
    guards: [],
    outcomes: ["anders", "verhuisd"],
    reasonRequired: true,
  },
]

/** The last of the first contacts with referrer, parents and pupil: when all three are done. */
const firstContactsDoneOn = (state: Case.CaseState) =>
  Deadlines.contactsDoneOn(state, [state.referral.referrer.role, "ouder", "leerling"])

const deadlines: ReadonlyArray<Plugin.Deadline<Settings>> = [
  {
    id: "eerste-contact",
    label: "Eerste contact met aanmelder, ouders en leerling",
    dueOn: ({ state, settings, calendars }) =>
      WorkingDays.addWorkingDays(calendars, Deadlines.openedOn(state), settings.firstContactWorkingDays),
    metOn: ({ state }) => firstContactsDoneOn(state),
  },
  {
    id: "huisbezoek",
    label: "Leerling thuis opgezocht",
    dueOn: ({ state, settings, calendars }) =>
      WorkingDays.addWorkingDays(calendars, Deadlines.openedOn(state), settings.homeVisitWorkingDays),
    metOn: ({ state }) =>
      state.homeVisits.reduce<D.DeadlineCheck["metOn"]>(
        (a, d) => (a === undefined || d < a ? d : a),
        undefined,
      ),
  },
]

export const plugin = definePlugin<Settings, Extension>({
  manifest: {
    id: "er-op-af",
    name: "Er op af — Leidschendam-Voorburg",
    version: "1.0.0",
    description:
      "Preventieve aanpak van schoolverzuim: de schoolmaatschappelijk werker verzuim van Schoolformaat voert de regie, ook bij grijs verzuim.",
    source: "Schoolformaat: Schoolverzuim / Project aanpak schoolverzuim Leidschendam-Voorburg en Westland",
    municipalities: ["Leidschendam-Voorburg"],
    organisations: [
      { name: "Schoolformaat", kind: "schoolmaatschappelijk-werk" },
      { name: "Gemeente Leidschendam-Voorburg", kind: "gemeente" },
    ],
    contactRoles: ["smw-verzuim"],
  },
  settings: Settings,
  referral: {
    referrerRoles: ["coordinator-passend-onderwijs", "schoolmaatschappelijk-werker", "leerplichtambtenaar"],
    verzuimKinds: ["grijs", "relatief", "ziekteverzuim", "luxe", "langdurig"],
    consentPolicy: "referral",
    consentAlwaysRecorded: false,
    extension: Extension,
    exampleExtension: { grijsVerzuim: true, besprokenMetOuders: true, betrokken: ["mentor"] },
  },
  workflow: { initial: "aangemeld", states, transitions },
  deadlines,
  thresholds: {},
  // Schoolformaat's one offer for Leidschendam-Voorburg and Westland ("Onze hulp").
  catalogue: schoolformaatCatalogue,
  outcomes: [
    "verzuim-opgelost",
    "terug-naar-school",
    "passende-onderwijsplek",
    "onderwijs-zorgarrangement",
    "verhuisd",
    "vrijstelling",
    "startkwalificatie",
    "overgedragen",
    "anders",
  ],
  // The SMW verzuim ends the help she arranged (or records it handed over) before closing.
  runningInterventionsAtClose: "refuse",
  reports: {
    caseColumns: [
      ...Columns.standard<Settings>(states),
      {
        key: "huisbezoek",
        header: "Huisbezoek gedaan",
        kind: "boolean",
        personal: false,
        value: ({ state }) => state.homeVisits.length > 0,
      },
      {
        key: "grijs-verzuim",
        header: "Grijs verzuim",
        kind: "boolean",
        personal: false,
        value: ({ state }) => state.referral.extension.grijsVerzuim === true,
      },
    ],
  },
  demo: {
    staffRole: "smw-verzuim",
    sampleRegion: "leidschendam-voorburg",
    steps: [
      { take: "start-kennismaking", reaches: "kennismaking" },
      {
        take: "start-traject",
        reaches: "traject",
        // A generated history talks with the pupil from age 8 only; Er op af always does.
        prepare: (on) => [{ _tag: "ContactLogged", on, with: "leerling", channel: "gesprek" }],
      },
      {
        take: "naar-nazorg",
        reaches: "nazorg",
        // The school network the region's way of working involves before nazorg.
        prepare: (on) =>
          (["mentor", "jeugdverpleegkundige", "leerplichtambtenaar"] as const).map((role) => ({
            _tag: "ContactLogged" as const,
            on,
            with: role,
            channel: "telefoon" as const,
          })),
      },
    ],
    close: ["afsluiten", "afsluiten-anders"],
  },
})

export default plugin
