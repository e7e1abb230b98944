/**
 * Sample school calendars per region, school years 2025/26 and 2026/27, and the holiday region
 * of each seed workflow. Sample data: check against the school's own calendar.
 *
 * @since 0.1.0
 */
import type { HolidayRegion } from "../Region.js"
import type { SchoolCalendar } from "../SchoolCalendar.js"
import * as sy2025 from "./2025-26.js"
import * as sy2026 from "./2026-27.js"

export const noord: ReadonlyArray<SchoolCalendar> = [sy2025.noord, sy2026.noord]
export const midden: ReadonlyArray<SchoolCalendar> = [sy2025.midden, sy2026.midden]
export const zuid: ReadonlyArray<SchoolCalendar> = [sy2025.zuid, sy2026.zuid]

/** The sample calendar sets by region. */
export const byRegion: Readonly<Record<HolidayRegion, ReadonlyArray<SchoolCalendar>>> = {
  noord,
  midden,
  zuid,
}

/** Holiday region of the seed workflows' municipalities. */
export const seedRegions = {
  "leidschendam-voorburg": "midden",
  westland: "midden",
  "amstelland-meerlanden": "noord",
} as const satisfies Record<string, HolidayRegion>
