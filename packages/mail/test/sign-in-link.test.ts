/**
 * The sign-in link mail over real SMTP: to the person's own address, the link made when the mail
 * is rendered (never in the outbox, never in the log line), no name and no case data; a link that
 * was used before its mail went out is a dead letter, not a mail with a dead link.
 */
import { WebSignIn } from "@verzuimregie/app"
import { Ids } from "@verzuimregie/domain"
import { Accounts, Database } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Mail, MailConfig, Messages, Transport, Worker } from "../src/index.js"
import { loadRegions } from "./support/regions.js"
import { startSmtp, type TestSmtp } from "./support/smtp.js"
import { openStore, type TestStore } from "./support/store.js"

const regions = loadRegions()
let smtp: TestSmtp
let store: TestStore
let config: MailConfig.MailConfig

const work = () =>
  store.runtime.runPromise(
    Worker.processBatch(
      Mail.workerOptions({ regions, config, workerId: "test-worker" }),
      Mail.renderEnv({ regions, config }, undefined),
    ).pipe(Effect.provideService(Transport.Mailer, Transport.fromConfig(config))),
  )

const accounts = <A, E>(f: (a: Accounts.Accounts) => Effect.Effect<A, E>) =>
  store.runtime.runPromise(Effect.flatMap(Accounts.Accounts, f))

let people = 0
const person = () =>
  Effect.gen(function* () {
    const a = yield* Accounts.Accounts
    const org = yield* a.createOrganisation({ name: "Gemeente", kind: "gemeente" })
    people++
    return yield* a.createUser(
      {
        organisationId: org.id,
        name: "Jan Jansen",
        email: `jan.${people}@gemeente.example` as never,
        roles: ["coordinator"],
        regions: [Ids.RegionId.make("westland")],
        partyRole: "leerplichtambtenaar",
      },
      { signInLink: (linkId) => Messages.signInLink(linkId) },
    )
  }).pipe((effect) => store.runtime.runPromise(effect))

beforeAll(async () => {
  smtp = await startSmtp()
  store = await openStore()
  config = Either.getOrThrow(
    MailConfig.fromEnvironment({
      SMTP_URL: smtp.url,
      SMTP_INSECURE_LOOPBACK: "1",
      MAIL_FROM: "verzuimregie <noreply@verzuimregie.example>",
      PUBLIC_URL: "https://verzuimregie.example/",
      SIGN_IN_LINK_MINUTES: "45",
      DATA_DIR: store.dataDir,
    }),
  )
})

afterAll(async () => {
  await smtp?.stop()
  await store?.close()
})

describe("the sign-in link mail", () => {
  it("goes to the person's own address with a link made at sending, valid for SIGN_IN_LINK_MINUTES", async () => {
    const user = await person()
    const outbox = await store.runtime.runPromise(
      Effect.flatMap(Database.Database, (db) => db.sql<{ payload: unknown }>`SELECT payload FROM outbox`),
    )
    expect(JSON.stringify(outbox)).not.toContain("vrl_")
    expect(await work()).toMatchObject({ sent: 1, dead: 0 })
    await smtp.waitFor(1)
    const mail = smtp.received[0]!
    expect(mail.to).toEqual([user.email])
    expect(mail.parsed.subject).toBe("Uw toegang tot verzuimregie")
    expect(mail.parsed.messageId).toBe(`<signin.${user.linkId}@verzuimregie.example>`)
    expect(mail.parsed.attachments).toEqual([])
    const text = mail.parsed.text ?? ""
    expect(text).toContain("(45 minuten na verzending)")
    expect(text).not.toContain("Jan Jansen")
    expect(mail.raw.toString("utf8")).not.toContain("Jansen")
    const secret = /\/aanmelden\/token\/(vrl_[0-9a-z]{16}_[A-Za-z0-9_-]{43})\s/.exec(text)?.[1]
    expect(secret).toBeDefined()
    expect(await accounts((a) => a.linkState(secret!))).toBe("valid")
  })

  it("does not send a link that was used before its mail went out: a dead letter", async () => {
    const user = await person()
    // Rendered once (a mail that went out), used, then a retry of the same message comes along.
    const mailed = await accounts((a) => a.mailableLink(user.linkId!, 60_000))
    expect((await accounts((a) => a.redeemLink(mailed.secret)))._tag).toBe("Redeemed")
    const before = smtp.received.length
    expect(await work()).toMatchObject({ sent: 0, dead: 1 })
    expect(smtp.received.length).toBe(before)
  })

  it("sends a web sign-in link: to the account's address, valid 15 minutes, one purpose only, back to the page asked for", async () => {
    const user = await person()
    await work()
    const before = smtp.received.length
    const requested = await accounts((a) =>
      a.requestSessionLink(user.email.toUpperCase(), (id) =>
        WebSignIn.webSignInLink(id, "/dossiers/cas_abc"),
      ),
    )
    expect(requested._tag).toBe("Some")
    expect(await work()).toMatchObject({ sent: 1, dead: 0 })
    await smtp.waitFor(before + 1)
    const mail = smtp.received[before]!
    expect(mail.to).toEqual([user.email])
    expect(mail.parsed.subject).toBe("Uw inloglink voor verzuimregie")
    const text = mail.parsed.text ?? ""
    expect(text).toContain("(15 minuten na verzending)")
    expect(text).toContain("persoonlijk")
    expect(mail.raw.toString("utf8")).not.toContain("Jansen")
    const match =
      /https:\/\/verzuimregie\.example\/inloggen\/link\/(vrl_[0-9a-z]{16}_[A-Za-z0-9_-]{43})\?terug=%2Fdossiers%2Fcas_abc\s/.exec(
        text,
      )
    expect(match).not.toBeNull()
    const secret = match![1]!
    // A web link opens no token page, and a token link starts no session.
    expect(await accounts((a) => a.linkState(secret, "session"))).toBe("valid")
    expect(await accounts((a) => a.linkState(secret))).toBe("unknown")
    expect((await accounts((a) => a.redeemLink(secret)))._tag).toBe("unknown")
    const used = await accounts((a) => a.consumeSessionLink(secret))
    expect(used._tag).toBe("Consumed")
    expect((await accounts((a) => a.consumeSessionLink(secret)))._tag).toBe("used")

    // No account for an unknown address or a deactivated person: nothing queued.
    expect(
      (await accounts((a) => a.requestSessionLink("niemand@gemeente.example", WebSignIn.webSignInLink)))._tag,
    ).toBe("None")
    await accounts((a) => a.setActive(user.id, false))
    expect((await accounts((a) => a.requestSessionLink(user.email, WebSignIn.webSignInLink)))._tag).toBe(
      "None",
    )
  })
})
