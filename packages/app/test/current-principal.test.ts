import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as CurrentPrincipal from "../src/CurrentPrincipal.js"

const caller: CurrentPrincipal.Caller = {
  principal: {
    userId: "user_a" as never,
    organisationId: "org_a" as never,
    name: "Casusregisseur A",
    roles: ["case-worker"],
    regions: ["westland" as never],
    partyRole: "smw-verzuim" as never,
    tokenId: "tok_a",
    installationAdmin: false,
  },
  door: "api",
  requestId: "req-1",
  purpose: "casusregie",
}

describe("CurrentPrincipal", () => {
  it.effect("a use case reads the caller from the context", () =>
    Effect.gen(function* () {
      const seen = yield* CurrentPrincipal.CurrentPrincipal
      expect(seen.requestId).toBe("req-1")
      expect(seen.principal.userId).toBe("user_a")
    }).pipe(CurrentPrincipal.provide(caller)),
  )

  it.effect("withPurpose changes the purpose for the inner effect only", () =>
    Effect.gen(function* () {
      const inner = yield* CurrentPrincipal.CurrentPrincipal.pipe(
        CurrentPrincipal.withPurpose("toegangsbeheer"),
      )
      const outer = yield* CurrentPrincipal.CurrentPrincipal
      expect(inner.purpose).toBe("toegangsbeheer")
      expect(outer.purpose).toBe("casusregie")
    }).pipe(CurrentPrincipal.provide(caller)),
  )
})
