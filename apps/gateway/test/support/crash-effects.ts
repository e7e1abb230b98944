/**
 * The process the handover crash test kills: appends a `HandedOver` event to a case with its
 * effects (`CaseEffects`), in one transaction. With `stall`, the effects function (called inside
 * the transaction, after the event's INSERT and before the outbox INSERT) prints `between` and
 * blocks the process until the parent's SIGKILL; with `finish`, the append commits and the process
 * prints `appended <version>` and ends. Pipes to the parent are written synchronously on Linux, so a
 * `between` line means the event row was written in the still open transaction.
 *
 * Usage: node --import tsx crash-effects.ts stall|finish CASE_ID VERSION sqlite FILE | pg URL SCHEMA
 */
import { writeSync } from "node:fs"
import { CaseEffects } from "@verzuimregie/app"
import { type CaseEvent, type Ids, Timestamp } from "@verzuimregie/domain"
import { CaseStore, Database, Store } from "@verzuimregie/store"
import { Effect, Either, ManagedRuntime } from "effect"
import { loadConfig, sampleConfigFile } from "../../src/config.js"
import { TODAY } from "./gateway.js"

const [mode, caseId, version, backend, target, schema] = process.argv.slice(2)
if (target === undefined || caseId === undefined)
  throw new Error("usage: crash-effects stall|finish CASE_ID VERSION sqlite FILE | pg URL SCHEMA")
const config = await loadConfig(sampleConfigFile)
if (Either.isLeft(config)) throw new Error(config.left.message)
const region = config.right.regions.find((r) => r.region.id === "westland")
if (region === undefined) throw new Error("no westland in the sample configuration")
const runtime = ManagedRuntime.make(
  Store.layer(
    backend === "pg" ? Database.postgres(target, { schema, maxConnections: 2 }) : Database.sqlite(target),
  ),
)

const handedOver: CaseEvent.CaseEvent = {
  _tag: "HandedOver",
  at: Timestamp.Timestamp.make(`${TODAY}T10:00:00.000Z`),
  by: { name: "Regiehouder Synthetisch", role: "smw-verzuim" },
  on: TODAY,
  to: { name: "Jeugdteam Westland", role: "hulpverlener" },
}

const effects = CaseEffects.outboxFor(region)
const appended = await runtime.runPromise(
  Effect.flatMap(CaseStore.CaseStore, (store) =>
    store.append({
      caseId: caseId as Ids.CaseId,
      expectedVersion: Number(version),
      events: [handedOver],
      regions: [region.region.id],
      outboxFor: (steps) => {
        if (mode === "stall") {
          writeSync(1, "between\n")
          // Blocks this process (and its open transaction) until the parent's SIGKILL.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000)
        }
        return effects(steps)
      },
    }),
  ),
)
writeSync(1, `appended ${appended.state.version}\n`)
await runtime.dispose()
