/**
 * Runs a plug-in's workflow: checks that it holds together when it loads, decides whether a
 * referral is accepted, whether an event may be logged in the current state, and whether a
 * transition may be taken (with the plug-in's reasons when not). Pure: the caller appends the
 * events it returns.
 *
 * @since 0.1.0
 */
import type { CaseParts, Errors, LocalDate } from "@verzuimregie/domain"
import {
  Access,
  Age,
  Case,
  CaseEvent,
  ConsentRequirement,
  Decode,
  HttpMeaning,
  Party,
  Referral,
  Verlof,
} from "@verzuimregie/domain"
import { Either, Schema } from "effect"

const { ageOn } = Age

import { currentConsent, runningInterventionsReason } from "./Guards.js"
import type {
  AnyRegionPlugin,
  CaseContext,
  PluginContext,
  RegionPlugin,
  TransitionDefinition,
  WhenAlreadyOpen,
} from "./Plugin.js"

/** A plug-in whose workflow does not hold together; names the plug-in and the state. */
export class WorkflowInvalid extends Schema.TaggedError<WorkflowInvalid>()(
  "WorkflowInvalid",
  {
    pluginId: Schema.String,
    problems: Schema.NonEmptyArray(Schema.String),
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return `plug-in ${this.pluginId}: de werkwijze klopt niet:\n${this.problems.map((p) => `  - ${p}`).join("\n")}`
  }
}

/** A referral the region does not take, with every reason (field paths where they apply). */
export class ReferralRefused extends Schema.TaggedError<ReferralRefused>()(
  "ReferralRefused",
  {
    pluginId: Schema.String,
    issues: Schema.NonEmptyArray(Schema.Struct({ path: Schema.String, message: Schema.String })),
  },
  HttpMeaning.status(
    422,
    {
      type: "https://verzuimregie.nl/problems/referral-refused",
      title: "De regio neemt deze aanmelding zo niet aan",
    },
    (error: { readonly issues: ReadonlyArray<{ readonly path: string; readonly message: string }> }) => ({
      issues: error.issues,
    }),
  ),
) {}

/** A transition that cannot be taken now, with the plug-in's reasons in Dutch. */
export class TransitionRefused extends Schema.TaggedError<TransitionRefused>()(
  "TransitionRefused",
  {
    pluginId: Schema.String,
    transition: Schema.String,
    reasons: Schema.NonEmptyArray(Schema.String),
  },
  HttpMeaning.status(
    409,
    { type: "https://verzuimregie.nl/problems/transition-refused", title: "Deze stap kan nog niet" },
    (error: { readonly reasons: ReadonlyArray<string> }) => ({
      detail: error.reasons.join("; "),
      reasons: error.reasons,
    }),
  ),
) {
  override get message(): string {
    return `${this.transition}: ${this.reasons.join("; ")}`
  }
}

/** An event that may not be logged in the case's current state. */
export class EventRefused extends Schema.TaggedError<EventRefused>()(
  "EventRefused",
  {
    pluginId: Schema.String,
    eventTag: Schema.String,
    reason: Schema.String,
  },
  HttpMeaning.status(
    409,
    { type: "https://verzuimregie.nl/problems/event-refused", title: "Dit kan niet in de huidige status" },
    (error: { readonly reason: string }) => ({ detail: error.reason }),
  ),
) {}

