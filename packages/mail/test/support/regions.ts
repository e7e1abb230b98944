/** Region configurations for the tests, through the SDK's own loader. */
import amstelland from "@verzuimregie/plugin-amstelland"
import erOpAf from "@verzuimregie/plugin-er-op-af"
import { type Plugin, RegionConfig } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"
import { Either } from "effect"

export const registry: ReadonlyArray<Plugin.AnyRegionPlugin> = [erOpAf, westland, amstelland]

export const STAFF_RECIPIENT = "coordinator@westland.example"
export const INSPECTIE_RECIPIENT = "directie@swv-westland.example"

/** Westland with a weekly summary (maandag 07:00) and the quarterly Inspectie overview. */
export const regionsYaml = {
  version: 1,
  regions: [
    {
      id: "westland",
      name: "Westland",
      holidayRegion: "midden",
      municipalities: ["Westland"],
      plugin: "westland",
      summaries: {
        recipients: [{ email: STAFF_RECIPIENT, role: "coordinator" }],
        schedule: { every: "week", on: "maandag", at: "07:00" },
      },
      inspectie: {
        recipients: [{ email: INSPECTIE_RECIPIENT, role: "coordinator" }],
        schedule: { every: "kwartaal", dayOfQuarter: 1, at: "07:00" },
      },
    },
  ],
}

export const loadRegions = (input: unknown = regionsYaml): ReadonlyArray<RegionConfig.EnabledRegion> =>
  Either.getOrThrow(RegionConfig.resolveConfig("test", input, registry)).regions
