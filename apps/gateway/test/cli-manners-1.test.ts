/** Every command line minds its manners, share 1: see support/cli-manners.ts. */
import { cliMannersShare } from "./support/cli-manners.js"

cliMannersShare(1)
