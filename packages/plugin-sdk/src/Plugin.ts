/**
 * The contract of a regional plug-in: data plus pure functions. A plug-in says who may refer and
 * what a referral must hold, which workflow states and transitions the region uses and what each
 * transition requires, its deadlines and thresholds, its help catalogue and closing outcomes, the
 * columns of its reports, a demo course, and optionally read-only routes of the region.
 *
 * A plug-in is declared with {@link definePlugin}; the distribution lists the plug-ins it ships
 * in one registry file, and a region configuration enables one per region.
 *
 * @since 0.1.0
 */
import type {
  AbsenceSignal,
  Access,
  Case,
  CaseEvent,
  CaseParts,
  ConsentRequirement,
  LocalDate,
  Mazl,
  Party,
  Referral,
  ReportingDuty,
  SchoolCalendar,
  Thuiszitterspact,
} from "@verzuimregie/domain"
import { Fields, Ids, Organisation } from "@verzuimregie/domain"
import type { SampleRegionId } from "@verzuimregie/domain/sample"
import { Schema } from "effect"
import type { EventInput } from "./Fixtures.js"

/** Semantic version of a plug-in (`1.0.0`). */
export const Version = Schema.String.pipe(
  Schema.pattern(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, { message: () => "verwacht een versie zoals 1.0.0" }),
)

/** Who a plug-in serves; validated when the plug-in loads. */
export const PluginManifest = Schema.Struct({
  id: Ids.PluginId,
  name: Schema.NonEmptyTrimmedString,
  version: Version,
  description: Schema.NonEmptyTrimmedString,
  /** The public text the workflow follows, for the plug-in's documentation. */
  source: Fields.optional(Schema.String),
  municipalities: Schema.NonEmptyArray(Schema.NonEmptyTrimmedString),
  organisations: Schema.Array(
    Schema.Struct({ name: Schema.NonEmptyTrimmedString, kind: Organisation.OrganisationKind }),
  ),
  /** The roles the region's contact persons hold (who a referrer can call). */
  contactRoles: Schema.NonEmptyArray(Schema.String),
}).annotations({ identifier: "PluginManifest" })
export type PluginManifest = typeof PluginManifest.Type

/** What every guard, deadline and column sees. */
export interface PluginContext<Settings> {
  /** The reference date (peildatum): today in Europe/Amsterdam in production, fixed in tests. */
  readonly on: LocalDate.LocalDate
  readonly settings: Settings
  readonly calendars: SchoolCalendar.Calendars
}

export interface CaseContext<Settings> extends PluginContext<Settings> {
  readonly state: Case.CaseState
}

/**
 * A requirement of a transition. `check` returns the reason it is not met, in Dutch, for the
 * person who tried ("ouders nog niet geïnformeerd", "geen MDO-verslag"), or `undefined`.
 */
export interface Guard<Settings> {
  /** What the guard requires, in Dutch, for documentation and for the UI before anyone tries. */
  readonly requires: string
  readonly check: (ctx: CaseContext<Settings>) => string | undefined
}

export interface StateDefinition {
  readonly id: CaseEvent.StatusId
  /** Dutch label for lists and screens. */
  readonly label: string
  readonly description: string
  /** A final state closes the case; it has no way out. */
  readonly final?: boolean
  /**
   * Events a case worker may log in this state. Default: every event. Transition events
   * (`StatusChanged`, `CaseClosed`), `ReferralReceived` and `ReferralLinked` are never logged directly.
   */
  readonly allowedEvents?: ReadonlyArray<CaseEvent.CaseEventTag>
}

export interface TransitionDefinition<Settings> {
  readonly id: string
  readonly label: string
  readonly from: ReadonlyArray<CaseEvent.StatusId>
  readonly to: CaseEvent.StatusId
  /** Users holding one of these roles may take the transition. */
  readonly roles: ReadonlyArray<Access.UserRole>
  readonly guards: ReadonlyArray<Guard<Settings>>
  /** Present on transitions into a final state: the outcomes a case may close with. */
  readonly outcomes?: ReadonlyArray<CaseParts.OutcomeKind>
  /**
   * The step asks for a reason (a refusal such as `niet-starten`, a withdrawal): without one it is
   * refused; the reason is kept in the event (and in `state.closed.reason` when the step closes).
   */
  readonly reasonRequired?: boolean
}

/**
 * What a step into a final state does with interventions that still run:
 * - `"refuse"`: the step is refused, with the reason, until each one is ended;
 * - `"end"`: the step ends them in the same event (`CaseClosed.endsInterventions`), with result
 *   `overgedragen` when the case is handed over and `voortijdig-gestopt` otherwise.
 * Either way a closed case has no running intervention that nobody can end any more.
 */
export type RunningInterventionsAtClose = "refuse" | "end"

export interface Workflow<Settings> {
  readonly initial: CaseEvent.StatusId
  readonly states: ReadonlyArray<StateDefinition>
  readonly transitions: ReadonlyArray<TransitionDefinition<Settings>>
}