/** Every problem of a workflow definition, in Dutch for the operator; empty when it holds together. */
export const workflowProblems = (plugin: AnyRegionPlugin): Array<string> => {
  const { workflow } = plugin
  const problems: Array<string> = []
  const ids = new Set<string>()
  for (const s of workflow.states) {
    if (ids.has(s.id)) problems.push(`status ${s.id} staat er twee keer in`)
    ids.add(s.id)
  }
  if (!ids.has(workflow.initial)) problems.push(`beginstatus ${workflow.initial} bestaat niet`)
  const final = new Set(workflow.states.filter((s) => s.final === true).map((s) => s.id))
  if (final.size === 0) problems.push("geen eindstatus: een casus kan nooit sluiten")
  const transitionIds = new Set<string>()
  for (const t of workflow.transitions) {
    if (transitionIds.has(t.id)) problems.push(`overgang ${t.id} staat er twee keer in`)
    transitionIds.add(t.id)
    if (t.from.length === 0) problems.push(`overgang ${t.id} vertrekt uit geen enkele status`)
    for (const from of t.from) {
      if (!ids.has(from)) problems.push(`overgang ${t.id} vertrekt uit onbekende status ${from}`)
      if (final.has(from)) problems.push(`overgang ${t.id} vertrekt uit eindstatus ${from}`)
    }
    if (!ids.has(t.to)) problems.push(`overgang ${t.id} leidt naar onbekende status ${t.to}`)
    if (t.roles.length === 0) problems.push(`overgang ${t.id} noemt geen rol die haar mag zetten`)
    if (final.has(t.to)) {
      if (t.outcomes === undefined || t.outcomes.length === 0) {
        problems.push(`overgang ${t.id} sluit de casus maar noemt geen uitkomst`)
      }
      for (const o of t.outcomes ?? []) {
        if (!plugin.outcomes.includes(o))
          problems.push(`overgang ${t.id} sluit met uitkomst ${o}, die niet in outcomes staat`)
      }
    } else if (t.outcomes !== undefined) {
      problems.push(`overgang ${t.id} noemt uitkomsten, maar ${t.to} is geen eindstatus`)
    }
  }
  // Reachability from the initial state.
  const reached = new Set<string>([workflow.initial])
  for (let grew = true; grew; ) {
    grew = false
    for (const t of workflow.transitions) {
      if (!reached.has(t.to) && t.from.some((f) => reached.has(f))) {
        reached.add(t.to)
        grew = true
      }
    }
  }
  for (const s of workflow.states) {
    if (!reached.has(s.id)) problems.push(`status ${s.id} is vanuit ${workflow.initial} niet te bereiken`)
    if (s.final !== true && !workflow.transitions.some((t) => t.from.includes(s.id))) {
      problems.push(`status ${s.id} heeft geen uitweg en is geen eindstatus`)
    }
  }
  // Every state must be able to reach a final state, or a case could be trapped in a cycle.
  const closes = new Set<string>(final)
  for (let grew = true; grew; ) {
    grew = false
    for (const t of workflow.transitions) {
      if (closes.has(t.to)) {
        for (const f of t.from) {
          if (!closes.has(f)) {
            closes.add(f)
            grew = true
          }
        }
      }
    }
  }
  for (const s of workflow.states) {
    if (!closes.has(s.id) && s.final !== true && workflow.transitions.some((t) => t.from.includes(s.id))) {
      problems.push(`vanuit status ${s.id} is nooit een eindstatus te bereiken`)
    }
  }
  const codes = new Set<string>()
  for (const entry of plugin.catalogue) {
    if (codes.has(entry.code)) problems.push(`hulpaanbod-code ${entry.code} staat er twee keer in`)
    codes.add(entry.code)
  }
  if (plugin.runningInterventionsAtClose !== "refuse" && plugin.runningInterventionsAtClose !== "end") {
    problems.push('runningInterventionsAtClose moet "refuse" of "end" zijn')
  }
  if (plugin.referral.referrerRoles.length === 0) problems.push("geen enkele rol mag een leerling aanmelden")
  if (plugin.outcomes.length === 0) problems.push("geen uitkomsten om mee af te sluiten")
  return problems
}

/** Fails with {@link WorkflowInvalid} when the plug-in's workflow does not hold together. */
export const checkWorkflow = (plugin: AnyRegionPlugin): Either.Either<AnyRegionPlugin, WorkflowInvalid> => {
  const problems = workflowProblems(plugin)
  const [first, ...rest] = problems
  return first === undefined
    ? Either.right(plugin)
    : Either.left(new WorkflowInvalid({ pluginId: plugin.manifest.id, problems: [first, ...rest] }))
}

export const stateOf = (plugin: AnyRegionPlugin, status: string) =>
  plugin.workflow.states.find((s) => s.id === status)

/** "Relatief verzuim" as it reads inside a sentence. */
const verzuimKindInSentence = (kind: Referral.VerzuimKind): string =>
  Referral.verzuimKindLabel[kind].toLowerCase()

