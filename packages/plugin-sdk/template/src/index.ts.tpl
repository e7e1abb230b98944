/**
 * __NAME__ — regional workflow for verzuimregie.
 *
 * Scaffolded by verzuimregie-create-plugin. Replace the example workflow with the region's own way
 * of working: who may refer, the extra referral fields, the states and what each transition
 * requires, deadlines, the help catalogue, the report columns and the demo course. Keep the
 * conformance suite green, and regenerate the README (`pnpm plugin-readme`) when this file changes.
 *
 * @since 0.1.0
 */
import { Text, WorkingDays } from "@verzuimregie/domain"
import { Columns, Deadlines, definePlugin, Guards, type Plugin } from "@verzuimregie/plugin-sdk"
import { Schema } from "effect"

/** The region's settings; every field needs a default so the region can enable the plug-in as is. */
export const Settings = Schema.Struct({
  firstContactWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 30)), { default: () => 5 }).annotations({
    title: "Eerste contact binnen (werkdagen)",
    description: "Werkdagen na aanmelding waarbinnen aanmelder, ouders en leerling gesproken zijn.",
  }),
})
export type Settings = typeof Settings.Type

/** The region's extra referral fields; a Dutch title and help text on each, for the form. */
export const Extension = Schema.Struct({
  hulpvraag: Text.LongText.annotations({
    title: "Hulpvraag",
    description: "Wat is er volgens de aanmelder nodig?",
  }),
}).annotations({ title: "Aanmelding __NAME__" })
export type Extension = typeof Extension.Type

const states: ReadonlyArray<Plugin.StateDefinition> = [
  { id: "aangemeld", label: "Aangemeld", description: "Aanmelding ontvangen." },
  { id: "in-behandeling", label: "In behandeling", description: "De regiehouder voert de regie." },
  { id: "afgesloten", label: "Afgesloten", description: "De leerling gaat weer naar school.", final: true },
]

const transitions: ReadonlyArray<Plugin.TransitionDefinition<Settings>> = [
  {
    id: "oppakken",
    label: "Oppakken",
    from: ["aangemeld"],
    to: "in-behandeling",
    roles: ["case-worker", "coordinator"],
    guards: [Guards.hasRegiehouder(), Guards.consentInOrder("referral")],
  },
  {
    id: "afsluiten",
    label: "Afsluiten",
    from: ["in-behandeling"],
    to: "afgesloten",
    roles: ["case-worker", "coordinator"],
    guards: [
      Guards.contactWith(["aanmelder", "ouder", "leerling"]),
      Guards.noOpenActions(),
      Guards.attendanceIs(["naar-school"], "de leerling gaat volledig naar school"),
    ],
    outcomes: ["terug-naar-school", "verzuim-opgelost"],
  },
]

export const plugin = definePlugin<Settings, Extension>({
  manifest: {
    id: "__ID__",
    name: "__NAME__",
    version: "0.1.0",
    description: "Regionale aanpak van schoolverzuim in __MUNICIPALITY__.",
    municipalities: ["__MUNICIPALITY__"],
    organisations: [{ name: "Gemeente __MUNICIPALITY__", kind: "gemeente" }],
    contactRoles: ["leerplichtambtenaar"],
  },
  settings: Settings,
  referral: {
    referrerRoles: ["coordinator-passend-onderwijs", "leerplichtambtenaar"],
    consentPolicy: "referral",
    consentAlwaysRecorded: false,
    extension: Extension,
    exampleExtension: { hulpvraag: "De leerling is vaak afwezig; de school wil weten wat er speelt." },
  },
  workflow: { initial: "aangemeld", states, transitions },
  deadlines: [
    {
      id: "eerste-contact",
      label: "Eerste contact met de aanmelder",
      dueOn: ({ state, settings, calendars }) =>
        WorkingDays.addWorkingDays(calendars, Deadlines.openedOn(state), settings.firstContactWorkingDays),
      metOn: ({ state }) => state.contacts.find((c) => c.with === state.referral.referrer.role)?.on,
    },
  ],
  thresholds: {},
  catalogue: [{ code: "gesprekken", label: "Gesprekken", description: "Gesprekken met leerling en ouders." }],
  outcomes: ["terug-naar-school", "verzuim-opgelost"],
  // "refuse": closing waits until every intervention has ended; "end": closing ends them.
  runningInterventionsAtClose: "refuse",
  reports: { caseColumns: Columns.standard<Settings>(states) },
  // How the demo walks a synthetic case through this workflow: the transitions in order, then how
  // it closes. The conformance suite replays generated histories with it.
  demo: {
    staffRole: "leerplichtambtenaar",
    steps: [{ take: "oppakken", reaches: "in-behandeling" }],
    close: ["afsluiten"],
    // A generated history talks with the pupil from age 8 only; closing here needs that contact.
    prepareClose: (on) => [{ _tag: "ContactLogged", on, with: "leerling", channel: "gesprek" }],
  },
})

export default plugin
