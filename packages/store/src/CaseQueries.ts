/**
 * The lists the rest of the system reads: cases by region, status, regiehouder, school, referrer
 * and dates; open actions due before a date; thuiszitters; cases at risk under the
 * Thuiszitterspact; referrals by referrer. All keyset-paginated with opaque cursors in a stable
 * order, all served by a named index (see `Migrations.ts`), and all filtered on the caller's
 * regions in SQL.
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import {
  type Case,
  type CaseParts,
  CaseSignals,
  type Errors,
  type Ids,
  LangdurigVerzuim,
  LocalDate,
  type Referral,
  type SchoolCalendar,
  Thuiszitterspact,
  type Timestamp,
} from "@verzuimregie/domain"
import { Effect, Either } from "effect"
import { audited } from "./internal/audited.js"
import { Database } from "./internal/service.js"
import { parseJson } from "./internal/sql.js"
import { decodedState, knownState, type StateRow } from "./internal/stateCache.js"
import {
  decodeCursor,
  encodeCursor,
  type InvalidCursor,
  type KeyPart,
  keysetAfter,
  limitOf,
  type Page,
  type PageRequest,
  toPage,
} from "./Pagination.js"
import { regionsOf, type Visibility } from "./Visibility.js"

/** Half-open: `from` included, `to` excluded. */
export interface TimeRange {
  readonly from?: Timestamp.Timestamp | undefined
  readonly to?: Timestamp.Timestamp | undefined
}

/** Both ends included. */
export interface DateRange {
  readonly from?: LocalDate.LocalDate | undefined
  readonly to?: LocalDate.LocalDate | undefined
}

export interface CaseFilter {
  /** Any of these statuses. */
  readonly status?: ReadonlyArray<string> | undefined
  /** The regiehouder's user id. */
  readonly regiehouder?: Ids.UserId | undefined
  readonly school?: Ids.OrganisationId | undefined
  /** The referrer's organisation. */
  readonly referrer?: Ids.OrganisationId | undefined
  /** The referral that opened the case. */
  readonly referralId?: Ids.ReferralId | undefined
  /** The user who submitted that referral. */
  readonly submittedBy?: Ids.UserId | undefined
  /** `true`: open cases only; `false`: closed cases only. */
  readonly open?: boolean | undefined
  readonly openedAt?: TimeRange | undefined
  readonly lastEventAt?: TimeRange | undefined
  readonly closedOn?: DateRange | undefined
}

export interface OpenActionItem {
  readonly caseId: Ids.CaseId
  readonly regionId: Ids.RegionId
  readonly action: Case.TrackedAction
}

export interface AtHomeItem {
  readonly state: Case.CaseState
  readonly situation: CaseParts.AttendanceSituation
  /** The Inspectie category on the reference date. */
  readonly categorie: LangdurigVerzuim.Categorie
  /**
   * First day that counts: the first day at home (or not enrolled), or the day after the last
   * day a ground excused (an expired vrijstelling restarts the count).
   */
  readonly since: LocalDate.LocalDate
  /** Calendar days from `since` up to the reference date, `since` counting as day 1. */
  readonly daysAtHome: number
}

export interface PactRiskItem {
  readonly state: Case.CaseState
  /** First day the pact's clock counts (`pact.countsFrom`). */
  readonly since: LocalDate.LocalDate
  readonly pact: Thuiszitterspact.PactCheck
}

/**
 * What a search for a pupil asks: a part of the name (any part, case, accents and spacing do not
 * count), the birth date, the person number (BSN or onderwijsnummer, either kind). All given
 * criteria must hold.
 */
export interface PupilCriteria {
  readonly name?: string | undefined
  readonly birthDate?: LocalDate.LocalDate | undefined
  readonly personNumber?: string | undefined
}

/** Lower case, without accents, single spaces, as `Pupil.matchKey` compares names. */
export const searchable = (text: string): string =>
  text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase("nl").replace(/\s+/g, " ").trim()

