/**
 * A person's token reaches only that person: the admin creates the user, the mail worker sends a
 * one-time link to the person's own address (a real SMTP server on loopback), the link's page
 * shows the token once, and a second use says it was used. The admin never sees the token or the
 * link; the store keeps only the link secret's hash; the request log never holds the link.
 *
 * Expiry is tested with a link whose validity is zero (`signInLinkMs: 0`): it is expired the
 * moment it is mailed, so no test waits on the clock.
 */
import { Mail, MailConfig, Transport, Worker } from "@verzuimregie/mail"
import { Database } from "@verzuimregie/store"
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
// The mail package's real SMTP server for tests.
import { startSmtp, type TestSmtp } from "../../../packages/mail/test/support/smtp.js"
import { type Gateway, startGateway } from "./support/gateway.js"

const OWN = "westland"
const OTHER = "leidschendam-voorburg"

let gateway: Gateway
let smtp: TestSmtp
let admin: string
let config: MailConfig.MailConfig

/** One pass of the mail worker over the gateway's outbox. */
const sendMail = (signInLinkMs?: number) =>
  gateway.runtime.runPromise(
    Worker.processBatch(
      Mail.workerOptions({ regions: gateway.config.regions, config, workerId: "test-worker" }),
      {
        ...Mail.renderEnv({ regions: gateway.config.regions, config }, undefined),
        ...(signInLinkMs === undefined ? {} : { signInLinkMs }),
      },
    ).pipe(Effect.provideService(Transport.Mailer, Transport.fromConfig(config))),
  )

const rows = <A extends object>(query: string) =>
  gateway.runtime.runPromise(Effect.flatMap(Database.Database, (db) => db.sql.unsafe<A>(query))) as Promise<
    ReadonlyArray<A>
  >

/** Creates a person through the API as the admin, and returns the link their mail carries. */
const personWithLink = async (email: string, roles: ReadonlyArray<string> = ["coordinator"]) => {
  const organisationId = await gateway.organisation("Gemeente Westland")
  const created = await gateway.request("POST", "/admin/users", {
    token: admin,
    body: { organisationId, name: "Nieuwe Coördinator", email, roles, regions: [OWN] },
  })
  expect(created.status, created.text).toBe(201)
  expect(created.text).not.toMatch(/vr[lt]_/)
  return { userId: created.json.id as string }
}

const linkIn = (text: string): string => {
  const match =
    /https:\/\/verzuimregie\.example\/aanmelden\/token\/(vrl_[0-9a-z]{16}_[A-Za-z0-9_-]{43})/.exec(text)
  if (match === null) throw new Error(`no sign-in link in the mail:\n${text}`)
  return `/aanmelden/token/${match[1]}`
}

const form = (path: string) =>
  gateway.request("POST", path, {
    rawBody: "",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  })

beforeAll(async () => {
  smtp = await startSmtp()
  gateway = await startGateway()
  config = Either.getOrThrow(
    MailConfig.fromEnvironment({
      SMTP_URL: smtp.url,
      SMTP_INSECURE_LOOPBACK: "1",
      MAIL_FROM: "verzuimregie <noreply@verzuimregie.example>",
      PUBLIC_URL: "https://verzuimregie.example/",
    }),
  )
  admin = (await gateway.user(["admin"], [OWN])).token
}, 60_000)

afterAll(async () => {
  await gateway?.close()
  await smtp?.stop()
})

