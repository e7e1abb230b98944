/**
 * Authorisation through the web app's pages, as one table: every GET page address the web app
 * mounts (read from the mounted routes themselves, so a new page cannot escape the matrix) × every
 * kind of caller (not signed in, referrer, case worker of the region, case worker of another region,
 * coordinator, admin), by status and by page. A case of another region is "Niet gevonden" with the
 * very same page as an unknown id; every POST form is refused without its CSRF token and from
 * another origin, and changes nothing; a signed-out session cookie opens no page any more. Without a
 * browser: plain HTTP with the session cookie of a real form sign-in.
 */

import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { mountWeb, type WebEnv } from "@verzuimregie/web"
import { Hono } from "hono"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, quickFingerprint, referrerOf, startGateway, TODAY } from "./support/gateway.js"

const REGION = "westland"
const OTHER_REGION = "amstelland-meerlanden"

/** The web app's routes as it mounts them (method and pattern), from a web app mounted on its own. */
const mountedRoutes = (): ReadonlyArray<{ readonly method: string; readonly path: string }> => {
  const probe = new Hono<WebEnv>()
  const unlimited = { peek: () => 1, take: () => ({ allowed: true, retryAfterSeconds: 0 }) }
  mountWeb(probe, {
    // Never run: only the routes are read, no request is served.
    runtime: undefined as never,
    secureCookies: false,
    signInLimiter: unlimited,
    linkAddressLimiter: unlimited,
    clientKey: () => "probe",
    onDefect: () => undefined,
  })
  const seen = new Set<string>()
  return (
    probe.routes
      .filter((route) => route.method === "GET" || route.method === "POST")
      .filter((route) => {
        const key = `${route.method} ${route.path}`
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      // The stylesheet's address carries a digest of its content.
      .map(({ method, path }) => ({ method, path: path.startsWith("/static/") ? "/static/*" : path }))
  )
}

type Caller =
  | "anonymous"
  | "referrer"
  | "worker"
  | "outsider"
  | "coordinator"
  | "admin"
  | "school"
  | "orthopedagoog"
const CALLERS: ReadonlyArray<Caller> = [
  "anonymous",
  "referrer",
  "worker",
  "outsider",
  "coordinator",
  "admin",
  "school",
  "orthopedagoog",
]
type SignedIn = Exclude<Caller, "anonymous">

/** What a caller gets: a status, and for 404/403 the page's heading. */
type Expected = 200 | 403 | 404 | "sign-in-form" | "back-home"

/**
 * What each signed-in caller gets on each page (not signed in: always to the sign-in page). The
 * test fails for a mounted page missing here, so a new page must say who may open it.
 */
const EXPECTED: Readonly<Record<string, Readonly<Record<SignedIn, Expected>> | "public">> = {
  "/": {
    referrer: 200,
    worker: 200,
    outsider: 200,
    coordinator: 200,
    admin: 200,
    school: 200,
    orthopedagoog: 200,
  },
  "/static/*": "public",
  "/inloggen": {
    referrer: "back-home",
    worker: "back-home",
    outsider: "back-home",
    coordinator: "back-home",
    admin: "back-home",
    school: "back-home",
    orthopedagoog: "back-home",
  },
  "/inloggen/link": {
    referrer: "back-home",
    worker: "back-home",
    outsider: "back-home",
    coordinator: "back-home",
    admin: "back-home",
    school: "back-home",
    orthopedagoog: "back-home",
  },
  "/inloggen/link/:secret": "public",
  "/werkvoorraad": {
    referrer: 403,
    worker: 200,
    outsider: 200,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/mijn-werk": {
    referrer: 403,
    worker: 200,
    outsider: 200,
    coordinator: 200,
    admin: 403,
    school: 200,
    orthopedagoog: 403,
  },
  "/zoeken": {
    referrer: 403,
    worker: 200,
    outsider: 200,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  // Everyone who receives notifications sets their own; nothing region-scoped.
  "/instellingen/meldingen": {
    referrer: 403,
    worker: 200,
    outsider: 200,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 200,
  },
  "/dossiers/:caseId": {
    referrer: 403,
    worker: 200,
    outsider: 404,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/dossiers/:caseId/vastleggen": {
    referrer: 403,
    worker: 200,
    outsider: 404,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/dossiers/:caseId/vastleggen/:kind": {
    referrer: 403,
    worker: 200,
    outsider: 404,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/dossiers/:caseId/stappen/:stepId": {
    referrer: 403,
    worker: 200,
    outsider: 404,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/aanmeldingen": {
    referrer: 200,
    worker: 200,
    outsider: 200,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/aanmeldingen/nieuw": {
    referrer: 200,
    worker: 200,
    outsider: 200,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  // Only the referrer who sent it sees a referral; for everyone else it does not exist.
  "/aanmeldingen/:referralId": {
    referrer: 200,
    worker: 404,
    outsider: 404,
    coordinator: 404,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/regio": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/regio/:regionId": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/regio/:regionId/toegangslog": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/beheer": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 200,
    school: 403,
    orthopedagoog: 403,
  },
  "/beheer/organisaties": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 200,
    school: 403,
    orthopedagoog: 403,
  },
  "/beheer/gebruikers": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 200,
    school: 403,
    orthopedagoog: 403,
  },
  "/beheer/gebruikers/nieuw": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 200,
    school: 403,
    orthopedagoog: 403,
  },
  // A school's own verzuim pages (issue 15): the school-verzuim role only; coordinators count.
  "/verzuim": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 403,
    school: 200,
    orthopedagoog: 403,
  },
  // An id of no signal: for the school "Niet gevonden", as another school's signal.
  "/verzuim/signalen/:signalId": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 403,
    school: 404,
    orthopedagoog: 403,
  },
  "/verzuim/importeren": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 403,
    school: 200,
    orthopedagoog: 403,
  },
  "/verzuim/duo": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 403,
    school: 200,
    orthopedagoog: 403,
  },
  "/verzuim/duo/meldingen.xlsx": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 403,
    school: 200,
    orthopedagoog: 403,
  },
  "/regio/verzuim": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  // The region's dashboard (issue 16): coordinators only; a chart's figures and the jaarverslag as files.
  "/regio/dashboard": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/regio/dashboard/:file": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/regio/jaarverslag.xlsx": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 403,
  },
  "/beheer/gebruikers/:userId": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 403,
    admin: 200,
    school: 403,
    orthopedagoog: 403,
  },
  // Amstelland's quarterly round (issue 16): orthopedagogen and coordinators. Westland holds no
  // round, so its case is "Niet gevonden" there (the round of an Amstelland case: web-kwartaalronde).
  "/kwartaalronde": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 200,
    admin: 403,
    school: 403,
    orthopedagoog: 200,
  },
  "/kwartaalronde/:caseId": {
    referrer: 403,
    worker: 403,
    outsider: 403,
    coordinator: 404,
    admin: 403,
    school: 403,
    orthopedagoog: 404,
  },
}