/**
 * A deadline on a case: due on a date computed from the case (undefined: does not apply), met on
 * the date `metOn` returns. Overdue and due-soon deadlines become signals.
 */
export interface Deadline<Settings> {
  readonly id: string
  /** Dutch label: "Eerste contact met aanmelder, ouders en leerling". */
  readonly label: string
  readonly dueOn: (ctx: CaseContext<Settings>) => LocalDate.LocalDate | undefined
  readonly metOn: (ctx: CaseContext<Settings>) => LocalDate.LocalDate | undefined
}

/** One entry of the region's help catalogue (interventions a case can bring in). */
export interface CatalogueEntry {
  readonly code: string
  readonly label: string
  readonly description: string
  readonly minAge?: number
  readonly maxAge?: number
}

export type CellValue = string | number | boolean | LocalDate.LocalDate | undefined

/** A column of the region's case list export. */
export interface ReportColumn<Settings> {
  readonly key: string
  /** Dutch header, as staff read it in the spreadsheet. */
  readonly header: string
  readonly kind: "text" | "number" | "date" | "boolean"
  /** True when the value identifies the pupil (name, birth date): left out of e-mailed files. */
  readonly personal: boolean
  readonly value: (ctx: CaseContext<Settings>) => CellValue
}

/** National thresholds a region may tune; unset fields keep the statutory defaults. */
export interface Thresholds {
  readonly reportingDuty?: Partial<ReportingDuty.ReportingDutyOptions>
  readonly mazl?: Partial<Mazl.MazlOptions>
  readonly thuiszitterspact?: Partial<Thuiszitterspact.ThuiszitterspactOptions>
  /** Grijs-verzuim patterns of imported absence data (no law; `AbsenceSignal.grijsDefaults`). */
  readonly grijsVerzuim?: Partial<AbsenceSignal.GrijsVerzuimOptions>
}

/**
 * The encoded (JSON) side of a plug-in's schemas. Schema types are invariant in it, so the
 * contract leaves it open; decoding always starts from unknown JSON anyway.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
type EncodedForm = any

/** See `ReferralPolicy.whenAlreadyOpen`. */
export type WhenAlreadyOpen = "refuse" | "link"

export interface ReferralPolicy<Extension> {
  /** Party roles that may refer a pupil in this region. */
  readonly referrerRoles: ReadonlyArray<Party.PartyRole>
  /** Kinds of verzuim the region takes on; all when absent. */
  readonly verzuimKinds?: ReadonlyArray<Referral.VerzuimKind>
  readonly consentPolicy: ConsentRequirement.ConsentPolicy
  /** Require at least one recorded consent, whatever the age (Amstelland: "altijd met instemming"). */
  readonly consentAlwaysRecorded: boolean
  /**
   * The region's extra referral fields. Annotate each field with a Dutch `title` and a
   * `description` (help text): the gateway publishes the JSON Schema so a form can be rendered.
   */
  readonly extension: Schema.Schema<Extension, EncodedForm>
  /** A valid value of the extension (encoded), for the conformance suite and the documentation. */
  readonly exampleExtension: Record<string, unknown>
  /**
   * What a referral for a pupil who already has an open case in the region does (the pupil is
   * matched by BSN or onderwijsnummer, otherwise by name, birth date and school):
   * - `"refuse"` (default): 409, nothing is written; the referrer who made the open case's
   *   referral is pointed to its status, anyone else gets a neutral answer;
   * - `"link"`: the referral is added to the open case as a `ReferralLinked` event (the regiehouder
   *   sees it in the case file); no second case.
   */
  readonly whenAlreadyOpen?: WhenAlreadyOpen
  /** The region's own conditions on a referral, each with a field path and a Dutch reason. */
  readonly check?: (
    submission: Referral.ReferralSubmission,
    ctx: PluginContext<unknown>,
  ) => ReadonlyArray<{ readonly path: string; readonly message: string }>
}

/**
 * A read-only route a plug-in contributes: information of the region that is not a case, such as
 * how a school reports to the region's desk. The gateway mounts it at
 * `/regions/{regionId}/plugin{path}` for the region's members only, through its one route pipeline
 * (authentication, the 404 for other regions, the answer encoded with `response`), and documents it
 * in OpenAPI with that schema, like every other route. The answer is a pure function of the region:
 * a plug-in never sees a request or the store.
 *
 * Declare each with {@link pluginRoute}, which checks the answer against the schema.
 */
export interface PluginRoute<Settings, A = unknown> {
  /** Below `/regions/{regionId}/plugin`: `/meldformulier` (lower-case words with hyphens). */
  readonly path: string
  /** One line in Dutch for the reference. */
  readonly summary: string
  /** What the answer holds and for whom, in Dutch. */
  readonly description: string
  /** The answer's schema; annotate it with an `identifier` so the reference names it. */
  readonly response: Schema.Schema<A, EncodedForm>
  /** The answer for a region, from its settings and calendars on the reference date. */
  readonly answer: (ctx: PluginContext<Settings>) => A
}

