import { execFile } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { LocalDate } from "@verzuimregie/domain"
import { describe, expect, it } from "vitest"
import { checkFiles, sampleFiles } from "../src/check.js"

const on = LocalDate.make("2026-11-16")
const run = promisify(execFile)
const bin = fileURLToPath(new URL("../dist/main.js", import.meta.url))

const resultsByFile = async () => {
  const results = await checkFiles(await sampleFiles(), on)
  return new Map(results.map((r) => [r.file.split("/").at(-1)!, r]))
}

describe("checking the sample referrals", () => {
  it("finds the five valid and six invalid samples", async () => {
    const results = await resultsByFile()
    expect([...results.values()].filter((r) => r.valid).map((r) => r.file.split("/").at(-1))).toEqual([
      "amstelland-langdurig.json",
      "er-op-af-15-jaar.json",
      "er-op-af-16-jaar.json",
      "westland-jgz.json",
      "westland-luxe-verzuim.json",
    ])
    expect([...results.values()].filter((r) => !r.valid)).toHaveLength(6)
  })

  it("names every invalid field with its reason", async () => {
    const results = await resultsByFile()
    const lines = (file: string) =>
      results
        .get(file)
        ?.lines.slice(1)
        .map((l) => l.trim()) ?? []
    expect(lines("invalid-birth-date.json")).toEqual([
      "pupil.birthDate: verwacht een bestaande datum (jjjj-mm-dd)",
    ])
    expect(lines("invalid-bsn.json")[0]).toMatch(
      /^pupil\.personNumber\.value: het BSN voldoet niet aan de elfproef/,
    )
    expect(lines("invalid-missing-fields.json")).toEqual(["referrer: is verplicht", "reasons: is verplicht"])
    expect(lines("invalid-unknown-field.json")[0]).toMatch(/^pupill: onbekend veld/)
    expect(lines("invalid-absence-kind.json")).toEqual([
      "absence.records[0].authorised: verzuim van de soort ongeoorloofd is altijd ongeoorloofd",
      "absence.records[1].amount.value: uren verzuimd op één dag: meer dan 0, hoogstens 12",
    ])
    expect(lines("invalid-json.json")[0]).toMatch(/^\(bestand\): geen geldige JSON/)
  })

  it("shows which rules fire on the valid ones", async () => {
    const results = await resultsByFile()
    const text = (file: string) => results.get(file)?.lines.join("\n") ?? ""
    expect(text("er-op-af-15-jaar.json")).toContain("geen regels van toepassing")
    expect(text("er-op-af-16-jaar.json")).toContain("toestemming nodig van: leerling; ouders informeren")
    expect(text("er-op-af-16-jaar.json")).toMatch(/Meldplicht DUO: 1\d(,\d+)? uur ongeoorloofd verzuim/)
    expect(text("westland-jgz.json")).toContain("M@ZL: 4e ziekmelding binnen 12 schoolweken")
    expect(text("amstelland-langdurig.json")).toContain("Thuiszitter, categorie 2b")
    expect(text("amstelland-langdurig.json")).toContain("[alarm] Thuiszitterspact")
    expect(text("westland-luxe-verzuim.json")).toContain("toestemming ouders ontbreekt")
    expect(text("westland-luxe-verzuim.json")).toMatch(/Luxe verzuim van 2026-10-\d\d/)
  })
})

describe("the command line", () => {
  it("exits 0 on the samples, 1 on an invalid file of one's own, 2 on a bad option", async () => {
    const samples = await run(process.execPath, [bin, "--on", on])
    expect(samples.stdout).toContain("5 geldig, 6 ongeldig")
    const dir = await mkdtemp(join(tmpdir(), "verzuimregie-demo-"))
    try {
      const file = join(dir, "eigen.json")
      await writeFile(file, JSON.stringify({ regionId: "westland" }))
      const own = await run(process.execPath, [bin, file]).catch((e: { code: number; stdout: string }) => e)
      expect("code" in own ? own.code : 0).toBe(1)
      expect(own.stdout).toContain("referrer: is verplicht")
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    const bad = await run(process.execPath, [bin, "--on", "gisteren"]).catch(
      (e: { code: number; stderr: string }) => e,
    )
    expect("code" in bad ? bad.code : 0).toBe(2)
    expect(bad.stderr).toContain("--on: verwacht een datum JJJJ-MM-DD")
  })
})
