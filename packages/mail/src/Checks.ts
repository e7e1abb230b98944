/**
 * Start-up checks of the mail settings in the region configuration. The plug-in SDK's schema
 * already requires valid addresses and at least one recipient wherever `summaries` or `inspectie`
 * is configured; these checks repeat that for regions built in code, and add what only mail knows:
 * a referrer does not receive the region's summary (it lists every case of the region), and the
 * Inspectie overview is quarterly.
 *
 * @since 0.1.0
 */
import { Text } from "@verzuimregie/domain"
import { RegionConfig } from "@verzuimregie/plugin-sdk"
import { Schema } from "effect"

export interface RegionProblem {
  readonly regionId: string
  /** The field in the region's configuration, e.g. `summaries.recipients[0].email`. */
  readonly field: string
  readonly message: string
}

export class MailStartupError extends Schema.TaggedError<MailStartupError>()("MailStartupError", {
  problems: Schema.NonEmptyArray(
    Schema.Struct({ regionId: Schema.String, field: Schema.String, message: Schema.String }),
  ),
}) {
  override get message(): string {
    return `mail kan niet starten (${this.problems.length} ${this.problems.length === 1 ? "probleem" : "problemen"}):\n${this.problems
      .map((p) => `  ${p.regionId === "" ? "" : `regio ${p.regionId}: `}${p.field}: ${p.message}`)
      .join("\n")}`
  }
}

const isEmail = Schema.is(Text.Email)

export interface MailSettingsOfRegion {
  readonly region: { readonly id: string }
  readonly summaries: RegionConfig.SummarySettings | undefined
  readonly inspectie: RegionConfig.SummarySettings | undefined
}

/**
 * Every problem with the regions' mail settings, each naming the region and the field.
 *
 * @example
 * Checks.regionProblems(config.regions)
 * // [{ regionId: "westland", field: "summaries.recipients", message: "het overzicht voor medewerkers is ingepland, maar heeft geen ontvangers" }]
 */
export const regionProblems = (regions: ReadonlyArray<MailSettingsOfRegion>): Array<RegionProblem> => {
  const problems: Array<RegionProblem> = []
  for (const r of regions) {
    const regionId = r.region.id
    for (const [field, settings, what] of [
      ["summaries", r.summaries, "het overzicht voor medewerkers"],
      ["inspectie", r.inspectie, "het Inspectie-overzicht"],
    ] as const) {
      if (settings === undefined) continue
      if (settings.recipients.length === 0) {
        problems.push({
          regionId,
          field: `${field}.recipients`,
          message: `${what} is ingepland, maar heeft geen ontvangers`,
        })
      }
      settings.recipients.forEach((recipient, i) => {
        if (!isEmail(recipient.email)) {
          problems.push({
            regionId,
            field: `${field}.recipients[${i}].email`,
            message: `verwacht een e-mailadres zoals naam@school.nl, niet ${JSON.stringify(recipient.email)}`,
          })
        }
      })
    }
    // The rules the configuration check also runs (one truth: RegionConfig.summaryProblems).
    for (const problem of RegionConfig.summaryProblems(r)) problems.push({ regionId, ...problem })
  }
  return problems
}

/** Fails with every problem at once, or succeeds. */
export const check = (regions: ReadonlyArray<MailSettingsOfRegion>): MailStartupError | undefined => {
  const [first, ...rest] = regionProblems(regions)
  return first === undefined ? undefined : new MailStartupError({ problems: [first, ...rest] })
}
