/**
 * The greeting fits the moment the mail is made, in Europe/Amsterdam (summer and winter time):
 * a summary sent at 07:00 says goedemorgen, one retried in the afternoon says goedemiddag.
 */
import { describe, expect, it } from "vitest"
import { Templates } from "../src/index.js"

describe("the greeting", () => {
  it("follows the hour in Europe/Amsterdam", () => {
    // 2026-03-09 is winter time (UTC+1); 2026-07-06 summer time (UTC+2).
    expect(Templates.greeting(new Date("2026-03-09T06:00:00Z"))).toBe("Goedemorgen,") // 07:00
    expect(Templates.greeting(new Date("2026-03-09T10:59:00Z"))).toBe("Goedemorgen,") // 11:59
    expect(Templates.greeting(new Date("2026-03-09T11:00:00Z"))).toBe("Goedemiddag,") // 12:00
    expect(Templates.greeting(new Date("2026-07-06T15:59:00Z"))).toBe("Goedemiddag,") // 17:59
    expect(Templates.greeting(new Date("2026-07-06T16:00:00Z"))).toBe("Goedenavond,") // 18:00
    expect(Templates.greeting(new Date("2026-07-06T01:30:00Z"))).toBe("Goedenavond,") // 03:30
    expect(Templates.greeting(new Date("2026-07-06T04:00:00Z"))).toBe("Goedemorgen,") // 06:00
  })

  it("is the one the Inspectie overview opens with", () => {
    const at = new Date("2026-04-01T12:30:00Z") // 14:30 in Amsterdam
    const mail = Templates.inspectieOverview([], {
      regionName: "Westland",
      quarter: "2026-Q1",
      regionUrl: "https://verzuimregie.example/regio/westland",
      attachments: [],
      at,
    })
    expect(mail.text.startsWith("Goedemiddag,\n")).toBe(true)
    expect(mail.html).toContain("<p>Goedemiddag,</p>")
  })
})
