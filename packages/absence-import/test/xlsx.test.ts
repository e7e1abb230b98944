import { describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { readAll, shippedMapping } from "./support.js"

const eduarte = shippedMapping("eduarte")
const { sheet: _sheet, ...format } = eduarte.format
const oneSheetMapping = { ...eduarte, format }
const HEADER = [
  "Brin",
  "Deelnemernummer",
  "Roepnaam",
  "Voorvoegsel",
  "Achternaam",
  "Geboortedatum",
  "Datum",
  "Uren afwezig",
  "Absentiereden",
]

/** Excel's serial day of a date. */
const serial = (iso: string) =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000 +
  25_569

const workbook = (
  sheets: Record<string, Array<Array<unknown>>>,
  edit?: (ws: XLSX.WorkSheet) => void,
): Uint8Array => {
  const book = XLSX.utils.book_new()
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = XLSX.utils.aoa_to_sheet(rows)
    edit?.(ws)
    XLSX.utils.book_append_sheet(book, ws, name)
  }
  return XLSX.write(book, { type: "buffer", bookType: "xlsx" }) as Uint8Array
}

const read = (bytes: Uint8Array, mapping = eduarte) =>
  readAll(bytes, { mapping, brin: "56EF", fileName: "export.xlsx" })

describe("Reader.read: xlsx", () => {
  it("reads dates as real date cells or as text, numbers as amounts", async () => {
    const bytes = workbook(
      {
        Absenties: [
          HEADER,
          ["56EF", 3001, "Lars", "de", "Boer", "2008-03-01", "2026-01-05", 2.5, "A-ZIEK"],
          ["56EF", "3001", "Lars", "de", "Boer", "", "2026-01-06", "1", "A-TL"],
        ],
      },
      (ws) => {
        ws.F2 = { t: "n", v: serial("2008-03-01"), z: "dd-mm-yyyy" }
        ws.G2 = { t: "n", v: serial("2026-01-05"), z: "dd-mm-yyyy" }
      },
    )
    const r = await read(bytes)
    expect(r.refused).toBeUndefined()
    expect(r.problems).toEqual([])
    expect(r.rows).toEqual([
      expect.objectContaining({
        line: 2,
        pupilNumber: "3001",
        name: "Lars de Boer",
        birthDate: "2008-03-01",
        date: "2026-01-05",
        kind: "ziek",
        minutes: 150,
      }),
      expect.objectContaining({
        line: 3,
        pupilNumber: "3001",
        date: "2026-01-06",
        kind: "te-laat",
        authorised: false,
        minutes: 60,
      }),
    ])
    expect(r.result.format).toEqual({ kind: "xlsx", sheet: "Absenties" })
  })

  it("reports bad rows with the sheet's row number and the column header", async () => {
    const bytes = workbook({
      Absenties: [HEADER, ["56EF", 3001, "Lars", "", "Boer", "", "2026-01-05", 13, "A-X"]],
    })
    const r = await read(bytes)
    expect(r.problems).toEqual([
      {
        line: 2,
        column: "Absentiereden",
        reason: expect.stringMatching(/^onbekende verzuimcode "A-X": de koppeling "Eduarte \(voorbeeld\)"/),
      },
      {
        line: 2,
        column: "Uren afwezig",
        reason: "13 uren is meer dan een schooldag (hoogstens 12 uren op één dag)",
      },
    ])
  })

  it("refuses a workbook with several sheets, naming them, when the mapping names none", async () => {
    const bytes = workbook({ Absenties: [HEADER], Toelichting: [["uitleg"]] })
    const r = await read(bytes, oneSheetMapping)
    expect(r.refused?.message).toBe(
      'export.xlsx heeft 2 tabbladen ("Absenties", "Toelichting"). Lever één tabblad aan, of noem het tabblad in de koppeling (format.sheet).',
    )
  })

  it("reads the sheet the mapping names among several, and refuses when it is missing", async () => {
    const rows = [HEADER, ["56EF", 1, "Eva", "", "Smit", "", "2026-01-05", 1, "A-MED"]]
    const r = await read(workbook({ Toelichting: [["uitleg"]], Absenties: rows }))
    expect(r.rows.map((x) => x.kind)).toEqual(["geoorloofd"])
    const missing = await read(workbook({ Blad1: rows, Blad2: rows }))
    expect(missing.refused?.message).toBe(
      'export.xlsx heeft geen tabblad "Absenties" (dat noemt de koppeling "Eduarte (voorbeeld)"); wel: "Blad1", "Blad2".',
    )
  })

  it("refuses a cell with a formula, naming the cell", async () => {
    const bytes = workbook(
      { Absenties: [HEADER, ["56EF", 1, "Eva", "", "Smit", "", "2026-01-05", 1, "A-MED"]] },
      (ws) => {
        ws.H2 = { t: "n", v: 2, f: "1+1" }
      },
    )
    const r = await read(bytes)
    expect(r.refused?.problem).toEqual({
      reason:
        'Cel H2 van tabblad "Absenties" bevat een formule (=1+1). Lever de export aan zoals het systeem hem maakt, of plak de waarden zonder formules.',
      line: 2,
      column: "H2",
    })
  })

  it("refuses a file of another school and a sheet without the mapping's columns", async () => {
    const other = await read(
      workbook({ Absenties: [HEADER, ["99ZZ", 1, "Eva", "", "Smit", "", "2026-01-05", 1, "A-MED"]] }),
    )
    expect(other.refused?.problem).toMatchObject({ line: 2, column: "Brin" })
    const columns = await read(
      workbook({
        Absenties: [
          ["Naam", "Datum"],
          ["Eva", "2026-01-05"],
        ],
      }),
    )
    expect(columns.refused?.message).toMatch(
      /^De kopregel \(rij 1\) van tabblad "Absenties" mist de kolommen "Deelnemernummer", "Absentiereden", "Uren afwezig"/,
    )
  })

  it("refuses bytes that are not a workbook", async () => {
    const r = await read(new TextEncoder().encode("dit is geen excel"))
    expect(r.refused?.message).toBe("export.xlsx is geen leesbaar xlsx-bestand.")
  })
})
