/**
 * Kill -9 at random moments while a child process appends events with audit records and outbox
 * rows; then check that nothing acknowledged was lost and nothing half-written remains.
 *
 * The rounds (25 on SQLite, 20 on PostgreSQL) are shared between two test files per backend
 * (`crash-{sqlite,pg}-{1,2}.test.ts`), each with its own database and its own seed, so they run
 * side by side and each file stays well within its time budget; every kill point is still tried.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { Effect, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { AuditLog } from "../../src/AuditLog.js"
import { CaseStore } from "../../src/CaseStore.js"
import * as Database from "../../src/Database.js"
import * as Store from "../../src/Store.js"
import { type BackendName, fresh, pgUrl, skip } from "./backends.js"
import { bundleScript } from "./bundle.js"

/** The bundled child (set before the tests of the file run). */
let bundle = ""

/** Seeded so a failure can be replayed: set CRASH_SEED to the seed the failing run printed. */
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000)
let state = seed
const random = (): number => {
  state = (state * 1103515245 + 12345) % 2147483648
  return state / 2147483648
}

interface Round {
  readonly acks: Array<readonly [string, number]>
  readonly stderr: string
}

const round = (args: ReadonlyArray<string>, killAfterMs: number): Promise<Round> =>
  new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, [bundle, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    const acks: Array<readonly [string, number]> = []
    let buffer = ""
    let stderr = ""
    let timer: NodeJS.Timeout | undefined
    const watchdog = setTimeout(() => proc.kill("SIGKILL"), 20_000)
    proc.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8")
      let newline = buffer.indexOf("\n")
      while (newline !== -1) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 1)
        if (line === "ready" && timer === undefined) {
          timer = setTimeout(() => proc.kill("SIGKILL"), killAfterMs)
        } else if (line.startsWith("ack ")) {
          const [, caseId, version] = line.split(" ")
          acks.push([caseId ?? "", Number(version)])
        }
        newline = buffer.indexOf("\n")
      }
    })
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    proc.on("error", reject)
    proc.on("exit", (_code, signal) => {
      clearTimeout(watchdog)
      if (timer !== undefined) clearTimeout(timer)
      if (signal !== "SIGKILL") reject(new Error(`child ended without being killed: ${stderr}`))
      else resolve({ acks, stderr })
    })
  })

/** The rounds of each backend, and how many share files they are spread over. */
const ROUNDS = { sqlite: 25, pg: 20 } as const
const SHARES = 2

export const crashSuite = (backend: BackendName, share: 1 | 2): void => {
  // The shares of one run differ: the same CRASH_SEED in both files would kill at the same times.
  state = seed + share * 7919
  const rounds = Math.ceil((ROUNDS[backend] - (share - 1)) / SHARES)
  describe(`crash safety on ${backend}, share ${share} of ${SHARES}`, () => {
    // The child is bundled into one plain file: node starts it in a fraction of the time a TS loader
    // needs, which pays on every round. (Not the `tsx` command either: it runs the script in a second
    // process, which a SIGKILL of the first would leave running.)
    let removeBundle = () => {}
    beforeAll(async () => {
      const built = await bundleScript("test/support/crash-child.ts", "crash-child")
      bundle = built.file
      removeBundle = built.remove
    })
    afterAll(() => removeBundle())

    describe.skipIf(skip(backend))("", () => {
      it("loses no acknowledged write and leaves no half-written case after repeated SIGKILL", async () => {
        const f = fresh(backend)
        process.stderr.write(
          `crash test on ${backend}, share ${share}: seed ${seed} (CRASH_SEED=${seed} replays it)\n`,
        )
        try {
          const args =
            f.config._tag === "sqlite"
              ? ["sqlite", f.config.filename]
              : ["pg", pgUrl ?? "", f.config.schema ?? ""]
          const acked = new Map<string, number>()
          let total = 0
          // At least `rounds` kills, and more until the kills landed while writing, not before
          // (more acks than rounds): on a busy machine a child may write nothing in its first
          // few hundred milliseconds. Three times as many rounds without that is a broken writer.
          let done = 0
          while (done < rounds || (total <= rounds && done < 3 * rounds)) {
            const { acks, stderr } = await round(args, 20 + Math.floor(random() * 400))
            expect(stderr).toBe("")
            for (const [caseId, version] of acks) acked.set(caseId, Math.max(version, acked.get(caseId) ?? 0))
            total += acks.length
            done++
          }
          expect(total).toBeGreaterThan(rounds)

          const runtime = ManagedRuntime.make(Store.layer(f.again()))
          try {
            const report = await runtime.runPromise(
              Effect.gen(function* () {
                const { sql } = yield* Database.Database
                const events = yield* sql<{
                  case_id: string
                  version: unknown
                }>`SELECT case_id, version FROM case_events`
                const cases = yield* sql<{
                  case_id: string
                  version: unknown
                }>`SELECT case_id, version FROM cases`
                const outbox = yield* sql<{
                  case_id: string
                  case_version: unknown
                }>`SELECT case_id, case_version FROM outbox`
                const auditCount = yield* sql<{ n: unknown }>`SELECT count(*) AS n FROM audit_log`
                const projections = yield* (yield* CaseStore).rebuildProjections({ check: true })
                const audit = yield* (yield* AuditLog).verify()
                return { events, cases, outbox, auditCount: Number(auditCount[0]?.n), projections, audit }
              }),
            )
            const stored = new Map<string, number>()
            for (const e of report.events)
              stored.set(e.case_id, Math.max(Number(e.version), stored.get(e.case_id) ?? 0))
            // Every acknowledged write is there.
            for (const [caseId, version] of acked)
              expect(stored.get(caseId) ?? 0).toBeGreaterThanOrEqual(version)
            // No half-written case: versions are complete and the projection is the fold of the events.
            expect(report.cases.length).toBe(stored.size)
            for (const c of report.cases) expect(Number(c.version)).toBe(stored.get(c.case_id))
            expect(report.events.length).toBe([...stored.values()].reduce((a, b) => a + b, 0))
            expect(report.projections.differed).toEqual([])
            expect(report.projections.failed).toEqual([])
            // The audit chain verifies, with one record per append; one outbox row per event.
            expect(report.audit.ok).toBe(true)
            expect(report.auditCount).toBe(report.events.length)
            const eventKeys = report.events.map((e) => `${e.case_id}#${Number(e.version)}`).sort()
            const outboxKeys = report.outbox.map((o) => `${o.case_id}#${Number(o.case_version)}`).sort()
            expect(outboxKeys).toEqual(eventKeys)
          } finally {
            await runtime.dispose()
          }
        } finally {
          await f.cleanup()
        }
      }, 120_000)
    })
  })
}
