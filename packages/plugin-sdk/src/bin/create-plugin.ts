#!/usr/bin/env node
/**
 * verzuimregie-create-plugin --id <slug> --name "<naam>" --gemeente "<gemeente>"
 *
 * Scaffolds plugins/<slug> in the monorepo: a plug-in that passes the conformance suite as it is.
 */
import { parseArgs } from "node:util"
import { findRoot, problems, scaffold } from "../Scaffold.js"

const usage = `Gebruik: pnpm create-plugin --id <slug> --name "<naam>" --gemeente "<gemeente>" [--root <map>]

Maakt plugins/<slug> aan: een regionale plug-in die de conformance-suite doorstaat.
  --id        plug-in-id, kleine letters en streepjes (bijvoorbeeld zuid-holland-zuid)
  --name      naam zoals gebruikers die lezen
  --gemeente  de gemeente van de regio
  --root      de monorepo (standaard: de map met pnpm-workspace.yaml boven de huidige)`

const main = async (): Promise<number> => {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== "--"),
      options: {
        id: { type: "string" },
        name: { type: "string" },
        gemeente: { type: "string" },
        root: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values
  } catch (error) {
    // node:util's own text is English; name the argument it stumbled on.
    const option = /'([^']+)'/.exec((error as Error).message)?.[1]
    console.error(
      `${option === undefined ? "onbekende of onvolledige optie" : `onbekende of onvolledige optie ${option}`}\n\n${usage}`,
    )
    return 2
  }
  if (values.help === true) {
    console.log(usage)
    return 0
  }
  const root = typeof values.root === "string" ? values.root : findRoot(process.env.INIT_CWD ?? process.cwd())
  if (root === undefined) {
    console.error("geen monorepo gevonden (pnpm-workspace.yaml); geef --root")
    return 2
  }
  const options = {
    id: String(values.id ?? ""),
    name: String(values.name ?? ""),
    municipality: String(values.gemeente ?? ""),
    root,
  }
  const found = problems(options)
  if (found.length > 0) {
    console.error(`${found.join("\n")}\n\n${usage}`)
    return 2
  }
  const files = await scaffold(options)
  console.log(`Plug-in ${options.id} aangemaakt:\n${files.map((f) => `  ${f}`).join("\n")}

Volgende stappen:
  1. pnpm install
  2. pnpm --filter @verzuimregie/plugin-${options.id} test      (conformance-suite)
  3. voeg "@verzuimregie/plugin-${options.id}": "workspace:*" toe aan apps/gateway/package.json
     en één regel aan apps/gateway/src/plugins.ts
  4. zet de regio aan in de regioconfiguratie (plugin: ${options.id}); zie docs/plugins.md
  5. beschrijf de werkwijze bovenaan README.md; na elke wijziging van src/index.ts: pnpm plugin-readme`)
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 1
  },
)
