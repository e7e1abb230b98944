/**
 * Turns an outbox payload into a message: reads the cases it needs from the store (with one audit
 * record per export), builds the workbook, fills in the template and picks the recipients from the
 * region's configuration. Rendering happens when the message is sent, so a payload holds only ids.
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import { type Case, type CaseEvent, type Errors, Ids, LocalDate, type Timestamp } from "@verzuimregie/domain"
import { Inspectie, MailSafe, StaffSummary } from "@verzuimregie/export-xlsx"
import type { RegionConfig } from "@verzuimregie/plugin-sdk"
import { Accounts, AuditLog, CaseQueries, CaseStore, type Pagination } from "@verzuimregie/store"
import { Clock, Effect, Either, Option, Schema } from "effect"
import {
  decodePayload,
  type HandoverPayload,
  type InspectiePayload,
  type SignInLinkPayload,
  type StaffSummaryPayload,
} from "./Messages.js"
import * as Templates from "./Templates.js"
import type { Attachment } from "./Transport.js"

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/** The system's identity in the audit log when it reads cases for a mail. */
export interface SystemIdentity {
  readonly userId: Ids.UserId
  readonly organisationId: Ids.OrganisationId
}

export const DEFAULT_SYSTEM_IDENTITY: SystemIdentity = {
  userId: Ids.UserId.make("user_systeemverzuimregie"),
  organisationId: Ids.OrganisationId.make("org_systeemverzuimregie"),
}

export interface RenderEnv {
  /** The enabled regions, by id. */
  readonly regions: ReadonlyMap<string, RegionConfig.EnabledRegion>
  readonly publicUrl: string
  /** The Inspectie pseudonym key; needed for Inspectie mail only. */
  readonly pseudonymKey: string | undefined
  readonly identity: SystemIdentity
  /** BRIN codes of schools by organisation id, when the installation knows them. */
  readonly brinOf?: (schoolId: string) => string | undefined
  /** How long a sign-in link works after its mail is made. Default 30 minutes. */
  readonly signInLinkMs?: number
}

export const DEFAULT_SIGN_IN_LINK_MS = 30 * 60_000

export interface Prepared {
  readonly to: ReadonlyArray<string>
  readonly subject: string
  readonly text: string
  readonly html: string
  readonly attachments: ReadonlyArray<Attachment>
  /** What the mail reported, for the command line (counts only). */
  readonly summary: string
}

/** The message cannot be made; `permanent` when trying again will not help. */
export class RenderFailed extends Schema.TaggedError<RenderFailed>()("RenderFailed", {
  reason: Schema.String,
  permanent: Schema.Boolean,
}) {
  override get message(): string {
    return this.reason
  }
}

type ReadError = SqlError | Errors.ValidationError | Pagination.InvalidCursor

const regionOf = (env: RenderEnv, regionId: string) => {
  const region = env.regions.get(regionId)
  return region === undefined
    ? Effect.fail(
        new RenderFailed({
          reason: `region ${regionId} is not configured on this installation`,
          permanent: true,
        }),
      )
    : Effect.succeed(region)
}

const auditEntry = (
  env: RenderEnv,
  regionId: string,
  purpose: string,
  requestId: string,
): AuditLog.AuditEntry => ({
  userId: env.identity.userId,
  organisationId: env.identity.organisationId,
  action: "export",
  recordType: "report",
  regionId: regionId as Ids.RegionId,
  purpose,
  context: "mail.worker",
  requestId: requestId.replace(/[^A-Za-z0-9._:-]/g, "_").slice(0, 128),
})

/** Every page of a case list. */
const allCases = (
  regionId: string,
  filter: CaseQueries.CaseFilter,
  audit: AuditLog.AuditEntry | undefined,
): Effect.Effect<Array<Case.CaseState>, ReadError, CaseQueries.CaseQueries> =>
  Effect.gen(function* () {
    const queries = yield* CaseQueries.CaseQueries
    const out: Array<Case.CaseState> = []
    let cursor: string | undefined
    let first = true
    for (;;) {
      const visibility = {
        regions: [regionId as Ids.RegionId],
        ...(first && audit !== undefined ? { audit } : {}),
      }
      const page = yield* queries.cases(visibility, filter, {
        limit: 500,
        ...(cursor === undefined ? {} : { cursor }),
      })
      first = false
      out.push(...page.items)
      if (page.nextCursor === null) return out
      cursor = page.nextCursor
    }
  })

const unique = (lists: ReadonlyArray<ReadonlyArray<Case.CaseState>>): Array<Case.CaseState> => {
  const byId = new Map<string, Case.CaseState>()
  for (const list of lists) for (const s of list) byId.set(s.id, s)
  return [...byId.values()]
}

const at = (date: LocalDate.LocalDate): Timestamp.Timestamp => `${date}T00:00:00.000Z` as Timestamp.Timestamp

