/**
 * A school year of absence as Magister writes it (`;`, Windows-1252, `dd-mm-jjjj`, one row per
 * pupil, day and code, lessons of 50 minutes), read by the shipped example mapping `magister`:
 * the file of the absence import benchmark. Deterministic (a seeded generator), so every run of
 * the bench reads the same bytes; every row is valid for the period and the BRIN given, and no
 * row repeats a pupil, day and code.
 */

import { once } from "node:events"
import { createWriteStream } from "node:fs"

export const HEADER = "BRIN;Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Datum;Lesuren;Afk"

/** The school year the file covers (school days only: weekdays outside the holidays of region midden). */
export const PERIOD = { from: "2025-08-25", to: "2026-07-10" } as const

/** Holidays of region midden 2025-2026 (rijksoverheid.nl, schoolvakanties), inclusive. */
const HOLIDAYS: ReadonlyArray<readonly [string, string]> = [
  ["2025-10-18", "2025-10-26"],
  ["2025-12-20", "2026-01-04"],
  ["2026-02-14", "2026-02-22"],
  ["2026-04-03", "2026-04-06"],
  ["2026-04-25", "2026-05-10"],
  ["2026-05-14", "2026-05-15"],
  ["2026-05-25", "2026-05-25"],
]

/** Every school day of {@link PERIOD}, as ISO dates. */
export const schoolDays = (): ReadonlyArray<string> => {
  const days: Array<string> = []
  const end = Date.parse(`${PERIOD.to}T00:00:00Z`)
  for (let t = Date.parse(`${PERIOD.from}T00:00:00Z`); t <= end; t += 86_400_000) {
    const d = new Date(t)
    const weekday = d.getUTCDay()
    if (weekday === 0 || weekday === 6) continue
    const iso = d.toISOString().slice(0, 10)
    if (HOLIDAYS.some(([from, to]) => iso >= from && iso <= to)) continue
    days.push(iso)
  }
  return days
}

/** mulberry32: a small seeded generator, the same sequence on every machine. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const FIRST = [
  "Daan",
  "Sem",
  "Noah",
  "Lucas",
  "Emma",
  "Julia",
  "Mila",
  "Zoë",
  "Anouk",
  "Bram",
  "Fenna",
  "Joëlle",
]
const INFIX = ["", "", "", "van", "de", "van der", "van den", "ter"]
const LAST = [
  "Jansen",
  "Bakker",
  "Visser",
  "Smit",
  "Meijer",
  "Mulder",
  "Bos",
  "Vos",
  "Peters",
  "Hendriks",
  "Dekker",
  "Brouwer",
]

/**
 * Codes by weight: mostly sick reports and late arrivals, some unauthorised and authorised
 * absence, a little luxe verzuim and schorsing (the codes of `mappings/magister.yaml`).
 */
const CODES: ReadonlyArray<readonly [string, number]> = [
  ["Z", 30],
  ["TL", 25],
  ["O", 12],
  ["M", 12],
  ["ONG", 5],
  ["SP", 3],
  ["TLG", 5],
  ["BV", 3],
  ["ZNS", 3],
  ["LV", 1],
  ["S", 1],
]
const CODE_TABLE: ReadonlyArray<string> = CODES.flatMap(([code, weight]) => Array<string>(weight).fill(code))

const dutch = (iso: string) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`

/** Latin-1 (= Windows-1252 for these letters) bytes of `text`. */
const latin1 = (text: string) => Buffer.from(text, "latin1")

export interface GeneratedFile {
  readonly path: string
  readonly rows: number
  readonly pupils: number
  readonly bytes: number
}

/**
 * Writes `rows` rows for `pupils` pupils of the school `brin` to `path`, each pupil's rows on
 * distinct school days in date order (as an export per pupil lists them).
 */
export const writeAbsenceCsv = async (
  path: string,
  options: { readonly rows: number; readonly pupils: number; readonly brin: string; readonly seed?: number },
): Promise<GeneratedFile> => {
  const { rows, pupils, brin } = options
  const next = random(options.seed ?? 2026)
  const days = schoolDays()
  const dates = days.map(dutch)
  const out = createWriteStream(path)
  let buffer = `${HEADER}\r\n`
  let bytes = 0
  const flush = async () => {
    const chunk = latin1(buffer)
    bytes += chunk.length
    buffer = ""
    if (!out.write(chunk)) await once(out, "drain")
  }
  const base = Math.floor(rows / pupils)
  const extra = rows - base * pupils
  if (base + 1 > days.length) throw new Error(`at most ${days.length} rows per pupil`)
  const picked = new Uint8Array(days.length)
  for (let p = 0; p < pupils; p++) {
    const count = base + (p < extra ? 1 : 0)
    const number = String(100_000 + p)
    const first = FIRST[Math.floor(next() * FIRST.length)] as string
    const infix = INFIX[Math.floor(next() * INFIX.length)] as string
    const last = LAST[Math.floor(next() * LAST.length)] as string
    const birth = `${String(1 + Math.floor(next() * 28)).padStart(2, "0")}-${String(1 + Math.floor(next() * 12)).padStart(2, "0")}-${2009 + Math.floor(next() * 6)}`
    picked.fill(0)
    // `count` distinct days: a run of a few days now and then (sick weeks), else scattered.
    let chosen = 0
    while (chosen < count) {
      const start = Math.floor(next() * days.length)
      const run = next() < 0.15 ? 1 + Math.floor(next() * 5) : 1
      for (let d = start; d < Math.min(days.length, start + run) && chosen < count; d++) {
        if (picked[d] === 1) continue
        picked[d] = 1
        chosen++
      }
    }
    const prefix = `${brin};${number};${first};${infix};${last};${birth};`
    for (let d = 0; d < days.length; d++) {
      if (picked[d] === 0) continue
      const code = CODE_TABLE[Math.floor(next() * CODE_TABLE.length)] as string
      const lessons = code === "TL" || code === "TLG" ? 1 : 1 + Math.floor(next() * 8)
      buffer += `${prefix}${dates[d]};${lessons};${code}\r\n`
    }
    if (buffer.length > 1 << 20) await flush()
  }
  await flush()
  out.end()
  await once(out, "close")
  return { path, rows, pupils, bytes }
}
