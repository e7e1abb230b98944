/**
 * The whole path of each region over real HTTP: referral → case → contact → meeting → agreement →
 * action → transition → close, refusals included, as a referrer, a case worker and a coordinator
 * would take it.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Gateway, type ReferrerAccount, referrerOf, startGateway, TODAY } from "./support/gateway.js"

let gateway: Gateway
beforeAll(async () => {
  gateway = await startGateway()
})
afterAll(async () => {
  await gateway.close()
})

const pluginOf = (regionId: string) => {
  const region = gateway.config.regions.find((r) => r.region.id === regionId)
  if (region === undefined) throw new Error(regionId)
  return region.plugin
}

/** A referral the region's plug-in accepts, from the referrer's organisation. */
const referralFor = (
  regionId: string,
  account: ReferrerAccount,
  patch: Partial<Referral.ReferralSubmission> = {},
) => {
  const base = Fixtures.referralFor(pluginOf(regionId), { on: TODAY })
  return {
    ...base,
    regionId,
    referrer: referrerOf(account),
    ...patch,
  } as Referral.ReferralSubmission
}

/** Drives one case over HTTP, keeping track of its version like a client would. */
const caseClient = (token: string, caseId: string, version: number) => {
  let current = version
  return {
    get version() {
      return current
    },
    async log(event: Record<string, unknown>, expected = 201) {
      const reply = await gateway.request("POST", `/cases/${caseId}/events`, {
        token,
        body: { expectedVersion: current, event },
      })
      expect(reply.status, `${String(event._tag)}: ${reply.text}`).toBe(expected)
      if (reply.status === 201) current = reply.json.version
      return reply
    },
    async transition(transition: string, extra: Record<string, unknown> = {}) {
      const reply = await gateway.request("POST", `/cases/${caseId}/transitions`, {
        token,
        body: { expectedVersion: current, transition, ...extra },
      })
      if (reply.status === 200) current = reply.json.version
      return reply
    },
  }
}

const staff = (name: string, role: string) => ({ name, role })

