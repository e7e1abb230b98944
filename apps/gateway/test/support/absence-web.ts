/// <reference lib="dom" />
/**
 * The school's absence pages in a browser: the planted pupils (`@verzuimregie/domain/sample`, one
 * per signal type and per statutory boundary) written as a ParnasSys export, a gateway whose today
 * lies late enough in the school year for every planted signal, and the upload through the page.
 */
import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Absence, LocalDate, type SchoolCalendar } from "@verzuimregie/domain"
import { type PlantedPupil, plantedPupils } from "@verzuimregie/domain/sample"
import type { Page } from "playwright-core"
import { expect } from "vitest"
import type { Gateway } from "./gateway.js"

/** The peildatum of the planted pupils, and so the gateway's today in these tests (a Friday). */
export const AS_OF = LocalDate.make("2027-03-19")
/** The period every test file declares: the school year up to today. */
export const PERIOD = { from: "2026-08-15", to: "2027-03-19" } as const
export const REGION = "westland"

export const calendarsOf = (gateway: Gateway, regionId = REGION): SchoolCalendar.Calendars => {
  const region = gateway.config.regions.find((r) => r.region.id === regionId)
  if (region === undefined) throw new Error(`no region ${regionId}`)
  return region.calendars
}

export const plantedFor = (gateway: Gateway): ReadonlyArray<PlantedPupil> =>
  plantedPupils({ schoolYear: 2026, calendars: calendarsOf(gateway), asOf: AS_OF })

/** Synthetic names, one per planted pupil in order; the first has a prefix to split. */
const NAMES = [
  "Sanne de Vries",
  "Daan Jansen",
  "Lotte van der Berg",
  "Milan Bakker",
  "Noa Visser",
  "Finn Smit",
  "Evi Meijer",
  "Sem de Boer",
  "Julia Mulder",
  "Levi de Groot",
  "Tess Bos",
  "Luuk Vos",
  "Zoë Peters",
  "Bram Hendriks",
  "Fleur van Leeuwen",
  "Thijs Dekker",
  "Anna Brouwer",
  "Jesse de Wit",
  "Sophie Dijkstra",
  "Ruben Smits",
]
export const nameOf = (index: number) => NAMES[index % NAMES.length] as string

/** The ParnasSys example mapping's codes for the domain's kinds. */
const CODE: Readonly<Record<Absence.AbsenceKind, string>> = {
  ongeoorloofd: "Ongeoorloofd",
  geoorloofd: "Bezoek arts",
  ziek: "Ziek",
  "te-laat": "Te laat",
  "luxe-verzuim": "Vakantie",
  schorsing: "Schorsing",
}

const dutch = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`

/** The columns of the ParnasSys example mapping, tab-separated as its export. */
export const PARNASSYS_HEADER = [
  "Leerlingnummer",
  "Leerling",
  "Geboortedatum",
  "Datum",
  "Uren",
  "Reden",
].join("\t")

/** The pupils as a ParnasSys export (tabs, UTF-8 with BOM, dd/mm/jjjj, hours with a decimal comma). */
export const parnassysCsv = (pupils: ReadonlyArray<PlantedPupil>): string => {
  const lines = [PARNASSYS_HEADER]
  pupils.forEach((pupil, index) => {
    for (const record of pupil.records) {
      if (record.amount.unit !== "hours") throw new Error("planted records are in hours")
      lines.push(
        [
          pupil.pupilNumber,
          nameOf(index),
          dutch(pupil.birthDate),
          dutch(record.date),
          String(record.amount.value).replace(".", ","),
          CODE[record.kind],
        ].join("\t"),
      )
    }
  })
  return `\uFEFF${lines.join("\r\n")}\r\n`
}

export const writeTemp = async (name: string, content: string | Uint8Array) => {
  const dir = await mkdtemp(join(tmpdir(), "verzuimregie-web-absence-"))
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

/** The planted pupils' export, on disk for the browser to upload. */
export const plantedFile = async (gateway: Gateway) => {
  const pupils = plantedFor(gateway)
  return { pupils, path: await writeTemp("verzuim-parnassys.txt", parnassysCsv(pupils)) }
}

/** The value of the mapping whose label starts with `label` on the import form. */
export const mappingValue = async (page: Page, label = "ParnasSys") => {
  const options = await page
    .locator("#veld-mapping option")
    .evaluateAll((all) =>
      all.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? "" })),
    )
  const found = options.find((o) => o.text.startsWith(label))
  if (found === undefined)
    throw new Error(`no mapping ${label} among ${options.map((o) => o.text).join(", ")}`)
  return found.value
}

/** Uploads `path` through `/verzuim/importeren` with the mouse; the page is then the report. */
export const uploadThroughPage = async (
  page: Page,
  gateway: Gateway,
  path: string,
  options: { readonly skipBadRows?: boolean } = {},
) => {
  await page.goto(`${gateway.base}/verzuim/importeren`)
  await page.selectOption("#veld-mapping", await mappingValue(page))
  await page.fill("#veld-from", PERIOD.from)
  await page.fill("#veld-to", PERIOD.to)
  if (options.skipBadRows === true) await page.check("#veld-skipBadRows")
  await page.setInputFiles("#veld-bestand", path)
  await Promise.all([
    page.waitForLoadState("load"),
    page.click("form[action='/verzuim/importeren'] button[type=submit]"),
  ])
}

/** The signals table as rows: type label, pupil number (from "Name (number)"), status. */
export const signalRows = async (page: Page) => {
  const rows = await page
    .locator("main table tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())),
    )
  return rows.map((cells) => ({
    type: cells[0] ?? "",
    pupil: /\(([^()]+)\)$/.exec(cells[1] ?? "")?.[1] ?? cells[1] ?? "",
    pupilText: cells[1] ?? "",
    status: cells[5] ?? "",
  }))
}

/** The href of the signal of `type` (label) for `pupilNumber` on the signals page. */
export const signalHref = async (page: Page, typeLabel: string, pupilNumber: string) => {
  const rows = page.locator("main table tbody tr")
  const count = await rows.count()
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i)
    const cells = await row.locator("td").allTextContents()
    if (cells[0]?.trim() === typeLabel && (cells[1] ?? "").trim().endsWith(`(${pupilNumber})`)) {
      const href = await row.locator("a").first().getAttribute("href")
      expect(href).toMatch(/^\/verzuim\/signalen\/sig_[A-Za-z0-9_-]+$/)
      return href as string
    }
  }
  throw new Error(`no ${typeLabel} signal for ${pupilNumber}`)
}
