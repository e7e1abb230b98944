/**
 * Cases: list with filters and cursor pagination, read one, its timeline, log an event, take a
 * workflow transition. The route specs only: access, audit and case logic are the `Cases` use
 * cases of `@verzuimregie/app`, which every door calls.
 */

import { Access, Cases } from "@verzuimregie/app"
import { Errors } from "@verzuimregie/domain"
import { Workflow } from "@verzuimregie/plugin-sdk"
import { CaseStore, Pagination } from "@verzuimregie/store"
import { Schema } from "effect"
import type { Route } from "../http/Route.js"
import { route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import {
  AvailableTransition,
  CaseChanged,
  CaseDetail,
  CaseIdParams,
  CaseListQuery,
  CaseSummary,
  LogEventBody,
  PageOf,
  PupilSearchBody,
  TimelineEntry,
  TransitionBody,
  WorkListPage,
  WorkListQuery,
  WorkRow,
} from "./schemas.js"

const TAG = "Casussen"

/** What reading one case may fail with: not yours (404, never 403), or a role without case files. */
const CASE_READ_ERRORS = [
  Access.Forbidden,
  Access.NotFound,
  CaseStore.CaseNotFound,
  CaseStore.RegionNotPermitted,
  Errors.ValidationError,
] as const

/** What a write to a case may fail with besides a read's: a stale version, the plug-in's refusals. */
const CASE_WRITE_ERRORS = [
  ...CASE_READ_ERRORS,
  Cases.StaleVersion,
  CaseStore.VersionConflict,
  CaseStore.EventRejected,
  Workflow.EventRefused,
  Workflow.TransitionRefused,
  // The store's append refuses a referral that opened a case already; never for a case event.
  CaseStore.DuplicateReferral,
] as const

export const caseRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "get",
      path: "/cases",
      operationId: "listCases",
      description:
        "De casussen van uw regio's, nieuwste eerst, per pagina (limit, cursor), te filteren op regio, status, school en datum. Elke zoekopdracht komt in de toegangslog.",
      summary: "Casussen van uw regio('s), met filters en paginering",
      tag: TAG,
      roles: Access.CASE_ROLES,
      query: CaseListQuery,
      response: {
        status: 200,
        schema: PageOf(CaseSummary, "CaseSummaryPage"),
        description: "Eén pagina casussen",
      },
      errors: [Access.Forbidden, Pagination.InvalidCursor, Errors.ValidationError],
    },
    ({ query }) => Cases.list(query),
  ),
  // Before `/cases/:caseId`: the fixed path is not a case id.
  route(
    {
      method: "get",
      path: "/cases/werkvoorraad",
      operationId: "listWorkQueue",
      summary: "Werkvoorraad: de open casussen om aan te werken, urgentste eerst",
      description:
        "De open casussen waarvan u regiehouder bent (list=mine) of die van uw regio's (list=region), met per casus de leerling, dagen open, de eerstvolgende termijn, de verzuimcategorie en het thuiszitterspact; te filteren op status, regiehouder en school, gesorteerd op urgentie of nieuwste eerst, per pagina. Met de keuzes voor de filters. Elke opvraging komt in de toegangslog.",
      tag: TAG,
      roles: Access.CASE_ROLES,
      query: WorkListQuery,
      response: { status: 200, schema: WorkListPage, description: "Eén pagina van de werkvoorraad" },
      errors: [Access.Forbidden, Pagination.InvalidCursor, Errors.ValidationError],
    },
    ({ query }) =>
      Cases.workList({
        mine: query.list !== "region",
        status: query.status,
        regiehouder: query.regiehouder,
        school: query.school,
        sort: query.sort,
        cursor: query.cursor,
        limit: query.limit,
      }),
  ),
  route(
    {
      method: "post",
      path: "/cases/search",
      operationId: "searchPupil",
      summary: "Zoek een leerling op naam, geboortedatum, BSN of onderwijsnummer",
      description:
        "De casussen van een leerling in uw regio's, gevonden op een deel van de naam, de geboortedatum of het BSN of onderwijsnummer (minstens één). Een POST, zodat geen naam, geboortedatum of BSN in een adres staat. Een leerling van een andere regio wordt nooit gevonden. De zoekopdracht komt in de toegangslog met de gebruikte velden, nooit met wat u zocht.",
      tag: TAG,
      roles: Access.CASE_ROLES,
      body: PupilSearchBody,
      response: {
        status: 200,
        schema: PageOf(WorkRow, "PupilSearchPage"),
        description: "Eén pagina gevonden casussen",
      },
      errors: [Access.Forbidden, Pagination.InvalidCursor, Errors.ValidationError],
    },
    ({ body }) => Cases.findPupil(body),
  ),
  route(
    {
      method: "get",
      path: "/cases/:caseId",
      operationId: "getCase",
      description:
        "Het dossier van één casus in uw regio's, met de stappen die u kunt zetten, de termijnen en de landelijke signalen. Elke inzage komt in de toegangslog.",
      summary: "Eén casus: dossier, status, mogelijke stappen, termijnen en signalen",
      tag: TAG,
      roles: Access.CASE_ROLES,
      params: CaseIdParams,
      response: { status: 200, schema: CaseDetail, description: "De casus" },
      errors: CASE_READ_ERRORS,
    },
    ({ params }) => Cases.get(params.caseId),
  ),
  route(
    {
      method: "get",
      path: "/cases/:caseId/events",
      operationId: "getCaseTimeline",
      description:
        "Alle gebeurtenissen van een casus, oudste eerst, met het versienummer na elke gebeurtenis. Elke inzage komt in de toegangslog.",
      summary: "Tijdlijn van een casus: alle gebeurtenissen, oudste eerst",
      tag: TAG,
      roles: Access.CASE_ROLES,
      params: CaseIdParams,
      response: { status: 200, schema: Schema.Array(TimelineEntry), description: "De gebeurtenissen" },
      errors: CASE_READ_ERRORS,
    },
    ({ params }) => Cases.timeline(params.caseId),
  ),
  route(
    {
      method: "get",
      path: "/cases/:caseId/transitions",
      operationId: "listCaseTransitions",
      description:
        "De stappen van de werkwijze van de regio vanuit de huidige status: welke u met uw rol nu kunt zetten, en waarom de andere (nog) niet.",
      summary: "De stappen die u nu kunt zetten, met de redenen waarom niet",
      tag: TAG,
      roles: Access.CASE_ROLES,
      params: CaseIdParams,
      response: { status: 200, schema: Schema.Array(AvailableTransition), description: "Mogelijke stappen" },
      errors: CASE_READ_ERRORS,
    },
    ({ params }) => Cases.availableSteps(params.caseId),
  ),
  route(
    {
      method: "post",
      path: "/cases/:caseId/events",
      operationId: "logCaseEvent",
      summary:
        "Leg iets vast in de casus: contact, huisbezoek, overleg, afspraak, actie, interventie, toestemming…",
      description:
        "Stuur de gelezen versie mee als expectedVersion; een verouderde versie geeft 409. De plug-in van de regio beslist of de gebeurtenis in de huidige status mag. Een datum van iets dat gebeurd is (contact, huisbezoek, overleg) ligt niet na vandaag (Europe/Amsterdam); alleen een deadline mag later (422 op het veld).",
      tag: TAG,
      roles: Access.CASE_ROLES,
      params: CaseIdParams,
      body: LogEventBody,
      response: { status: 201, schema: CaseChanged, description: "Vastgelegd; de nieuwe versie" },
      errors: CASE_WRITE_ERRORS,
      idempotent: true,
    },
    ({ params, body }) => Cases.logEvent(params.caseId, body),
  ),
  route(
    {
      method: "post",
      path: "/cases/:caseId/transitions",
      operationId: "takeCaseTransition",
      summary: "Zet een stap in de werkwijze van de regio (of sluit de casus af met een uitkomst)",
      description:
        'Geweigerd met 409 en de redenen van de plug-in als niet aan een voorwaarde is voldaan, bijvoorbeeld "ouders nog niet geïnformeerd".',
      tag: TAG,
      roles: Access.CASE_ROLES,
      params: CaseIdParams,
      body: TransitionBody,
      response: { status: 200, schema: CaseChanged, description: "De nieuwe status" },
      errors: CASE_WRITE_ERRORS,
    },
    ({ params, body }) => Cases.takeTransition(params.caseId, body),
  ),
]
