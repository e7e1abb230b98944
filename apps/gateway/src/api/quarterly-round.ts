/**
 * Amstelland's quarterly round (issue 16): per school the cases whose kwartaalbespreking is due or
 * overdue, and recording a review with its outcome. The route specs only: the `QuarterlyRound`
 * use cases of `@verzuimregie/app` decide what an orthopedagoog sees (need-to-know, 404 for the
 * rest) and audit every read and write; the web page `/kwartaalronde` calls the same.
 */
import { Access, QuarterlyRound } from "@verzuimregie/app"
import { CaseParts, Errors, Fields, Ids, LocalDate } from "@verzuimregie/domain"
import { Workflow } from "@verzuimregie/plugin-sdk"
import { CaseStore, Pagination } from "@verzuimregie/store"
import { Schema } from "effect"
import { type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { CaseIdParams } from "./schemas.js"

const TAG = "Kwartaalronde"

const RoundQuery = Schema.Struct({
  regionId: Fields.optional(Ids.RegionId),
  withinDays: Fields.optional(
    Schema.NumberFromString.pipe(
      Schema.int(),
      Schema.between(0, QuarterlyRound.MAX_WITHIN_DAYS),
      Schema.annotations({
        description: `Besprekingen die binnen zoveel dagen vallen, en alle verlopen (0 tot en met ${QuarterlyRound.MAX_WITHIN_DAYS}, standaard ${QuarterlyRound.DEFAULT_WITHIN_DAYS})`,
        message: () => `een aantal dagen van 0 tot en met ${QuarterlyRound.MAX_WITHIN_DAYS}`,
      }),
    ),
  ),
})

const RoundCase = Schema.Struct({
  caseId: Ids.CaseId,
  regionId: Ids.RegionId,
  pupil: Schema.String.annotations({ description: "Naam van de leerling, om met de school over te bellen" }),
  status: Schema.Struct({ id: Schema.String, label: Schema.String }),
  reportedOn: LocalDate.LocalDate.annotations({ description: "De dag van de melding" }),
  atHomeSince: Schema.NullOr(LocalDate.LocalDate),
  lastReview: Schema.NullOr(
    Schema.Struct({
      heldOn: LocalDate.LocalDate,
      outcome: Schema.NullOr(Schema.Struct({ id: CaseParts.ReviewOutcome, label: Schema.String })),
    }),
  ),
  dueOn: LocalDate.LocalDate,
  dueStatus: Schema.Literal("verlopen", "binnenkort"),
  daysOverdue: Schema.Int,
}).annotations({ identifier: "RoundCase", title: "Casus in de kwartaalronde" })

const Round = Schema.Struct({
  on: LocalDate.LocalDate,
  withinDays: Schema.Int,
  until: LocalDate.LocalDate,
  regions: Schema.Array(Schema.Struct({ id: Ids.RegionId, name: Schema.String })),
  schools: Schema.Array(
    Schema.Struct({
      schoolId: Schema.NullOr(Ids.OrganisationId),
      school: Schema.String,
      cases: Schema.Array(RoundCase),
      overdue: Schema.Int,
    }),
  ),
  truncated: Schema.Boolean,
}).annotations({ identifier: "QuarterlyRound", title: "Kwartaalronde" })

const ReviewBody = Schema.Struct({
  heldOn: Schema.String.annotations({ description: "De dag van het gesprek met de school (JJJJ-MM-DD)" }),
  outcome: Schema.String.annotations({
    description: `De uitkomst: ${CaseParts.ReviewOutcome.literals.join(", ")}`,
  }),
  schoolContact: Schema.String.annotations({
    description: `Met wie van de school: ${QuarterlyRound.SCHOOL_CONTACT_ROLES.join(", ")}`,
  }),
}).annotations({ identifier: "QuarterlyReviewBody" })

const ReviewRecorded = Schema.Struct({
  caseId: Ids.CaseId,
  version: Schema.Int,
  heldOn: LocalDate.LocalDate,
  outcome: Schema.Struct({ id: CaseParts.ReviewOutcome, label: Schema.String }),
  nextDueOn: Schema.NullOr(LocalDate.LocalDate),
}).annotations({ identifier: "QuarterlyReviewRecorded" })

export const quarterlyRoundRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/quarterly-round",
      operationId: "listQuarterlyRound",
      summary: "Kwartaalronde: per school de casussen waarvan de kwartaalbespreking nodig is",
      description:
        "Voor orthopedagogen van het samenwerkingsverband en coördinatoren: de open casussen van uw regio's met een kwartaalronde (Amstelland) waarvan de kwartaalbespreking verlopen is of binnen withinDays dagen valt, per school. Per casus alleen wat nodig is om de school te bellen: kenmerk, naam van de leerling, soort melding en de data. Elke opvraging komt in de toegangslog.",
      tag: TAG,
      roles: Access.ROUND_ROLES,
      query: RoundQuery,
      response: { status: 200, schema: Round, description: "De kwartaalronde" },
      // The store pages the round internally; its cursors never come from the caller.
      errors: [Access.Forbidden, Access.NotFound, Errors.ValidationError, Pagination.InvalidCursor],
    },
    ({ query }) => QuarterlyRound.list(query),
  ),
  route(
    {
      method: "post",
      path: "/quarterly-round/cases/:caseId/reviews",
      operationId: "recordQuarterlyReview",
      summary: "Leg een kwartaalbespreking vast, met de uitkomst",
      description:
        "Een kwartaalbespreking met de school over één casus van uw kwartaalronde, met de uitkomst (voortzetten, opschalen, doorbraakaanpak, doorverwijzen of afsluiten voorstellen). De volgende bespreking valt het ingestelde aantal maanden later. Een casus buiten uw kwartaalronde (andere regio, afgesloten) geeft 404. Komt in de toegangslog.",
      tag: TAG,
      roles: Access.ROUND_ROLES,
      params: CaseIdParams,
      body: ReviewBody,
      response: { status: 201, schema: ReviewRecorded, description: "Vastgelegd; de volgende bespreking" },
      errors: [
        Access.Forbidden,
        Access.NotFound,
        Errors.ValidationError,
        Workflow.EventRefused,
        CaseStore.VersionConflict,
        CaseStore.EventRejected,
        CaseStore.CaseNotFound,
        CaseStore.RegionNotPermitted,
        CaseStore.DuplicateReferral,
      ],
      examples: { request: { heldOn: "2026-11-12", outcome: "voortzetten", schoolContact: "mentor" } },
    },
    ({ params, body }) => QuarterlyRound.record(params.caseId, body),
  ),
]
