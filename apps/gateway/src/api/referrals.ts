/**
 * Referrals: submit one (it opens a case in the region's first workflow state), and follow your own
 * with their status. A referrer sees only the referrals they submitted, never the case file.
 */
import { Ids, Pupil, Referral, Timestamp } from "@verzuimregie/domain"
import { Workflow } from "@verzuimregie/plugin-sdk"
import { CaseQueries, CaseStore } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { fail, notFound, type Principal, type Route, route } from "../http/Route.js"
import { contextFor, Regions } from "../Regions.js"
import type { GatewayServices } from "../Services.js"
import { auditEntry, REFERRAL_ROLES, statusRef } from "./access.js"
import { staffOf } from "./cases.js"
import { ListQuery, PageOf, ReferralIdParams, ReferralReceipt, ReferralStatus } from "./schemas.js"

const TAG = "Aanmeldingen"

const statusOf = (regions: Regions["Type"], item: CaseQueries.ReferralItem) => {
  return {
    referralId: item.referral.id,
    caseId: item.caseId,
    regionId: item.regionId,
    status: statusRef(regions.get(item.regionId), item.status),
    submittedAt: item.referral.submittedAt,
    closedOn: item.closedOn ?? null,
    pupil: Pupil.displayName(item.referral.pupil.name),
  }
}

/**
 * The caller's own referrals, page by page (the store pages by organisation; we keep the user's).
 * With `context` the read is audited in its transaction; without, it is a lookup only.
 */
const ownReferrals = (
  principal: Principal,
  requestId: string,
  page: { cursor?: string | undefined; limit?: number | undefined },
  context: string | undefined,
  referralId?: Ids.ReferralId,
) =>
  Effect.gen(function* () {
    const queries = yield* CaseQueries.CaseQueries
    const regions = yield* Regions
    const visible = regions.enabled(principal.regions)
    if (visible.length === 0)
      return { items: [] as Array<CaseQueries.ReferralItem>, nextCursor: null as string | null }
    const result = yield* queries.referralsByReferrer(
      {
        regions: visible,
        ...(context === undefined
          ? {}
          : {
              audit: auditEntry(
                principal,
                requestId,
                "search",
                { type: "referral", regionId: visible.length === 1 ? visible[0] : undefined },
                context,
              ),
            }),
      },
      principal.organisationId,
      page,
      // A referrer sees the referrals they made themselves, not their colleagues'.
      { referralId, submittedBy: principal.userId },
    )
    return { items: result.items, nextCursor: result.nextCursor ?? null }
  })

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
      roles: REFERRAL_ROLES,
      body: Referral.ReferralSubmission,
      response: { status: 201, schema: ReferralReceipt, description: "Ontvangen: de casus is geopend" },
      idempotent: true,
    },
    ({ body, principal, requestId }) =>
      Effect.gen(function* () {
        const regions = yield* Regions
        const store = yield* CaseStore.CaseStore
        const region = regions.get(body.regionId)
        if (region === undefined || !principal.regions.includes(body.regionId)) {
          return yield* fail(422, "U kunt in deze regio niet aanmelden.", {
            errors: [
              { path: "regionId", pointer: "/regionId", detail: "geen regio van u op deze installatie" },
            ],
          })
        }
        if (body.referrer.organisationId !== principal.organisationId) {
          return yield* fail(422, "De aanmelder hoort bij uw eigen organisatie.", {
            errors: [
              {
                path: "referrer.organisationId",
                pointer: "/referrer/organisationId",
                detail: "niet uw organisatie",
              },
            ],
          })
        }
        const on = regions.today()
        const accepted = Workflow.acceptReferral(region.plugin, body, contextFor(region, on))
        if (Either.isLeft(accepted)) return yield* Effect.fail(accepted.left)
        const submittedAt = Timestamp.now()
        const referral: Referral.Referral = {
          ...accepted.right,
          id: Ids.newId.referral(),
          pupil: { ...accepted.right.pupil, id: Ids.newId.pupil() },
          submittedAt,
          submittedBy: principal.userId,
        }
        const caseId = Ids.newId.case()
        const created = yield* store.create({
          caseId,
          referral: {
            _tag: "ReferralReceived",
            at: submittedAt,
            by: staffOf(principal, body.referrer.role),
            referral,
            initialStatus: region.plugin.workflow.initial,
          },
          regions: [body.regionId],
          audit: [
            auditEntry(
              principal,
              requestId,
              "create",
              { type: "case", id: caseId, regionId: body.regionId },
              "aanmelding",
            ),
          ],
        })
        return {
          referralId: referral.id,
          caseId,
          regionId: body.regionId,
          status: statusRef(region, created.state.status),
          submittedAt,
        }
      }),
  ),
  route(
    {
      method: "get",
      path: "/referrals",
      operationId: "listOwnReferrals",
      summary: "Uw eigen aanmeldingen met hun status",
      tag: TAG,
      roles: REFERRAL_ROLES,
      query: ListQuery,
      response: {
        status: 200,
        schema: PageOf(ReferralStatus, "ReferralStatusPage"),
        description: "Eén pagina",
      },
    },
    ({ query, principal, requestId }) =>
      Effect.gen(function* () {
        const regions = yield* Regions
        const page = yield* ownReferrals(
          principal,
          requestId,
          { cursor: query.cursor, limit: query.limit },
          "eigen aanmeldingen",
        )
        return { items: page.items.map((i) => statusOf(regions, i)), nextCursor: page.nextCursor }
      }),
  ),
  route(
    {
      method: "get",
      path: "/referrals/:referralId",
      operationId: "getOwnReferral",
      summary: "De status van één van uw aanmeldingen",
      tag: TAG,
      roles: REFERRAL_ROLES,
      params: ReferralIdParams,
      response: { status: 200, schema: ReferralStatus, description: "De aanmelding" },
      errors: [404],
    },
    ({ params, principal, requestId }) =>
      Effect.gen(function* () {
        const regions = yield* Regions
        const lookup = (context: string | undefined) =>
          Effect.map(
            ownReferrals(principal, requestId, {}, context, params.referralId),
            (page) => page.items[0],
          )
        // Looked up first without a trace, so a miss (or another's referral) writes no audit record.
        if ((yield* lookup(undefined)) !== undefined) {
          const found = yield* lookup("status")
          if (found !== undefined) return statusOf(regions, found)
        }
        return yield* Effect.fail(notFound("Deze aanmelding bestaat niet of is niet van u."))
      }),
  ),
]
