import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Either, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { definePlugin, type Plugin, RegionConfig } from "../src/index.js"

const plugin = definePlugin({
  manifest: {
    id: "proef",
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
  demo: { staffRole: "smw-verzuim", steps: [], close: ["sluit"] },
})

let dir = ""
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "verzuimregie-config-"))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Loads against the one-plug-in registry, which is valid: only the file's problems come back. */
const loadFile = async (file: string, registry: ReadonlyArray<Plugin.AnyRegionPlugin> = [plugin]) => {
  const result = await RegionConfig.loadRegionConfig(file, registry)
  if (Either.isLeft(result) && result.left._tag === "RegistryInvalid") throw new Error(result.left.message)
  return result as Either.Either<RegionConfig.LoadedConfig, RegionConfig.ConfigInvalid>
}

const load = async (name: string, text: string) => {
  const file = join(dir, name)
  await writeFile(file, text)
  return loadFile(file)
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
    const missing = await loadFile(join(dir, "nope.json"))
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
    const missing = await loadFile("config/bestaat-niet.yaml")
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

describe("the registry is checked before any region", () => {
  const registryMessage = async (registry: ReadonlyArray<Plugin.AnyRegionPlugin>) => {
    const file = join(dir, "registry.yaml")
    await writeFile(file, good)
    const result = await RegionConfig.loadRegionConfig(file, registry)
    return Either.isLeft(result) && result.left._tag === "RegistryInvalid" ? result.left.message : "(geladen)"
  }

  it("refuses two plug-ins with the same id, naming the id and both places", async () => {
    const twin = definePlugin({ ...plugin, manifest: { ...plugin.manifest, name: "Tweede proefregio" } })
    expect(await registryMessage([plugin, twin])).toBe(
      [
        "de lijst met plug-ins van deze installatie is ongeldig (1 probleem):",
        "  plug-in-id proef komt 2 keer voor (plaats 1 en 2); elke plug-in heeft een eigen id",
      ].join("\n"),
    )
  })

  it("decodes every manifest, also of a plug-in no region enables, and names the field", async () => {
    const broken = definePlugin({
      ...plugin,
      manifest: { ...plugin.manifest, id: "Zeeland Zuid", version: "één", municipalities: [] as never },
    })
    const message = await registryMessage([plugin, broken])
    expect(message.split("\n")).toEqual([
      "de lijst met plug-ins van deze installatie is ongeldig (3 problemen):",
      "  plug-in 2 (Zeeland Zuid): manifest.id: verwacht een naam in kleine letters zoals leidschendam-voorburg",
      "  plug-in 2 (Zeeland Zuid): manifest.version: verwacht een versie zoals 1.0.0",
      "  plug-in 2 (Zeeland Zuid): manifest.municipalities[0]: is verplicht",
    ])
  })

  it("refuses a workflow with a state or transition twice, and a demo course that does not follow the workflow", async () => {
    const { workflow } = plugin
    const doubled = definePlugin({
      ...plugin,
      manifest: { ...plugin.manifest, id: "dubbel" },
      workflow: {
        ...workflow,
        states: [...workflow.states, workflow.states[0]!],
        transitions: [...workflow.transitions, workflow.transitions[0]!],
      },
      demo: { staffRole: "smw-verzuim", steps: [{ take: "sluit", reaches: "open" }], close: ["open"] },
    })
    expect((await registryMessage([plugin, doubled])).split("\n").slice(1)).toEqual([
      "  plug-in 2 (dubbel): werkwijze: status open staat er twee keer in",
      "  plug-in 2 (dubbel): werkwijze: overgang sluit staat er twee keer in",
      "  plug-in 2 (dubbel): demo.steps[0]: overgang sluit leidt naar dicht, niet naar open",
      "  plug-in 2 (dubbel): demo.steps[0]: overgang sluit sluit de casus; zet die onder demo.close",
      "  plug-in 2 (dubbel): demo.close[0]: onbekende overgang open",
    ])
  })

  it("loads a registry that holds together", async () => {
    expect(await registryMessage([plugin])).toBe("(geladen)")
  })
})
