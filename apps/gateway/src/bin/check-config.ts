#!/usr/bin/env node
/**
 * verzuimregie-check-config [file]
 *
 * Loads a region configuration against the shipped plug-ins and prints what it enables, or every
 * problem with its path; exits 1 when the configuration is invalid. The gateway runs the same
 * function (`loadConfig`) at start-up and does not start half-configured, so what passes here
 * starts there.
 */
import { Cli } from "@verzuimregie/cli"
import { Either } from "effect"
import { configFile, loadConfig } from "../config.js"

Cli.runMain(
  Cli.command("verzuimregie-check-config", {
    summary: `Controleert een regioconfiguratie (YAML of JSON) tegen de meegeleverde plug-ins.
Zonder bestand: REGIONS_FILE, of de voorbeeldconfiguratie config/regions.yaml.
Relatieve paden gelden vanaf de map waarin u de opdracht geeft.`,
    details: "Via pnpm: pnpm check-config -- [regio-configuratie.yaml]",
    options: {},
    args: Cli.args("<regio-configuratie.yaml>", Cli.NonEmpty, {
      description: "de regioconfiguratie om te controleren",
      max: 1,
    }),
    run: async (_, [file]) => {
      const result = await loadConfig(file ?? configFile())
      if (Either.isLeft(result)) throw new Cli.Failed({ message: result.left.message })
      console.log(`${result.right.file}: ${result.right.regions.length} regio('s) geconfigureerd`)
      for (const r of result.right.regions) {
        const calendar = r.usesSampleCalendar
          ? " (voorbeeldkalender: controleer tegen de eigen schoolkalender)"
          : ""
        console.log(
          `  ${r.region.id}: ${r.plugin.manifest.name} ${r.plugin.manifest.version}, vakantieregio ${r.region.holidayRegion}${calendar}`,
        )
      }
    },
  }),
)
