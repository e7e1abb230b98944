/**
 * Benchmark: `AbsenceSignals.classify` on a region's school year, 1,000,000 absence records of
 * 20,000 pupils (sample profiles mixed, registered per lesson as school systems export them),
 * against a bare baseline in the same run: reading every record's date and hours and summing them
 * per pupil per school week with a sliding 4-week maximum — the least any classifier must do.
 * Not a test.
 *
 *   pnpm --filter @verzuimregie/domain bench                  # 20,000 pupils, 1,000,000 records
 *   pnpm --filter @verzuimregie/domain bench -- 5000 250000   # other counts
 *
 * Prints the median of 5 runs (after one warm-up) of each, records per second, and the signals
 * found per type.
 */
import { cpus } from "node:os"
// The built package, as the app and the gateway run it (tsx would wrap every function in `__name`).
import { classify, dayIndex } from "../dist/rules/AbsenceSignals.js"
import type { AbsenceRecord } from "../src/Absence.js"
import type { PupilAbsence } from "../src/AbsenceSignal.js"
import * as Calendars from "../src/calendars/index.js"
import * as LocalDate from "../src/LocalDate.js"
import { type AbsenceProfile, makeGenerator, Random } from "../src/sample/index.js"

const pupilCount = Number(process.argv[2] ?? 20_000)
const recordCount = Number(process.argv[3] ?? 1_000_000)
const RUNS = 5
const calendars = Calendars.midden
const from = LocalDate.make("2026-08-31")
const to = LocalDate.make("2027-07-16")
const asOf = to

const PROFILES: ReadonlyArray<readonly [AbsenceProfile, number]> = [
  ["regulier", 55],
  ["grijs", 15],
  ["spijbelaar", 12],
  ["ziek", 12],
  ["langdurig", 3],
  ["luxe", 3],
]

/** Day records of the profiles, then split per lesson; cut at `recordCount`. */
const makeData = (): Array<PupilAbsence> => {
  const generator = makeGenerator(2026)
  const random = Random.fromSeed(15)
  const pupils: Array<Array<AbsenceRecord>> = []
  let total = 0
  for (let i = 0; i < pupilCount; i++) {
    const days = generator.absenceRecords({
      from,
      to,
      profile: random.weighted(PROFILES),
      calendars,
      unit: "lessons",
      level: random.pick(["PO", "VO", "VO", "MBO", "SO"] as const),
    })
    const lessons: Array<AbsenceRecord> = []
    for (const r of days)
      for (let l = 0; l < r.amount.value; l++) lessons.push({ ...r, amount: { unit: "lessons", value: 1 } })
    pupils.push(lessons)
    total += lessons.length
  }
  // Spread the cut (or the top-up, repeating a pupil's own lessons) evenly over the pupils.
  const factor = recordCount / total
  let left = recordCount
  const out: Array<PupilAbsence> = pupils.map((records, i) => {
    const want = i === pupils.length - 1 ? left : Math.min(left, Math.round(records.length * factor))
    const cut: Array<AbsenceRecord> = []
    for (let j = 0; j < want && records.length > 0; j++) cut.push(records[j % records.length]!)
    cut.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    left -= cut.length
    return { pupilNumber: `L${String(i).padStart(6, "0")}`, records: cut }
  })
  return out
}

/** The baseline: every record's day and hours, per pupil per school week, a sliding 4-week maximum. */
const baseline = (pupils: ReadonlyArray<PupilAbsence>): number => {
  const epoch = new Map<string, number>()
  const first = LocalDate.toEpochDay(from)
  const last = LocalDate.toEpochDay(asOf)
  const index = dayIndex(calendars, first, last)
  const weeks = new Float64Array(Math.ceil(index.size / 7))
  let found = 0
  for (const p of pupils) {
    weeks.fill(0)
    let lo = weeks.length
    let hi = -1
    for (const r of p.records) {
      let d = epoch.get(r.date)
      if (d === undefined) {
        d = LocalDate.toEpochDay(r.date)
        epoch.set(r.date, d)
      }
      if (d > last) continue
      const w = index.schoolWeeksUpTo[Math.floor((d - index.base) / 7)]!
      const h = r.amount.unit === "hours" ? r.amount.value : (r.amount.value * 50) / 60
      weeks[w] = weeks[w]! + h
      if (w < lo) lo = w
      if (w > hi) hi = w
    }
    let sum = 0
    for (let w = lo; w <= hi; w++) {
      sum += weeks[w]! - (w - 4 >= lo ? weeks[w - 4]! : 0)
      if (sum >= 16) {
        found++
        break
      }
    }
  }
  return found
}

const median = (xs: ReadonlyArray<number>) => {
  const s = xs.toSorted((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const time = <A>(f: () => A): { readonly ms: number; readonly result: A } => {
  const t = process.hrtime.bigint()
  const result = f()
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, result }
}

const main = () => {
  const made = time(makeData)
  const pupils = made.result
  const records = pupils.reduce((n, p) => n + p.records.length, 0)
  console.log(
    `\n${records.toLocaleString("en")} records, ${pupils.length.toLocaleString("en")} pupils, ${from} – ${asOf}; Node ${process.version}, ${cpus().length} cores; data made in ${(made.ms / 1000).toFixed(1)} s\n`,
  )
  const results: Record<string, Array<number>> = { baseline: [], classify: [] }
  let signals: ReturnType<typeof classify> = []
  let found = 0
  for (let run = 0; run <= RUNS; run++) {
    const b = time(() => baseline(pupils))
    const c = time(() => classify(pupils, calendars, asOf))
    found = b.result
    signals = c.result
    if (run === 0) continue // warm-up
    results.baseline!.push(b.ms)
    results.classify!.push(c.ms)
  }
  console.log("| | median ms | min ms | max ms | records/s |")
  console.log("| --- | ---: | ---: | ---: | ---: |")
  for (const [name, ms] of Object.entries(results))
    console.log(
      `| ${name} | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)} | ${Math.max(...ms).toFixed(0)} | ${Math.round((records / median(ms)) * 1000).toLocaleString("en")} |`,
    )
  const perType = new Map<string, number>()
  for (const s of signals) perType.set(s.type, (perType.get(s.type) ?? 0) + 1)
  console.log(
    `\nclassify/baseline: ${(median(results.classify!) / median(results.baseline!)).toFixed(1)}×; baseline found ${found} pupils with 16 h in 4 school weeks`,
  )
  console.log(`signals: ${signals.length} (${[...perType].map(([t, n]) => `${t} ${n}`).join(", ")})`)
}

main()
