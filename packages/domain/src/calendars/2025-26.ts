/**
 * Sample calendars for school year 2025/26 (1 August 2025 – 31 July 2026), regions noord, midden
 * and zuid: the government's schoolvakanties (rijksoverheid.nl) plus the national public holidays.
 *
 * Sample data: check against the school's own calendar. Each calendar also holds the part of the
 * zomervakantie 2025 that falls in August 2025.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { SAMPLE_NOTE, SchoolCalendar } from "../SchoolCalendar.js"

const decode = Schema.decodeUnknownSync(SchoolCalendar)

// Public holidays on weekdays. Bevrijdingsdag (5 May 2026) is no lustrum year, so not a national
// day off for schools; Goede Vrijdag (3 April 2026) is no national day off either (many schools
// take it: add it through a school override).
const freeDays = [
  { name: "Eerste Kerstdag", date: "2025-12-25" },
  { name: "Tweede Kerstdag", date: "2025-12-26" },
  { name: "Nieuwjaarsdag", date: "2026-01-01" },
  { name: "Tweede Paasdag", date: "2026-04-06" },
  { name: "Koningsdag", date: "2026-04-27" },
  { name: "Hemelvaartsdag", date: "2026-05-14" },
  { name: "Tweede Pinksterdag", date: "2026-05-25" },
]

const kerstvakantie = { name: "kerstvakantie", first: "2025-12-20", last: "2026-01-04" }
// Official meivakantie: one national week (week 18); many schools add the week before.
const meivakantie = { name: "meivakantie", first: "2026-04-25", last: "2026-05-03" }

export const noord: SchoolCalendar = decode({
  region: "noord",
  schoolYear: "2025/26",
  holidays: [
    { name: "zomervakantie 2025", first: "2025-07-12", last: "2025-08-24" },
    { name: "herfstvakantie", first: "2025-10-18", last: "2025-10-26" },
    kerstvakantie,
    { name: "voorjaarsvakantie", first: "2026-02-21", last: "2026-03-01" },
    meivakantie,
    { name: "zomervakantie 2026", first: "2026-07-04", last: "2026-08-16" },
  ],
  freeDays,
  sample: true,
  note: SAMPLE_NOTE,
})

export const midden: SchoolCalendar = decode({
  region: "midden",
  schoolYear: "2025/26",
  holidays: [
    { name: "zomervakantie 2025", first: "2025-07-19", last: "2025-08-31" },
    { name: "herfstvakantie", first: "2025-10-18", last: "2025-10-26" },
    kerstvakantie,
    { name: "voorjaarsvakantie", first: "2026-02-14", last: "2026-02-22" },
    meivakantie,
    { name: "zomervakantie 2026", first: "2026-07-18", last: "2026-08-30" },
  ],
  freeDays,
  sample: true,
  note: SAMPLE_NOTE,
})

export const zuid: SchoolCalendar = decode({
  region: "zuid",
  schoolYear: "2025/26",
  holidays: [
    // Unconfirmed here (from memory of the 2024/25 table): zuid went first in summer 2025.
    { name: "zomervakantie 2025", first: "2025-07-05", last: "2025-08-17" },
    { name: "herfstvakantie", first: "2025-10-11", last: "2025-10-19" },
    kerstvakantie,
    { name: "voorjaarsvakantie", first: "2026-02-14", last: "2026-02-22" },
    meivakantie,
    { name: "zomervakantie 2026", first: "2026-07-11", last: "2026-08-23" },
  ],
  freeDays,
  sample: true,
  note: SAMPLE_NOTE,
})
