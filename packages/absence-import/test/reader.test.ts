import { LocalDate } from "@verzuimregie/domain"
import { describe, expect, it } from "vitest"
import type { Mapping } from "../src/index.js"
import { cp1252, readAll, shippedMapping, utf8 } from "./support.js"

const magister = shippedMapping("magister")
const HEADER = "BRIN;Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Datum;Lesuren;Afk"
const row = (over: Partial<Record<"brin" | "nr" | "date" | "lessons" | "code" | "first", string>> = {}) =>
  [
    over.brin ?? "12AB",
    over.nr ?? "1001",
    over.first ?? "Daan",
    "van",
    "Dijk",
    "01-02-2012",
    over.date ?? "05-01-2026",
    over.lessons ?? "2",
    over.code ?? "O",
  ].join(";")
const file = (...rows: Array<string>) => utf8(`${[HEADER, ...rows].join("\r\n")}\r\n`)
const read = (bytes: Uint8Array, mapping: Mapping.Mapping = magister, brin: string | null = "12AB") =>
  readAll(bytes, { mapping, brin: brin ?? undefined })

describe("Reader.read: good rows", () => {
  it("reads a row into the domain's terms: kind, authorisation, minutes, name, birth date", async () => {
    const r = await read(file(row(), row({ nr: "1002", code: "z", lessons: "7" })))
    expect(r.refused).toBeUndefined()
    expect(r.problems).toEqual([])
    expect(r.rows).toEqual([
      {
        line: 2,
        pupilNumber: "1001",
        name: "Daan van Dijk",
        birthDate: "2012-02-01",
        date: "2026-01-05",
        kind: "ongeoorloofd",
        authorised: false,
        minutes: 100,
        code: "O",
      },
      expect.objectContaining({ line: 3, kind: "ziek", authorised: true, minutes: 350, code: "Z" }),
    ])
    expect(r.result).toEqual({
      format: { kind: "csv", delimiter: ";", encoding: "utf-8" },
      lines: 3,
      rows: 2,
    })
  })

  it("reads a Windows-1252 export with names like Zoë and Çelik", async () => {
    const text = `${HEADER}\r\n${row({ first: "Zoë" })}\r\n`
    const r = await read(cp1252(text))
    expect(r.problems).toEqual([])
    expect(r.rows[0]?.name).toBe("Zoë van Dijk")
    expect(r.result.format.encoding).toBe("windows-1252")
  })

  it("converts hours (with a decimal comma or as u:mm) and minutes to minutes", async () => {
    const parnassys = shippedMapping("parnassys")
    const text =
      "Leerlingnummer\tLeerling\tGeboortedatum\tDatum\tUren\tReden\n" +
      "7\tSem Bakker\t03/04/2015\t05/01/2026\t1,5\tZiek\n" +
      "7\tSem Bakker\t03/04/2015\t06/01/2026\t0:45\tTe laat\n"
    const r = await readAll(utf8(text), { mapping: parnassys })
    expect(r.problems).toEqual([])
    expect(r.rows.map((x) => [x.date, x.minutes, x.kind])).toEqual([
      ["2026-01-05", 90, "ziek"],
      ["2026-01-06", 45, "te-laat"],
    ])
    expect(r.result.format.delimiter).toBe("\t")
  })

  it("batches rows: a 12,000-row file comes in three batches of at most 5,000", async () => {
    const rows: Array<string> = []
    for (let i = 0; i < 12_000; i++) rows.push(row({ nr: String(10_000 + i) }))
    const r = await read(file(...rows))
    expect(r.problems).toEqual([])
    expect(r.rows.length).toBe(12_000)
    expect(r.batches).toBe(3)
  })
})

