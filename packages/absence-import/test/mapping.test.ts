import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Either, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { Mapping } from "../src/index.js"

const minimal = `
name: Eigen export
system: anders
format: {}
columns: { pupilNumber: Nr, date: Datum, code: Code, minutes: Minuten }
codes:
  O: { kind: ongeoorloofd, authorised: false }
`

const issuesOf = (text: string, file = "school.yaml") => {
  const r = Mapping.parse(text, file)
  if (Either.isRight(r)) throw new Error("expected a refusal")
  return r.left
}

describe("Mapping", () => {
  it("lists the shipped examples by name, each marked as an example with the header comment", () => {
    const shipped = Mapping.shipped()
    expect(shipped.map((s) => s.name)).toEqual(["eduarte", "magister", "parnassys", "somtoday"])
    for (const s of shipped) {
      const text = readFileSync(s.path, "utf8")
      expect(text.startsWith("# voorbeeld: controleer tegen de eigen export van de school\n")).toBe(true)
      const mapping = Either.getOrThrow(Mapping.parse(text, s.path))
      expect(mapping.example).toBe(true)
      expect(mapping.system).toBe(s.name)
    }
  })

  it("loads a shipped mapping by name, and refuses an unknown name listing the known ones", async () => {
    expect((await Effect.runPromise(Mapping.loadShipped("somtoday"))).name).toBe("SOMtoday (voorbeeld)")
    const unknown = await Effect.runPromise(Effect.flip(Mapping.loadShipped("esis")))
    expect(unknown.issues).toEqual([
      {
        path: "",
        message: "geen voorbeeldkoppeling met de naam esis; wel: eduarte, magister, parnassys, somtoday",
      },
    ])
  })

  it("gives the examples different columns and codes per system", () => {
    const all = Mapping.shipped().map((s) =>
      Either.getOrThrow(Mapping.parse(readFileSync(s.path, "utf8"), s.path)),
    )
    expect(new Set(all.map((m) => JSON.stringify(m.columns))).size).toBe(4)
    expect(new Set(all.map((m) => Object.keys(m.codes).sort().join(","))).size).toBe(4)
  })

  it("fills the defaults of a minimal mapping", () => {
    const m = Either.getOrThrow(Mapping.parse(minimal, "school.yaml"))
    expect(m.format).toEqual({ delimiter: "auto", encoding: "auto", dateFormat: "dd-mm-jjjj" })
    expect(m.lessonMinutes).toBe(50)
    expect(m.example).toBe(false)
  })

  it("names the file and every field path of a wrong mapping, in Dutch", () => {
    const e = issuesOf(
      minimal
        .replace("minutes: Minuten", "")
        .replace("kind: ongeoorloofd, authorised: false", "kind: spijbelen, authorised: false"),
    )
    expect(e.file).toBe("school.yaml")
    expect(e.issues.map((i) => i.path)).toContain("codes.O.kind")
    expect(e.message).toContain("school.yaml: de koppeling klopt niet")
  })

  it("refuses a mapping without an amount column, or with two", () => {
    expect(issuesOf(minimal.replace("minutes: Minuten", "")).issues).toEqual([
      { path: "columns", message: "noem één kolom voor de hoeveelheid: minutes, hours of lessons" },
    ])
    expect(issuesOf(minimal.replace("minutes: Minuten", "minutes: Minuten, hours: Uren")).issues).toEqual([
      { path: "columns", message: "noem maar één kolom voor de hoeveelheid, niet minutes én hours" },
    ])
  })

  it("refuses a code whose authorisation contradicts its kind, as the domain's AbsenceRecord does", () => {
    const e = issuesOf(
      `${minimal}  L: { kind: luxe-verzuim, authorised: true }\n  G: { kind: geoorloofd, authorised: false }\n  Z: { kind: ziek, authorised: false }\n`,
    )
    expect(e.issues).toEqual([
      { path: "codes.L.authorised", message: "verzuim van de soort luxe-verzuim is altijd ongeoorloofd" },
      { path: "codes.G.authorised", message: "verzuim van de soort geoorloofd is altijd geoorloofd" },
    ])
  })

  it("reports broken YAML and JSON with their position", () => {
    expect(issuesOf("name: [niet af", "a.yaml").issues[0]?.message).toMatch(
      /^geen geldige YAML: fout op regel 1, kolom \d+$/,
    )
    expect(issuesOf("{", "a.json").issues[0]?.message).toMatch(/^geen geldige JSON/)
  })

  it("loads a JSON mapping from disk and refuses a missing file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mapping-"))
    const path = join(dir, "school.json")
    writeFileSync(
      path,
      JSON.stringify({
        name: "JSON",
        system: "anders",
        format: { delimiter: "," },
        columns: { pupilNumber: "Nr", date: "Datum", code: "Code", hours: "Uren" },
        codes: { Z: { kind: "ziek", authorised: true } },
      }),
    )
    const m = await Effect.runPromise(Mapping.load(path))
    expect(m.format.delimiter).toBe(",")
    const missing = await Effect.runPromiseExit(Mapping.load(join(dir, "weg.yaml")))
    expect(Exit.isFailure(missing)).toBe(true)
    expect(JSON.stringify(missing)).toContain("het bestand is niet te lezen")
  })
})
