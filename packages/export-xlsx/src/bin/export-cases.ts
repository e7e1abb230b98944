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
import { Cli } from "@verzuimregie/cli"
import { Case, LocalDate } from "@verzuimregie/domain"
import { makeGenerator } from "@verzuimregie/domain/sample"
import { Columns, type Plugin } from "@verzuimregie/plugin-sdk"
import { Either, Schema } from "effect"
import * as CaseList from "../CaseList.js"
import type { Progress } from "../Export.js"

const usage = (message: string) => new Cli.UsageError({ message })

async function* states(
  on: LocalDate.LocalDate,
  synthetic: number | undefined,
  input: string | undefined,
): AsyncGenerator<Case.CaseState> {
  if (synthetic !== undefined) {
    for (const h of makeGenerator(1, { on }).cases(synthetic, { absenceWeeks: 0 })) {
      yield Either.getOrThrow(Case.fold(h.caseId, h.events))
    }
    return
  }
  // scripts/run.mjs runs the command in the folder the user ran pnpm in.
  const file = Path.resolve(String(input))
  if (!Fs.existsSync(file)) throw usage(`--input: bestand bestaat niet: ${file}`)
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
      throw new Cli.Failed({ message: `--input: regel ${n} van ${file} is geen JSON` })
    }
  }
}

const plugin = {
  reports: { caseColumns: Columns.standard<unknown>([]) },
} as unknown as Plugin.RegionPlugin<unknown>
const tty = process.stderr.isTTY === true
/** Shows progress on stderr: one updating line on a terminal, a line per tenth otherwise. */
const progress = (p: Progress, lastShown: number): number => {
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
    return lastShown
  }
  const decile = p.total === undefined ? Math.floor(p.rows / 10_000) : Math.floor((10 * p.rows) / p.total)
  if (p.phase !== "rijen" || decile !== lastShown) process.stderr.write(`${text}\n`)
  return decile
}

Cli.runMain(
  Cli.command("export-cases", {
    summary: `Schrijft een casuslijst-werkmap uit casusstanden (NDJSON, één CaseState per regel) of uit
synthetische casussen, met voortgang op stderr. Zonder --personal blijven naam en geboortedatum weg.`,
    details: "Relatieve paden gelden vanaf de map waarin u de opdracht geeft.",
    options: {
      synthetic: Cli.optional(
        Cli.option("synthetic", Cli.Integer({ min: 1 }), {
          placeholder: "<n>",
          description: "maak zoveel synthetische casussen",
          expected: "een aantal (geheel getal van 1 of meer)",
        }),
      ),
      input: Cli.optional(
        Cli.text("input", {
          placeholder: "<bestand.ndjson>",
          description: "lees de casusstanden uit dit bestand",
        }),
      ),
      out: Cli.option("out", Schema.String.pipe(Schema.endsWith(".xlsx")), {
        placeholder: "<bestand.xlsx>",
        description: "de werkmap om te schrijven",
        expected: "een bestandsnaam die eindigt op .xlsx",
      }),
      personal: Cli.flag("personal", "met de kolommen die de leerling identificeren (naam, geboortedatum)"),
      thread: Cli.withDefault(
        Cli.option("thread", Cli.oneOf("worker", "main"), {
          placeholder: "worker|main",
          description: "schrijf in een worker-thread of in deze",
          expected: "worker of main",
        }),
        "worker",
      ),
    },
    run: async (o) => {
      if ((o.synthetic === undefined) === (o.input === undefined))
        throw usage("geef --synthetic N of --input BESTAND (één van beide)")
      const out = Path.resolve(o.out)
      const input = o.input === undefined ? undefined : Path.resolve(o.input)
      if (input !== undefined && !Fs.existsSync(input)) throw usage(`--input: bestand bestaat niet: ${input}`)
      const on = LocalDate.todayInAmsterdam()
      let lastShown = -1
      const show = (p: Progress) => {
        lastShown = progress(p, lastShown)
      }
      const started = performance.now()
      const file = await CaseList.exportCases(states(on, o.synthetic, input), {
        plugin,
        context: { on, settings: undefined, calendars: [] },
        includePersonal: o.personal,
        thread: o.thread,
        onProgress: show,
        ...(o.synthetic === undefined ? {} : { total: o.synthetic }),
      })
      Fs.writeFileSync(out, file)
      process.stdout.write(`${out} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`)
    },
  }),
)
