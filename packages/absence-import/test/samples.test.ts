import { LocalDate } from "@verzuimregie/domain"
import { describe, expect, it } from "vitest"
import { Reader, Samples } from "../src/index.js"
import { readAll } from "./support.js"

const today = LocalDate.make("2026-11-29")

describe("Samples.schoolYear", () => {
  it.each(Samples.SYSTEMS)(
    "writes a year that the shipped %s mapping reads with no problems",
    async (system) => {
      const sample = Samples.schoolYear({ system, schoolBrin: "12AB", pupils: 60, seed: 7, schoolYear: 2025 })
      const r = await readAll(sample.bytes, {
        mapping: Samples.mappingOf(system),
        brin: "12AB",
        period: sample.period,
        today,
        fileName: sample.fileName,
      })
      expect(r.refused).toBeUndefined()
      expect(r.problems).toEqual([])
      expect(sample.rows).toBeGreaterThan(200)
      expect(r.rows.length).toBe(sample.rows)
      expect(r.result.format.kind).toBe(system === "eduarte" ? "xlsx" : "csv")
      // Every record comes back as written: same pupil, day, kind, authorisation and minutes.
      const written = sample.pupils.flatMap((p) =>
        p.records.map(
          (x) =>
            `${p.pupilNumber} ${x.date} ${x.kind} ${x.authorised} ${x.amount.unit === "hours" ? x.amount.value * 60 : x.amount.value * 50}`,
        ),
      )
      const read = r.rows.map((x) => `${x.pupilNumber} ${x.date} ${x.kind} ${x.authorised} ${x.minutes}`)
      expect(read.sort()).toEqual(written.sort())
    },
  )
})

describe("streaming", () => {
  it("reads a large generated file batch by batch while the file is still being generated", async () => {
    const options = {
      system: "magister",
      schoolBrin: "12AB",
      pupils: 2500,
      seed: 3,
      schoolYear: 2025,
    } as const
    let pulled = 0
    async function* source() {
      for (const chunk of Samples.schoolYearChunks(options)) {
        pulled++
        yield chunk
      }
    }
    const { items, result } = Reader.read(source(), {
      mapping: Samples.mappingOf("magister"),
      brin: "12AB",
      period: { from: LocalDate.make("2025-08-01"), to: LocalDate.make("2026-07-31") },
      today,
      fileName: "groot.csv",
    })
    let batches = 0
    let rows = 0
    let pulledAtFirstBatch = 0
    for await (const item of items) {
      expect(item._tag).toBe("rows")
      if (item._tag !== "rows") continue
      if (batches === 0) pulledAtFirstBatch = pulled
      batches++
      rows += item.rows.length
      expect(item.rows.length).toBeLessThanOrEqual(5000)
    }
    expect(rows).toBeGreaterThan(30_000)
    expect(batches).toBe(Math.ceil(rows / 5000))
    // The first batch came when a small part of the file had been made: nothing waits for all of it.
    expect(pulledAtFirstBatch).toBeLessThan(pulled / 3)
    expect(result()).toMatchObject({
      lines: rows + 1,
      rows,
      format: { kind: "csv", delimiter: ";", encoding: "windows-1252" },
    })
  })

  it("plants exact pupils into a file: their records come back as given", async () => {
    const planted = {
      pupilNumber: "T-001",
      records: [
        {
          date: LocalDate.make("2026-01-05"),
          amount: { unit: "hours", value: 2 },
          kind: "ongeoorloofd",
          authorised: false,
        },
        {
          date: LocalDate.make("2026-01-06"),
          amount: { unit: "hours", value: 5.5 },
          kind: "ziek",
          authorised: true,
        },
      ],
    } as const
    const sample = Samples.schoolYear({
      system: "somtoday",
      schoolBrin: "34CD",
      pupils: 5,
      seed: 1,
      schoolYear: 2025,
      extraPupils: [planted],
    })
    const r = await readAll(sample.bytes, {
      mapping: Samples.mappingOf("somtoday"),
      brin: "34CD",
      period: sample.period,
      today,
    })
    expect(r.problems).toEqual([])
    expect(
      r.rows.filter((x) => x.pupilNumber === "T-001").map((x) => [x.date, x.kind, x.authorised, x.minutes]),
    ).toEqual([
      ["2026-01-05", "ongeoorloofd", false, 120],
      ["2026-01-06", "ziek", true, 330],
    ])
    // A system that counts lessons refuses hours that are no whole number of lessons, rather than round them.
    expect(() =>
      Samples.schoolYear({
        system: "magister",
        schoolBrin: "12AB",
        pupils: 0,
        seed: 1,
        schoolYear: 2025,
        extraPupils: [planted],
      }),
    ).toThrow(/no whole number of 50-minute lessons/)
  })

  it("is deterministic per seed", () => {
    const a = Samples.schoolYear({
      system: "parnassys",
      schoolBrin: "x",
      pupils: 20,
      seed: 9,
      schoolYear: 2025,
    })
    const b = Samples.schoolYear({
      system: "parnassys",
      schoolBrin: "x",
      pupils: 20,
      seed: 9,
      schoolYear: 2025,
    })
    const c = Samples.schoolYear({
      system: "parnassys",
      schoolBrin: "x",
      pupils: 20,
      seed: 10,
      schoolYear: 2025,
    })
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true)
    expect(Buffer.from(a.bytes).equals(Buffer.from(c.bytes))).toBe(false)
  })
})
