/**
 * Crash between commit and answer, then retry (issue 10, point 1). A real gateway in a child
 * process commits each idempotent referral — the case and the key's stored answer — and is then
 * killed with SIGKILL before it answers (the `afterIdempotentCommit` seam stalls until the kill).
 * Round after round, until at least 30 requests committed without an answer; then a restarted
 * gateway gets every unanswered request again, with its key, after the key's (shortened) lock ran
 * out. Every retry must replay the first answer and no retry may open a second case.
 *
 * One test file per backend (crash-retry-{sqlite,pg}.test.ts), so the two run side by side; the
 * answer lost without a crash, on every idempotent POST: lost-answer.test.ts.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Referral } from "@verzuimregie/domain"
import { Fixtures } from "@verzuimregie/plugin-sdk"
import { Accounts, Database, Store } from "@verzuimregie/store"
import * as Testing from "@verzuimregie/store/testing"
import { Effect, Either, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { loadConfig, sampleConfigFile } from "../../src/config.js"
import { CRASH_LOCK_MS, pgUrl, referrerOf, skipPg, TODAY } from "./gateway.js"

export const REGION = "amstelland-meerlanden"
const CHILD = join(dirname(fileURLToPath(import.meta.url)), "crash-gateway.ts")
const PER_ROUND = 8
const AT_LEAST = 30

interface Child {
  readonly proc: ChildProcess
  readonly port: number
  /** Request ids whose change committed (printed by the child after the commit). */
  readonly committed: Set<string>
  /** Resolves once `n` requests committed. */
  readonly waitCommitted: (n: number) => Promise<void>
  readonly exited: Promise<NodeJS.Signals | null>
}

/** Starts the crash gateway (`node --import tsx`: one process, so SIGKILL leaves nothing running). */
const startChild = (mode: "stall" | "answer", args: ReadonlyArray<string>): Promise<Child> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", CHILD, mode, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    const committed = new Set<string>()
    const waiters: Array<{ n: number; done: () => void }> = []
    let buffer = ""
    let stderr = ""
    const watchdog = setTimeout(() => proc.kill("SIGKILL"), 50_000)
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      proc.on("exit", (_code, signal) => {
        clearTimeout(watchdog)
        done(signal)
        reject(new Error(`crash gateway ended before listening: ${stderr}`))
      }),
    )
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    proc.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8")
      for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
        const [word, value] = buffer.slice(0, nl).split(" ")
        buffer = buffer.slice(nl + 1)
        if (word === "listening") {
          resolve({
            proc,
            port: Number(value),
            committed,
            exited,
            waitCommitted: (n) =>
              new Promise((done) => {
                if (committed.size >= n) done()
                else waiters.push({ n, done })
              }),
          })
        } else if (word === "committed" && value !== undefined) {
          committed.add(value)
          for (const w of waiters) if (committed.size >= w.n) w.done()
        }
      }
    })
  })

interface Sent {
  readonly requestId: string
  readonly key: string
  readonly body: string
}

const post = (port: number, token: string, sent: Sent) =>
  fetch(`http://127.0.0.1:${port}/referrals`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "idempotency-key": sent.key,
      "x-request-id": sent.requestId,
    },
    body: sent.body,
  }).then(async (r) => ({
    status: r.status,
    text: await r.text(),
    replayed: r.headers.get("idempotent-replayed"),
  }))

