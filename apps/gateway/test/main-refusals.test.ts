/**
 * The main job refuses to start, with one clear line: a database that cannot be opened, production
 * mail without a sender and a public address, a broken region configuration.
 */
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { scratchFolder, start } from "./support/main-job.js"
import { freePort, waitFor } from "./support/process.js"

const scratch = scratchFolder()

describe("the main job refuses to start", () => {
  it("stops with one clear line when the database cannot be opened", async () => {
    const garbage = join(scratch.dir, "garbage.db")
    await writeFile(garbage, "this is not a database, just text that happens to be long enough ".repeat(50))
    const broken = start({ DATABASE_URL: `sqlite:${garbage}`, PORT: String(await freePort()) })
    expect(await broken.exited).toBe(1)
    // Progress lines (verzuimregie: …) may come first; then the one error.
    expect(broken.stderr()).toMatch(/^(verzuimregie: .*\n)*verzuimregie kan niet starten:\n.*garbage\.db/)
    expect(broken.stderr()).not.toMatch(/\n\s+at /)

    const unreachable = start({
      DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none",
      PORT: String(await freePort()),
    })
    expect(await unreachable.exited).toBe(1)
    expect(unreachable.stderr()).toContain("127.0.0.1:1")
    expect(unreachable.stderr()).not.toContain("secret")
  }, 60_000)

  it("in production (DEMO_DATA=off) refuses to start mail without a sender and a public address", async () => {
    const production = start({
      DEMO_DATA: "off",
      DATA_DIR: join(scratch.dir, "production"),
      PORT: String(await freePort()),
    })
    expect(await production.exited).toBe(1)
    expect(production.stderr()).toContain("MAIL_FROM: niet ingesteld. Met DEMO_DATA=off (productie)")
    expect(production.stderr()).toContain("PUBLIC_URL: niet ingesteld. Met DEMO_DATA=off (productie)")

    // With both set it starts, and says once where mail goes.
    const configured = start({
      DEMO_DATA: "off",
      DATA_DIR: join(scratch.dir, "production"),
      MAIL_FROM: "Verzuimregie <verzuimregie@gemeente.example>",
      PUBLIC_URL: "https://verzuimregie.gemeente.example",
      PORT: String(await freePort()),
    })
    await waitFor(() => configured.stderr().includes("Een token maken"), "the banner")
    expect(configured.stderr()).toContain("e-mail: als .eml-bestanden in ")
    expect(configured.stderr()).toContain(
      "afzender Verzuimregie <verzuimregie@gemeente.example>; links naar https://verzuimregie.gemeente.example\n",
    )
    configured.child.kill("SIGTERM")
    expect(await configured.exited).toBe(0)
  }, 90_000)

  it("refuses to start half-configured with a broken region configuration", async () => {
    const file = join(scratch.dir, "regions.yaml")
    await writeFile(file, "version: 1\nregions:\n  - id: proef\n    plugin: onbekend\n")
    const broken = start({
      REGIONS_FILE: file,
      DATA_DIR: join(scratch.dir, "unused"),
      PORT: String(await freePort()),
    })
    expect(await broken.exited).toBe(1)
    expect(broken.stderr()).toContain("regions[0].plugin")
    expect(broken.stderr()).toContain("regions[0].holidayRegion")
  }, 30_000)
})
