#!/usr/bin/env node
/**
 * verzuimregie-check-referral [--on YYYY-MM-DD] [file.json …]
 *
 * Without files it checks the shipped sample referrals (valid and deliberately invalid ones) and
 * always exits 0; with files it exits 1 when any file is invalid, so scripts can use it.
 */
import { LocalDate } from "@verzuimregie/domain"
import { checkFiles, sampleFiles } from "./check.js"

const usage = `Gebruik: verzuimregie-check-referral [--on JJJJ-MM-DD] [aanmelding.json …]

Controleert aanmeldingen (JSON) tegen het schema en de landelijke verzuimregels en toont
welke regels van toepassing zijn. Zonder bestanden: de voorbeeldaanmeldingen.

  --on JJJJ-MM-DD   peildatum (standaard: vandaag, Europe/Amsterdam)
  --help            deze tekst`

const main = async (): Promise<number> => {
  const args = process.argv.slice(2).filter((a) => a !== "--")
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage)
    return 0
  }
  let on = LocalDate.todayInAmsterdam()
  const files: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--on") {
      const value = args[++i] ?? ""
      if (!LocalDate.isLocalDate(value)) {
        console.error(`--on: verwacht een datum JJJJ-MM-DD, kreeg "${value}"`)
        return 2
      }
      on = value
    } else if (arg.startsWith("--")) {
      console.error(`onbekende optie ${arg}\n\n${usage}`)
      return 2
    } else files.push(arg)
  }
  const usingSamples = files.length === 0
  const results = await checkFiles(usingSamples ? await sampleFiles() : files, on)
  console.log(`verzuimregie — aanmeldingen controleren, peildatum ${on}\n`)
  for (const r of results) console.log(`${r.lines.join("\n")}\n`)
  const invalid = results.filter((r) => !r.valid).length
  console.log(`${results.length - invalid} geldig, ${invalid} ongeldig`)
  if (usingSamples) {
    console.log("(de voorbeeldbestanden die met invalid- beginnen zijn met opzet ongeldig)")
    return 0
  }
  return invalid > 0 ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 1
  },
)
