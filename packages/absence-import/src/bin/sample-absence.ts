#!/usr/bin/env node
/**
 * `pnpm sample-absence -- --out <dir> [--year 2025] [--pupils 400] [--seed 1] [--until jjjj-mm-dd]`:
 * writes a school year of synthetic absence for a few schools in each example format (Magister,
 * SOMtoday, ParnasSys CSV; Eduarte xlsx), for demos and tests. Synthetic pupils only.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { LocalDate } from "@verzuimregie/domain"
import { Samples } from "../index.js"

/** Synthetic BRIN codes (four characters: two digits, two letters), two schools per system. */
const SCHOOLS: ReadonlyArray<{ readonly system: Samples.System; readonly brin: string }> = [
  { system: "magister", brin: "01AA" },
  { system: "magister", brin: "02AB" },
  { system: "somtoday", brin: "03AC" },
  { system: "somtoday", brin: "04AD" },
  { system: "parnassys", brin: "05AE" },
  { system: "parnassys", brin: "06AF" },
  { system: "eduarte", brin: "07AG" },
  { system: "eduarte", brin: "08AH" },
]

const USAGE =
  "gebruik: pnpm sample-absence -- --out <map> [--year 2025] [--pupils 400] [--seed 1] [--until jjjj-mm-dd]"

const fail = (message: string): never => {
  process.stderr.write(`sample-absence: ${message}\n${USAGE}\n`)
  process.exit(2)
}

const main = () => {
  let args: ReturnType<typeof parse>
  const parse = () =>
    parseArgs({
      // pnpm hands the `--` of `pnpm sample-absence -- --out …` on.
      args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--")),
      options: {
        out: { type: "string" },
        year: { type: "string", default: "2025" },
        pupils: { type: "string", default: "400" },
        seed: { type: "string", default: "1" },
        until: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    })
  try {
    args = parse()
  } catch (e) {
    return fail(String((e as Error).message))
  }
  const { values } = args
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  if (values.out === undefined) return fail("--out ontbreekt: in welke map komen de bestanden?")
  const year = Number(values.year)
  const pupils = Number(values.pupils)
  const seed = Number(values.seed)
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    return fail(`--year: ${values.year} is geen jaartal`)
  if (!Number.isInteger(pupils) || pupils < 1 || pupils > 100_000)
    return fail(`--pupils: ${values.pupils} is geen aantal van 1 tot en met 100000`)
  if (!Number.isInteger(seed)) return fail(`--seed: ${values.seed} is geen geheel getal`)
  if (values.until !== undefined && !LocalDate.isLocalDate(values.until))
    return fail(`--until: ${values.until} is geen datum (jjjj-mm-dd)`)
  const out = resolve(values.out)
  mkdirSync(out, { recursive: true })
  SCHOOLS.forEach(({ system, brin }, i) => {
    const sample = Samples.schoolYear({
      system,
      schoolBrin: brin,
      pupils,
      seed: seed * 100 + i,
      schoolYear: year,
      until: values.until as LocalDate.LocalDate | undefined,
    })
    const path = join(out, sample.fileName)
    writeFileSync(path, sample.bytes)
    process.stdout.write(
      `${path}: ${sample.rows} regels, ${sample.pupils.length} leerlingen (koppeling ${sample.mapping}, ` +
        `periode ${sample.period.from} t/m ${sample.period.to}, BRIN ${brin})\n`,
    )
  })
  process.stdout.write(
    "Synthetische gegevens: geen echte leerlingen. Importeer ze nooit in een productieomgeving.\n",
  )
}

main()