/**
 * Decides whether the region takes a referral: the referrer's role, the kind of verzuim, the
 * consent the pupil's age requires on the day, and the region's extra fields. Returns the
 * referral with its extension decoded by the plug-in's schema (defaults filled in).
 */
export const acceptReferral = <S, E>(
  plugin: RegionPlugin<S, E>,
  submission: Referral.ReferralSubmission,
  ctx: PluginContext<S>,
): Either.Either<Referral.ReferralSubmission, ReferralRefused> => {
  const issues: Array<Errors.FieldIssue> = []
  const policy = plugin.referral
  if (!policy.referrerRoles.includes(submission.referrer.role)) {
    issues.push({
      path: "referrer.role",
      // Readable Dutch role names, not their ids: a person reads this (issue 14).
      message: `${Party.partyRoleLabel[submission.referrer.role]} kan in deze regio niet aanmelden; wel: ${policy.referrerRoles.map(Party.partyRoleInSentence).join(", ")}`,
    })
  }
  if (policy.verzuimKinds !== undefined && !policy.verzuimKinds.includes(submission.verzuimKind)) {
    issues.push({
      path: "verzuimKind",
      message: `deze regio neemt ${verzuimKindInSentence(submission.verzuimKind)} niet aan; wel: ${policy.verzuimKinds.map(verzuimKindInSentence).join(", ")}`,
    })
  }
  const requirement = ConsentRequirement.consentRequirement(
    submission.pupil.birthDate,
    ctx.on,
    policy.consentPolicy,
  )
  for (const missing of ConsentRequirement.missingConsentOn(requirement, submission.consent, ctx.on)) {
    issues.push({ path: "consent", message: missing.reason })
  }
  if (
    policy.consentAlwaysRecorded &&
    currentConsent(submission.consent, ["ouders", "leerling"], "aanmelding", ctx.on).length === 0
  ) {
    issues.push({
      path: "consent.consents",
      message: "geen geldende toestemming van ouders en/of leerling (niet vastgelegd of ingetrokken)",
    })
  }
  for (const issue of policy.check?.(submission, ctx) ?? []) issues.push(issue)
  const extension = Decode.decodeUnknown(policy.extension, "extension")(submission.extension)
  let encodedExtension = submission.extension
  if (Either.isLeft(extension)) {
    for (const i of extension.left.issues) {
      issues.push({ path: i.path === "" ? "extension" : `extension.${i.path}`, message: i.message })
    }
  } else {
    encodedExtension = Schema.encodeSync(policy.extension)(extension.right) as typeof submission.extension
  }
  const [first, ...rest] = issues
  return first === undefined
    ? Either.right({ ...submission, extension: encodedExtension })
    : Either.left(new ReferralRefused({ pluginId: plugin.manifest.id, issues: [first, ...rest] }))
}

/** What a referral does when its pupil already has an open case in the region; default `refuse`. */
export const whenAlreadyOpen = (plugin: AnyRegionPlugin): WhenAlreadyOpen =>
  plugin.referral.whenAlreadyOpen ?? "refuse"

const directlyLogged = (tag: CaseEvent.CaseEventTag): boolean =>
  tag !== "ReferralReceived" && tag !== "ReferralLinked" && tag !== "StatusChanged" && tag !== "CaseClosed"

/**
 * The kinds of event a case worker may log in the case's current state (the state's
 * `allowedEvents`, every directly logged kind when it names none; none once the case is closed).
 * A form per kind can be offered from this; {@link acceptEvent} still decides on the event itself.
 */
export const loggableEvents = (
  plugin: AnyRegionPlugin,
  state: Case.CaseState,
): ReadonlyArray<CaseEvent.CaseEventTag> => {
  if (state.closed !== undefined) return []
  const current = stateOf(plugin, state.status)
  if (current === undefined) return []
  return CaseEvent.caseEventTags.filter(
    (tag) =>
      directlyLogged(tag) && (current.allowedEvents === undefined || current.allowedEvents.includes(tag)),
  )
}

