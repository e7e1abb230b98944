/**
 * Notifications by e-mail (issue 16, docs/notifications.md): who is told what, when, and how they
 * chose to hear it. One path for every door: the API and the web app read and save a user's
 * preferences here, `CaseEffects` asks `effectsOf` for the notices an event causes, and the mail
 * process runs `scanRegion` (the time-driven kinds), `dispatch` and `digests`.
 *
 * The flow, and why each step is at most once:
 * 1. A **notice** is an outbox message of topic `notification` with a deterministic id
 *    (`notify:<kind>:<case>:<what>`): an event's notices are written in the event's transaction
 *    (`CaseEffects.append`), a scan's by the scan; the outbox stores an id once.
 * 2. `dispatch` claims notices, works out the recipients (named users, or users of the region by
 *    role) and logs one entry per recipient with that user's mode (`NotificationStore.record`):
 *    the log's key `(notice, user)` keeps it once even if the outbox row were purged and written
 *    again. A `direct` entry's mail is enqueued in the same transaction; `uit` is logged, not sent.
 * 3. `digests` makes one mail per user and day for their `dagelijks` entries, once their hour
 *    (Europe/Amsterdam) has come; `notification_digests` is the lock.
 *
 * What a notice, entry or mail payload holds: kinds, ids and dates. Never a name, BSN, birth date
 * or typed text (an action's description is typed: it stays in the case).
 *
 * @since 0.1.0
 */
import type { SqlError } from "@effect/sql/SqlError"
import {
  Amsterdam,
  type Case,
  CaseSignals,
  type Access as DomainAccess,
  Errors,
  type Ids,
  LocalDate,
  Timestamp,
} from "@verzuimregie/domain"
import { Deadlines, type RegionConfig } from "@verzuimregie/plugin-sdk"
import { Accounts, type CaseQueries, NotificationStore, Outbox } from "@verzuimregie/store"
import { Clock, Effect, Either, Option, Schema, Stream } from "effect"
import * as Principal from "./CurrentPrincipal.js"
import { CurrentPrincipal } from "./CurrentPrincipal.js"
import * as Regions from "./Regions.js"
import * as Reports from "./Reports.js"
import * as SystemPrincipals from "./SystemPrincipals.js"

/** The outbox topic of notices (claimed by `dispatch`, never by the mail worker). */
export const NOTICE_TOPIC = "notification"

/** The mail topic (as `CaseEffects.MAIL_TOPIC`; not imported, which would be a cycle). */
const MAIL_TOPIC = "mail"

/** Attempts of a notification mail: the mail worker's retry span (`CaseEffects.NOTICE_MAX_ATTEMPTS`). */
const MAIL_MAX_ATTEMPTS = 151

export const Kind = Schema.Literal(
  "nieuwe-aanmelding",
  "actie-toegewezen",
  "actie-morgen",
  "actie-verlopen",
  "casus-overgedragen",
  "pact-alarm",
  "kwartaalbespreking",
).annotations({ identifier: "MeldingSoort" })
export type Kind = typeof Kind.Type

export const Mode = Schema.Literal("direct", "dagelijks", "uit").annotations({ identifier: "MeldingWijze" })
export type Mode = typeof Mode.Type

export const KINDS: ReadonlyArray<Kind> = Kind.literals

export interface KindInfo {
  /** What the user reads on the preferences page and in a digest's heading. */
  readonly label: string
  /** Who gets it and when (the preferences page and docs/notifications.md say the same). */
  readonly when: string
  readonly defaultMode: Mode
  /** The pact alarm cannot be switched off. */
  readonly canSwitchOff: boolean
}

