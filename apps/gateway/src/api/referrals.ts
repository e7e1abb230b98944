/**
 * Referrals: submit one (it opens a case in the region's first workflow state), and follow your own
 * with their status. The route specs only: the `Referrals` use cases of `@verzuimregie/app` decide.
 */

import { Absence, Access, Referrals } from "@verzuimregie/app"
import { Errors, Referral } from "@verzuimregie/domain"
import { Workflow } from "@verzuimregie/plugin-sdk"
import { AbsenceStore, CaseStore, Pagination } from "@verzuimregie/store"
import { type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { referralExample, referralReceiptExample } from "./examples.js"
import {
  ListQuery,
  PageOf,
  ReferralIdParams,
  ReferralReceipt,
  ReferralSchools,
  ReferralStatus,
} from "./schemas.js"

const TAG = "Aanmeldingen"

export const referralRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "post",
      path: "/referrals",
      operationId: "submitReferral",
      summary: "Meld een leerling aan bij de regio",
      description:
        "De plug-in van de regio controleert wie mag aanmelden, de toestemming die de leeftijd van de leerling op die dag vraagt, en de eigen formuliervelden (extension). Een weigering noemt elk fout veld.",
      tag: TAG,
      roles: Access.REFERRAL_ROLES,
      body: Referral.ReferralSubmission,
      response: {
        status: 201,
        schema: ReferralReceipt,
        description: "Ontvangen: de casus is geopend (of de aanmelding is toegevoegd aan de lopende casus)",
      },
      errors: [
        Access.Forbidden,
        Referrals.RegionClosed,
        Referrals.ReferrerMismatch,
        Referrals.OpenCase,
        Workflow.ReferralRefused,
        CaseStore.DuplicateReferral,
        CaseStore.RegionNotPermitted,
        CaseStore.VersionConflict,
        CaseStore.EventRejected,
        CaseStore.CaseNotFound,
        // Only with a signal to refer from (`Referrals.submit`'s `fromSignal`).
        Access.NotFound,
        Absence.SignalClosed,
        AbsenceStore.SignalNotFound,
        Errors.ValidationError,
      ],
      examples: { request: referralExample(), response: referralReceiptExample },
      idempotent: true,
    },
    ({ body }) => Referrals.submit(body),
  ),
  route(
    {
      method: "get",
      path: "/referrals",
      operationId: "listOwnReferrals",
      description:
        "De aanmeldingen die u zelf heeft gedaan, nieuwste eerst, per pagina, met de status van de casus; niet die van collega's.",
      summary: "Uw eigen aanmeldingen met hun status",
      tag: TAG,
      roles: Access.REFERRAL_ROLES,
      query: ListQuery,
      response: {
        status: 200,
        schema: PageOf(ReferralStatus, "ReferralStatusPage"),
        description: "Eén pagina",
      },
      errors: [Access.Forbidden, Pagination.InvalidCursor, Errors.ValidationError],
    },
    ({ query }) => Referrals.listOwn(query),
  ),
  // Before `/referrals/:referralId`: the fixed path is not a referral id.
  route(
    {
      method: "get",
      path: "/referrals/schools",
      operationId: "listReferralSchools",
      description:
        "De scholen die deze installatie kent, voor de school van de leerling in een aanmelding (pupil.enrolment.schoolId en schoolName), en uw eigen organisatie als die een school is. Een leerplichtambtenaar of de JGZ kiest hieruit de school van de leerling.",
      summary: "Scholen om in een aanmelding te noemen",
      tag: TAG,
      roles: Access.REFERRAL_ROLES,
      response: { status: 200, schema: ReferralSchools, description: "De scholen" },
      errors: [Access.Forbidden],
    },
    () => Referrals.schools,
  ),
  route(
    {
      method: "get",
      path: "/referrals/:referralId",
      operationId: "getOwnReferral",
      description:
        "De status van één aanmelding die u zelf heeft gedaan; een andere aanmelding bestaat voor u niet (404).",
      summary: "De status van één van uw aanmeldingen",
      tag: TAG,
      roles: Access.REFERRAL_ROLES,
      params: ReferralIdParams,
      response: { status: 200, schema: ReferralStatus, description: "De aanmelding" },
      errors: [Access.Forbidden, Access.NotFound, Pagination.InvalidCursor, Errors.ValidationError],
    },
    ({ params }) => Referrals.status(params.referralId),
  ),
]
