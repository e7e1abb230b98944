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
import { CaseParts, Decode, LocalDate, Party, Referral, Timestamp, WorkingDays } from "@verzuimregie/domain"
import { Either, JSONSchema, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { deadlineChecks } from "./Deadlines.js"
import { openCase, referralFor } from "./Fixtures.js"
import type { AnyRegionPlugin, CaseContext } from "./Plugin.js"
import { PluginManifest } from "./Plugin.js"
import { acceptReferral, availableTransitions, takeTransition, workflowProblems } from "./Workflow.js"

export interface ConformanceOptions {
  /** Reference date for the synthetic cases; a school day in the shipped calendars by default. */
  readonly on?: LocalDate.LocalDate
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

    it("installs its routes through a function, when it has any", () => {
      expect(plugin.routes === undefined || typeof plugin.routes === "function").toBe(true)
    })
  })
}