export const KIND_INFO: Readonly<Record<Kind, KindInfo>> = {
  "nieuwe-aanmelding": {
    label: "Nieuwe aanmelding voor intake",
    when: "Een nieuwe aanmelding in uw regio wacht op intake (casusregisseurs en coördinatoren van de regio).",
    defaultMode: "direct",
    canSwitchOff: true,
  },
  "actie-toegewezen": {
    label: "Actie aan u toegewezen",
    when: "Er is een actie afgesproken met u als eigenaar.",
    defaultMode: "direct",
    canSwitchOff: true,
  },
  "actie-morgen": {
    label: "Actie verloopt morgen",
    when: "Een open actie van u (of, zonder eigenaar-account, van de regiehouder) moet morgen klaar zijn.",
    defaultMode: "dagelijks",
    canSwitchOff: true,
  },
  "actie-verlopen": {
    label: "Actie verlopen",
    when: "Een open actie van u is over tijd (de dag na de uiterste datum).",
    defaultMode: "dagelijks",
    canSwitchOff: true,
  },
  "casus-overgedragen": {
    label: "Casus aan u overgedragen",
    when: "U bent regiehouder van een casus geworden.",
    defaultMode: "direct",
    canSwitchOff: true,
  },
  "pact-alarm": {
    label: "Thuiszitterspact: termijn van drie maanden bereikt",
    when: "Een leerling van uw casus zit drie maanden thuis zonder passend aanbod (de regiehouder en de coördinatoren van de regio). Kan niet uit.",
    defaultMode: "direct",
    canSwitchOff: false,
  },
  kwartaalbespreking: {
    label: "Kwartaalbespreking nodig",
    when: "De kwartaalbespreking van een casus is binnen drie dagen of over tijd (de regiehouder en de orthopedagogen van de regio; Amstelland).",
    defaultMode: "dagelijks",
    canSwitchOff: true,
  },
}

export const MODE_LABEL: Readonly<Record<Mode, string>> = {
  direct: "Direct",
  dagelijks: "Dagelijks overzicht",
  uit: "Uit",
}

/**
 * Who has notification preferences (the API route and the web page): the people who receive
 * notifications (orthopedagogen: the quarterly review reminder).
 */
export const NOTIFICATION_ROLES: ReadonlyArray<DomainAccess.UserRole> = [
  "case-worker",
  "coordinator",
  "orthopedagoog",
]

/** The digest's default hour (Europe/Amsterdam). */
export const DEFAULT_DIGEST_HOUR = 7

/** Time-driven kinds are looked for from this hour on (no mail in the night), every hour. */
export const SCAN_FROM_HOUR = 6

export const Preferences = Schema.Struct({
  modes: Schema.Struct(
    Object.fromEntries(KINDS.map((k) => [k, Mode])) as { readonly [K in Kind]: typeof Mode },
  ),
  digestHour: Schema.Int.pipe(Schema.between(0, 23)),
}).annotations({ identifier: "Meldingsvoorkeuren" })
export type Preferences = typeof Preferences.Type

/** What a user may send: any subset of the kinds, and the hour; the rest stays as it was. */
export const PreferencesUpdate = Schema.Struct({
  modes: Schema.optional(Schema.partial(Preferences.fields.modes)),
  digestHour: Schema.optional(Preferences.fields.digestHour),
}).annotations({ identifier: "MeldingsvoorkeurenWijziging" })
export type PreferencesUpdate = typeof PreferencesUpdate.Type

export const DEFAULTS: Preferences = {
  modes: Object.fromEntries(KINDS.map((k) => [k, KIND_INFO[k].defaultMode])) as Preferences["modes"],
  digestHour: DEFAULT_DIGEST_HOUR,
}

const fromStored = (stored: Option.Option<NotificationStore.StoredPreferences>): Preferences =>
  Option.match(stored, {
    onNone: () => DEFAULTS,
    onSome: (s) => ({
      modes: Object.fromEntries(
        KINDS.map((k) => {
          const mode = s.modes[k]
          return [
            k,
            mode === undefined || (mode === "uit" && !KIND_INFO[k].canSwitchOff) ? DEFAULTS.modes[k] : mode,
          ]
        }),
      ) as Preferences["modes"],
      digestHour: s.digestHour,
    }),
  })

/** A user's preferences (the defaults where they chose nothing). */
export const preferencesOf = (
  userId: Ids.UserId,
): Effect.Effect<Preferences, SqlError, NotificationStore.NotificationStore> =>
  Effect.map(
    Effect.flatMap(NotificationStore.NotificationStore, (s) => s.preferences(userId)),
    fromStored,
  )

/** The caller's own preferences. */
export const myPreferences: Effect.Effect<
  Preferences,
  SqlError,
  NotificationStore.NotificationStore | CurrentPrincipal
> = Effect.flatMap(CurrentPrincipal, (caller) => preferencesOf(caller.principal.userId))

export const PACT_CANNOT_BE_OFF =
  "Het alarm van het Thuiszitterspact kan niet uit: kies direct of het dagelijks overzicht."

/**
 * Saves the caller's preferences. The pact alarm cannot be switched off: `uit` for it is refused
 * with a field error (`modes.pact-alarm`), and nothing is saved.
 */