describe.each([
  ["leidschendam-voorburg", "coordinator-passend-onderwijs"],
  ["westland", "coordinator-passend-onderwijs"],
  ["amstelland-meerlanden", "coordinator-passend-onderwijs"],
])("region %s", (regionId, referrerRole) => {
  it("takes a referral through to a closed case", async () => {
    const school = `School ${regionId}`
    const referrer = await gateway.user(["referrer"], [regionId], {
      organisation: school,
      partyRole: referrerRole as never,
    })
    const worker = await gateway.user(["case-worker"], [regionId], {
      organisation: `Regie ${regionId}`,
      partyRole: regionId === "amstelland-meerlanden" ? "casemanager-swv" : "smw-verzuim",
    })
    const coordinator = await gateway.user(["coordinator"], [regionId], { organisation: `Regie ${regionId}` })

    // The referral opens the case in the region's first state.
    const submitted = await gateway.request("POST", "/referrals", {
      token: referrer.token,
      body: referralFor(regionId, referrer),
    })
    expect(submitted.status, submitted.text).toBe(201)
    const { caseId } = submitted.json
    expect(submitted.json.status.id).toBe(pluginOf(regionId).workflow.initial)

    // The referrer follows the status, but never reads the case file.
    const own = await gateway.request("GET", "/referrals", { token: referrer.token })
    expect(own.json.items.map((i: { caseId: string }) => i.caseId)).toEqual([caseId])
    expect((await gateway.request("GET", `/cases/${caseId}`, { token: referrer.token })).status).toBe(403)

    const c = caseClient(worker.token, caseId, 1)
    const regiehouder = {
      name: "Regiehouder Synthetisch",
      role: regionId === "amstelland-meerlanden" ? "casemanager-swv" : "smw-verzuim",
      userId: worker.id,
    }
    const on = TODAY
    const meeting = (id: string, kind: string, participants: Array<Record<string, unknown>>) => ({
      _tag: "MeetingHeld",
      meeting: { id, kind, heldOn: on, participants, reportFiled: true },
    })
    const closeWith = async (transition: string, outcome: string, finalStatus = "afgesloten") => {
      const refused = await c.transition(transition)
      expect(refused.status).toBe(409)
      expect(refused.json.reasons).toContain("kies een uitkomst om de casus af te sluiten")
      const closed = await c.transition(transition, { outcome: { kind: outcome } })
      expect(closed.status, closed.text).toBe(200)
      expect(closed.json.status.id).toBe(finalStatus)
    }

    if (regionId === "leidschendam-voorburg") {
      const early = await c.transition("start-kennismaking")
      expect(early.status).toBe(409)
      expect(early.headers.get("content-type")).toBe("application/problem+json")
      expect(early.json.reasons).toEqual(["nog geen regiehouder"])
      await c.log({ _tag: "RegiehouderAssigned", regiehouder })
      expect((await c.transition("start-kennismaking")).status).toBe(200)
      await c.log({ _tag: "IntakeCompleted", on, regiehouder })
      for (const role of [referrerRole, "ouder", "leerling"])
        await c.log({ _tag: "ContactLogged", on, with: role, channel: "telefoon" })
      expect((await c.transition("start-traject")).status).toBe(200)
      await c.log({ _tag: "HomeVisitDone", on, attendees: ["leerling", "ouder"] })
      await c.log(
        meeting("mtg_netwerkoverleg01", "netwerkoverleg", [
          staff("Mentor", "mentor"),
          staff("Jeugdverpleegkundige", "jeugdverpleegkundige"),
          staff("Leerplichtambtenaar", "leerplichtambtenaar"),
        ]),
      )
      await c.log({
        _tag: "AgreementMade",
        agreement: {
          id: "agr_opbouwrooster1",
          meetingId: "mtg_netwerkoverleg01",
          madeOn: on,
          description: "Opbouwrooster",
          parties: ["mentor"],
        },
      })
      await c.log({
        _tag: "ActionAssigned",
        action: {
          id: "act_opbouwrooster1",
          description: "Rooster maken",
          owner: staff("Mentor", "mentor"),
          dueOn: on,
          agreementId: "agr_opbouwrooster1",
        },
      })
      await c.log({
        _tag: "AttendanceRecorded",
        situation: "gedeeltelijk-naar-school",
        since: on,
        fittingOffer: true,
      })
      expect((await c.transition("naar-nazorg")).status).toBe(200)
      await c.log({ _tag: "ActionCompleted", actionId: "act_opbouwrooster1", on })
      await c.log({ _tag: "AttendanceRecorded", situation: "naar-school", since: on, fittingOffer: true })
      await closeWith("afsluiten", "verzuim-opgelost")
    }

    if (regionId === "westland") {
      await c.log({ _tag: "RegiehouderAssigned", regiehouder })
      expect((await c.transition("start-regie")).status).toBe(200)
      for (const role of [referrerRole, "ouder", "leerling"])
        await c.log({ _tag: "ContactLogged", on, with: role, channel: "gesprek" })
      await c.log(
        meeting("mtg_westlandoverleg1", "mdo", [staff("Jeugdarts", "jeugdarts"), staff("Ouder", "ouder")]),
      )
      await c.log({
        _tag: "AgreementMade",
        agreement: {
          id: "agr_westlandhulp01",
          meetingId: "mtg_westlandoverleg1",
          madeOn: on,
          description: "Jongerencoaching inzetten",
          parties: ["smw-verzuim"],
        },
      })
      await c.log({
        _tag: "ActionAssigned",
        action: {
          id: "act_westlandhulp01",
          description: "Coach regelen",
          owner: staff("SMW", "smw-verzuim"),
          dueOn: on,
          agreementId: "agr_westlandhulp01",
        },
      })
      await c.log(
        {
          _tag: "InterventionStarted",
          intervention: { id: "int_westlandcoach1", catalogueCode: "pleegzorg-x", label: "X", startedOn: on },
        },
        409,
      )
      await c.log({
        _tag: "InterventionStarted",
        intervention: {
          id: "int_westlandcoach1",
          catalogueCode: "jongerencoaching",
          label: "Jongerencoaching",
          startedOn: on,
        },
      })
      expect((await c.transition("hulp-inzetten")).status).toBe(200)
      await c.log({ _tag: "ActionCompleted", actionId: "act_westlandhulp01", on })
      await c.log({ _tag: "HandedOver", on, to: staff("Jeugdteam Westland", "hulpverlener") })
      const notYet = await c.transition("overdragen", { outcome: { kind: "overgedragen" } })
      expect(notYet.json.reasons).toEqual(["aanmelder nog niet geïnformeerd over de overdracht"])
      await c.log({
        _tag: "HandedOver",
        on,
        to: staff("Jeugdteam Westland", "hulpverlener"),
        referrerInformedOn: on,
      })
      await closeWith("overdragen", "overgedragen", "overgedragen")
    }

    if (regionId === "amstelland-meerlanden") {
      await c.log({ _tag: "RegiehouderAssigned", regiehouder })
      expect((await c.transition("start-uitgebreid")).status).toBe(200)
      for (const role of [referrerRole, "ouder"])
        await c.log({ _tag: "ContactLogged", on, with: role, channel: "telefoon" })
      await c.log(
        meeting("mtg_amstellandmdo01", "mdo", [
          staff("Ouder", "ouder"),
          staff("Zorgcoördinator", referrerRole),
        ]),
      )
      expect((await c.transition("na-mdo")).status).toBe(200)
      expect((await c.transition("start-doorbraakaanpak")).status).toBe(200)
      await c.log(
        meeting("mtg_doorbraak00001", "doorbraakoverleg", [
          { ...staff("LPA", "leerplichtambtenaar"), mandated: true },
          { ...staff("Jeugdarts", "jeugdarts"), mandated: true },
          { ...staff("Casemanager", "casemanager-swv"), mandated: true },
          { ...staff("Jeugdhulp", "hulpverlener"), mandated: true },
        ]),
      )
      await c.log({
        _tag: "AgreementMade",
        agreement: {
          id: "agr_arrangement001",
          meetingId: "mtg_doorbraak00001",
          madeOn: on,
          description: "Onderwijs-zorgarrangement",
          parties: ["casemanager-swv"],
        },
      })
      const stuck = await c.transition("na-doorbraakoverleg")
      expect(stuck.json.reasons).toEqual(["1 afspraak/afspraken zonder actie"])
      await c.log({
        _tag: "ActionAssigned",
        action: {
          id: "act_arrangement001",
          description: "Arrangement regelen",
          owner: staff("Casemanager", "casemanager-swv"),
          dueOn: on,
          agreementId: "agr_arrangement001",
        },
      })
      expect((await c.transition("na-doorbraakoverleg")).status).toBe(200)
      await c.log({ _tag: "ActionCompleted", actionId: "act_arrangement001", on })
      await c.log({
        _tag: "AttendanceRecorded",
        situation: "gedeeltelijk-naar-school",
        since: on,
        fittingOffer: true,
      })
      await closeWith("afsluiten", "onderwijs-zorgarrangement")
    }

    // The closed case, its timeline, and what the referrer now sees.
    const detail = await gateway.request("GET", `/cases/${caseId}`, { token: coordinator.token })
    expect(detail.status).toBe(200)
    expect(detail.json.case.closed).toBeDefined()
    expect(detail.json.case.version).toBe(c.version)
    const timeline = await gateway.request("GET", `/cases/${caseId}/events`, { token: coordinator.token })
    expect(timeline.json).toHaveLength(c.version)
    expect(timeline.json[0].label).toBe("Aanmelding ontvangen")
    expect(timeline.json.at(-1).event._tag).toBe("CaseClosed")
    const status = await gateway.request("GET", `/referrals/${submitted.json.referralId}`, {
      token: referrer.token,
    })
    expect(status.json.status.id).toBe(regionId === "westland" ? "overgedragen" : "afgesloten")
    expect(status.json.closedOn).toBe(TODAY)

    // Every read and write of the case left an audit record, under the user and the request id.
    const audit = await gateway.request("GET", `/audit?recordId=${caseId}&limit=500`, {
      token: coordinator.token,
    })
    const actions = audit.json.items.map((r: { action: string }) => r.action)
    expect(actions).toContain("create")
    expect(actions.filter((a: string) => a === "update").length).toBe(c.version - 1)
    expect(actions).toContain("read")
    expect(audit.json.items.every((r: { requestId: string }) => r.requestId.startsWith("req_"))).toBe(true)
  })
})