const recipientsOf = (settings: RegionConfig.SummarySettings | undefined, what: string, regionId: string) =>
  settings === undefined || settings.recipients.length === 0
    ? Effect.fail(
        new RenderFailed({ reason: `region ${regionId} has no ${what} recipients`, permanent: true }),
      )
    : Effect.succeed(settings.recipients.map((r) => r.email))

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

/** The register a handover notice needs: the one account that took over, when linked. */
const accountOf = (
  userId: string | undefined,
): Effect.Effect<MailSafe.Registers, SqlError, Accounts.Accounts> =>
  userId === undefined
    ? Effect.succeed({})
    : Effect.map(
        Effect.flatMap(Accounts.Accounts, (accounts) => accounts.user(userId as Ids.UserId)),
        (found) => ({
          userName: (id: string) => (id === userId ? Option.getOrUndefined(found)?.name : undefined),
        }),
      )

/** The staff summary's data, workbook and counts for a region and period (also for `--dry-run`). */
export const staffSummaryOf = (
  region: RegionConfig.EnabledRegion,
  period: StaffSummary.Period,
  on: LocalDate.LocalDate,
  audit: AuditLog.AuditEntry | undefined,
): Effect.Effect<StaffSummary.StaffSummary, ReadError, CaseQueries.CaseQueries | Accounts.Accounts> =>
  Effect.gen(function* () {
    const id = region.region.id
    const open = yield* allCases(id, { open: true }, audit)
    const closed = yield* allCases(id, { closedOn: { from: period.from, to: period.to } }, undefined)
    const opened = yield* allCases(
      id,
      {
        openedAt: {
          from: at(LocalDate.addDays(period.from, -1)),
          to: at(LocalDate.addDays(period.to, 2)),
        },
      },
      undefined,
    )
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

/**
 * The Inspectie overviews for a region, one per peildatum (also for `--dry-run`). Without a
 * `brinOf`, the BRIN codes come from the schools among the installation's organisations.
 */
export const inspectieOf = (
  region: RegionConfig.EnabledRegion,
  quarter: string,
  peildata: ReadonlyArray<LocalDate.LocalDate>,
  key: string,
  audit: AuditLog.AuditEntry | undefined,
  brinOf: ((schoolId: string) => string | undefined) | undefined,
): Effect.Effect<
  Array<Inspectie.Overview>,
  ReadError,
  CaseQueries.CaseQueries | CaseStore.CaseStore | Accounts.Accounts
> =>
  Effect.gen(function* () {
    const id = region.region.id
    const store = yield* CaseStore.CaseStore
    const earliest = [...peildata].sort()[0] ?? LocalDate.todayInAmsterdam()
    const yearStart = LocalDate.schoolYearOf(earliest).start
    const open = yield* allCases(id, { open: true }, audit)
    const closed = yield* allCases(id, { closedOn: { from: yearStart } }, undefined)
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
    const brinLookup = brinOf ?? names.brinOf
    return peildata.map((peildatum) =>
      Inspectie.make({
        region: { id, name: region.region.name },
        peildatum,
        quarter,
        key,
        cases: histories,
        calendars: region.calendars,
        brinOf: brinLookup,
        registers: names,
      }),
    )
  })

const renderStaff = (messageId: string, payload: StaffSummaryPayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const region = yield* regionOf(env, payload.regionId)
    const to = yield* recipientsOf(region.summaries, "summary", payload.regionId)
    const summary = yield* staffSummaryOf(
      region,
      payload.period,
      payload.on,
      auditEntry(env, payload.regionId, "casusregie", messageId),
    )
    const attachment = StaffSummary.fileName(summary)
    // Read after the summary's own audit record: the footer anchors a head that includes it.
    const auditHead = yield* Effect.flatMap(AuditLog.AuditLog, (audit) => audit.head)
    const at = new Date(yield* Clock.currentTimeMillis)
    const mail = Templates.staffSummary(summary, {
      at,
      regionUrl: `${env.publicUrl}/regions/${encodeURIComponent(payload.regionId)}`,
      attachment,
      auditHead,
    })
    return {
      to,
      ...mail,
      attachments: [
        { filename: attachment, content: StaffSummary.workbook(summary), contentType: XLSX_TYPE },
      ],
      summary: `${summary.counts.open} open, ${summary.counts.newReferrals} nieuw, ${summary.counts.closed} afgesloten`,
    } satisfies Prepared
  })

const renderInspectie = (messageId: string, payload: InspectiePayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const region = yield* regionOf(env, payload.regionId)
    const to = yield* recipientsOf(region.inspectie, "Inspectie overview", payload.regionId)
    if (env.pseudonymKey === undefined) {
      return yield* new RenderFailed({ reason: "no Inspectie pseudonym key is configured", permanent: true })
    }
    const overviews = yield* inspectieOf(
      region,
      payload.quarter,
      payload.peildata,
      env.pseudonymKey,
      auditEntry(env, payload.regionId, "inspectie-rapportage", messageId),
      env.brinOf,
    )
    const attachments = overviews.map((o) => ({
      filename: Inspectie.fileName(o),
      content: Inspectie.workbook(o),
      contentType: XLSX_TYPE,
    }))
    const at = new Date(yield* Clock.currentTimeMillis)
    const mail = Templates.inspectieOverview(overviews, {
      at,
      regionName: region.region.name,
      quarter: payload.quarter,
      regionUrl: `${env.publicUrl}/regions/${encodeURIComponent(payload.regionId)}`,
      attachments: attachments.map((a) => a.filename),
    })
    return {
      to,
      ...mail,
      attachments,
      summary: overviews.map((o) => `${o.peildatum}: ${o.rows.length} rijen`).join("; "),
    } satisfies Prepared
  })