export const crashRetrySuite = (backend: "sqlite" | "pg"): void => {
  describe(`crash between commit and answer on ${backend}`, () => {
    describe.skipIf(backend === "pg" && skipPg())("", () => {
      it("replays the first answer to every retry of a committed request and opens no second case", async () => {
        const dir = await mkdtemp(join(tmpdir(), "verzuimregie-crash-"))
        const schema = Testing.uniqueSchemaName("gwcrash")
        const args = backend === "pg" ? ["pg", pgUrl as string, schema] : ["sqlite", join(dir, "crash.db")]
        const runtime = ManagedRuntime.make(
          Store.layer(
            backend === "pg"
              ? Database.postgres(pgUrl as string, { schema, maxConnections: 2 })
              : Database.sqlite(join(dir, "crash.db")),
          ),
        )
        const query = <A extends object>(text: string) =>
          runtime.runPromise(Effect.flatMap(Database.Database, (db) => db.sql.unsafe<A>(text)))
        try {
          const config = await loadConfig(sampleConfigFile)
          if (Either.isLeft(config)) throw new Error(config.left.message)
          const plugin = config.right.regions.find((r) => r.region.id === REGION)!.plugin
          const referrer = await runtime.runPromise(
            Effect.gen(function* () {
              const accounts = yield* Accounts.Accounts
              const org = yield* accounts.createOrganisation({ name: "Crashschool", kind: "school" })
              const user = yield* accounts.createUser({
                organisationId: org.id,
                name: "Crash Aanmelder",
                email: "crash@gateway.example" as Accounts.NewUser["email"],
                roles: ["referrer"],
                regions: [REGION as never],
                partyRole: "coordinator-passend-onderwijs",
              })
              const token = yield* accounts.issueToken(user.id)
              return { ...user, token: token.token }
            }),
          )
          const base = Fixtures.referralFor(plugin, { on: TODAY })
          let n = 0
          // Each request its own pupil, so the requests are different referrals.
          const nextRequest = (): Sent => {
            n++
            const body: Referral.ReferralSubmission = {
              ...base,
              regionId: REGION as Referral.ReferralSubmission["regionId"],
              referrer: referrerOf(referrer),
              pupil: { ...base.pupil, name: { givenName: "Crash", familyName: `Leerling ${n}` } },
            }
            return { requestId: `crash-${backend}-${n}`, key: `crash-key-${n}`, body: JSON.stringify(body) }
          }

          // Rounds: send, let every request commit, kill before any answer.
          const unanswered: Array<Sent> = []
          let committed = 0
          while (committed < AT_LEAST) {
            const child = await startChild("stall", args)
            const batch = Array.from({ length: PER_ROUND }, nextRequest)
            const replies = batch.map((sent) => post(child.port, referrer.token, sent).catch(() => undefined))
            // Every request commits and stalls; one answered instead (refused, say) fails the test at once.
            const answeredEarly = Promise.all(replies).then((all) => all.filter((r) => r !== undefined))
            const early = await Promise.race([child.waitCommitted(PER_ROUND).then(() => []), answeredEarly])
            expect(early).toEqual([])
            child.proc.kill("SIGKILL")
            expect(await child.exited).toBe("SIGKILL")
            const answered = await Promise.all(replies)
            batch.forEach((sent, i) => {
              if (answered[i] === undefined) unanswered.push(sent)
            })
            committed += child.committed.size
          }
          // Counted in the database too: every request committed its case, and none got an answer.
          const cases = (await query<{ n: unknown }>("SELECT COUNT(*) AS n FROM cases"))[0]?.n
          expect(Number(cases)).toBe(committed)
          expect(unanswered).toHaveLength(committed)
          process.stderr.write(`crash-retry on ${backend}: ${committed} committed without an answer\n`)

          // Past the keys' locks, a retry could take a key over if its answer had not been stored.
          await new Promise((done) => setTimeout(done, CRASH_LOCK_MS * 3))
          const restarted = await startChild("answer", args)
          try {
            const caseIds = new Set<string>()
            for (const sent of unanswered) {
              const retry = await post(restarted.port, referrer.token, sent)
              expect(retry.status, retry.text).toBe(201)
              expect(retry.replayed).toBe("true")
              const [stored] = await query<{ response_body: string }>(
                `SELECT response_body FROM idempotency_keys WHERE key = '${sent.key}'`,
              )
              // The first answer, computed and stored with the change before the crash.
              expect(retry.text).toBe(stored?.response_body)
              caseIds.add(JSON.parse(retry.text).caseId)
            }
            expect(caseIds.size).toBe(unanswered.length)
            const after = await query<{ case_id: string }>("SELECT case_id FROM cases")
            expect(after).toHaveLength(committed) // 0 duplicate cases
            expect(new Set(after.map((row) => row.case_id))).toEqual(caseIds)
          } finally {
            restarted.proc.kill("SIGKILL")
            await restarted.exited
          }
        } finally {
          if (backend === "pg")
            await runtime
              .runPromise(
                Effect.flatMap(Database.Database, (db) =>
                  db.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
                ),
              )
              .catch(() => {})
          await runtime.dispose()
          await rm(dir, { recursive: true, force: true })
        }
      }, 180_000)
    })
  })
}
