/**
 * The shipped sample referrals: the valid ones decode and show what their names promise when the
 * national rules run over them; the invalid ones are rejected with the exact field paths and a
 * message that says why.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as Assessment from "../src/Assessment.js"
import * as Calendars from "../src/calendars/index.js"
import * as Decode from "../src/Decode.js"
import type { FieldIssue } from "../src/Errors.js"
import * as LocalDate from "../src/LocalDate.js"
import * as Referral from "../src/Referral.js"

const dir = fileURLToPath(new URL("../samples/referrals", import.meta.url))
const read = (file: string): string => readFileSync(join(dir, file), "utf8")
const decode = (file: string) => Decode.decodeJson(Referral.ReferralSubmission, file)(read(file))

const decoded = (file: string): Referral.ReferralSubmission => {
  const result = decode(file)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

const issuesOf = (file: string): ReadonlyArray<FieldIssue> => {
  const result = decode(file)
  if (Either.isRight(result)) throw new Error(`${file} decoded but should not`)
  return result.left.issues
}

// The dates in the samples fall in autumn 2026; assess them on the Monday after.
const on = LocalDate.make("2026-11-16")
const assess = (file: string) => {
  const referral = decoded(file)
  const region = Calendars.seedRegions[referral.regionId as keyof typeof Calendars.seedRegions]
  return Assessment.assess(referral, { on, calendars: Calendars.byRegion[region] })
}
const rules = (file: string) => assess(file).signals.map((s) => s.rule)

const validFiles = [
  "er-op-af-15-jaar.json",
  "er-op-af-16-jaar.json",
  "westland-jgz.json",
  "amstelland-langdurig.json",
  "westland-luxe-verzuim.json",
]

const invalidFiles = [
  "invalid-birth-date.json",
  "invalid-bsn.json",
  "invalid-missing-fields.json",
  "invalid-unknown-field.json",
  "invalid-absence-kind.json",
  "invalid-json.json",
]

describe("sample referral files", () => {
  it("the folder holds exactly the listed files, each described in the README", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"))
    expect(files.toSorted()).toEqual([...validFiles, ...invalidFiles].toSorted())
    const readme = readFileSync(join(dir, "..", "README.md"), "utf8")
    for (const file of files) expect(readme).toContain(`referrals/${file}`)
    expect(readme).toMatch(/synthetic/)
  })

  describe("valid files decode", () => {
    for (const file of validFiles) {
      it(file, () => {
        const referral = decoded(file)
        expect(referral.reasons.length).toBeGreaterThan(0)
        // No real person numbers: only the BRP test range.
        const number = referral.pupil.personNumber
        if (number?._tag === "bsn") expect(number.value).toMatch(/^99999\d{4}$/)
      })
    }
  })

  it("er-op-af-15-jaar: Leidschendam-Voorburg, coördinator, grijs verzuim, parents consented", () => {
    const referral = decoded("er-op-af-15-jaar.json")
    expect(referral.regionId).toBe("leidschendam-voorburg")
    expect(referral.referrer.role).toBe("coordinator-passend-onderwijs")
    expect(referral.verzuimKind).toBe("grijs")
    expect(referral.absence.records.every((r) => r.authorised)).toBe(true)
    const a = assess("er-op-af-15-jaar.json")
    expect(a.age).toBe(15)
    expect(a.consent.requirement.mustConsent).toEqual(["ouders"])
    expect(a.consent.missing).toEqual([])
    // Grey absence is exactly what the national rules do not catch.
    expect(a.signals).toEqual([])
  })

  it("er-op-af-16-jaar: pupil consented, parents informed, 16 hours reached", () => {
    const referral = decoded("er-op-af-16-jaar.json")
    expect(referral.consent.consents.map((c) => c.subject)).toEqual(["leerling"])
    expect(referral.consent.parentsInformedOn).toBe("2026-11-13")
    const a = assess("er-op-af-16-jaar.json")
    expect(a.age).toBe(16)
    expect(a.consent.requirement).toMatchObject({ mustConsent: ["leerling"], parentsMustBeInformed: true })
    expect(a.consent.missing).toEqual([])
    expect(rules("er-op-af-16-jaar.json")).toEqual(["meldplicht-relatief-verzuim"])
    expect(a.meldingen[0]?.hours).toBeGreaterThanOrEqual(16)
  })

  it("westland-jgz: referred by a jeugdarts, the 4th sick report within 12 school weeks triggers M@ZL", () => {
    const referral = decoded("westland-jgz.json")
    expect(referral.referrer.role).toBe("jeugdarts")
    expect(referral.verzuimKind).toBe("ziekteverzuim")
    const a = assess("westland-jgz.json")
    expect(a.mazl.map((t) => [t.rule, t.count, t.firesOn])).toEqual([["frequent", 4, "2026-10-29"]])
    expect(rules("westland-jgz.json")).toEqual(["mazl"])
  })

  it("amstelland-langdurig: at home over 3 months, 16 unauthorised hours within 4 school weeks", () => {
    const referral = decoded("amstelland-langdurig.json")
    expect(referral.regionId).toBe("amstelland-meerlanden")
    expect(referral.verzuimKind).toBe("langdurig")
    expect(referral.extension).toEqual({
      melding: "uitgebreid",
      gesprekMetOuders: true,
      kanaal: "regioloket",
    })
    const a = assess("amstelland-langdurig.json")
    expect(a.categorie).toBe("2b")
    expect(a.pact?.status).toBe("alarm")
    expect(a.meldingen.length).toBeGreaterThan(0)
    expect(a.meldingen[0]?.hours).toBeGreaterThanOrEqual(16)
    expect(new Set(rules("amstelland-langdurig.json"))).toEqual(
      new Set(["meldplicht-relatief-verzuim", "thuiszitter", "thuiszitterspact"]),
    )
  })

  it("westland-luxe-verzuim: luxe verzuim reportable from day 1; the missing consent is flagged", () => {
    const a = assess("westland-luxe-verzuim.json")
    expect(a.luxeVerzuim.map((l) => [l.from, l.to])).toEqual([["2026-10-14", "2026-10-16"]])
    expect(a.consent.missing.map((m) => m.code)).toEqual(["toestemming-ouders"])
    expect(rules("westland-luxe-verzuim.json")).toEqual(["toestemming", "meldplicht-luxe-verzuim"])
  })

  describe("invalid files are rejected with the offending paths and why", () => {
    it("invalid-birth-date: pupil.birthDate is not YYYY-MM-DD", () => {
      expect(issuesOf("invalid-birth-date.json")).toEqual([
        { path: "pupil.birthDate", message: "verwacht een bestaande datum (jjjj-mm-dd)" },
      ])
    })

    it("invalid-bsn: the BSN fails the elfproef", () => {
      const issues = issuesOf("invalid-bsn.json")
      expect(issues.map((i) => i.path)).toEqual(["pupil.personNumber.value"])
      expect(issues[0]?.message).toMatch(/elfproef/)
      expect(issues[0]?.message).toMatch(/147/)
    })

    it("invalid-missing-fields: referrer and reasons are required", () => {
      expect(issuesOf("invalid-missing-fields.json")).toEqual([
        { path: "referrer", message: "is verplicht" },
        { path: "reasons", message: "is verplicht" },
      ])
    })

    it("invalid-unknown-field: the misspelt field is named, and the real one is missing", () => {
      const issues = issuesOf("invalid-unknown-field.json")
      expect(issues.map((i) => i.path)).toEqual(["pupill", "pupil"])
      expect(issues[0]?.message).toMatch(/^onbekend veld; bekende velden: /)
      expect(issues[0]?.message).toContain('"pupil"')
      expect(issues[1]?.message).toBe("is verplicht")
    })

    it("invalid-absence-kind: unauthorised kind marked authorised, and 30 hours on one day", () => {
      // Exactly these two: no "Expected undefined" beside them for the optional `records` field.
      expect(issuesOf("invalid-absence-kind.json")).toEqual([
        {
          path: "absence.records[0].authorised",
          message: "verzuim van de soort ongeoorloofd is altijd ongeoorloofd",
        },
        {
          path: "absence.records[1].amount.value",
          message: "uren verzuimd op één dag: meer dan 0, hoogstens 12",
        },
      ])
    })

    it("invalid-json: broken JSON is one issue at the root", () => {
      const issues = issuesOf("invalid-json.json")
      expect(issues).toHaveLength(1)
      expect(issues[0]?.path).toBe("")
      expect(issues[0]?.message).toMatch(/^geen geldige JSON \(fout bij teken [0-9]+\)$/)
    })

    it("every invalid file is rejected, every valid file accepted", () => {
      for (const file of invalidFiles) expect(Either.isLeft(decode(file)), file).toBe(true)
      for (const file of validFiles) expect(Either.isRight(decode(file)), file).toBe(true)
    })
  })
})