describe("Reader.read: bad rows, each with line, column and a Dutch reason", () => {
  it.each([
    [
      "an unknown code, naming it and the mapping",
      row({ code: "XYZ" }),
      "Afk",
      'onbekende verzuimcode "XYZ": de koppeling "Magister (voorbeeld)" kent die code niet (wel: O, ONG, SP, Z, ZNS, TL, TLG, M, BV, LV, S)',
    ],
    [
      "a date that is not a date",
      row({ date: "5 jan 2026" }),
      "Datum",
      '"5 jan 2026" is geen datum in de vorm dd-mm-jjjj',
    ],
    ["a date that does not exist", row({ date: "30-02-2026" }), "Datum", "de datum 30-02-2026 bestaat niet"],
    [
      "a date outside the period",
      row({ date: "31-07-2025" }),
      "Datum",
      "de datum 31-07-2025 valt buiten de periode van deze import (01-08-2025 t/m 31-07-2026)",
    ],
    [
      "a date in the future",
      row({ date: "01-08-2026" }),
      "Datum",
      "de datum 01-08-2026 ligt in de toekomst (vandaag is 31-07-2026)",
    ],
    ["zero lessons", row({ lessons: "0" }), "Lesuren", "het aantal lessen moet groter dan 0 zijn, niet 0"],
    [
      "negative lessons",
      row({ lessons: "-2" }),
      "Lesuren",
      "het aantal lessen moet groter dan 0 zijn, niet -2",
    ],
    [
      "more lessons than a school day",
      row({ lessons: "15" }),
      "Lesuren",
      "15 lessen is meer dan een schooldag (hoogstens 14 lessen op één dag)",
    ],
    ["a lesson count that is no number", row({ lessons: "twee" }), "Lesuren", '"twee" is geen aantal lessen'],
    ["a missing pupil number", row({ nr: " " }), "Stamnr", "het leerlingnummer ontbreekt"],
    ["a missing BRIN", row({ brin: "" }), "BRIN", "het BRIN-nummer ontbreekt"],
  ])("%s", async (_what, bad, column, reason) => {
    const r = await read(file(row({ nr: "1" }), bad))
    expect(r.refused).toBeUndefined()
    expect(r.problems).toEqual([{ line: 3, column, reason }])
    expect(r.rows.map((x) => x.line)).toEqual([2])
  })

  it("refuses more minutes or hours than a school day (720 minutes, 12 hours)", async () => {
    const somtoday = shippedMapping("somtoday")
    const text =
      "Vestiging BRIN,Leerlingnummer,Voornaam,Voorvoegsel,Achternaam,Geboortedatum,Datum,Minuten,Absentiereden\n" +
      "34CD,5,Noor,,Smit,01-01-2011,05-01-2026,720,ZIEK\n" +
      "34CD,5,Noor,,Smit,01-01-2011,06-01-2026,721,ZIEK\n"
    const r = await readAll(utf8(text), { mapping: somtoday, brin: "34cd" })
    expect(r.problems).toEqual([
      {
        line: 3,
        column: "Minuten",
        reason: "721 minuten is meer dan een schooldag (hoogstens 720 minuten op één dag)",
      },
    ])
    const parnassys = shippedMapping("parnassys")
    const hours =
      "Leerlingnummer\tLeerling\tGeboortedatum\tDatum\tUren\tReden\n7\tSem\t\t05/01/2026\t12,5\tZiek\n"
    expect((await readAll(utf8(hours), { mapping: parnassys })).problems).toEqual([
      {
        line: 2,
        column: "Uren",
        reason: "12,5 uren is meer dan een schooldag (hoogstens 12 uren op één dag)",
      },
    ])
  })

  it("names the earlier line of a duplicate row (same pupil, date and code)", async () => {
    const r = await read(file(row(), row({ code: "Z" }), row({ code: "o" })))
    expect(r.problems).toEqual([
      {
        line: 4,
        column: "-",
        reason: "dubbele regel: leerling 1001, 05-01-2026, code o staat al op regel 2",
      },
    ])
    expect(r.rows.map((x) => x.line)).toEqual([2, 3])
  })

  it("finds a duplicate of a pupil whose rows are not together, and names each row's own pupil", async () => {
    const r = await read(
      file(
        row(),
        row({ nr: "1002", first: "Sanne" }),
        row({ date: "06-01-2026" }),
        row({ nr: "1002", first: "Sanne", date: "06-01-2026" }),
        row({ code: "o" }),
      ),
    )
    expect(r.problems).toEqual([
      {
        line: 6,
        column: "-",
        reason: "dubbele regel: leerling 1001, 05-01-2026, code o staat al op regel 2",
      },
    ])
    expect(r.rows.map((x) => `${x.line} ${x.pupilNumber} ${x.name} ${x.date}`)).toEqual([
      "2 1001 Daan van Dijk 2026-01-05",
      "3 1002 Sanne van Dijk 2026-01-05",
      "4 1001 Daan van Dijk 2026-01-06",
      "5 1002 Sanne van Dijk 2026-01-06",
    ])
  })

  it("finds a duplicate of a pupil with many rows (hundreds of days and codes)", async () => {
    const rows: Array<string> = []
    const codes = ["O", "Z", "TL"]
    for (let d = 0; d < 150; d++)
      for (const code of codes)
        rows.push(
          row({
            code,
            date: LocalDate.addDays(LocalDate.make("2025-09-01"), d).split("-").reverse().join("-"),
          }),
        )
    rows.push(row({ code: "TL", date: "02-09-2025" }))
    const r = await read(file(...rows))
    expect(r.problems).toEqual([
      {
        line: 452,
        column: "-",
        reason: "dubbele regel: leerling 1001, 02-09-2025, code TL staat al op regel 7",
      },
    ])
    expect(r.rows.length).toBe(450)
  })

  it("reports a row with too many or too few fields in the middle of the file", async () => {
    const r = await read(file(row(), `${row({ nr: "2" })};extra`, "12AB;3;Daan", row({ nr: "4" })))
    expect(r.refused).toBeUndefined()
    expect(r.problems).toEqual([
      {
        line: 3,
        column: "-",
        reason:
          "de regel heeft 10 velden, de kopregel 9: staat er een scheidingsteken in een veld zonder aanhalingstekens?",
      },
      { line: 4, column: "-", reason: "de regel heeft 3 velden, de kopregel 9" },
    ])
  })

  it("keeps reading after an empty line and a row of empty fields (Excel writes those)", async () => {
    const r = await read(file(row(), "", ";;;;;;;;", row({ nr: "2" })))
    expect(r.problems).toEqual([])
    expect(r.rows.map((x) => x.line)).toEqual([2, 5])
  })
})

