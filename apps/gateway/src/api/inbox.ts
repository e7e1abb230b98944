/**
 * The caller's own work: the personal inbox ("Mijn werk"). The route spec only: what is on it is
 * the `Inbox` use case of `@verzuimregie/app`, the same as the web page's.
 */
import { Access, Inbox as InboxUseCase } from "@verzuimregie/app"
import { Errors } from "@verzuimregie/domain"
import { Pagination } from "@verzuimregie/store"
import type { Route } from "../http/Route.js"
import { route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { Inbox } from "./schemas.js"

export const inboxRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/me/inbox",
      operationId: "getMyInbox",
      summary: "Mijn werk: wat nu uw aandacht vraagt, urgentste eerst",
      description:
        "Uw open acties die binnen 7 dagen moeten zijn gedaan of verlopen zijn (verlopen vanaf de dag na de datum), nieuwe aanmeldingen die in uw regio's op intake wachten, termijnen van uw casussen (regiehouder) die verlopen of binnenkort verlopen, Thuiszitterspact-signalen van uw casussen en, voor verzuimmedewerkers van een school, de nieuwe verzuimsignalen van uw school. Elk item met de pagina waar u het afhandelt. De opvraging komt in de toegangslog.",
      tag: "Mijn werk",
      roles: InboxUseCase.INBOX_ROLES,
      response: { status: 200, schema: Inbox, description: "Uw werk, urgentste eerst" },
      errors: [Access.Forbidden, Pagination.InvalidCursor, Errors.ValidationError],
    },
    () => InboxUseCase.forMe(),
  ),
]
