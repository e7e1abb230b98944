#!/usr/bin/env node
/**
 * verzuimregie-check-referral with the regions: `pnpm check-referral -- [--region R] file.json`.
 *
 * The demo's check (schema and national rules), plus, with `--region`, that region's plug-in as
 * the gateway runs it on `POST /referrals` (`Workflow.acceptReferral` with the region's settings
 * and calendars), loaded from the same region configuration through the same `loadConfig`.
 */
import { Regions } from "@verzuimregie/app"
import { Cli } from "@verzuimregie/cli"
import { checkReferral } from "@verzuimregie/demo"
import { Workflow } from "@verzuimregie/plugin-sdk"
import { Either } from "effect"
import { configFile, loadConfig } from "../config.js"

Cli.runMain(
  checkReferral({
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    regional: async (regionId, file) => {
      const config = await loadConfig(file ?? configFile())
      if (Either.isLeft(config)) return { problem: config.left.message }
      const region = config.right.regions.find((r) => r.region.id === regionId)
      if (region === undefined) {
        return {
          problem: `--region: regio ${regionId} staat niet in ${config.right.file}; wel: ${config.right.regions.map((r) => r.region.id).join(", ")}`,
        }
      }
      return {
        regionId,
        label: `${regionId} (plug-in ${region.plugin.manifest.id} ${region.plugin.manifest.version})`,
        check: (referral, on) => {
          const accepted = Workflow.acceptReferral(region.plugin, referral, Regions.contextFor(region, on))
          return Either.isLeft(accepted) ? accepted.left.issues : []
        },
      }
    },
  }),
)
