/**
 * @verzuimregie/app: the use cases between {store, plugin-sdk, domain, export-xlsx} and the doors
 * {gateway, mail, CLIs, web pages}. Nothing here imports a door.
 */
export * as Absence from "./Absence.js"
export * as Access from "./Access.js"
export * as Admin from "./Admin.js"
export * as AuditTrail from "./AuditTrail.js"
export * as CaseEffects from "./CaseEffects.js"
export * as Cases from "./Cases.js"
export * as CaseViews from "./CaseViews.js"
export * as CurrentPrincipal from "./CurrentPrincipal.js"
export * as Dashboard from "./Dashboard.js"
export * as Inbox from "./Inbox.js"
export * as Notifications from "./Notifications.js"
export * as QuarterlyRound from "./QuarterlyRound.js"
export * as Referrals from "./Referrals.js"
export * as Regie from "./Regie.js"
export * as RegionReads from "./RegionReads.js"
export * as Regions from "./Regions.js"
export * as Reports from "./Reports.js"
export * as SystemPrincipals from "./SystemPrincipals.js"
export * as WebSignIn from "./WebSignIn.js"
