/**
 * The access log as a use case: a coordinator sees their own regions' records only, an
 * installation admin sees all, and every read of the log is itself logged.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ids } from "@verzuimregie/domain"
import { AuditLog } from "@verzuimregie/store"
import { Effect, Layer } from "effect"
import { AuditTrail, CurrentPrincipal } from "../src/index.js"
import { freshStore, regionsOf } from "./support/store.js"

const WESTLAND = Ids.RegionId.make("westland")
const AMSTELLAND = Ids.RegionId.make("amstelland")

const callerOf = (
  roles: ReadonlyArray<"coordinator" | "admin" | "referrer">,
  regions: ReadonlyArray<Ids.RegionId>,
  installationAdmin = false,
): CurrentPrincipal.Caller => ({
  principal: {
    userId: Ids.UserId.make("user_lezer000001"),
    organisationId: Ids.OrganisationId.make("org_gemeente0001"),
    name: "Lezer",
    roles,
    regions,
    partyRole: "overig",
    tokenId: "tok_test",
    installationAdmin,
  },
  door: "api",
  requestId: "req-audit-test",
  purpose: "casusregie",
})

const record = (regionId: Ids.RegionId | undefined): AuditLog.AuditEntry => ({
  userId: Ids.UserId.make("user_schrijver001"),
  organisationId: Ids.OrganisationId.make("org_gemeente0001"),
  action: "read",
  recordType: "case",
  recordId: "case_0123456789",
  ...(regionId === undefined ? {} : { regionId }),
  purpose: "casusregie",
  requestId: "req-seed",
})

describe("AuditTrail on sqlite", { timeout: 60_000 }, () => {
  const env = Layer.merge(freshStore("sqlite"), regionsOf([WESTLAND, AMSTELLAND]))

  it.scoped("a coordinator reads their regions' records; the read is logged; a referrer may not read", () =>
    Effect.gen(function* () {
      const log = yield* AuditLog.AuditLog
      yield* log.append([record(WESTLAND), record(AMSTELLAND), record(undefined)])
      const coordinator = yield* AuditTrail.list({}, { limit: 50 }).pipe(
        CurrentPrincipal.provide(callerOf(["coordinator"], [WESTLAND])),
      )
      expect(coordinator.items.map((r) => r.regionId)).toEqual([WESTLAND])
      const logged = (yield* log.list({ recordType: "audit-log" }, { limit: 50 })).items
      expect(logged.map((r) => [r.action, r.context, r.requestId])).toEqual([
        ["search", "api.audit-log.search:alle", "req-audit-test"],
      ])
      const everything = yield* AuditTrail.list({ recordId: "case_0123456789" }, { limit: 50 }).pipe(
        CurrentPrincipal.provide(callerOf(["admin"], [], true)),
      )
      expect(everything.items).toHaveLength(3)
      const referrer = yield* Effect.flip(
        AuditTrail.list({}, { limit: 50 }).pipe(CurrentPrincipal.provide(callerOf(["referrer"], [WESTLAND]))),
      )
      expect(referrer).toBeInstanceOf(AuditTrail.NotPermitted)
    }).pipe(Effect.provide(env)),
  )

  it.scoped(
    "the log of one region: the caller's own region only (another is RegionNotVisible); the read is logged in that region",
    () =>
      Effect.gen(function* () {
        const log = yield* AuditLog.AuditLog
        yield* log.append([record(WESTLAND), record(AMSTELLAND), record(undefined)])
        const coordinator = callerOf(["coordinator"], [WESTLAND, AMSTELLAND])
        const westland = yield* AuditTrail.ofRegion(WESTLAND, { limit: 50 }).pipe(
          CurrentPrincipal.provide(coordinator),
        )
        expect(westland.items.map((r) => r.regionId)).toEqual([WESTLAND])
        const logged = (yield* log.list({ recordType: "audit-log", regions: [WESTLAND] }, { limit: 50 }))
          .items
        expect(logged.map((r) => [r.action, r.regionId])).toEqual([["search", WESTLAND]])
        for (const other of [AMSTELLAND, "nergens"]) {
          const refused = yield* Effect.flip(
            AuditTrail.ofRegion(other, { limit: 50 }).pipe(
              CurrentPrincipal.provide(callerOf(["coordinator"], [WESTLAND])),
            ),
          )
          expect(refused).toBeInstanceOf(AuditTrail.RegionNotVisible)
        }
      }).pipe(Effect.provide(env)),
  )
})