/**
 * Whether an event may be logged now: the state allows it, an intervention names an entry of the
 * help catalogue, and a leave request is one the law allows (`Verlof.checkRequest`: Leerplichtwet
 * 1969 art. 11 onder f, 13a, 14, against the leave already on record). State changes go through
 * {@link takeTransition}, never through here.
 */
export const acceptEvent = <S>(
  plugin: RegionPlugin<S>,
  state: Case.CaseState,
  event: CaseEvent.CaseEvent,
  ctx: PluginContext<S>,
): Either.Either<CaseEvent.CaseEvent, EventRefused> => {
  const refuse = (reason: string) =>
    Either.left(new EventRefused({ pluginId: plugin.manifest.id, eventTag: event._tag, reason }))
  if (!directlyLogged(event._tag)) return refuse("statuswijzigingen en afsluiten gaan via een overgang")
  if (state.closed !== undefined) return refuse("casus is afgesloten")
  const current = stateOf(plugin, state.status)
  if (current === undefined) return refuse(`onbekende status ${state.status}`)
  if (current.allowedEvents !== undefined && !current.allowedEvents.includes(event._tag)) {
    return refuse(`in status "${current.label}" kan dit niet worden vastgelegd`)
  }
  if (event._tag === "InterventionStarted") {
    const entry = plugin.catalogue.find((c) => c.code === event.intervention.catalogueCode)
    if (entry === undefined) {
      return refuse(
        `interventie ${event.intervention.catalogueCode} staat niet in het hulpaanbod van deze regio`,
      )
    }
    const age = ageOn(state.referral.pupil.birthDate, event.intervention.startedOn)
    if (
      (entry.minAge !== undefined && age < entry.minAge) ||
      (entry.maxAge !== undefined && age > entry.maxAge)
    ) {
      return refuse(
        `${entry.label} is voor leerlingen van ${entry.minAge ?? 0} tot en met ${entry.maxAge ?? 23} jaar`,
      )
    }
  }
  if (event._tag === "LeaveRequested") {
    const { violations } = Verlof.checkRequest(event.request, state.leave, ctx.calendars)
    if (violations.length > 0)
      return refuse(
        `deze verlofaanvraag (${Verlof.verlofLabel[event.request.grond]}) kan niet: ${violations
          .map((v) => `${v.message} (${v.article})`)
          .join("; ")}`,
      )
  }
  // A review outcome is what a kwartaalbespreking decided; no other meeting carries one.
  if (
    event._tag === "MeetingHeld" &&
    event.meeting.reviewOutcome !== undefined &&
    event.meeting.kind !== "kwartaalbespreking"
  )
    return refuse("alleen een kwartaalbespreking heeft een uitkomst van de kwartaalbespreking")
  const own = plugin.checkEvent?.({ ...ctx, state }, event)
  if (own !== undefined) return refuse(own)
  return Either.right(event)
}

/**
 * Why a step is not the caller's to take, naming who may: "alleen een coördinator mag deze stap
 * zetten". A person reads on the dossier that someone else takes it, not that it is "not yet"
 * possible for them.
 */
export const rolesOnly = (roles: ReadonlyArray<Access.UserRole>): string =>
  `alleen een ${roles.map((r) => Access.userRoleLabel[r].toLowerCase()).join(" of een ")} mag deze stap zetten`

/** Why a transition cannot be taken now by this role; empty when it can. */
export const transitionReasons = <S>(
  transition: TransitionDefinition<S>,
  role: Access.UserRole,
  ctx: CaseContext<S>,
): Array<string> => {
  const reasons: Array<string> = []
  if (ctx.state.closed !== undefined) return ["casus is afgesloten"]
  if (!transition.from.includes(ctx.state.status)) {
    reasons.push(`kan niet vanuit status ${ctx.state.status}`)
    return reasons
  }
  if (!transition.roles.includes(role)) reasons.push(rolesOnly(transition.roles))
  for (const guard of transition.guards) {
    const reason = guard.check(ctx)
    if (reason !== undefined) reasons.push(reason)
  }
  return reasons
}

/**
 * What every plug-in's closing steps require beyond their own guards: with
 * `runningInterventionsAtClose: "refuse"`, no intervention may still run (a closed case cannot
 * end one any more). Reasons already given by a guard are not repeated.
 */
