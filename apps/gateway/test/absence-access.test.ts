/**
 * Who sees what of a school's absence data, over real HTTP (issue 15): a school user sees and acts
 * on their own school's signals only (another school's signal answers 404, exactly like one that
 * does not exist); a coordinator sees counts per school and type, never a pupil, and is refused
 * the pupil routes; the signal's lifecycle (gezien, geen actie), its referral draft and its DUO
 * melding work for the school that owns it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { upload } from "./support/absence.js"
import { type Gateway, startGateway } from "./support/gateway.js"

const MAPPING = "magister"
const HEADER = "BRIN;Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Datum;Lesuren;Afk"
/** Pupil 100001 goes on holiday during school time: luxe verzuim, a signal from the first day. */
const FILE = [
  HEADER,
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;03-11-2026;7;LV",
  "12AB;100001;Sanne;;Voorbeeld;14-03-2012;04-11-2026;7;LV",
  "12AB;100002;Daan;van;Proef;02-11-2011;05-11-2026;1;TL",
].join("\r\n")
const PERIOD = { from: "2026-09-01", to: "2026-11-13" }

let gateway: Gateway
let a: { token: string; organisationId: string }
let b: { token: string; organisationId: string }
let coordinator: { token: string }
let signalId = ""

beforeAll(async () => {
  gateway = await startGateway()
  a = await gateway.user(["school-verzuim", "referrer"], ["westland"], {
    organisation: "Wilgenlyceum",
    partyRole: "coordinator-passend-onderwijs",
  })
  b = await gateway.user(["school-verzuim"], ["westland"], { organisation: "Duinzoom College" })
  coordinator = await gateway.user(["coordinator"], ["westland"], {
    organisation: "Gemeente Westland",
    organisationKind: "gemeente",
  })
  const imported = await upload(
    gateway,
    a.token,
    { school: a.organisationId, mapping: MAPPING, ...PERIOD },
    FILE,
    "text/csv",
  )
  expect(imported.status, imported.text).toBe(200)
  const list = await gateway.request("GET", "/absence/signals?type=luxe-verzuim", { token: a.token })
  expect(list.status, list.text).toBe(200)
  signalId = list.json.find((s: { pupil: { pupilNumber: string } }) => s.pupil.pupilNumber === "100001")?.id
  expect(signalId).toMatch(/^sig_/)
}, 60_000)
afterAll(async () => {
  await gateway?.close()
})

