/**
 * An answer lost after the commit (issue 10, point 1), without a crash: the gateway's seam loses
 * the answers of chosen requests; every idempotent POST must replay the stored answer to the retry
 * and do the change once. (A crash between commit and answer: crash-retry-{sqlite,pg}.test.ts.)
 */
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { describe, expect, it } from "vitest"
import { REGION } from "./support/crash-retry.js"
import { dataFingerprint, referrerOf, startGateway, TODAY } from "./support/gateway.js"

describe("an answer lost after the commit, on every idempotent POST", () => {
  it("replays the stored answer to the retry and does the change once", async () => {
    // The seam throws for requests whose id starts with "lose-": their change committed, their
    // answer is lost (a 500 instead), as a crash or a dropped connection would lose it.
    const gateway = await startGateway({
      afterIdempotentCommit: (requestId) => {
        if (requestId.startsWith("lose-")) throw new Error("answer lost after the commit")
      },
    })
    try {
      const referrer = await gateway.user(["referrer"], [REGION], {
        organisation: "Verliesschool",
        partyRole: "mentor",
      })
      const worker = await gateway.user(["case-worker"], [REGION], { partyRole: "casemanager-swv" })
      const admin = await gateway.user(["admin"], [REGION])
      const plugin = gateway.config.regions.find((r) => r.region.id === REGION)!.plugin
      const opened = await gateway.request("POST", "/referrals", {
        token: referrer.token,
        body: {
          ...Fixtures.referralFor(plugin, { on: TODAY }),
          regionId: REGION,
          referrer: referrerOf(referrer),
        },
      })
      expect(opened.status, opened.text).toBe(201)
      const { caseId } = opened.json
      const org = (await gateway.request("GET", "/admin/organisations", { token: admin.token })).json.items[0]
        .id
      const posts = [
        {
          token: referrer.token,
          path: "/referrals",
          body: {
            ...Fixtures.referralFor(plugin, { on: TODAY }),
            regionId: REGION,
            referrer: referrerOf(referrer),
          },
        },
        {
          token: worker.token,
          path: `/cases/${caseId}/events`,
          body: { expectedVersion: 1, event: { _tag: "ParentsInformed", on: TODAY } },
        },
        {
          token: admin.token,
          path: "/admin/organisations",
          body: { name: "Verliesorganisatie", kind: "school" },
        },
        {
          token: admin.token,
          path: "/admin/users",
          body: {
            organisationId: org,
            name: "Verlies Gebruiker",
            email: "verlies@gateway.example",
            roles: ["referrer"],
            regions: [REGION],
            partyRole: "mentor",
          },
        },
      ]
      for (const [i, post] of posts.entries()) {
        const key = `lost-answer-${i}`
        const before = await dataFingerprint(gateway)
        const lost = await gateway.request("POST", post.path, {
          token: post.token,
          body: post.body,
          headers: { "idempotency-key": key, "x-request-id": `lose-${i}-request` },
        })
        expect(lost.status, `${post.path}: ${lost.text}`).toBe(500)
        const changed = await dataFingerprint(gateway)
        expect(changed, post.path).not.toEqual(before)
        const retry = await gateway.request("POST", post.path, {
          token: post.token,
          body: post.body,
          headers: { "idempotency-key": key },
        })
        expect(retry.status, `${post.path}: ${retry.text}`).toBe(201)
        expect(retry.headers.get("idempotent-replayed")).toBe("true")
        // Nothing happened twice.
        expect(await dataFingerprint(gateway), post.path).toEqual(changed)
      }
    } finally {
      await gateway.close()
    }
  })
})