describe("the one-time sign-in link", () => {
  it("mails the person a link that shows their token once; a second use says it was used", async () => {
    const before = smtp.received.length
    const { userId } = await personWithLink("nieuw.1@gemeente.example")
    const outbox = await rows<{ payload: unknown }>("SELECT payload FROM outbox")
    expect(JSON.stringify(outbox)).not.toContain("vrl_")
    expect((await sendMail()).sent).toBe(1)
    await smtp.waitFor(before + 1)
    const mail = smtp.received[before]!
    expect(mail.to).toEqual(["nieuw.1@gemeente.example"])
    expect(mail.parsed.subject).toBe("Uw toegang tot verzuimregie")
    // The person's own account only: no name in it (not even theirs), no case data.
    expect(mail.parsed.text).not.toContain("Nieuwe Coördinator")
    expect(mail.parsed.text).toContain("werkt één keer")
    const path = linkIn(mail.parsed.text ?? "")
    const secret = path.split("/").pop()!

    // Only the hash is stored.
    const stored = await rows<{ hash: string }>("SELECT hash FROM token_links")
    expect(stored.length).toBeGreaterThan(0)
    expect(JSON.stringify(stored)).not.toContain(secret.slice(21))

    // Opening the page (as a mail scanner would) does not use the link up.
    for (let i = 0; i < 2; i++) {
      const page = await gateway.request("GET", path)
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8")
      expect(page.headers.get("cache-control")).toBe("no-store")
      expect(page.headers.get("referrer-policy")).toBe("no-referrer")
      expect(page.headers.get("content-security-policy")).toContain("default-src 'none'")
      expect(page.headers.get("content-security-policy")).toContain("form-action 'self'")
      expect(page.text).toContain('<form method="post">')
      expect(page.text).not.toMatch(/vrt_/)
    }
    const shown = await form(path)
    expect(shown.status).toBe(200)
    const token = /vrt_[0-9a-z]{16}_[A-Za-z0-9_-]{43}/.exec(shown.text)?.[0]
    expect(token).toBeDefined()
    expect((await gateway.request("GET", "/cases", { token })).status).toBe(200)

    const again = await form(path)
    expect(again.status).toBe(410)
    expect(again.text).toContain("Deze link is al gebruikt")
    expect(again.text).not.toMatch(/vrt_/)
    expect((await gateway.request("GET", path)).text).toContain("Deze link is al gebruikt")

    // The link never reaches the request log: the route pattern does.
    const logged = JSON.stringify(gateway.logs)
    expect(logged).not.toContain(secret)
    expect(gateway.logs.some((l) => l.route === "/aanmelden/token/:link")).toBe(true)

    // The token's issuance is audited in the person's region, with the person as actor.
    const issued = await rows<{ user_id: string; region_id: string; record_type: string }>(
      "SELECT user_id, region_id, record_type FROM audit_log WHERE context = 'web.sign-in-link.redeem'",
    )
    expect(issued).toEqual([{ user_id: userId, region_id: OWN, record_type: "token" }])
  }, 60_000)

  it("gives the token to one of two simultaneous uses only", async () => {
    const before = smtp.received.length
    await personWithLink("nieuw.2@gemeente.example")
    await sendMail()
    await smtp.waitFor(before + 1)
    const path = linkIn(smtp.received[before]!.parsed.text ?? "")
    const replies = await Promise.all([form(path), form(path), form(path)])
    expect(replies.map((r) => r.status).sort()).toEqual([200, 410, 410])
  }, 60_000)

  it("refuses an expired link and an unknown one, and an admin can send a new link", async () => {
    const before = smtp.received.length
    const { userId } = await personWithLink("nieuw.3@gemeente.example")
    await sendMail(0) // valid for no time at all: expired as soon as it is mailed
    await smtp.waitFor(before + 1)
    const expired = linkIn(smtp.received[before]!.parsed.text ?? "")
    expect((await gateway.request("GET", expired)).status).toBe(410)
    const used = await form(expired)
    expect(used.status).toBe(410)
    expect(used.text).toContain("Deze link is verlopen")
    const forged = `${expired.slice(0, -4)}AAAA`
    expect((await gateway.request("GET", forged)).status).toBe(404)
    expect((await form(forged)).status).toBe(404)

    const again = await gateway.request("POST", `/admin/users/${userId}/sign-in-links`, { token: admin })
    expect(again.status, again.text).toBe(201)
    expect(again.json).toEqual({
      linkId: expect.stringMatching(/^[0-9a-z]{16}$/),
      sentTo: "nieuw.3@gemeente.example",
    })
    expect(again.text).not.toMatch(/vr[lt]_/)
    await sendMail()
    await smtp.waitFor(before + 2)
    const fresh = linkIn(smtp.received[before + 1]!.parsed.text ?? "")
    expect((await form(fresh)).status).toBe(200)
  }, 60_000)

  it("lets an admin mint a token directly only for a service account of their own regions", async () => {
    const person = await gateway.user(["case-worker"], [OWN])
    const refused = await gateway.request("POST", `/admin/users/${person.id}/tokens`, {
      token: admin,
      body: {},
    })
    expect(refused.status).toBe(409)
    expect(refused.text).not.toMatch(/vrt_/)
    expect(refused.json.detail).toContain("aanmeldlink")

    const service = await gateway.user(["referrer"], [OWN], { kind: "service" })
    const minted = await gateway.request("POST", `/admin/users/${service.id}/tokens`, {
      token: admin,
      body: {},
    })
    expect(minted.status, minted.text).toBe(201)
    expect((await gateway.request("GET", "/referrals", { token: minted.json.token })).status).toBe(200)
    // A service account gets no sign-in link.
    const link = await gateway.request("POST", `/admin/users/${service.id}/sign-in-links`, { token: admin })
    expect(link.status).toBe(409)

    // Another region's service account is beyond this admin's reach: 404, as if it did not exist.
    const elsewhere = await gateway.user(["referrer"], [OTHER], { kind: "service" })
    for (const path of [
      `/admin/users/${elsewhere.id}/tokens`,
      `/admin/users/${elsewhere.id}/sign-in-links`,
    ]) {
      const reply = await gateway.request("POST", path, { token: admin, body: {} })
      expect(reply.status).toBe(404)
    }
    expect(
      (await gateway.request("DELETE", `/admin/tokens/${elsewhere.tokenId}`, { token: admin })).status,
    ).toBe(404)
    expect(
      (await gateway.request("DELETE", `/admin/tokens/${service.tokenId}`, { token: admin })).status,
    ).toBe(200)
  }, 60_000)
})
