/**
 * Checks referral files: decodes each against the referral schema and, when it is valid, runs the
 * national rules over it. Returns text lines, so the command line prints them and tests read them.
 */
import { readdir, readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { basename, dirname, join } from "node:path"
import { Assessment, Calendars, Decode, type LocalDate, Referral } from "@verzuimregie/domain"
import { Either } from "effect"

export interface FileResult {
  readonly file: string
  readonly valid: boolean
  readonly lines: ReadonlyArray<string>
}

const calendarsFor = (regionId: string) =>
  regionId in Calendars.seedRegions
    ? Calendars.byRegion[Calendars.seedRegions[regionId as keyof typeof Calendars.seedRegions]]
    : Calendars.midden

export const checkText = (file: string, text: string, on: LocalDate.LocalDate): FileResult => {
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
  const known = referral.regionId in Calendars.seedRegions
  const a = Assessment.assess(referral, { on, calendars: calendarsFor(referral.regionId) })
  const lines = [
    `✓ ${basename(file)}: geldig — regio ${referral.regionId}, soort verzuim: ${referral.verzuimKind}`,
    `    leeftijd ${a.age}, ${a.leerplicht.status}; toestemming nodig van: ${a.consent.requirement.mustConsent.join(" en ")}${
      a.consent.requirement.parentsMustBeInformed ? "; ouders informeren" : ""
    }`,
  ]
  if (!known) lines.push(`    (onbekende regio: voorbeeldkalender regio midden gebruikt)`)
  if (a.signals.length === 0) lines.push("    geen regels van toepassing")
  for (const s of a.signals) lines.push(`    [${s.severity}] ${s.message}`)
  return { file, valid: true, lines }
}

export const checkFiles = async (
  files: ReadonlyArray<string>,
  on: LocalDate.LocalDate,
): Promise<ReadonlyArray<FileResult>> =>
  Promise.all(
    files.map(async (file) => {
      try {
        return checkText(file, await readFile(file, "utf8"), on)
      } catch (cause) {
        return { file, valid: false, lines: [`✗ ${file}: niet te lezen (${(cause as Error).message})`] }
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
