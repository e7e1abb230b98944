/**
 * The writer the crash test kills: appends events (each with an audit record and an outbox row)
 * as fast as it can and prints `ack <caseId> <version>` after each commit. Pipes to the parent are
 * written synchronously on Linux, so an ack on the pipe means the commit returned before it.
 *
 * Usage: tsx crash-child.ts sqlite <file> | pg <url> <schema>
 */
import { Ids } from "@verzuimregie/domain"
import { Effect, ManagedRuntime } from "effect"
import { CaseStore } from "../../src/CaseStore.js"
import * as Database from "../../src/Database.js"
import * as Store from "../../src/Store.js"
import { auditEntry, contact, later, referralReceived, ts, WESTLAND } from "./factories.js"

const [backend, target, schema] = process.argv.slice(2)
if (target === undefined) throw new Error("usage: crash-child sqlite FILE | pg URL SCHEMA")
const config =
  backend === "pg" ? Database.postgres(target, { schema, maxConnections: 2 }) : Database.sqlite(target)
const runtime = ManagedRuntime.make(Store.layer(config))
const regions = [WESTLAND]
const T0 = ts("2026-09-01T08:00:00.000Z")

const program = Effect.gen(function* () {
  const { sql } = yield* Database.Database
  const store = yield* CaseStore
  const rows = yield* sql<{ case_id: string; version: unknown }>`SELECT case_id, version FROM cases`
  const versions = new Map(rows.map((r) => [r.case_id as Ids.CaseId, Number(r.version)]))
  process.stdout.write("ready\n")
  for (let n = 0; ; n++) {
    const ids = [...versions.keys()]
    const entry = auditEntry({ requestId: `crash-${process.pid}-${n}` })
    if (ids.length < 3 || n % 5 === 0) {
      const caseId = Ids.newId.case()
      const referral = referralReceived({ at: later(T0, versions.size) })
      const done = yield* store.create({
        caseId,
        referral,
        regions,
        audit: [{ ...entry, action: "create", recordId: caseId }],
        outbox: [{ topic: "mail", payload: { template: "referral-received" } }],
      })
      versions.set(caseId, done.state.version)
      process.stdout.write(`ack ${caseId} ${done.state.version}\n`)
      continue
    }
    const caseId = ids[n % ids.length] as Ids.CaseId
    const version = versions.get(caseId) ?? 0
    const done = yield* store.append({
      caseId,
      expectedVersion: version,
      events: [contact(later(T0, 10_000 + n))],
      regions,
      audit: [{ ...entry, recordId: caseId }],
      outbox: [{ topic: "mail", payload: { template: "case-updated", version: version + 1 } }],
    })
    versions.set(caseId, done.state.version)
    process.stdout.write(`ack ${caseId} ${done.state.version}\n`)
  }
})

runtime.runPromise(program).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
