/**
 * The regional plug-ins this distribution ships. Listed explicitly, one line each: no directory
 * scanning, so what runs is what is reviewed. To add a region's plug-in, add its package to this
 * app's dependencies and one line here; a region configuration then enables it by id.
 */
import amstelland from "@verzuimregie/plugin-amstelland"
import erOpAf from "@verzuimregie/plugin-er-op-af"
import type { Plugin } from "@verzuimregie/plugin-sdk"
import westland from "@verzuimregie/plugin-westland"

export const plugins: ReadonlyArray<Plugin.AnyRegionPlugin> = [erOpAf, westland, amstelland]
