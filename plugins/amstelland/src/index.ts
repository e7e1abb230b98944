/**
 * Interventiemodel langdurig verzuim en thuiszitten — Amstelland en de Meerlanden (autumn 2020;
 * a Preventieakkoord of five gemeenten and three samenwerkingsverbanden).
 *
 * Schools report every pupil a month or longer at home (all absence, not only unauthorised) to the
 * Regioloket, directly or via TOP dossier. A melding is *beperkt* (registration only: the Regioloket
 * takes no action, but the pupil is counted and discussed in the quarterly round) or *uitgebreid*
 * (investigate the situation and running interventions; if needed an MDO; help with a TLV). When
 * the process stalls, the doorbraakaanpak: the SWV casemanager calls everyone involved and may
 * convene a doorbraakoverleg in which Leerplicht, GGD, SWV and care each send a mandated person with
 * doorzettingsmacht; its agreements become direct actions. Always with the knowledge and consent of
 * parents and/or pupil. Every quarter the SWV orthopedagogen call the schools about these pupils.
 *
 * Source: SWV Amstelland en de Meerlanden, "Verzuim" and "Aanpak thuiszitters".
 *
 * @since 1.0.0
 */
import { type CaseEvent, Fields, LangdurigVerzuim, LocalDate, Text, WorkingDays } from "@verzuimregie/domain"
import { Columns, Deadlines, definePlugin, Guards, type Plugin, pluginRoute } from "@verzuimregie/plugin-sdk"
import { Schema } from "effect"

export const Settings = Schema.Struct({
  quarterlyReviewMonths: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 6)), {
    default: () => 3,
  }).annotations({
    title: "Kwartaalbespreking elke (maanden)",
    description: "De orthopedagogen bespreken elke leerling met langdurig verzuim met de school.",
  }),
  firstContactWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 30)), {
    default: () => 10,
  }).annotations({
    title: "Eerste contact bij uitgebreide melding binnen (werkdagen)",
    description: "Werkdagen na de melding waarbinnen het Regioloket school en ouders heeft gesproken.",
  }),
})
export type Settings = typeof Settings.Type

export const Extension = Schema.Struct({
  melding: Schema.Literal("beperkt", "uitgebreid").annotations({
    title: "Soort melding",
    description:
      "Beperkt: alleen registratie, het Regioloket onderneemt geen actie. Uitgebreid: het Regioloket denkt en doet mee.",
  }),
  kanaal: Schema.optionalWith(
    Schema.Union(
      Schema.Literal("regioloket").annotations({ title: "Regioloket" }),
      Schema.Literal("top-dossier").annotations({ title: "TOP dossier" }),
    ),
    {
      default: () => "regioloket" as const,
    },
  ).annotations({
    title: "Gemeld via",
    description: "Rechtstreeks bij het Regioloket of via TOP dossier.",
  }),
  gesprekMetOuders: Schema.Boolean.annotations({
    title: "Gesprek met ouders gevoerd",
    description:
      "Bij langdurig of frequent (ziekte)verzuim voert de school altijd een gesprek met de ouders.",
  }),
  besprokenInOndersteuningsteam: Schema.optionalWith(Schema.Boolean, { default: () => false }).annotations({
    title: "Besproken in het ondersteuningsteam",
    description: "Is de leerling besproken in het ondersteuningsteam van de school?",
  }),
  lopendeInterventies: Fields.optional(
    Text.LongText.annotations({
      title: "Lopende interventies",
      description: "Welke hulp of begeleiding loopt er al?",
    }),
  ),
}).annotations({ title: "Melding langdurig verzuim Regioloket" })
export type Extension = typeof Extension.Type

const states: ReadonlyArray<Plugin.StateDefinition> = [
  { id: "gemeld", label: "Gemeld", description: "Melding langdurig verzuim ontvangen door het Regioloket." },
  {
    id: "beperkt",
    label: "Beperkte melding",
    description:
      "Geregistreerd en meegeteld; het Regioloket onderneemt geen actie. Wel in de kwartaalbespreking.",
    allowedEvents: [
      "AttendanceRecorded",
      "ConsentRecorded",
      "ParentsInformed",
      "MeetingHeld",
      "RegiehouderAssigned",
      "ContactLogged",
    ],
  },
  {
    id: "onderzoek",
    label: "Uitgebreid: onderzoek",
    description: "Het Regioloket brengt de situatie en de lopende interventies in kaart.",
  },
  {
    id: "begeleiding",
    label: "Uitgebreid: begeleiding",
    description:
      "Na het MDO: interventies, hulp bij een TLV-aanvraag, meedenken over hervatten van de schoolgang.",
  },
  {
    id: "doorbraakaanpak",
    label: "Doorbraakaanpak",
    description:
      "Het proces is vastgelopen; de casemanager van het SWV brengt met alle betrokkenen de stand van zaken in kaart.",
  },
  {
    id: "uitvoering",
    label: "Afspraken in uitvoering",
    description: "Na het doorbraakoverleg: de afspraken zijn omgezet in directe acties.",
  },
  {
    id: "afgesloten",
    label: "Afgesloten",
    description: "De leerling volgt weer onderwijs of heeft een passende plek.",
    final: true,
  },
  { id: "ingetrokken", label: "Ingetrokken", description: "De melding is ingetrokken.", final: true },
]

