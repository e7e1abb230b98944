/**
 * The check-referral command, as a `@verzuimregie/cli` command: `main.ts` runs it with the national
 * rules only; the gateway's `check-referral` runs it with `regional`, which loads the region
 * configuration and the region's plug-in for `--region`.
 */
import { Cli } from "@verzuimregie/cli"
import { LocalDate } from "@verzuimregie/domain"
import { Schema } from "effect"
import { checkFiles, type RegionalCheck, sampleFiles } from "./check.js"

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

/** A calendar date that exists: `2026-02-30` is refused. */
const Day = Schema.String.pipe(Schema.filter(LocalDate.isLocalDate)) as unknown as Schema.Schema<
  LocalDate.LocalDate,
  string
>

/** The command; `io.regional` adds the regional check of `--region`. */
export const checkReferral = (io: Io): Cli.Command =>
  Cli.command("verzuimregie-check-referral", {
    summary: `Controleert aanmeldingen (JSON) tegen het schema en de landelijke verzuimregels en toont
welke regels van toepassing zijn. Zonder bestanden: de voorbeeldaanmeldingen.
Relatieve paden gelden vanaf de map waarin u de opdracht geeft.`,
    details:
      "Met bestanden is de afsluitcode 1 als een aanmelding ongeldig is; de voorbeelden geven altijd 0.\nVia pnpm: pnpm check-referral -- [opties] [aanmelding.json …]",
    options: {
      on: Cli.optional(
        Cli.option("on", Day, {
          placeholder: "<JJJJ-MM-DD>",
          description: "peildatum (standaard: vandaag, Europe/Amsterdam)",
          expected: "een datum JJJJ-MM-DD",
        }),
      ),
      region: Cli.optional(
        Cli.text("region", {
          placeholder: "<regio>",
          description: "controleer ook zoals die regio (haar plug-in) aanmeldingen aanneemt",
          expected: "een regio-id, bijvoorbeeld westland",
        }),
      ),
      config: Cli.optional(
        Cli.text("config", {
          placeholder: "<bestand>",
          description: "regioconfiguratie voor --region (standaard REGIONS_FILE of config/regions.yaml)",
          expected: "een bestand",
        }),
      ),
    },
    args: Cli.args("<aanmelding.json>", Cli.NonEmpty, { description: "aanmeldingen om te controleren" }),
    run: async (o, files) => {
      const on = o.on ?? LocalDate.todayInAmsterdam()
      if (o.config !== undefined && o.region === undefined)
        throw new Cli.UsageError({ message: "--config: alleen samen met --region" })
      let regional: RegionalCheck | undefined
      if (o.region !== undefined) {
        if (io.regional === undefined)
          throw new Cli.UsageError({
            message: "--region: deze versie kent de regionale plug-ins niet; gebruik pnpm check-referral",
          })
        const found = await io.regional(o.region, o.config)
        if ("problem" in found) throw new Cli.UsageError({ message: found.problem })
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
        return Cli.ExitCode.ok
      }
      return invalid > 0 ? Cli.ExitCode.failed : Cli.ExitCode.ok
    },
  })
