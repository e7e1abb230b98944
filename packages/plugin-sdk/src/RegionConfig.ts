/**
 * The region configuration file: which regions run on this installation, which plug-in each one
 * enables, and its settings (deadlines, thresholds, calendars, summary recipients and schedules).
 * JSON or YAML. Loading validates everything and reports every problem with its path; a process
 * never starts half-configured.
 *
 * @since 0.1.0
 */
import { readFile } from "node:fs/promises"
import { resolve } from "node:path"
import {
  AbsenceSignal,
  Access,
  Calendars,
  Decode,
  type Errors,
  Fields,
  HttpMeaning,
  Ids,
  Mazl,
  Region,
  ReportingDuty,
  SchoolCalendar,
  Text,
  Thuiszitterspact,
} from "@verzuimregie/domain"
import { Either, Schema } from "effect"
import { parseDocument } from "yaml"
import type { AnyRegionPlugin, Thresholds } from "./Plugin.js"
import { RegistryInvalid, registryProblems } from "./Registry.js"

/** `HH:MM`, 24-hour clock, Europe/Amsterdam. */
const TimeOfDay = Schema.String.pipe(
  Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d$/, { message: () => "verwacht een tijd zoals 07:00" }),
)

export const Recipient = Schema.Struct({
  email: Text.Email,
  /** The recipient's role; summaries are cut to what the role may see. */
  role: Access.UserRole,
  name: Fields.optional(Text.ShortText),
}).annotations({ identifier: "Recipient" })
export type Recipient = typeof Recipient.Type

export const Weekday = Schema.Literal(
  "maandag",
  "dinsdag",
  "woensdag",
  "donderdag",
  "vrijdag",
  "zaterdag",
  "zondag",
)
export type Weekday = typeof Weekday.Type

/** When a summary goes out (Europe/Amsterdam). */
export const Schedule = Schema.Union(
  Schema.Struct({ every: Schema.Literal("dag"), at: TimeOfDay }),
  Schema.Struct({ every: Schema.Literal("week"), on: Weekday, at: TimeOfDay }),
  Schema.Struct({
    every: Schema.Literal("maand"),
    day: Schema.Int.pipe(Schema.between(1, 28)),
    at: TimeOfDay,
  }),
  Schema.Struct({
    every: Schema.Literal("kwartaal"),
    dayOfQuarter: Schema.Int.pipe(Schema.between(1, 28)),
    at: TimeOfDay,
  }),
).annotations({ identifier: "Schedule" })
export type Schedule = typeof Schedule.Type

export const SummarySettings = Schema.Struct({
  recipients: Schema.NonEmptyArray(Recipient),
  schedule: Schedule,
}).annotations({ identifier: "SummarySettings" })
export type SummarySettings = typeof SummarySettings.Type

/** A rule of the summaries that the schema alone does not say, with its field in the region. */
export interface SummaryProblem {
  /** The field in the region's configuration, e.g. `inspectie.schedule.every`. */
  readonly field: string
  readonly message: string
}

/**
 * What mail needs of a region's summaries beyond their shape: a referrer does not receive the
 * region's staff summary (it lists every case of the region, not only their own referrals), and
 * the Inspectie overview is quarterly (the Inspectie asks the samenwerkingsverband for it per
 * quarter). The configuration check and the mail start-up both run this, so a file that
 * `check-config` passes is one the gateway starts with.
 */
export const summaryProblems = (region: {
  readonly summaries?: SummarySettings | undefined
  readonly inspectie?: SummarySettings | undefined
}): Array<SummaryProblem> => {
  const problems: Array<SummaryProblem> = []
  region.summaries?.recipients.forEach((recipient, i) => {
    if (recipient.role === "referrer") {
      problems.push({
        field: `summaries.recipients[${i}].role`,
        message:
          "een aanmelder krijgt het overzicht van de regio niet: het noemt elke casus van de regio. Gebruik coordinator, case-worker of admin",
      })
    }
  })
  if (region.inspectie !== undefined && region.inspectie.schedule.every !== "kwartaal") {
    problems.push({
      field: "inspectie.schedule.every",
      message: `het Inspectie-overzicht gaat per kwartaal: gebruik every: kwartaal (niet ${region.inspectie.schedule.every})`,
    })
  }
  return problems
}