describe("vrijstellingen and leave over HTTP (Leerplichtwet 1969 art. 6, 11, 13a, 14)", () => {
  it("logs a vrijstelling and a leave request with its decision; the renewal shows as a deadline; a bad period is a 422 with the field", async () => {
    const regionId = "westland"
    const school = "School verlof"
    const referrer = await gateway.user(["referrer"], [regionId], {
      organisation: school,
      partyRole: "coordinator-passend-onderwijs",
    })
    const worker = await gateway.user(["case-worker"], [regionId], {
      organisation: "Regie verlof",
      partyRole: "smw-verzuim",
    })
    const submitted = await gateway.request("POST", "/referrals", {
      token: referrer.token,
      body: referralFor(regionId, referrer),
    })
    expect(submitted.status, submitted.text).toBe(201)
    const { caseId } = submitted.json
    const c = caseClient(worker.token, caseId, 1)

    await c.log({ _tag: "ExemptionRecorded", vrijstelling: { grond: "5b", from: "2026-09-01" } })
    const request = {
      id: "verlof_0000000http",
      grond: "14-gewichtig",
      from: "2026-12-07",
      to: "2026-12-11",
      requestedOn: TODAY,
    }
    const bad = await c.log({ _tag: "LeaveRequested", request: { ...request, to: "2026-12-01" } }, 422)
    expect(bad.headers.get("content-type")).toBe("application/problem+json")
    expect(bad.json.errors).toContainEqual({
      path: "event.request.to",
      pointer: "/event/request/to",
      detail: "de laatste dag ligt voor de eerste dag",
    })
    await c.log({ _tag: "LeaveRequested", request })
    await c.log({
      _tag: "LeaveDecided",
      decision: { requestId: request.id, decidedOn: TODAY, decidedBy: "directeur", granted: true },
    })
    await c.log(
      {
        _tag: "LeaveDecided",
        decision: { requestId: request.id, decidedOn: TODAY, decidedBy: "directeur", granted: false },
      },
      409,
    )

    const detail = await gateway.request("GET", `/cases/${caseId}`, { token: worker.token })
    expect(detail.status).toBe(200)
    expect(detail.json.case.leave).toEqual([
      {
        request,
        decision: { requestId: request.id, decidedOn: TODAY, decidedBy: "directeur", granted: true },
      },
    ])
    expect(detail.json.deadlines).toContainEqual({
      id: "vrijstelling-5b-2027-28",
      label: "Vrijstelling art. 5 onder b opnieuw aanvragen voor 2027/28 (vóór 1 juli, art. 6)",
      dueOn: "2027-06-30",
      metOn: null,
      status: "open",
    })
    const timeline = await gateway.request("GET", `/cases/${caseId}/events`, { token: worker.token })
    expect(timeline.json.map((e: { label: string }) => e.label).slice(-3)).toEqual([
      "Vrijstelling vastgelegd",
      "Verlof aangevraagd",
      "Verlof besloten",
    ])
  })
})
