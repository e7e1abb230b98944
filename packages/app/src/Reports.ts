/**
 * Reports over a region's cases: the staff summary, the Inspectie overview and the coordinator's
 * case list, all read through ONE paginated, audited stream of cases (`cases`). Every door calls
 * these: the API's export route, the mail worker (summaries it sends), the `send-summary`
 * command. The caller (`CurrentPrincipal`) is who the audit record names.
 *
 * Audit: one record per report, written in the transaction of the report's first read, so no case
 * leaves without its trace: action `export`, the caller's purpose (`inspectie-rapportage` for the
 * Inspectie overview), the caller's request id, and the context
 * `<door>.<record type>.export[:<note>]` (`api.case.export:xlsx`, `mail.report.export:staff-summary`).
 *
 * The stream reads a page, then gives the event loop a turn (a macrotask: timers and sockets such
 * as the `/health` probe get theirs) before the next page, so a long report does not hold up the
 * gateway; a case list's cells and file are made in a worker thread (`CaseList.exportCases`).
 *
 * @since 0.1.0
 */
import { setImmediate as nextTurn } from "node:timers/promises"
import type { SqlError } from "@effect/sql/SqlError"
import {
  type Case,
  type CaseEvent,
  type Errors,
  Ids,
  LocalDate,
  type Party,
  type Timestamp,
} from "@verzuimregie/domain"
import { CaseList, Inspectie, MailSafe, StaffSummary } from "@verzuimregie/export-xlsx"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { Accounts, type AuditLog, CaseQueries, CaseStore, type Pagination } from "@verzuimregie/store"
import { type Cause, Chunk, Effect, Either, Exit, Option, Runtime, Schema, Stream } from "effect"
import { auditContext } from "./AuditTrail.js"
import * as CurrentPrincipal from "./CurrentPrincipal.js"
import * as Regions from "./Regions.js"

export type ReadError = SqlError | Errors.ValidationError | Pagination.InvalidCursor

/** What a report's audit record says it exported: cases (a case list) or a report made of them. */
export type ReportRecord = "case" | "report"

/**
 * The audit record of a report by the current caller. `note` is what the door adds to the context
 * (the file format, the mail's template, the command line's operating-system user).
 */
export const auditOf = (
  record: ReportRecord,
  regionId: Ids.RegionId,
  note?: string,
): Effect.Effect<AuditLog.AuditEntry, never, CurrentPrincipal.CurrentPrincipal> =>
  Effect.map(
    CurrentPrincipal.CurrentPrincipal,
    (caller) =>
      ({
        userId: caller.principal.userId,
        organisationId: caller.principal.organisationId,
        action: "export",
        recordType: record,
        regionId,
        purpose: caller.purpose,
        context: auditContext(`${caller.door}.${record}.export${note === undefined ? "" : `:${note}`}`),
        // A mail's message id is its request id; keep to the characters the audit log accepts.
        requestId: caller.requestId.replace(/[^A-Za-z0-9._:-]/g, "_").slice(0, 128),
      }) as AuditLog.AuditEntry,
  )

/**
 * The caller may report on the region: one of their own regions (an installation admin's reach is
 * every region). Otherwise `RegionNotPermitted`, which every door answers as "not found" (the API
 * with 404), before anything is read or audited.
 */
export const withinReach = (
  regionId: Ids.RegionId,
): Effect.Effect<void, CaseStore.RegionNotPermitted, CurrentPrincipal.CurrentPrincipal> =>
  Effect.flatMap(CurrentPrincipal.CurrentPrincipal, (caller) =>
    caller.principal.installationAdmin || caller.principal.regions.includes(regionId)
      ? Effect.void
      : Effect.fail(new CaseStore.RegionNotPermitted({ regionId })),
  )

export interface CaseRead {
  readonly regionId: Ids.RegionId
  readonly filter: CaseQueries.CaseFilter
  /** Written in the transaction of the first page; none for a further read of an audited report. */
  readonly audit: AuditLog.AuditEntry | undefined
  /** Cases per read (at most `Pagination.MAX_LIMIT`). */
  readonly pageSize: number
}