/** Does the pupil of a case meet the criteria? The domain's answer, the same on every backend. */
export const pupilMatches = (state: Case.CaseState, criteria: PupilCriteria): boolean => {
  const { pupil } = state.referral
  if (criteria.birthDate !== undefined && pupil.birthDate !== criteria.birthDate) return false
  if (criteria.personNumber !== undefined && pupil.personNumber?.value !== criteria.personNumber) return false
  if (criteria.name !== undefined) {
    const wanted = searchable(criteria.name)
    const { givenName, prefix, familyName } = pupil.name
    const full = searchable([givenName, prefix, familyName].filter((p) => p !== undefined).join(" "))
    // "Jansen, Piet" and "van Dijk" as a list writes them: family name first too.
    const listed = searchable([familyName, givenName, prefix].filter((p) => p !== undefined).join(" "))
    if (!full.includes(wanted) && !listed.includes(wanted.replace(",", ""))) return false
  }
  return true
}

/** How far one request of a working list may read (see `atHome`). */
export interface ScanOptions {
  /** Rows examined at most per request. Default `MAX_EXAMINED_ROWS`. */
  readonly maxExamined?: number | undefined
  /** Rows read per query. Default `SCAN_BATCH_ROWS`. */
  readonly batch?: number | undefined
}

/** Rows a working list reads per query. */
export const SCAN_BATCH_ROWS = 200

/**
 * Rows a working list examines at most per request: bounds the time of one request (and, when
 * audited, of its transaction) whatever the number of excused pupils at home.
 */
export const MAX_EXAMINED_ROWS = 2000

export interface ReferralItem {
  readonly caseId: Ids.CaseId
  readonly regionId: Ids.RegionId
  readonly status: string
  readonly openedAt: Timestamp.Timestamp
  readonly closedOn: LocalDate.LocalDate | undefined
  readonly referral: Referral.Referral
  /** What the referrer's status answer shows besides the status: when, why closed, handed to whom. */
  readonly lastEventAt: Timestamp.Timestamp
  readonly closed: Case.Closure | undefined
  readonly lastHandover: Case.Handover | undefined
}

type QueryError = InvalidCursor | Errors.ValidationError | SqlError

/** Decoded case states kept per database (see `internal/stateCache.ts`). */
export { DECODED_STATES_KEPT } from "./internal/stateCache.js"

type CachedRow = StateRow

/**
 * The last day `since` may be for `addMonths(since, months) <= date`. `addMonths` clamps to the end
 * of the month, so it is monotone but not invertible; step from the naive answer to the exact one.
 */
export const latestStartBefore = (date: LocalDate.LocalDate, months: number): LocalDate.LocalDate => {
  let candidate = LocalDate.addMonths(date, -months)
  while (LocalDate.addMonths(LocalDate.addDays(candidate, 1), months) <= date) {
    candidate = LocalDate.addDays(candidate, 1)
  }
  while (LocalDate.addMonths(candidate, months) > date) candidate = LocalDate.addDays(candidate, -1)
  return candidate
}

