import { conformanceSuite } from "@verzuimregie/plugin-sdk/conformance"
import plugin from "../src/index.js"

conformanceSuite(plugin)