/**
 * One page of a report's read: the first (no cursor) with the report's audit record in its
 * transaction, so no case leaves without its trace.
 */
const pageOf = (
  read: CaseRead,
  cursor: string | undefined,
): Effect.Effect<Pagination.Page<Case.CaseState>, ReadError, CaseQueries.CaseQueries> =>
  Effect.flatMap(CaseQueries.CaseQueries, (queries) =>
    queries.cases(
      {
        regions: [read.regionId],
        ...(cursor === undefined && read.audit !== undefined ? { audit: read.audit } : {}),
      },
      read.filter,
      { limit: read.pageSize, ...(cursor === undefined ? {} : { cursor }) },
    ),
  )

const nextCursor = (page: Pagination.Page<Case.CaseState>): string | undefined =>
  page.nextCursor === null || page.nextCursor === undefined ? undefined : page.nextCursor

/** A macrotask, not a microtask: timers and sockets (the `/health` probe) get their turn. */
const turn = Effect.promise(() => nextTurn())

/**
 * THE read of a report: the region's cases matching `filter`, page by page, the first page with
 * the audit record in its transaction, a turn of the event loop before every later page.
 */
export const casePages = (
  read: CaseRead,
): Stream.Stream<Pagination.Page<Case.CaseState>, ReadError, CaseQueries.CaseQueries> =>
  Stream.paginateChunkEffect<
    string | undefined,
    Pagination.Page<Case.CaseState>,
    ReadError,
    CaseQueries.CaseQueries
  >(undefined, (cursor) =>
    Effect.map(
      cursor === undefined ? pageOf(read, undefined) : Effect.zipRight(turn, pageOf(read, cursor)),
      (page) => [Chunk.of(page), Option.fromNullable(nextCursor(page))] as const,
    ),
  )

/** The cases of `casePages`, one by one. */
export const cases = (read: CaseRead): Stream.Stream<Case.CaseState, ReadError, CaseQueries.CaseQueries> =>
  Stream.flattenIterables(Stream.map(casePages(read), (page) => page.items))

/** Cases per read for the summaries (made off-line, by the mail worker or a command). */
const SUMMARY_PAGE = 500

const allOf = (read: Omit<CaseRead, "pageSize">) =>
  Effect.map(Stream.runCollect(cases({ ...read, pageSize: SUMMARY_PAGE })), Chunk.toReadonlyArray)

const unique = (lists: ReadonlyArray<ReadonlyArray<Case.CaseState>>): Array<Case.CaseState> => {
  const byId = new Map<string, Case.CaseState>()
  for (const list of lists) for (const s of list) byId.set(s.id, s)
  return [...byId.values()]
}

const midnight = (date: LocalDate.LocalDate): Timestamp.Timestamp =>
  `${date}T00:00:00.000Z` as Timestamp.Timestamp

/**
 * The installation's registers of organisations and user accounts, for the names a mail may show
 * (schools, professionals): entered by an administrator, never typed into a case. With them, the
 * BRIN codes of the schools among the organisations (one read of the organisations for both).
 */
export const registers: Effect.Effect<
  MailSafe.Registers & { readonly brinOf: (schoolId: string) => string | undefined },
  SqlError,
  Accounts.Accounts
> = Effect.gen(function* () {
  const accounts = yield* Accounts.Accounts
  const organisations = yield* accounts.organisations()
  const names = new Map(organisations.map((o) => [o.id as string, o.name]))
  const brins = new Map(
    organisations.flatMap((o) => (o.brin === undefined ? [] : [[o.id as string, o.brin]])),
  )
  const users = new Map((yield* accounts.users()).map((u) => [u.id as string, u.name]))
  return {
    organisationName: (id: string) => names.get(id),
    userName: (id: string) => users.get(id),
    brinOf: (id: string) => brins.get(id),
  }
})

