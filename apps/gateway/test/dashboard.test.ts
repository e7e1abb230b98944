/**
 * The region's dashboard (issue 16, points 4 and 5) on the demo data, through the API: each
 * chart's figures equal a direct query on the store written here (SQL on the tables, not the
 * dashboard's code), the jaarverslag workbook opens with SheetJS and holds the same numbers, a
 * school count under 5 is "< 5", another region is 404, a case worker 403, a bad period 422, and
 * the read is in the access log. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { Absence } from "@verzuimregie/app"
import { LocalDate } from "@verzuimregie/domain"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { type DemoUser, seedDemo } from "../src/Demo.js"
import { directSql, rank, stateOf } from "./support/dashboard.js"
import { type Gateway, skipPg, startGateway, TODAY } from "./support/gateway.js"

// SQLite always; PostgreSQL too when TEST_DATABASE_URL is set.
for (const database of ["sqlite", "pg"] as const)
  describe.skipIf(database === "pg" && skipPg())(`on ${database}`, () => {
    let gateway: Gateway
    let users: ReadonlyArray<DemoUser>

    beforeAll(async () => {
      gateway = await startGateway({ database })
      users = await gateway.runtime.runPromise(seedDemo(gateway.config.regions, 25, TODAY))
    }, 60_000)
    afterAll(async () => {
      await gateway?.close()
    })

    const coordinatorOf = (regionId: string) =>
      users.find((u) => u.email === `coordinator.${regionId}@demo.example`)?.token as string

    const sql = <A extends object>(query: Parameters<typeof directSql<A>>[1]) => directSql<A>(gateway, query)

    interface StateRow {
      readonly opened_at: string
      readonly closed_on: string | null
      readonly state: unknown
    }

    // The school year of TODAY (2026-11-16): 1 August 2026 to 31 July 2027, peildatum TODAY.
    const FROM = "2026-08-01"

    describe("the dashboard's figures equal direct queries on the store", () => {
      it("for every region of the demo", async () => {
        // Not vacuous: the demo has thuiszitters, closed cases, contacts and absence signals.
        const seen = { thuiszitters: 0, closed: 0, contacts: 0, signals: 0, small: 0 }
        for (const region of gateway.config.regions) {
          const id = region.region.id
          const reply = await gateway.request("GET", `/regions/${id}/dashboard`, { token: coordinatorOf(id) })
          expect(reply.status, reply.text).toBe(200)
          const f = reply.json
          expect(f.period).toEqual({
            key: "2026-2027",
            label: "schooljaar 2026/27",
            from: FROM,
            to: "2027-07-31",
          })
          expect(f.on).toBe(TODAY)

          // Open cases by status.
          const byStatus = await sql<{ status: string; n: number }>(
            (q) =>
              q`SELECT status, count(*) AS n FROM cases WHERE region_id = ${id} AND closed_on IS NULL GROUP BY status`,
          )
          const shown = Object.fromEntries(
            (f.openByStatus as Array<{ status: string; count: number }>)
              .filter((s) => s.count > 0)
              .map((s) => [s.status, s.count]),
          )
          expect(shown).toEqual(Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])))
          expect(byStatus.length).toBeGreaterThan(0)

          // Caseload per regiehouder on the peildatum.
          const load = await sql<{ user_id: string | null; n: number }>(
            (q) =>
              q`SELECT regiehouder_user_id AS user_id, count(*) AS n FROM cases WHERE region_id = ${id} AND (closed_on IS NULL OR closed_on > ${TODAY}) GROUP BY regiehouder_user_id`,
          )
          expect(
            Object.fromEntries(
              (f.caseload as Array<{ userId: string | null; count: number }>).map((c) => [
                String(c.userId),
                c.count,
              ]),
            ),
          ).toEqual(Object.fromEntries(load.map((r) => [String(r.user_id), Number(r.n)])))

          // Days to first contact and to start (intake), per month of referral.
          const rows = await sql<StateRow>(
            (q) => q`SELECT opened_at, closed_on, state FROM cases WHERE region_id = ${id}`,
          )
          for (const month of f.responseTimes as Array<{
            month: string
            referrals: number
            firstContact: { count: number; median: number | null; p90: number | null }
            start: { count: number; median: number | null; p90: number | null }
          }>) {
            const inMonth = rows.filter((r) =>
              LocalDate.todayInAmsterdam(new Date(r.opened_at)).startsWith(month.month),
            )
            const contact: Array<number> = []
            const start: Array<number> = []
            for (const r of inMonth) {
              const opened = LocalDate.todayInAmsterdam(new Date(r.opened_at))
              const state = stateOf<{ contacts: Array<{ on: string }>; intakeOn?: string }>(r.state)
              const first = state.contacts.map((c) => c.on).sort()[0]
              if (first !== undefined)
                contact.push(Math.max(0, LocalDate.daysBetween(opened, first as LocalDate.LocalDate)))
              if (state.intakeOn !== undefined)
                start.push(Math.max(0, LocalDate.daysBetween(opened, state.intakeOn as LocalDate.LocalDate)))
            }
            expect(month.referrals).toBe(inMonth.length)
            expect(month.firstContact).toEqual({
              count: contact.length,
              median: rank(contact, 50),
              p90: rank(contact, 90),
            })
            expect(month.start).toEqual({
              count: start.length,
              median: rank(start, 50),
              p90: rank(start, 90),
            })
          }
          expect((f.responseTimes as Array<{ month: string }>).map((m) => m.month)).toEqual([
            "2026-08",
            "2026-09",
            "2026-10",
            "2026-11",
          ])

          // Outcomes per quarter of the closing day.
          const closed = await sql<{ closed_on: string; state: unknown }>(
            (q) =>
              q`SELECT closed_on, state FROM cases WHERE region_id = ${id} AND closed_on >= ${FROM} AND closed_on <= ${TODAY}`,
          ).then((rs) =>
            rs.map((r) => ({
              closed_on: r.closed_on,
              kind: stateOf<{ closed: { outcome: { kind: string } } }>(r.state).closed.outcome.kind,
            })),
          )
          const expected: Record<string, Record<string, number>> = {}
          for (const c of closed) {
            const q = `${c.closed_on.slice(0, 4)}-Q${Math.floor((Number(c.closed_on.slice(5, 7)) - 1) / 3) + 1}`
            expected[q] = { ...expected[q], [c.kind]: (expected[q]?.[c.kind] ?? 0) + 1 }
          }
          const got: Record<string, Record<string, number>> = {}
          for (const q of f.outcomes as Array<{
            quarter: string
            total: number
            byOutcome: Array<{ outcome: string; count: number }>
          }>) {
            if (q.total > 0) got[q.quarter] = Object.fromEntries(q.byOutcome.map((o) => [o.outcome, o.count]))
            expect(q.total).toBe(q.byOutcome.reduce((s, o) => s + o.count, 0))
          }
          expect(got).toEqual(expected)

          // Thuiszitters and pact alarms of this month: the store's working lists on the peildatum.
          const now = (
            f.thuiszitters as Array<{ month: string; "2a": number; "2b": number; pactAlarm: number }>
          ).at(-1)
          expect(now?.month).toBe("2026-11")
          const lists = await gateway.request("GET", `/regions/${id}/thuiszitters?limit=100`, {
            token: coordinatorOf(id),
          })
          const items = lists.json.items as Array<{ categorie: string }>
          expect(now?.["2a"]).toBe(items.filter((i) => i.categorie === "2a").length)
          expect(now?.["2b"]).toBe(items.filter((i) => i.categorie === "2b").length)
          const pact = await gateway.request("GET", `/regions/${id}/pact-risks?limit=100`, {
            token: coordinatorOf(id),
          })
          seen.thuiszitters += (now?.["2a"] ?? 0) + (now?.["2b"] ?? 0)
          seen.closed += closed.length
          seen.contacts += (f.responseTimes as Array<{ firstContact: { count: number } }>).reduce(
            (n, m) => n + m.firstContact.count,
            0,
          )
          expect(now?.pactAlarm).toBe(
            (pact.json.items as Array<{ status: string }>).filter((i) => i.status === "alarm").length,
          )

          // Open absence signals per school and type, under 5 as "< 5".
          const signals = await sql<{ school_id: string; type: string; n: number }>(
            (q) =>
              q`SELECT school_id, type, count(*) AS n FROM absence_signals WHERE region_id = ${id} AND status IN ('nieuw', 'gezien') GROUP BY school_id, type`,
          )
          expect(
            Object.fromEntries(
              (f.signals as Array<{ schoolId: string; type: string; open: unknown }>)
                .filter((s) => s.open !== 0)
                .map((s) => [`${s.schoolId}/${s.type}`, s.open]),
            ),
          ).toEqual(
            Object.fromEntries(
              signals.map((s) => [`${s.school_id}/${s.type}`, Number(s.n) < 5 ? "< 5" : Number(s.n)]),
            ),
          )

          seen.signals += signals.length
          seen.small += signals.filter((r) => Number(r.n) < 5).length

          // The jaarverslag holds the same numbers.
          const file = await fetch(`${gateway.base}/regions/${id}/jaarverslag.xlsx?schooljaar=2026-2027`, {
            headers: { authorization: `Bearer ${coordinatorOf(id)}` },
          })
          expect(file.status).toBe(200)
          expect(file.headers.get("content-disposition")).toBe(
            `attachment; filename="jaarverslag-${id}-2026-2027.xlsx"`,
          )
          const book = XLSX.read(new Uint8Array(await file.arrayBuffer()), { type: "array" })
          expect(book.SheetNames).toEqual([
            "Verantwoording",
            "Open casussen per status",
            "Caseload per regiehouder",
            "Doorlooptijden",
            "Uitkomsten per kwartaal",
            "Thuiszitters en pact-alarmen",
            "Verzuimsignalen per school",
          ])
          const sheet = (name: string) =>
            XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[name] as XLSX.WorkSheet)
          expect(sheet("Open casussen per status").map((r) => r["Open casussen"])).toEqual(
            (f.openByStatus as Array<{ count: number }>).map((s) => s.count),
          )
          expect(sheet("Thuiszitters en pact-alarmen").map((r) => r["Pact-alarm"])).toEqual(
            (f.thuiszitters as Array<{ pactAlarm: number }>).map((m) => m.pactAlarm),
          )
          expect(sheet("Verantwoording").map((r) => r.Waarde)).toContain(region.region.name)
          expect(
            JSON.stringify(sheet("Verantwoording")).includes(region.plugin.manifest.name),
            "the workbook names the region's plug-in",
          ).toBe(true)
        }
        console.log("dashboard figures seen:", seen)
        expect(seen.thuiszitters).toBeGreaterThan(0)
        expect(seen.closed).toBeGreaterThan(0)
        expect(seen.contacts).toBeGreaterThan(0)
        expect(seen.signals).toBeGreaterThan(0)
      }, 30_000)

      it('shows a school\'s count under 5 as "< 5", and 0 and 5 as they are', () => {
        const rows = Absence.countRows(
          [
            { schoolId: "s1" as never, type: "meldplicht", status: "nieuw", count: 3 },
            { schoolId: "s1" as never, type: "meldplicht", status: "afgehandeld" as never, count: 9 },
            { schoolId: "s2" as never, type: "meldplicht", status: "nieuw", count: 4 },
            { schoolId: "s2" as never, type: "meldplicht", status: "gezien", count: 1 },
            { schoolId: "s3" as never, type: "meldplicht", status: "afgehandeld" as never, count: 2 },
          ],
          (id) => `School ${id}`,
        )
        expect(rows.map((r) => [r.schoolId, r.open])).toEqual([
          ["s1", "< 5"],
          ["s2", 5],
          ["s3", 0],
        ])
      })
    })

    describe("who may see a region's dashboard", () => {
      it("another region is 404, a case worker 403, a bad period 422, and the read is logged", async () => {
        const [own, other] = gateway.config.regions.map((r) => r.region.id)
        const token = coordinatorOf(own as string)
        expect((await gateway.request("GET", `/regions/${other}/dashboard`, { token })).status).toBe(404)
        expect((await gateway.request("GET", `/regions/${other}/jaarverslag.xlsx`, { token })).status).toBe(
          404,
        )
        expect((await gateway.request("GET", "/regions/nergens/dashboard", { token })).status).toBe(404)
        const worker = users.find((u) => u.email === `regie.${own}@demo.example`)?.token as string
        expect((await gateway.request("GET", `/regions/${own}/dashboard`, { token: worker })).status).toBe(
          403,
        )
        const bad = await gateway.request("GET", `/regions/${own}/dashboard?kwartaal=2026-Q5`, { token })
        expect(bad.status).toBe(422)
        expect(bad.text).toContain("Geef een kwartaal als 2026-Q1.")
        const quarter = await gateway.request("GET", `/regions/${own}/dashboard?kwartaal=2026-Q3`, { token })
        expect(quarter.status).toBe(200)
        expect(quarter.json.period).toMatchObject({ from: "2026-07-01", to: "2026-09-30" })
        expect((quarter.json.responseTimes as Array<{ month: string }>).map((m) => m.month)).toEqual([
          "2026-07",
          "2026-08",
          "2026-09",
        ])
        const months = await gateway.request("GET", `/regions/${own}/dashboard?van=2026-10&tot=2026-11`, {
          token,
        })
        expect(months.json.period).toMatchObject({ from: "2026-10-01", to: "2026-11-30" })
        const logged = await sql<{ context: string; action: string }>(
          (q) =>
            q`SELECT context, action FROM audit_log WHERE region_id = ${own as string} AND record_type = 'report'`,
        )
        expect(logged.map((l) => `${l.action} ${l.context}`)).toEqual(
          expect.arrayContaining(["read api.report.read:dashboard", "export api.report.export:jaarverslag"]),
        )
      }, 20_000)
    })
  })
