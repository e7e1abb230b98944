/**
 * The jaarverslag of a plug-in (issue 16, point 4): one workbook over all of a coordinator's
 * regions that run one plug-in. On a configuration with two Er op af regions and Westland, its
 * numbers equal direct SQL over both Er op af regions' cases: counts summed, medians and 90th
 * percentiles recomputed over all their cases together; thuiszitters per case by its own region's
 * rules (the sum of the regions' own dashboards); a coordinator without the plug-in gets 404.
 * On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { fileURLToPath } from "node:url"
import { LocalDate } from "@verzuimregie/domain"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { type DemoUser, seedDemo } from "../src/Demo.js"
import { directSql, rank, stateOf } from "./support/dashboard.js"
import { type Gateway, skipPg, startGateway, TODAY } from "./support/gateway.js"

const CONFIG = fileURLToPath(new URL("./fixtures/two-er-op-af.yaml", import.meta.url))
const ER_OP_AF = ["leidschendam-voorburg", "zoetermeer"] as const
const FROM = "2026-08-01"

for (const database of ["sqlite", "pg"] as const)
  describe.skipIf(database === "pg" && skipPg())(`on ${database}`, () => {
    let gateway: Gateway
    let users: ReadonlyArray<DemoUser>
    let both: string

    beforeAll(async () => {
      gateway = await startGateway({ database, configFile: CONFIG })
      users = await gateway.runtime.runPromise(seedDemo(gateway.config.regions, 25, TODAY))
      // A coordinator of all three regions: the report covers only the two that run Er op af.
      both = (await gateway.user(["coordinator"], ["leidschendam-voorburg", "zoetermeer", "westland"])).token
    }, 60_000)
    afterAll(async () => {
      await gateway?.close()
    })

    const sql = <A extends object>(query: Parameters<typeof directSql<A>>[1]) => directSql<A>(gateway, query)
    const [LV, ZM] = ER_OP_AF

    it("holds the figures over both regions' cases, as direct SQL computes them", async () => {
      const file = await fetch(`${gateway.base}/plugins/er-op-af/jaarverslag.xlsx?schooljaar=2026-2027`, {
        headers: { authorization: `Bearer ${both}` },
      })
      expect(file.status).toBe(200)
      expect(file.headers.get("content-disposition")).toBe(
        'attachment; filename="jaarverslag-plugin-er-op-af-2026-2027.xlsx"',
      )
      const book = XLSX.read(new Uint8Array(await file.arrayBuffer()), { type: "array" })
      const sheet = (name: string) =>
        XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[name] as XLSX.WorkSheet)
      const regionOf = (id: string) => gateway.config.regions.find((r) => r.region.id === id)
      const names = ER_OP_AF.map((id) => regionOf(id)?.region.name as string)

      // The overview names the plug-in and the regions it covers, not Westland.
      const overview = Object.fromEntries(sheet("Verantwoording").map((r) => [r.Onderdeel, r.Waarde]))
      expect(String(overview["Werkwijze (plug-in)"])).toContain(regionOf(LV)?.plugin.manifest.name)
      expect(overview["Regio's"]).toBe(names.join(", "))
      expect(JSON.stringify(overview)).not.toContain("Westland")

      // Open cases by status, summed over both regions.
      const byStatus = await sql<{ status: string; n: number }>(
        (q) =>
          q`SELECT status, count(*) AS n FROM cases WHERE region_id IN (${LV}, ${ZM}) AND closed_on IS NULL GROUP BY status`,
      )
      const label = new Map(regionOf(LV)?.plugin.workflow.states.map((s) => [s.id as string, s.label]))
      expect(
        Object.fromEntries(
          sheet("Open casussen per status")
            .filter((r) => r["Open casussen"] !== 0)
            .map((r) => [r.Status, r["Open casussen"]]),
        ),
      ).toEqual(Object.fromEntries(byStatus.map((r) => [label.get(r.status) ?? r.status, Number(r.n)])))
      const perRegion = await sql<{ region_id: string; n: number }>(
        (q) =>
          q`SELECT region_id, count(*) AS n FROM cases WHERE region_id IN (${LV}, ${ZM}) AND closed_on IS NULL GROUP BY region_id`,
      )
      expect(perRegion.length, "both regions have open cases").toBe(2)

      // Caseload: one row per regiehouder and region, labelled with its region.
      const load = await sql<{ region_id: string; user_id: string | null; n: number }>(
        (q) =>
          q`SELECT region_id, regiehouder_user_id AS user_id, count(*) AS n FROM cases WHERE region_id IN (${LV}, ${ZM}) AND (closed_on IS NULL OR closed_on > ${TODAY}) GROUP BY region_id, regiehouder_user_id`,
      )
      const caseload = sheet("Caseload per regiehouder")
      expect(caseload.length).toBe(load.length)
      for (const id of ER_OP_AF) {
        const name = regionOf(id)?.region.name as string
        const rows = caseload.filter((r) => String(r.Regiehouder).endsWith(`(${name})`))
        expect(rows.map((r) => r["Open casussen"]).sort()).toEqual(
          load
            .filter((l) => l.region_id === id)
            .map((l) => Number(l.n))
            .sort(),
        )
      }

      // Days to first contact and to start: recomputed over all cases of both regions.
      const rows = await sql<{ opened_at: string; state: unknown }>(
        (q) => q`SELECT opened_at, state FROM cases WHERE region_id IN (${LV}, ${ZM})`,
      )
      const months = ["2026-08", "2026-09", "2026-10", "2026-11"]
      const times = sheet("Doorlooptijden")
      expect(times.length).toBe(months.length)
      let medians = 0
      for (const [i, month] of months.entries()) {
        const contact: Array<number> = []
        const start: Array<number> = []
        const inMonth = rows.filter((r) =>
          LocalDate.todayInAmsterdam(new Date(r.opened_at)).startsWith(month),
        )
        for (const r of inMonth) {
          const opened = LocalDate.todayInAmsterdam(new Date(r.opened_at))
          const state = stateOf<{ contacts: Array<{ on: string }>; intakeOn?: string }>(r.state)
          const first = state.contacts.map((c) => c.on).sort()[0]
          if (first !== undefined)
            contact.push(Math.max(0, LocalDate.daysBetween(opened, first as LocalDate.LocalDate)))
          if (state.intakeOn !== undefined)
            start.push(Math.max(0, LocalDate.daysBetween(opened, state.intakeOn as LocalDate.LocalDate)))
        }
        const row = times[i] as Record<string, unknown>
        const got = (column: string) => (row[column] as number | undefined) ?? null
        expect({
          referrals: got("Aanmeldingen"),
          contact: got("Met eerste contact"),
          contactMedian: got("Eerste contact mediaan"),
          contactP90: got("Eerste contact P90"),
          start: got("Gestart"),
          startMedian: got("Start mediaan"),
          startP90: got("Start P90"),
        }).toEqual({
          referrals: inMonth.length,
          contact: contact.length,
          contactMedian: rank(contact, 50),
          contactP90: rank(contact, 90),
          start: start.length,
          startMedian: rank(start, 50),
          startP90: rank(start, 90),
        })
        if (rank(contact, 50) !== null) medians++
      }
      expect(medians, "some month has a median").toBeGreaterThan(0)

      // Outcomes per quarter: the totals of both regions' closed cases.
      const closed = await sql<{ closed_on: string }>(
        (q) =>
          q`SELECT closed_on FROM cases WHERE region_id IN (${LV}, ${ZM}) AND closed_on >= ${FROM} AND closed_on <= ${TODAY}`,
      )
      expect(closed.length).toBeGreaterThan(0)
      expect(sheet("Uitkomsten per kwartaal").reduce((n, r) => n + Number(r.Totaal), 0)).toBe(closed.length)

      // Thuiszitters: each case by its own region's rules, so the sum of the regions' dashboards.
      const dashboards = await Promise.all(
        ER_OP_AF.map(async (id) => {
          const reply = await gateway.request("GET", `/regions/${id}/dashboard?schooljaar=2026-2027`, {
            token: both,
          })
          expect(reply.status).toBe(200)
          return reply.json.thuiszitters as Array<{ "2a": number; "2b": number; pactAlarm: number }>
        }),
      )
      const home = sheet("Thuiszitters en pact-alarmen")
      expect(home.map((r) => [r["Thuiszitters 2a"], r["Thuiszitters 2b"], r["Pact-alarm"]])).toEqual(
        months.map((_, i) =>
          ["2a", "2b", "pactAlarm"].map((k) =>
            dashboards.reduce((n, d) => n + (d[i]?.[k as "2a" | "2b" | "pactAlarm"] ?? 0), 0),
          ),
        ),
      )
      expect(
        home.reduce((n, r) => n + Number(r["Thuiszitters 2a"]) + Number(r["Thuiszitters 2b"]), 0),
      ).toBeGreaterThan(0)

      // Open absence signals per school and type over both regions, under 5 as "< 5".
      const signals = await sql<{ n: number }>(
        (q) =>
          q`SELECT count(*) AS n FROM absence_signals WHERE region_id IN (${LV}, ${ZM}) AND status IN ('nieuw', 'gezien') GROUP BY school_id, type`,
      )
      expect(signals.length).toBeGreaterThan(0)
      expect(
        sheet("Verzuimsignalen per school")
          .map((r) => r["Open signalen"])
          .filter((n) => n !== "0")
          .sort(),
      ).toEqual(signals.map((s) => (Number(s.n) < 5 ? "< 5" : String(Number(s.n)))).sort())

      // Audited as an export of each region's report, not of Westland's.
      const logged = await sql<{ region_id: string }>(
        (q) =>
          q`SELECT region_id FROM audit_log WHERE record_type = 'report' AND context = 'api.report.export:jaarverslag-plugin'`,
      )
      expect(logged.map((l) => l.region_id).sort()).toEqual([...ER_OP_AF].sort())
    }, 60_000)

    it("is 404 for a coordinator without a region of the plug-in, 403 for a case worker", async () => {
      const token = (email: string) => users.find((u) => u.email === email)?.token as string
      const westland = token("coordinator.westland@demo.example")
      const path = "/plugins/er-op-af/jaarverslag.xlsx"
      expect((await gateway.request("GET", path, { token: westland })).status).toBe(404)
      expect(
        (await gateway.request("GET", "/plugins/westland/jaarverslag.xlsx", { token: westland })).status,
      ).toBe(200)
      expect(
        (await gateway.request("GET", "/plugins/nergens/jaarverslag.xlsx", { token: both })).status,
      ).toBe(404)
      const worker = token(`regie.${LV}@demo.example`)
      expect((await gateway.request("GET", path, { token: worker })).status).toBe(403)
      const bad = await gateway.request("GET", `${path}?schooljaar=2026`, { token: both })
      expect(bad.status).toBe(422)
    }, 30_000)

    /** A form sign-in as a browser does it; the session cookie (`vr_sessie=…`). */
    const signIn = async (token: string) => {
      const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""
      const form = await fetch(`${gateway.base}/inloggen`)
      const reply = await fetch(`${gateway.base}/inloggen`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: gateway.base,
          cookie: (form.headers.get("set-cookie") ?? "").split(";")[0] ?? "",
        },
        body: new URLSearchParams({ _csrf: csrfIn(await form.text()), token }).toString(),
      })
      expect(reply.status).toBe(303)
      return /vr_sessie=[^;]+/.exec(reply.headers.get("set-cookie") ?? "")?.[0] ?? ""
    }

    it("is linked from the web dashboard when the plug-in runs in more than one own region", async () => {
      const cookie = await signIn(both)
      const page = await fetch(`${gateway.base}/regio/dashboard?regio=${ZM}`, { headers: { cookie } })
      expect(page.status).toBe(200)
      const href = "/regio/jaarverslag.xlsx?plugin=er-op-af&amp;schooljaar=2026-2027"
      const html = await page.text()
      expect(html).toContain(href)
      expect(html).toContain("over Leidschendam-Voorburg, Zoetermeer samen")
      const file = await fetch(`${gateway.base}${href.replace("&amp;", "&")}`, { headers: { cookie } })
      expect(file.status).toBe(200)
      expect(file.headers.get("content-disposition")).toContain("jaarverslag-plugin-er-op-af-2026-2027.xlsx")
      // Westland is the only region of its plug-in here: no such link.
      const alone = await fetch(`${gateway.base}/regio/dashboard?regio=westland`, { headers: { cookie } })
      expect(await alone.text()).not.toContain("plugin=")
      // A coordinator without Er op af: 404.
      const westland = await signIn(
        users.find((u) => u.email === "coordinator.westland@demo.example")?.token ?? "",
      )
      const refused = await fetch(`${gateway.base}/regio/jaarverslag.xlsx?plugin=er-op-af`, {
        headers: { cookie: westland },
      })
      expect(refused.status).toBe(404)
    }, 30_000)
  })