/**
 * The staff summary of a region for a period (open cases on the peildatum `on`, the period's new
 * and closed cases), with one audit record (`report`) by the caller.
 */
export const staffSummary = (input: {
  readonly region: RegionConfig.EnabledRegion
  readonly period: StaffSummary.Period
  readonly on: LocalDate.LocalDate
  readonly note?: string
}): Effect.Effect<
  StaffSummary.StaffSummary,
  ReadError | CaseStore.RegionNotPermitted,
  CaseQueries.CaseQueries | Accounts.Accounts | CurrentPrincipal.CurrentPrincipal
> =>
  Effect.gen(function* () {
    const { region, period, on } = input
    const id = region.region.id
    yield* withinReach(id)
    const audit = yield* auditOf("report", id, input.note ?? "staff-summary")
    const open = yield* allOf({ regionId: id, filter: { open: true }, audit })
    const closed = yield* allOf({
      regionId: id,
      filter: { closedOn: { from: period.from, to: period.to } },
      audit: undefined,
    })
    // Opened in the period in Europe/Amsterdam: a UTC day on each side, `StaffSummary` decides.
    const opened = yield* allOf({
      regionId: id,
      filter: {
        openedAt: {
          from: midnight(LocalDate.addDays(period.from, -1)),
          to: midnight(LocalDate.addDays(period.to, 2)),
        },
      },
      audit: undefined,
    })
    const labels = new Map(region.plugin.workflow.states.map((s) => [s.id as string, s.label]))
    return StaffSummary.make({
      region: { id, name: region.region.name },
      period,
      on,
      cases: unique([open, closed, opened]),
      statusLabel: (s) => labels.get(s) ?? s,
      ...(region.thresholds.thuiszitterspact === undefined
        ? {}
        : { pact: region.thresholds.thuiszitterspact }),
      calendars: region.calendars,
      registers: yield* registers,
    })
  })

/** The purpose of the Inspectie overview in the processing register. */
export const INSPECTIE_PURPOSE = "inspectie-rapportage"

/**
 * The Inspectie overviews of a region, one per peildatum, from the histories of the cases open now
 * or closed this school year, with one audit record (`report`, purpose `inspectie-rapportage`).
 * Without a `brinOf`, the BRIN codes come from the schools among the installation's organisations.
 */
export const inspectie = (input: {
  readonly region: RegionConfig.EnabledRegion
  readonly quarter: string
  readonly peildata: ReadonlyArray<LocalDate.LocalDate>
  /** The region's pseudonym key. */
  readonly key: string
  readonly brinOf?: ((schoolId: string) => string | undefined) | undefined
  readonly note?: string
}): Effect.Effect<
  Array<Inspectie.Overview>,
  ReadError | CaseStore.RegionNotPermitted,
  CaseQueries.CaseQueries | CaseStore.CaseStore | Accounts.Accounts | CurrentPrincipal.CurrentPrincipal
> =>
  Effect.gen(function* () {
    const { region, peildata } = input
    const id = region.region.id
    const store = yield* CaseStore.CaseStore
    yield* withinReach(id)
    const audit = yield* auditOf("report", id, input.note ?? "inspectie-overview").pipe(
      CurrentPrincipal.withPurpose(INSPECTIE_PURPOSE),
    )
    const earliest = [...peildata].sort()[0] ?? LocalDate.todayInAmsterdam()
    const yearStart = LocalDate.schoolYearOf(earliest).start
    const open = yield* allOf({ regionId: id, filter: { open: true }, audit })
    const closed = yield* allOf({ regionId: id, filter: { closedOn: { from: yearStart } }, audit: undefined })
    const histories: Array<Inspectie.CaseHistory> = []
    for (const state of unique([open, closed])) {
      // Only cases that ever recorded attendance or an exemption can have a row.
      if (state.attendance === undefined && state.exemptions.length === 0) continue
      const stored = yield* store
        .events(state.id, { regions: [id] })
        .pipe(Effect.catchTag("CaseNotFound", () => Effect.succeed([])))
      histories.push({ state, events: stored.map((e): CaseEvent.CaseEvent => e.event) })
    }
    const names = yield* registers
    const brinLookup = input.brinOf ?? names.brinOf
    return peildata.map((peildatum) =>
      Inspectie.make({
        region: { id, name: region.region.name },
        peildatum,
        quarter: input.quarter,
        key: input.key,
        cases: histories,
        calendars: region.calendars,
        brinOf: brinLookup,
        registers: names,
      }),
    )
  })

