/**
 * The read-only routes regional plug-ins contribute (`RegionPlugin.routes`), as route specs of the
 * gateway: one operation per region whose plug-in has the route, at
 * `/regions/{regionId}/plugin{path}`, so they pass the same pipeline (authentication, problem+json,
 * the answer encoded with the plug-in's schema) and appear in OpenAPI with that schema. Only the
 * region's members get an answer; anyone else gets the 404 of an unknown region.
 */
import { Access, type Regions } from "@verzuimregie/app"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { Effect } from "effect"
import { type Route, route } from "../http/Route.js"

export const PLUGIN_TAG = "Regio-plug-ins"

export const pluginRoutes = (
  regions: ReadonlyArray<RegionConfig.EnabledRegion>,
): ReadonlyArray<Route<Regions.Regions>> =>
  regions.flatMap(({ region, plugin }) =>
    (plugin.routes ?? []).map((contributed) =>
      route(
        {
          method: "get",
          path: `/regions/${region.id}/plugin${contributed.path}`,
          operationId: `plugin_${region.id}_${contributed.path}`
            .replace(/[^A-Za-z0-9]+/g, "_")
            .replace(/_+$/, ""),
          summary: `${region.name}: ${contributed.summary}`,
          description: `${contributed.description} (Van de plug-in ${plugin.manifest.id}.)`,
          tag: PLUGIN_TAG,
          response: { status: 200, schema: contributed.response, description: contributed.summary },
          errors: [Access.NotFound],
        },
        () =>
          Effect.map(Access.ownRegion(region.id), ({ region: enabled, regions }) =>
            contributed.answer({
              on: regions.today(),
              settings: enabled.settings,
              calendars: enabled.calendars,
            }),
          ),
      ),
    ),
  )
