/**
 * Notifications to users (issue 16, docs/notifications.md), end to end over a real SMTP server and
 * a real database, on a clock the test moves (`manualClock`, never a sleep): every kind reaches
 * the right user once; a digest user gets one mail a day with all their items; a kind switched
 * off stops, except the pact alarm; a case crossing three months at home alarms its regiehouder
 * and the coordinator once, and never again on later ticks.
 */
import { CaseEffects, CurrentPrincipal, Notifications } from "@verzuimregie/app"
import { Amsterdam, type CaseEvent, Ids, LocalDate, type Timestamp } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import {
  Accounts,
  type Accounts as AccountsNs,
  CaseStore,
  Database,
  NotificationStore,
} from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Mail, MailConfig, Notifier, Transport, Worker } from "../src/index.js"
import { type ManualClock, manualClock } from "./support/clock.js"
import { loadRegions } from "./support/regions.js"
import { type Received, startSmtp, type TestSmtp } from "./support/smtp.js"
import { openStore, skipPg, type TestStore } from "./support/store.js"

const KEY = "test-sleutel-voor-pseudoniemen-0123456789abcdef"
const regions = loadRegions({
  version: 1,
  regions: [
    {
      id: "westland",
      name: "Westland",
      holidayRegion: "midden",
      municipalities: ["Westland"],
      plugin: "westland",
    },
    {
      id: "amstelland",
      name: "Amstelland en de Meerlanden",
      holidayRegion: "noord",
      municipalities: ["Amstelveen"],
      plugin: "amstelland",
      settings: { quarterlyReviewMonths: 3 },
    },
  ],
})
const westland = regions[0] as (typeof regions)[number]
const amstelland = regions[1] as (typeof regions)[number]

/** Monday 9 March 2026; the test's clock starts at 05:00 in Amsterdam (before the first scan). */
const day0 = LocalDate.make("2026-03-09")
const backends = skipPg() ? (["sqlite"] as const) : (["sqlite", "pg"] as const)

