import { describe, expect, it } from "vitest"
import { AbsenceFileRefused, Csv } from "../src/index.js"
import { chunked, cp1252, utf8 } from "./support.js"

const records = async (bytes: Uint8Array, options: Csv.ParseOptions = {}, size?: number) => {
  const stream = Csv.parse(chunked(bytes, size), options)
  const out: Array<Csv.CsvRecord> = []
  for await (const batch of stream) out.push(...batch)
  return { out, delimiter: stream.delimiter(), encoding: stream.encoding(), lines: stream.lines() }
}

describe("Csv.parse", () => {
  const text =
    'Nr;Naam;Opmerking\r\n1;"Jansen; Emma";"zei ""hoi""\r\nen ging"\r\n\r\n2;Bakker;\r\n3;"";laatste'

  it.each([1, 2, 5, 7, 1024])(
    "reads quoted fields, CRLF and empty lines the same in chunks of %i bytes",
    async (size) => {
      const { out, delimiter, lines } = await records(utf8(text), {}, size)
      expect(delimiter).toBe(";")
      expect(out).toEqual([
        { line: 1, fields: ["Nr", "Naam", "Opmerking"] },
        { line: 2, fields: ["1", "Jansen; Emma", 'zei "hoi"\r\nen ging'] },
        { line: 5, fields: ["2", "Bakker", ""] },
        { line: 6, fields: ["3", "", "laatste"] },
      ])
      expect(lines).toBe(6)
    },
  )

  it.each([
    [",", "a,b,c\n1,2,3\n"],
    [";", "a;b;c\n1;2;3\n"],
    ["\t", "a\tb\tc\n1\t2\t3\n"],
  ] as const)("detects the delimiter %j from the first line", async (d, csv) => {
    const { out, delimiter } = await records(utf8(csv), { delimiter: "auto" })
    expect(delimiter).toBe(d)
    expect(out[1]?.fields).toEqual(["1", "2", "3"])
  })

  it("strips a UTF-8 BOM and reads UTF-8", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("Naam;Plaats\nZoë;Zoetermeer\n")])
    const { out, encoding } = await records(bytes, {}, 3)
    expect(encoding).toBe("utf-8")
    expect(out).toEqual([
      { line: 1, fields: ["Naam", "Plaats"] },
      { line: 2, fields: ["Zoë", "Zoetermeer"] },
    ])
  })

  it("reads Windows-1252 when the first non-ASCII bytes are not UTF-8, even deep into the file", async () => {
    const ascii = `Naam;Plaats\n${"Daan;Delft\n".repeat(20_000)}`
    const bytes = new Uint8Array([...cp1252(ascii), ...cp1252("Zoë;Hélène\n"), 0x80, 0x0a])
    const { out, encoding } = await records(bytes, {}, 4096)
    expect(encoding).toBe("windows-1252")
    expect(out.at(-2)?.fields).toEqual(["Zoë", "Hélène"])
    expect(out.at(-1)?.fields).toEqual(["€"])
  })

  it.each([1, 2, 3])(
    "decides the encoding right when the first non-ASCII byte ends a chunk (chunks of %i bytes)",
    async (size) => {
      const latin = await records(new Uint8Array([...cp1252("Naam\nRen"), 0xe9, ...cp1252("e\n")]), {}, size)
      expect(latin.encoding).toBe("windows-1252")
      expect(latin.out[1]?.fields).toEqual(["Renée"])
      const unicode = await records(utf8("Naam\nRenée\n"), {}, size)
      expect(unicode.encoding).toBe("utf-8")
      expect(unicode.out[1]?.fields).toEqual(["Renée"])
    },
  )

  it("reads a file that ends in the first byte of a character as Windows-1252", async () => {
    const { out, encoding } = await records(new Uint8Array([...cp1252("Naam\nRen"), 0xe9]), {}, 2)
    expect(encoding).toBe("windows-1252")
    expect(out[1]?.fields).toEqual(["René"])
  })

  it("refuses bytes that break UTF-8 after the file was read as UTF-8, naming the line", async () => {
    const bytes = new Uint8Array([...utf8("Naam\nZoë\nDaan\n"), 0xe9, 0x0a])
    const error = await records(bytes, {}, 1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbsenceFileRefused)
    expect((error as AbsenceFileRefused).problem).toMatchObject({ line: 4 })
    expect((error as AbsenceFileRefused).message).toContain("geen geldige UTF-8 (regel 4)")
  })

  it("refuses an unterminated quote at the end, naming its line", async () => {
    const error = await records(utf8('a;b\n1;2\n3;"niet af\nnog steeds'), {}, 4).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbsenceFileRefused)
    expect((error as AbsenceFileRefused).problem.line).toBe(3)
    expect((error as AbsenceFileRefused).message).toBe(
      "Het bestand is afgebroken: het veld dat op regel 3 met een aanhalingsteken begint, wordt nergens afgesloten.",
    )
  })

  it("yields batches as chunks complete records, so a file streams through", async () => {
    const body = `a;b\n${"1;2\n".repeat(100_000)}`
    let batches = 0
    let count = 0
    for await (const batch of Csv.parse(chunked(utf8(body), 16 * 1024))) {
      batches++
      count += batch.length
    }
    expect(count).toBe(100_001)
    expect(batches).toBeGreaterThan(20)
  })
})
