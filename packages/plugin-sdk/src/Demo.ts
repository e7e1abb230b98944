/**
 * Walks a synthetic case history through a plug-in's demo course. The history (from the domain's
 * sample generator) holds what a regiehouder records: contacts, intake, home visit, meetings,
 * actions, interventions, and where the case closes, its outcome. Its generic status changes are
 * dropped; the plug-in's own transitions are taken instead, through the workflow engine, as soon
 * as their role and guards allow. So a demo case is always one the gateway could have recorded,
 * and the demo needs to know no state ids. The conformance suite runs the same walk.
 *
 * @since 0.1.0
 */
import type { Access, Referral, SchoolCalendar } from "@verzuimregie/domain"
import { Age, Case, type CaseEvent, Ids, LocalDate } from "@verzuimregie/domain"
import { makeGenerator } from "@verzuimregie/domain/sample"
import { Either } from "effect"
import type { AnyRegionPlugin, TransitionDefinition } from "./Plugin.js"
import { acceptEvent, takeTransition } from "./Workflow.js"

export interface DemoRegion {
  readonly regionId: Ids.RegionId
  /** The region's decoded settings of the plug-in. */
  readonly settings: unknown
  readonly calendars: SchoolCalendar.Calendars
}

export interface DemoWalk {
  /** The case's events, the referral first, ready to store. */
  readonly events: ReadonlyArray<CaseEvent.CaseEvent>
  /** How many steps of the course were taken. */
  readonly stepsTaken: number
  /** True when the history closed the case and a closing transition of the course took it. */
  readonly closed: boolean
  /** Events of the history left out, each with the reason (`InterventionStarted: …`). */
  readonly skipped: ReadonlyArray<string>
}

/**
 * A generated intervention from a sample region's help catalogue becomes one of the plug-in's own
 * entries that fits the pupil's age (picked by the intervention's id, so the demo is the same on
 * every run); other events pass unchanged.
 */
