import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { fingerprint, Idempotency } from "../src/Idempotency.js"
import { BACKENDS, type StoreRuntime, skip, useStore } from "./support/backends.js"

let n = 0
const newKey = () => ({ clientId: "client-1", key: `key-${process.pid}-${++n}` })

describe.each(BACKENDS)("Idempotency on %s", (backend) => {
  describe.skipIf(skip(backend))("", () => {
    const suite = useStore(backend)
    const use = <A, E>(f: (i: Idempotency) => Effect.Effect<A, E>, runtime: StoreRuntime = suite.runtime) =>
      runtime.runPromise(Effect.flatMap(Idempotency, f))
    const fail = <A, E>(f: (i: Idempotency) => Effect.Effect<A, E>) =>
      suite.runtime.runPromise(Effect.flip(Effect.flatMap(Idempotency, f)))

    const fpA = fingerprint("POST", "/referrals", '{"a":1}')
    const fpB = fingerprint("POST", "/referrals", '{"a":2}')

    it("replays the first response to a retry of the same request", async () => {
      const ref = newKey()
      expect(await use((i) => i.begin({ ...ref, fingerprint: fpA }))).toMatchObject({ _tag: "Started" })
      await use((i) => i.complete({ ...ref, status: 201, body: '{"caseId":"case_x"}' }))
      expect(await use((i) => i.begin({ ...ref, fingerprint: fpA }))).toEqual({
        _tag: "Replay",
        status: 201,
        body: '{"caseId":"case_x"}',
      })
      // Completing again does not replace the first response.
      await use((i) => i.complete({ ...ref, status: 500, body: "other" }))
      expect(await use((i) => i.begin({ ...ref, fingerprint: fpA }))).toMatchObject({ status: 201 })
    })

    it("refuses the key with another request, and reports a request still in progress", async () => {
      const ref = newKey()
      await use((i) => i.begin({ ...ref, fingerprint: fpA }))
      expect(await fail((i) => i.begin({ ...ref, fingerprint: fpA }))).toMatchObject({
        _tag: "IdempotencyKeyInProgress",
        ...ref,
      })
      expect(await fail((i) => i.begin({ ...ref, fingerprint: fpB }))).toMatchObject({
        _tag: "IdempotencyKeyReused",
      })
      await use((i) => i.complete({ ...ref, status: 201, body: "{}" }))
      expect(await fail((i) => i.begin({ ...ref, fingerprint: fpB }))).toMatchObject({
        _tag: "IdempotencyKeyReused",
      })
      // Keys are per client.
      expect(await use((i) => i.begin({ ...ref, clientId: "client-2", fingerprint: fpB }))).toMatchObject({
        _tag: "Started",
      })
    })

    it("lets exactly one of two concurrent first requests start (separate connections)", async () => {
      const other = suite.second()
      for (let round = 0; round < 5; round++) {
        const ref = newKey()
        const results = await Promise.all(
          [suite.runtime, other].map((rt) =>
            rt.runPromise(
              Effect.either(Effect.flatMap(Idempotency, (i) => i.begin({ ...ref, fingerprint: fpA }))),
            ),
          ),
        )
        const started = results.filter((r) => r._tag === "Right")
        const busy = results.filter((r) => r._tag === "Left").map((r) => r.left._tag)
        expect(started).toHaveLength(1)
        expect(busy).toEqual(["IdempotencyKeyInProgress"])
      }
    })

    it("takes over a key whose request died, starts afresh after expiry, and purges", async () => {
      const ref = newKey()
      await use((i) => i.begin({ ...ref, fingerprint: fpA, lockMs: 1 }))
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(await use((i) => i.begin({ ...ref, fingerprint: fpA }))).toMatchObject({ _tag: "Started" })

      const expiring = newKey()
      await use((i) => i.begin({ ...expiring, fingerprint: fpA, ttlMs: 1 }))
      await use((i) => i.complete({ ...expiring, status: 200, body: "old" }))
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(await use((i) => i.begin({ ...expiring, fingerprint: fpB, ttlMs: 1 }))).toMatchObject({
        _tag: "Started",
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(await use((i) => i.purgeExpired)).toBeGreaterThanOrEqual(1)

      const released = newKey()
      await use((i) => i.begin({ ...released, fingerprint: fpA }))
      await use((i) => i.release(released))
      expect(await use((i) => i.begin({ ...released, fingerprint: fpB }))).toMatchObject({ _tag: "Started" })
    })

    it("lets only the attempt that holds the key complete it, in the transaction of its change", async () => {
      const ref = newKey()
      const first = await use((i) => i.begin({ ...ref, fingerprint: fpA, lockMs: 1 }))
      await new Promise((resolve) => setTimeout(resolve, 20))
      // The first run's lock ran out; a retry takes the key over.
      const retry = await use((i) => i.begin({ ...ref, fingerprint: fpA }))
      expect(retry).toMatchObject({ _tag: "Started" })
      if (first._tag !== "Started" || retry._tag !== "Started") throw new Error("unreachable")
      expect(retry.attempt).not.toBe(first.attempt)
      // The slow first run may no longer commit, nor forget the retry's key.
      expect(
        await fail((i) => i.complete({ ...ref, attempt: first.attempt, status: 201, body: "first" })),
      ).toMatchObject({ _tag: "IdempotencyKeyTakenOver" })
      await use((i) => i.release({ ...ref, attempt: first.attempt }))
      await use((i) => i.complete({ ...ref, attempt: retry.attempt, status: 201, body: "retry" }))
      expect(await use((i) => i.begin({ ...ref, fingerprint: fpA }))).toEqual({
        _tag: "Replay",
        status: 201,
        body: "retry",
      })
    })

    it("refuses malformed keys", async () => {
      expect(await fail((i) => i.begin({ clientId: "c", key: "", fingerprint: fpA }))).toMatchObject({
        _tag: "InvalidIdempotencyKey",
      })
      expect(await fail((i) => i.begin({ clientId: "c", key: "a b", fingerprint: fpA }))).toMatchObject({
        _tag: "InvalidIdempotencyKey",
      })
      expect(fingerprint("ab", "c")).not.toBe(fingerprint("a", "bc"))
    })
  })
})
