import { fileURLToPath } from "node:url"
import { conformanceSuite } from "@verzuimregie/plugin-sdk/conformance"
import plugin from "../src/index.js"

conformanceSuite(plugin, { readme: fileURLToPath(new URL("../README.md", import.meta.url)) })
