/**
 * Where the region configuration comes from, and loading it against the shipped plug-ins.
 */
import { fileURLToPath } from "node:url"
import { RegionConfig } from "@verzuimregie/plugin-sdk"
import { plugins } from "./plugins.js"

/** The sample configuration in the repository: the three seed regions, each with its plug-in. */
export const sampleConfigFile = fileURLToPath(new URL("../../../config/regions.yaml", import.meta.url))

/** `REGIONS_FILE` when set, else the sample configuration. */
export const configFile = (env: NodeJS.ProcessEnv = process.env): string =>
  env.REGIONS_FILE ?? sampleConfigFile

export const loadConfig = (file: string = configFile()) => RegionConfig.loadRegionConfig(file, plugins)