export const RegionThresholds = Schema.Struct({
  reportingDuty: Fields.optional(ReportingDuty.ReportingDutyOptions),
  mazl: Fields.optional(Mazl.MazlOptions),
  thuiszitterspact: Fields.optional(Thuiszitterspact.ThuiszitterspactOptions),
  /**
   * The grijs-verzuim patterns of imported absence data (much authorised absence, a fixed
   * weekday, late arrival, a rising trend): no law, the region's judgement; defaults in
   * `AbsenceSignal.grijsDefaults`.
   */
  grijsVerzuim: Fields.optional(AbsenceSignal.GrijsVerzuimOptions),
}).annotations({ identifier: "RegionThresholds" })

/** School years of absence records kept by default: the current and the previous one. */
export const DEFAULT_ABSENCE_RETENTION_SCHOOL_YEARS = 2

/**
 * Imported absence data of the region's schools (bulk personal data about minors): how many
 * school years of records are kept, counting the current one. Housekeeping deletes older records
 * (AVG art. 5 lid 1 sub e, storage limitation).
 */
export const AbsenceSettings = Schema.Struct({
  retentionSchoolYears: Schema.optionalWith(
    Schema.Int.pipe(
      Schema.between(1, 10, {
        message: () =>
          "een geheel aantal schooljaren van 1 tot en met 10 (1 = alleen het lopende schooljaar)",
      }),
    ),
    { default: () => DEFAULT_ABSENCE_RETENTION_SCHOOL_YEARS },
  ),
}).annotations({ identifier: "AbsenceSettings" })
export type AbsenceSettings = typeof AbsenceSettings.Type

export const RegionEntry = Schema.Struct({
  id: Ids.RegionId,
  name: Text.ShortText,
  holidayRegion: Region.HolidayRegion,
  municipalities: Schema.NonEmptyArray(Text.ShortText),
  /** The plug-in this region enables, by id (see the registry). */
  plugin: Ids.PluginId,
  /** The plug-in's own settings; checked against the plug-in's schema. */
  settings: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), {
    default: () => ({}),
  }),
  thresholds: Schema.optionalWith(RegionThresholds, { default: () => ({}) }),
  calendar: Schema.optionalWith(
    Schema.Struct({
      /** The region's own calendars; without them the shipped sample calendars are used. */
      schoolYears: Fields.optional(Schema.Array(SchoolCalendar.SchoolCalendar)),
      schools: Fields.optional(Schema.Array(SchoolCalendar.SchoolOverride)),
    }),
    { default: () => ({}) },
  ),
  /** The staff summary: recipients and schedule (for example weekly on maandag at 07:00). */
  summaries: Fields.optional(SummarySettings),
  /** The Inspectie quarterly thuiszitters overview. */
  inspectie: Fields.optional(SummarySettings),
  /** Imported absence data: retention (default: the current and the previous school year). */
  absence: Schema.optionalWith(AbsenceSettings, {
    default: () => ({ retentionSchoolYears: DEFAULT_ABSENCE_RETENTION_SCHOOL_YEARS }),
  }),
}).annotations({ identifier: "RegionEntry" })
export type RegionEntry = typeof RegionEntry.Type

/** The whole file, for documentation and JSON Schema; loading checks it region by region. */
export const RegionConfigFile = Schema.Struct({
  version: Schema.Literal(1),
  regions: Schema.NonEmptyArray(RegionEntry),
}).annotations({ identifier: "RegionConfigFile", title: "Regioconfiguratie" })
export type RegionConfigFile = typeof RegionConfigFile.Type

/** A region as the running system sees it: its plug-in, decoded settings and calendars. */
export interface EnabledRegion {
  readonly region: Region.Region
  readonly plugin: AnyRegionPlugin
  readonly settings: unknown
  readonly thresholds: Thresholds
  readonly calendars: ReadonlyArray<SchoolCalendar.SchoolCalendar>
  /** Per school name: that school's calendars. */
  readonly schoolCalendars: ReadonlyMap<string, ReadonlyArray<SchoolCalendar.SchoolCalendar>>
  readonly usesSampleCalendar: boolean
  readonly summaries: SummarySettings | undefined
  readonly inspectie: SummarySettings | undefined
  /** Imported absence data: how long its records are kept. */
  readonly absence: AbsenceSettings
}

