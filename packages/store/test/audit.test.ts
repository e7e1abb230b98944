import * as Fs from "node:fs"
import * as Path from "node:path"
import { Ids } from "@verzuimregie/domain"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as AuditAnchor from "../src/AuditAnchor.js"
import { AuditLog } from "../src/AuditLog.js"
import { chainHash, GENESIS_HASH } from "../src/internal/hash.js"
import {
  BACKENDS,
  dropAppendOnlyGuards,
  rawSql,
  type StoreRuntime,
  skip,
  tempDir,
  withFreshStore,
} from "./support/backends.js"
import { auditEntry, orgId, userId, WESTLAND } from "./support/factories.js"

const appendN = (runtime: StoreRuntime, n: number) =>
  runtime.runPromise(
    Effect.flatMap(AuditLog, (audit) =>
      audit.append(
        Array.from({ length: n }, (_, i) =>
          auditEntry({
            action: i % 2 === 0 ? "read" : "update",
            recordId: `case_${String(i).padStart(12, "0")}`,
          }),
        ),
      ),
    ),
  )

const verify = (runtime: StoreRuntime) =>
  runtime.runPromise(Effect.flatMap(AuditLog, (audit) => audit.verify()))

describe.each(BACKENDS)("AuditLog on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    it("chains each record to the previous one and verifies", () =>
      withFreshStore(backend, async ({ runtime }) => {
        const records = await appendN(runtime, 5)
        expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5])
        expect(records[0]?.prevHash).toBe(GENESIS_HASH)
        for (let i = 1; i < records.length; i++) expect(records[i]?.prevHash).toBe(records[i - 1]?.hash)
        const result = await verify(runtime)
        expect(result).toMatchObject({
          ok: true,
          records: 5,
          headSeq: 5,
          headHash: records[4]?.hash,
          problems: [],
        })
        // What was stored is what was hashed (timestamps survive the round trip byte for byte).
        const page = await runtime.runPromise(Effect.flatMap(AuditLog, (a) => a.list({}, { limit: 2 })))
        expect(page.items.map((r) => r.seq)).toEqual([5, 4])
        expect(page.items[0]).toEqual(records[4])
      }))

    it("lists the records of given regions only, newest first, in full pages", () =>
      withFreshStore(backend, async ({ runtime }) => {
        const other = Ids.RegionId.make("leidschendam-voorburg")
        await runtime.runPromise(
          Effect.flatMap(AuditLog, (audit) =>
            audit.append(
              Array.from({ length: 6 }, (_, i) =>
                auditEntry({
                  regionId: i % 3 === 0 ? other : WESTLAND,
                  recordId: `case_${String(i).padStart(12, "0")}`,
                }),
              ),
            ),
          ),
        )
        const list = (regions: ReadonlyArray<Ids.RegionId>, cursor?: string) =>
          runtime.runPromise(Effect.flatMap(AuditLog, (a) => a.list({ regions }, { limit: 3, cursor })))
        const first = await list([WESTLAND])
        expect(first.items.map((r) => r.seq)).toEqual([6, 5, 3])
        const second = await list([WESTLAND], first.nextCursor ?? undefined)
        expect(second.items.map((r) => r.seq)).toEqual([2])
        expect((await list([other])).items.map((r) => r.seq)).toEqual([4, 1])
        expect((await list([])).items).toEqual([])
      }))

    it("detects an edited record", () =>
      withFreshStore(backend, async ({ fresh, runtime }) => {
        await appendN(runtime, 6)
        await dropAppendOnlyGuards(fresh, "audit_log")
        await rawSql(fresh, `UPDATE audit_log SET user_id = '${userId("mallory")}' WHERE seq = 3`)
        const result = await verify(runtime)
        expect(result.ok).toBe(false)
        expect(result.problems).toEqual([expect.objectContaining({ kind: "altered", seq: 3 })])
      }))

    it("detects an edited record whose hash was recomputed", () =>
      withFreshStore(backend, async ({ fresh, runtime }) => {
        const records = await appendN(runtime, 6)
        const target = records[2]
        if (target === undefined) throw new Error("no record 3")
        const forged = { ...target, organisationId: orgId("forged") }
        const hash = chainHash(forged, forged.prevHash)
        await dropAppendOnlyGuards(fresh, "audit_log")
        await rawSql(
          fresh,
          `UPDATE audit_log SET organisation_id = '${forged.organisationId}', hash = '${hash}' WHERE seq = 3`,
        )
        const result = await verify(runtime)
        expect(result.ok).toBe(false)
        expect(result.problems).toEqual([expect.objectContaining({ kind: "broken-link", seq: 4 })])
      }))

    it("detects a deleted record, in the middle and at the end", () =>
      withFreshStore(backend, async ({ fresh, runtime }) => {
        await appendN(runtime, 6)
        await dropAppendOnlyGuards(fresh, "audit_log")
        await rawSql(fresh, "DELETE FROM audit_log WHERE seq = 2")
        const middle = await verify(runtime)
        expect(middle.ok).toBe(false)
        expect(middle.problems).toEqual([expect.objectContaining({ kind: "missing", seq: 2 })])
        await rawSql(fresh, "DELETE FROM audit_log WHERE seq = 6")
        const end = await verify(runtime)
        expect(end.problems).toEqual([
          expect.objectContaining({ kind: "missing", seq: 2 }),
          expect.objectContaining({ kind: "missing", seq: 6 }),
        ])
      }))

    it("with anchors: finds a tail cut off with a rewritten head, which the chain alone does not", () =>
      withFreshStore(backend, async ({ fresh, runtime }) => {
        const dir = tempDir()
        try {
          const file = Path.join(dir, "anchors", "audit-anchors.jsonl")
          await appendN(runtime, 3)
          const first = await runtime.runPromise(AuditAnchor.write(file))
          await appendN(runtime, 3)
          const second = await runtime.runPromise(AuditAnchor.write(file))
          expect([first.seq, second.seq]).toEqual([3, 6])
          const anchors = await runtime.runPromise(AuditAnchor.read(file))
          expect(anchors.map((a) => [a.line, a.seq])).toEqual([
            [1, 3],
            [2, 6],
          ])
          const withAnchors = () =>
            runtime.runPromise(Effect.flatMap(AuditLog, (audit) => audit.verify({ anchors })))
          expect(await withAnchors()).toMatchObject({ ok: true, records: 6, anchors: 2, problems: [] })

          // Cut the newest two records and point the head at the last one left.
          await dropAppendOnlyGuards(fresh, "audit_log")
          const [kept] = await rawSql(fresh, "SELECT hash FROM audit_log WHERE seq = 4")
          await rawSql(fresh, "DELETE FROM audit_log WHERE seq > 4")
          await rawSql(fresh, `UPDATE audit_head SET seq = 4, hash = '${String(kept?.hash)}' WHERE id = 1`)
          expect(await verify(runtime)).toMatchObject({ ok: true, records: 4 })
          const cut = await withAnchors()
          expect(cut.ok).toBe(false)
          expect(cut.problems).toEqual([
            expect.objectContaining({
              kind: "anchor-missing",
              seq: 6,
              detail: expect.stringContaining("registraties 5–6 zijn afgeknipt"),
            }),
          ])
        } finally {
          Fs.rmSync(dir, { recursive: true, force: true })
        }
      }))

    it("with anchors: finds a log rewritten from an anchored record on", () =>
      withFreshStore(backend, async ({ fresh, runtime }) => {
        const dir = tempDir()
        try {
          const file = Path.join(dir, "audit-anchors.jsonl")
          const records = await appendN(runtime, 4)
          await runtime.runPromise(AuditAnchor.write(file))
          // A consistent forgery: records 3–4 re-hashed with another user, and the head with them.
          await dropAppendOnlyGuards(fresh, "audit_log")
          let prev = records[1]?.hash ?? ""
          for (const record of records.slice(2)) {
            const forged = { ...record, userId: userId("mallory") }
            const hash = chainHash(forged, prev)
            await rawSql(
              fresh,
              `UPDATE audit_log SET user_id = '${forged.userId}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${record.seq}`,
            )
            prev = hash
          }
          await rawSql(fresh, `UPDATE audit_head SET hash = '${prev}' WHERE id = 1`)
          expect(await verify(runtime)).toMatchObject({ ok: true })
          const anchors = await runtime.runPromise(AuditAnchor.read(file))
          const result = await runtime.runPromise(
            Effect.flatMap(AuditLog, (audit) => audit.verify({ anchors })),
          )
          expect(result.problems).toEqual([expect.objectContaining({ kind: "anchor-mismatch", seq: 4 })])
        } finally {
          Fs.rmSync(dir, { recursive: true, force: true })
        }
      }))

    it("keeps one unbroken chain under concurrent writers on separate connections", () =>
      withFreshStore(backend, async ({ fresh, runtime }) => {
        const { ManagedRuntime } = await import("effect")
        const Store = await import("../src/Store.js")
        const other = ManagedRuntime.make(Store.layer(fresh.again()))
        try {
          const burst = (rt: StoreRuntime) =>
            rt.runPromise(
              Effect.forEach(
                Array.from({ length: 25 }, (_, i) => i),
                (i) =>
                  Effect.flatMap(AuditLog, (a) =>
                    a.append([auditEntry(), auditEntry({ action: i % 2 ? "read" : "export" })]),
                  ),
                { concurrency: 4, discard: true },
              ),
            )
          await Promise.all([burst(runtime), burst(other)])
          const result = await verify(runtime)
          expect(result).toMatchObject({ ok: true, records: 100, headSeq: 100 })
        } finally {
          await other.dispose()
        }
      }))

    it("refuses entries that could carry personal data", () =>
      withFreshStore(backend, async ({ runtime }) => {
        for (const bad of [
          auditEntry({ recordId: "Jan Jansen" }),
          auditEntry({ purpose: "Jan Jansen" }),
          auditEntry({ requestId: "req with spaces" }),
          auditEntry({ regionId: WESTLAND, context: "Lisa de Boer, 12 jaar" }),
        ]) {
          const error = await runtime.runPromise(
            Effect.flip(Effect.flatMap(AuditLog, (a) => a.append([bad]))),
          )
          expect(error._tag).toBe("ValidationError")
        }
        expect((await verify(runtime)).records).toBe(0)
      }))
  })
})