describe.each(backends)("notifications to users (%s)", (backend) => {
  let smtp: TestSmtp
  let store: TestStore
  let clock: ManualClock
  let transport: Transport.Transport
  const users: Record<
    "worker" | "coordinator" | "digest" | "off" | "ortho" | "orthopedagoog",
    AccountsNs.User
  > = {} as never
  const config = () =>
    Either.getOrThrow(
      MailConfig.fromEnvironment({
        SMTP_URL: smtp.url,
        SMTP_INSECURE_LOOPBACK: "1",
        MAIL_FROM: "noreply@verzuimregie.example",
        PUBLIC_URL: "https://verzuimregie.example",
        DATA_DIR: store.dataDir,
      }),
    )

  const onClock = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.withClock(effect, clock)
  const at = (date: LocalDate.LocalDate, hhmm: string) => {
    const target = Amsterdam.instantOf(date, hhmm).getTime()
    clock.advance(target - clock.millis())
  }

  /** One notifier tick and worker passes until the outbox is empty; returns the new mails. */
  const tick = async (): Promise<ReadonlyArray<Received>> => {
    const before = smtp.received.length
    await store.runtime.runPromise(onClock(Notifier.tick(regions, { workerId: "notifier-test" })))
    let sent = 0
    for (let pass = 0; pass < 20; pass++) {
      const result = await store.runtime.runPromise(
        onClock(
          Worker.processBatch(
            Mail.workerOptions({ regions, config: config(), workerId: "mail-test" }),
            Mail.renderEnv({ regions, config: config() }, KEY),
          ).pipe(Effect.provideService(Transport.Mailer, transport)),
        ),
      )
      expect(result.dead + result.retried, JSON.stringify(result.outcomes)).toBe(0)
      sent += result.sent
      if (result.claimed === 0) break
    }
    await smtp.waitFor(before + sent, 30_000)
    return smtp.received.slice(before)
  }

  const to = (mails: ReadonlyArray<Received>, user: AccountsNs.User) =>
    mails.filter((m) => m.to.includes(user.email))

  const asUser = (user: AccountsNs.User) =>
    CurrentPrincipal.provide({
      principal: {
        userId: user.id,
        organisationId: user.organisationId,
        name: user.name,
        roles: user.roles,
        regions: user.regions,
        partyRole: user.partyRole,
        tokenId: "",
        installationAdmin: false,
      },
      door: "api",
      requestId: "test",
      purpose: "casusregie",
    })

  const staffOf = (user: AccountsNs.User) => ({ name: user.name, role: user.partyRole, userId: user.id })

  let minute = 0
  const meta = () => ({
    at: new Date(clock.millis() + ++minute * 1000).toISOString() as Timestamp.Timestamp,
    by: Fixtures.fixtureStaff,
  })

  /** Opens a case as the API does (with its intake notice), then appends `events` through CaseEffects. */
  const openCase = async (
    region: (typeof regions)[number],
    events: (caseId: Ids.CaseId) => ReadonlyArray<CaseEvent.CaseEvent>,
    on: LocalDate.LocalDate = day0,
  ) =>
    store.runtime.runPromise(
      onClock(
        Effect.gen(function* () {
          const cases = yield* CaseStore.CaseStore
          const caseId = Ids.newId.case()
          const received = Fixtures.referralReceived(
            region.plugin,
            Fixtures.referralFor(region.plugin, { on }),
            meta().at,
          )
          const referral = {
            ...received,
            referral: {
              ...received.referral,
              id: Ids.newId.referral(),
              pupil: { ...received.referral.pupil, id: Ids.newId.pupil() },
            },
          }
          const created = yield* cases.create({
            caseId,
            referral,
            regions: [region.region.id],
            outbox: [Notifications.newReferralNotice(region.region.id, caseId)],
          })
          const list = events(caseId)
          if (list.length > 0) {
            yield* CaseEffects.append(
              { caseId, expectedVersion: created.state.version, events: list, regions: [region.region.id] },
              region,
            )
          }
          return caseId
        }),
      ),
    )

  beforeAll(async () => {
    smtp = await startSmtp()
    store = await openStore(backend)
    clock = manualClock(Amsterdam.instantOf(day0, "05:00"))
    transport = Transport.fromConfig(config())
    await store.runtime.runPromise(
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const swv = yield* accounts.createOrganisation({
          name: "SWV Meldingen",
          kind: "samenwerkingsverband",
        })
        const user = (
          name: string,
          email: string,
          roles: readonly ["case-worker" | "coordinator" | "orthopedagoog"],
          region = "westland",
        ) =>
          accounts.createUser({
            organisationId: swv.id,
            name,
            email,
            roles,
            regions: [Ids.RegionId.make(region)],
            partyRole: "leerplichtambtenaar",
          })
        users.worker = yield* user("Casus Werker", "werker@meldingen.example", ["case-worker"])
        users.coordinator = yield* user("Coor Dinator", "coordinator@meldingen.example", ["coordinator"])
        users.digest = yield* user("Daag Lijks", "dagelijks@meldingen.example", ["case-worker"])
        users.off = yield* user("Uit Gezet", "uit@meldingen.example", ["case-worker"])
        users.ortho = yield* user("Amstel Werker", "amstel@meldingen.example", ["case-worker"], "amstelland")
        users.orthopedagoog = yield* user(
          "Ortho Pedagoog",
          "orthopedagoog@meldingen.example",
          ["orthopedagoog"],
          "amstelland",
        )
      }),
    )
    // The digest user hears everything once a day at 08:00; the other switches everything off.
    await store.runtime.runPromise(
      Notifications.saveMyPreferences({
        modes: Object.fromEntries(Notifications.KINDS.map((k) => [k, "dagelijks"])),
        digestHour: 8,
      }).pipe(asUser(users.digest)),
    )
    const refused = await store.runtime.runPromise(
      Notifications.saveMyPreferences({
        modes: Object.fromEntries(Notifications.KINDS.map((k) => [k, "uit"])),
      }).pipe(asUser(users.off), Effect.flip),
    )
    expect(refused._tag).toBe("ValidationError")
    expect("issues" in refused ? refused.issues : undefined).toEqual([
      { path: "modes.pact-alarm", message: Notifications.PACT_CANNOT_BE_OFF },
    ])
    await store.runtime.runPromise(
      Notifications.saveMyPreferences({
        modes: Object.fromEntries(
          Notifications.KINDS.filter((k) => k !== "pact-alarm").map((k) => [k, "uit"]),
        ),
      }).pipe(asUser(users.off)),
    )
  }, 60_000)

  afterAll(async () => {
    transport?.close()
    await smtp?.stop()
    await store?.close()
  })

  it("keeps preferences per user, with the defaults where nothing was chosen", async () => {
    const of = (user: AccountsNs.User) =>
      store.runtime.runPromise(Notifications.myPreferences.pipe(asUser(user)))
    expect(await of(users.worker)).toEqual(Notifications.DEFAULTS)
    expect((await of(users.digest)).digestHour).toBe(8)
    const off = await of(users.off)
    expect(off.modes["pact-alarm"]).toBe("direct")
    expect(off.modes["actie-toegewezen"]).toBe("uit")
  })

  let caseA: Ids.CaseId
  let actionId: Ids.ActionId

  it("sends each event-driven kind once to the right user; off stops it; digest users wait", async () => {
    actionId = Ids.newId.action()
    caseA = await openCase(
      westland,
      () =>
        [
          { _tag: "RegiehouderAssigned", ...meta(), regiehouder: staffOf(users.worker) },
          {
            _tag: "ActionAssigned",
            ...meta(),
            action: {
              id: actionId,
              description: "Getypte omschrijving GEHEIM-ACTIE",
              owner: staffOf(users.worker),
              dueOn: LocalDate.addDays(day0, 2),
            },
          },
        ] as ReadonlyArray<CaseEvent.CaseEvent>,
    )
    const mails = await tick()
    // The case worker: new referral, case handed to them, action assigned, each once, at once.
    const worker = to(mails, users.worker)
      .map((m) => m.parsed.subject)
      .sort()
    expect(worker).toEqual(
      [
        `Actie aan u toegewezen: casus ${caseA}`,
        `Casus aan u overgedragen: casus ${caseA}`,
        `Nieuwe aanmelding voor intake: casus ${caseA}`,
      ].sort(),
    )
    expect(to(mails, users.coordinator).map((m) => m.parsed.subject)).toEqual([
      `Nieuwe aanmelding voor intake: casus ${caseA}`,
    ])
    // Switched off: nothing. Digest: nothing yet (05:00, the digest is at 08:00).
    expect(to(mails, users.off)).toEqual([])
    expect(to(mails, users.digest)).toEqual([])
    // Another region's people hear nothing of Westland.
    expect(to(mails, users.ortho)).toEqual([])
    // What the mail says: the case number and a link, not the typed description or a name.
    const assigned = to(mails, users.worker).find((m) => m.parsed.subject?.startsWith("Actie")) as Received
    expect(assigned.parsed.text).toContain(`https://verzuimregie.example/dossiers/${caseA}`)
    expect(assigned.parsed.text).toContain("https://verzuimregie.example/instellingen/meldingen")
    expect(assigned.raw.toString("utf8")).not.toContain("GEHEIM")
    expect(assigned.raw.toString("utf8")).not.toContain(users.worker.name)
    // A second tick sends nothing again.
    expect(await tick()).toEqual([])
  }, 60_000)

  it("the digest user gets ONE mail at their hour with all their items, then none that day", async () => {
    const second = await openCase(westland, () => [])
    at(day0, "07:59")
    expect(to(await tick(), users.digest)).toEqual([])
    at(day0, "08:01")
    const mails = to(await tick(), users.digest)
    expect(mails).toHaveLength(1)
    const text = mails[0]?.parsed.text ?? ""
    expect(mails[0]?.parsed.subject).toMatch(/^Dagelijks overzicht verzuimregie, 9 maart 2026: 2 meldingen$/)
    expect(text).toContain("Nieuwe aanmelding voor intake")
    expect(text).toContain(caseA)
    expect(text).toContain(second)
    // Later that day: a new item waits for tomorrow's digest.
    await openCase(westland, () => [])
    at(day0, "15:00")
    expect(to(await tick(), users.digest)).toEqual([])
    at(LocalDate.addDays(day0, 1), "08:00")
    const next = to(await tick(), users.digest)
    expect(next).toHaveLength(1)
    expect(next[0]?.parsed.subject).toContain("10 maart 2026: 1 melding")
  }, 60_000)

  it("an action due tomorrow, then overdue: to its owner, once each, on the right day", async () => {
    const dueOn = LocalDate.addDays(day0, 2)
    at(LocalDate.addDays(day0, 1), "09:00")
    const tomorrow = to(await tick(), users.worker)
    // Default for these kinds: the daily digest (the worker's hour is 07:00: next day).
    expect(tomorrow).toEqual([])
    at(LocalDate.addDays(day0, 2), "07:00")
    const digest = to(await tick(), users.worker)
    expect(digest).toHaveLength(1)
    expect(digest[0]?.parsed.text).toContain(`Een actie van u in casus ${caseA} moet morgen`)
    at(LocalDate.addDays(dueOn, 1), "06:30")
    expect(to(await tick(), users.worker)).toEqual([])
    at(LocalDate.addDays(dueOn, 1), "07:00")
    const overdue = to(await tick(), users.worker)
    expect(overdue).toHaveLength(1)
    expect(overdue[0]?.parsed.text).toContain("is verlopen")
    // Every later tick, also the next days: nothing new.
    at(LocalDate.addDays(dueOn, 2), "07:30")
    expect(to(await tick(), users.worker)).toEqual([])
  }, 60_000)

  it("a case crossing three months at home alarms the regiehouder and the coordinator once, never twice", async () => {
    const today = LocalDate.todayInAmsterdam(new Date(clock.millis()))
    // At home since three months minus two days: no alarm yet.
    const since = LocalDate.addDays(LocalDate.addMonths(today, -3), 2)
    const pactCase = await openCase(
      westland,
      () =>
        [
          { _tag: "RegiehouderAssigned", ...meta(), regiehouder: staffOf(users.off) },
          { _tag: "AttendanceRecorded", ...meta(), situation: "thuiszittend", since, fittingOffer: false },
        ] as ReadonlyArray<CaseEvent.CaseEvent>,
    )
    const pact = (mails: ReadonlyArray<Received>) =>
      mails.filter(
        (m) => m.parsed.subject?.startsWith("Thuiszitterspact") && m.parsed.subject.includes(pactCase),
      )
    at(today, "12:00")
    expect(pact(await tick())).toEqual([])
    at(LocalDate.addDays(today, 1), "12:00")
    expect(pact(await tick())).toEqual([])
    at(LocalDate.addDays(today, 2), "12:00")
    const alarm = pact(await tick())
    // The regiehouder switched everything off they could: the pact alarm still comes.
    expect(alarm.map((m) => m.to).sort()).toEqual([[users.coordinator.email], [users.off.email]].sort())
    for (const d of [2, 3, 10]) {
      at(LocalDate.addDays(today, d), "13:00")
      expect(pact(await tick())).toEqual([])
    }
    // The digest user (a case worker, not the regiehouder) is not told.
    const log = await store.runtime.runPromise(
      Effect.flatMap(NotificationStore.NotificationStore, (s) => s.entriesOf(users.digest.id, 200)),
    )
    expect(log.filter((e) => e.kind === "pact-alarm")).toEqual([])
  }, 60_000)

  it("the quarterly review reminder goes to the regiehouder (and orthopedagogen by role) once per due date", async () => {
    const today = LocalDate.todayInAmsterdam(new Date(clock.millis()))
    const caseQ = await openCase(
      amstelland,
      () =>
        [
          { _tag: "RegiehouderAssigned", ...meta(), regiehouder: staffOf(users.ortho) },
        ] as ReadonlyArray<CaseEvent.CaseEvent>,
    )
    const review = (mails: ReadonlyArray<Received>, user = users.ortho) =>
      to(mails, user).filter((m) => (m.parsed.text ?? "").includes(`kwartaalbespreking van casus ${caseQ}`))
    await tick()
    // Due three months after the melding; reminded from three days before, in the daily digest.
    const dueOn = LocalDate.addMonths(today, 3)
    at(LocalDate.addDays(dueOn, -4), "12:00")
    expect(review(await tick())).toEqual([])
    at(LocalDate.addDays(dueOn, -3), "12:00")
    expect(review(await tick())).toEqual([])
    at(LocalDate.addDays(dueOn, -2), "07:00")
    const due = await tick()
    expect(review(due)).toHaveLength(1)
    // The region's orthopedagoog (found by role) too, in their own digest.
    expect(review(due, users.orthopedagoog)).toHaveLength(1)
    at(LocalDate.addDays(dueOn, 5), "07:00")
    expect(review(await tick())).toEqual([])
  }, 60_000)

  it("two notifiers ticking at once on one database log and send each notification once", async () => {
    await openCase(westland, () => [])
    const before = smtp.received.length
    const second = store.second()
    await Promise.all([
      store.runtime.runPromise(onClock(Notifier.tick(regions, { workerId: "a" }))),
      second.runPromise(onClock(Notifier.tick(regions, { workerId: "b" }))),
    ])
    await tick()
    const fresh = smtp.received.slice(before)
    const ids = fresh.map((m) => `${m.to.join(",")}|${m.parsed.subject}`)
    expect(new Set(ids).size).toBe(ids.length)
    expect(to(fresh, users.coordinator)).toHaveLength(1)
    const rows = await store.runtime.runPromise(
      Effect.flatMap(
        Database.Database,
        (db) =>
          db.sql<{
            n: unknown
          }>`SELECT count(*) AS n FROM outbox WHERE topic = 'notification' AND status <> 'sent'`,
      ),
    )
    expect(Number(rows[0]?.n)).toBe(0)
  }, 60_000)
})
