/**
 * @verzuimregie/web: the staff web app, mounted by the gateway at `/` (see `Web.tsx`).
 */
export type { Current, PageKit, PageModule, WebEnv } from "./Kit.js"
export { PAGE_MODULES } from "./Modules.js"
export {
  isWebPath,
  isWebUploadPath,
  mountWeb,
  type SignInLimiter,
  safeReturnPath,
  type WebOptions,
  type WebServices,
} from "./Web.js"
