/** A plug-in registry module for the command-line tests (as `apps/gateway/src/plugins.ts`). */
import type { Plugin } from "@verzuimregie/plugin-sdk"
import { registry } from "./regions.js"

export const plugins: ReadonlyArray<Plugin.AnyRegionPlugin> = registry
