/**
 * Benchmark: reading a synthetic 1,000,000-row absence export (Magister layout: `;`, Windows-1252,
 * CRLF) from disk. Not a test.
 *
 *   pnpm --filter @verzuimregie/absence-import bench              # builds, then 1,000,000 rows
 *   pnpm --filter @verzuimregie/absence-import bench -- 200000    # another count
 *
 * The parent writes the file once to a temporary folder (streaming, from `Samples.schoolYearChunks`).
 * Each measurement runs in a fresh child process, so its peak RSS (getrusage) is its own:
 * - `parse`: `Csv.parse` alone (decoding, delimiter detection, quotes): the import benchmark's
 *   bare baseline parses with this same function;
 * - `read`: `Reader.read`: parsing plus validation of every row (codes, dates, period, amounts,
 *   duplicates, BRIN) in batches of 5,000.
 */
import { spawnSync } from "node:child_process"
import * as Fs from "node:fs"
import { tmpdir } from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { LocalDate } from "@verzuimregie/domain"
// The built package, as the gateway runs it.
import { Csv, Reader, Samples } from "../dist/index.js"

const BRIN = "12AB"
const mb = (bytes: number) => Math.round(bytes / 1_048_576)

const child = async (mode: "parse" | "read", file: string) => {
  // What the process holds before reading (Node, tsx, SheetJS, Effect, the domain): the reader's own share is the rest.
  const rssBeforeMb = mb(process.memoryUsage().rss)
  const started = performance.now()
  const cpu = process.cpuUsage()
  let rows = 0
  let problems = 0
  let batches = 0
  const source = Fs.createReadStream(file, { highWaterMark: 256 * 1024 })
  if (mode === "parse") {
    for await (const batch of Csv.parse(source, { delimiter: "auto", encoding: "auto" })) {
      rows += batch.length
      batches++
    }
    rows-- // the header
  } else {
    const { items } = Reader.read(source, {
      mapping: Samples.mappingOf("magister"),
      period: { from: LocalDate.make("2025-08-01"), to: LocalDate.make("2026-07-31") },
      today: LocalDate.make("2026-11-29"),
      brin: BRIN,
      fileName: Path.basename(file),
    })
    for await (const item of items) {
      if (item._tag === "rows") {
        rows += item.rows.length
        batches++
      } else problems++
    }
  }
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  process.stdout.write(
    JSON.stringify({
      mode,
      rows,
      problems,
      batches,
      ms,
      cpuMs,
      rssBeforeMb,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  )
}

const main = async () => {
  // `pnpm bench -- 200000` passes the `--` through.
  const wanted = Number(process.argv.slice(2).find((a) => a !== "--") ?? 1_000_000)
  const dir = Fs.mkdtempSync(Path.join(tmpdir(), "absence-bench-"))
  const file = Path.join(dir, "magister-12AB-2025-26.csv")
  // Rows per pupil vary with the profiles: measure them on a small sample, then size the school.
  const probe = Samples.schoolYear({
    system: "magister",
    schoolBrin: BRIN,
    pupils: 2000,
    seed: 1,
    schoolYear: 2025,
  })
  const pupils = Math.ceil((wanted / probe.rows) * 2000)
  const out = Fs.createWriteStream(file)
  let written = 0
  for (const chunk of Samples.schoolYearChunks({
    system: "magister",
    schoolBrin: BRIN,
    pupils,
    seed: 1,
    schoolYear: 2025,
  })) {
    written += chunk.byteLength
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()))
  }
  await new Promise<void>((resolve) => out.end(resolve))
  process.stdout.write(`file: ${pupils} pupils, ${mb(written)} MB (${file})\n`)
  for (const mode of ["parse", "read"] as const) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--child", mode, file],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    )
    if (run.status !== 0) throw new Error(run.stderr)
    const r = JSON.parse(run.stdout) as {
      mode: string
      rows: number
      problems: number
      batches: number
      ms: number
      cpuMs: number
      rssBeforeMb: number
      peakRssMb: number
    }
    process.stdout.write(
      `${r.mode.padEnd(6)} ${r.rows.toLocaleString("en")} rows in ${(r.ms / 1000).toFixed(2)} s ` +
        `(CPU ${(r.cpuMs / 1000).toFixed(2)} s) ` +
        `(${Math.round(r.rows / (r.ms / 1000)).toLocaleString("en")} rows/s), ${r.batches} batches, ` +
        `${r.problems} problems, peak RSS ${r.peakRssMb} MB (${r.rssBeforeMb} MB before reading)\n`,
    )
  }
  Fs.rmSync(dir, { recursive: true, force: true })
}

if (process.argv[2] === "--child") await child(process.argv[3] as "parse" | "read", process.argv[4]!)
else await main()
