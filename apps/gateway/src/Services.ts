/** Everything a gateway handler may use: the store's services, the accounts and the regions. */
import type { Database, Store } from "@verzuimregie/store"
import type { Regions } from "./Regions.js"

export type GatewayServices = Store.Services | Database.Database | Regions
