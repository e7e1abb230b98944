/**
 * Benchmark: 100,000 synthetic cases to a case-list workbook, against SheetJS writing the same
 * rows directly (`XLSX.utils.aoa_to_sheet` + `XLSX.write`), in the same run. Not a test.
 *
 *   pnpm --filter @verzuimregie/export-xlsx bench            # builds, then 100,000 cases
 *   pnpm --filter @verzuimregie/export-xlsx bench -- 20000   # another count
 *
 * The parent makes the synthetic cases once (deterministic seed) and writes them, and their rows,
 * as NDJSON to a temporary folder. Every measurement runs in a fresh child process that reads the
 * data line by line, so each one's peak RSS (getrusage) is its own, and "RSS before" is just the
 * loaded data. The two "rows → file" measurements start from the computed rows; the "cases → file"
 * ones include the plug-in's column functions, as the gateway runs them.
 */
import { spawnSync } from "node:child_process"
import * as Fs from "node:fs"
import { cpus, tmpdir } from "node:os"
import * as Path from "node:path"
import * as Readline from "node:readline"
import { fileURLToPath } from "node:url"
import { Amsterdam, Case, LocalDate } from "@verzuimregie/domain"
import { makeGenerator } from "@verzuimregie/domain/sample"
import westland, { type Settings } from "@verzuimregie/plugin-westland"
import { Either } from "effect"
// The built package, as the gateway runs it (the worker thread loads the built script too).
import { CaseList, type Cells, Export } from "../dist/index.js"

type Value = Cells.Value

import { XLSX } from "../dist/internal/xlsx.js"

const MODES = {
  sheetjs: "SheetJS direct: rows → aoa_to_sheet + XLSX.write",
  rows: "export-xlsx: rows → Export.exportSheets (this thread)",
  cases: "export-xlsx: cases → CaseList.exportCases (this thread)",
  worker: "export-xlsx: cases → CaseList.exportCases (worker thread)",
  cached:
    "export-xlsx: cases → CaseList.exportCases (this thread), `aangemeld` column with a formatter made once",
} as const
type Mode = keyof typeof MODES

interface Result {
  readonly mode: Mode
  readonly rows: number
  readonly ms: number
  readonly bytes: number
  /** RSS when the data was ready, before the clock started. */
  readonly rssBeforeMb: number
  /** Peak RSS of the whole process (getrusage), in MB. */
  readonly peakRssMb: number
  /** Largest heap in use seen during the export (sampled at every chunk and right after the write). */
  readonly peakHeapMb: number
  /** Longest stretch the main thread's event loop was blocked. */
  readonly stallMs: number
}

const mb = (bytes: number) => Math.round(bytes / 1_048_576)

const ON = LocalDate.make("2026-11-02")
const CONTEXT = {
  on: ON,
  settings: { firstContactWorkingDays: 5, referrerFeedbackWorkingDays: 5 } as Settings,
  calendars: [],
}

/** Makes the cases and their rows once, as NDJSON files. Returns how long the column values took. */
const prepare = async (count: number, dir: string): Promise<number> => {
  const columns = CaseList.columnsOf(westland, false)
  const states = Fs.createWriteStream(Path.join(dir, "states.ndjson"))
  const rows = Fs.createWriteStream(Path.join(dir, "rows.ndjson"))
  let columnsMs = 0
  const write = (stream: Fs.WriteStream, line: string) =>
    stream.write(`${line}\n`) ? Promise.resolve() : new Promise<void>((r) => stream.once("drain", () => r()))
  for (const h of makeGenerator(1, { on: ON }).cases(count, { absenceWeeks: 0 })) {
    const state = Either.getOrThrow(Case.fold(h.caseId, h.events))
    const started = performance.now()
    const row = CaseList.rowOf(columns, CONTEXT, state)
    columnsMs += performance.now() - started
    await write(states, JSON.stringify(state))
    await write(rows, JSON.stringify(row))
  }
  await Promise.all([states, rows].map((s) => new Promise((r) => s.end(r))))
  return Math.round(columnsMs)
}

/**
 * Westland's columns with the "Aangemeld op" value computed by a date formatter made once, as the
 * domain's `LocalDate.todayInAmsterdam` would with its formatter cached: what that fix would give.
 */
const withCachedOpenedOn = {
  ...westland,
  reports: {
    caseColumns: westland.reports.caseColumns.map((c) =>
      c.key === "aangemeld"
        ? {
            ...c,
            value: ({ state }: { readonly state: Case.CaseState }) => Amsterdam.dateOf(state.openedAt),
          }
        : c,
    ),
  },
}