const GGD = ["jeugdarts", "jeugdverpleegkundige"] as const
const SWV = ["casemanager-swv", "orthopedagoog-swv"] as const

/** Each institution sends a mandated person with doorzettingsmacht (SWV Amstelland en de Meerlanden, "Verzuim"). */
const doorbraakInstitutions = [
  { name: "Leerplicht", roles: ["leerplichtambtenaar"] },
  { name: "GGD", roles: [...GGD] },
  { name: "SWV", roles: [...SWV] },
  { name: "hulpverlening", roles: ["hulpverlener"] },
] as const

/** "Altijd met medeweten en instemming van de ouders en/of de leerling": consent in force, not withdrawn. */
const registratieAkkoord = Guards.consentGiven<Settings>(["ouders", "leerling"])

const casemanagerHasRegie = Guards.guard<Settings>(
  "de casemanager van het SWV voert de doorbraakaanpak",
  ({ state }) =>
    state.regiehouder?.role === "casemanager-swv"
      ? undefined
      : "de casemanager van het SWV is nog geen regiehouder",
)

/** The kind of melding the school chose on the form (`extension.melding`). */
const meldingIs = (kind: "beperkt" | "uitgebreid") =>
  Guards.guard<Settings>(`de school deed een ${kind}e melding`, ({ state }) =>
    state.referral.extension.melding === kind
      ? undefined
      : `de school deed een ${String(state.referral.extension.melding)}e melding, geen ${kind}e`,
  )

const backAtSchool = Guards.attendanceIs<Settings>(
  ["naar-school", "gedeeltelijk-naar-school"],
  "de leerling volgt weer onderwijs",
)

const closeOutcomes = [
  "terug-naar-school",
  "passende-onderwijsplek",
  "onderwijs-zorgarrangement",
  "vrijstelling",
  "verhuisd",
  "startkwalificatie",
] as const

const transitions: ReadonlyArray<Plugin.TransitionDefinition<Settings>> = [
  {
    id: "registreer-beperkt",
    label: "Registreren als beperkte melding",
    from: ["gemeld"],
    to: "beperkt",
    roles: ["case-worker", "coordinator"],
    guards: [meldingIs("beperkt"), registratieAkkoord],
  },
  {
    id: "start-uitgebreid",
    label: "Uitgebreide melding oppakken",
    from: ["gemeld"],
    to: "onderzoek",
    roles: ["case-worker", "coordinator"],
    // A beperkte melding goes through registreer-beperkt and, when needed, opschalen.
    guards: [meldingIs("uitgebreid"), Guards.hasRegiehouder(), registratieAkkoord],
  },
  {
    id: "opschalen",
    label: "Opschalen naar uitgebreid",
    from: ["beperkt"],
    to: "onderzoek",
    roles: ["case-worker", "coordinator"],
    guards: [Guards.hasRegiehouder(), registratieAkkoord],
  },
  {
    id: "na-mdo",
    label: "MDO gehouden: begeleiding",
    from: ["onderzoek"],
    to: "begeleiding",
    roles: ["case-worker", "coordinator"],
    guards: [Guards.contactWith(["aanmelder", "ouder"]), Guards.meetingWithReport("mdo")],
  },
  {
    id: "start-doorbraakaanpak",
    label: "Doorbraakaanpak starten",
    from: ["onderzoek", "begeleiding", "uitvoering"],
    to: "doorbraakaanpak",
    roles: ["case-worker", "coordinator"],
    guards: [casemanagerHasRegie],
  },
  {
    id: "na-doorbraakoverleg",
    label: "Doorbraakoverleg gehouden: afspraken uitvoeren",
    from: ["doorbraakaanpak"],
    to: "uitvoering",
    roles: ["case-worker", "coordinator"],
    guards: [
      Guards.meetingWithReport("doorbraakoverleg"),
      Guards.mandatedAttendance("doorbraakoverleg", doorbraakInstitutions),
      Guards.agreementsHaveActions("doorbraakoverleg"),
    ],
  },
  {
    id: "afsluiten",
    label: "Afsluiten: leerling volgt weer onderwijs",
    from: ["beperkt", "onderzoek", "begeleiding", "uitvoering"],
    to: "afgesloten",
    roles: ["case-worker", "coordinator"],
    guards: [Guards.noOpenActions(), backAtSchool],
    outcomes: [...closeOutcomes],
  },
  {
    id: "intrekken",
    label: "Melding intrekken",
    from: ["gemeld", "beperkt", "onderzoek"],
    to: "ingetrokken",
    roles: ["coordinator"],
    guards: [Guards.noOpenActions()],
    outcomes: ["anders", "verhuisd"],
    reasonRequired: true,
  },
]