export const saveMyPreferences = (
  update: PreferencesUpdate,
): Effect.Effect<
  Preferences,
  SqlError | Errors.ValidationError,
  NotificationStore.NotificationStore | CurrentPrincipal
> =>
  Effect.gen(function* () {
    const caller = yield* CurrentPrincipal
    const locked = KINDS.filter((k) => !KIND_INFO[k].canSwitchOff && update.modes?.[k] === "uit")
    const [first, ...rest] = locked.map((k) => ({ path: `modes.${k}`, message: PACT_CANNOT_BE_OFF }))
    if (first !== undefined) {
      return yield* new Errors.ValidationError({ subject: "meldingsvoorkeuren", issues: [first, ...rest] })
    }
    const current = yield* preferencesOf(caller.principal.userId)
    const next: Preferences = {
      modes: Object.fromEntries(
        KINDS.map((k) => [k, update.modes?.[k] ?? current.modes[k]]),
      ) as Preferences["modes"],
      digestHour: update.digestHour ?? current.digestHour,
    }
    const store = yield* NotificationStore.NotificationStore
    yield* store.savePreferences({
      userId: caller.principal.userId,
      modes: next.modes,
      digestHour: next.digestHour,
    })
    return next
  })

// ---------------------------------------------------------------------------------------------
// Notices

/** Facts a notice may carry: ids and dates, nothing typed. */
export const Facts = Schema.Struct({
  actionId: Schema.optional(Schema.String),
  dueOn: Schema.optional(LocalDate.LocalDate),
  limitDate: Schema.optional(LocalDate.LocalDate),
})
export type Facts = typeof Facts.Type

export const NoticePayload = Schema.Struct({
  kind: Kind,
  regionId: Schema.String,
  caseId: Schema.String,
  /** Named recipients (an action's owner, the regiehouder). */
  users: Schema.Array(Schema.String),
  /** And the region's active people with any of these roles. */
  roles: Schema.Array(Schema.String),
  facts: Facts,
})
export type NoticePayload = typeof NoticePayload.Type

/** The id of a notice: once per kind, case and what it is about. */
export const noticeId = (kind: Kind, caseId: string, about: string): string =>
  `notify:${kind}:${caseId}:${about}`

export const notice = (payload: NoticePayload, about: string): Outbox.OutboxMessage => ({
  topic: NOTICE_TOPIC,
  messageId: noticeId(payload.kind, payload.caseId, about),
  payload: Schema.encodeSync(NoticePayload)(payload) as Outbox.OutboxMessage["payload"],
  regionId: payload.regionId,
  maxAttempts: 20,
})

/** The case worker and coordinator roles: who does intake. */
const INTAKE_ROLES: ReadonlyArray<DomainAccess.UserRole> = ["case-worker", "coordinator"]

/**
 * The notice of a new case for intake, to the region's case workers and coordinators: written with
 * the case (`Referrals.submit` passes it to `CaseStore.create`, which writes it only when the
 * referral opens a case, not when it is added to an open one).
 */
export const newReferralNotice = (regionId: string, caseId: string): Outbox.OutboxMessage =>
  notice(
    { kind: "nieuwe-aanmelding", regionId, caseId, users: [], roles: INTAKE_ROLES, facts: {} },
    "aanmelding",
  )

/**
 * The notices an event causes (`CaseEffects.effectsOf` adds them to the event's transaction):
 * an action with an owner account; a new regiehouder.
 */
export const effectsOf = (change: {
  readonly event: { readonly _tag: string } & Record<string, unknown>
  readonly before: Case.CaseState | undefined
  readonly after: Case.CaseState
  readonly regionId: string
}): ReadonlyArray<Outbox.OutboxMessage> => {
  const { event, before, after, regionId } = change
  const out: Array<Outbox.OutboxMessage> = []
  if (event._tag === "ActionAssigned") {
    const added = after.actions.find((a) => !(before?.actions ?? []).some((b) => b.id === a.id))
    const owner = added?.owner.userId
    if (added !== undefined && owner !== undefined) {
      out.push(
        notice(
          {
            kind: "actie-toegewezen",
            regionId,
            caseId: after.id,
            users: [owner],
            roles: [],
            facts: { actionId: added.id, dueOn: added.dueOn },
          },
          `${added.id}:${owner}`,
        ),
      )
    }
  }
  const holder = after.regiehouder?.userId
  if (holder !== undefined && holder !== before?.regiehouder?.userId) {
    out.push(
      notice(
        { kind: "casus-overgedragen", regionId, caseId: after.id, users: [holder], roles: [], facts: {} },
        `${holder}:${after.version}`,
      ),
    )
  }
  return out
}

