import { LocalDate } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import plugin from "../src/index.js"

const on = LocalDate.make("2026-03-10")

describe("__NAME__: from referral to a closed case", () => {
  it("refuses each step until its requirement is met", () => {
    const drive = Fixtures.driveCase(plugin, { on })
    const refused = drive.transition("oppakken")
    expect(Either.isLeft(refused) ? refused.left.reasons : []).toEqual(["nog geen regiehouder"])
    drive.log({ _tag: "RegiehouderAssigned", regiehouder: Fixtures.fixtureRegiehouder("leerplichtambtenaar") })
    expect(Either.isRight(drive.transition("oppakken"))).toBe(true)

    for (const role of ["coordinator-passend-onderwijs", "ouder", "leerling"] as const) {
      drive.log({ _tag: "ContactLogged", on, with: role, channel: "telefoon" })
    }
    drive.log({ _tag: "AttendanceRecorded", situation: "naar-school", since: on, fittingOffer: true })
    expect(Either.isRight(drive.transition("afsluiten", { outcome: { kind: "terug-naar-school" } }))).toBe(true)
    expect(drive.state.status).toBe("afgesloten")
  })
})
