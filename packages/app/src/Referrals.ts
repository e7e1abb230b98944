/**
 * Referrals, for every door: submit one (it opens a case in the region's first workflow state, or
 * joins the pupil's open case as the plug-in decides), and follow your own with their status. A
 * referrer sees only the referrals they submitted, never the case file: the status, its date, why
 * the case was closed and to which organisation and role it was handed over, no names of staff.
 */

import type { Errors as ErrorsTypes } from "@verzuimregie/domain"
import { CaseParts, HttpMeaning, Ids, Party, Pupil, type Referral, Timestamp } from "@verzuimregie/domain"
import { Workflow } from "@verzuimregie/plugin-sdk"
import type {
  AbsenceStore as AbsenceStoreTypes,
  AuditLog as AuditLogTypes,
  Pagination as PaginationTypes,
} from "@verzuimregie/store"
import { Accounts, type CaseQueries, CaseStore, Database, CaseQueries as Queries } from "@verzuimregie/store"
import { Effect, Either, Schema } from "effect"
import * as Absence from "./Absence.js"
import * as Access from "./Access.js"
import { staffOf } from "./Cases.js"
import { statusRef } from "./CaseViews.js"
import { CurrentPrincipal, type Principal } from "./CurrentPrincipal.js"
import * as Notifications from "./Notifications.js"
import * as Regions from "./Regions.js"

const FieldIssue = Schema.Struct({ path: Schema.String, pointer: Schema.String, detail: Schema.String })

/** A region the caller does not belong to, or that this installation does not run. */
export class RegionClosed extends Schema.TaggedError<RegionClosed>()(
  "RegionClosed",
  {},
  HttpMeaning.status(422, {
    detail: "U kunt in deze regio niet aanmelden.",
    errors: [{ path: "regionId", pointer: "/regionId", detail: "geen regio van u op deze installatie" }],
  }),
) {}

/** The body names another referrer than the caller's account. */
export class ReferrerMismatch extends Schema.TaggedError<ReferrerMismatch>()(
  "ReferrerMismatch",
  { errors: Schema.Array(FieldIssue) },
  HttpMeaning.status(
    422,
    { detail: "De aanmelder bent u zelf: naam, rol en organisatie komen uit uw account." },
    (error: { readonly errors: ReadonlyArray<typeof FieldIssue.Type> }) => ({ errors: error.errors }),
  ),
) {}

/**
 * The pupil already has an open case in the region (plug-in: `whenAlreadyOpen: "refuse"`). It
 * tells no more than the caller may already see: the referrer who made that case's referral gets
 * its status route; a case worker or coordinator of the region gets the case's route; anyone else
 * only that a case is open, which refusing the referral tells anyway.
 */
export class OpenCase extends Schema.TaggedError<OpenCase>()(
  "OpenCase",
  {
    ownReferral: Schema.Boolean,
    referral: Schema.optional(Schema.String),
    case: Schema.optional(Schema.String),
  },
  HttpMeaning.status(
    409,
    {
      type: "https://verzuimregie.nl/problems/open-case-exists",
      title: "Voor deze leerling loopt al een casus",
    },
    (error: { readonly ownReferral: boolean; readonly referral?: string; readonly case?: string }) => ({
      detail: error.ownReferral
        ? "U heeft deze leerling al aangemeld en die casus loopt nog: er is geen tweede casus geopend. Volg de status van uw eerdere aanmelding."
        : "Voor deze leerling loopt in deze regio al een casus: er is geen tweede casus geopend. Neem contact op met de regio als u iets wilt aanvullen.",
      ...(error.referral === undefined ? {} : { referral: error.referral }),
      ...(error.case === undefined ? {} : { case: error.case }),
    }),
  ),
) {}

const openCase = (principal: Principal, open: CaseStore.OpenCaseExists): OpenCase => {
  const ownReferral = open.submittedBy === principal.userId
  const mayReadCase =
    Access.hasRole(principal, Access.CASE_ROLES) && principal.regions.includes(open.regionId)
  return new OpenCase({
    ownReferral,
    ...(ownReferral ? { referral: `/referrals/${open.referralId}` } : {}),
    ...(mayReadCase ? { case: `/cases/${open.caseId}` } : {}),
  })
}

/** Whitespace and case do not make another person. */
const sameName = (a: string, b: string) =>
  a.trim().replace(/\s+/g, " ").toLocaleLowerCase("nl") ===
  b.trim().replace(/\s+/g, " ").toLocaleLowerCase("nl")