/**
 * Cases per read of a case list. The export must not stall the gateway (a 6,626-case export used
 * to hold `/health` for 4.4 s): each page is read, decoded and turned into rows on the event loop in
 * one stretch (about 5 ms for 25 cases on an idle machine, most of it decoding the stored state),
 * and between pages the loop serves other requests; the cells and the file (XML and compression,
 * the bulk of the work) are made in a worker thread. Reading in the worker too would need its own
 * database connection, the region's plug-in and configuration loaded again there, and the audit
 * record written from another thread; short pages on this thread meet the goal (p99 of `/health`
 * under 100 ms, `apps/gateway/bench/export-health.ts`, docs/exports.md) without that.
 */
export const CASE_LIST_PAGE = 25

/** A later page failed to read; carries the read's failure out of the file writer. */
class PageFailed extends Error {
  constructor(readonly failure: Cause.Cause<unknown>) {
    super("a page of the export could not be read")
  }
}

/**
 * The coordinator's case list of a region as an `.xlsx` file: the plug-in's columns, the personal
 * ones (the pupil's name, birth date) only with `includePersonal`. One audit record (`case`) by
 * the caller, with `note` `xlsx` or `xlsx:personal`. Never e-mailed.
 */
export const caseList = (input: {
  readonly region: RegionConfig.EnabledRegion
  readonly includePersonal: boolean
  /** `true`: open cases only; `false`: closed only; absent: all. */
  readonly open?: boolean | undefined
  readonly on: LocalDate.LocalDate
}): Effect.Effect<
  Buffer,
  ReadError | CaseStore.RegionNotPermitted,
  CaseQueries.CaseQueries | CurrentPrincipal.CurrentPrincipal
> =>
  Effect.gen(function* () {
    const { region, includePersonal, on } = input
    yield* withinReach(region.region.id)
    const audit = yield* auditOf("case", region.region.id, includePersonal ? "xlsx:personal" : "xlsx")
    const read: CaseRead = {
      regionId: region.region.id,
      filter: { open: input.open },
      audit,
      pageSize: CASE_LIST_PAGE,
    }
    // The stream of `casePages`, driven by the file writer (outside Effect): the first page here,
    // each later one after a turn of the event loop, as the writer asks for it.
    const first = yield* pageOf(read, undefined)
    const runtime = yield* Effect.runtime<CaseQueries.CaseQueries>()
    const readLater = (cursor: string) =>
      Runtime.runPromiseExit(runtime)(Effect.zipRight(turn, pageOf(read, cursor)))
    async function* states(): AsyncGenerator<Case.CaseState> {
      yield* first.items
      let cursor = nextCursor(first)
      while (cursor !== undefined) {
        const page = await readLater(cursor)
        if (Exit.isFailure(page)) throw new PageFailed(page.cause)
        yield* page.value.items
        cursor = nextCursor(page.value)
      }
    }
    // One page is written here in a few milliseconds; more go to a worker (starting one takes a
    // few hundred milliseconds, though not on this thread).
    const more = nextCursor(first) !== undefined
    return yield* Effect.tryPromise({
      try: (signal) =>
        CaseList.exportCases(states(), {
          plugin: region.plugin,
          context: Regions.contextFor(region, on),
          includePersonal,
          title: `Casussen ${region.region.name} ${on}`,
          thread: more ? "worker" : "main",
          chunkSize: CASE_LIST_PAGE,
          signal,
        }),
      catch: (error) => error,
    }).pipe(
      // A page that could not be read fails the report as that read's own error would.
      Effect.catchAll((error) =>
        error instanceof PageFailed
          ? Effect.failCause(error.failure as Cause.Cause<ReadError>)
          : Effect.die(error),
      ),
    )
  })

