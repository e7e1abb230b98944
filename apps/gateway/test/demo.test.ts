/**
 * The demo data (issue 12, point 10): seeded as of a day, nothing in it happens after that day,
 * and no two organisations share a name. On the test gateway's SQLite store, with the fixed
 * `TODAY` so the check does not depend on the date the test runs.
 */
import { CaseEvent, LocalDate } from "@verzuimregie/domain"
import { Accounts, Database } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedDemo } from "../src/Demo.js"
import { type Gateway, startGateway, TODAY } from "./support/gateway.js"

let gateway: Gateway
beforeAll(async () => {
  gateway = await startGateway()
}, 60_000)
afterAll(async () => {
  await gateway?.close()
})

describe("demo data", () => {
  it("holds no event after its today and no two organisations of one name", async () => {
    await gateway.runtime.runPromise(seedDemo(gateway.config.regions, 25, TODAY))
    const organisations = await gateway.runtime.runPromise(
      Effect.flatMap(Accounts.Accounts, (a) => a.organisations()),
    )
    const names = organisations.map((o) => o.name)
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([])
    expect(names.filter((n) => n === "Schoolformaat (demo)")).toHaveLength(1)

    const rows = await gateway.runtime.runPromise(
      Effect.flatMap(
        Database.Database,
        (db) => db.sql<{ at: string; payload: string }>`SELECT at, payload FROM case_events`,
      ),
    )
    expect(rows.length).toBeGreaterThan(gateway.config.regions.length * 25)
    const late = rows.flatMap((row) => {
      const event = JSON.parse(row.payload) as CaseEvent.CaseEvent
      const dates = CaseEvent.futureDates(event, TODAY)
      return row.at.slice(0, 10) > TODAY || dates.length > 0
        ? [`${event._tag} ${row.at} ${JSON.stringify(dates)}`]
        : []
    })
    expect(late).toEqual([])
    // The demo is not empty near its today: the last weeks hold cases too.
    expect(rows.some((row) => row.at.slice(0, 10) >= LocalDate.addDays(TODAY, -14))).toBe(true)

    // Every regiehouder is a user of the case's region who may hold cases (issue 13 point 4).
    const users = await gateway.runtime.runPromise(Effect.flatMap(Accounts.Accounts, (a) => a.users()))
    const byId = new Map(users.map((u) => [u.id as string, u]))
    const held = await gateway.runtime.runPromise(
      Effect.flatMap(
        Database.Database,
        (db) =>
          db.sql<{ region_id: string; regiehouder_user_id: string | null }>`
            SELECT region_id, regiehouder_user_id FROM cases`,
      ),
    )
    expect(held.filter((c) => c.regiehouder_user_id !== null).length).toBeGreaterThan(0)
    const invalid = held.flatMap((c) => {
      if (c.regiehouder_user_id === null) return []
      const user = byId.get(c.regiehouder_user_id)
      const inRegion = user?.regions.some((r) => r === c.region_id) ?? false
      const holdsCases = user?.roles.some((r) => r === "case-worker" || r === "coordinator") ?? false
      return inRegion && holdsCases ? [] : [`${c.region_id}: ${c.regiehouder_user_id}`]
    })
    expect(invalid).toEqual([])
  }, 120_000)
})
