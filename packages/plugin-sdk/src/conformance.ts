/**
 * The conformance suite every regional plug-in must pass. Run it from the plug-in's own tests:
 *
 * @example
 * // plugins/my-region/test/conformance.test.ts
 * import { conformanceSuite } from "@verzuimregie/plugin-sdk/conformance"
 * import plugin from "../src/index.js"
 * conformanceSuite(plugin)
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync } from "node:fs"
import {
  Case,
  CaseParts,
  Decode,
  Ids,
  LocalDate,
  Party,
  Referral,
  Timestamp,
  WorkingDays,
} from "@verzuimregie/domain"
import { Either, JSONSchema, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { deadlineChecks } from "./Deadlines.js"
import { demoCases } from "./Demo.js"
import { openCase, referralFor } from "./Fixtures.js"
import type { AnyRegionPlugin, CaseContext } from "./Plugin.js"
import { PluginManifest } from "./Plugin.js"
import { renderReadme } from "./Readme.js"
import { demoCourseProblems, registryProblems, routeProblems } from "./Registry.js"
import { acceptReferral, availableTransitions, takeTransition, workflowProblems } from "./Workflow.js"

export interface ConformanceOptions {
  /** Reference date for the synthetic cases; a school day in the shipped calendars by default. */
  readonly on?: LocalDate.LocalDate
  /**
   * The plug-in's README (absolute path): checked to be the rendering of this definition, its
   * hand-written prose kept (`Readme.renderReadme`). `pnpm plugin-readme` writes it (vitest `-u`).
   */
  readonly readme?: string
}

const DEFAULT_ON = LocalDate.make("2026-03-10")

