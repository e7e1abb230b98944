/**
 * A plug-in's README, generated from its definition: the workflow (states, transitions with their
 * Dutch labels, who may take them and what each requires), the referral, the settings with their
 * defaults, the deadlines, the help catalogue, the routes, the demo course and the sources. The
 * generated part sits between two markers; everything outside them is the author's own prose and is
 * kept when the README is generated again. The conformance suite compares the committed README
 * with this rendering, so a README cannot fall behind its plug-in.
 *
 * @since 0.1.0
 */
import { Access, CaseParts, Party, Referral } from "@verzuimregie/domain"
import { JSONSchema, Schema } from "effect"
import type { AnyRegionPlugin } from "./Plugin.js"

export const BEGIN =
  "<!-- BEGIN GENERATED: from src/index.ts by `pnpm plugin-readme`; edit the plug-in, not this part -->"
export const END = "<!-- END GENERATED -->"

/** A table cell: no line breaks, pipes escaped. */
const cell = (text: string): string => text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|")

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n")

const code = (s: string) => `\`${s}\``

const consentPolicyText: Record<string, string> = {
  referral:
    "`referral`: under 16 the parents consent to the referral; from 16 the pupil does, and the parents are informed",
  "care-ladder": "`care-ladder`: under 12 the parents; 12 to 15 the parents and the pupil; from 16 the pupil",
}

interface SettingRow {
  readonly key: string
  readonly title: string
  readonly description: string
  readonly defaultValue: unknown
}

const settingRows = (plugin: AnyRegionPlugin): Array<SettingRow> => {
  const defaults = Schema.decodeUnknownSync(plugin.settings)({}) as Record<string, unknown>
  const json = JSONSchema.make(plugin.settings) as {
    properties?: Record<string, { title?: string; description?: string }>
    $defs?: Record<string, { properties?: Record<string, { title?: string; description?: string }> }>
  }
  const properties =
    json.properties ?? Object.values(json.$defs ?? {}).find((d) => d.properties)?.properties ?? {}
  const keys = [...new Set([...Object.keys(properties), ...Object.keys(defaults)])]
  return keys.map((key) => ({
    key,
    title: properties[key]?.title ?? "",
    description: properties[key]?.description ?? "",
    defaultValue: defaults[key],
  }))
}

const extensionRows = (plugin: AnyRegionPlugin): Array<ReadonlyArray<string>> => {
  const json = JSONSchema.make(plugin.referral.extension) as {
    properties?: Record<string, { title?: string; description?: string }>
    required?: ReadonlyArray<string>
    $defs?: Record<
      string,
      {
        properties?: Record<string, { title?: string; description?: string }>
        required?: ReadonlyArray<string>
      }
    >
  }
  const root =
    json.properties !== undefined ? json : Object.values(json.$defs ?? {}).find((d) => d.properties)
  const required = new Set(root?.required ?? [])
  return Object.entries(root?.properties ?? {}).map(([field, spec]) => [
    code(field),
    spec.title ?? "",
    spec.description ?? "",
    required.has(field) ? "yes" : "",
  ])
}

