/**
 * A region: the municipalities (and their partnership) that run one way of working, and so one
 * plug-in configuration.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { RegionId } from "./Ids.js"
import { ShortText } from "./Text.js"

/** The three holiday regions of the Dutch school calendar. */
export const HolidayRegion = Schema.Literal("noord", "midden", "zuid").annotations({
  identifier: "HolidayRegion",
  title: "Vakantieregio",
})
export type HolidayRegion = typeof HolidayRegion.Type

export const Region = Schema.Struct({
  id: RegionId,
  name: ShortText,
  holidayRegion: HolidayRegion,
  municipalities: Schema.NonEmptyArray(ShortText),
}).annotations({ identifier: "Region", title: "Regio" })
export type Region = typeof Region.Type
