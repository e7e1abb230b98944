/**
 * The registry: the plug-ins a distribution ships (one explicit list). Before any region is
 * configured against it, every plug-in must hold together on its own and the list as a whole:
 * each manifest decodes with its schema, no id appears twice, each workflow and demo course holds
 * together, each route is well-formed. The start-up of the gateway and `check-config` both run this
 * through `RegionConfig.resolveConfig`, so they refuse the same registries with the same words.
 *
 * @since 0.1.0
 */
import { Decode, HttpMeaning } from "@verzuimregie/domain"
import { Either, Schema } from "effect"
import type { AnyRegionPlugin } from "./Plugin.js"
import { PLUGIN_ROUTE_PATH, PluginManifest } from "./Plugin.js"
import { workflowProblems } from "./Workflow.js"

/** A registry that cannot be used: every problem, each naming the plug-in by place and id. */
export class RegistryInvalid extends Schema.TaggedError<RegistryInvalid>()(
  "RegistryInvalid",
  { problems: Schema.NonEmptyArray(Schema.String) },
  // An operator's failure (start-up, check-config), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    const n = this.problems.length
    return `de lijst met plug-ins van deze installatie is ongeldig (${n} ${n === 1 ? "probleem" : "problemen"}):\n${this.problems
      .map((p) => `  ${p}`)
      .join("\n")}`
  }
}

/** How a plug-in is named in a problem: its place in the list (from 1) and its id when it has one. */
const nameOf = (plugin: AnyRegionPlugin, index: number): string => {
  const id = (plugin as { manifest?: { id?: unknown } }).manifest?.id
  return `plug-in ${index + 1}${typeof id === "string" && id !== "" ? ` (${id})` : ""}`
}

const duplicates = (values: ReadonlyArray<string>): Array<string> =>
  [...new Set(values.filter((v, i) => values.indexOf(v) !== i))].sort()

/**
 * What is wrong with a plug-in's demo course: steps that name no transition of the workflow, or
 * a state it does not reach, or that do not follow on each other from the initial state; closing
 * transitions that do not close. Empty when the course holds together.
 */
export const demoCourseProblems = (plugin: AnyRegionPlugin): Array<string> => {
  const { workflow, demo } = plugin
  if (demo === undefined) return ["heeft geen demo-route (demo)"]
  const problems: Array<string> = []
  const finals = new Set(workflow.states.filter((s) => s.final === true).map((s) => s.id))
  let at = workflow.initial
  const passed = new Set<string>([at])
  demo.steps.forEach((step, i) => {
    const t = workflow.transitions.find((t) => t.id === step.take)
    if (t === undefined) {
      problems.push(`demo.steps[${i}]: onbekende overgang ${step.take}`)
      return
    }
    if (!t.from.includes(at))
      problems.push(`demo.steps[${i}]: overgang ${t.id} kan niet vanuit status ${at} (de vorige stap)`)
    if (t.to !== step.reaches)
      problems.push(`demo.steps[${i}]: overgang ${t.id} leidt naar ${t.to}, niet naar ${step.reaches}`)
    if (finals.has(t.to))
      problems.push(`demo.steps[${i}]: overgang ${t.id} sluit de casus; zet die onder demo.close`)
    at = t.to
    passed.add(at)
  })
  if (demo.close.length === 0) problems.push("demo.close: noem minstens één overgang die de casus afsluit")
  demo.close.forEach((id, i) => {
    const t = workflow.transitions.find((t) => t.id === id)
    if (t === undefined) problems.push(`demo.close[${i}]: onbekende overgang ${id}`)
    else if (!finals.has(t.to)) problems.push(`demo.close[${i}]: overgang ${id} sluit de casus niet af`)
    else if (!t.from.some((f) => passed.has(f)))
      problems.push(`demo.close[${i}]: overgang ${id} vertrekt uit geen status van de demo-route`)
  })
  return problems
}

/** What is wrong with a plug-in's routes: paths that are malformed or appear twice. */
export const routeProblems = (plugin: AnyRegionPlugin): Array<string> => {
  const routes = plugin.routes ?? []
  const problems: Array<string> = []
  routes.forEach((route, i) => {
    if (!PLUGIN_ROUTE_PATH.test(route.path))
      problems.push(`routes[${i}].path: "${route.path}" is geen pad zoals /meldformulier`)
    if (route.summary.trim() === "" || route.description.trim() === "")
      problems.push(`routes[${i}]: beschrijf de route (summary en description) voor de API-documentatie`)
  })
  for (const path of duplicates(routes.map((r) => r.path)))
    problems.push(`routes: pad ${path} komt twee keer voor`)
  return problems
}

/**
 * Every problem of the registry, in Dutch, each naming the plug-in: manifests that do not decode
 * (with the field), ids that appear twice, workflows and demo courses that do not hold together,
 * malformed routes. Empty when the registry can be used.
 */
export const registryProblems = (registry: ReadonlyArray<AnyRegionPlugin>): Array<string> => {
  const problems: Array<string> = []
  registry.forEach((plugin, index) => {
    const name = nameOf(plugin, index)
    const manifest = Decode.decodeUnknown(PluginManifest, "manifest")(plugin.manifest)
    if (Either.isLeft(manifest)) {
      for (const issue of manifest.left.issues)
        problems.push(
          `${name}: manifest${issue.path.startsWith("[") ? "" : "."}${issue.path}: ${issue.message}`,
        )
      return
    }
    for (const problem of workflowProblems(plugin)) problems.push(`${name}: werkwijze: ${problem}`)
    for (const problem of demoCourseProblems(plugin)) problems.push(`${name}: ${problem}`)
    for (const problem of routeProblems(plugin)) problems.push(`${name}: ${problem}`)
  })
  const ids = registry.map((p) => String(p.manifest?.id))
  for (const id of duplicates(ids)) {
    const places = ids.flatMap((other, i) => (other === id ? [i + 1] : []))
    problems.push(
      `plug-in-id ${id} komt ${places.length} keer voor (plaats ${places.join(" en ")}); elke plug-in heeft een eigen id`,
    )
  }
  return problems
}

/** The registry when it can be used, or every problem with it. */
export const checkRegistry = (
  registry: ReadonlyArray<AnyRegionPlugin>,
): Either.Either<ReadonlyArray<AnyRegionPlugin>, RegistryInvalid> => {
  const [first, ...rest] = registryProblems(registry)
  return first === undefined
    ? Either.right(registry)
    : Either.left(new RegistryInvalid({ problems: [first, ...rest] }))
}
