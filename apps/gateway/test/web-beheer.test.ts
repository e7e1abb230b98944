/// <reference lib="dom" />
/**
 * The admin pages in headless Chromium against a real gateway on SQLite: an installation admin
 * adds an organisation and a user with roles, changes the roles (a refused combination is a Dutch
 * error next to the field, the input kept), revokes a token, issues a service token (shown once,
 * never in an address), sends a sign-in link and deactivates a user, all through the pages; a
 * region admin cannot act beyond their regions (Dutch errors; another region's user is "niet
 * gevonden"); a case worker gets the 403 page; a form without its CSRF token is refused; axe-core
 * finds 0 violations on every page state.
 */
import { Accounts } from "@verzuimregie/store"
import { Effect } from "effect"
import type { Browser, Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { chromiumMissing } from "./support/browser.js"
import type { Gateway } from "./support/gateway.js"
import { expectGoodPage, gatewayAndChromium, postForm, sessionCookie, signIn } from "./support/web.js"

const missing = chromiumMissing("web beheer browser test")

const OWN = "westland"
const OTHER = "amstelland-meerlanden"

const group = (page: Page, legend: string) => page.locator("fieldset", { hasText: legend })

describe.skipIf(missing)("the Beheer pages in headless Chromium", () => {
  let gateway: Gateway
  let browser: Browser
  gatewayAndChromium((started, chromium) => {
    gateway = started
    browser = chromium
  })

  it("lets an installation admin add an organisation and a user, change roles and revoke a token", async () => {
    const admin = await gateway.user(["admin"], [OWN], { installationAdmin: true, name: "Ine Installatie" })
    const signedIn = await signIn(browser, gateway, admin.token)
    const { page } = signedIn
    await page.click("nav >> text=Beheer")
    await page.waitForURL(`${gateway.base}/beheer`)
    await expectGoodPage(signedIn)

    // An organisation: first with a bad BRIN code (error next to the field, input kept), then right.
    await page.getByRole("link", { name: "Organisaties", exact: true }).click()
    await page.waitForURL(`${gateway.base}/beheer/organisaties`)
    await page.fill("#veld-naam", "Basisschool De Proef")
    await page.selectOption("#veld-soort", "school")
    await page.fill("#veld-brin", "1234")
    await page.click("button:has-text('Organisatie toevoegen')")
    expect(await page.title()).toMatch(/^Fout: /)
    expect(await page.locator("#veld-brin-fout").textContent()).toContain("twee cijfers en twee hoofdletters")
    expect(await page.locator(".vr-error-summary a").getAttribute("href")).toBe("#veld-brin")
    expect(await page.inputValue("#veld-naam")).toBe("Basisschool De Proef")
    await expectGoodPage(signedIn)
    await page.fill("#veld-brin", "12AB")
    await page.click("button:has-text('Organisatie toevoegen')")
    await page.waitForURL(/gewijzigd=organisatie$/)
    expect(await page.locator("[role=status]").textContent()).toContain("De organisatie is toegevoegd")
    expect(await page.locator("table").textContent()).toContain("Basisschool De Proef")
    await expectGoodPage(signedIn)

    // A user: first with field errors, then with roles, a region and a party role.
    await page.goto(`${gateway.base}/beheer/gebruikers/nieuw`)
    await expectGoodPage(signedIn)
    await page.fill("#veld-naam", "Petra Proef")
    await page.fill("#veld-email", "geen-adres")
    await page.click("button:has-text('Gebruiker toevoegen')")
    expect(await page.locator("#veld-email-fout").textContent()).toContain("geldig e-mailadres")
    expect(await page.locator("#veld-rollen-fout").textContent()).toContain("ten minste één rol")
    expect(await page.locator("#veld-organisatie-fout").textContent()).toContain("Kies een organisatie")
    expect(await page.inputValue("#veld-naam")).toBe("Petra Proef")
    await expectGoodPage(signedIn)
    await page.fill("#veld-email", "petra.proef@school.example")
    await page.selectOption("#veld-organisatie", { label: "Basisschool De Proef" })
    await group(page, "Rollen").getByLabel("Casusregisseur").check()
    // An installation admin may give every region of the installation.
    expect(
      await page
        .locator('input[name="regios"]')
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value).sort()),
    ).toEqual(gateway.config.regions.map((r) => r.region.id).sort())
    await group(page, "Regio's").getByLabel("Westland").check()
    await page.selectOption("#veld-partijrol", "smw-verzuim")
    await page.click("button:has-text('Gebruiker toevoegen')")
    await page.waitForURL(/\/beheer\/gebruikers\/user_[0-9a-z]+\?gewijzigd=aangemaakt-persoon$/)
    expect(await page.locator("h1").textContent()).toBe("Petra Proef")
    expect(await page.locator("[role=status]").textContent()).toContain("aanmeldlink")
    await expectGoodPage(signedIn)
    const petraId = new URL(page.url()).pathname.split("/").at(-1) as string

    // Roles: admin with a case role is refused next to the field, the choice kept; then coordinator.
    await group(page, "Rollen").getByLabel("Beheerder").check()
    await page.click("button:has-text('Rollen opslaan')")
    expect(await page.locator("#veld-rollen-fout").textContent()).toContain("scheiding van taken")
    expect(await group(page, "Rollen").getByLabel("Beheerder").isChecked()).toBe(true)
    await expectGoodPage(signedIn)
    await group(page, "Rollen").getByLabel("Beheerder").uncheck()
    await group(page, "Rollen").getByLabel("Casusregisseur").uncheck()
    await group(page, "Rollen").getByLabel("Coördinator", { exact: true }).check()
    await page.click("button:has-text('Rollen opslaan')")
    await page.waitForURL(/gewijzigd=rollen$/)
    expect(await page.locator(".vr-data-list").textContent()).toContain("Coördinator")
    const petra = await gateway.runtime.runPromise(
      Effect.flatMap(Accounts.Accounts, (a) => a.user(petraId as never)),
    )
    expect(petra._tag === "Some" && petra.value.roles).toEqual(["coordinator"])

    // A sign-in link to the person's own address.
    await page.click("button:has-text('Aanmeldlink sturen')")
    await page.waitForURL(/gewijzigd=aanmeldlink$/)

    // Revoke a token: it stops working at once.
    const holder = await gateway.user(["case-worker"], [OWN], { name: "Tom Token" })
    expect((await gateway.request("GET", "/cases", { token: holder.token })).status).toBe(200)
    await page.goto(`${gateway.base}/beheer/gebruikers`)
    await expectGoodPage(signedIn)
    await page.click("text=Tom Token")
    await page.click(`button[aria-label="Token ${holder.tokenId} intrekken"]`)
    await page.waitForURL(/gewijzigd=ingetrokken$/)
    expect(await page.locator("table").textContent()).toContain("Ingetrokken op")
    expect((await gateway.request("GET", "/cases", { token: holder.token })).status).toBe(401)

    // Deactivate.
    await page.click("button:has-text('Gebruiker deactiveren')")
    await page.waitForURL(/gewijzigd=gedeactiveerd$/)
    expect(await page.locator(".vr-data-list").textContent()).toContain("Nee, gedeactiveerd")
    await signedIn.close()
  })

  it("shows a service account's new token once, on the answer page and never in its address", async () => {
    const admin = await gateway.user(["admin"], [OWN], { name: "Sanne Service" })
    const service = await gateway.user(["referrer"], [OWN], {
      kind: "service",
      name: "Koppeling Leerlingvolgsysteem",
    })
    const signedIn = await signIn(browser, gateway, admin.token)
    const { page } = signedIn
    await page.goto(`${gateway.base}/beheer/gebruikers/${service.id}`)
    await page.fill("#veld-omschrijving", "LVS-koppeling")
    await page.fill("#veld-dagen", "30")
    await page.click("button:has-text('Token uitgeven')")
    await page.waitForURL(`${gateway.base}/beheer/gebruikers/${service.id}/tokens`)
    const token = (await page.locator(".vr-token").textContent()) ?? ""
    expect(token).toMatch(/^vrt_/)
    expect(page.url()).not.toContain(token)
    await expectGoodPage(signedIn)
    expect((await gateway.request("GET", "/referrals", { token })).status).not.toBe(401)
    // The user's page lists it, without the secret.
    await page.goto(`${gateway.base}/beheer/gebruikers/${service.id}`)
    expect(await page.locator("table").textContent()).toContain("LVS-koppeling")
    expect(await page.content()).not.toContain(token)
    await signedIn.close()
  })

  it("keeps a region admin within their regions, with Dutch errors", async () => {
    const regionAdmin = await gateway.user(["admin"], [OWN], { name: "Rob Regiobeheer" })
    const elsewhere = await gateway.user(["case-worker"], [OTHER], { name: "Anna Amstelland" })
    const signedIn = await signIn(browser, gateway, regionAdmin.token)
    const { page } = signedIn

    // The form offers only the admin's own regions.
    await page.goto(`${gateway.base}/beheer/gebruikers/nieuw`)
    const offered = page.locator('input[name="regios"]')
    expect(await offered.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual([
      "westland",
    ])
    expect(await page.locator("main").textContent()).not.toContain("Amstelland en de Meerlanden")
    // A crafted post naming another region: refused next to the regions field, nothing written.
    const craftedUser = {
      _csrf: await page.locator('input[name="_csrf"]').first().inputValue(),
      naam: "Buiten Bereik",
      email: "buiten.bereik@school.example",
      organisatie: await page.locator("#veld-organisatie option").nth(1).getAttribute("value"),
      partijrol: "smw-verzuim",
      soort: "person",
      rollen: "case-worker",
      regios: OTHER,
    }
    const crafted = await postForm(
      gateway,
      "/beheer/gebruikers/nieuw",
      craftedUser as Record<string, string>,
      { cookie: await sessionCookie(signedIn.context) },
    )
    expect(crafted.status).toBe(422)
    const refusedPage = await crafted.text()
    expect(refusedPage).toContain("U kunt alleen gebruikers in uw eigen regio&#39;s aanmaken.")
    expect(refusedPage).toContain("amstelland-meerlanden is niet een van uw regio&#39;s")
    expect(refusedPage).toMatch(/id="veld-regios-fout"/)
    await page.goto(`${gateway.base}/beheer/gebruikers`)
    expect(await page.locator("main").textContent()).not.toContain("Buiten Bereik")

    // Installation admin: a page message.
    await page.goto(`${gateway.base}/beheer/gebruikers/nieuw`)
    await page.fill("#veld-naam", "Buiten Bereik")
    await page.fill("#veld-email", "buiten.bereik@school.example")
    await page.selectOption("#veld-organisatie", { index: 1 })
    await group(page, "Regio's").getByLabel("Westland").check()
    await group(page, "Rollen").getByLabel("Casusregisseur").uncheck()
    await group(page, "Rollen").getByLabel("Beheerder").check()
    await group(page, "Installatiebeheerder").getByLabel("Deze beheerder is installatiebeheerder").check()
    await page.click("button:has-text('Gebruiker toevoegen')")
    expect(await page.locator(".vr-error-summary").textContent()).toContain(
      "Alleen een installatiebeheerder kan een installatiebeheerder aanmaken.",
    )
    await expectGoodPage(signedIn)

    // Another region's user is not in the list and does not exist for this admin.
    await page.goto(`${gateway.base}/beheer/gebruikers`)
    expect(await page.locator("main").textContent()).not.toContain("Anna Amstelland")
    const response = await page.goto(`${gateway.base}/beheer/gebruikers/${elsewhere.id}`)
    expect(response?.status()).toBe(404)
    expect(await page.locator("h1").textContent()).toBe("Niet gevonden")

    // Nor can a crafted form reach that user's roles or token.
    await page.goto(`${gateway.base}/beheer`)
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue()
    const cookie = await sessionCookie(signedIn.context)
    const roles = await postForm(
      gateway,
      `/beheer/gebruikers/${elsewhere.id}/rollen`,
      { _csrf: csrf, rollen: "referrer" },
      { cookie },
    )
    expect(roles.status).toBe(404)
    const revoke = await postForm(
      gateway,
      `/beheer/tokens/${elsewhere.tokenId}/intrekken`,
      { _csrf: csrf },
      { cookie },
    )
    expect(revoke.status).toBe(404)
    expect((await gateway.request("GET", "/cases", { token: elsewhere.token })).status).toBe(200)

    // Without the CSRF token, nothing is written.
    const refused = await postForm(
      gateway,
      "/beheer/organisaties",
      { naam: "Zonder Token", soort: "school" },
      { cookie },
    )
    expect(refused.status).toBe(403)
    await page.goto(`${gateway.base}/beheer/organisaties`)
    expect(await page.locator("main").textContent()).not.toContain("Zonder Token")
    await signedIn.close()
  })

  it("gives a case worker and a coordinator the 403 page", async () => {
    for (const role of ["case-worker", "coordinator"] as const) {
      const user = await gateway.user([role], [OWN])
      const signedIn = await signIn(browser, gateway, user.token)
      const { page } = signedIn
      expect(await page.locator("nav >> text=Beheer").count()).toBe(0)
      for (const path of ["/beheer", "/beheer/gebruikers", `/beheer/gebruikers/${user.id}`]) {
        const response = await page.goto(`${gateway.base}${path}`)
        expect(response?.status()).toBe(403)
        expect(await page.locator("h1").textContent()).toBe("Geen toegang")
      }
      if (role === "case-worker") await expectGoodPage(signedIn)
      await signedIn.close()
    }
  })
})
