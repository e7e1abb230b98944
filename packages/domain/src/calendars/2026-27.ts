/**
 * Sample calendars for school year 2026/27 (1 August 2026 – 31 July 2027), regions noord, midden
 * and zuid: schoolvakanties plus the national public holidays.
 *
 * Sample data: check against the school's own calendar. The government table for 2026/27 could
 * not be confirmed when this was written: dates marked "derived" come from published school
 * rosters of that region (a school's Monday–Friday week widened to the official Saturday–Sunday).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { SAMPLE_NOTE, SchoolCalendar } from "../SchoolCalendar.js"

const decode = Schema.decodeUnknownSync(SchoolCalendar)

// Easter 2027 is 28 March, so Hemelvaart is 6 May and Pinksteren 16 May. Bevrijdingsdag (5 May
// 2027) is no lustrum year; Goede Vrijdag (26 March 2027) is no national day off.
const freeDays = [
  { name: "Eerste Kerstdag", date: "2026-12-25" },
  { name: "Nieuwjaarsdag", date: "2027-01-01" },
  { name: "Tweede Paasdag", date: "2027-03-29" },
  { name: "Koningsdag", date: "2027-04-27" },
  { name: "Hemelvaartsdag", date: "2027-05-06" },
  { name: "Tweede Pinksterdag", date: "2027-05-17" },
]

const kerstvakantie = { name: "kerstvakantie", first: "2026-12-19", last: "2027-01-03" }
// Derived: the national meivakantie has been week 18 since 2024 (2027: 1–9 May); the regional
// school rosters found take weeks 17 and 18 (26 April – 7 May).
const meivakantie = { name: "meivakantie", first: "2027-05-01", last: "2027-05-09" }

export const noord: SchoolCalendar = decode({
  region: "noord",
  schoolYear: "2026/27",
  holidays: [
    { name: "zomervakantie 2026", first: "2026-07-04", last: "2026-08-16" },
    { name: "herfstvakantie", first: "2026-10-10", last: "2026-10-18" }, // derived
    kerstvakantie,
    { name: "voorjaarsvakantie", first: "2027-02-20", last: "2027-02-28" }, // derived
    meivakantie,
    { name: "zomervakantie 2027", first: "2027-07-10", last: "2027-08-22" }, // derived
  ],
  freeDays,
  sample: true,
  note: SAMPLE_NOTE,
})

export const midden: SchoolCalendar = decode({
  region: "midden",
  schoolYear: "2026/27",
  holidays: [
    { name: "zomervakantie 2026", first: "2026-07-18", last: "2026-08-30" },
    { name: "herfstvakantie", first: "2026-10-17", last: "2026-10-25" }, // derived
    kerstvakantie,
    { name: "voorjaarsvakantie", first: "2027-02-20", last: "2027-02-28" }, // derived
    meivakantie,
    { name: "zomervakantie 2027", first: "2027-07-17", last: "2027-08-29" }, // derived
  ],
  freeDays,
  sample: true,
  note: SAMPLE_NOTE,
})

export const zuid: SchoolCalendar = decode({
  region: "zuid",
  schoolYear: "2026/27",
  holidays: [
    { name: "zomervakantie 2026", first: "2026-07-11", last: "2026-08-23" },
    { name: "herfstvakantie", first: "2026-10-17", last: "2026-10-25" }, // derived
    kerstvakantie,
    // Derived: carnaval 2027 (Easter 28 March: carnaval Sunday 7 February).
    { name: "voorjaarsvakantie", first: "2027-02-06", last: "2027-02-14" },
    meivakantie,
    // Derived, doubtful: the one zuid roster found matches midden's dates; regions rarely share.
    { name: "zomervakantie 2027", first: "2027-07-17", last: "2027-08-29" },
  ],
  freeDays,
  sample: true,
  note: SAMPLE_NOTE,
})
