/**
 * A school year of absence imported through `POST /absence/imports` in one example format (issue
 * 15, "Done when"): the reader's sample generator writes the year for synthetic pupils with the
 * domain's planted pupils among them (one per signal type and per statutory boundary, and a clean
 * one), the school's user uploads it, and the signals list must show each planted pupil's expected
 * signals, none it forbids, and nothing for the clean pupil. Then a corrected file of the same
 * period: the signal it took away is withdrawn, and the records are the new file's, none doubled.
 *
 * Magister counts whole lessons of 50 minutes: its file carries the planted pupils planted in
 * whole lessons (`plantedPupils({ lessonMinutes: 50 })`: P-MELD-16 misses 20 lessons, 16 h 40 min;
 * P-MELD-15.5 19 lessons, 15 h 50 min), so every format checks every planted pupil.
 *
 * The absence-import-{magister,somtoday,eduarte}.test.ts files run one format each (a file stays
 * well under 15 s).
 */
import { Samples } from "@verzuimregie/absence-import"
import { Calendars, LocalDate } from "@verzuimregie/domain"
import { plantedPupils } from "@verzuimregie/domain/sample"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { absenceFingerprint, upload, XLSX } from "./absence.js"
import { type Gateway, startGateway } from "./gateway.js"

/** The peildatum: 2025/26, far enough into the year for the planted 2b pupil (> 3 months home). */
export const AS_OF = LocalDate.make("2026-03-20")

export interface Format {
  readonly system: Samples.System
  readonly format: "csv" | "xlsx"
  /** What the report must say it read. */
  readonly read: {
    readonly kind: "csv" | "xlsx"
    readonly delimiter: string | null
    readonly encoding: string | null
  }
  /** The lesson length when the system counts whole lessons (the planted pupils are planted in lessons). */
  readonly lessonMinutes?: number
}

export const FORMATS = {
  magister: {
    system: "magister",
    format: "csv",
    read: { kind: "csv", delimiter: ";", encoding: "windows-1252" },
    lessonMinutes: 50,
  },
  somtoday: {
    system: "somtoday",
    format: "csv",
    read: { kind: "csv", delimiter: ",", encoding: "utf-8" },
  },
  eduarte: {
    system: "eduarte",
    format: "xlsx",
    read: { kind: "xlsx", delimiter: null, encoding: null },
  },
} as const satisfies Record<string, Format>

type Signal = {
  readonly id: string
  readonly type: string
  readonly status: string
  readonly from: string
  readonly pupil: { readonly pupilNumber: string }
}

/** The open signal types per pupil, sorted. */
const typesByPupil = (signals: ReadonlyArray<Signal>, statuses = ["nieuw", "gezien"]) => {
  const out = new Map<string, Array<string>>()
  for (const s of signals) {
    if (!statuses.includes(s.status)) continue
    out.set(s.pupil.pupilNumber, [...(out.get(s.pupil.pupilNumber) ?? []), s.type].sort())
  }
  return out
}

export const describeSampleYearImport = (name: keyof typeof FORMATS): void => {
  const format: Format = FORMATS[name]
  let gateway: Gateway
  let school: { token: string; organisationId: string }
  const planted = plantedPupils({
    schoolYear: 2025,
    calendars: Calendars.midden,
    asOf: AS_OF,
    lessonMinutes: format.lessonMinutes,
  })
  const sample = (extraPupils = planted) =>
    Samples.schoolYear({
      system: format.system,
      schoolBrin: "12AB",
      pupils: 30,
      seed: 15,
      schoolYear: 2025,
      region: "midden",
      until: AS_OF,
      extraPupils,
      format: format.format,
    })
  const send = (file: Samples.SampleFile) =>
    upload(
      gateway,
      school.token,
      { school: school.organisationId, mapping: file.mapping, ...file.period, filename: file.fileName },
      file.bytes,
      format.format === "xlsx" ? XLSX : "text/csv",
    )
  const signals = async (): Promise<ReadonlyArray<Signal>> => {
    const reply = await gateway.request("GET", "/absence/signals", { token: school.token })
    expect(reply.status, reply.text).toBe(200)
    return reply.json
  }

  beforeAll(async () => {
    gateway = await startGateway({ today: AS_OF })
    school = await gateway.user(["school-verzuim"], ["westland"], { organisation: `School ${name}` })
  }, 60_000)
  afterAll(async () => {
    await gateway?.close()
  })

  describe(`a school year in the ${name} format (${format.read.kind}${format.read.delimiter === null ? "" : ` "${format.read.delimiter}" ${format.read.encoding}`})`, () => {
    it("is imported whole, and the signals list shows each planted pupil's signals and nothing for the clean one", async () => {
      const file = sample()
      const reply = await send(file)
      expect(reply.status, reply.text.slice(0, 2000)).toBe(200)
      expect(reply.json).toMatchObject({
        outcome: "geimporteerd",
        schoolId: school.organisationId,
        period: file.period,
        format: format.read,
        rows: { read: file.rows, imported: file.rows, skipped: 0 },
        replaced: 0,
        problemCount: 0,
        fileProblem: null,
      })
      expect(reply.json.signals.created).toBeGreaterThan(0)

      const found = typesByPupil(await signals())
      const wrong = planted.flatMap((p) => {
        const got = found.get(p.pupilNumber) ?? []
        const expected = [...p.expected].sort()
        const forbidden = got.filter((t) => p.forbidden.includes(t as never))
        return expected.every((t) => got.includes(t)) && forbidden.length === 0
          ? []
          : [
              `${p.pupilNumber} (${p.about}): expected ${expected.join(",") || "none"}, got ${got.join(",") || "none"}`,
            ]
      })
      expect(wrong).toEqual([])
      expect(found.get("P-SCHOON")).toBeUndefined()
    }, 30_000)

    it("replaces the period on a corrected file: the signal it took away is withdrawn, no record doubles", async () => {
      const before = await absenceFingerprint(gateway)
      // The correction: the 16-hour pupil's absence was registered on the wrong pupil, and is gone.
      const corrected = sample(planted.filter((p) => p.pupilNumber !== "P-MELD-16"))
      const reply = await send(corrected)
      expect(reply.status, reply.text.slice(0, 2000)).toBe(200)
      expect(reply.json.rows.imported).toBe(corrected.rows)
      expect(reply.json.replaced).toBe(before.absence_records)
      expect(reply.json.signals.withdrawn).toBeGreaterThanOrEqual(1)
      const after = await absenceFingerprint(gateway)
      expect(after.absence_records).toBe(corrected.rows)

      const all = await signals()
      const meld16 = all.filter((s) => s.pupil.pupilNumber === "P-MELD-16" && s.type === "meldplicht")
      // Withdrawn, not deleted and not doubled: the one signal, now `vervallen`.
      expect(meld16.map((s) => s.status)).toEqual(["vervallen"])
      // Every finding once: the re-import merged into the signals, it did not add a second set.
      const keys = all.map((s) => `${s.pupil.pupilNumber}:${s.type}:${s.from}`)
      expect(new Set(keys).size).toBe(keys.length)
      expect(typesByPupil(all).get("P-MELD-15.5")).toBeUndefined()
    }, 30_000)
  })
}