/**
 * The time-driven notices of one case on `on`: actions due tomorrow and overdue (to the owner's
 * account, else the regiehouder), the pact alarm (regiehouder and coordinators, once per crossing:
 * its id holds the limit date), the quarterly review (regiehouder and orthopedagogen, once per
 * due date, from three days before it).
 */
export const noticesOn = (
  state: Case.CaseState,
  region: RegionConfig.EnabledRegion,
  on: LocalDate.LocalDate,
): ReadonlyArray<Outbox.OutboxMessage> => {
  if (state.closed !== undefined) return []
  const regionId = region.region.id
  const holder = state.regiehouder?.userId
  const out: Array<Outbox.OutboxMessage> = []
  for (const action of state.actions) {
    if (action.status !== "open") continue
    const to = action.owner.userId ?? holder
    if (to === undefined) continue
    const base = {
      regionId,
      caseId: state.id,
      users: [to],
      roles: [],
      facts: { actionId: action.id, dueOn: action.dueOn },
    }
    if (LocalDate.addDays(action.dueOn, -1) === on) {
      out.push(notice({ ...base, kind: "actie-morgen" }, `${action.id}:${action.dueOn}`))
    } else if (on > action.dueOn) {
      out.push(notice({ ...base, kind: "actie-verlopen" }, `${action.id}:${action.dueOn}`))
    }
  }
  const pact = CaseSignals.pactOn(state, on, region.thresholds.thuiszitterspact, region.calendars)
  if (pact?.status === "alarm") {
    out.push(
      notice(
        {
          kind: "pact-alarm",
          regionId,
          caseId: state.id,
          users: holder === undefined ? [] : [holder],
          roles: ["coordinator"],
          facts: { limitDate: pact.limitDate },
        },
        pact.limitDate,
      ),
    )
  }
  const review = Deadlines.deadlineChecks(region.plugin, { ...Regions.contextFor(region, on), state }).find(
    (d) => d.id === "kwartaalbespreking",
  )
  if (review !== undefined && (review.status === "binnenkort" || review.status === "verlopen")) {
    out.push(
      notice(
        {
          kind: "kwartaalbespreking",
          regionId,
          caseId: state.id,
          users: holder === undefined ? [] : [holder],
          // The orthopedagoog role (Amstelland's quarterly round); users are found by role.
          roles: ["orthopedagoog"],
          facts: { dueOn: review.dueOn },
        },
        review.dueOn,
      ),
    )
  }
  return out
}

/**
 * Looks through a region's open cases on `now`'s date (Europe/Amsterdam) and enqueues their
 * time-driven notices (idempotent: the ids). As the mail worker, with one audit record (`report`,
 * `mail.report.export:notifications`). Returns how many notices were due.
 */
export const scanRegion = (
  region: RegionConfig.EnabledRegion,
  now: Date,
): Effect.Effect<number, Reports.ReadError, Outbox.Outbox | CaseQueries.CaseQueries> =>
  Effect.gen(function* () {
    const on = LocalDate.todayInAmsterdam(now)
    const id = region.region.id
    const audit = yield* Reports.auditOf("report", id, "notifications")
    const notices: Array<Outbox.OutboxMessage> = []
    yield* Stream.runForEach(
      Reports.cases({ regionId: id, filter: { open: true }, audit, pageSize: 500 }),
      (state) => Effect.sync(() => notices.push(...noticesOn(state, region, on))),
    )
    if (notices.length > 0) yield* Effect.flatMap(Outbox.Outbox, (o) => o.enqueue(notices))
    return notices.length
  }).pipe(
    Principal.provide(
      SystemPrincipals.mailWorker({
        messageId: `notifications:${region.region.id}:${Amsterdam.wallClock(now).hour}`,
        regions: [region.region.id],
      }),
    ),
  )

// ---------------------------------------------------------------------------------------------
// Mail payloads

export const NotificationMailPayload = Schema.Struct({
  template: Schema.Literal("notification"),
  regionId: Schema.String,
  userId: Schema.String,
  notificationId: Schema.String,
})
export type NotificationMailPayload = typeof NotificationMailPayload.Type

