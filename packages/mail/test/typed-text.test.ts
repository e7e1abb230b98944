/**
 * Nothing typed into a case leaves by mail. Synthetic cases get a distinctive marker in every field
 * a user can type (support/markers.ts walks each event's schema: names of pupils, parents,
 * referrers and professionals, every note, summary, agreement, action description, meeting
 * summary, reason, referral text and plug-in extension field, also optional ones), every event
 * kind is present, and actions are owned by the pupil and a parent by name (role leerling/ouder).
 * Every mail the system makes — one per template of `Messages.Payload`, the handover notices as
 * `CaseEffects` makes them from the cases' `HandedOver` events, the notifications to users (at
 * once and as a daily digest) as the notifier makes them from the cases' events and a scan — is rendered from that database, sent to a real SMTP server and searched: subject, headers, text, HTML, the raw
 * message, and every XML part of every attached workbook, unzipped with zlib. Found: none.
 */
import { CaseEffects, Notifications, WebSignIn } from "@verzuimregie/app"
import {
  Amsterdam,
  Case,
  type CaseEvent,
  Ids,
  LocalDate,
  Organisation,
  type Timestamp,
} from "@verzuimregie/domain"
import { CaseList } from "@verzuimregie/export-xlsx"
import { Accounts, Database, Outbox } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Mail, MailConfig, Messages, Notifier, Schedules, Transport, Worker } from "../src/index.js"
import { manualClock } from "./support/clock.js"
import { makeMarkers, tagsWithText } from "./support/markers.js"
import { loadRegions } from "./support/regions.js"
import { type Received, startSmtp, type TestSmtp } from "./support/smtp.js"
import { openStore, type Seeded, seed, skipPg, synthetic, type TestStore } from "./support/store.js"
import { unzip } from "./support/zip.js"

const KEY = "test-sleutel-voor-pseudoniemen-0123456789abcdef"
const on = LocalDate.make("2026-03-09") // a Monday
const regions = loadRegions()
const westland = regions[0]
if (westland === undefined) throw new Error("no region")

/** Names in the installation's registers: these may appear (and must, where linked). */
const REGISTERED_SCHOOL = "Registerschool De Vlinder"
const REGISTERED_REGIEHOUDER = "Registerde Regiehouder"
const REGISTERED_SUCCESSOR = "Registerde Overnemer"

const backends = skipPg() ? (["sqlite"] as const) : (["sqlite", "pg"] as const)

