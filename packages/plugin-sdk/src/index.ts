/**
 * @verzuimregie/plugin-sdk — what an integrator needs to write a regional plug-in: the contract
 * (`Plugin`), shared guards, deadlines, the workflow engine, region configuration, and fixtures.
 * The conformance suite is at `@verzuimregie/plugin-sdk/conformance`.
 *
 * @since 0.1.0
 */
export * as Columns from "./Columns.js"
export * as Deadlines from "./Deadlines.js"
export * as Demo from "./Demo.js"
export * as Fixtures from "./Fixtures.js"
export * as Guards from "./Guards.js"
export * as Plugin from "./Plugin.js"
export { definePlugin, pluginRoute } from "./Plugin.js"
export * as Readme from "./Readme.js"
export * as RegionConfig from "./RegionConfig.js"
export * as Registry from "./Registry.js"
export * as Scaffold from "./Scaffold.js"
export * as Workflow from "./Workflow.js"
