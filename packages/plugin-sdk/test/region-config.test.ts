import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Either, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { definePlugin, type Plugin, RegionConfig } from "../src/index.js"

const plugin = definePlugin({
  manifest: {
    id: "proef" as Plugin.PluginManifest["id"],
    name: "Proefregio",
    version: "0.1.0",
    description: "Een regio om mee te testen.",
    municipalities: ["Proefstad"],
    organisations: [],
    contactRoles: ["smw-verzuim"],
  },
  settings: Schema.Struct({
    firstContactWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 30)), {
      default: () => 5,
    }),
  }),
  referral: {
    referrerRoles: ["mentor"],
    consentPolicy: "referral",
    consentAlwaysRecorded: false,
    extension: Schema.Struct({}),
    exampleExtension: {},
  },
  workflow: {
    initial: "open",
    states: [
      { id: "open", label: "Open", description: "Open" },
      { id: "dicht", label: "Dicht", description: "Dicht", final: true },
    ],
    transitions: [
      {
        id: "sluit",
        label: "Sluit",
        from: ["open"],
        to: "dicht",
        roles: ["case-worker"],
        guards: [],
        outcomes: ["anders"],
      },
    ],
  },
  deadlines: [],
  thresholds: { thuiszitterspact: { warningDays: 30 } },
  catalogue: [],
  outcomes: ["anders"],
  runningInterventionsAtClose: "refuse",
  reports: { caseColumns: [] },
})

let dir = ""
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-config-"))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const load = async (name: string, text: string) => {
  const file = join(dir, name)
  await writeFile(file, text)
  return RegionConfig.loadRegionConfig(file, [plugin])
}

const good = `
version: 1
regions:
  - id: proefstad
    name: Proefstad
    holidayRegion: midden
    municipalities: [Proefstad]
    plugin: proef
    settings:
      firstContactWorkingDays: 3
    thresholds:
      mazl: { reportsThreshold: 3 }
    calendar:
      schools:
        - school: De Klimop
          schoolYear: 2025/26
          freeDays: [{ name: studiedag, date: 2026-03-12 }]
    summaries:
      recipients: [{ email: coordinator@proefstad.example, role: coordinator }]
      schedule: { every: week, on: maandag, at: "07:00" }
`

describe("region configuration", () => {
  it("loads a valid YAML file: settings decoded with defaults, thresholds merged, school calendars applied", async () => {
    const result = await load("good.yaml", good)
    expect(Either.isRight(result)).toBe(true)
    if (Either.isLeft(result)) return
    const [region] = result.right.regions
    expect(region?.region.id).toBe("proefstad")
    expect(region?.settings).toEqual({ firstContactWorkingDays: 3 })
    expect(region?.thresholds.thuiszitterspact).toEqual({ warningDays: 30 })
    expect(region?.thresholds.mazl).toMatchObject({ reportsThreshold: 3, consecutiveDaysThreshold: 7 })
    expect(region?.usesSampleCalendar).toBe(true)
    const klimop = region?.schoolCalendars.get("De Klimop")
    expect(
      klimop?.find((c) => c.schoolYear === "2025/26")?.freeDays.some((d) => d.name === "studiedag"),
    ).toBe(true)
    expect(region?.summaries?.schedule).toEqual({ every: "week", on: "maandag", at: "07:00" })
  })

  it("reports every problem of a broken file with its path, at once", async () => {
    const broken = good
      .replace("holidayRegion: midden", "holidayRegion: oost")
      .replace("firstContactWorkingDays: 3", "firstContactWorkingDays: drie")
      .replace("coordinator@proefstad.example", "geen-adres")
      .replace('at: "07:00"', 'at: "7 uur"')
    const result = await load("broken.yaml", broken)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isRight(result)) return
    const paths = result.left.issues.map((i) => i.path)
    expect(paths).toEqual(
      expect.arrayContaining(["regions[0].holidayRegion", "regions[0].summaries.recipients[0].email"]),
    )
    expect(paths.some((p) => p.startsWith("regions[0].summaries.schedule"))).toBe(true)
    expect(result.left.message).toMatch(/broken\.yaml: de configuratie is ongeldig/)
  })

  it("checks a region's plug-in settings against the plug-in's schema, with the path into the file", async () => {
    const result = await load(
      "settings.yaml",
      good.replace("firstContactWorkingDays: 3", "firstContactWorkingDays: 99"),
    )
    expect(Either.isLeft(result) ? result.left.issues : []).toEqual([
      {
        path: "regions[0].settings.firstContactWorkingDays",
        message: "verwacht een getal van 1 tot en met 30; ontvangen: 99",
      },
    ])
  })

  it("names an unknown plug-in and lists the ones installed", async () => {
    const result = await load("unknown.yaml", good.replace("plugin: proef", "plugin: zeeland"))
    expect(Either.isLeft(result) ? result.left.issues : []).toEqual([
      { path: "regions[0].plugin", message: 'onbekende plug-in "zeeland"; deze installatie levert: proef' },
    ])
  })

  it("refuses a region configured twice, broken YAML, and a missing file", async () => {
    const twice = good + good.slice(good.indexOf("  - id: proefstad"))
    const dup = await load("twice.yaml", twice)
    expect(Either.isLeft(dup) ? dup.left.issues : []).toContainEqual({
      path: "regions[1].id",
      message: "regio proefstad is twee keer geconfigureerd",
    })
    const yaml = await load("bad.yaml", "version: 1\nregions: [\n")
    expect(Either.isLeft(yaml) ? yaml.left.issues[0]?.message : "").toMatch(
      /^geen geldige YAML: fout op regel 3, kolom 1$/,
    )
    const missing = await RegionConfig.loadRegionConfig(join(dir, "nope.json"), [plugin])
    expect(Either.isLeft(missing) ? missing.left.issues : []).toEqual([
      { path: "", message: `bestand niet gevonden: ${join(dir, "nope.json")}` },
    ])
  })

  it("refuses what mail would refuse at start-up: a weekly Inspectie overview, a referrer on the summary", async () => {
    const result = await load(
      "mail-rules.yaml",
      [
        "version: 1",
        "regions:",
        "  - { id: proefstad, name: Proefstad, holidayRegion: midden, municipalities: [Proefstad], plugin: proef,",
        "      summaries: { recipients: [{ email: a@school.example, role: referrer }], schedule: { every: week, on: maandag, at: '07:00' } },",
        "      inspectie: { recipients: [{ email: b@swv.example, role: coordinator }], schedule: { every: week, on: maandag, at: '07:00' } } }",
      ].join("\n"),
    )
    expect(Either.isLeft(result) ? result.left.issues.map((i) => i.path) : []).toEqual([
      "regions[0].summaries.recipients[0].role",
      "regions[0].inspectie.schedule.every",
    ])
  })

  it("takes a relative file from the current directory and names the absolute path when it is missing", async () => {
    const missing = await RegionConfig.loadRegionConfig("config/bestaat-niet.yaml", [plugin])
    const expected = join(process.cwd(), "config", "bestaat-niet.yaml")
    expect(Either.isLeft(missing) ? [missing.left.file, missing.left.issues[0]?.message] : []).toEqual([
      expected,
      `bestand niet gevonden: ${expected}`,
    ])
  })

  it("reads JSON as well", async () => {
    const result = await load(
      "regions.json",
      JSON.stringify({
        version: 1,
        regions: [
          {
            id: "proefstad",
            name: "Proefstad",
            holidayRegion: "noord",
            municipalities: ["Proefstad"],
            plugin: "proef",
          },
        ],
      }),
    )
    expect(Either.isRight(result)).toBe(true)
  })
})