/**
 * Where the referrer the body names is not the caller's account, as field errors. The identity
 * fields stay in the referral format (files are checked offline by check-referral), but through a
 * door they must be the caller's own: a school user cannot refer as leerplichtambtenaar, nor under
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

/** A school a referral can name as the pupil's (`Pupil.Enrolment`): its organisation. */
export interface SchoolChoice {
  readonly id: Ids.OrganisationId
  readonly name: string
  readonly brin: string | null
}

/**
 * The schools this installation knows, for the pupil's school on a referral, and the referrer's
 * own organisation when it is a school (a school refers its own pupils; a leerplichtambtenaar or
 * JGZ names the pupil's school). Organisation names and BRIN codes are no personal data, so the
 * read is not audited.
 */
export const schools = Effect.gen(function* () {
  // A school's verzuim user refers from a signal (`submit` with `fromSignal`) on the same form.
  const principal = yield* Access.requireRole([...Access.REFERRAL_ROLES, ...Absence.SCHOOL_ABSENCE_ROLES])
  const accounts = yield* Accounts.Accounts
  const all = yield* accounts.organisations()
  const found: ReadonlyArray<SchoolChoice> = all
    .filter((o) => o.kind === "school")
    .map((o) => ({ id: o.id, name: o.name, brin: o.brin ?? null }))
  return { schools: found, own: found.find((s) => s.id === principal.organisationId) ?? null }
})

export interface SubmitOptions {
  /**
   * The signal of the caller's own school the referral is made from (`Absence.referralDraft`):
   * it becomes `aangemeld` with the referral, and the case is linked to the school's pupil, in the
   * referral's transaction. A school's absence users (`school-verzuim`) refer only this way.
   */
  readonly fromSignal?: Ids.SignalId | undefined
}

