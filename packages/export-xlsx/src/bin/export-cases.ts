#!/usr/bin/env node
/**
 * `export-cases`: a case list workbook from case states, with progress on the command line. It
 * reads case states as NDJSON (one `CaseState` per line, as the store's projection holds them) or
 * makes synthetic ones, and writes the standard case-list columns.
 *
 *   pnpm --filter @verzuimregie/export-xlsx run export-cases -- --synthetic 100000 --out /tmp/casussen.xlsx
 *   pnpm --filter @verzuimregie/export-xlsx run export-cases -- --input states.ndjson --out casussen.xlsx --personal
 *
 * `--thread worker` (default) writes in a worker thread, `--thread main` in this one. Without
 * `--personal` the columns that identify the pupil (name, birth date) are left out.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Readline from "node:readline"
import { parseArgs } from "node:util"
import { Case, LocalDate } from "@verzuimregie/domain"
import { makeGenerator } from "@verzuimregie/domain/sample"
import { Columns, type Plugin } from "@verzuimregie/plugin-sdk"
import { Either } from "effect"
import * as CaseList from "../CaseList.js"
import type { Progress } from "../Export.js"

const USAGE =
  "gebruik: export-cases (--synthetic N | --input BESTAND.ndjson) --out BESTAND.xlsx [--personal] [--thread worker|main]"

const fail = (message: string): never => {
  process.stderr.write(`export-cases: ${message}\n${USAGE}\n`)
  process.exit(2)
}

let values: Record<string, string | boolean | undefined> = {}
try {
  ;({ values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      synthetic: { type: "string" },
      input: { type: "string" },
      out: { type: "string" },
      personal: { type: "boolean", default: false },
      thread: { type: "string", default: "worker" },
    },
    strict: true,
  }))
} catch (error) {
  // node:util's own text is English; name the argument it stumbled on.
  const option = /'([^']+)'/.exec((error as Error).message)?.[1]
  fail(option === undefined ? "onbekende of onvolledige optie" : `onbekende of onvolledige optie ${option}`)
}
const cwd = process.env.INIT_CWD ?? process.cwd()
const out =
  typeof values.out === "string"
    ? Path.resolve(cwd, values.out)
    : fail("--out: verplicht, een bestandsnaam die eindigt op .xlsx")
if (!out.endsWith(".xlsx"))
  fail(`--out: verwacht een bestandsnaam die eindigt op .xlsx, niet ${JSON.stringify(values.out)}`)
const thread =
  values.thread === "main" || values.thread === "worker"
    ? values.thread
    : fail(`--thread: verwacht worker of main, niet ${JSON.stringify(values.thread)}`)
const synthetic = values.synthetic === undefined ? undefined : Number(values.synthetic)
if (synthetic !== undefined && (!Number.isInteger(synthetic) || synthetic < 1))
  fail(
    `--synthetic: verwacht een aantal (geheel getal van 1 of meer), niet ${JSON.stringify(values.synthetic)}`,
  )
if ((synthetic === undefined) === (values.input === undefined))
  fail("geef --synthetic N of --input BESTAND (één van beide)")

const on = LocalDate.todayInAmsterdam()

async function* states(): AsyncGenerator<Case.CaseState> {
  if (synthetic !== undefined) {
    for (const h of makeGenerator(1, { on }).cases(synthetic, { absenceWeeks: 0 })) {
      yield Either.getOrThrow(Case.fold(h.caseId, h.events))
    }
    return
  }
  const file = Path.resolve(cwd, String(values.input))
  if (!Fs.existsSync(file)) fail(`--input: bestand bestaat niet: ${file}`)
  const lines = Readline.createInterface({
    input: Fs.createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  let n = 0
  for await (const line of lines) {
    n++
    if (line.trim() === "") continue
    try {
      yield JSON.parse(line) as Case.CaseState
    } catch {
      fail(`--input: regel ${n} is geen JSON`)
    }
  }
}

const plugin = {
  reports: { caseColumns: Columns.standard<unknown>([]) },
} as unknown as Plugin.RegionPlugin<unknown>
const tty = process.stderr.isTTY === true
let lastShown = -1
const show = (p: Progress) => {
  const total =
    p.total === undefined
      ? ""
      : ` / ${p.total.toLocaleString("nl-NL")} (${Math.floor((100 * p.rows) / p.total)}%)`
  const text =
    p.phase === "rijen"
      ? `rijen ${p.rows.toLocaleString("nl-NL")}${total}`
      : p.phase === "schrijven"
        ? `werkmap schrijven (${p.rows.toLocaleString("nl-NL")} rijen)…`
        : `klaar: ${p.rows.toLocaleString("nl-NL")} rijen, ${((p.bytes ?? 0) / 1_048_576).toFixed(1)} MB`
  if (tty) {
    process.stderr.write(`\r\x1b[K${text}${p.phase === "klaar" ? "\n" : ""}`)
    return
  }
  const decile = p.total === undefined ? Math.floor(p.rows / 10_000) : Math.floor((10 * p.rows) / p.total)
  if (p.phase !== "rijen" || decile !== lastShown) process.stderr.write(`${text}\n`)
  lastShown = decile
}

const started = performance.now()
const file = await CaseList.exportCases(states(), {
  plugin,
  context: { on, settings: undefined, calendars: [] },
  includePersonal: values.personal === true,
  thread,
  onProgress: show,
  ...(synthetic === undefined ? {} : { total: synthetic }),
})
Fs.writeFileSync(out, file)
process.stdout.write(`${out} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`)