describe.each(backends)("mail from a database full of typed text (%s)", (backend) => {
  let smtp: TestSmtp
  let store: TestStore
  let histories: Array<Seeded>
  const marks = makeMarkers("Geheim")
  const special: { owned?: Ids.CaseId; toParent?: Ids.CaseId; person?: Ids.UserId } = {}

  beforeAll(async () => {
    smtp = await startSmtp()
    store = await openStore(backend)
    const registered = await store.runtime.runPromise(
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const school = yield* accounts.createOrganisation({
          name: REGISTERED_SCHOOL,
          kind: "school",
          brin: Organisation.Brin.make("12AB"),
        })
        const swv = yield* accounts.createOrganisation({
          name: "Samenwerkingsverband Register",
          kind: "samenwerkingsverband",
        })
        const user = (name: string, email: string) =>
          accounts.createUser({
            organisationId: swv.id,
            name,
            email,
            roles: ["case-worker"],
            regions: [Ids.RegionId.make("westland")],
            partyRole: "leerplichtambtenaar",
          })
        const regiehouder = yield* user(REGISTERED_REGIEHOUDER, "regiehouder@register.example")
        special.person = regiehouder.id
        return {
          school,
          regiehouder,
          successor: yield* user(REGISTERED_SUCCESSOR, "overnemer@register.example"),
        }
      }),
    )

    const base = synthetic(41, 120, "westland", on)
    const open = base.filter((h) => h.state.closed === undefined)
    const staff = (
      role: "leerling" | "ouder" | "mentor" | "hulpverlener" | "leerplichtambtenaar",
      userId?: Ids.UserId,
    ) => ({
      name: "typed",
      role,
      ...(userId === undefined ? {} : { userId }),
    })
    /** Extra events, so every kind is present and actions belong to the pupil and a parent. */
    const extras = (h: Seeded, i: number): Array<CaseEvent.CaseEvent> => {
      const last = h.events[h.events.length - 1]?.at ?? `${on}T00:00:00.000Z`
      let minute = 0
      const at = () => new Date(Date.parse(last) + ++minute * 60_000).toISOString() as Timestamp.Timestamp
      const by = staff("mentor")
      if (i === 0) {
        special.owned = h.state.id
        const action = (
          role: "leerling" | "ouder" | "mentor",
          dueOn: LocalDate.LocalDate,
          userId?: Ids.UserId,
        ) =>
          ({
            _tag: "ActionAssigned",
            at: at(),
            by,
            action: { id: Ids.newId.action(), description: "typed", owner: staff(role, userId), dueOn },
          }) as CaseEvent.CaseEvent
        return [
          // A second referral of the same pupil, linked to the open case: its typed texts too.
          {
            _tag: "ReferralLinked",
            at: at(),
            by,
            referral: { ...h.state.referral, id: Ids.newId.referral(), submittedAt: at() },
          } as CaseEvent.CaseEvent,
          // The first regiehouder (the one of the intake, if any), then the regie moves on.
          {
            _tag: "RegiehouderAssigned",
            at: at(),
            by,
            regiehouder: h.state.regiehouder ?? staff("leerplichtambtenaar", registered.successor.id),
          } as CaseEvent.CaseEvent,
          {
            _tag: "RegiehouderChanged",
            at: at(),
            by,
            regiehouder: staff("leerplichtambtenaar", registered.regiehouder.id),
            reason: "typed",
          } as CaseEvent.CaseEvent,
          action("leerling", on),
          action("ouder", LocalDate.addDays(on, -3)),
          action("mentor", LocalDate.addDays(on, 2), registered.regiehouder.id),
          { _tag: "ParentsInformed", at: at(), by, on: LocalDate.addDays(on, -2) } as CaseEvent.CaseEvent,
          {
            _tag: "ConsentRecorded",
            at: at(),
            by,
            consent: {
              subject: "ouders",
              givenBy: "typed",
              givenOn: LocalDate.addDays(on, -5),
              purposes: ["aanmelding"],
              method: "schriftelijk",
            },
          } as CaseEvent.CaseEvent,
          {
            _tag: "ConsentWithdrawn",
            at: at(),
            by,
            subject: "ouders",
            on: LocalDate.addDays(on, -2),
          } as CaseEvent.CaseEvent,
          {
            _tag: "ExemptionRecorded",
            at: at(),
            by,
            vrijstelling: { grond: "5a", from: LocalDate.addDays(on, -30) },
          } as CaseEvent.CaseEvent,
          {
            _tag: "HandedOver",
            at: at(),
            by,
            on: LocalDate.addDays(on, -1),
            to: staff("hulpverlener", registered.successor.id),
          } as CaseEvent.CaseEvent,
        ]
      }
      if (i === 1) {
        special.toParent = h.state.id
        // Regie "handed over" to a parent, typed by name: the notice must not carry it.
        return [
          {
            _tag: "HandedOver",
            at: at(),
            by,
            on: LocalDate.addDays(on, -1),
            to: staff("ouder"),
          } as CaseEvent.CaseEvent,
        ]
      }
      return []
    }
    histories = base.map((h) => {
      const i = open.indexOf(h)
      const events = [...h.events, ...extras(h, i)].map((event, n) => {
        const marked = marks.mark(event)
        // Half of the schools are registered (their registered name may appear, the typed one never).
        if (n === 0 && marked._tag === "ReferralReceived" && i % 2 === 0) {
          const enrolment = marked.referral.pupil.enrolment
          if (enrolment !== undefined) {
            return {
              ...marked,
              referral: {
                ...marked.referral,
                pupil: {
                  ...marked.referral.pupil,
                  enrolment: { ...enrolment, schoolId: registered.school.id },
                },
              },
            }
          }
        }
        return marked
      })
      const state = Case.fold(h.state.id, events)
      if (Either.isLeft(state)) throw new Error(`case ${h.state.id}: ${state.left.message}`)
      return { state: state.right, events }
    })
    await seed(store.runtime, histories)
  }, 120_000)

  afterAll(async () => {
    await smtp?.stop()
    await store?.close()
  })

  /** What must not be found: every marker (the referrer's address is the handover's recipient), BSNs, birth dates. */
  const secrets = () => {
    const out = new Set(
      marks.markers.filter((m) => !m.path.endsWith(".referrer.email")).map((m) => m.token.toLowerCase()),
    )
    for (const { state } of histories) {
      const pupil = state.referral.pupil
      if (pupil.personNumber !== undefined) out.add(pupil.personNumber.value)
      const { year, month, day } = LocalDate.parts(pupil.birthDate)
      const dd = String(day).padStart(2, "0")
      const mm = String(month).padStart(2, "0")
      for (const s of [
        pupil.birthDate,
        `${dd}-${mm}-${year}`,
        `${day}-${month}-${year}`,
        `${dd}/${mm}/${year}`,
      ])
        out.add(s)
    }
    return [...out]
  }
  /** A birth date as a date cell: the serial day number in the sheet XML. */
  const birthSerials = () =>
    histories.map((h) => `<v>${LocalDate.toEpochDay(h.state.referral.pupil.birthDate) + 25_569}</v>`)

  const searchable = (message: Received): Array<{ where: string; text: string }> => {
    const raw = message.raw.toString("utf8")
    return [
      { where: "subject", text: message.parsed.subject ?? "" },
      { where: "headers", text: raw.slice(0, raw.search(/\r?\n\r?\n/)) },
      { where: "text", text: message.parsed.text ?? "" },
      { where: "html", text: typeof message.parsed.html === "string" ? message.parsed.html : "" },
      { where: "raw", text: raw },
      ...message.parsed.attachments.flatMap((a) =>
        unzip(a.content).map((part) => ({ where: `${a.filename}/${part.name}`, text: part.text })),
      ),
    ]
  }

  it("renders every template and attachment without a single typed text, name, BSN or birth date", async () => {
    // Every event kind is in the database, each with its typed fields filled.
    const seen = new Set(histories.flatMap((h) => h.events.map((e) => e._tag)))
    expect(tagsWithText().filter((tag) => !seen.has(tag as CaseEvent.CaseEventTag))).toEqual([])
    expect(marks.markers.length).toBeGreaterThan(1_000)

    const quarter = { key: "2026-Q1", from: LocalDate.make("2026-01-01"), to: LocalDate.make("2026-03-31") }
    // The handover notices as the case write path makes them: `CaseEffects` over every event of
    // every case (one notice per case and handover day; none for a referrer without an address).
    const notices = new Map<string, Outbox.OutboxMessage>()
    for (const h of histories)
      for (const [i, event] of h.events.entries()) {
        const before = i === 0 ? undefined : Either.getOrThrow(Case.fold(h.state.id, h.events.slice(0, i)))
        const after = Either.getOrThrow(Case.fold(h.state.id, h.events.slice(0, i + 1)))
        for (const row of CaseEffects.effectsOf({ event, before, after, region: westland }))
          notices.set(row.messageId ?? "", row)
      }
    // Notices to users (topic `notification`) go through the notifier below; mail rows here.
    const userNotices = [...notices.values()].filter((m) => m.topic === Notifications.NOTICE_TOPIC)
    for (const m of userNotices) notices.delete(m.messageId ?? "")
    const handovers = histories.filter((h) =>
      [...notices.values()].some((m) => m.payload.caseId === h.state.id),
    )
    expect(handovers.length).toBe(
      histories.filter((h) => h.state.handovers.length > 0 && h.state.referral.referrer.email !== undefined)
        .length,
    )
    const messages = [
      Messages.fromDue(
        Schedules.dueFor(westland, "staff", Amsterdam.instantOf(on, "07:00")) as Schedules.Due,
      ),
      Messages.fromDue({
        regionId: "westland",
        kind: "inspectie",
        scheduledAt: new Date(`${on}T06:00:00Z`),
        period: quarter,
        on,
        peildata: [on],
        messageId: "inspectie:westland:2026-Q1",
      }),
      ...notices.values(),
    ]
    // A person's sign-in link: the store enqueues its mail in the link's own transaction.
    const { linkId } = await store.runtime.runPromise(
      Effect.flatMap(Accounts.Accounts, (a) =>
        a.requestSignInLink(special.person as Ids.UserId, (id) => Messages.signInLink(id)),
      ),
    )
    messages.push(Messages.signInLink(linkId))
    // A web sign-in link, asked for by the person's address (with a page to return to).
    const web = await store.runtime.runPromise(
      Effect.gen(function* () {
        const accounts = yield* Accounts.Accounts
        const person = yield* accounts.user(special.person as Ids.UserId)
        if (person._tag === "None") throw new Error("no person")
        return yield* accounts.requestSessionLink(person.value.email, (id) =>
          WebSignIn.webSignInLink(id, "/dossiers/cas_voorbeeld"),
        )
      }),
    )
    if (web._tag === "None") throw new Error("no web sign-in link")
    messages.push(WebSignIn.webSignInLink(web.value.linkId))
    // Notifications to users: the case's notices, the time-driven ones of a scan, mails at once
    // and a daily digest (the regiehouder's defaults), made by the notifier on a moved clock.
    expect(userNotices.length).toBeGreaterThan(0)
    // Enqueued on the notifier's clock, so it finds them due.
    const clock = manualClock(Amsterdam.instantOf(on, "08:00"))
    await store.runtime.runPromise(
      Effect.withClock(
        Effect.flatMap(Outbox.Outbox, (o) => o.enqueue(userNotices)),
        clock,
      ),
    )
    for (const [day, time] of [
      [on, "08:00"],
      [LocalDate.addDays(on, 1), "08:00"],
      [LocalDate.addDays(on, 2), "07:30"],
    ] as const) {
      clock.advance(Amsterdam.instantOf(day, time).getTime() - clock.millis())
      await store.runtime.runPromise(
        Effect.withClock(Notifier.tick(regions, { workerId: "privacy-notifier" }), clock),
      )
    }
    const notificationMails = await store.runtime.runPromise(
      Effect.flatMap(
        Database.Database,
        (db) => db.sql<{ message_id: string; payload: unknown }>`SELECT message_id, payload FROM outbox
          WHERE topic = 'mail' AND (message_id LIKE 'melding:%' OR message_id LIKE 'overzicht:%')`,
      ),
    )
    const notificationTemplates = new Set(
      notificationMails
        .map(
          (r) => (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload) as { template: string },
        )
        .map((p) => p.template),
    )
    expect([...notificationTemplates].sort()).toEqual(["notification", "notification-digest"])
    // Every template the outbox knows is rendered here; a new one must be added to this test.
    const templates = Messages.Payload.members.map((m) => m.fields.template.literals[0])
    expect(
      [...new Set([...messages.map((m) => m.payload.template), ...notificationTemplates])].sort(),
    ).toEqual([...templates].sort())
    expect(handovers.map((h) => h.state.id)).toEqual(
      expect.arrayContaining([special.owned, special.toParent]),
    )

    await store.runtime.runPromise(
      Effect.flatMap(Outbox.Outbox, (o) =>
        o.enqueue(
          messages.filter(
            (m) => m.payload.template !== "sign-in-link" && m.payload.template !== "web-sign-in-link",
          ),
        ),
      ),
    )
    const config = Either.getOrThrow(
      MailConfig.fromEnvironment({
        SMTP_URL: smtp.url,
        SMTP_INSECURE_LOOPBACK: "1",
        MAIL_FROM: "noreply@verzuimregie.example",
        PUBLIC_URL: "https://verzuimregie.example",
        DATA_DIR: store.dataDir,
      }),
    )
    const transport = Transport.fromConfig(config)
    try {
      const expected = messages.length + notificationMails.length
      for (let pass = 0; pass < 30 && smtp.received.length < expected; pass++) {
        const result = await store.runtime.runPromise(
          Worker.processBatch(
            Mail.workerOptions({ regions, config, workerId: "privacy" }),
            Mail.renderEnv({ regions, config }, KEY),
          ).pipe(Effect.provideService(Transport.Mailer, transport)),
        )
        expect(result.dead + result.retried, JSON.stringify(result.outcomes)).toBe(0)
      }
    } finally {
      transport.close()
    }
    await smtp.waitFor(messages.length + notificationMails.length, 60_000)
    // The notification mails are among them, with their case numbers: the search saw them.
    const subjects = smtp.received.map((m) => m.parsed.subject ?? "")
    expect(subjects).toContain(`Actie aan u toegewezen: casus ${special.owned}`)
    expect(subjects.some((s) => s.startsWith("Dagelijks overzicht verzuimregie"))).toBe(true)

    const tokens = secrets()
    const serials = birthSerials()
    const found: Array<string> = []
    for (const message of smtp.received) {
      for (const { where, text } of searchable(message)) {
        const lower = text.toLowerCase()
        for (const token of tokens)
          if (lower.includes(token.toLowerCase()))
            found.push(`${token} in ${message.parsed.subject}: ${where}`)
        if (where.endsWith(".xml"))
          for (const serial of serials)
            if (text.includes(serial)) found.push(`birth date ${serial} in ${where}`)
      }
    }
    expect(found).toEqual([])

    // The search sees what is there: registered names, case ids and the rows of every sheet.
    const bySubject = (start: string) =>
      smtp.received.filter((m) => (m.parsed.subject ?? "").startsWith(start))
    const [summary] = bySubject("Overzicht verzuimregie")
    const summaryXml = searchable(summary as Received)
      .filter((p) => p.where.endsWith(".xml"))
      .map((p) => p.text)
      .join("\n")
    expect(summaryXml).toContain(`${REGISTERED_REGIEHOUDER} (Leerplichtambtenaar)`)
    expect(summaryXml).toContain(`${REGISTERED_REGIEHOUDER} (Mentor)`)
    expect(summaryXml).toContain(REGISTERED_SCHOOL)
    expect(summaryXml).toContain(special.owned)
    // The actions owned by the pupil and a parent are listed, by role only.
    expect(summaryXml).toContain("<v>Leerling</v>")
    expect(summaryXml).toContain("<v>Ouder / verzorger</v>")
    const [inspectie] = bySubject("Thuiszittersoverzicht")
    expect(
      searchable(inspectie as Received).some((p) => p.where.endsWith(".xml") && p.text.includes("5 onder a")),
    ).toBe(true)
    const notice = (caseId: string | undefined) =>
      smtp.received.find((m) => m.parsed.subject === `Uw aanmelding ${caseId}: regie overgedragen`)?.parsed
        .text ?? ""
    expect(notice(special.owned)).toContain(`overgedragen aan ${REGISTERED_SUCCESSOR} (hulpverlener)`)
    expect(notice(special.toParent)).toContain("overgedragen aan de ouder / verzorger.")
  }, 240_000)

  it("a case list without personal columns shows no pupil or parent data and no typed notes", () => {
    // Case lists are downloaded in the gateway by coordinators (audited), never e-mailed. Their
    // plug-in columns show some fields typed about professionals and organisations by design:
    // the regiehouder, the school, who took over, the interventions and the referring institution.
    const byDesign =
      /(regiehouder\.name|enrolment\.schoolName|HandedOver\.to\.name|intervention\.(label|provider)|\.extension\.aanmeldendeInstantie)$/
    const file = CaseList.workbook(
      histories.map((h) => h.state),
      {
        plugin: westland.plugin,
        context: { on, settings: westland.settings, calendars: westland.calendars },
        includePersonal: false,
      },
    )
    const tokens = marks.markers.filter((m) => !byDesign.test(m.path)).map((m) => m.token.toLowerCase())
    const found: Array<string> = []
    for (const part of unzip(file)) {
      const lower = part.text.toLowerCase()
      for (const token of tokens) if (lower.includes(token)) found.push(`${token} in ${part.name}`)
    }
    expect(found).toEqual([])
  })
})