/** A user's daily digest: belongs to no region (a user may work in several). */
export const DigestMailPayload = Schema.Struct({
  template: Schema.Literal("notification-digest"),
  userId: Schema.String,
  on: LocalDate.LocalDate,
})
export type DigestMailPayload = typeof DigestMailPayload.Type

const directMail = (entry: NotificationStore.NewEntry): Outbox.OutboxMessage => ({
  topic: MAIL_TOPIC,
  messageId: `melding:${entry.userId}:${entry.notificationId}`,
  payload: Schema.encodeSync(NotificationMailPayload)({
    template: "notification",
    regionId: entry.regionId,
    userId: entry.userId,
    notificationId: entry.notificationId,
  }) as Outbox.OutboxMessage["payload"],
  regionId: entry.regionId,
  maxAttempts: MAIL_MAX_ATTEMPTS,
})

export const digestMessageId = (userId: string, on: LocalDate.LocalDate): string =>
  `overzicht:${userId}:${on}`

// ---------------------------------------------------------------------------------------------
// Dispatch and digests

export interface DispatchResult {
  readonly notices: number
  /** Entries logged (new), by mode. */
  readonly logged: Readonly<Record<Mode, number>>
}

const decodeNotice = Schema.decodeUnknownEither(NoticePayload)

/**
 * Claims the notices of the regions served and logs each recipient's entry with their mode;
 * `direct` entries get their mail in the same transaction. Recipients: the named users that are
 * active people of the region, and the region's active people with the notice's roles.
 */
export const dispatch = (options: {
  readonly workerId: string
  readonly regions: ReadonlyArray<string>
  readonly batchSize?: number
}): Effect.Effect<
  DispatchResult,
  SqlError,
  Outbox.Outbox | NotificationStore.NotificationStore | Accounts.Accounts
> =>
  Effect.gen(function* () {
    const outbox = yield* Outbox.Outbox
    const store = yield* NotificationStore.NotificationStore
    const accounts = yield* Accounts.Accounts
    const logged: Record<Mode, number> = { direct: 0, dagelijks: 0, uit: 0 }
    let notices = 0
    for (;;) {
      const batch = yield* outbox.claim(options.workerId, options.batchSize ?? 50, 300_000, {
        topics: [NOTICE_TOPIC],
        regions: options.regions,
        withoutRegion: false,
      })
      if (batch.length === 0) break
      for (const message of batch) {
        const decoded = decodeNotice(message.payload)
        if (Either.isLeft(decoded)) {
          yield* outbox
            .markFailed(message.id, options.workerId, "not a notice this version knows", { permanent: true })
            .pipe(Effect.catchTag("LeaseLost", () => Effect.void))
          continue
        }
        const n = decoded.right
        const byRole = yield* store.usersWithRole(n.regionId, n.roles)
        const named: Array<Ids.UserId> = []
        for (const userId of n.users) {
          const user = yield* accounts.user(userId as Ids.UserId)
          if (
            Option.isSome(user) &&
            user.value.active &&
            user.value.kind === "person" &&
            user.value.regions.includes(n.regionId as Ids.RegionId)
          ) {
            named.push(user.value.id)
          }
        }
        const recipients = [...new Set([...named, ...byRole.map((u) => u.id)])]
        const entries: Array<NotificationStore.NewEntry> = []
        for (const userId of recipients) {
          const prefs = yield* preferencesOf(userId)
          entries.push({
            notificationId: message.messageId,
            userId,
            kind: n.kind,
            regionId: n.regionId,
            caseId: n.caseId,
            facts: Schema.encodeSync(Facts)(n.facts) as NotificationStore.NewEntry["facts"],
            mode: prefs.modes[n.kind],
          })
        }
        const fresh = yield* store.record(entries, directMail)
        for (const e of fresh) logged[e.mode]++
        notices++
        yield* outbox
          .markSent(message.id, options.workerId)
          .pipe(Effect.catchTag("LeaseLost", () => Effect.void))
      }
    }
    return { notices, logged }
  })

/**
 * Makes the daily digests due at `now`: for every user with waiting `dagelijks` entries whose
 * digest hour (Europe/Amsterdam) has come today, one mail with all entries logged before that hour,
 * once a day. An entry logged after today's hour waits for tomorrow's digest.
 * Returns the users whose digest was made.
 */
