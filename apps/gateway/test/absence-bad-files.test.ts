/**
 * Bad absence files through `POST /absence/imports` (issue 15, "Bad input"): an unknown code, a
 * future date, the wrong delimiter, a workbook with several sheets. Each answers 422 with a Dutch
 * problem whose errors name the line and the column, carries the whole report, and leaves the
 * database as it was; with skipBadRows the good rows land and the report names every skipped line.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { absenceFingerprint, upload, XLSX as XLSX_TYPE } from "./support/absence.js"
import { dataFingerprint, type Gateway, startGateway } from "./support/gateway.js"

const MAPPING = "magister"
const HEADER = "BRIN;Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Datum;Lesuren;Afk"
const GOOD_ROW = "12AB;100001;Sanne;;Voorbeeld;14-03-2012;15-09-2026;2;O"
const PERIOD = { from: "2026-09-01", to: "2026-11-13" }

let gateway: Gateway
let school: { token: string; organisationId: string }
const params = (extra: Record<string, unknown> = {}) => ({
  school: school.organisationId,
  mapping: MAPPING,
  ...PERIOD,
  filename: "verzuim.csv",
  ...extra,
})

beforeAll(async () => {
  gateway = await startGateway()
  school = await gateway.user(["school-verzuim"], ["westland"], { organisation: "Wilgenlyceum" })
  // One good import first, so "unchanged" means the earlier data stays, not merely "still empty".
  const first = await upload(gateway, school.token, params(), [HEADER, GOOD_ROW].join("\r\n"), "text/csv")
  expect(first.status, first.text).toBe(200)
}, 60_000)
afterAll(async () => {
  await gateway?.close()
})

/** Uploads `file` and checks the refusal's shape and that nothing changed; returns the problem. */
const refused = async (file: string | Uint8Array, contentType: string, filename = "verzuim.csv") => {
  const before = { absence: await absenceFingerprint(gateway), data: await dataFingerprint(gateway) }
  const reply = await upload(gateway, school.token, params({ filename }), file, contentType)
  expect(reply.status, reply.text).toBe(422)
  expect(reply.headers.get("content-type")).toBe("application/problem+json")
  expect(reply.json.type).toBe("https://verzuimregie.nl/problems/absence-import-refused")
  expect(reply.json.title).toBe("Het bestand is geweigerd")
  expect(reply.json.detail).toMatch(/^Niets geïmporteerd: /)
  expect(reply.json.report).toMatchObject({ outcome: "geweigerd", importId: null, rows: { imported: 0 } })
  const after = { absence: await absenceFingerprint(gateway), data: await dataFingerprint(gateway) }
  // The audit log may note the refused attempt; no absence row and nothing else may change.
  expect(after.absence).toEqual(before.absence)
  expect({ ...after.data, audit_log: 0 }).toEqual({ ...before.data, audit_log: 0 })
  return reply.json
}

describe("a refused absence file", () => {
  it("names the line and column of an unknown code and of a future date, in Dutch", async () => {
    const problem = await refused(
      [
        HEADER,
        GOOD_ROW,
        "12AB;100001;Sanne;;Voorbeeld;14-03-2012;16-09-2026;3;XQ",
        "12AB;100002;Daan;van;Proef;02-11-2011;15-09-2031;7;Z",
      ].join("\r\n"),
      "text/csv",
    )
    expect(problem.report.problemCount).toBe(2)
    expect(
      problem.report.problems.map((p: { line: number; column: string }) => `${p.line}:${p.column}`),
    ).toEqual(["3:Afk", "4:Datum"])
    expect(problem.errors.map((e: { path: string; pointer: string }) => [e.path, e.pointer])).toEqual([
      ['line[3]["Afk"]', "/line/3/Afk"],
      ['line[4]["Datum"]', "/line/4/Datum"],
    ])
    expect(problem.errors[0].detail).toMatch(/^regel 3, kolom Afk: .*XQ/)
    expect(problem.errors[1].detail).toMatch(/^regel 4, kolom Datum: /)
    expect(problem.detail).toBe(
      "Niets geïmporteerd: 2 regels kloppen niet. Verbeter het bestand, of importeer met skipBadRows=true zonder die regels.",
    )
  })

  it("says the delimiter is wrong for a file the mapping cannot split", async () => {
    const problem = await refused(
      [HEADER, GOOD_ROW].map((l) => l.replaceAll(";", "|")).join("\r\n"),
      "text/csv",
    )
    expect(problem.report.fileProblem).toMatch(/kopregel \(regel 1\)/)
    expect(problem.errors[0]).toMatchObject({ path: "", pointer: "" })
    expect(problem.detail).toBe(`Niets geïmporteerd: ${problem.report.fileProblem}`)
  })

  it("refuses a workbook with several sheets", async () => {
    const book = XLSX.utils.book_new()
    const rows = [HEADER.split(";"), GOOD_ROW.split(";")]
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "Absenties")
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "Kopie")
    const file = XLSX.write(book, { type: "buffer", bookType: "xlsx" }) as Buffer
    const problem = await refused(new Uint8Array(file), XLSX_TYPE, "verzuim.xlsx")
    expect(problem.report.format.kind).toBe("xlsx")
    expect(problem.report.fileProblem).toMatch(/werkbl|tabblad/)
  })

  it("imports the good rows with skipBadRows and names every skipped line", async () => {
    const reply = await upload(
      gateway,
      school.token,
      params({ skipBadRows: true }),
      [
        HEADER,
        GOOD_ROW,
        "12AB;100001;Sanne;;Voorbeeld;14-03-2012;16-09-2026;3;XQ",
        "12AB;100002;Daan;van;Proef;02-11-2011;17-09-2026;7;Z",
      ].join("\r\n"),
      "text/csv",
    )
    expect(reply.status, reply.text).toBe(200)
    expect(reply.json).toMatchObject({
      outcome: "geimporteerd",
      rows: { read: 3, imported: 2, skipped: 1 },
      skippedLines: [3],
      replaced: 1,
    })
  })
})
