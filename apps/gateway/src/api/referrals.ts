/**
 * Referrals: submit one (it opens a case in the region's first workflow state), and follow your own
 * with their status. A referrer sees only the referrals they submitted, never the case file.
 */

import { Regions } from "@verzuimregie/app"
import { Ids, Party, Pupil, Referral, Timestamp } from "@verzuimregie/domain"
import { Workflow } from "@verzuimregie/plugin-sdk"
import { CaseQueries, CaseStore } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { fail, HttpError, notFound, type Principal, type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { auditEntry, CASE_ROLES, REFERRAL_ROLES, statusRef } from "./access.js"
import { staffOf } from "./cases.js"
import { referralExample, referralReceiptExample } from "./examples.js"
import { ListQuery, PageOf, ReferralIdParams, ReferralReceipt, ReferralStatus } from "./schemas.js"

const TAG = "Aanmeldingen"

const statusOf = (regions: Regions.Regions["Type"], item: CaseQueries.ReferralItem) => {
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
    const regions = yield* Regions.Regions
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

/**
 * The 409 for a pupil who already has an open case in the region (plug-in: `whenAlreadyOpen:
 * "refuse"`). It tells no more than the caller may already see: the referrer who made that case's
 * referral gets its status route; a case worker or coordinator of the region (who may open case
 * files there) gets the case's route; anyone else only that a case is open, which refusing the
 * referral tells anyway.
 */
const openCaseProblem = (principal: Principal, open: CaseStore.OpenCaseExists) => {
  const ownReferral = open.submittedBy === principal.userId
  const mayReadCase =
    principal.roles.some((role) => CASE_ROLES.includes(role)) && principal.regions.includes(open.regionId)
  return new HttpError({
    status: 409,
    type: "https://verzuimregie.nl/problems/open-case-exists",
    title: "Voor deze leerling loopt al een casus",
    detail: ownReferral
      ? "U heeft deze leerling al aangemeld en die casus loopt nog: er is geen tweede casus geopend. Volg de status van uw eerdere aanmelding."
      : "Voor deze leerling loopt in deze regio al een casus: er is geen tweede casus geopend. Neem contact op met de regio als u iets wilt aanvullen.",
    extensions: {
      ...(ownReferral ? { referral: `/referrals/${open.referralId}` } : {}),
      ...(mayReadCase ? { case: `/cases/${open.caseId}` } : {}),
    },
  })
}

/** Whitespace and case do not make another person. */
const sameName = (a: string, b: string) =>
  a.trim().replace(/\s+/g, " ").toLocaleLowerCase("nl") ===
  b.trim().replace(/\s+/g, " ").toLocaleLowerCase("nl")

/**
 * Where the referrer the body names is not the caller's account, as field errors. The identity
 * fields stay in the referral format (files are checked offline by check-referral), but over the
 * API they must be the caller's own: a school user cannot refer as leerplichtambtenaar, nor under
 * a colleague's name.
 */
export const referrerMismatches = (referrer: Referral.Referrer, principal: Principal) => [
  ...(!sameName(referrer.name, principal.name)
    ? [{ path: "referrer.name", pointer: "/referrer/name", detail: "niet de naam van uw account" }]
    : []),
  ...(referrer.role !== principal.partyRole
    ? [
        {
          path: "referrer.role",
          pointer: "/referrer/role",
          detail: `volgens uw account bent u ${Party.partyRoleLabel[principal.partyRole]} (${principal.partyRole})`,
        },
      ]
    : []),
  ...(referrer.organisationId !== principal.organisationId
    ? [
        {
          path: "referrer.organisationId",
          pointer: "/referrer/organisationId",
          detail: "niet uw organisatie",
        },
      ]
    : []),
]

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
      response: {
        status: 201,
        schema: ReferralReceipt,
        description: "Ontvangen: de casus is geopend (of de aanmelding is toegevoegd aan de lopende casus)",
      },
      errors: [409],
      examples: { request: referralExample(), response: referralReceiptExample },
      idempotent: true,
    },
    ({ body, principal, requestId }) =>
      Effect.gen(function* () {
        const regions = yield* Regions.Regions
        const store = yield* CaseStore.CaseStore
        const region = regions.get(body.regionId)
        if (region === undefined || !principal.regions.includes(body.regionId)) {
          return yield* fail(422, "U kunt in deze regio niet aanmelden.", {
            errors: [
              { path: "regionId", pointer: "/regionId", detail: "geen regio van u op deze installatie" },
            ],
          })
        }
        // Who refers is who the token says: name, professional role and organisation come from the
        // account; the body may only repeat them (a referral file is self-describing) and add contact details.
        const mismatches = referrerMismatches(body.referrer, principal)
        if (mismatches.length > 0) {
          return yield* fail(
            422,
            "De aanmelder bent u zelf: naam, rol en organisatie komen uit uw account.",
            { errors: mismatches },
          )
        }
        const on = regions.today()
        const attributed: Referral.ReferralSubmission = {
          ...body,
          referrer: {
            ...body.referrer,
            role: principal.partyRole,
            name: principal.name as Referral.Referrer["name"],
            organisationId: principal.organisationId,
          },
        }
        const accepted = Workflow.acceptReferral(region.plugin, attributed, Regions.contextFor(region, on))
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
        const created = yield* store
          .create({
            caseId,
            referral: {
              _tag: "ReferralReceived",
              at: submittedAt,
              by: staffOf(principal, principal.partyRole),
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
            // One open case per pupil and region; what a second referral does is the plug-in's call.
            pupilMatch: {
              whenOpen: Workflow.whenAlreadyOpen(region.plugin),
              linkAudit: (openCaseId) => [
                auditEntry(
                  principal,
                  requestId,
                  "update",
                  { type: "case", id: openCaseId, regionId: body.regionId },
                  "aanmelding-toegevoegd",
                ),
              ],
            },
          })
          .pipe(Effect.catchTag("OpenCaseExists", (open) => Effect.fail(openCaseProblem(principal, open))))
        if (created.linked) {
          // The open case belongs to another referral: this referrer is told it was added, not shown it.
          return { referralId: referral.id, regionId: body.regionId, submittedAt, addedToOpenCase: true }
        }
        return {
          referralId: referral.id,
          caseId,
          regionId: body.regionId,
          status: statusRef(region, created.state.status),
          submittedAt,
          addedToOpenCase: false,
        }
      }),
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
        const regions = yield* Regions.Regions
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
      description:
        "De status van één aanmelding die u zelf heeft gedaan; een andere aanmelding bestaat voor u niet (404).",
      summary: "De status van één van uw aanmeldingen",
      tag: TAG,
      roles: REFERRAL_ROLES,
      params: ReferralIdParams,
      response: { status: 200, schema: ReferralStatus, description: "De aanmelding" },
      errors: [404],
    },
    ({ params, principal, requestId }) =>
      Effect.gen(function* () {
        const regions = yield* Regions.Regions
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
