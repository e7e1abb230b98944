/**
 * Defects found by walking the regions (issue 13 point 4), over real HTTP: the regiehouder is a
 * user of the region (an intake naming someone else or a bare name is refused, so the case stays
 * in the `?regiehouder=` list), moving the regie is an explicit event for a coordinator or the
 * current regiehouder; a Westland handover ends the running help in the closing event; a refusal's
 * reason is kept in the case. SQLite always, PostgreSQL with TEST_DATABASE_URL.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { Database } from "@verzuimregie/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, referrerOf, skipPg, startGateway, TODAY } from "./support/gateway.js"

const REGION = "westland"

describe.each(["sqlite", "pg"] as const)("regie, handover and refusals over HTTP on %s", (database) => {
  describe.skipIf(database === "pg" && skipPg())("", () => {
    let gateway: Gateway
    beforeAll(async () => {
      gateway = await startGateway({ database })
    }, 60_000)
    afterAll(async () => {
      await gateway?.close()
    })

    const open = async () => {
      const referrer = await gateway.user(["referrer"], [REGION], {
        organisation: "School regie",
        partyRole: "coordinator-passend-onderwijs",
      })
      const plugin = gateway.config.regions.find((r) => r.region.id === REGION)?.plugin
      if (plugin === undefined) throw new Error(REGION)
      const body = {
        ...Fixtures.referralFor(plugin, { on: TODAY }),
        regionId: REGION,
        referrer: referrerOf(referrer),
      } as Referral.ReferralSubmission
      const created = await gateway.request("POST", "/referrals", { token: referrer.token, body })
      expect(created.status, created.text).toBe(201)
      return created.json.caseId as string
    }

    const client = (caseId: string) => {
      let version = 1
      const post = async (path: string, token: string, body: Record<string, unknown>) => {
        const reply = await gateway.request("POST", `/cases/${caseId}/${path}`, {
          token,
          body: { expectedVersion: version, ...body },
        })
        if (reply.status === 200 || reply.status === 201) version = reply.json.version
        return reply
      }
      return {
        log: (token: string, event: Record<string, unknown>) => post("events", token, { event }),
        transition: (token: string, transition: string, extra: Record<string, unknown> = {}) =>
          post("transitions", token, { transition, ...extra }),
      }
    }

    const listed = async (token: string, userId: string) => {
      const reply = await gateway.request("GET", `/cases?regiehouder=${userId}`, { token })
      expect(reply.status, reply.text).toBe(200)
      return reply.json.items.map((i: { id?: string; caseId?: string }) => i.caseId ?? i.id)
    }

    it("keeps the regiehouder a user of the region; only a coordinator or the regiehouder moves the regie", async () => {
      const worker = await gateway.user(["case-worker"], [REGION], { name: "Casusregisseur Een" })
      const colleague = await gateway.user(["case-worker"], [REGION], { name: "Casusregisseur Twee" })
      const coordinator = await gateway.user(["coordinator"], [REGION], { name: "Coördinator Westland" })
      const elsewhere = await gateway.user(["case-worker"], ["amstelland-meerlanden"])
      const referrerUser = await gateway.user(["referrer"], [REGION])
      const caseId = await open()
      const c = client(caseId)
      const ref = (user: { id: string }) => ({ name: "Getypt", role: "smw-verzuim", userId: user.id })

      const assigned = await c.log(worker.token, { _tag: "RegiehouderAssigned", regiehouder: ref(worker) })
      expect(assigned.status, assigned.text).toBe(201)
      expect(await listed(coordinator.token, worker.id)).toEqual([caseId])

      // The defect: an intake with a name and no user id replaced the regiehouder.
      const bareName = await c.log(worker.token, {
        _tag: "IntakeCompleted",
        on: TODAY,
        regiehouder: { name: "Alleen een naam", role: "smw-verzuim" },
      })
      expect(bareName.status).toBe(422)
      expect(JSON.stringify(bareName.json.errors)).toContain("userId")
      const other = await c.log(worker.token, {
        _tag: "IntakeCompleted",
        on: TODAY,
        regiehouder: ref(colleague),
      })
      expect(other.status).toBe(409)
      expect(other.json.detail).toContain("Regiehouder gewisseld")
      expect(await listed(coordinator.token, worker.id)).toEqual([caseId])

      // A user outside the region, or one who may not hold cases, is no regiehouder.
      for (const user of [elsewhere, referrerUser]) {
        const refused = await c.log(coordinator.token, {
          _tag: "RegiehouderChanged",
          regiehouder: ref(user),
          reason: "Werkverdeling",
        })
        expect(refused.status, refused.text).toBe(422)
        expect(refused.json.errors[0].path).toBe("event.regiehouder.userId")
      }

      // A colleague cannot take the regie; the coordinator can give it.
      const taken = await c.log(colleague.token, {
        _tag: "RegiehouderChanged",
        regiehouder: ref(colleague),
        reason: "Ik neem het over",
      })
      expect(taken.status).toBe(409)
      expect(taken.json.detail).toBe(
        "alleen een coördinator of de huidige regiehouder kan de regie overdragen",
      )
      const moved = await c.log(coordinator.token, {
        _tag: "RegiehouderChanged",
        regiehouder: ref(colleague),
        reason: "Verlof",
      })
      expect(moved.status, moved.text).toBe(201)
      expect(await listed(coordinator.token, worker.id)).toEqual([])
      expect(await listed(coordinator.token, colleague.id)).toEqual([caseId])

      // The regiehouder hands the regie back; the account's name replaces what was typed.
      const back = await c.log(colleague.token, {
        _tag: "RegiehouderChanged",
        regiehouder: ref(worker),
        reason: "Terug van verlof",
      })
      expect(back.status, back.text).toBe(201)
      const detail = await gateway.request("GET", `/cases/${caseId}`, { token: coordinator.token })
      expect(detail.json.case.regiehouder).toMatchObject({ name: "Casusregisseur Een", userId: worker.id })
      const timeline = await gateway.request("GET", `/cases/${caseId}/events`, { token: coordinator.token })
      expect(timeline.json.filter((e: { label: string }) => e.label === "Regiehouder gewisseld").length).toBe(
        2,
      )
      // Each change is audited under the user who made it, in the same transaction as the event.
      const audited = await gateway.runtime.runPromise(
        Effect.flatMap(
          Database.Database,
          (db) => db.sql<{ user_id: string; context: string | null }>`
            SELECT user_id, context FROM audit_log WHERE record_id = ${caseId} AND action = 'update'`,
        ),
      )
      expect(audited.filter((r) => r.context?.endsWith(":regiehouderchanged")).map((r) => r.user_id)).toEqual(
        [coordinator.id, colleague.id],
      )
    })

    it("ends the running help in the closing event of a Westland handover", async () => {
      const worker = await gateway.user(["case-worker"], [REGION])
      const caseId = await open()
      const c = client(caseId)
      const regiehouder = { name: "SMW", role: "smw-verzuim", userId: worker.id }
      expect((await c.log(worker.token, { _tag: "RegiehouderAssigned", regiehouder })).status).toBe(201)
      expect((await c.transition(worker.token, "start-regie")).status).toBe(200)
      for (const role of ["coordinator-passend-onderwijs", "ouder", "leerling"])
        await c.log(worker.token, { _tag: "ContactLogged", on: TODAY, with: role, channel: "gesprek" })
      const intervention = {
        id: "int_regievuhp00001",
        catalogueCode: "vuhp",
        label: "VUHP",
        startedOn: TODAY,
      }
      expect((await c.log(worker.token, { _tag: "InterventionStarted", intervention })).status).toBe(201)
      expect((await c.transition(worker.token, "hulp-inzetten")).status).toBe(200)
      const to = { name: "Jeugdteam Westland", role: "hulpverlener" }
      await c.log(worker.token, { _tag: "HandedOver", on: TODAY, to, referrerInformedOn: TODAY })
      const closed = await c.transition(worker.token, "overdragen", { outcome: { kind: "overgedragen" } })
      expect(closed.status, closed.text).toBe(200)
      const detail = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
      expect(detail.json.case.interventions).toEqual([
        expect.objectContaining({ id: intervention.id, endedOn: TODAY, result: "overgedragen" }),
      ])
    })

    it("keeps the reason of a refusal in the case (niet-starten)", async () => {
      const worker = await gateway.user(["case-worker"], [REGION])
      const caseId = await open()
      const c = client(caseId)
      const without = await c.transition(worker.token, "niet-starten", { outcome: { kind: "anders" } })
      expect(without.status).toBe(409)
      expect(without.json.reasons).toEqual(["geef een reden op"])
      const reason = "Ouders willen geen traject"
      const refused = await c.transition(worker.token, "niet-starten", {
        outcome: { kind: "anders" },
        reason,
      })
      expect(refused.status, refused.text).toBe(200)
      const detail = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
      expect(detail.json.case.closed).toEqual({ on: TODAY, outcome: { kind: "anders" }, reason })
    })
  })
})