describe("a school's signals", () => {
  it("are its own: another school's user sees none, and every route on one answers 404 as for no signal", async () => {
    const others = await gateway.request("GET", "/absence/signals", { token: b.token })
    expect(others.status).toBe(200)
    expect(others.json).toEqual([])
    const missing = "sig_0000000000000000"
    for (const [method, path, body] of [
      ["GET", "/absence/signals/:id", undefined],
      ["GET", "/absence/signals/:id/referral-draft", undefined],
      ["POST", "/absence/signals/:id/seen", { note: "Gezien door een andere school" }],
      ["POST", "/absence/signals/:id/no-action", { reason: "Niet onze leerling" }],
      ["POST", "/absence/duo-meldingen/:id/status", { status: "Geregistreerd" }],
    ] as const) {
      const theirs = await gateway.request(method, path.replace(":id", signalId), {
        token: b.token,
        ...(body ? { body } : {}),
      })
      const none = await gateway.request(method, path.replace(":id", missing), {
        token: b.token,
        ...(body ? { body } : {}),
      })
      expect(theirs.status, `${method} ${path}`).toBe(404)
      const { requestId: _a, instance: _b, ...theirsBody } = theirs.json
      const { requestId: _c, instance: _d, ...noneBody } = none.json
      expect(theirsBody, `${method} ${path}`).toEqual(noneBody)
    }
    // The refusals changed nothing of school A's signal.
    const own = await gateway.request("GET", `/absence/signals/${signalId}`, { token: a.token })
    expect(own.json.status).toBe("nieuw")
    expect(own.json.note).toBeNull()
  })

  it("show their school's user the pupil's records in the window, and move through seen and no action", async () => {
    const detail = await gateway.request("GET", `/absence/signals/${signalId}`, { token: a.token })
    expect(detail.status).toBe(200)
    expect(detail.json).toMatchObject({
      type: "luxe-verzuim",
      schoolId: a.organisationId,
      pupil: { pupilNumber: "100001" },
    })
    expect(detail.json.records.map((r: { date: string; kind: string }) => `${r.date} ${r.kind}`)).toEqual([
      "2026-11-03 luxe-verzuim",
      "2026-11-04 luxe-verzuim",
    ])
    const seen = await gateway.request("POST", `/absence/signals/${signalId}/seen`, {
      token: a.token,
      body: { note: "Ouders gebeld; gesprek maandag." },
    })
    expect(seen.status, seen.text).toBe(200)
    expect(seen.json).toMatchObject({ status: "gezien", note: "Ouders gebeld; gesprek maandag." })
    const empty = await gateway.request("POST", `/absence/signals/${signalId}/no-action`, {
      token: a.token,
      body: { reason: "" },
    })
    expect(empty.status).toBe(422)
    expect(empty.json.errors[0]).toMatchObject({ path: "reason", detail: "mag niet leeg zijn" })
  })

  it("give the school a referral draft with the pupil and the absence, and a DUO melding it can update", async () => {
    const draft = await gateway.request("GET", `/absence/signals/${signalId}/referral-draft`, {
      token: a.token,
    })
    expect(draft.status, draft.text).toBe(200)
    expect(draft.json).toMatchObject({
      signalId,
      schoolId: a.organisationId,
      verzuimKind: "luxe",
      pupil: { pupilNumber: "100001" },
    })
    expect(draft.json.absence.records.length).toBeGreaterThan(0)

    const meldingen = await gateway.request("GET", "/absence/duo-meldingen", { token: a.token })
    expect(meldingen.status).toBe(200)
    expect(meldingen.json.find((m: { signalId: string }) => m.signalId === signalId)).toMatchObject({
      pupilNumber: "100001",
      kind: "luxe verzuim",
      status: null,
    })
    const set = await gateway.request("POST", `/absence/duo-meldingen/${signalId}/status`, {
      token: a.token,
      body: { status: "Geregistreerd" },
    })
    expect(set.status, set.text).toBe(200)
    expect(set.json.status).toBe("Geregistreerd")
    const wrong = await gateway.request("POST", `/absence/duo-meldingen/${signalId}/status`, {
      token: a.token,
      body: { status: "Verstuurd" },
    })
    expect(wrong.status).toBe(422)
    expect(wrong.json.errors[0].path).toBe("status")

    const sheet = await fetch(`${gateway.base}/absence/duo-meldingen.xlsx`, {
      headers: { authorization: `Bearer ${a.token}` },
    })
    expect(sheet.status).toBe(200)
    expect(sheet.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    expect(
      Buffer.from(await sheet.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK")
  })
})

describe("a coordinator", () => {
  it("sees counts per school and type, never a pupil", async () => {
    const counts = await gateway.request("GET", "/absence/counts", { token: coordinator.token })
    expect(counts.status, counts.text).toBe(200)
    expect(counts.json).toContainEqual(
      expect.objectContaining({ schoolId: a.organisationId, type: "luxe-verzuim", open: "< 5" }),
    )
    expect(counts.text).not.toMatch(/100001|Sanne|Voorbeeld|pupil/)
  })

  it("is refused every route that shows a pupil", async () => {
    for (const path of [
      "/absence/signals",
      `/absence/signals/${signalId}`,
      `/absence/signals/${signalId}/referral-draft`,
      "/absence/duo-meldingen",
      "/absence/duo-meldingen.xlsx",
    ]) {
      const reply = await gateway.request("GET", path, { token: coordinator.token })
      expect(reply.status, path).toBe(403)
      expect(reply.text).not.toContain("100001")
    }
  })
})