export interface LoadedConfig {
  readonly file: string
  readonly regions: ReadonlyArray<EnabledRegion>
}

/** Everything wrong with a configuration file, each with its path. */
export class ConfigInvalid extends Schema.TaggedError<ConfigInvalid>()(
  "ConfigInvalid",
  {
    file: Schema.String,
    issues: Schema.NonEmptyArray(Schema.Struct({ path: Schema.String, message: Schema.String })),
  },
  // An operator's failure (start-up, command line, worker), never a client's: 500 if it reached a route.
  HttpMeaning.status(500),
) {
  override get message(): string {
    return `${this.file}: de configuratie is ongeldig (${this.issues.length} ${this.issues.length === 1 ? "probleem" : "problemen"}):\n${this.issues
      .map((i) => `  ${i.path || "(bestand)"}: ${i.message}`)
      .join("\n")}`
  }
}

const parseText = (file: string, text: string): Either.Either<unknown, Errors.FieldIssue> => {
  if (/\.ya?ml$/i.test(file)) {
    const doc = parseDocument(text, { prettyErrors: true })
    const error = doc.errors[0]
    if (error !== undefined) {
      // With prettyErrors the first line ends in "at line L, column C:".
      return Either.left({
        path: "",
        message: `geen geldige YAML: ${yamlWhere(error.message.split("\n")[0] ?? "")}`,
      })
    }
    return Either.right(doc.toJS())
  }
  try {
    return Either.right(JSON.parse(text))
  } catch (cause) {
    return Either.left({ path: "", message: Decode.notJson(cause) })
  }
}

/** The YAML parser's first line ("… at line 3, column 5") with its position in Dutch. */
const yamlWhere = (line: string): string => {
  const at = /at line (\d+), column (\d+)/.exec(line)
  return at === null ? "de syntaxis klopt niet" : `fout op regel ${at[1]}, kolom ${at[2]}`
}