/** Registers the conformance tests for `plugin` in the current vitest file. */
export const conformanceSuite = (plugin: AnyRegionPlugin, options: ConformanceOptions = {}): void => {
  const on = options.on ?? DEFAULT_ON
  const id = plugin.manifest?.id ?? "(no manifest)"

  describe(`plug-in conformance: ${id}`, () => {
    const settings = (): unknown => Schema.decodeUnknownSync(plugin.settings)({})
    const context = (state = openCase(plugin, { on })): CaseContext<unknown> => ({
      on,
      settings: settings(),
      calendars: [],
      state,
    })

    it("has a valid manifest", () => {
      const decoded = Decode.decodeUnknown(PluginManifest, "manifest")(plugin.manifest)
      expect(Either.isRight(decoded) ? [] : decoded.left.issues).toEqual([])
    })

    it("passes the registry's check on its own (what start-up and check-config run)", () => {
      expect(registryProblems([plugin])).toEqual([])
    })

    it("gives every setting a default, so a region can enable it with no settings", () => {
      expect(() => settings()).not.toThrow()
    })

    it("has a workflow that holds together", () => {
      expect(workflowProblems(plugin)).toEqual([])
    })

    it("labels every state and transition in Dutch", () => {
      for (const s of plugin.workflow.states) {
        expect(s.label.trim(), `state ${s.id}`).not.toBe("")
        expect(s.description.trim(), `state ${s.id}`).not.toBe("")
      }
      for (const t of plugin.workflow.transitions) {
        expect(t.label.trim(), `transition ${t.id}`).not.toBe("")
        for (const g of t.guards) expect(g.requires.trim(), `guard of ${t.id}`).not.toBe("")
      }
    })

    it("lets only known party roles refer, and closes only with known outcomes", () => {
      for (const role of plugin.referral.referrerRoles)
        expect(Schema.is(Party.PartyRole)(role), role).toBe(true)
      for (const outcome of plugin.outcomes)
        expect(Schema.is(CaseParts.OutcomeKind)(outcome), outcome).toBe(true)
      for (const kind of plugin.referral.verzuimKinds ?? [])
        expect(Schema.is(Referral.VerzuimKind)(kind)).toBe(true)
      // A plug-in written in plain JavaScript could declare anything here.
      expect(["refuse", "link"]).toContain(plugin.referral.whenAlreadyOpen ?? "refuse")
    })

    it("describes its referral form: a JSON Schema with a Dutch title for every field", () => {
      const jsonSchema = JSONSchema.make(plugin.referral.extension) as {
        properties?: Record<string, { title?: string }>
        $defs?: Record<string, { properties?: Record<string, { title?: string }> }>
      }
      const root =
        jsonSchema.properties ??
        Object.values(jsonSchema.$defs ?? {}).find((d) => d.properties)?.properties ??
        {}
      for (const [field, spec] of Object.entries(root)) {
        expect(spec.title ?? "", `extension field ${field} needs a title`).not.toBe("")
      }
    })

    it("accepts its example referral extension", () => {
      const decoded = Decode.decodeUnknown(
        plugin.referral.extension,
        "extension",
      )(plugin.referral.exampleExtension)
      expect(Either.isRight(decoded) ? [] : decoded.left.issues).toEqual([])
    })

    it("accepts a complete referral from an allowed referrer and refuses other referrers", () => {
      const accepted = acceptReferral(plugin, referralFor(plugin, { on }), {
        on,
        settings: settings(),
        calendars: [],
      })
      expect(Either.isRight(accepted) ? [] : accepted.left.issues).toEqual([])
      const outsider = (["ouder", "overig"] as const).find((r) => !plugin.referral.referrerRoles.includes(r))
      if (outsider !== undefined) {
        const refused = acceptReferral(plugin, referralFor(plugin, { on, referrerRole: outsider }), {
          on,
          settings: settings(),
          calendars: [],
        })
        expect(Either.isLeft(refused)).toBe(true)
      }
    })

    it("has unique help-catalogue codes with labels", () => {
      for (const entry of plugin.catalogue) {
        expect(Schema.is(CaseParts.CatalogueCode)(entry.code), entry.code).toBe(true)
        expect(entry.label.trim()).not.toBe("")
      }
    })

    it("evaluates every guard on a fresh case without throwing", () => {
      const ctx = context()
      for (const t of plugin.workflow.transitions) {
        for (const g of t.guards) {
          const reason = g.check(ctx)
          expect(reason === undefined || (typeof reason === "string" && reason.trim() !== ""), t.id).toBe(
            true,
          )
        }
      }
      expect(() => availableTransitions(plugin, "coordinator", ctx)).not.toThrow()
    })

    it("refuses to close a case without an outcome", () => {
      const finals = new Set(plugin.workflow.states.filter((s) => s.final).map((s) => s.id))
      const closing = plugin.workflow.transitions.find((t) => finals.has(t.to))
      expect(closing, "a transition into a final state").toBeDefined()
      if (closing === undefined) return
      const state = { ...openCase(plugin, { on }), status: closing.from[0] ?? plugin.workflow.initial }
      const result = takeTransition(
        plugin,
        {
          transitionId: closing.id,
          role: closing.roles[0] ?? "coordinator",
          by: { name: "Test", role: "overig" },
          at: Timestamp.now(),
        },
        context(state),
      )
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result))
        expect(result.left.reasons).toContain("kies een uitkomst om de casus af te sluiten")
    })

    it("leaves no intervention running in a closed case: each closing step refuses or ends them", () => {
      expect(["refuse", "end"]).toContain(plugin.runningInterventionsAtClose)
      const finals = new Set(plugin.workflow.states.filter((s) => s.final).map((s) => s.id))
      const fresh = openCase(plugin, { on })
      const running = Case.evolve(fresh, {
        _tag: "InterventionStarted",
        at: Timestamp.Timestamp.make(`${on}T09:00:00.000Z`),
        by: { name: "Test", role: "overig" },
        intervention: {
          id: Ids.InterventionId.make("int_conformance001"),
          catalogueCode: plugin.catalogue[0]?.code ?? "hulp",
          label: "Hulp",
          startedOn: on,
        },
      })
      if (running._tag === "Left") throw new Error(running.left.reason)
      for (const closing of plugin.workflow.transitions.filter((t) => finals.has(t.to))) {
        for (const from of closing.from) {
          const state = { ...running.right, status: from }
          const result = takeTransition(
            plugin,
            {
              transitionId: closing.id,
              role: closing.roles[0] ?? "coordinator",
              by: { name: "Test", role: "overig" },
              at: Timestamp.now(),
              reason: "conformance",
              ...(closing.outcomes?.[0] === undefined ? {} : { outcome: { kind: closing.outcomes[0] } }),
            },
            context(state),
          )
          const refusedForRunning =
            Either.isLeft(result) && result.left.reasons.some((r) => r.includes("interventie(s) lopen nog"))
          if (plugin.runningInterventionsAtClose === "refuse") {
            expect(refusedForRunning, `${closing.id} from ${from} must refuse while help runs`).toBe(true)
          } else if (Either.isRight(result)) {
            const closed = Case.evolve(state, result.right)
            expect(Either.isRight(closed) ? Case.runningInterventions(closed.right) : ["rejected"]).toEqual(
              [],
            )
          }
        }
      }
    })

    it("refuses a step that asks for a reason without one, and keeps the reason when given", () => {
      const finals = new Set(plugin.workflow.states.filter((s) => s.final).map((s) => s.id))
      for (const step of plugin.workflow.transitions.filter((t) => t.reasonRequired === true)) {
        const state = { ...openCase(plugin, { on }), status: step.from[0] ?? plugin.workflow.initial }
        const request = {
          transitionId: step.id,
          role: step.roles[0] ?? "coordinator",
          by: { name: "Test", role: "overig" as const },
          at: Timestamp.now(),
          ...(step.outcomes?.[0] === undefined ? {} : { outcome: { kind: step.outcomes[0] } }),
        }
        const without = takeTransition(plugin, request, context(state))
        expect(Either.isLeft(without) ? without.left.reasons : [], step.id).toContain("geef een reden op")
        const withReason = takeTransition(plugin, { ...request, reason: "Geen toestemming" }, context(state))
        if (Either.isRight(withReason) && finals.has(step.to)) {
          const closed = Either.getOrThrow(Case.evolve(state, withReason.right))
          expect(closed.closed?.reason, step.id).toBe("Geen toestemming")
        }
      }
    })

    it("computes its deadlines on a fresh case, with unique ids", () => {
      const ids = plugin.deadlines.map((d) => d.id)
      expect(new Set(ids).size).toBe(ids.length)
      const checks = deadlineChecks(plugin, context())
      for (const c of checks) expect(c.dueOn >= on || c.status !== "gehaald").toBe(true)
      expect(LocalDate.isLocalDate(WorkingDays.addWorkingDays([], on, 5))).toBe(true)
    })

    it("has report columns with unique keys and Dutch headers, and flags pupil-identifying columns as personal", () => {
      const keys = plugin.reports.caseColumns.map((c) => c.key)
      expect(new Set(keys).size).toBe(keys.length)
      const ctx = context()
      const { name, birthDate } = ctx.state.referral.pupil
      const identifying = [name.givenName, name.familyName, birthDate]
      for (const column of plugin.reports.caseColumns) {
        expect(column.header.trim(), column.key).not.toBe("")
        const value = column.value(ctx)
        if (typeof value === "string" && identifying.some((s) => value.includes(s))) {
          expect(column.personal, `column ${column.key} shows pupil data`).toBe(true)
        }
      }
    })

    it("shows codes in its report columns by their Dutch labels, not as codes", () => {
      // The codes staff must not have to decode: roles, kinds of verzuim, attendance, outcomes and
      // the workflow's state ids (`coordinator-passend-onderwijs` → `Coördinator passend onderwijs`).
      const codes = new Set<string>([
        ...Party.PartyRole.literals,
        ...Referral.VerzuimKind.literals,
        ...CaseParts.AttendanceSituation.literals,
        ...CaseParts.OutcomeKind.literals,
        ...plugin.workflow.states.map((s) => s.id),
      ])
      const fresh = openCase(plugin, { on })
      const states = CaseParts.AttendanceSituation.literals.map((situation) => ({
        ...fresh,
        attendance: { situation, since: on, fittingOffer: false },
      }))
      for (const state of [fresh, ...states]) {
        for (const column of plugin.reports.caseColumns) {
          const value = column.value(context(state))
          if (typeof value === "string")
            expect(codes.has(value), `column ${column.key} shows the code ${value}`).toBe(false)
        }
      }
    })

    it("has a demo course that follows its workflow", () => {
      expect(demoCourseProblems(plugin)).toEqual([])
    })

    it("walks generated case histories through its demo course: valid histories, every step taken by some case, every closed history closed", () => {
      const regionId = Ids.RegionId.make(plugin.manifest.id)
      const region = { regionId, settings: settings(), calendars: [] }
      const walks = [...demoCases(plugin, region, { seed: 2026, count: 24, today: on, closedShare: 0.5 })]
      const finals = new Set(plugin.workflow.states.filter((s) => s.final).map((s) => s.id))
      for (const { caseId, history, walk } of walks) {
        // What the demo stores is a history the domain folds, in a state of the plug-in.
        const folded = Case.fold(Ids.CaseId.make(caseId), walk.events)
        expect(Either.isRight(folded), caseId).toBe(true)
        if (Either.isLeft(folded)) continue
        expect(plugin.workflow.states.map((s) => s.id)).toContain(folded.right.status)
        const closedHistory = history.at(-1)?._tag === "CaseClosed"
        expect(walk.closed, `${caseId} closes as its history does`).toBe(closedHistory)
        if (closedHistory) expect(finals.has(folded.right.status)).toBe(true)
      }
      // No step of the course is dead: some case takes them all.
      expect(Math.max(...walks.map(({ walk }) => walk.stepsTaken))).toBe(plugin.demo.steps.length)
      expect(walks.some(({ walk }) => walk.closed)).toBe(true)
      expect(walks.some(({ walk }) => !walk.closed)).toBe(true)
    })

    it("describes its routes, and answers each with its schema", () => {
      expect(routeProblems(plugin)).toEqual([])
      for (const route of plugin.routes ?? []) {
        const answer = route.answer({ on, settings: settings(), calendars: [] })
        const encoded = Schema.encodeEither(route.response)(answer)
        expect(Either.isRight(encoded), route.path).toBe(true)
      }
    })

    const { readme } = options
    if (readme !== undefined) {
      it("has a README generated from this definition (regenerate with pnpm plugin-readme)", async () => {
        const previous = existsSync(readme) ? readFileSync(readme, "utf8") : undefined
        await expect(renderReadme(plugin, previous)).toMatchFileSnapshot(readme)
      })
    }
  })
}