export const digests = (
  now: Date,
): Effect.Effect<ReadonlyArray<Ids.UserId>, SqlError, NotificationStore.NotificationStore> =>
  Effect.gen(function* () {
    const store = yield* NotificationStore.NotificationStore
    const today = LocalDate.todayInAmsterdam(now)
    const hour = Amsterdam.wallClock(now).hour
    const made: Array<Ids.UserId> = []
    for (const waiting of yield* store.waitingDigests()) {
      const prefs = yield* preferencesOf(waiting.userId)
      if (hour < prefs.digestHour) continue
      const messageId = digestMessageId(waiting.userId, today)
      const moment = Amsterdam.instantOf(today, `${String(prefs.digestHour).padStart(2, "0")}:00`)
      const items = yield* store.closeDigest({
        userId: waiting.userId,
        onDate: today,
        until: Timestamp.fromMillis(moment.getTime()),
        mail: {
          topic: MAIL_TOPIC,
          messageId,
          payload: Schema.encodeSync(DigestMailPayload)({
            template: "notification-digest",
            userId: waiting.userId,
            on: today,
          }) as Outbox.OutboxMessage["payload"],
          maxAttempts: MAIL_MAX_ATTEMPTS,
        },
      })
      if (items > 0) made.push(waiting.userId)
    }
    return made
  })

/** What the notifier reads and writes. */
export type TickError = Reports.ReadError

export type Services =
  | Outbox.Outbox
  | CaseQueries.CaseQueries
  | NotificationStore.NotificationStore
  | Accounts.Accounts

export interface TickResult {
  readonly scanned: number
  readonly dispatched: DispatchResult
  readonly digested: ReadonlyArray<Ids.UserId>
}

/** One tick of the notifier: scans (from `SCAN_FROM_HOUR`), dispatches, makes digests. */
export const tick = (input: {
  readonly regions: ReadonlyArray<RegionConfig.EnabledRegion>
  readonly workerId: string
  /** Scan this tick (the caller keeps it to once an hour). Default true. */
  readonly scan?: boolean
}): Effect.Effect<TickResult, Reports.ReadError, Services> =>
  Effect.gen(function* () {
    const now = new Date(yield* Clock.currentTimeMillis)
    let scanned = 0
    if (input.scan !== false && Amsterdam.wallClock(now).hour >= SCAN_FROM_HOUR) {
      for (const region of input.regions) scanned += yield* scanRegion(region, now)
    }
    const dispatched = yield* dispatch({
      workerId: input.workerId,
      regions: input.regions.map((r) => r.region.id),
    })
    const digested = yield* digests(now)
    return { scanned, dispatched, digested }
  })

// ---------------------------------------------------------------------------------------------
// What a mail says

export interface MailItem {
  readonly kind: Kind
  readonly regionId: string
  readonly caseId: string
  readonly facts: Facts
}

export interface NotificationMail {
  readonly to: string
  readonly items: ReadonlyArray<MailItem>
}

const itemOf = (entry: NotificationStore.LogEntry): Option.Option<MailItem> => {
  const kind = Schema.decodeUnknownOption(Kind)(entry.kind)
  const facts = Schema.decodeUnknownOption(Facts)(entry.facts)
  if (Option.isNone(kind) || Option.isNone(facts) || entry.caseId === undefined) return Option.none()
  return Option.some({ kind: kind.value, regionId: entry.regionId, caseId: entry.caseId, facts: facts.value })
}

/**
 * What a notification mail holds and where it goes: `Left` with the reason when it cannot be made
 * (no such entry, the user is gone or inactive). Reads the log and the account only, no case.
 */
export const mailOf = (
  payload: NotificationMailPayload | DigestMailPayload,
  messageId: string,
): Effect.Effect<
  Either.Either<NotificationMail, string>,
  SqlError,
  NotificationStore.NotificationStore | Accounts.Accounts
> =>
  Effect.gen(function* () {
    const store = yield* NotificationStore.NotificationStore
    const accounts = yield* Accounts.Accounts
    const user = yield* accounts.user(payload.userId as Ids.UserId)
    if (Option.isNone(user) || !user.value.active) return Either.left(`user ${payload.userId} is not active`)
    const entries =
      payload.template === "notification"
        ? Option.toArray(yield* store.entry(payload.notificationId, payload.userId as Ids.UserId))
        : yield* store.entriesOfMail(messageId)
    const items = entries.flatMap((e) => Option.toArray(itemOf(e)))
    if (items.length === 0) return Either.left(`nothing to tell in ${messageId}`)
    return Either.right({ to: user.value.email, items })
  })