const prefixed = (prefix: string, path: string) =>
  path === "" ? prefix : path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`

const ConfigEnvelope = Schema.Struct({
  version: Schema.Literal(1),
  regions: Schema.NonEmptyArray(Schema.Unknown),
})

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Checks a parsed configuration against the registry. First the registry itself
 * (`Registry.registryProblems`: manifests, unique ids, workflows, demo courses, routes): a broken
 * registry refuses every configuration. Then every region on its own (so one broken region does
 * not hide another's problems): its plug-in exists, its settings fit the plug-in, no region twice.
 */
export const resolveConfig = (
  file: string,
  input: unknown,
  registry: ReadonlyArray<AnyRegionPlugin>,
): Either.Either<LoadedConfig, ConfigInvalid | RegistryInvalid> => {
  const [registryProblem, ...moreRegistryProblems] = registryProblems(registry)
  if (registryProblem !== undefined)
    return Either.left(new RegistryInvalid({ problems: [registryProblem, ...moreRegistryProblems] }))
  const envelope = Decode.decodeUnknown(ConfigEnvelope, file)(input)
  if (Either.isLeft(envelope)) return Either.left(new ConfigInvalid({ file, issues: envelope.left.issues }))
  const issues: Array<Errors.FieldIssue> = []
  const regions: Array<EnabledRegion> = []
  const seen = new Set<string>()
  envelope.right.regions.forEach((raw, index) => {
    const at = `regions[${index}]`
    const decoded = Decode.decodeUnknown(RegionEntry, at)(raw)
    if (Either.isLeft(decoded))
      for (const i of decoded.left.issues) issues.push({ path: prefixed(at, i.path), message: i.message })
    // The plug-in and its settings are checked even when other fields of the region are wrong.
    const pluginId = isRecord(raw) ? raw.plugin : undefined
    const plugin = registry.find((p) => p.manifest.id === pluginId)
    if (typeof pluginId === "string" && Schema.is(Ids.PluginId)(pluginId) && plugin === undefined) {
      issues.push({
        path: `${at}.plugin`,
        message: `onbekende plug-in "${pluginId}"; deze installatie levert: ${registry.map((p) => p.manifest.id).join(", ")}`,
      })
    }
    const rawSettings = isRecord(raw) && raw.settings !== undefined ? raw.settings : {}
    const settings =
      plugin === undefined ? undefined : Decode.decodeUnknown(plugin.settings, `${at}.settings`)(rawSettings)
    if (settings !== undefined && Either.isLeft(settings)) {
      for (const i of settings.left.issues)
        issues.push({ path: prefixed(`${at}.settings`, i.path), message: i.message })
    }
    if (Either.isLeft(decoded) || plugin === undefined || settings === undefined || Either.isLeft(settings))
      return
    const entry = decoded.right
    for (const problem of summaryProblems(entry))
      issues.push({ path: `${at}.${problem.field}`, message: problem.message })
    if (seen.has(entry.id))
      issues.push({ path: `${at}.id`, message: `regio ${entry.id} is twee keer geconfigureerd` })
    seen.add(entry.id)
    const own = entry.calendar.schoolYears
    const calendars = own ?? Calendars.byRegion[entry.holidayRegion]
    own?.forEach((c, i) => {
      if (c.region !== entry.holidayRegion) {
        issues.push({
          path: `${at}.calendar.schoolYears[${i}].region`,
          message: `kalender van vakantieregio ${c.region} in een regio van vakantieregio ${entry.holidayRegion}`,
        })
      }
    })
    const schoolCalendars = new Map<string, Array<SchoolCalendar.SchoolCalendar>>()
    entry.calendar.schools?.forEach((override, i) => {
      if (!calendars.some((c) => c.schoolYear === override.schoolYear)) {
        issues.push({
          path: `${at}.calendar.schools[${i}].schoolYear`,
          message: `geen kalender van ${override.schoolYear} om de eigen kalender van de school op toe te passen`,
        })
        return
      }
      const current = schoolCalendars.get(override.school) ?? [...calendars]
      schoolCalendars.set(
        override.school,
        current.map((c) =>
          c.schoolYear === override.schoolYear ? SchoolCalendar.applyOverride(c, override) : c,
        ),
      )
    })
    regions.push({
      region: {
        id: entry.id,
        name: entry.name,
        holidayRegion: entry.holidayRegion,
        municipalities: entry.municipalities,
      },
      plugin,
      settings: settings.right,
      thresholds: {
        reportingDuty: { ...plugin.thresholds.reportingDuty, ...entry.thresholds.reportingDuty },
        mazl: { ...plugin.thresholds.mazl, ...entry.thresholds.mazl },
        thuiszitterspact: { ...plugin.thresholds.thuiszitterspact, ...entry.thresholds.thuiszitterspact },
        grijsVerzuim: { ...plugin.thresholds.grijsVerzuim, ...entry.thresholds.grijsVerzuim },
      },
      calendars,
      schoolCalendars,
      usesSampleCalendar: own === undefined || own.some((c) => c.sample),
      summaries: entry.summaries,
      inspectie: entry.inspectie,
      absence: entry.absence,
    })
  })
  const [first, ...rest] = issues
  return first === undefined
    ? Either.right({ file, regions })
    : Either.left(new ConfigInvalid({ file, issues: [first, ...rest] }))
}

/**
 * Reads, parses and resolves a configuration file; every problem comes back at once. A relative
 * `file` is taken from the current directory; errors name the absolute path that was tried.
 */
export const loadRegionConfig = async (
  relativeOrAbsolute: string,
  registry: ReadonlyArray<AnyRegionPlugin>,
): Promise<Either.Either<LoadedConfig, ConfigInvalid | RegistryInvalid>> => {
  const file = resolve(relativeOrAbsolute)
  let text: string
  try {
    text = await readFile(file, "utf8")
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    return Either.left(
      new ConfigInvalid({
        file,
        issues: [
          {
            path: "",
            message:
              code === "ENOENT"
                ? `bestand niet gevonden: ${file}`
                : `niet te lezen: ${file} (${code ?? "onbekende fout"})`,
          },
        ],
      }),
    )
  }
  const parsed = parseText(file, text)
  if (Either.isLeft(parsed)) return Either.left(new ConfigInvalid({ file, issues: [parsed.left] }))
  return resolveConfig(file, parsed.right, registry)
}