const renderHandover = (messageId: string, payload: HandoverPayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const region = yield* regionOf(env, payload.regionId)
    const store = yield* CaseStore.CaseStore
    const caseId = Schema.decodeUnknownOption(Ids.CaseId)(payload.caseId)
    if (caseId._tag === "None") {
      return yield* new RenderFailed({ reason: `not a case id: ${payload.caseId}`, permanent: true })
    }
    const state = yield* store
      .get(caseId.value, {
        regions: [payload.regionId as Ids.RegionId],
        audit: {
          ...auditEntry(env, payload.regionId, "casusregie", messageId),
          action: "read",
          recordType: "case",
          recordId: caseId.value,
        },
      })
      .pipe(
        Effect.catchTag("CaseNotFound", () =>
          Effect.fail(
            new RenderFailed({
              reason: `case ${payload.caseId} not found in ${payload.regionId}`,
              permanent: true,
            }),
          ),
        ),
      )
    const email = state.referral.referrer.email
    if (email === undefined) {
      return yield* new RenderFailed({
        reason: `the referrer of case ${payload.caseId} has no e-mail address`,
        permanent: true,
      })
    }
    const handover =
      [...state.handovers].reverse().find((h) => h.on === payload.handoverOn) ?? state.handovers.at(-1)
    if (handover === undefined) {
      return yield* new RenderFailed({ reason: `case ${payload.caseId} has no handover`, permanent: true })
    }
    const mail = Templates.handoverNotice({
      caseId: MailSafe.caseRef(state.id),
      regionName: MailSafe.label(region.region.name),
      referredOn: LocalDate.todayInAmsterdam(new Date(state.referral.submittedAt)),
      handoverOn: handover.on,
      // The registered account of who took over, when linked; never the name typed in the case.
      to: {
        account: MailSafe.accountName(handover.to, yield* accountOf(handover.to.userId)),
        role: handover.to.role,
      },
      caseUrl: `${env.publicUrl}/cases/${encodeURIComponent(state.id)}`,
    })
    return { to: [email], ...mail, attachments: [], summary: `overdracht ${state.id}` } satisfies Prepared
  })

/**
 * The sign-in link: its secret is made here (the store keeps only its hash), so it exists in
 * this mail alone. The summary for the log names the link id, never the secret.
 */
const renderSignInLink = (payload: SignInLinkPayload, env: RenderEnv) =>
  Effect.gen(function* () {
    const accounts = yield* Accounts.Accounts
    const validMs = env.signInLinkMs ?? DEFAULT_SIGN_IN_LINK_MS
    const link = yield* accounts
      .mailableLink(payload.linkId, validMs)
      .pipe(
        Effect.catchTag("AccountError", (error) =>
          Effect.fail(new RenderFailed({ reason: error.detail, permanent: true })),
        ),
      )
    const mail = Templates.signInLink({
      url: `${env.publicUrl}/aanmelden/token/${link.secret}`,
      expiresAt: new Date(link.expiresAt),
      validMinutes: Math.round(validMs / 60_000),
    })
    return {
      to: [link.user.email],
      ...mail,
      attachments: [],
      summary: `aanmeldlink ${payload.linkId}`,
    } satisfies Prepared
  })

/**
 * Renders an outbox message. Fails with `RenderFailed` (permanent) when the payload or the
 * configuration cannot make a message, or with a store error (temporary).
 */
export const render = (
  messageId: string,
  payload: unknown,
  env: RenderEnv,
): Effect.Effect<
  Prepared,
  RenderFailed | ReadError,
  CaseQueries.CaseQueries | CaseStore.CaseStore | Accounts.Accounts | AuditLog.AuditLog
> => {
  const decoded = decodePayload(payload)
  if (Either.isLeft(decoded)) {
    return Effect.fail(
      new RenderFailed({
        reason: `not a mail payload this version knows: ${decoded.left.message}`,
        permanent: true,
      }),
    )
  }
  const p = decoded.right
  switch (p.template) {
    case "staff-summary":
      return renderStaff(messageId, p, env)
    case "inspectie-overview":
      return renderInspectie(messageId, p, env)
    case "handover-notice":
      return renderHandover(messageId, p, env)
    case "sign-in-link":
      return renderSignInLink(p, env)
  }
}