/** The generated part of the README, markers included. */
export const generatedPart = (plugin: AnyRegionPlugin): string => {
  const { manifest, workflow, referral } = plugin
  const stateLabel = (id: string) => workflow.states.find((s) => s.id === id)?.label ?? id
  const out: Array<string> = [BEGIN, ""]
  out.push(
    `**Id** ${code(manifest.id)} · **version** ${manifest.version} · **municipalities** ${manifest.municipalities.join(", ")}`,
    "",
    `> ${manifest.description}`,
    "",
  )

  out.push(
    "## Workflow",
    "",
    `A case starts in ${code(workflow.initial)} (${stateLabel(workflow.initial)}).`,
    "",
  )
  out.push(
    table(
      ["state", "label", "final", "what it means"],
      workflow.states.map((s) => [code(s.id), s.label, s.final === true ? "yes" : "", s.description]),
    ),
    "",
  )
  out.push(
    table(
      ["transition", "label", "from → to", "who", "requires", "closes with"],
      workflow.transitions.map((t) => [
        code(t.id),
        t.label,
        `${t.from.map(code).join(", ")} → ${code(t.to)}`,
        t.roles.map((r) => Access.userRoleLabel[r] ?? r).join(", "),
        t.guards.length === 0 ? "—" : t.guards.map((g) => g.requires).join("; "),
        (t.outcomes ?? []).map((o) => CaseParts.outcomeKindLabel[o] ?? o).join(", "),
      ]),
    ),
    "",
  )
  const restricted = workflow.states.filter((s) => s.allowedEvents !== undefined)
  if (restricted.length > 0) {
    out.push("What can be recorded where a state limits it:", "")
    for (const s of restricted)
      out.push(`- ${code(s.id)}: ${(s.allowedEvents ?? []).map(code).join(", ") || "nothing"}`)
    out.push("")
  }
  if (plugin.checkEvent !== undefined)
    out.push("The plug-in has its own rule on logging events (`checkEvent`); see `src/index.ts`.", "")

  out.push("## Referral", "")
  out.push(`- Who may refer: ${referral.referrerRoles.map((r) => Party.partyRoleLabel[r] ?? r).join(", ")}`)
  out.push(
    `- Kinds of verzuim taken on: ${referral.verzuimKinds === undefined ? "all" : referral.verzuimKinds.map((k) => Referral.verzuimKindLabel[k] ?? k).join(", ")}`,
  )
  out.push(`- Consent: ${consentPolicyText[referral.consentPolicy] ?? code(referral.consentPolicy)}`)
  if (referral.consentAlwaysRecorded) out.push("- A recorded consent is required whatever the pupil's age")
  out.push(
    `- A referral for a pupil with an open case: ${(referral.whenAlreadyOpen ?? "refuse") === "refuse" ? "refused (409)" : "linked to the open case"}`,
  )
  if (referral.check !== undefined)
    out.push("- The region has its own conditions on a referral (`referral.check`)")
  out.push("")
  const fields = extensionRows(plugin)
  if (fields.length > 0)
    out.push(
      "The region's own fields (`extension`):",
      "",
      table(["field", "title", "help", "required"], fields),
      "",
    )

  out.push("## Settings", "")
  const settings = settingRows(plugin)
  out.push(
    settings.length === 0
      ? "None."
      : table(
          ["setting", "title", "default", "what it does"],
          settings.map((s) => [code(s.key), s.title, code(JSON.stringify(s.defaultValue)), s.description]),
        ),
    "",
  )
  const thresholds = Object.entries(plugin.thresholds).filter(([, v]) => v !== undefined)
  if (thresholds.length > 0) {
    out.push("National thresholds the plug-in sets (a region's configuration may override them):", "")
    for (const [name, value] of thresholds) out.push(`- ${code(name)}: ${code(JSON.stringify(value))}`)
    out.push("")
  }

  out.push("## Deadlines", "")
  out.push(
    plugin.deadlines.length === 0
      ? "None."
      : table(
          ["deadline", "label"],
          plugin.deadlines.map((d) => [code(d.id), d.label]),
        ),
    "",
  )

  out.push("## Help catalogue", "")
  out.push(
    plugin.catalogue.length === 0
      ? "None."
      : table(
          ["code", "label", "ages", "description"],
          plugin.catalogue.map((c) => [
            code(c.code),
            c.label,
            c.minAge === undefined && c.maxAge === undefined ? "" : `${c.minAge ?? 0}–${c.maxAge ?? ""}`,
            c.description,
          ]),
        ),
    "",
  )
  out.push(
    `Closing outcomes: ${plugin.outcomes.map((o) => CaseParts.outcomeKindLabel[o] ?? o).join(", ")}.`,
    "",
  )

  out.push("## Report columns", "")
  out.push(
    table(
      ["column", "header", "kind", "identifies the pupil"],
      plugin.reports.caseColumns.map((c) => [
        code(c.key),
        c.header,
        c.kind,
        c.personal ? "yes (left out of mail)" : "",
      ]),
    ),
    "",
  )

  if ((plugin.routes ?? []).length > 0) {
    out.push("## Routes", "", "Read-only, for the region's members, at `/regions/{regionId}/plugin…`:", "")
    for (const r of plugin.routes ?? []) out.push(`- \`GET ${r.path}\`: ${r.summary}`)
    out.push("")
  }

  out.push("## Demo course", "")
  out.push(
    `The demo walks a synthetic case through ${plugin.demo.steps.map((s) => `${code(s.take)} (to ${code(s.reaches)})`).join(", ") || "no steps"}, and closes it with ${plugin.demo.close.map(code).join(" or ")}; its case workers hold the role ${Party.partyRoleLabel[plugin.demo.staffRole] ?? plugin.demo.staffRole}.`,
    "",
  )

  out.push(
    "## Sources",
    "",
    manifest.source === undefined ? "None named in the manifest." : `- ${manifest.source}`,
    "",
  )
  if (manifest.organisations.length > 0) {
    out.push("## Organisations", "")
    for (const o of manifest.organisations) out.push(`- ${o.name} (${o.kind})`)
    out.push("")
  }
  out.push(
    `Contact roles: ${manifest.contactRoles.map((r) => Party.partyRoleLabel[r as Party.PartyRole] ?? r).join(", ")}.`,
    "",
    END,
  )
  return out.join("\n")
}

/**
 * The README for `plugin`: `previous` with its generated part replaced, or, without one, a title
 * and a place for the author's prose followed by the generated part.
 */
export const renderReadme = (plugin: AnyRegionPlugin, previous?: string): string => {
  const generated = generatedPart(plugin)
  if (previous !== undefined) {
    const begin = previous.indexOf("<!-- BEGIN GENERATED")
    const end = previous.indexOf(END)
    if (begin >= 0 && end > begin)
      return previous.slice(0, begin) + generated + previous.slice(end + END.length)
    if (previous.trim() !== "") return `${previous.trimEnd()}\n\n${generated}\n`
  }
  return `# ${plugin.manifest.name}\n\n${generated}\n`
}
