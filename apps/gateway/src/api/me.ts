/**
 * The caller's own settings: which notifications they receive by e-mail and how (at once, in a
 * daily digest at a chosen hour, or not at all). The route specs only: `Notifications` in
 * `@verzuimregie/app` decides (the pact alarm cannot be switched off) and keeps them.
 */

import { Access, Notifications } from "@verzuimregie/app"
import { Errors } from "@verzuimregie/domain"
import type { Route } from "../http/Route.js"
import { route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"

const TAG = "Meldingen"

export const meRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/me/notifications",
      operationId: "getMyNotificationPreferences",
      summary: "Uw meldingen per e-mail: per soort direct, in het dagelijks overzicht of uit",
      description:
        "Per soort melding hoe u die krijgt (direct, dagelijks overzicht of uit) en het uur van het dagelijks overzicht (Europe/Amsterdam). Wat u niet koos, staat op de standaardwaarde (docs/notifications.md).",
      tag: TAG,
      roles: Notifications.NOTIFICATION_ROLES,
      response: { status: 200, schema: Notifications.Preferences, description: "Uw voorkeuren" },
      errors: [Access.Forbidden],
    },
    () => Notifications.myPreferences,
  ),
  route(
    {
      method: "put",
      path: "/me/notifications",
      operationId: "setMyNotificationPreferences",
      summary: "Wijzig uw meldingen per e-mail",
      description:
        "Stuur de soorten die u wijzigt en eventueel het uur van het dagelijks overzicht (0–23, Europe/Amsterdam); de rest blijft. Het alarm van het Thuiszitterspact kan niet uit (422 op het veld modes.pact-alarm).",
      tag: TAG,
      roles: Notifications.NOTIFICATION_ROLES,
      body: Notifications.PreferencesUpdate,
      response: {
        status: 200,
        schema: Notifications.Preferences,
        description: "Uw voorkeuren na de wijziging",
      },
      errors: [Access.Forbidden, Errors.ValidationError],
    },
    ({ body }) => Notifications.saveMyPreferences(body),
  ),
]