/** Submits a referral as the caller: who refers is who the caller is. */
export const submit = (submission: Referral.ReferralSubmission, options: SubmitOptions = {}) =>
  Effect.gen(function* () {
    const principal = yield* Access.requireRole(
      options.fromSignal === undefined
        ? Access.REFERRAL_ROLES
        : [...Access.REFERRAL_ROLES, ...Absence.SCHOOL_ABSENCE_ROLES],
    )
    const regions = yield* Regions.Regions
    const store = yield* CaseStore.CaseStore
    const region = regions.get(submission.regionId)
    if (region === undefined || !principal.regions.includes(submission.regionId)) {
      return yield* Effect.fail(new RegionClosed())
    }
    // Name, professional role and organisation come from the account; the body may only repeat
    // them (a referral file is self-describing) and add contact details.
    const mismatches = referrerMismatches(submission.referrer, principal)
    if (mismatches.length > 0) return yield* Effect.fail(new ReferrerMismatch({ errors: mismatches }))
    const on = regions.today()
    const attributed: Referral.ReferralSubmission = {
      ...submission,
      referrer: {
        ...submission.referrer,
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
    const caller = yield* CurrentPrincipal
    // Checked before anything is written: another school's signal does not exist (404).
    const signal =
      options.fromSignal === undefined
        ? undefined
        : yield* Absence.signalToRefer(options.fromSignal, submission.regionId)
    const db = yield* Database.Database
    const create = store
      .create({
        caseId,
        referral: {
          _tag: "ReferralReceived",
          at: submittedAt,
          by: staffOf(principal),
          referral,
          initialStatus: region.plugin.workflow.initial,
        },
        regions: [submission.regionId],
        // Written only when the referral opens the case (not when it joins an open one).
        outbox: [Notifications.newReferralNotice(submission.regionId, caseId)],
        audit: [
          Access.entryOf(
            caller,
            "create",
            { type: "case", id: caseId, regionId: submission.regionId },
            "aanmelding",
          ),
        ],
        // One open case per pupil and region; what a second referral does is the plug-in's call.
        pupilMatch: {
          whenOpen: Workflow.whenAlreadyOpen(region.plugin),
          linkAudit: (openCaseId) => [
            Access.entryOf(
              caller,
              "update",
              { type: "case", id: openCaseId, regionId: submission.regionId },
              "aanmelding-toegevoegd",
            ),
          ],
        },
      })
      .pipe(Effect.catchTag("OpenCaseExists", (open) => Effect.fail(openCase(principal, open))))
    // The referral and the signal's link land together, or neither does.
    const created =
      signal === undefined
        ? yield* create
        : yield* db.writeTransaction(
            Effect.tap(create, (done) =>
              Absence.linkReferral({ signal, referralId: referral.id, caseId: done.state.id }),
            ),
          )
    if (signal !== undefined) yield* Absence.followCase(signal, created.state.id)
    if (created.linked) {
      // The open case belongs to another referral: this referrer is told it was added, not shown it.
      return {
        referralId: referral.id,
        regionId: submission.regionId,
        submittedAt,
        addedToOpenCase: true as const,
      }
    }
    return {
      referralId: referral.id,
      caseId,
      regionId: submission.regionId,
      status: statusRef(region, created.state.status),
      submittedAt,
      addedToOpenCase: false as const,
    }
  })

/**
 * Why the case ended or stopped, as the referrer may read it: the closure's outcome (its kind,
 * never the free text staff typed). A refusal's reason is not yet kept in the case state (it is in
 * the `StatusChanged` event): once the state records it, it belongs here.
 */
const reasonOf = (item: CaseQueries.ReferralItem): string | null =>
  item.closed === undefined ? null : CaseParts.outcomeKindLabel[item.closed.outcome.kind]

/** What the referrer sees of their referral's case. */
const statusOf = (regions: Regions.RegionsService, item: CaseQueries.ReferralItem) => ({
  referralId: item.referral.id,
  caseId: item.caseId,
  regionId: item.regionId,
  status: statusRef(regions.get(item.regionId), item.status),
  statusAt: item.lastEventAt,
  submittedAt: item.referral.submittedAt,
  closedOn: item.closedOn ?? null,
  reason: reasonOf(item),
  // To whom the regie went: organisation and professional role, never the person's name.
  handedOverTo:
    item.lastHandover === undefined
      ? null
      : {
          on: item.lastHandover.on,
          organisationId: item.lastHandover.to.organisationId ?? null,
          role: item.lastHandover.to.role,
          roleLabel: Party.partyRoleLabel[item.lastHandover.to.role],
        },
  pupil: Pupil.displayName(item.referral.pupil.name),
})

export type ReferralStatus = ReturnType<typeof statusOf>

/**
 * The caller's own referrals, page by page (the store pages by organisation; we keep the user's).
 * With `context` the read is audited in its transaction; without, it is a lookup only.
 */
const ownReferrals = (
  page: { readonly cursor?: string | undefined; readonly limit?: number | undefined },
  context: string | undefined,
  referralId?: Ids.ReferralId,
) =>
  Effect.gen(function* () {
    const principal = yield* Access.requireRole(Access.REFERRAL_ROLES)
    const queries = yield* Queries.CaseQueries
    const regions = yield* Regions.Regions
    const visible = regions.enabled(principal.regions)
    if (visible.length === 0)
      return { regions, items: [] as Array<CaseQueries.ReferralItem>, nextCursor: null as string | null }
    const result = yield* queries.referralsByReferrer(
      {
        regions: visible,
        ...(context === undefined
          ? {}
          : {
              audit: yield* Access.audit(
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
    return { regions, items: result.items, nextCursor: result.nextCursor ?? null }
  })

/** The caller's own referrals with their status, newest first. */
export const listOwn = (page: {
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}) =>
  Effect.map(ownReferrals(page, "eigen aanmeldingen"), ({ regions, items, nextCursor }) => ({
    items: items.map((i) => statusOf(regions, i)),
    nextCursor,
  }))

/** The status of one of the caller's own referrals; anyone else's does not exist for them. */
export const status = (referralId: Ids.ReferralId) =>
  Effect.gen(function* () {
    const lookup = (context: string | undefined) => ownReferrals({}, context, referralId)
    // Looked up first without a trace, so a miss (or another's referral) writes no audit record.
    if ((yield* lookup(undefined)).items[0] !== undefined) {
      const found = yield* lookup("status")
      const item = found.items[0]
      if (item !== undefined) return statusOf(found.regions, item)
    }
    return yield* Effect.fail(Access.notFound("Deze aanmelding bestaat niet of is niet van u."))
  })

/** Named by the inferred types of these use cases; re-exported so their declarations stay portable (TS2742). */
export type { AbsenceStoreTypes, AuditLogTypes, ErrorsTypes, PaginationTypes }
