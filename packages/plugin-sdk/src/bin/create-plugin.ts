#!/usr/bin/env node
/**
 * verzuimregie-create-plugin --id <slug> --name "<naam>" --gemeente "<gemeente>"
 *
 * Scaffolds plugins/<slug> in the monorepo: a plug-in that passes the conformance suite as it is.
 */
import { Cli } from "@verzuimregie/cli"
import { findRoot, problems, scaffold } from "../Scaffold.js"

Cli.runMain(
  Cli.command("verzuimregie-create-plugin", {
    summary: "Maakt plugins/<slug> aan: een regionale plug-in die de conformance-suite doorstaat.",
    details: 'Via pnpm: pnpm create-plugin --id <slug> --name "<naam>" --gemeente "<gemeente>"',
    options: {
      id: Cli.text("id", {
        placeholder: "<slug>",
        description: "plug-in-id, kleine letters en streepjes (bijvoorbeeld zuid-holland-zuid)",
      }),
      name: Cli.text("name", { placeholder: "<naam>", description: "naam zoals gebruikers die lezen" }),
      gemeente: Cli.text("gemeente", { placeholder: "<gemeente>", description: "de gemeente van de regio" }),
      root: Cli.optional(
        Cli.text("root", {
          placeholder: "<map>",
          description: "de monorepo (standaard: de map met pnpm-workspace.yaml boven de huidige)",
        }),
      ),
    },
    run: async (o) => {
      // scripts/run.mjs runs the command in the folder the user ran pnpm in.
      const root = o.root ?? findRoot(process.cwd())
      if (root === undefined)
        throw new Cli.UsageError({
          message: "--root: geen monorepo gevonden (pnpm-workspace.yaml); geef --root",
        })
      const options = { id: o.id, name: o.name, municipality: o.gemeente, root }
      const found = problems(options)
      if (found.length > 0) throw new Cli.UsageError({ message: found.join("\n") })
      const files = await scaffold(options)
      console.log(`Plug-in ${options.id} aangemaakt:\n${files.map((f) => `  ${f}`).join("\n")}

Volgende stappen:
  1. pnpm install
  2. pnpm --filter @verzuimregie/plugin-${options.id} test      (conformance-suite)
  3. voeg "@verzuimregie/plugin-${options.id}": "workspace:*" toe aan apps/gateway/package.json
     en één regel aan apps/gateway/src/plugins.ts
  4. zet de regio aan in de regioconfiguratie (plugin: ${options.id}); zie docs/plugins.md
  5. beschrijf de werkwijze bovenaan README.md; na elke wijziging van src/index.ts: pnpm plugin-readme`)
    },
  }),
)