const readLines = async <A>(file: string): Promise<Array<A>> => {
  const out: Array<A> = []
  const lines = Readline.createInterface({
    input: Fs.createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  for await (const line of lines) if (line !== "") out.push(JSON.parse(line) as A)
  return out
}

const child = async (mode: Mode, count: number, dir: string): Promise<Result> => {
  const columns = CaseList.columnsOf(westland, false)
  const spec = CaseList.specOf(columns)
  const needRows = mode === "sheetjs" || mode === "rows"
  const states = needRows ? [] : await readLines<Case.CaseState>(Path.join(dir, "states.ndjson"))
  const rows = needRows ? await readLines<Array<Value>>(Path.join(dir, "rows.ndjson")) : []
  // SheetJS gets the same values, dates as Date objects so that it writes date cells too.
  const aoa =
    mode === "sheetjs"
      ? [
          spec.columns.map((c) => c.header),
          ...rows.map((r) =>
            r.map((v, i) =>
              spec.columns[i]?.kind === "date" && typeof v === "string" ? new Date(`${v}T00:00:00Z`) : v,
            ),
          ),
        ]
      : []
  if (mode === "sheetjs") rows.length = 0
  globalThis.gc?.()
  const rssBefore = process.memoryUsage().rss
  let peakHeap = process.memoryUsage().heapUsed
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
  }
  let last = performance.now()
  let stall = 0
  const timer = setInterval(() => {
    const now = performance.now()
    stall = Math.max(stall, now - last)
    last = now
    sample()
  }, 5)
  const started = performance.now()
  let file: Buffer
  switch (mode) {
    case "sheetjs": {
      const sheet = XLSX.utils.aoa_to_sheet(aoa, { dense: true, cellDates: true })
      const book = XLSX.utils.book_new()
      XLSX.utils.book_append_sheet(book, sheet, "Casussen")
      sample()
      file = XLSX.write(book, { type: "buffer", bookType: "xlsx", compression: true }) as Buffer
      break
    }
    case "rows":
      file = await Export.exportSheets([{ spec, rows }], { onProgress: sample })
      break
    case "cases":
    case "worker":
    case "cached":
      file = await CaseList.exportCases(states, {
        plugin: mode === "cached" ? withCachedOpenedOn : westland,
        context: CONTEXT,
        includePersonal: false,
        thread: mode === "worker" ? "worker" : "main",
        onProgress: sample,
      })
      break
  }
  sample()
  const ms = performance.now() - started
  await new Promise((resolve) => setTimeout(resolve, 20))
  clearInterval(timer)
  return {
    mode,
    rows: count,
    ms: Math.round(ms),
    bytes: file.length,
    rssBeforeMb: mb(rssBefore),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapMb: mb(peakHeap),
    stallMs: Math.round(stall),
  }
}

const parent = async (count: number): Promise<void> => {
  const self = fileURLToPath(import.meta.url)
  const dir = Fs.mkdtempSync(Path.join(tmpdir(), "verzuimregie-bench-"))
  process.stdout.write(`making ${count.toLocaleString("en")} synthetic cases … `)
  const started = performance.now()
  const columnsMs = await prepare(count, dir)
  process.stdout.write(`${Math.round(performance.now() - started)} ms\n`)
  const results: Array<Result> = []
  for (const mode of Object.keys(MODES) as Array<Mode>) {
    process.stdout.write(`${MODES[mode]} … `)
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, "--expose-gc", self, "--child", mode, String(count), dir],
      {
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024,
      },
    )
    const line = run.stdout.trim().split("\n").at(-1) ?? ""
    if (run.status !== 0 || !line.startsWith("{")) {
      process.stdout.write("failed\n")
      process.stderr.write(run.stderr)
      Fs.rmSync(dir, { recursive: true, force: true })
      process.exit(1)
    }
    const result = JSON.parse(line) as Result
    results.push(result)
    process.stdout.write(`${result.ms} ms\n`)
  }
  const base = results.find((r) => r.mode === "sheetjs") as Result
  console.log(`\n${count.toLocaleString("en")} cases, Node ${process.version}, ${cpus().length} cores\n`)
  console.log(
    "| measurement | time (ms) | time × SheetJS | file (MB) | RSS before (MB) | peak RSS (MB) | export's own RSS: peak − before (MB) | × SheetJS | peak heap, sampled (MB) | longest event-loop stall (ms) |",
  )
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
  const own = (r: Result) => r.peakRssMb - r.rssBeforeMb
  for (const r of results) {
    console.log(
      `| ${MODES[r.mode]} | ${r.ms} | ${(r.ms / base.ms).toFixed(2)} | ${(r.bytes / 1_048_576).toFixed(1)} | ${r.rssBeforeMb} | ${r.peakRssMb} | ${own(r)} | ${(own(r) / Math.max(1, own(base))).toFixed(2)} | ${r.peakHeapMb} | ${r.stallMs} |`,
    )
  }
  console.log(
    `\nComputing the plug-in's column values for the ${count.toLocaleString("en")} cases alone took ${columnsMs} ms (in the preparation, one case at a time).`,
  )
  Fs.rmSync(dir, { recursive: true, force: true })
}

const args = process.argv.slice(2)
if (args[0] === "--child") {
  const result = await child(args[1] as Mode, Number(args[2]), String(args[3]))
  console.log(JSON.stringify(result))
} else {
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000)
  await parent(count)
}
