#!/usr/bin/env node
/**
 * verzuimregie-check-config [file]
 *
 * Loads a region configuration against the shipped plug-ins and prints what it enables, or every
 * problem with its path; exits 1 when the configuration is invalid. The gateway runs the same
 * function (`loadConfig`) at start-up and does not start half-configured, so what passes here
 * starts there.
 */
import { Either } from "effect"
import { configFile, loadConfig } from "../config.js"

const usage = `Gebruik: pnpm check-config -- [regio-configuratie.yaml]

Controleert een regioconfiguratie (YAML of JSON) tegen de meegeleverde plug-ins.
Zonder bestand: REGIONS_FILE, of de voorbeeldconfiguratie config/regions.yaml.
Relatieve paden gelden vanaf de map waarin u de opdracht geeft.`

const main = async (): Promise<number> => {
  // pnpm runs a package's scripts in its own folder and passes the user's in INIT_CWD: a relative
  // file name means what the user typed where they stand.
  if (process.env.INIT_CWD !== undefined && process.env.INIT_CWD !== "") process.chdir(process.env.INIT_CWD)
  const args = process.argv.slice(2).filter((a) => a !== "--")
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage)
    return 0
  }
  const file = args[0] ?? configFile()
  const result = await loadConfig(file)
  if (Either.isLeft(result)) {
    console.error(result.left.message)
    return 1
  }
  console.log(`${result.right.file}: ${result.right.regions.length} regio('s) geconfigureerd`)
  for (const r of result.right.regions) {
    const calendar = r.usesSampleCalendar
      ? " (voorbeeldkalender: controleer tegen de eigen schoolkalender)"
      : ""
    console.log(
      `  ${r.region.id}: ${r.plugin.manifest.name} ${r.plugin.manifest.version}, vakantieregio ${r.region.holidayRegion}${calendar}`,
    )
  }
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