/** Who may post each form: the CSRF refusal is then about the token, not the role. */
const POSTER: Readonly<Record<string, Caller>> = {
  "/inloggen": "anonymous",
  "/inloggen/link": "anonymous",
  "/inloggen/link/:secret": "anonymous",
  "/uitloggen": "worker",
  "/zoeken": "worker",
  "/instellingen/meldingen": "worker",
  "/dossiers/:caseId/vastleggen/:kind": "worker",
  "/dossiers/:caseId/stappen/:stepId": "worker",
  "/aanmeldingen/nieuw": "referrer",
  "/regio/:regionId/export": "coordinator",
  "/beheer/organisaties": "admin",
  "/beheer/gebruikers/nieuw": "admin",
  "/beheer/gebruikers/:userId/rollen": "admin",
  "/beheer/gebruikers/:userId/deactiveren": "admin",
  "/beheer/gebruikers/:userId/aanmeldlink": "admin",
  "/beheer/gebruikers/:userId/tokens": "admin",
  "/beheer/tokens/:tokenId/intrekken": "admin",
  "/verzuim/signalen/:signalId/gezien": "school",
  "/verzuim/signalen/:signalId/geen-actie": "school",
  "/verzuim/importeren": "school",
  "/verzuim/duo/:signalId": "school",
  "/kwartaalronde/:caseId": "orthopedagoog",
}

