/**
 * Working a case through the dossier's pages: open one over the API as a referrer would, open a
 * page (checked as every page is), submit a form and wait for the answer, read the timeline.
 */
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import type { Page } from "playwright-core"
import { expect } from "vitest"
import { type Gateway, referrerOf, TODAY } from "./gateway.js"
import { expectGoodPage, type SignedInPage } from "./web.js"

export const dossierSteps = (gateway: Gateway) => ({
  /** A case opened by a referral over the API, in the region's first state. */
  openCase: async (regionId: string): Promise<string> => {
    const referrer = await gateway.user(["referrer"], [regionId], {
      organisation: `School ${regionId}`,
      partyRole: "coordinator-passend-onderwijs",
    })
    const plugin = gateway.config.regions.find((r) => r.region.id === regionId)?.plugin
    if (plugin === undefined) throw new Error(regionId)
    const body = {
      ...Fixtures.referralFor(plugin, { on: TODAY }),
      regionId,
      referrer: referrerOf(referrer),
    } as Referral.ReferralSubmission
    const created = await gateway.request("POST", "/referrals", { token: referrer.token, body })
    expect(created.status, created.text).toBe(201)
    return created.json.caseId as string
  },

  /** Opens a page; a page state not checked before is checked as every page is (axe and more). */
  open: async (signedIn: SignedInPage, path: string, check = true) => {
    await signedIn.page.goto(`${gateway.base}${path}`)
    if (check) await expectGoodPage(signedIn)
  },

  /** Submits the form on the page and waits for the answer (a redirect or the form again). */
  submit: async (page: Page, label = "Vastleggen") => {
    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: label }).click()])
  },

  /** The form was accepted: back on the dossier with the notice of what was logged. */
  expectLogged: (page: Page, caseId: string, kind: string) =>
    expect(page.url()).toBe(`${gateway.base}/dossiers/${caseId}?vastgelegd=${kind}`),

  timeline: async (token: string, caseId: string) => {
    const reply = await gateway.request("GET", `/cases/${caseId}/events`, { token })
    expect(reply.status, reply.text).toBe(200)
    return reply.json as ReadonlyArray<{ event: Record<string, unknown> & { _tag: string } }>
  },
})