/** What a handover notice may say (all `MailSafe` or dates), and to whom it goes. */
export interface HandoverNotice {
  /** The referrer's address, from the referral. */
  readonly to: string
  readonly caseId: Ids.CaseId
  /** The referral that opened the case: the referrer's page of it is `/aanmeldingen/:referralId`. */
  readonly referralId: Ids.ReferralId
  readonly caseRef: MailSafe.Safe
  readonly regionName: MailSafe.Safe
  readonly referredOn: LocalDate.LocalDate
  readonly handoverOn: LocalDate.LocalDate
  /** Who took over: their registered account name when the handover links it, and their role. */
  readonly takenOverBy: { readonly account: MailSafe.Safe | undefined; readonly role: Party.PartyRole }
}

/**
 * The content of the handover notice of `caseId` on `handoverOn`, read by the caller with one audit
 * record (`read` of the case, context `<door>.case.read:handover-notice`). `Left` with the reason
 * when no notice can be made (no such case, no address, no handover): trying again will not help.
 */
export const handoverNotice = (input: {
  readonly region: RegionConfig.EnabledRegion
  readonly caseId: string
  readonly handoverOn: LocalDate.LocalDate
}): Effect.Effect<
  Either.Either<HandoverNotice, string>,
  SqlError | Errors.ValidationError | CaseStore.RegionNotPermitted,
  CaseStore.CaseStore | Accounts.Accounts | CurrentPrincipal.CurrentPrincipal
> =>
  Effect.gen(function* () {
    const regionId = input.region.region.id
    const caseId = Schema.decodeUnknownOption(Ids.CaseId)(input.caseId)
    if (Option.isNone(caseId)) return Either.left(`not a case id: ${input.caseId}`)
    yield* withinReach(regionId)
    const caller = yield* CurrentPrincipal.CurrentPrincipal
    const store = yield* CaseStore.CaseStore
    const found = yield* store
      .get(caseId.value, {
        regions: [regionId],
        audit: {
          userId: caller.principal.userId,
          organisationId: caller.principal.organisationId,
          action: "read",
          recordType: "case",
          recordId: caseId.value,
          regionId,
          purpose: caller.purpose,
          context: auditContext(`${caller.door}.case.read:handover-notice`),
          requestId: caller.requestId.replace(/[^A-Za-z0-9._:-]/g, "_").slice(0, 128),
        } as AuditLog.AuditEntry,
      })
      .pipe(
        Effect.map(Option.some),
        Effect.catchTag("CaseNotFound", () => Effect.succeedNone),
      )
    if (Option.isNone(found)) return Either.left(`case ${input.caseId} not found in ${regionId}`)
    const state = found.value
    const email = state.referral.referrer.email
    if (email === undefined) return Either.left(`the referrer of case ${input.caseId} has no e-mail address`)
    const handover =
      [...state.handovers].reverse().find((h) => h.on === input.handoverOn) ?? state.handovers.at(-1)
    if (handover === undefined) return Either.left(`case ${input.caseId} has no handover`)
    // The registered account of who took over, when linked; never the name typed in the case.
    const userId = handover.to.userId
    const account =
      userId === undefined
        ? Option.none()
        : yield* Effect.flatMap(Accounts.Accounts, (accounts) => accounts.user(userId))
    return Either.right({
      to: email,
      caseId: state.id,
      referralId: state.referral.id,
      caseRef: MailSafe.caseRef(state.id),
      regionName: MailSafe.label(input.region.region.name),
      referredOn: LocalDate.todayInAmsterdam(new Date(state.referral.submittedAt)),
      handoverOn: handover.on,
      takenOverBy: {
        account: MailSafe.accountName(handover.to, {
          userName: (id) => (id === userId ? Option.getOrUndefined(account)?.name : undefined),
        }),
        role: handover.to.role,
      },
    })
  })