const h1 = (html: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1]?.trim()
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""

describe("authorisation through the web app's pages", () => {
  let gateway: Gateway
  let params: Record<string, string>
  const cookies = new Map<Caller, string>()

  /** A form sign-in as a browser does it; the session cookie (`vr_sessie=…`). */
  const signIn = async (token: string) => {
    const form = await fetch(`${gateway.base}/inloggen`)
    const formCookie = (form.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
    const reply = await fetch(`${gateway.base}/inloggen`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: gateway.base,
        cookie: formCookie,
      },
      body: new URLSearchParams({ _csrf: csrfIn(await form.text()), token }).toString(),
    })
    expect(reply.status).toBe(303)
    const session = /vr_sessie=[^;]+/.exec(reply.headers.get("set-cookie") ?? "")?.[0]
    if (session === undefined) throw new Error("no session cookie")
    return session
  }

  const get = (path: string, cookie: string | undefined) =>
    fetch(`${gateway.base}${path}`, {
      redirect: "manual",
      headers: cookie === undefined ? {} : { cookie },
    })

  /** A route pattern with real ids filled in. */
  const address = (pattern: string) =>
    pattern.replace(/:(\w+)|\*/g, (whole, name: string | undefined) => {
      const value = name === undefined ? params["*"] : params[name]
      if (value === undefined) throw new Error(`no value for ${whole} in ${pattern}: add one to the test`)
      return value
    })

  beforeAll(async () => {
    gateway = await startGateway()
    const users = {
      referrer: await gateway.user(["referrer"], [REGION], {
        organisation: `School ${REGION}`,
        partyRole: "coordinator-passend-onderwijs",
      }),
      worker: await gateway.user(["case-worker"], [REGION]),
      outsider: await gateway.user(["case-worker"], [OTHER_REGION]),
      coordinator: await gateway.user(["coordinator"], [REGION]),
      admin: await gateway.user(["admin"], [REGION]),
      school: await gateway.user(["school-verzuim"], [REGION], {
        organisation: `School ${REGION}`,
        partyRole: "coordinator-passend-onderwijs",
      }),
      orthopedagoog: await gateway.user(["orthopedagoog"], [REGION], { partyRole: "orthopedagoog-swv" }),
    }
    // The referral as the referrer sends it, and the case it opened.
    const plugin = gateway.config.regions.find((r) => r.region.id === REGION)?.plugin
    if (plugin === undefined) throw new Error(REGION)
    const receipt = await gateway.request("POST", "/referrals", {
      token: users.referrer.token,
      body: {
        ...Fixtures.referralFor(plugin, { on: TODAY }),
        regionId: REGION,
        referrer: referrerOf(users.referrer),
      } as Referral.ReferralSubmission,
    })
    expect(receipt.status, receipt.text).toBe(201)
    const stylesheet = /href="(\/static\/[^"]+)"/.exec(await (await get("/inloggen", undefined)).text())?.[1]
    params = {
      caseId: receipt.json.caseId,
      referralId: receipt.json.referralId,
      kind: "contact",
      stepId: "niet-starten",
      regionId: REGION,
      userId: users.worker.id,
      outsiderId: users.outsider.id,
      tokenId: users.worker.tokenId,
      secret: "vrl_onbekend0000000000000000",
      signalId: "sig_0000000000000000",
      file: "status.xlsx",
      "*": (stylesheet ?? "").replace("/static/", ""),
    }
    for (const [caller, user] of Object.entries(users))
      cookies.set(caller as Caller, await signIn(user.token))
  }, 60_000)
  afterAll(async () => {
    await gateway?.close()
  })

  it("lists every page the web app mounts in the table", () => {
    const pages = mountedRoutes()
      .filter((r) => r.method === "GET")
      .map((r) => r.path)
    expect(pages.filter((path) => EXPECTED[path] === undefined)).toEqual([])
    expect(Object.keys(EXPECTED).filter((path) => !pages.includes(path))).toEqual([])
    const forms = mountedRoutes()
      .filter((r) => r.method === "POST")
      .map((r) => r.path)
    expect(forms.filter((path) => POSTER[path] === undefined)).toEqual([])
  })

  it("answers every page to every caller as the table says", async () => {
    const wrong: Array<string> = []
    let asked = 0
    for (const { path: pattern } of mountedRoutes().filter((r) => r.method === "GET")) {
      const path = address(pattern)
      const expected = EXPECTED[pattern]
      if (expected === undefined) continue
      asked++
      const answers = new Map<Caller, number>()
      for (const caller of CALLERS) {
        const reply = await get(path, cookies.get(caller))
        const body = await reply.text()
        const location = reply.headers.get("location")
        answers.set(caller, reply.status)
        const seen = `${reply.status}${location === null ? "" : ` → ${location}`} "${h1(body) ?? ""}"`
        const want =
          expected === "public"
            ? undefined
            : caller === "anonymous"
              ? expected.worker === "back-home"
                ? 200
                : "sign-in-form"
              : expected[caller]
        const ok =
          want === undefined
            ? reply.status < 300 || (reply.status >= 400 && reply.status < 500)
            : want === "sign-in-form"
              ? reply.status === 303 &&
                location === (path === "/" ? "/inloggen" : `/inloggen?terug=${encodeURIComponent(path)}`)
              : want === "back-home"
                ? reply.status === 303 && location === "/"
                : want === 403
                  ? reply.status === 403 && h1(body) === "Geen toegang"
                  : want === 404
                    ? reply.status === 404 && h1(body) === "Niet gevonden"
                    : reply.status === want
        if (!ok) wrong.push(`${caller} GET ${pattern}: ${seen}, expected ${String(want ?? "not 3xx/5xx")}`)
        // Every page (HTML; not the stylesheet), whoever asks: never stored by a browser or proxy,
        // and under the pages' CSP.
        if ((reply.headers.get("content-type") ?? "").startsWith("text/html")) {
          if (reply.headers.get("cache-control") !== "no-store")
            wrong.push(`${caller} GET ${pattern}: cache-control ${reply.headers.get("cache-control")}`)
          const csp = reply.headers.get("content-security-policy") ?? ""
          if (!csp.startsWith("default-src 'none'") || /unsafe-inline|unsafe-eval/.test(csp))
            wrong.push(`${caller} GET ${pattern}: content-security-policy ${csp}`)
          if (reply.headers.get("x-frame-options") !== "DENY")
            wrong.push(`${caller} GET ${pattern}: x-frame-options ${reply.headers.get("x-frame-options")}`)
        }
      }
      // A public page is the same for everyone.
      if (expected === "public" && new Set(answers.values()).size !== 1)
        wrong.push(`GET ${pattern} differs by caller: ${JSON.stringify([...answers])}`)
    }
    expect(wrong).toEqual([])
    expect(asked).toBe(Object.keys(EXPECTED).length)
  })

  it("shows the same 'Niet gevonden' page for another region's case or referral as for an unknown id", async () => {
    const pupil = (
      await get(`/aanmeldingen/${params.referralId}`, cookies.get("referrer")).then((r) => r.text())
    ).match(/<dd>([^<]+)<\/dd>/)?.[1]
    expect(pupil).toBeTruthy()
    const unknown: Record<string, string> = {
      caseId: "case_0000000000000000",
      referralId: "ref_0000000000000000",
    }
    for (const { path: pattern } of mountedRoutes().filter((r) => r.method === "GET")) {
      const idName = /:(caseId|referralId)/.exec(pattern)?.[1]
      if (idName === undefined) continue
      const callers: ReadonlyArray<Caller> =
        idName === "referralId"
          ? ["worker", "outsider", "coordinator"]
          : // The round's pages: a case outside the caller's round (here: Westland holds none).
            pattern.startsWith("/kwartaalronde")
            ? ["orthopedagoog", "coordinator"]
            : ["outsider"]
      for (const caller of callers) {
        const real = await get(address(pattern), cookies.get(caller))
        const made = await get(
          address(pattern).replace(params[idName] as string, unknown[idName] as string),
          cookies.get(caller),
        )
        expect([real.status, made.status], `${caller} ${pattern}`).toEqual([404, 404])
        const body = await real.text()
        expect(body, `${caller} ${pattern}`).toBe(await made.text())
        expect(body).not.toContain(pupil)
      }
    }
  })

  it("shows the same 'Niet gevonden' page for another region or its user as for one that does not exist", async () => {
    for (const [caller, elsewhere, unknown] of [
      ["coordinator", `/regio/${OTHER_REGION}`, "/regio/onbekend"],
      ["coordinator", `/regio/${OTHER_REGION}/toegangslog`, "/regio/onbekend/toegangslog"],
      ["admin", `/beheer/gebruikers/${params.outsiderId}`, "/beheer/gebruikers/user_0000000000000000"],
    ] as const) {
      const [real, made] = await Promise.all([
        get(elsewhere, cookies.get(caller)),
        get(unknown, cookies.get(caller)),
      ])
      expect([real.status, made.status], elsewhere).toEqual([404, 404])
      expect(await real.text(), elsewhere).toBe(await made.text())
    }
    // Nor does another region's export answer with a file, with a valid form.
    const cookie = cookies.get("coordinator")
    const token = csrfIn(await (await get("/", cookie)).text())
    const exported = await fetch(`${gateway.base}/regio/${OTHER_REGION}/export`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: gateway.base,
        ...(cookie === undefined ? {} : { cookie }),
      },
      body: new URLSearchParams({ _csrf: token, casussen: "alle", persoonlijk: "ja" }).toString(),
    })
    expect(exported.status).toBe(404)
    expect(exported.headers.get("content-type")).toMatch(/^text\/html/)
  })

  it("refuses every form without its CSRF token or from another origin, and changes nothing", async () => {
    // The session's token from the start page, read first: the start page's inbox is an audited read.
    const tokens = new Map<string, string>()
    for (const [caller, cookie] of cookies) tokens.set(caller, csrfIn(await (await get("/", cookie)).text()))
    const before = await quickFingerprint(gateway)
    const wrong: Array<string> = []
    for (const { path: pattern } of mountedRoutes().filter((r) => r.method === "POST")) {
      const caller = POSTER[pattern] ?? "anonymous"
      const path = address(pattern)
      // The form as the caller's browser would hold it: the token of a page and the cookies.
      let cookie = cookies.get(caller)
      let token: string
      if (caller === "anonymous") {
        const form = await get("/inloggen", undefined)
        cookie = (form.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
        token = csrfIn(await form.text())
      } else token = tokens.get(caller) ?? ""
      expect(token.length, pattern).toBeGreaterThan(20)
      for (const [how, fields, origin] of [
        ["without a token", {}, gateway.base],
        ["with a wrong token", { _csrf: `${token.slice(0, -2)}xx` }, gateway.base],
        ["from another origin", { _csrf: token }, "https://kwaadwillend.example"],
      ] as const) {
        const reply = await fetch(`${gateway.base}${path}`, {
          method: "POST",
          redirect: "manual",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin,
            ...(cookie === undefined ? {} : { cookie }),
          },
          body: new URLSearchParams({ ...fields, version: "1", token: "x", email: "a@b.nl" }).toString(),
        })
        const title = h1(await reply.text())
        if (reply.status !== 403 || title !== "Formulier niet geaccepteerd")
          wrong.push(`${caller} POST ${pattern} ${how}: ${reply.status} "${title}"`)
      }
    }
    expect(wrong).toEqual([])
    expect(await quickFingerprint(gateway)).toEqual(before)
  })

  it("takes no write through the dossier's forms from a caller who may not see the case", async () => {
    // Tokens first: the start page's inbox is an audited read.
    const tokens = new Map<string, string>()
    for (const caller of ["referrer", "outsider", "admin"] as const)
      tokens.set(caller, csrfIn(await (await get("/", cookies.get(caller))).text()))
    const before = await quickFingerprint(gateway)
    const forms: ReadonlyArray<readonly [string, Record<string, string>]> = [
      [
        `/dossiers/${params.caseId}/vastleggen/contact`,
        { version: "1", on: TODAY, with: "ouder", channel: "telefoon" },
      ],
      [
        `/dossiers/${params.caseId}/stappen/niet-starten`,
        { version: "1", "outcome.kind": "verhuisd", reason: "Verhuisd naar elders" },
      ],
    ]
    const answers: Array<string> = []
    for (const [path, fields] of forms)
      for (const caller of ["referrer", "outsider", "admin"] as const) {
        const cookie = cookies.get(caller)
        const token = tokens.get(caller) ?? ""
        const reply = await fetch(`${gateway.base}${path}`, {
          method: "POST",
          redirect: "manual",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin: gateway.base,
            ...(cookie === undefined ? {} : { cookie }),
          },
          body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
        })
        answers.push(`${caller} ${reply.status} ${h1(await reply.text())}`)
      }
    expect(answers).toEqual([
      "referrer 403 Geen toegang",
      "outsider 404 Niet gevonden",
      "admin 403 Geen toegang",
      "referrer 403 Geen toegang",
      "outsider 404 Niet gevonden",
      "admin 403 Geen toegang",
    ])
    expect(await quickFingerprint(gateway)).toEqual(before)
    // The same form from the region's case worker is taken: the refusals above are the callers'.
    const cookie = cookies.get("worker") as string
    const [path, fields] = forms[0] as (typeof forms)[number]
    const taken = await fetch(`${gateway.base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: gateway.base, cookie },
      body: new URLSearchParams({
        _csrf: csrfIn(await (await get("/", cookie)).text()),
        ...fields,
      }).toString(),
    })
    expect(taken.headers.get("location")).toBe(`/dossiers/${params.caseId}?vastgelegd=contact`)
  })

  it("opens no page with a signed-out session's cookie", async () => {
    const worker = await gateway.user(["case-worker", "coordinator"], [REGION])
    const cookie = await signIn(worker.token)
    expect((await get("/werkvoorraad", cookie)).status).toBe(200)
    const out = await fetch(`${gateway.base}/uitloggen`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: gateway.base, cookie },
      body: new URLSearchParams({ _csrf: csrfIn(await (await get("/", cookie)).text()) }).toString(),
    })
    expect(out.headers.get("location")).toBe("/inloggen?uitgelogd=1")
    const opened: Array<string> = []
    for (const { path: pattern } of mountedRoutes().filter((r) => r.method === "GET")) {
      const expected = EXPECTED[pattern]
      if (expected === "public" || expected?.worker === "back-home") continue
      const path = address(pattern)
      const reply = await get(path, cookie)
      const signInAgain = path === "/" ? "/inloggen" : `/inloggen?terug=${encodeURIComponent(path)}`
      if (reply.status !== 303 || reply.headers.get("location") !== signInAgain)
        opened.push(`${pattern}: ${reply.status} ${reply.headers.get("location")}`)
    }
    expect(opened).toEqual([])
  })
})