export class CaseQueries extends Effect.Service<CaseQueries>()("@verzuimregie/store/CaseQueries", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const { sql } = db

    /** A row's state: as `withStates` found it cached, or decoded through the cache of decoded states. */
    const stateOf = (
      row: Omit<CachedRow, "state"> & {
        readonly known?: Case.CaseState | undefined
        readonly state?: unknown
      },
    ): Case.CaseState =>
      row.known ??
      Either.getOrThrowWith(decodedState(db, { ...row, state: row.state }), (reason) => new Error(reason))

    /**
     * The rows of a list with their states: the cached ones as they are, the state column read
     * (with the version and write time that go with it) only for the rest. A list of cases the
     * cache holds reads no state text at all, which is most of a list query's time. A case row is
     * never deleted, so each missing row is found.
     */
    const withStates = <Row extends Omit<StateRow, "state">>(
      rows: ReadonlyArray<Row>,
    ): Effect.Effect<
      ReadonlyArray<Row & { readonly known?: Case.CaseState; readonly state?: unknown }>,
      SqlError
    > =>
      Effect.gen(function* () {
        const missing = rows.filter((row) => knownState(db, row) === undefined).map((row) => row.case_id)
        if (missing.length === 0) return rows.map((row) => ({ ...row, known: knownState(db, row) }))
        const read = yield* sql<StateRow>`SELECT case_id, version, updated_at, state FROM cases
          WHERE ${sql.in("case_id", missing)}`
        const byId = new Map(read.map((row) => [row.case_id, row]))
        return rows.map((row) => {
          const known = knownState(db, row)
          if (known !== undefined) return { ...row, known }
          const fresh = byId.get(row.case_id)
          return fresh === undefined ? row : { ...row, ...fresh }
        })
      })

    /** Runs the page query, turning undecodable stored state into a defect. */
    const run = <Row, A>(
      visibility: Visibility,
      query: Effect.Effect<ReadonlyArray<Row>, SqlError>,
      build: (rows: ReadonlyArray<Row>) => Page<A>,
    ): Effect.Effect<Page<A>, QueryError> =>
      audited(
        db,
        visibility,
        Effect.flatMap(query, (rows) => Effect.orDie(Effect.try(() => build(rows)))),
      )

    const casesWhere = (
      regions: ReadonlyArray<Ids.RegionId>,
      filter: CaseFilter,
    ): Array<Statement.Fragment> => {
      const clauses: Array<Statement.Fragment> = [sql.in("region_id", regions)]
      if (filter.status !== undefined) clauses.push(sql.in("status", filter.status))
      if (filter.regiehouder !== undefined) clauses.push(sql`regiehouder_user_id = ${filter.regiehouder}`)
      if (filter.school !== undefined) clauses.push(sql`school_id = ${filter.school}`)
      if (filter.referrer !== undefined) clauses.push(sql`referrer_org_id = ${filter.referrer}`)
      if (filter.referralId !== undefined) clauses.push(sql`referral_id = ${filter.referralId}`)
      if (filter.submittedBy !== undefined) clauses.push(sql`submitted_by = ${filter.submittedBy}`)
      if (filter.open === true) clauses.push(sql`closed_on IS NULL`)
      if (filter.open === false) clauses.push(sql`closed_on IS NOT NULL`)
      if (filter.openedAt?.from !== undefined) clauses.push(sql`opened_at >= ${filter.openedAt.from}`)
      if (filter.openedAt?.to !== undefined) clauses.push(sql`opened_at < ${filter.openedAt.to}`)
      if (filter.lastEventAt?.from !== undefined)
        clauses.push(sql`last_event_at >= ${filter.lastEventAt.from}`)
      if (filter.lastEventAt?.to !== undefined) clauses.push(sql`last_event_at < ${filter.lastEventAt.to}`)
      if (filter.closedOn?.from !== undefined) clauses.push(sql`closed_on >= ${filter.closedOn.from}`)
      if (filter.closedOn?.to !== undefined) clauses.push(sql`closed_on <= ${filter.closedOn.to}`)
      return clauses
    }

    interface CaseRow extends CachedRow {
      readonly opened_at: string
    }

    /** A page of cases matching `filter`, newest first, each as `item` makes it. */
    const newestFirst = <A>(
      list: "cases" | "referrals",
      visibility: Visibility,
      filter: CaseFilter,
      page: PageRequest | undefined,
      item: (state: Case.CaseState) => A,
    ): Effect.Effect<Page<A>, QueryError> =>
      Effect.gen(function* () {
        const regions = yield* regionsOf(visibility.regions)
        const limit = limitOf(page)
        const key = yield* decodeCursor(list, page?.cursor, ["timestamp", "text"])
        const clauses = casesWhere(regions, filter)
        if (key !== undefined) clauses.push(keysetAfter(sql, ["opened_at", "case_id"], key, "<"))
        return yield* run(
          visibility,
          Effect.flatMap(
            sql<
              Omit<CaseRow, "state">
            >`SELECT case_id, opened_at, version, updated_at FROM cases WHERE ${sql.and(clauses)}
              ORDER BY opened_at DESC, case_id DESC LIMIT ${limit + 1}`,
            withStates,
          ),
          (rows) =>
            toPage(
              list,
              rows,
              limit,
              (row) => [row.opened_at, row.case_id],
              (row) => item(stateOf(row)),
            ),
        )
      })

    /**
     * Cases in the caller's regions matching the filter, newest first.
     *
     * @example
     * const page = yield* queries.cases({ regions: ["westland"] }, { status: ["aangemeld"], open: true })
     * const next = yield* queries.cases(visibility, filter, { cursor: page.nextCursor ?? undefined })
     */
    const cases = (
      visibility: Visibility,
      filter: CaseFilter = {},
      page?: PageRequest,
    ): Effect.Effect<Page<Case.CaseState>, QueryError> =>
      newestFirst("cases", visibility, filter, page, (s) => s)

    /**
     * How many cases match `filter`, per status (statuses without cases left out): the
     * coordinator's overview of a region, one grouped count instead of reading every case.
     */
    const statusCounts = (
      visibility: Visibility,
      filter: CaseFilter = {},
    ): Effect.Effect<ReadonlyArray<{ readonly status: string; readonly count: number }>, QueryError> =>
      Effect.gen(function* () {
        const regions = yield* regionsOf(visibility.regions)
        return yield* audited(
          db,
          visibility,
          Effect.map(
            sql<{ readonly status: string; readonly n: number | string }>`SELECT status, COUNT(*) AS n
              FROM cases WHERE ${sql.and(casesWhere(regions, filter))} GROUP BY status ORDER BY status`,
            // PostgreSQL's COUNT is a bigint, which the driver hands over as a string.
            (rows) => rows.map((row) => ({ status: row.status, count: Number(row.n) })),
          ),
        )
      })

    /**
     * Referrals sent by one organisation, newest first, with the status of the case each opened.
     */
    const referralsByReferrer = (
      visibility: Visibility,
      referrer: Ids.OrganisationId,
      page?: PageRequest,
      only: Pick<CaseFilter, "referralId" | "submittedBy"> = {},
    ): Effect.Effect<Page<ReferralItem>, QueryError> =>
      newestFirst("referrals", visibility, { ...only, referrer }, page, (state) => ({
        caseId: state.id,
        regionId: state.regionId,
        status: state.status,
        openedAt: state.openedAt,
        closedOn: state.closed?.on,
        referral: state.referral,
        lastEventAt: state.lastEventAt,
        closed: state.closed,
        lastHandover: state.handovers.at(-1),
      }))

    /**
     * Open actions due before `before` (excluded), earliest first; optionally of one owner.
     */
    const openActionsDue = (
      visibility: Visibility,
      options: { readonly before: LocalDate.LocalDate; readonly owner?: Ids.UserId | undefined },
      page?: PageRequest,
    ): Effect.Effect<Page<OpenActionItem>, QueryError> =>
      Effect.gen(function* () {
        const regions = yield* regionsOf(visibility.regions)
        const limit = limitOf(page)
        const key = yield* decodeCursor("open-actions", page?.cursor, ["date", "text", "text"])
        const clauses = [sql.in("region_id", regions), sql`due_on < ${options.before}`]
        if (options.owner !== undefined) clauses.push(sql`owner_user_id = ${options.owner}`)
        if (key !== undefined) clauses.push(keysetAfter(sql, ["due_on", "case_id", "action_id"], key, ">"))
        interface Row {
          readonly case_id: string
          readonly region_id: string
          readonly action_id: string
          readonly due_on: string
          readonly action: unknown
        }
        return yield* run(
          visibility,
          sql<Row>`SELECT case_id, region_id, action_id, due_on, action FROM open_actions
            WHERE ${sql.and(clauses)} ORDER BY due_on, case_id, action_id LIMIT ${limit + 1}`,
          (rows) =>
            toPage(
              "open-actions",
              rows,
              limit,
              (row) => [row.due_on, row.case_id, row.action_id],
              (row) => ({
                caseId: row.case_id as Ids.CaseId,
                regionId: row.region_id as Ids.RegionId,
                action: parseJson(row.action) as Case.TrackedAction,
              }),
            ),
        )
      })

    interface HomeRow extends CachedRow {
      readonly attendance_since: string
    }

    /**
     * A page of open cases of pupils at home that `pick` keeps, in the order of the first day at
     * home (`attendance_since`, then `case_id`), each as `pick` makes it.
     *
     * Whether a case belongs on the list depends on the date (a vrijstelling runs out, leave
     * covers some days), so no projection column can hold it (every column is a function of the
     * state alone, reproduced by a rebuild; this answer changes with the day), and the domain
     * decides, in code. The SQL narrows the candidates by conditions the rule implies
     * (`narrow`), then the candidates are read in keyset order in batches and `pick` is applied,
     * until the page and one more item are found or the candidates run out: pages are full, and
     * the last page says so. The
     * cursor is the sort key of the last row examined before that extra item, so the next request
     * starts where this one stopped (only the extra item is examined again).
     *
     * Bounded work: a request examines at most `scan.maxExamined` rows (default
     * `MAX_EXAMINED_ROWS`). Past that it returns what it found, possibly a short or empty page,
     * with a cursor at the last row examined; the next request goes on from there.
     */
    const atHome = <A>(
      list: "thuiszitters" | "pact-risks",
      visibility: Visibility,
      narrow: ReadonlyArray<Statement.Fragment>,
      page: PageRequest | undefined,
      pick: (state: Case.CaseState) => A | undefined,
      scan: ScanOptions = {},
    ): Effect.Effect<Page<A>, QueryError> =>
      Effect.gen(function* () {
        const regions = yield* regionsOf(visibility.regions)
        const limit = limitOf(page)
        const start = yield* decodeCursor(list, page?.cursor, ["date-or-null", "text"])
        const maxExamined = Math.max(1, Math.floor(scan.maxExamined ?? MAX_EXAMINED_ROWS))
        const batch = Math.max(1, Math.min(Math.floor(scan.batch ?? SCAN_BATCH_ROWS), maxExamined))
        const batchAfter = (key: ReadonlyArray<KeyPart> | undefined, rows: number) => {
          // Spelled like the partial index `cases_at_home_idx`, so the planner can use it.
          const clauses = [
            sql.in("region_id", regions),
            sql`closed_on IS NULL`,
            sql`attendance_situation IN ('thuiszittend', 'niet-ingeschreven')`,
            ...narrow,
          ]
          if (key !== undefined) clauses.push(keysetAfter(sql, ["attendance_since", "case_id"], key, ">"))
          return sql<HomeRow>`SELECT case_id, attendance_since, version, updated_at, state FROM cases WHERE ${sql.and(clauses)}
            ORDER BY attendance_since, case_id LIMIT ${rows}`
        }
        const read = Effect.gen(function* () {
          const items: Array<A> = []
          let key = start
          let examined = 0
          while (true) {
            const wanted = Math.min(batch, maxExamined - examined)
            const rows = yield* batchAfter(key, wanted)
            for (const row of rows) {
              const item = yield* Effect.orDie(Effect.try(() => pick(stateOf(row))))
              if (item !== undefined) {
                // One more than the page: there is a next page, and it starts with this row.
                if (items.length === limit) return { items, nextCursor: encodeCursor(list, key ?? []) }
                items.push(item)
              }
              examined++
              key = [row.attendance_since, row.case_id]
            }
            if (rows.length < wanted) return { items, nextCursor: null }
            if (examined >= maxExamined) return { items, nextCursor: encodeCursor(list, key ?? []) }
          }
        })
        return yield* audited(db, visibility, read)
      })

    /**
     * Thuiszitters on `on`, as the domain judges them (`CaseSignals.thuiszitterOn`, the function
     * behind the case page's category): absoluut verzuim (category 1), and langdurig relatief
     * verzuim of more than 4 weeks (2a, 2b) counted from the first unexcused day. A pupil whose
     * duty a running vrijstelling or lawful leave excuses on `on` is not listed; leave does not
     * excuse a pupil who is not enrolled. Open cases only, longest at home first.
     */
    const thuiszitters = (
      visibility: Visibility,
      options: {
        readonly on: LocalDate.LocalDate
        readonly langdurig?: Partial<LangdurigVerzuim.LangdurigVerzuimOptions> | undefined
        /** The region's school calendars: which days leave covers. */
        readonly calendars?: SchoolCalendar.Calendars | undefined
        readonly scan?: ScanOptions | undefined
      },
      page?: PageRequest,
    ): Effect.Effect<Page<AtHomeItem>, QueryError> => {
      const { on } = options
      const { weeks } = { ...LangdurigVerzuim.defaults, ...options.langdurig }
      // Necessary conditions only: the unexcused stretch never starts before the first day at
      // home, so langdurig relatief verzuim (day 7·weeks + 1 of the stretch) needs that day to be
      // at most `on - 7·weeks`; absoluut verzuim needs only that it has begun.
      const latestSince = LocalDate.addDays(on, -7 * weeks)
      return atHome(
        "thuiszitters",
        visibility,
        [
          sql`attendance_since <= ${on}`,
          sql`(attendance_situation = 'niet-ingeschreven' OR attendance_since <= ${latestSince})`,
        ],
        page,
        (state) => {
          const found = CaseSignals.thuiszitterOn(state, on, options.langdurig, options.calendars)
          if (found === undefined || state.attendance === undefined) return undefined
          return {
            state,
            situation: state.attendance.situation,
            categorie: found.categorie,
            since: found.since,
            daysAtHome: LocalDate.daysBetween(found.since, on) + 1,
          }
        },
        options.scan,
      )
    }

    /**
     * Thuiszitterspact risks on `on`: pupils at home without a fitting offer whose 3 months
     * (configurable) run out within the warning days or have run out, oldest first, each with the
     * domain's verdict (`CaseSignals.pactOn`, as on the case page: `waarschuwing` / `alarm`, the
     * first day that counts, limit date, days remaining). Days a ground excuses do not count, and
     * a pupil excused on `on` is no risk.
     */
    const pactRisks = (
      visibility: Visibility,
      options: {
        readonly on: LocalDate.LocalDate
        readonly pact?: Partial<Thuiszitterspact.ThuiszitterspactOptions> | undefined
        /** The region's school calendars: which days leave covers. */
        readonly calendars?: SchoolCalendar.Calendars | undefined
        readonly scan?: ScanOptions | undefined
      },
      page?: PageRequest,
    ): Effect.Effect<Page<PactRiskItem>, QueryError> => {
      const pact = { ...Thuiszitterspact.defaults, ...options.pact }
      // Necessary: at risk needs addMonths(countsFrom, limit) <= on + warningDays, and
      // countsFrom is never before the first day at home (addMonths is monotone).
      const latestSince = latestStartBefore(LocalDate.addDays(options.on, pact.warningDays), pact.limitMonths)
      return atHome(
        "pact-risks",
        visibility,
        [sql`fitting_offer = ${db.bool(false)}`, sql`attendance_since <= ${latestSince}`],
        page,
        (state) => {
          const check = CaseSignals.pactOn(state, options.on, pact, options.calendars)
          return check === undefined || check.status === "ok"
            ? undefined
            : { state, since: check.countsFrom, pact: check }
        },
        options.scan,
      )
    }

    /** A field of the pupil in the stored state, as each dialect reads JSON. */
    const pupilField = (path: "birthDate" | "personNumber.value"): Statement.Fragment =>
      db.dialect === "pg"
        ? sql.literal(`(state #>> '{referral,pupil,${path.replace(".", ",")}}')`)
        : sql.literal(`json_extract(state, '$.referral.pupil.${path}')`)

    /**
     * Cases (open or closed) in the caller's regions whose pupil meets the criteria, newest
     * first, one page. Birth date and person number narrow in SQL; the name, which must match
     * loosely (part of it, case and accents not counting), is judged in code on the candidates,
     * read in batches, so pages are full and the last page says so.
     */
    const pupilSearch = (
      visibility: Visibility,
      criteria: PupilCriteria,
      page?: PageRequest,
    ): Effect.Effect<Page<Case.CaseState>, QueryError> =>
      Effect.gen(function* () {
        const regions = yield* regionsOf(visibility.regions)
        const limit = limitOf(page)
        const start = yield* decodeCursor("pupil-search", page?.cursor, ["timestamp", "text"])
        const narrow: Array<Statement.Fragment> = [sql.in("region_id", regions)]
        if (criteria.birthDate !== undefined)
          narrow.push(sql`${pupilField("birthDate")} = ${criteria.birthDate}`)
        if (criteria.personNumber !== undefined)
          narrow.push(sql`${pupilField("personNumber.value")} = ${criteria.personNumber}`)
        const read = Effect.gen(function* () {
          const items: Array<Case.CaseState> = []
          let key = start
          while (true) {
            const clauses = [...narrow]
            if (key !== undefined) clauses.push(keysetAfter(sql, ["opened_at", "case_id"], key, "<"))
            const rows = yield* Effect.flatMap(
              sql<Omit<CaseRow, "state">>`SELECT case_id, opened_at, version, updated_at FROM cases
                WHERE ${sql.and(clauses)} ORDER BY opened_at DESC, case_id DESC LIMIT ${SCAN_BATCH_ROWS}`,
              withStates,
            )
            for (const row of rows) {
              const state = yield* Effect.orDie(Effect.try(() => stateOf(row)))
              if (pupilMatches(state, criteria)) {
                if (items.length === limit) {
                  return { items, nextCursor: key === undefined ? null : encodeCursor("pupil-search", key) }
                }
                items.push(state)
              }
              key = [row.opened_at, row.case_id]
            }
            if (rows.length < SCAN_BATCH_ROWS) return { items, nextCursor: null }
          }
        })
        return yield* audited(db, visibility, read)
      })

    return {
      cases,
      statusCounts,
      referralsByReferrer,
      openActionsDue,
      thuiszitters,
      pactRisks,
      pupilSearch,
    } as const
  }),
}) {}