/** The last quarterly review, or the date of the melding when none was held yet. */
const lastReviewOn = (state: Parameters<Plugin.Deadline<Settings>["dueOn"]>[0]["state"]) =>
  state.meetings
    .filter((m) => m.kind === "kwartaalbespreking")
    .reduce((last, m) => LocalDate.max(last, m.heldOn), Deadlines.openedOn(state))

const deadlines: ReadonlyArray<Plugin.Deadline<Settings>> = [
  {
    id: "kwartaalbespreking",
    label: "Kwartaalbespreking door de orthopedagoog met de school",
    dueOn: ({ state, settings }) => LocalDate.addMonths(lastReviewOn(state), settings.quarterlyReviewMonths),
    // Each review moves the next due date; the deadline is never "met" for good while the case runs.
    metOn: () => undefined,
  },
  {
    id: "eerste-contact",
    label: "Eerste contact met school en ouders (uitgebreide melding)",
    dueOn: ({ state, settings, calendars }) =>
      state.referral.extension.melding === "uitgebreid"
        ? WorkingDays.addWorkingDays(calendars, Deadlines.openedOn(state), settings.firstContactWorkingDays)
        : undefined,
    metOn: ({ state }) => Deadlines.contactsDoneOn(state, [state.referral.referrer.role, "ouder"]),
  },
]

/** A beperkt melding takes no action: only the quarterly review is held. */
const checkEvent = (
  { state }: Plugin.CaseContext<Settings>,
  event: CaseEvent.CaseEvent,
): string | undefined =>
  state.status === "beperkt" && event._tag === "MeetingHeld" && event.meeting.kind !== "kwartaalbespreking"
    ? "bij een beperkte melding onderneemt het Regioloket geen actie; schaal eerst op naar uitgebreid"
    : undefined

/** How a school reports to the Regioloket: the two kinds of melding and the channels (SWV Amstelland en de Meerlanden, "Verzuim"). */
export const Meldformulier = Schema.Struct({
  meldingen: Schema.Array(
    Schema.Struct({
      melding: Schema.Literal("beperkt", "uitgebreid"),
      uitleg: Schema.String.annotations({ description: "Wat het Regioloket met deze melding doet." }),
    }),
  ),
  kanalen: Schema.Array(Schema.Literal("regioloket", "top-dossier")).annotations({
    description: "Waar de school meldt: rechtstreeks bij het Regioloket of via TOP dossier.",
  }),
  voorwaarde: Schema.String.annotations({ description: "Wanneer de school meldt." }),
}).annotations({ identifier: "AmstellandMeldformulier", title: "Meldformulier Regioloket" })

const meldformulier: typeof Meldformulier.Type = {
  meldingen: [
    {
      melding: "beperkt",
      uitleg:
        "Registratie: de leerling wordt meegeteld en besproken in de kwartaalronde; het Regioloket onderneemt geen actie.",
    },
    {
      melding: "uitgebreid",
      uitleg:
        "Het Regioloket onderzoekt de situatie en lopende interventies, organiseert zo nodig een MDO of doorbraakoverleg en helpt bij een TLV-aanvraag.",
    },
  ],
  kanalen: ["regioloket", "top-dossier"],
  voorwaarde: "Langdurig verzuim: een maand of langer thuis, alle verzuim (niet alleen ongeoorloofd).",
}