const ownCatalogue = (
  plugin: AnyRegionPlugin,
  state: Case.CaseState,
  event: CaseEvent.CaseEvent,
): CaseEvent.CaseEvent => {
  if (event._tag !== "InterventionStarted") return event
  const { intervention } = event
  if (plugin.catalogue.some((c) => c.code === intervention.catalogueCode)) return event
  const age = Age.ageOn(state.referral.pupil.birthDate, intervention.startedOn)
  const fitting = plugin.catalogue.filter((c) => (c.minAge ?? 0) <= age && age <= (c.maxAge ?? 99))
  let hash = 0
  for (const ch of intervention.id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  const entry = fitting[hash % Math.max(1, fitting.length)]
  if (entry === undefined) return event
  return { ...event, intervention: { ...intervention, catalogueCode: entry.code, label: entry.label } }
}

/** The role a demo takes a transition in: the case worker where allowed, else the first named. */
const roleFor = (t: TransitionDefinition<unknown> | undefined): Access.UserRole =>
  t === undefined || t.roles.includes("case-worker") ? "case-worker" : (t.roles[0] ?? "coordinator")

/**
 * Replays `history` (a generated case history, its `ReferralReceived` first) through the plug-in's
 * demo course for `region`. The referral is moved to the region with the plug-in's example
 * extension. Events the plug-in refuses in the current state are left out and listed.
 */
export const walkCourse = (
  plugin: AnyRegionPlugin,
  history: { readonly caseId: string; readonly events: ReadonlyArray<CaseEvent.CaseEvent> },
  region: DemoRegion,
): DemoWalk => {
  const [first, ...rest] = history.events
  if (first?._tag !== "ReferralReceived") throw new Error("a case history starts with its referral")
  const referral: Referral.Referral = {
    ...first.referral,
    regionId: region.regionId,
    extension: plugin.referral.exampleExtension as Referral.Referral["extension"],
  }
  const opened: CaseEvent.CaseEvent = { ...first, referral, initialStatus: plugin.workflow.initial }
  const events: Array<CaseEvent.CaseEvent> = [opened]
  const skipped: Array<string> = []
  let state = Case.start(Ids.CaseId.make(history.caseId), {
    ...first,
    referral,
    initialStatus: plugin.workflow.initial,
  })
  const context = (at: CaseEvent.CaseEvent["at"]) => ({
    on: LocalDate.LocalDate.make(at.slice(0, 10)),
    settings: region.settings,
    calendars: region.calendars,
    state,
  })
  const append = (event: CaseEvent.CaseEvent): boolean => {
    const next = Case.evolve(state, event)
    if (Either.isLeft(next)) return false
    state = next.right
    events.push(event)
    return true
  }
  const log = (generated: CaseEvent.CaseEvent): void => {
    const event = ownCatalogue(plugin, state, generated)
    const accepted = acceptEvent(plugin, state, event, context(event.at))
    if (Either.isLeft(accepted)) skipped.push(`${event._tag}: ${accepted.left.reason}`)
    else if (!append(event)) skipped.push(`${event._tag}: past niet in de casus`)
  }
  const { steps, close } = plugin.demo
  let next = 0
  /** Takes the course's next steps while the engine allows them, at the time of `after`. */
  const advance = (after: CaseEvent.CaseEvent): void => {
    while (next < steps.length) {
      const step = steps[next]!
      const t = plugin.workflow.transitions.find((t) => t.id === step.take)
      const by = state.regiehouder ?? after.by
      const event = takeTransition(
        plugin,
        { transitionId: step.take, role: roleFor(t), by, at: after.at },
        context(after.at),
      )
      if (Either.isLeft(event) || !append(event.right)) return
      next++
    }
  }
  let closing: CaseEvent.EventOf<"CaseClosed"> | undefined
  for (const event of rest) {
    if (event._tag === "StatusChanged") continue
    if (event._tag === "CaseClosed") {
      closing = event
      continue
    }
    log(event)
    advance(event)
  }
  if (closing === undefined) return { events, stepsTaken: next, closed: false, skipped }

  // The history closes the case: what the region's way of working needs before each remaining step
  // is logged on the day of the closing, then the step is taken; then a closing transition.
  const on = LocalDate.LocalDate.make(closing.at.slice(0, 10))
  while (next < steps.length) {
    const taken = next
    for (const input of steps[next]?.prepare?.(on) ?? [])
      log({ ...input, at: closing.at, by: closing.by } as CaseEvent.CaseEvent)
    advance(closing)
    if (next === taken) break
  }
  // The history's outcome where a closing transition takes it; else the transition's own first
  // outcome (a generated history knows no region, so its outcome may not exist in this one).
  const attempts = [
    ...close.map((id) => ({ id, kind: closing.outcome.kind })),
    ...close.flatMap((id) => {
      const kind = plugin.workflow.transitions.find((t) => t.id === id)?.outcomes?.[0]
      return kind === undefined ? [] : [{ id, kind }]
    }),
  ]
  const closeWith = (): boolean => {
    for (const { id, kind } of attempts) {
      const t = plugin.workflow.transitions.find((t) => t.id === id)
      const event = takeTransition(
        plugin,
        {
          transitionId: id,
          role: roleFor(t),
          by: state.regiehouder ?? closing.by,
          at: closing.at,
          outcome: kind === closing.outcome.kind ? closing.outcome : { kind },
          closedOn: closing.on,
        },
        context(closing.at),
      )
      if (Either.isRight(event) && append(event.right)) return true
    }
    return false
  }
  if (closeWith()) return { events, stepsTaken: next, closed: true, skipped }
  for (const input of plugin.demo.prepareClose?.(on) ?? [])
    log({ ...input, at: closing.at, by: closing.by } as CaseEvent.CaseEvent)
  if (closeWith()) return { events, stepsTaken: next, closed: true, skipped }
  return { events, stepsTaken: next, closed: false, skipped }
}

export interface DemoCasesOptions {
  /** Seed of the generator: the same seed, the same cases. */
  readonly seed: number
  readonly count: number
  /** The demo's today: nothing in a case happens after it. */
  readonly today: LocalDate.LocalDate
  /** Share of cases whose history closes. */
  readonly closedShare: number
}

/**
 * Synthetic cases of a region, walked through its plug-in's demo course: what the demo seeds and
 * what the conformance suite checks. Histories come from the sample region the course names.
 */
export function* demoCases(
  plugin: AnyRegionPlugin,
  region: DemoRegion,
  options: DemoCasesOptions,
): Generator<{
  readonly caseId: string
  readonly history: ReadonlyArray<CaseEvent.CaseEvent>
  readonly walk: DemoWalk
}> {
  const generator = makeGenerator(options.seed, { on: options.today })
  const regionIds = [plugin.demo.sampleRegion ?? "leidschendam-voorburg"]
  for (const history of generator.cases(options.count, { closedShare: options.closedShare, regionIds })) {
    yield { caseId: history.caseId, history: history.events, walk: walkCourse(plugin, history, region) }
  }
}
