import { describe, expect, it } from "vitest"
import { isWebPath, safeReturnPath } from "../src/index.js"

describe("after sign-in, back to where the person was", () => {
  it("keeps a path of our own", () => {
    expect(safeReturnPath("/")).toBe("/")
    expect(safeReturnPath("/dossier/case_0123456789")).toBe("/dossier/case_0123456789")
    expect(safeReturnPath("/werkvoorraad?status=regie&pagina=2")).toBe("/werkvoorraad?status=regie&pagina=2")
  })

  it("never sends anyone to another site, whatever the form says", () => {
    for (const foreign of [
      "//kwaadwillend.example",
      "/\\kwaadwillend.example",
      "https://kwaadwillend.example/",
      "javascript:alert(1)",
      "kwaadwillend",
      "/pad met spatie",
      `/${"a".repeat(300)}`,
      undefined,
      42,
    ])
      expect(safeReturnPath(foreign), String(foreign)).toBe("/")
  })
})

describe("the web app's paths", () => {
  it("are its pages and its static files; everything else is the API's", () => {
    for (const path of ["/", "/inloggen", "/uitloggen", "/static/verzuimregie.0123456789abcdef.css"])
      expect(isWebPath(path), path).toBe(true)
    for (const path of ["/cases", "/referrals", "/docs", "/openapi.json", "/health", "/aanmelden/token/x"])
      expect(isWebPath(path), path).toBe(false)
  })
})