export const plugin = definePlugin<Settings, Extension>({
  manifest: {
    id: "amstelland",
    name: "Interventiemodel langdurig verzuim en thuiszitten — Amstelland en de Meerlanden",
    version: "1.0.0",
    description:
      "Scholen melden langdurig verzuim bij het Regioloket (beperkt of uitgebreid); MDO, doorbraakaanpak met de casemanager van het SWV en doorbraakoverleg met gemandateerden.",
    source: "Samenwerkingsverband VO Amstelland en de Meerlanden: Verzuim; Aanpak thuiszitters (najaar 2020)",
    municipalities: ["Haarlemmermeer", "Aalsmeer", "Amstelveen", "Uithoorn", "Ouder-Amstel"],
    organisations: [
      { name: "Gemeente Haarlemmermeer", kind: "gemeente" },
      { name: "Gemeente Aalsmeer", kind: "gemeente" },
      { name: "Gemeente Amstelveen", kind: "gemeente" },
      { name: "Gemeente Uithoorn", kind: "gemeente" },
      { name: "Gemeente Ouder-Amstel", kind: "gemeente" },
      { name: "PO Samenwerkingsverband Passend Onderwijs Haarlemmermeer", kind: "samenwerkingsverband" },
      { name: "PO Samenwerkingsverband Amstelronde", kind: "samenwerkingsverband" },
      { name: "VO Samenwerkingsverband Amstelland en de Meerlanden", kind: "samenwerkingsverband" },
      { name: "Regioloket", kind: "regioloket" },
    ],
    contactRoles: ["regioloket", "casemanager-swv", "orthopedagoog-swv"],
  },
  settings: Settings,
  referral: {
    referrerRoles: ["coordinator-passend-onderwijs", "mentor", "teamleider"],
    // The Regioloket keeps one dossier per pupil: a further melding while it is open is added to it.
    whenAlreadyOpen: "link",
    verzuimKinds: ["langdurig", "relatief", "ziekteverzuim", "absoluut"],
    consentPolicy: "referral",
    consentAlwaysRecorded: true,
    extension: Extension,
    exampleExtension: { melding: "uitgebreid", gesprekMetOuders: true },
    check: (submission, { on }) => {
      const since = submission.absence.since
      if (since === undefined) {
        return [
          { path: "absence.since", message: "vul in sinds wanneer de leerling thuiszit (langdurig verzuim)" },
        ]
      }
      return LangdurigVerzuim.isLangdurigVerzuimAmstelland(since, on)
        ? []
        : [
            {
              path: "absence.since",
              message: "langdurig verzuim is een maand of langer thuis; nog geen maand",
            },
          ]
    },
  },
  workflow: { initial: "gemeld", states, transitions },
  deadlines,
  thresholds: {},
  catalogue: [
    {
      code: "tlv-aanvraag",
      label: "Ondersteuning bij TLV-aanvraag",
      description: "Hulp bij het aanvragen van een toelaatbaarheidsverklaring.",
    },
    {
      code: "verzuimcoach",
      label: "Verzuimcoach",
      description:
        "Onafhankelijke coach (Scala Onderwijsadvies, via het Onderwijsloket) brengt de leerling weer in beweging.",
    },
    {
      code: "onderwijs-zorgarrangement",
      label: "Onderwijs-zorgarrangement",
      description: "Maatwerk van onderwijs en zorg voor een (dreigende) thuiszitter.",
    },
    {
      code: "herstart-schoolgang",
      label: "Plan hervatten schoolgang",
      description: "Opbouwplan met school voor de terugkeer.",
    },
    { code: "jeugdhulp", label: "Jeugdhulp", description: "Jeugdhulp via de gemeente." },
    {
      code: "ggz-behandeling",
      label: "GGZ-behandeling",
      description: "Behandeling in de geestelijke gezondheidszorg.",
    },
  ],
  outcomes: [...closeOutcomes, "anders"],
  // The Regioloket closes only when the help it arranged has ended or been handed on explicitly.
  runningInterventionsAtClose: "refuse",
  reports: {
    caseColumns: [
      ...Columns.standard<Settings>(states),
      {
        key: "melding",
        header: "Melding",
        kind: "text",
        personal: false,
        value: ({ state }) => String(state.referral.extension.melding ?? ""),
      },
      {
        key: "doorbraakoverleg",
        header: "Doorbraakoverleg gehouden",
        kind: "boolean",
        personal: false,
        value: ({ state }) => state.meetings.some((m) => m.kind === "doorbraakoverleg"),
      },
      {
        key: "laatste-kwartaalbespreking",
        header: "Laatste kwartaalbespreking",
        kind: "date",
        personal: false,
        value: ({ state }) =>
          state.meetings
            .filter((m) => m.kind === "kwartaalbespreking")
            .reduce<LocalDate.LocalDate | undefined>(
              (last, m) => (last === undefined || m.heldOn > last ? m.heldOn : last),
              undefined,
            ),
      },
    ],
  },
  checkEvent,
  routes: [
    pluginRoute({
      path: "/meldformulier",
      summary: "Hoe een school langdurig verzuim meldt bij het Regioloket",
      description:
        "De twee soorten melding (beperkt en uitgebreid) met wat het Regioloket bij elk doet, de kanalen om te melden en wanneer een melding nodig is. Voor gebruikers van de regio.",
      response: Meldformulier,
      answer: () => meldformulier,
    }),
  ],
  demo: {
    staffRole: "casemanager-swv",
    sampleRegion: "amstelland-meerlanden",
    steps: [
      { take: "start-uitgebreid", reaches: "onderzoek" },
      { take: "na-mdo", reaches: "begeleiding" },
    ],
    close: ["afsluiten", "intrekken"],
  },
})

export default plugin
