/**
 * The regions this installation runs, each with its plug-in, settings and calendars: the loaded
 * region configuration as a service, so use cases reach it the same way they reach the store.
 */
import { type Ids, LocalDate } from "@verzuimregie/domain"
import type { Plugin, RegionConfig } from "@verzuimregie/plugin-sdk"
import { Context, Layer } from "effect"

export interface RegionsService {
  readonly all: ReadonlyArray<RegionConfig.EnabledRegion>
  readonly get: (regionId: string) => RegionConfig.EnabledRegion | undefined
  /** The regions of `wanted` that this installation runs (never an unknown region id). */
  readonly enabled: (wanted: ReadonlyArray<Ids.RegionId>) => ReadonlyArray<Ids.RegionId>
  /** Today in Europe/Amsterdam: the peildatum of every rule. */
  readonly today: () => LocalDate.LocalDate
}

export class Regions extends Context.Tag("@verzuimregie/app/Regions")<Regions, RegionsService>() {}

export const make = (
  config: RegionConfig.LoadedConfig,
  today: () => LocalDate.LocalDate = LocalDate.todayInAmsterdam,
): RegionsService => {
  const byId = new Map(config.regions.map((r) => [r.region.id as string, r]))
  return {
    all: config.regions,
    get: (regionId) => byId.get(regionId),
    enabled: (wanted) => wanted.filter((id) => byId.has(id)),
    today,
  }
}

export const layer = (config: RegionConfig.LoadedConfig, today?: () => LocalDate.LocalDate) =>
  Layer.succeed(Regions, make(config, today))

/** Plug-in context for a region on a date. */
export const contextFor = (
  region: RegionConfig.EnabledRegion,
  on: LocalDate.LocalDate,
): Plugin.PluginContext<unknown> => ({
  on,
  settings: region.settings,
  calendars: region.calendars,
})
