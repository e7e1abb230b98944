/**
 * Reports: every report reads the region's cases through one paginated stream, audited once, in
 * the name of the caller (`CurrentPrincipal`) and with the caller's door in the context.
 */
import { describe, expect, it } from "@effect/vitest"
import { type Ids, LocalDate } from "@verzuimregie/domain"
import { AuditLog } from "@verzuimregie/store"
import { Chunk, Effect, Either, Stream } from "effect"
import { afterAll, beforeAll } from "vitest"
import * as XLSX from "xlsx"
import * as CaseEffects from "../src/CaseEffects.js"
import * as CurrentPrincipal from "../src/CurrentPrincipal.js"
import * as Reports from "../src/Reports.js"
import * as SystemPrincipals from "../src/SystemPrincipals.js"
import { handedOver, openCase, openStore, REFERRER_EMAIL, region, type TestStore } from "./support/store.js"

const on = LocalDate.make("2026-03-09")
const CASES = 7
let store: TestStore

beforeAll(async () => {
  store = await openStore("sqlite")
  for (let i = 0; i < CASES; i++) await openCase(store.runtime, on)
})
afterAll(async () => {
  await store?.close()
})

const coordinator: CurrentPrincipal.Caller = {
  principal: {
    userId: "user_coordinator01" as Ids.UserId,
    organisationId: "org_gemeentewest1" as Ids.OrganisationId,
    name: "Coördinator Westland",
    roles: ["coordinator"],
    regions: [region.region.id],
    partyRole: "smw-verzuim",
    tokenId: "tok_1",
    installationAdmin: false,
  },
  door: "api",
  requestId: "req-reports-1",
  purpose: "casusregie",
}

const recordsOf = (requestId: string) =>
  store.runtime.runPromise(
    Effect.map(
      Effect.flatMap(AuditLog.AuditLog, (audit) => audit.list({ requestId })),
      (page) => page.items,
    ),
  )

describe("Reports", () => {
  it("casePages reads every page and audits only the first", async () => {
    const audit = await Effect.runPromise(
      Reports.auditOf("report", region.region.id, "test").pipe(CurrentPrincipal.provide(coordinator)),
    )
    const pages = await store.runtime.runPromise(
      Stream.runCollect(
        Reports.casePages({ regionId: region.region.id, filter: { open: true }, audit, pageSize: 3 }),
      ).pipe(Effect.map(Chunk.toReadonlyArray)),
    )
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1])
    const records = await recordsOf(coordinator.requestId)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      userId: "user_coordinator01",
      action: "export",
      recordType: "report",
      regionId: "westland",
      purpose: "casusregie",
      context: "api.report.export:test",
    })
  })

  it("the mail worker's staff summary is audited once, as the system, with the message id", async () => {
    const messageId = "summary:westland:2026-W10"
    const summary = await store.runtime.runPromise(
      Reports.staffSummary({
        region,
        period: { key: "2026-W10", from: LocalDate.make("2026-03-02"), to: LocalDate.make("2026-03-08") },
        on,
      }).pipe(
        CurrentPrincipal.provide(SystemPrincipals.mailWorker({ messageId, regions: [region.region.id] })),
      ),
    )
    expect(summary.counts.open).toBe(CASES)
    const records = await recordsOf(messageId)
    expect(records.map((r) => [r.userId, r.action, r.recordType, r.purpose, r.context])).toEqual([
      ["user_systeemverzuimregie", "export", "report", "casusregie", "mail.report.export:staff-summary"],
    ])
  })

  it("the Inspectie overview is audited under its own purpose, whoever asks", async () => {
    const caller = SystemPrincipals.commandLine({
      requestId: "cli:inspectie-test",
      regions: [region.region.id],
    })
    await store.runtime.runPromise(
      Reports.inspectie({
        region,
        quarter: "2026-Q1",
        peildata: [LocalDate.make("2026-03-31")],
        key: "test-sleutel-voor-pseudoniemen-0123456789abcdef",
        note: "inspectie-overview:os-test",
      }).pipe(CurrentPrincipal.provide(caller)),
    )
    const records = await recordsOf("cli:inspectie-test")
    expect(records.map((r) => [r.userId, r.purpose, r.context])).toEqual([
      ["user_opdrachtregel", "inspectie-rapportage", "cli.report.export:inspectie-overview:os-test"],
    ])
  })

  it("the case list has one row per case and one audit record (api.case.export:xlsx)", async () => {
    const caller = { ...coordinator, requestId: "req-reports-list" }
    const file = await store.runtime.runPromise(
      Reports.caseList({ region, includePersonal: false, on }).pipe(CurrentPrincipal.provide(caller)),
    )
    const book = XLSX.read(file, { type: "buffer" })
    const rows = XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0] ?? ""] as XLSX.WorkSheet, {
      header: 1,
    })
    expect(rows).toHaveLength(CASES + 1)
    const records = await recordsOf("req-reports-list")
    expect(records.map((r) => [r.recordType, r.context])).toEqual([["case", "api.case.export:xlsx"]])
  })

  it("a caller without reach into the region gets RegionNotPermitted, before anything is read or audited", async () => {
    const outsider: CurrentPrincipal.Caller = {
      ...coordinator,
      principal: { ...coordinator.principal, regions: ["leidschendam-voorburg" as Ids.RegionId] },
      requestId: "req-outsider",
    }
    const exit = await store.runtime.runPromiseExit(
      Reports.caseList({ region, includePersonal: true, on }).pipe(CurrentPrincipal.provide(outsider)),
    )
    expect(exit).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "RegionNotPermitted" } } })
    expect(await recordsOf("req-outsider")).toEqual([])
  })

  it("the handover notice's content: the referrer's address, dates, the role that took over; never a typed name", async () => {
    const created = await openCase(store.runtime, on)
    await store.runtime.runPromise(
      CaseEffects.append(
        {
          caseId: created.state.id,
          expectedVersion: created.state.version,
          events: [handedOver(on)],
          regions: [region.region.id],
        },
        region,
      ),
    )
    const messageId = `handover:${created.state.id}:${on}`
    const notice = await store.runtime.runPromise(
      Reports.handoverNotice({ region, caseId: created.state.id, handoverOn: on }).pipe(
        CurrentPrincipal.provide(SystemPrincipals.mailWorker({ messageId, regions: [region.region.id] })),
      ),
    )
    expect(Either.getOrThrow(notice)).toEqual({
      to: REFERRER_EMAIL,
      caseId: created.state.id,
      caseRef: created.state.id,
      referralId: created.state.referral.id,
      regionName: "Westland",
      referredOn: on,
      handoverOn: on,
      takenOverBy: { account: undefined, role: "hulpverlener" },
    })
    expect(JSON.stringify(notice)).not.toContain("MARKER")
    const records = await recordsOf(messageId)
    expect(records.map((r) => [r.action, r.recordType, r.recordId, r.context])).toEqual([
      ["read", "case", created.state.id, "mail.case.read:handover-notice"],
    ])
    const none = await store.runtime.runPromise(
      Reports.handoverNotice({ region, caseId: "case_bestaatniet01", handoverOn: on }).pipe(
        CurrentPrincipal.provide(
          SystemPrincipals.mailWorker({ messageId: "x", regions: [region.region.id] }),
        ),
      ),
    )
    expect(Either.isLeft(none)).toBe(true)
  })
})
