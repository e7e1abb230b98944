/**
 * Checks referral files: decodes each against the referral schema and, when it is valid, runs the
 * national rules over it. Returns text lines, so the command line prints them and tests read them.
 */
import { readdir, readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { basename, dirname, join, resolve } from "node:path"
import { Assessment, Calendars, Decode, type Errors, type LocalDate, Referral } from "@verzuimregie/domain"
import { Either } from "effect"

export interface FileResult {
  readonly file: string
  readonly valid: boolean
  readonly lines: ReadonlyArray<string>
}

/**
 * A region's own acceptance of a referral (its plug-in's referral policy), as the gateway runs it
 * on `POST /referrals`. The gateway's command line supplies it from the region configuration.
 */
export interface RegionalCheck {
  readonly regionId: string
  /** How the output names the region, e.g. `westland (plug-in westland 1.0.0)`. */
  readonly label: string
  readonly check: (
    referral: Referral.ReferralSubmission,
    on: LocalDate.LocalDate,
  ) => ReadonlyArray<Errors.FieldIssue>
}

const calendarsFor = (regionId: string) =>
  regionId in Calendars.seedRegions
    ? Calendars.byRegion[Calendars.seedRegions[regionId as keyof typeof Calendars.seedRegions]]
    : Calendars.midden

export const checkText = (
  file: string,
  text: string,
  on: LocalDate.LocalDate,
  regional?: RegionalCheck,
): FileResult => {
  const decoded = Decode.decodeJson(Referral.ReferralSubmission, basename(file))(text)
  if (Either.isLeft(decoded)) {
    return {
      file,
      valid: false,
      lines: [
        `✗ ${basename(file)}: ongeldig`,
        ...decoded.left.issues.map((i) => `    ${i.path || "(bestand)"}: ${i.message}`),
      ],
    }
  }
  const referral = decoded.right
  if (regional !== undefined) {
    const refused =
      referral.regionId === regional.regionId
        ? regional.check(referral, on)
        : [
            {
              path: "regionId",
              message: `aanmelding voor regio ${referral.regionId}, gecontroleerd voor regio ${regional.regionId}`,
            },
          ]
    if (refused.length > 0) {
      return {
        file,
        valid: false,
        lines: [
          `✗ ${basename(file)}: geweigerd door regio ${regional.label}`,
          ...refused.map((i) => `    ${i.path || "(aanmelding)"}: ${i.message}`),
        ],
      }
    }
  }
  const known = referral.regionId in Calendars.seedRegions
  const a = Assessment.assess(referral, { on, calendars: calendarsFor(referral.regionId) })
  const lines = [
    `✓ ${basename(file)}: geldig — regio ${referral.regionId}${regional === undefined ? "" : ` (ook volgens ${regional.label})`}, soort verzuim: ${referral.verzuimKind}`,
    `    leeftijd ${a.age}, ${a.leerplicht.status}; toestemming nodig van: ${a.consent.requirement.mustConsent.join(" en ")}${
      a.consent.requirement.parentsMustBeInformed ? "; ouders informeren" : ""
    }`,
  ]
  if (!known) lines.push(`    (onbekende regio: voorbeeldkalender regio midden gebruikt)`)
  if (a.signals.length === 0) lines.push("    geen regels van toepassing")
  for (const s of a.signals) lines.push(`    [${s.severity}] ${s.message}`)
  return { file, valid: true, lines }
}

/** Checks files; a relative name is taken from the current directory, errors name the absolute path. */
export const checkFiles = async (
  files: ReadonlyArray<string>,
  on: LocalDate.LocalDate,
  regional?: RegionalCheck,
): Promise<ReadonlyArray<FileResult>> =>
  Promise.all(
    files.map(async (file) => {
      const path = resolve(file)
      try {
        return checkText(file, await readFile(path, "utf8"), on, regional)
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code
        const reason =
          code === "ENOENT"
            ? "bestand niet gevonden"
            : code === "EISDIR"
              ? "is een map, geen bestand"
              : `niet te lezen (${(cause as Error).message})`
        return { file, valid: false, lines: [`✗ ${path}: ${reason}`] }
      }
    }),
  )

/** The sample referral files shipped with the domain package. */
export const sampleFiles = async (): Promise<ReadonlyArray<string>> => {
  const dir = join(
    dirname(createRequire(import.meta.url).resolve("@verzuimregie/domain/package.json")),
    "samples",
    "referrals",
  )
  return (await readdir(dir))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f))
}
