/**
 * @verzuimregie/web: the staff web app, mounted by the gateway at `/` (see `Web.tsx`).
 */
export {
  isWebPath,
  mountWeb,
  type SignInLimiter,
  safeReturnPath,
  type WebOptions,
  type WebServices,
} from "./Web.js"
