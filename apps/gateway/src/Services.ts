/** Everything a gateway handler may use: the store's services, the accounts and the regions. */

import type { Regions } from "@verzuimregie/app"
import type { Database, Store } from "@verzuimregie/store"

export type GatewayServices = Store.Services | Database.Database | Regions.Regions
