/**
 * @verzuimregie/app: the use cases between {store, plugin-sdk, domain, export-xlsx} and the doors
 * {gateway, mail, CLIs, web pages}. Nothing here imports a door.
 */
export * as CurrentPrincipal from "./CurrentPrincipal.js"
export * as Regie from "./Regie.js"
export * as Regions from "./Regions.js"