const closingReasons = <S>(
  plugin: RegionPlugin<S>,
  transition: TransitionDefinition<S>,
  ctx: CaseContext<S>,
  already: ReadonlyArray<string>,
): Array<string> => {
  if (ctx.state.closed !== undefined || stateOf(plugin, transition.to)?.final !== true) return []
  if (plugin.runningInterventionsAtClose === "end") return []
  const running = runningInterventionsReason(ctx.state)
  return running === undefined || already.includes(running) ? [] : [running]
}

export interface AvailableTransition<S> {
  readonly transition: TransitionDefinition<S>
  readonly allowed: boolean
  readonly reasons: ReadonlyArray<string>
}

/** The transitions out of the current state, each with whether it can be taken and why not. */
export const availableTransitions = <S>(
  plugin: RegionPlugin<S>,
  role: Access.UserRole,
  ctx: CaseContext<S>,
): Array<AvailableTransition<S>> =>
  plugin.workflow.transitions
    .filter((t) => t.from.includes(ctx.state.status))
    .map((transition) => {
      const own = transitionReasons(transition, role, ctx)
      const reasons = [...own, ...closingReasons(plugin, transition, ctx, own)]
      return { transition, allowed: reasons.length === 0, reasons }
    })

export interface TransitionRequest {
  readonly transitionId: string
  readonly role: Access.UserRole
  readonly by: Party.StaffRef
  readonly at: CaseEvent.CaseEvent["at"]
  readonly reason?: string
  /** Required on a transition into a final state. */
  readonly outcome?: CaseParts.Outcome
  /** Closing date; defaults to the context's reference date. */
  readonly closedOn?: LocalDate.LocalDate
}

/**
 * Takes a transition: the event to append (`StatusChanged`, or `CaseClosed` into a final state),
 * or the reasons it is refused.
 */
export const takeTransition = <S>(
  plugin: RegionPlugin<S>,
  request: TransitionRequest,
  ctx: CaseContext<S>,
): Either.Either<CaseEvent.CaseEvent, TransitionRefused> => {
  const refuse = (reasons: [string, ...Array<string>]) =>
    Either.left(
      new TransitionRefused({ pluginId: plugin.manifest.id, transition: request.transitionId, reasons }),
    )
  const transition = plugin.workflow.transitions.find((t) => t.id === request.transitionId)
  if (transition === undefined) return refuse([`onbekende overgang ${request.transitionId}`])
  const reasons = transitionReasons(transition, request.role, ctx)
  const target = stateOf(plugin, transition.to)
  const reason = request.reason?.trim() === "" ? undefined : request.reason
  if (transition.reasonRequired === true && reason === undefined && ctx.state.closed === undefined) {
    reasons.push("geef een reden op")
  }
  const closes = target?.final === true
  if (closes) {
    if (request.outcome === undefined) reasons.push("kies een uitkomst om de casus af te sluiten")
    else if (!(transition.outcomes ?? []).includes(request.outcome.kind)) {
      reasons.push(`uitkomst ${request.outcome.kind} past niet bij deze afsluiting`)
    }
  }
  reasons.push(...closingReasons(plugin, transition, ctx, reasons))
  const [first, ...rest] = reasons
  if (first !== undefined) return refuse([first, ...rest])
  const meta = { at: request.at, by: request.by }
  if (closes && request.outcome !== undefined) {
    const result: CaseParts.InterventionResult =
      request.outcome.kind === "overgedragen" ? "overgedragen" : "voortijdig-gestopt"
    const [firstEnded, ...moreEnded] = Case.runningInterventions(ctx.state).map((i) => ({
      interventionId: i.id,
      result,
    }))
    return Either.right({
      _tag: "CaseClosed",
      ...meta,
      on: request.closedOn ?? ctx.on,
      outcome: request.outcome,
      finalStatus: transition.to,
      ...(reason === undefined ? {} : { reason }),
      ...(firstEnded === undefined ? {} : { endsInterventions: [firstEnded, ...moreEnded] }),
    })
  }
  return Either.right({
    _tag: "StatusChanged",
    ...meta,
    from: ctx.state.status,
    to: transition.to,
    ...(reason === undefined ? {} : { reason }),
  })
}