describe("Reader.read: files refused as a whole", () => {
  it("refuses a file of another school at the first row with another BRIN, naming line and column", async () => {
    const r = await read(file(row(), row({ nr: "2", brin: "99ZZ" }), row({ nr: "3" })))
    expect(r.refused?.problem).toEqual({
      reason:
        "Dit bestand is van een andere school: regel 3, kolom BRIN heeft BRIN 99ZZ, deze import is voor BRIN 12AB. Er is niets ingelezen.",
      line: 3,
      column: "BRIN",
    })
  })

  it("refuses a truncated file: the last line has fewer fields", async () => {
    const bytes = utf8(`${HEADER}\r\n${row()}\r\n12AB;1002;Emma;;Jan`)
    const r = await read(bytes)
    expect(r.refused?.problem).toEqual({
      reason:
        "Het bestand is afgebroken: de laatste regel (3) heeft 5 van de 9 velden. Maak de export opnieuw.",
      line: 3,
    })
  })

  it("refuses a truncated file: an unterminated quote", async () => {
    const r = await read(utf8(`${HEADER}\r\n${row()}\r\n12AB;1002;"Emma`))
    expect(r.refused?.problem.line).toBe(3)
    expect(r.refused?.message).toContain("wordt nergens afgesloten")
  })

  it("refuses a header of one column (wrong delimiter), listing the columns the mapping expects", async () => {
    const r = await read(utf8("BRIN|Stamnr|Datum|Lesuren|Afk\n12AB|1|05-01-2026|2|O\n"))
    expect(r.refused?.problem).toEqual({
      reason:
        'De kopregel (regel 1) heeft maar één kolom: het bestand is niet gescheiden met een puntkomma, komma of tab, of het is geen CSV-export. De koppeling "Magister (voorbeeld)" verwacht de kolommen "Stamnr", "Datum", "Afk", "Lesuren", "Roepnaam", "Tussenv", "Achternaam", "Geb.datum", "BRIN".',
      line: 1,
    })
  })

  it("refuses a fixed delimiter the file does not use, naming the one it does", async () => {
    const somtoday = shippedMapping("somtoday")
    const text =
      "Vestiging BRIN;Leerlingnummer;Voornaam;Voorvoegsel;Achternaam;Geboortedatum;Datum;Minuten;Absentiereden\n"
    const r = await readAll(utf8(text), { mapping: somtoday })
    expect(r.refused?.message).toBe(
      'Verkeerd scheidingsteken: de koppeling "SOMtoday (voorbeeld)" zegt komma (,), maar de kopregel (regel 1) is gescheiden met puntkomma (;).',
    )
  })

  it("refuses a header without the mapping's columns, naming the missing ones", async () => {
    const r = await read(utf8("BRIN;Leerling;Datum;Lesuren;Code\n"))
    expect(r.refused?.problem.reason).toMatch(
      /^De kopregel \(regel 1\) mist de kolommen "Stamnr", "Afk", "Roepnaam", "Tussenv", "Achternaam", "Geb.datum" van de koppeling "Magister \(voorbeeld\)" \(gevonden: "BRIN", "Leerling", "Datum", "Lesuren", "Code"\)/,
    )
  })

  it("refuses an empty file", async () => {
    const r = await read(new Uint8Array(0))
    expect(r.refused?.message).toBe("export.csv is leeg: er staat geen kopregel in.")
  })

  it("reads without the BRIN check when the import names no BRIN", async () => {
    const r = await read(file(row({ brin: "99ZZ" })), magister, null)
    expect(r.refused).toBeUndefined()
    expect(r.rows.length).toBe(1)
    expect(r.rows[0]?.date).toBe(LocalDate.make("2026-01-05"))
  })
})

describe("Reader.read: the wrong kind of file", () => {
  it("refuses an xlsx workbook that was named .csv", async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x0a, 0x41, 0x42])
    const r = await read(zip)
    expect(r.refused?.message).toBe(
      "export.csv is geen CSV-bestand (het lijkt een Excel- of ander binair bestand). Geef een .xlsx-bestand de naam met .xlsx, of sla de export op als CSV.",
    )
  })
})
