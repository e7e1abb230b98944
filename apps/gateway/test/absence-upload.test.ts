/**
 * The upload of `POST /absence/imports` over real HTTP (issue 15): the file is streamed to a
 * temporary file under its own limit (not the 1 MiB JSON limit), refused with a Dutch 413 as soon
 * as it passes the limit whether its length was declared or not (chunked), refused with 415 in
 * another media type, and never left behind in the upload folder, whatever the answer.
 */

import { mkdtemp, readdir, rm } from "node:fs/promises"
import { request as httpRequest } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { upload, XLSX } from "./support/absence.js"
import { type Gateway, startGateway } from "./support/gateway.js"

const LIMIT = 64 * 1024

let gateway: Gateway
let dir: string
let school: { token: string; organisationId: string }
const params = () => ({
  school: school.organisationId,
  mapping: "magister",
  from: "2025-08-25",
  to: "2026-07-10",
})

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-uploads-"))
  gateway = await startGateway({ uploadLimitBytes: LIMIT, uploadDir: dir })
  school = await gateway.user(["school-verzuim"], ["westland"], { organisation: "Wilgenlyceum" })
}, 60_000)
afterAll(async () => {
  await gateway?.close()
  await rm(dir, { recursive: true, force: true })
})

/** A POST of `chunks` written one by one without a declared length (chunked), and its answer. */
const chunked = (path: string, token: string, chunks: ReadonlyArray<Buffer>) =>
  new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    const url = new URL(path, gateway.base)
    const req = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "text/csv",
          "transfer-encoding": "chunked",
        },
      },
      (res) => {
        let body = ""
        res.on("data", (d) => {
          body += String(d)
        })
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
        )
      },
    )
    // The server may stop reading once it answered: a write after that is the client's own problem.
    req.on("error", (error) =>
      String(error).includes("EPIPE") || String(error).includes("ECONNRESET") ? undefined : reject(error),
    )
    let i = 0
    const next = () => {
      if (i >= chunks.length) return req.end()
      const ok = req.write(chunks[i++])
      if (ok) setImmediate(next)
      else req.once("drain", next)
    }
    next()
  })

describe("POST /absence/imports: the upload", () => {
  it("refuses another media type with a Dutch 415 that names the accepted ones, and keeps nothing", async () => {
    const reply = await upload(gateway, school.token, params(), '{"a":1}', "application/json")
    expect(reply.status).toBe(415)
    expect(reply.headers.get("content-type")).toBe("application/problem+json")
    expect(reply.json.detail).toBe(`Stuur het bestand als text/csv of ${XLSX}.`)
    expect(await readdir(dir)).toEqual([])
  })

  it("answers 413 in Dutch for a declared length over the limit, before reading the body", async () => {
    const reply = await upload(gateway, school.token, params(), "x".repeat(LIMIT + 1), "text/csv")
    expect(reply.status).toBe(413)
    expect(reply.json.detail).toMatch(
      /^Het bestand is groter dan .* MiB \(65536 bytes\), de grens van deze installatie\.$/,
    )
    expect(reply.json.maxBytes).toBe(LIMIT)
    expect(reply.headers.get("connection")).toBe("close")
    expect(await readdir(dir)).toEqual([])
  })

  it("answers 413 for a chunked upload as soon as it passes the limit, and removes the partial file", async () => {
    const chunk = Buffer.alloc(16 * 1024, "a")
    const reply = await chunked(
      `/absence/imports?${new URLSearchParams(params())}`,
      school.token,
      Array.from({ length: 12 }, () => chunk),
    )
    expect(reply.status).toBe(413)
    expect(JSON.parse(reply.body).detail).toContain("de grens van deze installatie")
    expect(reply.connection).toBe("close")
    expect(await readdir(dir)).toEqual([])
  })

  it("checks the query before it reads the file: 422 on the field, in Dutch", async () => {
    const reply = await upload(
      gateway,
      school.token,
      { ...params(), from: "25-08-2025", mapping: "Magister Voorbeeld!" },
      "Leerlingnummer;Datum\n",
      "text/csv",
    )
    expect(reply.status).toBe(422)
    expect(reply.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "query.from",
      "query.mapping",
    ])
    expect(reply.json.errors.find((e: { path: string }) => e.path === "query.mapping").detail).toBe(
      "de naam van een koppeling: kleine letters, cijfers en streepjes (zie GET /absence/mappings)",
    )
    expect(await readdir(dir)).toEqual([])
  })

  it("admits only the school's own role: 403 for a case worker, 401 without a token", async () => {
    const worker = await gateway.user(["case-worker"], ["westland"])
    const refused = await upload(gateway, worker.token, params(), "Leerlingnummer;Datum\n", "text/csv")
    expect(refused.status).toBe(403)
    const anonymous = await fetch(`${gateway.base}/absence/imports?${new URLSearchParams(params())}`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: "x",
    })
    expect(anonymous.status).toBe(401)
    expect(await readdir(dir)).toEqual([])
  })

  it("documents the upload in OpenAPI: both media types as the body, 413 and 415 among the answers", () => {
    const operation = (gateway.openapi.paths as Record<string, Record<string, Record<string, unknown>>>)[
      "/absence/imports"
    ]?.post as { requestBody: { content: Record<string, unknown> }; responses: Record<string, unknown> }
    expect(Object.keys(operation.requestBody.content)).toEqual(["text/csv", XLSX])
    for (const status of ["200", "400", "403", "404", "413", "415", "422"])
      expect(Object.keys(operation.responses)).toContain(status)
  })
})
