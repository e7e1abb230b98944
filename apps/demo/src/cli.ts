/**
 * The check-referral command line, as a function: `main.ts` runs it with the national rules only;
 * the gateway's `check-referral` runs it with `regional`, which loads the region configuration and
 * the region's plug-in for `--region`.
 */
import { LocalDate } from "@verzuimregie/domain"
import { checkFiles, type RegionalCheck, sampleFiles } from "./check.js"

export const usage = `Gebruik: pnpm check-referral -- [--on JJJJ-MM-DD] [--region REGIO [--config regio's.yaml]] [aanmelding.json …]

Controleert aanmeldingen (JSON) tegen het schema en de landelijke verzuimregels en toont
welke regels van toepassing zijn. Zonder bestanden: de voorbeeldaanmeldingen.
Relatieve paden gelden vanaf de map waarin u de opdracht geeft.

  --on JJJJ-MM-DD   peildatum (standaard: vandaag, Europe/Amsterdam)
  --region REGIO    controleer ook zoals die regio (haar plug-in) aanmeldingen aanneemt
  --config BESTAND  regioconfiguratie voor --region (standaard REGIONS_FILE of config/regions.yaml)
  --help            deze tekst`

export interface Io {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
  /**
   * The region's own check for `--region` (and the configuration of `--config`); a string is
   * the reason it cannot be had. Without it, `--region` is refused.
   */
  readonly regional?: (
    regionId: string,
    configFile: string | undefined,
  ) => Promise<RegionalCheck | { readonly problem: string }>
}

export const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const args = argv.filter((a) => a !== "--")
  if (args.includes("--help") || args.includes("-h")) {
    io.out(usage)
    return 0
  }
  let on = LocalDate.todayInAmsterdam()
  let regionId: string | undefined
  let configFile: string | undefined
  const files: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--on") {
      const value = args[++i] ?? ""
      if (!LocalDate.isLocalDate(value)) {
        io.err(`--on: verwacht een datum JJJJ-MM-DD, kreeg "${value}"`)
        return 2
      }
      on = value
    } else if (arg === "--region" || arg === "--config") {
      const value = args[++i]
      if (value === undefined || value.startsWith("--")) {
        io.err(
          `${arg}: ${arg === "--region" ? "verwacht een regio-id, bijvoorbeeld westland" : "verwacht een bestand"}`,
        )
        return 2
      }
      if (arg === "--region") regionId = value
      else configFile = value
    } else if (arg.startsWith("--")) {
      io.err(`onbekende optie ${arg}\n\n${usage}`)
      return 2
    } else files.push(arg)
  }
  if (configFile !== undefined && regionId === undefined) {
    io.err("--config: alleen samen met --region")
    return 2
  }
  let regional: RegionalCheck | undefined
  if (regionId !== undefined) {
    if (io.regional === undefined) {
      io.err("--region: deze versie kent de regionale plug-ins niet; gebruik pnpm check-referral")
      return 2
    }
    const found = await io.regional(regionId, configFile)
    if ("problem" in found) {
      io.err(found.problem)
      return 2
    }
    regional = found
  }
  const usingSamples = files.length === 0
  const results = await checkFiles(usingSamples ? await sampleFiles() : files, on, regional)
  io.out(
    `verzuimregie — aanmeldingen controleren, peildatum ${on}${regional === undefined ? "" : `, regio ${regional.label}`}\n`,
  )
  for (const r of results) io.out(`${r.lines.join("\n")}\n`)
  const invalid = results.filter((r) => !r.valid).length
  io.out(`${results.length - invalid} geldig, ${invalid} ongeldig`)
  if (usingSamples) {
    io.out("(de voorbeeldbestanden die met invalid- beginnen zijn met opzet ongeldig)")
    return 0
  }
  return invalid > 0 ? 1 : 0
}