/** Declares a plug-in route; infers the answer's type from `response` so `answer` is checked. */
export const pluginRoute = <Settings, A>(route: PluginRoute<Settings, A>): PluginRoute<Settings, A> => route

/** A route path below `/regions/{regionId}/plugin`: `/` and lower-case words with hyphens. */
export const PLUGIN_ROUTE_PATH = /^(\/[a-z0-9]+(-[a-z0-9]+)*)+$/

// biome-ignore lint/suspicious/noExplicitAny: by default a plug-in's extension data is whatever its own schema decodes
export interface RegionPlugin<Settings = unknown, Extension = any> {
  readonly manifest: PluginManifest
  /** The region's settings of this plug-in; every field needs a default so `{}` decodes. */
  readonly settings: Schema.Schema<Settings, EncodedForm>
  readonly referral: ReferralPolicy<Extension>
  readonly workflow: Workflow<Settings>
  readonly deadlines: ReadonlyArray<Deadline<Settings>>
  readonly thresholds: Thresholds
  readonly catalogue: ReadonlyArray<CatalogueEntry>
  readonly outcomes: ReadonlyArray<CaseParts.OutcomeKind>
  /** See {@link RunningInterventionsAtClose}; the SDK applies it to every closing step. */
  readonly runningInterventionsAtClose: RunningInterventionsAtClose
  readonly reports: { readonly caseColumns: ReadonlyArray<ReportColumn<Settings>> }
  /**
   * The region's own rule on logging an event in the current state, beyond `allowedEvents`: the
   * Dutch reason to refuse it, or `undefined`.
   */
  readonly checkEvent?: (ctx: CaseContext<Settings>, event: CaseEvent.CaseEvent) => string | undefined
  /** Read-only routes of the region (see {@link PluginRoute}); none when absent. */
  // biome-ignore lint/suspicious/noExplicitAny: each route has its own answer type, checked by pluginRoute
  readonly routes?: ReadonlyArray<PluginRoute<Settings, any>>
  /** How the demo walks a synthetic case through this workflow (see {@link DemoCourse}). */
  readonly demo: DemoCourse
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds plug-ins of different settings types
export type AnyRegionPlugin = RegionPlugin<any, any>

/**
 * One step of a demo course: a transition of the workflow and the state it reaches. While the demo
 * replays a synthetic case history, it takes the next step as soon as the workflow engine allows it
 * (role and every guard), so a demo case is always one the gateway could have recorded.
 */
export interface DemoStep {
  /** The transition's id. */
  readonly take: string
  /** The state the transition leads to, as a reader of the plug-in sees the course. */
  readonly reaches: CaseEvent.StatusId
  /**
   * Events the region's way of working needs before this step that a generic case history may
   * lack (a home visit, the school network). Logged only for a case the history closes, on the day
   * of its last event, when the step's guards are not met by then.
   */
  readonly prepare?: (on: LocalDate.LocalDate) => ReadonlyArray<EventInput>
}

/**
 * How the demo walks a synthetic case through this workflow, in the plug-in's own terms: the
 * demo knows no state ids. The conformance suite replays generated histories with it and checks
 * that every step is taken and that closed histories close.
 */
export interface DemoCourse {
  /** The party role of the region's demo case worker and coordinator (who holds the regie). */
  readonly staffRole: Party.PartyRole
  /**
   * The sample region whose generated histories resemble this region's (its regiehouder's role,
   * its help catalogue, its meetings); default `leidschendam-voorburg`, the most general.
   */
  readonly sampleRegion?: SampleRegionId
  /** The transitions an open case goes through, in order, from the initial state. */
  readonly steps: ReadonlyArray<DemoStep>
  /** Transitions into a final state, tried in order with the outcome of a closed history. */
  readonly close: ReadonlyArray<string>
  /** Events the closing transitions need that a generic history may lack (see `DemoStep.prepare`). */
  readonly prepareClose?: (on: LocalDate.LocalDate) => ReadonlyArray<EventInput>
}

/** A plug-in as its author writes it: the manifest's id is a plain string (branded by {@link definePlugin}). */
export interface PluginDefinition<Settings, Extension>
  extends Omit<RegionPlugin<Settings, Extension>, "manifest"> {
  readonly manifest: Omit<PluginManifest, "id"> & { readonly id: string }
}

/**
 * Declares a plug-in. It infers the settings type once, so guards, deadlines and columns are
 * checked against it, and brands the manifest's id: no plug-in needs a cast. The id is not checked
 * here (an import must not throw): the registry decodes every manifest when it loads
 * (`Registry.registryProblems`), at start-up and in `check-config`.
 *
 * @example
 * export default definePlugin({ manifest: { id: "mijn-regio", … }, settings: Settings, … })
 */
export const definePlugin = <Settings, Extension>(
  plugin: PluginDefinition<Settings, Extension>,
): RegionPlugin<Settings, Extension> => ({
  ...plugin,
  manifest: { ...plugin.manifest, id: plugin.manifest.id as Ids.PluginId },
})
